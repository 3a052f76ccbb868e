//! What is wrong with a workbook, as data ([`SheetReason`]), so that a server can word it in its
//! reader's language. `Display` gives the English sentence that [`super::SheetProblem::problem`]
//! carries. Values from the workbook (types, names, expressions) are kept as written.

use std::fmt;

use crate::problem::{Keyed, ProblemReason};

/// Why a workbook cell, row or sheet is a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetReason {
    /// The checklist's validation found it; the sheet, row and column are where it came from.
    Checklist(ProblemReason),
    /// A validation problem of the form title, where there is no settings sheet to point at.
    FormTitle(ProblemReason),
    /// The file is not a readable workbook (`sheet` is `None`), or one of its sheets cannot be
    /// read; `cause` is the spreadsheet reader's own words.
    Unreadable {
        /// The sheet that cannot be read.
        sheet: Option<String>,
        /// The reader's explanation.
        cause: String,
    },
    /// The workbook has no `survey` sheet.
    NoSurveySheet {
        /// The sheets it has, comma-separated.
        sheets: String,
    },
    /// No `form_id` in the settings, and the file name gives no key either.
    NoKey(ProblemReason),
    /// A language name in a column header or in `default_language` that cannot be mapped.
    Language {
        /// The name as written.
        label: String,
        /// The code in parentheses, when that is what is wrong.
        code: Option<String>,
    },
    /// Something the form needs is not there.
    Missing(Missing),
    /// A cell's value is not one its column takes.
    Value {
        /// The value (or the part of it) as written.
        found: String,
        /// What the column takes.
        wanted: Wanted,
    },
    /// A question type sirr cannot use as it is.
    Type {
        /// The type as written.
        found: String,
        /// What becomes of it.
        outcome: TypeOutcome,
    },
    /// A name that cannot become a section or item key.
    BadName {
        /// The name as written.
        name: String,
        /// What it would have been the key of.
        of: Keyed,
    },
    /// Something wrong with a group (`begin_group` … `end_group`).
    Group {
        /// The group's name (or section key).
        name: String,
        /// What is wrong.
        problem: GroupProblem,
    },
    /// A choice name used twice in one list.
    ChoiceRepeated {
        /// The choice name.
        name: String,
        /// The list.
        list: String,
        /// The row of the first one.
        first_row: u32,
        /// Identical, so merged (a warning), or different (an error).
        merged: bool,
    },
    /// A question name that gives a key an earlier question already has.
    KeyReused {
        /// The name as written.
        name: String,
        /// The key it gives.
        key: String,
        /// The row of the question with that key.
        first_row: u32,
    },
    /// An XLSForm feature that is not carried into the checklist.
    NotImported(NotImported),
    /// A `relevant` expression that cannot be translated into a condition.
    Relevant {
        /// The expression as written.
        expression: String,
        /// 1-based character position of the problem.
        position: usize,
        /// What is wrong there.
        reason: ExprReason,
    },
}

/// What is missing (see [`SheetReason::Missing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The survey sheet has no `type` or no `name` column.
    SurveyColumns,
    /// Nothing in the survey becomes a question.
    Questions,
    /// A row with a name or label but no type.
    Type,
    /// A question without a name.
    Name,
    /// A question without a label.
    Label,
    /// A note without label text.
    NoteText,
    /// A choice without a `list_name`.
    ListName,
    /// A choice without a name.
    ChoiceName {
        /// Its list.
        list: String,
    },
    /// A select question's list is not on the choices sheet.
    List {
        /// The list named.
        list: String,
    },
    /// `end group` with no group open.
    BeginGroup,
    /// An empty `bands` cell (only separators).
    Bands,
}

/// What a cell takes (see [`SheetReason::Value`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// A number.
    Number,
    /// A number, inside one `part` of a list such as bands or parameters.
    NumberIn {
        /// The part as written.
        part: String,
    },
    /// A score, inside one band.
    ScoreIn {
        /// The band as written.
        part: String,
    },
    /// A choice's score, between 0 and 1.
    Score,
    /// yes or no.
    YesNo,
    /// `required` or `on_fail`.
    EvidenceRule,
    /// `zero` or `cap 0.5`.
    CriticalRule,
    /// A version number (a warning: version 1 is used).
    Version,
    /// A band `max:score`.
    Band,
    /// A parameter `name=value`.
    NameValue,
}

/// What becomes of a question type (see [`SheetReason::Type`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeOutcome {
    /// Not an XLSForm type.
    Unknown,
    /// A type with no place in a checklist (locations, media, files …).
    NoPlace,
    /// A repeat or loop.
    RepeatOrLoop,
    /// A select whose options are not on the choices sheet.
    SelectWithoutList,
    /// Device metadata: skipped.
    Metadata,
    /// A calculation: skipped.
    Computed,
    /// Imported as a text item.
    BecomesText,
}

