//! Bulk onboarding (admin): branches and users from a CSV or XLSX body (SPEC §10.38, §10.47). The
//! rules are in [`crate::import`]; this module reads the body and words the outcome.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_DISPOSITION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorEnvelope};
use super::types::FileBytes;
use crate::auth::{AuthUser, roles};
use crate::i18n::{Lang, ReaderLang};
use crate::import::{self, ImportError, Mode, Outcome, table};
use crate::startup::AppState;
use sirr_checklist::xlsform::SheetProblem;
use sirr_store::DbConnection;

/// Largest upload accepted (10,000 rows of a wide sheet fit many times over).
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

super::routes! {
    handlers: [branches, users, xlsform],
    schemas: [ImportReport, ImportProblem, ImportRefusal, ImportRefusalBody, XlsformImport, XlsformProblem, XlsformRefusal, XlsformRefusalBody],
}

/// Dry run or apply.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Check and count only; change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Users: send each account the import creates an invitation letter with a link that sets
    /// its password (needs `[smtp]`; 503 `not_configured` without). Ignored by a dry run.
    #[serde(default)]
    pub invite: bool,
}

/// One problem, where the spreadsheet shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblem {
    /// `sheet:row:column`, for clients that read only paths.
    pub path: String,
    /// Sheet title (CSV: the file name).
    pub sheet: String,
    /// Row, the header being row 1 (CSV: the line number).
    pub row: Option<u32>,
    /// Column header as written.
    pub column: Option<String>,
    /// Stable code of the problem (`import-required`, …).
    pub code: &'static str,
    /// What is wrong, in words.
    pub problem: String,
}

/// What an import did, or would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Rows (users: e-mails) that create a branch or user.
    pub create: usize,
    /// Rows that change a stored one.
    pub update: usize,
    /// Rows that match what is stored.
    pub unchanged: usize,
    /// Region codes a branch import creates.
    pub new_regions: Vec<String>,
    /// Every problem (a dry run lists them; an import with any is refused with 422).
    pub problems: Vec<ImportProblem>,
    /// Users: invitation letters on their way (one per account created, with `invite=true`).
    pub invited: usize,
}

/// The 422 of an import with problems: the error envelope, its details located in the sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRefusal {
    /// The error.
    pub error: ImportRefusalBody,
}

/// The inner object of [`ImportRefusal`].
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRefusalBody {
    /// `validation_failed`.
    pub code: &'static str,
    /// Summary.
    pub message: String,
    /// Every problem, with `sheet`, `row` and `column`.
    pub details: Vec<ImportProblem>,
}

fn report(outcome: Outcome, lang: Lang) -> ImportReport {
    ImportReport {
        create: outcome.create,
        update: outcome.update,
        unchanged: outcome.unchanged,
        new_regions: outcome.new_regions,
        invited: outcome.invitations.len(),
        problems: outcome
            .problems
            .into_iter()
            .map(|p| worded(p, lang))
            .collect(),
    }
}

/// A problem in the reader's language (SPEC §10.31); `code` stays the same in every language.
fn worded(p: import::Problem, lang: Lang) -> ImportProblem {
    ImportProblem {
        path: format!(
            "{}:{}:{}",
            p.sheet,
            p.row.map(|r| r.to_string()).unwrap_or_default(),
            p.column.as_deref().unwrap_or_default()
        ),
        code: p.kind.code(),
        problem: p.kind.msg().render(lang),
        sheet: p.sheet,
        row: p.row,
        column: p.column,
    }
}

fn refusal(message: String, details: Vec<ImportProblem>) -> HttpResponse {
    HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY).json(ImportRefusal {
        error: ImportRefusalBody {
            code: "validation_failed",
            message,
            details,
        },
    })
}

/// The uploaded file's name from `Content-Disposition` (the CSV's "sheet"), else `fallback`.
fn file_name(req: &HttpRequest, fallback: &str) -> String {
    req.headers()
        .get(CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .map(str::trim)
                .find_map(|part| part.strip_prefix("filename="))
        })
        .map(|name| name.trim_matches('"').chars().take(100).collect::<String>())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| fallback.to_owned())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Branches,
    Users,
}

