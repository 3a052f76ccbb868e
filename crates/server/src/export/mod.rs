//! Exports of visits, answers and scores (SPEC §10.33, 41–43), for the API
//! (`GET /api/v1/exports/…`, [`crate::api::exports`]) and the command line (`sirr export`).
//! No HTTP here: a [`Plan`] says what to write and for whom, [`write()`] writes it to any
//! `io::Write`.
//!
//! - **Constant memory.** Visits are read in keyset chunks of [`CHUNK`] (by check-in time and
//!   id) and each row is written as soon as it is made; CSV and JSON Lines go out as they are
//!   written (the header first, at once). XLSX is written row by row to a temp file in
//!   `rust_xlsxwriter`'s constant-memory mode and copied out when complete.
//! - **Wide visits** (`visits.csv|xlsx`): `visit_id`, `branch_code`, `checklist`,
//!   `checklist_version`, `visited_at`, `score`, then one column per item key: the union of the
//!   items of every checklist version in the file, in document order, first version first, so
//!   no version's answers shift or drop a column. An item a version lacks is an empty cell.
//! - **Answers** (`answers.csv`): `visit_id`, `item`, `answer`, `score`, `checklist`,
//!   `checklist_version`, `comment`, one row per answered item.
//! - **Visit lines** (`visits.jsonl`): SPEC §4 lines, with `region`, photo answers as the
//!   stored attachment ids and `evidence` for other items' attachments; `sirr score` reads them.
//! - **Scores** (`scores.csv|xlsx`): `period`, `level`, `code`, `visits`, `raw_score`,
//!   `fair_score`, `fair_ci_low`, `fair_ci_high`, `raw_ci_low`, `raw_ci_high`.
//! - **Disputes** and **action plans** (`disputes.csv|xlsx`, `action_plans.csv|xlsx`,
//!   [`followup`]): one row per dispute or action, of branches in the caller's scope, naming no
//!   person.
//! - **Shoppers** ([`Shoppers`]): managers get a pseudonym valid within one file, QA a stable
//!   pseudonymous code, admins (and the command line) the user id.
//!
//! Only approved visits are exported: what the scores and the screens count.

pub mod followup;
pub mod sheet;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sirr_checklist::{Checklist, ItemKind};
use sirr_scoring::catalog::{Catalog, ScoreOptions, score_with};
use sirr_scoring::period::PeriodKind;
use sirr_scoring::report::Summary;

use crate::auth::access::{self, Visible};
use crate::auth::{AuthUser, Role};
use crate::scores::{self as computed, Scores};
use sheet::{Cell, Header, Sink};
use sirr_store::DbConnection;
use sirr_store::exports;

/// Visits read per query.
pub const CHUNK: i64 = 1000;

/// What an export is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// One row (or line) per visit.
    Visits,
    /// One row per answer.
    Answers,
    /// Scores per period and unit.
    Scores,
    /// One row per dispute.
    Disputes,
    /// One row per action of a branch's action plan.
    ActionPlans,
}

impl Dataset {
    /// The name in URLs and file names.
    pub fn name(self) -> &'static str {
        match self {
            Self::Visits => "visits",
            Self::Answers => "answers",
            Self::Scores => "scores",
            Self::Disputes => "disputes",
            Self::ActionPlans => "action_plans",
        }
    }
}

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, UTF-8 with a byte-order mark.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// JSON Lines (SPEC §4 visit lines).
    Jsonl,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Jsonl => "jsonl",
        }
    }

    /// The media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Jsonl => "application/x-ndjson",
        }
    }
}

/// Why an export cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    /// Writing failed (the client went away, a full disk).
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
    /// The workbook could not be made.
    #[error("workbook: {0}")]
    Xlsx(String),
    /// A bad filter value (`path` is the parameter).
    #[error("{path}: {problem}")]
    Invalid {
        /// The parameter.
        path: &'static str,
        /// What is wrong.
        problem: crate::i18n::Msg,
    },
    /// A filter names a record that does not exist or is outside the caller's scope.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// This export is not available in this format, or with this filter.
    #[error("{0}")]
    Unsupported(crate::i18n::Msg),
    /// The checklists do not make one catalogue (a fault of the stored data).
    #[error("checklists: {0}")]
    Catalog(String),
}

