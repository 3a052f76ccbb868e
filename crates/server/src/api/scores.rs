//! Scores: the organisation, regions, branches and teams, overall or for one period; shopper
//! severity and calibration agreement for QA and admins.
//!
//! Every endpoint takes `period` (`YYYY-MM`, `YYYY-Qn` or ISO week `YYYY-Www`; absent or `all`
//! for every approved visit) and answers from [`crate::scores`], which keeps results fresh
//! against the database's change counters. Shoppers get 403; managers see the regions,
//! branches and teams of their scopes (404 for the others, which must not leak) and never a
//! shopper's identity or another branch's scores: peer comparison is a rank and a count.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use sirr_scoring::report::{GroupItemResult, ItemResult, SectionResult, Summary};
use sirr_store as db;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorEnvelope};
use super::in_scope;
use crate::auth::{AuthUser, Role, access, roles};
use crate::scores::{self, Model, Of, Scores, Selection, TrendPoint};
use crate::startup::AppState;

/// The period of a score request.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// `YYYY-MM`, `YYYY-Qn` or ISO week `YYYY-Www` (by each visit's local date); absent or
    /// `all` for every approved visit.
    pub period: Option<String>,
}

impl PeriodQuery {
    fn selection(&self) -> Result<Selection, ApiError> {
        Selection::parse(self.period.as_deref()).map_err(|e| ApiError::bad_request("period", e))
    }
}

/// A section's score here, in the region and across the organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionComparison {
    /// Checklist key.
    pub checklist: String,
    /// Section key.
    pub key: String,
    /// Mean section score of this entity's visits; `null` when N/A.
    pub score: Option<f64>,
    /// Visits where the section is not N/A.
    pub visits: usize,
    /// The same in the branch's region (branch and team pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Option<f64>>,
    /// The same in the team's branch (team pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<Option<f64>>,
    /// The same across the organisation.
    pub organisation: Option<f64>,
}

/// An item's results here, with the organisation's verdict.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemScore {
    /// Checklist key.
    pub checklist: String,
    /// Item key.
    pub key: String,
    /// Who owns fixing it (from the checklist).
    pub owner: Option<String>,
    /// Non-N/A answers here.
    pub answers: usize,
    /// Share of non-N/A answers scoring 1.
    pub pass_rate: Option<f64>,
    /// Mean item score.
    pub mean_score: Option<f64>,
    /// Failing here: enough answers and a mean below the failing line (0.5).
    pub failing: bool,
    /// Failing across many branches: a systemic issue for its owner.
    pub systemic: bool,
    /// The organisation's pass rate, for comparison.
    pub organisation_pass_rate: Option<f64>,
}

/// An item by key, with its owner and results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemBrief {
    /// Checklist key.
    pub checklist: String,
    /// Item key.
    pub key: String,
    /// Who owns fixing it.
    pub owner: Option<String>,
    /// Pass rate (here for branch-specific items, organisation-wide for systemic ones).
    pub pass_rate: Option<f64>,
    /// Mean item score, likewise.
    pub mean_score: Option<f64>,
}

/// Peer comparison without any other branch's details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Peers {
    /// Rank by fair score among all ranked branches, 1 = best.
    pub rank: Option<usize>,
    /// Ranked branches.
    pub of: usize,
    /// Rank among the ranked branches of the region.
    pub region_rank: Option<usize>,
    /// Ranked branches in the region.
    pub region_of: usize,
}

