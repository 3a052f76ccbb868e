//! Attachments: photos and receipts uploaded per checklist item, and who may read them.
//!
//! - `POST /assignments/{id}/attachments?item=…&captured_at=…&lat=…&lon=…` takes the raw file
//!   as the body. The type is decided by the content ([`crate::media`]), never by a file name or
//!   `Content-Type`; images are stored without their metadata, and the capture time and place
//!   the phone read from the photo before downscaling it are kept as fields (SPEC §9.24) for the
//!   plausibility checks ([`photo_facts`]).
//! - Only the shopper of the assignment uploads, until the assignment is approved. Other roles get
//!   403 (they never upload); another shopper gets 404, so assignments do not reveal that they
//!   exist.
//! - Images go to `photo` items and to items with a photo `evidence` rule; PDF receipts go to
//!   any item that takes an answer (a receipt can back a `yes_no` "made a purchase" or a `number`
//!   "amount paid" as well as a photo item); `note` items take nothing.
//! - `GET /attachments/{id}` serves the bytes to the shopper who uploaded them, QA and admins,
//!   and to managers whose scope covers the branch once the visit is approved (the same moment
//!   the visit reaches their scores). Anyone else gets 404. The response names no shopper.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sirr_checklist::ItemKind;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::FileBytes;
use super::types::{Location, check_location, detail, time};
use crate::auth::{AuthUser, Role, access, roles};
use crate::media::{self, Kind, MediaError};
use crate::startup::AppState;
use sirr_store::status::AssignmentStatus;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [upload, list, get],
    schemas: [Attachment],
}

/// A stored attachment's metadata.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attachment {
    /// Id: what a `photo` answer lists (SPEC §9.10).
    pub id: String,
    /// The assignment it belongs to.
    pub assignment_id: String,
    /// The checklist item it belongs to.
    pub item: String,
    /// The media type, decided from the content (`image/jpeg`, `image/png`, `image/webp`,
    /// `application/pdf`).
    pub content_type: String,
    /// Stored size in bytes (after metadata removal).
    pub size_bytes: i64,
    /// SHA-256 of the stored bytes, hex.
    pub sha256: String,
    /// When the photo was taken, as the phone read it (RFC 3339, as sent).
    pub captured_at: Option<String>,
    /// Where the photo was taken, as the phone read it.
    pub location: Option<Location>,
    /// Uploaded, RFC 3339 UTC.
    pub created_at: String,
}

/// The upload's parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The checklist item key the file belongs to.
    pub item: String,
    /// Capture time read from the photo by the phone (RFC 3339 with offset).
    pub captured_at: Option<String>,
    /// Capture latitude read from the photo (with `lon`).
    pub lat: Option<f64>,
    /// Capture longitude read from the photo (with `lat`).
    pub lon: Option<f64>,
}

/// What the plausibility checks need to know about one attachment of an assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoFact {
    /// Attachment id.
    pub id: String,
    /// The checklist item it was uploaded for.
    pub item_key: String,
    /// The stored media type.
    pub content_type: String,
    /// Capture time read from the photo by the phone (RFC 3339 as sent), if it sent one.
    pub captured_at: Option<String>,
    /// Capture latitude, if sent.
    pub lat: Option<f64>,
    /// Capture longitude, if sent.
    pub lon: Option<f64>,
}

/// Every attachment of an assignment, oldest first, with the capture facts the phone sent.
///
/// For visit submission (checking that `photo` answers name attachments of this assignment)
/// and for the plausibility checks (capture time and place against the visit's).
pub fn photo_facts(conn: &mut DbConnection, assignment_id: &str) -> QueryResult<Vec<PhotoFact>> {
    Ok(db::attachments::of_assignment(conn, &assignment_id.into())?
        .into_iter()
        .map(|r| PhotoFact {
            id: r.id.into(),
            item_key: r.item_key,
            content_type: r.content_type,
            captured_at: r.captured_at,
            lat: r.captured_lat,
            lon: r.captured_lon,
        })
        .collect())
}

fn to_attachment(r: db::attachments::AttachmentRow) -> Attachment {
    Attachment {
        id: r.id.into(),
        assignment_id: r.assignment_id.into(),
        item: r.item_key,
        content_type: r.content_type,
        size_bytes: r.size_bytes,
        sha256: r.sha256,
        captured_at: r.captured_at,
        location: r
            .captured_lat
            .zip(r.captured_lon)
            .map(|(lat, lon)| Location { lat, lon }),
        created_at: time(r.created_at),
    }
}

