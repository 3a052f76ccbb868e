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

/// What rendering can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An embedded font could not be parsed (a broken build, never bad input).
    #[error("an embedded font cannot be read")]
    Font,
}

/// Renders `report` as an A4 PDF with its fonts embedded and subset.
///
/// # Errors
/// [`Error::Font`] when an embedded font cannot be read.
pub fn render(report: &Report) -> Result<Vec<u8>, Error> {
    pdf::render(report)
}
