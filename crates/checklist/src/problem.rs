//! Problems found in a checklist document, each with a JSON-pointer path and a plain message.
//!
//! A problem says what is wrong twice: as an English sentence (`problem`, what the CLI prints and
//! the JSON output carries) and as data ([`ProblemReason`]), so that a server can word it in its
//! reader's language. The sentence is the reason's [`fmt::Display`].

use std::fmt;

use serde::Serialize;

use crate::condition::{CheckReason, SyntaxReason};

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
    /// What is wrong, in plain (English) words.
    pub problem: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, as data: for wording it in another language.
    #[serde(skip)]
    pub reason: ProblemReason,
}

impl Problem {
    /// An error at `path`.
    pub fn error(path: impl Into<String>, reason: ProblemReason) -> Self {
        Problem {
            path: path.into(),
            problem: reason.to_string(),
            severity: Severity::Error,
            reason,
        }
    }

    /// A warning at `path`.
    pub fn warning(path: impl Into<String>, reason: ProblemReason) -> Self {
        Problem {
            path: path.into(),
            problem: reason.to_string(),
            severity: Severity::Warning,
            reason,
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

/// What a JSON value turned out to be, for "expected …, found …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number (when its value does not matter).
    Number,
    /// A string (when its value does not matter).
    String,
    /// A list.
    List,
    /// An object.
    Object,
    /// A string or number as written in the document: `"abc"` (with its quotes), `0.5`.
    Value(String),
}

impl Found {
    /// The kind of `v`.
    pub fn kind_of(v: &serde_json::Value) -> Self {
        use serde_json::Value as V;
        match v {
            V::Null => Self::Null,
            V::Bool(_) => Self::Bool,
            V::Number(_) => Self::Number,
            V::String(_) => Self::String,
            V::Array(_) => Self::List,
            V::Object(_) => Self::Object,
        }
    }

    /// `v` itself when it is a string or a number, else its kind.
    pub fn value_of(v: &serde_json::Value) -> Self {
        use serde_json::Value as V;
        match v {
            V::String(s) => Self::Value(format!("\"{s}\"")),
            V::Number(n) => Self::Value(n.to_string()),
            other => Self::kind_of(other),
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Null => "null",
            Self::Bool => "true/false",
            Self::Number => "a number",
            Self::String => "a string",
            Self::List => "a list",
            Self::Object => "an object",
            Self::Value(v) => v,
        })
    }
}

/// A part of a checklist written as a JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole document.
    Checklist,
    /// A section.
    Section,
    /// An item.
    Item,
    /// An item's evidence rule.
    Evidence,
    /// A choice option.
    Option,
    /// A scoring band.
    Band,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Checklist => "a checklist",
            Self::Section => "a section",
            Self::Item => "an item",
            Self::Evidence => "an evidence rule such as {\"photo\": \"on_fail\"}",
            Self::Option => "an option",
            Self::Band => "a band such as {\"max\": 5, \"score\": 1}",
        })
    }
}

/// What a list in a checklist holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOf {
    /// `languages`.
    LanguageTags,
    /// `sections`.
    Sections,
    /// A section's `items`.
    Items,
    /// An item's `tags`.
    Strings,
    /// A choice item's `options`.
    Options,
    /// A measure's `bands`.
    Bands,
}

impl fmt::Display for ListOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LanguageTags => "a list of language tags",
            Self::Sections => "a list of sections",
            Self::Items => "a list of items",
            Self::Strings => "a list of strings",
            Self::Options => "a list of options",
            Self::Bands => "a list of bands",
        })
    }
}

/// What a value should have been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A JSON object standing for this part.
    Object(Part),
    /// A string.
    String,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A whole number.
    WholeNumber,
    /// Text per language (`{"en": "…", "ar": "…"}`).
    TextPerLanguage,
    /// A list.
    List(ListOf),
    /// A critical rule: `"zero"` or `{"cap": 0.5}`.
    CriticalRule,
    /// A photo rule: `"required"` or `"on_fail"`.
    PhotoRule,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Object(part) => write!(f, "{part} (an object)"),
            Self::String => f.write_str("a string"),
            Self::Bool => f.write_str("true or false"),
            Self::Number => f.write_str("a number"),
            Self::WholeNumber => f.write_str("a whole number"),
            Self::TextPerLanguage => {
                f.write_str("text per language (an object such as {\"en\": \"…\", \"ar\": \"…\"})")
            }
            Self::List(of) => of.fmt(f),
            Self::CriticalRule => f.write_str("\"zero\" or {\"cap\": 0.5}"),
            Self::PhotoRule => f.write_str("\"required\" or \"on_fail\""),
        }
    }
}

