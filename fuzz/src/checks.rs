//! The fuzz targets (`fuzz/fuzz_targets/*.rs`) and their inputs, also
//! compiled into the regression test (`tests/regressions.rs`, which
//! includes this file with `#[path]`). The invariants themselves are the
//! shared oracle, `tests/oracle/mod.rs` (the module `crate::oracle`, in both
//! crates), which the property tests of `tests/invariants.rs` use too.
//!
//! Only `borax`, `html5ever`, `markup5ever_rcdom`, `cssparser` and
//! `serde_json` are used here and in the oracle: all are dependencies of
//! both the fuzz crate and the root crate (the latter as dev-dependency or
//! normal dependency). In particular `arbitrary` is NOT used here: every
//! input type is decoded from raw bytes by a `from_raw` function, so a crash
//! file replays in plain `cargo test` exactly as libFuzzer ran it. The
//! `Arbitrary` impls in `src/lib.rs` only call `from_raw`.
//!
//! Every `check_*` function panics (with the input as a pasteable snippet)
//! when an invariant is broken; a library panic propagates as is.

use std::fmt;

use borax::{Policy, PolicyBuilder, RelativeUrls};
use markup5ever_rcdom::NodeData;

use crate::oracle::parity::{ParityKnobs, PARITY_BYTES};
use crate::oracle::{self, Subject};

/// Inputs larger than this are cut (keeps execs fast; the library's own
/// limits are tested elsewhere).
pub const MAX_HTML: usize = 64 * 1024;

/// Bytes at the start of a `clean` input that encode the policy; the rest is
/// the HTML. Shorter inputs are padded with zeros. Bytes 40..50 are the
/// parity knobs ([`ParityKnobs`]: hooks, forced values, prefixes,
/// per-element classes, subtractive methods, CSS).
pub const HEADER: usize = 40 + PARITY_BYTES;

// ---------------------------------------------------------------------------
// Pools the policy knobs draw from.

/// 64 element names (bit i of header bytes 0..8).
pub const ELEMENTS: [&str; 64] = [
    "a",
    "abbr",
    "b",
    "i",
    "em",
    "strong",
    "code",
    "pre",
    "listing",
    "p",
    "div",
    "span",
    "blockquote",
    "ul",
    "li",
    "dl",
    "dd",
    "table",
    "caption",
    "colgroup",
    "col",
    "tbody",
    "tr",
    "td",
    "th",
    "form",
    "button",
    "img",
    "br",
    "h1",
    "h2",
    "ruby",
    "rt",
    "rtc",
    "nobr",
    "font",
    "option",
    "area",
    "details",
    "q",
    "mglyph",
    "text",
    "svg",
    "svg:foreignObject",
    "svg:desc",
    "svg:title",
    "svg:a",
    "svg:set",
    "svg:animate",
    "svg:image",
    "svg:use",
    "svg:script",
    "svg:style",
    "svg:font",
    "math",
    "math:mi",
    "math:mo",
    "math:mtext",
    "math:ms",
    "math:mglyph",
    "math:malignmark",
    "math:annotation-xml",
    "math:semantics",
    "math:mrow",
];

/// 64 attribute names (bit i of header bytes 8..16).
pub const ATTRIBUTES: [&str; 64] = [
    "href",
    "src",
    "title",
    "id",
    "name",
    "class",
    "style",
    "rel",
    "target",
    "cite",
    "srcset",
    "ping",
    "action",
    "formaction",
    "xlink:href",
    "xml:base",
    "data",
    "poster",
    "background",
    "encoding",
    "attributename",
    "to",
    "values",
    "from",
    "by",
    "type",
    "alt",
    "width",
    "lang",
    "dir",
    "color",
    "face",
    "size",
    "definitionurl",
    "xmlns",
    "xmlns:xlink",
    "xlink:title",
    "xml:lang",
    "usemap",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "icon",
    "manifest",
    "itemtype",
    "tabindex",
    "value",
    "colspan",
    "rowspan",
    "span",
    "start",
    "open",
    "hidden",
    "is",
    "slot",
    "form",
    "for",
    "accesskey",
    "begin",
    "dur",
    "fill",
    "imagesrcset",
    "headers",
];

/// 16 global attributes (bit i of header bytes 18..20).
pub const GLOBAL_ATTRIBUTES: [&str; 16] = [
    "title",
    "id",
    "class",
    "style",
    "lang",
    "dir",
    "name",
    "href",
    "src",
    "rel",
    "xlink:href",
    "srcset",
    "ping",
    "data-x",
    "tabindex",
    "encoding",
];

