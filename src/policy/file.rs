//! Policy files in TOML and JSON, shaped like the HTML Sanitizer API's
//! `SanitizerConfig` plus borax's extensions, and serde support for
//! [`Policy`] (the same shape), behind the default feature `files`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::config::Linkify;
use crate::error::PolicyError;
use crate::policy::{Config, ElementName, Namespace, Policy, PolicyBuilder};
use crate::url::RelativeUrls;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PolicyFile {
    /// A note for readers (which hooks a file could not hold); ignored.
    #[serde(rename = "//", default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extends: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    elements: Option<Vec<ElementEntry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remove_elements: Option<Vec<ElementEntry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replace_with_children_elements: Option<Vec<ElementEntry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_attributes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_schemes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relative_urls: Option<RelativeFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_rel: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute_values: Option<Vec<AttributeValues>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute_url_schemes: Option<Vec<AttributeSchemes>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    classes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_depth: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_input_bytes: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escape_disallowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    style_properties: Option<StyleProperties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    style_property_values: Option<BTreeMap<String, Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraphs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    linkify: Option<LinkifyFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute_prefixes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    element_classes: Option<Vec<ElementClasses>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    set_attributes: Option<Vec<SetAttribute>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ElementClasses {
    element: String,
    classes: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct SetAttribute {
    element: String,
    attribute: String,
    value: String,
}

/// `linkify = true`, or a table
/// `{ urls, emails, wwwScheme, skipElements, maxLength }` (a table turns
/// links on: `urls` and `emails` default to `true` in it).
#[derive(Debug)]
enum LinkifyFile {
    On(bool),
    Table(LinkifyTable),
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LinkifyTable {
    #[serde(skip_serializing_if = "Option::is_none")]
    urls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emails: Option<bool>,
    /// `""`: `www.` hosts are not linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    www_scheme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_elements: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<usize>,
}

impl Serialize for LinkifyFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LinkifyFile::On(on) => s.serialize_bool(*on),
            LinkifyFile::Table(t) => t.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for LinkifyFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LinkifyFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "true, false, or a table with `urls`, `emails`, `wwwScheme`, `skipElements`, `maxLength`",
                )
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<LinkifyFile, E> {
                Ok(LinkifyFile::On(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LinkifyFile, A::Error> {
                LinkifyTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(LinkifyFile::Table)
            }
        }
        d.deserialize_any(V)
    }
}

/// `styleProperties`: `["color", ...]` (every element that allows `style`),
/// or a table `{ "*" = [...], span = [...] }` per element.
#[derive(Debug)]
enum StyleProperties {
    Everywhere(Vec<String>),
    PerElement(BTreeMap<String, Vec<String>>),
}

impl Serialize for StyleProperties {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StyleProperties::Everywhere(list) => list.serialize(s),
            StyleProperties::PerElement(map) => map.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for StyleProperties {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StyleProperties;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a list of CSS properties, or a table of them per element (`\"*\"` for every element)",
                )
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<StyleProperties, A::Error> {
                Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(StyleProperties::Everywhere)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StyleProperties, A::Error> {
                Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(StyleProperties::PerElement)
            }
        }
        d.deserialize_any(V)
    }
}

/// `"b"` or `{ name = "a", namespace = "svg", attributes = ["href"] }`.
#[derive(Debug)]
struct ElementEntry {
    name: String,
    namespace: Option<String>,
    attributes: Option<Vec<String>>,
}

impl Serialize for ElementEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Element", 3)?;
        st.serialize_field("name", &self.name)?;
        if let Some(ns) = &self.namespace {
            st.serialize_field("namespace", ns)?;
        } else {
            st.skip_field("namespace")?;
        }
        if let Some(a) = &self.attributes {
            st.serialize_field("attributes", a)?;
        } else {
            st.skip_field("attributes")?;
        }
        st.end()
    }
}

