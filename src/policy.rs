//! The policy: what may pass. Built once, validated, then immutable.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use html5ever::LocalName;

use crate::error::PolicyError;
use crate::url::RelativeUrls;

/// The namespace an element lives in after parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Namespace {
    /// HTML elements: `http://www.w3.org/1999/xhtml`.
    Html,
    /// SVG elements: `http://www.w3.org/2000/svg`.
    Svg,
    /// MathML elements: `http://www.w3.org/1998/Math/MathML`.
    MathMl,
}

impl Namespace {
    /// The short name used in policy files: `html`, `svg` or `math`.
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Html => "html",
            Namespace::Svg => "svg",
            Namespace::MathMl => "math",
        }
    }

    /// The namespace URI.
    pub fn uri(self) -> &'static str {
        match self {
            Namespace::Html => "http://www.w3.org/1999/xhtml",
            Namespace::Svg => "http://www.w3.org/2000/svg",
            Namespace::MathMl => "http://www.w3.org/1998/Math/MathML",
        }
    }

    /// Read `html`, `svg`, `math`/`mathml` or a namespace URI.
    pub fn parse(text: &str) -> Option<Namespace> {
        match text {
            "html" | "http://www.w3.org/1999/xhtml" => Some(Namespace::Html),
            "svg" | "http://www.w3.org/2000/svg" => Some(Namespace::Svg),
            "math" | "mathml" | "http://www.w3.org/1998/Math/MathML" => Some(Namespace::MathMl),
            _ => None,
        }
    }
}

/// An element name with its namespace, as written in a policy: `b`,
/// `svg:circle`, `math:mi`. The names `svg` and `math` alone mean the root
/// elements of those namespaces.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ElementName {
    pub(crate) ns: Namespace,
    /// Lowercase.
    pub(crate) name: String,
}

impl ElementName {
    pub(crate) fn parse(text: &str) -> Result<ElementName, PolicyError> {
        let invalid = || PolicyError::Invalid {
            what: "element name",
            value: text.to_owned(),
        };
        let (ns, name) = match text.split_once(':') {
            Some((prefix, name)) => (Namespace::parse(prefix).ok_or_else(invalid)?, name),
            None => match text.to_ascii_lowercase().as_str() {
                "svg" => (Namespace::Svg, text),
                "math" => (Namespace::MathMl, text),
                _ => (Namespace::Html, text),
            },
        };
        if !valid_name(name) {
            return Err(invalid());
        }
        Ok(ElementName {
            ns,
            name: name.to_ascii_lowercase(),
        })
    }

    pub(crate) fn with_ns(ns: Namespace, text: &str) -> Result<ElementName, PolicyError> {
        if !valid_name(text) {
            return Err(PolicyError::Invalid {
                what: "element name",
                value: text.to_owned(),
            });
        }
        Ok(ElementName {
            ns,
            name: text.to_ascii_lowercase(),
        })
    }
}

impl fmt::Display for ElementName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.ns, self.name.as_str()) {
            // Bare `svg` and `math` mean the foreign roots, so an HTML
            // element of that name keeps its prefix.
            (Namespace::Html, n @ ("svg" | "math")) => write!(f, "html:{n}"),
            (Namespace::Html, n)
            | (Namespace::Svg, n @ "svg")
            | (Namespace::MathMl, n @ "math") => f.write_str(n),
            (ns, n) => write!(f, "{}:{n}", ns.as_str()),
        }
    }
}

/// Names borax accepts in a policy: ASCII letters, digits, `-`, `_`, `.`
/// and (for attributes) one `:`; starting with a letter.
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn valid_attribute(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => matches!(prefix, "xlink" | "xml" | "xmlns") && valid_name(local),
        None => valid_name(name),
    }
}

/// Elements dropped together with their content unless the policy allows
/// them, and why each is here.
pub(crate) const DEFAULT_REMOVE: &[(&str, &str)] = &[
    ("script", "runs code; its text is code, not content"),
    ("style", "CSS is not sanitized, and its text is raw text"),
    (
        "template",
        "inert content that scripts on the page may clone and activate",
    ),
    ("iframe", "embeds another document; its text is raw text"),
    ("object", "embeds plugins and documents"),
    ("embed", "embeds plugins and documents"),
    ("applet", "embeds plugins"),
    (
        "noscript",
        "raw text when scripting is on, markup when off: the parses differ",
    ),
    ("noembed", "raw text: its content was never markup"),
    ("noframes", "raw text: its content was never markup"),
    ("xmp", "raw text: its content was never markup"),
    ("plaintext", "swallows the rest of the page as text"),
    ("title", "RCDATA, and a document's title is not content"),
    ("textarea", "RCDATA: its content was never markup"),
    (
        "select",
        "its content model differs between browsers (customizable select)",
    ),
    ("frame", "embeds another document"),
    ("frameset", "replaces the page body"),
    (
        "svg",
        "a separate namespace with its own scripting and parsing rules",
    ),
    ("math", "a separate namespace with its own parsing rules"),
];

/// Elements no policy may allow: they execute script, are parsed as raw text
/// (so their text would be emitted unescaped), or change how the rest of the
/// page is parsed.
pub(crate) const UNSAFE_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "applet",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "title",
    "textarea",
    "select",
    "frame",
    "frameset",
    "base",
    "meta",
    "link",
    "param",
    "html",
    "head",
    "body",
    "image",
];

/// SVG and MathML elements no policy may allow, whatever the namespace: the
/// names HTML parses as script, raw text or RCDATA, and SVG Tiny's event
/// elements. [`foreign_refusal`] says why for each.
///
/// In SVG and MathML these elements hold markup, in HTML text. Sanitizing
/// judges the tree of one parse, but the page parses the output again: if
/// that parse puts the element in HTML (a namespace confusion, the mXSS
/// family of `<svg></p><style><a id="</style><img ...>">`), an end tag that
/// was harmless text inside an attribute value closes it and what follows
/// is live markup. Refusing the names in every namespace is a second layer
/// behind the walker's namespace check.
pub(crate) const UNSAFE_FOREIGN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "textarea",
    "title",
    "handler",
    "listener",
];

