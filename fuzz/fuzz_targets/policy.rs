#![no_main]
//! `policy` target: see README.md ("Fuzzing") and `borax_fuzz::checks::check_policy_text`.

use borax_fuzz::checks::{self, TextInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: TextInput| {
    checks::check_policy_text(&input);
});
