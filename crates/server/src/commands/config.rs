//! `sirr config show`: the effective configuration, secrets masked.

use std::process::ExitCode;

use crate::config::{Overrides, Settings};

/// Prints the settings every layer adds up to, as TOML.
pub fn show(overrides: &Overrides) -> ExitCode {
    match Settings::load(overrides) {
        Ok(settings) => {
            print!("{}", settings.masked_toml());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sirr: {e}");
            ExitCode::from(2)
        }
    }
}
