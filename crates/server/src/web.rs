//! The mobile web app (SPEC §7): the files under `crates/server/web/`, embedded in the binary
//! so that `sirr serve` needs nothing beside it, and served with an ETag (the SHA-256 of the
//! file), `Cache-Control: no-cache` (the browser revalidates every time and gets a 304 when
//! nothing changed: file names carry no hash, so nothing may be cached blindly) and gzip when
//! the browser accepts it (compressed once, on first use).
//!
//! The page is a single shell (`/`) whose modules under `/app/` render every view from the
//! JSON API; the service worker is served from `/sw.js` so that its scope is the whole site.

use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

/// One embedded file, as served.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
    gzip: Vec<u8>,
    etag: String,
}

macro_rules! assets {
    ($($path:literal => $ctype:literal),* $(,)?) => {
        &[$(($path, $ctype, include_bytes!(concat!("../web/", $path)) as &[u8])),*]
    };
}

/// Every file of the app: (path under `web/`, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = assets! {
    "index.html" => "text/html; charset=utf-8",
    "sw.js" => "text/javascript; charset=utf-8",
    "app.css" => "text/css; charset=utf-8",
    "icon.svg" => "image/svg+xml",
    "manifest.webmanifest" => "application/manifest+json",
    "js/app.js" => "text/javascript; charset=utf-8",
    "js/api.js" => "text/javascript; charset=utf-8",
    "js/i18n.js" => "text/javascript; charset=utf-8",
    "js/condition.js" => "text/javascript; charset=utf-8",
    "js/store.js" => "text/javascript; charset=utf-8",
    "js/sync.js" => "text/javascript; charset=utf-8",
    "js/offline.js" => "text/javascript; charset=utf-8",
    "js/ui.js" => "text/javascript; charset=utf-8",
    "js/checklist.js" => "text/javascript; charset=utf-8",
    "js/shopper.js" => "text/javascript; charset=utf-8",
    "js/photo.js" => "text/javascript; charset=utf-8",
    "js/manager.js" => "text/javascript; charset=utf-8",
    "js/charts.js" => "text/javascript; charset=utf-8",
    "js/qa.js" => "text/javascript; charset=utf-8",
};

/// Only what the app itself needs: no third-party origin is ever contacted.
const CSP: &str = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; \
                   script-src 'self'; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'";

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|&(path, content_type, body)| Asset {
                path,
                content_type,
                body,
                gzip: gzip(body),
                etag: format!("\"{:x}\"", Sha256::digest(body)),
            })
            .collect()
    })
}

fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail; an empty result just means "serve uncompressed".
    enc.write_all(body)
        .and_then(|()| enc.finish())
        .unwrap_or_default()
}

/// Registers `/`, `/sw.js` and `/app/{file}`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(shell))
        .route("/sw.js", web::get().to(service_worker))
        .route("/app/{file:.*}", web::get().to(file));
}

async fn shell(req: HttpRequest) -> HttpResponse {
    serve(&req, "index.html")
}

async fn service_worker(req: HttpRequest) -> HttpResponse {
    serve(&req, "sw.js")
}

async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    // The shell and the worker have their own URLs.
    if name == "index.html" || name == "sw.js" {
        return HttpResponse::NotFound().finish();
    }
    serve(&req, &name)
}

fn serve(req: &HttpRequest, path: &str) -> HttpResponse {
    let Some(asset) = assets().iter().find(|a| a.path == path) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    };
    let mut resp = if if_none_match(req, &asset.etag) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ETAG, asset.etag.clone()))
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP));
    if path == "index.html" {
        resp.insert_header((header::REFERRER_POLICY, "no-referrer"));
    }
    if if_none_match(req, &asset.etag) {
        return resp.finish();
    }
    resp.insert_header((header::CONTENT_TYPE, asset.content_type));
    if accepts_gzip(req) && !asset.gzip.is_empty() && asset.gzip.len() < asset.body.len() {
        resp.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")));
        resp.body(asset.gzip.clone())
    } else {
        resp.body(asset.body)
    }
}

fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|e| {
                let mut parts = e.split(';');
                let name = parts.next().unwrap_or("").trim();
                let q0 = parts.any(|p| p.trim().replace(' ', "") == "q=0");
                (name == "gzip" || name == "*") && !q0
            })
        })
}
