//! Checking one visit's answers against one checklist version (SPEC §9.10).
//!
//! [`AnswerChecker`] is built once per checklist version and reused for every visit: it indexes
//! the items so that checking costs a hash lookup and a type test per item. It walks the items
//! in document order, evaluating `show_if` over the answers already read, so it knows which
//! items are hidden (answering one is an error) and which are shown (required ones must be
//! answered, evidence must be present).

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::condition::{Lookup, Lookups};
use crate::model::{Checklist, Item, ItemKind, PhotoRule};

/// A typed answer to one item.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `"na"`: not applicable (allowed where `na_allowed`).
    Na,
    /// `yes_no`: `true` for yes.
    YesNo(bool),
    /// `scale`: the chosen integer.
    Scale(i64),
    /// `choice`: the option key.
    Choice(String),
    /// `multi_choice`: the selected option keys.
    MultiChoice(Vec<String>),
    /// `number` or `duration` (seconds).
    Number(f64),
    /// `text`.
    Text(String),
    /// `timestamp`, RFC 3339.
    Timestamp(String),
    /// `photo`: attachment references.
    Photos(Vec<String>),
}

/// What a visit says about one item, after `show_if` is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerState {
    /// Hidden by its `show_if` (scored as N/A).
    Hidden,
    /// Shown but not answered (scored as N/A).
    Unanswered,
    /// Shown and answered.
    Given(Answer),
}

/// One problem with a visit's answers, naming the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerProblem {
    /// The item key (or unknown key) concerned.
    pub key: String,
    /// What is wrong, in English.
    pub problem: String,
    /// What is wrong, as data: for wording it in another language.
    #[serde(skip)]
    pub reason: Reason,
}

