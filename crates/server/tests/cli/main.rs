//! The `sirr` command line, run as a real process.

mod checklist;
