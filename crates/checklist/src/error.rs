//! The crate's error type.
//!
//! Loading and validation collect *all* problems rather than stopping at the first, so the
//! variants carry lists. Callers that only need a yes/no use `Result`; callers that report (the
//! CLI, the API's 422) read the lists.

use crate::answer::AnswerProblem;
use crate::problem::Problem;
use crate::xlsform::SheetProblem;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is not well-formed JSON or YAML.
    #[error("not valid {format} at line {line}, column {column}: {message}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document parsed but is not a valid checklist; every problem is listed (warnings too).
    #[error("the checklist is invalid ({} problems, first: {})", .0.len(), first(.0))]
    Invalid(Vec<Problem>),
    /// An XLSForm could not be imported; every problem names its sheet, row and column.
    #[error("the XLSForm cannot be imported ({} problems, first: {})", .0.len(), first(.0))]
    Xlsform(Vec<SheetProblem>),
    /// A checklist could not be written as an XLSForm workbook (the writer's words).
    #[error("the XLSForm cannot be written: {0}")]
    XlsformWrite(String),
    /// A visit's answers do not fit the checklist version; every problem names its item.
    #[error("the answers are invalid ({} problems, first: {})", .0.len(), first(.0))]
    Answers(Vec<AnswerProblem>),
}

fn first<T: std::fmt::Display>(list: &[T]) -> String {
    list.first().map(ToString::to_string).unwrap_or_default()
}