/// What has a key that must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// A section (unique in the checklist).
    Section,
    /// An item (unique in the checklist, across sections).
    Item,
    /// A choice option (unique in its item).
    Option,
}

impl fmt::Display for Keyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Section => "section",
            Self::Item => "item",
            Self::Option => "option",
        })
    }
}

/// What carries text that must exist in some language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Titled {
    /// The checklist's title.
    Checklist,
    /// A section's title.
    Section,
    /// An item's text.
    Item,
}

/// What has a score that must lie in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scored {
    /// A choice option.
    Option,
    /// A band.
    Band,
}

/// Why a checklist document is refused or warned about. Values are as the document wrote them
/// (keys, numbers as text); [`fmt::Display`] is the English sentence ([`Problem::problem`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemReason {
    /// A value of the wrong JSON type (or a value outside a small fixed set).
    WrongType {
        /// What was expected.
        expected: Expected,
        /// What was found.
        found: Found,
    },
    /// A field the format does not know.
    UnknownField {
        /// The field as written.
        field: String,
        /// The known field it probably meant.
        suggestion: Option<String>,
    },
    /// A required field is missing.
    MissingField {
        /// The field.
        field: String,
    },
    /// An empty (or blank) string.
    Empty,
    /// A list that must hold at least one entry is empty.
    EmptyList(ListOf),
    /// Not a valid checklist, section or item key.
    InvalidKey {
        /// The key as written.
        found: String,
    },
    /// Not a BCP-47 language tag.
    InvalidLanguageTag {
        /// The tag as written.
        found: String,
    },
    /// A plain string given as text before any language is declared.
    TextWithoutLanguages,
    /// A language listed twice in `languages`.
    LanguageTwice {
        /// The tag.
        lang: String,
    },
    /// `version` is not a whole number ≥ 1.
    InvalidVersion {
        /// What was found.
        found: Found,
    },
    /// A weight that is not greater than 0: `found` when it was read as a number (the reader),
    /// none when judged on the model.
    WeightNotPositive {
        /// The weight as written.
        found: Option<String>,
    },
    /// A type-specific field given to a type that does not take it.
    FieldNotForType {
        /// The field.
        field: String,
        /// The item type.
        item_type: String,
    },
    /// An item type the format does not know.
    UnknownItemType {
        /// The type as written.
        found: String,
        /// The known types, comma separated.
        types: String,
    },
    /// A choice option without its `key`.
    OptionWithoutKey,
    /// A `show_if` that does not parse.
    ConditionSyntax {
        /// The condition as written.
        condition: String,
        /// 1-based character column of the error.
        column: usize,
        /// What is wrong.
        reason: SyntaxReason,
    },
    /// A `show_if` that parses but does not type check against the items before it.
    Condition {
        /// The part of the condition concerned, when the problem is about a part.
        context: Option<String>,
        /// What is wrong.
        reason: CheckReason,
    },
    /// A title or item text with no language at all.
    NoText(Titled),
    /// The critical cap is outside 0..1.
    CapOutOfRange {
        /// The cap.
        found: String,
    },
    /// A key used twice.
    DuplicateKey {
        /// What kind of key.
        of: Keyed,
        /// The key.
        key: String,
        /// JSON pointer of its first use.
        first: String,
    },
    /// Text missing in a language the checklist declares (a warning).
    MissingTranslation {
        /// The language.
        lang: String,
    },
    /// Text in a language the checklist does not declare (a warning).
    UndeclaredLanguage {
        /// The language.
        lang: String,
    },
    /// A scale whose min is not below its max.
    ScaleBounds {
        /// Min.
        min: i64,
        /// Max.
        max: i64,
    },
    /// A score outside 0..=1.
    ScoreOutOfRange {
        /// Whose score.
        of: Scored,
        /// The score.
        found: String,
    },
    /// `required` or `na_allowed` on a note.
    NoteFlag {
        /// The flag.
        flag: String,
    },
    /// A weight on a note (a warning).
    NoteWeight,
    /// A critical item of a type that is never scored.
    CriticalNeverScored {
        /// The item type.
        item_type: String,
    },
    /// A critical item no answer of which scores 0.
    CriticalCannotFail,
    /// Photo evidence on a photo or note item.
    EvidenceNotForType {
        /// The item type.
        item_type: String,
    },
    /// `"on_fail"` evidence on an item that cannot score 0.
    OnFailCannotFail,
    /// An owner with leading or trailing spaces.
    OwnerSpaces,
    /// A number or duration whose min is not below its max.
    MinNotBelowMax {
        /// Min.
        min: String,
        /// Max.
        max: String,
    },
    /// A negative minimum on a duration.
    NegativeDuration,
    /// A band other than the last without `max`.
    BandWithoutMax,
    /// Two bands with the same `max`.
    BandsOverlap {
        /// The shared max.
        max: String,
    },
    /// Bands out of order.
    BandsUnsorted {
        /// This band's max.
        max: String,
        /// The previous band's max.
        previous: String,
    },
    /// A band that ends below the item's min (a warning).
    BandBelowMin,
    /// Answers between the last band and the item's max have no score.
    BandGap {
        /// The last band's max.
        last: String,
        /// The item's max.
        max: String,
    },
    /// No item is scored (a warning).
    NothingScored,
    /// The text is not JSON or YAML at all (for readers of files, such as the CLI): the
    /// parser's own message.
    Unreadable {
        /// The parser's message, with line and column.
        message: String,
    },
}

