//! The nh3-compatible API: `clean`, `Cleaner`, `clean_text`/`escape`,
//! `is_html` and the `ALLOWED_*` constants, on borax policies.
//!
//! nh3's keywords are translated into a borax [`Policy`](borax::Policy)
//! once per distinct set of arguments: the module-level `clean()` keeps
//! the policies it built in a small cache (the default one is built once),
//! where nh3 builds a new ammonia `Builder` on every call with arguments.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyList, PySet, PyString, PyTuple};

use crate::callbacks::{has_scheme, is_url_list, Callable};
use crate::errors::{policy_error, PolicyError};
use crate::policy::{clean_many, clean_one, PyPolicy};

/// nh3's default lists (`ALLOWED_TAGS`, `ALLOWED_ATTRIBUTES`, the generic
/// attributes, `ALLOWED_URL_SCHEMES`): read from the library's `ammonia`
/// preset, the one home of ammonia's defaults, plus [`NH3_ONLY_ATTRIBUTES`].
pub(crate) struct Defaults {
    pub(crate) tags: Set,
    pub(crate) tag_attributes: BTreeMap<String, Set>,
    pub(crate) generic: Set,
    pub(crate) schemes: Set,
}

/// What nh3's `ALLOWED_ATTRIBUTES` lists beyond the `ammonia` preset: ammonia
/// 4.2.5's `Builder::default()` gives `tfoot` attributes although `tfoot` is
/// not an allowed tag, so they apply only when `tags` adds `tfoot`; the
/// preset leaves the entry out (it would allow nothing there). Checked
/// against the installed nh3's constants by `tests/test_nh3_compat.py`.
const NH3_ONLY_ATTRIBUTES: &[(&str, &[&str])] = &[("tfoot", &["align", "char", "charoff"])];

/// ammonia's default tags removed with their content (nh3's
/// `CLEAN_CONTENT_TAGS`). borax drops these (and every other raw-text
/// element) with their content whatever the policy says, so the `ammonia`
/// preset need not list them.
pub(crate) const CLEAN_CONTENT_TAGS: &[&str] = &["script", "style"];

pub(crate) fn defaults() -> &'static Defaults {
    static D: OnceLock<Defaults> = OnceLock::new();
    D.get_or_init(|| {
        let p = borax::Policy::ammonia();
        let mut tags = Set::new();
        let mut tag_attributes = BTreeMap::new();
        for (_, name, attrs) in p.allowed_elements() {
            tags.insert(name.to_owned());
            if !attrs.is_empty() {
                tag_attributes.insert(
                    name.to_owned(),
                    attrs.into_iter().map(String::from).collect(),
                );
            }
        }
        for (tag, attrs) in NH3_ONLY_ATTRIBUTES {
            tag_attributes.insert(tag.to_string(), strings(attrs));
        }
        Defaults {
            tags,
            tag_attributes,
            generic: p.global_attributes().map(String::from).collect(),
            schemes: p.url_schemes().map(String::from).collect(),
        }
    })
}

const DEFAULT_LINK_REL: &str = "noopener noreferrer";

type Set = BTreeSet<String>;

/// nh3's `url_relative`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Relative {
    Pass,
    Deny,
    Rewrite(String),
    /// `("rewrite_with_root", root, path)`.
    Root(String, String),
    /// A callable `(url) -> str | None`, for relative URLs.
    Custom(Callable),
}

/// The translated arguments: everything that decides the policy, in a
/// hashable form (the cache key; callables count by identity).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Options {
    tags: Option<Set>,
    clean_content_tags: Option<Set>,
    attributes: Option<BTreeMap<String, Set>>,
    attribute_filter: Option<Callable>,
    strip_comments: bool,
    link_rel: Option<String>,
    data_attributes: bool,
    tag_attribute_values: Option<BTreeMap<String, BTreeMap<String, Set>>>,
    url_schemes: Option<Set>,
    allowed_classes: Option<BTreeMap<String, Set>>,
    style_properties: Option<Set>,
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
            attribute_filter: None,
            strip_comments: true,
            link_rel: Some(DEFAULT_LINK_REL.to_owned()),
            data_attributes: false,
            tag_attribute_values: None,
            url_schemes: None,
            allowed_classes: None,
            style_properties: None,
            url_relative: Relative::Pass,
            id_prefix: None,
            prefixes: Set::new(),
            set_values: BTreeMap::new(),
        }
    }
}

