//! The sirr server and command line: the HTTP API on actix-web over diesel (SQLite or
//! PostgreSQL), authentication and authorization, configuration, and the `sirr` commands.
//!
//! `main.rs` stays thin; [`startup::Application`] builds a ready server so tests drive the real
//! stack on port 0.

pub mod api;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo_photos;
pub mod directory;
pub mod error;
pub mod events;
pub mod export;
pub mod i18n;
pub mod import;
pub mod media;
pub mod odata;
pub mod plausibility;
pub mod scores;
pub mod seed;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web;
pub mod workflow;

/// `msg!("id", name = value, …)`: a message for the reader (see `sirr_i18n`).
pub use sirr_i18n::msg;