/// 8 URL schemes (bit i of header byte 20).
pub const SCHEMES: [&str; 8] = [
    "http",
    "https",
    "mailto",
    "javascript",
    "data",
    "ftp",
    "tel",
    "vbscript",
];

/// Bases for `RelativeUrls::Rewrite` (header byte 23); some are invalid.
pub const BASES: [&str; 8] = [
    "https://example.com/base/",
    "http://a.test/x/y",
    "ftp://files.test/",
    "data:text/html,x",
    "https://u:p@h.test:8080/p?q#f",
    "file:///tmp/",
    "javascript:alert(1)//",
    "not a url",
];

/// `rel` tokens (bits 0..4 of header byte 24; bit 4 alone: an empty list).
pub const LINK_REL: [&str; 4] = ["nofollow", "ugc", "noopener", "noreferrer"];

/// `id` prefixes (header byte 25 % 4; 0: none).
pub const ID_PREFIXES: [&str; 4] = ["", "p-", "user-content-", "x"];

/// Names the builder refuses (header byte 28 >= 0xf0 adds one).
pub const UNSAFE: [&str; 16] = [
    "script",
    "style",
    "xmp",
    "iframe",
    "noscript",
    "textarea",
    "title",
    "plaintext",
    "noembed",
    "noframes",
    "select",
    "template",
    "@onclick",
    "@srcdoc",
    "@onerror",
    "image",
];

/// Local names drawn in any namespace (header bytes 36..40, one draw each;
/// 0: none, else `b - 1` picks the namespace (`% 3`: html, svg, math) and
/// the name (`/ 3`)). Mostly names that exist, or mean something else, in
/// another namespace: the integration points, the HTML breakout names,
/// raw-text and RCDATA names, the foreign roots. The builder refuses some
/// (`svg:style`, `math:xmp`, `html:script`, ...): such a policy fails to
/// build, which the target tolerates. Header byte 33: bit k gives draw k the
/// attribute `ATTRIBUTES[(byte 33 >> 4) * 4 + k]`.
pub const ANY_NAMESPACE: [&str; 48] = [
    "svg",
    "math",
    "style",
    "title",
    "desc",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
    "foreignObject",
    "mglyph",
    "malignmark",
    "font",
    "a",
    "p",
    "b",
    "table",
    "select",
    "plaintext",
    "script",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "textarea",
    "template",
    "img",
    "div",
    "span",
    "br",
    "li",
    "pre",
    "form",
    "tr",
    "td",
    "option",
    "image",
    "handler",
    "listener",
    "set",
    "animate",
    "use",
    "semantics",
    "text",
    "body",
];

/// The namespace prefixes of [`ANY_NAMESPACE`] draws.
pub const NAMESPACES: [&str; 3] = ["html", "svg", "math"];

/// The element a nonzero draw byte stands for, spelled with its namespace.
pub fn any_namespace_element(b: u8) -> Option<String> {
    let i = usize::from(b.checked_sub(1)?);
    Some(format!(
        "{}:{}",
        NAMESPACES[i % 3],
        ANY_NAMESPACE[(i / 3) % ANY_NAMESPACE.len()]
    ))
}

/// Formatting knobs (header byte 25, bits 2..8): bit 2 links URLs, bit 3
/// e-mail addresses, bit 4 paragraphs, bits 5-6 the `www` scheme
/// ([`WWW_SCHEMES`]), bit 7 a short link length cap (16 bytes). Header
/// byte 29, bits 4..8: skip elements ([`LINK_SKIP`]).
pub const WWW_SCHEMES: [&str; 4] = ["https", "http", "", "ftp"];
/// Elements a policy may add to the linkify skip list.
pub const LINK_SKIP: [&str; 4] = ["b", "blockquote", "p", "li"];

/// Class tokens (bits of header byte 29); `b c` is invalid.
pub const CLASSES: [&str; 4] = ["lang-rust", "a", "x-y", "b c"];

/// `attribute_values` elements and values (header bytes 30, 34, 35).
pub const VALUE_ELEMENTS: [&str; 4] = ["*", "a", "ol", "svg:a"];
pub const VALUES: [&str; 8] = [
    "",
    "_blank",
    "a",
    "1",
    "javascript:x",
    "https://x",
    "x",
    "lang-rust",
];

