//! The sirr server and command line.
//!
//! Today this crate holds the `sirr` command line and its checklist commands; the server (API,
//! web app, reports) joins it in later work. `main.rs` stays thin so tests can drive the library.

pub mod cli;
pub mod commands;
