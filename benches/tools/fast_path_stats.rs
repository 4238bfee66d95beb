//! Which inputs take the fast path, and why the others do not.
//!
//! For each corpus: the share of documents and bytes that are plain text
//! (the memchr shortcut), that the fast parser reads, and that go to
//! html5ever, then a histogram of the fast parser's bail reasons (documents
//! and bytes); and, on the inputs that bail, the share of bytes the fast
//! tokenizer reads (`src/fast/tokens.rs`) before it hands over to
//! html5ever's tokenizer, if it does.
//!
//! ```text
//! cargo run --release --example fast_path_stats                  # comments, xss, html5lib, pages
//! cargo run --release --example fast_path_stats -- comments
//! cargo run --release --example fast_path_stats -- file.ndjson   # one JSON string per line
//! ```
//!
//! Corpora come from `$BORAX_CORPUS` (default `../shared/corpus`); the
//! policy is `comments` (the fast parser's answer depends on the policy only
//! through its depth cap).

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;

fn is_plain(s: &str) -> bool {
    !s.contains(['<', '&', '\0', '\r'])
}

fn report(name: &str, docs: &[String]) {
    let policy = borax::Policy::comments();
    let total_bytes: usize = docs.iter().map(String::len).sum();
    let (mut plain, mut plain_b, mut fast, mut fast_b) = (0usize, 0usize, 0usize, 0usize);
    let mut bails: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    // On the inputs that bail: bytes the fast tokenizer reads, and inputs
    // it hands over to html5ever's tokenizer before their end.
    let (mut tokenized, mut handed) = (0usize, 0usize);
    for d in docs {
        match borax::__private::fast_path_bail(&policy, d) {
            None if is_plain(d) => {
                plain += 1;
                plain_b += d.len();
            }
            None => {
                fast += 1;
                fast_b += d.len();
            }
            Some(why) => {
                let e = bails.entry(why).or_default();
                e.0 += 1;
                e.1 += d.len();
                let reach = borax::__private::fast_tokenizer_reach(&policy, d);
                tokenized += reach;
                if reach < d.len() {
                    handed += 1;
                }
            }
        }
    }
    let n = docs.len().max(1) as f64;
    let b = total_bytes.max(1) as f64;
    let pct = |x: usize, of: f64| 100.0 * x as f64 / of;
    let slow: usize = bails.values().map(|v| v.0).sum();
    let slow_b: usize = bails.values().map(|v| v.1).sum();
    println!(
        "## {name}: {} documents, {:.2} MB\n",
        docs.len(),
        total_bytes as f64 / 1e6
    );
    println!("| path | documents | % | bytes % |");
    println!("|---|---:|---:|---:|");
    println!(
        "| plain text (memchr) | {plain} | {:.1} | {:.1} |",
        pct(plain, n),
        pct(plain_b, b)
    );
    println!(
        "| fast parser | {fast} | {:.1} | {:.1} |",
        pct(fast, n),
        pct(fast_b, b)
    );
    println!(
        "| **fast path, total** | {} | **{:.1}** | **{:.1}** |",
        plain + fast,
        pct(plain + fast, n),
        pct(plain_b + fast_b, b)
    );
    println!(
        "| html5ever's tree builder (bailed) | {slow} | {:.1} | {:.1} |\n",
        pct(slow, n),
        pct(slow_b, b)
    );
    println!(
        "Of those, the fast tokenizer reads {:.1}% of the bytes; {handed} of {slow} documents are handed over to html5ever's tokenizer before their end.\n",
        pct(tokenized, slow_b.max(1) as f64)
    );
    if !bails.is_empty() {
        println!("| bail reason | documents | % of bails | bytes |");
        println!("|---|---:|---:|---:|");
        let mut v: Vec<_> = bails.into_iter().collect();
        v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        for (why, (d, by)) in v {
            println!(
                "| {why} | {d} | {:.1} | {by} |",
                100.0 * d as f64 / slow.max(1) as f64
            );
        }
        println!();
    }
}

fn html5lib() -> Option<Vec<String>> {
    let dir = support::corpus_dir().join("html5lib/tree-construction");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "dat"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).ok()?;
        let mut lines = text.split('\n');
        while let Some(line) = lines.next() {
            if line == "#data" {
                let data: Vec<&str> = lines
                    .by_ref()
                    .take_while(|l| !l.starts_with("#errors"))
                    .collect();
                out.push(data.join("\n"));
            }
        }
    }
    Some(out)
}

fn xss() -> Option<Vec<String>> {
    let dir = support::corpus_dir().join("xss");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).ok()? {
        let p = e.ok()?.path();
        if p.extension().is_some_and(|e| e == "json") {
            let v: Vec<String> = serde_json::from_str(&std::fs::read_to_string(&p).ok()?).ok()?;
            out.extend(v);
        }
    }
    Some(out)
}

fn ndjson(path: &str) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = ["comments", "xss", "html5lib", "pages"];
    let which: Vec<&str> = if args.is_empty() {
        all.to_vec()
    } else {
        args.iter().map(String::as_str).collect()
    };
    for w in which {
        let docs = match w {
            "comments" => support::comments(),
            "xss" => xss(),
            "html5lib" => html5lib(),
            "pages" => support::pages(),
            path => ndjson(path),
        };
        match docs {
            Some(d) => report(w, &d),
            None => eprintln!("{w}: cannot read it (set BORAX_CORPUS, or give an NDJSON file)"),
        }
    }
}
