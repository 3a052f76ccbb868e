//! Integration tests of the scoring engine, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod examples;
mod properties;
mod reference;
mod report;
mod robustness;
mod truth;
