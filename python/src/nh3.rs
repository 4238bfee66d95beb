//! The nh3-compatible API: `clean`, `Cleaner`, `clean_text`/`escape`,
//! `is_html` and the `ALLOWED_*` constants, on borax policies.
//!
//! nh3's keywords are translated into a borax [`Policy`](borax::Policy)
//! once per distinct set of arguments: the module-level `clean()` keeps
//! the policies it built in a small cache (the default one is built once),
//! where nh3 builds a new ammonia `Builder` on every call with arguments.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

use pyo3::exceptions::{PyNotImplementedError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyList, PySet, PyString, PyTuple};

use crate::errors::{policy_error, PolicyError};
use crate::policy::{clean_many, clean_one, PyPolicy};

/// ammonia's (so nh3's) default tags.
pub(crate) const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// ammonia's default attributes per tag (`tfoot` is listed although the tag
/// is not allowed by default, as in ammonia).
pub(crate) const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("bdo", &["dir"]),
    ("blockquote", &["cite"]),
    ("col", &["align", "char", "charoff", "span"]),
    ("colgroup", &["align", "char", "charoff", "span"]),
    ("del", &["cite", "datetime"]),
    ("hr", &["align", "size", "width"]),
    ("img", &["align", "alt", "height", "src", "width"]),
    ("ins", &["cite", "datetime"]),
    ("ol", &["start"]),
    ("q", &["cite"]),
    ("table", &["align", "char", "charoff", "summary"]),
    ("tbody", &["align", "char", "charoff"]),
    (
        "td",
        &["align", "char", "charoff", "colspan", "headers", "rowspan"],
    ),
    ("tfoot", &["align", "char", "charoff"]),
    (
        "th",
        &[
            "align", "char", "charoff", "colspan", "headers", "rowspan", "scope",
        ],
    ),
    ("thead", &["align", "char", "charoff"]),
    ("tr", &["align", "char", "charoff"]),
];

/// ammonia's default generic attributes (allowed on every allowed tag).
pub(crate) const GENERIC_ATTRIBUTES: &[&str] = &["lang", "title"];

/// ammonia's default URL schemes.
pub(crate) const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// ammonia's default tags removed with their content.
pub(crate) const CLEAN_CONTENT_TAGS: &[&str] = &["script", "style"];

const DEFAULT_LINK_REL: &str = "noopener noreferrer";

type Set = BTreeSet<String>;

/// nh3's `url_relative`, as far as borax can honour it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Relative {
    Pass,
    Deny,
    Rewrite(String),
}

/// The translated arguments: everything that decides the policy, in a
/// hashable form (the cache key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Options {
    tags: Option<Set>,
    clean_content_tags: Option<Set>,
    attributes: Option<BTreeMap<String, Set>>,
    strip_comments: bool,
    link_rel: Option<String>,
    data_attributes: bool,
    tag_attribute_values: Option<BTreeMap<String, BTreeMap<String, Set>>>,
    url_schemes: Option<Set>,
    allowed_classes: Option<BTreeMap<String, Set>>,
    url_relative: Relative,
    id_prefix: Option<String>,
    /// Attribute-name prefixes other than `data-`.
    prefixes: Set,
    /// Forced values: tag → attribute → value.
    set_values: BTreeMap<String, BTreeMap<String, String>>,
}

impl Options {
    fn defaults() -> Options {
        Options {
            tags: None,
            clean_content_tags: None,
            attributes: None,
            strip_comments: true,
            link_rel: Some(DEFAULT_LINK_REL.to_owned()),
            data_attributes: false,
            tag_attribute_values: None,
            url_schemes: None,
            allowed_classes: None,
            url_relative: Relative::Pass,
            id_prefix: None,
            prefixes: Set::new(),
            set_values: BTreeMap::new(),
        }
    }
}

fn not_implemented(param: &str, why: &str) -> PyErr {
    PyNotImplementedError::new_err(format!(
        "borax does not support nh3's `{param}` {why}; see the README's table of differences"
    ))
}

