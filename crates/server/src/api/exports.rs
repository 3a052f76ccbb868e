//! `GET /api/v1/exports/…`: visits, answers and scores as CSV, XLSX or JSON Lines (SPEC
//! §10.33), streamed. The request is checked first (role, filters, scope: errors are the usual
//! JSON envelope); then a blocking task writes the file with [`crate::export`] into a small
//! bounded channel that the response body drains, so the first bytes leave at once, memory
//! stays flat whatever the size, and a client that goes away stops the export.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::IntoParams;

use super::error::{ApiError, ErrorEnvelope};
use crate::auth::{AuthUser, roles};
use crate::export::{self, Dataset, Filter, Format};
use crate::scores;
use crate::startup::AppState;

super::routes! {
    handlers: [visits_csv, visits_xlsx, visits_jsonl, answers_csv, scores_csv, scores_xlsx, disputes_csv, disputes_xlsx, action_plans_csv, action_plans_xlsx],
}

/// Which visits (or units, for scores).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `YYYY-MM`, `YYYY-Qn` or ISO week `YYYY-Www` (by each visit's local date); absent or
    /// `all` for every approved visit (scores: every month).
    pub period: Option<String>,
    /// Only this region's branches.
    pub region_id: Option<String>,
    /// Only this branch.
    pub branch_id: Option<String>,
    /// Only this campaign's visits (not for scores).
    pub campaign_id: Option<String>,
    /// Only this checklist key, every version (not for scores).
    pub checklist: Option<String>,
    /// XLSX only: `ar` makes the sheet right to left (default: by `Accept-Language`).
    pub lang: Option<String>,
}

impl From<export::Error> for ApiError {
    fn from(e: export::Error) -> Self {
        match e {
            export::Error::Db(e) => e.into(),
            export::Error::Invalid { path, problem } => ApiError::bad_request(path, problem),
            export::Error::NotFound(what) => ApiError::NotFound(what),
            export::Error::Unsupported(message) => ApiError::bad_request("format", message),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Approved visits, one row per visit with one column per item (CSV).
#[utoipa::path(operation_id = "export_visits_csv", get, path = "/api/v1/exports/visits.csv", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "Columns visit_id, branch_code, checklist, checklist_version, visited_at, score, then one per item key (UTF-8 with a byte-order mark)", content_type = "text/csv", body = String),
              (status = 400, description = "A bad filter", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region, branch or campaign not in scope", body = ErrorEnvelope)))]
pub async fn visits_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Visits,
        Format::Csv,
    )
    .await
}

/// Approved visits, one row per visit (XLSX: keys, English and Arabic header rows).
#[utoipa::path(operation_id = "export_visits_xlsx", get, path = "/api/v1/exports/visits.xlsx", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "A workbook with one sheet: the columns of visits.csv under three header rows (keys, English, Arabic); right to left for Arabic readers", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 400, description = "A bad filter", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region, branch or campaign not in scope", body = ErrorEnvelope)))]
pub async fn visits_xlsx(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Visits,
        Format::Xlsx,
    )
    .await
}

/// Approved visits as SPEC §4 visit lines (readable by `sirr score`).
#[utoipa::path(operation_id = "export_visits_jsonl", get, path = "/api/v1/exports/visits.jsonl", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "One JSON object per line (SPEC §4)", content_type = "application/x-ndjson", body = String),
              (status = 400, description = "A bad filter", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region, branch or campaign not in scope", body = ErrorEnvelope)))]
pub async fn visits_jsonl(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Visits,
        Format::Jsonl,
    )
    .await
}

/// Answers of approved visits, one row per answer (CSV).
#[utoipa::path(operation_id = "export_answers_csv", get, path = "/api/v1/exports/answers.csv", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "Columns visit_id, item, answer, score, checklist, checklist_version, comment (UTF-8 with a byte-order mark)", content_type = "text/csv", body = String),
              (status = 400, description = "A bad filter", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region, branch or campaign not in scope", body = ErrorEnvelope)))]
pub async fn answers_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Answers,
        Format::Csv,
    )
    .await
}

/// Scores per period of the organisation, regions, branches and teams (CSV).
#[utoipa::path(operation_id = "export_scores_csv", get, path = "/api/v1/exports/scores.csv", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "Columns period, level, code, visits, raw_score, fair_score, fair_ci_low, fair_ci_high, raw_ci_low, raw_ci_high; N/A is an empty cell (UTF-8 with a byte-order mark)", content_type = "text/csv", body = String),
              (status = 400, description = "A bad filter (campaign_id and checklist do not apply to scores)", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region or branch not in scope", body = ErrorEnvelope)))]
pub async fn scores_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Scores,
        Format::Csv,
    )
    .await
}

/// Scores per period (XLSX: keys, English and Arabic header rows).
#[utoipa::path(operation_id = "export_scores_xlsx", get, path = "/api/v1/exports/scores.xlsx", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "A workbook with the columns of scores.csv under three header rows", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 400, description = "A bad filter (campaign_id and checklist do not apply to scores)", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region or branch not in scope", body = ErrorEnvelope)))]
pub async fn scores_xlsx(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Scores,
        Format::Xlsx,
    )
    .await
}

/// Disputes, one row per dispute (`dispute_id`, `branch_code`, `visit_id`, `visited_at`,
/// `checklist`, `checklist_version`, `item`, `status`, `reason`, `evidence`, `resolution`,
/// `filed_at`, `resolved_at`), of visits of branches in scope, oldest first; `period` is the
/// visit's. No person is named.
#[utoipa::path(operation_id = "export_disputes_csv", get, path = "/api/v1/exports/disputes.csv", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv", body = String),
              (status = 400, description = "A bad filter (campaign_id does not apply)", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region or branch not in scope", body = ErrorEnvelope)))]
pub async fn disputes_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Disputes,
        Format::Csv,
    )
    .await
}