/// A branch's scores (SPEC §6): the §4 branch entry plus sections, items and trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchScores {
    /// Branch id.
    pub branch_id: String,
    /// Branch code.
    pub key: String,
    /// Region id.
    pub region_id: String,
    /// The period, `null` for all approved visits.
    pub period: Option<String>,
    /// When the scores were computed, RFC 3339 UTC.
    pub computed_at: String,
    /// Scored visits.
    pub visits: usize,
    /// Mean visit score in [0, 1]; `null` without visits.
    pub raw_score: Option<f64>,
    /// 90% t-interval of the raw score; `null` under 2 visits.
    #[schema(value_type = Option<Vec<f64>>)]
    pub raw_ci: Option<[f64; 2]>,
    /// Fairness-normalized score.
    pub fair_score: Option<f64>,
    /// Its 90% interval.
    #[schema(value_type = Option<Vec<f64>>)]
    pub fair_ci: Option<[f64; 2]>,
    /// Rank by fair score, 1 = best.
    pub rank: Option<usize>,
    /// Sections: this branch, its region, the organisation.
    pub sections: Vec<SectionComparison>,
    /// Scored items of the checklists its visits used.
    pub items: Vec<ItemScore>,
    /// The organisation's systemic items (failing across many branches).
    pub systemic: Vec<ItemBrief>,
    /// Items this branch fails that are not systemic: its own gaps.
    pub branch_specific: Vec<ItemBrief>,
    /// Per period of the requested kind (months for `all`), up to and including the requested
    /// one, from the same joint fit as the headline: the entry of the period equals it.
    pub trend: Vec<TrendPoint>,
    /// The month a screen opens on when none is chosen (docs/scoring.md §3.8): the latest month
    /// that has ended with visits to at least half as many branches as the busiest month, else
    /// the latest month with visits; the same for every unit and user. Only without `period`
    /// (or with `all`); `null` otherwise.
    pub default_period: Option<String>,
    /// Where it stands among its peers.
    pub peers: Peers,
}

/// A branch in a list (admins, QA, and managers for the branches of their scopes).
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchLine {
    /// Branch id.
    pub branch_id: String,
    /// Branch code.
    pub key: String,
    /// Rank by fair score.
    pub rank: Option<usize>,
    /// Scores.
    #[serde(flatten)]
    pub summary: Summary,
}

/// A region's scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionScores {
    /// Region id.
    pub region_id: String,
    /// Region code.
    pub key: String,
    /// The period, `null` for all approved visits.
    pub period: Option<String>,
    /// When computed.
    pub computed_at: String,
    /// Scores.
    #[serde(flatten)]
    pub summary: Summary,
    /// Sections: this region and the organisation.
    pub sections: Vec<SectionComparison>,
    /// Items of the region.
    pub items: Vec<ItemScore>,
    /// Its branches the caller may see, by code.
    pub branches: Vec<BranchLine>,
    /// Per period of the requested kind (months for `all`), up to and including the requested
    /// one; the entry of the period equals the headline (one joint fit).
    pub trend: Vec<TrendPoint>,
    /// The month a screen opens on when none is chosen (docs/scoring.md §3.8): the latest month
    /// that has ended with visits to at least half as many branches as the busiest month, else
    /// the latest month with visits; the same for every unit and user. Only without `period`
    /// (or with `all`); `null` otherwise.
    pub default_period: Option<String>,
}

/// A team's scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamScores {
    /// Team id.
    pub team_id: String,
    /// `BRANCH/team`.
    pub key: String,
    /// The branch id.
    pub branch_id: String,
    /// The period, `null` for all approved visits.
    pub period: Option<String>,
    /// When computed.
    pub computed_at: String,
    /// Scores.
    #[serde(flatten)]
    pub summary: Summary,
    /// Sections: this team, its branch, the organisation.
    pub sections: Vec<SectionComparison>,
    /// Items of the team.
    pub items: Vec<ItemScore>,
    /// Per period of the requested kind (months for `all`), up to and including the requested
    /// one; the entry of the period equals the headline (one joint fit).
    pub trend: Vec<TrendPoint>,
    /// The month a screen opens on when none is chosen (docs/scoring.md §3.8): the latest month
    /// that has ended with visits to at least half as many branches as the busiest month, else
    /// the latest month with visits; the same for every unit and user. Only without `period`
    /// (or with `all`); `null` otherwise.
    pub default_period: Option<String>,
}

/// A region in the organisation's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionLine {
    /// Region id.
    pub region_id: String,
    /// Region code.
    pub key: String,
    /// Scores.
    #[serde(flatten)]
    pub summary: Summary,
}