/// Why a foreign (SVG or MathML) element cannot be allowed, or `None`.
///
/// The one exception is `svg:title`: an SVG HTML integration point that
/// gives graphics their accessible name and tooltip. It is never RCDATA in
/// SVG, and the walker judges every element in the namespace the parse gives
/// it, so it is only kept where a browser's re-parse also makes it SVG.
/// `math:title` has no such use and is refused. `svg:style` and `math:style`
/// are refused: SVG `<style>` applies its CSS to the whole page.
pub(crate) fn foreign_refusal(ns: Namespace, name: &str) -> Option<&'static str> {
    const RAW_TEXT: &str = "HTML parses it as raw text or RCDATA, SVG and MathML as markup: \
         if a re-parse puts it in HTML (namespace confusion, mXSS), an end tag \
         hidden in an attribute value closes it and what follows becomes live markup";
    let why = match (ns, name) {
        (Namespace::Html, _) | (Namespace::Svg, "title") => return None,
        (Namespace::Svg, "script") => "SVG <script> runs code",
        (Namespace::MathMl, "script") => {
            "its text is code: inert in MathML, but run if a re-parse \
             (namespace confusion) puts it in HTML or SVG"
        }
        (Namespace::Svg, "style") => {
            "SVG <style> applies its CSS (never sanitized) to the whole page, \
             and HTML parses it as raw text: a re-parse that puts it in HTML \
             (namespace confusion, mXSS) turns text hidden in an attribute into live markup"
        }
        (Namespace::MathMl, "style") => {
            "a re-parse that puts it in HTML or SVG (namespace confusion) applies \
             its CSS (never sanitized) to the whole page, and HTML parses it as raw \
             text: text hidden in an attribute becomes live markup (mXSS)"
        }
        (_, "handler" | "listener") => "SVG Tiny's event elements run script",
        (_, n) if UNSAFE_FOREIGN_ELEMENTS.contains(&n) => RAW_TEXT,
        _ => return None,
    };
    Some(why)
}

/// Why an element (any namespace) cannot be allowed, or `None`.
pub(crate) fn refusal(name: &ElementName) -> Option<&'static str> {
    match name.ns {
        Namespace::Html => UNSAFE_ELEMENTS.contains(&name.name.as_str()).then(|| {
            DEFAULT_REMOVE.iter().find(|(n, _)| *n == name.name).map_or(
                "it changes how the rest of the page is parsed",
                |(_, why)| why,
            )
        }),
        Namespace::Svg | Namespace::MathMl => foreign_refusal(name.ns, &name.name),
    }
}

/// If this element is dropped with its content whenever it is not allowed
/// (the elements of [`DEFAULT_REMOVE`], whose `svg` and `math` are the
/// foreign roots): why.
pub(crate) fn always_removed(name: &ElementName) -> Option<&'static str> {
    let html_or_root = match name.name.as_str() {
        "svg" => name.ns == Namespace::Svg,
        "math" => name.ns == Namespace::MathMl,
        _ => name.ns == Namespace::Html,
    };
    if !html_or_root {
        return None;
    }
    DEFAULT_REMOVE
        .iter()
        .find(|(n, _)| *n == name.name)
        .map(|(_, why)| *why)
}

/// The user-facing configuration. Everything a policy file can say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Config {
    pub(crate) elements: BTreeMap<ElementName, BTreeSet<String>>,
    pub(crate) remove_elements: BTreeSet<ElementName>,
    pub(crate) replace_with_children: BTreeSet<ElementName>,
    pub(crate) attributes: BTreeSet<String>,
    pub(crate) comments: bool,
    pub(crate) data_attributes: bool,
    pub(crate) url_schemes: BTreeSet<String>,
    pub(crate) attribute_url_schemes: BTreeMap<(String, String), BTreeSet<String>>,
    pub(crate) relative_urls: RelativeUrls,
    pub(crate) link_rel: Vec<String>,
    pub(crate) attribute_values: BTreeMap<(String, String), BTreeSet<String>>,
    pub(crate) classes: Option<BTreeSet<String>>,
    pub(crate) id_prefix: Option<String>,
    pub(crate) max_depth: usize,
    pub(crate) max_input_bytes: usize,
    pub(crate) escape_disallowed: bool,
}

/// Default nesting cap: half of the 512 at which Chromium and WebKit flatten.
pub const DEFAULT_MAX_DEPTH: usize = 256;
/// Highest nesting cap a policy may set (browsers flatten at 512).
pub const MAX_DEPTH_LIMIT: usize = 500;
/// Highest input limit a policy may set: 1 GiB (node ids are 32-bit).
pub const MAX_INPUT_BYTES_LIMIT: usize = 1 << 30;
/// Default input limit: 10 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 10 << 20;

impl Default for Config {
    fn default() -> Config {
        Config {
            elements: BTreeMap::new(),
            remove_elements: BTreeSet::new(),
            replace_with_children: BTreeSet::new(),
            attributes: BTreeSet::new(),
            comments: false,
            data_attributes: false,
            url_schemes: ["http", "https", "mailto"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            relative_urls: RelativeUrls::Pass,
            link_rel: Vec::new(),
            attribute_values: BTreeMap::new(),
            attribute_url_schemes: BTreeMap::new(),
            classes: None,
            id_prefix: None,
            max_depth: DEFAULT_MAX_DEPTH,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            escape_disallowed: false,
        }
    }
}

/// A fast hasher for policy lookups. Keys are interned names whose `Hash`
/// writes a precomputed 64-bit hash, so mixing that is enough; tables are
/// built from the (trusted) policy, attackers only look names up.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    #[inline]
    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Key for compiled lookups: namespace + lowercase local name atom.
pub(crate) type Key = (Namespace, LocalName);

/// What the cleaner does with an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Disposition {
    Keep,
    Unwrap,
    Drop,
}

