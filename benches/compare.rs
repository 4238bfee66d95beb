//! borax vs ammonia, side by side in each group on the same inputs with the
//! same policy (`Throughput::Bytes`: the ratio of the two is the figure to
//! quote), plus borax's scaling on hostile inputs.
//!
//! ```text
//! cargo bench --bench compare                     # all groups (~4 min)
//! cargo bench --bench compare -- comments         # one group (criterion filter)
//! BORAX_CORPUS=/path/to/corpus cargo bench --bench compare
//! ```
//!
//! Groups:
//! * `comments`: the 2,000 comments of `$BORAX_CORPUS/comments.ndjson`, the
//!   whole corpus per iteration; borax `Policy::comments()`, ammonia with
//!   the same ten elements and attributes (see `support::ammonia_comments`);
//! * `comments_text`: the plain-text comments of that corpus (no `<`, `&`);
//! * `comments_fast`: the comments with markup that the fast parser reads
//!   (`src/fast.rs`), and `comments_bail`: those it hands to html5ever;
//! * `pages`: the 258 pages of `$BORAX_CORPUS/pages`, borax
//!   `Policy::relaxed()`, ammonia given the very same element/attribute lists
//!   (not ammonia's own defaults) and the same `user-content-` id prefix;
//! * `hostile`: each family of `tools/adversarial.py` at n and 10 n, borax
//!   only (input limit raised to 64 MiB). `attrs_many` is refused by design
//!   (`TooManyAttributes`, > 512 attributes in one tag), so it measures how
//!   fast the refusal is.
//!
//! A missing corpus prints a message and skips its groups.

#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};

fn corpus_group(
    c: &mut Criterion,
    group: &str,
    docs: &[String],
    borax: &borax::Policy,
    ammonia: &ammonia::Builder<'static>,
    samples: usize,
    secs: u64,
) {
    let bytes = support::total_bytes(docs) as u64;
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(samples);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(secs));
    if samples <= 10 {
        g.sampling_mode(SamplingMode::Flat);
    }
    g.bench_function("borax", |b| {
        b.iter(|| {
            for d in docs {
                black_box(borax.clean(black_box(d)));
            }
        })
    });
    g.bench_function("ammonia", |b| {
        b.iter(|| {
            for d in docs {
                black_box(ammonia.clean(black_box(d)).to_string());
            }
        })
    });
    g.finish();
}

fn corpora(c: &mut Criterion) {
    let comments = borax::Policy::comments();
    let a_comments = support::ammonia_comments();
    match support::comments() {
        Some(all) => {
            corpus_group(c, "comments", &all, &comments, &a_comments, 30, 5);
            let plain = support::plain_comments(&all);
            corpus_group(c, "comments_text", &plain, &comments, &a_comments, 30, 3);
            let (fast, bail) = support::fast_parser_split(&all, &comments);
            corpus_group(c, "comments_fast", &fast, &comments, &a_comments, 30, 5);
            corpus_group(c, "comments_bail", &bail, &comments, &a_comments, 30, 3);
        }
        None => eprintln!("comments, comments_text: corpus missing, groups skipped"),
    }
    match support::pages() {
        Some(pages) => {
            let relaxed = borax::Policy::relaxed();
            let a_relaxed = support::ammonia_relaxed();
            corpus_group(c, "pages", &pages, &relaxed, &a_relaxed, 10, 8);
        }
        None => eprintln!("pages: corpus missing, group skipped"),
    }
}

fn hostile(c: &mut Criterion) {
    let policy = support::borax_hostile();
    let mut g = c.benchmark_group("hostile");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    for f in support::FAMILIES {
        for n in [f.n, f.n * 10] {
            let input = (f.gen)(n);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_with_input(BenchmarkId::new(f.name, n), &input, |b, input| {
                b.iter(|| black_box(policy.try_clean(black_box(input))))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, corpora, hostile);
criterion_main!(benches);
