//! Minimal CLI: stdin to stdout with a preset.

use std::io::{self, Read, Write};

use borax::Policy;

pub(crate) fn run() -> i32 {
    let mut preset = "comments".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--preset" => match args.next() {
                Some(p) => preset = p,
                None => {
                    eprintln!("borax: --preset needs a name");
                    return 2;
                }
            },
            other => {
                eprintln!("borax: unknown argument `{other}`");
                return 2;
            }
        }
    }
    let policy = match Policy::preset(&preset) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("borax: {e}");
            return 2;
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = io::stdin().read_to_end(&mut bytes) {
        eprintln!("borax: reading stdin: {e}");
        return 74;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "borax: <stdin>: invalid UTF-8 at byte offset {}",
                e.utf8_error().valid_up_to()
            );
            return 65;
        }
    };
    let out = match policy.try_clean(&text) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("borax: <stdin>: {e}");
            return 65;
        }
    };
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("borax: writing stdout: {e}");
            74
        }
    }
}
