#![no_main]
//! `url` target: see README.md ("Fuzzing") and `borax_fuzz::checks::check_url`.

use borax_fuzz::checks::{self, UrlInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: UrlInput| {
    checks::check_url(&input);
});
