//! One table: borax vs ammonia throughput on the corpora, and borax's
//! scaling on the hostile families of `tools/adversarial.py`.
//!
//! ```text
//! cargo run --release --example perf_table                 # everything
//! cargo run --release --example perf_table -- corpus       # corpora only
//! cargo run --release --example perf_table -- parsers      # the parsers alone
//! cargo run --release --example perf_table -- bail-cost    # fast path on/off where it bails
//! cargo run --release --example perf_table -- hostile      # hostile only
//! cargo run --release --example perf_table -- hostile deep_div foster=20000
//! cargo run --release --example perf_table -- loop borax comments 20   # for perf record
//! ```
//!
//! Timing: each side runs in rounds, borax and ammonia interleaved, and the
//! best round counts (the machine is shared; the best round is the one least
//! disturbed). Ratios are borax/ammonia throughput from the same run.
//! Corpora come from `$BORAX_CORPUS` (default `../shared/corpus`).

#[path = "../support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use support::{Family, FAMILIES};

/// Run `f` repeatedly for at least `min` (and at least once); seconds per call.
fn time_per_call(min: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut calls = 0u32;
    loop {
        f();
        calls += 1;
        let el = start.elapsed();
        if el >= min {
            return el.as_secs_f64() / f64::from(calls);
        }
    }
}

fn mbs(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / secs / 1e6
}

/// html5ever's tokenizer alone, tokens dropped: the floor of any
/// html5ever-based sanitizer (GUIDE §4).
fn tokenize_only(input: &str) {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    struct Noop;
    impl TokenSink for Noop {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            black_box(token);
            TokenSinkResult::Continue
        }
    }
    let tok = Tokenizer::new(Noop, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(input));
    while let html5ever::TokenizerResult::Script(_) = tok.feed(&queue) {}
    tok.end();
}

struct CorpusRow {
    name: &'static str,
    tokenizer: f64,
    docs: usize,
    bytes: usize,
    borax: f64,
    ammonia: f64,
}

fn corpus_row(
    name: &'static str,
    docs: &[String],
    borax: &borax::Policy,
    ammonia: &ammonia::Builder<'static>,
    rounds: usize,
    min: Duration,
) -> CorpusRow {
    let bytes = support::total_bytes(docs);
    let run_b = || {
        for d in docs {
            black_box(borax.clean(black_box(d)));
        }
    };
    let run_a = || {
        for d in docs {
            black_box(ammonia.clean(black_box(d)).to_string());
        }
    };
    let run_t = || {
        for d in docs {
            tokenize_only(black_box(d));
        }
    };
    // Warm up both (page cache, allocator, atom tables).
    run_b();
    run_a();
    let (mut best_b, mut best_a) = (f64::INFINITY, f64::INFINITY);
    let mut best_t = f64::INFINITY;
    for _ in 0..rounds {
        best_t = best_t.min(time_per_call(min, run_t));
        best_b = best_b.min(time_per_call(min, run_b));
        best_a = best_a.min(time_per_call(min, run_a));
    }
    CorpusRow {
        name,
        tokenizer: mbs(bytes, best_t),
        docs: docs.len(),
        bytes,
        borax: mbs(bytes, best_b),
        ammonia: mbs(bytes, best_a),
    }
}

fn corpora() {
    let comments = borax::Policy::comments();
    let relaxed = borax::Policy::relaxed();
    let a_comments = support::ammonia_comments();
    let a_relaxed = support::ammonia_relaxed();
    let mut rows = Vec::new();
    if let Some(all) = support::comments() {
        rows.push(corpus_row(
            "comments",
            &all,
            &comments,
            &a_comments,
            7,
            Duration::from_millis(300),
        ));
        let plain = support::plain_comments(&all);
        rows.push(corpus_row(
            "comments_text",
            &plain,
            &comments,
            &a_comments,
            7,
            Duration::from_millis(300),
        ));
        let (fast, slow) = support::fast_parser_split(&all, &comments);
        rows.push(corpus_row(
            "comments_fast (fast parser, markup)",
            &fast,
            &comments,
            &a_comments,
            7,
            Duration::from_millis(300),
        ));
        rows.push(corpus_row(
            "comments_bail (fast parser bails)",
            &slow,
            &comments,
            &a_comments,
            7,
            Duration::from_millis(300),
        ));
    }
    if let Some(pages) = support::pages() {
        rows.push(corpus_row(
            "pages (relaxed)",
            &pages,
            &relaxed,
            &a_relaxed,
            3,
            Duration::from_millis(1),
        ));
    }
    println!("| corpus | docs | MB | borax MB/s | ammonia MB/s | borax/ammonia | html5ever tokenizer only MB/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.2} | {:.1} | {:.1} | {:.2}x | {:.1} |",
            r.name,
            r.docs,
            r.bytes as f64 / 1e6,
            r.borax,
            r.ammonia,
            r.borax / r.ammonia,
            r.tokenizer
        );
    }
}

