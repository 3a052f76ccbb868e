//! `/odata/v4/`: the read-only OData v4 feed (SPEC §10.35; [`crate::odata`] holds the model
//! and paging). Signed in like the API — a bearer token, or HTTP Basic with the e-mail and a
//! personal access token, which is what Excel and Power BI send; without credentials the
//! answer is 401 with `WWW-Authenticate: Basic`, so those clients ask for them. Managers get
//! their scope, shoppers 403.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde_json::{Map, Value, json};

use super::error::ApiError;
use crate::auth::{AuthUser, access, roles};
use crate::odata::{self, MAX_PAGE, PageError};
use crate::scores;
use crate::startup::AppState;

/// Registers the routes (outside `/api/v1`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/odata/v4")
            .route("", web::get().to(service))
            .route("/", web::get().to(service))
            .route("/$metadata", web::get().to(metadata))
            .route("/{set}", web::get().to(entity_set)),
    );
}

/// The service root, as links are made from it.
fn root(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}/odata/v4", info.scheme(), info.host())
}

fn odata_json(body: &Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;odata.metadata=minimal"),
        ))
        .insert_header(("OData-Version", "4.0"))
        .body(body.to_string())
}

/// A refusal in the API's error envelope (which is OData's error shape too); 401 asks for
/// Basic credentials.
fn refuse(e: ApiError) -> HttpResponse {
    let mut response = e.error_response();
    if response.status() == actix_web::http::StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"sirr OData\", charset=\"UTF-8\""),
        );
    }
    response.headers_mut().insert(
        header::HeaderName::from_static("odata-version"),
        HeaderValue::from_static("4.0"),
    );
    response
}

#[allow(clippy::result_large_err)] // the refusal is the response itself, made once
fn signed_in(user: Result<AuthUser, ApiError>) -> Result<AuthUser, HttpResponse> {
    let user = user.map_err(refuse)?;
    user.require(roles::READERS).map_err(refuse)?;
    Ok(user)
}

/// The service document: the entity sets.
pub async fn service(req: HttpRequest, user: Result<AuthUser, ApiError>) -> HttpResponse {
    if let Err(r) = signed_in(user) {
        return r;
    }
    let root = root(&req);
    let sets: Vec<Value> = odata::SETS
        .iter()
        .map(|s| json!({"name": s.name, "kind": "EntitySet", "url": s.name}))
        .collect();
    odata_json(&json!({"@odata.context": format!("{root}/$metadata"), "value": sets}))
}

/// The CSDL document.
pub async fn metadata(user: Result<AuthUser, ApiError>) -> HttpResponse {
    if let Err(r) = signed_in(user) {
        return r;
    }
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/xml"),
        ))
        .insert_header(("OData-Version", "4.0"))
        .body(odata::metadata())
}

/// `odata.maxpagesize` of a `Prefer` header, if any.
fn preferred_page(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get_all("prefer")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.trim().strip_prefix("odata.maxpagesize="))
        .find_map(|n| n.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
}

/// One page of an entity set.
pub async fn entity_set(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Result<AuthUser, ApiError>,
    name: web::Path<String>,
) -> HttpResponse {
    let user = match signed_in(user) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match page(&state, &req, user, &name).await {
        Ok(r) => r,
        Err(e) => refuse(e),
    }
}

async fn page(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    user: AuthUser,
    name: &str,
) -> Result<HttpResponse, ApiError> {
    let set = odata::set(name).ok_or(ApiError::NotFound("entity set"))?;
    let pairs: Vec<(String, String)> =
        web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map_err(|e| {
                ApiError::bad_request(
                    "query",
                    crate::msg!("query-invalid", problem = e.to_string()),
                )
            })?
            .into_inner();
    let options = odata::options(set, &pairs).map_err(bad)?;
    let preferred = preferred_page(req);
    let size = preferred.unwrap_or(MAX_PAGE).min(MAX_PAGE);
    let page = if set.name == "BranchScores" {
        let visible = state
            .db({
                let user = user.clone();
                move |conn| Ok(access::branches(conn, &user)?)
            })
            .await?;
        let generation = state.score_generation().await?;
        let all = state
            .scores_of(&generation, &scores::Selection::All)
            .await?;
        odata::branch_scores_page(&all, &options, &visible, size).map_err(page_error)?
    } else {
        let options = options.clone();
        state
            .db(move |conn| {
                let visible = access::branches(conn, &user)?;
                odata::visits_page(conn, set, &options, &visible, size).map_err(page_error)
            })
            .await?
    };

    let root = root(req);
    let select = if options.select.is_empty() {
        String::new()
    } else {
        format!("({})", options.select.join(","))
    };
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::from(format!("{root}/$metadata#{}{select}", set.name)),
    );
    if let Some(n) = page.count {
        body.insert("@odata.count".into(), Value::from(n));
    }
    let rows: Vec<Value> = page
        .rows
        .into_iter()
        .map(|mut row| {
            if options.select.is_empty() {
                // Properties in $metadata order.
                Value::Object(
                    set.properties
                        .iter()
                        .map(|(p, ..)| (p.to_string(), row.remove(*p).unwrap_or(Value::Null)))
                        .collect(),
                )
            } else {
                Value::Object(
                    options
                        .select
                        .iter()
                        .map(|p| (p.to_string(), row.remove(*p).unwrap_or(Value::Null)))
                        .collect(),
                )
            }
        })
        .collect();
    body.insert("value".into(), Value::Array(rows));
    if let Some((token, top)) = page.next {
        let mut query: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "$skiptoken" | "$top" | "$skip"))
            .collect();
        if let Some(top) = top {
            query.push(("$top".into(), top.to_string()));
        }
        query.push(("$skiptoken".into(), token));
        let encoded: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        body.insert(
            "@odata.nextLink".into(),
            Value::from(format!("{root}/{}?{}", set.name, encoded.join("&"))),
        );
    }
    let mut response = odata_json(&Value::Object(body));
    if let Some(n) = preferred
        && let Ok(v) = HeaderValue::from_str(&format!("odata.maxpagesize={}", n.min(MAX_PAGE)))
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("preference-applied"), v);
    }
    Ok(response)
}

fn bad(b: odata::Bad) -> ApiError {
    ApiError::bad_request(
        b.option,
        crate::msg!("odata-option-invalid", problem = b.problem),
    )
}

fn page_error(e: PageError) -> ApiError {
    match e {
        PageError::Bad(b) => bad(b),
        PageError::Export(e) => e.into(),
    }
}

/// Percent-encodes a query component (unreserved characters and `$` stay).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'$' => {
                out.push(b as char);
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
