//! The ammonia-parity knobs of a random policy (hooks, forced attribute
//! values, attribute prefixes, per-element classes, subtractive methods,
//! CSS properties), decoded from [`PARITY_BYTES`] bytes by one function
//! for both generators: the random-policy property test
//! (`tests/invariants.rs`, `Spec`) and the `clean` fuzz target's policy
//! header (`fuzz/src/checks.rs`, `Knobs`).
//!
//! The hooks come from a FIXED family of deterministic behaviours, chosen
//! so that cleaning stays idempotent: each hook either maps characters one
//! by one in a way that is stable on its own output (ASCII upper case, `x`
//! to `<script>`, `q` to a run of `Q`), or returns a constant, or decides by
//! the element's name alone. The one combination that is not idempotent is
//! stated in [`ParityKnobs::idempotent`].

use std::borrow::Cow;
use std::fmt;

use borax::{ElementAction, Namespace, Policy, PolicyBuilder};

/// Bytes one [`ParityKnobs`] is decoded from.
pub const PARITY_BYTES: usize = 10;

/// Elements the element hook picks by name (byte 0).
pub const HOOK_ELEMENTS: [&str; 16] = [
    "b",
    "p",
    "a",
    "div",
    "span",
    "table",
    "td",
    "li",
    "pre",
    "svg",
    "math",
    "svg:a",
    "svg:foreignObject",
    "math:mi",
    "img",
    "i",
];

/// What the element hook does to its element (byte 0 % 5; 0: no hook,
/// 4: a hook that leaves every decision to the policy).
pub const ELEMENT_ACTIONS: [&str; 5] = ["none", "Unwrap", "Drop", "Escape", "Default"];

/// Attributes the attribute hook drops (byte 1, kind 1).
pub const DROPPED_ATTRIBUTES: [&str; 8] = [
    "title", "href", "class", "id", "src", "style", "rel", "target",
];

/// Attributes whose values the attribute hook upper-cases (byte 1, kind 2):
/// no URL, `id`/`name` or `style` attribute, where the value borax writes
/// (a rewritten URL, a prefixed id, re-serialised CSS) would be
/// upper-cased again differently on the next run.
pub const UPPERCASED_ATTRIBUTES: [&str; 5] = ["title", "class", "lang", "alt", "dir"];

/// A value the attribute hook returns for every `title` (byte 1, kind 4).
pub fn huge_value() -> String {
    "h".repeat(4096)
}

/// What the URL hook returns for every URL attribute (byte 2 % 7; 0: no
/// hook, 4: `None`, the attribute dropped).
pub const URL_RESULTS: [&str; 7] = [
    "",
    "javascript:alert(1)",
    "/hooked/x?y",
    "https://hook.example/p",
    "",
    "//evil.example/x",
    " java\tscript:alert(1)",
];

/// Attributes forced with `set_attribute` (bit i of byte 4).
pub const FORCED: [(&str, &str, &str); 8] = [
    ("a", "target", "_blank"),
    ("*", "title", "forced"),
    ("img", "loading", "lazy"),
    ("*", "dir", "ltr"),
    ("area", "target", "_blank"),
    ("svg:a", "target", "_blank"),
    ("a", "hreflang", "en"),
    ("*", "class", "x-y"),
];

/// Attribute prefixes (bit i of byte 5, bits 0-4); when bits 5-7 are all
/// set, one the builder refuses is added too ([`REFUSED_PREFIXES`], by
/// bits 0-1).
pub const PREFIXES: [&str; 5] = ["aria-", "data-", "x-", "hx-", "xlink"];
/// Prefixes the builder refuses: an event handler's, `srcdoc`'s, empty.
pub const REFUSED_PREFIXES: [&str; 4] = ["on", "sr", "", "o"];

/// Per-element class lists (byte 6): the element (bits 0-1) and classes
/// (bits 2-4) when bit 7 is set; bits 5 and 6 together add `b c`, which
/// the builder refuses.
pub const CLASS_ELEMENTS: [&str; 4] = ["code", "span", "*", "svg:a"];
pub const CLASSES: [&str; 3] = ["lang-rust", "a", "x-y"];

/// Subtractive methods (byte 7): bits 0-2 `remove_attributes` of these,
/// bit 3 `remove_element_attributes("a", ["href", "title"])`, bit 4
/// `remove_url_schemes(["http"])`, bit 5 `add_url_schemes(["tel"])`, bit 6
/// `attribute_url_schemes("a", "href", ["https"])`, bit 7
/// `attribute_url_schemes("img", "src", ["https", "data"])`.
pub const REMOVED_ATTRIBUTES: [&str; 3] = ["title", "href", "class"];

