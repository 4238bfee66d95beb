//! Every crash the fuzz targets found, replayed through the same invariant
//! checks (`fuzz/src/checks.rs`) in plain `cargo test`.
//!
//! Files: `tests/regressions/<target>/<name>`, the raw (minimised) input
//! libFuzzer ran, for the targets `clean`, `fast_path`, `policy`, `notation`
//! and `url`.
//! Add one with `fuzz/save-regression <target> <artifact> <name>`.

#[allow(dead_code, unreachable_pub)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::panic;
use std::path::Path;

const TARGETS: &[&str] = &["clean", "fast_path", "policy", "notation", "url"];

#[test]
fn fuzz_regressions_hold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut failures = Vec::new();
    let mut count = 0;
    for target in TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for path in files {
            let data = std::fs::read(&path).unwrap();
            count += 1;
            let result = panic::catch_unwind(|| checks::replay(target, &data));
            if let Err(e) = result {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {msg}", path.display()));
            }
        }
    }
    eprintln!("replayed {count} regression inputs");
    assert!(
        failures.is_empty(),
        "{} of {count} regressions fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn reference_url_rule() {
    assert_eq!(
        checks::ref_scheme(&checks::ref_trim(" \u{1}JaVa\tScRiPt:x")).as_deref(),
        Some("javascript")
    );
    assert_eq!(checks::ref_scheme(&checks::ref_trim("/a:b")), None);
    assert_eq!(checks::ref_scheme(&checks::ref_trim("a b:c")), None);
    assert_eq!(
        checks::ref_srcset_urls("a.png 1x, b.png (x, y) 2w,c.png,, d.png"),
        ["a.png", "b.png", "c.png", "d.png"]
    );
    let p = borax::Policy::comments();
    assert!(checks::ref_url_allowed("https://x", &p).is_ok());
    assert!(checks::ref_url_allowed("java\nscript:x", &p).is_err());
}

#[test]
fn invalid_utf8_offset_is_the_first_bad_byte() {
    assert_eq!(checks::cli_utf8(b"ab\xffcd"), Err(2));
    assert_eq!(checks::cli_utf8("é\u{20ac}".as_bytes()), Ok("é\u{20ac}"));
    assert_eq!(checks::cli_utf8(b"a\xe2\x82"), Err(1));
}

#[test]
fn presets_pass_the_checks() {
    for name in borax::Policy::PRESETS {
        let p = borax::Policy::preset(name).unwrap();
        let out = p.clean(checks::SAMPLE);
        checks::check_output(&p, &checks::Extra::of(&p), checks::SAMPLE, &out)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
