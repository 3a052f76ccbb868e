//! Branches: list and read within scope; admins create, change and delete.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::org_unit::{self, Unit};
use super::types::{
    Location, Names, check_code, check_location, check_names, detail, json_array, names_from_db,
    names_to_db, time,
};
use crate::auth::{AuthUser, access};
use crate::i18n::Msg;
use crate::startup::AppState;
use serde_json::Value;
use sirr_store::branches::BranchRow;
use sirr_store::ids::{BranchId, RegionId};
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, get, update, delete],
}

/// A branch.
#[derive(Debug, Serialize, ToSchema)]
pub struct Branch {
    /// Id: the `{branch_id}` of score and report URLs.
    pub id: String,
    /// Code (`RUH-017`).
    pub code: String,
    /// Region id.
    pub region_id: String,
    /// Region code.
    pub region_code: String,
    /// Name per language.
    pub names: Names,
    /// City per language.
    pub city: Names,
    /// Where it is, if known.
    pub location: Option<Location>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// A new branch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBranch {
    /// Code (`RUH-017`).
    pub code: String,
    /// Region id.
    pub region_id: String,
    /// Name per language.
    pub names: Names,
    /// City per language.
    pub city: Names,
    /// Map location.
    pub location: Option<Location>,
}

/// Changes to a branch; absent fields stay. `location: null` clears the location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchPatch {
    /// New code.
    pub code: Option<String>,
    /// Move to this region.
    pub region_id: Option<String>,
    /// New names.
    pub names: Option<Names>,
    /// New city names.
    pub city: Option<Names>,
    /// New location (`null` clears it).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Location>)]
    pub location: Option<Option<Location>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Location>>, D::Error> {
    Option::<Location>::deserialize(d).map(Some)
}

/// Filters for the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BranchQuery {
    /// Only branches of this region.
    pub region_id: Option<String>,
}

fn select(
    conn: &mut DbConnection,
    id: Option<&str>,
    region: Option<&str>,
) -> QueryResult<Vec<Branch>> {
    let (id, region) = (id.map(BranchId::from), region.map(RegionId::from));
    Ok(
        db::branches::with_region_codes(conn, id.as_ref(), region.as_ref())?
            .into_iter()
            .map(to_branch)
            .collect(),
    )
}

fn to_branch((r, region_code): (BranchRow, String)) -> Branch {
    Branch {
        names: names_from_db(&r.names),
        city: names_from_db(&r.city),
        location: r.lat.zip(r.lon).map(|(lat, lon)| Location { lat, lon }),
        created_at: time(r.created_at),
        updated_at: time(r.updated_at),
        id: r.id.into(),
        code: r.code,
        region_id: r.region_id.into(),
        region_code,
    }
}

/// Every branch, for the directory.
pub(crate) fn load_all(conn: &mut DbConnection) -> QueryResult<Vec<Branch>> {
    select(conn, None, None)
}

/// Branches the caller may see, by code.
#[utoipa::path(operation_id = "list_branches", get, path = "/api/v1/branches", tag = "organisation", security(("bearer" = [])),
    params(BranchQuery),
    responses((status = 200, description = "Visible branches", body = [Branch])))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<BranchQuery>,
) -> Result<HttpResponse, ApiError> {
    let region = query.into_inner().region_id;
    let directory = state.directory().await?;
    Ok(json_array(
        directory.branches_json(&user, region.as_deref()),
    ))
}

/// The branch as an organisational unit (see [`org_unit`]).
pub enum Branches {}

impl Unit for Branches {
    type Resource = Branch;
    type New = NewBranch;
    type Patch = BranchPatch;
    const KIND: &'static str = "branch";
    const PATCH_REFERS: bool = true;

    fn not_valid() -> Msg {
        crate::msg!("branch-not-valid")
    }

    fn check_new(new: &NewBranch, problems: &mut Vec<Detail>) {
        check_code("/code", &new.code, problems);
        check_names("/names", &new.names, problems);
        check_names("/city", &new.city, problems);
        if let Some(location) = &new.location {
            check_location("/location", location, problems);
        }
    }

    fn check_patch(patch: &BranchPatch, problems: &mut Vec<Detail>) {
        if let Some(code) = &patch.code {
            check_code("/code", code, problems);
        }
        if let Some(names) = &patch.names {
            check_names("/names", names, problems);
        }
        if let Some(city) = &patch.city {
            check_names("/city", city, problems);
        }
        if let Some(Some(location)) = &patch.location {
            check_location("/location", location, problems);
        }
    }

