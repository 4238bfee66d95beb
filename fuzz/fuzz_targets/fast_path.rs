#![no_main]
//! `fast_path` target: the fast parser builds html5ever's tree whenever it
//! accepts an input, so does the fast tokenizer on every input, and the
//! fast paths change no output
//! (`borax_fuzz::checks::check_fast_path`). Same input format as `clean`.

use borax_fuzz::checks::{self, CleanInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: CleanInput| {
    checks::check_fast_path(&input);
});
