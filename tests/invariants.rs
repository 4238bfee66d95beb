//! Proof-style invariants, checked by the oracle in `tests/oracle/mod.rs`
//! (shared with the fuzz targets; it shares no code with borax and lists
//! the invariants): property tests under random policies and the presets,
//! the shared corpus, hostile inputs.
//!
//! rcdom is never run on the hostile inputs (it is quadratic on some of them,
//! servo/html5ever#788); those are checked with borax alone plus our own scan of the
//! output, and with the full oracle when the output is small.
//!
//! Environment: `PROPTEST_CASES` (default 3000 for the main property),
//! `BORAX_CORPUS` (the shared corpus; the corpus tests show as ignored
//! unless it names a directory when the tests are built, see `build.rs`),
//! `BORAX_HOSTILE_SCALE` (multiplies the hostile sizes; default 1).

use std::fmt::Write as _;

use borax::{CleanError, Policy};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config as PtConfig, TestCaseError};

#[path = "oracle/mod.rs"]
mod oracle;
use oracle::parity::{self, ParityKnobs};
#[path = "common/spec.rs"]
mod spec;
use spec::{case_mangle, cases, spec_strategy, Spec, WWW_SCHEMES};
#[path = "common/corpus.rs"]
mod corpus;
use corpus::{corpus_dir, html5lib_inputs, page_inputs, xss_inputs};
use oracle::{
    check_all, check_bound_and_idempotence, check_output_tree, check_style, describe, is_void_html,
    srcset_urls, url_scheme, Expect, Subject,
};

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

const TAGS: &[&str] = &[
    "a",
    "b",
    "i",
    "p",
    "div",
    "span",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "caption",
    "col",
    "colgroup",
    "form",
    "li",
    "ul",
    "dd",
    "dt",
    "h1",
    "h2",
    "pre",
    "textarea",
    "title",
    "style",
    "script",
    "xmp",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "plaintext",
    "template",
    "select",
    "option",
    "svg",
    "math",
    "mglyph",
    "mtext",
    "mi",
    "annotation-xml",
    "foreignObject",
    "desc",
    "font",
    "img",
    "br",
    "hr",
    "ruby",
    "rt",
    "rp",
    "button",
    "nobr",
    "object",
    "embed",
    "frameset",
    "custom-el",
    "code",
    "area",
];

const ATTRS: &[&str] = &[
    "href",
    "src",
    "cite",
    "srcset",
    "ping",
    "action",
    "formaction",
    "xlink:href",
    "style",
    "onclick",
    "title",
    "id",
    "name",
    "class",
    "encoding",
    "color",
    "rel",
    "data-x",
    "target",
    "aria-label",
    "lang",
    "dir",
    "hx-get",
    "x-y",
];

const VALUES: &[&str] = &[
    "javascript:alert(1)",
    "JaVa&#09;script:alert(1)",
    "&#106;avascript:alert(1)",
    " \u{1}javascript:alert(1)",
    "java\nscript:x",
    "jav&Tab;ascript:x",
    "javascript&colon;x",
    "vbscript:x",
    "//evil",
    "\\\\evil",
    "/\\evil",
    "data:text/html,x",
    "https://ok",
    "http://ok/a?b=c&d=e",
    "/rel",
    "rel/x:y",
    "mailto:a@b",
    "https://a 1x, javascript:b 2x",
    "/a 1x,/b 2x",
    "x,javascript:y",
    "https://a javascript:b",
    "a\"b",
    "a'b",
    "</style><img src=x onerror=alert(1)>",
    "-->",
    "text/html",
    "application/xhtml+xml",
    "TEXT/HTML",
    "red",
    "x",
    "",
    "&amp;",
    "\u{a0}",
    "&#13;x",
    "\r\n",
    "\u{feff}",
    "user-x",
    "lang-rust evil",
    "color: red; position: fixed",
    "COLOR: Red !important; background: url(https://ok/a.png) no-repeat",
    "background: url(javascript:alert(1)); margin: 0 auto",
    "background: url(\\6a avascript:alert(1)); color: r\\65 d",
    "list-style-image: image-set('javascript:x' 1x, url(/rel) 2x)",
    "margin: calc(1px + (2px * 3)); --x: red; color: var(--x)",
    "background: url(//evil/x); color: rgb(1, 2, 3",
    "_blank",
    "x-y lang-rust a",
    "text-align: CENTER; font-weight: bold; color: blue !important",
    "background-image: url(/rel); color: red",
    "quick xylophone",
];

const TEXTS: &[&str] = &[
    "x",
    "hello world",
    "<",
    "&",
    "&amp;",
    "&lt;b&gt;",
    "\0",
    "\r",
    "\r\n",
    "&#13;",
    "\u{a0}",
    "&nbsp;",
    "\u{feff}",
    " ",
    "\n",
    "\n\n",
    "\t",
    ">",
    "é",
    "\"'",
    "=",
    "-->",
    "]]>",
    "&#106;avascript:",
    "&#0;",
    "&notanentity;",
    "a<b",
    "\u{1}",
];

const COMMENTS: &[&str] = &[
    "<!--x-->",
    "<!-->",
    "<!--->",
    "<!--x--!>",
    "--!>",
    "<!-- a -- b -->",
    "<!--<!-- -->",
    "<!--x-",
    "<!---->",
    "<!--->-->",
    "<!-- ok -->",
];

const SPECIALS: &[&str] = &[
    "<![CDATA[x]]>",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<!DOCTYPE html>",
    "<?xml x?>",
    "</",
    "<",
    "<a",
    "<!",
    "</>",
    "<//>",
    "<img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
];

fn attr_strategy() -> impl Strategy<Value = String> {
    (select(ATTRS), select(VALUES), 0u8..4, any::<u8>()).prop_map(|(n, v, q, m)| {
        let n = case_mangle(n, m);
        match q {
            0 => format!(" {n}=\"{}\"", v.replace('"', "&quot;")),
            1 => format!(" {n}='{}'", v.replace('\'', "&#39;")),
            2 if !v.is_empty()
                && !v.contains([' ', '\t', '\n', '\r', '>', '"', '\'', '=', '<', '`']) =>
            {
                format!(" {n}={v}")
            }
            _ => format!(" {n}"),
        }
    })
}

fn piece_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => (select(TAGS), any::<u8>(), prop::collection::vec(attr_strategy(), 0..3), 0u8..8).prop_map(
            |(t, m, attrs, end)| {
                let mut s = format!("<{}", case_mangle(t, m));
                for a in attrs {
                    s.push_str(&a);
                }
                match end {
                    0 => s.push_str("/>"),
                    1 => {} // unclosed tag
                    _ => s.push('>'),
                }
                s
            }
        ),
        3 => (select(TAGS), any::<u8>()).prop_map(|(t, m)| format!("</{}>", case_mangle(t, m))),
        4 => select(TEXTS).prop_map(str::to_owned),
        1 => select(COMMENTS).prop_map(str::to_owned),
        1 => select(SPECIALS).prop_map(str::to_owned),
    ]
}

