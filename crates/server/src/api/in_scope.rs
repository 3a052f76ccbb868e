//! The one record an endpoint is about, found within the caller's reach: a branch or team that
//! does not exist and one outside the caller's scopes are the same 404, so the answer never
//! reveals that a record exists. Shared by the score and report endpoints; the rule itself is
//! [`crate::auth::access`]'s.

use sirr_store as db;

use super::error::ApiError;
use crate::auth::{AuthUser, access};
use crate::startup::AppState;

/// The code and region id of a branch the user may see (404 otherwise).
pub async fn branch(
    state: &AppState,
    user: AuthUser,
    id: &str,
) -> Result<(String, String), ApiError> {
    let id = id.to_owned();
    state
        .db(move |conn| {
            if !access::branches(conn, &user)?.contains(&id) {
                return Err(ApiError::NotFound("branch"));
            }
            let branch = db::branches::find(conn, &id.as_str().into())?
                .ok_or(ApiError::NotFound("branch"))?;
            Ok((branch.code, branch.region_id.into()))
        })
        .await
}

/// The key (`BRANCH/team`) and branch id of a team the user may see (404 otherwise).
pub async fn team(
    state: &AppState,
    user: AuthUser,
    id: &str,
) -> Result<(String, String), ApiError> {
    let id = id.to_owned();
    state
        .db(move |conn| {
            if !access::teams(conn, &user)?.contains(&id) {
                return Err(ApiError::NotFound("team"));
            }
            let (team, branch_code) =
                db::teams::with_branch_codes(conn, Some(&id.as_str().into()), None)?
                    .pop()
                    .ok_or(ApiError::NotFound("team"))?;
            Ok((
                format!("{branch_code}/{}", team.code),
                team.branch_id.into(),
            ))
        })
        .await
}
