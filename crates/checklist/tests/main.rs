//! Integration tests of the checklist crate, in one test binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod answers;
mod conditions;
mod documents;
mod examples;
mod robustness;
mod support;
mod xlsform;
mod xlsform_export;
