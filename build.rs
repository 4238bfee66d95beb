//! Build script: only for the tests. `cfg(borax_corpus)` is set when
//! `BORAX_CORPUS` names an existing directory (relative paths from the
//! package root, where the tests run), so the corpus tests in `tests/*.rs`
//! are compiled as ignored without it and show so in `cargo test`
//! (`#[cfg_attr(not(borax_corpus), ignore = ...)]`).

use std::path::Path;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(borax_corpus)");
    println!("cargo:rerun-if-env-changed=BORAX_CORPUS");
    println!("cargo:rerun-if-changed=build.rs");
    if let Some(dir) = std::env::var_os("BORAX_CORPUS") {
        let root = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
        let dir = Path::new(&root).join(dir);
        if dir.is_dir() {
            println!("cargo:rustc-cfg=borax_corpus");
        }
    }
}
