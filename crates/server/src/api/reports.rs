//! PDF coaching reports (SPEC §6, §8): `GET /reports/branches/{id}.pdf` and
//! `/reports/teams/{id}.pdf`, with `period` and `lang` (`en` or `ar`).
//!
//! Scoped exactly like the score endpoints (managers in scope, QA, admins; shoppers 403; out of
//! scope 404). The report is made from the same results the score endpoints serve
//! ([`crate::scores`]), plus what only the visits hold — the shoppers' comments on approved
//! visits of the period and the critical items' failures — the checklists' texts in the
//! requested language and the branch's action plan. Everything is read first (the scores, then
//! one database call for the rest), and the connection is back in the pool before rendering
//! starts; rendering is CPU work with a time budget, on threads of its own (see `render` below).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use sirr_checklist::{AnswerChecker, Checklist};
use sirr_scoring::period::local_date;
use utoipa::IntoParams;

use super::action_view::actions_for;
use super::error::{ApiError, ErrorEnvelope};
use super::in_scope;
use super::types::{Names, names_from_db};
use crate::auth::{AuthUser, roles};
use crate::scores::{self, Of, Scores, Selection, TrendPoint};
use crate::startup::AppState;
use sirr_report::evidence::Evidence;
use sirr_report::model::{ActionFact, Facts, Kind, Point, Previous, Rank};
use sirr_report::{self as report, Lang};
use sirr_store::ids::{BranchId, TeamId, VisitId};
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [branch, team],
}

/// Which report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `YYYY-MM`, `YYYY-Qn` or ISO week `YYYY-Www`; absent or `all` for every approved visit.
    pub period: Option<String>,
    /// `en` (the default) or `ar` (right to left).
    pub lang: Option<String>,
}

impl ReportQuery {
    fn parse(&self) -> Result<(Selection, Lang), ApiError> {
        let lang = crate::i18n::lang_parameter(self.lang.as_deref())?;
        let selection = Selection::parse(self.period.as_deref())
            .map_err(|e| ApiError::bad_request("period", e))?;
        Ok((selection, lang))
    }
}

/// The name in `lang`, else any.
fn name_in(names: &Names, lang: Lang) -> Option<String> {
    names
        .get(lang.tag())
        .or_else(|| names.values().next())
        .cloned()
}

/// What the report needs beyond the scores, read in one blocking call.
struct Context {
    organisation: Names,
    names: Names,
    parent: Names,
    checklists: Vec<Checklist>,
    evidence: Evidence,
    actions: Vec<ActionFact>,
}

/// Which visits: a branch's, or a team's.
#[derive(Clone)]
enum Visits {
    Branch(BranchId),
    Team(TeamId),
}

fn load_context(
    conn: &mut DbConnection,
    subject: &Visits,
    branch_id: &str,
    selection: &Selection,
) -> Result<Context, ApiError> {
    let organisation = sirr_store::organisation::names(conn)?;
    let branch = db::branches::find(conn, &branch_id.into())?.ok_or(diesel::NotFound)?;
    let (branch_names, region_id) = (branch.names, branch.region_id);
    let (names, parent) = match subject {
        Visits::Branch(_) => {
            let region = db::regions::find(conn, &region_id)?.ok_or(diesel::NotFound)?;
            (names_from_db(&branch_names), names_from_db(&region.names))
        }
        Visits::Team(id) => {
            let (team, _) = db::teams::with_branch_codes(conn, Some(id), None)?
                .pop()
                .ok_or(diesel::NotFound)?;
            (names_from_db(&team.names), names_from_db(&branch_names))
        }
    };

    // Every stored version: texts for items of other checklists (systemic issues, actions) too.
    let documents = db::checklists::documents(conn)?;
    let mut ids = Vec::new();
    let mut parsed = Vec::new();
    for (id, document) in &documents {
        if let Ok((checklist, _)) = sirr_checklist::from_json_str(document) {
            ids.push(id.clone());
            parsed.push(checklist);
        }
    }

    let rows = db::visits::approved_answers(
        conn,
        match subject {
            Visits::Branch(id) => db::visits::Of::Branch(id),
            Visits::Team(id) => db::visits::Of::Team(id),
        },
    )?;
    let in_period = |at: &Option<String>| match (selection, at) {
        (Selection::All | Selection::Joint(_), _) => true,
        (Selection::Period { kind, label }, Some(at)) => local_date(at)
            .map(|d| sirr_scoring::period::label(&d, *kind) == *label)
            .unwrap_or(false),
        (Selection::Period { .. }, None) => false,
    };
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| in_period(&r.checked_in_at))
        .collect();
    let visit_ids: Vec<&VisitId> = rows.iter().map(|r| &r.id).collect();
    let mut overturned: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (visit, item) in db::disputes::overturned_of(conn, &visit_ids)? {
        overturned.entry(visit.into()).or_default().push(item);
    }
    let checkers: Vec<AnswerChecker<'_>> = parsed.iter().map(AnswerChecker::new).collect();
    let mut evidence = Evidence::default();
    for visit in &rows {
        let Some(i) = ids.iter().position(|c| visit.checklist_id == *c) else {
            continue;
        };
        let (Ok(answers), Ok(comments)) = (
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&visit.answers),
            serde_json::from_str::<BTreeMap<String, String>>(&visit.comments),
        ) else {
            continue;
        };
        let na = overturned
            .get(visit.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        evidence.add_visit(&parsed[i], &checkers[i], &answers, &comments, na);
    }
    drop(checkers);

    let actions = actions_for(conn, branch_id, selection.label())?
        .into_iter()
        .map(|a| ActionFact {
            item_key: a.item_key,
            section_key: a.section_key,
            action: a.action,
            owner: a.owner,
            due_on: a.due_on,
            status: a.status.as_str().to_owned(),
        })
        .collect();
    Ok(Context {
        organisation,
        names,
        parent,
        checklists: parsed,
        evidence,
        actions,
    })
}

