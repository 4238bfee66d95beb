//! The `borax` binary, run for real.

use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_borax");

/// A fresh directory (`tempfile`), removed on drop.
struct TempDir(tempfile::TempDir);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        TempDir(
            tempfile::Builder::new()
                .prefix(&format!("borax-cli-{tag}-"))
                .tempdir()
                .unwrap(),
        )
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.path().join(name);
        fs::write(&p, contents).unwrap();
        p
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    /// Names of the files in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<_> = fs::read_dir(self.0.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

/// Run borax with `args` and `stdin`.
fn borax<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: impl Into<Vec<u8>>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut sin = child.stdin.take().unwrap();
    let input = stdin.into();
    // Fed from a thread: borax may stop reading early.
    let feeder = std::thread::spawn(move || {
        let _ = sin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit status\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        stderr(o)
    );
}

fn mtime(p: &Path) -> SystemTime {
    fs::metadata(p).unwrap().modified().unwrap()
}

/// Make a file's mtime old, so that a rewrite would be seen even on
/// coarse-grained file systems.
fn age(p: &Path) -> SystemTime {
    let old = SystemTime::now() - Duration::from_secs(3600);
    let f = fs::OpenOptions::new().write(true).open(p).unwrap();
    f.set_modified(old).unwrap();
    drop(f);
    mtime(p)
}

const DIRTY: &str = "<b onclick=x>hi</b><script>alert(1)</script>";
const CLEANED: &str = "<b>hi</b>";

// ---------------------------------------------------------------- basics

#[test]
fn help_documents_options_and_exit_codes() {
    let o = borax(&["--help"], "");
    assert_code(&o, 0);
    let h = stdout(&o);
    for needle in [
        "--preset",
        "--policy",
        "--allow",
        "--print-policy",
        "--list-presets",
        "--write",
        "--check",
        "--output",
        "--report",
        "--ndjson",
        "--field",
        "--skip-invalid",
        "--jobs",
        "--quiet",
        "--max-input-bytes",
        "--lossy",
    ] {
        assert!(h.contains(needle), "{needle} missing from --help");
    }
    for code in ["0 ", "1 ", "2 ", "65 ", "74 "] {
        assert!(
            h.contains(&format!("\n  {code}")),
            "exit code {code} missing from --help:\n{h}"
        );
    }
    let o = borax(&["--version"], "");
    assert_code(&o, 0);
    assert!(stdout(&o).starts_with("borax "));
}

#[test]
fn stdin_to_stdout_with_the_default_preset() {
    let o = borax::<&str>(&[], DIRTY);
    assert_code(&o, 0);
    assert_eq!(stdout(&o), CLEANED);
    assert!(o.stderr.is_empty());
    let o = borax(&["-"], DIRTY);
    assert_code(&o, 0);
    assert_eq!(stdout(&o), CLEANED);
}

#[test]
fn several_files_are_concatenated() {
    let d = TempDir::new("concat");
    let a = d.file("a.html", "<i>a</i><u>x</u>");
    let b = d.file("b.html", DIRTY);
    let o = borax(&[a.as_os_str(), "-".as_ref(), b.as_os_str()], "<em>s</em>");
    assert_code(&o, 0);
    assert_eq!(stdout(&o), format!("<i>a</i>x<em>s</em>{CLEANED}"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["--bogus"][..],
        &["--preset", "nope"],
        &["--preset", "basic", "--allow", "<b>"],
        &["--field", "body"],
        &["--skip-invalid"],
        &["--write", "--check", "x"],
        &["--jobs", "many"],
        &["--max-input-bytes", "10X"],
        &["--print-policy", "yaml"],
    ] {
        let o = borax(args, "");
        assert_code(&o, 2);
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

// ---------------------------------------------------------------- policy

#[test]
fn presets_apply() {
    let o = borax(&["--preset", "basic"], "<p>x<br>y</p><h1>t</h1>");
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "<p>x<br>y</p>t");
    let o = borax(&["--preset", "text"], "<b>a</b> &amp; <script>x</script>b");
    assert_eq!(stdout(&o), "a &amp; b");
}

#[test]
fn list_presets_one_line_each() {
    let o = borax(&["--list-presets"], "");
    assert_code(&o, 0);
    let out = stdout(&o);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), borax::Policy::PRESETS.len());
    for (line, name) in lines.iter().zip(borax::Policy::PRESETS) {
        assert!(line.starts_with(name), "{line}");
        assert!(line.len() > name.len() + 10, "{line}");
    }
}