/// The parsers alone on the comments the fast parser accepts (markup, not
/// plain text): the fast parser, a memchr scan of the same bytes, html5ever's
/// tokenizer, html5ever's tree builder into borax's arena.
fn parsers() {
    let Some(all) = support::comments() else {
        return;
    };
    let (fast, _) = support::fast_parser_split(&all, &borax::Policy::comments());
    let bytes = support::total_bytes(&fast);
    let min = Duration::from_millis(300);
    let (mut t_fast, mut t_memchr, mut t_tok, mut t_h5, mut t_scan) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::INFINITY,
        f64::INFINITY,
        f64::INFINITY,
    );
    for _ in 0..7 {
        t_scan = t_scan.min(time_per_call(min, || {
            for d in &fast {
                black_box(borax::__private::fast_scan_only(black_box(d)));
            }
        }));
        t_fast = t_fast.min(time_per_call(min, || {
            for d in &fast {
                black_box(borax::__private::parse_only(black_box(d), true));
            }
        }));
        t_memchr = t_memchr.min(time_per_call(min, || {
            for d in &fast {
                black_box(memchr::memchr_iter(b'<', black_box(d).as_bytes()).count());
            }
        }));
        t_tok = t_tok.min(time_per_call(min, || {
            for d in &fast {
                tokenize_only(black_box(d));
            }
        }));
        t_h5 = t_h5.min(time_per_call(min, || {
            for d in &fast {
                black_box(borax::__private::parse_only(black_box(d), false));
            }
        }));
    }
    println!(
        "| parser, on the {} comments the fast parser accepts ({:.2} MB) | MB/s |",
        fast.len(),
        bytes as f64 / 1e6
    );
    println!("|---|---:|");
    println!("| memchr, every `<` | {:.0} |", mbs(bytes, t_memchr));
    println!(
        "| borax fast parser (tokens found, nothing built) | {:.0} |",
        mbs(bytes, t_scan)
    );
    println!(
        "| borax fast parser (tree built) | {:.0} |",
        mbs(bytes, t_fast)
    );
    println!(
        "| html5ever tokenizer alone (tokens dropped) | {:.0} |",
        mbs(bytes, t_tok)
    );
    println!(
        "| html5ever tokenizer + tree builder into the arena | {:.0} |",
        mbs(bytes, t_h5)
    );
}

/// What trying the fast path costs on inputs that bail: borax with the fast
/// path on and off (`Policy::with_fast_path(false)`, every input straight
/// to html5ever), interleaved rounds, best of each.
fn bail_cost() {
    let comments = borax::Policy::comments();
    let mut rows: Vec<(&str, Vec<String>, borax::Policy, usize, Duration)> = Vec::new();
    if let Some(all) = support::comments() {
        let (_, bail) = support::fast_parser_split(&all, &comments);
        rows.push((
            "comments_bail",
            bail,
            comments.clone(),
            9,
            Duration::from_millis(300),
        ));
    }
    if let Some(pages) = support::pages() {
        rows.push((
            "pages (relaxed)",
            pages,
            borax::Policy::relaxed(),
            5,
            Duration::from_millis(1),
        ));
    }
    println!("| inputs that bail | fast path on MB/s | off MB/s | on / off |");
    println!("|---|---:|---:|---:|");
    for (name, docs, policy, rounds, min) in rows {
        let off = policy.with_fast_path(false);
        let bytes = support::total_bytes(&docs);
        let run = |p: &borax::Policy| {
            for d in &docs {
                black_box(p.clean(black_box(d)));
            }
        };
        run(&policy);
        run(&off);
        let (mut t_on, mut t_off) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..rounds {
            t_on = t_on.min(time_per_call(min, || run(&policy)));
            t_off = t_off.min(time_per_call(min, || run(&off)));
        }
        println!(
            "| {name} | {:.1} | {:.1} | {:.3} |",
            mbs(bytes, t_on),
            mbs(bytes, t_off),
            t_off / t_on
        );
    }
}

/// Best time of one clean of `input` over `runs` runs (fewer when one run is slow).
fn best_clean(
    policy: &borax::Policy,
    input: &str,
    runs: usize,
) -> (f64, Result<usize, borax::CleanError>) {
    let mut best = f64::INFINITY;
    let mut result = Ok(0);
    let mut total = 0.0;
    for _ in 0..runs {
        let t = Instant::now();
        let r = policy.try_clean(black_box(input));
        let el = t.elapsed().as_secs_f64();
        best = best.min(el);
        total += el;
        result = r.map(|s| s.len());
        if total > 5.0 {
            break;
        }
    }
    (best, result)
}

