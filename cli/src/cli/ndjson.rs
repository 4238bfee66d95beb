//! `--ndjson`: one JSON document per line, cleaned in parallel.
//!
//! A reader thread reads the input into buffers of about [`BLOCK`] bytes,
//! cuts them into chunks of whole lines (at most [`CHUNK_LINES`]) and hands
//! them over a channel
//! that holds two; the chunk is cleaned on the thread pool with `par_iter`
//! and written in order. Memory stays bounded by a few chunks whatever the
//! input's size; a line over the size limit is never held whole.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use borax::Report;
use indicatif::{HumanBytes, HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::files::{Input, TempFile};
use super::{progress_wanted, Ctx, Dest, Fail, ReportSink, Sinks};

/// With the `ndjson-timing` feature: nanoseconds spent per phase, summed
/// over all lines and threads, printed at exit.
#[cfg(feature = "ndjson-timing")]
pub(super) mod timing {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Instant;

    pub(crate) static JSON_IN: AtomicU64 = AtomicU64::new(0);
    pub(crate) static CLEAN: AtomicU64 = AtomicU64::new(0);
    pub(crate) static JSON_OUT: AtomicU64 = AtomicU64::new(0);

    pub(crate) fn add(counter: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        counter.fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }

    pub(crate) fn print() {
        let ms = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e6;
        eprintln!(
            "ndjson-timing: json in {:.1} ms, clean {:.1} ms, json out {:.1} ms",
            ms(&JSON_IN),
            ms(&CLEAN),
            ms(&JSON_OUT)
        );
    }
}

/// Time a phase (no-op without the `ndjson-timing` feature).
macro_rules! phase {
    ($t:ident, $counter:ident) => {
        #[cfg(feature = "ndjson-timing")]
        {
            $t = timing::add(&timing::$counter, $t);
        }
    };
}

/// Most lines in a chunk.
const CHUNK_LINES: usize = 4096;
/// Chunks waiting between the reader and the cleaners.
const CHUNKS_AHEAD: usize = 2;

/// Clean one NDJSON input; `Ok(changed)`.
pub(super) fn process(
    ctx: &Ctx<'_>,
    input: &Input,
    name: &str,
    dest: Dest<'_>,
    sinks: &mut Sinks,
) -> Result<bool, Fail> {
    let (reader, size) = input.open()?;
    let bar = progress_wanted(ctx.args).then(|| progress_bar(name, size));
    let result = match dest {
        Dest::Stdout => {
            let (out, report) = sinks.split(true);
            let out = out.expect("standard output is free");
            let out_err = |e| Fail::output("standard output", e);
            stream(ctx, name, reader, size, out, &out_err, report, bar.as_ref())
        }
        Dest::Check => {
            let (_, report) = sinks.split(false);
            stream(
                ctx,
                name,
                reader,
                size,
                &mut io::sink(),
                &|e| Fail::Io(e.to_string()),
                report,
                bar.as_ref(),
            )
        }
        Dest::Replace(path) | Dest::Output(path) => {
            let replacing = matches!(dest, Dest::Replace(_));
            let mut tmp = TempFile::create(path, replacing)?;
            let shown = path.display().to_string();
            let out_err = |e| Fail::Io(format!("{shown}: writing: {e}"));
            let (_, report) = sinks.split(false);
            let outcome = stream(
                ctx,
                name,
                reader,
                size,
                tmp.writer(),
                &out_err,
                report,
                bar.as_ref(),
            );
            match outcome {
                // A rewrite that would drop skipped lines is not done.
                Ok(o) if replacing && o.skipped > 0 => Ok(o),
                Ok(o) if replacing && !o.changed => Ok(o),
                Ok(o) => tmp.commit().map(|()| o),
                Err(e) => Err(e),
            }
        }
    };
    if let Some(bar) = &bar {
        match result {
            Ok(_) => bar.finish(),
            Err(_) => bar.abandon(),
        }
    }
    let outcome = result?;
    if outcome.skipped > 0 {
        let s = if outcome.skipped == 1 { "" } else { "s" };
        let kept = if ctx.args.write {
            "; file left unchanged"
        } else {
            ""
        };
        return Err(Fail::Data(format!(
            "{name}: skipped {} invalid line{s}{kept}",
            outcome.skipped
        )));
    }
    Ok(outcome.changed)
}

fn progress_bar(name: &str, size: Option<u64>) -> ProgressBar {
    // The statistics go in the prefix, the input's name in the message,
    // which `wide_msg` cuts to the terminal's width.
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} {human_pos} lines, {prefix} [{elapsed}] {wide_msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_message(name.to_owned());
    update_bar(&bar, 0, size);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn update_bar(bar: &ProgressBar, done: u64, size: Option<u64>) {
    let secs = bar.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        (bar.position() as f64 / secs) as u64
    } else {
        0
    };
    let bytes = match size {
        Some(total) if total > 0 => format!(
            "{} of {} ({}%)",
            HumanBytes(done),
            HumanBytes(total),
            done.min(total) * 100 / total
        ),
        _ => HumanBytes(done).to_string(),
    };
    bar.set_prefix(format!("{} lines/s, {bytes}", HumanCount(rate)));
}

/// What streaming one input did.
struct Outcome {
    /// Some line's output differs from its input.
    changed: bool,
    /// Lines left out under `--skip-invalid`.
    skipped: u64,
}

#[allow(clippy::too_many_arguments)]
fn stream(
    ctx: &Ctx<'_>,
    name: &str,
    reader: Box<dyn Read + Send>,
    size: Option<u64>,
    out: &mut dyn Write,
    out_err: &dyn Fn(io::Error) -> Fail,
    mut report: Option<ReportSink<'_>>,
    bar: Option<&ProgressBar>,
) -> Result<Outcome, Fail> {
    let args = ctx.args;
    let pool = ctx.pool.as_ref().expect("a pool for --ndjson");
    let limit = ctx.policy.max_input_bytes();
    // Input that arrives slowly (a pipe) is passed on line by line as it comes.
    let eager = size.is_none();
    let (tx, rx) = mpsc::sync_channel(CHUNKS_AHEAD);
    // Written chunks go back to the reader, which refills them: their
    // buffers are allocated (and their pages faulted in) once, not per
    // chunk.
    let (spare_tx, spare_rx) = mpsc::channel::<Chunk>();
    // Not joined: on an error we stop listening, and the reader stops at its
    // next send (or with the process).
    thread::spawn(move || read_chunks(reader, limit, eager, &tx, &spare_rx));

    let opts = LineOptions {
        field: args.field.as_deref(),
        lossy: args.lossy,
        report: ctx.reporting(),
        limit,
    };
    let mut outcome = Outcome {
        changed: false,
        skipped: 0,
    };
    for msg in rx {
        let chunk = msg.map_err(|e| Fail::Io(format!("{name}: {e}")))?;
        let clean = |l: &Line| clean_line(&ctx.policy, &opts, &chunk.data, l);
        // One job: cleaned here, without two thread switches per chunk.
        let results: Vec<Cleaned> = if pool.current_num_threads() == 1 {
            chunk.lines.iter().map(clean).collect()
        } else {
            pool.install(|| chunk.lines.par_iter().map(clean).collect())
        };
        // Unchanged lines are written together, terminators included (they
        // are in `data`), straight from the chunk: one write per run of
        // lines, not two per line.
        let coalesce = report.is_none();
        let mut run = 0..0;
        for (line, res) in chunk.lines.iter().zip(results) {
            let term: &[u8] = if line.crlf { b"\r\n" } else { b"\n" };
            if coalesce && line.newline && matches!(res.out, Out::Same) {
                let end = line.end + term.len();
                if run.is_empty() {
                    run = line.start..end;
                } else if run.end == line.start {
                    run.end = end;
                } else {
                    out.write_all(&chunk.data[run.clone()]).map_err(out_err)?;
                    run = line.start..end;
                }
                continue;
            }
            if !run.is_empty() {
                out.write_all(&chunk.data[run.clone()]).map_err(out_err)?;
                run = 0..0;
            }
            match res.out {
                Out::Same => out.write_all(&chunk.data[line.start..line.end]),
                Out::Changed(bytes) => {
                    outcome.changed = true;
                    out.write_all(&bytes)
                }
                Out::Invalid(why) => {
                    let msg = format!("{name}: line {}: {why}", line.number);
                    if !args.skip_invalid {
                        out.flush().map_err(out_err)?;
                        return Err(Fail::Data(msg));
                    }
                    outcome.changed = true;
                    outcome.skipped += 1;
                    let say = || eprintln!("borax: {msg} (skipped)");
                    match bar {
                        Some(b) => b.suspend(say),
                        None => say(),
                    }
                    continue;
                }
            }
            .and_then(|()| out.write_all(term))
            .map_err(out_err)?;
            if let (Some(sink), Some(r)) = (report.as_mut(), res.report) {
                sink.write(name, Some(line.number), &r)?;
            }
        }
        if !run.is_empty() {
            out.write_all(&chunk.data[run]).map_err(out_err)?;
        }
        if eager {
            out.flush().map_err(out_err)?;
        }
        if let Some(bar) = bar {
            bar.inc(chunk.lines.len() as u64);
            update_bar(bar, chunk.end_offset, size);
        }
        // The reader may have finished: then the chunk is just dropped.
        let _ = spare_tx.send(chunk);
    }
    out.flush().map_err(out_err)?;
    #[cfg(feature = "ndjson-timing")]
    timing::print();
    Ok(outcome)
}

/// Some lines of the input, read straight into one buffer: each line is
/// followed there by its line terminator, when it had one and was kept.
struct Chunk {
    /// The input's bytes as read. Always fully initialised (it is zeroed
    /// once when it grows, never per read); only the lines' ranges mean
    /// anything.
    data: Vec<u8>,
    lines: Vec<Line>,
    /// Input offset just past the chunk's last line.
    end_offset: u64,
}

/// One line: `data[start..end]`, without its line terminator.
struct Line {
    /// 1-based.
    number: u64,
    /// Input offset of the line's first byte.
    offset: u64,
    start: usize,
    end: usize,
    /// Ended with `\r\n` (kept so in the output).
    crlf: bool,
    /// Had a line terminator, which follows it in the chunk's data.
    newline: bool,
    /// The line was over the limit: its length, and nothing kept.
    too_long: Option<u64>,
}

/// Bytes a chunk's buffer starts with, and most reads ask for.
const BLOCK: usize = 256 << 10;

/// Cuts what a reader gives into chunks of whole lines. Reads go straight
/// into the chunk's buffer, and a line cut by the end of a buffer is moved
/// to the front of the next one; a line over `limit` is counted as it
/// streams past and never held (its bytes are overwritten).
struct Splitter<R> {
    r: R,
    limit: usize,
    /// Pass on whole lines after every read (a pipe: lines as they come).
    eager: bool,
    /// Lines so far.
    number: u64,
    /// Input offset of the next line's first byte.
    offset: u64,
    /// The unfinished line at the end of the last chunk: it is moved to
    /// the front of the next chunk's buffer.
    carry: Vec<u8>,
    /// In a line over the limit: its bytes so far, none kept.
    skipping: Option<u64>,
    eof: bool,
    /// [`BLOCK`] (smaller in tests, to cross buffer ends often).
    block: usize,
}

impl<R: Read> Splitter<R> {
    fn new(r: R, limit: usize, eager: bool) -> Self {
        Splitter {
            r,
            limit,
            eager,
            number: 0,
            offset: 0,
            carry: Vec::new(),
            skipping: None,
            eof: false,
            block: BLOCK,
        }
    }

    /// Fill `chunk` with the next lines: `Ok(false)` when the input had
    /// none left. On a read error the chunk keeps the whole lines read
    /// before it (the caller sends them, then the error).
    fn fill(&mut self, chunk: &mut Chunk) -> io::Result<bool> {
        chunk.lines.clear();
        chunk.end_offset = self.offset;
        if self.eof {
            return Ok(false);
        }
        let block = self.block;
        // Room for the carried line and at least half a block more.
        let room = block.max(self.carry.len() + block / 2);
        if chunk.data.len() < room {
            chunk.data.resize(room, 0);
        }
        let mut filled = self.carry.len();
        chunk.data[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        // The next line's first byte, and how far it was searched for `\n`.
        let (mut line, mut searched) = (0usize, 0usize);
        loop {
            // Whole lines in data[line..filled].
            while let Some(i) = memchr::memchr(b'\n', &chunk.data[searched..filled]) {
                let nl = searched + i;
                self.push_line(chunk, line, nl, true);
                line = nl + 1;
                searched = line;
                if chunk.lines.len() == CHUNK_LINES {
                    break;
                }
            }
            if chunk.lines.len() == CHUNK_LINES {
                break;
            }
            searched = filled;
            // The unfinished line, when over the limit already, stops being
            // kept (room for a `\r` before the `\n`).
            let partial = (filled - line) as u64 + self.skipping.unwrap_or(0);
            if partial > self.limit as u64 + 1 {
                self.skipping = Some(partial);
                filled = line;
                searched = line;
            }
            if !chunk.lines.is_empty() && (self.eager || filled >= block) {
                break;
            }
            if filled == chunk.data.len() {
                // One unfinished line fills the buffer: grow it (the line is
                // at most `limit` + 1 bytes, past that it is skipped).
                let grown = chunk.data.len() * 2;
                chunk.data.resize(grown, 0);
            }
            let n = match self.r.read(&mut chunk.data[filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.eof = true;
                    return Err(e);
                }
            };
            if n == 0 {
                self.eof = true;
                if filled > line || self.skipping.is_some() {
                    self.push_line(chunk, line, filled, false);
                }
                return Ok(!chunk.lines.is_empty());
            }
            filled += n;
        }
        self.carry.extend_from_slice(&chunk.data[line..filled]);
        Ok(true)
    }

    /// Record the line `data[start..end]`, which ends with a `\n` at `end`
    /// when `newline`.
    fn push_line(&mut self, chunk: &mut Chunk, start: usize, end: usize, newline: bool) {
        self.number += 1;
        let skipped = self.skipping.take();
        let len = skipped.unwrap_or(0) + (end - start) as u64;
        let crlf = newline && skipped.is_none() && end > start && chunk.data[end - 1] == b'\r';
        let content = len - u64::from(crlf);
        let too_long = (skipped.is_some() || content > self.limit as u64).then_some(len);
        let kept = too_long.is_none();
        chunk.lines.push(Line {
            number: self.number,
            offset: self.offset,
            start,
            end: if kept { end - usize::from(crlf) } else { start },
            crlf: kept && crlf,
            newline: kept && newline,
            too_long,
        });
        self.offset += len + u64::from(newline);
        chunk.end_offset = self.offset;
    }
}

fn read_chunks<R: Read>(
    r: R,
    limit: usize,
    eager: bool,
    tx: &mpsc::SyncSender<io::Result<Chunk>>,
    spare: &mpsc::Receiver<Chunk>,
) {
    let mut split = Splitter::new(r, limit, eager);
    loop {
        let mut chunk = spare.try_recv().unwrap_or_else(|_| Chunk {
            data: Vec::new(),
            lines: Vec::with_capacity(CHUNK_LINES),
            end_offset: 0,
        });
        match split.fill(&mut chunk) {
            Ok(true) => {
                if tx.send(Ok(chunk)).is_err() {
                    return;
                }
            }
            Ok(false) => return,
            Err(e) => {
                if !chunk.lines.is_empty() && tx.send(Ok(chunk)).is_err() {
                    return;
                }
                let _ = tx.send(Err(e));
                return;
            }
        }
    }
}

thread_local! {
    /// Decoded JSON strings, one buffer per cleaning thread.
    static DECODED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

struct LineOptions<'a> {
    field: Option<&'a str>,
    lossy: bool,
    report: bool,
    limit: usize,
}

/// A cleaned line.
struct Cleaned {
    out: Out,
    report: Option<Report>,
}

enum Out {
    /// Copy the input line.
    Same,
    /// Write these bytes instead.
    Changed(Vec<u8>),
    /// A malformed line, and why.
    Invalid(String),
}

fn clean_line(policy: &borax::Policy, opts: &LineOptions<'_>, data: &[u8], line: &Line) -> Cleaned {
    match try_clean_line(policy, opts, data, line) {
        Ok(c) => c,
        Err(why) => Cleaned {
            out: Out::Invalid(why),
            report: None,
        },
    }
}

fn try_clean_line(
    policy: &borax::Policy,
    opts: &LineOptions<'_>,
    data: &[u8],
    line: &Line,
) -> Result<Cleaned, String> {
    if let Some(len) = line.too_long {
        let limit = opts.limit;
        return Err(format!(
            "line is {len} bytes, over the limit of {limit} bytes (see --max-input-bytes)"
        ));
    }
    #[cfg(feature = "ndjson-timing")]
    #[allow(unused_assignments)]
    let mut t = std::time::Instant::now();
    let bytes = &data[line.start..line.end];
    // simdutf8 checks a valid line several times faster than std; std says
    // where an invalid one goes wrong.
    let (text, repaired) =
        match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) if opts.lossy => (String::from_utf8_lossy(bytes), true),
            Err(e) => {
                return Err(format!(
                    "invalid UTF-8 at byte offset {} (--lossy replaces it with U+FFFD)",
                    line.offset + e.valid_up_to() as u64
                ))
            }
        };
    // The cleaned HTML, borrowed back when nothing changed (no second pass
    // to compare, no copy).
    let clean = |html: &'_ str| -> Result<(Option<String>, Option<Report>), String> {
        if opts.report {
            policy
                .clean_with_report(html)
                .map(|(s, r)| ((s != html).then_some(s), Some(r)))
        } else {
            policy.try_clean_cow(html).map(|c| match c {
                Cow::Borrowed(_) => (None, None),
                Cow::Owned(s) => (Some(s), None),
            })
        }
        .map_err(|e| e.to_string())
    };
    match opts.field {
        None => {
            // Most lines are strings without escapes: their HTML is the
            // line's own bytes between the quotes.
            // Most lines are strings without escapes: their HTML is the
            // line's own bytes between the quotes. Others are decoded into
            // a buffer the thread keeps (serde_json says what is wrong with
            // a line that does not decode).
            DECODED.with(|buf| {
                let mut buf = buf.borrow_mut();
                let buf = &mut *buf;
                let value: &str = match json_string_value(&text, buf) {
                    JsonString::Plain(s) => s,
                    JsonString::Decoded => buf,
                    JsonString::Invalid => {
                        *buf = serde_json::from_str(&text).map_err(|e| {
                            surrogate_error(&text, &e)
                                .unwrap_or_else(|| json_error(&e, "a JSON string"))
                        })?;
                        buf
                    }
                };
                phase!(t, JSON_IN);
                let (cleaned, report) = clean(value)?;
                phase!(t, CLEAN);
                let out = match cleaned {
                    None if !repaired => Out::Same,
                    None => Out::Changed(json_string(value)),
                    Some(c) => Out::Changed(json_string(&c)),
                };
                phase!(t, JSON_OUT);
                Ok(Cleaned { out, report })
            })
        }
        Some(field) => {
            let Members(members) = serde_json::from_str(&text).map_err(|e| {
                surrogate_error(&text, &e).unwrap_or_else(|| json_error(&e, "a JSON object"))
            })?;
            let mut found = false;
            let mut changed = repaired;
            let mut report: Option<Report> = None;
            let mut values: Vec<Option<Vec<u8>>> = Vec::with_capacity(members.len());
            for (key, value) in &members {
                let key: Cow<'_, str> = serde_json::from_str(key.get()).map_err(|e| {
                    match lone_surrogate_in(&text, key.get()) {
                        Some(why) => format!("a key: {why}"),
                        None => e.to_string(),
                    }
                })?;
                if key != field {
                    values.push(None);
                    continue;
                }
                found = true;
                if value.get() == "null" {
                    values.push(None);
                    continue;
                }
                let mut decoded = String::new();
                let html: Cow<'_, str> = match plain_json_string(value.get()) {
                    Some(s) => Cow::Borrowed(s),
                    None if decode_json_string(value.get(), &mut decoded).is_some() => {
                        Cow::Owned(decoded)
                    }
                    None => Cow::Owned(serde_json::from_str(value.get()).map_err(|_| {
                        // The value passed as raw JSON; a string that does
                        // not decode holds a lone surrogate escape.
                        match lone_surrogate_in(&text, value.get()) {
                            Some(why) => format!("field `{field}`: {why}"),
                            None => format!("field `{field}` is not a string (nor null)"),
                        }
                    })?),
                };
                let (cleaned, r) = clean(&html)?;
                if let Some(r) = r {
                    match &mut report {
                        None => report = Some(r),
                        Some(all) => all.removals.extend(r.removals),
                    }
                }
                match cleaned {
                    None => values.push(None),
                    Some(c) => {
                        changed = true;
                        values.push(Some(json_string(&c)));
                    }
                }
            }
            if !found {
                return Err(format!("no field `{field}`"));
            }
            if !changed {
                return Ok(Cleaned {
                    out: Out::Same,
                    report,
                });
            }
            let mut out = Vec::with_capacity(text.len() + 16);
            out.push(b'{');
            for (i, ((key, value), new)) in members.iter().zip(&values).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(key.get().as_bytes());
                out.push(b':');
                out.extend_from_slice(new.as_deref().unwrap_or(value.get().as_bytes()));
            }
            out.push(b'}');
            Ok(Cleaned {
                out: Out::Changed(out),
                report,
            })
        }
    }
}