/// The compiled form used on the hot path.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) config: Config,
    pub(crate) allowed: FastMap<Key, Vec<LocalName>>,
    pub(crate) remove: FastMap<Key, ()>,
    pub(crate) global: Vec<LocalName>,
    pub(crate) schemes: Vec<String>,
    pub(crate) attr_schemes: FastMap<(LocalName, LocalName), Vec<String>>,
    pub(crate) base: Option<::url::Url>,
    pub(crate) values: FastMap<(LocalName, LocalName), Vec<String>>,
    pub(crate) rel: Option<String>,
}

impl Compiled {
    /// See [`Policy::expansion`].
    pub(crate) fn expansion(&self) -> usize {
        let rel = self.rel.as_ref().map_or(0, |r| r.len() + 7);
        let prefix = self.config.id_prefix.as_ref().map_or(0, String::len);
        // The base as the URL parser normalised it (percent-encoded).
        let base = self.base.as_ref().map_or(0, |u| u.as_str().len());
        rel + prefix + base
    }

    pub(crate) fn disposition(&self, key: &Key) -> Disposition {
        if self.allowed.contains_key(key) {
            Disposition::Keep
        } else if self.remove.contains_key(key) {
            Disposition::Drop
        } else {
            Disposition::Unwrap
        }
    }

    /// The schemes for attribute `attr` of element `elem` (lowercase names).
    pub(crate) fn schemes_for(&self, elem: &LocalName, attr: &LocalName) -> &[String] {
        if self.attr_schemes.is_empty() {
            return &self.schemes;
        }
        self.attr_schemes
            .get(&(elem.clone(), attr.clone()))
            .or_else(|| self.attr_schemes.get(&(LocalName::from("*"), attr.clone())))
            .map_or(&self.schemes, |v| v.as_slice())
    }

    /// Is attribute `attr` (serialized name, lowercase) allowed on `key`?
    pub(crate) fn attribute_allowed(&self, key: &Key, attr: &LocalName) -> bool {
        if self.global.contains(attr) {
            return true;
        }
        if let Some(list) = self.allowed.get(key) {
            if list.contains(attr) {
                return true;
            }
        }
        self.config.data_attributes && is_data_attribute(attr)
    }
}

pub(crate) fn is_data_attribute(name: &str) -> bool {
    name.strip_prefix("data-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

/// A validated, immutable sanitizing policy.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`: build it once and share it
/// between threads. Make one with a preset ([`Policy::comments`],
/// [`Policy::basic`], [`Policy::relaxed`], [`Policy::text`]), with
/// [`Policy::builder`], from the allowed-HTML notation
/// ([`Policy::from_notation`]) or from a policy file
/// ([`Policy::from_toml_str`], [`Policy::from_json_str`]).
#[derive(Clone)]
pub struct Policy {
    pub(crate) inner: Arc<Compiled>,
}

impl PartialEq for Policy {
    fn eq(&self, other: &Policy) -> bool {
        self.inner.config == other.inner.config
    }
}

impl Eq for Policy {}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Policy").field(&self.inner.config).finish()
    }
}

impl Default for Policy {
    /// The `comments` preset.
    fn default() -> Policy {
        Policy::comments()
    }
}

/// Builds a [`Policy`]. Every setter takes and returns the builder; nothing
/// is checked until [`build`](PolicyBuilder::build).
#[derive(Clone, Debug, Default)]
pub struct PolicyBuilder {
    config: Config,
    errors: Vec<PolicyError>,
}

impl PolicyBuilder {
    pub(crate) fn from_config(config: Config) -> PolicyBuilder {
        PolicyBuilder {
            config,
            errors: Vec::new(),
        }
    }

