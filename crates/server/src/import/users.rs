//! Users from a spreadsheet: `email`, `name`, `role`, `scope_kind` (`region|branch|team`, empty
//! for none), `scope_code`, `language` (SPEC §10.38, §10.47).
//!
//! Rows are grouped by e-mail (lower-cased): one scope per row, the e-mail repeated on another row
//! for more. Rows of one e-mail must not contradict each other. For a stored user, empty cells
//! keep what is stored; the file's scopes, when it gives any, replace the stored ones, and a role
//! other than manager drops them (as `PATCH /users/{id}` does). A change of role or scopes ends
//! the user's sessions. New accounts have no password: when the import is asked to invite, each
//! gets an invitation link (stored hashed in the same transaction; the letter is sent after the
//! commit), else an admin sets one (`POST /users/{id}/password` or `sirr user reset-password`)
//! or the user asks for a reset link ("Forgot your password?").

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde_json::json;
use sirr_checklist::xlsform::sheet::Sheet;

use super::{ImportError, Mode, Outcome, Problem, ProblemKind, pick_sheet, unknown_columns};
use crate::audit;
use crate::auth::account::{self, MAX_EMAIL, MAX_NAME, looks_like_email};
use crate::auth::links::{self, Purpose};
use crate::auth::{Role, Scope, ScopeKind};
use sirr_store::{self as db, DbConnection};

/// The columns a user sheet may have.
pub const COLUMNS: [&str; 6] = [
    "email",
    "name",
    "role",
    "scope_kind",
    "scope_code",
    "language",
];

/// Stored for imported accounts: not a PHC string, so no password ever matches it.
const NO_PASSWORD: &str = "!no-password-set";

/// A value of one column for one e-mail, with the row that gave it.
type Given<T> = Option<(T, u32)>;

/// Everything the file says about one e-mail.
#[derive(Debug, Default)]
struct Account {
    first_row: u32,
    name: Given<String>,
    role: Given<Role>,
    language: Given<String>,
    scopes: Vec<(Scope, u32)>,
}

/// A stored user, as far as an import compares it.
#[derive(Debug, Clone)]
struct Stored {
    id: String,
    name: String,
    role: Role,
    active: bool,
    scopes: Vec<Scope>,
    language: Option<String>,
}

/// The organisation's codes, for scopes.
struct Codes {
    regions: HashMap<String, String>,
    branches: HashMap<String, String>,
    /// `<branch code>/<team key>` → team id.
    teams: HashMap<String, String>,
}

/// An invitation issued to an account the import created: whom to write to, in which language,
/// and the link's token (kept in memory for the letter; only its hash is stored).
#[derive(Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The new account's e-mail.
    pub email: String,
    /// Its saved language, when the file gave one.
    pub language: Option<String>,
    /// The link's token.
    pub token: String,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token opens the account: never in logs.
        f.debug_struct("Invitation")
            .field("email", &self.email)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// Imports users from `sheets` (see the module documentation), as the admin `actor`. With
