//! Branches from a spreadsheet: `code`, `name_en`, `name_ar`, `region_code`, `lat`, `lon`,
//! `teams` (`;`-separated team keys), and optionally `city_en`, `city_ar`.
//!
//! A row whose code exists updates that branch: non-empty cells replace, empty cells keep what is
//! stored (so a sheet of codes and coordinates fills in coordinates and touches nothing else).
//! Listed teams that the branch lacks are created; teams not listed stay (removing one would
//! orphan its visits). A new region code creates the region, named by its code until an admin
//! names it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::{Connection, QueryResult};
use serde_json::json;
use sirr_checklist::xlsform::sheet::Sheet;

use super::{ImportError, Mode, Outcome, Problem, ProblemKind, pick_sheet, unknown_columns};
use crate::audit;
use sirr_store::{self as db, DbConnection};

/// The columns a branch sheet may have.
pub const COLUMNS: [&str; 9] = [
    "code",
    "name_en",
    "name_ar",
    "region_code",
    "lat",
    "lon",
    "teams",
    "city_en",
    "city_ar",
];

/// Longest branch, city or team name accepted, in characters.
const MAX_NAME: usize = 200;

type Names = BTreeMap<String, String>;

/// One checked row.
#[derive(Debug)]
struct BranchRow {
    number: u32,
    code: String,
    names: Names,
    city: Names,
    region_code: String,
    location: Option<(f64, f64)>,
    teams: Vec<String>,
}

/// A stored branch, as far as an import compares it.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    id: String,
    region_id: String,
    names: Names,
    city: Names,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// What one row does.
enum Change {
    Create,
    Update(String),
    Unchanged,
}

/// Imports branches from `sheets` (see the module documentation). In [`Mode::Apply`], either every
/// row is applied in one transaction or, when any row has a problem, nothing is and the outcome
/// comes back as [`ImportError::Refused`].
pub fn import(
    conn: &mut DbConnection,
    sheets: &[Sheet],
    actor: Option<&str>,
    mode: Mode,
) -> Result<Outcome, ImportError> {
    conn.transaction(|conn| {
        if mode == Mode::Apply {
            sirr_store::lock_for_write(conn)?;
        }
        let sheet = match pick_sheet(sheets, "code") {
            Ok(sheet) => sheet,
            Err(problem) => return finish(Outcome::default(), vec![problem], mode),
        };
        let mut problems = unknown_columns(sheet, &COLUMNS);
        for required in ["code", "region_code"] {
            if !sheet.has(required) {
                problems.push(Problem {
                    sheet: sheet.name.clone(),
                    row: Some(1),
                    column: Some(required.to_owned()),
                    kind: ProblemKind::MissingColumn,
                });
            }
        }
        let rows = read_rows(sheet, &mut problems);
        let stored = stored_branches(conn)?;
        let region_ids: HashMap<String, String> = db::regions::ids_by_code(conn)?
            .into_iter()
            .map(|(code, id)| (code, id.into()))
            .collect();
        let mut team_keys: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (_, branch_id, key) in db::teams::codes(conn)? {
            team_keys.entry(branch_id.into()).or_default().insert(key);
        }
        for row in &rows {
            if !stored.contains_key(&row.code) && row.names.is_empty() {
                problems.push(problem(
                    sheet,
                    row.number,
                    "name_en",
                    ProblemKind::NameMissing,
                ));
            }
        }
        let new_regions: BTreeSet<String> = rows
            .iter()
            .filter(|r| !region_ids.contains_key(&r.region_code))
            .map(|r| r.region_code.clone())
            .collect();
        let mut outcome = Outcome {
            new_regions: new_regions.iter().cloned().collect(),
            ..Outcome::default()
        };
        let mut changes = Vec::with_capacity(rows.len());
        for row in &rows {
            let change = match stored.get(&row.code) {
                None => Change::Create,
                Some(current) => {
                    let region_id = region_ids.get(&row.region_code);
                    let wanted = merged(current, row, region_id.map(String::as_str));
                    let known = team_keys.get(&current.id);
                    let missing_team = row
                        .teams
                        .iter()
                        .any(|t| known.is_none_or(|k| !k.contains(t)));
                    if wanted == *current && !missing_team {
                        Change::Unchanged
                    } else {
                        Change::Update(current.id.clone())
                    }
                }
            };
            match change {
                Change::Create => outcome.create += 1,
                Change::Update(_) => outcome.update += 1,
                Change::Unchanged => outcome.unchanged += 1,
            }
            changes.push(change);
        }
        if mode == Mode::Apply && problems.is_empty() {
            let mut region_ids = region_ids;
            for code in &new_regions {
                let id = create_region(conn, code, actor)?;
                region_ids.insert(code.clone(), id);
            }
            let mut writes = Writes::default();
            for (row, change) in rows.iter().zip(changes) {
                apply(
                    conn,
                    row,
                    change,
                    &stored,
                    &region_ids,
                    &team_keys,
                    &mut writes,
                )?;
            }
            writes.flush(conn, actor)?;
        }
        finish(outcome, problems, mode)
    })
}