async fn run(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: ImportQuery,
    payload: web::Payload,
    what: What,
) -> Result<HttpResponse, ApiError> {
    // The reader's language never fails to resolve (English at worst).
    let lang = ReaderLang::extract(&req).await.map_or(Lang::En, |r| r.0);
    user.require(roles::ADMINS)?;
    let invite = query.invite && what == What::Users && !query.dry_run;
    if invite && state.mailer.is_none() {
        return Err(ApiError::NotConfigured(
            crate::msg!("invite-needs-mail").into(),
        ));
    }
    let body = match payload.to_bytes_limited(MAX_UPLOAD_BYTES).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => {
            return Err(ApiError::bad_request(
                "body",
                crate::msg!("body-unreadable", problem = e.to_string()),
            ));
        }
        Err(_) => {
            return Err(ApiError::TooLarge(
                crate::msg!("file-too-large", limit = MAX_UPLOAD_BYTES).into(),
            ));
        }
    };
    let fallback = match what {
        What::Branches => "branches.csv",
        What::Users => "users.csv",
    };
    let name = file_name(&req, fallback);
    let sheets = {
        let sheet_name = name.clone();
        match web::block(move || table::read(&body, &sheet_name)).await? {
            Ok(sheets) => sheets,
            Err(e) => {
                // The workbook reader says what is wrong as data: worded in the reader's language.
                let problem: crate::i18n::Arg = match &e {
                    table::TableError::Workbook(reason) => {
                        super::sheet_problems::message(reason).into()
                    }
                    other => other.to_string().into(),
                };
                let worded = crate::msg!("import-unreadable", problem = problem).render(lang);
                let problem = ImportProblem {
                    path: format!("{name}::"),
                    sheet: name,
                    row: None,
                    column: None,
                    code: "import-unreadable",
                    problem: worded.clone(),
                };
                return Ok(refusal(worded, vec![problem]));
            }
        }
    };
    let mode = if query.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };
    let actor = user.id.clone();
    let invitation_ttl = crate::config::span(state.settings.auth.invitation_ttl_s);
    let run = move |conn: &mut DbConnection| {
        let outcome = match what {
            What::Branches => import::branches::import(conn, &sheets, Some(&actor), mode),
            What::Users => import::users::import(
                conn,
                &sheets,
                Some(&actor),
                mode,
                invite.then_some(invitation_ttl),
            ),
        };
        match outcome {
            Ok(outcome) => Ok(Ok(outcome)),
            Err(ImportError::Refused(outcome)) => Ok(Err(outcome)),
            Err(ImportError::Database(e)) => Err(ApiError::from(e)),
            Err(ImportError::Table(e)) => Err(ApiError::Internal(e.to_string())),
            Err(ImportError::Randomness(e)) => Err(ApiError::Internal(e)),
        }
    };
    // An apply is a write like any other; a dry run writes nothing (its transaction rolls back),
    // so it reads on the pool instead of holding up the writer for seconds.
    let result = match mode {
        Mode::Apply => state.db_write(run).await?,
        Mode::DryRun => state.db_once(run).await?,
    };
    match result {
        Ok(outcome) => {
            if let Some(mailer) = state.mailer.clone().filter(|_| invite) {
                send_invitations(
                    mailer,
                    &state.public_url,
                    &outcome.invitations,
                    invitation_ttl,
                );
            }
            Ok(HttpResponse::Ok().json(report(outcome, lang)))
        }
        Err(outcome) => {
            let count = outcome.problems.len();
            let details = report(outcome, lang).problems;
            Ok(refusal(
                crate::msg!("import-refused", count = count).render(lang),
                details,
            ))
        }
    }
}

/// Create and update branches from a CSV or XLSX (admin). Columns `code`, `name_en`, `name_ar`,
/// `region_code`, `lat`, `lon`, `teams` (`;`-separated team keys), optional `city_en`,
/// `city_ar`; matched by code; a new region code creates the region. `dry_run=true` only counts.
/// Everything is applied in one transaction, or nothing (422 listing every problem).
#[utoipa::path(operation_id = "import_branches", post, path = "/api/v1/imports/branches", tag = "organisation", security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = inline(FileBytes), content_type = "application/octet-stream",
        description = "The file: CSV (UTF-8, comma or semicolon) or XLSX, told apart by content"),
    responses((status = 200, description = "What was (or would be) created, updated and left unchanged", body = ImportReport),
              (status = 400, description = "The body could not be read", body = ErrorEnvelope),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 413, description = "Larger than 16 MiB", body = ErrorEnvelope),
              (status = 422, description = "Problems by sheet, row and column; nothing applied", body = ImportRefusal)))]