/// CSS (byte 9): bit 2 `element_style_properties(CSS_ELEMENTS[bits 0-1],
/// ["text-align", "font-weight"])`; bit 5 `style_property_values` of
/// `STYLE_VALUES[bits 3-4]`; bit 6 `style` allowed everywhere, with
/// `color` and `background-image`.
pub const CSS_ELEMENTS: [&str; 4] = ["p", "span", "*", "svg:a"];
pub const STYLE_VALUES: [(&str, &[&str]); 4] = [
    ("color", &["red", "blue"]),
    ("text-align", &["left", "center"]),
    ("background-image", &["none"]),
    ("margin", &["auto", "inherit"]),
];

/// The parity knobs, decoded (indices into the tables above).
#[derive(Clone, PartialEq, Eq)]
pub struct ParityKnobs {
    pub bytes: [u8; PARITY_BYTES],
    /// `(ELEMENT_ACTIONS index, HOOK_ELEMENTS index)`.
    pub element_hook: (u8, u8),
    /// `(kind, target)`: 0 none, 1 drop `DROPPED_ATTRIBUTES[t]`, 2 upper-case
    /// `UPPERCASED_ATTRIBUTES[t]`, 3 every value `javascript:alert(1)`, 4
    /// every `title` [`huge_value`], 5 every value `" onclick="alert(1)`.
    pub attribute_hook: (u8, u8),
    /// `URL_RESULTS` index.
    pub url_hook: u8,
    /// 0 none, 1 ASCII upper case, 2 `x` to `<script>`, 3 `q` to 1000 `Q`.
    pub text_hook: u8,
    pub forced: Vec<(&'static str, &'static str, &'static str)>,
    pub prefixes: Vec<&'static str>,
    pub element_classes: Option<(&'static str, Vec<&'static str>)>,
    pub subtract: u8,
    /// The preset the policy starts from (byte 8; 0: none).
    pub base: Option<&'static str>,
    pub css: u8,
}

fn mask<T: Copy>(m: u8, table: &[T]) -> Vec<T> {
    (0..table.len().min(8))
        .filter(|&i| m & (1 << i) != 0)
        .map(|i| table[i])
        .collect()
}

impl ParityKnobs {
    /// Every knob off.
    pub fn none() -> ParityKnobs {
        ParityKnobs::from_bytes(&[0; PARITY_BYTES])
    }

    pub fn from_bytes(b: &[u8; PARITY_BYTES]) -> ParityKnobs {
        ParityKnobs {
            bytes: *b,
            element_hook: (b[0] % 5, (b[0] / 5) % 16),
            attribute_hook: (b[1] % 6, b[1] / 6),
            url_hook: b[2] % 7,
            text_hook: b[3] % 4,
            forced: mask(b[4], &FORCED),
            prefixes: {
                let mut p = mask(b[5] & 0x1f, &PREFIXES);
                if b[5] >> 5 == 7 {
                    p.push(REFUSED_PREFIXES[usize::from(b[5] & 3)]);
                }
                p
            },
            element_classes: (b[6] & 0x80 != 0).then(|| {
                let mut c = mask((b[6] >> 2) & 7, &CLASSES);
                if b[6] & 0x60 == 0x60 {
                    c.push("b c");
                }
                (CLASS_ELEMENTS[usize::from(b[6] & 3)], c)
            }),
            subtract: b[7],
            base: match b[8] {
                0 => None,
                n => Some(Policy::PRESETS[usize::from(n - 1) % Policy::PRESETS.len()]),
            },
            css: b[9],
        }
    }

    /// The builder to start from: the base preset's, or an empty one.
    pub fn base_builder(&self) -> PolicyBuilder {
        match self.base {
            Some(p) => Policy::preset(p).expect("preset exists").to_builder(),
            None => Policy::builder(),
        }
    }

    fn element_hook_target(&self) -> (Namespace, &'static str) {
        match HOOK_ELEMENTS[usize::from(self.element_hook.1)] {
            "svg" => (Namespace::Svg, "svg"),
            "math" => (Namespace::MathMl, "math"),
            name => match name.split_once(':') {
                Some(("svg", l)) => (Namespace::Svg, l),
                Some((_, l)) => (Namespace::MathMl, l),
                None => (Namespace::Html, name),
            },
        }
    }

