//! borax: a policy-driven HTML sanitizer on html5ever.
//!
//! Untrusted HTML goes in (a blog comment, a forum post, a pasted snippet);
//! HTML that is safe to embed in a page comes out, holding only what a
//! [`Policy`] allows.
//!
//! ```
//! let out = borax::clean(r#"<b>hi <a href="javascript:x" onclick=y>l</a><script>z</script>"#);
//! assert_eq!(out, r#"<b>hi <a rel="nofollow ugc">l</a></b>"#);
//! ```
//!
//! The default policy is the one a blog comment form shows its readers:
//! `Some HTML allowed: <a href="" title=""> <abbr title=""> <acronym title="">
//! <b> <blockquote cite=""> <code> <em> <i> <strike> <strong>`
//! ([`Policy::comments`]); [`Policy::basic`], [`Policy::relaxed`] and
//! [`Policy::text`] are the other presets, and [`Policy::builder`],
//! [`Policy::from_toml_str`] and [`Policy::from_notation`] make your own.
//!
//! # Security model
//!
//! borax parses the input with html5ever (the WHATWG parsing algorithm, as
//! a fragment in a `<div>`), walks the tree once, and writes only what the
//! policy allows. It guarantees, for every input and every policy that
//! builds:
//!
//! * the output, **re-parsed** by an HTML parser, holds only allowed elements
//!   (in the expected namespace), allowed attributes and URLs with allowed
//!   schemes (scheme read the way browsers read it);
//! * cleaning is idempotent, and serializing the re-parsed output gives the
//!   output back, so a browser builds the very tree borax checked (no
//!   mutation XSS through parser round trips, namespace confusion, or
//!   nesting-depth flattening: the depth cap stays below the browsers' 512);
//! * work, memory and output size grow linearly with the input (output at
//!   most `16 × input + 64 + expansion × (input / 2 + 1)` bytes, where
//!   [`Policy::expansion`] is what the policy adds to one attribute; every
//!   tag is measured before it is written, so the bound holds by
//!   construction); inputs over the size limit are refused, never
//!   truncated; nothing panics.
//!
//! Policies cannot allow `script`, `style`, raw-text elements, `on*`
//! attributes or other things borax never emits: [`PolicyBuilder::build`]
//! refuses them.
//!
//! # What borax does not protect against
//!
//! * **CSS**: `style` attributes are kept only through a list of CSS
//!   properties ([`PolicyBuilder::style_properties`]): borax parses the CSS,
//!   keeps the declarations of those properties and checks their URLs, but
//!   what an allowed property does is yours to choose: `position`, `z-index`
//!   or `inset` let users overlay your page. `<style>` elements stay refused.
//! * **Your page's own scripts**: code that reads attributes of user content
//!   (`data-*`, `class`, `id`) and acts on them (script gadgets) can be
//!   steered by them.
//! * **DOM clobbering**: allowing `id` or `name` without
//!   [`PolicyBuilder::id_prefix`] lets content shadow `window`/`document`
//!   properties and your own ids.
//! * **Where you put the output**: it is HTML for an element's content (a
//!   `<div>` or similar), not for an attribute, a `<script>`, `<style>`,
//!   `<textarea>` or `<title>`, nor for a page in another encoding than UTF-8.
//! * Allowed URLs are checked for their scheme only: an `https:` link can
//!   still point anywhere.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]
#![cfg_attr(not(test), warn(clippy::wildcard_enum_match_arm))]

mod clean;
mod dom;
mod error;
mod fast;
mod html;
mod notation;
mod parse;
mod policy;
mod presets;
mod report;
mod serialize;
mod swar;
mod url;

pub use error::{CleanError, PolicyError};
pub use notation::NOTATION_PREFIX;
pub use parse::MAX_ATTRIBUTES_PER_TAG;
pub use policy::{
    ElementAction, HookElement, Namespace, Policy, PolicyBuilder, DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_INPUT_BYTES, MAX_DEPTH_LIMIT, MAX_INPUT_BYTES_LIMIT,
};
pub use report::{Reason, Removal, RemovalKind, Report};
pub use url::RelativeUrls;

use std::borrow::Cow;
use std::io;

use report::{Collect, NoReport, Reporter};
use serialize::{Out, WriteOut};

