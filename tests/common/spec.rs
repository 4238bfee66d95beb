//! Random policies: `Spec` and its strategy, drawn by the property tests
//! of `tests/invariants.rs` (checked by the oracle) and `tests/fast_path.rs`
//! (fast path on and off give the same bytes). The knobs include the
//! ammonia-parity ones (hooks, forced values, prefixes, per-element
//! classes, subtractive methods, CSS: `oracle/parity.rs`, which the
//! includer must make reachable as `crate::parity`). Also the one helper
//! both HTML generators share, [`case_mangle`].

// Each includer uses its own part.
#![allow(dead_code)]

use borax::{Policy, RelativeUrls};
use proptest::prelude::*;
use proptest::sample::select;

use crate::parity::{ParityKnobs, PARITY_BYTES};

/// Elements the custom policies allow (with some of [`POLICY_ATTRS`]).
pub const POLICY_ELEMENTS: &[&str] = &[
    "svg",
    "math",
    "svg:foreignObject",
    "math:mtext",
    "math:mi",
    "math:mglyph",
    "math:annotation-xml",
    "svg:desc",
    "svg:a",
    "svg:font",
    "p",
    "table",
    "tr",
    "td",
    "tbody",
    "a",
    "b",
    "li",
    "ul",
    "pre",
    "form",
    "ruby",
    "rt",
    "h1",
    "h2",
    "img",
    "br",
    "div",
    "i",
    "span",
    "code",
    "area",
    "q",
    "s",
    "u",
    "blockquote",
    "abbr",
    "hr",
];

pub const POLICY_ATTRS: &[&str] = &[
    "style",
    "encoding",
    "color",
    "href",
    "xlink:href",
    "src",
    "srcset",
    "title",
    "id",
    "class",
    "name",
    "ping",
    "action",
    "cite",
    "target",
    "lang",
];

pub const SCHEMES: &[&str] = &["http", "https", "mailto", "ftp", "tel", "data"];
pub const REL_TOKENS: &[&str] = &["nofollow", "ugc", "noopener", "noreferrer"];

/// A policy description: shrinks well and prints readably.
#[derive(Clone, Debug)]
pub struct Spec {
    pub preset: Option<&'static str>,
    pub elements: Vec<(&'static str, Vec<&'static str>)>,
    pub global: Vec<&'static str>,
    pub remove: Vec<&'static str>,
    pub schemes: Option<Vec<&'static str>>,
    pub relative: u8,
    pub link_rel: Vec<&'static str>,
    pub id_prefix: Option<&'static str>,
    pub max_depth: usize,
    pub escape: bool,
    pub comments: bool,
    pub data_attributes: bool,
    pub classes: Option<Vec<&'static str>>,
    pub title_values: bool,
    /// Formatting: `(linkify kinds: 0 off, 1 both, 2 URLs, 3 e-mails,
    /// www scheme index, max length, skip elements, paragraphs)`.
    pub format: (u8, u8, Option<usize>, Vec<&'static str>, bool),
    /// Hooks, forced values, prefixes, per-element classes, subtractive
    /// methods, CSS: the knobs the fuzz target draws too (`oracle::parity`).
    pub parity: ParityKnobs,
}

/// `www` schemes the generator draws (`""`: www hosts not linked).
pub const WWW_SCHEMES: &[&str] = &["https", "http", "", "ftp"];

impl Spec {
    /// The formatting knobs applied to `b`.
    pub fn format(&self, mut b: borax::PolicyBuilder) -> borax::PolicyBuilder {
        let (kinds, www, max_length, skip, paragraphs) = &self.format;
        b = b
            .linkify_urls(matches!(kinds, 1 | 2))
            .linkify_emails(matches!(kinds, 1 | 3))
            .linkify_www_scheme(WWW_SCHEMES[usize::from(*www) % WWW_SCHEMES.len()])
            .linkify_skip_elements(skip.iter().copied())
            .paragraphs(*paragraphs);
        if let Some(m) = max_length {
            b = b.linkify_max_length(*m);
        }
        b
    }

    /// The preset, when the spec is one with no formatting or parity knob.
    pub fn plain_preset(&self) -> Option<&'static str> {
        let plain =
            self.format == (0, 0, None, Vec::new(), false) && self.parity == ParityKnobs::none();
        self.preset.filter(|_| plain)
    }