/// The keywords nh3 takes, checked and translated. Parameters borax cannot
/// honour raise NotImplementedError naming the parameter; nothing is ignored.
#[allow(clippy::too_many_arguments)]
fn options(
    tags: Option<Set>,
    clean_content_tags: Option<Set>,
    attributes: Option<BTreeMap<String, Set>>,
    attribute_filter: Option<&Bound<'_, PyAny>>,
    strip_comments: bool,
    link_rel: Option<String>,
    generic_attribute_prefixes: Option<Set>,
    tag_attribute_values: Option<BTreeMap<String, BTreeMap<String, Set>>>,
    set_tag_attribute_values: Option<&Bound<'_, PyAny>>,
    url_schemes: Option<Set>,
    allowed_classes: Option<BTreeMap<String, Set>>,
    filter_style_properties: Option<&Bound<'_, PyAny>>,
    url_relative: Option<&Bound<'_, PyAny>>,
    id_prefix: Option<String>,
) -> PyResult<Options> {
    if attribute_filter.is_some() {
        return Err(not_implemented(
            "attribute_filter",
            "(a Python callback per attribute) yet",
        ));
    }
    if filter_style_properties.is_some() {
        return Err(not_implemented(
            "filter_style_properties",
            "(CSS filtering of style attributes) yet",
        ));
    }
    let mut set_values: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if let Some(v) = set_tag_attribute_values {
        let d = v.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err("set_tag_attribute_values must be a dict of dicts of str")
        })?;
        set_values = d.extract().map_err(|_| {
            PyTypeError::new_err(
                "set_tag_attribute_values must map tag names to dicts of attribute -> value (str)",
            )
        })?;
    }
    let mut data_attributes = false;
    let mut prefixes = Set::new();
    for p in generic_attribute_prefixes.iter().flatten() {
        if p == "data-" {
            data_attributes = true;
        } else {
            prefixes.insert(p.clone());
        }
    }
    let url_relative = match url_relative {
        None => Relative::Pass,
        Some(v) => relative(v)?,
    };
    Ok(Options {
        tags,
        clean_content_tags,
        attributes,
        strip_comments,
        link_rel,
        data_attributes,
        tag_attribute_values,
        url_schemes,
        allowed_classes,
        url_relative,
        id_prefix,
        prefixes,
        set_values,
    })
}

fn relative(v: &Bound<'_, PyAny>) -> PyResult<Relative> {
    if let Ok(s) = v.cast::<PyString>() {
        return match s.to_cow()?.as_ref() {
            "pass_through" => Ok(Relative::Pass),
            "deny" => Ok(Relative::Deny),
            other => Err(PyValueError::new_err(format!(
                "invalid url_relative string {other:?}; expected \"pass_through\" or \"deny\""
            ))),
        };
    }
    if let Ok(t) = v.cast::<PyTuple>() {
        let kind: Option<String> = t.get_item(0).ok().and_then(|k| k.extract().ok());
        return match (kind.as_deref(), t.len()) {
            (Some("rewrite_with_base"), 2) => {
                let base: String = t.get_item(1)?.extract().map_err(|_| {
                    PyTypeError::new_err("url_relative: the base URL of rewrite_with_base must be a str")
                })?;
                Ok(Relative::Rewrite(base))
            }
            (Some("rewrite_with_root"), 3) => Err(not_implemented(
                "url_relative",
                "mode \"rewrite_with_root\" (use (\"rewrite_with_base\", url))",
            )),
            _ => Err(PyValueError::new_err(
                "invalid url_relative tuple; expected (\"rewrite_with_base\", base_url) or (\"rewrite_with_root\", root, path)",
            )),
        };
    }
    if v.is_callable() {
        return Err(not_implemented(
            "url_relative",
            "as a callable (a Python callback per URL) yet",
        ));
    }
    Err(PyTypeError::new_err(
        "url_relative must be \"pass_through\", \"deny\", a tuple or a callable",
    ))
}

fn defaults_map() -> BTreeMap<String, Set> {
    TAG_ATTRIBUTES
        .iter()
        .map(|(t, a)| (t.to_string(), a.iter().map(|s| s.to_string()).collect()))
        .collect()
}

