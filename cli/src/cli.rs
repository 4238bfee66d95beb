//! The `borax` command line: arguments, the run loop, and the one place
//! that maps failures to exit codes.

mod files;
mod ndjson;

use std::fmt::Display;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use borax::{CleanError, Policy, Report};
use clap::{ArgGroup, Parser, ValueEnum};
use serde::Serialize;

use files::{Input, TempFile};

const EXIT_CODES: &str = "\
Exit status:
  0   success (also when standard output is closed early, as by `| head`)
  1   --check: at least one input would change
  2   usage error, or the policy could not be loaded
  65  bad input data: invalid UTF-8, over --max-input-bytes, a malformed
      NDJSON line (also with --skip-invalid), or an input that cannot be cleaned
  74  I/O error: an input cannot be read or an output cannot be written

Examples:
  borax comment.html                      clean to standard output
  borax --preset basic -w posts/*.html    rewrite files in place
  borax --check posts/*.html              list files that are not clean
  borax --ndjson --field body < in.jsonl > out.jsonl";

/// Most threads `-j` starts. Each is an OS thread with its own stack, and
/// starting thousands costs more than the work (`-j 20000` took over a
/// minute on a one-line input); no machine this runs on has more cores.
const MAX_JOBS: u16 = 256;

/// Clean untrusted HTML so it is safe to embed in a page.
///
/// Each input is parsed as an HTML fragment (as browsers parse it) and
/// written back holding only what the policy allows. No FILE, or `-`,
/// reads standard input; the output goes to standard output unless
/// --write or --output say otherwise. Nothing is written for an input
/// that fails.
#[derive(Parser, Debug)]
#[command(name = "borax", version, after_help = EXIT_CODES, max_term_width = 100)]
#[command(group(ArgGroup::new("policy_source").multiple(false)))]
pub(crate) struct Args {
    /// Inputs to clean; none or `-` means standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Use a built-in policy [default: comments].
    #[arg(long, value_name = "NAME", group = "policy_source", help_heading = "Policy (at most one)",
          value_parser = clap::builder::PossibleValuesParser::new(Policy::PRESETS.iter().copied()))]
    preset: Option<String>,

    /// Read the policy from a file: TOML (`.toml`) or JSON (`.json`), by extension.
    #[arg(
        long,
        value_name = "FILE",
        group = "policy_source",
        help_heading = "Policy (at most one)"
    )]
    policy: Option<PathBuf>,

    /// Allow what a comment form's notation lists, e.g.
    /// 'Some HTML allowed: <a href="" title=""> <b> <i>'; other settings as in `comments`.
    #[arg(
        long,
        value_name = "NOTATION",
        group = "policy_source",
        help_heading = "Policy (at most one)"
    )]
    allow: Option<String>,

    /// Print the effective policy and exit.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "toml",
          help_heading = "Policy (at most one)")]
    print_policy: Option<PolicyFormat>,

    /// List the presets, one line each, and exit.
    #[arg(long, help_heading = "Policy (at most one)")]
    list_presets: bool,

    /// Also turn bare URLs and e-mail addresses into links (with the
    /// policy's rel), as the policy file key `linkify = true` does.
    #[arg(long, help_heading = "Formatting")]
    linkify: bool,

    /// Also turn blank lines into paragraphs and single newlines into
    /// <br>, as the policy file key `paragraphs = true` does.
    #[arg(long, help_heading = "Formatting")]
    paragraphs: bool,

    /// Send every input through the full parser (html5ever), never the fast
    /// paths. The output is the same byte for byte, only slower: a way to
    /// compare the two paths on your own data.
    #[arg(long, hide_short_help = true)]
    no_fast_path: bool,

    /// Rewrite each FILE in place, atomically (a temporary file beside it,
    /// synced, then renamed over it). Files that would not change are not
    /// touched; a file is never replaced by a failed result.
    #[arg(short = 'w', long, conflicts_with_all = ["check", "output"], help_heading = "Mode")]
    write: bool,

    /// Write nothing; list the inputs that cleaning would change, and exit
    /// 1 if any would.
    #[arg(long, conflicts_with = "output", help_heading = "Mode")]
    check: bool,

    /// Write the output to FILE instead of standard output (one input only;
    /// FILE is replaced atomically, and not at all if the input fails).
    #[arg(short, long, value_name = "FILE", help_heading = "Mode")]
    output: Option<PathBuf>,

    /// Write JSON Lines saying what was removed and why to FILE, or to
    /// standard output with `-` (then only with --write or --output).
    #[arg(long, value_name = "FILE|-", help_heading = "Mode")]
    report: Option<PathBuf>,

    /// Each input line is a JSON string to clean (or, with --field, an
    /// object); one output line per input line, in order. Unchanged lines
    /// are copied byte for byte.
    #[arg(long, help_heading = "NDJSON")]
    ndjson: bool,

    /// Each line is a JSON object: clean its string field NAME (null is
    /// kept) and copy the other keys and values unchanged, in order.
    #[arg(
        long,
        value_name = "NAME",
        requires = "ndjson",
        help_heading = "NDJSON"
    )]
    field: Option<String>,

    /// Report malformed lines on standard error and go on; nothing is
    /// written for such a line, and the exit status is 65. With --write a
    /// file with skipped lines is not replaced.
    #[arg(long, requires = "ndjson", help_heading = "NDJSON")]
    skip_invalid: bool,

    /// Clean with N threads, at most 256 (a larger N is a usage error)
    /// [default: 0, all cores].
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true,
        value_parser = clap::value_parser!(u16).range(..=i64::from(MAX_JOBS)),
        help_heading = "NDJSON"
    )]
    jobs: u16,

    /// No progress bar (shown on standard error when it is a terminal).
    #[arg(short, long, help_heading = "NDJSON")]
    quiet: bool,

    /// Refuse inputs (with --ndjson: lines) over N bytes; suffixes K, M, G
    /// (1024-based) [default: the policy's maxInputBytes, 10M for presets].
    #[arg(long, value_name = "N", value_parser = parse_size, help_heading = "Input")]
    max_input_bytes: Option<usize>,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing the input.
    #[arg(long, help_heading = "Input")]
    lossy: bool,
}

/// A format for `--print-policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PolicyFormat {
    /// A TOML policy file.
    Toml,
    /// A JSON policy file.
    Json,
    /// The allowed-HTML notation (elements and attributes only).
    Notation,
}

fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (digits, mult) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        None => (t, 1u64),
        Some((i, _)) => {
            let mult = match t[i..].to_ascii_lowercase().as_str() {
                "k" | "kb" | "kib" => 1 << 10,
                "m" | "mb" | "mib" => 1 << 20,
                "g" | "gb" | "gib" => 1 << 30,
                "b" => 1,
                other => return Err(format!("unknown size suffix `{other}` (use K, M or G)")),
            };
            (&t[..i], mult)
        }
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size in bytes"))?;
    n.checked_mul(mult)
        .and_then(|v| usize::try_from(v).ok())
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// Why a run, or one input, failed. [`Fail::code`] is the only place that
/// turns failures into exit codes.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Bad arguments, or a policy that cannot be loaded: nothing was done.
    Usage(String),
    /// An input's data is bad (encoding, size, malformed NDJSON, cleaning).
    Data(String),
    /// An input could not be read or its own output file not written.
    Io(String),
    /// A shared output (standard output, the report) failed: stop.
    Output(String),
    /// Standard output was closed by the reader: stop quietly.
    BrokenPipe,
}

impl Fail {
    fn code(&self) -> i32 {
        match self {
            Fail::Usage(_) => 2,
            Fail::Data(_) => 65,
            Fail::Io(_) | Fail::Output(_) => 74,
            Fail::BrokenPipe => 0,
        }
    }

    /// Stops the whole run rather than one input.
    fn is_fatal(&self) -> bool {
        matches!(self, Fail::Usage(_) | Fail::Output(_) | Fail::BrokenPipe)
    }

    fn message(&self) -> Option<&str> {
        match self {
            Fail::Usage(m) | Fail::Data(m) | Fail::Io(m) | Fail::Output(m) => Some(m),
            Fail::BrokenPipe => None,
        }
    }

    /// A failure writing a shared output.
    fn output(what: &str, e: io::Error) -> Fail {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Fail::BrokenPipe
        } else {
            Fail::Output(format!("writing {what}: {e}"))
        }
    }

    /// A failure cleaning one input.
    fn clean(input: &str, e: &CleanError) -> Fail {
        match e {
            CleanError::Io(io) => Fail::Io(format!("{input}: {e}: {io}")),
            other => Fail::Data(format!("{input}: {other}")),
        }
    }
}

/// Severity for the final exit status: I/O over data over `--check` changes.
fn rank(code: i32) -> u8 {
    match code {
        74 => 4,
        65 => 3,
        2 => 2,
        1 => 1,
        _ => 0,
    }
}

/// Parse the arguments, run, and return the exit status.
pub(crate) fn run() -> i32 {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // --help and --version print to stdout and exit 0; usage errors exit 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match run_with(&args) {
        Ok(code) => code,
        Err(fail) => {
            if let Some(m) = fail.message() {
                eprintln!("borax: {m}");
            }
            fail.code()
        }
    }
}

fn run_with(args: &Args) -> Result<i32, Fail> {
    if args.list_presets {
        let mut out = io::stdout().lock();
        for name in Policy::PRESETS {
            let line = match Policy::preset_summary(name) {
                Some(d) => format!("{name:<10}{d}"),
                None => format!(
                    "{name:<10}{}",
                    Policy::preset(name)
                        .map(|p| p.to_notation())
                        .unwrap_or_default()
                ),
            };
            writeln!(out, "{line}").map_err(|e| Fail::output("standard output", e))?;
        }
        out.flush()
            .map_err(|e| Fail::output("standard output", e))?;
        return Ok(0);
    }
    let policy = load_policy(args)?;
    if let Some(format) = args.print_policy {
        let mut text = match format {
            PolicyFormat::Toml => policy
                .to_toml_string()
                .map_err(|e| Fail::Output(format!("--print-policy: {e}")))?,
            PolicyFormat::Json => policy
                .to_json_string()
                .map_err(|e| Fail::Output(format!("--print-policy: {e}")))?,
            PolicyFormat::Notation => policy.to_notation(),
        };
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Fail::output("standard output", e))?;
        return Ok(0);
    }

    let inputs: Vec<Input> = if args.files.is_empty() {
        vec![Input::Stdin]
    } else {
        args.files
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Input::Stdin
                } else {
                    Input::File(p.clone())
                }
            })
            .collect()
    };
    if args.write && inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        return Err(Fail::Usage(
            "--write needs FILE arguments: it cannot rewrite standard input".into(),
        ));
    }
    if args.output.is_some() && inputs.len() > 1 {
        return Err(Fail::Usage(
            "--output takes one input; give one FILE, or leave out --output".into(),
        ));
    }
    let report_to_stdout = args.report.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if report_to_stdout && !(args.write || args.output.is_some()) {
        return Err(Fail::Usage(
            "--report - writes to standard output, which already holds the output; use it with --write or --output, or give a file"
                .into(),
        ));
    }

    let mut sinks = Sinks {
        stdout: BufWriter::with_capacity(64 << 10, io::stdout().lock()),
        report: match &args.report {
            None => ReportTo::None,
            Some(_) if report_to_stdout => ReportTo::Stdout,
            Some(p) => ReportTo::File(
                BufWriter::new(File::create(p).map_err(|e| {
                    Fail::Output(format!("{}: creating the report: {e}", p.display()))
                })?),
                p.display().to_string(),
            ),
        },
    };

    let ctx = Ctx {
        policy,
        args,
        pool: if args.ndjson {
            Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(usize::from(args.jobs))
                    .build()
                    .map_err(|e| Fail::Usage(format!("cannot start {} threads: {e}", args.jobs)))?,
            )
        } else {
            None
        },
    };

    let mut status = 0;
    for input in &inputs {
        match process(&ctx, input, &mut sinks) {
            Ok(changed) => {
                if changed && args.check {
                    writeln!(sinks.stdout, "{}", input.name())
                        .map_err(|e| Fail::output("standard output", e))?;
                    status = status.max(1);
                }
            }
            Err(fail) if fail.is_fatal() => {
                // Keep what was already written, then stop.
                let _ = sinks.flush();
                return Err(fail);
            }
            Err(fail) => {
                if let Some(m) = fail.message() {
                    eprintln!("borax: {m}");
                }
                if rank(fail.code()) > rank(status) {
                    status = fail.code();
                }
            }
        }
    }
    sinks.flush()?;
    Ok(status)
}

fn load_policy(args: &Args) -> Result<Policy, Fail> {
    let policy_err =
        |what: &dyn Display, e: borax::PolicyError| Fail::Usage(format!("{what}: {e}"));
    let policy = if let Some(path) = &args.policy {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let shown = path.display();
        let text = || {
            std::fs::read_to_string(path)
                .map_err(|e| Fail::Usage(format!("{shown}: cannot read the policy file: {e}")))
        };
        match ext.as_deref() {
            Some("toml") => Policy::from_toml_str(&text()?).map_err(|e| policy_err(&shown, e))?,
            Some("json") => Policy::from_json_str(&text()?).map_err(|e| policy_err(&shown, e))?,
            _ => {
                return Err(Fail::Usage(format!(
                    "{shown}: a policy file must end in .toml or .json"
                )))
            }
        }
    } else if let Some(notation) = &args.allow {
        Policy::from_notation(notation).map_err(|e| policy_err(&"--allow", e))?
    } else {
        let name = args.preset.as_deref().unwrap_or("comments");
        Policy::preset(name).map_err(|e| policy_err(&"--preset", e))?
    };
    let policy = if args.linkify || args.paragraphs {
        let mut b = policy.to_builder();
        if args.linkify {
            b = b.linkify(true);
        }
        if args.paragraphs {
            b = b.paragraphs(true);
        }
        let flag = if args.linkify {
            "--linkify"
        } else {
            "--paragraphs"
        };
        b.build().map_err(|e| policy_err(&flag, e))?
    } else {
        policy
    };
    let policy = match args.max_input_bytes {
        Some(n) => policy
            .to_builder()
            .max_input_bytes(n)
            .build()
            .map_err(|e| policy_err(&"--max-input-bytes", e))?,
        None => policy,
    };
    Ok(policy.with_fast_path(!args.no_fast_path))
}

/// What every input shares.
struct Ctx<'a> {
    policy: Policy,
    args: &'a Args,
    pool: Option<rayon::ThreadPool>,
}

impl Ctx<'_> {
    fn reporting(&self) -> bool {
        self.args.report.is_some()
    }
}

/// Where one input's cleaned output goes.
enum Dest<'p> {
    Stdout,
    Check,
    Replace(&'p Path),
    Output(&'p Path),
}

/// The shared outputs.
struct Sinks {
    stdout: BufWriter<io::StdoutLock<'static>>,
    report: ReportTo,
}

enum ReportTo {
    None,
    Stdout,
    File(BufWriter<File>, String),
}

impl Sinks {
    fn flush(&mut self) -> Result<(), Fail> {
        if let ReportTo::File(f, name) = &mut self.report {
            f.flush().map_err(|e| Fail::output(name, e))?;
        }
        self.stdout
            .flush()
            .map_err(|e| Fail::output("standard output", e))
    }
}

/// A report writer and the name to blame when writing fails.
pub(crate) struct ReportSink<'a> {
    out: &'a mut dyn Write,
    name: &'a str,
}

#[derive(Serialize)]
struct ReportLine<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    kind: &'static str,
    name: &'a str,
    reason: &'static str,
    count: usize,
    /// The input (line) was parsed by the fast path, not html5ever.
    fast_path: bool,
}

impl ReportSink<'_> {
    /// Write one JSON line per removal.
    fn write(&mut self, input: &str, line: Option<u64>, report: &Report) -> Result<(), Fail> {
        for r in &report.removals {
            let rec = ReportLine {
                input,
                line,
                kind: r.kind.as_str(),
                name: &r.name,
                reason: r.reason.as_str(),
                count: r.count,
                fast_path: report.fast_path,
            };
            serde_json::to_writer(&mut *self.out, &rec)
                .map_err(io::Error::from)
                .and_then(|()| self.out.write_all(b"\n"))
                .map_err(|e| Fail::output(self.name, e))?;
        }
        Ok(())
    }
}

/// Clean one input; `Ok(changed)`.
fn process(ctx: &Ctx<'_>, input: &Input, sinks: &mut Sinks) -> Result<bool, Fail> {
    let args = ctx.args;
    let dest = if args.check {
        Dest::Check
    } else if args.write {
        match input {
            Input::File(p) => Dest::Replace(p),
            Input::Stdin => unreachable!("checked before"),
        }
    } else if let Some(p) = &args.output {
        Dest::Output(p)
    } else {
        Dest::Stdout
    };
    let name = input.name();
    if args.ndjson {
        return ndjson::process(ctx, input, &name, dest, sinks);
    }

    let limit = ctx.policy.max_input_bytes();
    let bytes = input.read_all(limit)?;
    let text = files::decode(&name, &bytes, args.lossy)?;
    let (out, report) = if ctx.reporting() {
        let (o, r) = ctx
            .policy
            .clean_with_report(&text)
            .map_err(|e| Fail::clean(&name, &e))?;
        (o, Some(r))
    } else {
        (
            ctx.policy
                .try_clean(&text)
                .map_err(|e| Fail::clean(&name, &e))?,
            None,
        )
    };
    let changed = out.as_bytes() != &bytes[..];
    drop(text);

    match dest {
        Dest::Stdout => sinks
            .stdout
            .write_all(out.as_bytes())
            .map_err(|e| Fail::output("standard output", e))?,
        Dest::Check => {}
        Dest::Replace(path) => {
            if changed {
                let mut tmp = TempFile::create(path, true)?;
                tmp.write_all(out.as_bytes())?;
                tmp.commit()?;
            }
        }
        Dest::Output(path) => {
            let mut tmp = TempFile::create(path, false)?;
            tmp.write_all(out.as_bytes())?;
            tmp.commit()?;
        }
    }
    if let Some(report) = report {
        sinks.report_sink(|r| r.write(&name, None, &report))?;
    }
    Ok(changed)
}

impl Sinks {
    /// Run `f` with the report writer, if there is one.
    fn report_sink(
        &mut self,
        f: impl FnOnce(&mut ReportSink<'_>) -> Result<(), Fail>,
    ) -> Result<(), Fail> {
        match &mut self.report {
            ReportTo::None => Ok(()),
            ReportTo::Stdout => f(&mut ReportSink {
                out: &mut self.stdout,
                name: "standard output",
            }),
            ReportTo::File(w, name) => f(&mut ReportSink { out: w, name }),
        }
    }

    /// The output writer for `dest` (when it is standard output) and the
    /// report writer, borrowed together.
    fn split(
        &mut self,
        stdout_is_output: bool,
    ) -> (Option<&mut dyn Write>, Option<ReportSink<'_>>) {
        let Sinks { stdout, report } = self;
        match report {
            ReportTo::None => (stdout_is_output.then_some(stdout as &mut dyn Write), None),
            ReportTo::Stdout => {
                debug_assert!(!stdout_is_output);
                (
                    None,
                    Some(ReportSink {
                        out: stdout,
                        name: "standard output",
                    }),
                )
            }
            ReportTo::File(w, name) => (
                stdout_is_output.then_some(stdout as &mut dyn Write),
                Some(ReportSink { out: w, name }),
            ),
        }
    }
}

/// Whether to draw a progress bar.
fn progress_wanted(args: &Args) -> bool {
    !args.quiet && io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Args::command().debug_assert();
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("10K"), Ok(10 << 10));
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("10X").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn every_preset_has_a_description() {
        for name in Policy::PRESETS {
            assert!(Policy::preset_summary(name).is_some(), "{name}");
        }
    }

    #[test]
    fn severity_order() {
        assert!(rank(74) > rank(65) && rank(65) > rank(1) && rank(1) > rank(0));
    }
}
