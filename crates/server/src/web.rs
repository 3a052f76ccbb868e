//! The mobile web app (SPEC §7): the files under `crates/server/web/`, embedded in the binary
//! so that `sirr serve` needs nothing beside it, and served with an ETag (the SHA-256 of the
//! file), `Cache-Control: no-cache` (the browser revalidates every time and gets a 304 when
//! nothing changed: file names carry no hash, so nothing may be cached blindly) and gzip when
//! the browser accepts it (compressed once, on first use).
//!
//! The page is a single shell (`/`) whose script, `/app/bundle.js`, renders every view from the
//! JSON API; the service worker is served from `/sw.js` so that its scope is the whole site. The
//! script is the modules under `web/js/` joined into one at first use (`web/bundle.rs`): the sources
//! stay small modules, the phone makes one request.

mod bundle;

use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

/// One embedded file, as served.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: Bytes,
    gzip: Bytes,
    etag: String,
}

macro_rules! assets {
    ($($path:literal => $ctype:literal),* $(,)?) => {
        &[$(($path, $ctype, include_bytes!(concat!("../web/", $path)) as &[u8])),*]
    };
}

/// The files served as they are: (path under `web/`, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = assets! {
    "index.html" => "text/html; charset=utf-8",
    "sw.js" => "text/javascript; charset=utf-8",
    "app.css" => "text/css; charset=utf-8",
    "icon.svg" => "image/svg+xml",
    "manifest.webmanifest" => "application/manifest+json",
};

macro_rules! modules {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../web/", $path)))),*]
    };
}

/// The app's modules, served joined as `bundle.js`: (path under `web/`, source).
const MODULES: &[(&str, &str)] = modules![
    "js/app.js",
    "js/api.js",
    "js/i18n.js",
    "js/condition.js",
    "js/store.js",
    "js/sync.js",
    "js/offline.js",
    "js/ui.js",
    "js/checklist.js",
    "js/shopper.js",
    "js/photo.js",
    "js/manager.js",
    "js/charts.js",
    "js/qa.js",
    "js/editor.js",
    "js/campaigns.js",
    "js/admin.js",
    "js/dataout.js",
];

/// The modules joined, starting from `js/app.js`.
fn joined_modules() -> Result<String, bundle::BundleError> {
    bundle::bundle(MODULES, "js/app.js")
}

/// Only what the app itself needs: no third-party origin is ever contacted. The one inline
/// script (index.html's early request) is allowed by its hash, nothing else inline.
fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        let hashes: String = inline_scripts(INDEX)
            .map(|script| {
                use base64::Engine as _;
                let digest = Sha256::digest(script.as_bytes());
                format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
            })
            .collect();
        format!(
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; \
             script-src 'self'{hashes}; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'"
        )
    })
}

const INDEX: &str = include_str!("../web/index.html");

/// The text of every `<script>` without a `src` (what the browser hashes for the CSP).
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</script>").map(|(script, _)| script))
}

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        // The modules are embedded at build time and a test bundles them: failing here is a
        // build that no test ran.
        let script = joined_modules().unwrap_or_else(|e| panic!("the web app's modules: {e}"));
        FILES
            .iter()
            .map(|&(path, content_type, body)| (path, content_type, Bytes::from_static(body)))
            .chain([(
                "bundle.js",
                "text/javascript; charset=utf-8",
                Bytes::from(script),
            )])
            .map(|(path, content_type, body)| Asset {
                path,
                content_type,
                gzip: Bytes::from(gzip(&body)),
                etag: format!("\"{:x}\"", Sha256::digest(&body)),
                body,
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
        .insert_header((header::CONTENT_SECURITY_POLICY, csp()));
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
        resp.body(asset.body.clone())
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_early_request_asks_for_the_list_the_app_takes() {
        let offline = super::MODULES
            .iter()
            .find(|(p, _)| *p == "js/offline.js")
            .unwrap()
            .1;
        let path = offline
            .split("export const LIST_PATH = '")
            .nth(1)
            .and_then(|rest| rest.split_once('\''))
            .map(|(path, _)| path)
            .expect("js/offline.js exports LIST_PATH");
        let scripts: Vec<&str> = super::inline_scripts(super::INDEX).collect();
        assert_eq!(scripts.len(), 1);
        assert!(
            scripts[0].contains(&format!("var path = '{path}';")),
            "{}",
            scripts[0]
        );
        assert!(
            super::csp().contains("script-src 'self' 'sha256-"),
            "{}",
            super::csp()
        );
    }

    #[test]
    fn the_embedded_modules_join_into_one_script() {
        let script = super::joined_modules().unwrap();
        for (path, _) in super::MODULES {
            assert!(script.contains(&format!("// {path}\n")), "{path} missing");
        }
    }
}