    fn name(&mut self, text: &str) -> Option<ElementName> {
        match ElementName::parse(text) {
            Ok(n) => Some(n),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// `*` (every element) or a valid element name, lowercase.
    fn element_or_any(&mut self, element: &str) -> Option<String> {
        if element == "*" {
            Some("*".to_owned())
        } else {
            self.name(element).map(|n| n.name)
        }
    }

    fn attr_names<I, S>(&mut self, attrs: I) -> BTreeSet<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = BTreeSet::new();
        for a in attrs {
            let a = a.as_ref();
            if valid_attribute(a) {
                out.insert(a.to_ascii_lowercase());
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "attribute name",
                    value: a.to_owned(),
                });
            }
        }
        out
    }

    /// Allow elements, with no attributes of their own.
    ///
    /// Names are HTML elements unless prefixed `svg:` or `math:`; `svg` and
    /// `math` alone are the roots of those namespaces.
    ///
    /// # Default
    /// No elements: everything is unwrapped to its text.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b", "i"]).build().unwrap();
    /// assert_eq!(p.clean("<b>bold</b> <u>under</u>"), "<b>bold</b> under");
    /// ```
    pub fn elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                self.config.elements.entry(name).or_default();
            }
        }
        self
    }

    /// Allow one element with these attributes (added to any it already has).
    ///
    /// # Default
    /// No elements.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("abbr", ["title"]).build().unwrap();
    /// assert_eq!(
    ///     p.clean(r#"<abbr title="HyperText" class="x">HTML</abbr>"#),
    ///     r#"<abbr title="HyperText">HTML</abbr>"#
    /// );
    /// ```
    pub fn element<I, S>(mut self, name: &str, attributes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let attrs = self.attr_names(attributes);
        if let Some(name) = self.name(name) {
            self.config.elements.entry(name).or_default().extend(attrs);
        }
        self
    }

    /// Drop these elements together with all their content.
    ///
    /// # Default
    /// Always dropped with content, whatever this list says: `script`,
    /// `style`, `template`, `iframe`, `object`, `embed`, `applet`,
    /// `noscript`, `noembed`, `noframes`, `xmp`, `plaintext`, `title`,
    /// `textarea`, `select`, `frame`, `frameset`, and `svg` and `math` unless
    /// allowed. Other disallowed elements are unwrapped.
    ///
    /// ```
    /// let p = borax::Policy::builder().remove_elements(["aside"]).build().unwrap();
    /// assert_eq!(p.clean("a<aside>note</aside>b<span>c</span>"), "abc");
    /// ```
    pub fn remove_elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                self.config.remove_elements.insert(name);
            }
        }
        self
    }

    /// Unwrap these elements: the element goes, its cleaned children stay.
    /// This is what happens to every element not listed anywhere; listing one
    /// here documents the intent and makes allowing it a contradiction.
    ///
    /// # Default
    /// Empty.
    ///
    /// ```
    /// let p = borax::Policy::builder().replace_with_children_elements(["span"]).build().unwrap();
    /// assert_eq!(p.clean("<span>text</span>"), "text");
    /// ```
    pub fn replace_with_children_elements<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for n in names {
            if let Some(name) = self.name(n.as_ref()) {
                self.config.replace_with_children.insert(name);
            }
        }
        self
    }

    /// Allow these attributes on every allowed element.
    ///
    /// # Default
    /// None.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).attributes(["title"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<b title="t" id="x">b</b>"#), r#"<b title="t">b</b>"#);
    /// ```
    pub fn attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let attrs = self.attr_names(names);
        self.config.attributes.extend(attrs);
        self
    }

    /// Keep HTML comments.
    ///
    /// # Default
    /// `false`: comments are removed. Comments whose text could be read
    /// differently by another parser (containing `--`, `<!-`, or starting
    /// with `>`) are removed even when comments are allowed.
    ///
    /// ```
    /// let p = borax::Policy::builder().comments(true).build().unwrap();
    /// assert_eq!(p.clean("a<!-- note -->b"), "a<!-- note -->b");
    /// ```
    pub fn comments(mut self, allow: bool) -> Self {
        self.config.comments = allow;
        self
    }

    /// Allow `data-*` attributes on every allowed element.
    ///
    /// # Default
    /// `false`.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).data_attributes(true).build().unwrap();
    /// assert_eq!(p.clean(r#"<b data-x="1">b</b>"#), r#"<b data-x="1">b</b>"#);
    /// ```
    pub fn data_attributes(mut self, allow: bool) -> Self {
        self.config.data_attributes = allow;
        self
    }

    /// The URL schemes allowed in URL attributes (`href`, `src`, `cite`,
    /// `srcset`, ...), replacing the current list.
    ///
    /// # Default
    /// `http`, `https`, `mailto`.
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("a", ["href"]).url_schemes(["https"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="http://x">x</a>"#), "<a>x</a>");
    /// assert_eq!(p.clean(r#"<a href="https://x">x</a>"#), r#"<a href="https://x">x</a>"#);
    /// ```
    pub fn url_schemes<I, S>(mut self, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.config.url_schemes = self.schemes(schemes);
        self
    }

    fn schemes<I, S>(&mut self, schemes: I) -> BTreeSet<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = BTreeSet::new();
        for s in schemes {
            let s = s.as_ref();
            let ok = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if ok {
                out.insert(s.to_ascii_lowercase());
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "URL scheme",
                    value: s.to_owned(),
                });
            }
        }
        out
    }

    /// URL schemes for one attribute of one element, replacing the policy's
    /// list there (`element` may be `*`).
    ///
    /// # Default
    /// None: every URL attribute uses [`url_schemes`](Self::url_schemes).
    ///
    /// ```
    /// let p = borax::Policy::builder()
    ///     .element("a", ["href"]).element("img", ["src"])
    ///     .attribute_url_schemes("img", "src", ["https"])
    ///     .build().unwrap();
    /// assert_eq!(p.clean(r#"<img src="mailto:x">"#), "<img>");
    /// assert_eq!(p.clean(r#"<a href="mailto:x">m</a>"#), r#"<a href="mailto:x">m</a>"#);
    /// ```
    pub fn attribute_url_schemes<I, S>(mut self, element: &str, attribute: &str, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(element) = self.element_or_any(element) else {
            return self;
        };
        let set = self.schemes(schemes);
        if let Some(attr) = self.attr_names([attribute]).into_iter().next() {
            self.config
                .attribute_url_schemes
                .insert((element, attr), set);
        }
        self
    }

    /// What to do with relative URLs.
    ///
    /// With [`RelativeUrls::Rewrite`](crate::RelativeUrls::Rewrite) every URL
    /// is resolved against the base the way a browser resolves it and
    /// written resolved, absolute ones too: `https:x` is relative to an
    /// `https` base (as a browser reads it against an `https` page).
    ///
    /// # Default
    /// [`RelativeUrls::Pass`](crate::RelativeUrls::Pass): kept as written
    /// (protocol-relative `//host` only when both `http` and `https` are
    /// allowed).
    ///
    /// ```
    /// use borax::{Policy, RelativeUrls};
    /// let p = Policy::builder().element("a", ["href"])
    ///     .relative_urls(RelativeUrls::Rewrite("https://blog.example/post/".into()))
    ///     .build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="../about">x</a>"#), r#"<a href="https://blog.example/about">x</a>"#);
    /// assert_eq!(p.clean(r#"<a href="https:evil.example">x</a>"#), r#"<a href="https://blog.example/post/evil.example">x</a>"#);
    /// assert_eq!(p.clean(r#"<a href="HTTP://Example.COM">x</a>"#), r#"<a href="http://example.com/">x</a>"#);
    /// ```
    pub fn relative_urls(mut self, rule: RelativeUrls) -> Self {
        self.config.relative_urls = rule;
        self
    }

    /// `rel` tokens set on every kept `<a>` and `<area>` (replacing any
    /// `rel` in the input). An empty list turns this off.
    ///
    /// # Default
    /// Empty (the `comments` preset sets `nofollow ugc`).
    ///
    /// ```
    /// let p = borax::Policy::builder().element("a", ["href"]).link_rel(["nofollow"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<a href="https://x">x</a>"#), r#"<a href="https://x" rel="nofollow">x</a>"#);
    /// ```
    pub fn link_rel<I, S>(mut self, tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.config.link_rel.clear();
        for t in tokens {
            let t = t.as_ref();
            if valid_name(t) {
                let t = t.to_ascii_lowercase();
                if !self.config.link_rel.contains(&t) {
                    self.config.link_rel.push(t);
                }
            } else {
                self.errors.push(PolicyError::Invalid {
                    what: "rel token",
                    value: t.to_owned(),
                });
            }
        }
        self
    }

    /// Restrict an attribute to a list of values (exact match). `element`
    /// may be `*` for every element. The attribute must also be allowed.
    ///
    /// # Default
    /// No restriction.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("ol", ["type"])
    ///     .attribute_values("ol", "type", ["1", "a"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<ol type="a"></ol><ol type="x"></ol>"#), r#"<ol type="a"></ol><ol></ol>"#);
    /// ```
    pub fn attribute_values<I, S>(mut self, element: &str, attribute: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let Some(element) = self.element_or_any(element) else {
            return self;
        };
        let attrs = self.attr_names([attribute]);
        if let Some(attr) = attrs.into_iter().next() {
            self.config
                .attribute_values
                .entry((element, attr))
                .or_default()
                .extend(values.into_iter().map(|v| v.as_ref().to_owned()));
        }
        self
    }

    /// Allow only these class names in `class` attributes (the `class`
    /// attribute itself must be allowed too); other tokens are removed.
    ///
    /// # Default
    /// Not set: any class passes where `class` is allowed.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("code", ["class"])
    ///     .classes(["lang-rust"]).build().unwrap();
    /// assert_eq!(p.clean(r#"<code class="lang-rust evil">x</code>"#), r#"<code class="lang-rust">x</code>"#);
    /// ```
    pub fn classes<I, S>(mut self, classes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let set = self.config.classes.get_or_insert_with(BTreeSet::new);
        for c in classes {
            let c = c.as_ref();
            if c.is_empty() || c.chars().any(|ch| ch.is_ascii_whitespace()) {
                self.errors.push(PolicyError::Invalid {
                    what: "class name",
                    value: c.to_owned(),
                });
            } else {
                set.insert(c.to_owned());
            }
        }
        self
    }

    /// Prefix every kept `id` and `name` value, so user content cannot
    /// clobber the page's own ids or `window`/`document` properties.
    ///
    /// # Default
    /// No prefix.
    ///
    /// ```
    /// let p = borax::Policy::builder().element("h2", ["id"]).id_prefix("user-").build().unwrap();
    /// assert_eq!(p.clean(r#"<h2 id="intro">x</h2>"#), r#"<h2 id="user-intro">x</h2>"#);
    /// ```
    pub fn id_prefix(mut self, prefix: &str) -> Self {
        // An id holds no whitespace, and a control character (NUL above
        // all, which parsers replace) would not read back as written.
        if prefix
            .chars()
            .any(|c| c.is_control() || c.is_ascii_whitespace())
        {
            self.errors.push(PolicyError::Invalid {
                what: "id prefix (no whitespace or control characters)",
                value: prefix.to_owned(),
            });
            return self;
        }
        self.config.id_prefix = if prefix.is_empty() {
            None
        } else {
            Some(prefix.to_owned())
        };
        self
    }

    /// Maximum nesting depth of the output. Deeper elements are unwrapped
    /// (their text is kept), and the parser ignores start tags past it.
    ///
    /// # Default
    /// 256 (browsers flatten at 512; at most 500 is accepted).
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).max_depth(2).build().unwrap();
    /// assert_eq!(p.clean("<b><b><b>deep</b></b></b>"), "<b><b>deep</b></b>");
    /// ```
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.config.max_depth = depth;
        self
    }

    /// Largest input accepted, in bytes; larger input is an error
    /// ([`CleanError::InputTooLarge`](crate::CleanError::InputTooLarge)),
    /// never a truncation.
    ///
    /// # Default
    /// 10 MiB (at most 1 GiB is accepted).
    ///
    /// ```
    /// let p = borax::Policy::builder().max_input_bytes(4).build().unwrap();
    /// assert!(p.try_clean("12345").is_err());
    /// assert_eq!(p.try_clean("1234").unwrap(), "1234");
    /// ```
    pub fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.config.max_input_bytes = bytes;
        self
    }

    /// Show disallowed tags as visible text instead of removing them (like
    /// bleach's `strip=False`).
    ///
    /// The tag text is rebuilt from the parsed token, not copied from the
    /// input: names are lowercased, attribute values are double-quoted with
    /// `&` and `"` escaped, duplicate attributes are gone, and end tags are
    /// written where the parser closed the element (also when the input
    /// left it open). Content of elements dropped by default (`script`, ...)
    /// is shown as text too; comments are still removed.
    ///
    /// # Default
    /// `false`.
    ///
    /// ```
    /// let p = borax::Policy::builder().elements(["b"]).escape_disallowed(true).build().unwrap();
    /// assert_eq!(p.clean("<b>x</b><u class=k>y</u>"), "<b>x</b>&lt;u class=\"k\"&gt;y&lt;/u&gt;");
    /// ```
    pub fn escape_disallowed(mut self, escape: bool) -> Self {
        self.config.escape_disallowed = escape;
        self
    }

    /// Validate and freeze the policy.
    ///
    /// Errors: invalid names, an element both allowed and listed for removal
    /// or unwrapping, an element or attribute borax never emits (`script`,
    /// `style`, raw-text elements, `on*` handlers, ...), `rel` allowed while
    /// [`link_rel`](Self::link_rel) is set, a depth over 500, an invalid
    /// rewrite base.
    pub fn build(self) -> Result<Policy, PolicyError> {
        if let Some(e) = self.errors.into_iter().next() {
            return Err(e);
        }
        let config = self.config;
        for name in config.elements.keys() {
            if let Some(why) = refusal(name) {
                return Err(PolicyError::UnsafeElement {
                    element: name.to_string(),
                    why,
                });
            }
            if config.remove_elements.contains(name) {
                return Err(PolicyError::Contradiction {
                    element: name.to_string(),
                    list: "removeElements",
                });
            }
            if config.replace_with_children.contains(name) {
                return Err(PolicyError::Contradiction {
                    element: name.to_string(),
                    list: "replaceWithChildrenElements",
                });
            }
        }
        // Allowed ones were refused above as contradictions.
        for name in &config.replace_with_children {
            if let Some(why) = always_removed(name) {
                return Err(PolicyError::DroppedWithContent {
                    element: name.to_string(),
                    list: "replaceWithChildrenElements",
                    can_be_allowed: refusal(name).is_none(),
                    why,
                });
            }
        }
        let all_attrs = config
            .elements
            .values()
            .flatten()
            .chain(config.attributes.iter())
            .chain(config.attribute_values.keys().map(|(_, a)| a));
        for attr in all_attrs {
            if attr.starts_with("on") {
                return Err(PolicyError::UnsafeAttribute {
                    attribute: attr.clone(),
                    why: "event handler attributes run script",
                });
            }
            if attr == "srcdoc" {
                return Err(PolicyError::UnsafeAttribute {
                    attribute: attr.clone(),
                    why: "holds a whole document",
                });
            }
        }
        if !config.link_rel.is_empty() {
            let rel_allowed = config.attributes.contains("rel")
                || config
                    .attribute_values
                    .keys()
                    .any(|(e, a)| a == "rel" && matches!(e.as_str(), "a" | "area" | "*"))
                || config.elements.iter().any(|(n, a)| {
                    n.ns == Namespace::Html
                        && matches!(n.name.as_str(), "a" | "area")
                        && a.contains("rel")
                });
            if rel_allowed {
                return Err(PolicyError::RelConflict);
            }
        }
        if config.max_input_bytes > MAX_INPUT_BYTES_LIMIT {
            return Err(PolicyError::Invalid {
                what: "max input bytes (at most 1 GiB)",
                value: config.max_input_bytes.to_string(),
            });
        }
        if config.max_depth == 0 || config.max_depth > MAX_DEPTH_LIMIT {
            return Err(PolicyError::Invalid {
                what: "max depth (1..=500)",
                value: config.max_depth.to_string(),
            });
        }
        let base = match &config.relative_urls {
            RelativeUrls::Rewrite(b) => match ::url::Url::parse(b) {
                Ok(u) if !u.cannot_be_a_base() => Some(u),
                _ => {
                    return Err(PolicyError::Invalid {
                        what: "base URL for relative URLs",
                        value: b.clone(),
                    })
                }
            },
            RelativeUrls::Deny | RelativeUrls::Pass => None,
        };
        Ok(Policy {
            inner: Arc::new(compile(config, base)),
        })
    }
}