    /// Add these knobs to `b`.
    pub fn apply(&self, mut b: PolicyBuilder) -> PolicyBuilder {
        let action = match self.element_hook.0 {
            1 => Some(ElementAction::Unwrap),
            2 => Some(ElementAction::Drop),
            3 => Some(ElementAction::Escape),
            4 => Some(ElementAction::Default),
            _ => None,
        };
        if let Some(action) = action {
            let (ns, name) = self.element_hook_target();
            b = b.element_hook(move |el| {
                if el.namespace() == ns && el.name().eq_ignore_ascii_case(name) {
                    action
                } else {
                    ElementAction::Default
                }
            });
        }
        let t = usize::from(self.attribute_hook.1);
        b = match self.attribute_hook.0 {
            1 => {
                let drop = DROPPED_ATTRIBUTES[t % DROPPED_ATTRIBUTES.len()];
                b.attribute_hook(move |_, a, v| (a != drop).then_some(Cow::Borrowed(v)))
            }
            2 => {
                let up = UPPERCASED_ATTRIBUTES[t % UPPERCASED_ATTRIBUTES.len()];
                b.attribute_hook(move |_, a, v| {
                    Some(if a == up {
                        Cow::Owned(v.to_ascii_uppercase())
                    } else {
                        Cow::Borrowed(v)
                    })
                })
            }
            3 => b.attribute_hook(|_, _, _| Some(Cow::Borrowed("javascript:alert(1)"))),
            4 => {
                let huge = huge_value();
                b.attribute_hook(move |_, a, v| {
                    Some(if a == "title" {
                        Cow::Owned(huge.clone())
                    } else {
                        Cow::Borrowed(v)
                    })
                })
            }
            5 => b.attribute_hook(|_, _, _| Some(Cow::Borrowed("\" onclick=\"alert(1)"))),
            _ => b,
        };
        b = match self.url_hook {
            0 => b,
            4 => b.url_hook(|_, _, _| None),
            n => {
                let r = URL_RESULTS[usize::from(n)];
                b.url_hook(move |_, _, _| Some(Cow::Borrowed(r)))
            }
        };
        b = match self.text_hook {
            1 => b.text_hook(|t| Cow::Owned(t.to_ascii_uppercase())),
            2 => b.text_hook(|t| Cow::Owned(t.replace('x', "<script>"))),
            3 => b.text_hook(|t| Cow::Owned(t.replace('q', &"Q".repeat(1000)))),
            _ => b,
        };
        for (e, a, v) in &self.forced {
            b = b.set_attribute(e, a, v);
        }
        if !self.prefixes.is_empty() {
            b = b.attribute_prefixes(&self.prefixes);
        }
        if let Some((e, c)) = &self.element_classes {
            b = b.element_classes(e, c);
        }
        let s = self.subtract;
        let removed = mask(s & 7, &REMOVED_ATTRIBUTES);
        if !removed.is_empty() {
            b = b.remove_attributes(removed);
        }
        if s & 0x08 != 0 {
            b = b.remove_element_attributes("a", ["href", "title"]);
        }
        if s & 0x10 != 0 {
            b = b.remove_url_schemes(["http"]);
        }
        if s & 0x20 != 0 {
            b = b.add_url_schemes(["tel"]);
        }
        if s & 0x40 != 0 {
            b = b.attribute_url_schemes("a", "href", ["https"]);
        }
        if s & 0x80 != 0 {
            b = b.attribute_url_schemes("img", "src", ["https", "data"]);
        }
        let c = self.css;
        if c & 0x04 != 0 {
            b = b.element_style_properties(
                CSS_ELEMENTS[usize::from(c & 3)],
                ["text-align", "font-weight"],
            );
        }
        if c & 0x20 != 0 {
            let (p, k) = STYLE_VALUES[usize::from((c >> 3) & 3)];
            b = b.style_property_values(p, k.iter().copied());
        }
        if c & 0x40 != 0 {
            b = b
                .attributes(["style"])
                .style_properties(["color", "background-image"]);
        }
        b
    }