/// What is wrong with a group (see [`SheetReason::Group`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupProblem {
    /// No label: the name is the section title.
    NoLabel,
    /// Nested: merged into the enclosing section.
    Nested,
    /// Never closed.
    NeverClosed,
    /// Holds nothing a checklist can use.
    Empty,
}

/// A feature that is not imported (see [`SheetReason::NotImported`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotImported {
    /// A `required` that is an expression.
    ConditionalRequired {
        /// The expression.
        value: String,
    },
    /// `constraint`.
    Constraint,
    /// `choice_filter`.
    ChoiceFilter,
    /// `calculation`.
    Calculation,
    /// A `range` that is not whole steps of 1 (it becomes a number item).
    FractionalRange,
    /// A column that means nothing to a checklist.
    Column {
        /// The header as written.
        column: String,
    },
}

/// Why a `relevant` expression cannot be translated (see [`SheetReason::Relevant`]).
/// `${name}` references are kept as written, braces included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprReason {
    /// `${` without `}`.
    UnclosedReference,
    /// A quote without its closing quote.
    UnclosedString,
    /// Digits that do not make a number.
    NotANumber {
        /// As written.
        found: String,
    },
    /// `.` (the current question).
    CurrentQuestion,
    /// A character outside the supported subset (arithmetic, paths).
    UnsupportedCharacter {
        /// The character.
        found: String,
    },
    /// Something else was expected here.
    Expected(Expected),
    /// A reference to a question that is not before this one.
    NotBefore {
        /// The reference, `${name}`.
        reference: String,
    },
    /// A function that needs a `${question}` argument got something else.
    NeedsReference {
        /// The function.
        function: String,
    },
    /// `selected()` without a quoted option.
    SelectedNeedsOption,
    /// `selected()` on a question that is not a select.
    SelectedNeedsSelect {
        /// The reference, `${name}`.
        reference: String,
    },
    /// A function outside the supported subset.
    UnknownFunction {
        /// The function.
        function: String,
    },
    /// The expression stops in the middle.
    EndsEarly,
    /// A token where none can be.
    Unexpected {
        /// The token, quoted, or `end`.
        found: String,
        /// After a complete condition (rather than in the middle of one).
        after_condition: bool,
    },
    /// A constant where a condition is needed.
    ConstantAlone,
    /// `string-length()`/`count-selected()` compared other than with 0.
    OnlyEmptinessTests,
    /// `<` and the like against `''`.
    OnlyEqualityWithEmpty,
    /// A number question compared with text that is not a number.
    NumberVersusText {
        /// The reference, `${name}`.
        reference: String,
        /// The text.
        found: String,
    },
    /// A select-multiple or photo question compared with a value.
    OnlySelected {
        /// The reference, `${name}`.
        reference: String,
    },
    /// Two questions of different kinds compared.
    NotComparable {
        /// The left reference, `${name}`.
        left: String,
        /// The right reference, `${name}`.
        right: String,
    },
    /// A comparison without a question on either side.
    UnsupportedComparison,
    /// `false()`: the question would never show.
    AlwaysFalse,
}

/// What was expected (see [`ExprReason::Expected`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A closing parenthesis.
    CloseParen,
    /// An opening parenthesis after a word (only functions are allowed).
    OpenParenAfter {
        /// The word.
        word: String,
    },
    /// The comma of `selected(${question}, 'option')`.
    SelectedComma,
}

/// The key rule of XLSForm names, as the import applies it.
pub const NAME_RULE: &str =
    "it must start with a letter or digit and contain only letters, digits, '_', '-' and '.'";
/// What `selected()` looks like.
pub const SELECTED_FORM: &str = "selected(${question}, 'option')";
/// How a band list is written.
pub const BANDS_EXAMPLE: &str = "5:1; 10:0.5; *:0";

