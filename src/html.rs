//! Facts about the HTML parser: what its tree builder does with each element
//! name. One table, used by the parse guard and by the walk.
//!
//! borax predicts how a browser will re-parse its output; every prediction
//! lives here. Two parsers matter, html5ever (the parser of record, and what
//! the tests re-parse with) and the browsers (Chromium, WebKit, Gecko, which
//! follow the WHATWG spec). Where they differ, each fact is taken in the
//! direction that makes borax *unwrap* more, so that neither parser
//! restructures what borax emits:
//!
//! * html5ever's "special" set has only HTML names (the spec's also has the
//!   MathML and SVG integration points) and includes `isindex`; neither
//!   treats `dialog` or `search` as special. An element breaks the search for
//!   an open `li`/`dd`/`dt` here only when it is special to **both**.
//! * html5ever's default scope has no `annotation-xml` (the spec's has), and
//!   has `select` (the spec's no longer has). An element bounds "`p` in button
//!   scope" here only when it does so in **both**.
//! * An element closes an open `<p>` here when it does so in **either**.
//!
//! Namespaces follow the tree construction dispatcher: see
//! [`start_tag_namespace`].

use html5ever::{local_name, LocalName};

use crate::policy::Namespace;

/// Where an element's children are parsed, as far as the tree builder's
/// dispatcher is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// HTML content: under an HTML element or an HTML integration point
    /// (SVG `foreignObject`, `desc`, `title`; MathML `annotation-xml` with an
    /// HTML `encoding`). Start tags follow the "in body" rules.
    Html,
    /// Under a MathML text integration point (`mi mo mn ms mtext`).
    MathText,
    /// Under a MathML `annotation-xml` that is not an HTML integration point.
    Annotation,
    /// Under any other MathML element.
    Math,
    /// Under any other SVG element.
    Svg,
}

impl Place {
    /// The place an element's children are in. `local` is the element's
    /// local name as the tree holds it (SVG names case-adjusted);
    /// `html_encoding` says whether it carries (in the output) an `encoding`
    /// of `text/html` or `application/xhtml+xml`.
    pub(crate) fn of_children(ns: Namespace, local: &str, html_encoding: bool) -> Place {
        match ns {
            Namespace::Html => Place::Html,
            Namespace::Svg => {
                if matches!(local, "foreignObject" | "desc" | "title") {
                    Place::Html
                } else {
                    Place::Svg
                }
            }
            Namespace::MathMl => match local {
                "mi" | "mo" | "mn" | "ms" | "mtext" => Place::MathText,
                "annotation-xml" if html_encoding => Place::Html,
                "annotation-xml" => Place::Annotation,
                _ => Place::Math,
            },
        }
    }
}

/// Is `value` an `encoding` that makes `annotation-xml` an HTML integration
/// point?
pub(crate) fn is_html_encoding(value: &str) -> bool {
    value.eq_ignore_ascii_case("text/html") || value.eq_ignore_ascii_case("application/xhtml+xml")
}

/// The namespace a parser gives an element whose start tag `name` (as the
/// tokenizer sees it: lowercase) appears as the first child of a node whose
/// children are in `place`; `None` when the tag would instead close open
/// elements ("breaks out" of foreign content), so the tree would change.
/// `font_breakout` says whether the tag carries `color`, `face` or `size`.
pub(crate) fn start_tag_namespace(
    place: Place,
    name: &str,
    font_breakout: bool,
) -> Option<Namespace> {
    let in_body = || match name {
        "svg" => Namespace::Svg,
        "math" => Namespace::MathMl,
        _ => Namespace::Html,
    };
    let foreign = |ns: Namespace| {
        if breaks_out_of_foreign_content(name) || (name == "font" && font_breakout) {
            None
        } else {
            Some(ns)
        }
    };
    match place {
        Place::Html => Some(in_body()),
        Place::MathText => match name {
            "mglyph" | "malignmark" => Some(Namespace::MathMl),
            _ => Some(in_body()),
        },
        Place::Annotation => match name {
            "svg" => Some(Namespace::Svg),
            _ => foreign(Namespace::MathMl),
        },
        Place::Math => foreign(Namespace::MathMl),
        Place::Svg => foreign(Namespace::Svg),
    }
}