/// The outcome, or the refusal when an import has problems.
fn finish(
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

fn problem(sheet: &Sheet, row: u32, column: &str, kind: ProblemKind) -> Problem {
    Problem {
        sheet: sheet.name.clone(),
        row: Some(row),
        column: Some(header_text(sheet, column)),
        kind,
    }
}

/// The header as the sheet writes it (`Name_AR`), for messages.
fn header_text(sheet: &Sheet, norm: &str) -> String {
    sheet
        .headers
        .iter()
        .find(|h| h.norm == norm)
        .map_or_else(|| norm.to_owned(), |h| h.text.clone())
}

/// Checks every row; rows with problems are left out of the plan (their problems refuse it).
fn read_rows(sheet: &Sheet, problems: &mut Vec<Problem>) -> Vec<BranchRow> {
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut seen: HashMap<String, u32> = HashMap::new();
    for cells in &sheet.rows {
        let number = cells.number;
        let before = problems.len();
        let mut report = |column: &str, kind| problems.push(problem(sheet, number, column, kind));
        let code = cells.get("code").to_owned();
        if code.is_empty() {
            report("code", ProblemKind::Required);
        } else if !sirr_scoring::visit::is_valid_code(&code) {
            report("code", ProblemKind::InvalidCode);
        } else if let Some(other_row) = seen.insert(code.clone(), number) {
            report("code", ProblemKind::Duplicate { other_row });
        }
        let region_code = cells.get("region_code").to_owned();
        if region_code.is_empty() {
            report("region_code", ProblemKind::Required);
        } else if !sirr_scoring::visit::is_valid_code(&region_code) {
            report("region_code", ProblemKind::InvalidCode);
        }
        let mut names = Names::new();
        let mut city = Names::new();
        for (column, lang, is_city) in [
            ("name_en", "en", false),
            ("name_ar", "ar", false),
            ("city_en", "en", true),
            ("city_ar", "ar", true),
        ] {
            let text = cells.get(column);
            if text.chars().count() > MAX_NAME {
                report(column, ProblemKind::TooLong { max: MAX_NAME });
            } else if !text.is_empty() {
                let target = if is_city { &mut city } else { &mut names };
                target.insert(lang.to_owned(), text.to_owned());
            }
        }
        let lat = number_in(cells.get("lat"), -90, 90).map_err(|k| report("lat", k));
        let lon = number_in(cells.get("lon"), -180, 180).map_err(|k| report("lon", k));
        let location = match (lat, lon) {
            (Ok(Some(lat)), Ok(Some(lon))) => Some((lat, lon)),
            (Ok(None), Ok(None)) => None,
            (Ok(Some(_)), Ok(None)) => {
                report("lon", ProblemKind::HalfALocation);
                None
            }
            (Ok(None), Ok(Some(_))) => {
                report("lat", ProblemKind::HalfALocation);
                None
            }
            _ => None,
        };
        let mut teams = Vec::new();
        for key in cells.get("teams").split(';').map(str::trim) {
            if key.is_empty() {
                continue;
            }
            if !sirr_scoring::visit::is_valid_code(key) || key.chars().count() > MAX_NAME {
                report(
                    "teams",
                    ProblemKind::InvalidTeamKey {
                        key: key.chars().take(40).collect(),
                    },
                );
            } else if !teams.iter().any(|t| t == key) {
                teams.push(key.to_owned());
            }
        }
        if problems.len() == before {
            rows.push(BranchRow {
                number,
                code,
                names,
                city,
                region_code,
                location,
                teams,
            });
        }
    }
    rows
}

/// A number within `min..=max` (a decimal comma is read as a point), `None` when empty.
fn number_in(text: &str, min: i32, max: i32) -> Result<Option<f64>, ProblemKind> {
    if text.is_empty() {
        return Ok(None);
    }
    let value: f64 = text
        .replace(',', ".")
        .parse()
        .map_err(|_| ProblemKind::NotANumber)?;
    if !value.is_finite() || value < f64::from(min) || value > f64::from(max) {
        return Err(ProblemKind::OutOfRange { min, max });
    }
    Ok(Some(value))
}

fn stored_branches(conn: &mut DbConnection) -> QueryResult<HashMap<String, Stored>> {
    Ok(sirr_store::branches::all(conn)?
        .into_iter()
        .map(|b| {
            let stored = Stored {
                id: b.id.into(),
                region_id: b.region_id.into(),
                names: serde_json::from_str(&b.names).unwrap_or_default(),
                city: serde_json::from_str(&b.city).unwrap_or_default(),
                lat: b.lat,
                lon: b.lon,
            };
            (b.code, stored)
        })
        .collect())
}

/// The branch as it will be after `row`: given cells replace, empty cells keep. A region that does
/// not exist yet (`None`) always differs.
fn merged(current: &Stored, row: &BranchRow, region_id: Option<&str>) -> Stored {
    let mut wanted = current.clone();
    wanted.region_id = region_id.unwrap_or("").to_owned();
    wanted.names.extend(row.names.clone());
    wanted.city.extend(row.city.clone());
    if let Some((lat, lon)) = row.location {
        wanted.lat = Some(lat);
        wanted.lon = Some(lon);
    }
    wanted
}

fn create_region(conn: &mut DbConnection, code: &str, actor: Option<&str>) -> QueryResult<String> {
    let names = [("en".to_owned(), code.to_owned())].into_iter().collect();
    let row = db::regions::insert(conn, code, &names, db::now())?;
    audit::record(
        conn,
        actor,
        "create",
        "region",
        &row.id,
        json!({ "code": code, "source": "import" }),
    )?;
    Ok(row.id.into())
}

/// New branches, teams and audit entries, gathered row by row and written in multi-row
/// statements (see [`sirr_store::insert_all!`]): one round trip per row made a 10,000-branch
/// import on PostgreSQL take tens of seconds.
#[derive(Default)]
struct Writes {
    branches: Vec<NewBranch>,
    teams: Vec<NewTeam>,
    audit: Vec<audit::Entry>,
}

struct NewBranch {
    id: String,
    code: String,
    region_id: String,
    names: String,
    city: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

struct NewTeam {
    id: String,
    branch_id: String,
    code: String,
}

impl Writes {
    fn flush(self, conn: &mut DbConnection, actor: Option<&str>) -> QueryResult<()> {
        let now = db::now();
        let branch_rows: Vec<db::branches::BranchRow> = self
            .branches
            .into_iter()
            .map(|b| db::branches::BranchRow {
                id: b.id.into(),
                code: b.code,
                region_id: b.region_id.into(),
                names: b.names,
                city: b.city,
                lat: b.lat,
                lon: b.lon,
                created_at: now,
                updated_at: now,
            })
            .collect();
        db::branches::insert_many(conn, &branch_rows)?;
        let team_rows: Vec<db::teams::TeamRow> = self
            .teams
            .into_iter()
            .map(|t| db::teams::TeamRow {
                names: json!({ "en": t.code }).to_string(),
                id: t.id.into(),
                branch_id: t.branch_id.into(),
                code: t.code,
                created_at: now,
                updated_at: now,
            })
            .collect();
        db::teams::insert_many(conn, &team_rows)?;
        audit::record_all(conn, actor, self.audit)
    }
}

fn apply(
    conn: &mut DbConnection,
    row: &BranchRow,
    change: Change,
    stored: &HashMap<String, Stored>,
    region_ids: &HashMap<String, String>,
    team_keys: &HashMap<String, BTreeSet<String>>,
    writes: &mut Writes,
) -> QueryResult<()> {
    let region_id = region_ids
        .get(&row.region_code)
        .cloned()
        .unwrap_or_default();
    let branch_id = match change {
        Change::Unchanged => return Ok(()),
        Change::Create => {
            let id = sirr_store::ids::BranchId::generate();
            writes.audit.push(audit::Entry {
                action: "create",
                entity: "branch",
                entity_id: id.to_string(),
                details: json!({ "code": row.code, "names": row.names, "region_id": region_id,
                                 "source": "import" }),
            });
            writes.branches.push(NewBranch {
                id: id.to_string(),
                code: row.code.clone(),
                region_id,
                names: json!(row.names).to_string(),
                city: json!(row.city).to_string(),
                lat: row.location.map(|l| l.0),
                lon: row.location.map(|l| l.1),
            });
            id
        }
        Change::Update(id) => {
            let Some(current) = stored.get(&row.code) else {
                return Ok(());
            };
            let wanted = merged(current, row, Some(&region_id));
            if wanted != *current {
                db::branches::patch(
                    conn,
                    &id.as_str().into(),
                    &db::branches::BranchPatch {
                        region_id: &wanted.region_id.as_str().into(),
                        names: json!(wanted.names).to_string(),
                        city: json!(wanted.city).to_string(),
                        lat: wanted.lat,
                        lon: wanted.lon,
                        updated_at: db::now(),
                    },
                )?;
                writes.audit.push(audit::Entry {
                    action: "update",
                    entity: "branch",
                    entity_id: id.clone(),
                    details: json!({ "code": row.code,
                            "before": { "region_id": current.region_id, "names": current.names,
                                        "city": current.city, "lat": current.lat, "lon": current.lon },
                            "after": { "region_id": wanted.region_id, "names": wanted.names,
                                       "city": wanted.city, "lat": wanted.lat, "lon": wanted.lon },
                            "source": "import" }),
                });
            }
            id.into()
        }
    };
    let known = team_keys.get(branch_id.as_str());
    for key in &row.teams {
        if known.is_some_and(|k| k.contains(key)) {
            continue;
        }
        let team_id = sirr_store::ids::TeamId::generate();
        writes.audit.push(audit::Entry {
            action: "create",
            entity: "team",
            entity_id: team_id.to_string(),
            details: json!({ "branch_id": branch_id, "code": key, "source": "import" }),
        });
        writes.teams.push(NewTeam {
            id: team_id.into(),
            branch_id: branch_id.to_string(),
            code: key.clone(),
        });
    }
    Ok(())
}
