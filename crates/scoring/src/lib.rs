#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

/// The checklist crate this engine scores against.
pub use sirr_checklist as checklist;