fn strings(list: &[&str]) -> Set {
    list.iter().map(|s| s.to_string()).collect()
}

/// The borax policy for nh3's arguments.
fn build(py: Python<'_>, o: &Options) -> PyResult<borax::Policy> {
    let tags = o.tags.clone().unwrap_or_else(|| strings(TAGS));
    let clean_content = o
        .clean_content_tags
        .clone()
        .unwrap_or_else(|| strings(CLEAN_CONTENT_TAGS));
    let (generic, tag_attrs) = match &o.attributes {
        None => (strings(GENERIC_ATTRIBUTES), defaults_map()),
        Some(map) => {
            let mut map = map.clone();
            let generic = map
                .remove("*")
                .unwrap_or_else(|| strings(GENERIC_ATTRIBUTES));
            (generic, map)
        }
    };
    let mut b = borax::Policy::builder();
    for tag in &tags {
        let attrs = tag_attrs.get(tag).into_iter().flatten();
        b = b.element(tag, attrs);
    }
    b = b.attributes(&generic);
    // borax's builder lets the last list win (the Sanitizer API's rule);
    // nh3 refuses a tag in both lists, and so does this binding.
    if let Some(both) = tags.iter().find(|t| clean_content.contains(*t)) {
        return Err(PolicyError::new_err(format!(
            "tag \"{both}\" is in both `tags` and `clean_content_tags`; remove it from one \
             (the default `tags` include it when `tags` is not given)"
        )));
    }
    b = b.remove_elements(&clean_content);
    b = b.keep_comments(!o.strip_comments);
    b = b.data_attributes(o.data_attributes);
    let rel: Vec<&str> = o
        .link_rel
        .as_deref()
        .map(|r| r.split_ascii_whitespace().collect())
        .unwrap_or_default();
    b = b.link_rel(rel);
    b = match &o.url_schemes {
        Some(schemes) => b.url_schemes(schemes),
        None => b.url_schemes(URL_SCHEMES),
    };
    for (tag, values) in o.tag_attribute_values.iter().flatten() {
        if !tags.contains(tag) {
            continue; // as in nh3: entries for tags not allowed do nothing
        }
        for (attr, allowed) in values {
            let listed =
                generic.contains(attr) || tag_attrs.get(tag).is_some_and(|a| a.contains(attr));
            if listed {
                return Err(PolicyError::new_err(format!(
                    "attribute \"{attr}\" on tag \"{tag}\" is allowed in both `attributes` and \
                     `tag_attribute_values`; `attributes` allows every value, so leave it out \
                     there to restrict it by value"
                )));
            }
            b = b.element(tag, [attr]).attribute_values(tag, attr, allowed);
        }
    }
    if let Some(classes) = &o.allowed_classes {
        let relevant: Vec<(&String, &Set)> =
            classes.iter().filter(|(t, _)| tags.contains(*t)).collect();
        if let Some((_, first)) = relevant.first() {
            for (tag, _) in &relevant {
                if generic.contains("class")
                    || tag_attrs.get(*tag).is_some_and(|a| a.contains("class"))
                {
                    return Err(PolicyError::new_err(format!(
                        "tag \"{tag}\" has \"class\" in `attributes` and an `allowed_classes` \
                         entry; leave \"class\" out of `attributes` to filter classes"
                    )));
                }
            }
            if relevant.iter().any(|(_, set)| set != first) {
                return Err(not_implemented(
                    "allowed_classes",
                    "with different class lists for different tags (borax has one class list \
                     for every element)",
                ));
            }
            let class_elsewhere = tag_attrs
                .iter()
                .any(|(t, a)| tags.contains(t) && !classes.contains_key(t) && a.contains("class"));
            if class_elsewhere {
                return Err(not_implemented(
                    "allowed_classes",
                    "while other tags allow every class through `attributes` (borax has one \
                     class list for every element)",
                ));
            }
            for (tag, _) in &relevant {
                b = b.element(tag, ["class"]);
            }
            b = b.classes(*first);
        }
    }
    b = b.relative_urls(match &o.url_relative {
        Relative::Pass => borax::RelativeUrls::Pass,
        Relative::Deny => borax::RelativeUrls::Deny,
        Relative::Rewrite(base) => borax::RelativeUrls::Rewrite(base.clone()),
    });
    if let Some(prefix) = &o.id_prefix {
        b = b.id_prefix(prefix);
    }
    b = b.attribute_prefixes(&o.prefixes);
    for (tag, values) in &o.set_values {
        for (attr, value) in values {
            b = b.set_attribute(tag, attr, value);
        }
    }
    b.build().map_err(|e| match e {
        borax::PolicyError::Contradiction {
            element,
            list: "removeElements",
        } => PolicyError::new_err(format!(
            "tag \"{element}\" is in both `tags` and `clean_content_tags`; remove it from one \
                 (the default `tags` include it when `tags` is not given)"
        )),
        borax::PolicyError::RelConflict => PolicyError::new_err(
            "\"rel\" cannot be an allowed attribute of links while link_rel is set; pass \
             link_rel=None to keep the rel attribute instead",
        ),
        e => policy_error(py, e),
    })
}