/// Which visits.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this period (by the visit's local date).
    pub period: Option<(PeriodKind, String)>,
    /// Only this region's branches.
    pub region_id: Option<String>,
    /// Only this branch.
    pub branch_id: Option<String>,
    /// Only this campaign's visits.
    pub campaign_id: Option<String>,
    /// Only this checklist (every version).
    pub checklist: Option<String>,
    /// Only this visit (the OData feed's `visit_id eq …`).
    pub visit_id: Option<String>,
}

impl Filter {
    /// Parses `period` (`YYYY-MM`, `YYYY-Qn`, `YYYY-Www`; empty or `all` for every visit).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `period`.
    pub fn period(label: Option<&str>) -> Result<Option<(PeriodKind, String)>, Error> {
        match label.map(str::trim) {
            None | Some("" | "all") => Ok(None),
            Some(label) => sirr_scoring::period::parse_label(label)
                .map(Some)
                .map_err(|e| Error::Invalid {
                    path: "period",
                    problem: crate::msg!("period-invalid-expected", problem = e),
                }),
        }
    }

    /// A UTC window around the period (offsets are within ±14 h); the exact local date is
    /// checked by [`Filter::contains`].
    pub(crate) fn utc_window(&self) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let (_, label) = self.period.as_ref()?;
        let (first, last) = sirr_scoring::period::bounds(label).ok()?;
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let from = day(&first)?.and_hms_opt(0, 0, 0)? - chrono::Duration::days(1);
        let to = day(&last)?.and_hms_opt(0, 0, 0)? + chrono::Duration::days(2);
        Some((from, to))
    }

    /// The store's selection of this filter within the reader's reach: the period narrowed to
    /// a coarse UTC window (and, for a month, to its local dates), the exact local period left
    /// to [`Filter::contains`].
    pub fn selection(&self, visible: &Visible) -> exports::Selection {
        exports::Selection {
            branches: match visible {
                Visible::All => None,
                Visible::Only(ids) => Some(ids.iter().cloned().collect()),
            },
            visit_id: self.visit_id.clone().map(Into::into),
            branch_id: self.branch_id.clone().map(Into::into),
            region_id: self.region_id.clone().map(Into::into),
            campaign_id: self.campaign_id.clone().map(Into::into),
            checklist: self.checklist.clone(),
            month: match &self.period {
                Some((PeriodKind::Month, label)) => Some(label.clone()),
                _ => None,
            },
            utc_window: self.utc_window(),
        }
    }

    /// Whether a visit checked in at `at` (RFC 3339 with its offset) is in the period.
    pub fn contains(&self, at: &str) -> bool {
        match &self.period {
            None => true,
            Some((kind, label)) => {
                sirr_scoring::period::period_of(at, *kind).is_ok_and(|l| &l == label)
            }
        }
    }
}

/// How shoppers are named in a file (SPEC §10.42).
#[derive(Debug, Clone)]
pub enum Shoppers {
    /// The user id (admins, the command line).
    Identity,
    /// A code stable across files, keyed by a secret of the database (QA).
    Stable(String),
    /// A code valid within this one file (managers): keyed by a random salt.
    PerFile(String),
}

impl Shoppers {
    /// How `role` sees shoppers; `key` is the database's pseudonym key (for QA).
    ///
    /// # Errors
    /// No randomness for the per-file salt.
    pub fn for_role(
        role: Role,
        key: impl FnOnce() -> Result<String, Error>,
    ) -> Result<Self, Error> {
        Ok(match role {
            Role::Admin => Self::Identity,
            Role::Qa => Self::Stable(key()?),
            Role::Manager | Role::Shopper => Self::PerFile(
                sirr_store::ids::random_hex(16).map_err(|e| Error::Xlsx(e.to_string()))?,
            ),
        })
    }

    /// The shopper's name in this file: a valid SPEC §9.2 code in every case.
    pub fn name(&self, user_id: &str) -> String {
        let code = |prefix: &str, key: &str, n: usize| {
            let digest = Sha256::new()
                .chain_update(key.as_bytes())
                .chain_update(b":")
                .chain_update(user_id.as_bytes())
                .finalize();
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("{prefix}{}", &hex[..n])
        };
        match self {
            Self::Identity => user_id.to_owned(),
            Self::Stable(key) => code("S-", key, 12),
            Self::PerFile(salt) => code("P-", salt, 10),
        }
    }
}