pub async fn branches(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    run(
        state,
        user,
        req,
        query.into_inner(),
        payload,
        What::Branches,
    )
    .await
}

/// Create and update users from a CSV or XLSX (admin). Columns `email`, `name`, `role`,
/// `scope_kind` (`region|branch|team`), `scope_code` (a team is `BRANCH-CODE/team_key`),
/// `language` (`ar|en`); one scope per row, the e-mail repeated for more; matched by e-mail. New
/// accounts have no password until an admin sets one. `dry_run=true` only counts.
#[utoipa::path(operation_id = "import_users", post, path = "/api/v1/imports/users", tag = "users", security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = inline(FileBytes), content_type = "application/octet-stream",
        description = "The file: CSV (UTF-8, comma or semicolon) or XLSX, told apart by content"),
    responses((status = 200, description = "What was (or would be) created, updated and left unchanged", body = ImportReport),
              (status = 400, description = "The body could not be read", body = ErrorEnvelope),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 413, description = "Larger than 16 MiB", body = ErrorEnvelope),
              (status = 422, description = "Problems by sheet, row and column; nothing applied", body = ImportRefusal)))]
pub async fn users(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    run(state, user, req, query.into_inner(), payload, What::Users).await
}

/// Sends the import's invitation letters one after another, after the answer, each in its
/// account's language (both languages when the file gave none). The links are stored already;
/// a letter that does not arrive is mended with "Forgot your password?".
fn send_invitations(
    mailer: crate::events::mail::Mailer,
    public_url: &str,
    invitations: &[import::users::Invitation],
    ttl: chrono::Duration,
) {
    let until = sirr_store::now() + ttl;
    let letters: Vec<(String, String, String)> = invitations
        .iter()
        .map(|i| {
            let url = crate::auth::links::url(public_url, &i.token);
            let lang = i.language.as_deref().and_then(|l| Lang::parse(l).ok());
            let (subject, text) = crate::events::mail::password_letter(
                crate::auth::links::Purpose::Invitation,
                lang,
                &i.email,
                &url,
                until,
            );
            (i.email.clone(), subject, text)
        })
        .collect();
    if letters.is_empty() {
        return;
    }
    actix_web::rt::spawn(async move {
        let count = letters.len();
        let outcome = web::block(move || {
            letters
                .iter()
                .filter(|(to, subject, text)| match mailer.send(to, subject, text) {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::warn!(error = %e, "invitation letter not sent");
                        false
                    }
                })
                .count()
        })
        .await;
        match outcome {
            Ok(sent) => tracing::info!(sent, count, "imported users invited"),
            Err(e) => tracing::warn!(error = %e, "invitation letters not sent"),
        }
    });
}

/// A problem of an XLSForm workbook, where the spreadsheet shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct XlsformProblem {
    /// `sheet:row:column`, for clients that read only paths.
    pub path: String,
    /// Sheet name as written (`survey`, `choices`, `settings`).
    pub sheet: String,
    /// Row as the spreadsheet numbers it.
    pub row: Option<u32>,
    /// Column header as written.
    pub column: Option<String>,
    /// Cell reference such as `F12`, when known.
    pub cell: Option<String>,
    /// What is wrong, in words.
    pub problem: String,
}

impl XlsformProblem {
    /// The problem for a reader of `lang`: the workbook's reading problems and the checklist's
    /// validation problems alike.
    fn worded(p: SheetProblem, lang: Lang) -> Self {
        let problem = super::sheet_problems::message(&p.reason).render(lang);
        Self {
            path: format!(
                "{}:{}:{}",
                p.sheet,
                p.row.map(|r| r.to_string()).unwrap_or_default(),
                p.column.as_deref().unwrap_or_default()
            ),
            sheet: p.sheet,
            row: p.row,
            column: p.column,
            cell: p.cell,
            problem,
        }
    }
}

