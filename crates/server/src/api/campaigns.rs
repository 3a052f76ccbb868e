//! Campaigns (waves): a checklist version, a date range, the branches in scope, visits per
//! branch and scenarios; and bulk assignment of a campaign's visits across shoppers.
//!
//! Bulk assignment splits the campaign into one window per visit, then gives each (branch,
//! window) to the eligible shopper with the fewest visits so far in this batch, preferring one
//! who has not been given that branch yet; ties rotate with the branch, so no shopper always
//! sees the same branch. Bars and the revisit window are checked against stored assignments and
//! the batch itself. What cannot be filled is listed with the reason. Running it again fills
//! only the visits that are open (never assigned, declined or cancelled), so it never doubles
//! a campaign.

use std::collections::{BTreeMap, HashMap, HashSet};

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::ChecklistRef;
use super::types::{Names, detail, names_from_db, time};
use super::types::{Scenario, scenarios_from_db};
use crate::audit;
use crate::auth::{AuthUser, roles};
use crate::error::ServiceError;
use crate::i18n::{Lang, ReaderLang};
use crate::startup::AppState;
use crate::workflow;
use crate::workflow::{Planned, offer};
use sirr_store::campaigns::CampaignRow;
use sirr_store::ids::{BranchId, CampaignId, UserId};
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, get, progress, assign_all],
    schemas: [Campaign, NewCampaign, Scenario, NewScenario, BulkRequest, BulkResult, Unfilled, Progress, ProgressLine, BranchProgress, ShopperProgress],
}

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct Campaign {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The checklist version every visit fills.
    pub checklist: ChecklistRef,
    /// First day (YYYY-MM-DD).
    pub starts_on: String,
    /// Last day (YYYY-MM-DD).
    pub ends_on: String,
    /// Branches in scope.
    pub branch_ids: Vec<String>,
    /// Visits per branch.
    pub visits_per_branch: i32,
    /// Scenario keys, handed out in turn.
    pub scenarios: Vec<String>,
    /// The brief of each scenario that has one, by scenario key: what the shopper reads, in
    /// Arabic and English.
    pub scenario_briefs: BTreeMap<String, Names>,
    /// Assignments by status.
    pub assignments: BTreeMap<String, i64>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
}

/// A new campaign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    /// Name.
    pub name: String,
    /// A published checklist version.
    pub checklist: ChecklistRef,
    /// First day (YYYY-MM-DD).
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    /// Last day (YYYY-MM-DD).
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    /// Branches in scope.
    pub branch_ids: Vec<String>,
    /// Visits per branch (1–100).
    pub visits_per_branch: i32,
    /// Scenarios (at most 20), handed out in turn: a key, or a key with its brief.
    #[serde(default)]
    pub scenarios: Vec<NewScenario>,
}

/// A scenario of a new campaign: its key alone (as before briefs), or a key with its brief.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum NewScenario {
    /// A key without a brief.
    Code(String),
    /// A key with its brief.
    Full(Scenario),
}

impl NewScenario {
    fn into_scenario(self) -> Scenario {
        match self {
            NewScenario::Code(code) => Scenario {
                code,
                brief: Names::new(),
            },
            NewScenario::Full(s) => s,
        }
    }
}

/// The longest brief, in characters per language.
pub const BRIEF_MAX: usize = 2000;
/// The longest scenario key, in characters.
pub const CODE_MAX: usize = 64;
/// The most scenarios a campaign may have.
pub const SCENARIOS_MAX: usize = 20;