/// The first byte at or after `from` that a JSON string must escape (`"`,
/// `\\`, a control character), eight bytes at a time.
fn find_json_special(b: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let mut i = from;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let v = u64::from_le_bytes(w);
        // A byte below 0x20, or equal to `"` or `\\`.
        let hit = (v.wrapping_sub(LO * 0x20) & !v & HI)
            | has_zero(v ^ (LO * u64::from(b'"')))
            | has_zero(v ^ (LO * u64::from(b'\\')));
        if hit != 0 {
            break;
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
        .map(|p| i + p)
}

/// The value of a JSON string written without escapes: `"..."` (JSON
/// whitespace around it allowed) holding no `"`, `\\` or control character.
/// `None` for anything else, which is decoded or rejected elsewhere.
fn plain_json_string(json: &str) -> Option<&str> {
    let t = json.trim_matches([' ', '\t', '\n', '\r']);
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    find_json_special(inner.as_bytes(), 0)
        .is_none()
        .then_some(inner)
}

/// A JSON string read by [`json_string_value`].
enum JsonString<'a> {
    /// No escapes: the value is this slice of the line.
    Plain(&'a str),
    /// Decoded into the buffer.
    Decoded,
    /// Not a JSON string (malformed, a lone surrogate): serde_json says why.
    Invalid,
}

/// The value of the JSON string `json` (JSON whitespace around it allowed),
/// as serde_json reads it: borrowed from `json` when it has no escapes,
/// else decoded into `buf`. One pass.
fn json_string_value<'a>(json: &'a str, buf: &mut String) -> JsonString<'a> {
    let t = json.trim_matches([' ', '\t', '\n', '\r']);
    let Some(inner) = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return JsonString::Invalid;
    };
    match find_json_special(inner.as_bytes(), 0) {
        None => JsonString::Plain(inner),
        Some(first) => match decode_escaped(inner, first, buf) {
            Some(()) => JsonString::Decoded,
            None => JsonString::Invalid,
        },
    }
}