/// What to write, for whom: checked against the caller's scope by [`plan`].
#[derive(Debug, Clone)]
pub struct Plan {
    /// Visits, answers or scores.
    pub dataset: Dataset,
    /// CSV, XLSX or JSON Lines.
    pub format: Format,
    /// Which visits (or which units, for scores).
    pub filter: Filter,
    /// Branches the reader may see.
    pub branches: Visible,
    /// Regions the reader may see (scores).
    pub regions: Visible,
    /// Teams the reader may see (scores).
    pub teams: Visible,
    /// How shoppers are named.
    pub shoppers: Shoppers,
    /// XLSX in Arabic: the sheet right to left.
    pub rtl: bool,
}

/// Whether `dataset` comes in `format`.
pub fn offered(dataset: Dataset, format: Format) -> bool {
    matches!(
        (dataset, format),
        (Dataset::Visits, _)
            | (Dataset::Answers, Format::Csv)
            | (
                Dataset::Scores | Dataset::Disputes | Dataset::ActionPlans,
                Format::Csv | Format::Xlsx
            )
    )
}

/// Checks the filter against `user`'s scope and fixes what they see: an unknown region,
/// branch or campaign and one outside the scope are both [`Error::NotFound`] (SPEC: out of
/// scope reads as absent).
///
/// # Errors
/// As above; [`Error::Unsupported`] for a format the dataset does not come in, or a campaign
/// or checklist filter on scores (computed over every approved visit).
pub fn plan(
    conn: &mut DbConnection,
    user: &AuthUser,
    dataset: Dataset,
    format: Format,
    filter: Filter,
    rtl: bool,
) -> Result<Plan, Error> {
    if !offered(dataset, format) {
        return Err(Error::Unsupported(crate::msg!(
            "export-format-unsupported",
            dataset = dataset.name(),
            format = format.extension()
        )));
    }
    // Disputes are about visits of any campaign, by checklist; action plans about a branch and
    // a period only.
    let foreign = match dataset {
        Dataset::Disputes => filter.campaign_id.is_some().then_some("campaign_id"),
        Dataset::ActionPlans => filter
            .campaign_id
            .as_ref()
            .map(|_| "campaign_id")
            .or(filter.checklist.as_ref().map(|_| "checklist")),
        _ => None,
    };
    if let Some(path) = foreign {
        return Err(Error::Invalid {
            path,
            problem: crate::msg!("export-filter-not-here", dataset = dataset.name()),
        });
    }
    if dataset == Dataset::Scores && (filter.campaign_id.is_some() || filter.checklist.is_some()) {
        return Err(Error::Invalid {
            path: if filter.campaign_id.is_some() {
                "campaign_id"
            } else {
                "checklist"
            },
            problem: crate::msg!("export-scores-filter"),
        });
    }
    let branches = access::branches(conn, user)?;
    let regions = access::regions(conn, user)?;
    let teams = access::teams(conn, user)?;
    if let Some(b) = &filter.branch_id
        && (exports::branch_region(conn, b)?.is_none() || !branches.contains(b))
    {
        return Err(Error::NotFound("branch"));
    }
    if let Some(r) = &filter.region_id
        && (!exports::region_exists(conn, r)? || !regions.contains(r))
    {
        return Err(Error::NotFound("region"));
    }
    if let Some(c) = &filter.campaign_id
        && !exports::campaign_exists(conn, c)?
    {
        return Err(Error::NotFound("campaign"));
    }
    let shoppers = Shoppers::for_role(user.role, || Ok(exports::pseudonym_key(conn)?))?;
    Ok(Plan {
        dataset,
        format,
        filter,
        branches,
        regions,
        teams,
        shoppers,
        rtl,
    })
}

/// A plan for the command line: everything, shoppers by identity (whoever holds the database
/// holds the identities).
pub fn plan_all(dataset: Dataset, format: Format, filter: Filter) -> Result<Plan, Error> {
    if !offered(dataset, format) {
        return Err(Error::Unsupported(crate::msg!(
            "export-format-unsupported",
            dataset = dataset.name(),
            format = format.extension()
        )));
    }
    Ok(Plan {
        dataset,
        format,
        filter,
        branches: Visible::All,
        regions: Visible::All,
        teams: Visible::All,
        shoppers: Shoppers::Identity,
        rtl: false,
    })
}

