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

/// The comments with markup the fast parser accepts under `policy`, and
/// those it bails on (plain-text comments are in neither).
pub fn fast_parser_split(all: &[String], policy: &borax::Policy) -> (Vec<String>, Vec<String>) {
    let markup = all.iter().filter(|c| c.contains('<') || c.contains('&'));
    markup
        .cloned()
        .partition(|c| borax::__private::fast_path_bail(policy, c).is_none())
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

/// An ammonia builder with exactly the elements and per-element attributes
/// of a borax policy (read from the policy itself, so the lists cannot
/// drift), no generic attributes, http/https/mailto, relative URLs passed
/// through, `rel="nofollow ugc"`, comments stripped, script/style content
/// dropped (ammonia's default `clean_content_tags`).
fn ammonia_like(policy: &borax::Policy) -> ammonia::Builder<'static> {
    // ammonia wants `&'static str`; these builders live for the whole run.
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let mut tags: HashSet<&'static str> = HashSet::new();
    let mut tag_attributes: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    for (_, name, attrs) in policy.allowed_elements() {
        let tag = leak(name);
        tags.insert(tag);
        if !attrs.is_empty() {
            tag_attributes.insert(tag, attrs.iter().map(|a| leak(a)).collect());
        }
    }
    let mut b = ammonia::Builder::empty();
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
    ammonia_like(&borax::Policy::comments())
}

/// ammonia configured like `borax::Policy::relaxed()` (same lists, and the
/// same `user-content-` id prefix).
pub fn ammonia_relaxed() -> ammonia::Builder<'static> {
    let mut b = ammonia_like(&borax::Policy::relaxed());
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

mod adversarial;
#[allow(unused_imports)]
pub use adversarial::{family, words, Family, FAMILIES};

/// Peak resident set size of this process so far (VmHWM), in bytes.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