impl fmt::Display for SheetReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Checklist(reason) => write!(f, "{reason}"),
            Self::FormTitle(reason) => write!(f, "form title: {reason}"),
            Self::Unreadable { sheet: None, cause } => write!(
                f,
                "not a readable spreadsheet (.xlsx, .xls or .ods): {cause}"
            ),
            Self::Unreadable {
                sheet: Some(sheet),
                cause,
            } => write!(f, "cannot read sheet '{sheet}': {cause}"),
            Self::NoSurveySheet { sheets } => {
                write!(f, "the workbook has no 'survey' sheet (sheets: {sheets})")
            }
            Self::NoKey(reason) => write!(
                f,
                "no form_id in settings, and the file name gives no key: {reason}"
            ),
            Self::Language { label, code: None } => write!(
                f,
                "cannot tell which language '{label}' is: write it as 'Name (code)', e.g. 'Arabic (ar)'"
            ),
            Self::Language {
                label,
                code: Some(code),
            } => write!(
                f,
                "language '{label}': {}",
                ProblemReason::InvalidLanguageTag {
                    found: code.clone()
                }
            ),
            Self::Missing(missing) => write!(f, "{missing}"),
            Self::Value { found, wanted } => match wanted {
                Wanted::Number => write!(f, "'{found}' is not a number"),
                Wanted::NumberIn { part } => write!(f, "'{found}' in '{part}' is not a number"),
                Wanted::ScoreIn { part } => write!(f, "'{found}' in '{part}' is not a score"),
                Wanted::Score => write!(f, "'{found}' is not a score between 0 and 1"),
                Wanted::YesNo => write!(f, "'{found}' is not yes or no"),
                Wanted::EvidenceRule => write!(
                    f,
                    "'{found}' is not an evidence rule: write required or on_fail"
                ),
                Wanted::CriticalRule => write!(
                    f,
                    "'{found}' is not a critical rule: write zero or cap 0.5"
                ),
                Wanted::Version => write!(
                    f,
                    "version '{found}' is not a whole number from 1 to 4294967295, so the checklist gets version 1"
                ),
                Wanted::Band => write!(
                    f,
                    "'{found}' is not a band: write max:score, e.g. {BANDS_EXAMPLE}"
                ),
                Wanted::NameValue => write!(f, "'{found}' is not name=value"),
            },
            Self::Type { found, outcome } => match outcome {
                TypeOutcome::Unknown => write!(f, "unknown question type '{found}'"),
                TypeOutcome::NoPlace => write!(
                    f,
                    "'{found}' has no place in a checklist (sirr has sections of single questions, no repeats, loops, locations, audio, video or files)"
                ),
                TypeOutcome::RepeatOrLoop => write!(
                    f,
                    "'{found}' is refused: a checklist has no place for repeats or loops (each question is asked once per visit)"
                ),
                TypeOutcome::SelectWithoutList => write!(
                    f,
                    "'{found}' is not supported: choices must come from the choices sheet (select_one LIST or select_multiple LIST)"
                ),
                TypeOutcome::Metadata => {
                    write!(f, "'{found}' is device metadata, not a question: skipped")
                }
                TypeOutcome::Computed => {
                    write!(f, "'{found}' computes a value and asks nothing: skipped")
                }
                TypeOutcome::BecomesText => write!(f, "'{found}' becomes a text item"),
            },
            Self::BadName { name, of } => {
                let of = match of {
                    Keyed::Section => "a section key",
                    Keyed::Item | Keyed::Option => "an item key",
                };
                write!(f, "'{name}' cannot be {of}: {NAME_RULE}")
            }
            Self::Group { name, problem } => match problem {
                GroupProblem::NoLabel => write!(
                    f,
                    "the group '{name}' has no label; its name is used as the section title"
                ),
                GroupProblem::Nested => write!(
                    f,
                    "the nested group '{name}' is merged into the enclosing section (sections do not nest)"
                ),
                GroupProblem::NeverClosed => {
                    write!(f, "the group '{name}' is never closed with 'end group'")
                }
                GroupProblem::Empty => {
                    write!(f, "the group '{name}' holds no question a checklist can use")
                }
            },
            Self::ChoiceRepeated {
                name,
                list,
                first_row,
                merged: true,
            } => write!(
                f,
                "'{name}' repeats an earlier choice of list '{list}' (row {first_row}); the two are merged"
            ),
            Self::ChoiceRepeated {
                name,
                list,
                first_row,
                merged: false,
            } => write!(
                f,
                "'{name}' is already a choice of list '{list}' (row {first_row}) with another label or score"
            ),
            Self::KeyReused {
                name,
                key,
                first_row,
            } => write!(
                f,
                "'{name}' gives the key '{key}', which row {first_row} already uses"
            ),
            Self::NotImported(what) => match what {
                NotImported::ConditionalRequired { value } => write!(
                    f,
                    "a conditional 'required' ({value}) is not supported; the question is optional"
                ),
                NotImported::Constraint => f.write_str(
                    "constraints are not imported; answers are checked by type, range and options only",
                ),
                NotImported::ChoiceFilter => f.write_str(
                    "choice filters are not imported; every option of the list is offered",
                ),
                NotImported::Calculation => f.write_str("calculations are not imported"),
                NotImported::FractionalRange => {
                    f.write_str("a range that is not whole steps of 1 becomes a number item")
                }
                NotImported::Column { column } => write!(
                    f,
                    "the column '{column}' means nothing to a checklist and is ignored"
                ),
            },
            Self::Relevant {
                expression,
                position,
                reason,
            } => write!(
                f,
                "cannot translate `{expression}`: at character {position}: {reason}"
            ),
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SurveyColumns => f.write_str("the survey sheet needs 'type' and 'name' columns"),
            Self::Questions => f.write_str("the survey has no questions a checklist can use"),
            Self::Type => f.write_str("this row has no type"),
            Self::Name => f.write_str("this question has no name"),
            Self::Label => f.write_str("this question has no label"),
            Self::NoteText => {
                f.write_str("this note has no label text (images alone cannot be shown)")
            }
            Self::ListName => f.write_str("a choice without a list_name"),
            Self::ChoiceName { list } => {
                write!(f, "a choice in list '{list}' has no name (the option key)")
            }
            Self::List { list } => write!(f, "the choices sheet has no list '{list}'"),
            Self::BeginGroup => f.write_str("'end group' without a matching 'begin group'"),
            Self::Bands => write!(
                f,
                "no bands given: write max:score pairs, e.g. {BANDS_EXAMPLE}"
            ),
        }
    }
}