fn points(trend: Vec<TrendPoint>) -> Vec<Point> {
    trend
        .into_iter()
        .map(|p| Point {
            period: p.period,
            fair: p.summary.fair_score,
            raw: p.summary.raw_score,
        })
        .collect()
}

fn pdf(bytes: Vec<u8>, code: &str, selection: &Selection, lang: Lang) -> HttpResponse {
    let safe: String = code
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let filename = format!("sirr-report-{safe}-{}-{}.pdf", selection.key(), lang.tag());
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes)
}

/// Sets its flag when dropped: when the request is answered, or abandoned and actix drops the
/// handler's future (it does when it notices the client is gone, which for HTTP/1 can be late:
/// the deadline is what bounds an abandoned render), the render thread stops at its next check.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Renders on a thread of its own within `report.render_timeout_ms`.
///
/// The facts are loaded before this is called, so no database connection is held while it runs,
/// and it never takes a thread of actix's blocking pool (which the database calls need): at most
/// `report.max_concurrent_renders` render threads run at once, each holding its permit until it
/// has really stopped. A render past its budget, or whose request is abandoned, stops at its
/// next line ([`report::Budget`]); the caller gets 503 at the deadline either way.
async fn render(
    state: &AppState,
    facts: impl FnOnce() -> report::Report + Send + 'static,
) -> Result<Vec<u8>, ApiError> {
    let budget = state.settings.report.render_timeout_ms;
    let deadline = Instant::now() + budget;
    let over = || {
        ApiError::OverBudget(
            crate::msg!("report-over-budget", ms = budget.as_millis().to_string()).into(),
        )
    };
    let permit = actix_web::rt::time::timeout(budget, state.renders.clone().acquire_owned())
        .await
        .map_err(|_| over())?
        .map_err(|e| ApiError::Internal(format!("report limiter: {e}")))?;
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel = CancelOnDrop(cancelled.clone());
    let budget = report::Budget::until(deadline, cancelled);
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("sirr-report".into())
        .spawn(move || {
            let _permit = permit;
            let _ = tx.send(report::render_within(&facts(), &budget));
        })
        .map_err(|e| ApiError::Internal(format!("cannot start a report thread: {e}")))?;
    let left = deadline.saturating_duration_since(Instant::now());
    match actix_web::rt::time::timeout(left, rx).await {
        Err(_) | Ok(Ok(Err(report::Error::OverBudget))) => Err(over()),
        Ok(Err(_)) => Err(ApiError::Internal(
            "the report thread ended without a result".into(),
        )),
        Ok(Ok(result)) => Ok(result?),
    }
}

/// A branch's coaching report as PDF: scores with intervals, change and rank, trend and section
/// charts, what went well, gaps with the shoppers' comments (never who they were), systemic and
/// branch-specific issues, critical failures, how scores are made, and the action plan.
#[utoipa::path(operation_id = "branch_report", get, path = "/api/v1/reports/branches/{id}.pdf", tag = "scores", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id"), ReportQuery),
    responses((status = 200, description = "The report (A4 PDF)", content_type = "application/pdf", body = Vec<u8>),
              (status = 400, description = "Invalid period or language", body = ErrorEnvelope),
              (status = 403, description = "Shoppers may not read reports", body = ErrorEnvelope),
              (status = 404, description = "No such branch in scope", body = ErrorEnvelope),
              (status = 503, description = "The report could not be made within report.render_timeout_ms", body = ErrorEnvelope)))]
