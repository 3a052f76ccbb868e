//! Users and role assignment (admin only): list, create, read, change role, scopes and status,
//! and set passwords. Every change that narrows what a user may do (deactivation, a new role or
//! new scopes, a new password) revokes the user's refresh tokens, so it takes effect at the next
//! refresh at the latest. Password hashes never leave the server.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use serde_json::json;

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::{detail, time};
use crate::audit;
use crate::auth::account::{
    MAX_EMAIL, MAX_NAME, looks_like_email, replace_scopes, revoke_sessions,
};
use crate::auth::links::{self, Purpose};
use crate::auth::{AuthUser, Role, Scope, ScopeKind, access, password, roles};
use crate::startup::AppState;
use sirr_store::users::UserRow;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, get, update, set_password, resend_invitation],
    schemas: [User, CreatedUser, NewUser, UserPatch, PasswordRequest, GeneratedPassword, InvitationSent, Role, Scope, ScopeKind],
}

/// A user. The password hash is never part of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    /// Id.
    pub id: String,
    /// Email address (lower case); the sign-in name.
    pub email: String,
    /// Display name.
    pub name: String,
    /// The one role.
    pub role: Role,
    /// Whether the user may sign in.
    pub active: bool,
    /// Invited by e-mail and no password set yet (the invitation's link is unused): the user
    /// cannot sign in until they follow it. `POST /users/{id}/invitation` sends a new one.
    pub invitation_pending: bool,
    /// Regions, branches or teams a manager is limited to (empty for other roles), sorted.
    pub scopes: Vec<Scope>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// A created user; `password` is present once, when the server generated it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// The generated password, shown only in this response (absent when one was given, and
    /// when the user was invited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Present and true when an invitation letter is on its way (`"invite": true`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub invited: bool,
    /// Until when the invitation's link works, RFC 3339 UTC (with `invited`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_expires_at: Option<String>,
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Email address; stored in lower case, unique.
    pub email: String,
    /// Display name, any script (`سارة القحطاني`).
    pub name: String,
    /// The role.
    pub role: Role,
    /// Password (at least 10 characters); when absent one is generated and returned once —
    /// unless `invite` is true.
    pub password: Option<String>,
    /// Scopes; only managers have them.
    #[serde(default)]
    pub scopes: Vec<Scope>,
    /// Invite by e-mail instead (needs `[smtp]`; without a `password`): the user gets a letter,
    /// in English and Arabic, whose link sets their password once within
    /// `auth.invitation_ttl_s`.
    #[serde(default)]
    pub invite: bool,
}

/// Changes to a user; absent fields stay. `scopes` replaces all scopes. A new role, new scopes
/// or deactivation ends the user's sessions at their next refresh.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// New email address, the sign-in name (stored in lower case; 409 when another account
    /// has it). Sessions stay; the user signs in with the new address from now on. The links of
    /// letters sent to the old address stop working (a pending invitation can be sent again).
    pub email: Option<String>,
    /// New display name.
    pub name: Option<String>,
    /// New role (leaving `manager` drops the scopes).
    pub role: Option<Role>,
    /// Enable or disable sign-in.
    pub active: Option<bool>,
    /// New scopes, replacing all (managers only).
    pub scopes: Option<Vec<Scope>>,
}

/// A new password; when absent one is generated and returned once.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    /// The new password (at least 10 characters).
    pub password: Option<String>,
}

/// A password the server generated, shown only in this response.
#[derive(Debug, Serialize, ToSchema)]
pub struct GeneratedPassword {
    /// The password.
    pub password: String,
}

/// Filters for the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Only users with this role.
    pub role: Option<Role>,
}

fn to_user(row: UserRow, scopes: Vec<Scope>, invitation_pending: bool) -> User {
    User {
        id: row.id.into(),
        email: row.email,
        name: row.name,
        role: row.role,
        active: row.active,
        invitation_pending,
        scopes,
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
    }
}

fn fetch(conn: &mut DbConnection, id: &str) -> Result<User, ApiError> {
    let row = db::users::find(conn, &id.into())?.ok_or(ApiError::NotFound("user"))?;
    let scopes = access::scopes_of(conn, id)?;
    let pending = links::pending_invitations(conn, Some(id))?.contains(id);
    Ok(to_user(row, scopes, pending))
}

