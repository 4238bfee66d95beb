//! Shared inputs and policies for `benches/compare.rs` and the perf examples
//! (`examples/perf_table.rs`, `examples/rss.rs`), included with `#[path]`.
//!
//! * corpora come from `$BORAX_CORPUS` (default `../shared/corpus` relative
//!   to the crate root); a missing corpus gives `None`, never a panic;
//! * the ammonia builders carry the same element/attribute lists as borax's
//!   presets, so both sides do the same work;
//! * the hostile families are a Rust port of `tools/adversarial.py`.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Where the corpus lives.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("BORAX_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// `comments.ndjson`: one JSON string per line. `None` (with a message on
/// stderr) when the corpus is missing.
pub fn comments() -> Option<Vec<String>> {
    let path = corpus_dir().join("comments.ndjson");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "skipping comments: cannot read {} ({e}); set BORAX_CORPUS",
                path.display()
            );
            return None;
        }
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<String>(line) {
            Ok(s) => out.push(s),
            Err(e) => {
                eprintln!("skipping comments: {}:{}: {e}", path.display(), i + 1);
                return None;
            }
        }
    }
    Some(out)
}

/// The comments that are plain text (no `<` or `&`).
pub fn plain_comments(all: &[String]) -> Vec<String> {
    all.iter()
        .filter(|c| !c.contains('<') && !c.contains('&'))
        .cloned()
        .collect()
}

/// `pages/*.html`, sorted by name, read as lossy UTF-8.
pub fn pages() -> Option<Vec<String>> {
    let dir = corpus_dir().join("pages");
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) => {
            eprintln!(
                "skipping pages: cannot read {} ({e}); set BORAX_CORPUS",
                dir.display()
            );
            return None;
        }
    };
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    paths.sort();
    let pages: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    if pages.is_empty() {
        eprintln!("skipping pages: no *.html in {}", dir.display());
        return None;
    }
    Some(pages)
}

pub fn total_bytes(docs: &[String]) -> usize {
    docs.iter().map(String::len).sum()
}

// ---------------------------------------------------------------- policies

/// borax's `comments` preset, element by element (src/presets.rs).
pub const COMMENTS_ELEMENTS: &[(&str, &[&str])] = &[
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

/// borax's `relaxed` preset (basic + extras), element by element.
pub const RELAXED_ELEMENTS: &[(&str, &[&str])] = &[
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

/// An ammonia builder with exactly these elements and per-element
/// attributes, no generic attributes, http/https/mailto, relative URLs
/// passed through, `rel="nofollow ugc"`, comments stripped, script/style
/// content dropped (ammonia's default `clean_content_tags`).
fn ammonia_with(
    elements: &'static [(&'static str, &'static [&'static str])],
) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    let tags: HashSet<&'static str> = elements.iter().map(|(t, _)| *t).collect();
    let tag_attributes: HashMap<&'static str, HashSet<&'static str>> = elements
        .iter()
        .filter(|(_, a)| !a.is_empty())
        .map(|(t, a)| (*t, a.iter().copied().collect()))
        .collect();
    b.tags(tags)
        .tag_attributes(tag_attributes)
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("nofollow ugc"))
        .strip_comments(true);
    b
}

/// ammonia configured like `borax::Policy::comments()`.
pub fn ammonia_comments() -> ammonia::Builder<'static> {
    ammonia_with(COMMENTS_ELEMENTS)
}

/// ammonia configured like `borax::Policy::relaxed()` (same lists, and the
/// same `user-content-` id prefix).
pub fn ammonia_relaxed() -> ammonia::Builder<'static> {
    let mut b = ammonia_with(RELAXED_ELEMENTS);
    b.id_prefix(Some("user-content-"));
    b
}

/// borax policy for hostile inputs: comments, with the input limit raised to
/// 64 MiB so 10 MB inputs are cleaned rather than refused.
pub fn borax_hostile() -> borax::Policy {
    borax::Policy::comments()
        .to_builder()
        .max_input_bytes(64 << 20)
        .build()
        .expect("valid policy")
}

// ---------------------------------------------------------------- hostile

const WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "it", "for", "was", "on", "are", "as", "with",
    "they", "at", "be", "this", "from", "have", "or", "by", "one", "had", "not", "but", "what",
    "all", "were", "when", "we", "there", "can", "an", "your", "which", "said", "if", "do", "will",
    "each", "about", "how", "up", "out",
];
const ENTITIES: &[&str] = &[
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&eacute;",
    "&nbsp;",
    "&#169;",
    "&#x1F600;",
    "&copy",
    "&notanentity;",
    "& ",
    "&#0;",
    "&hellip;",
    "&rarr;",
];

/// splitmix64: deterministic, no dependency. (Python's Mersenne Twister is
/// not reproduced byte for byte; the shape of the text is the same.)
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn words(n: usize, with_entities: bool) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(n + 32);
    let mut col = 0;
    while out.len() < n {
        let mut w = String::from(WORDS[rng.below(WORDS.len())]);
        if with_entities && rng.below(4) == 0 {
            w.push_str(ENTITIES[rng.below(ENTITIES.len())]);
        }
        col += w.len() + 1;
        out.push_str(&w);
        if col > 72 {
            out.push('\n');
            col = 0;
        } else {
            out.push(' ');
        }
    }
    out.truncate(n);
    out
}

/// One hostile family of `tools/adversarial.py`.
#[derive(Clone, Copy)]
pub struct Family {
    pub name: &'static str,
    /// n for the small size; the big size is 10 n. Chosen so the big input
    /// is about 10 MB.
    pub n: usize,
    pub what: &'static str,
    pub gen: fn(usize) -> String,
}

pub const FAMILIES: &[Family] = &[
    Family {
        name: "deep_div",
        n: 200_000,
        what: "n x '<div>'",
        gen: |n| "<div>".repeat(n),
    },
    Family {
        name: "deep_b",
        n: 330_000,
        what: "n x '<b>'",
        gen: |n| "<b>".repeat(n),
    },
    Family {
        name: "deep_table",
        n: 140_000,
        what: "n x '<table>'",
        gen: |n| "<table>".repeat(n),
    },
    Family {
        name: "deep_table_td",
        n: 66_000,
        what: "n x '<table><tr><td>'",
        gen: |n| "<table><tr><td>".repeat(n),
    },
    Family {
        name: "attr_huge",
        n: 1_000_000,
        what: "one href of n bytes",
        gen: |n| format!("<a href=\"http://e.com/?q={}\">x</a>", "a".repeat(n)),
    },
    Family {
        name: "attrs_many",
        n: 88_000,
        what: "one tag, n attributes (refused: >512)",
        gen: |n| {
            let mut s = String::from("<a");
            for i in 0..n {
                s.push_str(&format!(" a{i}=\"v\""));
            }
            s.push_str(">x</a>");
            s
        },
    },
    Family {
        name: "unclosed_a",
        n: 77_000,
        what: "n x '<a href=\"/p\">x'",
        gen: |n| "<a href=\"/p\">x".repeat(n),
    },
    Family {
        name: "foster",
        n: 100_000,
        what: "n x '<p><table>'",
        gen: |n| "<p><table>".repeat(n),
    },
    Family {
        name: "text",
        n: 1_000_000,
        what: "n bytes of words",
        gen: |n| words(n, false),
    },
    Family {
        name: "entities",
        n: 1_000_000,
        what: "n bytes of words + refs",
        gen: |n| words(n, true),
    },
];

pub fn family(name: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.name == name)
}

/// Peak resident set size of this process so far (VmHWM), in bytes.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
