//! Teams: list and read within scope; admins create, change and delete.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::org_unit::{self, Unit};
use super::types::{
    Names, check_code, check_names, detail, json_array, names_from_db, names_to_db, time,
};
use crate::auth::{AuthUser, access};
use crate::i18n::Msg;
use crate::startup::AppState;
use serde_json::Value;
use sirr_store::ids::{BranchId, TeamId};
use sirr_store::teams::TeamRow;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, get, update, delete],
    schemas: [Team, NewTeam, TeamPatch],
}

/// A team within a branch.
#[derive(Debug, Serialize, ToSchema)]
pub struct Team {
    /// Id.
    pub id: String,
    /// Branch id.
    pub branch_id: String,
    /// Branch code (`RUH-017`).
    pub branch_code: String,
    /// Code, unique within the branch (`tellers`).
    pub code: String,
    /// The team key of scores and reports: branch code, `/`, team code (`RUH-017/tellers`).
    pub key: String,
    /// Name per language.
    pub names: Names,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// A new team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    /// Branch id.
    pub branch_id: String,
    /// Code (`tellers`): letters, digits, `.`, `_`, `-`; unique within the branch.
    pub code: String,
    /// Name per language, for example `{"en": "Tellers", "ar": "الصرافون"}`.
    pub names: Names,
}

/// Changes to a team; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    /// New code.
    pub code: Option<String>,
    /// New names (replacing all).
    pub names: Option<Names>,
}

/// Filters for the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TeamQuery {
    /// Only teams of this branch.
    pub branch_id: Option<String>,
}

fn select(
    conn: &mut DbConnection,
    id: Option<&str>,
    branch: Option<&str>,
) -> QueryResult<Vec<Team>> {
    let (id, branch) = (id.map(TeamId::from), branch.map(BranchId::from));
    Ok(
        db::teams::with_branch_codes(conn, id.as_ref(), branch.as_ref())?
            .into_iter()
            .map(to_team)
            .collect(),
    )
}

fn to_team((row, branch_code): (TeamRow, String)) -> Team {
    Team {
        key: format!("{branch_code}/{}", row.code),
        id: row.id.into(),
        branch_id: row.branch_id.into(),
        branch_code,
        code: row.code,
        names: names_from_db(&row.names),
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
    }
}

/// Every team, for the directory.
pub(crate) fn load_all(conn: &mut DbConnection) -> QueryResult<Vec<Team>> {
    select(conn, None, None)
}

/// Teams the caller may see, by branch code and then team code.
#[utoipa::path(operation_id = "list_teams", get, path = "/api/v1/teams", tag = "organisation", security(("bearer" = [])),
    params(TeamQuery),
    responses((status = 200, description = "Visible teams", body = [Team])))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<TeamQuery>,
) -> Result<HttpResponse, ApiError> {
    let branch = query.into_inner().branch_id;
    let directory = state.directory().await?;
    Ok(json_array(directory.teams_json(&user, branch.as_deref())))
}

/// The team as an organisational unit (see [`org_unit`]).
pub enum Teams {}

impl Unit for Teams {
    type Resource = Team;
    type New = NewTeam;
    type Patch = TeamPatch;
    const KIND: &'static str = "team";
    const PATCH_REFERS: bool = false;

    fn not_valid() -> Msg {
        crate::msg!("team-not-valid")
    }

    fn check_new(new: &NewTeam, problems: &mut Vec<Detail>) {
        check_code("/code", &new.code, problems);
        check_names("/names", &new.names, problems);
    }

    fn check_patch(patch: &TeamPatch, problems: &mut Vec<Detail>) {
        if let Some(code) = &patch.code {
            check_code("/code", code, problems);
        }
        if let Some(names) = &patch.names {
            check_names("/names", names, problems);
        }
    }

    fn check_new_references(
        conn: &mut DbConnection,
        new: &NewTeam,
        problems: &mut Vec<Detail>,
    ) -> QueryResult<()> {
        if !branch_exists(conn, &new.branch_id)? {
            problems.push(detail("/branch_id", crate::msg!("no-such-branch")));
        }
        Ok(())
    }

    fn check_patch_references(
        _: &mut DbConnection,
        _: &TeamPatch,
        _: &mut Vec<Detail>,
    ) -> QueryResult<()> {
        Ok(())
    }

    fn insert(conn: &mut DbConnection, new: NewTeam) -> Result<String, ApiError> {
        let row = db::teams::insert(
            conn,
            &new.branch_id.as_str().into(),
            &new.code,
            &new.names,
            db::now(),
        )
        .map_err(|e| {
            ApiError::conflict_or(e, || crate::msg!("team-code-exists", code = &new.code))
        })?;
        Ok(row.id.into())
    }

    fn read(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Team>> {
        Ok(select(conn, Some(id), None)?.into_iter().next())
    }

    fn apply(conn: &mut DbConnection, id: &str, patch: TeamPatch) -> Result<(), ApiError> {
        let (row, _) = db::teams::with_branch_codes(conn, Some(&id.into()), None)?
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound("team"))?;
        let changed = TeamRow {
            code: patch.code.unwrap_or(row.code),
            names: patch.names.map_or(row.names, |n| names_to_db(&n)),
            updated_at: db::now(),
            ..row
        };
        db::teams::update(conn, &changed).map_err(|e| {
            ApiError::conflict_or(e, || crate::msg!("team-code-exists", code = &changed.code))
        })?;
        Ok(())
    }

    fn remove(
        conn: &mut DbConnection,
        id: &str,
    ) -> Result<Option<(&'static str, Value)>, ApiError> {
        match db::teams::delete(conn, &id.into())? {
            0 => Err(ApiError::NotFound("team")),
            _ => Ok(None),
        }
    }

    fn in_reach(conn: &mut DbConnection, user: &AuthUser, id: &str) -> QueryResult<bool> {
        Ok(access::teams(conn, user)?.contains(id))
    }
}

fn branch_exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    db::branches::exists(conn, &id.into())
}

/// One team (404 when it does not exist or is out of scope).
#[utoipa::path(operation_id = "get_team", get, path = "/api/v1/teams/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Team id")),
    responses((status = 200, description = "The team", body = Team),
              (status = 404, description = "No such team in scope", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    org_unit::get::<Teams>(state, user, id.into_inner()).await
}

/// Create a team in a branch (admin).
#[utoipa::path(operation_id = "create_team", post, path = "/api/v1/teams", tag = "organisation", security(("bearer" = [])),
    request_body = NewTeam,
    responses((status = 201, description = "Created", body = Team),
              (status = 409, description = "The branch already has a team with this code", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewTeam>,
) -> Result<HttpResponse, ApiError> {
    org_unit::create::<Teams>(state, user, body.into_inner()).await
}

/// Change a team's code or names (admin).
#[utoipa::path(operation_id = "update_team", patch, path = "/api/v1/teams/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Team id")), request_body = TeamPatch,
    responses((status = 200, description = "Changed", body = Team),
              (status = 404, description = "No such team", body = ErrorEnvelope),
              (status = 409, description = "The branch already has a team with this code", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TeamPatch>,
) -> Result<HttpResponse, ApiError> {
    org_unit::update::<Teams>(state, user, id.into_inner(), body.into_inner()).await
}

/// Delete a team (admin).
#[utoipa::path(operation_id = "delete_team", delete, path = "/api/v1/teams/{id}", tag = "organisation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Team id")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such team", body = ErrorEnvelope),
              (status = 409, description = "The team still has visits, assignments or other records", body = ErrorEnvelope)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    org_unit::delete::<Teams>(state, user, id.into_inner()).await
}