/// Clean `html` with the [`comments`](Policy::comments) preset.
///
/// An input over the preset's size limit (10 MiB) gives an empty string; use
/// [`Policy::try_clean`] to get the error instead.
///
/// ```
/// assert_eq!(borax::clean("<em>hi</em><img src=x onerror=alert(1)>"), "<em>hi</em>");
/// ```
pub fn clean(html: &str) -> String {
    Policy::comments().clean(html)
}

/// Escape text so it can be placed in HTML content or a double-quoted
/// attribute value: `&`, `<`, `>`, `"`, `'` become character references.
///
/// ```
/// assert_eq!(borax::escape_text(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of an HTML fragment, as plain text (not HTML: escape it with
/// [`escape_text`] before putting it into a page). Content of elements that
/// are dropped with their content (`script`, `style`, ...) is left out;
/// `<br>` and the ends of block elements become line breaks.
///
/// ```
/// assert_eq!(borax::to_plain_text("<p>a &amp; <b>b</b></p><p>c<br>d</p><script>x</script>"), "a & b\nc\nd");
/// ```
pub fn to_plain_text(html: &str) -> String {
    let policy = Policy::text();
    let Ok(dom) = parse::parse_fragment(html, &policy.inner) else {
        return String::new();
    };
    clean::plain_text(&dom, &policy.inner)
}

/// Check one URL the way borax checks `href`: for a comment form's "Author
/// URL" field, which the page renders as a link. Returns the URL to use
/// (trimmed as a browser trims it, or resolved when the policy rewrites
/// relative URLs), or `None` when the policy would drop it.
///
/// ```
/// let p = borax::Policy::comments();
/// assert_eq!(borax::clean_url(" https://example.com/me ", &p).as_deref(), Some("https://example.com/me"));
/// assert_eq!(borax::clean_url("java\tscript:alert(1)", &p), None);
/// ```
pub fn clean_url(url: &str, policy: &Policy) -> Option<String> {
    let trimmed = url::browser_trim(url);
    if trimmed.is_empty() {
        return None;
    }
    let inner = &policy.inner;
    match url::check(
        &trimmed,
        &inner.schemes,
        &inner.relative_urls,
        inner.base.as_ref(),
    ) {
        url::Verdict::Keep(v) => Some(v.into_owned()),
        url::Verdict::BadScheme | url::Verdict::Relative => None,
    }
}

impl Policy {
    /// Clean `html`. An input over [`max_input_bytes`](Policy::max_input_bytes)
    /// or with a tag of more than [`MAX_ATTRIBUTES_PER_TAG`] attributes gives
    /// an empty string; use [`try_clean`](Policy::try_clean) to get the error.
    ///
    /// ```
    /// let p = borax::Policy::basic();
    /// assert_eq!(p.clean("<p>one<br>two<script>x</script></p>"), "<p>one<br>two</p>");
    /// ```
    pub fn clean(&self, html: &str) -> String {
        self.try_clean(html).unwrap_or_default()
    }

    /// Clean `html`, or say why it cannot be.
    ///
    /// ```
    /// let p = borax::Policy::builder().max_input_bytes(3).build().unwrap();
    /// assert!(matches!(p.try_clean("long"), Err(borax::CleanError::InputTooLarge { len: 4, limit: 3 })));
    /// ```
    pub fn try_clean(&self, html: &str) -> Result<String, CleanError> {
        let mut out = String::with_capacity(html.len() + html.len() / 4 + 16);
        self.run(html, &mut out, &mut NoReport)?;
        Ok(out)
    }