/// Decode the JSON string `json` (JSON whitespace around it allowed) into
/// `out`, as serde_json would; `None` when it is not one.
fn decode_json_string(json: &str, out: &mut String) -> Option<()> {
    let t = json.trim_matches([' ', '\t', '\n', '\r']);
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    match find_json_special(inner.as_bytes(), 0) {
        None => {
            out.clear();
            out.push_str(inner);
            Some(())
        }
        Some(first) => decode_escaped(inner, first, out),
    }
}

/// Decode `inner` (a JSON string's content) into `out`; `first` is the
/// position of its first `"`, `\\` or control character.
fn decode_escaped(inner: &str, first: usize, out: &mut String) -> Option<()> {
    let b = inner.as_bytes();
    out.clear();
    out.reserve(b.len());
    let hex4 = |at: usize| -> Option<u32> {
        let h = inner.get(at..at + 4)?;
        if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(h, 16).ok()
    };
    let mut start = 0;
    let mut next = Some(first);
    while let Some(i) = next {
        out.push_str(&inner[start..i]);
        if b[i] != b'\\' {
            // A raw `"` or control character: not a (single) string.
            return None;
        }
        let (c, len) = match *b.get(i + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let u = hex4(i + 2)?;
                match u {
                    0xd800..=0xdbff => {
                        // A high surrogate must be followed by a low one.
                        if b.get(i + 6..i + 8) != Some(b"\\u") {
                            return None;
                        }
                        let low = hex4(i + 8)?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return None;
                        }
                        let c = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
                        (char::from_u32(c)?, 12)
                    }
                    0xdc00..=0xdfff => return None,
                    _ => (char::from_u32(u)?, 6),
                }
            }
            _ => return None,
        };
        out.push(c);
        start = i + len;
        next = find_json_special(b, start);
    }
    out.push_str(&inner[start..]);
    Some(())
}

