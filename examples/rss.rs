//! Peak memory of one clean of one hostile input.
//!
//! ```text
//! cargo build --release --example rss
//! /usr/bin/time -v target/release/examples/rss deep_table_td 1000000 borax
//! timeout 300 /usr/bin/time -v target/release/examples/rss deep_table_td 1000000 ammonia
//! target/release/examples/rss deep_table_td 1000000 none     # input only: the baseline
//! target/release/examples/rss sizes                          # DOM node size estimate
//! ```
//!
//! Prints the input size, the time, the output size and the peak RSS
//! (VmHWM) before and after cleaning. borax runs with the input limit raised
//! to 64 MiB.

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::Instant;

fn mb(b: u64) -> f64 {
    b as f64 / (1 << 20) as f64
}

/// Sizes of the types borax's arena node is made of (src/dom.rs keeps `Node`
/// crate-private, so this mirrors its layout with the same field types).
fn sizes() {
    use html5ever::tendril::StrTendril;
    use html5ever::{Attribute, QualName};
    #[allow(dead_code)]
    enum NodeData {
        Document,
        Fragment,
        Element {
            name: QualName,
            attrs: Vec<Attribute>,
            integration_point: bool,
        },
        Text(StrTendril),
        Comment(StrTendril),
    }
    #[allow(dead_code)]
    struct Node {
        parent: u32,
        first_child: u32,
        last_child: u32,
        prev: u32,
        next: u32,
        depth: u32,
        data: NodeData,
    }
    println!(
        "QualName          {:>3} bytes",
        std::mem::size_of::<QualName>()
    );
    println!(
        "Vec<Attribute>    {:>3} bytes",
        std::mem::size_of::<Vec<Attribute>>()
    );
    println!(
        "Attribute         {:>3} bytes",
        std::mem::size_of::<Attribute>()
    );
    println!(
        "StrTendril        {:>3} bytes",
        std::mem::size_of::<StrTendril>()
    );
    println!(
        "NodeData (mirror) {:>3} bytes",
        std::mem::size_of::<NodeData>()
    );
    println!("Node (mirror)     {:>3} bytes", std::mem::size_of::<Node>());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("sizes") {
        sizes();
        return;
    }
    let [family, n, which] = args.as_slice() else {
        eprintln!("usage: rss FAMILY N borax|ammonia|none   |   rss sizes");
        std::process::exit(2);
    };
    let Some(f) = support::family(family) else {
        eprintln!("unknown family {family}");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("N");
    let input = (f.gen)(n);
    let before = support::peak_rss_bytes().unwrap_or(0);
    let t = Instant::now();
    let out_len = match which.as_str() {
        "borax" => match support::borax_hostile().try_clean(&input) {
            Ok(s) => s.len().to_string(),
            Err(e) => format!("Err({e})"),
        },
        "ammonia" => support::ammonia_comments()
            .clean(&input)
            .to_string()
            .len()
            .to_string(),
        "none" => "-".to_owned(),
        other => {
            eprintln!("unknown sanitizer {other}");
            std::process::exit(2);
        }
    };
    let secs = t.elapsed().as_secs_f64();
    let after = support::peak_rss_bytes().unwrap_or(0);
    println!(
        "{family} n={n} {which}: input {:.1} MiB, {secs:.2} s, output {out_len} bytes, peak RSS before {:.1} MiB, after {:.1} MiB (+{:.1} MiB)",
        mb(input.len() as u64),
        mb(before),
        mb(after),
        mb(after.saturating_sub(before))
    );
}
