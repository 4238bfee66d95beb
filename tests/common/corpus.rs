//! The shared corpus (`$BORAX_CORPUS`, see `/work/shared/corpus/README.md`)
//! as named inputs: html5lib tree-construction `#data` sections, XSS
//! payloads, pages, comments. Included with `#[path]` by
//! `tests/invariants.rs` and `tests/fast_path.rs` (not by the oracle, which
//! the fuzz crate compiles too).
//!
//! The corpus tests are compiled as ignored unless `BORAX_CORPUS` names a
//! directory when the tests are built (`build.rs`, `cfg(borax_corpus)`).

// Each includer uses its own part.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// An input and its name (`file#n`, `file[i]`, `file`), for failure reports.
pub type Named = (String, String);

/// The shared corpus: `$BORAX_CORPUS`. Run with `--ignored` without it set,
/// the corpus tests fail here.
pub fn corpus_dir() -> PathBuf {
    let d = PathBuf::from(
        std::env::var_os("BORAX_CORPUS")
            .expect("set BORAX_CORPUS=../shared/corpus to run the corpus tests"),
    );
    assert!(
        d.is_dir(),
        "BORAX_CORPUS={} is not a directory",
        d.display()
    );
    d
}

/// The `*.ext` files of `dir`, sorted; at least one.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no *.{ext} in {}", dir.display());
    v
}

fn read(f: &Path) -> String {
    std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))
}

fn file_name(f: &Path) -> String {
    f.file_name().unwrap().to_string_lossy().into_owned()
}

/// The `#data` sections of html5lib tree-construction files.
pub fn html5lib_inputs(dir: &Path) -> Vec<Named> {
    let mut out = Vec::new();
    for f in files_with_ext(&dir.join("html5lib/tree-construction"), "dat") {
        let text = read(&f);
        let mut lines = text.split('\n');
        let mut n = 0;
        while let Some(line) = lines.next() {
            if line != "#data" {
                continue;
            }
            let data: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("#errors"))
                .collect();
            n += 1;
            out.push((format!("{}#{n}", file_name(&f)), data.join("\n")));
        }
    }
    assert!(out.len() > 1000, "only {} html5lib inputs", out.len());
    out
}

/// The payloads of `xss/*.json` (each a JSON array of strings).
pub fn xss_inputs(dir: &Path) -> Vec<Named> {
    let mut out = Vec::new();
    for f in files_with_ext(&dir.join("xss"), "json") {
        let items: Vec<String> =
            serde_json::from_str(&read(&f)).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let base = file_name(&f);
        out.extend(
            items
                .into_iter()
                .enumerate()
                .map(|(i, s)| (format!("{base}[{i}]"), s)),
        );
    }
    out
}

/// The pages of `pages/*.html` (invalid UTF-8 replaced).
pub fn page_inputs(dir: &Path) -> Vec<Named> {
    files_with_ext(&dir.join("pages"), "html")
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (file_name(&f), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// The comments of `comments.ndjson` (one JSON string a line).
pub fn comment_inputs(dir: &Path) -> Vec<Named> {
    let f = dir.join("comments.ndjson");
    read(&f)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let s = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", f.display(), i + 1));
            (format!("comments.ndjson:{}", i + 1), s)
        })
        .collect()
}

/// The texts alone, for tests that need no names.
pub fn texts(inputs: Vec<Named>) -> Vec<String> {
    inputs.into_iter().map(|(_, s)| s).collect()
}
