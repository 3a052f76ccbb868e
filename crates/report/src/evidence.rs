//! What the visits themselves say, beyond the scores: the shoppers' comments, each with the
//! score of the item it is about (so praise and complaints can be told apart), and how often
//! each critical item failed. Built the same way on the server (approved visits from the
//! database) and offline (the visits file of `sirr report`). Never the shopper: only the item,
//! the score and the words.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use sirr_checklist::{AnswerChecker, AnswerState, Checklist, Completeness};

/// A shopper's comment on one item of one visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// Checklist key.
    pub checklist: String,
    /// Item key.
    pub item: String,
    /// The item's score in that visit (`None` for N/A or unscored items).
    pub score: Option<f64>,
    /// The shopper's words.
    pub text: String,
}

/// How often one critical item failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CriticalCount {
    /// Visits where it scored 0.
    pub failed: usize,
    /// Visits where it was scored at all.
    pub scored: usize,
}

/// Comments and critical failures of a set of visits.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Every comment, in visit order.
    pub comments: Vec<Comment>,
    /// By (checklist key, item key): critical items only.
    pub critical: BTreeMap<(String, String), CriticalCount>,
}

/// The most characters of a comment the report quotes; longer ones end in "…". A quote is a
/// few lines in a coaching report, and the cap keeps the PDF within its size and time budgets
/// whatever was typed (comments may hold up to 10,000 characters).
pub const QUOTE_CHARS: usize = 600;

/// `text` cut to [`QUOTE_CHARS`] characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
    }
}

impl Evidence {
    /// Adds one visit filled against `checklist` (checked by `checker`, built from it).
    /// `na_items` are items whose failure was overturned in a dispute: they count as N/A.
    /// Answers that do not fit the checklist are skipped (the scores already left them out).
    pub fn add_visit(
        &mut self,
        checklist: &Checklist,
        checker: &AnswerChecker<'_>,
        answers: &Map<String, Value>,
        comments: &BTreeMap<String, String>,
        na_items: &[String],
    ) {
        let Ok(checked) = checker.check(answers, None, Completeness::Draft) else {
            return;
        };
        let score_of = |i: usize| -> Option<f64> {
            let item = checker.items().get(i)?;
            if na_items.iter().any(|k| k == item.key.as_str()) {
                return None;
            }
            match checked.states().get(i)? {
                AnswerState::Given(answer) => item.kind.score(answer),
                AnswerState::Hidden | AnswerState::Unanswered => None,
            }
        };
        for (i, item) in checker.items().iter().enumerate() {
            if !item.critical {
                continue;
            }
            if let Some(score) = score_of(i) {
                let count = self
                    .critical
                    .entry((checklist.key.to_string(), item.key.to_string()))
                    .or_default();
                count.scored += 1;
                if score == 0.0 {
                    count.failed += 1;
                }
            }
        }
        for (key, text) in comments {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let Some(i) = checker.position(key) else {
                continue;
            };
            self.comments.push(Comment {
                checklist: checklist.key.to_string(),
                item: key.clone(),
                score: score_of(i),
                text: quote(text),
            });
        }
    }
}