/// The organisation's scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationScores {
    /// The period, `null` for all approved visits.
    pub period: Option<String>,
    /// When computed.
    pub computed_at: String,
    /// Scores.
    #[serde(flatten)]
    pub summary: Summary,
    /// Sections across the organisation.
    pub sections: Vec<SectionComparison>,
    /// Items across the organisation, with systemic flags and owners.
    pub items: Vec<ItemResult>,
    /// Systemic items, for their owners.
    pub systemic: Vec<ItemResult>,
    /// Per period of the requested kind (months for `all`), up to and including the requested
    /// one; the entry of the period equals the headline (one joint fit).
    pub trend: Vec<TrendPoint>,
    /// The month a screen opens on when none is chosen (docs/scoring.md §3.8): the latest month
    /// that has ended with visits to at least half as many branches as the busiest month, else
    /// the latest month with visits; the same for every unit and user. Only without `period`
    /// (or with `all`); `null` otherwise.
    pub default_period: Option<String>,
    /// The fair model.
    pub model: Model,
    /// Regions (admins and QA only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<RegionLine>>,
    /// Branches (admins and QA only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<BranchLine>>,
}

/// A shopper's severity (QA and admins).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShopperSeverity {
    /// User id.
    pub user_id: String,
    /// Name.
    pub name: String,
    /// Visits rated.
    pub visits: usize,
    /// Mean of their visit scores.
    pub raw_score: Option<f64>,
    /// Offset on the score scale; negative = harsher than the average shopper.
    pub severity: Option<f64>,
    /// Its 90% interval.
    #[schema(value_type = Option<Vec<f64>>)]
    pub severity_ci: Option<[f64; 2]>,
    /// `harsh`, `lenient` or `null`.
    pub flag: Option<String>,
}

/// Shopper severities.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShopperScores {
    /// The period, `null` for all approved visits.
    pub period: Option<String>,
    /// When computed.
    pub computed_at: String,
    /// By name.
    pub shoppers: Vec<ShopperSeverity>,
}

/// Calibration agreement (QA and admins).
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementScores {
    /// The period, `null` for all approved visits.
    pub period: Option<String>,
    /// When computed.
    pub computed_at: String,
    /// Krippendorff's alpha over calibration encounters (`encounters`, `alpha`, `items`);
    /// `null` without calibration data.
    #[schema(value_type = Option<Object>)]
    pub agreement: Option<serde_json::Value>,
}

fn item_scores(s: &Scores, items: &[GroupItemResult]) -> Vec<ItemScore> {
    items
        .iter()
        .map(|i| {
            let org = s.item(&i.checklist, &i.key);
            ItemScore {
                checklist: i.checklist.clone(),
                key: i.key.clone(),
                owner: org.and_then(|o| o.owner.clone()),
                answers: i.answers,
                pass_rate: i.pass_rate,
                mean_score: i.mean_score,
                failing: i.failing,
                systemic: org.is_some_and(|o| o.systemic),
                organisation_pass_rate: org.and_then(|o| o.pass_rate),
            }
        })
        .collect()
}

fn section_score(sections: &[SectionResult], checklist: &str, key: &str) -> Option<f64> {
    sections
        .iter()
        .find(|s| s.checklist == checklist && s.key == key)
        .and_then(|s| s.score)
}

fn compare(
    s: &Scores,
    own: &[SectionResult],
    region: Option<&[SectionResult]>,
    branch: Option<&[SectionResult]>,
) -> Vec<SectionComparison> {
    own.iter()
        .map(|x| SectionComparison {
            checklist: x.checklist.clone(),
            key: x.key.clone(),
            score: x.score,
            visits: x.visits,
            region: region.map(|r| section_score(r, &x.checklist, &x.key)),
            branch: branch.map(|b| section_score(b, &x.checklist, &x.key)),
            organisation: section_score(&s.organisation.sections, &x.checklist, &x.key),
        })
        .collect()
}

