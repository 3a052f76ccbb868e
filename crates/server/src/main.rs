//! The `sirr` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sirr_server::cli::Cli::parse();
    sirr_server::cli::run(cli)
}
