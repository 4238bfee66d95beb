//! Fuzz harness support for borax: the targets' checks (also compiled into
//! `tests/regressions.rs`), the invariant oracle they share with the
//! property tests (`tests/oracle/mod.rs`) and the `Arbitrary` impls of the
//! target inputs.
//!
//! Every input type decodes from raw bytes with its own `from_raw`, and its
//! `Arbitrary` impl only calls that: a crash file therefore replays without
//! `arbitrary` (plain `cargo test --test regressions`), and `cargo fuzz fmt`
//! prints the input as a pasteable Rust snippet (the types' `Debug`).

pub mod checks;
/// The invariant oracle, shared with `tests/invariants.rs` and
/// `tests/regressions.rs`.
#[path = "../../tests/oracle/mod.rs"]
pub mod oracle;

use arbitrary::{Arbitrary, Result, Unstructured};
use checks::{CleanInput, TextInput, UrlInput};

macro_rules! from_raw_arbitrary {
    ($t:ty) => {
        impl<'a> Arbitrary<'a> for $t {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                let len = u.arbitrary_len::<u8>()?;
                Ok(<$t>::from_raw(u.bytes(len)?))
            }

            fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
                Ok(<$t>::from_raw(u.take_rest()))
            }
        }
    };
}

from_raw_arbitrary!(CleanInput);
from_raw_arbitrary!(UrlInput);
from_raw_arbitrary!(TextInput);