fn compile(config: Config, base: Option<::url::Url>) -> Compiled {
    let key = |n: &ElementName| (n.ns, LocalName::from(n.name.as_str()));
    let allowed = config
        .elements
        .iter()
        .map(|(n, attrs)| {
            (
                key(n),
                attrs.iter().map(|a| LocalName::from(a.as_str())).collect(),
            )
        })
        .collect();
    let mut remove: FastMap<Key, ()> = config
        .remove_elements
        .iter()
        .map(|n| (key(n), ()))
        .collect();
    for (name, _) in DEFAULT_REMOVE {
        let n = ElementName::parse(name).expect("default names are valid");
        if !config.elements.contains_key(&n) {
            remove.insert(key(&n), ());
        }
    }
    let values = config
        .attribute_values
        .iter()
        .map(|((e, a), v)| {
            (
                (LocalName::from(e.as_str()), LocalName::from(a.as_str())),
                v.iter().cloned().collect(),
            )
        })
        .collect();
    let rel = if config.link_rel.is_empty() {
        None
    } else {
        Some(config.link_rel.join(" "))
    };
    Compiled {
        global: config
            .attributes
            .iter()
            .map(|a| LocalName::from(a.as_str()))
            .collect(),
        schemes: config.url_schemes.iter().cloned().collect(),
        attr_schemes: config
            .attribute_url_schemes
            .iter()
            .map(|((e, a), v)| {
                (
                    (LocalName::from(e.as_str()), LocalName::from(a.as_str())),
                    v.iter().cloned().collect(),
                )
            })
            .collect(),
        allowed,
        remove,
        base,
        values,
        rel,
        config,
    }
}