/// The checklist versions the filtered visits use, by key and version (unusable ones logged
/// and left out).
///
/// # Errors
/// Database failures.
pub fn checklists_used(
    conn: &mut DbConnection,
    filter: &Filter,
    visible: &Visible,
) -> Result<Vec<(String, Checklist)>, Error> {
    Ok(exports::checklists_used(conn, &filter.selection(visible))?
        .into_iter()
        .filter_map(|(id, text)| match sirr_checklist::from_json_str(&text) {
            Ok((checklist, _)) => Some((id, checklist)),
            Err(e) => {
                tracing::error!(checklist = %id, error = %e, "stored checklist unusable");
                None
            }
        })
        .collect())
}

/// One exported visit, as [`each_visit`] hands it over.
pub struct Record<'a> {
    /// The stored row.
    pub row: &'a exports::ExportedVisit,
    /// Its SPEC §4 line (shopper already named for the reader; no evidence).
    pub line: &'a VisitLine,
    /// Its checklist version.
    pub checklist: &'a Checklist,
    /// Its branch's region id.
    pub region_id: Option<&'a str>,
    /// The visit score (overturned items N/A), `None` when N/A or not scored.
    pub score: Option<f64>,
    /// Item scores in the checklist's item order (empty when not scored).
    pub items: &'a [Option<f64>],
    /// Attachment ids by item key (only when asked for).
    pub attachments: Option<&'a BTreeMap<String, Vec<String>>>,
}

/// Whether [`each_visit`] goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The next visit, please.
    Continue,
    /// Enough.
    Stop,
}

/// Where [`each_visit`] starts and what it prepares.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Start after this visit (or at it, when `inclusive`).
    pub from: Option<exports::Cursor>,
    /// Include the visit `from` names.
    pub inclusive: bool,
    /// Score each visit.
    pub score: bool,
    /// Read each visit's attachments.
    pub attachments: bool,
}

