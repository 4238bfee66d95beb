//! Element and attribute names as a policy writes them, and namespaces.

use std::fmt;
use std::str::FromStr;

use crate::error::PolicyError;

/// The namespace an element lives in after parsing.
///
/// ```
/// use borax::{Namespace, Policy};
/// let p = Policy::builder().elements(["svg", "svg:circle"]).build().unwrap();
/// assert!(p.allows_element(Namespace::Svg, "circle"));
/// assert!(!p.allows_element(Namespace::Html, "circle"));
/// ```
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
    ///
    /// ```
    /// assert_eq!(borax::Namespace::Svg.as_str(), "svg");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Html => "html",
            Namespace::Svg => "svg",
            Namespace::MathMl => "math",
        }
    }

    /// The namespace URI.
    ///
    /// ```
    /// assert_eq!(borax::Namespace::Html.uri(), "http://www.w3.org/1999/xhtml");
    /// ```
    pub fn uri(self) -> &'static str {
        match self {
            Namespace::Html => "http://www.w3.org/1999/xhtml",
            Namespace::Svg => "http://www.w3.org/2000/svg",
            Namespace::MathMl => "http://www.w3.org/1998/Math/MathML",
        }
    }

    /// Read `html`, `svg`, `math`/`mathml` or a namespace URI.
    ///
    /// ```
    /// use borax::Namespace;
    /// assert_eq!(Namespace::parse("mathml"), Some(Namespace::MathMl));
    /// assert_eq!(Namespace::parse("http://www.w3.org/2000/svg"), Some(Namespace::Svg));
    /// assert_eq!(Namespace::parse("xul"), None);
    /// ```
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

    // Policy files name the namespace apart (`{ name, namespace }`).
    #[cfg_attr(not(feature = "files"), allow(dead_code))]
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

/// Attribute names borax accepts in a policy: a valid name, or `xlink:`,
/// `xml:` or `xmlns:` and a valid name.
pub(crate) fn valid_attribute(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => matches!(prefix, "xlink" | "xml" | "xmlns") && valid_name(local),
        None => valid_name(name),
    }
}

impl fmt::Display for Namespace {
    /// The short name: `html`, `svg` or `math`.
    ///
    /// ```
    /// assert_eq!(borax::Namespace::MathMl.to_string(), "math");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Namespace {
    type Err = PolicyError;

    /// Read `html`, `svg`, `math`/`mathml` or a namespace URI.
    ///
    /// ```
    /// let ns: borax::Namespace = "svg".parse().unwrap();
    /// assert_eq!(ns, borax::Namespace::Svg);
    /// assert!("xul".parse::<borax::Namespace>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Namespace, PolicyError> {
        Namespace::parse(text).ok_or_else(|| PolicyError::Invalid {
            what: "namespace",
            value: text.to_owned(),
        })
    }
}
