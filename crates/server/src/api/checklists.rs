//! Checklists (SPEC §3, §9.6): QA and admins create drafts, replace and delete them, and publish
//! them; a published version is frozen with the SHA-256 of its canonical JSON and never changes.
//! Everyone signed in reads published versions; drafts are known to QA and admins only.
//!
//! A version is identified by the document's own `key` and `version`, which are unique together,
//! so a different document can never be published under a key and version that exist.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::checklist_problems;
use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::{Names, detail, time};
use crate::audit;
use crate::auth::{AuthUser, roles};
use crate::i18n::{Lang, ReaderLang};
use crate::msg;
use crate::startup::AppState;
use sirr_store::checklists::ChecklistRow;
use sirr_store::status::ChecklistStatus as Status;
use sirr_store::{self as db, DbConnection};

/// One version of a checklist: the document as submitted and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistVersion {
    /// Checklist key (`bank-branch-visit`).
    pub key: String,
    /// Version, ≥ 1.
    pub version: i32,
    /// Draft or published.
    pub status: Status,
    /// SHA-256 of the canonical JSON (RFC 8785) of the checklist, lower-case hex; set on publish
    /// (what `sirr checklist canonical --hash` prints for the same document).
    pub content_hash: Option<String>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// Published, RFC 3339 UTC; `null` for a draft.
    pub published_at: Option<String>,
    /// The checklist document (SPEC §3) exactly as submitted.
    #[schema(value_type = Object)]
    pub document: Value,
    /// This stored revision of the version (it changes with every save). Sent
    /// back as `If-Match` with a `PUT`, it makes the save refuse (412) when someone else saved
    /// the draft meanwhile.
    pub revision: String,
    /// Warnings about the document (it is valid, but something is probably unintended), each
    /// with its JSON pointer, in the reader's language.
    pub warnings: Vec<Warning>,
}

/// A warning about a checklist document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Warning {
    /// JSON pointer into the document.
    pub path: String,
    /// What is probably unintended there, in the reader's language.
    pub problem: String,
}

fn worded(warnings: Vec<Detail>, lang: Lang) -> Vec<Warning> {
    warnings
        .into_iter()
        .map(|d| Warning {
            problem: d.problem.render(lang),
            path: d.path,
        })
        .collect()
}

/// A version in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    /// Version, ≥ 1.
    pub version: i32,
    /// Draft or published.
    pub status: Status,
    /// Content hash; `null` for a draft.
    pub content_hash: Option<String>,
    /// Published, RFC 3339 UTC; `null` for a draft.
    pub published_at: Option<String>,
}

/// A checklist and its versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistSummary {
    /// Checklist key.
    pub key: String,
    /// Title per language, from the latest published version (the latest version when none is
    /// published).
    pub title: Names,
    /// The highest published version; `null` when none is published.
    pub latest_published_version: Option<i32>,
    /// The versions the caller may see, in ascending order.
    pub versions: Vec<VersionSummary>,
}

fn find(conn: &mut DbConnection, key: &str, version: i32) -> QueryResult<Option<ChecklistRow>> {
    db::checklists::find(conn, key, version)
}

fn find_existing(
    conn: &mut DbConnection,
    key: &str,
    version: i32,
) -> Result<ChecklistRow, ApiError> {
    find(conn, key, version)?.ok_or(ApiError::NotFound("checklist version"))
}

fn parse_stored(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::Internal(format!("stored checklist document is damaged: {e}")))
}

/// Validates a document with the checklist crate: the checklist, its stored version and its
/// warnings, or a 422 listing `extra` and every error with its JSON pointer.
fn validate(
    doc: &Value,
    mut extra: Vec<Detail>,
) -> Result<(sirr_checklist::Checklist, i32, Vec<Detail>), ApiError> {
    let outcome = sirr_checklist::from_value(doc);
    let (errors, warnings): (Vec<_>, Vec<_>) =
        outcome.problems.into_iter().partition(|p| p.is_error());
    extra.extend(checklist_problems::details(errors));
    let version = outcome
        .checklist
        .as_ref()
        .map(|c| i32::try_from(c.version))
        .transpose()
        .unwrap_or_else(|_| {
            extra.push(detail("/version", msg!("checklist-version-too-large")));
            None
        });
    match (outcome.checklist, version) {
        (Some(checklist), Some(version)) if extra.is_empty() => {
            Ok((checklist, version, checklist_problems::details(warnings)))
        }
        _ => {
            let count = extra.len();
            Err(ApiError::invalid(
                msg!("checklist-not-valid", count = count),
                extra,
            ))
        }
    }
}