/// What the audit log keeps of a user: the record without derived state (whether an
/// invitation is pending follows from the links, which have their own entries).
fn audited(user: &User) -> serde_json::Value {
    let mut value = audit::snapshot(user);
    if let Some(map) = value.as_object_mut() {
        map.remove("invitation_pending");
    }
    value
}

fn check_email(email: &str, problems: &mut Vec<Detail>) {
    if email.chars().count() > MAX_EMAIL {
        problems.push(detail(
            "/email",
            crate::msg!("field-too-long", max = MAX_EMAIL),
        ));
    } else if !looks_like_email(email) {
        problems.push(detail("/email", crate::msg!("email-invalid")));
    }
}

fn check_name(name: &str, problems: &mut Vec<Detail>) {
    if name.is_empty() {
        problems.push(detail("/name", crate::msg!("field-required")));
    } else if name.chars().count() > MAX_NAME {
        problems.push(detail(
            "/name",
            crate::msg!("field-too-long", max = MAX_NAME),
        ));
    } else if name.chars().any(char::is_control) {
        problems.push(detail("/name", crate::msg!("field-control-characters")));
    }
}

fn check_password(password: &str, problems: &mut Vec<Detail>) {
    if let Some(problem) = password::policy_problem(password) {
        problems.push(detail("/password", problem));
    }
}

/// Scopes are for managers only.
fn check_scope_role(role: Role, scopes: &[Scope], problems: &mut Vec<Detail>) {
    if role != Role::Manager && !scopes.is_empty() {
        problems.push(detail(
            "/scopes",
            crate::msg!("scopes-managers-only", role = role.as_str()),
        ));
    }
}

/// Each scope must name an existing region, branch or team.
fn check_scope_targets(
    conn: &mut DbConnection,
    scopes: &[Scope],
    problems: &mut Vec<Detail>,
) -> QueryResult<()> {
    for (i, scope) in scopes.iter().enumerate() {
        let id = scope.id.as_str();
        let found = match scope.kind {
            ScopeKind::Region => db::regions::exists(conn, &id.into())?,
            ScopeKind::Branch => db::branches::exists(conn, &id.into())?,
            ScopeKind::Team => db::teams::exists(conn, &id.into())?,
        };
        if !found {
            problems.push(detail(
                &format!("/scopes/{i}/id"),
                crate::msg!("no-such-scope", kind = scope.kind.as_str()),
            ));
        }
    }
    Ok(())
}

/// Sorted and without repeats (the stored order of [`access::scopes_of`]).
fn normalised(mut scopes: Vec<Scope>) -> Vec<Scope> {
    scopes.sort();
    scopes.dedup();
    scopes
}

/// Hashes on the blocking pool, off the request threads (argon2 takes milliseconds).
async fn hash(password: String) -> Result<String, ApiError> {
    web::block(move || password::hash(&password))
        .await?
        .map_err(ApiError::Internal)
}

fn email_taken(email: &str) -> ApiError {
    ApiError::Conflict(crate::msg!("conflict-email-taken", email = email).into())
}