#[test]
fn policy_files_toml_and_json() {
    let d = TempDir::new("policy");
    let t = d.file(
        "p.toml",
        "elements = [\"b\", { name = \"a\", attributes = [\"href\"] }]\nlinkRel = []\n",
    );
    let j = d.file("p.JSON", r#"{"elements": ["i"], "comments": true}"#);
    let o = borax(
        &["--policy".as_ref(), t.as_os_str()],
        r#"<b>x</b><i>y</i><a href="https://e.org" title=t>l</a>"#,
    );
    assert_code(&o, 0);
    assert_eq!(stdout(&o), r#"<b>x</b>y<a href="https://e.org">l</a>"#);
    let o = borax(
        &["--policy".as_ref(), j.as_os_str()],
        "<b>x</b><i>y</i><!--c-->",
    );
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "x<i>y</i><!--c-->");
}

#[test]
fn bad_policy_file_names_line_and_key() {
    let d = TempDir::new("badpolicy");
    let t = d.file("p.toml", "elements = [\"b\"]\nmaxDepth = \"deep\"\n");
    let o = borax(&["--policy".as_ref(), t.as_os_str()], "<b>x</b>");
    assert_code(&o, 2);
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(
        e.contains("p.toml") && e.contains("line 2") && e.contains("maxDepth"),
        "{e}"
    );

    let t = d.file("q.toml", "elements = [\"b\"]\n\nbogus = 1\n");
    let e = stderr(&borax(&["--policy".as_ref(), t.as_os_str()], ""));
    assert!(e.contains("line 3") && e.contains("bogus"), "{e}");

    let j = d.file("p.json", "{\n  \"elements\": [\"b\"],\n  \"nope\": 1\n}");
    let o = borax(&["--policy".as_ref(), j.as_os_str()], "");
    assert_code(&o, 2);
    let e = stderr(&o);
    assert!(e.contains("line 3") && e.contains("nope"), "{e}");

    // Unsafe policy, unknown extension, missing file.
    let t = d.file("s.toml", "elements = [\"script\"]\n");
    let o = borax(&["--policy".as_ref(), t.as_os_str()], "");
    assert_code(&o, 2);
    assert!(stderr(&o).contains("script"));
    let y = d.file("p.yaml", "elements: [b]\n");
    let o = borax(&["--policy".as_ref(), y.as_os_str()], "");
    assert_code(&o, 2);
    assert!(stderr(&o).contains(".toml or .json"));
    let o = borax(
        &["--policy".as_ref(), d.path("missing.toml").as_os_str()],
        "",
    );
    assert_code(&o, 2);
    assert!(stderr(&o).contains("missing.toml"));
}

#[test]
fn allow_notation() {
    let o = borax(
        &["--allow", r#"Some HTML allowed: <a href="" title=""> <b>"#],
        r#"<a href="https://x.org" title="t" id=i>l</a><b>b</b><i>i</i>"#,
    );
    assert_code(&o, 0);
    assert_eq!(
        stdout(&o),
        r#"<a href="https://x.org" title="t" rel="nofollow ugc">l</a><b>b</b>i"#
    );
    let o = borax(&["--allow", "<a href=>"], "");
    assert_code(&o, 2);
    assert!(stderr(&o).contains("--allow"));
}

#[test]
fn print_policy_in_every_format() {
    let o = borax(&["--print-policy"], "");
    assert_code(&o, 0);
    let toml = stdout(&o);
    assert_eq!(
        borax::Policy::from_toml_str(&toml).unwrap(),
        borax::Policy::comments()
    );
    let o = borax(&["--print-policy", "json", "--preset", "relaxed"], "");
    assert_eq!(
        borax::Policy::from_json_str(&stdout(&o)).unwrap(),
        borax::Policy::relaxed()
    );
    let o = borax(&["--print-policy", "notation"], "");
    assert_eq!(
        stdout(&o).trim_end(),
        borax::Policy::comments().to_notation()
    );
    let o = borax(&["--allow", "<b> <i>", "--print-policy=notation"], "");
    assert_eq!(stdout(&o), "Some HTML allowed: <b> <i>\n");
    // The limit override is part of the effective policy.
    let o = borax(&["--max-input-bytes", "2K", "--print-policy"], "");
    assert!(
        stdout(&o).contains("maxInputBytes = 2048"),
        "{}",
        stdout(&o)
    );

    // A printed policy used as a policy file cleans the same way.
    let d = TempDir::new("print");
    let p = d.file(
        "basic.toml",
        stdout(&borax(&["--preset", "basic", "--print-policy"], "")),
    );
    let input = "<p>x<br><a href=/r onclick=1>y</a></p><h1>t</h1><script>z</script>";
    let a = borax(&["--preset", "basic"], input);
    let b = borax(&["--policy".as_ref(), p.as_os_str()], input);
    assert_eq!(stdout(&a), stdout(&b));
}

// ---------------------------------------------------------------- input handling

#[test]
fn invalid_utf8_names_offset_and_writes_nothing() {
    let o = borax::<&str>(&[], b"<b>ok\xff</b>".to_vec());
    assert_code(&o, 65);
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(e.contains("<stdin>") && e.contains("byte offset 5"), "{e}");

    let d = TempDir::new("utf8");
    let f = d.file("bad.html", b"abc\xc3(");
    let o = borax(&[f.as_os_str()], "");
    assert_code(&o, 65);
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(e.contains("bad.html") && e.contains("byte offset 3"), "{e}");

    let o = borax(&["--lossy"], b"<b>ok\xff</b>".to_vec());
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "<b>ok\u{fffd}</b>");
}

#[test]
fn max_input_bytes() {
    let d = TempDir::new("limit");
    let f = d.file("big.html", "x".repeat(101));
    let o = borax(
        &["--max-input-bytes".as_ref(), "100".as_ref(), f.as_os_str()],
        "",
    );
    assert_code(&o, 65);
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(
        e.contains("big.html") && e.contains("101 bytes") && e.contains("100"),
        "{e}"
    );

    let o = borax(&["--max-input-bytes", "100"], "x".repeat(101));
    assert_code(&o, 65);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("<stdin>"));

    let o = borax(&["--max-input-bytes", "100"], "x".repeat(100));
    assert_code(&o, 0);
    assert_eq!(o.stdout.len(), 100);

    // Suffixes.
    let o = borax(&["--max-input-bytes", "1K"], "x".repeat(1025));
    assert_code(&o, 65);
    let o = borax(&["--max-input-bytes", "1k"], "x".repeat(1024));
    assert_code(&o, 0);

    // The default is the policy's 10 MiB: a file over it is refused before
    // it is read.
    let f = d.path("huge.html");
    fs::File::create(&f)
        .unwrap()
        .set_len((10 << 20) + 1)
        .unwrap();
    let o = borax(&[f.as_os_str()], "");
    assert_code(&o, 65);
    assert!(
        stderr(&o).contains(&format!("{} bytes", (10 << 20) + 1)),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_bad_input_does_not_stop_the_others() {
    let d = TempDir::new("mixed");
    let a = d.file("a.html", "<i>a</i>");
    let bad = d.file("bad.html", b"\xff");
    let b = d.file("b.html", DIRTY);
    let o = borax(&[a.as_os_str(), bad.as_os_str(), b.as_os_str()], "");
    assert_code(&o, 65);
    assert_eq!(stdout(&o), format!("<i>a</i>{CLEANED}"));
    assert!(stderr(&o).contains("bad.html"));
}

#[test]
fn unreadable_input_exits_74() {
    let d = TempDir::new("io");
    let a = d.file("a.html", "<i>a</i>");
    let missing = d.path("missing.html");
    let o = borax(&[missing.as_os_str(), a.as_os_str()], "");
    assert_code(&o, 74);
    assert_eq!(stdout(&o), "<i>a</i>");
    assert!(stderr(&o).contains("missing.html"));
    // A directory.
    let o = borax(&[d.0.path().as_os_str()], "");
    assert_code(&o, 74);
    // I/O wins over bad data in the exit status.
    let bad = d.file("bad.html", b"\xff");
    let o = borax(&[bad.as_os_str(), missing.as_os_str()], "");
    assert_code(&o, 74);
}

#[cfg(target_os = "linux")]
#[test]
fn failing_stdout_exits_74() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(BIN)
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"<b>x</b>")?;
            c.wait_with_output()
        })
        .unwrap();
    assert_code(&o, 74);
    assert!(stderr(&o).contains("standard output"), "{}", stderr(&o));
}

