//! Access tokens (short-lived JWTs, HS256) and refresh tokens (random, stored hashed, rotated on
//! every use; a replayed refresh token revokes its whole family).

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Role, Scope};
use crate::api::error::ApiError;
use sirr_store::ids::{self, RefreshTokenId};
use sirr_store::{self as db, DbConnection};

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Role.
    pub role: Role,
    /// Scopes at the time of issue.
    pub scopes: Vec<Scope>,
    /// Issued at (seconds since 1970).
    pub iat: i64,
    /// Expires at (seconds since 1970).
    pub exp: i64,
}

/// The access-token keys and lifetime.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Access token lifetime in seconds.
    pub access_ttl: i64,
}

impl Keys {
    /// Keys from a secret.
    pub fn new(secret: &[u8], access_ttl: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
        }
    }

    /// Signs an access token for a user.
    pub fn issue(&self, sub: &str, role: Role, scopes: Vec<Scope>) -> Result<String, ApiError> {
        let iat = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: sub.to_owned(),
            role,
            scopes,
            iat,
            exp: iat + self.access_ttl,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("cannot sign a token: {e}")))
    }

    /// Checks an access token's signature and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    ApiError::Unauthorized(crate::msg!("token-expired").into())
                }
                _ => ApiError::Unauthorized(crate::msg!("token-invalid").into()),
            })
    }
}

/// The signing secret: the configured one, or the one kept in the database (created by the
/// first process to need it; the others read the same row).
pub fn signing_secret(conn: &mut DbConnection, configured: &str) -> Result<Vec<u8>, String> {
    if !configured.is_empty() {
        return Ok(configured.as_bytes().to_vec());
    }
    const KEY: &str = "jwt_signing_key";
    let fresh = ids::random_hex(32).map_err(|e| e.to_string())?;
    db::organisation::setting_or_insert(conn, KEY, &fresh)
        .map(String::into_bytes)
        .map_err(|e| e.to_string())
}

/// SHA-256 of a token, hex: what is stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a refresh token in `family` (a new family when `None`); returns the token.
pub fn create_refresh(
    conn: &mut DbConnection,
    user_id: &str,
    family: Option<&str>,
    ttl_s: i64,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let token = ids::random_hex(32).map_err(|e| ApiError::Internal(e.to_string()))?;
    let family = family.map_or_else(ids::new_id, str::to_owned);
    db::refresh_tokens::insert(
        conn,
        &db::refresh_tokens::RefreshTokenRow {
            id: RefreshTokenId::generate(),
            user_id: user_id.into(),
            family_id: family,
            token_hash: token_hash(&token),
            expires_at: now + Duration::seconds(ttl_s),
            used_at: None,
            revoked_at: None,
            created_at: now,
        },
    )?;
    Ok(token)
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Unknown, expired or revoked.
    Invalid,
    /// Already used: a replay, so the family was revoked.
    Replayed,
}

/// Uses a refresh token: marks it used and returns (user id, family). A token used twice
/// revokes its whole family (the thief's and the owner's sessions end; the owner signs in again).
pub fn consume_refresh(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<Result<(String, String), Refused>, diesel::result::Error> {
    let Some(row) = sirr_store::refresh_tokens::by_hash(conn, &token_hash(token))? else {
        return Ok(Err(Refused::Invalid));
    };
    let sirr_store::refresh_tokens::RefreshTokenRow {
        id,
        user_id,
        family_id: family,
        expires_at,
        used_at,
        revoked_at,
        ..
    } = row;
    if revoked_at.is_some() || expires_at <= now {
        return Ok(Err(Refused::Invalid));
    }
    if used_at.is_some() {
        revoke_family(conn, &family, now)?;
        return Ok(Err(Refused::Replayed));
    }
    // Only one of two concurrent uses can win this update; the loser is a replay.
    if !db::refresh_tokens::mark_used(conn, &id, now)? {
        revoke_family(conn, &family, now)?;
        return Ok(Err(Refused::Replayed));
    }
    Ok(Ok((user_id.into(), family)))
}

/// Revokes every token of a family.
pub fn revoke_family(
    conn: &mut DbConnection,
    family: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    db::refresh_tokens::revoke_family(conn, family, now)
}

/// The family of a refresh token, if it exists.
pub fn family_of(conn: &mut DbConnection, token: &str) -> QueryResult<Option<String>> {
    db::refresh_tokens::family_of_hash(conn, &token_hash(token))
}
