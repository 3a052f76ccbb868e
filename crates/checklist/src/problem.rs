//! Problems found in a checklist document, each with a JSON-pointer path and a plain message.

use std::fmt;

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The document cannot be used.
    Error,
    /// The document can be used, but something is probably unintended (e.g. missing Arabic text).
    Warning,
}

/// One problem: where (JSON pointer into the document) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// JSON pointer (RFC 6901), e.g. `/sections/2/items/4/show_if`; empty for the whole document.
    pub path: String,
    /// What is wrong, in plain words.
    pub problem: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Problem {
    /// An error at `path`.
    pub fn error(path: impl Into<String>, problem: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            problem: problem.into(),
            severity: Severity::Error,
        }
    }

    /// A warning at `path`.
    pub fn warning(path: impl Into<String>, problem: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            problem: problem.into(),
            severity: Severity::Warning,
        }
    }

    /// Is this an error (as opposed to a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {path}: {}", self.problem)
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer(base: &str, token: impl fmt::Display) -> String {
    let token = token.to_string().replace('~', "~0").replace('/', "~1");
    format!("{base}/{token}")
}

/// Sorts problems by path (numerically within array indices), errors before warnings.
pub fn sort(problems: &mut [Problem]) {
    fn key(p: &Problem) -> Vec<Result<u64, &str>> {
        p.path
            .split('/')
            .map(|t| t.parse::<u64>().map_err(|_| t))
            .collect()
    }
    problems.sort_by(|a, b| key(a).cmp(&key(b)).then(a.severity.cmp(&b.severity)));
}
