//! Templates for the bulk import, to download and fill in (admin):
//! `GET /api/v1/imports/templates/{branches|users}.xlsx?lang=ar|en`. The workbook is made by
//! [`crate::import::template`].

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ErrorEnvelope};
use crate::auth::{AuthUser, roles};
use crate::import::template::{self, Kind};

super::routes! {
    handlers: [download],
}

/// The template's language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// `en` (default) or `ar`: the instruction sheet's language and the sheets' direction.
    pub lang: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A template to fill in for `POST /api/v1/imports/{kind}` (admin): the sheet with its header
/// row, and an instruction sheet in the chosen language.
#[utoipa::path(operation_id = "import_template", get, path = "/api/v1/imports/templates/{kind}.xlsx", tag = "organisation", security(("bearer" = [])),
    params(("kind" = String, Path, description = "`branches` or `users`"), TemplateQuery),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 400, description = "Unknown language", body = ErrorEnvelope),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such template", body = ErrorEnvelope)))]
pub async fn download(
    user: AuthUser,
    kind: web::Path<String>,
    query: web::Query<TemplateQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let kind = Kind::parse(&kind).ok_or(ApiError::NotFound("template"))?;
    let lang = crate::i18n::lang_parameter(query.lang.as_deref())?;
    let bytes = web::block(move || template::xlsx(kind, lang))
        .await?
        .map_err(|e| ApiError::Internal(format!("cannot write the template: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, XLSX))
        .insert_header((
            CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"sirr-{}-{}.xlsx\"",
                kind.as_str(),
                lang.tag()
            ),
        ))
        .body(bytes))
}
