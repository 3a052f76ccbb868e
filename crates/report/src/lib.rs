//! The PDF coaching report (SPEC §8): what a branch manager takes into a coaching session.
//!
//! It leads with progress and what went well, then the concrete gaps with the shoppers' own
//! words (never who they were), systemic versus branch-specific issues, critical failures, a
//! plain-words note on how the scores are made, and ends with the action plan.
//!
//! The renderer is pure: [`model::assemble`] turns [`model::Facts`] into a [`model::Report`]
//! and [`render`] turns that into PDF bytes. It knows nothing of HTTP or the database; the
//! server (`api/reports.rs`) and `sirr report` (`commands/report.rs`) gather the facts.
//!
//! | module | job |
//! |---|---|
//! | `model.rs` | the report model and the choice of strengths, gaps and issues |
//! | `evidence.rs` | comments (with the item's score) and critical failures from visits |
//! | `i18n.rs` | English and Arabic wording, percentages |
//! | `text.rs` | bidi ordering, shaping, font fallback, line breaking, glyph output |
//! | `pdf.rs` | the A4 pages, charts and table |

pub mod evidence;
pub mod i18n;
pub mod model;
mod pdf;
pub mod text;

pub use i18n::Lang;
pub use model::{Report, assemble};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What rendering can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An embedded font could not be parsed (a broken build, never bad input).
    #[error("an embedded font cannot be read")]
    Font,
    /// The render ran past its [`Budget`] (its deadline passed or it was cancelled).
    #[error("the report took longer than its time budget")]
    OverBudget,
}

/// When a render must stop: a deadline, a cancellation flag (set when the request that wanted
/// the report is gone), both or neither. The renderer checks it between lines and sections, so
/// a render stops within one line's work of the budget running out.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    deadline: Option<Instant>,
    cancelled: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// No limit (the `sirr report` command, benchmarks).
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// Until `deadline`, or until `cancelled` is set.
    pub fn until(deadline: Instant, cancelled: Arc<AtomicBool>) -> Self {
        Self {
            deadline: Some(deadline),
            cancelled: Some(cancelled),
        }
    }

    /// Whether the render must stop now.
    pub fn exceeded(&self) -> bool {
        self.cancelled
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Renders `report` as an A4 PDF with its fonts embedded and subset.
///
/// # Errors
/// [`Error::Font`] when an embedded font cannot be read.
pub fn render(report: &Report) -> Result<Vec<u8>, Error> {
    pdf::render(report, &Budget::unlimited())
}

/// As [`render`], stopping with [`Error::OverBudget`] once `budget` is exceeded.
///
/// # Errors
/// [`Error::Font`] when an embedded font cannot be read; [`Error::OverBudget`].
pub fn render_within(report: &Report, budget: &Budget) -> Result<Vec<u8>, Error> {
    pdf::render(report, budget)
}
