//! Implementations of the command-line commands.

pub mod checklist;
