//! Integration tests of the checklist crate, in one test binary.

mod answers;
mod conditions;
mod documents;
mod examples;
mod support;
mod xlsform;