/// Elements for `remove_elements` (header byte 31) and
/// `replace_with_children_elements` (header byte 32).
pub const LISTED: [&str; 8] = ["b", "span", "div", "p", "svg", "math", "a", "table"];

// ---------------------------------------------------------------------------
// The policy knobs, decoded.

/// Every knob of a policy, as values (so it prints and reads back).
#[derive(Clone, PartialEq, Eq)]
pub struct Knobs {
    /// `(element, its own attributes)`.
    pub elements: Vec<(String, Vec<String>)>,
    pub attributes: Vec<String>,
    pub remove_elements: Vec<String>,
    pub replace_with_children: Vec<String>,
    pub comments: bool,
    pub data_attributes: bool,
    pub escape_disallowed: bool,
    /// `None`: the default schemes.
    pub url_schemes: Option<Vec<String>>,
    /// `None`: the default (pass).
    pub relative_urls: Option<RelativeUrls>,
    pub link_rel: Option<Vec<String>>,
    pub id_prefix: Option<String>,
    pub max_depth: Option<usize>,
    pub classes: Option<Vec<String>>,
    pub attribute_values: Option<(String, String, Vec<String>)>,
    pub linkify_urls: bool,
    pub linkify_emails: bool,
    pub paragraphs: bool,
    pub www_scheme: String,
    pub linkify_max_length: Option<usize>,
    pub linkify_skip: Vec<String>,
    /// Header bytes 40..50.
    pub parity: ParityKnobs,
}

fn bit(bytes: &[u8], i: usize) -> bool {
    bytes[i / 8] & (1 << (i % 8)) != 0
}