/// Every user, by email (admin).
#[utoipa::path(operation_id = "list_users", get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(UserQuery),
    responses((status = 200, description = "Users by email", body = [User]),
              (status = 403, description = "Not an admin", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<UserQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let role = query.into_inner().role;
    let users = state
        .db(move |conn| {
            let rows = db::users::all(conn, role)?;
            let pending = links::pending_invitations(conn, None)?;
            let mut scopes: BTreeMap<String, Vec<Scope>> = BTreeMap::new();
            for row in db::user_scopes::all(conn, role)? {
                scopes.entry(row.user_id.into()).or_default().push(Scope {
                    kind: row.kind,
                    id: row.target_id,
                });
            }
            let users: Vec<User> = rows
                .into_iter()
                .map(|row| {
                    let own = normalised(scopes.remove(row.id.as_str()).unwrap_or_default());
                    let invited = pending.contains(row.id.as_str());
                    to_user(row, own, invited)
                })
                .collect();
            Ok(users)
        })
        .await?;
    Ok(HttpResponse::Ok().json(users))
}

/// One user (admin).
#[utoipa::path(operation_id = "get_user", get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such user", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let id = id.into_inner();
    let found = state.db(move |conn| fetch(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Create a user (admin). Without `password`, one is generated and returned once in the
/// response.
#[utoipa::path(operation_id = "create_user", post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = NewUser,
    responses((status = 201, description = "Created; `password` when generated, `invited` when invited by e-mail", body = CreatedUser),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 409, description = "The email is taken", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope),
              (status = 503, description = "`invite` without `[smtp]` (`not_configured`)", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let new = body.into_inner();
    let mailer = match (new.invite, state.mailer.clone()) {
        (true, None) => {
            return Err(ApiError::NotConfigured(
                crate::msg!("invite-needs-mail").into(),
            ));
        }
        (true, mailer) => mailer,
        (false, _) => None,
    };
    let email = new.email.trim().to_lowercase();
    let name = new.name.trim().to_owned();
    let mut problems = Vec::new();
    check_email(&email, &mut problems);
    check_name(&name, &mut problems);
    if let Some(given) = &new.password {
        check_password(given, &mut problems);
    }
    check_scope_role(new.role, &new.scopes, &mut problems);
    if new.invite && new.password.is_some() {
        problems.push(detail("/invite", crate::msg!("invite-with-password")));
    }
    // An invited user's password is a random token nobody holds until the link sets one.
    let invitation = if new.invite {
        Some(links::new_token().map_err(ApiError::Internal)?)
    } else {
        None
    };
    let (secret, generated) = match (new.password, &invitation) {
        (Some(given), _) => (given, false),
        (None, Some(_)) => (links::new_token().map_err(ApiError::Internal)?, false),
        (None, None) => (password::generate().map_err(ApiError::Internal)?, true),
    };
    let invitation_ttl = crate::config::span(state.settings.auth.invitation_ttl_s);
    let invitation_c = invitation.clone();
    // Hash only what may be stored; the database checks below still report their problems.
    let hashed = if problems.is_empty() {
        Some(hash(secret.clone()).await?)
    } else {
        None
    };
    let (role, scopes) = (new.role, new.scopes);
    let actor = user.id;
    let created = state
        .db_write(move |conn| {
            if role == Role::Manager {
                check_scope_targets(conn, &scopes, &mut problems)?;
            }
            let Some(hashed) = hashed.filter(|_| problems.is_empty()) else {
                return Err(ApiError::invalid(crate::msg!("user-not-valid"), problems));
            };
            if db::users::email_taken(conn, &email, None)? {
                return Err(email_taken(&email));
            }
            let now = db::now();
            let new = db::users::NewUser {
                email: &email,
                name: &name,
                role,
                password_hash: &hashed,
            };
            let id = db::users::insert(conn, &new, now).map_err(|e| {
                ApiError::conflict_or(e, || crate::msg!("conflict-email-taken", email = &email))
            })?;
            replace_scopes(conn, &id, &normalised(scopes))?;
            if let Some(token) = &invitation_c {
                links::issue(conn, &id, token, Purpose::Invitation, invitation_ttl, now)?;
            }
            let created = fetch(conn, &id)?;
            let mut details = audited(&created);
            // That a password was set and how, never the password or its hash.
            details["password"] = json!(if invitation_c.is_some() {
                "invited"
            } else if generated {
                "generated"
            } else {
                "given"
            });
            audit::record(conn, Some(&actor), "create", "user", &id, details)?;
            Ok((created, now + invitation_ttl))
        })
        .await?;
    let (created, until) = created;
    if let (Some(token), Some(mailer)) = (&invitation, mailer) {
        send_invitation(
            mailer,
            &state.public_url,
            created.email.clone(),
            token,
            until,
        );
    }
    Ok(HttpResponse::Created().json(CreatedUser {
        user: created,
        password: generated.then_some(secret),
        invited: invitation.is_some(),
        invitation_expires_at: invitation.is_some().then(|| time(until)),
    }))
}

/// Change a user's email, name, role, scopes or status (admin). `scopes` replaces all. A new role, new
/// scopes or deactivation revoke the user's refresh tokens. Admins may not deactivate or demote
/// themselves, and the last active admin stays.
#[utoipa::path(operation_id = "update_user", patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")), request_body = UserPatch,
    responses((status = 200, description = "Changed", body = User),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such user", body = ErrorEnvelope),
              (status = 409, description = "Would deactivate or demote yourself or the last active admin", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let (id, patch) = (id.into_inner(), body.into_inner());
    let name = patch.name.map(|n| n.trim().to_owned());
    let email = patch.email.map(|e| e.trim().to_lowercase());
    let mut problems = Vec::new();
    if let Some(email) = &email {
        check_email(email, &mut problems);
    }
    if let Some(name) = &name {
        check_name(name, &mut problems);
    }
    let actor = user.id;
    let changed = state
        .db_write(move |conn| {
            // One account's changes and its letters in turn (on PostgreSQL too): a resent
            // invitation never slips between a new address and the expiry of the old links.
            links::lock_account(conn, &id)?;
            let current = fetch(conn, &id)?;
            let role = patch.role.unwrap_or(current.role);
            let active = patch.active.unwrap_or(current.active);
            if let Some(scopes) = &patch.scopes {
                check_scope_role(role, scopes, &mut problems);
                if role == Role::Manager {
                    check_scope_targets(conn, scopes, &mut problems)?;
                }
            }
            if !problems.is_empty() {
                return Err(ApiError::invalid(
                    crate::msg!("changes-not-valid"),
                    problems,
                ));
            }
            let scopes = match patch.scopes {
                Some(scopes) => normalised(scopes),
                None if role == Role::Manager => current.scopes.clone(),
                None => Vec::new(),
            };
            let loses_admin =
                current.role == Role::Admin && current.active && (role != Role::Admin || !active);
            if loses_admin && actor == id {
                return Err(ApiError::Conflict(crate::msg!("conflict-own-admin").into()));
            }
            if loses_admin && db::users::other_active_admins(conn, &id.as_str().into())? == 0 {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-last-admin").into(),
                ));
            }
            let email = email.unwrap_or_else(|| current.email.clone());
            if email != current.email
                && db::users::email_taken(conn, &email, Some(&id.as_str().into()))?
            {
                return Err(email_taken(&email));
            }
            let patch = db::users::UserPatch {
                email: &email,
                name: name.as_deref().unwrap_or(&current.name),
                role,
                active,
                updated_at: db::now(),
            };
            db::users::update(conn, &id.as_str().into(), &patch).map_err(|e| {
                ApiError::conflict_or(e, || crate::msg!("conflict-email-taken", email = &email))
            })?;
            // Letters already sent went to the old address, perhaps someone else's: their
            // links stop working (an invitation stays pending, to be sent again).
            let links_expired = if email != current.email {
                links::expire_open(conn, &id, db::now())?
            } else {
                0
            };
            let scopes_changed = scopes != current.scopes;
            if scopes_changed {
                replace_scopes(conn, &id, &scopes)?;
            }
            let deactivated = current.active && !active;
            let revoked = deactivated || role != current.role || scopes_changed;
            if revoked {
                revoke_sessions(conn, &id)?;
            }
            let changed = fetch(conn, &id)?;
            let mut details = audit::changes(&audited(&current), &audited(&changed));
            if revoked {
                details["sessions_revoked"] = json!(true);
            }
            if links_expired > 0 {
                details["links_expired"] = json!(links_expired);
            }
            audit::record(conn, Some(&actor), "update", "user", &id, details)?;
            Ok(changed)
        })
        .await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Set a user's password (admin); without `password`, one is generated and returned once. The
/// user's refresh tokens are revoked.
#[utoipa::path(operation_id = "set_user_password", post, path = "/api/v1/users/{id}/password", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")), request_body = PasswordRequest,
    responses((status = 200, description = "Set to a generated password, shown once", body = GeneratedPassword),
              (status = 204, description = "Set to the given password"),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such user", body = ErrorEnvelope),
              (status = 422, description = "The password is too weak", body = ErrorEnvelope)))]
pub async fn set_password(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<PasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let id = id.into_inner();
    let (secret, generated) = match body.into_inner().password {
        Some(given) => {
            let mut problems = Vec::new();
            check_password(&given, &mut problems);
            if !problems.is_empty() {
                return Err(ApiError::invalid(
                    crate::msg!("password-not-valid"),
                    problems,
                ));
            }
            (given, false)
        }
        None => (password::generate().map_err(ApiError::Internal)?, true),
    };
    let hashed = hash(secret.clone()).await?;
    let actor = user.id;
    state
        .db_write(move |conn| {
            if !db::users::set_password_hash(conn, &id.as_str().into(), &hashed, db::now())? {
                return Err(ApiError::NotFound("user"));
            }
            revoke_sessions(conn, &id)?;
            // An open reset or invitation link would undo what the admin set.
            links::close_open(conn, &id, db::now())?;
            // That it was set and how, never the password or its hash.
            audit::record(
                conn,
                Some(&actor),
                "set_password",
                "user",
                &id,
                json!({"password": if generated { "generated" } else { "given" },
                           "sessions_revoked": true}),
            )?;
            Ok(())
        })
        .await?;
    Ok(if generated {
        HttpResponse::Ok().json(GeneratedPassword { password: secret })
    } else {
        HttpResponse::NoContent().finish()
    })
}

/// Sends the invitation letter of `token` to `to` after the answer, like a reset letter; a
/// letter that does not arrive is mended by sending it again (or with "Forgot your password?").
fn send_invitation(
    mailer: crate::events::mail::Mailer,
    public_url: &str,
    to: String,
    token: &str,
    until: chrono::NaiveDateTime,
) {
    let url = links::url(public_url, token);
    let (subject, text) =
        crate::events::mail::password_letter(Purpose::Invitation, None, &to, &url, until);
    actix_web::rt::spawn(async move {
        match web::block(move || mailer.send(&to, &subject, &text)).await {
            Ok(Ok(())) => tracing::info!("invitation letter sent"),
            Ok(Err(e)) => tracing::warn!(error = %e, "invitation letter not sent"),
            Err(e) => tracing::warn!(error = %e, "invitation letter not sent"),
        }
    });
}

/// An invitation sent again.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationSent {
    /// Where the letter goes.
    pub email: String,
    /// Until when its link works, RFC 3339 UTC.
    pub expires_at: String,
}