fn systemic_items(s: &Scores) -> Vec<ItemResult> {
    s.items.iter().filter(|i| i.systemic).cloned().collect()
}

fn json<T: Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok().json(body)
}

/// The organisation's scores: aggregate, sections, items with systemic issues, trend; regions
/// and branches for admins and QA only.
#[utoipa::path(operation_id = "organisation_scores", get, path = "/api/v1/scores/organisation", tag = "scores", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, description = "The organisation's scores", body = OrganisationScores),
              (status = 400, description = "Invalid period", body = ErrorEnvelope),
              (status = 403, description = "Shoppers may not read scores", body = ErrorEnvelope)))]
pub async fn organisation(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let selection = query.selection()?;
    let generation = state.score_generation().await?;
    let s = state.scores_of(&generation, &selection).await?;
    let full = matches!(user.role, Role::Admin | Role::Qa);
    let body = OrganisationScores {
        period: selection.label().map(str::to_owned),
        computed_at: s.computed_at.clone(),
        summary: s.organisation.summary.clone(),
        sections: compare(&s, &s.organisation.sections, None, None),
        items: s.items.clone(),
        systemic: systemic_items(&s),
        trend: scores::trend(&s, Of::Organisation, ""),
        default_period: scores::default_period(&s, chrono::Utc::now().date_naive()),
        model: s.model.clone(),
        regions: full.then(|| {
            s.regions
                .iter()
                .filter_map(|r| {
                    Some(RegionLine {
                        region_id: r.id.clone()?,
                        key: r.key.clone().unwrap_or_default(),
                        summary: r.summary.clone(),
                    })
                })
                .collect()
        }),
        branches: full.then(|| s.branches.iter().map(branch_line).collect()),
    };
    Ok(json(&body))
}

fn branch_line(b: &scores::Branch) -> BranchLine {
    BranchLine {
        branch_id: b.id.clone(),
        key: b.key.clone(),
        rank: b.rank,
        summary: b.summary.clone(),
    }
}

/// One branch's scores (SPEC §6): raw and fair with intervals, rank, visits, sections against
/// region and organisation, items, systemic and branch-specific issues, trend, peers.
#[utoipa::path(operation_id = "branch_scores", get, path = "/api/v1/scores/branches/{id}", tag = "scores", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id"), PeriodQuery),
    responses((status = 200, description = "The branch's scores", body = BranchScores),
              (status = 400, description = "Invalid period", body = ErrorEnvelope),
              (status = 403, description = "Shoppers may not read scores", body = ErrorEnvelope),
              (status = 404, description = "No such branch in scope", body = ErrorEnvelope)))]