impl<'de> Deserialize<'de> for ElementEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ElementEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an element name, or a table with `name`, optional `namespace` and `attributes`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ElementEntry, E> {
                Ok(ElementEntry {
                    name: v.to_owned(),
                    namespace: None,
                    attributes: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ElementEntry, A::Error> {
                let mut name = None;
                let mut namespace = None;
                let mut attributes = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => name = Some(map.next_value()?),
                        "namespace" => namespace = Some(map.next_value()?),
                        "attributes" => attributes = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["name", "namespace", "attributes"],
                            ))
                        }
                    }
                }
                Ok(ElementEntry {
                    name: name.ok_or_else(|| de::Error::missing_field("name"))?,
                    namespace,
                    attributes,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AttributeValues {
    element: String,
    attribute: String,
    values: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AttributeSchemes {
    element: String,
    attribute: String,
    schemes: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
enum RelativeFile {
    Word(RelativeWord),
    Rewrite { rewrite: String },
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum RelativeWord {
    Deny,
    Pass,
}

impl ElementEntry {
    fn element_name(&self) -> Result<ElementName, PolicyError> {
        match &self.namespace {
            None => ElementName::parse(&self.name),
            Some(ns) => {
                let ns = Namespace::parse(ns).ok_or_else(|| PolicyError::Invalid {
                    what: "namespace",
                    value: ns.clone(),
                })?;
                ElementName::with_ns(ns, &self.name)
            }
        }
    }
}

/// Give a build error that is about one entry of a list in the file the
/// entry's line, column and key, as reading errors have them. `find` runs a
/// [`FailAt`] seed over the file text and returns where it failed.
fn locate(
    file: &PolicyFile,
    error: PolicyError,
    find: impl FnOnce(FailAt<'_>) -> Option<(&'static str, usize, usize)>,
) -> PolicyError {
    let PolicyError::DroppedWithContent { element, list, .. } = &error else {
        return error;
    };
    let entries = match *list {
        "replaceWithChildrenElements" => file.replace_with_children_elements.as_deref(),
        _ => None,
    };
    // An entry from `extends` is not in the file: keep the bare error.
    let Some(index) = entries.and_then(|entries| {
        entries.iter().position(|e| {
            e.element_name()
                .is_ok_and(|n| n.to_string() == element.as_str())
        })
    }) else {
        return error;
    };
    let message = error.to_string();
    match find(FailAt {
        key: list,
        index,
        message: &message,
    }) {
        Some((format, line, column)) => PolicyError::File {
            format,
            line,
            column,
            key: Some(format!("{list}[{index}]")),
            message,
        },
        None => error,
    }
}

/// A seed that reads a policy file's top-level table and fails, with
/// `message`, on entry `index` of the list under `key`, so the format's own
/// error gives that entry's position.
struct FailAt<'a> {
    key: &'a str,
    index: usize,
    message: &'a str,
}

impl<'de> de::DeserializeSeed<'de> for FailAt<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        struct Table<'a>(FailAt<'a>);
        impl<'de> Visitor<'de> for Table<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a policy table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                while let Some(k) = map.next_key::<String>()? {
                    if k == self.0.key {
                        map.next_value_seed(List(&self.0))?;
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                Ok(())
            }
        }
        struct List<'a, 'b>(&'b FailAt<'a>);
        impl<'de> de::DeserializeSeed<'de> for List<'_, '_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_seq(self)
            }
        }
        impl<'de> Visitor<'de> for List<'_, '_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                let mut i = 0;
                while seq
                    .next_element_seed(Entry {
                        fail: (i == self.0.index).then_some(self.0.message),
                    })?
                    .is_some()
                {
                    i += 1;
                }
                Ok(())
            }
        }
        /// Fails inside the entry's own deserializer, which is what gives
        /// the error the entry's position.
        struct Entry<'a> {
            fail: Option<&'a str>,
        }
        impl<'de> de::DeserializeSeed<'de> for Entry<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_any(self)
            }
        }
        impl<'de> Visitor<'de> for Entry<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an element")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
                match self.fail {
                    Some(m) => Err(E::custom(m)),
                    None => Ok(()),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                if let Some(m) = self.fail {
                    return Err(de::Error::custom(m));
                }
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(())
            }
        }
        d.deserialize_map(Table(self))
    }
}