    /// The policy, or `None` when the builder refuses it (`build()` must
    /// never panic; an error is a fine answer).
    pub fn policy(&self) -> Option<Policy> {
        if let Some(p) = self.preset {
            let preset = Policy::preset(p).expect("preset exists");
            if self.plain_preset().is_some() {
                return Some(preset);
            }
            return self
                .parity
                .apply(self.format(preset.to_builder()))
                .build()
                .ok();
        }
        let mut b = self.parity.base_builder();
        for (e, attrs) in &self.elements {
            b = b.element(e, attrs.iter().copied());
        }
        // Needed where `style` is allowed; nothing otherwise.
        b = b.style_properties(["color", "background", "margin", "list-style-image"]);
        b = b
            .attributes(self.global.iter().copied())
            .remove_elements(self.remove.iter().copied())
            .link_rel(self.link_rel.iter().copied())
            .max_depth(self.max_depth)
            .escape_disallowed(self.escape)
            .keep_comments(self.comments)
            .data_attributes(self.data_attributes);
        if let Some(s) = &self.schemes {
            b = b.url_schemes(s.iter().copied());
        }
        b = b.relative_urls(match self.relative {
            0 => RelativeUrls::Pass,
            1 => RelativeUrls::Deny,
            2 => RelativeUrls::Rewrite("https://example.com/base/x?y".into()),
            _ => RelativeUrls::Rewrite("not a url".into()),
        });
        if let Some(p) = self.id_prefix {
            b = b.id_prefix(p);
        }
        if let Some(c) = &self.classes {
            b = b.classes(c.iter().copied());
        }
        if self.title_values {
            b = b.attribute_values("*", "title", ["x", "a\"b"]);
        }
        self.parity.apply(self.format(b)).build().ok()
    }
}

/// The parity knobs: every knob off a third of the time, else each of the
/// bytes zero (its knob off) half of the time.
pub fn parity_strategy() -> impl Strategy<Value = ParityKnobs> {
    let byte = prop_oneof![Just(0u8), any::<u8>()];
    prop_oneof![
        1 => Just(ParityKnobs::none()),
        2 => prop::array::uniform::<_, PARITY_BYTES>(byte).prop_map(|b| ParityKnobs::from_bytes(&b)),
    ]
}

pub fn spec_strategy() -> impl Strategy<Value = Spec> {
    let custom = (
        (
            prop::collection::vec(
                (
                    select(POLICY_ELEMENTS),
                    prop::collection::vec(select(POLICY_ATTRS), 0..4),
                ),
                0..12,
            ),
            prop::collection::vec(select(POLICY_ATTRS), 0..3),
            prop::collection::vec(select(&["span", "aside", "b", "svg:desc"][..]), 0..2),
            prop::option::of(prop::collection::vec(select(SCHEMES), 0..4)),
            0u8..4,
            prop::collection::vec(select(REL_TOKENS), 0..4),
            prop::option::of(select(&["user-", "p-"][..])),
        ),
        (
            select(&[1usize, 2, 3, 5, 10, 256, 500, 0, 501][..]),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop::collection::vec(select(&["x", "lang-rust"][..]), 0..2)),
            prop::bool::weighted(0.1),
        ),
        format_strategy(),
        parity_strategy(),
    )
        .prop_map(
            |(
                (elements, global, remove, schemes, relative, link_rel, id_prefix),
                (max_depth, escape, comments, data_attributes, classes, title_values),
                format,
                parity,
            )| Spec {
                preset: None,
                elements,
                global,
                remove,
                schemes,
                relative,
                link_rel,
                id_prefix,
                max_depth,
                escape,
                comments,
                data_attributes,
                classes,
                title_values,
                format,
                parity,
            },
        );
    let preset = (
        select(Policy::PRESETS),
        format_strategy(),
        parity_strategy(),
    )
        .prop_map(|(p, format, parity)| Spec {
            preset: Some(p),
            elements: vec![],
            global: vec![],
            remove: vec![],
            schemes: None,
            relative: 0,
            link_rel: vec![],
            id_prefix: None,
            max_depth: 256,
            escape: false,
            comments: false,
            data_attributes: false,
            classes: None,
            title_values: false,
            format,
            parity,
        });
    prop_oneof![1 => preset, 4 => custom]
}

/// The formatting knobs of a random policy: off half of the time.
pub fn format_strategy() -> impl Strategy<Value = (u8, u8, Option<usize>, Vec<&'static str>, bool)>
{
    prop_oneof![
        1 => Just((0u8, 0u8, None, Vec::new(), false)),
        1 => (
            0u8..4,
            0u8..4,
            prop::option::of(select(&[1usize, 8, 16, 30, 2000][..])),
            prop::collection::vec(select(&["b", "p", "li", "blockquote", "x-y"][..]), 0..2),
            any::<bool>(),
        ),
    ]
}

/// `PROPTEST_CASES`, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `s` with some ASCII letters upper-cased (a third of the seeds; the
/// seed's bits pick the letters), for names HTML compares case-blind.
pub fn case_mangle(s: &str, seed: u8) -> String {
    if !seed.is_multiple_of(3) {
        return s.to_owned();
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if (seed >> (i % 8)) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}