pub async fn branch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let selection = query.selection()?;
    let id = id.into_inner();
    let generation = state.score_generation().await?;
    // Managers' scope is checked first; for admins and QA a branch with scores needs no query.
    let checked = match user.role {
        Role::Manager => Some(in_scope::branch(&state, user.clone(), &id).await?),
        _ => None,
    };
    let s = state.scores_of(&generation, &selection).await?;
    let known = s
        .branch(&id)
        .and_then(|b| Some((b.key.clone(), b.region_id.clone()?)));
    let (code, region_id) = match (checked, known) {
        (Some(found), _) | (None, Some(found)) => found,
        (None, None) => in_scope::branch(&state, user, &id).await?,
    };
    let b = s.branch(&id);
    let region = s.region(&region_id);
    let items = b.map(|b| item_scores(&s, &b.items)).unwrap_or_default();
    let branch_specific = b
        .map(|b| {
            b.failing_items
                .iter()
                .map(|(checklist, key)| {
                    let here = b
                        .items
                        .iter()
                        .find(|i| &i.checklist == checklist && &i.key == key);
                    ItemBrief {
                        checklist: checklist.clone(),
                        key: key.clone(),
                        owner: s.item(checklist, key).and_then(|o| o.owner.clone()),
                        pass_rate: here.and_then(|i| i.pass_rate),
                        mean_score: here.and_then(|i| i.mean_score),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let summary = b.map(|b| b.summary.clone()).unwrap_or_default();
    let used: std::collections::HashSet<String> =
        items.iter().map(|i| i.checklist.clone()).collect();
    let body = BranchScores {
        branch_id: id.clone(),
        key: code,
        period: selection.label().map(str::to_owned),
        computed_at: s.computed_at.clone(),
        visits: summary.visits,
        raw_score: summary.raw_score,
        raw_ci: summary.raw_ci,
        fair_score: summary.fair_score,
        fair_ci: summary.fair_ci,
        rank: b.and_then(|b| b.rank),
        sections: b
            .map(|b| {
                compare(
                    &s,
                    &b.sections,
                    Some(region.map_or(&[][..], |r| &r.sections)),
                    None,
                )
            })
            .unwrap_or_default(),
        items,
        systemic: s
            .items
            .iter()
            // Only issues of the checklists this branch was visited with (as in its report).
            .filter(|i| i.systemic && used.contains(i.checklist.as_str()))
            .map(|i| ItemBrief {
                checklist: i.checklist.clone(),
                key: i.key.clone(),
                owner: i.owner.clone(),
                pass_rate: i.pass_rate,
                mean_score: i.mean_score,
            })
            .collect(),
        branch_specific,
        trend: scores::trend(&s, Of::Branch, &id),
        default_period: scores::default_period(&s, chrono::Utc::now().date_naive()),
        peers: Peers {
            rank: b.and_then(|b| b.rank),
            of: s.ranked(),
            region_rank: b.and_then(|b| b.region_rank),
            region_of: s.ranked_in(&region_id),
        },
        region_id,
    };
    Ok(json(&body))
}

/// One region's scores: aggregate, sections, items, its visible branches, trend.
#[utoipa::path(operation_id = "region_scores", get, path = "/api/v1/scores/regions/{id}", tag = "scores", security(("bearer" = [])),
    params(("id" = String, Path, description = "Region id"), PeriodQuery),
    responses((status = 200, description = "The region's scores", body = RegionScores),
              (status = 400, description = "Invalid period", body = ErrorEnvelope),
              (status = 403, description = "Shoppers may not read scores", body = ErrorEnvelope),
              (status = 404, description = "No such region in scope", body = ErrorEnvelope)))]
pub async fn region(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let selection = query.selection()?;
    let id = id.into_inner();
    let generation = state.score_generation().await?;
    let (code, visible) = state
        .db({
            let id = id.clone();
            move |conn| {
                if !access::regions(conn, &user)?.contains(&id) {
                    return Err(ApiError::NotFound("region"));
                }
                let code = db::regions::find(conn, &id.as_str().into())?
                    .ok_or(ApiError::NotFound("region"))?
                    .code;
                Ok((code, access::branches(conn, &user)?))
            }
        })
        .await?;
    let s = state.scores_of(&generation, &selection).await?;
    let r = s.region(&id);
    let body = RegionScores {
        region_id: id.clone(),
        key: code,
        period: selection.label().map(str::to_owned),
        computed_at: s.computed_at.clone(),
        summary: r.map(|r| r.summary.clone()).unwrap_or_default(),
        sections: r
            .map(|r| compare(&s, &r.sections, None, None))
            .unwrap_or_default(),
        items: r.map(|r| item_scores(&s, &r.items)).unwrap_or_default(),
        branches: s
            .branches
            .iter()
            .filter(|b| b.region_id.as_deref() == Some(id.as_str()) && visible.contains(&b.id))
            .map(branch_line)
            .collect(),
        trend: scores::trend(&s, Of::Region, &id),
        default_period: scores::default_period(&s, chrono::Utc::now().date_naive()),
    };
    Ok(json(&body))
}

/// One team's scores: aggregate, sections against branch and organisation, items, trend.
#[utoipa::path(operation_id = "team_scores", get, path = "/api/v1/scores/teams/{id}", tag = "scores", security(("bearer" = [])),
    params(("id" = String, Path, description = "Team id"), PeriodQuery),
    responses((status = 200, description = "The team's scores", body = TeamScores),
              (status = 400, description = "Invalid period", body = ErrorEnvelope),
              (status = 403, description = "Shoppers may not read scores", body = ErrorEnvelope),
              (status = 404, description = "No such team in scope", body = ErrorEnvelope)))]
