//! An NDJSON filter on ammonia, to compare with `borax --ndjson -j 1` on the
//! same file (README, Performance): one JSON string of HTML per line in, one
//! line out, cleaned with ammonia configured like borax's `comments` preset
//! (`support::ammonia_comments`: the same elements and attributes, the same
//! URL schemes, `rel`). Like borax, a line whose HTML does not change is
//! copied as it was; a changed one is written as a compact JSON string.
//! Single-threaded, buffered reads and writes.
//!
//! ```text
//! cargo build --release --example ammonia_ndjson -p borax
//! time target/release/examples/ammonia_ndjson < comments.ndjson > /dev/null
//! time target/release/borax --ndjson -j 1 comments.ndjson > /dev/null
//! ```

#[path = "../support/mod.rs"]
mod support;

use std::io::{self, BufRead, BufReader, BufWriter, Write};

fn main() -> io::Result<()> {
    let ammonia = support::ammonia_comments();
    let stdin = io::stdin().lock();
    let mut input = BufReader::with_capacity(256 << 10, stdin);
    let mut out = BufWriter::with_capacity(256 << 10, io::stdout().lock());
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        let text = line.trim_end_matches(['\n', '\r']);
        let html: String = match serde_json::from_str(text) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("ammonia_ndjson: {e}");
                std::process::exit(1);
            }
        };
        let cleaned = ammonia.clean(&html).to_string();
        if cleaned == html {
            out.write_all(text.as_bytes())?;
        } else {
            serde_json::to_writer(&mut out, &cleaned)?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}