impl Knobs {
    /// Decode the knobs from a header of [`HEADER`] bytes.
    pub fn from_header(h: &[u8; HEADER]) -> Knobs {
        let attr_mask = &h[8..16];
        let mut elements = Vec::new();
        for (j, name) in ELEMENTS.iter().enumerate() {
            if !bit(&h[0..8], j) {
                continue;
            }
            let attrs = (0..ATTRIBUTES.len())
                .filter(|&i| {
                    bit(attr_mask, i) && h[17] & (1 << ((i * 7 + j * h[16] as usize) % 8)) != 0
                })
                .map(|i| ATTRIBUTES[i].to_owned())
                .collect();
            elements.push((name.to_string(), attrs));
        }
        let mut attributes: Vec<String> = (0..16)
            .filter(|&i| bit(&h[18..20], i))
            .map(|i| GLOBAL_ATTRIBUTES[i].to_owned())
            .collect();
        for (k, &b) in h[36..40].iter().enumerate() {
            let Some(name) = any_namespace_element(b) else {
                continue;
            };
            let attrs = if h[33] & (1 << k) != 0 {
                vec![ATTRIBUTES[usize::from(h[33] >> 4) * 4 + k].to_owned()]
            } else {
                Vec::new()
            };
            elements.push((name, attrs));
        }
        if h[28] >= 0xf0 {
            let u = UNSAFE[(h[28] & 0x0f) as usize];
            match u.strip_prefix('@') {
                Some(attr) => attributes.push(attr.to_owned()),
                None => elements.push((u.to_owned(), Vec::new())),
            }
        }
        let flags = h[21];
        let url_schemes = (flags & 0x08 == 0).then(|| {
            (0..8)
                .filter(|&i| h[20] & (1 << i) != 0)
                .map(|i| SCHEMES[i].to_owned())
                .collect()
        });
        let relative_urls = match h[22] % 4 {
            0 => Some(RelativeUrls::Pass),
            1 => Some(RelativeUrls::Deny),
            2 => Some(RelativeUrls::Rewrite(
                BASES[(h[23] % 8) as usize].to_owned(),
            )),
            _ => None,
        };
        let link_rel = match h[24] & 0x1f {
            0 => None,
            m => Some(
                (0..4)
                    .filter(|&i| m & (1 << i) != 0)
                    .map(|i| LINK_REL[i].to_owned())
                    .collect(),
            ),
        };
        let id_prefix = match ID_PREFIXES[(h[25] % 4) as usize] {
            "" => None,
            p => Some(p.to_owned()),
        };
        let depth = u16::from_le_bytes([h[26], h[27]]) as usize;
        let max_depth = (depth != 0).then(|| depth % 300 + 1);
        let classes = (flags & 0x10 != 0).then(|| {
            (0..4)
                .filter(|&i| h[29] & (1 << i) != 0)
                .map(|i| CLASSES[i].to_owned())
                .collect()
        });
        let attribute_values = (flags & 0x20 != 0).then(|| {
            (
                VALUE_ELEMENTS[(h[30] % 4) as usize].to_owned(),
                ATTRIBUTES[(h[34] % 64) as usize].to_owned(),
                (0..8)
                    .filter(|&i| h[35] & (1 << i) != 0)
                    .map(|i| VALUES[i].to_owned())
                    .collect(),
            )
        });
        let listed = |m: u8| -> Vec<String> {
            (0..8)
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| LISTED[i].to_owned())
                .collect()
        };
        let format = h[25];
        Knobs {
            linkify_urls: format & 0x04 != 0,
            linkify_emails: format & 0x08 != 0,
            paragraphs: format & 0x10 != 0,
            www_scheme: WWW_SCHEMES[usize::from((format >> 5) & 3)].to_owned(),
            linkify_max_length: (format & 0x80 != 0).then_some(16),
            linkify_skip: (0..4)
                .filter(|&i| h[29] & (0x10 << i) != 0)
                .map(|i| LINK_SKIP[i].to_owned())
                .collect(),
            elements,
            attributes,
            remove_elements: if flags & 0x40 != 0 {
                listed(h[31])
            } else {
                Vec::new()
            },
            replace_with_children: if flags & 0x40 != 0 {
                listed(h[32])
            } else {
                Vec::new()
            },
            comments: flags & 0x01 != 0,
            data_attributes: flags & 0x02 != 0,
            escape_disallowed: flags & 0x04 != 0,
            url_schemes,
            relative_urls,
            link_rel,
            id_prefix,
            max_depth,
            classes,
            attribute_values,
            parity: ParityKnobs::from_bytes(
                h[40..HEADER].try_into().expect("PARITY_BYTES header bytes"),
            ),
        }
    }

    /// The builder these knobs describe.
    pub fn builder(&self) -> PolicyBuilder {
        let mut b = self.parity.base_builder();
        for (name, attrs) in &self.elements {
            b = if attrs.is_empty() {
                b.elements([name])
            } else {
                b.element(name, attrs)
            };
        }
        if !self.attributes.is_empty() {
            b = b.attributes(&self.attributes);
        }
        if !self.remove_elements.is_empty() {
            b = b.remove_elements(&self.remove_elements);
        }
        if !self.replace_with_children.is_empty() {
            b = b.replace_with_children_elements(&self.replace_with_children);
        }
        b = b
            .keep_comments(self.comments)
            .data_attributes(self.data_attributes)
            .escape_disallowed(self.escape_disallowed);
        if let Some(s) = &self.url_schemes {
            b = b.url_schemes(s);
        }
        if let Some(r) = &self.relative_urls {
            b = b.relative_urls(r.clone());
        }
        if let Some(r) = &self.link_rel {
            b = b.link_rel(r);
        }
        if let Some(p) = &self.id_prefix {
            b = b.id_prefix(p);
        }
        if let Some(d) = self.max_depth {
            b = b.max_depth(d);
        }
        if let Some(c) = &self.classes {
            b = b.classes(c);
        }
        if let Some((e, a, v)) = &self.attribute_values {
            b = b.attribute_values(e, a, v);
        }
        b = b
            .linkify_urls(self.linkify_urls)
            .linkify_emails(self.linkify_emails)
            .linkify_www_scheme(&self.www_scheme)
            .linkify_skip_elements(&self.linkify_skip)
            .paragraphs(self.paragraphs);
        if let Some(m) = self.linkify_max_length {
            b = b.linkify_max_length(m);
        }
        if self.allows_style() {
            b = b.style_properties(STYLE_PROPERTIES);
        }
        self.parity.apply(b)
    }

    /// `style` is allowed somewhere: the policy then lists
    /// [`STYLE_PROPERTIES`] (without a list it would not build).
    fn allows_style(&self) -> bool {
        self.attributes.iter().any(|a| a == "style")
            || self
                .elements
                .iter()
                .any(|(_, a)| a.iter().any(|a| a == "style"))
    }
}

/// The CSS properties of a fuzzed policy that allows `style`: some that
/// take URLs, a shorthand, a plain one.
pub const STYLE_PROPERTIES: [&str; 4] = ["color", "background", "margin", "list-style-image"];

