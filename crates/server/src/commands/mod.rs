//! Implementations of the command-line commands.

pub mod checklist;
pub mod demo;
pub mod score;