/// Calls `f` with every visit the filter selects and `visible` allows, by check-in time and
/// id, reading [`CHUNK`] visits at a time (memory stays flat).
///
/// # Errors
/// Database failures and whatever `f` returns.
pub fn each_visit(
    conn: &mut DbConnection,
    filter: &Filter,
    visible: &Visible,
    shoppers: &Shoppers,
    walk: &Walk,
    f: &mut dyn FnMut(Record<'_>) -> Result<Flow, Error>,
) -> Result<(), Error> {
    let documents = checklists_used(conn, filter, visible)?;
    let checklists: Vec<Checklist> = documents.iter().map(|(_, c)| c.clone()).collect();
    let catalog = Catalog::new(&checklists).map_err(Error::Catalog)?;
    let by_id: HashMap<&str, &Checklist> =
        documents.iter().map(|(id, c)| (id.as_str(), c)).collect();
    let codes = exports::codes(conn)?;
    let selection = filter.selection(visible);
    let mut cursor = walk.from.clone();
    let mut inclusive = walk.inclusive;
    loop {
        let rows = exports::chunk(conn, &selection, cursor.as_ref(), inclusive, CHUNK)?;
        inclusive = false;
        let Some(last) = rows.last() else { break };
        if let Some(at) = last.checked_in_utc {
            cursor = Some((at, last.id.to_string()));
        }
        let visit_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let overturned = if walk.score {
            exports::overturned(conn, &visit_ids)?
        } else {
            HashMap::new()
        };
        let mut attachments: HashMap<String, BTreeMap<String, Vec<String>>> = HashMap::new();
        if walk.attachments {
            let assignment_ids: Vec<&str> = rows.iter().map(|r| r.assignment_id.as_str()).collect();
            for (assignment, item, id) in exports::attachments_of(conn, &assignment_ids)? {
                attachments
                    .entry(assignment)
                    .or_default()
                    .entry(item)
                    .or_default()
                    .push(id);
            }
        }
        for row in &rows {
            let Some(at) = row.checked_in_at.as_deref() else {
                continue;
            };
            if !filter.contains(at) {
                continue;
            }
            let Some(checklist) = by_id.get(row.checklist_id.as_str()) else {
                tracing::warn!(visit = %row.id, "visit's checklist version unusable; not exported");
                continue;
            };
            let answers: Map<String, Value> = match serde_json::from_str(&row.answers) {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(visit = %row.id, error = %e, "stored answers unreadable; not exported");
                    continue;
                }
            };
            let comments: Map<String, Value> =
                serde_json::from_str(&row.comments).unwrap_or_default();
            let (branch, region) = codes
                .branches
                .get(row.branch_id.as_str())
                .map(|(code, region)| (code.clone(), codes.regions.get(region).cloned()))
                .unwrap_or_default();
            let line = VisitLine {
                id: row.id.to_string(),
                checklist: checklist.key.to_string(),
                checklist_version: checklist.version,
                branch,
                team: row
                    .team_id
                    .as_ref()
                    .and_then(|t| codes.teams.get(t.as_str()))
                    .cloned(),
                region,
                shopper: shoppers.name(&row.shopper_id),
                scenario: row.scenario.clone(),
                visited_at: at.to_owned(),
                duration_s: row.duration_s,
                answers,
                comments: (!comments.is_empty()).then_some(comments),
                calibration: row.calibration.clone(),
            };
            let (score, items) = if walk.score {
                let na = overturned
                    .get(row.id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                match score_with(
                    &catalog,
                    line.to_visit(checklist),
                    1,
                    ScoreOptions {
                        completeness: sirr_checklist::Completeness::Draft,
                        na_items: na,
                    },
                ) {
                    Ok(s) => (s.score.score, s.score.items),
                    Err(problems) => {
                        tracing::warn!(visit = %row.id, problem = ?problems.first(), "approved visit not scored");
                        (None, Vec::new())
                    }
                }
            } else {
                (None, Vec::new())
            };
            let record = Record {
                row,
                line: &line,
                checklist,
                region_id: codes
                    .branches
                    .get(row.branch_id.as_str())
                    .map(|(_, r)| r.as_str()),
                score,
                items: &items,
                attachments: attachments.get(row.assignment_id.as_str()),
            };
            if f(record)? == Flow::Stop {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Writes a visits or answers export; returns the number of visits written.
///
/// # Errors
/// Database and output failures.
pub fn write(conn: &mut DbConnection, plan: &Plan, out: &mut dyn Write) -> Result<u64, Error> {
    match plan.dataset {
        Dataset::Disputes => return followup::write_disputes(conn, plan, out),
        Dataset::ActionPlans => return followup::write_actions(conn, plan, out),
        _ => {}
    }
    let jsonl = plan.format == Format::Jsonl;
    let mut sink: Option<Box<dyn Sink + '_>> = None;
    let mut lines: Option<&mut dyn Write> = None;
    match (plan.dataset, plan.format) {
        (Dataset::Visits, Format::Jsonl) => lines = Some(out),
        (Dataset::Visits, Format::Csv) | (Dataset::Answers, Format::Csv) => {
            sink = Some(Box::new(sheet::Csv::new(out)?));
        }
        (Dataset::Visits, Format::Xlsx) => {
            sink = Some(Box::new(sheet::Xlsx::new("visits", plan.rtl, out)?));
        }
        (dataset, format) => {
            return Err(Error::Unsupported(crate::msg!(
                "export-format-unsupported-here",
                dataset = dataset.name(),
                format = format.extension()
            )));
        }
    }
    let layout = match (plan.dataset, &mut sink) {
        (Dataset::Visits, Some(sink)) => {
            let checklists: Vec<Checklist> = checklists_used(conn, &plan.filter, &plan.branches)?
                .into_iter()
                .map(|(_, c)| c)
                .collect();
            let layout = Layout::new(&checklists);
            sink.header(&layout.header())?;
            Some(layout)
        }
        (_, Some(sink)) => {
            sink.header(&answers_header())?;
            None
        }
        (_, None) => None,
    };
    if let Some(out) = lines.as_mut() {
        out.flush()?;
    }
    let walk = Walk {
        score: !jsonl,
        attachments: jsonl,
        ..Walk::default()
    };
    let mut written = 0u64;
    each_visit(
        conn,
        &plan.filter,
        &plan.branches,
        &plan.shoppers,
        &walk,
        &mut |r| {
            written += 1;
            if let Some(out) = lines.as_mut() {
                write_line(out, &r)?;
                return Ok(Flow::Continue);
            }
            let Some(sink) = sink.as_mut() else {
                return Ok(Flow::Continue);
            };
            match &layout {
                None => {
                    let version = f64::from(r.checklist.version);
                    for (n, (_, item)) in r.checklist.items().enumerate() {
                        let key = item.key.as_str();
                        let Some(answer) = r.line.answers.get(key) else {
                            continue;
                        };
                        let comment = r
                            .line
                            .comments
                            .as_ref()
                            .and_then(|c| c.get(key))
                            .and_then(Value::as_str);
                        sink.row(&[
                            Cell::text(&r.line.id),
                            Cell::text(key),
                            answer_cell(answer),
                            Cell::number(r.items.get(n).copied().flatten()),
                            Cell::text(&r.line.checklist),
                            Cell::Number(version),
                            comment.map_or(Cell::Empty, Cell::text),
                        ])?;
                    }
                }
                Some(layout) => {
                    let mut cells = vec![
                        Cell::text(&r.line.id),
                        Cell::text(&r.line.branch),
                        Cell::text(&r.line.checklist),
                        Cell::Number(f64::from(r.checklist.version)),
                        Cell::text(&r.line.visited_at),
                        Cell::number(r.score),
                    ];
                    cells.resize(FIXED.len() + layout.keys.len(), Cell::Empty);
                    for (key, answer) in &r.line.answers {
                        if let Some(&c) = layout.column.get(key.as_str()) {
                            cells[FIXED.len() + c] = answer_cell(answer);
                        }
                    }
                    sink.row(&cells)?;
                }
            }
            Ok(Flow::Continue)
        },
    )?;
    if let Some(sink) = sink {
        sink.finish()?;
    }
    if let Some(out) = lines {
        out.flush()?;
    }
    Ok(written)
}

/// Writes one SPEC §4 line: the visit with `evidence`, the attachments of items that are not
/// photo items (photo answers already list theirs).
fn write_line(out: &mut dyn Write, r: &Record<'_>) -> Result<(), Error> {
    // What the submission named, when it was kept; else every attachment of a non-photo item.
    // (Only when attachments were asked for, as before.)
    let named: Option<BTreeMap<String, Vec<String>>> = r
        .attachments
        .and(r.row.evidence.as_deref())
        .and_then(|text| serde_json::from_str(text).ok());
    let evidence: Map<String, Value> = named
        .as_ref()
        .or(r.attachments)
        .into_iter()
        .flatten()
        .filter(|(item, _)| {
            r.checklist
                .items()
                .any(|(_, i)| i.key.as_str() == item.as_str() && !matches!(i.kind, ItemKind::Photo))
        })
        .map(|(item, ids)| (item.clone(), Value::from(ids.clone())))
        .collect();
    let line = LineWithEvidence {
        line: r.line,
        evidence: (!evidence.is_empty()).then_some(evidence),
    };
    serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[derive(Serialize)]
struct LineWithEvidence<'a> {
    #[serde(flatten)]
    line: &'a VisitLine,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Map<String, Value>>,
}

/// The fixed columns of wide visit rows: key, English, Arabic.
const FIXED: &[(&str, &str, &str)] = &[
    ("visit_id", "Visit", "الزيارة"),
    ("branch_code", "Branch", "الفرع"),
    ("checklist", "Checklist", "قائمة التقييم"),
    ("checklist_version", "Version", "الإصدار"),
    ("visited_at", "Visited at", "وقت الزيارة"),
    ("score", "Score", "الدرجة"),
];

/// The item columns of a wide export: every version's items, first version first.
struct Layout {
    keys: Vec<String>,
    en: Vec<String>,
    ar: Vec<String>,
    column: HashMap<String, usize>,
}

impl Layout {
    fn new(checklists: &[Checklist]) -> Self {
        let mut layout = Self {
            keys: Vec::new(),
            en: Vec::new(),
            ar: Vec::new(),
            column: HashMap::new(),
        };
        for checklist in checklists {
            for (_, item) in checklist.items() {
                if matches!(item.kind, ItemKind::Note) {
                    continue;
                }
                let key = item.key.as_str();
                let en = item.text.get_or_any("en").unwrap_or(key).to_owned();
                let ar = item.text.get_or_any("ar").unwrap_or(key).to_owned();
                match layout.column.get(key) {
                    // A later version's wording wins; the column stays where it was.
                    Some(&c) => {
                        layout.en[c] = en;
                        layout.ar[c] = ar;
                    }
                    None => {
                        layout.column.insert(key.to_owned(), layout.keys.len());
                        layout.keys.push(key.to_owned());
                        layout.en.push(en);
                        layout.ar.push(ar);
                    }
                }
            }
        }
        layout
    }

    fn header(&self) -> Header {
        let mut header = Header::default();
        for (key, en, ar) in FIXED {
            header.push(key, en, ar);
        }
        header.keys.extend(self.keys.iter().cloned());
        header.en.extend(self.en.iter().cloned());
        header.ar.extend(self.ar.iter().cloned());
        header
    }
}

fn answers_header() -> Header {
    let mut header = Header::default();
    for (key, en, ar) in [
        ("visit_id", "Visit", "الزيارة"),
        ("item", "Item", "البند"),
        ("answer", "Answer", "الإجابة"),
        ("score", "Score", "الدرجة"),
        ("checklist", "Checklist", "قائمة التقييم"),
        ("checklist_version", "Version", "الإصدار"),
        ("comment", "Comment", "التعليق"),
    ] {
        header.push(key, en, ar);
    }
    header
}

/// An answer in a cell: strings as they are (`yes`, `na`, option keys, times), numbers as
/// numbers, lists (options, attachment ids) joined by `;`.
fn answer_cell(answer: &Value) -> Cell<'_> {
    match answer {
        Value::String(s) => Cell::text(s),
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::Null => Cell::Empty,
        Value::Array(items) => Cell::Text(Cow::Owned(
            items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";"),
        )),
        other => Cell::Text(Cow::Owned(other.to_string())),
    }
}

/// A SPEC §4 visit line as exports write it (evidence is added when written).
#[derive(Debug, Serialize)]
pub struct VisitLine {
    /// Visit id.
    pub id: String,
    /// Checklist key.
    pub checklist: String,
    /// Checklist version.
    pub checklist_version: u32,
    /// Branch code.
    pub branch: String,
    /// Team key within the branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Region code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The shopper as the reader may know them ([`Shoppers`]).
    pub shopper: String,
    /// Scenario played.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Check-in time, RFC 3339 with the local offset.
    pub visited_at: String,
    /// Duration in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    /// Answers by item key.
    pub answers: Map<String, Value>,
    /// Comments by item key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Map<String, Value>>,
    /// Calibration code shared by visits of one encounter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<String>,
}

impl VisitLine {
    /// The scoring crate's visit (answers cloned; the line is still written afterwards).
    fn to_visit(&self, checklist: &Checklist) -> sirr_scoring::visit::Visit {
        sirr_scoring::visit::Visit {
            id: self.id.clone(),
            checklist: checklist.key.clone(),
            checklist_version: checklist.version,
            branch: self.branch.clone(),
            team: self.team.clone(),
            region: self.region.clone(),
            shopper: self.shopper.clone(),
            scenario: self.scenario.clone(),
            visited_at: self.visited_at.clone(),
            duration_s: self.duration_s,
            answers: self.answers.clone(),
            comments: BTreeMap::new(),
            evidence: None,
            calibration: self.calibration.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scores.

const SCORE_COLUMNS: &[(&str, &str, &str)] = &[
    ("period", "Period", "الفترة"),
    ("level", "Level", "المستوى"),
    ("code", "Code", "الرمز"),
    ("visits", "Visits", "الزيارات"),
    ("raw_score", "Raw score", "الدرجة الخام"),
    ("fair_score", "Fair score", "الدرجة العادلة"),
    (
        "fair_ci_low",
        "Fair score, 90% low",
        "الدرجة العادلة: الحد الأدنى 90%",
    ),
    (
        "fair_ci_high",
        "Fair score, 90% high",
        "الدرجة العادلة: الحد الأعلى 90%",
    ),
    (
        "raw_ci_low",
        "Raw score, 90% low",
        "الدرجة الخام: الحد الأدنى 90%",
    ),
    (
        "raw_ci_high",
        "Raw score, 90% high",
        "الدرجة الخام: الحد الأعلى 90%",
    ),
];

/// Writes a scores export from a computed result: one block per period (the requested one,
/// or every month of `all`), each with the organisation (without a region or branch filter),
/// then regions, branches and teams by code, as far as the reader may see them. Returns the
/// number of rows.
///
/// # Errors
/// Database and output failures.
pub fn write_scores(
    conn: &mut DbConnection,
    plan: &Plan,
    scores: &Scores,
    out: &mut dyn Write,
) -> Result<u64, Error> {
    let codes = exports::codes(conn)?;
    let team_branch = exports::team_branches(conn)?;
    let mut sink: Box<dyn Sink + '_> = match plan.format {
        Format::Xlsx => Box::new(sheet::Xlsx::new("scores", plan.rtl, out)?),
        _ => Box::new(sheet::Csv::new(out)?),
    };
    let mut header = Header::default();
    for (key, en, ar) in SCORE_COLUMNS {
        header.push(key, en, ar);
    }
    sink.header(&header)?;

    let f = &plan.filter;
    let region_ok = |region: &str| {
        plan.regions.contains(region)
            && f.region_id.as_deref().is_none_or(|r| r == region)
            && f.branch_id
                .as_deref()
                .is_none_or(|b| codes.branches.get(b).is_some_and(|(_, r)| r == region))
    };
    let branch_ok = |branch: &str| {
        plan.branches.contains(branch)
            && f.branch_id.as_deref().is_none_or(|b| b == branch)
            && f.region_id
                .as_deref()
                .is_none_or(|r| codes.branches.get(branch).is_some_and(|(_, br)| br == r))
    };
    let team_ok = |team: &str| {
        plan.teams.contains(team) && team_branch.get(team).is_some_and(|b| branch_ok(b))
    };
    let whole = f.region_id.is_none() && f.branch_id.is_none();

    let mut rows = 0u64;
    let mut emit = |sink: &mut Box<dyn Sink + '_>,
                    period: &str,
                    level: &str,
                    code: &str,
                    s: &Summary|
     -> Result<(), Error> {
        rows += 1;
        sink.row(&[
            Cell::text(period),
            Cell::text(level),
            Cell::text(code),
            Cell::Number(s.visits as f64),
            Cell::number(s.raw_score),
            Cell::number(s.fair_score),
            Cell::number(s.fair_ci.map(|c| c[0])),
            Cell::number(s.fair_ci.map(|c| c[1])),
            Cell::number(s.raw_ci.map(|c| c[0])),
            Cell::number(s.raw_ci.map(|c| c[1])),
        ])
    };

    match scores.selection.as_str() {
        "all" => {
            for p in &scores.periods {
                if whole {
                    emit(&mut sink, &p.period, "organisation", "", &p.organisation)?;
                }
                let mut regions: Vec<_> = p
                    .regions
                    .iter()
                    .filter(|e| region_ok(&e.id))
                    .filter_map(|e| Some((codes.regions.get(&e.id)?, &e.summary)))
                    .collect();
                regions.sort_by(|a, b| a.0.cmp(b.0));
                for (code, s) in regions {
                    emit(&mut sink, &p.period, "region", code, s)?;
                }
                let mut branches: Vec<_> = p
                    .branches
                    .iter()
                    .filter(|e| branch_ok(&e.id))
                    .filter_map(|e| Some((&codes.branches.get(&e.id)?.0, &e.summary)))
                    .collect();
                branches.sort_by(|a, b| a.0.cmp(b.0));
                for (code, s) in branches {
                    emit(&mut sink, &p.period, "branch", code, s)?;
                }
                let mut teams: Vec<_> = p
                    .teams
                    .iter()
                    .filter(|e| team_ok(&e.id))
                    .filter_map(|e| Some((scores.team(&e.id)?.key.clone()?, &e.summary)))
                    .collect();
                teams.sort_by(|a, b| a.0.cmp(&b.0));
                for (code, s) in teams {
                    emit(&mut sink, &p.period, "team", &code, s)?;
                }
            }
        }
        period => {
            if whole {
                emit(
                    &mut sink,
                    period,
                    "organisation",
                    "",
                    &scores.organisation.summary,
                )?;
            }
            for g in &scores.regions {
                if let (Some(id), Some(code)) = (&g.id, &g.key)
                    && region_ok(id)
                {
                    emit(&mut sink, period, "region", code, &g.summary)?;
                }
            }
            for b in &scores.branches {
                if branch_ok(&b.id) {
                    emit(&mut sink, period, "branch", &b.key, &b.summary)?;
                }
            }
            for g in &scores.teams {
                if let (Some(id), Some(code)) = (&g.id, &g.key)
                    && team_ok(id)
                {
                    emit(&mut sink, period, "team", code, &g.summary)?;
                }
            }
        }
    }
    sink.finish()?;
    Ok(rows)
}

/// The scores of the selection the plan's period names, for the command line (no server
/// cache: computed, or read from `score_reports` when current).
///
/// # Errors
/// Database failures.
pub fn scores_for(
    pool: &sirr_store::Pool,
    filter: &Filter,
) -> Result<std::sync::Arc<Scores>, crate::error::ServiceError> {
    let selection = match &filter.period {
        None => computed::Selection::All,
        Some((kind, label)) => computed::Selection::Period {
            kind: *kind,
            label: label.clone(),
        },
    };
    computed::Cache::new().load_or_compute(pool, &selection)
}