/// Why an answer is not accepted. Values are as the visit gave them (`found`: the JSON value
/// described, e.g. `"maybe"`, `a list`) or as the checklist defines them; [`fmt::Display`] is the
/// English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// An answer for a key the checklist does not have.
    UnknownItem,
    /// Evidence for a key the checklist does not have.
    EvidenceUnknownItem,
    /// Evidence that is not a list of references.
    EvidenceNotReferences,
    /// Answered although `show_if` hides it.
    Hidden {
        /// The condition, as written.
        condition: String,
    },
    /// Required and shown, but not answered.
    Required,
    /// A photo must come with this answer.
    PhotoRequired,
    /// A photo must come when the item fails.
    PhotoRequiredOnFail,
    /// `"na"` for an item that does not allow it.
    NaNotAllowed,
    /// Not `"yes"`/`"no"`.
    NotYesNo {
        /// The value found.
        found: String,
    },
    /// A whole number outside the scale.
    OutsideScale {
        /// The number.
        value: String,
        /// The scale's lowest.
        min: i64,
        /// The scale's highest.
        max: i64,
    },
    /// Not a whole number.
    NotScale {
        /// The value found.
        found: String,
        /// The scale's lowest.
        min: i64,
        /// The scale's highest.
        max: i64,
    },
    /// Not one of the options.
    NotAnOption {
        /// The value found.
        found: String,
        /// The option keys, comma-separated.
        options: String,
    },
    /// Not a list of options.
    NotOptionList {
        /// The value found.
        found: String,
        /// The option keys, comma-separated.
        options: String,
    },
    /// An option selected twice.
    OptionTwice {
        /// The option key.
        option: String,
    },
    /// Not a number (or, for a duration, a number of seconds).
    NotNumber {
        /// The value found.
        found: String,
        /// A duration item.
        seconds: bool,
    },
    /// A negative duration.
    NegativeDuration {
        /// The number.
        value: String,
    },
    /// Below the item's minimum.
    BelowMinimum {
        /// The number.
        value: String,
        /// The minimum.
        min: String,
    },
    /// Above the item's maximum.
    AboveMaximum {
        /// The number.
        value: String,
        /// The maximum.
        max: String,
    },
    /// Above the last band, without a catch-all band.
    AboveBands {
        /// The number.
        value: String,
    },
    /// Not text.
    NotText {
        /// The value found.
        found: String,
    },
    /// Not an RFC 3339 date-time.
    NotTimestamp {
        /// The value found.
        found: String,
    },
    /// Not a list of attachment references.
    NotReferences {
        /// The value found.
        found: String,
    },
    /// A note takes no answer.
    NoteTakesNoAnswer,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownItem => f.write_str("no item with this key in the checklist"),
            Self::EvidenceUnknownItem => {
                f.write_str("evidence for an item that is not in the checklist")
            }
            Self::EvidenceNotReferences => {
                f.write_str("evidence must be a list of attachment references (non-empty strings)")
            }
            Self::Hidden { condition } => {
                write!(f, "answered, but the item is hidden (show_if: {condition})")
            }
            Self::Required => f.write_str("required, but not answered"),
            Self::PhotoRequired => f.write_str("a photo is required with this answer"),
            Self::PhotoRequiredOnFail => f.write_str("a photo is required when this item fails"),
            Self::NaNotAllowed => f.write_str("\"na\" is not allowed for this item"),
            Self::NotYesNo { found } => write!(f, "expected \"yes\" or \"no\", found {found}"),
            Self::OutsideScale { value, min, max } => {
                write!(f, "{value} is outside the scale {min}..{max}")
            }
            Self::NotScale { found, min, max } => write!(
                f,
                "expected a whole number from {min} to {max}, found {found}"
            ),
            Self::NotAnOption { found, options } => {
                write!(f, "expected one of the options ({options}), found {found}")
            }
            Self::NotOptionList { found, options } => {
                write!(f, "expected a list of options ({options}), found {found}")
            }
            Self::OptionTwice { option } => write!(f, "option \"{option}\" is selected twice"),
            Self::NotNumber { found, seconds } => {
                let unit = if *seconds {
                    "a number of seconds"
                } else {
                    "a number"
                };
                write!(f, "expected {unit}, found {found}")
            }
            Self::NegativeDuration { value } => {
                write!(f, "a duration cannot be negative, found {value}")
            }
            Self::BelowMinimum { value, min } => write!(f, "{value} is below the minimum {min}"),
            Self::AboveMaximum { value, max } => write!(f, "{value} is above the maximum {max}"),
            Self::AboveBands { value } => write!(
                f,
                "{value} is above the last band and there is no catch-all band"
            ),
            Self::NotText { found } => write!(f, "expected text, found {found}"),
            Self::NotTimestamp { found } => write!(
                f,
                "expected an RFC 3339 date-time such as \"2026-10-03T14:12:00+03:00\", found {found}"
            ),
            Self::NotReferences { found } => {
                write!(f, "expected a list of attachment references, found {found}")
            }
            Self::NoteTakesNoAnswer => f.write_str("a note is display only and takes no answer"),
        }
    }
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.problem)
    }
}

/// How complete the answers must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// A submitted visit: required items and required evidence must be present.
    Submission,
    /// A visit read for scoring (`sirr score`, an export read back): required items must be
    /// present; evidence was checked when the visit was submitted and is not demanded again
    /// (SPEC §10.41), though evidence that is given must still be well-formed.
    Scoring,
    /// A draft saved while the shopper goes: only what is there is checked.
    Draft,
}

/// A visit's answers, checked and typed, one state per item in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAnswers {
    states: Vec<AnswerState>,
}

impl CheckedAnswers {
    /// The state of each item, in document order (sections flattened).
    pub fn states(&self) -> &[AnswerState] {
        &self.states
    }
}

