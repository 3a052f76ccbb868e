//! The HTTP API, driven over real HTTP against a server on port 0. Runs on SQLite; with
//! SIRR_TEST_DATABASE_URL=postgres://… the same tests run on PostgreSQL (`.ci/run` does both).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod account;
mod attachments;
mod auth;
mod bounded;
mod branch_visits;
mod checklists;
mod demo_photos;
mod directory;
mod events;
mod exports;
mod followup;
mod hardening;
mod health;
mod imports;
mod language;
mod matrix;
mod migrations;
mod odata;
mod one_truth;
mod openapi;
mod organisation;
mod password_reset;
mod planning;
mod privacy;
mod reports;
mod scores;
mod teams;
mod tokens;
mod users;
mod web;
mod workflow;