fn hostile(only: &[String]) {
    let policy = support::borax_hostile();
    println!("| family | input | n | bytes(n) | time(n) ms | 10n | bytes(10n) | time(10n) ms | ratio (≤12) | MB/s at 10n (≥5) | out bytes (10n) |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    if only.is_empty() {
        for f in FAMILIES {
            row(&policy, f);
        }
    }
    // FAMILY or FAMILY=N (override n).
    for o in only {
        let (name, n) = o
            .split_once('=')
            .map_or((o.as_str(), None), |(a, b)| (a, b.parse().ok()));
        match support::family(name) {
            Some(f) => row(
                &policy,
                &Family {
                    n: n.unwrap_or(f.n),
                    ..*f
                },
            ),
            None => eprintln!("unknown family {name}"),
        }
    }
}

fn row(policy: &borax::Policy, f: &Family) {
    let small = (f.gen)(f.n);
    let big = (f.gen)(f.n * 10);
    // warm-up
    let _ = policy.try_clean(&small);
    let (ts, _) = best_clean(policy, &small, 9);
    let (tb, rb) = best_clean(policy, &big, 5);
    let out = match rb {
        Ok(len) => len.to_string(),
        Err(e) => format!("Err: {e}"),
    };
    let ok = |c: bool| if c { "" } else { " ✗" };
    let ratio = tb / ts;
    let speed = mbs(big.len(), tb);
    println!(
        "| {} | {} | {} | {} | {:.2} | {} | {} | {:.2} | {:.1}{} | {:.1}{} | {} |",
        f.name,
        f.what,
        f.n,
        small.len(),
        ts * 1e3,
        f.n * 10,
        big.len(),
        tb * 1e3,
        ratio,
        ok(ratio <= 12.0),
        speed,
        ok(speed >= 5.0),
        out
    );
}

/// Clean one corpus in a loop for `secs` seconds with one sanitizer (for
/// `perf record`).
fn profile_loop(which: &str, corpus: &str, secs: f64, max_passes: u64) {
    let docs = match corpus {
        "comments" => support::comments(),
        "comments_fast" => support::comments()
            .map(|c| support::fast_parser_split(&c, &borax::Policy::comments()).0),
        "comments_bail" => support::comments()
            .map(|c| support::fast_parser_split(&c, &borax::Policy::comments()).1),
        "comments_text" => support::comments().map(|c| support::plain_comments(&c)),
        "pages" => support::pages(),
        other => {
            eprintln!("unknown corpus {other}: comments | comments_fast | comments_bail | comments_text | pages");
            std::process::exit(2);
        }
    };
    let Some(docs) = docs else {
        std::process::exit(1)
    };
    let pages = corpus == "pages";
    let bp = if pages {
        borax::Policy::relaxed()
    } else {
        borax::Policy::comments()
    };
    let ap = if pages {
        support::ammonia_relaxed()
    } else {
        support::ammonia_comments()
    };
    let start = Instant::now();
    let mut passes = 0u64;
    while passes < max_passes && start.elapsed().as_secs_f64() < secs {
        for d in &docs {
            match which {
                "borax" => drop(black_box(bp.clean(d))),
                "ammonia" => drop(black_box(ap.clean(d).to_string())),
                "fast-parser" => drop(black_box(borax::__private::parse_only(d, true))),
                other => {
                    eprintln!("unknown sanitizer {other}: borax | ammonia | fast-parser");
                    std::process::exit(2);
                }
            }
        }
        passes += 1;
    }
    let el = start.elapsed().as_secs_f64();
    eprintln!(
        "{which} {corpus}: {passes} passes, {:.1} MB/s",
        mbs(support::total_bytes(&docs) * passes as usize, el)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => {
            corpora();
            println!();
            parsers();
            println!();
            bail_cost();
            println!();
            hostile(&[]);
        }
        Some("corpus") => corpora(),
        Some("parsers") => parsers(),
        Some("bail-cost") => bail_cost(),
        Some("hostile") => hostile(&args[1..]),
        Some("loop") if args.len() == 4 => {
            // SECS, or Np for exactly N passes (for instruction counts
            // under valgrind, where timing means nothing).
            match args[3].strip_suffix('p') {
                Some(n) => profile_loop(
                    &args[1],
                    &args[2],
                    f64::INFINITY,
                    n.parse().expect("passes"),
                ),
                None => profile_loop(
                    &args[1],
                    &args[2],
                    args[3].parse().expect("seconds"),
                    u64::MAX,
                ),
            }
        }
        _ => {
            eprintln!("usage: perf_table [corpus | parsers | bail-cost | hostile [FAMILY...] | loop borax|ammonia|fast-parser comments|comments_fast|comments_bail|comments_text|pages SECS|Np]");
            std::process::exit(2);
        }
    }
}