    /// Is cleaning with these knobs idempotent? Every drawn hook is stable
    /// on its own output, but two combinations are not, and the
    /// idempotence check is skipped exactly there (the bound and every
    /// conformance check still hold):
    ///
    /// * a text hook together with escaping (`escape_disallowed`, or the
    ///   element hook's `Escape`): an escaped tag is written as text the
    ///   text hook never saw; the next run reads it as text and hooks it
    ///   (`<b>` becomes `<B>`). That is the hook's part (it treats text it
    ///   did not write).
    /// * the growing text hook (`q` to 1000 `Q`): a rewrite that would pass
    ///   the output bound is not used (`PolicyBuilder::text_hook`), and the
    ///   bound grows with the input, so the next run, on the longer output,
    ///   may use it. Documented behaviour: the bound wins over the hook.
    pub fn idempotent(&self, policy: &Policy) -> bool {
        let escapes = policy.escapes_disallowed() || self.element_hook.0 == 3;
        !(self.text_hook != 0 && escapes) && self.text_hook != 3
    }
}

/// Writes the knobs as the builder calls (and hook closures) they stand for.
impl fmt::Debug for ParityKnobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/* parity bytes {:?} */", self.bytes)?;
        if self.element_hook.0 != 0 {
            let (ns, name) = self.element_hook_target();
            write!(
                f,
                "\n    .element_hook(|el| if el.namespace() == borax::Namespace::{ns:?} && el.name().eq_ignore_ascii_case({name:?}) {{ borax::ElementAction::{} }} else {{ borax::ElementAction::Default }})",
                ELEMENT_ACTIONS[usize::from(self.element_hook.0)]
            )?;
        }
        let t = usize::from(self.attribute_hook.1);
        match self.attribute_hook.0 {
            1 => write!(
                f,
                "\n    .attribute_hook(|_, a, v| (a != {:?}).then_some(std::borrow::Cow::Borrowed(v)))",
                DROPPED_ATTRIBUTES[t % DROPPED_ATTRIBUTES.len()]
            )?,
            2 => write!(
                f,
                "\n    .attribute_hook(|_, a, v| Some(if a == {:?} {{ v.to_ascii_uppercase().into() }} else {{ v.into() }}))",
                UPPERCASED_ATTRIBUTES[t % UPPERCASED_ATTRIBUTES.len()]
            )?,
            3 => write!(
                f,
                "\n    .attribute_hook(|_, _, _| Some(\"javascript:alert(1)\".into()))"
            )?,
            4 => write!(
                f,
                "\n    .attribute_hook(|_, a, v| Some(if a == \"title\" {{ \"h\".repeat(4096).into() }} else {{ v.into() }}))"
            )?,
            5 => write!(
                f,
                "\n    .attribute_hook(|_, _, _| Some(\"\\\" onclick=\\\"alert(1)\".into()))"
            )?,
            _ => {}
        }
        match self.url_hook {
            0 => {}
            4 => write!(f, "\n    .url_hook(|_, _, _| None)")?,
            n => write!(
                f,
                "\n    .url_hook(|_, _, _| Some({:?}.into()))",
                URL_RESULTS[usize::from(n)]
            )?,
        }
        match self.text_hook {
            1 => write!(f, "\n    .text_hook(|t| t.to_ascii_uppercase().into())")?,
            2 => write!(
                f,
                "\n    .text_hook(|t| t.replace('x', \"<script>\").into())"
            )?,
            3 => write!(
                f,
                "\n    .text_hook(|t| t.replace('q', &\"Q\".repeat(1000)).into())"
            )?,
            _ => {}
        }
        for (e, a, v) in &self.forced {
            write!(f, "\n    .set_attribute({e:?}, {a:?}, {v:?})")?;
        }
        if !self.prefixes.is_empty() {
            write!(f, "\n    .attribute_prefixes({:?})", self.prefixes)?;
        }
        if let Some((e, c)) = &self.element_classes {
            write!(
                f,
                "\n    .element_classes({e:?}, {c:?}{})",
                if c.is_empty() { " as [&str; 0]" } else { "" }
            )?;
        }
        let s = self.subtract;
        let removed = mask(s & 7, &REMOVED_ATTRIBUTES);
        if !removed.is_empty() {
            write!(f, "\n    .remove_attributes({removed:?})")?;
        }
        for (bit, call) in [
            (
                0x08,
                ".remove_element_attributes(\"a\", [\"href\", \"title\"])",
            ),
            (0x10, ".remove_url_schemes([\"http\"])"),
            (0x20, ".add_url_schemes([\"tel\"])"),
            (0x40, ".attribute_url_schemes(\"a\", \"href\", [\"https\"])"),
            (
                0x80,
                ".attribute_url_schemes(\"img\", \"src\", [\"https\", \"data\"])",
            ),
        ] {
            if s & bit != 0 {
                write!(f, "\n    {call}")?;
            }
        }
        let c = self.css;
        if c & 0x04 != 0 {
            write!(
                f,
                "\n    .element_style_properties({:?}, [\"text-align\", \"font-weight\"])",
                CSS_ELEMENTS[usize::from(c & 3)]
            )?;
        }
        if c & 0x20 != 0 {
            let (p, k) = STYLE_VALUES[usize::from((c >> 3) & 3)];
            write!(f, "\n    .style_property_values({p:?}, {k:?})")?;
        }
        if c & 0x40 != 0 {
            write!(
                f,
                "\n    .attributes([\"style\"]).style_properties([\"color\", \"background-image\"])"
            )?;
        }
        Ok(())
    }
}