// ---------------------------------------------------------------- modes

#[test]
fn output_file() {
    let d = TempDir::new("output");
    let out = d.path("out.html");
    let o = borax(&["-o".as_ref(), out.as_os_str()], DIRTY);
    assert_code(&o, 0);
    assert!(o.stdout.is_empty());
    assert_eq!(fs::read_to_string(&out).unwrap(), CLEANED);
    // A failed input leaves the output file as it was.
    let o = borax(&["--output".as_ref(), out.as_os_str()], b"\xff".to_vec());
    assert_code(&o, 65);
    assert_eq!(fs::read_to_string(&out).unwrap(), CLEANED);
    assert_eq!(d.names(), ["out.html"]);
    // One input only.
    let a = d.file("a.html", "a");
    let o = borax(
        &["-o".as_ref(), out.as_os_str(), a.as_os_str(), a.as_os_str()],
        "",
    );
    assert_code(&o, 2);
    // An output in a missing directory is an I/O error.
    let o = borax(
        &["-o".as_ref(), d.path("no/such/dir.html").as_os_str()],
        "x",
    );
    assert_code(&o, 74);
}

#[test]
fn write_rewrites_changed_files_only() {
    let d = TempDir::new("write");
    let dirty = d.file("dirty.html", DIRTY);
    let clean = d.file("clean.html", CLEANED);
    let t_dirty = age(&dirty);
    let t_clean = age(&clean);
    let o = borax(
        &["--write".as_ref(), dirty.as_os_str(), clean.as_os_str()],
        "",
    );
    assert_code(&o, 0);
    assert!(o.stdout.is_empty());
    assert_eq!(fs::read_to_string(&dirty).unwrap(), CLEANED);
    assert_ne!(mtime(&dirty), t_dirty);
    assert_eq!(fs::read_to_string(&clean).unwrap(), CLEANED);
    assert_eq!(mtime(&clean), t_clean, "an unchanged file was touched");
    assert_eq!(
        d.names(),
        ["clean.html", "dirty.html"],
        "temporary files left behind"
    );
}

