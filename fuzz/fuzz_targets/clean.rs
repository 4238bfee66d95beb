#![no_main]
//! `clean` target: see README.md ("Fuzzing") and `borax_fuzz::checks::check_clean`.

use borax_fuzz::checks::{self, CleanInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: CleanInput| {
    checks::check_clean(&input);
});
