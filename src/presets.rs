//! The presets.

use std::sync::OnceLock;

use crate::error::PolicyError;
use crate::policy::Policy;

const COMMENTS_ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("abbr", &["title"]),
    ("acronym", &["title"]),
    ("b", &[]),
    ("blockquote", &["cite"]),
    ("code", &[]),
    ("em", &[]),
    ("i", &[]),
    ("strike", &[]),
    ("strong", &[]),
];

const BASIC_ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("abbr", &["title"]),
    ("acronym", &["title"]),
    ("b", &[]),
    ("blockquote", &["cite"]),
    ("br", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("del", &[]),
    ("em", &[]),
    ("i", &[]),
    ("ins", &[]),
    ("kbd", &[]),
    ("li", &[]),
    ("mark", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &["cite"]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("strike", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
];

const RELAXED_EXTRA: &[(&str, &[&str])] = &[
    ("address", &[]),
    ("article", &[]),
    ("aside", &[]),
    ("bdi", &["dir"]),
    ("bdo", &["dir"]),
    ("caption", &[]),
    ("center", &[]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("dd", &[]),
    ("details", &["open"]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    ("hr", &[]),
    ("img", &["src", "alt", "title", "width", "height"]),
    ("rp", &[]),
    ("rt", &[]),
    ("ruby", &[]),
    ("section", &[]),
    ("span", &[]),
    ("summary", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("thead", &[]),
    ("time", &["datetime"]),
    ("tr", &[]),
    ("wbr", &[]),
];

/// ammonia 4.2.5's `Builder::default()` tags and tag attributes (its
/// `tfoot` attributes apply to no allowed tag there, so `tfoot` is left
/// out here too). Checked against the ammonia dev-dependency in a test.
const AMMONIA_ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("abbr", &[]),
    ("acronym", &[]),
    ("area", &[]),
    ("article", &[]),
    ("aside", &[]),
    ("b", &[]),
    ("bdi", &[]),
    ("bdo", &["dir"]),
    ("blockquote", &["cite"]),
    ("br", &[]),
    ("caption", &[]),
    ("center", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["align", "char", "charoff", "span"]),
    ("colgroup", &["align", "char", "charoff", "span"]),
    ("data", &[]),
    ("dd", &[]),
    ("del", &["cite", "datetime"]),
    ("details", &[]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("footer", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("header", &[]),
    ("hgroup", &[]),
    ("hr", &["align", "size", "width"]),
    ("i", &[]),
    ("img", &["align", "alt", "height", "src", "width"]),
    ("ins", &["cite", "datetime"]),
    ("kbd", &[]),
    ("li", &[]),
    ("map", &[]),
    ("mark", &[]),
    ("nav", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &["cite"]),
    ("rp", &[]),
    ("rt", &[]),
    ("rtc", &[]),
    ("ruby", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strike", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &["align", "char", "charoff", "summary"]),
    ("tbody", &["align", "char", "charoff"]),
    (
        "td",
        &["align", "char", "charoff", "colspan", "headers", "rowspan"],
    ),
    (
        "th",
        &[
            "align", "char", "charoff", "colspan", "headers", "rowspan", "scope",
        ],
    ),
    ("thead", &["align", "char", "charoff"]),
    ("time", &[]),
    ("tr", &["align", "char", "charoff"]),
    ("tt", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
    ("wbr", &[]),
];

/// ammonia 4.2.5's generic attributes and URL schemes.
const AMMONIA_GENERIC: &[&str] = &["lang", "title"];
const AMMONIA_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// One preset: its name, a one-line summary, and how to make it.
struct Preset {
    name: &'static str,
    summary: &'static str,
    make: fn() -> Policy,
}

/// The presets, in the order they are listed. The one home of their names.
const TABLE: &[Preset] = &[
    Preset {
        name: "comments",
        summary: "a blog comment form: links, abbr, acronym, b, blockquote, code, em, i, strike, strong (the default)",
        make: Policy::comments,
    },
    Preset {
        name: "basic",
        summary: "comments plus paragraphs, line breaks, lists, pre, quotes and more inline formatting",
        make: Policy::basic,
    },
    Preset {
        name: "relaxed",
        summary: "basic plus headings, tables, images, definition lists, ruby and sectioning; ids prefixed",
        make: Policy::relaxed,
    },
    Preset {
        name: "text",
        summary: "no elements: text only, markup removed, script and style content dropped",
        make: Policy::text,
    },
    Preset {
        name: "ammonia",
        summary: "ammonia 4.2.5's defaults (tags, attributes, URL schemes, rel), for migrating in one line",
        make: Policy::ammonia,
    },
];

fn build(
    elements: &[&[(&str, &[&str])]],
    schemes: &[&str],
    rel: &[&str],
    prefix: Option<&str>,
) -> Policy {
    let mut b = Policy::builder().url_schemes(schemes).link_rel(rel);
    for list in elements {
        for (name, attrs) in *list {
            b = b.element(name, attrs.iter().copied());
        }
    }
    if let Some(p) = prefix {
        b = b.id_prefix(p);
    }
    if elements.iter().any(|l| l.iter().any(|(n, _)| *n == "img")) {
        // Images load without a click: only web URLs.
        b = b.attribute_url_schemes("img", "src", ["http", "https"]);
    }
    b.build().expect("presets are valid")
}

impl Policy {
    /// Names of the presets, for [`Policy::preset`].
    ///
    /// ```
    /// for name in borax::Policy::PRESETS {
    ///     assert!(borax::Policy::preset(name).is_ok());
    /// }
    /// ```
    pub const PRESETS: &'static [&'static str] =
        &["comments", "basic", "relaxed", "text", "ammonia"];

    /// A preset's one-line summary (for a `--list-presets`), or `None` for an
    /// unknown name.
    ///
    /// ```
    /// assert!(borax::Policy::preset_summary("comments").unwrap().contains("blog"));
    /// assert_eq!(borax::Policy::preset_summary("nope"), None);
    /// ```
    pub fn preset_summary(name: &str) -> Option<&'static str> {
        TABLE.iter().find(|p| p.name == name).map(|p| p.summary)
    }

    /// The blog comment policy, and the default of [`crate::clean`]:
    ///
    /// `Some HTML allowed: <a href="" title=""> <abbr title=""> <acronym title="">
    /// <b> <blockquote cite=""> <code> <em> <i> <strike> <strong>`
    ///
    /// URL schemes `http`, `https`, `mailto`; relative URLs kept;
    /// `rel="nofollow ugc"` on every kept `<a>`; comments removed; depth 256.
    ///
    /// ```
    /// assert_eq!(
    ///     borax::Policy::comments().clean(r#"<a href="https://x.org" onclick="y">x</a><p>para</p>"#),
    ///     r#"<a href="https://x.org" rel="nofollow ugc">x</a>para"#
    /// );
    /// ```
    pub fn comments() -> Policy {
        static P: OnceLock<Policy> = OnceLock::new();
        P.get_or_init(|| {
            build(
                &[COMMENTS_ELEMENTS],
                &["http", "https", "mailto"],
                &["nofollow", "ugc"],
                None,
            )
        })
        .clone()
    }

    /// Formatting, links, lists, paragraphs, line breaks, `pre`/`code`,
    /// quotes:
    ///
    /// `a[href,title] abbr[title] acronym[title] b blockquote[cite] br cite
    /// code del em i ins kbd li mark ol[start] p pre q[cite] s samp small
    /// strike strong sub sup u ul var`
    ///
    /// URL schemes `http`, `https`, `mailto`; `rel="nofollow ugc"` on links.
    ///
    /// ```
    /// assert_eq!(
    ///     borax::Policy::basic().clean("<ul><li><p>one<br>two</p></li></ul><h1>t</h1>"),
    ///     "<ul><li><p>one<br>two</p></li></ul>t"
    /// );
    /// ```
    pub fn basic() -> Policy {
        static P: OnceLock<Policy> = OnceLock::new();
        P.get_or_init(|| {
            build(
                &[BASIC_ELEMENTS],
                &["http", "https", "mailto"],
                &["nofollow", "ugc"],
                None,
            )
        })
        .clone()
    }

    /// Everything in [`basic`](Self::basic), plus headings, tables, images,
    /// definition lists, ruby and sectioning (compare bluemonday's
    /// `UGCPolicy` and the Sanitizer API's safe default):
    ///
    /// basic + `address article aside bdi[dir] bdo[dir] caption center
    /// col[span] colgroup[span] dd details[open] dfn div dl dt figcaption
    /// figure h1..h6[id] hr img[src,alt,title,width,height] rp rt ruby
    /// section span summary table tbody td[colspan,rowspan] tfoot
    /// th[colspan,rowspan,scope] thead time[datetime] tr wbr`
    ///
    /// URL schemes `http`, `https`, `mailto` (`img src`: `http`, `https`);
    /// `rel="nofollow ugc"` on links; heading ids prefixed with `user-content-` against DOM clobbering.
    ///
    /// ```
    /// assert_eq!(
    ///     borax::Policy::relaxed().clean(r#"<h2 id="a">T</h2><img src="javascript:x" alt="i">"#),
    ///     r#"<h2 id="user-content-a">T</h2><img alt="i">"#
    /// );
    /// ```
    pub fn relaxed() -> Policy {
        static P: OnceLock<Policy> = OnceLock::new();
        P.get_or_init(|| {
            build(
                &[BASIC_ELEMENTS, RELAXED_EXTRA],
                &["http", "https", "mailto"],
                &["nofollow", "ugc"],
                Some("user-content-"),
            )
        })
        .clone()
    }

    /// No elements at all: text only, markup removed, content of `script`,
    /// `style` and the like dropped.
    ///
    /// ```
    /// assert_eq!(borax::Policy::text().clean("<b>a</b> &amp; <script>x</script>b"), "a &amp; b");
    /// ```
    pub fn text() -> Policy {
        static P: OnceLock<Policy> = OnceLock::new();
        P.get_or_init(|| build(&[], &["http", "https", "mailto"], &[], None))
            .clone()
    }

    /// A preset by name: `comments`, `basic`, `relaxed` or `text`.
    ///
    /// ```
    /// assert_eq!(borax::Policy::preset("comments").unwrap(), borax::Policy::comments());
    /// assert!(borax::Policy::preset("nope").is_err());
    /// ```
    pub fn preset(name: &str) -> Result<Policy, PolicyError> {
        TABLE
            .iter()
            .find(|p| p.name == name)
            .map(|p| (p.make)())
            .ok_or_else(|| PolicyError::UnknownPreset(name.to_owned()))
    }

    /// ammonia 4.2.5's defaults: its default tags and tag attributes,
    /// generic attributes `lang` and `title`, its URL schemes, `rel="noopener
    /// noreferrer"` on links, relative URLs passed, comments removed. What
    /// borax adds on top is borax's own safety (namespaces, depth cap,
    /// `cite` checked as a URL, linear time) — see `MIGRATING.md`.
    ///
    /// ```
    /// let p = borax::Policy::ammonia();
    /// assert_eq!(
    ///     p.clean("<a href='irc://x' onclick=y>a</a><tfoot>b</tfoot><u lang=en>c</u>"),
    ///     "<a href=\"irc://x\" rel=\"noopener noreferrer\">a</a>b<u lang=\"en\">c</u>"
    /// );
    /// ```
    pub fn ammonia() -> Policy {
        static P: OnceLock<Policy> = OnceLock::new();
        P.get_or_init(|| {
            let mut b = Policy::builder()
                .url_schemes(AMMONIA_SCHEMES.iter().copied())
                .link_rel(["noopener", "noreferrer"])
                .attributes(AMMONIA_GENERIC.iter().copied());
            for (name, attrs) in AMMONIA_ELEMENTS {
                b = b.element(name, attrs.iter().copied());
            }
            b.build().expect("the ammonia preset is valid")
        })
        .clone()
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn every_preset_name_has_one_entry() {
        let names: Vec<&str> = TABLE.iter().map(|p| p.name).collect();
        assert_eq!(names, Policy::PRESETS);
        for p in TABLE {
            assert_eq!(Policy::preset(p.name).unwrap(), (p.make)());
        }
    }
}
