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
    pub const PRESETS: &'static [&'static str] = &["comments", "basic", "relaxed", "text"];

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
        match name {
            "comments" => Ok(Policy::comments()),
            "basic" => Ok(Policy::basic()),
            "relaxed" => Ok(Policy::relaxed()),
            "text" => Ok(Policy::text()),
            other => Err(PolicyError::UnknownPreset(other.to_owned())),
        }
    }
}