fn apply(file: &PolicyFile) -> Result<Policy, PolicyError> {
    let base = match &file.extends {
        Some(name) => Policy::preset(name)?.config().clone(),
        None => Config::default(),
    };
    let mut b = PolicyBuilder::from_config(base);
    let spelled =
        |e: &ElementEntry| -> Result<String, PolicyError> { Ok(e.element_name()?.to_string()) };
    if let Some(elements) = &file.elements {
        // One file listing an element as allowed and for removal or
        // unwrapping says two things; with `extends`, the removal lists take
        // elements out of the inherited allowlist instead (Sanitizer API).
        let removed = file
            .remove_elements
            .iter()
            .flatten()
            .map(|e| ("removeElements", e))
            .chain(
                file.replace_with_children_elements
                    .iter()
                    .flatten()
                    .map(|e| ("replaceWithChildrenElements", e)),
            );
        for (list, r) in removed {
            let r = r.element_name()?;
            for e in elements {
                if e.element_name()? == r {
                    return Err(PolicyError::Contradiction {
                        element: r.to_string(),
                        list,
                    });
                }
            }
        }
        for e in elements {
            let name = spelled(e)?;
            b = b.element(&name, e.attributes.iter().flatten());
        }
    }
    if let Some(list) = &file.remove_elements {
        let names = list.iter().map(spelled).collect::<Result<Vec<_>, _>>()?;
        b = b.remove_elements(names);
    }
    if let Some(list) = &file.replace_with_children_elements {
        let names = list.iter().map(spelled).collect::<Result<Vec<_>, _>>()?;
        b = b.replace_with_children_elements(names);
    }
    if let Some(a) = &file.attributes {
        b = b.attributes(a);
    }
    if let Some(c) = file.comments {
        b = b.keep_comments(c);
    }
    if let Some(d) = file.data_attributes {
        b = b.data_attributes(d);
    }
    if let Some(s) = &file.url_schemes {
        b = b.url_schemes(s);
    }
    if let Some(r) = &file.relative_urls {
        b = b.relative_urls(match r {
            RelativeFile::Word(RelativeWord::Deny) => RelativeUrls::Deny,
            RelativeFile::Word(RelativeWord::Pass) => RelativeUrls::Pass,
            RelativeFile::Rewrite { rewrite } => RelativeUrls::Rewrite(rewrite.clone()),
        });
    }
    if let Some(r) = &file.link_rel {
        b = b.link_rel(r);
    }
    if let Some(list) = &file.attribute_values {
        for av in list {
            b = b.attribute_values(&av.element, &av.attribute, &av.values);
        }
    }
    if let Some(list) = &file.attribute_url_schemes {
        for a in list {
            b = b.attribute_url_schemes(&a.element, &a.attribute, &a.schemes);
        }
    }
    if let Some(c) = &file.classes {
        b = b.classes(c);
    }
    if let Some(p) = &file.id_prefix {
        b = b.id_prefix(p);
    }
    if let Some(d) = file.max_depth {
        b = b.max_depth(d);
    }
    if let Some(m) = file.max_input_bytes {
        b = b.max_input_bytes(m);
    }
    if let Some(e) = file.escape_disallowed {
        b = b.escape_disallowed(e);
    }
    if let Some(p) = &file.attribute_prefixes {
        b = b.attribute_prefixes(p);
    }
    if let Some(list) = &file.element_classes {
        for c in list {
            b = b.element_classes(&c.element, &c.classes);
        }
    }
    if let Some(list) = &file.set_attributes {
        for s in list {
            b = b.set_attribute(&s.element, &s.attribute, &s.value);
        }
    }
    if let Some(p) = file.paragraphs {
        b = b.paragraphs(p);
    }
    match &file.linkify {
        None => {}
        Some(LinkifyFile::On(on)) => b = b.linkify(*on),
        Some(LinkifyFile::Table(t)) => {
            b = b
                .linkify_urls(t.urls.unwrap_or(true))
                .linkify_emails(t.emails.unwrap_or(true));
            if let Some(s) = &t.www_scheme {
                b = b.linkify_www_scheme(s);
            }
            if let Some(list) = &t.skip_elements {
                b = b.linkify_skip_elements(list);
            }
            if let Some(m) = t.max_length {
                b = b.linkify_max_length(m);
            }
        }
    }
    match &file.style_properties {
        Some(StyleProperties::Everywhere(list)) => b = b.style_properties(list),
        Some(StyleProperties::PerElement(map)) => {
            for (element, list) in map {
                b = if element == "*" {
                    b.style_properties(list)
                } else {
                    b.element_style_properties(element, list)
                };
            }
        }
        None => {}
    }
    if let Some(map) = &file.style_property_values {
        for (property, keywords) in map {
            b = b.style_property_values(property, keywords);
        }
    }
    b.build()
}