    /// Clean `html`, borrowing it back when cleaning changes nothing: for
    /// callers that store or rewrite only what changed (the CLI's
    /// `--ndjson`, `--check`). Unchanged input costs no output buffer and no
    /// second pass to compare: the output is checked against the input as
    /// it is written.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let p = borax::Policy::comments();
    /// assert!(matches!(p.try_clean_cow("<b>fine</b>").unwrap(), Cow::Borrowed("<b>fine</b>")));
    /// assert_eq!(p.try_clean_cow("<b onclick=x>no</b>").unwrap(), "<b>no</b>");
    /// ```
    pub fn try_clean_cow<'a>(&self, html: &'a str) -> Result<Cow<'a, str>, CleanError> {
        let mut out = serialize::Diff::new(html);
        self.run(html, &mut out, &mut NoReport)?;
        Ok(out.finish())
    }

    /// Clean `html` into any writer.
    ///
    /// ```
    /// let mut buf = Vec::new();
    /// borax::Policy::comments().clean_to("<b>x</b><u>y</u>", &mut buf).unwrap();
    /// assert_eq!(buf, b"<b>x</b>y");
    /// ```
    pub fn clean_to<W: io::Write>(&self, html: &str, out: W) -> Result<(), CleanError> {
        let mut w = WriteOut::new(out);
        self.run(html, &mut w, &mut NoReport)?;
        w.finish()
            .map_err(|e| CleanError::Io(std::sync::Arc::new(e)))
    }

    /// Clean `html` and report what was removed and why.
    ///
    /// ```
    /// use borax::{Reason, RemovalKind};
    /// let (out, report) = borax::Policy::comments()
    ///     .clean_with_report("<b onclick=x>a</b><script>y</script><script>z</script>").unwrap();
    /// assert_eq!(out, "<b>a</b>");
    /// let script = report.removals.iter().find(|r| r.name == "script").unwrap();
    /// assert_eq!((script.kind, script.reason, script.count), (RemovalKind::Element, Reason::DroppedWithContent, 2));
    /// ```
    pub fn clean_with_report(&self, html: &str) -> Result<(String, Report), CleanError> {
        let mut out = String::with_capacity(html.len() + 16);
        let mut collect = Collect::default();
        let parsed = self.run(html, &mut out, &mut collect)?;
        let mut report = collect.finish();
        report.fast_path = parsed == Parsed::Fast;
        Ok((out, report))
    }

    fn run<O: Out, R: Reporter>(
        &self,
        html: &str,
        out: &mut O,
        report: &mut R,
    ) -> Result<Parsed, CleanError> {
        let inner = &*self.inner;
        let limit = inner.max_input_bytes;
        if html.len() > limit {
            return Err(CleanError::InputTooLarge {
                len: html.len(),
                limit,
            });
        }
        let max_depth = inner.max_depth;
        let rel_len = inner.rel_len();
        if inner.fast_path {
            // Text with no markup, references, NUL or CR parses to a single
            // text node equal to the input (proved equal to the full path
            // by a property test).
            if !inner.formats() && inner.hooks.text.is_none() && is_plain_text(html) {
                serialize::plain_text(out, html);
                return Ok(Parsed::Fast);
            }
            // The fast parser reads html5ever's tree for a subset of HTML,
            // or bails (see `fast`). Its tokens are cleaned as they come
            // where what was written can be taken back (see
            // `clean::stream`); otherwise it builds the tree.
            #[cfg(feature = "verify-fast-path")]
            clean::verify_stream(inner, html);
            // After a stream the parser bailed on, the tree fast parser
            // would bail at the same place: not tried.
            let mut tree_may_take = true;
            if let Some(mark) = out.mark().filter(|_| clean::streams(inner)) {
                match clean::stream(inner, html, out, report) {
                    Ok(needs_precheck) => {
                        // The same refusal as the full path.
                        if needs_precheck {
                            if let Err(e) = parse::attribute_precheck(html) {
                                out.rewind(mark);
                                report.reset();
                                return Err(e);
                            }
                        }
                        return Ok(Parsed::Fast);
                    }
                    Err(stop) => {
                        out.rewind(mark);
                        report.reset();
                        tree_may_take = stop == clean::Stop::Budget;
                    }
                }
            }
            let tree = if tree_may_take {
                fast::parse(html, max_depth, rel_len).ok()
            } else {
                None
            };
            if let Some(parsed) = tree {
                // The same refusal as the full path, whose first step it is.
                if parsed.needs_precheck {
                    parse::attribute_precheck(html)?;
                }
                #[cfg(feature = "verify-fast-path")]
                fast::verify(html, &parsed.dom, max_depth);
                clean::walk(inner, &parsed.dom, html.len(), out, report);
                return Ok(Parsed::Fast);
            }
        }
        #[cfg(feature = "verify-fast-path")]
        if inner.fast_path {
            let policy = Policy {
                inner: std::sync::Arc::new(inner.clone()),
            };
            if let Err(e) = fast::check_tokens(html, &policy) {
                panic!("verify-fast-path: {e}");
            }
        }
        let dom = parse::parse_fragment(html, inner)?;
        for (kind, name, reason, count) in &dom.guard_removals {
            report.removed_many(*kind, name, *reason, *count);
        }
        clean::walk(inner, &dom, html.len(), out, report);
        Ok(Parsed::Html5ever)
    }

    /// The same policy, with the fast paths on (the default) or off. The
    /// fast paths: plain text, the fast parser (a subset of HTML read as
    /// html5ever's tree) and the fast tokenizer (html5ever's tree builder
    /// fed by the fast parser's lexing, for everything else). Off, every
    /// input goes through html5ever's tokenizer and tree builder; the
    /// output is the same byte for byte (the fast paths are proved equal by
    /// tests), only slower: for comparing the paths on your own data (the
    /// CLI's `--no-fast-path`).
    ///
    /// ```
    /// let p = borax::Policy::comments();
    /// let slow = p.with_fast_path(false);
    /// assert_eq!(slow, p); // the same policy
    /// assert!(!slow.fast_path() && p.fast_path());
    /// assert_eq!(slow.clean("plain & text > x"), p.clean("plain & text > x"));
    /// ```
    pub fn with_fast_path(&self, enabled: bool) -> Policy {
        if self.inner.fast_path == enabled {
            return self.clone();
        }
        let mut inner = (*self.inner).clone();
        inner.fast_path = enabled;
        Policy {
            inner: std::sync::Arc::new(inner),
        }
    }

    /// Whether the fast paths are on (see [`with_fast_path`](Policy::with_fast_path)).
    ///
    /// ```
    /// assert!(borax::Policy::comments().fast_path());
    /// ```
    pub fn fast_path(&self) -> bool {
        self.inner.fast_path
    }
}