fn html_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(piece_strategy(), 0..24).prop_map(|v| v.concat())
}

impl Spec {
    /// The policy as an oracle subject, with idempotence expected unless a
    /// drawn hook is one that cannot keep it ([`ParityKnobs::idempotent`]).
    fn subject(&self) -> Option<Subject> {
        if let Some(p) = self.plain_preset() {
            return Some(Subject::preset(p));
        }
        let label = match self.preset {
            Some(p) => format!("preset {p} with formatting/parity knobs"),
            None => "random policy".into(),
        };
        let mut subject = Subject::new(self.policy()?, label);
        subject.idempotent = self.parity.idempotent(&subject.policy);
        Some(subject)
    }
}

fn pt_config(default_cases: u32) -> PtConfig {
    PtConfig {
        cases: cases(default_cases),
        // Minimal failures become named tests in this file instead.
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..PtConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(pt_config(3000))]

    /// Invariants 1-7 on generated HTML-like fragments under random policies
    /// and the presets.
    #[test]
    fn prop_oracle_invariants(spec in spec_strategy(), input in html_strategy()) {
        let Some(subject) = spec.subject() else { return Ok(()) };
        match check_all(&subject, &input) {
            Ok(out) => {
                // The other entry points write the very same bytes.
                let mut buf = Vec::new();
                subject.policy.clean_to(&input, &mut buf).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(String::from_utf8(buf).unwrap(), out.clone(), "clean_to differs");
                let (rep, _) = subject.policy.clean_with_report(&input).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(rep, out, "clean_with_report differs");
            }
            Err(why) => {
                let out = subject.policy.clean(&input);
                return Err(TestCaseError::fail(describe(&subject, &input, &out, &why)));
            }
        }
    }
}