/// Problems of a new campaign's scenarios, at `/scenarios/{i}/…`.
fn scenario_problems(list: &[Scenario]) -> Vec<Detail> {
    let mut problems = Vec::new();
    if list.len() > SCENARIOS_MAX {
        problems.push(detail(
            "/scenarios",
            crate::msg!("scenarios-too-many", max = SCENARIOS_MAX),
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, s) in list.iter().enumerate() {
        if s.code.chars().count() > CODE_MAX {
            problems.push(detail(
                &format!("/scenarios/{i}/code"),
                crate::msg!("field-too-long", max = CODE_MAX),
            ));
        } else if !sirr_scoring::visit::is_valid_code(&s.code) {
            problems.push(detail(
                &format!("/scenarios/{i}/code"),
                crate::msg!("code-characters"),
            ));
        } else if let Some(first) = seen.insert(s.code.as_str(), i) {
            problems.push(detail(
                &format!("/scenarios/{i}/code"),
                crate::msg!("scenario-duplicate", first = first + 1),
            ));
        }
        for key in s
            .brief
            .keys()
            .filter(|k| !["en", "ar"].contains(&k.as_str()))
        {
            problems.push(detail(
                &format!("/scenarios/{i}/brief/{key}"),
                crate::msg!("brief-language"),
            ));
        }
        let given = |l: &str| s.brief.get(l).is_some_and(|t| !t.trim().is_empty());
        if given("en") || given("ar") {
            for l in ["en", "ar"] {
                let text = s.brief.get(l).map(|t| t.trim()).unwrap_or_default();
                if text.is_empty() {
                    problems.push(detail(
                        &format!("/scenarios/{i}/brief/{l}"),
                        crate::msg!("brief-both-languages"),
                    ));
                } else if text.chars().count() > BRIEF_MAX {
                    problems.push(detail(
                        &format!("/scenarios/{i}/brief/{l}"),
                        crate::msg!("field-too-long", max = BRIEF_MAX),
                    ));
                }
            }
        }
    }
    problems
}

/// Which shoppers a bulk assignment may use.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// Shopper ids; default: every active shopper.
    pub shopper_ids: Option<Vec<String>>,
}

/// A visit bulk assignment could not give to anyone.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unfilled {
    /// Branch id.
    pub branch_id: String,
    /// Window start, RFC 3339 UTC.
    pub window_start: String,
    /// Why, in the reader's language.
    pub reason: String,
}

/// What bulk assignment did.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    /// The assignments made.
    pub created: Vec<String>,
    /// Visits left unassigned, with reasons.
    pub unfilled: Vec<Unfilled>,
}

fn load(conn: &mut DbConnection, id: Option<&str>) -> QueryResult<Vec<Campaign>> {
    let id = id.map(CampaignId::from);
    let rows = db::campaigns::list(conn, id.as_ref())?;
    let ids: Vec<&CampaignId> = rows.iter().map(|r| &r.campaign.id).collect();
    let mut branch_map: HashMap<String, Vec<String>> = HashMap::new();
    for m in db::campaigns::members(conn, &ids)? {
        branch_map
            .entry(m.campaign_id.into())
            .or_default()
            .push(m.branch_id.into());
    }
    let mut counts: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    for t in db::campaigns::tallies(conn, &ids)? {
        counts
            .entry(t.campaign_id.into())
            .or_default()
            .insert(t.status.to_string(), t.count);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let (c, key, version) = (row.campaign, row.checklist_key, row.checklist_version);
            let scenarios = scenarios_from_db(&c.scenarios);
            Campaign {
                branch_ids: branch_map.remove(c.id.as_str()).unwrap_or_default(),
                assignments: counts.remove(c.id.as_str()).unwrap_or_default(),
                id: c.id.into(),
                name: c.name,
                checklist: ChecklistRef { key, version },
                starts_on: c.starts_on.to_string(),
                ends_on: c.ends_on.to_string(),
                visits_per_branch: c.visits_per_branch,
                scenario_briefs: scenarios
                    .iter()
                    .filter(|s| !s.brief.is_empty())
                    .map(|s| (s.code.clone(), s.brief.clone()))
                    .collect(),
                scenarios: scenarios.into_iter().map(|s| s.code).collect(),
                created_at: time(c.created_at),
            }
        })
        .collect())
}