impl fmt::Display for ExprReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnclosedReference => f.write_str("'${' is never closed with '}'"),
            Self::UnclosedString => f.write_str("this string is never closed"),
            Self::NotANumber { found } => write!(f, "'{found}' is not a number"),
            Self::CurrentQuestion => f.write_str(
                "'.' (the current question) has no meaning in a relevant condition here",
            ),
            Self::UnsupportedCharacter { found } => write!(
                f,
                "'{found}' is not supported (arithmetic and paths are not part of a checklist condition)"
            ),
            Self::Expected(Expected::CloseParen) => f.write_str("expected ')'"),
            Self::Expected(Expected::OpenParenAfter { word }) => write!(
                f,
                "expected '(' after {word} (only functions are allowed here)"
            ),
            Self::Expected(Expected::SelectedComma) => {
                write!(f, "expected ',' in {SELECTED_FORM}")
            }
            Self::NotBefore { reference } => {
                write!(f, "{reference} is not a question before this one")
            }
            Self::NeedsReference { function } => {
                write!(f, "{function}() needs a ${{question}} reference here")
            }
            Self::SelectedNeedsOption => f.write_str("selected() needs an option in quotes"),
            Self::SelectedNeedsSelect { reference } => write!(
                f,
                "selected() needs a select question, but {reference} is not one"
            ),
            Self::UnknownFunction { function } => write!(
                f,
                "the function {function}() is not supported in a checklist condition"
            ),
            Self::EndsEarly => f.write_str("the expression ends too early"),
            Self::Unexpected {
                found,
                after_condition: false,
            } => write!(f, "unexpected {found}"),
            Self::Unexpected {
                found,
                after_condition: true,
            } => write!(f, "unexpected {found} after a complete condition"),
            Self::ConstantAlone => f.write_str("a constant on its own is not a condition"),
            Self::OnlyEmptinessTests => f.write_str(
                "only emptiness tests (> 0, = 0) are supported on string-length() and count-selected()",
            ),
            Self::OnlyEqualityWithEmpty => f.write_str("only = and != can compare with ''"),
            Self::NumberVersusText { reference, found } => {
                write!(f, "{reference} is a number, but '{found}' is not")
            }
            Self::OnlySelected { reference } => write!(
                f,
                "{reference} can only be tested with selected() or against ''"
            ),
            Self::NotComparable { left, right } => {
                write!(f, "{left} and {right} cannot be compared")
            }
            Self::UnsupportedComparison => f.write_str(
                "this comparison is not supported: compare a ${question} with a value",
            ),
            Self::AlwaysFalse => f.write_str("false() would hide the question for ever"),
        }
    }
}