fn plain_text_strategy() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => select(&[' ', '\n', '\t', '\u{0c}', '>', '"', '\'', '=', '/', '!', '-', '\u{a0}', '\u{feff}', 'é', '€', '😀', '\u{1}', '\u{7f}', '\u{85}', '\u{2028}', '\u{fffd}', ']'][..]),
        1 => any::<char>().prop_filter("no markup", |c| !matches!(c, '<' | '&' | '\0' | '\r')),
    ];
    prop::collection::vec(chars, 0..64).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(pt_config(1000))]

    /// The plain-text fast path gives the same bytes as the full parser.
    #[test]
    fn prop_fast_path_equals_slow_path(spec in spec_strategy(), text in plain_text_strategy()) {
        let Some(subject) = spec.subject() else { return Ok(()) };
        prop_assume!(text.len() <= subject.policy.max_input_bytes());
        let fast = subject.policy.try_clean(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let slow = subject.policy.with_fast_path(false).try_clean(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(fast, slow, "text {:?}", text);
    }
}

// ---------------------------------------------------------------------------
// Minimal failing inputs found by the properties (regressions)
// ---------------------------------------------------------------------------

fn assert_ok(subject: &Subject, input: &str) {
    if let Err(why) = check_all(subject, input) {
        panic!(
            "{}",
            describe(subject, input, &subject.policy.clean(input), &why)
        );
    }
}

#[test]
fn presets_hold_on_named_attacks() {
    let attacks = [
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<svg><foreignObject><math><iframe><!--</iframe><img src onerror=alert(1)>-->",
        "<a href=\"&#106;avascript:alert(1)\">x</a><a href=\"java&Tab;script:x\">y</a>",
        "<a href=\" \u{1}javascript:x\">z</a><a href=\"//evil\">w</a><a href=\"\\\\evil\">v</a>",
        "<!--><img src=x onerror=alert(1)>--><![CDATA[x]]>--!>",
        "<a><table><a>",
        "<p><svg><foreignobject><p>",
        "<textarea>\n\nx</textarea><pre>\n\ny</pre><pre>\nz</pre>",
        "&#13;a\rb\u{feff}c\u{a0}d",
        "<select><option><style><img src=x onerror=alert(1)>",
    ];
    for name in Policy::PRESETS {
        let subject = Subject::preset(name);
        for a in attacks {
            assert_ok(&subject, a);
        }
    }
}

/// A policy from its TOML form, for the findings below.
fn toml_subject(toml: &str) -> Subject {
    Subject::new(
        Policy::from_toml_str(toml).expect("policy builds"),
        format!("policy {toml:?}"),
    )
}

/// F1: with `escape_disallowed`, the escaped `<tbody><tr>` is text inside
/// `<table>`; a browser foster-parents it out of the table.
#[test]
fn found_escaped_tags_in_table_are_foster_parented() {
    let s = toml_subject("elements = [\"table\"]\nescapeDisallowed = true");
    assert_ok(&s, "<table><tr>");
}

/// F2: the parse guard treats `<svg/>` as void, but the emitted
/// `<svg></svg>` is an end tag after which it drops the next start tag
/// at the depth cap.
#[test]
fn found_depth_guard_drops_sibling_on_reclean() {
    let s = toml_subject("elements = [\"b\", \"svg\"]\nmaxDepth = 1");
    assert_ok(&s, "<svg/><b>");
    let s = toml_subject("elements = [\"b\", \"i\", \"svg\"]");
    assert_ok(&s, &format!("{}<svg/><i>x", "<b>".repeat(255)));
}

/// F3: a foreign root kept directly in table structure (its `<td>`
/// unwrapped) is foster-parented by a browser.
#[test]
fn found_foreign_root_in_table_structure() {
    assert_ok(
        &toml_subject("elements = [\"table\", \"svg\"]"),
        "<table><td><svg>",
    );
    assert_ok(
        &toml_subject("elements = [\"table\", \"math\"]"),
        "<table><td><math>",
    );
    assert_ok(
        &toml_subject("elements = [\"table\", \"tbody\", \"tr\", \"svg\"]"),
        "<table><tr><td><svg>",
    );
}

/// F4: formatting-element reconstruction copies attributes into every
/// `<p>`; with `"` written as `&quot;` the output outgrows 16 x input.
#[test]
fn found_reconstruction_amplifies_output() {
    let s = toml_subject("elements = [\"p\", \"b\"]\nattributes = [\"title\"]");
    assert_ok(
        &s,
        &format!("<p><b title='{}'>x{}", "\"".repeat(60), "<p>x".repeat(3)),
    );
}

// ---------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------

/// Run the oracle over inputs under every preset, one thread per preset;
/// report every failure (shortest inputs first) and fail once at the end.
fn run_corpus(what: &str, inputs: &[(String, String)], presets: &[&str]) {
    // An empty corpus would make this test pass without checking anything.
    assert!(!inputs.is_empty(), "corpus {what}: no inputs found");
    eprintln!(
        "corpus {what}: {} inputs x {} presets",
        inputs.len(),
        presets.len()
    );
    let failures: Vec<(usize, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = presets
            .iter()
            .map(|name| {
                s.spawn(move || {
                    let subject = Subject::preset(name);
                    let mut f = Vec::new();
                    for (id, input) in inputs {
                        if let Err(why) = check_all(&subject, input) {
                            let out = subject.policy.clean(input);
                            f.push((
                                input.len(),
                                format!("[{id}] {}", describe(&subject, input, &out, &why)),
                            ));
                        }
                    }
                    f
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("corpus thread panicked"))
            .collect()
    });
    let mut failures = failures;
    failures.sort();
    for (_, f) in failures.iter().take(20) {
        eprintln!("{f}\n");
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of {} (input, preset) pairs break an invariant (first 20 above)",
        failures.len(),
        inputs.len() * presets.len()
    );
}

#[test]
#[cfg_attr(not(borax_corpus), ignore = "set BORAX_CORPUS=../shared/corpus")]
fn corpus_html5lib_tree_construction() {
    let dir = corpus_dir();
    run_corpus("html5lib", &html5lib_inputs(&dir), Policy::PRESETS);
}

#[test]
#[cfg_attr(not(borax_corpus), ignore = "set BORAX_CORPUS=../shared/corpus")]
fn corpus_xss_payloads() {
    let dir = corpus_dir();
    run_corpus("xss", &xss_inputs(&dir), Policy::PRESETS);
}

#[test]
#[cfg_attr(not(borax_corpus), ignore = "set BORAX_CORPUS=../shared/corpus")]
fn corpus_pages() {
    let dir = corpus_dir();
    run_corpus("pages", &page_inputs(&dir), Policy::PRESETS);
}

// ---------------------------------------------------------------------------
// Hostile inputs (borax alone; rcdom only on small outputs)
// ---------------------------------------------------------------------------

/// Size multiplier for the hostile inputs: `BORAX_HOSTILE_SCALE`, else 1 in
/// debug builds (20k elements, 0.1-0.2 MB per input: a few tens of seconds)
/// and 10 in release builds (200k elements, 1-2 MB, where a quadratic step
/// in the parser would take minutes).
fn scale() -> usize {
    std::env::var("BORAX_HOSTILE_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 1 } else { 10 })
}

#[path = "../benches/support/adversarial.rs"]
mod adversarial;
use adversarial::words;

/// The hostile families: (name, input), `adversarial.py`'s and our own.
fn hostile_inputs() -> Vec<(&'static str, String)> {
    let k = scale();
    let n = 20_000 * k;
    let r = |s: &str, n: usize| s.repeat(n);
    let mut v = vec![
        ("deep_div", r("<div>", n)),
        ("deep_b", r("<b>", n)),
        ("deep_table", r("<table>", n)),
        ("deep_table_td", r("<table><tr><td>", n / 4)),
        (
            "attr_huge",
            format!(
                "<a href=\"http://e.com/?q={}\">x</a>",
                "a".repeat(100_000 * k)
            ),
        ),
        ("unclosed_a", r("<a href=\"/p\">x", n / 2)),
        ("foster", r("<p><table>", n / 2)),
        ("text", words(200_000 * k, false)),
        ("entities", words(200_000 * k, true)),
        ("deep_svg", r("<svg>", n)),
        ("deep_math", r("<math>", n)),
        ("deep_svg_g", format!("<svg>{}", r("<g>", n))),
        ("deep_mtext", r("<math><mtext>", n / 4)),
        ("deep_foreignobject", r("<svg><foreignObject>", n / 8)),
        ("table_b_foster", r("<table><b>", n / 2)),
        ("a_table_misnest", r("<a><table><a>", n / 4)),
        (
            "a_table_text",
            format!("<a href=x><table>{}", r("x<tr>", n / 2)),
        ),
        ("many_end_p", r("</p>", n)),
        ("deep_li", r("<ul><li>", n / 2)),
        ("deep_dl", r("<dl><dd>", n / 2)),
        ("flat_li", r("<li>", n)),
        ("deep_mixed", r("<div><span><b><i><p>", n / 8)),
        ("adoption_b_p", r("<b><p></b>", n / 4)),
        ("adoption_a_div", r("<a><div></a>", n / 4)),
        ("nobr", r("<nobr>x", n / 2)),
        ("select_option", r("<select><option>", n / 4)),
    ];
    // Formatting reconstruction amplification: distinct attributes defeat
    // the Noah's Ark clause, so every <p> reopens all earlier <b>s.
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 100_000 * k {
        let _ = write!(s, "<p><b a{i}=1 title=t{i}></p>");
        i += 1;
    }
    v.push(("reconstruct_p_b", s));
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 100_000 * k {
        let _ = write!(s, "<div><b a{i}=k></div>");
        i += 1;
    }
    v.push(("reconstruct_div_b", s));
    // One long formatting attribute reconstructed again and again.
    v.push((
        "reconstruct_long_attr",
        format!("<p><b title=\"{}\">x{}", "t".repeat(4000), r("<p>x", n / 4)),
    ));
    // Links: each reconstructed `<a>` also gets the policy's `rel`.
    v.push((
        "reconstruct_a_rel",
        format!("<p><a href=x>x{}", r("<p>x", n / 2)),
    ));
    // Many distinct formatting elements reopened by every single `<p>x`.
    let mut s = String::from("<p>");
    for i in 0..1000 {
        let _ = write!(s, "<b a{}=\"{i}\">", i % 3);
    }
    s.push_str(&r("<p>x", n / 4));
    v.push(("reconstruct_many_at_once", s));
    // The same with an attribute of quotes, each written as `&quot;`.
    v.push((
        "reconstruct_quoted_attr",
        format!("<p><b title='{}'>x{}", "\"".repeat(2000), r("<p>x", n / 4)),
    ));
    v.push((
        "reconstruct_long_attr_small",
        format!("<p><b title=\"{}\">x{}", "t".repeat(1000), r("<p>x", 60)),
    ));
    // The adoption agency with 1..=30 special elements between misnested
    // formatting elements, in body, tables and cells (issue 9).
    v.push((
        "adoption_specials_9",
        adversarial::adoption(adversarial::sweep("adoption_specials"), 9, n / 10),
    ));
    for sweep in adversarial::ADOPTION_SWEEPS {
        v.push((sweep.name, adversarial::adoption_cycle(sweep.gen, n / 16)));
    }
    v
}

/// A wide policy that keeps most structure, so amplification shows in the
/// output.
fn wide_subject() -> Subject {
    let policy = Policy::builder()
        .elements([
            "div",
            "span",
            "b",
            "i",
            "p",
            "table",
            "tbody",
            "tr",
            "td",
            "ul",
            "li",
            "dl",
            "dd",
            "nobr",
            "svg",
            "svg:g",
            "svg:foreignObject",
            "math",
            "math:mtext",
            "option",
            "h1",
            "pre",
        ])
        .element("a", ["href", "title"])
        .attributes(["title", "a0", "a1", "a2"])
        .link_rel(["nofollow", "ugc", "noopener", "noreferrer"])
        .build()
        .expect("wide policy builds");
    Subject::new(policy, "wide policy")
}

/// Maximum element depth of borax output, by a scan that relies on what
/// borax writes: double-quoted attribute values with `<`, `>`, `"` escaped,
/// text with `<` escaped, comments without `--`, an end tag for every
/// element except HTML voids. A void-named start tag directly followed by its
/// own end tag is a foreign element (`<svg><col></col>`).
fn output_depth(out: &str) -> Result<usize, String> {
    let b = out.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    let mut max = 0;
    let mut i = 0;
    while let Some(off) = memchr_lt(&b[i..]) {
        i += off;
        if b[i..].starts_with(b"<!--") {
            let end = out[i + 4..].find("-->").ok_or("unterminated comment")?;
            i += 4 + end + 3;
            continue;
        }
        let close = out[i..].find('>').ok_or("unterminated tag")? + i;
        if b.get(i + 1) == Some(&b'/') {
            let name = &out[i + 2..close];
            if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(pos);
            } else {
                return Err(format!("end tag </{name}> with no open element"));
            }
            i = close + 1;
            continue;
        }
        let name_end = out[i + 1..close].find(' ').map_or(close, |p| p + i + 1);
        let name = &out[i + 1..name_end];
        max = max.max(stack.len() + 1);
        let own_end = format!("</{name}>");
        if is_void_html(name) && !out[close + 1..].starts_with(&own_end) {
            // HTML void: no children, no end tag.
        } else {
            stack.push(name);
        }
        i = close + 1;
    }
    if !stack.is_empty() {
        return Err(format!("{} elements left open", stack.len()));
    }
    Ok(max)
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

fn check_hostile(subject: &Subject, family: &str, input: &str) -> Result<(), String> {
    let policy = &subject.policy;
    let out = match policy.try_clean(input) {
        Ok(o) => o,
        Err(e) => return Err(format!("{family}: try_clean failed: {e}")),
    };
    let ctx = |why: String| {
        let head: String = input.chars().take(120).collect();
        let outhead: String = out.chars().take(300).collect();
        format!(
            "{family} under {} (input {} bytes, starts {head:?}; output {} bytes, starts {outhead:?}): {why}",
            subject.label,
            input.len(),
            out.len()
        )
    };
    check_bound_and_idempotence(subject, input, &out).map_err(ctx)?;
    let depth = output_depth(&out).map_err(ctx)?;
    if depth > policy.max_depth() {
        return Err(ctx(format!(
            "output depth {depth} > max_depth {}",
            policy.max_depth()
        )));
    }
    if out.len() <= 256 * 1024 {
        check_output_tree(subject, &out).map_err(ctx)?;
    }
    Ok(())
}

#[test]
fn hostile_inputs_stay_bounded() {
    let inputs = hostile_inputs();
    let subjects = [
        Subject::preset("relaxed"),
        Subject::preset("comments"),
        wide_subject(),
    ];
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = [0usize, 1]
            .into_iter()
            .map(|part| {
                let inputs = &inputs;
                let subjects = &subjects;
                s.spawn(move || {
                    let mut f = Vec::new();
                    for (i, (family, input)) in inputs.iter().enumerate() {
                        if i % 2 != part {
                            continue;
                        }
                        let t = std::time::Instant::now();
                        for subject in subjects {
                            if let Err(why) = check_hostile(subject, family, input) {
                                f.push(why);
                            }
                        }
                        eprintln!(
                            "hostile {family}: {} bytes, {:.2?} for {} policies",
                            input.len(),
                            t.elapsed(),
                            subjects.len()
                        );
                    }
                    f
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("hostile thread panicked"))
            .collect()
    });
    for f in &failures {
        eprintln!("{f}\n");
    }
    assert!(
        failures.is_empty(),
        "{} hostile checks failed (above)",
        failures.len()
    );
}

#[test]
fn hostile_attrs_many_is_refused() {
    let n = 50_000 * scale();
    let input: String = std::iter::once("<a".to_owned())
        .chain((0..n).map(|i| format!(" a{i}=\"v\"")))
        .chain(std::iter::once(">x</a>".to_owned()))
        .collect();
    for name in Policy::PRESETS {
        let r = Policy::preset(name).unwrap().try_clean(&input);
        assert!(
            matches!(r, Err(CleanError::TooManyAttributes { .. })),
            "{name}: {r:?}"
        );
    }
    // Just under the limit is cleaned, within the bounds.
    let ok: String = std::iter::once("<b".to_owned())
        .chain((0..borax::MAX_ATTRIBUTES_PER_TAG).map(|i| format!(" a{i}=\"v\"")))
        .chain(std::iter::once(">x</b>".to_owned()))
        .collect();
    check_hostile(&wide_subject(), "attrs_at_limit", &ok).unwrap();
}

// ---------------------------------------------------------------------------
// Self-tests of the oracle's own pieces
// ---------------------------------------------------------------------------

#[test]
fn oracle_pieces_work() {
    assert_eq!(
        url_scheme(" \u{1}JaVa\tscript:x").as_deref(),
        Some("javascript")
    );
    assert_eq!(url_scheme("/a:b"), None);
    assert_eq!(url_scheme("a+b.c-d:x").as_deref(), Some("a+b.c-d"));
    assert_eq!(url_scheme("1a:x"), None);
    assert_eq!(
        srcset_urls("a 1x, b 2x,c,, d (x, y) 3w"),
        ["a", "b", "c", "d"]
    );
    assert_eq!(srcset_urls("x,javascript:y"), ["x,javascript:y"]);
    assert_eq!(
        srcset_urls("a.png 1x, b.png (x, y) 2w,c.png,, d.png"),
        ["a.png", "b.png", "c.png", "d.png"]
    );
    assert_eq!(url_scheme("a b:c"), None);
    let comments = Policy::comments();
    assert!(oracle::check_url(&comments, "a", "href", "https://x").is_ok());
    assert!(oracle::check_url(&comments, "a", "href", "java\nscript:x").is_err());
    assert_eq!(
        output_depth("<a><b></b><br><svg><col></col></svg></a>").unwrap(),
        3
    );
    // The oracle catches what it should.
    let s = Subject::preset("comments");
    assert!(check_output_tree(&s, "<a href=\"java&#9;script:x\">x</a>").is_err());
    assert!(check_output_tree(&s, "<div>x</div>").is_err());
    assert!(check_output_tree(&s, "<b>x").is_err());
    assert!(check_output_tree(&s, "<a href=\"https://x\" rel=\"nofollow ugc\">x</a>").is_ok());
    // ... in style attributes too.
    let p = Policy::builder()
        .element("span", ["style"])
        .style_properties(["color", "background", "text-align"])
        .style_property_values("text-align", ["left", "center"])
        .url_schemes(["https"])
        .build()
        .unwrap();
    let e = Expect::of(&p);
    for good in [
        "color:red;background:url(\"https://x/\")",
        "text-align:center",
        "text-align:LEFT !important",
    ] {
        assert!(check_style(&p, &e, "span", good).is_ok(), "{good}");
    }
    for bad in [
        "position:fixed",
        "color:red;COLOR:red;x:y",
        "background:url(javascript:x)",
        "background:url(\"\\6a avascript:x\")",
        "background:image-set(\"http://x/\" 1x)",
        "@import \"x\";color:red",
        "text-align:right",
        "text-align:center 1px",
    ] {
        assert!(check_style(&p, &e, "span", bad).is_err(), "{bad}");
    }
    // Forced values, `noopener` with a forced `target=_blank`, per-element
    // classes, per-attribute schemes.
    let p = Policy::builder()
        .element("a", ["href", "class", "target", "rel"])
        .element("span", ["class"])
        .set_attribute("a", "target", "_blank")
        .element_classes("a", ["x"])
        .attribute_url_schemes("a", "href", ["https"])
        .build()
        .unwrap();
    let s = Subject::new(p, "forced");
    for good in [
        "<a target=\"_blank\" rel=\"noopener\">x</a>",
        "<a class=\"x\" target=\"_blank\" rel=\"noopener\">x</a>",
        "<a href=\"https://e\" target=\"_blank\" rel=\"noopener\">x</a>",
        "<span class=\"y z\">s</span>",
    ] {
        assert!(check_output_tree(&s, good).is_ok(), "{good}");
    }
    for bad in [
        "<a>x</a>",
        "<a target=\"_self\" rel=\"noopener\">x</a>",
        "<a target=\"_blank\" rel=\"nofollow\">x</a>",
        "<a target=\"_blank\">x</a>",
        "<a class=\"x y\" target=\"_blank\" rel=\"noopener\">x</a>",
        "<a href=\"http://e\" target=\"_blank\" rel=\"noopener\">x</a>",
    ] {
        assert!(check_output_tree(&s, bad).is_err(), "{bad}");
    }
}

// ---------------------------------------------------------------------------
// Manual reproduction
// ---------------------------------------------------------------------------

/// Check one input by hand:
/// `INV_INPUT='<b>x' INV_PRESET=basic cargo test --test invariants repro -- --ignored --nocapture`
/// (or `INV_POLICY_TOML='elements = ["table"]'`). Escapes `\n`, `\r`, `\0`,
/// `\t` in `INV_INPUT` are decoded.
#[test]
#[ignore]
fn repro() {
    let input = std::env::var("INV_INPUT")
        .or_else(|_| {
            std::fs::read_to_string(
                std::env::var("INV_INPUT_FILE").expect("set INV_INPUT or INV_INPUT_FILE"),
            )
        })
        .expect("input")
        .replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\0", "\0")
        .replace("\\t", "\t");
    let subject = match std::env::var("INV_POLICY_TOML") {
        Ok(t) => Subject::new(
            Policy::from_toml_str(&t).expect("policy"),
            format!("policy {t:?}"),
        ),
        Err(_) => {
            Subject::preset(&std::env::var("INV_PRESET").unwrap_or_else(|_| "comments".into()))
        }
    };
    let out = subject.policy.clean(&input);
    eprintln!(
        "input:  {input:?}\noutput: {out:?}\nclean(output): {:?}",
        subject.policy.clean(&out)
    );
    match check_all(&subject, &input) {
        Ok(_) => eprintln!("all invariants hold"),
        Err(why) => panic!("{why}"),
    }
}

/// Exploration: run the main property without stopping at the first
/// failure; shrink each failure and print the distinct minimal ones.
/// `INV_EXPLORE=20000 cargo test --test invariants explore -- --ignored --nocapture`
#[test]
#[ignore]
fn explore() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let n: usize = std::env::var("INV_EXPLORE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let strategy = (spec_strategy(), html_strategy());
    let seed: u64 = std::env::var("INV_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("seed {seed}");
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = proptest::test_runner::TestRng::from_seed(
        proptest::test_runner::RngAlgorithm::ChaCha,
        &bytes,
    );
    let mut runner = TestRunner::new_with_rng(pt_config(1), rng);
    // Known classes (already reported) are skipped here, never in the real tests.
    let known = |spec: &Spec, input: &str, out: &str| -> bool {
        let l = input.to_ascii_lowercase();
        let skip = std::env::var("INV_SKIP_KNOWN").is_ok();
        skip && ((spec.escape && out.contains("<table"))
            || l.contains("<svg/")
            || l.contains("<math/")
            || (out.contains("<table") && (out.contains("<svg") || out.contains("<math"))))
    };
    let fails = |spec: &Spec, input: &str| -> Option<String> {
        let subject = spec.subject()?;
        check_all(&subject, input).err()
    };
    let mut found: std::collections::BTreeMap<(usize, String), String> = Default::default();
    for _ in 0..n {
        let mut tree = strategy.new_tree(&mut runner).expect("tree");
        let (spec, input) = tree.current();
        if fails(&spec, &input).is_none() {
            continue;
        }
        let mut last = tree.current();
        let mut steps = 0;
        let mut failing = true;
        while steps < 4000 {
            steps += 1;
            let moved = if failing {
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !moved {
                break;
            }
            let (s, i) = tree.current();
            failing = fails(&s, &i).is_some();
            if failing {
                last = (s, i);
            }
        }
        let (spec, input) = last;
        let Some(why) = fails(&spec, &input) else {
            continue;
        };
        let subject = spec.subject().unwrap();
        let out = subject.policy.clean(&input);
        if known(&spec, &input, &out) {
            continue;
        }
        let key = (input.len(), input.clone());
        found.entry(key).or_insert_with(|| {
            let mut d = describe(&subject, &input, &out, &why);
            let _ = write!(d, "\n  spec: {spec:?}");
            d
        });
    }
    eprintln!("{} distinct minimal failures", found.len());
    for d in found.values().take(60) {
        eprintln!("{d}\n");
    }
}

// ---------------------------------------------------------------------------
// The walker's model of the parser (scopes, namespaces), against html5ever
// ---------------------------------------------------------------------------

/// Every local name html5ever knows (elements and attributes of HTML, SVG
/// and MathML: web_atoms' `local_names.txt`, copied to `tests/data/`), plus
/// a custom element.
fn all_local_names() -> Vec<String> {
    let mut names: Vec<String> = include_str!("data/html5ever_local_names.txt")
        .lines()
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.push("x-custom".to_owned());
    names.sort();
    names.dedup();
    assert!(names.len() > 1000, "{} names", names.len());
    names
}

/// Foreign openers (with what the policy must allow for them).
const FOREIGN_OPENERS: &[&str] = &[
    "<svg><foreignObject>",
    "<svg><desc>",
    "<svg><title>",
    "<math><mi>",
    "<math><mtext>",
    "<math><annotation-xml>",
    "<math><annotation-xml encoding=\"text/html\">",
];

/// A policy that allows every HTML name in `names` that borax accepts
/// (one build each, so refused names are simply left out), the foreign
/// integration points, and none of `except`.
fn permissive(names: &[String], except: &[&str]) -> Policy {
    let mut allowed: Vec<String> = names
        .iter()
        .filter(|n| !except.contains(&n.as_str()))
        .filter(|n| {
            let as_html = format!("html:{n}");
            Policy::builder()
                .elements([as_html.as_str()])
                .build()
                .is_ok()
        })
        .map(|n| format!("html:{n}"))
        .collect();
    for f in [
        "svg",
        "svg:foreignObject",
        "svg:desc",
        "svg:title",
        "svg:g",
        "math",
        "math:mi",
        "math:mtext",
        "math:mrow",
        "math:mglyph",
    ] {
        allowed.push(f.to_owned());
    }
    Policy::builder()
        .elements(allowed.iter().map(String::as_str))
        .element("math:annotation-xml", ["encoding"])
        .build()
        .expect("permissive policy builds")
}

/// Pairs (open element, start tag) where the start tag's handling depends
/// on the open element: it closes it, or is refused inside it.
const SCOPE_PAIRS: &[(&str, &str)] = &[
    ("li", "li"),
    ("dd", "dt"),
    ("dt", "dd"),
    ("dd", "dd"),
    ("p", "div"),
    ("p", "ul"),
    ("p", "h2"),
    ("p", "pre"),
    ("p", "form"),
    ("p", "table"),
    ("p", "hr"),
    ("p", "li"),
    ("p", "dd"),
    ("p", "dialog"),
    ("p", "search"),
    ("p", "p"),
    ("ruby><rtc", "rb"),
    ("ruby><rtc", "rtc"),
    ("ruby><rb", "rt"),
    ("ruby><rt", "rp"),
    ("ruby><rp", "rb"),
    ("ruby", "rtc"),
    ("a", "a"),
    ("button", "button"),
    ("form", "form"),
    ("nobr", "nobr"),
    ("h1", "h2"),
    ("option", "option"),
    ("option", "optgroup"),
    ("table><tr", "td"),
];

/// Elements that shield a start tag from the open element in the *input*
/// (html5ever stops its search there, or generates no implied end tag
/// through it) and that the policy then unwraps, so that in the output the
/// start tag sits under whatever was between.
const SHIELDS: &[&str] = &["x-custom", "form", "button", "section", "object"];

/// For every name html5ever knows, between an open element and a start tag
/// whose handling depends on it (with a shield the policy unwraps in
/// between), and under every foreign integration point: the cleaned output
/// re-parses to itself (html5ever oracle: conformance, exact round trip,
/// idempotence). The walker's scope model (`src/html.rs`) is what decides
/// to keep or unwrap here; this is where `dialog`/`search` taken as special,
/// `rb` kept in `rtc` and `annotation-xml` taken as a scope boundary show.
#[test]
fn scope_model_matches_html5ever_for_every_name() {
    let names = all_local_names();
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for shield in SHIELDS {
        let subject = Subject::new(
            permissive(&names, &[shield]),
            format!("every name but {shield} allowed"),
        );
        for n in &names {
            let mut shapes: Vec<String> = SCOPE_PAIRS
                .iter()
                .map(|(open, tag)| {
                    format!("<{open}>1<{n}>2<{shield}>3<{tag}>4</{tag}>5</{shield}>6</{n}>7")
                })
                .collect();
            for opener in FOREIGN_OPENERS {
                for tag in ["li", "dd", "div", "p", "rb", "svg", "math", "mglyph", "b"] {
                    shapes.push(format!(
                        "<ruby><rtc><p><ul><li><dl><dd>{opener}<{n}>a<{shield}>b<{tag}>c"
                    ));
                }
            }
            for input in shapes {
                checked += 1;
                if let Err(why) = check_all(&subject, &input) {
                    if failures.len() < 20 {
                        failures.push(describe(
                            &subject,
                            &input,
                            &subject.policy.clean(&input),
                            &why,
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 100_000, "only {checked} cases");
}

/// F5 (issue 9, item 4): in escape mode a reconstructed formatting element
/// is written as text, `"` as `&amp;quot;` (10 bytes per input byte), and
/// the guard's estimate assumed 6; the token that crossed its budget added
/// a whole copy. The walker now measures every tag before writing it.
#[test]
fn found_escaped_reconstruction_passes_the_output_bound() {
    for toml in [
        "elements = [\"p\"]\nescapeDisallowed = true",
        "elements = [\"p\", \"big\"]\nattributes = [\"title\"]",
        "elements = [\"p\", \"b\"]\nattributes = [\"title\"]\nescapeDisallowed = true",
    ] {
        let s = toml_subject(toml);
        for quotes in [1, 60, 500] {
            for paragraphs in [1, 3, 50, 400] {
                let input = format!(
                    "<p><big title='{}'><b title='{}'>{}",
                    "\"".repeat(quotes),
                    "&".repeat(quotes),
                    "<p>x".repeat(paragraphs)
                );
                assert_ok(&s, &input);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Formatting (links and paragraphs): the invariants with formatting on
// ---------------------------------------------------------------------------

/// Text pieces that formatting acts on: URLs, addresses, `www.` hosts,
/// script schemes that look like URLs, brackets, punctuation, newlines.
const FORMAT_TEXTS: &[&str] = &[
    "http://a.org",
    "https://x.example/a_(b)",
    "www.ex.com",
    "WWW.x.org/p?q=1.",
    "me@ex.org",
    "first.last@example.com,",
    "a@b",
    "javascript://x.org/%0aalert(1)",
    "data://x.org/",
    "ftp://f.org/",
    "mailto:x@y.org",
    "例え.テスト",
    "http://☃.net/",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    "'",
    "\"",
    "@",
    ":",
    "/",
    "?",
    "_",
    "x",
    " ",
    "\t",
    "\n",
    "\n\n",
    " \n ",
    "\r\n",
    "&amp;",
    "&lt;",
    "&quot;",
    "&nbsp;",
];

/// Tags that change how text is formatted.
const FORMAT_TAGS: &[&str] = &[
    "<p>",
    "</p>",
    "<br>",
    "<b>",
    "</b>",
    "<a href=\"https://a.org\">",
    "</a>",
    "<code>",
    "</code>",
    "<pre>",
    "</pre>",
    "<blockquote>",
    "</blockquote>",
    "<div>",
    "</div>",
    "<ul><li>",
    "</li>",
    "<u>",
    "</u>",
    "<table><tr><td>",
    "</table>",
    "<svg><foreignObject>",
    "</svg>",
    "<h1>",
    "</h1>",
    "<!-- c -->",
    "<script>x</script>",
    "<img src=x>",
    "<q>",
    "</q>",
];

fn format_html_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(FORMAT_TEXTS).prop_map(str::to_owned),
        3 => select(FORMAT_TAGS).prop_map(str::to_owned),
        1 => piece_strategy(),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

/// A random policy with formatting on (links, paragraphs or both).
fn formatting_spec_strategy() -> impl Strategy<Value = Spec> {
    (
        spec_strategy(),
        1u8..4,
        0u8..4,
        prop::option::of(select(&[1usize, 8, 16, 30, 2000][..])),
        prop::collection::vec(select(&["b", "p", "li", "blockquote"][..]), 0..2),
        any::<bool>(),
    )
        .prop_map(|(mut spec, kinds, www, max, skip, paragraphs)| {
            spec.format = (kinds, www, max, skip, paragraphs);
            spec
        })
}

proptest! {
    #![proptest_config(pt_config(3000))]

    /// Invariants 1-7 with links and paragraphs on: the elements they make
    /// are in the built policy (the oracle checks `allows_element`), a
    /// second clean changes nothing, the output bound holds.
    #[test]
    fn prop_formatting_invariants(spec in formatting_spec_strategy(), input in format_html_strategy()) {
        let Some(subject) = spec.subject() else { return Ok(()) };
        if let Err(why) = check_all(&subject, &input) {
            let out = subject.policy.clean(&input);
            return Err(TestCaseError::fail(describe(&subject, &input, &out, &why)));
        }
    }

    /// Linkify alone, on text made of URL characters: whatever the finder
    /// makes of it, a second clean gives the output back (the text around
    /// a link, scanned alone, finds no new link).
    #[test]
    fn prop_linkify_text_is_idempotent(
        text in prop::collection::vec(
            select(&["h", "t", "p", "s", "w", "ww", "www.", "http", "://", ".", "a", "1", "-", "_", "~", ":",
                     "/", "@", "?", "#", "(", ")", "[", "]", "{", "}", "'", "\"", ",", ";", "!", "*", "=", "&amp;",
                     "&lt;", " ", "é", "org", "com", "x@y.org", "http://a.b", "mailto:", "%"][..]),
            0..40,
        ).prop_map(|v| v.concat()),
        kinds in 1u8..4,
        www in 0u8..4,
    ) {
        let policy = Policy::comments()
            .to_builder()
            .linkify_urls(matches!(kinds, 1 | 2))
            .linkify_emails(matches!(kinds, 1 | 3))
            .linkify_www_scheme(WWW_SCHEMES[usize::from(www)])
            .build()
            .unwrap();
        let subject = Subject::new(policy, "comments + linkify");
        if let Err(why) = check_all(&subject, &text) {
            let out = subject.policy.clean(&text);
            return Err(TestCaseError::fail(describe(&subject, &text, &out, &why)));
        }
    }
}

/// Found by the random policies (parity knobs): the elements formatting
/// makes (linkify's `<a>`, paragraphs' `<p>` and `<br>`) were written
/// without the policy's forced attributes and without asking the element
/// hook; the next run added the attributes, or unwrapped the element.
#[test]
fn found_formatting_elements_skipped_forced_attributes_and_hook() {
    let linked = Policy::comments()
        .to_builder()
        .linkify(true)
        .set_attribute("a", "target", "_blank")
        .build()
        .unwrap();
    assert_ok(
        &Subject::new(linked, "linkify + forced target"),
        "http://e.org/",
    );
    let paragraphs = Policy::comments()
        .to_builder()
        .paragraphs(true)
        .set_attribute("*", "title", "forced")
        .build()
        .unwrap();
    assert_ok(&Subject::new(paragraphs, "paragraphs + forced title"), "x");
    let unwrapped = Policy::comments()
        .to_builder()
        .paragraphs(true)
        .element_hook(|el| match el.name() {
            "p" => borax::ElementAction::Unwrap,
            _ => borax::ElementAction::Default,
        })
        .build()
        .unwrap();
    assert_ok(
        &Subject::new(unwrapped, "paragraphs + hook unwrapping p"),
        "x",
    );
}

/// Found by the random policies (parity knobs): a forced attribute the
/// policy also allows by name kept its place in the input, the others were
/// appended, so the second run reordered them. Forced values now always
/// come last, in the policy's order.
#[test]
fn found_forced_attributes_reordered_on_second_clean() {
    let p = Policy::builder()
        .elements(["a"])
        .attributes(["title"])
        .set_attribute("*", "title", "forced")
        .set_attribute("*", "dir", "ltr")
        .set_attribute("a", "rel", "external")
        .build()
        .unwrap();
    assert_ok(&Subject::new(p, "forced title, dir, rel"), "<a>");
}

/// Found by the `clean` fuzz target
/// (`tests/regressions/clean/url_hook_result_skips_value_lists`): the URL
/// hook ran after the value list of `attribute_values` was checked, so
/// `href` kept a value outside its list, which the next run dropped. The
/// URL hook now runs right after the attribute hook.
#[test]
fn found_url_hook_result_skipped_value_lists() {
    let p = Policy::basic()
        .to_builder()
        .attribute_values("*", "href", ["x", "https://x"])
        .url_hook(|_, _, _| Some("//evil.example/x".into()))
        .build()
        .unwrap();
    assert_ok(&Subject::new(p, "href values + URL hook"), "<a href=\"x\">");
}

/// Found by `prop_linkify_text_is_idempotent`: a `www.` host right before
/// an e-mail address was not linked (`,www.www..x@y.orgh` linked only the
/// address); alone, on the next run, it was. The text between links is now
/// split into pieces as a second clean splits it.
#[test]
fn found_linkify_www_before_email_linked_on_second_clean() {
    let policy = Policy::comments()
        .to_builder()
        .linkify(true)
        .build()
        .unwrap();
    assert_ok(
        &Subject::new(policy, "comments + linkify"),
        ",www.www..x@y.orgh",
    );
}

/// Formatting on hostile text stays linear and within the output bound: a
/// million `www.` or `@`, one huge URL, thousands of blank lines.
#[test]
fn formatting_hostile_inputs_stay_bounded() {
    let k = scale();
    let policy = Policy::comments()
        .to_builder()
        .linkify(true)
        .paragraphs(true)
        .max_input_bytes(borax::MAX_INPUT_BYTES_LIMIT)
        .build()
        .unwrap();
    let subject = Subject::new(policy, "comments + linkify + paragraphs");
    let n = 100_000 * k;
    let inputs: Vec<(&str, String)> = vec![
        ("www", "www.".repeat(n)),
        ("www_words", "www.a ".repeat(n / 2)),
        ("www_openers", "(www.".repeat(n / 2)),
        ("at", "@".repeat(n)),
        ("a_at", "a@".repeat(n / 2)),
        ("dots_colons", "a.b:".repeat(n / 2)),
        ("huge_url", format!("http://e.com/{}", "a".repeat(4 * n))),
        (
            "huge_url_parens",
            format!("http://e.com/{}", "(".repeat(4 * n)),
        ),
        ("many_urls", "http://a.co ".repeat(n / 4)),
        ("many_emails", "a@b.co\n".repeat(n / 4)),
        ("blank_lines", "\n".repeat(4 * n)),
        ("paragraphs", "a\n\n".repeat(n)),
        ("lines", "a\n".repeat(n)),
        ("blank_lines_in_b", format!("<b>{}</b>", "a\n\n".repeat(n))),
        ("quotes", "<blockquote>a\n\n".repeat(n / 8)),
        ("links_in_paragraphs", "see www.a.co\n\n".repeat(n / 8)),
    ];
    for (family, input) in &inputs {
        let t = std::time::Instant::now();
        if let Err(why) = check_hostile(&subject, family, input) {
            panic!("{why}");
        }
        eprintln!(
            "formatting hostile {family}: {} bytes, {:.2?}",
            input.len(),
            t.elapsed()
        );
    }
}

/// The random policies mostly build: a generator whose policies the builder
/// refuses would check nothing. Of the custom ones with parity knobs on, at
/// least a third build; of those, the knobs change the policy.
#[test]
fn random_policies_mostly_build() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = spec_strategy();
    let (mut drawn, mut built, mut hooked) = (0, 0, 0);
    for _ in 0..2000 {
        let spec = strategy.new_tree(&mut runner).unwrap().current();
        if spec.parity == ParityKnobs::none() {
            continue;
        }
        drawn += 1;
        if let Some(s) = spec.subject() {
            built += 1;
            if s.policy
                .to_toml_string()
                .unwrap()
                .starts_with("# not representable")
            {
                hooked += 1;
            }
        }
    }
    assert!(
        built * 3 >= drawn,
        "{built} of {drawn} random policies build"
    );
    assert!(
        hooked * 4 >= built,
        "{hooked} of {built} built policies have hooks"
    );
}

/// Found by the `clean` fuzz target (30 November): `srcset`'s descriptors
/// were read with nested parentheses, but the spec's descriptor tokenizer
/// ("parse a srcset attribute",
/// <https://html.spec.whatwg.org/multipage/images.html#parse-a-srcset-attribute>)
/// does not nest: `(` enters "in parens" and the first `)` leaves it. So in
/// `a.png x(y(z)w, http://evil/b 2x` a browser loads a second candidate,
/// `http://evil/b`, which borax did not check: a URL of a scheme the policy
/// does not allow (or a relative one under `Deny`) passed through.
#[test]
fn found_srcset_nested_parentheses_hid_a_candidate() {
    let policy = Policy::builder()
        .element("img", ["srcset"])
        .url_schemes(["https"])
        .relative_urls(borax::RelativeUrls::Deny)
        .build()
        .unwrap();
    for input in [
        "<img srcset=\"https://a/x.png x(y(z)w, http://evil/b 2x\">",
        "<img srcset=\"https://a/x.png x(y(z)w, relative.png 2x\">",
        "<img srcset=\"https://a/x.png (((), javascript:alert(1) 2x\">",
    ] {
        let out = policy.clean(input);
        assert_eq!(out, "<img>", "{input}");
    }
    // Unclosed parentheses run to the end: one candidate, as a browser
    // reads it; parentheses that do close keep their commas.
    assert_eq!(
        policy.clean("<img srcset=\"https://a/x.png (((, javascript:x 2x\">"),
        "<img srcset=\"https://a/x.png (((, javascript:x 2x\">"
    );
    assert_eq!(
        policy.clean("<img srcset=\"https://a/x.png (x, y) 2x, https://a/y.png 1x\">"),
        "<img srcset=\"https://a/x.png (x, y) 2x, https://a/y.png 1x\">"
    );
    assert_ok(
        &Subject::new(policy, "img srcset, https only, relative denied"),
        "<img srcset=\"https://a/x.png x(y(z)w, http://evil/b 2x\">",
    );
}

proptest! {
    #![proptest_config(pt_config(3000))]

    /// URL lists under a strict URL rule: `srcset` and `ping` values made of
    /// URLs of every kind, commas, whitespace and parentheses (open, closed,
    /// unbalanced: the descriptor tokenizer's states) keep only URLs the
    /// spec's own parser finds allowed (the oracle reads them as a browser
    /// does).
    #[test]
    fn prop_url_lists_hold_under_a_strict_url_rule(
        pieces in proptest::collection::vec(proptest::sample::select(vec![
            "https://a/x.png", "http://b/y", "rel.png", "//c/z", "javascript:z", "data:,q",
            " ", "\t", "\n", ",", ", ", ",,", "(", ")", "((", "1x", "2w", "x(", "y)",
        ]), 0..24),
        attribute in proptest::sample::select(vec!["srcset", "ping"]),
    ) {
        let policy = Policy::builder()
            .element("img", ["srcset"])
            .element("a", ["ping"])
            .url_schemes(["https"])
            .relative_urls(borax::RelativeUrls::Deny)
            .build()
            .unwrap();
        let element = if attribute == "srcset" { "img" } else { "a" };
        let input = format!("<{element} {attribute}=\"{}\">x", pieces.concat());
        let subject = Subject::new(policy, "srcset and ping, https only, relative denied");
        if let Err(why) = check_all(&subject, &input) {
            let out = subject.policy.clean(&input);
            return Err(TestCaseError::fail(describe(&subject, &input, &out, &why)));
        }
    }
}