/// Campaigns, newest first (QA, admin).
#[utoipa::path(operation_id = "list_campaigns", get, path = "/api/v1/campaigns", tag = "field", security(("bearer" = [])),
    responses((status = 200, description = "Campaigns", body = [Campaign])))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let list = state.db(|conn| Ok(load(conn, None)?)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One campaign (QA, admin).
#[utoipa::path(operation_id = "get_campaign", get, path = "/api/v1/campaigns/{id}", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    responses((status = 200, description = "The campaign", body = Campaign),
              (status = 404, description = "No such campaign", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let c = state
        .db(move |conn| {
            load(conn, Some(&id))?
                .pop()
                .ok_or(ApiError::NotFound("campaign"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(c))
}

/// Plan a campaign (QA, admin).
#[utoipa::path(operation_id = "create_campaign", post, path = "/api/v1/campaigns", tag = "field", security(("bearer" = [])),
    request_body = NewCampaign,
    responses((status = 201, description = "Created", body = Campaign),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewCampaign>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let mut b = body.into_inner();
    let scenarios: Vec<Scenario> = std::mem::take(&mut b.scenarios)
        .into_iter()
        .map(|s| {
            let mut s = s.into_scenario();
            s.brief = s
                .brief
                .into_iter()
                .map(|(l, t)| (l, t.trim().to_owned()))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            s
        })
        .collect();
    let created = state
        .db_write(move |conn| {
            let mut problems: Vec<Detail> = Vec::new();
            if b.name.trim().is_empty() || b.name.chars().count() > 200 {
                problems.push(detail("/name", crate::msg!("name-length", max = 200)));
            }
            let checklist =
                match workflow::published_checklist(conn, &b.checklist.key, b.checklist.version) {
                    Ok((id, _)) => Some(id),
                    Err(ServiceError::Invalid { details, .. }) => {
                        problems.extend(details);
                        None
                    }
                    Err(e) => return Err(e.into()),
                };
            if b.ends_on < b.starts_on {
                problems.push(detail("/ends_on", crate::msg!("ends-before-starts")));
            }
            if !(1..=100).contains(&b.visits_per_branch) {
                problems.push(detail(
                    "/visits_per_branch",
                    crate::msg!("between", min = 1, max = 100),
                ));
            }
            if b.branch_ids.is_empty() {
                problems.push(detail("/branch_ids", crate::msg!("branches-none")));
            }
            let mut wanted: Vec<BranchId> = b.branch_ids.iter().map(BranchId::from).collect();
            wanted.sort();
            wanted.dedup();
            let found: HashSet<String> = db::branches::by_ids(conn, &wanted)?
                .into_iter()
                .map(|branch| branch.id.into())
                .collect();
            for (i, id) in b.branch_ids.iter().enumerate() {
                if !found.contains(id) {
                    problems.push(detail(
                        &format!("/branch_ids/{i}"),
                        crate::msg!("no-branch-with-id"),
                    ));
                }
            }
            problems.extend(scenario_problems(&scenarios));
            let Some(checklist_id) = checklist.filter(|_| problems.is_empty()) else {
                return Err(ApiError::invalid(
                    crate::msg!("campaign-not-valid"),
                    problems,
                ));
            };
            let id = sirr_store::ids::CampaignId::generate();
            let now = db::now();
            let row = CampaignRow {
                id: id.clone(),
                name: b.name.trim().to_owned(),
                checklist_id: checklist_id.as_str().into(),
                starts_on: b.starts_on,
                ends_on: b.ends_on,
                visits_per_branch: b.visits_per_branch,
                scenarios: json!(scenarios).to_string(),
                created_by: Some(user.id.clone()),
                created_at: now,
                updated_at: now,
            };
            db::campaigns::insert(conn, &row, &wanted)?;
            audit::record(
                conn,
                Some(&user.id),
                "create",
                "campaign",
                &id,
                json!({"name": b.name.trim(), "checklist_id": checklist_id,
                       "starts_on": b.starts_on, "ends_on": b.ends_on,
                       "branch_ids": b.branch_ids, "visits_per_branch": b.visits_per_branch,
                       "scenarios": scenarios}),
            )?;
            load(conn, Some(&id))?
                .pop()
                .ok_or(ApiError::NotFound("campaign"))
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Counts of one line of the progress board.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ProgressLine {
    /// Assignments by status (`offered`, `accepted`, `declined`, `submitted`, `returned`,
    /// `approved`, `rejected`, `cancelled`); a status with none is left out.
    pub counts: BTreeMap<String, i64>,
    /// Assignments whose window has ended while still offered or accepted (not submitted).
    pub overdue: i64,
}

/// A branch's line of the progress board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchProgress {
    /// Branch id.
    pub branch_id: String,
    /// Branch code.
    pub code: String,
    /// Name per language.
    pub names: Names,
    /// Its counts.
    #[serde(flatten)]
    pub line: ProgressLine,
}

/// A shopper's line of the progress board.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShopperProgress {
    /// User id.
    pub shopper_id: String,
    /// Display name.
    pub name: String,
    /// Their counts.
    #[serde(flatten)]
    pub line: ProgressLine,
}

/// A campaign's progress: its assignments counted per branch and per shopper.
#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    /// Campaign id.
    pub campaign_id: String,
    /// When it was counted (overdue is judged against this), RFC 3339 UTC.
    pub as_of: String,
    /// The whole campaign.
    pub totals: ProgressLine,
    /// Every branch of the campaign, by code (one with no assignment has empty counts).
    pub branches: Vec<BranchProgress>,
    /// Every shopper with an assignment in the campaign, by name.
    pub shoppers: Vec<ShopperProgress>,
}

fn to_progress(id: String, now: NaiveDateTime, rows: db::planning::ProgressRows) -> Progress {
    let mut totals = ProgressLine::default();
    let mut by_branch: HashMap<BranchId, ProgressLine> = HashMap::new();
    let mut by_shopper: HashMap<UserId, ProgressLine> = HashMap::new();
    for count in rows.counts {
        for line in [
            &mut totals,
            by_branch.entry(count.branch_id.clone()).or_default(),
            by_shopper.entry(count.shopper_id.clone()).or_default(),
        ] {
            *line.counts.entry(count.status.to_string()).or_default() += count.count;
        }
    }
    for overdue in rows.overdue {
        totals.overdue += overdue.count;
        by_branch.entry(overdue.branch_id).or_default().overdue += overdue.count;
        by_shopper.entry(overdue.shopper_id).or_default().overdue += overdue.count;
    }
    Progress {
        campaign_id: id,
        as_of: time(now),
        totals,
        branches: rows
            .branches
            .into_iter()
            .map(|branch| BranchProgress {
                line: by_branch.remove(&branch.id).unwrap_or_default(),
                branch_id: branch.id.into(),
                code: branch.code,
                names: names_from_db(&branch.names),
            })
            .collect(),
        shoppers: rows
            .shoppers
            .into_iter()
            .map(|shopper| ShopperProgress {
                line: by_shopper.remove(&shopper.id).unwrap_or_default(),
                shopper_id: shopper.id.into(),
                name: shopper.name,
            })
            .collect(),
    }
}

/// A campaign's progress board (QA, admin): per branch and per shopper, its assignments by
/// status and those overdue (window ended, still offered or accepted).
#[utoipa::path(operation_id = "campaign_progress", get, path = "/api/v1/campaigns/{id}/progress", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    responses((status = 200, description = "The board", body = Progress),
              (status = 404, description = "No such campaign", body = ErrorEnvelope)))]
pub async fn progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let board = state
        .db(move |conn| {
            let now = db::now();
            let rows = db::planning::campaign_progress(conn, &id.as_str().into(), now)?
                .ok_or(ApiError::NotFound("campaign"))?;
            Ok(to_progress(id, now, rows))
        })
        .await?;
    Ok(HttpResponse::Ok().json(board))
}

