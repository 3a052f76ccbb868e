//! Branches: list and read within scope; admins create, change and delete.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorEnvelope};
use super::types::{
    Location, Names, check_code, check_location, check_names, detail, json_array, names_from_db,
    names_to_db, time,
};
use crate::audit;
use crate::auth::{AuthUser, access, roles};
use crate::startup::AppState;
use sirr_store::schema::{branches, regions, teams, user_scopes};
use sirr_store::{self as db, DbConnection, ids};

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/branches", web::get().to(list))
        .route("/branches", web::post().to(create))
        .route("/branches/{id}", web::get().to(get))
        .route("/branches/{id}", web::patch().to(update))
        .route("/branches/{id}", web::delete().to(delete));
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

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<f64>,
    Option<f64>,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
);

fn select(
    conn: &mut DbConnection,
    id: Option<&str>,
    region: Option<&str>,
) -> QueryResult<Vec<Row>> {
    let mut query = branches::table
        .inner_join(regions::table)
        .select((
            branches::id,
            branches::code,
            branches::region_id,
            regions::code,
            branches::names,
            branches::city,
            branches::lat,
            branches::lon,
            branches::created_at,
            branches::updated_at,
        ))
        .order(branches::code)
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(branches::id.eq(id.to_owned()));
    }
    if let Some(region) = region {
        query = query.filter(branches::region_id.eq(region.to_owned()));
    }
    query.load(conn)
}

fn to_branch(r: Row) -> Branch {
    Branch {
        id: r.0,
        code: r.1,
        region_id: r.2,
        region_code: r.3,
        names: names_from_db(&r.4),
        city: names_from_db(&r.5),
        location: r.6.zip(r.7).map(|(lat, lon)| Location { lat, lon }),
        created_at: time(r.8),
        updated_at: time(r.9),
    }
}

/// Every branch, for the directory.
pub(crate) fn load_all(conn: &mut DbConnection) -> QueryResult<Vec<Branch>> {
    Ok(select(conn, None, None)?
        .into_iter()
        .map(to_branch)
        .collect())
}

fn fetch(conn: &mut DbConnection, id: &str) -> Result<Branch, ApiError> {
    select(conn, Some(id), None)?
        .into_iter()
        .next()
        .map(to_branch)
        .ok_or(ApiError::NotFound("branch"))
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
    let id = id.into_inner();
    let branch = state
        .db(move |conn| {
            if !access::branches(conn, &user)?.contains(&id) {
                return Err(ApiError::NotFound("branch"));
            }
            fetch(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(branch))
}

fn region_exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    regions::table
        .find(id)
        .select(regions::id)
        .first::<String>(conn)
        .optional()
        .map(|r| r.is_some())
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
    user.require(roles::ADMINS)?;
    let new = body.into_inner();
    let mut problems = Vec::new();
    check_code("/code", &new.code, &mut problems);
    check_names("/names", &new.names, &mut problems);
    check_names("/city", &new.city, &mut problems);
    if let Some(location) = &new.location {
        check_location("/location", location, &mut problems);
    }
    let actor = user.id;
    let branch = state
        .db_write(move |conn| {
            if !region_exists(conn, &new.region_id)? {
                problems.push(detail("/region_id", crate::msg!("no-such-region")));
            }
            if !problems.is_empty() {
                return Err(ApiError::invalid(crate::msg!("branch-not-valid"), problems));
            }
            let now = db::now();
            let id = ids::new_id();
            diesel::insert_into(branches::table)
                .values((
                    branches::id.eq(&id),
                    branches::code.eq(&new.code),
                    branches::region_id.eq(&new.region_id),
                    branches::names.eq(names_to_db(&new.names)),
                    branches::city.eq(names_to_db(&new.city)),
                    branches::lat.eq(new.location.map(|l| l.lat)),
                    branches::lon.eq(new.location.map(|l| l.lon)),
                    branches::created_at.eq(now),
                    branches::updated_at.eq(now),
                ))
                .execute(conn)
                .map_err(|e| {
                    ApiError::conflict_or(e, || crate::msg!("branch-code-exists", code = &new.code))
                })?;
            let branch = fetch(conn, &id)?;
            audit::record(
                conn,
                Some(&actor),
                "create",
                "branch",
                &id,
                audit::snapshot(&branch),
            )?;
            Ok(branch)
        })
        .await?;
    Ok(HttpResponse::Created().json(branch))
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
    user.require(roles::ADMINS)?;
    let (id, patch) = (id.into_inner(), body.into_inner());
    let mut problems = Vec::new();
    if let Some(code) = &patch.code {
        check_code("/code", code, &mut problems);
    }
    if let Some(names) = &patch.names {
        check_names("/names", names, &mut problems);
    }
    if let Some(city) = &patch.city {
        check_names("/city", city, &mut problems);
    }
    if let Some(Some(location)) = &patch.location {
        check_location("/location", location, &mut problems);
    }
    let actor = user.id;
    let branch = state
        .db_write(move |conn| {
            let current = fetch(conn, &id)?;
            let before = audit::snapshot(&current);
            if let Some(region) = &patch.region_id
                && !region_exists(conn, region)?
            {
                problems.push(detail("/region_id", crate::msg!("no-such-region")));
            }
            if !problems.is_empty() {
                return Err(ApiError::invalid(
                    crate::msg!("changes-not-valid"),
                    problems,
                ));
            }
            let code = patch.code.unwrap_or(current.code);
            let location = patch.location.unwrap_or(current.location);
            diesel::update(branches::table.find(&id))
                .set((
                    branches::code.eq(&code),
                    branches::region_id.eq(patch.region_id.unwrap_or(current.region_id)),
                    branches::names.eq(names_to_db(&patch.names.unwrap_or(current.names))),
                    branches::city.eq(names_to_db(&patch.city.unwrap_or(current.city))),
                    branches::lat.eq(location.map(|l| l.lat)),
                    branches::lon.eq(location.map(|l| l.lon)),
                    branches::updated_at.eq(db::now()),
                ))
                .execute(conn)
                .map_err(|e| {
                    ApiError::conflict_or(e, || crate::msg!("branch-code-exists", code = &code))
                })?;
            let branch = fetch(conn, &id)?;
            audit::record(
                conn,
                Some(&actor),
                "update",
                "branch",
                &id,
                audit::changes(&before, &audit::snapshot(&branch)),
            )?;
            Ok(branch)
        })
        .await?;
    Ok(HttpResponse::Ok().json(branch))
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
    user.require(roles::ADMINS)?;
    let id = id.into_inner();
    let actor = user.id;
    state
        .db_write(move |conn| {
            let current = fetch(conn, &id)?;
            // Scopes that named the branch or one of its teams name nothing now.
            let mut targets: Vec<String> = teams::table
                .filter(teams::branch_id.eq(&id))
                .select(teams::id)
                .load(conn)?;
            targets.push(id.clone());
            match diesel::delete(branches::table.find(&id)).execute(conn)? {
                0 => Err(ApiError::NotFound("branch")),
                _ => {
                    diesel::delete(
                        user_scopes::table.filter(user_scopes::target_id.eq_any(&targets)),
                    )
                    .execute(conn)?;
                    let mut details = audit::snapshot(&current);
                    details["team_ids"] = serde_json::json!(&targets[..targets.len() - 1]);
                    audit::record(conn, Some(&actor), "delete", "branch", &id, details)?;
                    Ok(())
                }
            }
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