/// Which parser made the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parsed {
    /// The plain-text shortcut or the fast parser.
    Fast,
    /// html5ever.
    Html5ever,
}

/// Input the fast path may take: no `<`, `&`, NUL or CR.
fn is_plain_text(html: &str) -> bool {
    let b = html.as_bytes();
    memchr::memchr3(b'<', b'&', b'\0', b).is_none() && memchr::memchr(b'\r', b).is_none()
}

/// Not public API: hooks for borax's own tests, fuzz targets and
/// measurement tools. May change or go away in any release.
#[doc(hidden)]
pub mod __private {
    use crate::fast;

    /// Parse `html` with the fast parser and with html5ever (fragment in a
    /// `<div>`, the depth cap `max_depth`). `Ok(None)`: the fast parser
    /// accepted it and both trees are equal, node by node (or both paths
    /// refuse the input); `Ok(Some(reason))`: the fast parser bailed;
    /// `Err(message)`: the trees differ.
    pub fn fast_path_check(html: &str, max_depth: usize) -> Result<Option<&'static str>, String> {
        fast::check(html, max_depth).map(|r| r.err().map(fast::Bail::as_str))
    }

    /// Parse `html` under `policy` with the fast tokenizer feeding
    /// html5ever's tree builder and with html5ever alone: `Err(message)`
    /// when the trees (or guard removals, or refusals) differ.
    pub fn fast_tokens_check(policy: &crate::Policy, html: &str) -> Result<(), String> {
        fast::check_tokens(html, policy)
    }

    /// Bytes of `html` the fast tokenizer reads under `policy` before it
    /// hands over to html5ever's (all of them when it does not; 0 when the
    /// policy's fast paths are off or the input is refused).
    pub fn fast_tokenizer_reach(policy: &crate::Policy, html: &str) -> usize {
        crate::parse::parse_fragment(html, &policy.inner).map_or(0, |d| d.fast_tokenized)
    }

    /// Which path `policy` takes for `html`: `None` when a fast path (plain
    /// text or the fast parser) takes it, else why the fast parser bails.
    pub fn fast_path_bail(policy: &crate::Policy, html: &str) -> Option<&'static str> {
        if crate::is_plain_text(html) {
            return None;
        }
        fast::parse(html, policy.max_depth(), 0)
            .err()
            .map(fast::Bail::as_str)
    }

    /// The fast parser alone, telling its tokens to nobody (for
    /// measurements): whether it accepts `html`.
    pub fn fast_scan_only(html: &str) -> bool {
        fast::scan_only(html, crate::DEFAULT_MAX_DEPTH)
    }

    /// Parse only (no cleaning), for measurements: with the fast parser
    /// (`fast`; `false` when it bails) or with html5ever (`true` unless
    /// refused).
    pub fn parse_only(html: &str, fast: bool) -> bool {
        if fast {
            fast::parse(html, crate::DEFAULT_MAX_DEPTH, 0).is_ok()
        } else {
            crate::parse::parse_fragment(html, &crate::Policy::text().inner).is_ok()
        }
    }
}

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// MIGRATING.md's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../MIGRATING.md")]
struct MigratingDoctests;
