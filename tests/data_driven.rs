//! Data-driven tests: every `tests/data/*.toml` file is a list of `[[case]]`s.
//!
//! A case names one policy (`preset`, `policy` as a TOML policy file, or
//! `notation` as the "Some HTML allowed: ..." help line), an `input`, and what
//! must come out: `expected` (the cleaned HTML), `error` (the `Debug` variant
//! name of the `PolicyError` or `CleanError`), and/or `notation_out` (what
//! `policy.to_notation()` must render). See `tests/data/README.md`.
//!
//! Besides the stated expectation every case also checks:
//! * idempotence: cleaning the output again gives the output unchanged;
//! * `clean`, `try_clean` and `clean_to` agree;
//! * the policy survives `to_toml_string` -> `from_toml_str` unchanged.
//!
//! All failures are collected and reported together at the end, so one run
//! shows every failing case.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use borax::Policy;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    preset: Option<String>,
    policy: Option<String>,
    notation: Option<String>,
    input: Option<String>,
    expected: Option<String>,
    error: Option<String>,
    notation_out: Option<String>,
    source: Option<String>,
    /// Free text for readers; ignored by the runner.
    #[allow(dead_code)]
    note: Option<String>,
}

/// The `Debug` variant name of an error: `InputTooLarge { len: 3, limit: 2 }` -> `InputTooLarge`.
fn variant_name<E: std::fmt::Debug>(e: &E) -> String {
    let dbg = format!("{e:?}");
    dbg.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
        .to_string()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

struct Failures {
    list: Vec<String>,
}

impl Failures {
    fn add(&mut self, file: &str, case: &str, what: &str, details: &[(&str, String)]) {
        let mut s = format!("{file} :: {case}: {what}");
        for (k, v) in details {
            let _ = write!(s, "\n      {k:<9} {v}");
        }
        self.list.push(s);
    }
}

fn build_policy(case: &Case) -> Result<Result<Policy, String>, String> {
    let given = [&case.preset, &case.policy, &case.notation]
        .iter()
        .filter(|p| p.is_some())
        .count();
    if given != 1 {
        return Err(format!(
            "needs exactly one of `preset`, `policy`, `notation` (has {given})"
        ));
    }
    let built = if let Some(p) = &case.preset {
        Policy::preset(p).map_err(|e| (variant_name(&e), format!("{e:?}")))
    } else if let Some(p) = &case.policy {
        Policy::from_toml_str(p).map_err(|e| (variant_name(&e), format!("{e:?}")))
    } else {
        let n = case.notation.as_deref().unwrap_or_default();
        Policy::from_notation(n).map_err(|e| (variant_name(&e), format!("{e:?}")))
    };
    Ok(built.map_err(|(name, full)| format!("{name}\u{0}{full}")))
}

fn run_case(file: &str, case: &Case, attack_file: bool, f: &mut Failures) {
    let name = case.name.as_str();
    if attack_file {
        match &case.source {
            Some(s) if s.starts_with("https://") || s.starts_with("http://") => {}
            Some(s) => f.add(
                file,
                name,
                "`source` is not a URL",
                &[("source", format!("{s:?}"))],
            ),
            None => f.add(file, name, "attack case without `source`", &[]),
        }
    }
    if case.expected.is_none() && case.error.is_none() && case.notation_out.is_none() {
        f.add(
            file,
            name,
            "case has none of `expected`, `error`, `notation_out`",
            &[],
        );
        return;
    }
    if case.expected.is_some() && case.error.is_some() {
        f.add(file, name, "case has both `expected` and `error`", &[]);
        return;
    }
    if case.expected.is_some() && case.input.is_none() {
        f.add(file, name, "`expected` without `input`", &[]);
        return;
    }
    let policy = match build_policy(case) {
        Err(msg) => {
            f.add(file, name, &msg, &[]);
            return;
        }
        Ok(Err(err)) => {
            let (variant, full) = err.split_once('\u{0}').unwrap_or((&err, &err));
            match &case.error {
                Some(want) if want == variant => {}
                _ => f.add(
                    file,
                    name,
                    "building the policy failed",
                    &[
                        (
                            "input",
                            format!("{:?}", case.input.as_deref().unwrap_or("")),
                        ),
                        (
                            "expected",
                            match (&case.error, &case.expected) {
                                (Some(e), _) => format!("error {e}"),
                                (None, Some(x)) => format!("{x:?}"),
                                (None, None) => "a policy".to_string(),
                            },
                        ),
                        ("got", format!("error {full}")),
                    ],
                ),
            }
            return;
        }
        Ok(Ok(p)) => p,
    };

    // The policy must survive its own file format.
    let toml = policy.to_toml_string().expect("policy serializes");
    match Policy::from_toml_str(&toml) {
        Ok(back) if back == policy => {}
        Ok(back) => f.add(
            file,
            name,
            "policy changed through to_toml_string/from_toml_str",
            &[
                ("toml", toml.clone()),
                ("before", format!("{policy:?}")),
                ("after", format!("{back:?}")),
            ],
        ),
        Err(e) => f.add(
            file,
            name,
            "from_toml_str rejected to_toml_string's output",
            &[("toml", toml.clone()), ("error", format!("{e:?}"))],
        ),
    }

    if let Some(want) = &case.notation_out {
        let got = policy.to_notation();
        if &got != want {
            f.add(
                file,
                name,
                "to_notation() differs",
                &[
                    ("expected", format!("{want:?}")),
                    ("got", format!("{got:?}")),
                ],
            );
        }
    }

    let Some(input) = case.input.as_deref() else {
        if case.error.is_some() {
            f.add(
                file,
                name,
                "expected an error, but the policy built fine (and there is no input)",
                &[],
            );
        }
        return;
    };
    let result = policy.try_clean(input);

    // clean / clean_to must agree with try_clean.
    let plain = policy.clean(input);
    let mut buf = Vec::new();
    let to = policy
        .clean_to(input, &mut buf)
        .map(|()| String::from_utf8(buf));
    match &result {
        Ok(out) => {
            if &plain != out {
                f.add(
                    file,
                    name,
                    "clean() differs from try_clean()",
                    &[
                        ("input", format!("{input:?}")),
                        ("clean", format!("{plain:?}")),
                        ("try_clean", format!("{out:?}")),
                    ],
                );
            }
            match &to {
                Ok(Ok(s)) if s == out => {}
                other => f.add(
                    file,
                    name,
                    "clean_to() differs from try_clean()",
                    &[
                        ("input", format!("{input:?}")),
                        ("clean_to", format!("{other:?}")),
                        ("try_clean", format!("{out:?}")),
                    ],
                ),
            }
        }
        Err(e) => {
            if !plain.is_empty() {
                f.add(
                    file,
                    name,
                    "clean() is not \"\" on error",
                    &[
                        ("input", format!("{input:?}")),
                        ("clean", format!("{plain:?}")),
                        ("error", format!("{e:?}")),
                    ],
                );
            }
            if to.is_ok() {
                f.add(
                    file,
                    name,
                    "clean_to() succeeded where try_clean() failed",
                    &[("input", format!("{input:?}")), ("error", format!("{e:?}"))],
                );
            }
        }
    }

    match (&result, &case.expected, &case.error) {
        (Ok(out), Some(want), _) if out == want => {}
        (Err(e), None, Some(want)) if &variant_name(e) == want => {}
        (got, _, _) => f.add(
            file,
            name,
            "output differs",
            &[
                ("input", format!("{input:?}")),
                (
                    "expected",
                    match (&case.expected, &case.error) {
                        (Some(x), _) => format!("{x:?}"),
                        (None, Some(e)) => format!("error {e}"),
                        (None, None) => "(not stated)".to_string(),
                    },
                ),
                (
                    "got",
                    match got {
                        Ok(s) => format!("{s:?}"),
                        Err(e) => format!("error {e:?}"),
                    },
                ),
            ],
        ),
    }

    // Idempotence: the output is a fixed point of the same policy.
    if let Ok(out) = &result {
        match policy.try_clean(out) {
            Ok(again) if &again == out => {}
            again => f.add(
                file,
                name,
                "not idempotent: clean(output) != output",
                &[
                    ("input", format!("{input:?}")),
                    ("output", format!("{out:?}")),
                    ("again", format!("{again:?}")),
                ],
            ),
        }
    }
}

#[test]
fn data_driven() {
    let dir = data_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.toml files in {}", dir.display());

    let mut f = Failures { list: Vec::new() };
    let mut total = 0usize;
    let mut per_file = Vec::new();
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        let parsed: CaseFile = match toml::from_str(&text) {
            Ok(p) => p,
            Err(e) => {
                f.add(
                    &file,
                    "-",
                    "file does not parse",
                    &[("error", e.to_string())],
                );
                continue;
            }
        };
        if parsed.case.is_empty() {
            f.add(&file, "-", "file has no [[case]]", &[]);
        }
        let attack_file = file.starts_with("attacks");
        let mut names = BTreeSet::new();
        for case in &parsed.case {
            if !names.insert(case.name.as_str()) {
                f.add(&file, &case.name, "duplicate case name", &[]);
            }
            if case.name.is_empty()
                || !case
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                f.add(&file, &case.name, "case name is not snake_case", &[]);
            }
            // A panic inside the library is a failure of this case, not of the run.
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut local = Failures { list: Vec::new() };
                run_case(&file, case, attack_file, &mut local);
                local.list
            }));
            match r {
                Ok(list) => f.list.extend(list),
                Err(p) => {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    f.add(
                        &file,
                        &case.name,
                        "PANICKED",
                        &[
                            (
                                "input",
                                format!("{:?}", case.input.as_deref().unwrap_or("")),
                            ),
                            ("panic", msg),
                        ],
                    );
                }
            }
        }
        total += parsed.case.len();
        per_file.push(format!("{file}: {}", parsed.case.len()));
    }
    eprintln!("data-driven cases: {total} ({})", per_file.join(", "));
    if !f.list.is_empty() {
        panic!(
            "{} data-driven failure(s) in {total} cases:\n\n{}\n",
            f.list.len(),
            f.list.join("\n\n")
        );
    }
}