/// The windows of a campaign: its days split into `n` consecutive parts, UTC midnight to
/// midnight (the last part takes the remainder).
pub fn windows(start: NaiveDate, end: NaiveDate, n: i32) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    let days = (end - start).num_days() + 1;
    let n = i64::from(n.max(1));
    (0..n)
        .map(|k| {
            let from = start + chrono::Duration::days(days * k / n);
            let to = start + chrono::Duration::days((days * (k + 1) / n).max(days * k / n + 1));
            (
                from.and_hms_opt(0, 0, 0).unwrap_or_default(),
                to.and_hms_opt(0, 0, 0).unwrap_or_default(),
            )
        })
        .collect()
}

/// Assign every visit of a campaign across shoppers (QA, admin), in one transaction.
#[utoipa::path(operation_id = "assign_campaign", post, path = "/api/v1/campaigns/{id}/assignments", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    request_body = BulkRequest,
    responses((status = 201, description = "What was assigned and what could not be", body = BulkResult),
              (status = 404, description = "No such campaign", body = ErrorEnvelope),
              (status = 422, description = "Unknown shoppers", body = ErrorEnvelope)))]
pub async fn assign_all(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    id: web::Path<String>,
    body: Option<web::Json<BulkRequest>>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let request = body.map(web::Json::into_inner).unwrap_or_default();
    let result = state
        .db_write(move |conn| bulk(conn, &user, &id, request, lang))
        .await?;
    Ok(HttpResponse::Created().json(result))
}

