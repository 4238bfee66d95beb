#![no_main]
//! `notation` target: see README.md ("Fuzzing") and `borax_fuzz::checks::check_notation`.

use borax_fuzz::checks::{self, TextInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: TextInput| {
    checks::check_notation(&input);
});