impl Policy {
    /// An empty builder: no elements, the default URL schemes
    /// (`http`, `https`, `mailto`), relative URLs passed, depth 256.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// A builder holding this policy's settings, to derive a new policy.
    ///
    /// ```
    /// let p = borax::Policy::comments().to_builder().elements(["p"]).build().unwrap();
    /// assert_eq!(p.clean("<p><b>x</b></p>"), "<p><b>x</b></p>");
    /// ```
    pub fn to_builder(&self) -> PolicyBuilder {
        PolicyBuilder::from_config(self.inner.config.clone())
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Is this element kept (namespace as the parser assigns it)?
    pub fn allows_element(&self, ns: Namespace, name: &str) -> bool {
        self.inner
            .allowed
            .contains_key(&(ns, LocalName::from(name.to_ascii_lowercase().as_str())))
    }

    /// Is this attribute (serialized name, e.g. `xlink:href`) kept on this
    /// element, before any check of its value?
    pub fn allows_attribute(&self, ns: Namespace, element: &str, attribute: &str) -> bool {
        let key = (ns, LocalName::from(element.to_ascii_lowercase().as_str()));
        let attr = LocalName::from(attribute.to_ascii_lowercase().as_str());
        self.inner.allowed.contains_key(&key) && self.inner.attribute_allowed(&key, &attr)
            || (ns == Namespace::Html
                && matches!(&*key.1, "a" | "area")
                && &*attr == "rel"
                && self.inner.rel.is_some()
                && self.inner.allowed.contains_key(&key))
    }

    /// The allowed URL schemes, lowercase.
    pub fn url_schemes(&self) -> impl Iterator<Item = &str> {
        self.inner.schemes.iter().map(String::as_str)
    }

    /// The URL schemes allowed in attribute `attribute` of `element` (HTML
    /// or foreign local name, any case), lowercase.
    pub fn url_schemes_for(&self, element: &str, attribute: &str) -> impl Iterator<Item = &str> {
        self.inner
            .schemes_for(
                &LocalName::from(element.to_ascii_lowercase().as_str()),
                &LocalName::from(attribute.to_ascii_lowercase().as_str()),
            )
            .iter()
            .map(String::as_str)
    }

    /// The relative-URL rule.
    pub fn relative_urls(&self) -> &RelativeUrls {
        &self.inner.config.relative_urls
    }

    /// Is `name` an attribute whose value borax checks as URL(s)?
    pub fn is_url_attribute(name: &str) -> bool {
        crate::url::url_kind(name).is_some()
    }

    /// Every attribute name borax checks as URL(s).
    pub fn url_attributes() -> impl Iterator<Item = &'static str> {
        crate::url::url_attribute_names()
    }