pub async fn branch(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let (selection, lang) = query.parse()?;
    let id = id.into_inner();
    let (code, _) = in_scope::branch(&state, user, &id).await?;
    respond(
        &state,
        selection,
        lang,
        Visits::Branch(id.as_str().into()),
        code,
        id,
    )
    .await
}

/// A team's coaching report as PDF: as the branch report, with sections against the team's
/// branch and the organisation, and the branch's action plan.
#[utoipa::path(operation_id = "team_report", get, path = "/api/v1/reports/teams/{id}.pdf", tag = "scores", security(("bearer" = [])),
    params(("id" = String, Path, description = "Team id"), ReportQuery),
    responses((status = 200, description = "The report (A4 PDF)", content_type = "application/pdf", body = Vec<u8>),
              (status = 400, description = "Invalid period or language", body = ErrorEnvelope),
              (status = 403, description = "Shoppers may not read reports", body = ErrorEnvelope),
              (status = 404, description = "No such team in scope", body = ErrorEnvelope),
              (status = 503, description = "The report could not be made within report.render_timeout_ms", body = ErrorEnvelope)))]
pub async fn team(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let (selection, lang) = query.parse()?;
    let id = id.into_inner();
    let (key, branch_id) = in_scope::team(&state, user, &id).await?;
    respond(
        &state,
        selection,
        lang,
        Visits::Team(id.into()),
        key,
        branch_id,
    )
    .await
}

/// The report of a branch or team the caller may see (checked by the handler).
async fn respond(
    state: &AppState,
    selection: Selection,
    lang: Lang,
    subject: Visits,
    code: String,
    branch_id: String,
) -> Result<HttpResponse, ApiError> {
    let (of, id) = match &subject {
        Visits::Branch(id) => (Of::Branch, id.to_string()),
        Visits::Team(id) => (Of::Team, id.to_string()),
    };
    let summary_of = |s: &Scores| match of {
        Of::Team => s.team(&id).map(|t| t.summary.clone()),
        _ => s.branch(&id).map(|b| b.summary.clone()),
    };
    let generation = state.score_generation().await?;
    // One result: the headline, rank, trend and the change's baseline are one joint fit's.
    let s = state.scores_of(&generation, &selection).await?;
    let earlier = scores::previous(&s, of, &id).map(|(period, summary)| Previous {
        period,
        fair_score: summary.and_then(|x| x.fair_score),
    });
    let context = state
        .db({
            let (subject, branch_id, selection) =
                (subject.clone(), branch_id.clone(), selection.clone());
            move |conn| load_context(conn, &subject, &branch_id, &selection)
        })
        .await?;
    let trend = points(scores::trend(&s, of, &id));
    let summary = summary_of(&s).unwrap_or_default();
    let (filename_code, period) = (code.clone(), selection.label().map(str::to_owned));
    let bytes = render(state, move || {
        let empty = Vec::new();
        let branch = s.branch(&branch_id);
        // A branch compares with its region and ranks; a team compares with its branch.
        let (kind, own, group, rank, region_rank) = match &subject {
            Visits::Branch(_) => {
                let region_id = branch.and_then(|b| b.region_id.clone()).unwrap_or_default();
                (
                    Kind::Branch,
                    branch.map(|b| (&b.sections, &b.items)),
                    s.region(&region_id).map(|r| &r.sections),
                    branch.and_then(|b| b.rank).map(|rank| Rank {
                        rank,
                        of: s.ranked(),
                    }),
                    branch.and_then(|b| b.region_rank).map(|rank| Rank {
                        rank,
                        of: s.ranked_in(&region_id),
                    }),
                )
            }
            Visits::Team(team) => (
                Kind::Team,
                s.team(team).map(|t| (&t.sections, &t.items)),
                branch.map(|b| &b.sections),
                None,
                None,
            ),
        };
        report::assemble(&Facts {
            lang,
            kind,
            organisation: name_in(&context.organisation, lang).unwrap_or_else(|| "sirr".into()),
            name: name_in(&context.names, lang).unwrap_or_else(|| code.clone()),
            code,
            parent: name_in(&context.parent, lang),
            period,
            summary,
            previous: earlier,
            rank,
            region_rank,
            trend,
            sections: own.map_or(&empty, |o| o.0),
            group_sections: group.unwrap_or(&empty),
            organisation_sections: &s.organisation.sections,
            items: own.map_or(&[][..], |o| o.1.as_slice()),
            organisation_items: &s.items,
            checklists: &context.checklists,
            evidence: &context.evidence,
            actions: &context.actions,
        })
    })
    .await?;
    Ok(pdf(bytes, &filename_code, &selection, lang))
}
