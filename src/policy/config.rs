//! The user-facing configuration (everything a policy file can say) and
//! the limits.

use std::collections::{BTreeMap, BTreeSet};

use super::ElementName;
use crate::url::RelativeUrls;

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
    /// CSS properties allowed in `style` attributes, lowercase: under `*`
    /// for every element that allows `style`, under an element's policy
    /// name (`span`, `svg:rect`) for that element too.
    pub(crate) style_properties: BTreeMap<String, BTreeSet<String>>,
    /// Per CSS property (lowercase): the only keywords its value may hold.
    pub(crate) style_property_values: BTreeMap<String, BTreeSet<String>>,
    /// Attribute-name prefixes allowed on every allowed element (`aria-`).
    pub(crate) attribute_prefixes: BTreeSet<String>,
    /// Per-element allowed classes (element policy name or `*`).
    pub(crate) element_classes: BTreeMap<String, BTreeSet<String>>,
    /// Forced attribute values: (element policy name or `*`, attribute) → value.
    pub(crate) set_attributes: BTreeMap<(String, String), String>,
    /// Bare URLs and e-mail addresses in text become links.
    pub(crate) linkify: Linkify,
    /// Blank lines make paragraphs, single newlines line breaks.
    pub(crate) paragraphs: bool,
}

/// The link settings (see [`PolicyBuilder::linkify`](crate::PolicyBuilder::linkify)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Linkify {
    /// Link URLs (`scheme://...`, and `www.` hosts when `www_scheme` is set).
    pub(crate) urls: bool,
    /// Link e-mail addresses (as `mailto:`).
    pub(crate) emails: bool,
    /// The scheme given to `www.` hosts; `None`: they are not linked.
    pub(crate) www_scheme: Option<String>,
    /// HTML elements (lowercase local names) inside which nothing is
    /// linked, besides the fixed `a code pre kbd samp`.
    pub(crate) skip_elements: BTreeSet<String>,
    /// Longest text (in bytes) that is linked.
    pub(crate) max_length: usize,
}

/// Default [`linkify_max_length`](crate::PolicyBuilder::linkify_max_length):
/// longer URLs and addresses stay text (make_clickable links up to 2000
/// characters).
pub(crate) const DEFAULT_LINKIFY_MAX_LENGTH: usize = 2000;

impl Default for Linkify {
    fn default() -> Linkify {
        Linkify {
            urls: false,
            emails: false,
            www_scheme: Some("https".to_owned()),
            skip_elements: BTreeSet::new(),
            max_length: DEFAULT_LINKIFY_MAX_LENGTH,
        }
    }
}

impl Linkify {
    /// Is anything linked?
    pub(crate) fn on(&self) -> bool {
        self.urls || self.emails
    }
}

/// Default nesting cap: half of the 512 at which Chromium and WebKit flatten.
/// Deeper elements are unwrapped (their content stays).
///
/// ```
/// let deep = "<blockquote>".repeat(300);
/// let out = borax::Policy::comments().clean(&deep);
/// assert_eq!(out.matches("<blockquote>").count(), borax::DEFAULT_MAX_DEPTH);
/// ```
pub const DEFAULT_MAX_DEPTH: usize = 256;
/// Highest nesting cap a policy may set (browsers flatten at 512).
///
/// ```
/// use borax::{Policy, MAX_DEPTH_LIMIT};
/// assert!(Policy::builder().max_depth(MAX_DEPTH_LIMIT).build().is_ok());
/// assert!(Policy::builder().max_depth(MAX_DEPTH_LIMIT + 1).build().is_err());
/// ```
pub const MAX_DEPTH_LIMIT: usize = 500;
/// Highest input limit a policy may set: 1 GiB (node ids are 32-bit).
///
/// ```
/// use borax::{Policy, MAX_INPUT_BYTES_LIMIT};
/// assert!(Policy::builder().max_input_bytes(MAX_INPUT_BYTES_LIMIT + 1).build().is_err());
/// ```
pub const MAX_INPUT_BYTES_LIMIT: usize = 1 << 30;
/// Default input limit: 10 MiB. Larger inputs are refused
/// ([`CleanError::InputTooLarge`](crate::CleanError::InputTooLarge)), never truncated.
///
/// ```
/// assert_eq!(borax::Policy::comments().max_input_bytes(), borax::DEFAULT_MAX_INPUT_BYTES);
/// ```
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
            style_properties: BTreeMap::new(),
            style_property_values: BTreeMap::new(),
            attribute_prefixes: BTreeSet::new(),
            element_classes: BTreeMap::new(),
            set_attributes: BTreeMap::new(),
            linkify: Linkify::default(),
            paragraphs: false,
        }
    }
}
