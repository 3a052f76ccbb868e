#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod answer;
pub mod canonical;
pub mod condition;
pub mod error;
pub mod key;
pub mod load;
pub mod model;
pub mod problem;
pub mod validate;
pub mod xlsform;

pub use answer::{
    Answer, AnswerChecker, AnswerProblem, AnswerState, CheckedAnswers, Completeness, Reason,
};
pub use error::Error;
pub use key::{ChecklistKey, ItemKey, LangTag, SectionKey};
pub use load::{Outcome, from_json_str, from_value, from_yaml_str};
pub use model::{
    Band, Checklist, ChoiceOption, CriticalRule, Evidence, Item, ItemKind, LocalizedText, Measure,
    PhotoRule, Section,
};
pub use problem::{Problem, ProblemReason, Severity};