/// The policy equivalent to nh3's defaults, built once.
pub(crate) fn default_policy(py: Python<'_>) -> PyResult<borax::Policy> {
    static DEFAULT: OnceLock<borax::Policy> = OnceLock::new();
    if let Some(p) = DEFAULT.get() {
        return Ok(p.clone());
    }
    let p = build(py, &Options::defaults())?;
    Ok(DEFAULT.get_or_init(|| p).clone())
}

/// The policy for these options: the default one, or one from the cache
/// (a few dozen distinct argument sets are kept; more clear it).
fn policy_for(py: Python<'_>, o: Options) -> PyResult<borax::Policy> {
    static CACHE: Mutex<Option<HashMap<Options, borax::Policy>>> = Mutex::new(None);
    const CAPACITY: usize = 64;
    if o == Options::defaults() {
        return default_policy(py);
    }
    if let Some(p) = CACHE
        .lock()
        .ok()
        .and_then(|c| c.as_ref().and_then(|m| m.get(&o).cloned()))
    {
        return Ok(p);
    }
    let p = build(py, &o)?;
    if let Ok(mut c) = CACHE.lock() {
        let map = c.get_or_insert_with(HashMap::new);
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(o, p.clone());
    }
    Ok(p)
}

/// Sanitize an HTML fragment; nh3's ``clean`` with the same keywords and
/// defaults (ammonia's: 75 tags, ``lang``/``title`` everywhere, 25 URL
/// schemes, ``rel="noopener noreferrer"`` on links, comments stripped).
///
/// >>> import borax
/// >>> borax.clean("<b><img src='' onerror='alert(1)'>XSS?</b>")
/// '<b><img src="">XSS?</b>'
/// >>> borax.clean("<b><i>bold italic</i></b>", tags={"b"})
/// '<b>bold italic</b>'
///
/// :param html: the untrusted HTML fragment.
/// :param tags: the allowed tags (a set); others are unwrapped, their text kept.
/// :param clean_content_tags: tags removed together with their content
///     (default ``{"script", "style"}``; borax also always drops ``iframe``,
///     ``textarea``, ``title`` and other raw-text elements with their content).
/// :param attributes: ``{tag: {attribute, ...}}``; the key ``"*"`` means
///     every allowed tag (default ``{"lang", "title"}``).
/// :param attribute_filter: not supported yet (NotImplementedError).
/// :param strip_comments: remove HTML comments (default True).
/// :param link_rel: ``rel`` tokens set on every ``<a>`` and ``<area>``;
///     None turns it off (then ``rel`` may be an allowed attribute).
/// :param generic_attribute_prefixes: only ``{"data-"}`` (data-* attributes).
/// :param tag_attribute_values: ``{tag: {attribute: {value, ...}}}``: the
///     attribute is kept only with one of these values (exact match).
/// :param set_tag_attribute_values: not supported yet (NotImplementedError).
/// :param url_schemes: allowed URL schemes (set).
/// :param allowed_classes: ``{tag: {class, ...}}``; one class list shared by
///     all the tags given (NotImplementedError when the lists differ).
/// :param filter_style_properties: not supported yet (NotImplementedError).
/// :param url_relative: ``"pass_through"`` (default), ``"deny"`` or
///     ``("rewrite_with_base", base_url)``.
/// :param id_prefix: prefix for kept ``id`` (and ``name``) values.
/// :returns: the sanitized HTML.
/// :raises PolicyError: arguments borax refuses (a tag borax never emits,
///     such as ``script`` or ``iframe``; ``on*`` attributes; contradictions).
/// :raises CleanError: input over 10 MiB, or a tag with over 512 attributes.
/// :raises NotImplementedError: a parameter borax cannot honour yet.
#[pyfunction]
#[pyo3(
    text_signature = "(html, tags=None, clean_content_tags=None, attributes=None, attribute_filter=None, strip_comments=True, link_rel=\"noopener noreferrer\", generic_attribute_prefixes=None, tag_attribute_values=None, set_tag_attribute_values=None, url_schemes=None, allowed_classes=None, filter_style_properties=None, url_relative=None, id_prefix=None)"
)]
#[pyo3(signature = (
    html,
    tags = None,
    clean_content_tags = None,
    attributes = None,
    attribute_filter = None,
    strip_comments = true,
    link_rel = Some(DEFAULT_LINK_REL.to_owned()),
    generic_attribute_prefixes = None,
    tag_attribute_values = None,
    set_tag_attribute_values = None,
    url_schemes = None,
    allowed_classes = None,
    filter_style_properties = None,
    url_relative = None,
    id_prefix = None,
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn clean(
    py: Python<'_>,
    html: PyBackedStr,
    tags: Option<Set>,
    clean_content_tags: Option<Set>,
    attributes: Option<BTreeMap<String, Set>>,
    attribute_filter: Option<&Bound<'_, PyAny>>,
    strip_comments: bool,
    link_rel: Option<String>,
    generic_attribute_prefixes: Option<Set>,
    tag_attribute_values: Option<BTreeMap<String, BTreeMap<String, Set>>>,
    set_tag_attribute_values: Option<&Bound<'_, PyAny>>,
    url_schemes: Option<Set>,
    allowed_classes: Option<BTreeMap<String, Set>>,
    filter_style_properties: Option<&Bound<'_, PyAny>>,
    url_relative: Option<&Bound<'_, PyAny>>,
    id_prefix: Option<String>,
) -> PyResult<String> {
    let o = options(
        tags,
        clean_content_tags,
        attributes,
        attribute_filter,
        strip_comments,
        link_rel,
        generic_attribute_prefixes,
        tag_attribute_values,
        set_tag_attribute_values,
        url_schemes,
        allowed_classes,
        filter_style_properties,
        url_relative,
        id_prefix,
    )?;
    let policy = policy_for(py, o)?;
    clean_one(py, &policy, &html)
}

