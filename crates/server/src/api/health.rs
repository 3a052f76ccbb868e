//! `GET /healthz` (the process is up) and `GET /readyz` (the database answers).

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::startup::AppState;

/// Health and readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// `sqlite` or `postgresql` (readiness only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/healthz")
            .route(web::get().to(healthz))
            .default_service(web::to(get_only)),
    )
    .service(
        web::resource("/readyz")
            .route(web::get().to(readyz))
            .default_service(web::to(get_only)),
    );
}

/// Any other method on the two: 405 in the error envelope.
async fn get_only() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed("GET".into()))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        database: None,
    })
}

/// The database is reachable.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "Ready", body = Health),
              (status = 503, description = "The database is unreachable", body = super::error::ErrorEnvelope)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Within a second: a bounded wait for a pooled connection (a dead server makes the pool
    // wait for new connections), and a lost connection answers 503 at once.
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool
            .get_timeout(std::time::Duration::from_millis(800))
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        sirr_store::ping(&mut conn).map_err(|e| {
            sirr_store::check_after_error(&mut conn);
            ApiError::Unavailable(e.to_string())
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok",
        database: Some(state.backend.name()),
    }))
}
