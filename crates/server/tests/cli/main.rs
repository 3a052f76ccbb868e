//! The `sirr` command line, run as a real process.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod checklist;
mod crash;
mod events;
mod import;
mod report;
mod score;
mod serve;
mod study;