/// Start tags that make the parser leave foreign content (pop to the nearest
/// HTML element or integration point). `font` does so only with `color`,
/// `face` or `size`.
pub(crate) fn breaks_out_of_foreign_content(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    )
}

/// HTML void elements: written without an end tag. (`image` is not one: the
/// parser turns an `<image>` start tag into `<img>`; see
/// [`start_tag_is_void`].)
pub(crate) fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("frame")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("keygen")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

/// Start tags (HTML, "in body") that create an element with no content:
/// the void elements and `image` (which becomes `img`).
pub(crate) fn start_tag_is_void(name: &LocalName) -> bool {
    is_void(name) || *name == local_name!("image")
}

/// The formatting elements of the tree builder's "list of active formatting
/// elements" (reconstructed after they are closed by misnesting).
pub(crate) fn is_formatting(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("b")
            | local_name!("big")
            | local_name!("code")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("nobr")
            | local_name!("s")
            | local_name!("small")
            | local_name!("strike")
            | local_name!("strong")
            | local_name!("tt")
            | local_name!("u")
    )
}

/// The block containers (and `pre`, `listing`): in html5ever 0.40 and in
/// the spec their start tag closes an open `<p>` in button scope, and their
/// end tag closes them only when they are in (default) scope.
pub(crate) fn is_block_container(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("address")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("blockquote")
            | local_name!("center")
            | local_name!("details")
            | local_name!("dialog")
            | local_name!("dir")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("listing")
            | local_name!("main")
            | local_name!("menu")
            | local_name!("nav")
            | local_name!("ol")
            | local_name!("pre")
            | local_name!("section")
            | local_name!("summary")
            | local_name!("ul")
    )
}

/// HTML start tags that close an open `<p>` in button scope, in html5ever
/// or in the spec (the union).
pub(crate) fn closes_p(name: &LocalName) -> bool {
    is_block_container(name)
        || is_heading(name)
        || matches!(
            *name,
            local_name!("p")
                | local_name!("search")
                | local_name!("form")
                | local_name!("plaintext")
                | local_name!("table")
                | local_name!("hr")
                | local_name!("xmp")
                | local_name!("li")
                | local_name!("dd")
                | local_name!("dt")
        )
}

/// HTML headings.
pub(crate) fn is_heading(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
    )
}

/// HTML elements in the "special" category of both html5ever and the spec
/// (html5ever's `special_tag` without `isindex`; the spec's HTML part
/// without `search`, which Chromium does not treat as special). Only these
/// stop the search for an open `li`, `dd` or `dt`; foreign elements never
/// do (html5ever's set has no foreign names).
pub(crate) fn is_special_in_both(name: &LocalName) -> bool {
    special_common(name) || *name == local_name!("keygen")
}

/// The "special" elements the parse guard counts as blocking an end tag of
/// another name: the common set, and `search` (taken as special there, which
/// only makes the guard hold more back).
pub(crate) fn is_special_for_end_tags(name: &LocalName) -> bool {
    special_common(name) || *name == local_name!("search")
}

