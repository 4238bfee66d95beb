//! The hostile input families of `../shared/tools/adversarial.py`, in Rust,
//! shared by the benchmarks (`benches/support`) and the invariant tests
//! (`tests/invariants.rs`, which include this file by path).
#![allow(dead_code)]

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

pub fn words(n: usize, with_entities: bool) -> String {
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
    // The adoption agency (issue 9): nodes moved under clones not yet in the
    // tree left the depth guard with stale depths, and html5ever's stack of
    // open elements grew without bound: quadratic under every preset.
    Family {
        name: "adoption_specials_9",
        n: 20_000,
        what: "n x ('<b>' + 9 x '<div>' + '</b>')",
        gen: |n| adoption(sweep("adoption_specials"), 9, n),
    },
    Family {
        name: "adoption_specials_sweep",
        n: 12_000,
        what: "n x ('<b>' + m x '<div>' + '</b>'), m = 1..=30 in turn",
        gen: |n| adoption_cycle(sweep("adoption_specials"), n),
    },
    Family {
        name: "adoption_nested_sweep",
        n: 8_000,
        what: "n x ('<b><i><u>...' + m x special + '</b></i></u>...'), m = 1..=30",
        gen: |n| adoption_cycle(sweep("adoption_nested_formatting"), n),
    },
    Family {
        name: "adoption_template_sweep",
        n: 10_000,
        what: "n x ('<template><b>' + m x '<div>' + '</b>'), m = 1..=30",
        gen: |n| adoption_cycle(sweep("adoption_in_template"), n),
    },
    Family {
        name: "adoption_tables_sweep",
        n: 10_000,
        what: "n x ('<b><table>' / '<a><table><tr><td>' + m x '<div>' + '</b>'), m = 1..=30",
        gen: |n| {
            let mut s = adoption_cycle(sweep("adoption_table_inside"), n / 2);
            s.push_str(&adoption_cycle(sweep("adoption_a_table_cell"), n / 2));
            s
        },
    },
];

/// One adoption-agency pattern: `gen(out, m, i)` appends its i-th unit with
/// m special elements (furthest-block candidates) between misnested
/// formatting elements.
#[derive(Clone, Copy)]
pub struct Sweep {
    pub name: &'static str,
    pub what: &'static str,
    pub gen: fn(&mut String, usize, usize),
}

/// The largest m the sweeps use: past the adoption agency's limits (8 outer,
/// 3 inner iterations) and the 9 that was quadratic.
pub const SWEEP_MAX: usize = 30;

/// Formatting elements (the list of active formatting elements), `a` and
/// `nobr` last: their start tags run the adoption agency themselves.
const FORMATTING: &[&str] = &[
    "b", "i", "u", "s", "em", "strong", "small", "big", "tt", "code", "strike", "font", "nobr", "a",
];
/// Special elements that can be the furthest block, in body.
const SPECIALS: &[&str] = &[
    "div",
    "section",
    "blockquote",
    "article",
    "aside",
    "address",
    "center",
    "ul",
    "li",
    "dl",
    "dd",
    "p",
    "pre",
    "details",
    "figure",
    "table",
];

pub const ADOPTION_SWEEPS: &[Sweep] = &[
    Sweep {
        name: "adoption_specials",
        what: "'<b>' + m x '<div>' + '</b>'",
        gen: |s, m, _| {
            s.push_str("<b>");
            for _ in 0..m {
                s.push_str("<div>");
            }
            s.push_str("</b>");
        },
    },
    Sweep {
        name: "adoption_specials_mixed",
        what: "'<b>' + m special elements of every kind + '</b>'",
        gen: |s, m, i| {
            s.push_str("<b>");
            for j in 0..m {
                s.push('<');
                s.push_str(SPECIALS[(i + j) % SPECIALS.len()]);
                s.push('>');
            }
            s.push_str("</b>");
        },
    },
    Sweep {
        name: "adoption_nested_formatting",
        what: "'<b><i><u>...' + m x '<div>' + '</b></i></u>...' (closed outermost first)",
        gen: |s, m, i| {
            let k = 1 + i % 5;
            for f in &FORMATTING[..k] {
                s.push('<');
                s.push_str(f);
                s.push('>');
            }
            for _ in 0..m {
                s.push_str("<div>");
            }
            for f in &FORMATTING[..k] {
                s.push_str("</");
                s.push_str(f);
                s.push('>');
            }
        },
    },
    Sweep {
        name: "adoption_table_inside",
        what: "'<b><table>' + m x '<div>' + '</b>'",
        gen: |s, m, _| {
            s.push_str("<b><table>");
            for _ in 0..m {
                s.push_str("<div>");
            }
            s.push_str("</b>");
        },
    },
    Sweep {
        name: "adoption_a_table_cell",
        what: "'<a><table><tr><td>' + m x '<div>' + '</a>'",
        gen: |s, m, _| {
            s.push_str("<a><table><tr><td>");
            for _ in 0..m {
                s.push_str("<div>");
            }
            s.push_str("</a>");
        },
    },
    Sweep {
        name: "adoption_p_b",
        what: "'<p><b>' + m x '<div>' + '</b></p>'",
        gen: |s, m, _| {
            s.push_str("<p><b>");
            for _ in 0..m {
                s.push_str("<div>");
            }
            s.push_str("</b></p>");
        },
    },
    Sweep {
        name: "adoption_in_template",
        what: "'<template><b>' + m x '<div>' + '</b>' (template contents count as deeper)",
        gen: |s, m, _| {
            s.push_str("<template><b>");
            for _ in 0..m {
                s.push_str("<div>");
            }
            s.push_str("</b>");
        },
    },
    Sweep {
        name: "adoption_a_nobr_start_tags",
        what: "'<a>' / '<nobr>' + m x '<div>', the next '<a>' / '<nobr>' runs the adoption agency",
        gen: |s, m, i| {
            let f = if i % 2 == 0 { "<a>" } else { "<nobr>" };
            s.push_str(f);
            for _ in 0..m {
                s.push_str("<div>");
            }
        },
    },
];

/// The generator of the sweep called `name`.
pub fn sweep(name: &str) -> fn(&mut String, usize, usize) {
    ADOPTION_SWEEPS
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.gen)
        .expect("a sweep of that name")
}

/// `reps` units of one sweep, all with `m` special elements.
pub fn adoption(gen: fn(&mut String, usize, usize), m: usize, reps: usize) -> String {
    let mut s = String::new();
    for i in 0..reps {
        gen(&mut s, m, i);
    }
    s
}

/// `reps` units of one sweep, m going 1..=[`SWEEP_MAX`] in turn.
pub fn adoption_cycle(gen: fn(&mut String, usize, usize), reps: usize) -> String {
    let mut s = String::new();
    for i in 0..reps {
        gen(&mut s, 1 + i % SWEEP_MAX, i);
    }
    s
}

pub fn family(name: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.name == name)
}