/// Writes the knobs as the builder expression they stand for.
impl fmt::Debug for Knobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.parity.base {
            Some(p) => write!(f, "borax::Policy::preset({p:?}).unwrap().to_builder()")?,
            None => f.write_str("borax::Policy::builder()")?,
        }
        for (name, attrs) in &self.elements {
            if attrs.is_empty() {
                write!(f, "\n    .elements([{name:?}])")?;
            } else {
                write!(f, "\n    .element({name:?}, {attrs:?})")?;
            }
        }
        if !self.attributes.is_empty() {
            write!(f, "\n    .attributes({:?})", self.attributes)?;
        }
        if !self.remove_elements.is_empty() {
            write!(f, "\n    .remove_elements({:?})", self.remove_elements)?;
        }
        if !self.replace_with_children.is_empty() {
            write!(
                f,
                "\n    .replace_with_children_elements({:?})",
                self.replace_with_children
            )?;
        }
        write!(
            f,
            "\n    .keep_comments({}).data_attributes({}).escape_disallowed({})",
            self.comments, self.data_attributes, self.escape_disallowed
        )?;
        if let Some(s) = &self.url_schemes {
            write!(
                f,
                "\n    .url_schemes({s:?}{})",
                if s.is_empty() { " as [&str; 0]" } else { "" }
            )?;
        }
        match &self.relative_urls {
            Some(RelativeUrls::Rewrite(b)) => write!(
                f,
                "\n    .relative_urls(borax::RelativeUrls::Rewrite({b:?}.into()))"
            )?,
            Some(r) => write!(f, "\n    .relative_urls(borax::RelativeUrls::{r:?})")?,
            None => {}
        }
        if let Some(r) = &self.link_rel {
            write!(
                f,
                "\n    .link_rel({r:?}{})",
                if r.is_empty() { " as [&str; 0]" } else { "" }
            )?;
        }
        if let Some(p) = &self.id_prefix {
            write!(f, "\n    .id_prefix({p:?})")?;
        }
        if let Some(d) = self.max_depth {
            write!(f, "\n    .max_depth({d})")?;
        }
        if let Some(c) = &self.classes {
            write!(
                f,
                "\n    .classes({c:?}{})",
                if c.is_empty() { " as [&str; 0]" } else { "" }
            )?;
        }
        if let Some((e, a, v)) = &self.attribute_values {
            write!(
                f,
                "\n    .attribute_values({e:?}, {a:?}, {v:?}{})",
                if v.is_empty() { " as [&str; 0]" } else { "" }
            )?;
        }
        write!(
            f,
            "\n    .linkify_urls({}).linkify_emails({}).linkify_www_scheme({:?})",
            self.linkify_urls, self.linkify_emails, self.www_scheme
        )?;
        if !self.linkify_skip.is_empty() {
            write!(f, "\n    .linkify_skip_elements({:?})", self.linkify_skip)?;
        }
        if let Some(m) = self.linkify_max_length {
            write!(f, "\n    .linkify_max_length({m})")?;
        }
        write!(f, "\n    .paragraphs({})", self.paragraphs)?;
        if self.allows_style() {
            write!(f, "\n    .style_properties({STYLE_PROPERTIES:?})")?;
        }
        write!(f, "\n    {:?}", self.parity)?;
        f.write_str("\n    .build()")
    }
}

// ---------------------------------------------------------------------------
// Inputs.

/// Input of the `clean` target: [`HEADER`] bytes of policy knobs, then the
/// HTML as bytes (possibly invalid UTF-8, cut at [`MAX_HTML`]).
#[derive(Clone, PartialEq, Eq)]
pub struct CleanInput {
    pub knobs: Knobs,
    /// Compare `try_clean` with `clean_with_report` instead of `clean_to`.
    pub use_report: bool,
    pub html: Vec<u8>,
}

impl CleanInput {
    pub fn from_raw(data: &[u8]) -> CleanInput {
        let mut h = [0u8; HEADER];
        let n = data.len().min(HEADER);
        h[..n].copy_from_slice(&data[..n]);
        let rest = &data[n..];
        CleanInput {
            knobs: Knobs::from_header(&h),
            use_report: h[21] & 0x80 != 0,
            html: rest[..rest.len().min(MAX_HTML)].to_vec(),
        }
    }
}

/// A pasteable snippet: the policy as a builder expression and the HTML.
impl fmt::Debug for CleanInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "let policy = {:?};", self.knobs)?;
        match std::str::from_utf8(&self.html) {
            Ok(s) => writeln!(f, "let html = {s:?};")?,
            Err(_) => writeln!(f, "let html: &[u8] = &{:?};", self.html)?,
        }
        write!(f, "// use_report: {}", self.use_report)
    }
}

