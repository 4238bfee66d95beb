//! The compiled form of a policy: what the walk reads, built once.

use html5ever::LocalName;
use rustc_hash::FxHashMap;

use super::refused;
use super::{Config, ElementName, Namespace};
use crate::clean::ChildTraits;
use crate::url::RelativeUrls;

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

/// What the walk needs about one allowed element, merged at build time
/// from the element's own settings and the `*` ones.
#[derive(Clone, Debug)]
pub(crate) struct ElementRule {
    /// The attributes allowed on this element specifically.
    pub(crate) attrs: Vec<LocalName>,
    /// Forced attribute values, element-specific first, then the `*` ones
    /// whose name is not already there (the first of a name wins).
    pub(crate) forced: Vec<(LocalName, String)>,
    /// The classes allowed on it (global, `*` and its own), if any list
    /// applies.
    pub(crate) classes: Option<Vec<String>>,
    /// What it makes of its children's context (`clean::ChildTraits`),
    /// worked out here once rather than at each of its start tags (HTML
    /// elements).
    pub(crate) child: Option<ChildTraits>,
}

/// The compiled form: everything the walk reads, derived once from the
/// [`Config`] in `build()`. The walk (`clean` and its submodules) reads
/// only these fields, never `config`, which stays for the accessors, the
/// policy file writer and equality.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// Take the fast paths (not part of the policy: the output is the same).
    pub(crate) fast_path: bool,
    /// User hooks.
    pub(crate) hooks: super::Hooks,
    /// The source of everything below (not read by the walk).
    pub(crate) config: Config,
    /// Allowed elements and what the walk needs about each.
    pub(crate) allowed: FastMap<Key, ElementRule>,
    pub(crate) remove: FastMap<Key, ()>,
    pub(crate) global: Vec<LocalName>,
    pub(crate) schemes: Vec<String>,
    /// Per-element (`None`: every element) URL schemes of an attribute.
    pub(crate) attr_schemes: FastMap<(Option<Key>, LocalName), Vec<String>>,
    pub(crate) base: Option<::url::Url>,
    /// Attribute-name prefixes allowed everywhere (`aria-`).
    pub(crate) prefixes: Vec<String>,
    /// Per-element (`None`: every element) allowed values of an attribute.
    pub(crate) values: FastMap<(Option<Key>, LocalName), Vec<String>>,
    pub(crate) rel: Option<String>,
    /// Allowed CSS properties of `style` per element (`None`: every element).
    pub(crate) style_properties: FastMap<Option<Key>, Vec<String>>,
    /// Keyword lists of CSS properties.
    pub(crate) style_values: FastMap<String, Vec<String>>,
    /// Link settings, when links are made.
    pub(crate) links: Option<Links>,
    /// Paragraphs and line breaks are made.
    pub(crate) paragraphs: bool,
    /// Comments are kept (when safe).
    pub(crate) comments: bool,
    /// Disallowed elements are written as text.
    pub(crate) escape_disallowed: bool,
    /// The nesting cap.
    pub(crate) max_depth: usize,
    /// The input limit.
    pub(crate) max_input_bytes: usize,
    /// `data-*` attributes are allowed.
    pub(crate) data_attributes: bool,
    /// The prefix of `id` and `name` values.
    pub(crate) id_prefix: Option<String>,
    /// What is done with relative URLs.
    pub(crate) relative_urls: RelativeUrls,
    /// Classes allowed on an element that is not in `allowed` (global and
    /// `*`), if any list applies.
    pub(crate) classes_any: Option<Vec<String>>,
    /// Forced values for an element not in `allowed` (the `*` ones).
    pub(crate) forced_any: Vec<(LocalName, String)>,
    /// See [`Compiled::expansion`].
    pub(crate) expansion: usize,
}

/// The compiled link settings.
#[derive(Clone, Debug)]
pub(crate) struct Links {
    pub(crate) urls: bool,
    pub(crate) emails: bool,
    pub(crate) www_scheme: Option<String>,
    /// Kept HTML elements inside which nothing is linked (the fixed ones
    /// and the policy's).
    pub(crate) skip: Vec<LocalName>,
    pub(crate) max_length: usize,
}

impl Compiled {
    /// Does the walk format text (links or paragraphs)? The plain-text
    /// fast path must not be taken then.
    pub(crate) fn formats(&self) -> bool {
        self.links.is_some() || self.paragraphs
    }

    /// Length of the `rel` value the policy writes on links (0: none); the
    /// parse guard and the fast parser's arena count it per link.
    pub(crate) fn rel_len(&self) -> usize {
        self.rel.as_ref().map_or(0, String::len)
    }

    /// See [`Policy::expansion`](crate::Policy::expansion) (computed once
    /// when the policy is built).
    pub(crate) fn expansion(&self) -> usize {
        self.expansion
    }

    /// Classes allowed on `key`, if any list applies (global or per element).
    /// For an element that is not allowed (never kept, so never asked by
    /// the walk): the global and `*` lists only.
    pub(crate) fn classes_for(&self, key: &Key) -> Option<&[String]> {
        match self.allowed.get(key) {
            Some(rule) => rule.classes.as_deref(),
            None => self.classes_any.as_deref(),
        }
    }

