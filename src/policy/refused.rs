//! What no policy may allow, and what is dropped together with its content:
//! one table, from which both lists are read.

use super::{ElementName, Namespace};
use crate::html;

/// An HTML element borax never emits, or drops with its content unless a
/// policy allows it.
struct Entry {
    name: &'static str,
    why: &'static str,
    /// No policy may allow it.
    refused: bool,
    /// Dropped with its content (not unwrapped) when not allowed.
    dropped: bool,
}

const fn e(name: &'static str, refused: bool, dropped: bool, why: &'static str) -> Entry {
    Entry {
        name,
        why,
        refused,
        dropped,
    }
}

/// The table. `svg` and `math` here are the foreign roots (allowed by a
/// policy that names them; dropped with their content otherwise).
const TABLE: &[Entry] = &[
    e(
        "script",
        true,
        true,
        "runs code; its text is code, not content",
    ),
    e(
        "style",
        true,
        true,
        "its style sheet applies to the whole page and is not sanitized (only `style` \
         attributes are, with styleProperties), and its text is raw text",
    ),
    e(
        "template",
        true,
        true,
        "inert content that scripts on the page may clone and activate",
    ),
    e(
        "iframe",
        true,
        true,
        "embeds another document; its text is raw text",
    ),
    e("object", true, true, "embeds plugins and documents"),
    e("embed", true, true, "embeds plugins and documents"),
    e("applet", true, true, "embeds plugins"),
    e(
        "noscript",
        true,
        true,
        "raw text when scripting is on, markup when off: the parses differ",
    ),
    e(
        "noembed",
        true,
        true,
        "raw text: its content was never markup",
    ),
    e(
        "noframes",
        true,
        true,
        "raw text: its content was never markup",
    ),
    e("xmp", true, true, "raw text: its content was never markup"),
    e(
        "plaintext",
        true,
        true,
        "swallows the rest of the page as text",
    ),
    e(
        "title",
        true,
        true,
        "RCDATA, and a document's title is not content",
    ),
    e(
        "textarea",
        true,
        true,
        "RCDATA: its content was never markup",
    ),
    e(
        "select",
        true,
        true,
        "its content model differs between browsers (customizable select)",
    ),
    e("frame", true, true, "embeds another document"),
    e("frameset", true, true, "replaces the page body"),
    e(
        "base",
        true,
        false,
        "changes where every relative URL of the page points",
    ),
    e(
        "meta",
        true,
        false,
        "can redirect or refresh the page, or change its policies",
    ),
    e(
        "link",
        true,
        false,
        "loads style sheets, preloads and imports",
    ),
    e("param", true, false, "configures plugins"),
    e("html", true, false, "is the document, not content"),
    e("head", true, false, "is the document's head, not content"),
    e(
        "body",
        true,
        false,
        "its attributes merge into the page's body (event handlers)",
    ),
    e(
        "image",
        true,
        false,
        "the parser turns it into img: allow img instead",
    ),
    e(
        "svg",
        false,
        true,
        "a separate namespace with its own scripting and parsing rules",
    ),
    e(
        "math",
        false,
        true,
        "a separate namespace with its own parsing rules",
    ),
];

/// Elements dropped together with their content unless the policy allows
/// them (`svg` and `math` are the foreign roots), with why.
pub(crate) fn dropped_with_content() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE.iter().filter(|x| x.dropped).map(|x| (x.name, x.why))
}

/// HTML elements no policy may allow, with why.
pub(crate) fn refused_html() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE.iter().filter(|x| x.refused).map(|x| (x.name, x.why))
}

/// SVG Tiny's event elements: refused in every namespace.
const EVENT_ELEMENTS: &[&str] = &["handler", "listener"];