#[test]
fn write_never_replaces_a_file_with_a_failure() {
    let d = TempDir::new("writefail");
    let bad_utf8 = d.file("utf8.html", b"<b onclick=x>\xff</b>");
    let big = d.file("big.html", format!("<script>{}</script>", "x".repeat(200)));
    let good = d.file("good.html", DIRTY);
    let t_utf8 = age(&bad_utf8);
    let t_big = age(&big);
    let o = borax(
        &[
            "-w".as_ref(),
            "--max-input-bytes".as_ref(),
            "100".as_ref(),
            bad_utf8.as_os_str(),
            big.as_os_str(),
            good.as_os_str(),
        ],
        "",
    );
    assert_code(&o, 65);
    assert_eq!(fs::read(&bad_utf8).unwrap(), b"<b onclick=x>\xff</b>");
    assert_eq!(mtime(&bad_utf8), t_utf8);
    assert!(fs::read_to_string(&big).unwrap().starts_with("<script>"));
    assert_eq!(mtime(&big), t_big);
    assert_eq!(
        fs::read_to_string(&good).unwrap(),
        CLEANED,
        "the good file is still cleaned"
    );
    assert_eq!(d.names(), ["big.html", "good.html", "utf8.html"]);
    let e = stderr(&o);
    assert!(e.contains("utf8.html") && e.contains("big.html"), "{e}");
}

#[test]
fn write_needs_files() {
    let o = borax(&["--write"], DIRTY);
    assert_code(&o, 2);
    let o = borax(&["--write", "-"], DIRTY);
    assert_code(&o, 2);
    assert!(o.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn write_keeps_permissions_and_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let d = TempDir::new("perm");
    let f = d.file("f.html", DIRTY);
    fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
    let link = d.path("link.html");
    std::os::unix::fs::symlink("f.html", &link).unwrap();
    let o = borax(&["-w".as_ref(), link.as_os_str()], "");
    assert_code(&o, 0);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&f).unwrap(), CLEANED);
    assert_eq!(
        fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(d.names(), ["f.html", "link.html"]);
}

#[test]
fn check_lists_changed_inputs() {
    let d = TempDir::new("check");
    let dirty = d.file("dirty.html", DIRTY);
    let clean = d.file("clean.html", CLEANED);
    let t = age(&dirty);
    let o = borax(
        &["--check".as_ref(), dirty.as_os_str(), clean.as_os_str()],
        "",
    );
    assert_code(&o, 1);
    assert_eq!(stdout(&o), format!("{}\n", dirty.display()));
    assert_eq!(fs::read_to_string(&dirty).unwrap(), DIRTY);
    assert_eq!(mtime(&dirty), t);

    let o = borax(&["--check".as_ref(), clean.as_os_str()], "");
    assert_code(&o, 0);
    assert!(o.stdout.is_empty());

    let o = borax(&["--check"], DIRTY);
    assert_code(&o, 1);
    assert_eq!(stdout(&o), "<stdin>\n");

    // Bad data outranks changes.
    let bad = d.file("bad.html", b"\xff");
    let o = borax(
        &["--check".as_ref(), dirty.as_os_str(), bad.as_os_str()],
        "",
    );
    assert_code(&o, 65);
}