/// Input of the `url` target: a header of 4 bytes (schemes mask, relative
/// rule, base, preset-or-not), then the URL text (lossy UTF-8).
#[derive(Clone, PartialEq, Eq)]
pub struct UrlInput {
    pub url_schemes: Option<Vec<String>>,
    pub relative_urls: Option<RelativeUrls>,
    pub url: String,
}

impl UrlInput {
    pub fn from_raw(data: &[u8]) -> UrlInput {
        let mut h = [0u8; 4];
        let n = data.len().min(4);
        h[..n].copy_from_slice(&data[..n]);
        let url_schemes = (h[3] & 1 != 0).then(|| {
            (0..8)
                .filter(|&i| h[0] & (1 << i) != 0)
                .map(|i| SCHEMES[i].to_owned())
                .collect()
        });
        let relative_urls = match h[1] % 4 {
            1 => Some(RelativeUrls::Pass),
            2 => Some(RelativeUrls::Deny),
            3 => Some(RelativeUrls::Rewrite(BASES[(h[2] % 8) as usize].to_owned())),
            _ => None,
        };
        let rest = &data[n..];
        UrlInput {
            url_schemes,
            relative_urls,
            url: String::from_utf8_lossy(&rest[..rest.len().min(4096)]).into_owned(),
        }
    }

    /// The comments preset with this input's URL knobs.
    pub fn policy(&self) -> Result<Policy, borax::PolicyError> {
        let mut b = Policy::comments().to_builder();
        if let Some(s) = &self.url_schemes {
            b = b.url_schemes(s);
        }
        if let Some(r) = &self.relative_urls {
            b = b.relative_urls(r.clone());
        }
        b.build()
    }
}

impl fmt::Debug for UrlInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("let policy = borax::Policy::comments().to_builder()")?;
        if let Some(s) = &self.url_schemes {
            write!(
                f,
                ".url_schemes({s:?}{})",
                if s.is_empty() { " as [&str; 0]" } else { "" }
            )?;
        }
        match &self.relative_urls {
            Some(RelativeUrls::Rewrite(b)) => write!(
                f,
                ".relative_urls(borax::RelativeUrls::Rewrite({b:?}.into()))"
            )?,
            Some(r) => write!(f, ".relative_urls(borax::RelativeUrls::{r:?})")?,
            None => {}
        }
        write!(f, ".build();\nlet url = {:?};", self.url)
    }
}

/// Input of the `policy` and `notation` targets: the bytes as text (lossy
/// UTF-8, cut at 64 KiB).
#[derive(Clone, PartialEq, Eq)]
pub struct TextInput(pub String);

impl TextInput {
    pub fn from_raw(data: &[u8]) -> TextInput {
        TextInput(String::from_utf8_lossy(&data[..data.len().min(MAX_HTML)]).into_owned())
    }
}

impl fmt::Debug for TextInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "let text = {:?};", self.0)
    }
}

// ---------------------------------------------------------------------------
// The four targets.

fn fail(what: &str, input: &dyn fmt::Debug, msg: &str) -> ! {
    panic!("\n=== {what} invariant broken ===\n{msg}\n=== input (pasteable) ===\n{input:?}\n");
}

/// Where the CLI would report invalid UTF-8: `Err(offset)`.
pub fn cli_utf8(bytes: &[u8]) -> Result<&str, usize> {
    std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())
}

pub fn check_clean(input: &CleanInput) {
    let html = match cli_utf8(&input.html) {
        Ok(s) => s,
        Err(offset) => {
            // The CLI reports `offset` and writes nothing; check the offset is
            // the first invalid byte, then go on with the valid prefix.
            let b = &input.html;
            if offset >= b.len()
                || std::str::from_utf8(&b[..offset]).is_err()
                || std::str::from_utf8(&b[..offset + 1]).is_ok()
            {
                fail(
                    "clean",
                    input,
                    &format!(
                        "reported invalid-UTF-8 offset {offset} is not the first invalid byte"
                    ),
                );
            }
            std::str::from_utf8(&b[..offset]).expect("checked")
        }
    };
    let Ok(policy) = input.knobs.builder().build() else {
        return; // a refused policy is fine
    };
    let out = match policy.try_clean(html) {
        Ok(o) => o,
        Err(_) => {
            if !policy.clean(html).is_empty() {
                fail("clean", input, "try_clean failed but clean gave output");
            }
            return;
        }
    };
    // Every entry point (`clean_to`, `clean_with_report`) is compared
    // with `try_clean` by the oracle; `use_report` matters to `fast_path`.
    let mut subject = Subject::new(policy, "fuzzed policy");
    subject.idempotent = input.knobs.parity.idempotent(&subject.policy);
    if let Err(e) = oracle::check_cleaned(&subject, html, &out) {
        fail(
            "clean",
            input,
            &format!("{e}\ninput html: {html:?}\noutput: {out:?}"),
        );
    }
}