/// `s` as a compact JSON string, escaped as serde_json does (`"`, `\\` and
/// control characters only).
fn json_string(s: &str) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() + b.len() / 16 + 8);
    out.push(b'"');
    let mut start = 0;
    while let Some(i) = find_json_special(b, start) {
        out.extend_from_slice(&b[start..i]);
        let c = b[i];
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 0xf)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
    out
}

fn json_error(e: &serde_json::Error, expected: &str) -> String {
    use serde_json::error::Category;
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    match e.classify() {
        Category::Eof if e.column() == 0 => format!("empty line: expected {expected}"),
        Category::Syntax | Category::Eof => {
            format!("malformed JSON at column {}: {msg}", e.column())
        }
        Category::Data | Category::Io => format!("expected {expected}: {msg}"),
    }
}

/// The first `\uXXXX` escape inside a string of the JSON text `json` that
/// is a lone surrogate (a high one not followed by a low one, or a low one
/// alone): its byte offset and the escape as written. JSON text must be
/// Unicode, so such a string has no value; serde_json's own messages for it
/// ("unexpected end of hex escape", "lone leading surrogate" for a trailing
/// one) do not say so.
fn lone_surrogate(json: &str) -> Option<(usize, &str)> {
    let b = json.as_bytes();
    let escape = |i: usize| -> Option<u16> {
        let hex = b.get(i + 2..i + 6)?;
        if b.get(i + 1) != Some(&b'u') || !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let found = |i: usize| Some((i, &json[i..i + 6]));
    let mut in_string = false;
    // Offset of a high surrogate escape still waiting for its low half.
    let mut high: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        if !in_string {
            in_string = b[i] == b'"';
            i += 1;
            continue;
        }
        let unicode = if b[i] == b'\\' { escape(i) } else { None };
        match unicode {
            Some(0xdc00..=0xdfff) if high.is_some() => high = None,
            Some(0xdc00..=0xdfff) => return found(i),
            _ if high.is_some() => return high.and_then(found),
            Some(0xd800..=0xdbff) => high = Some(i),
            _ => {}
        }
        i += match (b[i], unicode) {
            (b'\\', Some(_)) => 6,
            (b'\\', None) => 2,
            (b'"', _) => {
                in_string = false;
                1
            }
            _ => 1,
        };
    }
    high.and_then(found)
}