/// A reusable sanitizer with nh3's keywords (see ``borax.clean``): the
/// policy is built once, here, and ``clean`` only cleans.
///
/// >>> import borax
/// >>> cleaner = borax.Cleaner(tags={"b", "i"}, attributes={})
/// >>> cleaner.clean("<b><i>safe</i></b><script>xss</script>")
/// '<b><i>safe</i></b>'
///
/// ``cleaner.policy`` is the borax Policy it applies (for ``to_toml()``,
/// ``to_notation()``, ``clean_with_report()``, pickling).
#[pyclass(name = "Cleaner", module = "borax", frozen)]
pub(crate) struct Cleaner {
    policy: borax::Policy,
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(
        text_signature = "(tags=None, clean_content_tags=None, attributes=None, attribute_filter=None, strip_comments=True, link_rel=\"noopener noreferrer\", generic_attribute_prefixes=None, tag_attribute_values=None, set_tag_attribute_values=None, url_schemes=None, allowed_classes=None, filter_style_properties=None, url_relative=None, id_prefix=None)"
    )]
    #[pyo3(signature = (
        tags = None,
        clean_content_tags = None,
        attributes = None,
        attribute_filter = None,
        strip_comments = true,
        link_rel = Some(DEFAULT_LINK_REL.to_owned()),
        generic_attribute_prefixes = None,
        tag_attribute_values = None,
        set_tag_attribute_values = None,
        url_schemes = None,
        allowed_classes = None,
        filter_style_properties = None,
        url_relative = None,
        id_prefix = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        py: Python<'_>,
        tags: Option<Set>,
        clean_content_tags: Option<Set>,
        attributes: Option<BTreeMap<String, Set>>,
        attribute_filter: Option<&Bound<'_, PyAny>>,
        strip_comments: bool,
        link_rel: Option<String>,
        generic_attribute_prefixes: Option<Set>,
        tag_attribute_values: Option<BTreeMap<String, BTreeMap<String, Set>>>,
        set_tag_attribute_values: Option<&Bound<'_, PyAny>>,
        url_schemes: Option<Set>,
        allowed_classes: Option<BTreeMap<String, Set>>,
        filter_style_properties: Option<&Bound<'_, PyAny>>,
        url_relative: Option<&Bound<'_, PyAny>>,
        id_prefix: Option<String>,
    ) -> PyResult<Self> {
        let o = options(
            tags,
            clean_content_tags,
            attributes,
            attribute_filter,
            strip_comments,
            link_rel,
            generic_attribute_prefixes,
            tag_attribute_values,
            set_tag_attribute_values,
            url_schemes,
            allowed_classes,
            filter_style_properties,
            url_relative,
            id_prefix,
        )?;
        let policy = if o == Options::defaults() {
            default_policy(py)?
        } else {
            build(py, &o)?
        };
        Ok(Cleaner { policy })
    }

    /// Sanitize one HTML fragment (the GIL is released while cleaning).
    fn clean(&self, py: Python<'_>, html: PyBackedStr) -> PyResult<String> {
        clean_one(py, &self.policy, &html)
    }

    /// Sanitize a batch on all cores without the GIL; equal to
    /// ``[cleaner.clean(h) for h in htmls]``. ``threads`` caps the threads.
    #[pyo3(signature = (htmls, /, *, threads = None))]
    fn clean_many(
        &self,
        py: Python<'_>,
        htmls: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Py<PyList>> {
        clean_many(py, &self.policy, htmls, threads)
    }

    /// The borax Policy this cleaner applies.
    #[getter]
    fn policy(&self) -> PyPolicy {
        PyPolicy::new(self.policy.clone())
    }

    fn __repr__(&self) -> String {
        format!("<borax.Cleaner {}>", self.policy.to_notation())
    }

    /// Pickled as its policy.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let module = py.import("borax")?;
        let rebuild = module.getattr("_cleaner_from_policy")?;
        let policy = Bound::new(py, PyPolicy::new(self.policy.clone()))?;
        let args = PyTuple::new(py, [policy])?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }
}