impl ItemKind {
    /// The item score in [0, 1] for an answer, or `None` for N/A (SPEC §4).
    pub fn score(&self, answer: &Answer) -> Option<f64> {
        match (self, answer) {
            (ItemKind::YesNo, Answer::YesNo(yes)) => Some(if *yes { 1.0 } else { 0.0 }),
            (ItemKind::Scale { min, max }, Answer::Scale(v)) => {
                Some((*v - *min) as f64 / (*max - *min) as f64)
            }
            (ItemKind::Choice { options }, Answer::Choice(key)) => {
                options.iter().find(|o| o.key == *key).and_then(|o| o.score)
            }
            (ItemKind::MultiChoice { options }, Answer::MultiChoice(keys)) => {
                let (sum, n) = keys
                    .iter()
                    .filter_map(|k| options.iter().find(|o| o.key == *k).and_then(|o| o.score))
                    .fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
                (n > 0).then(|| sum / f64::from(n))
            }
            (ItemKind::Number(m) | ItemKind::Duration(m), Answer::Number(v)) => m.band_score(*v),
            _ => None,
        }
    }
}

/// Checks visits' answers against one checklist version; build once, use for many visits.
#[derive(Debug)]
pub struct AnswerChecker<'c> {
    items: Vec<&'c Item>,
    index: HashMap<&'c str, usize>,
}

struct SoFar<'a, 'c> {
    index: &'a HashMap<&'c str, usize>,
    states: &'a [AnswerState],
}

impl Lookups for SoFar<'_, '_> {
    fn lookup(&self, key: &str) -> Lookup<'_> {
        match self.index.get(key).and_then(|&i| self.states.get(i)) {
            Some(AnswerState::Given(answer)) => match answer {
                Answer::YesNo(true) => Lookup::Str("yes"),
                Answer::YesNo(false) => Lookup::Str("no"),
                Answer::Choice(s) | Answer::Text(s) | Answer::Timestamp(s) => Lookup::Str(s),
                Answer::Scale(v) => Lookup::Num(*v as f64),
                Answer::Number(v) => Lookup::Num(*v),
                Answer::MultiChoice(list) | Answer::Photos(list) => Lookup::Many(list),
                Answer::Na => Lookup::Missing,
            },
            _ => Lookup::Missing,
        }
    }
}

