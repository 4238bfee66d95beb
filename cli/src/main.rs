//! The `borax` command-line filter.
#![forbid(unsafe_code)]

mod cli;

/// mimalloc: the CLI allocates a parse tree per input and frees it at once,
/// from one thread per core; mimalloc does that faster than glibc's malloc
/// (README, Performance, gives both figures). The library leaves the choice
/// of allocator to the program that links it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