/// What access checks need of an assignment.
type AssignmentAccess = db::assignments::AssignmentRow;

fn assignment(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AssignmentAccess>> {
    db::assignments::find(conn, &id.into())
}

/// Whether the assignment's visit is approved: by the assignment's status or by its visit's (the
/// review marks both; either is enough here).
fn approved(conn: &mut DbConnection, assignment: &AssignmentAccess) -> QueryResult<bool> {
    if assignment.status == AssignmentStatus::Approved {
        return Ok(true);
    }
    let visit = db::visits::status_of_assignment(conn, &assignment.id)?;
    Ok(visit == Some(AssignmentStatus::Approved))
}

/// The shopper's own assignment, still open for attachments.
fn open_assignment(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
) -> Result<AssignmentAccess, ApiError> {
    let found = assignment(conn, id)?
        .filter(|a| a.shopper_id == user.id)
        .ok_or(ApiError::NotFound("assignment"))?;
    let closed = match found.status {
        s if AssignmentStatus::WITHDRAWN.contains(&s) => Some(s),
        _ if approved(conn, &found)? => Some(AssignmentStatus::Approved),
        _ => None,
    };
    match closed {
        Some(status) => Err(ApiError::Conflict(
            crate::msg!("conflict-attachments-closed", status = status.as_str()).into(),
        )),
        None => Ok(found),
    }
}

/// Which contents an item takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepts {
    /// Photos and PDF receipts: `photo` items and items with a photo evidence rule.
    PhotosAndReceipts,
    /// PDF receipts only: other answerable items.
    ReceiptsOnly,
}

/// What `item` of the assignment's checklist version accepts.
fn item_accepts(
    conn: &mut DbConnection,
    checklist_id: &str,
    item: &str,
) -> Result<Accepts, ApiError> {
    let db::checklists::ChecklistRow {
        key,
        version,
        document,
        ..
    } = db::checklists::by_id(conn, &checklist_id.into())?;
    let doc: serde_json::Value = serde_json::from_str(&document)
        .map_err(|e| ApiError::Internal(format!("stored checklist document is damaged: {e}")))?;
    let (checklist, _) = sirr_checklist::from_value(&doc)
        .into_result()
        .map_err(|e| ApiError::Internal(format!("stored checklist {key} v{version}: {e}")))?;
    let unknown = || {
        ApiError::invalid(
            crate::msg!(
                "attachment-no-such-item",
                item = item,
                key = &key,
                version = version.to_string()
            ),
            vec![detail(
                "item",
                crate::msg!(
                    "attachment-no-such-item",
                    item = item,
                    key = &key,
                    version = version.to_string()
                ),
            )],
        )
    };
    let found = checklist.item(item).ok_or_else(unknown)?;
    match &found.kind {
        ItemKind::Photo => Ok(Accepts::PhotosAndReceipts),
        _ if found.evidence.is_some() => Ok(Accepts::PhotosAndReceipts),
        ItemKind::Note => Err(ApiError::invalid(
            crate::msg!("attachment-item-is-note", item = item),
            vec![detail("item", crate::msg!("attachment-note-item"))],
        )),
        _ => Ok(Accepts::ReceiptsOnly),
    }
}

/// The attachment quotas (SPEC §10.32): per assignment (413 beyond) and per shopper in any
/// 24 hours (429 beyond, with Retry-After when the oldest upload of the window leaves it), so
/// that one account cannot fill the disk.
#[derive(Debug, Clone, Copy)]
struct Quota {
    per_assignment: i64,
    per_day: i64,
}

impl Quota {
    fn of(settings: &crate::config::Settings) -> Self {
        Self {
            per_assignment: i64::from(settings.storage.max_attachments_per_assignment),
            per_day: i64::from(settings.storage.max_attachments_per_shopper_per_day),
        }
    }

    /// Serializes the uploads of `user_id` until the caller's transaction ends, so the count
    /// in [`Quota::check`] and the insert after it are one step: N parallel uploads never pass
    /// the quota. Both quotas are the uploader's (an assignment's attachments come from its
    /// shopper only).
    fn lock(conn: &mut DbConnection, user_id: &str) -> Result<(), ApiError> {
        Ok(db::attachments::lock_uploader(conn, &user_id.into())?)
    }