/// A fixed HTML sample cleaned with policies read from files.
pub const SAMPLE: &str = concat!(
    "<a href=\"https://x/\" rel=x id=i name=n class=\"lang-rust a\" target=_blank title=t>a</a>",
    "<p data-x=1 style=color:red>p<b>b<i>i</b>j</i></p><img src=/x.png srcset=\"a.png 1x, javascript:b 2x\" alt=a>",
    "<svg><a xlink:href=javascript:x>s</a><set attributeName=href to=javascript:x /><foreignObject><p>f</p></foreignObject></svg>",
    "<math><mi>m</mi><mtext><b>t</b></mtext><annotation-xml encoding=text/html><b>h</b></annotation-xml></math>",
    "<table><tr><td>c</td></tr></table><ol type=a start=2><li>l</li></ol><!-- c --><code class=lang-rust>x</code>",
    "<u>u</u><script>s</script><form><input name=q></form><blockquote cite=//evil>q</blockquote>"
);

pub fn check_policy_text(input: &TextInput) {
    let text = &input.0;
    for (format, parsed) in [
        ("TOML", Policy::from_toml_str(text)),
        ("JSON", Policy::from_json_str(text)),
    ] {
        let Ok(p) = parsed else { continue };
        let toml = p.to_toml_string().expect("policy serializes to TOML");
        match Policy::from_toml_str(&toml) {
            Ok(q) if q == p => {}
            other => fail(
                "policy",
                input,
                &format!("{format} policy does not round-trip through TOML\n{toml}\n{other:?}"),
            ),
        }
        let json = p.to_json_string().expect("policy serializes to JSON");
        match Policy::from_json_str(&json) {
            Ok(q) if q == p => {}
            other => fail(
                "policy",
                input,
                &format!("{format} policy does not round-trip through JSON\n{json}\n{other:?}"),
            ),
        }
        let Ok(out) = p.try_clean(SAMPLE) else {
            continue;
        };
        if let Err(e) = oracle::check_cleaned(&Subject::new(p, format), SAMPLE, &out) {
            fail(
                "policy",
                input,
                &format!("cleaning the sample with the {format} policy: {e}\npolicy:\n{toml}"),
            );
        }
    }
}

pub fn check_notation(input: &TextInput) {
    let Ok(p) = Policy::from_notation(&input.0) else {
        return;
    };
    let n = p.to_notation();
    match Policy::from_notation(&n) {
        Ok(q) if q == p => {}
        other => fail("notation", input, &format!("notation does not round-trip\nto_notation: {n:?}\nreparsed: {other:?}\noriginal: {p:?}")),
    }
}

/// What the HTML parser makes of text inside a double-quoted attribute:
/// NUL becomes U+FFFD, CR and CRLF become LF.
pub fn as_parsed_attribute(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{fffd}")
}

/// Assert the completeness direction too (clean_url Some => the href
/// survives). The safety direction (a surviving href passes the reference
/// rule and clean_url agrees) is always asserted.
pub const STRICT_URL_IFF: bool = true;

