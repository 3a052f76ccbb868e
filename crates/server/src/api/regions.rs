//! Regions: list and read within scope; admins create, rename and delete.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::org_unit::{self, Unit};
use super::types::{Names, check_code, check_names, json_array, names_from_db, names_to_db, time};
use crate::auth::{AuthUser, access};
use crate::i18n::Msg;
use crate::startup::AppState;
use serde_json::Value;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, get, update, delete],
}

/// A region.
#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    /// Id.
    pub id: String,
    /// Code (`RUH`).
    pub code: String,
    /// Name per language.
    pub names: Names,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// A new region.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRegion {
    /// Code (`RUH`): letters, digits, `.`, `_`, `-`.
    pub code: String,
    /// Name per language, for example `{"en": "Riyadh", "ar": "الرياض"}`.
    pub names: Names,
}

/// Changes to a region; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionPatch {
    /// New code.
    pub code: Option<String>,
    /// New names (replacing all).
    pub names: Option<Names>,
}

fn to_region(row: db::regions::RegionRow) -> Region {
    Region {
        names: names_from_db(&row.names),
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
        id: row.id.into(),
        code: row.code,
    }
}

/// Regions the caller may see, by code.
#[utoipa::path(operation_id = "list_regions", get, path = "/api/v1/regions", tag = "organisation", security(("bearer" = [])),
    responses((status = 200, description = "Visible regions", body = [Region])))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let directory = state.directory().await?;
    Ok(json_array(directory.regions_json(&user)))
}

/// Every region, for the directory.
pub(crate) fn load_all(conn: &mut DbConnection) -> QueryResult<Vec<Region>> {
    Ok(db::regions::all(conn)?.into_iter().map(to_region).collect())
}

/// The region as an organisational unit (see [`org_unit`]).
pub enum Regions {}

impl Unit for Regions {
    type Resource = Region;
    type New = NewRegion;
    type Patch = RegionPatch;
    const KIND: &'static str = "region";
    const PATCH_REFERS: bool = false;

    fn not_valid() -> Msg {
        crate::msg!("region-not-valid")
    }

    fn check_new(new: &NewRegion, problems: &mut Vec<Detail>) {
        check_code("/code", &new.code, problems);
        check_names("/names", &new.names, problems);
    }

    fn check_patch(patch: &RegionPatch, problems: &mut Vec<Detail>) {
        if let Some(code) = &patch.code {
            check_code("/code", code, problems);
        }
        if let Some(names) = &patch.names {
            check_names("/names", names, problems);
        }
    }

    fn check_new_references(
        _: &mut DbConnection,
        _: &NewRegion,
        _: &mut Vec<Detail>,
    ) -> QueryResult<()> {
        Ok(())
    }

    fn check_patch_references(
        _: &mut DbConnection,
        _: &RegionPatch,
        _: &mut Vec<Detail>,
    ) -> QueryResult<()> {
        Ok(())
    }

    fn insert(conn: &mut DbConnection, new: NewRegion) -> Result<String, ApiError> {
        let row = db::regions::insert(conn, &new.code, &new.names, db::now()).map_err(|e| {
            ApiError::conflict_or(e, || crate::msg!("region-code-exists", code = &new.code))
        })?;
        Ok(row.id.into())
    }

    fn read(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Region>> {
        Ok(db::regions::find(conn, &id.into())?.map(to_region))
    }

    fn apply(conn: &mut DbConnection, id: &str, patch: RegionPatch) -> Result<(), ApiError> {
        let row = db::regions::find(conn, &id.into())?.ok_or(ApiError::NotFound("region"))?;
        let changed = db::regions::RegionRow {
            code: patch.code.unwrap_or(row.code),
            names: patch.names.map_or(row.names, |n| names_to_db(&n)),
            updated_at: db::now(),
            ..row
        };
        db::regions::update(conn, &changed).map_err(|e| {
            ApiError::conflict_or(e, || {
                crate::msg!("region-code-exists", code = &changed.code)
            })
        })?;
        Ok(())
    }

    fn remove(
        conn: &mut DbConnection,
        id: &str,
    ) -> Result<Option<(&'static str, Value)>, ApiError> {
        let count = db::regions::branch_count(conn, &id.into())?;
        if count > 0 {
            return Err(ApiError::Conflict(
                crate::msg!("conflict-region-has-branches", count = count).into(),
            ));
        }
        match db::regions::delete(conn, &id.into())? {
            0 => Err(ApiError::NotFound("region")),
            _ => Ok(None),
        }
    }

    fn in_reach(conn: &mut DbConnection, user: &AuthUser, id: &str) -> QueryResult<bool> {
        Ok(access::regions(conn, user)?.contains(id))
    }
}

/// One region (404 when it does not exist or is out of scope).
#[utoipa::path(operation_id = "get_region", get, path = "/api/v1/regions/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Region id")),
    responses((status = 200, description = "The region", body = Region),
              (status = 404, description = "No such region in scope", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    org_unit::get::<Regions>(state, user, id.into_inner()).await
}

/// Create a region (admin).
#[utoipa::path(operation_id = "create_region", post, path = "/api/v1/regions", tag = "organisation", security(("bearer" = [])),
    request_body = NewRegion,
    responses((status = 201, description = "Created", body = Region),
              (status = 409, description = "The code is taken", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewRegion>,
) -> Result<HttpResponse, ApiError> {
    org_unit::create::<Regions>(state, user, body.into_inner()).await
}

/// Change a region's code or names (admin).
#[utoipa::path(operation_id = "update_region", patch, path = "/api/v1/regions/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Region id")), request_body = RegionPatch,
    responses((status = 200, description = "Changed", body = Region),
              (status = 404, description = "No such region", body = ErrorEnvelope),
              (status = 409, description = "The code is taken", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<RegionPatch>,
) -> Result<HttpResponse, ApiError> {
    org_unit::update::<Regions>(state, user, id.into_inner(), body.into_inner()).await
}

/// Delete a region that has no branches (admin).
#[utoipa::path(operation_id = "delete_region", delete, path = "/api/v1/regions/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Region id")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such region", body = ErrorEnvelope),
              (status = 409, description = "The region still has branches", body = ErrorEnvelope)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    org_unit::delete::<Regions>(state, user, id.into_inner()).await
}
