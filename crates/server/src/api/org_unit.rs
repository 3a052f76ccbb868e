//! The one read, create, change and delete of the organisation's units — regions, branches and
//! teams. What differs between them (their fields and checks, their statements, what deleting
//! one takes with it, whose reach covers it) each says by implementing [`Unit`]; the order of the
//! steps is written here once: the admin check, the checks that need no database, the one write
//! path with the checks that do, the conflict in the unit's own words, the audit entry of the
//! unit as served before and after, and the answer.
//!
//! The handlers in `regions.rs`, `branches.rs` and `teams.rs` stay as thin annotated functions
//! (their routes and OpenAPI operations differ) that call these.

use actix_web::{HttpResponse, web};
use diesel::QueryResult;
use serde::Serialize;
use serde_json::Value;

use super::error::{ApiError, Detail};
use crate::audit;
use crate::auth::{AuthUser, roles};
use crate::i18n::Msg;
use crate::startup::AppState;
use sirr_store::DbConnection;

/// A kind of organisational unit.
pub trait Unit: 'static {
    /// The unit as served; audit entries record it.
    type Resource: Serialize + Send + 'static;
    /// A new unit, as posted.
    type New: Send + 'static;
    /// A change, as patched.
    type Patch: Send + 'static;
    /// `region`, `branch` or `team`: the audit entity and what a 404 names.
    const KIND: &'static str;
    /// Whether a change can name another unit (a branch's region), so that its problems are
    /// only complete once the database has been asked.
    const PATCH_REFERS: bool;

    /// The summary of a refused new unit.
    fn not_valid() -> Msg;
    /// The problems of a new unit that need no database.
    fn check_new(new: &Self::New, problems: &mut Vec<Detail>);
    /// The problems of a change that need no database.
    fn check_patch(patch: &Self::Patch, problems: &mut Vec<Detail>);
    /// The problems of a new unit that need the database (a parent that does not exist).
    ///
    /// # Errors
    /// Database failures.
    fn check_new_references(
        conn: &mut DbConnection,
        new: &Self::New,
        problems: &mut Vec<Detail>,
    ) -> QueryResult<()>;
    /// The problems of a change that need the database.
    ///
    /// # Errors
    /// Database failures.
    fn check_patch_references(
        conn: &mut DbConnection,
        patch: &Self::Patch,
        problems: &mut Vec<Detail>,
    ) -> QueryResult<()>;
    /// Stores a checked new unit; returns its id (a taken code is a conflict in the unit's words).
    ///
    /// # Errors
    /// A conflict, database failures.
    fn insert(conn: &mut DbConnection, new: Self::New) -> Result<String, ApiError>;
    /// The unit as served, if it exists.
    ///
    /// # Errors
    /// Database failures.
    fn read(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Self::Resource>>;
    /// Applies a checked change to the existing unit `id`.
    ///
    /// # Errors
    /// A conflict, database failures.
    fn apply(conn: &mut DbConnection, id: &str, patch: Self::Patch) -> Result<(), ApiError>;
    /// Deletes unit `id`; returns what else went with it, for the audit entry.
    ///
    /// # Errors
    /// A conflict (it still has what may not go with it), not found, database failures.
    fn remove(conn: &mut DbConnection, id: &str)
    -> Result<Option<(&'static str, Value)>, ApiError>;
    /// Whether `user` may read unit `id`.
    ///
    /// # Errors
    /// Database failures.
    fn in_reach(conn: &mut DbConnection, user: &AuthUser, id: &str) -> QueryResult<bool>;
}

/// One unit (404 when it does not exist or is out of the caller's reach).
///
/// # Errors
/// Not found, database failures.
pub async fn get<U: Unit>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<HttpResponse, ApiError> {
    let unit = state
        .db(move |conn| {
            if !U::in_reach(conn, &user, &id)? {
                return Err(ApiError::NotFound(U::KIND));
            }
            U::read(conn, &id)?.ok_or(ApiError::NotFound(U::KIND))
        })
        .await?;
    Ok(HttpResponse::Ok().json(unit))
}

/// Creates a unit (admin): every problem of the body and its references at once, or 201.
///
/// # Errors
/// Forbidden, invalid, conflict, database failures.
pub async fn create<U: Unit>(
    state: web::Data<AppState>,
    user: AuthUser,
    new: U::New,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let mut problems = Vec::new();
    U::check_new(&new, &mut problems);
    let actor = user.id;
    let unit = state
        .db_write(move |conn| {
            U::check_new_references(conn, &new, &mut problems)?;
            if !problems.is_empty() {
                return Err(ApiError::invalid(U::not_valid(), problems));
            }
            let id = U::insert(conn, new)?;
            let unit = U::read(conn, &id)?.ok_or(ApiError::NotFound(U::KIND))?;
            audit::record(
                conn,
                Some(&actor),
                "create",
                U::KIND,
                &id,
                audit::snapshot(&unit),
            )?;
            Ok(unit)
        })
        .await?;
    Ok(HttpResponse::Created().json(unit))
}

/// Changes a unit (admin). A body that is wrong in itself is refused before the database is
/// asked; one whose references may be wrong is checked against the unit and its references
/// together.
///
/// # Errors
/// Forbidden, invalid, not found, conflict, database failures.
pub async fn update<U: Unit>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
    patch: U::Patch,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let mut problems = Vec::new();
    U::check_patch(&patch, &mut problems);
    if !problems.is_empty() && !U::PATCH_REFERS {
        return Err(ApiError::invalid(
            crate::msg!("changes-not-valid"),
            problems,
        ));
    }
    let actor = user.id;
    let unit = state
        .db_write(move |conn| {
            let before = U::read(conn, &id)?.ok_or(ApiError::NotFound(U::KIND))?;
            let before = audit::snapshot(&before);
            U::check_patch_references(conn, &patch, &mut problems)?;
            if !problems.is_empty() {
                return Err(ApiError::invalid(
                    crate::msg!("changes-not-valid"),
                    problems,
                ));
            }
            U::apply(conn, &id, patch)?;
            let unit = U::read(conn, &id)?.ok_or(ApiError::NotFound(U::KIND))?;
            audit::record(
                conn,
                Some(&actor),
                "update",
                U::KIND,
                &id,
                audit::changes(&before, &audit::snapshot(&unit)),
            )?;
            Ok(unit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(unit))
}

/// Deletes a unit (admin), recording it as it was and what went with it.
///
/// # Errors
/// Forbidden, not found, conflict, database failures.
pub async fn delete<U: Unit>(
    state: web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let actor = user.id;
    state
        .db_write(move |conn| {
            let current = U::read(conn, &id)?.ok_or(ApiError::NotFound(U::KIND))?;
            let also = U::remove(conn, &id)?;
            let mut details = audit::snapshot(&current);
            if let Some((key, value)) = also {
                details[key] = value;
            }
            audit::record(conn, Some(&actor), "delete", U::KIND, &id, details)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