/// The special elements both lists above share.
fn special_common(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("address")
            | local_name!("applet")
            | local_name!("area")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("blockquote")
            | local_name!("body")
            | local_name!("br")
            | local_name!("button")
            | local_name!("caption")
            | local_name!("center")
            | local_name!("col")
            | local_name!("colgroup")
            | local_name!("dd")
            | local_name!("details")
            | local_name!("dir")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("embed")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("frame")
            | local_name!("frameset")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("head")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("hr")
            | local_name!("html")
            | local_name!("iframe")
            | local_name!("img")
            | local_name!("input")
            | local_name!("li")
            | local_name!("link")
            | local_name!("listing")
            | local_name!("main")
            | local_name!("marquee")
            | local_name!("menu")
            | local_name!("meta")
            | local_name!("nav")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("object")
            | local_name!("ol")
            | local_name!("p")
            | local_name!("param")
            | local_name!("plaintext")
            | local_name!("pre")
            | local_name!("script")
            | local_name!("section")
            | local_name!("select")
            | local_name!("source")
            | local_name!("style")
            | local_name!("summary")
            | local_name!("table")
            | local_name!("tbody")
            | local_name!("td")
            | local_name!("template")
            | local_name!("textarea")
            | local_name!("tfoot")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("title")
            | local_name!("tr")
            | local_name!("track")
            | local_name!("ul")
            | local_name!("wbr")
            | local_name!("xmp")
    )
}

/// Elements that bound "button scope" in both html5ever and the spec. The
/// foreign ones are given by namespace and local name.
pub(crate) fn bounds_button_scope(ns: Namespace, local: &str) -> bool {
    match ns {
        Namespace::Html => matches!(
            local,
            "applet"
                | "caption"
                | "html"
                | "table"
                | "td"
                | "th"
                | "marquee"
                | "object"
                | "template"
                | "button"
        ),
        Namespace::MathMl => matches!(local, "mi" | "mo" | "mn" | "ms" | "mtext"),
        Namespace::Svg => matches!(local, "foreignObject" | "desc" | "title"),
    }
}

/// Names whose HTML element's content the tokenizer does not read as
/// markup: script, raw text (`style xmp iframe noembed noframes`, and
/// `noscript` with scripting on), RCDATA (`textarea title`) and
/// `plaintext`.
pub(crate) const RAW_TEXT_NAMES: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "textarea",
    "title",
];

/// What the tree builder ("in body", no open `p`, `a`, list item or
/// heading in the way) does with a start tag of the fast parser's subset
/// (`crate::fast`). Every element of the subset is in the HTML namespace
/// and none is raw text, a table part, a form control or foreign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InBody {
    /// A formatting element other than `a`: pushed on the stack and on the
    /// list of active formatting elements.
    Formatting,
    /// `a`: formatting, and an `a` still in the list of active formatting
    /// elements is first closed by the adoption agency algorithm.
    Anchor,
    /// "Any other start tag": inserted and pushed, nothing else.
    Ordinary,
    /// Closes a `p` in button scope, then inserted and pushed.
    Block,
    /// `h1`..`h6`: a block that first pops a heading that is the current node.
    Heading,
    /// `pre`: a block after which one leading newline is dropped.
    Pre,
    /// `li`: closes an open `li` not shielded by a special element (other
    /// than `address`, `div`, `p`), then a `p`; then inserted and pushed.
    ListItem,
    /// A list (`ul`, `ol`): a block that shields list items inside it.
    List,
    /// Void: inserted and popped at once; `hr` also closes a `p` first.
    /// (`meta link base basefont bgsound` go through the "in head" rules,
    /// which do the same; `embed input keygen` also set frameset-ok, which
    /// no fragment reads.)
    Void {
        /// `hr`.
        closes_p: bool,
    },
    /// Inserted and pushed, and the tokenizer reads its content as text up
    /// to its own end tag (and the tree builder appends it as such).
    Text(TextContent),
    /// `body`: in a fragment no `body` is open, so its start and end tags
    /// are ignored.
    Ignored,
    /// `html`: its start tag adds its attributes to the root (the fast
    /// parser bails on one with attributes), so a bare one is ignored, as
    /// is its end tag (no `body` is open).
    Root,
}