fn to_file(config: &Config) -> PolicyFile {
    let entry = |n: &ElementName, attrs: Option<&BTreeSet<String>>| ElementEntry {
        name: n.name.clone(),
        // Bare `svg`/`math` would read back as the foreign roots.
        namespace: (n.ns != Namespace::Html || matches!(n.name.as_str(), "svg" | "math"))
            .then(|| n.ns.as_str().to_owned()),
        attributes: attrs
            .filter(|a| !a.is_empty())
            .map(|a| a.iter().cloned().collect()),
    };
    PolicyFile {
        note: None,
        extends: None,
        elements: Some(
            config
                .elements
                .iter()
                .map(|(n, a)| entry(n, Some(a)))
                .collect(),
        ),
        remove_elements: Some(
            config
                .remove_elements
                .iter()
                .map(|n| entry(n, None))
                .collect(),
        ),
        replace_with_children_elements: Some(
            config
                .replace_with_children
                .iter()
                .map(|n| entry(n, None))
                .collect(),
        ),
        attributes: Some(config.attributes.iter().cloned().collect()),
        comments: Some(config.comments),
        data_attributes: Some(config.data_attributes),
        url_schemes: Some(config.url_schemes.iter().cloned().collect()),
        relative_urls: Some(match &config.relative_urls {
            RelativeUrls::Deny => RelativeFile::Word(RelativeWord::Deny),
            RelativeUrls::Pass => RelativeFile::Word(RelativeWord::Pass),
            RelativeUrls::Rewrite(b) => RelativeFile::Rewrite { rewrite: b.clone() },
        }),
        link_rel: Some(config.link_rel.clone()),
        attribute_values: Some(
            config
                .attribute_values
                .iter()
                .map(|((e, a), v)| AttributeValues {
                    element: e.clone(),
                    attribute: a.clone(),
                    values: v.iter().cloned().collect(),
                })
                .collect(),
        ),
        attribute_url_schemes: Some(
            config
                .attribute_url_schemes
                .iter()
                .map(|((e, a), v)| AttributeSchemes {
                    element: e.clone(),
                    attribute: a.clone(),
                    schemes: v.iter().cloned().collect(),
                })
                .collect(),
        ),
        classes: config.classes.as_ref().map(|c| c.iter().cloned().collect()),
        id_prefix: config.id_prefix.clone(),
        max_depth: Some(config.max_depth),
        max_input_bytes: Some(config.max_input_bytes),
        escape_disallowed: Some(config.escape_disallowed),
        style_properties: style_properties_file(config),
        style_property_values: (!config.style_property_values.is_empty()).then(|| {
            config
                .style_property_values
                .iter()
                .map(|(p, k)| (p.clone(), k.iter().cloned().collect()))
                .collect()
        }),
        attribute_prefixes: (!config.attribute_prefixes.is_empty())
            .then(|| config.attribute_prefixes.iter().cloned().collect()),
        element_classes: (!config.element_classes.is_empty()).then(|| {
            config
                .element_classes
                .iter()
                .map(|(e, c)| ElementClasses {
                    element: e.clone(),
                    classes: c.iter().cloned().collect(),
                })
                .collect()
        }),
        set_attributes: (!config.set_attributes.is_empty()).then(|| {
            config
                .set_attributes
                .iter()
                .map(|((e, a), v)| SetAttribute {
                    element: e.clone(),
                    attribute: a.clone(),
                    value: v.clone(),
                })
                .collect()
        }),
        paragraphs: Some(config.paragraphs),
        linkify: Some(linkify_file(&config.linkify)),
    }
}

/// A list when only `*` is listed, else a table; `None` when empty.
fn style_properties_file(config: &Config) -> Option<StyleProperties> {
    let lists: BTreeMap<String, Vec<String>> = config
        .style_properties
        .iter()
        .map(|(e, p)| (e.clone(), p.iter().cloned().collect()))
        .collect();
    match lists.len() {
        0 => None,
        1 if lists.contains_key("*") => lists.into_values().next().map(StyleProperties::Everywhere),
        _ => Some(StyleProperties::PerElement(lists)),
    }
}

