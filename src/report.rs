//! The report stage: what cleaning removed, and why.
//!
//! The walk is generic over [`Reporter`]; the no-report path uses a unit type
//! whose methods are empty and inline away, so cleaning without a report
//! costs nothing extra.

use std::collections::HashMap;
use std::fmt;

/// What kind of thing was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RemovalKind {
    /// An element (unwrapped, dropped with its content, or escaped as text).
    Element,
    /// An attribute.
    Attribute,
    /// An attribute removed because of its URL.
    Url,
    /// A comment.
    Comment,
    /// An element unwrapped because it was nested too deep (past the cap the
    /// parser already refuses the tag itself; its content stays).
    Depth,
    /// Text removed (non-space text inside table structure).
    Text,
}

/// Why it was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// Not in the policy.
    NotAllowed,
    /// In the drop-with-content set.
    DroppedWithContent,
    /// URL with a scheme the policy does not allow.
    BadScheme,
    /// Relative URL while the policy denies them.
    RelativeUrl,
    /// The element would change namespace when re-parsed.
    Namespace,
    /// Nested deeper than the policy's cap.
    TooDeep,
    /// Attribute value not in the allowed values or classes.
    BadValue,
    /// Kept, it would make a tree the browser parses differently.
    Structure,
    /// Kept, it would pass the output bound (only elements the parser
    /// created on its own, by reconstructing misnested formatting elements,
    /// can run into it).
    OutputLimit,
    /// A hook of the policy removed it.
    Hook,
    /// Not allowed, and written as text (`escape_disallowed`).
    Escaped,
    /// Markup met after the parser had begun creating elements much faster
    /// than the input grows (formatting elements reopened again and again):
    /// from there on the rest of the input keeps its text only.
    Amplification,
}

impl RemovalKind {
    /// Lowercase name, as in the CLI's JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            RemovalKind::Element => "element",
            RemovalKind::Attribute => "attribute",
            RemovalKind::Url => "url",
            RemovalKind::Comment => "comment",
            RemovalKind::Depth => "depth",
            RemovalKind::Text => "text",
        }
    }
}

impl Reason {
    /// Lowercase name, as in the CLI's JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotAllowed => "not allowed",
            Reason::DroppedWithContent => "dropped with content",
            Reason::BadScheme => "bad scheme",
            Reason::RelativeUrl => "relative url",
            Reason::Namespace => "namespace",
            Reason::TooDeep => "too deep",
            Reason::BadValue => "bad value",
            Reason::Structure => "structure",
            Reason::OutputLimit => "output limit",
            Reason::Hook => "hook",
            Reason::Escaped => "escaped",
            Reason::Amplification => "amplification",
        }
    }
}

impl fmt::Display for RemovalKind {
    /// As [`as_str`](RemovalKind::as_str).
    ///
    /// ```
    /// assert_eq!(borax::RemovalKind::Url.to_string(), "url");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One kind of removal, with how often it happened in one input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Removal {
    /// What was removed.
    pub kind: RemovalKind,
    /// Its name (`script`, `onclick`, `href`, `#comment`, `#text`).
    pub name: String,
    /// Why.
    pub reason: Reason,
    /// How many times.
    pub count: usize,
}

/// Everything one cleaning removed, one entry per (kind, name, reason),
/// sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The removals.
    pub removals: Vec<Removal>,
    /// The input took a fast path (plain text, or the subset of HTML the
    /// fast parser reads), not html5ever. The output is the same either
    /// way; this says where the time went.
    pub fast_path: bool,
}

impl Report {
    /// Nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.removals.is_empty()
    }
}

/// Receives removals during the walk.
pub(crate) trait Reporter {
    fn removed(&mut self, kind: RemovalKind, name: &str, reason: Reason);
    /// The same removal, `count` times.
    fn removed_many(&mut self, kind: RemovalKind, name: &str, reason: Reason, count: usize);
    /// Forget every removal told so far (a streaming walk gave up).
    fn reset(&mut self);
}

/// No report.
pub(crate) struct NoReport;

impl Reporter for NoReport {
    #[inline(always)]
    fn removed(&mut self, _: RemovalKind, _: &str, _: Reason) {}
    #[inline(always)]
    fn removed_many(&mut self, _: RemovalKind, _: &str, _: Reason, _: usize) {}
    #[inline(always)]
    fn reset(&mut self) {}
}

/// Collects a [`Report`].
#[derive(Default)]
pub(crate) struct Collect {
    counts: HashMap<(RemovalKind, String, Reason), usize>,
}

impl Reporter for Collect {
    fn removed(&mut self, kind: RemovalKind, name: &str, reason: Reason) {
        self.removed_many(kind, name, reason, 1);
    }

    fn reset(&mut self) {
        self.counts.clear();
    }

    fn removed_many(&mut self, kind: RemovalKind, name: &str, reason: Reason, count: usize) {
        if count == 0 {
            return;
        }
        *self
            .counts
            .entry((kind, name.to_owned(), reason))
            .or_insert(0) += count;
    }
}

impl Collect {
    pub(crate) fn finish(self) -> Report {
        Report {
            removals: {
                let mut v: Vec<_> = self.counts.into_iter().collect();
                v.sort();
                v
            }
            .into_iter()
            .map(|((kind, name, reason), count)| Removal {
                kind,
                name,
                reason,
                count,
            })
            .collect(),
            fast_path: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Policy, Reason, RemovalKind};

    /// Every reason says what was done: an escaped element is reported as
    /// escaped, not as dropped (issue 12).
    #[test]
    fn escaped_elements_are_reported_as_escaped() {
        let p = Policy::builder()
            .elements(["b"])
            .escape_disallowed(true)
            .build()
            .unwrap();
        let (out, report) = p
            .clean_with_report("<b>x</b><iframe>y</iframe><u>z</u>")
            .unwrap();
        assert_eq!(
            out,
            "<b>x</b>&lt;iframe&gt;y&lt;/iframe&gt;&lt;u&gt;z&lt;/u&gt;"
        );
        for name in ["iframe", "u"] {
            let r = report.removals.iter().find(|r| r.name == name).unwrap();
            assert_eq!(
                (r.kind, r.reason),
                (RemovalKind::Element, Reason::Escaped),
                "{name}"
            );
        }
    }
}