/// An XLSForm converted to a checklist document (not stored: post it to `/api/v1/checklists`).
#[derive(Debug, Serialize, ToSchema)]
pub struct XlsformImport {
    /// The checklist document (SPEC §3), ready to save as a draft.
    #[schema(value_type = Object)]
    pub checklist: serde_json::Value,
    /// Rows skipped or read with a caveat.
    pub warnings: Vec<XlsformProblem>,
}

/// The 422 of a workbook that does not convert: every problem by sheet, row and column.
#[derive(Debug, Serialize, ToSchema)]
pub struct XlsformRefusal {
    /// The error.
    pub error: XlsformRefusalBody,
}

/// The inner object of [`XlsformRefusal`].
#[derive(Debug, Serialize, ToSchema)]
pub struct XlsformRefusalBody {
    /// `validation_failed`.
    pub code: &'static str,
    /// Summary.
    pub message: String,
    /// Every problem (errors and warnings), with `sheet`, `row` and `column`.
    pub details: Vec<XlsformProblem>,
}

/// The checklist key to use when the workbook's settings have no `form_id`: the file name's stem
/// as a key (`Bank visit v2.xlsx` → `bank-visit-v2`), else `imported`.
fn fallback_key(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let mut key = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-');
    if key.is_empty() {
        "imported".to_owned()
    } else {
        key.chars().take(60).collect()
    }
}

/// Convert an XLSForm workbook to a checklist document (QA, admin). Nothing is stored: the
/// answer is the document to review and save as a draft. Problems name sheet, row and column.
#[utoipa::path(operation_id = "import_xlsform", post, path = "/api/v1/checklists/import-xlsform", tag = "checklists", security(("bearer" = [])),
    request_body(content = inline(FileBytes), content_type = "application/octet-stream",
        description = "The XLSForm workbook (.xlsx)"),
    responses((status = 200, description = "The checklist document and warnings", body = XlsformImport),
              (status = 400, description = "The body could not be read", body = ErrorEnvelope),
              (status = 403, description = "Not QA or an admin", body = ErrorEnvelope),
              (status = 413, description = "Larger than 16 MiB", body = ErrorEnvelope),
              (status = 422, description = "Problems by sheet, row and column", body = XlsformRefusal)))]
pub async fn xlsform(
    user: AuthUser,
    req: HttpRequest,
    ReaderLang(lang): ReaderLang,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let body = match payload.to_bytes_limited(MAX_UPLOAD_BYTES).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => {
            return Err(ApiError::bad_request(
                "body",
                crate::msg!("body-unreadable", problem = e.to_string()),
            ));
        }
        Err(_) => {
            return Err(ApiError::TooLarge(
                crate::msg!("file-too-large", limit = MAX_UPLOAD_BYTES).into(),
            ));
        }
    };
    let name = file_name(&req, "checklist.xlsx");
    let key = fallback_key(&name);
    let converted = web::block(move || sirr_checklist::xlsform::import(&body, &key)).await?;
    match converted {
        Ok((checklist, warnings)) => {
            let checklist = serde_json::to_value(&checklist)
                .map_err(|e| ApiError::Internal(format!("cannot serialise a checklist: {e}")))?;
            Ok(HttpResponse::Ok().json(XlsformImport {
                checklist,
                warnings: warnings
                    .into_iter()
                    .map(|p| XlsformProblem::worded(p, lang))
                    .collect(),
            }))
        }
        Err(sirr_checklist::Error::Xlsform(problems)) => {
            let errors = problems.iter().filter(|p| p.is_error()).count();
            Ok(
                HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY).json(XlsformRefusal {
                    error: XlsformRefusalBody {
                        code: "validation_failed",
                        message: crate::msg!("xlsform-refused", count = errors).render(lang),
                        details: problems
                            .into_iter()
                            .map(|p| XlsformProblem::worded(p, lang))
                            .collect(),
                    },
                }),
            )
        }
        // `import` fails with `Error::Xlsform` only.
        Err(other) => Err(ApiError::Internal(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::fallback_key;

    #[test]
    fn file_names_become_keys() {
        assert_eq!(fallback_key("Bank visit v2.xlsx"), "bank-visit-v2");
        assert_eq!(fallback_key("زيارة.xlsx"), "imported");
        assert_eq!(fallback_key("x"), "x");
    }
}
