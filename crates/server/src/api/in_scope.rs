//! The one record an endpoint is about, found within the caller's reach: a branch or team that
//! does not exist and one outside the caller's scopes are the same 404, so the answer never
//! reveals that a record exists. Shared by the score and report endpoints; the rule itself is
//! [`crate::auth::access`]'s.

use diesel::prelude::*;

use super::error::ApiError;
use crate::auth::{AuthUser, access};
use crate::startup::AppState;
use sirr_store::schema::{branches, teams};

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
            branches::table
                .find(&id)
                .select((branches::code, branches::region_id))
                .first(conn)
                .optional()?
                .ok_or(ApiError::NotFound("branch"))
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
            let (code, branch_id, branch_code): (String, String, String) = teams::table
                .inner_join(branches::table)
                .filter(teams::id.eq(&id))
                .select((teams::code, teams::branch_id, branches::code))
                .first(conn)
                .optional()?
                .ok_or(ApiError::NotFound("team"))?;
            Ok((format!("{branch_code}/{code}"), branch_id))
        })
        .await
}