    /// Refuses one more attachment for `assignment_id` by `user_id` when it would exceed a quota.
    fn check(
        self,
        conn: &mut DbConnection,
        user_id: &str,
        assignment_id: &str,
    ) -> Result<(), ApiError> {
        let held = db::attachments::count_of_assignment(conn, &assignment_id.into())?;
        if held >= self.per_assignment {
            return Err(ApiError::TooLarge(
                crate::msg!("attachments-per-assignment-full", held = held).into(),
            ));
        }
        let now = db::now();
        let window = chrono::Duration::hours(24);
        let (uploaded, oldest) =
            db::attachments::uploaded_since(conn, &user_id.into(), now - window)?;
        if uploaded >= self.per_day {
            let wait = oldest.map_or(3600, |t| (t + window - now).num_seconds().max(1));
            return Err(ApiError::TooManyRequests(u64::try_from(wait).unwrap_or(1)));
        }
        Ok(())
    }
}

/// A refusal in the error envelope with a status [`ApiError`] has no variant for (413, 415).
fn refusal(
    status: StatusCode,
    code: &'static str,
    message: impl Into<crate::i18n::Text>,
) -> HttpResponse {
    super::error::refusal(status, code, message.into())
}

fn check_query(query: &UploadQuery) -> Result<Option<Location>, ApiError> {
    let mut problems = Vec::new();
    if query.item.is_empty() {
        problems.push(detail("item", crate::msg!("field-required")));
    }
    super::limits::check_text("item", &query.item, &mut problems);
    if let Some(at) = &query.captured_at {
        super::limits::check_text("captured_at", at, &mut problems);
    }
    if let Some(at) = &query.captured_at
        && chrono::DateTime::parse_from_rfc3339(at).is_err()
    {
        problems.push(detail(
            "captured_at",
            crate::msg!("time-with-offset-expected"),
        ));
    }
    let location = match (query.lat, query.lon) {
        (Some(lat), Some(lon)) => {
            let location = Location { lat, lon };
            let mut found = Vec::new();
            check_location("", &location, &mut found);
            for d in found {
                problems.push(Detail {
                    path: d.path.trim_start_matches('/').to_owned(),
                    problem: d.problem,
                });
            }
            Some(location)
        }
        (None, None) => None,
        (Some(_), None) => {
            problems.push(detail("lon", crate::msg!("lat-lon-together")));
            None
        }
        (None, Some(_)) => {
            problems.push(detail("lat", crate::msg!("lat-lon-together")));
            None
        }
    };
    if problems.is_empty() {
        Ok(location)
    } else {
        Err(ApiError::invalid(
            crate::msg!("upload-parameters-not-valid"),
            problems,
        ))
    }
}