impl<'c> AnswerChecker<'c> {
    /// Indexes the items of `checklist`.
    pub fn new(checklist: &'c Checklist) -> Self {
        let items: Vec<&Item> = checklist.items().map(|(_, item)| item).collect();
        let index = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.key.as_str(), i))
            .collect();
        AnswerChecker { items, index }
    }

    /// The items in document order (the order of [`CheckedAnswers::states`]).
    pub fn items(&self) -> &[&'c Item] {
        &self.items
    }

    /// The document position of the item with this key.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// Checks `answers` (item key → JSON answer) and `evidence` (item key → attachment
    /// references). Returns the typed answers, or every problem found, each naming its item.
    pub fn check(
        &self,
        answers: &Map<String, Value>,
        evidence: Option<&Map<String, Value>>,
        completeness: Completeness,
    ) -> Result<CheckedAnswers, Vec<AnswerProblem>> {
        let mut problems = Vec::new();
        let mut problem = |key: &str, reason: Reason| {
            problems.push(AnswerProblem {
                key: key.to_owned(),
                problem: reason.to_string(),
                reason,
            })
        };

        for key in answers.keys() {
            if !self.index.contains_key(key.as_str()) {
                problem(key, Reason::UnknownItem);
            }
        }
        if let Some(evidence) = evidence {
            for (key, refs) in evidence {
                if !self.index.contains_key(key.as_str()) {
                    problem(key, Reason::EvidenceUnknownItem);
                } else if !is_reference_list(refs) {
                    problem(key, Reason::EvidenceNotReferences);
                }
            }
        }

        let mut states: Vec<AnswerState> = Vec::with_capacity(self.items.len());
        // Items whose visibility cannot be known because an answer they depend on is invalid:
        // they are not blamed for being hidden, shown or unanswered.
        let mut uncertain = vec![false; self.items.len()];
        for (pos, item) in self.items.iter().enumerate() {
            let key = item.key.as_str();
            let shown = match &item.show_if {
                None => true,
                Some(cond) => {
                    uncertain[pos] = cond
                        .references()
                        .iter()
                        .any(|k| self.index.get(k.as_str()).is_some_and(|&i| uncertain[i]));
                    cond.eval(&SoFar {
                        index: &self.index,
                        states: &states,
                    })
                }
            };
            // null and an empty selection mean "not answered" (drafts and forms send them).
            let raw = answers
                .get(key)
                .filter(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
            let state = match (shown, raw) {
                (false, Some(v)) => {
                    if !uncertain[pos] {
                        problem(
                            key,
                            Reason::Hidden {
                                condition: display_cond(item),
                            },
                        );
                    } else if let Err(msg) = parse_answer(item, v) {
                        // Visibility is unknown, but a malformed answer is wrong either way.
                        problem(key, msg);
                    }
                    AnswerState::Hidden
                }
                (false, None) => AnswerState::Hidden,
                (true, None) => {
                    if item.required && completeness != Completeness::Draft && !uncertain[pos] {
                        problem(key, Reason::Required);
                    }
                    AnswerState::Unanswered
                }
                (true, Some(v)) => match parse_answer(item, v) {
                    Ok(answer) => AnswerState::Given(answer),
                    Err(msg) => {
                        problem(key, msg);
                        uncertain[pos] = true;
                        AnswerState::Unanswered
                    }
                },
            };
            if completeness == Completeness::Submission
                && let (Some(rule), AnswerState::Given(answer)) = (&item.evidence, &state)
            {
                let needed = match rule.photo {
                    PhotoRule::Required => *answer != Answer::Na,
                    PhotoRule::OnFail => item.kind.score(answer) == Some(0.0),
                };
                let present = evidence.and_then(|e| e.get(key)).is_some_and(|r| {
                    is_reference_list(r) && r.as_array().is_some_and(|a| !a.is_empty())
                });
                if needed && !present {
                    let why = match rule.photo {
                        PhotoRule::Required => Reason::PhotoRequired,
                        PhotoRule::OnFail => Reason::PhotoRequiredOnFail,
                    };
                    problem(key, why);
                }
            }
            states.push(state);
        }

        if problems.is_empty() {
            Ok(CheckedAnswers { states })
        } else {
            Err(problems)
        }
    }
}

fn display_cond(item: &Item) -> String {
    item.show_if
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn is_reference_list(v: &Value) -> bool {
    v.as_array().is_some_and(|a| {
        a.iter()
            .all(|r| r.as_str().is_some_and(|s| !s.trim().is_empty()))
    })
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        Value::Null => "null".into(),
    }
}