/// Disputes as a workbook: the columns of disputes.csv under three header rows.
#[utoipa::path(operation_id = "export_disputes_xlsx", get, path = "/api/v1/exports/disputes.xlsx", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "A workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 400, description = "A bad filter (campaign_id does not apply)", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region or branch not in scope", body = ErrorEnvelope)))]
pub async fn disputes_xlsx(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::Disputes,
        Format::Xlsx,
    )
    .await
}

/// Action plans, one row per action (`action_id`, `branch_code`, `period`, `item`, `section`,
/// `action`, `owner`, `due_on`, `status`, `done_at`, `created_at`, `updated_at`), of branches in
/// scope, by branch, period and due date; `period` is the plan's label.
#[utoipa::path(operation_id = "export_action_plans_csv", get, path = "/api/v1/exports/action_plans.csv", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv", body = String),
              (status = 400, description = "A bad filter (campaign_id and checklist do not apply)", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region or branch not in scope", body = ErrorEnvelope)))]
pub async fn action_plans_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::ActionPlans,
        Format::Csv,
    )
    .await
}

/// Action plans as a workbook: the columns of action_plans.csv under three header rows.
#[utoipa::path(operation_id = "export_action_plans_xlsx", get, path = "/api/v1/exports/action_plans.xlsx", tag = "exports", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, description = "A workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 400, description = "A bad filter (campaign_id and checklist do not apply)", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 403, description = "Shoppers", body = ErrorEnvelope),
              (status = 404, description = "A region or branch not in scope", body = ErrorEnvelope)))]
pub async fn action_plans_xlsx(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        query.into_inner(),
        &req,
        Dataset::ActionPlans,
        Format::Xlsx,
    )
    .await
}

/// Whether the reader wants Arabic: `lang`, else the first `Accept-Language`.
fn arabic(query: &ExportQuery, req: &HttpRequest) -> Result<bool, ApiError> {
    match query.lang.as_deref() {
        Some("ar") => Ok(true),
        Some("en") => Ok(false),
        Some(other) => Err(ApiError::bad_request(
            "lang",
            crate::msg!("export-language-unknown", lang = other),
        )),
        None => Ok(req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("ar"))),
    }
}

async fn run(
    state: web::Data<AppState>,
    user: AuthUser,
    query: ExportQuery,
    req: &HttpRequest,
    dataset: Dataset,
    format: Format,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let rtl = arabic(&query, req)?;
    let period = Filter::period(query.period.as_deref())?;
    let label = period.as_ref().map(|(_, l)| l.clone());
    let filter = Filter {
        period,
        region_id: query.region_id.filter(|s| !s.is_empty()),
        branch_id: query.branch_id.filter(|s| !s.is_empty()),
        campaign_id: query.campaign_id.filter(|s| !s.is_empty()),
        checklist: query.checklist.filter(|s| !s.is_empty()),
        visit_id: None,
    };
    let plan = state
        .db(move |conn| Ok(export::plan(conn, &user, dataset, format, filter, rtl)?))
        .await?;
    let source = match dataset {
        Dataset::Scores => {
            let generation = state.score_generation().await?;
            let selection = scores::Selection::parse(label.as_deref())
                .map_err(|e| ApiError::bad_request("period", e))?;
            Some(state.scores_of(&generation, &selection).await?)
        }
        _ => None,
    };

    let (tx, rx) = mpsc::channel(4);
    let pool = state.pool.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut out = ChannelWriter::new(tx);
        let started = std::time::Instant::now();
        let result = (|| -> Result<u64, export::Error> {
            let mut conn = pool
                .get()
                .map_err(|e| export::Error::Io(std::io::Error::other(e.to_string())))?;
            match &source {
                Some(scores) => export::write_scores(&mut conn, &plan, scores, &mut out),
                None => export::write(&mut conn, &plan, &mut out),
            }
        })();
        match result.and_then(|n| Ok(out.flush().map(|()| n)?)) {
            Ok(n) => tracing::info!(
                export = plan.dataset.name(),
                format = plan.format.extension(),
                rows = n,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "export written"
            ),
            Err(export::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                tracing::info!("export abandoned by the client");
            }
            Err(e) => {
                tracing::error!(error = %e, "export failed midway; the response is cut short");
                out.fail(e.to_string());
            }
        }
    });
    let name = format!(
        "sirr-{}{}.{}",
        dataset.name(),
        label.map(|l| format!("-{l}")).unwrap_or_default(),
        format.extension()
    );
    let mut response = HttpResponse::Ok();
    response
        .content_type(format.content_type())
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response.insert_header((header::CONTENT_DISPOSITION, value));
    }
    Ok(response.streaming(Chunks(rx)))
}

type Chunk = Result<Bytes, std::io::Error>;

/// Bytes written on the blocking pool, sent on in pieces of about 64 KiB (the bounded channel
/// holds back the writer while the client reads).
struct ChannelWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

const PIECE: usize = 64 * 1024;

impl ChannelWriter {
    fn new(tx: mpsc::Sender<Chunk>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(PIECE),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE)));
        self.tx
            .blocking_send(Ok(piece))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }

    /// Ends the body with an error: the client sees a cut-off response, not a complete file.
    fn fail(&mut self, message: String) {
        let _ = self.tx.blocking_send(Err(std::io::Error::other(message)));
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIECE {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The response body: what the writer sends, in order.
struct Chunks(mpsc::Receiver<Chunk>);

impl futures_core::Stream for Chunks {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}