/// `linkify = true`/`false` when only that is set, else the whole table.
fn linkify_file(l: &Linkify) -> LinkifyFile {
    let d = Linkify::default();
    if l.urls == l.emails
        && l.www_scheme == d.www_scheme
        && l.skip_elements.is_empty()
        && l.max_length == d.max_length
    {
        return LinkifyFile::On(l.urls);
    }
    LinkifyFile::Table(LinkifyTable {
        urls: Some(l.urls),
        emails: Some(l.emails),
        www_scheme: Some(l.www_scheme.clone().unwrap_or_default()),
        skip_elements: Some(l.skip_elements.iter().cloned().collect()),
        max_length: Some(l.max_length),
    })
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

fn path_key(path: &serde_path_to_error::Path) -> Option<String> {
    let s = path.to_string();
    (s != ".").then_some(s)
}

impl Policy {
    /// Read a TOML policy file.
    ///
    /// ```
    /// let p = borax::Policy::from_toml_str(r#"
    /// extends = "comments"
    /// elements = ["p", { name = "img", attributes = ["src", "alt"] }]
    /// "#).unwrap();
    /// assert_eq!(p.clean("<p><img src=https://x/i.png alt=i onerror=y></p>"), r#"<p><img src="https://x/i.png" alt="i"></p>"#);
    ///
    /// let e = borax::Policy::from_toml_str("elements = [\"b\"]\nbogus = 1\n").unwrap_err();
    /// assert!(e.to_string().contains("line 2"), "{e}");
    /// assert!(e.to_string().contains("bogus"), "{e}");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        let de = toml::Deserializer::parse(text).map_err(|e| toml_error(text, &e, None))?;
        let file: PolicyFile = serde_path_to_error::deserialize(de).map_err(|e| {
            let key = path_key(e.path());
            toml_error(text, e.inner(), key)
        })?;
        apply(&file).map_err(|e| {
            locate(&file, e, |seed| {
                let de = toml::Deserializer::parse(text).ok()?;
                let e = de::DeserializeSeed::deserialize(seed, de).err()?;
                let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
                Some(("TOML", line, column))
            })
        })
    }

    /// Read a JSON policy file (same shape as the TOML one).
    ///
    /// ```
    /// let p = borax::Policy::from_json_str(r#"{"elements": ["b"], "comments": true}"#).unwrap();
    /// assert_eq!(p.clean("<b>x</b><!--c-->"), "<b>x</b><!--c-->");
    /// ```
    pub fn from_json_str(text: &str) -> Result<Policy, PolicyError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let file: PolicyFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let key = path_key(e.path());
            let inner = e.inner();
            PolicyError::File {
                format: "JSON",
                line: inner.line(),
                column: inner.column(),
                key,
                message: strip_position(&inner.to_string()),
            }
        })?;
        de.end().map_err(|e| PolicyError::File {
            format: "JSON",
            line: e.line(),
            column: e.column(),
            key: None,
            message: strip_position(&e.to_string()),
        })?;
        apply(&file).map_err(|e| {
            locate(&file, e, |seed| {
                let mut de = serde_json::Deserializer::from_str(text);
                let e = de::DeserializeSeed::deserialize(seed, &mut de).err()?;
                Some(("JSON", e.line(), e.column()))
            })
        })
    }

    /// The policy as a complete TOML policy file (no `extends`), which
    /// [`from_toml_str`](Policy::from_toml_str) reads back to an equal policy.
    ///
    /// ```
    /// let p = borax::Policy::comments();
    /// let toml = p.to_toml_string().unwrap();
    /// assert_eq!(borax::Policy::from_toml_str(&toml).unwrap(), p);
    /// ```
    ///
    /// # Errors
    ///
    /// [`PolicyError::Serialize`] if the TOML writer fails (it does not for
    /// any policy that builds; the error is there so that nothing is lost
    /// silently).
    pub fn to_toml_string(&self) -> Result<String, PolicyError> {
        let text =
            toml::to_string(&to_file(self.config())).map_err(|e| PolicyError::Serialize {
                format: "TOML",
                message: e.to_string(),
            })?;
        Ok(match self.hooks_note() {
            Some(note) => format!("# {note}\n{text}"),
            None => text,
        })
    }

    /// What a policy file cannot hold, if anything: the hooks.
    fn hooks_note(&self) -> Option<String> {
        let names = self.inner.hooks.names();
        (!names.is_empty()).then(|| {
            format!(
                "not representable in a policy file, left out: {}",
                names.join(", ")
            )
        })
    }

    /// The policy as a JSON policy file, which
    /// [`from_json_str`](Policy::from_json_str) reads back to an equal policy.
    ///
    /// ```
    /// let p = borax::Policy::basic();
    /// let json = p.to_json_string().unwrap();
    /// assert_eq!(borax::Policy::from_json_str(&json).unwrap(), p);
    /// ```
    ///
    /// # Errors
    ///
    /// [`PolicyError::Serialize`] if the JSON writer fails (as for
    /// [`to_toml_string`](Policy::to_toml_string)).
    pub fn to_json_string(&self) -> Result<String, PolicyError> {
        let mut file = to_file(self.config());
        file.note = self.hooks_note();
        serde_json::to_string_pretty(&file).map_err(|e| PolicyError::Serialize {
            format: "JSON",
            message: e.to_string(),
        })
    }
}