/// The keywords nh3 takes, checked and translated. Nothing is ignored.
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
    filter_style_properties: Option<Set>,
    url_relative: Option<&Bound<'_, PyAny>>,
    id_prefix: Option<String>,
) -> PyResult<Options> {
    let attribute_filter = attribute_filter
        .map(|f| Callable::new("attribute_filter", f))
        .transpose()?;
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
        attribute_filter,
        strip_comments,
        link_rel,
        data_attributes,
        tag_attribute_values,
        url_schemes,
        allowed_classes,
        style_properties: filter_style_properties,
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
        let text = |i: usize, what: &str| -> PyResult<String> {
            t.get_item(i)?.extract().map_err(|_| {
                PyTypeError::new_err(format!("url_relative: the {what} must be a str"))
            })
        };
        return match (kind.as_deref(), t.len()) {
            (Some("rewrite_with_base"), 2) => {
                Ok(Relative::Rewrite(text(1, "base URL of rewrite_with_base")?))
            }
            (Some("rewrite_with_root"), 3) => Ok(Relative::Root(
                text(1, "root URL of rewrite_with_root")?,
                text(2, "path of rewrite_with_root")?,
            )),
            _ => Err(PyValueError::new_err(
                "invalid url_relative tuple; expected (\"rewrite_with_base\", base_url) or (\"rewrite_with_root\", root, path)",
            )),
        };
    }
    if v.is_callable() {
        return Ok(Relative::Custom(Callable::new("url_relative", v)?));
    }
    Err(PyTypeError::new_err(
        "url_relative must be \"pass_through\", \"deny\", a tuple or a callable",
    ))
}

fn strings(list: &[&str]) -> Set {
    list.iter().map(|s| s.to_string()).collect()
}

/// ammonia's `RewriteWithRoot { root, path }` as a URL hook: a relative URL
/// starting with `//` is resolved against `root`, `/` gives `root`, one
/// starting with `/` is resolved (without its `/`) against `root`, any other
/// against `root` joined with `path`. Resolution is the library's (the
/// WHATWG URL parser's, as for `rewrite_with_base`), through `clean_url`
/// with a rewriting policy; the result is then checked as any URL.
fn root_hook(
    root: &str,
    path: &str,
) -> PyResult<impl for<'v> Fn(&str, &str, &'v str) -> Option<Cow<'v, str>> + Send + Sync + 'static>
{
    // The resolved URLs have the root's scheme; the policy's own schemes
    // are checked afterwards, as for any URL.
    let scheme = root
        .trim()
        .split_once(':')
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    let rewrite = |base: &str| {
        borax::Policy::builder()
            .url_schemes([scheme.as_str()])
            .relative_urls(borax::RelativeUrls::Rewrite(base.to_owned()))
            .build()
            .map_err(|e| {
                PolicyError::new_err(format!(
                    "url_relative: rewrite_with_root needs an absolute root URL ({root:?}): {e}"
                ))
            })
    };
    let at_root = rewrite(root)?;
    let with_path = borax::clean_url(path, &at_root).ok_or_else(|| {
        PyValueError::new_err(format!(
            "url_relative: rewrite_with_root's path {path:?} does not resolve against {root:?}"
        ))
    })?;
    let at_path = rewrite(&with_path)?;
    Ok(url_hook(move |_el, attribute, url| {
        if is_url_list(attribute) || has_scheme(url) {
            return Some(Cow::Borrowed(url));
        }
        if url.trim_matches(|c: char| c <= ' ').is_empty() {
            return Some(Cow::Owned(with_path.clone())); // as `root.join(path).join("")`
        }
        let resolved = match url.as_bytes() {
            [b'/', b'/', ..] => borax::clean_url(url, &at_root),
            b"/" => borax::clean_url(".", &at_root),
            [b'/', ..] => borax::clean_url(&url[1..], &at_root),
            _ => borax::clean_url(url, &at_path),
        };
        resolved.map(Cow::Owned)
    }))
}

