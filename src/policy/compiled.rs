//! The compiled form of a policy: what the walk reads, built once.

use html5ever::LocalName;
use rustc_hash::FxHashMap;

use super::refused;
use super::{Config, ElementName, Namespace};

/// Hash maps for policy lookups. Keys are interned names whose `Hash`
/// writes a precomputed hash, so Fx mixing is enough; tables are built from
/// the (trusted) policy, attackers only look names up.
pub(crate) type FastMap<K, V> = FxHashMap<K, V>;

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
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// Take the fast paths (not part of the policy: the output is the same).
    pub(crate) fast_path: bool,
    pub(crate) config: Config,
    pub(crate) allowed: FastMap<Key, Vec<LocalName>>,
    pub(crate) remove: FastMap<Key, ()>,
    pub(crate) global: Vec<LocalName>,
    pub(crate) schemes: Vec<String>,
    /// Per-element (`None`: every element) URL schemes of an attribute.
    pub(crate) attr_schemes: FastMap<(Option<Key>, LocalName), Vec<String>>,
    pub(crate) base: Option<::url::Url>,
    /// Per-element (`None`: every element) allowed values of an attribute.
    pub(crate) values: FastMap<(Option<Key>, LocalName), Vec<String>>,
    pub(crate) rel: Option<String>,
    /// Allowed CSS properties of `style` per element (`None`: every element).
    pub(crate) style_properties: FastMap<Option<Key>, Vec<String>>,
    /// Keyword lists of CSS properties.
    pub(crate) style_values: FastMap<String, Vec<String>>,
}

impl Compiled {
    /// See [`Policy::expansion`](crate::Policy::expansion).
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

    /// The schemes for attribute `attr` (lowercase) of element `key`.
    pub(crate) fn schemes_for(&self, key: &Key, attr: &LocalName) -> &[String] {
        if self.attr_schemes.is_empty() {
            return &self.schemes;
        }
        self.attr_schemes
            .get(&(Some(key.clone()), attr.clone()))
            .or_else(|| self.attr_schemes.get(&(None, attr.clone())))
            .map_or(&self.schemes, |v| v.as_slice())
    }

    /// The allowed values of attribute `attr` (lowercase) of element `key`,
    /// if restricted.
    pub(crate) fn values_for(&self, key: &Key, attr: &LocalName) -> Option<&[String]> {
        if self.values.is_empty() {
            return None;
        }
        self.values
            .get(&(Some(key.clone()), attr.clone()))
            .or_else(|| self.values.get(&(None, attr.clone())))
            .map(Vec::as_slice)
    }

    /// Is CSS property `property` (lowercase) allowed in `style` on `key`?
    pub(crate) fn style_property_allowed(&self, key: &Key, property: &str) -> bool {
        let listed = |k: Option<Key>| {
            self.style_properties
                .get(&k)
                .is_some_and(|l| l.iter().any(|p| p == property))
        };
        listed(None) || listed(Some(key.clone()))
    }

    /// The keywords CSS property `property` (lowercase) is restricted to.
    pub(crate) fn style_keywords(&self, property: &str) -> Option<&[String]> {
        if self.style_values.is_empty() {
            return None;
        }
        self.style_values.get(property).map(Vec::as_slice)
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

pub(crate) fn compile(config: Config, base: Option<::url::Url>) -> Compiled {
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
    for (name, _) in refused::dropped_with_content() {
        let n = ElementName::parse(name).expect("default names are valid");
        if !config.elements.contains_key(&n) {
            remove.insert(key(&n), ());
        }
    }
    // `*` or an element's policy name (validated by the builder).
    let element_key = |e: &str| -> Option<Key> {
        if e == "*" {
            None
        } else {
            ElementName::parse(e).ok().map(|n| key(&n))
        }
    };
    let values = config
        .attribute_values
        .iter()
        .map(|((e, a), v)| {
            (
                (element_key(e), LocalName::from(a.as_str())),
                v.iter().cloned().collect(),
            )
        })
        .collect();
    let style_properties = config
        .style_properties
        .iter()
        .map(|(e, p)| (element_key(e), p.iter().cloned().collect()))
        .collect();
    let style_values = config
        .style_property_values
        .iter()
        .map(|(p, v)| (p.clone(), v.iter().cloned().collect()))
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
                    (element_key(e), LocalName::from(a.as_str())),
                    v.iter().cloned().collect(),
                )
            })
            .collect(),
        allowed,
        remove,
        base,
        values,
        rel,
        style_properties,
        style_values,
        config,
        fast_path: true,
    }
}