pub async fn team(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let selection = query.selection()?;
    let id = id.into_inner();
    let generation = state.score_generation().await?;
    let (key, branch_id) = in_scope::team(&state, user, &id).await?;
    let s = state.scores_of(&generation, &selection).await?;
    let t = s.team(&id);
    let b = s.branch(&branch_id);
    let body = TeamScores {
        team_id: id.clone(),
        key,
        branch_id,
        period: selection.label().map(str::to_owned),
        computed_at: s.computed_at.clone(),
        summary: t.map(|t| t.summary.clone()).unwrap_or_default(),
        sections: t
            .map(|t| {
                compare(
                    &s,
                    &t.sections,
                    None,
                    Some(b.map_or(&[][..], |b| &b.sections)),
                )
            })
            .unwrap_or_default(),
        items: t.map(|t| item_scores(&s, &t.items)).unwrap_or_default(),
        trend: scores::trend(&s, Of::Team, &id),
        default_period: scores::default_period(&s, chrono::Utc::now().date_naive()),
    };
    Ok(json(&body))
}

/// Shopper severity with 90% intervals and harsh/lenient flags (QA and admins).
#[utoipa::path(operation_id = "shopper_scores", get, path = "/api/v1/scores/shoppers", tag = "scores", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, description = "Shopper severities", body = ShopperScores),
              (status = 400, description = "Invalid period", body = ErrorEnvelope),
              (status = 403, description = "Only QA and admins", body = ErrorEnvelope)))]
pub async fn shoppers(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let selection = query.selection()?;
    let generation = state.score_generation().await?;
    let s = state.scores_of(&generation, &selection).await?;
    let ids: Vec<String> = s.shoppers.iter().map(|x| x.user_id.clone()).collect();
    let names: std::collections::HashMap<String, String> = state
        .db(move |conn| {
            Ok(db::users::names(conn, &ids)?
                .into_iter()
                .map(|u| (u.id.into(), u.name))
                .collect())
        })
        .await?;
    let mut list: Vec<ShopperSeverity> = s
        .shoppers
        .iter()
        .map(|x| ShopperSeverity {
            name: names.get(&x.user_id).cloned().unwrap_or_default(),
            user_id: x.user_id.clone(),
            visits: x.visits,
            raw_score: x.raw_score,
            severity: x.severity,
            severity_ci: x.severity_ci,
            flag: x.flag.clone(),
        })
        .collect();
    list.sort_by(|a, b| (&a.name, &a.user_id).cmp(&(&b.name, &b.user_id)));
    Ok(json(&ShopperScores {
        period: selection.label().map(str::to_owned),
        computed_at: s.computed_at.clone(),
        shoppers: list,
    }))
}

/// Inter-rater agreement on calibration visits (QA and admins).
#[utoipa::path(operation_id = "agreement_scores", get, path = "/api/v1/scores/agreement", tag = "scores", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, description = "Calibration agreement", body = AgreementScores),
              (status = 400, description = "Invalid period", body = ErrorEnvelope),
              (status = 403, description = "Only QA and admins", body = ErrorEnvelope)))]
pub async fn agreement(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let selection = query.selection()?;
    let generation = state.score_generation().await?;
    let s = state.scores_of(&generation, &selection).await?;
    Ok(json(&AgreementScores {
        period: selection.label().map(str::to_owned),
        computed_at: s.computed_at.clone(),
        agreement: s.agreement.clone(),
    }))
}

super::routes! {
    handlers: [organisation, region, branch, team, shoppers, agreement],
    schemas: [BranchScores, RegionScores, TeamScores, OrganisationScores, ShopperScores, ShopperSeverity, AgreementScores, SectionComparison, ItemScore, ItemBrief, Peers, BranchLine, RegionLine, Summary, TrendPoint, ItemResult, Model],
}