    /// The nesting cap.
    pub fn max_depth(&self) -> usize {
        self.inner.config.max_depth
    }

    /// The input size limit in bytes.
    pub fn max_input_bytes(&self) -> usize {
        self.inner.config.max_input_bytes
    }

    /// Whether disallowed tags are escaped as text.
    pub fn escapes_disallowed(&self) -> bool {
        self.inner.config.escape_disallowed
    }

    /// The prefix added to kept `id` and `name` values, if any.
    pub fn id_prefix(&self) -> Option<&str> {
        self.inner.config.id_prefix.as_deref()
    }

    /// Bytes the policy itself may add per emitted attribute: the `rel`
    /// value (with its ` rel=""`), the id prefix and the rewrite base. The
    /// output of [`Policy::try_clean`] is at most
    /// `16 × input + 64 + expansion() × (input / 2 + 1)` bytes.
    ///
    /// ```
    /// let p = borax::Policy::comments();
    /// assert_eq!(p.expansion(), " rel=\"nofollow ugc\"".len());
    /// let input = "<a>x</a>".repeat(100);
    /// let out = p.clean(&input);
    /// assert!(out.len() <= 16 * input.len() + 64 + p.expansion() * (input.len() / 2 + 1));
    /// ```
    pub fn expansion(&self) -> usize {
        self.inner.expansion()
    }

    /// The `rel` value set on kept links, if any.
    pub fn link_rel(&self) -> Option<&str> {
        self.inner.rel.as_deref()
    }

    /// The allowed elements as `(namespace, name, attributes)`, sorted.
    pub fn allowed_elements(&self) -> impl Iterator<Item = (Namespace, &str, Vec<&str>)> {
        self.inner.config.elements.iter().map(|(n, a)| {
            (
                n.ns,
                n.name.as_str(),
                a.iter().map(String::as_str).collect(),
            )
        })
    }

    /// Attributes allowed on every allowed element.
    pub fn global_attributes(&self) -> impl Iterator<Item = &str> {
        self.inner.config.attributes.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Policy>();
        let p = Policy::comments();
        let q = p.clone();
        assert!(Arc::ptr_eq(&p.inner, &q.inner));
    }