// ---------------------------------------------------------------- report

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn report_says_what_was_removed() {
    let d = TempDir::new("report");
    let f = d.file("in.html", r#"<b onclick=x>a</b><script>1</script><script>2</script><a href="javascript:x">l</a><!--c-->"#);
    let rep = d.path("report.jsonl");
    let o = borax(&["--report".as_ref(), rep.as_os_str(), f.as_os_str()], "");
    assert_code(&o, 0);
    assert_eq!(stdout(&o), r#"<b>a</b><a rel="nofollow ugc">l</a>"#);
    let lines = json_lines(&fs::read_to_string(&rep).unwrap());
    let input = f.display().to_string();
    let find = |kind: &str, name: &str| {
        lines
            .iter()
            .find(|l| l["kind"] == kind && l["name"] == name)
            .unwrap_or_else(|| panic!("no {kind} {name} in {lines:?}"))
    };
    let script = find("element", "script");
    assert_eq!(script["reason"], "dropped with content");
    assert_eq!(script["count"], 2);
    assert_eq!(script["input"], input.as_str());
    assert!(script.get("line").is_none());
    assert_eq!(find("attribute", "onclick")["reason"], "not allowed");
    assert_eq!(find("url", "href")["reason"], "bad scheme");
    assert_eq!(find("comment", "#comment")["count"], 1);
    // All of it is in the fast parser's subset.
    assert!(lines.iter().all(|l| l["fast_path"] == true), "{lines:?}");
    // A table is not: html5ever parses it.
    let t = d.file("table.html", "<table><td onclick=x>c</table>");
    let rep2 = d.path("report2.jsonl");
    let o = borax(&["--report".as_ref(), rep2.as_os_str(), t.as_os_str()], "");
    assert_code(&o, 0);
    let lines2 = json_lines(&fs::read_to_string(&rep2).unwrap());
    assert!(
        !lines2.is_empty() && lines2.iter().all(|l| l["fast_path"] == false),
        "{lines2:?}"
    );
    // Key order as documented.
    let first = fs::read_to_string(&rep)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let keys: Vec<_> = ["input", "kind", "name", "reason", "count", "fast_path"]
        .iter()
        .map(|k| first.find(&format!("\"{k}\"")).unwrap())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{first}");
}

#[test]
fn report_to_stdout_with_write() {
    let d = TempDir::new("reportw");
    let f = d.file("in.html", DIRTY);
    let o = borax(
        &[
            "--write".as_ref(),
            "--report".as_ref(),
            "-".as_ref(),
            f.as_os_str(),
        ],
        "",
    );
    assert_code(&o, 0);
    let lines = json_lines(&stdout(&o));
    assert!(lines
        .iter()
        .any(|l| l["name"] == "script" && l["input"] == f.display().to_string().as_str()));
    // Without --write or --output, `-` would mix with the output.
    let o = borax(&["--report", "-"], DIRTY);
    assert_code(&o, 2);
    assert!(o.stdout.is_empty());
}

#[test]
fn report_in_ndjson_names_lines() {
    let d = TempDir::new("reportn");
    let rep = d.path("r.jsonl");
    let input = "\"ok\"\n\"<i onclick=1>x</i>\"\n\"<script>y</script><script>z</script>\"\n";
    let o = borax(
        &["--ndjson".as_ref(), "--report".as_ref(), rep.as_os_str()],
        input,
    );
    assert_code(&o, 0);
    let lines = json_lines(&fs::read_to_string(&rep).unwrap());
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["input"], "<stdin>");
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["name"], "onclick");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["count"], 2);
}

// ---------------------------------------------------------------- ndjson

#[test]
fn ndjson_cleans_each_line() {
    let input = "\"<b onclick=x>a</b>\"\n\"plain\"\r\n  \"spaced\" \n\"<i>x</i>\\u003cscript>\"";
    let o = borax(&["--ndjson"], input);
    assert_code(&o, 0);
    // Changed lines re-encoded; unchanged lines copied as they were; CRLF kept;
    // a last line without newline gets one.
    assert_eq!(
        stdout(&o),
        "\"<b>a</b>\"\n\"plain\"\r\n  \"spaced\" \n\"<i>x</i>\"\n"
    );
}

#[test]
fn ndjson_order_is_kept_on_many_lines() {
    let policy = borax::Policy::comments();
    let mut input = String::new();
    let mut expected = String::new();
    for i in 0..10_000 {
        let html = match i % 4 {
            0 => format!("<b onclick=x>{i}</b>"),
            1 => format!("plain {i}"),
            2 => format!(
                "<p>{}<a href='https://e.org/{i}'>l</a></p>",
                "w ".repeat(i % 97)
            ),
            _ => format!("<script>{i}</script><em>{i}</em>"),
        };
        input.push_str(&serde_json::to_string(&html).unwrap());
        input.push('\n');
        let cleaned = policy.clean(&html);
        expected.push_str(&serde_json::to_string(&cleaned).unwrap());
        expected.push('\n');
    }
    let o = borax(&["--ndjson", "-j", "2"], input.clone());
    assert_code(&o, 0);
    assert!(
        stdout(&o) == expected,
        "output differs from line-by-line cleaning"
    );
    // Same from a file, and with -j 1.
    let d = TempDir::new("order");
    let f = d.file("in.ndjson", &input);
    let o = borax(
        &[
            "--ndjson".as_ref(),
            "-j".as_ref(),
            "1".as_ref(),
            "--quiet".as_ref(),
            f.as_os_str(),
        ],
        "",
    );
    assert_code(&o, 0);
    assert!(stdout(&o) == expected);
}