/// SVG and MathML elements no policy may allow: the names HTML parses as
/// script, raw text or RCDATA ([`html::RAW_TEXT_NAMES`]), except
/// `svg:title`, and SVG Tiny's event elements.
#[cfg(test)]
pub(crate) fn refused_foreign() -> impl Iterator<Item = (Namespace, &'static str)> {
    [Namespace::Svg, Namespace::MathMl]
        .into_iter()
        .flat_map(|ns| {
            html::RAW_TEXT_NAMES
                .iter()
                .chain(EVENT_ELEMENTS)
                .copied()
                .filter(move |n| foreign_refusal(ns, n).is_some())
                .map(move |n| (ns, n))
        })
}

/// Why a foreign (SVG or MathML) element cannot be allowed, or `None`.
///
/// In SVG and MathML the raw-text names hold markup, in HTML text.
/// Sanitizing judges the tree of one parse, but the page parses the output
/// again: if that parse puts the element in HTML (a namespace confusion, the
/// mXSS family of `<svg></p><style><a id="</style><img ...>">`), an end tag
/// that was harmless text inside an attribute value closes it and what
/// follows is live markup. Refusing the names in every namespace is a
/// second layer behind the walker's namespace check.
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
        (_, n) if EVENT_ELEMENTS.contains(&n) => "SVG Tiny's event elements run script",
        (_, n) if html::RAW_TEXT_NAMES.contains(&n) => RAW_TEXT,
        _ => return None,
    };
    Some(why)
}

/// Why an element (any namespace) cannot be allowed, or `None`.
pub(crate) fn refusal(name: &ElementName) -> Option<&'static str> {
    match name.ns {
        Namespace::Html => refused_html()
            .find(|(n, _)| *n == name.name)
            .map(|(_, why)| why),
        Namespace::Svg | Namespace::MathMl => foreign_refusal(name.ns, &name.name),
    }
}

/// If this element is dropped with its content whenever it is not allowed
/// (`svg` and `math` meaning the foreign roots): why.
pub(crate) fn always_removed(name: &ElementName) -> Option<&'static str> {
    let html_or_root = match name.name.as_str() {
        "svg" => name.ns == Namespace::Svg,
        "math" => name.ns == Namespace::MathMl,
        _ => name.ns == Namespace::Html,
    };
    if !html_or_root {
        return None;
    }
    dropped_with_content()
        .find(|(n, _)| *n == name.name)
        .map(|(_, why)| why)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `PolicyBuilder::build`'s `# Errors` section lists every refused
    /// element (the docs are written by hand; this keeps them true).
    #[test]
    fn build_docs_list_every_refusal() {
        let docs = include_str!("../policy.rs");
        let errors = &docs[docs
            .find("/// # Errors")
            .expect("build() has an Errors section")..];
        let errors = &errors[..errors
            .find("pub fn build")
            .expect("build() follows its docs")];
        for (name, _) in refused_html() {
            assert!(
                errors.contains(&format!("`{name}`")),
                "`{name}` missing from build()'s docs"
            );
        }
        for (ns, name) in refused_foreign() {
            let written = format!("`{}:{name}`", ns.as_str());
            let family = format!("`{name}`");
            assert!(
                errors.contains(&written) || errors.contains(&family),
                "{written} missing from build()'s docs"
            );
        }
        for (name, _) in dropped_with_content() {
            assert!(errors.contains(&format!("`{name}`")), "`{name}` missing");
        }
        for other in [
            "`srcdoc`",
            "`on*`",
            "RelConflict",
            "MAX_DEPTH_LIMIT",
            "MAX_INPUT_BYTES_LIMIT",
        ] {
            assert!(
                errors.contains(other),
                "{other} missing from build()'s docs"
            );
        }
    }

    #[test]
    fn lists_come_from_one_table() {
        let dropped: Vec<_> = dropped_with_content().map(|(n, _)| n).collect();
        let refused: Vec<_> = refused_html().map(|(n, _)| n).collect();
        assert!(dropped.contains(&"script") && refused.contains(&"script"));
        assert!(dropped.contains(&"svg") && !refused.contains(&"svg"));
        assert!(!dropped.contains(&"base") && refused.contains(&"base"));
        assert_eq!(foreign_refusal(Namespace::Svg, "title"), None);
        assert!(foreign_refusal(Namespace::MathMl, "title").is_some());
    }
}