fn bulk(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
    request: BulkRequest,
    lang: Lang,
) -> Result<BulkResult, ApiError> {
    let campaign = load(conn, Some(id))?
        .pop()
        .ok_or(ApiError::NotFound("campaign"))?;
    let stored = db::campaigns::find(conn, &id.into())?.ok_or(ApiError::NotFound("campaign"))?;
    let (checklist_id, starts, ends) = (
        stored.checklist_id.to_string(),
        stored.starts_on,
        stored.ends_on,
    );
    let active: Vec<String> = db::users::active_shopper_ids(conn)?
        .into_iter()
        .map(Into::into)
        .collect();
    let shoppers = match request.shopper_ids {
        None => active,
        Some(wanted) => {
            let known: HashSet<&String> = active.iter().collect();
            let problems: Vec<Detail> = wanted
                .iter()
                .enumerate()
                .filter(|(_, s)| !known.contains(s))
                .map(|(i, _)| {
                    detail(
                        &format!("/shopper_ids/{i}"),
                        crate::msg!("no-active-shopper-with-id"),
                    )
                })
                .collect();
            if !problems.is_empty() {
                return Err(ApiError::invalid(crate::msg!("unknown-shoppers"), problems));
            }
            wanted
        }
    };
    let revisit = workflow::revisit_days(conn)?;
    let slots = windows(starts, ends, campaign.visits_per_branch);
    let mut load_of: HashMap<&str, usize> = shoppers.iter().map(|s| (s.as_str(), 0)).collect();
    let mut given: HashSet<(String, String)> = HashSet::new();
    // Assigning again fills only the open visits: a slot that still has an assignment (its
    // window starting inside the slot, wherever a reassignment moved it) is kept, and its
    // shopper's load counts towards an even share.
    let mut live = db::planning::live_assignments(conn, &id.into())?;
    for a in &live {
        if let Some(n) = load_of.get_mut(a.shopper_id.as_str()) {
            *n += 1;
        }
        given.insert((a.shopper_id.clone().into(), a.branch_id.clone().into()));
    }
    let mut result = BulkResult {
        created: Vec::new(),
        unfilled: Vec::new(),
    };
    for (bi, branch) in campaign.branch_ids.iter().enumerate() {
        for (k, (start, end)) in slots.iter().enumerate() {
            if let Some(held) = live.iter().position(|a| {
                a.branch_id == *branch && a.window_start >= *start && a.window_start < *end
            }) {
                // Each assignment holds one slot only.
                live.swap_remove(held);
                continue;
            }
            let mut reasons = Vec::new();
            let mut best: Option<(usize, bool, usize, &str)> = None;
            for (si, shopper) in shoppers.iter().enumerate() {
                if let Some(problem) =
                    workflow::rotation_problem(conn, shopper, branch, *start, revisit, None)?
                {
                    reasons.push(problem.render(lang));
                    continue;
                }
                // The batch's own assignments are already stored, so the check above covers
                // them too.
                let key = (shopper.clone(), branch.clone());
                // Fewest visits first, then someone new to the branch, then a turn that moves
                // with the branch and the slot.
                let turn = (si + shoppers.len() - (bi + k) % shoppers.len()) % shoppers.len();
                let load = load_of.get(shopper.as_str()).copied().unwrap_or(0);
                let candidate = (load, given.contains(&key), turn, shopper.as_str());
                if best.is_none_or(|b| candidate < b) {
                    best = Some(candidate);
                }
            }
            let Some((_, _, _, shopper)) = best else {
                result.unfilled.push(Unfilled {
                    branch_id: branch.clone(),
                    window_start: time(*start),
                    reason: if shoppers.is_empty() {
                        crate::msg!("no-active-shoppers").render(lang)
                    } else {
                        reasons.sort();
                        reasons.dedup();
                        crate::msg!("no-eligible-shopper", reasons = reasons.join("; "))
                            .render(lang)
                    },
                });
                continue;
            };
            let shopper = shopper.to_owned();
            let scenario = (!campaign.scenarios.is_empty())
                .then(|| campaign.scenarios[(bi + k) % campaign.scenarios.len()].clone());
            let new = offer(
                conn,
                &user.id,
                &Planned {
                    shopper_id: shopper.clone(),
                    branch_id: branch.clone(),
                    team_id: None,
                    checklist_id: checklist_id.clone(),
                    start: *start,
                    end: *end,
                    scenario,
                    campaign_id: Some(id.to_owned()),
                    calibration: None,
                },
            )?;
            result.created.push(new.into());
            if let Some(n) = load_of.get_mut(shopper.as_str()) {
                *n += 1;
            }
            given.insert((shopper, branch.clone()));
        }
    }
    audit::record(
        conn,
        Some(&user.id),
        "assign",
        "campaign",
        id,
        json!({"created": result.created.len(), "unfilled": result.unfilled.len()}),
    )?;
    Ok(result)
}