fn option_keys(item: &Item) -> String {
    item.kind
        .options()
        .map(|o| {
            o.iter()
                .map(|o| o.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Parses one JSON answer against its item's type and range.
fn parse_answer(item: &Item, v: &Value) -> Result<Answer, Reason> {
    if v.as_str() == Some("na") && !matches!(item.kind, ItemKind::Choice { .. } | ItemKind::Text) {
        return if item.na_allowed {
            Ok(Answer::Na)
        } else {
            Err(Reason::NaNotAllowed)
        };
    }
    match &item.kind {
        ItemKind::YesNo => match v.as_str() {
            Some("yes") => Ok(Answer::YesNo(true)),
            Some("no") => Ok(Answer::YesNo(false)),
            _ => Err(Reason::NotYesNo { found: describe(v) }),
        },
        ItemKind::Scale { min, max } => match v.as_i64() {
            Some(n) if (*min..=*max).contains(&n) => Ok(Answer::Scale(n)),
            Some(n) => Err(Reason::OutsideScale {
                value: n.to_string(),
                min: *min,
                max: *max,
            }),
            None => Err(Reason::NotScale {
                found: describe(v),
                min: *min,
                max: *max,
            }),
        },
        ItemKind::Choice { options } => match v.as_str() {
            Some(s) if options.iter().any(|o| o.key == s) => Ok(Answer::Choice(s.to_owned())),
            // An option may itself be called "na"; only otherwise does "na" mean N/A.
            Some("na") if item.na_allowed => Ok(Answer::Na),
            Some("na") => Err(Reason::NaNotAllowed),
            _ => Err(Reason::NotAnOption {
                found: describe(v),
                options: option_keys(item),
            }),
        },
        ItemKind::MultiChoice { options } => {
            let Some(list) = v.as_array() else {
                return Err(Reason::NotOptionList {
                    found: describe(v),
                    options: option_keys(item),
                });
            };
            let mut keys: Vec<String> = Vec::with_capacity(list.len());
            for entry in list {
                match entry.as_str() {
                    Some(s) if keys.iter().any(|k| k == s) => {
                        return Err(Reason::OptionTwice {
                            option: s.to_owned(),
                        });
                    }
                    Some(s) if options.iter().any(|o| o.key == s) => keys.push(s.to_owned()),
                    _ => {
                        return Err(Reason::NotAnOption {
                            found: describe(entry),
                            options: option_keys(item),
                        });
                    }
                }
            }
            Ok(Answer::MultiChoice(keys))
        }
        ItemKind::Number(m) | ItemKind::Duration(m) => {
            let is_duration = matches!(item.kind, ItemKind::Duration(_));
            let Some(n) = v.as_f64().filter(|n| v.is_number() && n.is_finite()) else {
                return Err(Reason::NotNumber {
                    found: describe(v),
                    seconds: is_duration,
                });
            };
            if is_duration && n < 0.0 {
                return Err(Reason::NegativeDuration {
                    value: n.to_string(),
                });
            }
            if let Some(min) = m.min.filter(|min| n < *min) {
                return Err(Reason::BelowMinimum {
                    value: n.to_string(),
                    min: min.to_string(),
                });
            }
            if let Some(max) = m.max.filter(|max| n > *max) {
                return Err(Reason::AboveMaximum {
                    value: n.to_string(),
                    max: max.to_string(),
                });
            }
            if m.bands.is_some() && m.band_score(n).is_none() {
                return Err(Reason::AboveBands {
                    value: n.to_string(),
                });
            }
            Ok(Answer::Number(n))
        }
        ItemKind::Text => match v.as_str() {
            Some("na") if item.na_allowed => Ok(Answer::Na),
            Some(s) => Ok(Answer::Text(s.to_owned())),
            None => Err(Reason::NotText { found: describe(v) }),
        },
        ItemKind::Timestamp => match v.as_str() {
            Some(s) if is_rfc3339(s) => Ok(Answer::Timestamp(s.to_owned())),
            _ => Err(Reason::NotTimestamp { found: describe(v) }),
        },
        ItemKind::Photo => match v.as_array() {
            Some(_) if is_reference_list(v) => Ok(Answer::Photos(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            )),
            _ => Err(Reason::NotReferences { found: describe(v) }),
        },
        ItemKind::Note => Err(Reason::NoteTakesNoAnswer),
    }
}

/// Is `s` an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`) with valid field ranges?
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(min), Some(sec)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day == 0
        || day > days[(month - 1) as usize]
        || hour > 23
        || min > 59
        || sec > 60
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest {
        "Z" | "z" => true,
        offset
            if offset.len() == 6
                && matches!(offset.as_bytes()[0], b'+' | b'-')
                && offset.as_bytes()[3] == b':' =>
        {
            matches!((offset[1..3].parse::<u32>(), offset[4..6].parse::<u32>()), (Ok(h), Ok(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_rfc3339;

    #[test]
    fn rfc3339() {
        assert!(is_rfc3339("2026-10-03T14:12:00+03:00"));
        assert!(is_rfc3339("2024-02-29T00:00:00.123Z"));
        assert!(!is_rfc3339("2023-02-29T00:00:00Z"));
        assert!(!is_rfc3339("2026-10-03 14:12"));
        assert!(!is_rfc3339("2026-13-03T14:12:00Z"));
        assert!(!is_rfc3339("2026-10-03T14:12:00+3:00"));
    }
}
