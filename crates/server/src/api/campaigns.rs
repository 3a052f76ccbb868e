//! Campaigns.

use actix_web::web;
use utoipa::OpenApi;

/// Registers the routes.
pub fn configure(_cfg: &mut web::ServiceConfig) {}

/// This module's part of the OpenAPI document (merged in `openapi.rs`).
#[derive(OpenApi)]
#[openapi()]
pub struct Doc;
