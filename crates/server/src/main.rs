//! The `sirr` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: scoring a large file allocates and frees many
/// small values across threads, where glibc's allocator spent a third of the time
/// (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = sirr_server::cli::Cli::parse();
    sirr_server::cli::run(cli)
}