#[test]
fn ndjson_field_keeps_the_rest() {
    let input = concat!(
        r#"{"id": 1, "body": "<b onclick=x>a</b>", "n": 1.0e3, "z": {"k": [1, "\u00e9"]}, "a": true}"#,
        "\n",
        r#"{"body":"fine", "id":2}"#,
        "\n",
        r#"{"id":3,"body":null}"#,
        "\n",
    );
    let o = borax(&["--ndjson", "--field", "body"], input);
    assert_code(&o, 0);
    assert_eq!(
        stdout(&o),
        concat!(
            r#"{"id":1,"body":"<b>a</b>","n":1.0e3,"z":{"k": [1, "\u00e9"]},"a":true}"#,
            "\n",
            r#"{"body":"fine", "id":2}"#,
            "\n",
            r#"{"id":3,"body":null}"#,
            "\n",
        )
    );
    for (line, why) in [
        (r#"{"id":1}"#, "no field `body`"),
        (r#"{"body":3}"#, "not a string"),
        (r#""<b>x</b>""#, "object"),
    ] {
        let o = borax(&["--ndjson", "--field", "body"], format!("{line}\n"));
        assert_code(&o, 65);
        let e = stderr(&o);
        assert!(e.contains("line 1") && e.contains(why), "{e}");
    }
}

#[test]
fn ndjson_malformed_line_is_an_error_naming_it() {
    let input = "\"<b>a</b>\"\n\"<i>b</i>\"\n{not json\n\"c\"\n";
    let o = borax(&["--ndjson"], input);
    assert_code(&o, 65);
    let e = stderr(&o);
    assert!(e.contains("<stdin>: line 3"), "{e}");
    // Lines before it were written, nothing after.
    assert_eq!(stdout(&o), "\"<b>a</b>\"\n\"<i>b</i>\"\n");

    let o = borax(&["--ndjson", "--skip-invalid"], input);
    assert_code(&o, 65);
    assert_eq!(stdout(&o), "\"<b>a</b>\"\n\"<i>b</i>\"\n\"c\"\n");
    let e = stderr(&o);
    assert!(e.contains("line 3") && e.contains("skipped"), "{e}");

    // An empty line is malformed too.
    let o = borax(&["--ndjson"], "\"a\"\n\n\"b\"\n");
    assert_code(&o, 65);
    assert!(stderr(&o).contains("line 2"));
}

#[test]
fn ndjson_jobs_are_capped_at_256() {
    let h = stdout(&borax(&["--help"], ""));
    assert!(h.contains("at most 256"), "{h}");
    // A larger N is a usage error, refused before any thread starts (20000
    // threads used to take over a minute on a one-line input).
    for n in ["257", "20000", "65536", "-1"] {
        let started = std::time::Instant::now();
        let o = borax(&["--ndjson", "-j", n], "\"<b>x</b>\"\n");
        assert_code(&o, 2);
        assert!(o.stdout.is_empty(), "-j {n}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "-j {n} took {:?}",
            started.elapsed()
        );
        if n != "-1" {
            let e = stderr(&o);
            assert!(e.contains(n) && e.contains("0..=256"), "{e}");
        }
    }
    let o = borax(&["--ndjson", "--jobs", "256"], "\"<u>x</u>\"\n\"y\"\n");
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "\"x\"\n\"y\"\n");
}

#[test]
fn ndjson_lone_surrogate_is_named() {
    // A string with a lone surrogate escape is not a JSON string of any
    // value: say so, with the escape and where it is.
    let input = "\"<b>a</b>\"\n\"x\\ud800\"\n\"c\"\n";
    let o = borax(&["--ndjson"], input);
    assert_code(&o, 65);
    let e = stderr(&o);
    assert!(
        e.contains("<stdin>: line 2: invalid JSON string: lone surrogate \\ud800 at column 3"),
        "{e}"
    );
    assert!(!e.contains("hex escape"), "{e}");
    assert_eq!(stdout(&o), "\"<b>a</b>\"\n");

    // --skip-invalid goes on as for any malformed line.
    let o = borax(&["--ndjson", "--skip-invalid"], input);
    assert_code(&o, 65);
    assert_eq!(stdout(&o), "\"<b>a</b>\"\n\"c\"\n");
    assert!(stderr(&o).contains("line 2: invalid JSON string: lone surrogate"));

    // A trailing surrogate alone, and a high one followed by another escape.
    for (line, escape) in [
        (r#""\uDC00 x""#, r"\uDC00"),
        (r#""\ud83d\u0041""#, r"\ud83d"),
    ] {
        let o = borax(&["--ndjson"], format!("{line}\n"));
        assert_code(&o, 65);
        let e = stderr(&o);
        assert!(
            e.contains(&format!("lone surrogate {escape} at column 2")),
            "{e}"
        );
    }
    // A valid pair is fine.
    let o = borax(&["--ndjson"], "\"\\ud83d\\ude00\"\n");
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "\"\\ud83d\\ude00\"\n");

    // With --field: the field's string, not "not a string".
    let input = concat!(
        r#"{"id":1,"body":"<i>ok</i>"}"#,
        "\n",
        r#"{"id":2,"body":"<b>\ud800</b>"}"#,
        "\n",
        r#"{"id":3,"body":"fine"}"#,
        "\n",
    );
    let o = borax(&["--ndjson", "--field", "body", "--skip-invalid"], input);
    assert_code(&o, 65);
    let e = stderr(&o);
    assert!(
        e.contains(
            "line 2: field `body`: invalid JSON string: lone surrogate \\ud800 at column 20"
        ),
        "{e}"
    );
    assert!(!e.contains("not a string"), "{e}");
    assert_eq!(
        stdout(&o),
        concat!(
            r#"{"id":1,"body":"<i>ok</i>"}"#,
            "\n",
            r#"{"id":3,"body":"fine"}"#,
            "\n"
        )
    );
    // A number is still "not a string".
    let o = borax(&["--ndjson", "--field", "body"], "{\"body\":3}\n");
    assert_code(&o, 65);
    assert!(stderr(&o).contains("not a string"));
}

#[test]
fn ndjson_invalid_utf8_and_long_lines() {
    let o = borax(&["--ndjson"], b"\"a\"\n\"b\xff\"\n".to_vec());
    assert_code(&o, 65);
    let e = stderr(&o);
    assert!(e.contains("line 2") && e.contains("byte offset 6"), "{e}");
    let o = borax(&["--ndjson", "--lossy"], b"\"a\"\n\"b\xff\"\n".to_vec());
    assert_code(&o, 0);
    assert_eq!(stdout(&o), "\"a\"\n\"b\u{fffd}\"\n");

    let long = format!("\"{}\"", "x".repeat(200));
    let o = borax(
        &["--ndjson", "--max-input-bytes", "100", "--skip-invalid"],
        format!("\"a\"\n{long}\n\"c\"\n"),
    );
    assert_code(&o, 65);
    assert_eq!(stdout(&o), "\"a\"\n\"c\"\n");
    let e = stderr(&o);
    assert!(e.contains("line 2") && e.contains("202 bytes"), "{e}");
}

#[test]
fn ndjson_check_and_write() {
    let d = TempDir::new("ndw");
    let dirty = d.file("d.ndjson", "\"ok\"\n\"<b onclick=1>x</b>\"\n");
    let clean = d.file("c.ndjson", "\"ok\"\n  \"<b>x</b>\"\r\n");
    let t_clean = age(&clean);
    let o = borax(
        &[
            "--ndjson".as_ref(),
            "--check".as_ref(),
            dirty.as_os_str(),
            clean.as_os_str(),
        ],
        "",
    );
    assert_code(&o, 1);
    assert_eq!(stdout(&o), format!("{}\n", dirty.display()));

    let o = borax(
        &[
            "--ndjson".as_ref(),
            "-w".as_ref(),
            dirty.as_os_str(),
            clean.as_os_str(),
        ],
        "",
    );
    assert_code(&o, 0);
    assert_eq!(
        fs::read_to_string(&dirty).unwrap(),
        "\"ok\"\n\"<b>x</b>\"\n"
    );
    assert_eq!(mtime(&clean), t_clean);
    assert_eq!(d.names(), ["c.ndjson", "d.ndjson"]);

    // A file with a bad line is not rewritten, even with --skip-invalid.
    let bad = d.file("b.ndjson", "\"<u>x</u>\"\nnope\n");
    let t_bad = age(&bad);
    for extra in [None, Some("--skip-invalid")] {
        let mut args = vec!["--ndjson".as_ref(), "-w".as_ref(), bad.as_os_str()];
        args.extend(extra.map(std::ffi::OsStr::new));
        let o = borax(&args, "");
        assert_code(&o, 65);
        assert_eq!(fs::read_to_string(&bad).unwrap(), "\"<u>x</u>\"\nnope\n");
        assert_eq!(mtime(&bad), t_bad);
        assert_eq!(d.names(), ["b.ndjson", "c.ndjson", "d.ndjson"]);
    }
}

// ---------------------------------------------------------------- broken pipe

/// Read a little of the output, close it, and expect a quiet exit 0.
fn closes_quietly(args: &[&std::ffi::OsStr]) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = [0u8; 1024];
    out.read_exact(&mut buf).unwrap();
    drop(out);
    let o = child.wait_with_output().unwrap();
    assert_code(&o, 0);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn broken_pipe_is_success() {
    let d = TempDir::new("pipe");
    let html = d.file(
        "big.html",
        "<b>bold</b> and <i>italic</i> text. ".repeat(200_000),
    );
    closes_quietly(&[html.as_os_str()]);
    let mut nd = String::new();
    for i in 0..200_000 {
        nd.push_str(&format!("\"<b>line</b> {i} with <u>some</u> words\"\n"));
    }
    let nd = d.file("big.ndjson", nd);
    closes_quietly(&["--ndjson".as_ref(), nd.as_os_str()]);
}

#[test]
fn input_the_library_refuses_exits_65() {
    let attrs: String = (0..=borax::MAX_ATTRIBUTES_PER_TAG)
        .map(|i| format!(" a{i}=x"))
        .collect();
    let html = format!("<b{attrs}>x</b>");
    let o = borax::<&str>(&[], html.clone());
    assert_code(&o, 65);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("<stdin>: "), "{}", stderr(&o));
    let line = serde_json::to_string(&html).unwrap();
    let o = borax(&["--ndjson"], format!("\"a\"\n{line}\n"));
    assert_code(&o, 65);
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
}

/// `--no-fast-path` sends everything through html5ever; the bytes are the
/// same as with the fast paths.
#[test]
fn no_fast_path_prints_the_same_bytes() {
    let lines: String = [
        "\"plain text, no markup > at all\"",
        "\"<b>bold</b> and <a href=x onclick=y>link</a>\"",
        "\"a\\u00a0b > c\"",
        "\"<script>x</script>y\"",
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect();
    let fast = borax(&["--ndjson"], lines.clone());
    let slow = borax(&["--ndjson", "--no-fast-path"], lines);
    assert!(fast.status.success() && slow.status.success());
    assert_eq!(fast.stdout, slow.stdout);
    assert!(!fast.stdout.is_empty());
    let help = borax(&["--help"], "");
    assert!(String::from_utf8_lossy(&help.stdout).contains("--no-fast-path"));
}

#[test]
fn linkify_flag_makes_links_with_rel() {
    let o = borax(&["--linkify"], "See https://example.org/a_(b). Thanks!\n");
    assert_code(&o, 0);
    assert_eq!(
        stdout(&o),
        "See <a href=\"https://example.org/a_(b)\" rel=\"nofollow ugc\">https://example.org/a_(b)</a>. Thanks!\n"
    );
    // Off by default.
    let o = borax(&[] as &[&str], "See https://example.org/\n");
    assert_eq!(stdout(&o), "See https://example.org/\n");
}

#[test]
fn paragraphs_flag_makes_paragraphs() {
    let comment = "First line\nsecond line\n\nSecond paragraph.\n";
    let o = borax(&["--paragraphs"], comment);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert_eq!(
        out,
        "<p>First line<br>\nsecond line</p>\n\n<p>Second paragraph.</p>\n"
    );
    // The output is a fixed point with the same flags.
    let again = borax(&["--paragraphs"], out.clone());
    assert_eq!(stdout(&again), out);
}

#[test]
fn formatting_flags_show_in_print_policy_and_combine_with_a_policy_file() {
    let o = borax(&["--linkify", "--paragraphs", "--print-policy"], "");
    assert_code(&o, 0);
    let toml = stdout(&o);
    assert!(toml.contains("linkify = true"), "{toml}");
    assert!(toml.contains("paragraphs = true"), "{toml}");
    let o = borax(
        &["--linkify", "--paragraphs", "--print-policy", "notation"],
        "",
    );
    let notation = stdout(&o);
    assert!(
        notation.contains("<br>") && notation.contains("<p>"),
        "{notation}"
    );
    // The example policy file does both in one step.
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies/blog-comments.toml");
    let o = borax(
        &[OsStr::new("--policy"), file.as_os_str()],
        "Hi www.example.org\n\nme@example.org\n",
    );
    assert_code(&o, 0);
    assert_eq!(
        stdout(&o),
        "<p>Hi <a href=\"https://www.example.org\" rel=\"nofollow ugc\">www.example.org</a></p>\n\n\
         <p><a href=\"mailto:me@example.org\" rel=\"nofollow ugc\">me@example.org</a></p>\n"
    );
    // A flag that contradicts the policy is a usage error.
    let dir = TempDir::new("fmt");
    let p = dir.file("p.toml", "removeElements = [\"br\"]\n");
    let o = borax(
        &[
            OsStr::new("--paragraphs"),
            OsStr::new("--policy"),
            p.as_os_str(),
        ],
        "x",
    );
    assert_code(&o, 2);
    assert!(stderr(&o).contains("--paragraphs"), "{}", stderr(&o));
}