/// How the tokenizer reads the content of an [`InBody::Text`] element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextContent {
    /// Raw text (`style iframe noembed noframes`, and `noscript` with
    /// scripting on): no references, no markup.
    Raw,
    /// `xmp`: raw text, and the start tag closes a `p`.
    Xmp,
    /// `script`: raw text unless it holds `<!--` (the escaped states).
    Script,
    /// RCDATA (`title`): references are decoded, no markup.
    Rcdata,
    /// `textarea`: RCDATA whose first newline is dropped.
    Textarea,
}

/// One element name of the fast parser's subset.
#[derive(Clone, Debug)]
pub(crate) struct SubsetTag {
    pub(crate) local: LocalName,
    pub(crate) rule: InBody,
}

/// The fast parser's element subset: every element of the `basic` preset,
/// `span div u s`, a few block and inline elements whose start and end
/// tags the tree builder handles in the plainest way (see [`InBody`]),
/// every name no rule of the tree builder mentions ("any other start
/// tag": unknown and custom elements), the void elements other than `col`,
/// `frame` and `image` (inserted and popped at once, in body),
/// the raw-text and RCDATA elements (whose content is one text node), and
/// `body` (ignored in a fragment). `lower` is the tag name as the tokenizer
/// gives it (ASCII lowercase). Left out on purpose: tables (foster
/// parenting), `dd dt` and `ruby` parts (implied end tags), `nobr` (adoption
/// agency), `listing` (newline rule), `image` (renamed), `plaintext`, forms,
/// `html` (its attributes go to the root), `svg` and `math`.
pub(crate) fn fast_subset(lower: &str) -> Option<SubsetTag> {
    use InBody::*;
    // Dispatch on the length, then on the bytes as an array: integer
    // compares, no string comparisons.
    let b = lower.as_bytes();
    let known: Option<(LocalName, InBody)> = match b.len() {
        1 => match *b {
            [b'a'] => Some((local_name!("a"), Anchor)),
            [b'b'] => Some((local_name!("b"), Formatting)),
            [b'i'] => Some((local_name!("i"), Formatting)),
            [b's'] => Some((local_name!("s"), Formatting)),
            [b'u'] => Some((local_name!("u"), Formatting)),
            [b'q'] => Some((local_name!("q"), Ordinary)),
            [b'p'] => Some((local_name!("p"), Block)),
            _ => None,
        },
        2 => match *b {
            [b'e', b'm'] => Some((local_name!("em"), Formatting)),
            [b'o', b'l'] => Some((local_name!("ol"), List)),
            [b'u', b'l'] => Some((local_name!("ul"), List)),
            [b'l', b'i'] => Some((local_name!("li"), ListItem)),
            [b'h', b'1'] => Some((local_name!("h1"), Heading)),
            [b'h', b'2'] => Some((local_name!("h2"), Heading)),
            [b'h', b'3'] => Some((local_name!("h3"), Heading)),
            [b'h', b'4'] => Some((local_name!("h4"), Heading)),
            [b'h', b'5'] => Some((local_name!("h5"), Heading)),
            [b'h', b'6'] => Some((local_name!("h6"), Heading)),
            [b'b', b'r'] => Some((local_name!("br"), Void { closes_p: false })),
            [b'h', b'r'] => Some((local_name!("hr"), Void { closes_p: true })),
            _ => None,
        },
        3 => match *b {
            [b'b', b'd', b'i'] => Some((local_name!("bdi"), Ordinary)),
            [b'b', b'd', b'o'] => Some((local_name!("bdo"), Ordinary)),
            [b'd', b'e', b'l'] => Some((local_name!("del"), Ordinary)),
            [b'd', b'f', b'n'] => Some((local_name!("dfn"), Ordinary)),
            [b'i', b'n', b's'] => Some((local_name!("ins"), Ordinary)),
            [b'k', b'b', b'd'] => Some((local_name!("kbd"), Ordinary)),
            [b's', b'u', b'b'] => Some((local_name!("sub"), Ordinary)),
            [b's', b'u', b'p'] => Some((local_name!("sup"), Ordinary)),
            [b'v', b'a', b'r'] => Some((local_name!("var"), Ordinary)),
            [b'd', b'i', b'v'] => Some((local_name!("div"), Block)),
            [b'p', b'r', b'e'] => Some((local_name!("pre"), Pre)),
            [b'i', b'm', b'g'] => Some((local_name!("img"), Void { closes_p: false })),
            [b'w', b'b', b'r'] => Some((local_name!("wbr"), Void { closes_p: false })),
            [b'x', b'm', b'p'] => Some((local_name!("xmp"), Text(TextContent::Xmp))),
            _ => None,
        },
        4 => match *b {
            [b'c', b'o', b'd', b'e'] => Some((local_name!("code"), Formatting)),
            [b'a', b'b', b'b', b'r'] => Some((local_name!("abbr"), Ordinary)),
            [b'c', b'i', b't', b'e'] => Some((local_name!("cite"), Ordinary)),
            [b'm', b'a', b'r', b'k'] => Some((local_name!("mark"), Ordinary)),
            [b's', b'a', b'm', b'p'] => Some((local_name!("samp"), Ordinary)),
            [b's', b'p', b'a', b'n'] => Some((local_name!("span"), Ordinary)),
            [b't', b'i', b'm', b'e'] => Some((local_name!("time"), Ordinary)),
            [b'b', b'o', b'd', b'y'] => Some((local_name!("body"), Ignored)),
            [b'h', b't', b'm', b'l'] => Some((local_name!("html"), Root)),
            [b'm', b'e', b't', b'a'] => Some((local_name!("meta"), Void { closes_p: false })),
            [b'l', b'i', b'n', b'k'] => Some((local_name!("link"), Void { closes_p: false })),
            [b'b', b'a', b's', b'e'] => Some((local_name!("base"), Void { closes_p: false })),
            [b'a', b'r', b'e', b'a'] => Some((local_name!("area"), Void { closes_p: false })),
            _ => None,
        },
        5 => match *b {
            [b's', b'm', b'a', b'l', b'l'] => Some((local_name!("small"), Formatting)),
            [b'e', b'm', b'b', b'e', b'd'] => {
                Some((local_name!("embed"), Void { closes_p: false }))
            }
            [b'i', b'n', b'p', b'u', b't'] => {
                Some((local_name!("input"), Void { closes_p: false }))
            }
            [b'p', b'a', b'r', b'a', b'm'] => {
                Some((local_name!("param"), Void { closes_p: false }))
            }
            [b't', b'r', b'a', b'c', b'k'] => {
                Some((local_name!("track"), Void { closes_p: false }))
            }
            [b'a', b's', b'i', b'd', b'e'] => Some((local_name!("aside"), Block)),
            [b's', b't', b'y', b'l', b'e'] => Some((local_name!("style"), Text(TextContent::Raw))),
            [b't', b'i', b't', b'l', b'e'] => {
                Some((local_name!("title"), Text(TextContent::Rcdata)))
            }
            _ => None,
        },
        6 => match *b {
            [b's', b't', b'r', b'i', b'k', b'e'] => Some((local_name!("strike"), Formatting)),
            [b'k', b'e', b'y', b'g', b'e', b'n'] => {
                Some((local_name!("keygen"), Void { closes_p: false }))
            }
            [b's', b'o', b'u', b'r', b'c', b'e'] => {
                Some((local_name!("source"), Void { closes_p: false }))
            }
            [b's', b't', b'r', b'o', b'n', b'g'] => Some((local_name!("strong"), Formatting)),
            [b'c', b'e', b'n', b't', b'e', b'r'] => Some((local_name!("center"), Block)),
            [b'f', b'i', b'g', b'u', b'r', b'e'] => Some((local_name!("figure"), Block)),
            [b's', b'c', b'r', b'i', b'p', b't'] => {
                Some((local_name!("script"), Text(TextContent::Script)))
            }
            [b'i', b'f', b'r', b'a', b'm', b'e'] => {
                Some((local_name!("iframe"), Text(TextContent::Raw)))
            }
            _ => None,
        },
        7 => match *b {
            [b'a', b'c', b'r', b'o', b'n', b'y', b'm'] => Some((local_name!("acronym"), Ordinary)),
            [b'b', b'g', b's', b'o', b'u', b'n', b'd'] => {
                Some((local_name!("bgsound"), Void { closes_p: false }))
            }
            [b'a', b'd', b'd', b'r', b'e', b's', b's'] => Some((local_name!("address"), Block)),
            [b'a', b'r', b't', b'i', b'c', b'l', b'e'] => Some((local_name!("article"), Block)),
            [b's', b'e', b'c', b't', b'i', b'o', b'n'] => Some((local_name!("section"), Block)),
            [b'n', b'o', b'e', b'm', b'b', b'e', b'd'] => {
                Some((local_name!("noembed"), Text(TextContent::Raw)))
            }
            _ => None,
        },
        8 => match *b {
            [b'b', b'a', b's', b'e', b'f', b'o', b'n', b't'] => {
                Some((local_name!("basefont"), Void { closes_p: false }))
            }
            [b'n', b'o', b'f', b'r', b'a', b'm', b'e', b's'] => {
                Some((local_name!("noframes"), Text(TextContent::Raw)))
            }
            [b'n', b'o', b's', b'c', b'r', b'i', b'p', b't'] => {
                Some((local_name!("noscript"), Text(TextContent::Raw)))
            }
            [b't', b'e', b'x', b't', b'a', b'r', b'e', b'a'] => {
                Some((local_name!("textarea"), Text(TextContent::Textarea)))
            }
            _ => None,
        },
        10 => match *b {
            [b'b', b'l', b'o', b'c', b'k', b'q', b'u', b'o', b't', b'e'] => {
                Some((local_name!("blockquote"), Block))
            }
            [b'f', b'i', b'g', b'c', b'a', b'p', b't', b'i', b'o', b'n'] => {
                Some((local_name!("figcaption"), Block))
            }
            _ => None,
        },
        _ => None,
    };
    let (local, rule) = match known {
        Some(k) => k,
        None if has_in_body_rule(lower) => return None,
        // "Any other start tag" (and end tag): a name no rule mentions.
        None => (LocalName::from(lower), Ordinary),
    };
    Some(SubsetTag { local, rule })
}