/// `invite` (the links' lifetime), every account created gets an invitation link, listed in
/// [`Outcome::invitations`].
pub fn import(
    conn: &mut DbConnection,
    sheets: &[Sheet],
    actor: Option<&str>,
    mode: Mode,
    invite: Option<chrono::Duration>,
) -> Result<Outcome, ImportError> {
    conn.transaction(|conn| {
        if mode == Mode::Apply {
            sirr_store::lock_for_write(conn)?;
        }
        let sheet = match pick_sheet(sheets, "email") {
            Ok(sheet) => sheet,
            Err(problem) => return refuse_or_report(Outcome::default(), vec![problem], mode),
        };
        let mut problems = unknown_columns(sheet, &COLUMNS);
        let codes = load_codes(conn)?;
        let accounts = read_accounts(sheet, &codes, &mut problems);
        let stored = stored_users(conn)?;
        let actor_email = match actor {
            Some(id) => db::users::email_of(conn, &id.into())?,
            None => None,
        };
        let mut outcome = Outcome::default();
        let mut plan = Vec::new();
        let mut admins_after = stored
            .values()
            .filter(|s| s.active && s.role == Role::Admin)
            .count();
        let mut demoting_row = None;
        for (email, file) in &accounts {
            let report = |row: u32, column: &str, kind| Problem {
                sheet: sheet.name.clone(),
                row: Some(row),
                column: Some(header_text(sheet, column)),
                kind,
            };
            let current = stored.get(email);
            let role = file.role.as_ref().map(|r| r.0).or(current.map(|c| c.role));
            let Some(role) = role else {
                problems.push(report(file.first_row, "role", ProblemKind::Required));
                continue;
            };
            if current.is_none() && file.name.is_none() {
                problems.push(report(file.first_row, "name", ProblemKind::Required));
                continue;
            }
            if role != Role::Manager {
                for (_, row) in &file.scopes {
                    problems.push(report(*row, "scope_kind", ProblemKind::ScopeForNonManager));
                }
            }
            let scopes = if role != Role::Manager {
                Vec::new()
            } else if file.scopes.is_empty() {
                current.map(|c| c.scopes.clone()).unwrap_or_default()
            } else {
                let mut scopes: Vec<Scope> = file.scopes.iter().map(|s| s.0.clone()).collect();
                scopes.sort();
                scopes.dedup();
                scopes
            };
            // An empty cell keeps the saved language.
            let language = file
                .language
                .as_ref()
                .map(|l| l.0.clone())
                .or(current.and_then(|c| c.language.clone()));
            let name = file
                .name
                .as_ref()
                .map(|n| n.0.clone())
                .or(current.map(|c| c.name.clone()))
                .unwrap_or_default();
            if let Some(current) = current {
                if role != current.role {
                    if actor_email.as_deref() == Some(email.as_str()) {
                        let row = file.role.as_ref().map_or(file.first_row, |r| r.1);
                        problems.push(report(row, "role", ProblemKind::OwnRole));
                    }
                    if current.active && current.role == Role::Admin {
                        admins_after -= 1;
                        demoting_row = file.role.as_ref().map(|r| r.1);
                    }
                }
                if name == current.name
                    && role == current.role
                    && scopes == current.scopes
                    && language == current.language
                {
                    outcome.unchanged += 1;
                    continue;
                }
                outcome.update += 1;
            } else {
                outcome.create += 1;
                if role == Role::Admin {
                    admins_after += 1;
                }
            }
            plan.push(Planned {
                email: email.clone(),
                name,
                role,
                scopes,
                language,
                current: current.cloned(),
            });
        }
        if admins_after == 0
            && let Some(row) = demoting_row
        {
            problems.push(Problem {
                sheet: sheet.name.clone(),
                row: Some(row),
                column: Some(header_text(sheet, "role")),
                kind: ProblemKind::LastAdmin,
            });
        }
        if mode == Mode::Apply && problems.is_empty() {
            let mut writes = Writes::default();
            for planned in &plan {
                apply(conn, planned, &mut writes)?;
            }
            let created: Vec<(String, String, Option<String>)> = writes
                .users
                .iter()
                .map(|u| (u.id.to_string(), u.email.clone(), u.language.clone()))
                .collect();
            writes.flush(conn, actor)?;
            if let Some(ttl) = invite {
                let mut links = Vec::with_capacity(created.len());
                for (id, email, language) in created {
                    let token = links::new_token().map_err(ImportError::Randomness)?;
                    links.push((id, token.clone()));
                    outcome.invitations.push(Invitation {
                        email,
                        language,
                        token,
                    });
                }
                links::issue_all(conn, &links, Purpose::Invitation, ttl, db::now())?;
            }
        }
        refuse_or_report(outcome, problems, mode)
    })
}

/// What the import does to one account.
struct Planned {
    email: String,
    name: String,
    role: Role,
    scopes: Vec<Scope>,
    language: Option<String>,
    current: Option<Stored>,
}

fn refuse_or_report(
    mut outcome: Outcome,
    problems: Vec<Problem>,
    mode: Mode,
) -> Result<Outcome, ImportError> {
    outcome.problems = problems;
    if mode == Mode::Apply && !outcome.problems.is_empty() {
        return Err(ImportError::Refused(outcome));
    }
    Ok(outcome)
}