/// Gives a closure the higher-ranked signature of a URL hook.
fn url_hook<F>(f: F) -> F
where
    F: for<'v> Fn(&str, &str, &'v str) -> Option<Cow<'v, str>>,
{
    f
}

/// The borax policy for nh3's arguments.
fn build(py: Python<'_>, o: &Options) -> PyResult<borax::Policy> {
    let d = defaults();
    let tags = o.tags.clone().unwrap_or_else(|| d.tags.clone());
    let clean_content = o
        .clean_content_tags
        .clone()
        .unwrap_or_else(|| strings(CLEAN_CONTENT_TAGS));
    let (mut generic, mut tag_attrs) = match &o.attributes {
        None => (d.generic.clone(), d.tag_attributes.clone()),
        Some(map) => {
            let mut map = map.clone();
            let generic = map.remove("*").unwrap_or_else(|| d.generic.clone());
            (generic, map)
        }
    };
    // nh3 filters `style` only where `attributes` allows it; an empty
    // `filter_style_properties` leaves no declaration (nh3 writes `style=""`):
    // borax leaves the attribute out.
    if o.style_properties.as_ref().is_some_and(Set::is_empty) {
        generic.remove("style");
        for attrs in tag_attrs.values_mut() {
            attrs.remove("style");
        }
    }
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
    b = b.url_schemes(o.url_schemes.as_ref().unwrap_or(&d.schemes));
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
    // ammonia's allowed_classes: `class` allowed on each tag listed, with
    // that tag's classes only (tags not listed keep `class` as `attributes`
    // says, unfiltered).
    for (tag, classes) in o.allowed_classes.iter().flatten() {
        if !tags.contains(tag) {
            continue;
        }
        if generic.contains("class") || tag_attrs.get(tag).is_some_and(|a| a.contains("class")) {
            return Err(PolicyError::new_err(format!(
                "tag \"{tag}\" has \"class\" in `attributes` and an `allowed_classes` entry; \
                 leave \"class\" out of `attributes` to filter classes"
            )));
        }
        b = b.element(tag, ["class"]).element_classes(tag, classes);
    }
    if let Some(props) = o.style_properties.as_ref().filter(|p| !p.is_empty()) {
        b = b.style_properties(props);
    }
    b = b.relative_urls(match &o.url_relative {
        Relative::Deny => borax::RelativeUrls::Deny,
        Relative::Rewrite(base) => borax::RelativeUrls::Rewrite(base.clone()),
        Relative::Pass | Relative::Root(..) | Relative::Custom(_) => borax::RelativeUrls::Pass,
    });
    match &o.url_relative {
        Relative::Custom(f) => b = b.url_hook(f.clone().url_hook()),
        Relative::Root(root, path) => b = b.url_hook(root_hook(root, path)?),
        _ => {}
    }
    if let Some(f) = &o.attribute_filter {
        b = b.attribute_hook(f.clone().attribute_hook());
    }
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
/// (a few dozen distinct argument sets are kept; more clear it). Callables
/// count by identity, and an entry keeps its callables alive.
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
    // Evicted entries are dropped after the lock is released: they may hold
    // the last reference to a Python callable, whose finalizer could run
    // any Python code (even `borax.clean`, which takes this lock).
    let mut evicted = None;
    let mut replaced = None;
    if let Ok(mut c) = CACHE.lock() {
        let map = c.get_or_insert_with(HashMap::new);
        if map.len() >= CAPACITY {
            evicted = Some(std::mem::take(map));
        }
        replaced = map.insert(o, p.clone());
    }
    drop((evicted, replaced));
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
/// :param attribute_filter: ``f(tag, attribute, value) -> str | None``,
///     called for every attribute the policy allows by name; its result
///     (``None`` drops the attribute) is then checked like any input value,
///     so it cannot bring back an event handler or a ``javascript:`` URL.
///     Not called for the ``rel`` that ``link_rel`` sets, nor for
///     ``set_tag_attribute_values``. If it raises, or returns anything but
///     str or None (TypeError), ``clean`` raises that exception after the
///     walk (nh3 reports it to ``sys.unraisablehook`` and drops the
///     attribute).
/// :param strip_comments: remove HTML comments (default True).
/// :param link_rel: ``rel`` tokens set on every ``<a>`` and ``<area>``;
///     None turns it off (then ``rel`` may be an allowed attribute).
/// :param generic_attribute_prefixes: attribute-name prefixes allowed on
///     every tag (``{"data-"}``, ``{"aria-"}``; ``on`` is refused).
/// :param tag_attribute_values: ``{tag: {attribute: {value, ...}}}``: the
///     attribute is kept only with one of these values (exact match).
/// :param set_tag_attribute_values: ``{tag: {attribute: value}}``: set on
///     every kept ``tag`` whatever the input said (``on*`` and URL values the
///     policy would refuse are a PolicyError).
/// :param url_schemes: allowed URL schemes (set).
/// :param allowed_classes: ``{tag: {class, ...}}``: ``class`` allowed on
///     each tag with only those classes.
/// :param filter_style_properties: CSS properties kept in ``style``
///     attributes where ``attributes`` allows ``style``; values are checked
///     too (``expression()``, ``url(javascript:...)`` drop their
///     declaration) and a ``style`` left empty is removed.
/// :param url_relative: ``"pass_through"`` (default), ``"deny"``,
///     ``("rewrite_with_base", base_url)``, ``("rewrite_with_root", root,
///     path)``, or a callable ``f(url) -> str | None`` called for relative
///     URLs (its result is checked against ``url_schemes``; errors as for
///     ``attribute_filter``).
/// :param id_prefix: prefix for kept ``id`` (and ``name``) values.
/// :returns: the sanitized HTML.
/// :raises PolicyError: arguments borax refuses (a tag borax never emits,
///     such as ``script`` or ``iframe``; ``on*`` attributes; contradictions).
/// :raises CleanError: input over 10 MiB, or a tag with over 512 attributes.
/// :raises TypeError: a wrong argument type, or a callable's result that is
///     not str or None (any exception a callable raises is raised as is).
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
pub(crate) fn clean<'py>(
    py: Python<'py>,
    html: &Bound<'py, PyString>,
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
    filter_style_properties: Option<Set>,
    url_relative: Option<&Bound<'_, PyAny>>,
    id_prefix: Option<String>,
) -> PyResult<Bound<'py, PyString>> {
    // The common call, `clean(html)`: no options to translate or look up.
    let all_default = tags.is_none()
        && clean_content_tags.is_none()
        && attributes.is_none()
        && attribute_filter.is_none()
        && strip_comments
        && link_rel.as_deref() == Some(DEFAULT_LINK_REL)
        && generic_attribute_prefixes.is_none()
        && tag_attribute_values.is_none()
        && set_tag_attribute_values.is_none()
        && url_schemes.is_none()
        && allowed_classes.is_none()
        && filter_style_properties.is_none()
        && url_relative.is_none()
        && id_prefix.is_none();
    if all_default {
        return clean_one(py, &default_policy(py)?, html);
    }
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
    clean_one(py, &policy, html)
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
        filter_style_properties: Option<Set>,
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
    fn clean<'py>(
        &self,
        py: Python<'py>,
        html: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyString>> {
        clean_one(py, &self.policy, html)
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

    /// Pickled as its policy; a Cleaner with an ``attribute_filter``, a
    /// callable ``url_relative`` or ``rewrite_with_root`` cannot be
    /// pickled (TypeError).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        crate::policy::picklable_json(py, &self.policy)?;
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
            let out = clean_one(py, &policy, &PyString::new(py, &html))?;
            Ok(out.to_cow()?.into_owned())
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
    let d = defaults();
    m.add("ALLOWED_TAGS", PySet::new(py, &d.tags)?)?;
    let attrs = PyDict::new(py);
    for (tag, a) in &d.tag_attributes {
        attrs.set_item(tag, PySet::new(py, a)?)?;
    }
    m.add("ALLOWED_ATTRIBUTES", attrs)?;
    m.add("ALLOWED_URL_SCHEMES", PySet::new(py, &d.schemes)?)?;
    m.add("CLEAN_CONTENT_TAGS", PySet::new(py, CLEAN_CONTENT_TAGS)?)?;
    Ok(())
}
