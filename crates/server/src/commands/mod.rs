//! Implementations of the command-line commands.

pub mod checklist;
pub mod config;
pub mod demo;
pub mod export;
pub mod import;
pub mod report;
pub mod score;
pub mod serve;
pub mod user;