/// `part` (a slice of the line `line`) holds a lone surrogate: say so,
/// with its column in the line.
fn lone_surrogate_in(line: &str, part: &str) -> Option<String> {
    let (at, escape) = lone_surrogate(part)?;
    let start = (part.as_ptr() as usize)
        .checked_sub(line.as_ptr() as usize)
        .filter(|s| *s <= line.len())
        .unwrap_or(0);
    Some(format!(
        "invalid JSON string: lone surrogate {escape} at column {}",
        start + at + 1
    ))
}

/// The line failed to parse at `e`: because of a lone surrogate escape
/// before that point?
fn surrogate_error(line: &str, e: &serde_json::Error) -> Option<String> {
    let (at, _) = lone_surrogate(line)?;
    (e.line() == 1 && at < e.column())
        .then(|| lone_surrogate_in(line, line))
        .flatten()
}

/// An object's members, keys and values as written.
struct Members<'a>(Vec<(&'a RawValue, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = map.next_key::<&'de RawValue>()? {
                    v.push((k, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(v))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// (kept text, length when too long, crlf, newline, number, offset) of
    /// every line, read `step` bytes at a time; checks that each kept
    /// line's terminator follows it in the chunk, and the chunks' offsets.
    #[allow(clippy::type_complexity)]
    fn lines_by(
        input: &[u8],
        limit: usize,
        step: usize,
        eager: bool,
    ) -> Vec<(String, Option<u64>, bool, bool, u64, u64)> {
        lines_in_blocks(input, limit, step, eager, BLOCK)
    }

    #[allow(clippy::type_complexity)]
    fn lines_in_blocks(
        input: &[u8],
        limit: usize,
        step: usize,
        eager: bool,
        block: usize,
    ) -> Vec<(String, Option<u64>, bool, bool, u64, u64)> {
        let mut split = Splitter::new(Trickle { data: input, step }, limit, eager);
        split.block = block;
        let mut chunk = Chunk {
            data: Vec::new(),
            lines: Vec::new(),
            end_offset: 0,
        };
        let (mut v, mut end) = (Vec::new(), 0u64);
        while split.fill(&mut chunk).unwrap() {
            for l in &chunk.lines {
                let text = String::from_utf8_lossy(&chunk.data[l.start..l.end]).into_owned();
                if l.newline {
                    let term: &[u8] = if l.crlf { b"\r\n" } else { b"\n" };
                    assert_eq!(&chunk.data[l.end..l.end + term.len()], term);
                }
                v.push((text, l.too_long, l.crlf, l.newline, l.number, l.offset));
            }
            // Each chunk ends where the next begins; the last at the end.
            assert_eq!(chunk.lines[0].offset, end);
            end = chunk.end_offset;
        }
        assert_eq!(end, input.len() as u64);
        v
    }

    /// What [`lines_by`] must give, from a plain split on `\n`.
    #[allow(clippy::type_complexity)]
    fn lines_expected(
        input: &[u8],
        limit: usize,
    ) -> Vec<(String, Option<u64>, bool, bool, u64, u64)> {
        let mut v = Vec::new();
        let mut offset = 0u64;
        let mut pieces: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
        let ends_with_newline = pieces.last().is_some_and(|p| p.is_empty());
        if ends_with_newline {
            pieces.pop();
        }
        let n = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            let newline = i + 1 < n || ends_with_newline;
            let crlf = newline && piece.last() == Some(&b'\r');
            let len = piece.len() as u64;
            let item = if len - u64::from(crlf) > limit as u64 {
                (String::new(), Some(len), false, false)
            } else {
                let text = &piece[..piece.len() - usize::from(crlf)];
                (
                    String::from_utf8_lossy(text).into_owned(),
                    None,
                    crlf,
                    newline,
                )
            };
            v.push((item.0, item.1, item.2, item.3, i as u64 + 1, offset));
            offset += len + u64::from(newline);
        }
        v
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        /// Any input, read any number of bytes at a time into buffers of any
        /// size, is cut into the lines a plain split gives.
        #[test]
        fn the_splitter_cuts_lines_as_a_plain_split(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "bc", "\n", "\r", "\r\n", "defghijklmnop", "\n\n",
            ]), 0..80),
            limit in 0usize..12,
            step in 1usize..20,
            block in 1usize..24,
            eager: bool,
        ) {
            let input = pieces.concat();
            proptest::prop_assert_eq!(
                lines_in_blocks(input.as_bytes(), limit, step, eager, block),
                lines_expected(input.as_bytes(), limit)
            );
        }
    }

    #[test]
    fn lines_are_cut_and_capped() {
        for step in [1, 2, 3, 5, 4096] {
            for eager in [false, true] {
                let v = lines_by(b"ab\r\nlonger line\n\nlast", 5, step, eager);
                assert_eq!(
                    v,
                    vec![
                        ("ab".into(), None, true, true, 1, 0),
                        ("".into(), Some(11), false, false, 2, 4),
                        ("".into(), None, false, true, 3, 16),
                        ("last".into(), None, false, false, 4, 17),
                    ],
                    "step {step}, eager {eager}"
                );
            }
        }
    }

    #[test]
    fn limit_counts_content_not_cr() {
        for step in [1, 3, 4096] {
            let v = lines_by(b"12345\r\n123456\r\n12345\r", 5, step, false);
            assert_eq!(v[0].1, None);
            assert_eq!(v[1].1, Some(7));
            // Without a `\n`, a final `\r` is content.
            assert_eq!(v[2].1, Some(6));
        }
    }

    #[test]
    fn lines_longer_than_a_buffer_and_many_short_lines() {
        // A kept line of three buffers, lines over the limit of any length,
        // and more short lines than a chunk holds.
        let long = "x".repeat(3 * BLOCK);
        let mut input = format!("{long}\n{long}y\n");
        for i in 0..(CHUNK_LINES * 2 + 7) {
            input.push_str(&format!("{i}\n"));
        }
        input.push_str(&"z".repeat(BLOCK + 3));
        for step in [BLOCK / 3 + 1, 4 * BLOCK] {
            let v = lines_by(input.as_bytes(), 3 * BLOCK, step, false);
            assert_eq!(v.len(), 2 + CHUNK_LINES * 2 + 7 + 1);
            assert_eq!(v[0].0, long);
            assert_eq!(v[1].1, Some(3 * BLOCK as u64 + 1));
            assert_eq!(v[1].5, 3 * BLOCK as u64 + 1);
            for (i, l) in v[2..v.len() - 1].iter().enumerate() {
                assert_eq!(l.0, i.to_string());
                assert_eq!(l.4, i as u64 + 3);
            }
            let last = v.last().unwrap();
            assert_eq!((last.0.len(), last.3), (BLOCK + 3, false));
        }
    }

    #[test]
    fn lone_surrogates_are_found_in_strings_only() {
        let at = |s: &str| lone_surrogate(s).map(|(i, e)| (i, e.to_owned()));
        assert_eq!(at(r#""\ud800""#), Some((1, r"\ud800".into())));
        assert_eq!(at(r#""ab\uDC00""#), Some((3, r"\uDC00".into())));
        assert_eq!(at(r#""\ud800\u0041""#), Some((1, r"\ud800".into())));
        assert_eq!(at(r#""\ud800\ud800\udc00""#), Some((1, r"\ud800".into())));
        assert_eq!(at(r#""\ud800x""#), Some((1, r"\ud800".into())));
        assert_eq!(at(r#"{"a": "\\ud800", "b": "\ud83d\ude00"}"#), None);
        assert_eq!(at(r#"{"k": 1, "\udfff": 2}"#), Some((10, r"\udfff".into())));
        assert_eq!(at(r#"\ud800 "x""#), None, "outside a string");
        assert_eq!(at(r#""é\ud800""#), Some((3, r"\ud800".into())));
        assert_eq!(at(r#""\u+800""#), None);
        assert_eq!(at(r#""\ud8"#), None);
    }

    #[test]
    fn json_strings_read_and_write_like_serde_json() {
        let samples = [
            "",
            "a",
            "<b>x</b>",
            "é😀",
            "\"",
            "\\",
            "\n\r\t",
            "\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "\u{2028}",
            "a\"b\\c\u{0}d",
            "</script>",
        ];
        for s in samples {
            let json = json_string(s);
            assert_eq!(json, serde_json::to_vec(s).unwrap(), "{s:?}");
            let text = std::str::from_utf8(&json).unwrap();
            let back: String = serde_json::from_str(text).unwrap();
            assert_eq!(back, s);
            if let Some(plain) = plain_json_string(text) {
                assert_eq!(plain, s);
            }
        }
        assert_eq!(plain_json_string(" \"a b\"\r"), Some("a b"));
        assert_eq!(plain_json_string("\"a\\nb\""), None);
        assert_eq!(
            plain_json_string("\"a\tb\""),
            None,
            "raw control: serde's error"
        );
        assert_eq!(plain_json_string("\"a\" x"), None);
        assert_eq!(plain_json_string("\""), None);
        assert_eq!(plain_json_string("\"a\"\"b\""), None);
        assert_eq!(plain_json_string("\"\""), Some(""));
    }

    #[test]
    fn json_strings_decode_like_serde_json() {
        let lines = [
            r#""a\nb""#,
            r#" "\"\\\/\b\f\n\r\t" "#,
            r#""\u00e9\u00E9\ud83d\ude00\u0000""#,
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\ud800\u0041""#,
            r#""\x""#,
            r#""\u12""#,
            r#""a"b""#,
            r#""a" "#,
            r#""tab	raw""#,
            r#""unterminated"#,
            r#"{"a":1}"#,
            r#""é\u00e9é""#,
        ];
        let mut buf = String::new();
        for line in lines {
            let serde: Result<String, _> = serde_json::from_str(line);
            match decode_json_string(line, &mut buf) {
                Some(()) => assert_eq!(Some(&buf), serde.as_ref().ok(), "{line}"),
                None => assert!(serde.is_err(), "{line}: serde reads it, we do not"),
            }
        }
        // Every byte position of a longer string, around the SIMD-less word loop.
        let long = format!("{}\"{}", "x".repeat(13), "y".repeat(9));
        assert_eq!(find_json_special(long.as_bytes(), 0), Some(13));
        assert_eq!(find_json_special(long.as_bytes(), 14), None);
        for (i, c) in [0u8, 0x1f, b'"', b'\\'].into_iter().enumerate() {
            let mut v = vec![b'a'; 20];
            v[i * 4 + 1] = c;
            assert_eq!(find_json_special(&v, 0), Some(i * 4 + 1));
        }
        let mut v = vec![b'a'; 20];
        v[5] = 0x20;
        v[6] = 0x7f;
        v[7] = 0xff;
        assert_eq!(find_json_special(&v, 0), None);
    }

    #[test]
    fn members_keep_raw_text() {
        let Members(m) = serde_json::from_str(r#"{"a\u0041": 1.0e3, "b": {"x": [1, 2]}}"#).unwrap();
        let raw: Vec<_> = m.iter().map(|(k, v)| (k.get(), v.get())).collect();
        assert_eq!(
            raw,
            vec![(r#""a\u0041""#, "1.0e3"), (r#""b""#, r#"{"x": [1, 2]}"#)]
        );
    }
}