    /// Attributes forced on `key`, element-specific ones first, one per
    /// name. For an element that is not allowed (never kept, so nothing is
    /// forced on it): the `*` ones only.
    pub(crate) fn forced_for(&self, key: &Key) -> &[(LocalName, String)] {
        self.allowed
            .get(key)
            .map_or(&self.forced_any, |rule| &rule.forced)
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
        if let Some(rule) = self.allowed.get(key) {
            if rule.attrs.contains(attr) {
                return true;
            }
        }
        (self.data_attributes && is_data_attribute(attr))
            || self.prefixes.iter().any(|p| attr.starts_with(p.as_str()))
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
    // `*` or an element's policy name (validated by the builder).
    let element_key = |e: &str| -> Option<Key> {
        if e == "*" {
            None
        } else {
            ElementName::parse(e).ok().map(|n| key(&n))
        }
    };
    // Forced values and classes per element (`None`: every element).
    let mut forced: FastMap<Option<Key>, Vec<(LocalName, String)>> = FastMap::default();
    for ((e, a), v) in &config.set_attributes {
        forced
            .entry(element_key(e))
            .or_default()
            .push((LocalName::from(a.as_str()), v.clone()));
    }
    let element_classes: FastMap<Option<Key>, Vec<String>> = config
        .element_classes
        .iter()
        .map(|(e, c)| (element_key(e), c.iter().cloned().collect()))
        .collect();
    let classes_of = |k: Option<&Key>| -> Option<Vec<String>> {
        let global = config.classes.as_ref();
        let own = k.and_then(|k| element_classes.get(&Some(k.clone())));
        let any = element_classes.get(&None);
        if global.is_none() && own.is_none() && any.is_none() {
            return None;
        }
        Some(
            global
                .into_iter()
                .flatten()
                .chain(own.into_iter().chain(any).flatten())
                .cloned()
                .collect(),
        )
    };
    let forced_of = |k: Option<&Key>| -> Vec<(LocalName, String)> {
        let mut list: Vec<(LocalName, String)> = Vec::new();
        let own = k.and_then(|k| forced.get(&Some(k.clone())));
        for (a, v) in own.into_iter().chain(forced.get(&None)).flatten() {
            if !list.iter().any(|(n, _)| n == a) {
                list.push((a.clone(), v.clone()));
            }
        }
        list
    };
    let links = config.linkify.on().then(|| {
        let mut skip: Vec<LocalName> = ["a", "code", "pre", "kbd", "samp", "listing"]
            .iter()
            .map(|n| LocalName::from(*n))
            .collect();
        for n in &config.linkify.skip_elements {
            let n = LocalName::from(n.as_str());
            if !skip.contains(&n) {
                skip.push(n);
            }
        }
        Links {
            urls: config.linkify.urls,
            emails: config.linkify.emails,
            www_scheme: config.linkify.www_scheme.clone(),
            skip,
            max_length: config.linkify.max_length,
        }
    });
    let allowed = config
        .elements
        .iter()
        .map(|(n, attrs)| {
            let k = key(n);
            let rule = ElementRule {
                attrs: attrs.iter().map(|a| LocalName::from(a.as_str())).collect(),
                forced: forced_of(Some(&k)),
                classes: classes_of(Some(&k)),
                // HTML names are the tree's; SVG keys are lowercased, the
                // tree's names case-adjusted (`foreignObject`).
                child: (k.0 == Namespace::Html).then(|| ChildTraits::of(k.0, &k.1, links.as_ref())),
            };
            (k, rule)
        })
        .collect();
    let classes_any = classes_of(None);
    let forced_any = forced_of(None);
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
    let mut rel_tokens = config.link_rel.clone();
    // A forced `target="_blank"` on links takes `noopener` with it.
    let blank = config.set_attributes.iter().any(|((e, a), v)| {
        a == "target"
            && v.eq_ignore_ascii_case("_blank")
            && matches!(e.as_str(), "a" | "area" | "*")
    });
    if blank
        && !rel_tokens
            .iter()
            .any(|t| t.eq_ignore_ascii_case("noopener"))
    {
        rel_tokens.push("noopener".to_owned());
    }
    let rel = if rel_tokens.is_empty() {
        None
    } else {
        Some(rel_tokens.join(" "))
    };
    // What the policy can add per attribute (see `Policy::expansion`).
    let expansion = {
        let rel = rel.as_ref().map_or(0, |r| r.len() + 7);
        let prefix = config.id_prefix.as_ref().map_or(0, String::len);
        // The base as the URL parser normalised it (percent-encoded).
        let base = base.as_ref().map_or(0, |u| u.as_str().len());
        // Forced attributes, written on an element that may have none in
        // the input: ` name="value"` with the value escaped.
        let forced = config
            .set_attributes
            .iter()
            .map(|((_, a), v)| a.len() + 4 + 6 * v.len())
            .sum::<usize>();
        rel + prefix + base + forced
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
        prefixes: config.attribute_prefixes.iter().cloned().collect(),
        links,
        paragraphs: config.paragraphs,
        comments: config.comments,
        escape_disallowed: config.escape_disallowed,
        max_depth: config.max_depth,
        max_input_bytes: config.max_input_bytes,
        data_attributes: config.data_attributes,
        id_prefix: config.id_prefix.clone(),
        relative_urls: config.relative_urls.clone(),
        classes_any,
        forced_any,
        expansion,
        config,
        fast_path: true,
        hooks: super::Hooks::default(),
    }
}