/// A Cleaner applying an existing borax Policy (used by unpickling and
/// ``Cleaner.from_policy``).
#[pyfunction]
pub(crate) fn _cleaner_from_policy(policy: PyRef<'_, PyPolicy>) -> Cleaner {
    Cleaner {
        policy: policy.inner.clone(),
    }
}

/// Escape a string for HTML as nh3 does (also exposed as ``escape``): every
/// character with a meaning to the HTML parser becomes a character
/// reference, including space, ``/``, ``=`` and backquote, so the result is
/// safe in element content and in any attribute value, quoted or not.
///
/// >>> import borax
/// >>> borax.clean_text('Robert"); abuse();//')
/// 'Robert&quot;);&#32;abuse();&#47;&#47;'
///
/// With ``tags``, those tags are kept without attributes (except ``lang``
/// and ``title``, as in nh3) and everything else is unwrapped:
///
/// >>> borax.clean_text('<span>hello <mention>moto</mention>!</span>', tags={'mention'})
/// 'hello <mention>moto</mention>!'
#[pyfunction]
#[pyo3(text_signature = "(html, tags=None)")]
#[pyo3(signature = (html, tags = None))]
pub(crate) fn clean_text(py: Python<'_>, html: PyBackedStr, tags: Option<Set>) -> PyResult<String> {
    match tags {
        None => Ok(py.detach(|| crate::text::escape_strict(&html))),
        Some(tags) => {
            let o = Options {
                tags: Some(tags),
                attributes: Some(BTreeMap::new()),
                link_rel: None,
                ..Options::defaults()
            };
            let policy = policy_for(py, o)?;
            clean_one(py, &policy, &html)
        }
    }
}