    fn check_new_references(
        conn: &mut DbConnection,
        new: &NewBranch,
        problems: &mut Vec<Detail>,
    ) -> QueryResult<()> {
        if !region_exists(conn, &new.region_id)? {
            problems.push(detail("/region_id", crate::msg!("no-such-region")));
        }
        Ok(())
    }

    fn check_patch_references(
        conn: &mut DbConnection,
        patch: &BranchPatch,
        problems: &mut Vec<Detail>,
    ) -> QueryResult<()> {
        if let Some(region) = &patch.region_id
            && !region_exists(conn, region)?
        {
            problems.push(detail("/region_id", crate::msg!("no-such-region")));
        }
        Ok(())
    }

    fn insert(conn: &mut DbConnection, new: NewBranch) -> Result<String, ApiError> {
        let now = db::now();
        let row = BranchRow {
            id: BranchId::generate(),
            code: new.code,
            region_id: new.region_id.into(),
            names: names_to_db(&new.names),
            city: names_to_db(&new.city),
            lat: new.location.map(|l| l.lat),
            lon: new.location.map(|l| l.lon),
            created_at: now,
            updated_at: now,
        };
        db::branches::insert(conn, &row).map_err(|e| {
            ApiError::conflict_or(e, || crate::msg!("branch-code-exists", code = &row.code))
        })?;
        Ok(row.id.into())
    }

    fn read(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Branch>> {
        Ok(select(conn, Some(id), None)?.into_iter().next())
    }

    fn apply(conn: &mut DbConnection, id: &str, patch: BranchPatch) -> Result<(), ApiError> {
        let (row, _) = db::branches::with_region_codes(conn, Some(&id.into()), None)?
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound("branch"))?;
        // `location`: absent keeps it, `null` clears it.
        let (lat, lon) = match patch.location {
            None => (row.lat, row.lon),
            Some(location) => (location.map(|l| l.lat), location.map(|l| l.lon)),
        };
        let changed = BranchRow {
            code: patch.code.unwrap_or(row.code),
            region_id: patch.region_id.map_or(row.region_id, Into::into),
            names: patch.names.map_or(row.names, |n| names_to_db(&n)),
            city: patch.city.map_or(row.city, |c| names_to_db(&c)),
            lat,
            lon,
            updated_at: db::now(),
            ..row
        };
        db::branches::update(conn, &changed).map_err(|e| {
            ApiError::conflict_or(e, || {
                crate::msg!("branch-code-exists", code = &changed.code)
            })
        })?;
        Ok(())
    }

    fn remove(
        conn: &mut DbConnection,
        id: &str,
    ) -> Result<Option<(&'static str, Value)>, ApiError> {
        // Its teams go with it, and the scopes that named the branch or a team name nothing.
        let team_ids =
            db::branches::delete(conn, &id.into())?.ok_or(ApiError::NotFound("branch"))?;
        Ok(Some(("team_ids", serde_json::json!(team_ids))))
    }

    fn in_reach(conn: &mut DbConnection, user: &AuthUser, id: &str) -> QueryResult<bool> {
        Ok(access::branches(conn, user)?.contains(id))
    }
}

fn region_exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    db::regions::exists(conn, &id.into())
}

/// One branch (404 when it does not exist or is out of scope).
#[utoipa::path(operation_id = "get_branch", get, path = "/api/v1/branches/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id")),
    responses((status = 200, description = "The branch", body = Branch),
              (status = 404, description = "No such branch in scope", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    org_unit::get::<Branches>(state, user, id.into_inner()).await
}

/// Create a branch (admin).
#[utoipa::path(operation_id = "create_branch", post, path = "/api/v1/branches", tag = "organisation", security(("bearer" = [])),
    request_body = NewBranch,
    responses((status = 201, description = "Created", body = Branch),
              (status = 409, description = "The code is taken", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewBranch>,
) -> Result<HttpResponse, ApiError> {
    org_unit::create::<Branches>(state, user, body.into_inner()).await
}

/// Change a branch (admin).
#[utoipa::path(operation_id = "update_branch", patch, path = "/api/v1/branches/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id")), request_body = BranchPatch,
    responses((status = 200, description = "Changed", body = Branch),
              (status = 404, description = "No such branch", body = ErrorEnvelope),
              (status = 409, description = "The code is taken", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<BranchPatch>,
) -> Result<HttpResponse, ApiError> {
    org_unit::update::<Branches>(state, user, id.into_inner(), body.into_inner()).await
}

/// Delete a branch and its teams (admin).
#[utoipa::path(operation_id = "delete_branch", delete, path = "/api/v1/branches/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such branch", body = ErrorEnvelope),
              (status = 409, description = "The branch still has visits, assignments or other records", body = ErrorEnvelope)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    org_unit::delete::<Branches>(state, user, id.into_inner()).await
}