/// Warnings about a stored document (an empty list if it no longer loads).
fn warnings_of(doc: &Value) -> Vec<Detail> {
    checklist_problems::details(
        sirr_checklist::from_value(doc)
            .problems
            .into_iter()
            .filter(|p| !p.is_error()),
    )
}

fn to_version(
    row: ChecklistRow,
    document: Value,
    warnings: Vec<Detail>,
    lang: Lang,
) -> ChecklistVersion {
    ChecklistVersion {
        key: row.key,
        version: row.version,
        status: row.status,
        content_hash: row.content_hash,
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
        published_at: row.published_at.map(time),
        revision: revision_of(&row.document),
        document,
        warnings: worded(warnings, lang),
    }
}

/// The revision of a stored document: SHA-256 of its stored text, the first 16 bytes in hex.
fn revision_of(stored: &str) -> String {
    crate::auth::tokens::token_hash(stored)[..32].to_owned()
}

/// The revisions an `If-Match` header names (`"a", "b"`, quotes optional); `None` without one,
/// and for `*` (any revision).
fn if_match(req: &HttpRequest) -> Option<Vec<String>> {
    let value = req.headers().get(header::IF_MATCH)?.to_str().ok()?.trim();
    if value == "*" {
        return None;
    }
    Some(
        value
            .split(',')
            .map(|t| {
                t.trim()
                    .trim_start_matches("W/")
                    .trim_matches('"')
                    .to_owned()
            })
            .collect(),
    )
}

fn stored_version(row: ChecklistRow, lang: Lang) -> Result<ChecklistVersion, ApiError> {
    let document = parse_stored(&row.document)?;
    let warnings = warnings_of(&document);
    Ok(to_version(row, document, warnings, lang))
}