/// Send a user's invitation again (admin): for an active user who was invited and has not set
/// a password yet. The earlier letters' links stop working; the new one works for
/// `auth.invitation_ttl_s`. Audited as `invite` with `"again": true`.
#[utoipa::path(operation_id = "resend_invitation", post, path = "/api/v1/users/{id}/invitation", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    responses((status = 202, description = "A new letter is on its way", body = InvitationSent),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such user", body = ErrorEnvelope),
              (status = 409, description = "The user is deactivated, or has no pending invitation (a password is set)", body = ErrorEnvelope),
              (status = 503, description = "No `[smtp]` (`not_configured`)", body = ErrorEnvelope)))]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let id = id.into_inner();
    let Some(mailer) = state.mailer.clone() else {
        return Err(ApiError::NotConfigured(
            crate::msg!("invite-needs-mail").into(),
        ));
    };
    let token = links::new_token().map_err(ApiError::Internal)?;
    let ttl = crate::config::span(state.settings.auth.invitation_ttl_s);
    let actor = user.id;
    let token_c = token.clone();
    let (email, until) = state
        .db_write(move |conn| {
            links::lock_account(conn, &id)?;
            let current = fetch(conn, &id)?;
            if !current.active {
                return Err(ApiError::Conflict(
                    crate::msg!("invitation-inactive").into(),
                ));
            }
            if !current.invitation_pending {
                return Err(ApiError::Conflict(
                    crate::msg!("invitation-not-pending").into(),
                ));
            }
            let now = db::now();
            links::reissue_invitation(conn, &id, &token_c, ttl, now)?;
            audit::record(
                conn,
                Some(&actor),
                "invite",
                "user",
                &id,
                json!({"again": true}),
            )?;
            Ok((current.email, now + ttl))
        })
        .await?;
    send_invitation(mailer, &state.public_url, email.clone(), &token, until);
    Ok(HttpResponse::Accepted().json(InvitationSent {
        email,
        expires_at: time(until),
    }))
}