impl SheetReason {
    /// Every kind of reason at least once (every variant of the enums inside too), with
    /// made-up values: for tests that must cover them all, such as a server's translations.
    #[doc(hidden)]
    pub fn examples() -> Vec<SheetReason> {
        let s = String::from;
        let mut out = vec![
            Self::Checklist(ProblemReason::Empty),
            Self::FormTitle(ProblemReason::Empty),
            Self::Unreadable {
                sheet: None,
                cause: s("Zip error: invalid Zip archive"),
            },
            Self::Unreadable {
                sheet: Some(s("survey")),
                cause: s("Xlsx error: bad cell"),
            },
            Self::NoSurveySheet {
                sheets: s("Sheet1, choices"),
            },
            Self::NoKey(ProblemReason::InvalidKey { found: s("") }),
            Self::Language {
                label: s("Klingonese"),
                code: None,
            },
            Self::Language {
                label: s("Arabic (a)"),
                code: Some(s("a")),
            },
            Self::BadName {
                name: s("=x"),
                of: Keyed::Item,
            },
            Self::BadName {
                name: s("=x"),
                of: Keyed::Section,
            },
            Self::ChoiceRepeated {
                name: s("yes"),
                list: s("yes_no"),
                first_row: 2,
                merged: true,
            },
            Self::ChoiceRepeated {
                name: s("yes"),
                list: s("yes_no"),
                first_row: 2,
                merged: false,
            },
            Self::KeyReused {
                name: s("Greeted"),
                key: s("greeted"),
                first_row: 3,
            },
        ];
        out.extend(
            [
                Missing::SurveyColumns,
                Missing::Questions,
                Missing::Type,
                Missing::Name,
                Missing::Label,
                Missing::NoteText,
                Missing::ListName,
                Missing::ChoiceName { list: s("yes_no") },
                Missing::List { list: s("yes_no") },
                Missing::BeginGroup,
                Missing::Bands,
            ]
            .map(Self::Missing),
        );
        out.extend(
            [
                Wanted::Number,
                Wanted::NumberIn { part: s("x:1") },
                Wanted::ScoreIn { part: s("5:x") },
                Wanted::Score,
                Wanted::YesNo,
                Wanted::EvidenceRule,
                Wanted::CriticalRule,
                Wanted::Version,
                Wanted::Band,
                Wanted::NameValue,
            ]
            .map(|wanted| Self::Value {
                found: s("abc"),
                wanted,
            }),
        );
        out.extend(
            [
                TypeOutcome::Unknown,
                TypeOutcome::NoPlace,
                TypeOutcome::RepeatOrLoop,
                TypeOutcome::SelectWithoutList,
                TypeOutcome::Metadata,
                TypeOutcome::Computed,
                TypeOutcome::BecomesText,
            ]
            .map(|outcome| Self::Type {
                found: s("geopoint"),
                outcome,
            }),
        );
        out.extend(
            [
                GroupProblem::NoLabel,
                GroupProblem::Nested,
                GroupProblem::NeverClosed,
                GroupProblem::Empty,
            ]
            .map(|problem| Self::Group {
                name: s("entrance"),
                problem,
            }),
        );
        out.extend(
            [
                NotImported::ConditionalRequired {
                    value: s("${q} = 'x'"),
                },
                NotImported::Constraint,
                NotImported::ChoiceFilter,
                NotImported::Calculation,
                NotImported::FractionalRange,
                NotImported::Column {
                    column: s("colour"),
                },
            ]
            .map(Self::NotImported),
        );
        let reference = || s("${q}");
        out.extend(
            [
                ExprReason::UnclosedReference,
                ExprReason::UnclosedString,
                ExprReason::NotANumber { found: s("1.2.3") },
                ExprReason::CurrentQuestion,
                ExprReason::UnsupportedCharacter { found: s("+") },
                ExprReason::Expected(Expected::CloseParen),
                ExprReason::Expected(Expected::OpenParenAfter { word: s("and") }),
                ExprReason::Expected(Expected::SelectedComma),
                ExprReason::NotBefore {
                    reference: reference(),
                },
                ExprReason::NeedsReference {
                    function: s("string-length"),
                },
                ExprReason::SelectedNeedsOption,
                ExprReason::SelectedNeedsSelect {
                    reference: reference(),
                },
                ExprReason::UnknownFunction {
                    function: s("regex"),
                },
                ExprReason::EndsEarly,
                ExprReason::Unexpected {
                    found: s("')'"),
                    after_condition: false,
                },
                ExprReason::Unexpected {
                    found: s("'x'"),
                    after_condition: true,
                },
                ExprReason::ConstantAlone,
                ExprReason::OnlyEmptinessTests,
                ExprReason::OnlyEqualityWithEmpty,
                ExprReason::NumberVersusText {
                    reference: reference(),
                    found: s("abc"),
                },
                ExprReason::OnlySelected {
                    reference: reference(),
                },
                ExprReason::NotComparable {
                    left: reference(),
                    right: s("${age}"),
                },
                ExprReason::UnsupportedComparison,
                ExprReason::AlwaysFalse,
            ]
            .map(|reason| Self::Relevant {
                expression: s("${q} = 'x' +"),
                position: 12,
                reason,
            }),
        );
        out
    }
}
