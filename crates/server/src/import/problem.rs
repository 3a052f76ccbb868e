//! A problem with one cell, row or column of an uploaded table.

use serde::Serialize;

/// Where a problem is and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Sheet title (CSV: the file name).
    pub sheet: String,
    /// Spreadsheet row, the header being row 1 (CSV: the line number).
    pub row: Option<u32>,
    /// Column header as written.
    pub column: Option<String>,
    /// What is wrong.
    #[serde(skip)]
    pub kind: ProblemKind,
}

/// What is wrong. Each has a stable [`code`](Self::code) and an English wording; callers may
/// word it in the reader's language from the code and the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// No sheet has the key column.
    MissingColumn,
    /// A header the import does not know.
    UnknownColumn {
        /// The columns it knows.
        known: String,
    },
    /// The cell must not be empty.
    Required,
    /// Not an organisation code.
    InvalidCode,
    /// The same branch code or e-mail and scope is on another row.
    Duplicate {
        /// The other row.
        other_row: u32,
    },
    /// A row for the same e-mail says something else in this column.
    Conflicting {
        /// The other row.
        other_row: u32,
    },
    /// A new branch needs a name in at least one language.
    NameMissing,
    /// Longer than allowed.
    TooLong {
        /// Most characters allowed.
        max: usize,
    },
    /// Not a number.
    NotANumber,
    /// A number outside its range.
    OutOfRange {
        /// Smallest allowed.
        min: i32,
        /// Largest allowed.
        max: i32,
    },
    /// Only one of `lat` and `lon` is given.
    HalfALocation,
    /// A team key in `teams` is not a code.
    InvalidTeamKey {
        /// The key as written.
        key: String,
    },
    /// Not an e-mail address.
    InvalidEmail,
    /// Not `admin`, `qa`, `manager` or `shopper`.
    UnknownRole,
    /// Not `region`, `branch` or `team`.
    UnknownScopeKind,
    /// `scope_code` without `scope_kind`, or the other way round.
    ScopePairIncomplete,
    /// No region, branch or team with that code.
    NoSuchScopeTarget,
    /// Scopes are for managers only.
    ScopeForNonManager,
    /// Not `ar`, `en` or empty.
    UnknownLanguage,
    /// The importing admin's own role would change.
    OwnRole,
    /// No active admin would remain.
    LastAdmin,
}

impl ProblemKind {
    /// A stable code (the message id of the wording).
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingColumn => "import-missing-column",
            Self::UnknownColumn { .. } => "import-unknown-column",
            Self::Required => "import-required",
            Self::InvalidCode => "import-invalid-code",
            Self::Duplicate { .. } => "import-duplicate",
            Self::Conflicting { .. } => "import-conflicting",
            Self::NameMissing => "import-name-missing",
            Self::TooLong { .. } => "import-too-long",
            Self::NotANumber => "import-not-a-number",
            Self::OutOfRange { .. } => "import-out-of-range",
            Self::HalfALocation => "import-half-a-location",
            Self::InvalidTeamKey { .. } => "import-invalid-team-key",
            Self::InvalidEmail => "import-invalid-email",
            Self::UnknownRole => "import-unknown-role",
            Self::UnknownScopeKind => "import-unknown-scope-kind",
            Self::ScopePairIncomplete => "import-scope-pair-incomplete",
            Self::NoSuchScopeTarget => "import-no-such-scope-target",
            Self::ScopeForNonManager => "import-scope-for-non-manager",
            Self::UnknownLanguage => "import-unknown-language",
            Self::OwnRole => "import-own-role",
            Self::LastAdmin => "import-last-admin",
        }
    }

    /// The wording as a message (the id is [`code`](Self::code)), for the reader's language.
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::msg;
        match self {
            Self::MissingColumn => msg!("import-missing-column"),
            Self::UnknownColumn { known } => msg!("import-unknown-column", known = known),
            Self::Required => msg!("import-required"),
            Self::InvalidCode => msg!("import-invalid-code"),
            Self::Duplicate { other_row } => msg!("import-duplicate", row = *other_row),
            Self::Conflicting { other_row } => msg!("import-conflicting", row = *other_row),
            Self::NameMissing => msg!("import-name-missing"),
            Self::TooLong { max } => msg!("import-too-long", max = *max),
            Self::NotANumber => msg!("import-not-a-number"),
            Self::OutOfRange { min, max } => {
                msg!("import-out-of-range", min = *min, max = *max)
            }
            Self::HalfALocation => msg!("import-half-a-location"),
            Self::InvalidTeamKey { key } => msg!("import-invalid-team-key", key = key),
            Self::InvalidEmail => msg!("import-invalid-email"),
            Self::UnknownRole => msg!("import-unknown-role"),
            Self::UnknownScopeKind => msg!("import-unknown-scope-kind"),
            Self::ScopePairIncomplete => msg!("import-scope-pair-incomplete"),
            Self::NoSuchScopeTarget => msg!("import-no-such-scope-target"),
            Self::ScopeForNonManager => msg!("import-scope-for-non-manager"),
            Self::UnknownLanguage => msg!("import-unknown-language"),
            Self::OwnRole => msg!("import-own-role"),
            Self::LastAdmin => msg!("import-last-admin"),
        }
    }

    /// The English wording.
    pub fn english(&self) -> String {
        match self {
            Self::MissingColumn => "no sheet has this column".to_owned(),
            Self::UnknownColumn { known } => format!("unknown column; the columns are {known}"),
            Self::Required => "must not be empty".to_owned(),
            Self::InvalidCode => {
                "letters, digits, '.', '_' and '-' only, starting with a letter or digit".to_owned()
            }
            Self::Duplicate { other_row } => format!("repeats row {other_row}"),
            Self::Conflicting { other_row } => {
                format!("differs from row {other_row} for the same e-mail")
            }
            Self::NameMissing => "a new branch needs name_en or name_ar".to_owned(),
            Self::TooLong { max } => format!("too long: at most {max} characters"),
            Self::NotANumber => "not a number".to_owned(),
            Self::OutOfRange { min, max } => format!("must be between {min} and {max}"),
            Self::HalfALocation => "give both lat and lon, or neither".to_owned(),
            Self::InvalidTeamKey { key } => format!(
                "team key '{key}': letters, digits, '.', '_' and '-' only, keys separated by ';'"
            ),
            Self::InvalidEmail => "not an e-mail address".to_owned(),
            Self::UnknownRole => "must be admin, qa, manager or shopper".to_owned(),
            Self::UnknownScopeKind => "must be region, branch, team or empty".to_owned(),
            Self::ScopePairIncomplete => {
                "give scope_kind and scope_code together, or neither".to_owned()
            }
            Self::NoSuchScopeTarget => {
                "no such region, branch or team (a team is written BRANCH-CODE/team_key)".to_owned()
            }
            Self::ScopeForNonManager => "only managers have scopes".to_owned(),
            Self::UnknownLanguage => "must be ar, en or empty".to_owned(),
            Self::OwnRole => "you cannot change your own role by import".to_owned(),
            Self::LastAdmin => "no active admin would remain".to_owned(),
        }
    }
}