/// Upload a photo or receipt for one item of the caller's assignment. The body is the raw file
/// (any `Content-Type`; the content decides). Images are stored without metadata.
#[utoipa::path(operation_id = "upload_attachment", post, path = "/api/v1/assignments/{id}/attachments", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id"), UploadQuery),
    request_body(content = inline(FileBytes), content_type = "application/octet-stream",
        description = "The file: JPEG, PNG or WebP photo, or PDF receipt (HEIC is refused)"),
    responses((status = 201, description = "Stored", body = Attachment),
              (status = 403, description = "Only shoppers upload", body = ErrorEnvelope),
              (status = 404, description = "No such assignment of the caller", body = ErrorEnvelope),
              (status = 409, description = "The assignment is approved, declined or cancelled", body = ErrorEnvelope),
              (status = 413, description = "Larger than storage.max_attachment_bytes, or the assignment already holds storage.max_attachments_per_assignment attachments", body = ErrorEnvelope),
              (status = 415, description = "Not a JPEG, PNG, WebP or PDF (the message names what it is)", body = ErrorEnvelope),
              (status = 422, description = "Unknown item, an item that takes no such file, bad parameters, or a damaged file", body = ErrorEnvelope),
              (status = 429, description = "The shopper uploaded storage.max_attachments_per_shopper_per_day attachments in the last 24 hours (Retry-After says when one more fits)", body = ErrorEnvelope)))]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::SHOPPERS)?;
    let (assignment_id, query) = (id.into_inner(), query.into_inner());
    let location = check_query(&query)?;

    // Access, item and quotas first: nothing is read from a caller who may not upload here.
    let quota = Quota::of(&state.settings);
    let accepts = {
        let (user, assignment_id, item) = (user.clone(), assignment_id.clone(), query.item.clone());
        state
            .db(move |conn| {
                let found = open_assignment(conn, &user, &assignment_id)?;
                let accepts = item_accepts(conn, &found.checklist_id, &item)?;
                quota.check(conn, &user.id, &assignment_id)?;
                Ok(accepts)
            })
            .await?
    };

    let limit = state.settings.storage.max_attachment_bytes;
    let body = match payload.to_bytes_limited(limit).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => {
            return Err(ApiError::bad_request(
                "body",
                crate::msg!("body-unreadable", problem = e.to_string()),
            ));
        }
        Err(_) => {
            return Ok(refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                crate::msg!("file-too-large", limit = limit),
            ));
        }
    };
    // Metadata removal is CPU work (a PDF is parsed and rewritten): off the async thread.
    let prepared = match web::block(move || media::prepare(&body)).await? {
        Ok(prepared) => prepared,
        Err(e @ (MediaError::Unsupported { .. } | MediaError::Heif { .. })) => {
            return Ok(refusal(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                crate::msg!("media-unsupported", problem = e.to_string()),
            ));
        }
        Err(e @ MediaError::Malformed { .. }) => {
            let problem = crate::msg!("media-malformed", problem = e.to_string());
            return Err(ApiError::invalid(
                problem.clone(),
                vec![detail("body", problem)],
            ));
        }
    };
    if prepared.kind.is_image() && accepts == Accepts::ReceiptsOnly {
        let problem = crate::msg!(
            "attachment-no-photos",
            item = query.item.as_str(),
            kind = prepared.kind.to_string()
        );
        return Err(ApiError::invalid(
            problem.clone(),
            vec![detail("item", problem)],
        ));
    }

    let attachment_id = db::ids::AttachmentId::generate();
    let storage_key = format!("{assignment_id}/{attachment_id}");
    let sha256: String = Sha256::digest(&prepared.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let kind: Kind = prepared.kind;
    let size = i64::try_from(prepared.bytes.len())
        .map_err(|_| ApiError::Internal("attachment size overflows".into()))?;
    state
        .storage
        .put(&storage_key, web::Bytes::from(prepared.bytes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;

    let inserted = {
        let (id, key, user_id) = (attachment_id.clone(), storage_key.clone(), user.id.clone());
        let user = user.clone();
        let assignment_id = assignment_id.clone();
        let item = query.item.clone();
        let captured_at = query.captured_at.clone();
        state
            .db_write(move |conn| {
                Quota::lock(conn, &user_id)?;
                // Again inside the transaction: the assignment may have been approved,
                // or filled up, since.
                open_assignment(conn, &user, &assignment_id)?;
                quota.check(conn, &user_id, &assignment_id)?;
                db::attachments::insert(
                    conn,
                    &db::attachments::AttachmentRow {
                        id: id.clone(),
                        assignment_id: assignment_id.as_str().into(),
                        item_key: item.clone(),
                        content_type: kind.content_type().to_owned(),
                        size_bytes: size,
                        sha256: sha256.clone(),
                        storage_key: key.clone(),
                        captured_at: captured_at.clone(),
                        captured_lat: location.map(|l| l.lat),
                        captured_lon: location.map(|l| l.lon),
                        uploaded_by: user_id.as_str().into(),
                        created_at: db::now(),
                    },
                )?;
                crate::audit::record(
                    conn,
                    Some(&user_id),
                    "create",
                    "attachment",
                    &id,
                    json!({"assignment_id": assignment_id, "item": item,
                               "content_type": kind.content_type(), "size_bytes": size,
                               "sha256": sha256}),
                )?;
                db::attachments::find(conn, &id)?
                    .map(to_attachment)
                    .ok_or(ApiError::NotFound("attachment"))
            })
            .await
    };
    match inserted {
        Ok(attachment) => Ok(HttpResponse::Created().json(attachment)),
        Err(e) => {
            // Best effort: the row is not there, so the object must not linger.
            if let Err(cleanup) = state.storage.delete(&storage_key).await {
                tracing::warn!(error = %cleanup, key = %storage_key, "orphaned attachment object");
            }
            Err(e)
        }
    }
}

/// The attachments of an assignment (metadata, oldest first): for its shopper, QA and admins.
#[utoipa::path(operation_id = "list_attachments", get, path = "/api/v1/assignments/{id}/attachments", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    responses((status = 200, description = "The attachments", body = [Attachment]),
              (status = 403, description = "Managers read attachments one by one, not lists", body = ErrorEnvelope),
              (status = 404, description = "No such assignment of the caller", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<db::ids::AssignmentId>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY_AND_SHOPPERS)?;
    let id = id.into_inner();
    let list = state
        .db(move |conn| {
            assignment(conn, &id)?
                .filter(|a| user.role != Role::Shopper || a.shopper_id == user.id)
                .ok_or(ApiError::NotFound("assignment"))?;
            Ok(db::attachments::of_assignment(conn, &id)?
                .into_iter()
                .map(to_attachment)
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Whether `user` may read the attachments of `assignment`.
fn may_read(
    conn: &mut DbConnection,
    user: &AuthUser,
    assignment: &AssignmentAccess,
) -> QueryResult<bool> {
    Ok(match user.role {
        Role::Admin | Role::Qa => true,
        Role::Shopper => assignment.shopper_id == user.id,
        Role::Manager => {
            access::branches(conn, user)?.contains(&assignment.branch_id)
                && approved(conn, assignment)?
        }
    })
}

/// The file itself, with its stored media type. For the shopper who uploaded it, QA, admins,
/// and managers whose scope covers the branch once the visit is approved; 404 for anyone else.
#[utoipa::path(operation_id = "get_attachment", get, path = "/api/v1/attachments/{id}", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Attachment id")),
    responses((status = 200, description = "The file (images without metadata)",
                content((inline(FileBytes) = "image/jpeg"), (inline(FileBytes) = "image/png"), (inline(FileBytes) = "image/webp"), (inline(FileBytes) = "application/pdf"))),
              (status = 404, description = "No such attachment the caller may see", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (content_type, storage_key, sha256) = state
        .db(move |conn| {
            let db::attachments::AttachmentRow {
                assignment_id,
                content_type,
                storage_key,
                sha256,
                ..
            } = db::attachments::find(conn, &id.as_str().into())?
                .ok_or(ApiError::NotFound("attachment"))?;
            let parent =
                assignment(conn, &assignment_id)?.ok_or(ApiError::NotFound("attachment"))?;
            if !may_read(conn, &user, &parent)? {
                return Err(ApiError::NotFound("attachment"));
            }
            Ok((content_type, storage_key, sha256))
        })
        .await?;
    let bytes = state.storage.get(&storage_key).await.map_err(|e| {
        ApiError::Internal(format!(
            "attachment {storage_key} is missing from storage: {e}"
        ))
    })?;
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=3600"),
        ))
        .insert_header((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ))
        .insert_header((header::ETAG, format!("\"{sha256}\"")));
    Ok(response.body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(lat: Option<f64>, lon: Option<f64>, at: Option<&str>) -> UploadQuery {
        UploadQuery {
            item: "photo".into(),
            captured_at: at.map(str::to_owned),
            lat,
            lon,
        }
    }

    #[test]
    fn upload_parameters_are_checked() {
        assert_eq!(check_query(&query(None, None, None)).unwrap(), None);
        assert_eq!(
            check_query(&query(
                Some(24.7),
                Some(46.6),
                Some("2026-10-03T14:12:00+03:00")
            ))
            .unwrap(),
            Some(Location {
                lat: 24.7,
                lon: 46.6
            })
        );
        let paths = |q: UploadQuery| match check_query(&q) {
            Err(ApiError::Unprocessable { details, .. }) => {
                details.into_iter().map(|d| d.path).collect::<Vec<_>>()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(paths(query(Some(1.0), None, None)), ["lon"]);
        assert_eq!(paths(query(Some(91.0), Some(0.0), None)), ["lat"]);
        assert_eq!(
            paths(query(None, None, Some("2026-10-03 14:12"))),
            ["captured_at"]
        );
    }
}