fn to_text(doc: &Value) -> Result<String, ApiError> {
    serde_json::to_string(doc).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The version from the URL: a whole number ≥ 1, else 400.
fn version_of(raw: &str) -> Result<i32, ApiError> {
    match raw.parse::<i32>() {
        Ok(v) if v >= 1 => Ok(v),
        _ => Err(ApiError::bad_request(
            "version",
            msg!("checklist-version-in-url", found = raw),
        )),
    }
}

/// The audit log's id of a version: `key/version` (what the URLs name).
fn entity_id(key: &str, version: i32) -> String {
    format!("{key}/{version}")
}

/// The content hash of a stored or submitted document, if it loads.
fn hash_of(doc: &Value) -> Option<String> {
    sirr_checklist::from_value(doc)
        .checklist
        .map(|c| c.content_hash())
}

/// The row id of a version (what visits and campaigns reference).
fn row_id(conn: &mut DbConnection, key: &str, version: i32) -> QueryResult<String> {
    db::checklists::find(conn, key, version)?
        .map(|row| row.id.into())
        .ok_or(diesel::NotFound)
}

fn is_editor(user: &AuthUser) -> bool {
    roles::QUALITY.contains(&user.role)
}

fn immutable(key: &str, version: i32) -> ApiError {
    ApiError::Conflict(
        crate::msg!(
            "conflict-checklist-immutable",
            version = version.to_string(),
            key = key
        )
        .into(),
    )
}

/// Why a document cannot be created at a key and version that exist.
fn exists(row: &ChecklistRow, checklist: &sirr_checklist::Checklist) -> ApiError {
    let (key, version) = (&row.key, row.version);
    if !row.is_published() {
        ApiError::Conflict(
            crate::msg!(
                "conflict-checklist-draft-exists",
                version = version.to_string(),
                key = key.as_str()
            )
            .into(),
        )
    } else if row.content_hash.as_deref() == Some(checklist.content_hash().as_str()) {
        ApiError::Conflict(
            crate::msg!(
                "conflict-checklist-same-content",
                version = version.to_string(),
                key = key.as_str()
            )
            .into(),
        )
    } else {
        ApiError::Conflict(
            crate::msg!(
                "conflict-checklist-different-content",
                version = version.to_string(),
                key = key.as_str()
            )
            .into(),
        )
    }
}

/// Checklists with their versions: QA and admins see drafts too; managers and shoppers see
/// published versions only (and only checklists that have one).
#[utoipa::path(operation_id = "list_checklists", get, path = "/api/v1/checklists", tag = "checklists", security(("bearer" = [])),
    responses((status = 200, description = "Checklists by key", body = [ChecklistSummary]),
              (status = 401, description = "Not signed in", body = ErrorEnvelope)))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let editor = is_editor(&user);
    let list = state
        .db(move |conn| {
            let rows = db::checklists::all(conn, !editor)?;
            let mut by_key: BTreeMap<String, Vec<ChecklistRow>> = BTreeMap::new();
            for row in rows {
                by_key.entry(row.key.clone()).or_default().push(row);
            }
            by_key
                .into_iter()
                .map(|(key, rows)| {
                    let latest_published_version = rows
                        .iter()
                        .filter(|r| r.is_published())
                        .map(|r| r.version)
                        .max();
                    let shown = rows
                        .iter()
                        .filter(|r| Some(r.version) == latest_published_version)
                        .chain(rows.iter().rev())
                        .next();
                    let title = match shown {
                        Some(r) => {
                            let doc = parse_stored(&r.document)?;
                            serde_json::from_value(doc["title"].clone()).unwrap_or_default()
                        }
                        None => Names::new(),
                    };
                    Ok(ChecklistSummary {
                        key,
                        title,
                        latest_published_version,
                        versions: rows
                            .into_iter()
                            .map(|r| VersionSummary {
                                version: r.version,
                                status: r.status,
                                content_hash: r.content_hash,
                                published_at: r.published_at.map(time),
                            })
                            .collect(),
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One version with its document. Drafts exist only for QA and admins (404 for others).
#[utoipa::path(operation_id = "get_checklist_version", get, path = "/api/v1/checklists/{key}/versions/{version}", tag = "checklists", security(("bearer" = [])),
    params(("key" = String, Path, description = "Checklist key"),
           ("version" = i32, Path, description = "Version, ≥ 1")),
    responses((status = 200, description = "The version", body = ChecklistVersion),
              (status = 400, description = "The version is not a whole number ≥ 1", body = ErrorEnvelope),
              (status = 404, description = "No such version (or a draft the caller may not see)", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (key, version) = path.into_inner();
    let version = version_of(&version)?;
    let editor = is_editor(&user);
    let found = state
        .db(move |conn| {
            let row = find_existing(conn, &key, version)?;
            if !row.is_published() && !editor {
                return Err(ApiError::NotFound("checklist version"));
            }
            stored_version(row, lang)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Create a draft from a checklist document, at the document's own key and version (admin, QA).
/// The document is validated in full; every error is listed with its JSON pointer.
#[utoipa::path(operation_id = "create_checklist", post, path = "/api/v1/checklists", tag = "checklists", security(("bearer" = [])),
    request_body(content = Object, description = "A checklist document (SPEC §3)"),
    responses((status = 201, description = "The draft, with any warnings", body = ChecklistVersion),
              (status = 403, description = "Not admin or QA", body = ErrorEnvelope),
              (status = 409, description = "That key and version exist", body = ErrorEnvelope),
              (status = 422, description = "Invalid document; details name every problem", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let doc = body.into_inner();
    let created = state
        .db_write(move |conn| {
            let (checklist, version, warnings) = validate(&doc, Vec::new())?;
            let key = checklist.key.as_str().to_owned();
            let text = to_text(&doc)?;
            if let Some(row) = find(conn, &key, version)? {
                return Err(exists(&row, &checklist));
            }
            let now = db::now();
            let id = db::ids::ChecklistId::generate();
            let draft = db::checklists::NewDraft {
                id: &id,
                key: &key,
                version,
                document: &text,
                created_by: &user.id,
                now,
            };
            db::checklists::insert_draft(conn, &draft).map_err(|e| {
                ApiError::conflict_or(e, || {
                    msg!("checklist-version-exists", version = version, key = &key)
                })
            })?;
            audit::record(
                conn,
                Some(&user.id),
                "create",
                "checklist",
                &entity_id(&key, version),
                json!({"id": id, "key": key, "version": version, "status": Status::Draft,
                           "content_hash": checklist.content_hash()}),
            )?;
            let row = ChecklistRow {
                id,
                key,
                version,
                status: Status::Draft,
                document: text,
                content_hash: None,
                created_by: Some(user.id),
                created_at: now,
                updated_at: now,
                published_at: None,
            };
            Ok(to_version(row, doc, warnings, lang))
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Replace a draft's document (admin, QA). The document's `key` and `version` must be the URL's;
/// published versions are immutable (409). With `If-Match: "<revision>"` (the `revision` the
/// writer read), a draft saved by someone else meanwhile is not replaced (412).
#[utoipa::path(operation_id = "update_checklist_draft", put, path = "/api/v1/checklists/{key}/versions/{version}", tag = "checklists", security(("bearer" = [])),
    params(("key" = String, Path, description = "Checklist key"),
           ("version" = i32, Path, description = "Version, ≥ 1"),
           ("If-Match" = Option<String>, Header, description = "The draft's `revision` as read; the save is refused (412) when it is no longer the stored one")),
    request_body(content = Object, description = "The whole new checklist document (SPEC §3)"),
    responses((status = 200, description = "The draft, with any warnings", body = ChecklistVersion),
              (status = 400, description = "The version is not a whole number ≥ 1", body = ErrorEnvelope),
              (status = 403, description = "Not admin or QA", body = ErrorEnvelope),
              (status = 404, description = "No such version", body = ErrorEnvelope),
              (status = 409, description = "The version is published", body = ErrorEnvelope),
              (status = 412, description = "`If-Match` names a revision that is no longer the stored one: saved by someone else meanwhile", body = ErrorEnvelope),
              (status = 422, description = "Invalid document, or its key or version differ from the URL's", body = ErrorEnvelope)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let (key, version) = path.into_inner();
    let version = version_of(&version)?;
    let doc = body.into_inner();
    let expected = if_match(&req);
    let updated = state
        .db_write(move |conn| {
            let row = find_existing(conn, &key, version)?;
            if row.is_published() {
                return Err(immutable(&key, version));
            }
            let changed_meanwhile = || {
                ApiError::PreconditionFailed(
                    msg!("checklist-changed-meanwhile", key = &key, version = version).into(),
                )
            };
            if expected
                .as_ref()
                .is_some_and(|revisions| !revisions.contains(&revision_of(&row.document)))
            {
                return Err(changed_meanwhile());
            }
            let mut mismatches = Vec::new();
            if let Some(k) = doc.get("key").and_then(Value::as_str)
                && k != key
            {
                mismatches.push(detail(
                    "/key",
                    msg!("checklist-key-mismatch", key = &key, found = k),
                ));
            }
            if let Some(v) = doc.get("version").and_then(Value::as_i64)
                && v != i64::from(version)
            {
                mismatches.push(detail(
                    "/version",
                    msg!(
                        "checklist-version-mismatch",
                        version = version,
                        found = v.to_string()
                    ),
                ));
            }
            let (checklist, _, warnings) = validate(&doc, mismatches)?;
            let text = to_text(&doc)?;
            let now = db::now();
            // Compare-and-set on the text just read when the writer named its revision: of two
            // saves from the same revision, the second is refused rather than silently replacing.
            let read = expected.is_some().then_some(row.document.as_str());
            if !db::checklists::update_draft(conn, &key, version, &text, now, read)? {
                return Err(match find_existing(conn, &key, version)? {
                    now_row if now_row.is_published() => immutable(&key, version),
                    _ => changed_meanwhile(),
                });
            }
            let before = parse_stored(&row.document).ok().and_then(|d| hash_of(&d));
            let id = row_id(conn, &key, version)?;
            audit::record(
                conn,
                Some(&user.id),
                "update",
                "checklist",
                &entity_id(&key, version),
                json!({"id": id,
                           "content_hash": {"from": before, "to": checklist.content_hash()}}),
            )?;
            let row = ChecklistRow {
                document: text,
                updated_at: now,
                ..row
            };
            Ok(to_version(row, doc, warnings, lang))
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Publish a draft (admin, QA): the stored document is validated again, its content hash
/// computed, and the version frozen. Publishing a published version changes nothing (200).
#[utoipa::path(operation_id = "publish_checklist", post, path = "/api/v1/checklists/{key}/versions/{version}/publish", tag = "checklists", security(("bearer" = [])),
    params(("key" = String, Path, description = "Checklist key"),
           ("version" = i32, Path, description = "Version, ≥ 1")),
    responses((status = 200, description = "The published version", body = ChecklistVersion),
              (status = 400, description = "The version is not a whole number ≥ 1", body = ErrorEnvelope),
              (status = 403, description = "Not admin or QA", body = ErrorEnvelope),
              (status = 404, description = "No such version", body = ErrorEnvelope),
              (status = 422, description = "The stored document does not validate", body = ErrorEnvelope)))]
pub async fn publish(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let (key, version) = path.into_inner();
    let version = version_of(&version)?;
    let published = state
        .db_write(move |conn| {
            let row = find_existing(conn, &key, version)?;
            if row.is_published() {
                return stored_version(row, lang);
            }
            let doc = parse_stored(&row.document)?;
            let (checklist, _, _) = validate(&doc, Vec::new())?;
            if checklist.key.as_str() != key || i64::from(checklist.version) != i64::from(version) {
                return Err(ApiError::Internal(format!(
                    "stored document of '{key}' version {version} names another key or version"
                )));
            }
            let now = db::now();
            // Not a draft any more: a concurrent request published it first and recorded that.
            if db::checklists::publish(conn, &key, version, &checklist.content_hash(), now)? {
                let id = row_id(conn, &key, version)?;
                audit::record(
                    conn,
                    Some(&user.id),
                    "publish",
                    "checklist",
                    &entity_id(&key, version),
                    json!({"id": id, "content_hash": checklist.content_hash()}),
                )?;
            }
            stored_version(find_existing(conn, &key, version)?, lang)
        })
        .await?;
    Ok(HttpResponse::Ok().json(published))
}

/// Delete a draft (admin, QA); published versions are immutable (409).
#[utoipa::path(operation_id = "delete_checklist_draft", delete, path = "/api/v1/checklists/{key}/versions/{version}", tag = "checklists", security(("bearer" = [])),
    params(("key" = String, Path, description = "Checklist key"),
           ("version" = i32, Path, description = "Version, ≥ 1")),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "The version is not a whole number ≥ 1", body = ErrorEnvelope),
              (status = 403, description = "Not admin or QA", body = ErrorEnvelope),
              (status = 404, description = "No such version", body = ErrorEnvelope),
              (status = 409, description = "The version is published", body = ErrorEnvelope)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let (key, version) = path.into_inner();
    let version = version_of(&version)?;
    state
        .db_write(move |conn| {
                let row = find_existing(conn, &key, version)?;
                if row.is_published() {
                    return Err(immutable(&key, version));
                }
                let id = row_id(conn, &key, version)?;
                if !db::checklists::delete_draft(conn, &key, version)? {
                    return Err(immutable(&key, version));
                }
                audit::record(
                    conn,
                    Some(&user.id),
                    "delete",
                    "checklist",
                    &entity_id(&key, version),
                    json!({"id": id, "content_hash": parse_stored(&row.document).ok().and_then(|d| hash_of(&d))}),
                )?;
                Ok(())
            })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One version (draft or published) as an XLSForm workbook (admin, QA), for editing in a
/// spreadsheet: `POST /api/v1/checklists/import-xlsform` reads it back into the same document.
#[utoipa::path(operation_id = "export_checklist_xlsform", get, path = "/api/v1/checklists/{key}/versions/{version}/xlsform", tag = "checklists", security(("bearer" = [])),
    params(("key" = String, Path, description = "Checklist key"),
           ("version" = i32, Path, description = "Version, ≥ 1")),
    responses((status = 200, description = "The workbook (survey, choices and settings sheets), as the attachment `<key>-v<version>.xlsx`", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 400, description = "The version is not a whole number ≥ 1", body = ErrorEnvelope),
              (status = 403, description = "Not admin or QA", body = ErrorEnvelope),
              (status = 404, description = "No such version", body = ErrorEnvelope),
              (status = 422, description = "The stored document does not validate", body = ErrorEnvelope)))]
pub async fn xlsform(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let (key, version) = path.into_inner();
    let version = version_of(&version)?;
    let found_key = key.clone();
    let checklist = state
        .db(move |conn| {
            let row = find_existing(conn, &found_key, version)?;
            let doc = parse_stored(&row.document)?;
            validate(&doc, Vec::new()).map(|(checklist, _, _)| checklist)
        })
        .await?;
    let bytes = web::block(move || sirr_checklist::xlsform::export(&checklist))
        .await?
        .map_err(|e| ApiError::Internal(format!("cannot write the XLSForm: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, XLSX))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{key}-v{version}.xlsx\""),
        ))
        .body(bytes))
}

super::routes! {
    handlers: [list, create, get, update, delete, publish, xlsform],
    schemas: [ChecklistVersion, ChecklistSummary, VersionSummary, Status, Warning],
}