/// Names the tree builder has a rule for in the "in body" insertion mode
/// (its own, or "in head"'s it defers to), or that are special to it
/// (`isindex`), other than the "any other start tag" rule: html5ever's
/// `tree_builder/rules.rs`.
pub(crate) fn has_in_body_rule(lower: &str) -> bool {
    matches!(
        lower,
        "a" | "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "b"
            | "base"
            | "basefont"
            | "bgsound"
            | "big"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "code"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "font"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "i"
            | "iframe"
            | "image"
            | "img"
            | "input"
            | "isindex"
            | "keygen"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "math"
            | "menu"
            | "meta"
            | "nav"
            | "nobr"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "optgroup"
            | "option"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "rb"
            | "rp"
            | "rt"
            | "rtc"
            | "s"
            | "script"
            | "search"
            | "section"
            | "select"
            | "selectedcontent"
            | "small"
            | "source"
            | "strike"
            | "strong"
            | "style"
            | "summary"
            | "svg"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "tt"
            | "u"
            | "ul"
            | "wbr"
            | "xmp"
    )
}

/// Every name of [`fast_subset`], for tests.
#[cfg(test)]
pub(crate) const FAST_SUBSET_NAMES: &[&str] = &[
    "html",
    "area",
    "base",
    "basefont",
    "bgsound",
    "embed",
    "input",
    "keygen",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "a",
    "b",
    "code",
    "em",
    "i",
    "s",
    "small",
    "strike",
    "strong",
    "u",
    "abbr",
    "acronym",
    "bdi",
    "bdo",
    "cite",
    "del",
    "dfn",
    "ins",
    "kbd",
    "mark",
    "q",
    "samp",
    "span",
    "sub",
    "sup",
    "time",
    "var",
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "div",
    "figcaption",
    "figure",
    "p",
    "section",
    "ol",
    "ul",
    "li",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "img",
    "wbr",
    "hr",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_annotation_xml_bypass_is_a_namespace_change() {
        // A MathML `svg` under annotation-xml re-parses as an SVG root.
        assert_eq!(
            start_tag_namespace(Place::Annotation, "svg", false),
            Some(Namespace::Svg)
        );
        assert_eq!(
            start_tag_namespace(Place::Annotation, "style", false),
            Some(Namespace::MathMl)
        );
        assert_eq!(
            start_tag_namespace(Place::MathText, "style", false),
            Some(Namespace::Html)
        );
        assert_eq!(start_tag_namespace(Place::Svg, "p", false), None);
        assert_eq!(start_tag_namespace(Place::Svg, "font", true), None);
        assert_eq!(
            start_tag_namespace(Place::Svg, "font", false),
            Some(Namespace::Svg)
        );
    }

    #[test]
    fn dialog_and_search_are_not_special_but_close_p() {
        for n in ["dialog", "search"] {
            let n = LocalName::from(n);
            assert!(!is_special_in_both(&n));
            assert!(closes_p(&n));
        }
    }

    #[test]
    fn fast_subset_agrees_with_the_other_facts() {
        for name in FAST_SUBSET_NAMES {
            let t = fast_subset(name).expect(name);
            assert_eq!(&*t.local, *name);
            // Ordinary elements are listed only for their static atoms.
            assert_eq!(has_in_body_rule(name), t.rule != InBody::Ordinary, "{name}");
            let formatting = matches!(t.rule, InBody::Formatting | InBody::Anchor);
            assert_eq!(is_formatting(&t.local), formatting, "{name}");
            let void = matches!(t.rule, InBody::Void { .. });
            assert_eq!(is_void(&t.local), void, "{name}");
            let block = matches!(
                t.rule,
                InBody::Block
                    | InBody::Heading
                    | InBody::Pre
                    | InBody::ListItem
                    | InBody::List
                    | InBody::Void { closes_p: true }
                    | InBody::Text(TextContent::Xmp)
            );
            let text = matches!(t.rule, InBody::Text(_));
            assert_eq!(RAW_TEXT_NAMES.contains(name), text, "{name}");
            assert_eq!(closes_p(&t.local), block, "{name}");
            assert_eq!(is_heading(&t.local), t.rule == InBody::Heading, "{name}");
            // The fast parser's list item rule relies on these.
            let special = !matches!(
                t.rule,
                InBody::Ordinary | InBody::Formatting | InBody::Anchor
            );
            assert_eq!(is_special_in_both(&t.local), special, "{name}");
            assert!(
                fast_subset(&name.to_ascii_uppercase()).is_some_and(|t| t.rule == InBody::Ordinary)
            );
        }
        for preset in ["basic"] {
            let p = crate::Policy::preset(preset).unwrap();
            for (ns, name, _) in p.allowed_elements() {
                assert_eq!(ns, Namespace::Html);
                assert!(FAST_SUBSET_NAMES.contains(&name), "{preset}: {name}");
            }
        }
        for name in ["span", "div", "u", "s"] {
            assert!(FAST_SUBSET_NAMES.contains(&name));
        }
        // Names with a rule outside the subset bail; any other name is an
        // ordinary element.
        for name in ["table", "svg", "math", "nobr", "dd", "listing", "isindex"] {
            assert!(fast_subset(name).is_none(), "{name}");
        }
        for name in ["card", "x-y", "scr<script", "text", "desc"] {
            assert_eq!(fast_subset(name).map(|t| t.rule), Some(InBody::Ordinary));
        }
    }
}