    #[test]
    fn contradictions_are_errors() {
        let e = Policy::builder()
            .elements(["b"])
            .remove_elements(["b"])
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::Contradiction { .. }));
        let e = Policy::builder()
            .element("a", ["rel"])
            .link_rel(["nofollow"])
            .build()
            .unwrap_err();
        assert_eq!(e, PolicyError::RelConflict);
        // Restricting `rel`'s values while the policy writes its own `rel`
        // would emit a value outside the list.
        let e = Policy::builder()
            .element("a", ["href"])
            .link_rel(["nofollow"])
            .attribute_values("a", "rel", ["x"])
            .build()
            .unwrap_err();
        assert_eq!(e, PolicyError::RelConflict);
        let e = Policy::builder().elements(["script"]).build().unwrap_err();
        assert!(matches!(e, PolicyError::UnsafeElement { .. }));
        for foreign in ["svg:script", "math:script", "svg:handler"] {
            let e = Policy::builder()
                .elements(["svg", foreign])
                .build()
                .unwrap_err();
            assert!(matches!(e, PolicyError::UnsafeElement { .. }), "{foreign}");
        }
        let e = Policy::builder()
            .element("b", ["onclick"])
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::UnsafeAttribute { .. }));
        let e = Policy::builder().elements(["b c"]).build().unwrap_err();
        assert!(matches!(e, PolicyError::Invalid { .. }));
        let e = Policy::builder().max_depth(600).build().unwrap_err();
        assert!(matches!(e, PolicyError::Invalid { .. }));
        for bad in ["a\0b", "a b", "x\r"] {
            let e = Policy::builder().id_prefix(bad).build().unwrap_err();
            assert!(matches!(e, PolicyError::Invalid { .. }), "{bad:?}");
        }
        let e = Policy::builder()
            .max_input_bytes(MAX_INPUT_BYTES_LIMIT + 1)
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::Invalid { .. }));
    }

    const RAW_TEXT_AND_SCRIPT: [&str; 10] = [
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "textarea",
        "title",
        "script",
    ];

    #[test]
    fn raw_text_names_are_refused_in_every_namespace() {
        for ns in ["html", "svg", "math"] {
            for name in RAW_TEXT_AND_SCRIPT {
                if (ns, name) == ("svg", "title") {
                    continue;
                }
                let spelled = format!("{ns}:{name}");
                let e = Policy::builder()
                    .elements(["svg", "math", spelled.as_str()])
                    .build()
                    .unwrap_err();
                let PolicyError::UnsafeElement { element, why } = &e else {
                    panic!("{spelled}: {e:?}");
                };
                let shown = if ns == "html" {
                    name.to_owned()
                } else {
                    spelled
                };
                assert_eq!(*element, shown);
                assert!(why.len() > 20, "{shown}: {why}");
                assert!(e.to_string().contains(&format!("`{shown}`")), "{e}");
            }
        }
        for foreign in ["svg:handler", "math:listener"] {
            let e = Policy::builder().elements([foreign]).build().unwrap_err();
            assert!(e.to_string().contains("run script"), "{e}");
        }
    }

    #[test]
    fn svg_and_math_style_say_css_applies_to_the_page() {
        for name in ["svg:style", "math:style"] {
            let e = Policy::builder()
                .elements(["svg", name])
                .build()
                .unwrap_err();
            assert!(e.to_string().contains("whole page"), "{e}");
            assert!(e.to_string().contains("raw text"), "{e}");
        }
    }

    #[test]
    fn svg_title_is_the_one_exception() {
        let p = Policy::builder()
            .elements(["svg", "svg:title", "svg:circle"])
            .build()
            .unwrap();
        assert!(p.allows_element(Namespace::Svg, "title"));
        assert_eq!(
            p.clean("<svg><title>Logo &lt;b&gt;</title><circle/></svg>"),
            "<svg><title>Logo &lt;b&gt;</title><circle></circle></svg>"
        );
        // An HTML <title> or one a browser would put in HTML is not kept.
        assert_eq!(p.clean("<title>x</title>y"), "y");
        assert!(Policy::builder().elements(["title"]).build().is_err());
        assert!(Policy::builder().elements(["math:title"]).build().is_err());
    }

    #[test]
    fn unwrapping_an_element_dropped_with_content_is_refused() {
        for name in [
            "script", "style", "template", "iframe", "select", "svg", "math",
        ] {
            let e = Policy::builder()
                .elements(["b"])
                .replace_with_children_elements(["span", name])
                .build()
                .unwrap_err();
            let PolicyError::DroppedWithContent {
                element,
                list,
                can_be_allowed,
                ..
            } = &e
            else {
                panic!("{name}: {e:?}");
            };
            assert_eq!(element, name);
            assert_eq!(*list, "replaceWithChildrenElements");
            assert_eq!(*can_be_allowed, matches!(name, "svg" | "math"), "{name}");
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("`{name}`")) && msg.contains("replaceWithChildrenElements"),
                "{msg}"
            );
        }
        // Allowed and listed: the contradiction it always was.
        let e = Policy::builder()
            .elements(["svg"])
            .replace_with_children_elements(["svg"])
            .build()
            .unwrap_err();
        assert!(matches!(e, PolicyError::Contradiction { .. }), "{e:?}");
        // Names that are unwrapped anyway may be listed: an HTML element
        // named `svg`, SVG's own `style`, `base` (refused, but unwrapped).
        let p = Policy::builder()
            .elements(["svg"])
            .replace_with_children_elements(["html:svg", "svg:style", "base", "span"])
            .build()
            .unwrap();
        assert_eq!(p.clean("<svg><style>a</style></svg>"), "<svg>a</svg>");
    }

    #[test]
    fn element_names_take_namespaces() {
        assert_eq!(ElementName::parse("svg").unwrap().ns, Namespace::Svg);
        assert_eq!(ElementName::parse("math:mi").unwrap().ns, Namespace::MathMl);
        assert_eq!(ElementName::parse("B").unwrap().name, "b");
        assert_eq!(
            ElementName::parse("svg:foreignObject").unwrap().to_string(),
            "svg:foreignobject"
        );
        assert!(ElementName::parse("x:y").is_err());
        // An HTML element named like a foreign root keeps its prefix.
        let html_math = ElementName::parse("html:math").unwrap();
        assert_eq!(html_math.ns, Namespace::Html);
        assert_eq!(
            ElementName::parse(&html_math.to_string()).unwrap(),
            html_math
        );
    }

    #[test]
    fn svg_allowed_leaves_the_remove_list() {
        let p = Policy::builder().elements(["svg"]).build().unwrap();
        assert_eq!(
            p.inner
                .disposition(&(Namespace::Svg, LocalName::from("svg"))),
            Disposition::Keep
        );
        let q = Policy::builder().build().unwrap();
        assert_eq!(
            q.inner
                .disposition(&(Namespace::Svg, LocalName::from("svg"))),
            Disposition::Drop
        );
    }
}