impl fmt::Display for ProblemReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongType { expected, found } => write!(f, "expected {expected}, found {found}"),
            Self::UnknownField { field, suggestion } => {
                write!(f, "unknown field '{field}'")?;
                match suggestion {
                    Some(s) => write!(f, " (did you mean '{s}'?)"),
                    None => Ok(()),
                }
            }
            Self::MissingField { field } => write!(f, "missing required field '{field}'"),
            Self::Empty => f.write_str("must not be empty"),
            Self::EmptyList(of) => f.write_str(match of {
                ListOf::LanguageTags => "list at least one language, e.g. [\"en\", \"ar\"]",
                ListOf::Sections => "a checklist needs at least one section",
                ListOf::Items => "a section needs at least one item",
                ListOf::Strings => "list at least one entry",
                ListOf::Options => "a choice item needs at least one option",
                ListOf::Bands => {
                    "give at least one band, or leave 'bands' out for an unscored item"
                }
            }),
            Self::InvalidKey { found } => write!(
                f,
                "{found:?} is not a valid key: it {}",
                crate::key::KEY_RULE
            ),
            Self::InvalidLanguageTag { found } => write!(
                f,
                "{found:?} is not a BCP-47 language tag (for example en, ar, ar-SA)"
            ),
            Self::TextWithoutLanguages => f.write_str("give text per language, e.g. {\"en\": \"…\"}"),
            Self::LanguageTwice { lang } => write!(f, "language '{lang}' is listed twice"),
            Self::InvalidVersion { found } => {
                write!(f, "version must be a whole number ≥ 1, found {found}")
            }
            Self::WeightNotPositive { found: Some(w) } => {
                write!(f, "weight must be greater than 0, found {w}")
            }
            Self::WeightNotPositive { found: None } => {
                f.write_str("weight must be a number greater than 0")
            }
            Self::FieldNotForType { field, item_type } => {
                write!(f, "'{field}' does not apply to a {item_type} item")
            }
            Self::UnknownItemType { found, types } => {
                write!(f, "unknown item type '{found}' (types: {types})")
            }
            Self::OptionWithoutKey => f.write_str("option without a key"),
            Self::ConditionSyntax {
                condition,
                column,
                reason,
            } => write!(f, "at column {column}: {reason} in `{condition}`"),
            Self::Condition {
                context: Some(context),
                reason,
            } => write!(f, "in `{context}`: {reason}"),
            Self::Condition {
                context: None,
                reason,
            } => reason.fmt(f),
            Self::NoText(Titled::Checklist) => {
                f.write_str("the checklist has no title in any language")
            }
            Self::NoText(Titled::Section) => f.write_str("the section has no title in any language"),
            Self::NoText(Titled::Item) => f.write_str(
                "the item has no text in any language, so a shopper would see nothing",
            ),
            Self::CapOutOfRange { found } => {
                write!(f, "the cap must be at least 0 and below 1, found {found}")
            }
            Self::DuplicateKey { of, key, first } => {
                write!(f, "duplicate {of} key '{key}' (first used at {first})")
            }
            Self::MissingTranslation { lang } => {
                write!(f, "no '{lang}' text, although the checklist declares '{lang}'")
            }
            Self::UndeclaredLanguage { lang } => write!(
                f,
                "text in '{lang}', which is not among the checklist's languages"
            ),
            Self::ScaleBounds { min, max } => write!(
                f,
                "a scale needs min < max, found min {min} and max {max}"
            ),
            Self::ScoreOutOfRange { of, found } => {
                let whose = match of {
                    Scored::Option => "an option's",
                    Scored::Band => "a band's",
                };
                write!(f, "{whose} score must be between 0 and 1, found {found}")
            }
            Self::NoteFlag { flag } => {
                write!(f, "a note is never answered, so it cannot be {flag}")
            }
            Self::NoteWeight => f.write_str("a note is not scored, so its weight has no effect"),
            Self::CriticalNeverScored { item_type } => write!(
                f,
                "a critical item must be able to fail, but this {item_type} item is never scored"
            ),
            Self::CriticalCannotFail => f.write_str(
                "a critical item must be able to fail, but no answer scores 0 (give an option or band the score 0)",
            ),
            Self::EvidenceNotForType { item_type } => {
                write!(f, "a {item_type} item cannot require photo evidence")
            }
            Self::OnFailCannotFail => f.write_str(
                "\"on_fail\" needs an item that can score 0; use \"required\" or give a failing answer a score of 0",
            ),
            Self::OwnerSpaces => f.write_str("the owner must not start or end with spaces"),
            Self::MinNotBelowMax { min, max } => {
                write!(f, "min ({min}) must be below max ({max})")
            }
            Self::NegativeDuration => f.write_str("a duration is never negative"),
            Self::BandWithoutMax => f.write_str(
                "only the last band may leave out 'max' (it catches every larger value)",
            ),
            Self::BandsOverlap { max } => write!(f, "bands overlap: two bands end at {max}"),
            Self::BandsUnsorted { max, previous } => write!(
                f,
                "bands must be sorted by ascending 'max', but {max} follows {previous}"
            ),
            Self::BandBelowMin => {
                f.write_str("this band ends below the item's min, so no answer falls in it")
            }
            Self::BandGap { last, max } => write!(
                f,
                "gap: answers from {last} up to the item's max ({max}) fall in no band; add a catch-all band"
            ),
            Self::NothingScored => f.write_str(
                "no item in this checklist is scored, so every visit will score N/A",
            ),
            Self::Unreadable { message } => f.write_str(message),
        }
    }
}

