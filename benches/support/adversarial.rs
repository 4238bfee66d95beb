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
];

pub fn family(name: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.name == name)
}