fn header_text(sheet: &Sheet, norm: &str) -> String {
    sheet
        .headers
        .iter()
        .find(|h| h.norm == norm)
        .map_or_else(|| norm.to_owned(), |h| h.text.clone())
}

fn load_codes(conn: &mut DbConnection) -> QueryResult<Codes> {
    let regions = db::regions::ids_by_code(conn)?
        .into_iter()
        .map(|(code, id)| (code, id.into()))
        .collect();
    let branches: HashMap<String, String> = db::branches::ids_by_code(conn)?
        .into_iter()
        .map(|(code, id)| (code, id.into()))
        .collect();
    let teams = db::teams::ids_by_key(conn)?
        .into_iter()
        .map(|(branch, team, id)| (format!("{branch}/{team}"), id.into()))
        .collect();
    Ok(Codes {
        regions,
        branches,
        teams,
    })
}

/// Checks every row and groups them by e-mail, in order of first appearance.
fn read_accounts(
    sheet: &Sheet,
    codes: &Codes,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Account> {
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    let mut seen_scopes: HashMap<(String, Scope), u32> = HashMap::new();
    for cells in &sheet.rows {
        let number = cells.number;
        let mut report = |column: &str, kind| {
            problems.push(Problem {
                sheet: sheet.name.clone(),
                row: Some(number),
                column: Some(header_text(sheet, column)),
                kind,
            });
        };
        let email = cells.get("email").to_lowercase();
        if email.is_empty() {
            report("email", ProblemKind::Required);
            continue;
        }
        if email.chars().count() > MAX_EMAIL {
            report("email", ProblemKind::TooLong { max: MAX_EMAIL });
            continue;
        }
        if !looks_like_email(&email) {
            report("email", ProblemKind::InvalidEmail);
            continue;
        }
        let account = accounts.entry(email.clone()).or_insert_with(|| Account {
            first_row: number,
            ..Account::default()
        });
        let name = cells.get("name");
        if name.chars().count() > MAX_NAME {
            report("name", ProblemKind::TooLong { max: MAX_NAME });
        } else if name.chars().any(char::is_control) {
            report("name", ProblemKind::InvalidCode);
        } else if !name.is_empty() {
            agree(
                &mut account.name,
                name.to_owned(),
                number,
                "name",
                &mut report,
            );
        }
        let role = cells.get("role");
        if !role.is_empty() {
            match Role::parse(&role.to_lowercase()) {
                Some(role) => agree(&mut account.role, role, number, "role", &mut report),
                None => report("role", ProblemKind::UnknownRole),
            }
        }
        let language = cells.get("language").to_lowercase();
        match language.as_str() {
            "" => {}
            "ar" | "en" => agree(
                &mut account.language,
                language.clone(),
                number,
                "language",
                &mut report,
            ),
            _ => report("language", ProblemKind::UnknownLanguage),
        }
        let (kind, code) = (cells.get("scope_kind"), cells.get("scope_code"));
        match (kind.is_empty(), code.is_empty()) {
            (true, true) => {}
            (false, true) => report("scope_code", ProblemKind::ScopePairIncomplete),
            (true, false) => report("scope_kind", ProblemKind::ScopePairIncomplete),
            (false, false) => {
                let target = match kind.to_lowercase().as_str() {
                    "region" => Some((ScopeKind::Region, codes.regions.get(code))),
                    "branch" => Some((ScopeKind::Branch, codes.branches.get(code))),
                    "team" => Some((ScopeKind::Team, codes.teams.get(code))),
                    _ => None,
                };
                match target {
                    None => report("scope_kind", ProblemKind::UnknownScopeKind),
                    Some((_, None)) => report("scope_code", ProblemKind::NoSuchScopeTarget),
                    Some((kind, Some(id))) => {
                        let scope = Scope {
                            kind,
                            id: id.clone(),
                        };
                        match seen_scopes.insert((email.clone(), scope.clone()), number) {
                            Some(other_row) => {
                                report("scope_code", ProblemKind::Duplicate { other_row });
                            }
                            None => account.scopes.push((scope, number)),
                        }
                    }
                }
            }
        }
    }
    accounts
}

/// Records `value` from `row`, or a problem when an earlier row of the same e-mail said otherwise.
fn agree<T: PartialEq>(
    slot: &mut Given<T>,
    value: T,
    row: u32,
    column: &str,
    report: &mut impl FnMut(&str, ProblemKind),
) {
    match slot {
        Some((earlier, other_row)) if *earlier != value => report(
            column,
            ProblemKind::Conflicting {
                other_row: *other_row,
            },
        ),
        Some(_) => {}
        None => *slot = Some((value, row)),
    }
}

fn stored_users(conn: &mut DbConnection) -> QueryResult<HashMap<String, Stored>> {
    let mut scopes: HashMap<String, Vec<Scope>> = HashMap::new();
    for row in db::user_scopes::all(conn, None)? {
        scopes.entry(row.user_id.into()).or_default().push(Scope {
            kind: row.kind,
            id: row.target_id,
        });
    }
    Ok(db::users::profiles(conn)?
        .into_iter()
        .map(|p| {
            let mut scopes = scopes.remove(p.id.as_str()).unwrap_or_default();
            scopes.sort();
            scopes.dedup();
            (
                p.email,
                Stored {
                    id: p.id.into(),
                    name: p.name,
                    role: p.role,
                    active: p.active,
                    scopes,
                    language: p.language,
                },
            )
        })
        .collect())
}

/// New accounts, their scopes and the audit entries, gathered and written in multi-row statements
/// (see [`sirr_store::insert_all!`]) rather than a round trip per row.
#[derive(Default)]
struct Writes {
    users: Vec<db::users::ImportedUser>,
    scopes: Vec<db::user_scopes::ScopeRow>,
    audit: Vec<audit::Entry>,
}

impl Writes {
    fn flush(self, conn: &mut DbConnection, actor: Option<&str>) -> QueryResult<()> {
        db::users::insert_many(conn, &self.users)?;
        db::user_scopes::insert_many(conn, &self.scopes)?;
        audit::record_all(conn, actor, self.audit)
    }
}

fn apply(conn: &mut DbConnection, planned: &Planned, writes: &mut Writes) -> QueryResult<()> {
    match &planned.current {
        None => {
            let id = sirr_store::ids::UserId::generate();
            writes.audit.push(audit::Entry {
                action: "create",
                entity: "user",
                entity_id: id.to_string(),
                details: json!({ "email": planned.email, "name": planned.name,
                        "role": planned.role.as_str(), "scopes": planned.scopes,
                        "language": planned.language, "password": "none", "source": "import" }),
            });
            for scope in &planned.scopes {
                writes.scopes.push(db::user_scopes::ScopeRow {
                    user_id: id.clone(),
                    kind: scope.kind,
                    target_id: scope.id.clone(),
                });
            }
            let now = db::now();
            writes.users.push(db::users::ImportedUser {
                id,
                email: planned.email.clone(),
                name: planned.name.clone(),
                role: planned.role,
                password_hash: NO_PASSWORD.to_owned(),
                active: true,
                language: planned.language.clone(),
                created_at: now,
                updated_at: now,
            });
        }
        Some(current) => {
            db::users::set_profile(
                conn,
                &current.id.as_str().into(),
                &planned.name,
                planned.role,
                planned.language.as_deref(),
                db::now(),
            )?;
            if planned.scopes != current.scopes {
                account::replace_scopes(conn, &current.id, &planned.scopes)?;
            }
            if planned.role != current.role || planned.scopes != current.scopes {
                account::revoke_sessions(conn, &current.id)?;
            }
            writes.audit.push(audit::Entry {
                action: "update",
                entity: "user",
                entity_id: current.id.clone(),
                details: json!({ "email": planned.email,
                        "before": { "name": current.name, "role": current.role.as_str(),
                                    "scopes": current.scopes, "language": current.language },
                        "after": { "name": planned.name, "role": planned.role.as_str(),
                                   "scopes": planned.scopes, "language": planned.language },
                        "source": "import" }),
            });
        }
    }
    Ok(())
}