/// A `Policy` serializes as a complete policy file (the shape of
/// [`Policy::to_toml_string`]), so it can be a field of an application's
/// configuration.
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Config { comment_policy: borax::Policy }
///
/// let text = r#"comment_policy = { extends = "comments", elements = ["p"] }"#;
/// let config: Config = toml::from_str(text).unwrap();
/// assert_eq!(config.comment_policy.clean("<p>a<u>b</u></p>"), "<p>ab</p>");
/// let again: Config = toml::from_str(&toml::to_string(&config).unwrap()).unwrap();
/// assert_eq!(again.comment_policy, config.comment_policy);
/// ```
impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        to_file(self.config()).serialize(serializer)
    }
}

/// A `Policy` deserializes from a policy file's shape and is built (and
/// validated) on the spot: a policy the builder refuses is a
/// deserialization error with the builder's message.
impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Policy, D::Error> {
        let file = PolicyFile::deserialize(deserializer)?;
        apply(&file).map_err(de::Error::custom)
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

fn toml_error(text: &str, e: &toml::de::Error, key: Option<String>) -> PolicyError {
    let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    PolicyError::File {
        format: "TOML",
        line,
        column,
        key,
        message: e.message().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_round_trip_through_files() {
        for name in Policy::PRESETS {
            let p = Policy::preset(name).unwrap();
            let t = p.to_toml_string().unwrap();
            assert_eq!(Policy::from_toml_str(&t).unwrap(), p, "{name}\n{t}");
            let j = p.to_json_string().unwrap();
            assert_eq!(Policy::from_json_str(&j).unwrap(), p, "{name}\n{j}");
        }
    }

    #[test]
    fn formatting_settings_round_trip_through_files() {
        let cases = [
            Policy::builder().linkify(true).paragraphs(true),
            Policy::comments().to_builder().linkify_emails(true),
            Policy::builder()
                .linkify(true)
                .linkify_www_scheme("")
                .linkify_skip_elements(["q", "cite"])
                .linkify_max_length(40),
            // Settings kept while links are off.
            Policy::builder().linkify_www_scheme("http"),
        ];
        for b in cases {
            let p = b.build().unwrap();
            let t = p.to_toml_string().unwrap();
            assert_eq!(Policy::from_toml_str(&t).unwrap(), p, "{t}");
            let j = p.to_json_string().unwrap();
            assert_eq!(Policy::from_json_str(&j).unwrap(), p, "{j}");
        }
        // The short forms.
        let p = Policy::from_toml_str("linkify = true\nparagraphs = true").unwrap();
        assert!(p.linkify_urls() && p.linkify_emails() && p.paragraphs());
        assert!(p.to_toml_string().unwrap().contains("linkify = true"));
        // A table turns links on; its keys are checked.
        let p = Policy::from_toml_str("linkify = { emails = false }").unwrap();
        assert!(p.linkify_urls() && !p.linkify_emails());
        let e = Policy::from_toml_str("linkify = { email = false }").unwrap_err();
        assert!(e.to_string().contains("email"), "{e}");
        let e = Policy::from_json_str("{\"linkify\": 3}").unwrap_err();
        assert!(e.to_string().contains("true, false, or a table"), "{e}");
    }

    #[test]
    fn errors_name_line_and_key() {
        let e = Policy::from_toml_str("comments = true\nmaxDepth = \"deep\"\n").unwrap_err();
        match e {
            PolicyError::File { line, key, .. } => {
                assert_eq!(line, 2);
                assert_eq!(key.as_deref(), Some("maxDepth"));
            }
            other => panic!("{other:?}"),
        }
        let e = Policy::from_json_str("{\n \"elements\": [\"b\"],\n \"nope\": 1}").unwrap_err();
        match e {
            PolicyError::File { line, message, .. } => {
                assert_eq!(line, 3);
                assert!(message.contains("nope"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unwrapping_an_element_dropped_with_content_names_line_and_key() {
        let toml = "elements = [\"b\"]\n# unwrap these\nreplaceWithChildrenElements = [\n  \"span\",\n  \"script\",\n]\n";
        let e = Policy::from_toml_str(toml).unwrap_err();
        let PolicyError::File {
            format,
            line,
            key,
            message,
            ..
        } = &e
        else {
            panic!("{e:?}");
        };
        assert_eq!((*format, *line), ("TOML", 5));
        assert_eq!(key.as_deref(), Some("replaceWithChildrenElements[1]"));
        assert!(message.contains("`script`"), "{message}");
        assert!(e.to_string().contains("line 5"), "{e}");

        let toml = "replaceWithChildrenElements = [{ name = \"svg\", namespace = \"svg\" }]\n";
        let e = Policy::from_toml_str(toml).unwrap_err();
        assert!(
            matches!(&e, PolicyError::File { line: 1, key: Some(k), message, .. }
                if k == "replaceWithChildrenElements[0]" && message.contains("`svg`")),
            "{e:?}"
        );

        let json = "{\n  \"elements\": [\"b\"],\n  \"replaceWithChildrenElements\": [\"div\", \"style\"]\n}";
        let e = Policy::from_json_str(json).unwrap_err();
        assert!(
            matches!(&e, PolicyError::File { format: "JSON", line: 3, key: Some(k), message, .. }
                if k == "replaceWithChildrenElements[1]" && message.contains("`style`")),
            "{e:?}"
        );
        // Other build errors keep their own variant.
        let e = Policy::from_toml_str("elements = [\"svg\", \"svg:style\"]").unwrap_err();
        assert!(matches!(e, PolicyError::UnsafeElement { .. }), "{e:?}");
    }

    #[test]
    fn style_properties_round_trip_in_both_formats() {
        let list = Policy::from_toml_str(
            "extends = \"basic\"\nattributes = [\"style\"]\nstyleProperties = [\"Color\", \"margin\"]\nstylePropertyValues = { text-align = [\"left\"] }",
        )
        .unwrap();
        let per_element = Policy::from_json_str(
            r#"{"elements": [{"name": "p", "attributes": ["style"]}, {"name": "rect", "namespace": "svg", "attributes": ["style"]}, "svg"],
                "styleProperties": {"*": ["color"], "p": ["text-align"], "svg:rect": ["fill"]}}"#,
        )
        .unwrap();
        assert_eq!(
            per_element.style_properties_for("svg:rect"),
            ["color", "fill"]
        );
        for p in [&list, &per_element] {
            let t = p.to_toml_string().unwrap();
            assert!(t.contains("styleProperties"), "{t}");
            assert_eq!(&Policy::from_toml_str(&t).unwrap(), p, "{t}");
            let j = p.to_json_string().unwrap();
            assert_eq!(&Policy::from_json_str(&j).unwrap(), p, "{j}");
        }
        // A list when only `*` has properties.
        let t = list.to_toml_string().unwrap();
        assert!(
            t.contains("styleProperties = [\"color\", \"margin\"]"),
            "{t}"
        );
        assert_eq!(list.style_properties_for("p"), ["color", "margin"]);
        // Neither key when no property is listed.
        let t = Policy::basic().to_toml_string().unwrap();
        assert!(
            !t.contains("styleProperties") && !t.contains("stylePropertyValues"),
            "{t}"
        );
        let e = Policy::from_toml_str("styleProperties = 3").unwrap_err();
        assert!(e.to_string().contains("list of CSS properties"), "{e}");
    }

    #[test]
    fn rewrite_base_and_namespaces_parse() {
        let p = Policy::from_toml_str(
            "elements = [{ name = \"svg\" }, { name = \"circle\", namespace = \"svg\", attributes = [\"r\"] }]\nrelativeUrls = { rewrite = \"https://e.com/\" }",
        )
        .unwrap();
        assert!(p.allows_element(Namespace::Svg, "circle"));
        // An HTML element named `math` stays HTML through a file round trip.
        let h = Policy::builder().elements(["html:math"]).build().unwrap();
        assert_eq!(
            Policy::from_toml_str(&h.to_toml_string().unwrap()).unwrap(),
            h
        );
        assert_eq!(
            Policy::from_json_str(&h.to_json_string().unwrap()).unwrap(),
            h
        );
        assert_eq!(
            Policy::from_toml_str(&p.to_toml_string().unwrap()).unwrap(),
            p
        );
    }
}