pub fn check_url(input: &UrlInput) {
    let Ok(policy) = input.policy() else { return };
    let s = as_parsed_attribute(&input.url);
    let cleaned = borax::clean_url(&s, &policy);
    if let Some(u) = &cleaned {
        if let Err(e) = oracle::check_url(&policy, "a", "href", u) {
            fail("url", input, &format!("clean_url gave {u:?}: {e}"));
        }
        if matches!(policy.relative_urls(), RelativeUrls::Rewrite(_)) {
            // A rewritten URL is the parser's serialisation: it rewrites to
            // itself, or cleaning would not be idempotent.
            let again = borax::clean_url(u, &policy);
            if again.as_deref() != Some(u.as_str()) {
                fail(
                    "url",
                    input,
                    &format!("clean_url({u:?}) gives {again:?}, not the URL itself"),
                );
            }
        } else if let Err(e) = oracle::check_url(&policy, "a", "href", &s) {
            fail(
                "url",
                input,
                &format!("clean_url accepted {s:?} (as {u:?}), but the input itself: {e}"),
            );
        }
    }
    let html = format!("<a href=\"{}\">x</a>", borax::escape_text(&s));
    let Ok(out) = policy.try_clean(&html) else {
        return;
    };
    let dom = oracle::parse_rc(&out);
    let root = oracle::fragment_root(&dom).unwrap_or_else(|e| fail("url", input, &e));
    let href = root.children.borrow().iter().find_map(|n| match &n.data {
        NodeData::Element { name, attrs, .. } if &*name.local == "a" => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == "href")
            .map(|a| a.value.to_string()),
        _ => None,
    });
    // The whole output, the href among it, through the oracle.
    let subject = Subject::new(policy, "url");
    if let Err(e) = oracle::check_cleaned(&subject, &html, &out) {
        fail("url", input, &format!("{e}\noutput: {out:?}"));
    }
    match (&href, &cleaned) {
        // Known divergence: a value that is empty after browser trimming
        // (``, ` `, `\u{1}`) stays as an attribute (a relative URL: the page
        // itself) while clean_url says None. Harmless; every other value
        // must agree.
        (Some(h), None) if !oracle::url_preprocess(&s).is_empty() => fail(
            "url",
            input,
            &format!("href {h:?} survives cleaning but clean_url says None\noutput: {out:?}"),
        ),
        (None, Some(u)) if STRICT_URL_IFF => fail(
            "url",
            input,
            &format!("clean_url gives {u:?} but the href is dropped\noutput: {out:?}"),
        ),
        _ => {}
    }
}

/// Replay one regression file of `target` (`clean`, `policy`, `notation`,
/// `url`): the raw bytes libFuzzer ran.
/// The fast parser against html5ever: whenever it accepts the HTML, both
/// build the same tree (at the policy's depth cap); the fast tokenizer
/// feeding html5ever's tree builder builds the same tree and guard removals
/// as html5ever's tokenizer (under the policy); and cleaning with the fast
/// paths on and off gives the same bytes, errors and removals.
pub fn check_fast_path(input: &CleanInput) {
    let html = match std::str::from_utf8(&input.html) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&input.html[..e.valid_up_to()]).expect("valid prefix"),
    };
    let policy = input.knobs.builder().build().ok();
    let depth = policy
        .as_ref()
        .map_or(borax::DEFAULT_MAX_DEPTH, Policy::max_depth);
    if let Err(e) = borax::__private::fast_path_check(html, depth) {
        fail("fast_path", input, &e);
    }
    let Some(policy) = policy else {
        return;
    };
    // The fast tokenizer (html5ever's tree builder fed by the fast
    // parser's tokenizer): the same tree and guard removals as html5ever's.
    if let Err(e) = borax::__private::fast_tokens_check(&policy, html) {
        fail("fast_path", input, &e);
    }
    let slow_policy = policy.with_fast_path(false);
    let fast = policy.try_clean(html).map_err(|e| format!("{e:?}"));
    let slow = slow_policy.try_clean(html).map_err(|e| format!("{e:?}"));
    if fast != slow {
        fail(
            "fast_path",
            input,
            &format!("fast path on and off differ\non:  {fast:?}\noff: {slow:?}"),
        );
    }
    if input.use_report {
        let on = policy.clean_with_report(html).map(|(o, r)| (o, r.removals));
        let off = slow_policy
            .clean_with_report(html)
            .map(|(o, r)| (o, r.removals));
        if format!("{on:?}") != format!("{off:?}") {
            fail(
                "fast_path",
                input,
                &format!("reports differ\non:  {on:?}\noff: {off:?}"),
            );
        }
    }
}

pub fn replay(target: &str, data: &[u8]) {
    match target {
        "clean" => check_clean(&CleanInput::from_raw(data)),
        "fast_path" => check_fast_path(&CleanInput::from_raw(data)),
        "policy" => check_policy_text(&TextInput::from_raw(data)),
        "notation" => check_notation(&TextInput::from_raw(data)),
        "url" => check_url(&UrlInput::from_raw(data)),
        other => panic!("unknown fuzz target {other}"),
    }
}