/// HTML-escape a string: the same function as ``clean_text`` (nh3's
/// preferred name).
///
/// >>> import borax
/// >>> borax.escape('<a href="x">')
/// '&lt;a&#32;href&#61;&quot;x&quot;&gt;'
#[pyfunction]
#[pyo3(text_signature = "(html, tags=None)")]
#[pyo3(signature = (html, tags = None))]
pub(crate) fn escape(py: Python<'_>, html: PyBackedStr, tags: Option<Set>) -> PyResult<String> {
    clean_text(py, html, tags)
}

/// Whether the string holds any HTML syntax: a tag, a comment, a doctype
/// (or a NUL character), as nh3's ``is_html`` says. Also true for text that
/// only looks like a tag, such as ``Vec::<u8>::new()``.
///
/// >>> import borax
/// >>> borax.is_html("plain text"), borax.is_html("<p>html!</p>")
/// (False, True)
#[pyfunction]
#[pyo3(text_signature = "(html)")]
pub(crate) fn is_html(html: PyBackedStr) -> bool {
    crate::text::is_html(&html)
}

/// Clean a batch: ``[clean(h) for h in htmls]`` with nh3's default policy,
/// or ``[policy.clean(h) for h in htmls]`` with a Policy or Cleaner, cleaned
/// on all cores with the GIL released. ``threads`` caps the number of
/// threads (``1``: none).
///
/// >>> import borax
/// >>> borax.clean_many(["<b>a</b><script>x</script>", "<i onclick=y>b</i>"])
/// ['<b>a</b>', '<i>b</i>']
#[pyfunction]
#[pyo3(text_signature = "(htmls, /, *, policy=None, threads=None)")]
#[pyo3(name = "clean_many", signature = (htmls, /, *, policy = None, threads = None))]
pub(crate) fn clean_many_fn(
    py: Python<'_>,
    htmls: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Py<PyList>> {
    let policy = policy_arg(py, policy)?;
    clean_many(py, &policy, htmls, threads)
}

/// Check one URL as ``href`` is checked (a form's "your website" field):
/// the URL to use, or None if the policy (default: nh3's) would drop it.
///
/// >>> import borax
/// >>> borax.clean_url(" https://example.com/me "), borax.clean_url("java\tscript:alert(1)")
/// ('https://example.com/me', None)
#[pyfunction]
#[pyo3(text_signature = "(url, /, policy=None)")]
#[pyo3(signature = (url, /, policy = None))]
pub(crate) fn clean_url(
    py: Python<'_>,
    url: &str,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    let policy = policy_arg(py, policy)?;
    Ok(borax::clean_url(url, &policy))
}

fn policy_arg(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<borax::Policy> {
    match policy {
        None => default_policy(py),
        Some(p) => {
            if let Ok(p) = p.cast::<PyPolicy>() {
                Ok(p.get().inner.clone())
            } else if let Ok(c) = p.cast::<Cleaner>() {
                Ok(c.get().policy.clone())
            } else {
                Err(PyTypeError::new_err(
                    "policy must be a borax.Policy or a borax.Cleaner",
                ))
            }
        }
    }
}

/// The module's nh3 constants, as fresh mutable Python objects (as nh3's).
pub(crate) fn add_constants(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ALLOWED_TAGS", PySet::new(py, TAGS)?)?;
    let attrs = PyDict::new(py);
    for (tag, a) in TAG_ATTRIBUTES {
        attrs.set_item(tag, PySet::new(py, *a)?)?;
    }
    m.add("ALLOWED_ATTRIBUTES", attrs)?;
    m.add("ALLOWED_URL_SCHEMES", PySet::new(py, URL_SCHEMES)?)?;
    m.add("CLEAN_CONTENT_TAGS", PySet::new(py, CLEAN_CONTENT_TAGS)?)?;
    Ok(())
}