impl ProblemReason {
    /// Every kind of reason at least once (every variant of the enums inside too), with
    /// made-up values: for tests that must cover them all, such as a server's translations.
    #[doc(hidden)]
    pub fn examples() -> Vec<ProblemReason> {
        use crate::condition::{Token, ValueType, Want};
        let parts = [
            Part::Checklist,
            Part::Section,
            Part::Item,
            Part::Evidence,
            Part::Option,
            Part::Band,
        ];
        let lists = [
            ListOf::LanguageTags,
            ListOf::Sections,
            ListOf::Items,
            ListOf::Strings,
            ListOf::Options,
            ListOf::Bands,
        ];
        let found = [
            Found::Null,
            Found::Bool,
            Found::Number,
            Found::String,
            Found::List,
            Found::Object,
            Found::Value("\"x\"".into()),
        ];
        let mut expected: Vec<Expected> = parts.into_iter().map(Expected::Object).collect();
        expected.extend(lists.into_iter().map(Expected::List));
        expected.extend([
            Expected::String,
            Expected::Bool,
            Expected::Number,
            Expected::WholeNumber,
            Expected::TextPerLanguage,
            Expected::CriticalRule,
            Expected::PhotoRule,
        ]);
        let mut out = Vec::new();
        for (i, e) in expected.into_iter().enumerate() {
            out.push(ProblemReason::WrongType {
                expected: e,
                found: found[i % found.len()].clone(),
            });
        }
        out.extend(found.iter().cloned().map(|found| ProblemReason::WrongType {
            expected: Expected::String,
            found,
        }));
        out.extend(lists.into_iter().map(ProblemReason::EmptyList));
        let k = || "wait_minutes".to_owned();
        let wants = [
            Want::CloseParen,
            Want::OpenParenAfterAnswered,
            Want::OpenParenAfterSelected,
            Want::CommaBeforeOption,
            Want::OpenBracket,
            Want::CommaOrCloseBracket,
            Want::ItemKey,
            Want::QuotedOption,
            Want::Operand,
            Want::Value,
            Want::InAfterNot,
            Want::Comparison { after: k() },
        ];
        let tokens = [
            Token::Symbol("'('".into()),
            Token::Str("'x'".into()),
            Token::Num("3".into()),
            Token::End,
        ];
        let mut syntax: Vec<SyntaxReason> = wants
            .into_iter()
            .enumerate()
            .map(|(i, want)| SyntaxReason::Expected {
                want,
                found: tokens[i % tokens.len()].clone(),
            })
            .collect();
        syntax.extend(
            tokens
                .into_iter()
                .map(|found| SyntaxReason::Trailing { found }),
        );
        syntax.extend([
            SyntaxReason::SingleEquals,
            SyntaxReason::Bang,
            SyntaxReason::DoubleQuote,
            SyntaxReason::UnclosedString,
            SyntaxReason::BadEscape,
            SyntaxReason::UnusableNumber {
                word: "1e999".into(),
            },
            SyntaxReason::UpperCaseKey {
                word: "Wait".into(),
            },
            SyntaxReason::NotNumberNorKey { word: "-x".into() },
            SyntaxReason::UnexpectedChar { found: "%".into() },
            SyntaxReason::TooManyOperators { max: 256 },
            SyntaxReason::TooDeep { max: 64 },
            SyntaxReason::InvalidKey { found: "-x".into() },
            SyntaxReason::Empty,
        ]);
        out.extend(
            syntax
                .into_iter()
                .map(|reason| ProblemReason::ConditionSyntax {
                    condition: "wait_minutes = 3".into(),
                    column: 14,
                    reason,
                }),
        );
        let check = [
            CheckReason::ReservedWord { key: "and".into() },
            CheckReason::UnknownItem { key: k() },
            CheckReason::SelfReference { key: k() },
            CheckReason::LaterItem { key: k() },
            CheckReason::MultiChoiceCompared { key: k() },
            CheckReason::PhotoCompared { key: k() },
            CheckReason::NoteNeverAnswered { key: k() },
            CheckReason::TypeMismatch {
                key: k(),
                holds: ValueType::Number,
                literal: "'x'".into(),
                is: ValueType::Text,
            },
            CheckReason::NotAnAnswer {
                literal: "'maybe'".into(),
                key: k(),
                answers: "yes, no".into(),
            },
            CheckReason::NotAnOption {
                option: "c".into(),
                key: k(),
                options: "a, b".into(),
            },
            CheckReason::SelectedNeedsChoice {
                key: k(),
                item_type: "number".into(),
            },
            CheckReason::ConstantComparison,
            CheckReason::ItemsDiffer {
                left: k(),
                left_holds: ValueType::Bool,
                right: "greeted".into(),
                right_holds: ValueType::Text,
            },
            CheckReason::InNeedsItem,
            CheckReason::OrderingNotNumber {
                op: "<".into(),
                ty: ValueType::Text,
            },
        ];
        for (i, reason) in check.into_iter().enumerate() {
            out.push(ProblemReason::Condition {
                context: (i % 2 == 0).then(|| "wait_minutes > 'x'".to_owned()),
                reason,
            });
        }
        out.extend([
            ProblemReason::UnknownField {
                field: "wieght".into(),
                suggestion: Some("weight".into()),
            },
            ProblemReason::UnknownField {
                field: "colour".into(),
                suggestion: None,
            },
            ProblemReason::MissingField {
                field: "key".into(),
            },
            ProblemReason::Empty,
            ProblemReason::InvalidKey {
                found: "Bad Key".into(),
            },
            ProblemReason::InvalidLanguageTag {
                found: "en_US".into(),
            },
            ProblemReason::TextWithoutLanguages,
            ProblemReason::LanguageTwice { lang: "ar".into() },
            ProblemReason::InvalidVersion {
                found: Found::Value("0".into()),
            },
            ProblemReason::WeightNotPositive {
                found: Some("-1".into()),
            },
            ProblemReason::WeightNotPositive { found: None },
            ProblemReason::FieldNotForType {
                field: "options".into(),
                item_type: "yes_no".into(),
            },
            ProblemReason::UnknownItemType {
                found: "yesno".into(),
                types: "yes_no, scale".into(),
            },
            ProblemReason::OptionWithoutKey,
            ProblemReason::NoText(Titled::Checklist),
            ProblemReason::NoText(Titled::Section),
            ProblemReason::NoText(Titled::Item),
            ProblemReason::CapOutOfRange {
                found: "1.5".into(),
            },
            ProblemReason::DuplicateKey {
                of: Keyed::Section,
                key: "entrance".into(),
                first: "/sections/0".into(),
            },
            ProblemReason::DuplicateKey {
                of: Keyed::Item,
                key: k(),
                first: "/sections/0/items/1".into(),
            },
            ProblemReason::DuplicateKey {
                of: Keyed::Option,
                key: "a".into(),
                first: "/sections/0/items/1/options/0".into(),
            },
            ProblemReason::MissingTranslation { lang: "ar".into() },
            ProblemReason::UndeclaredLanguage { lang: "fr".into() },
            ProblemReason::ScaleBounds { min: 5, max: 1 },
            ProblemReason::ScoreOutOfRange {
                of: Scored::Option,
                found: "2".into(),
            },
            ProblemReason::ScoreOutOfRange {
                of: Scored::Band,
                found: "-0.5".into(),
            },
            ProblemReason::NoteFlag {
                flag: "required".into(),
            },
            ProblemReason::NoteWeight,
            ProblemReason::CriticalNeverScored {
                item_type: "text".into(),
            },
            ProblemReason::CriticalCannotFail,
            ProblemReason::EvidenceNotForType {
                item_type: "photo".into(),
            },
            ProblemReason::OnFailCannotFail,
            ProblemReason::OwnerSpaces,
            ProblemReason::MinNotBelowMax {
                min: "10".into(),
                max: "5".into(),
            },
            ProblemReason::NegativeDuration,
            ProblemReason::BandWithoutMax,
            ProblemReason::BandsOverlap { max: "5".into() },
            ProblemReason::BandsUnsorted {
                max: "3".into(),
                previous: "5".into(),
            },
            ProblemReason::BandBelowMin,
            ProblemReason::BandGap {
                last: "10".into(),
                max: "60".into(),
            },
            ProblemReason::NothingScored,
            ProblemReason::Unreadable {
                message: "not valid JSON at line 1, column 2: expected value".into(),
            },
        ]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::mem::discriminant;

    #[test]
    fn every_reason_has_an_english_sentence_and_the_examples_cover_every_kind() {
        let examples = ProblemReason::examples();
        for r in &examples {
            let text = r.to_string();
            assert!(!text.trim().is_empty(), "{r:?}");
            assert!(!text.contains("{}"), "{r:?}: {text}");
        }
        // One per variant: 39 of ProblemReason (counted by hand; a new variant must be added to
        // `examples` and here).
        let kinds: HashSet<_> = examples.iter().map(discriminant).collect();
        assert_eq!(kinds.len(), 39);
        let syntax: HashSet<_> = examples
            .iter()
            .filter_map(|r| match r {
                ProblemReason::ConditionSyntax { reason, .. } => Some(discriminant(reason)),
                _ => None,
            })
            .collect();
        assert_eq!(syntax.len(), 15);
        let check: HashSet<_> = examples
            .iter()
            .filter_map(|r| match r {
                ProblemReason::Condition { reason, .. } => Some(discriminant(reason)),
                _ => None,
            })
            .collect();
        assert_eq!(check.len(), 15);
    }

    #[test]
    fn problems_keep_the_sentence_of_their_reason() {
        let p = Problem::warning(
            "/title",
            ProblemReason::MissingTranslation { lang: "ar".into() },
        );
        assert_eq!(
            p.problem,
            "no 'ar' text, although the checklist declares 'ar'"
        );
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({"path": "/title", "problem": p.problem, "severity": "warning"})
        );
    }
}
