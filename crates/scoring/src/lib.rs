#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod agreement;
pub mod catalog;
pub mod fair;
pub mod period;
pub mod report;
pub mod score;
pub mod stats;
pub mod visit;

/// The checklist crate this engine scores against.
pub use sirr_checklist as checklist;
