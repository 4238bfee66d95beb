//! Peak memory of one clean of one hostile input.
//!
//! ```text
//! cargo build --release --example rss
//! /usr/bin/time -v target/release/examples/rss deep_table_td 1000000 borax
//! timeout 300 /usr/bin/time -v target/release/examples/rss deep_table_td 1000000 ammonia
//! target/release/examples/rss deep_table_td 1000000 none     # input only: the baseline
//! ```
//!
//! Prints the input size, the time, the output size and the peak RSS
//! (VmHWM) before and after cleaning. borax runs with the input limit raised
//! to 64 MiB. (The size of one DOM node is pinned by a unit test in
//! `src/dom.rs`: 80 bytes on 64-bit targets.)

#[path = "../support/mod.rs"]
mod support;

use std::time::Instant;

fn mb(b: u64) -> f64 {
    b as f64 / (1 << 20) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [family, n, which] = args.as_slice() else {
        eprintln!("usage: rss FAMILY N borax|ammonia|none");
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
