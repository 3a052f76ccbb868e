//! The embedded web app: content types, cache headers, ETag revalidation, gzip, and that the
//! shell needs nothing beyond this server (every file the service worker caches is served here,
//! the app is one script that imports nothing, and no page loads anything from another origin).

use std::io::Read;

use crate::helpers::spawn_app;

struct Got {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

fn fetch(url: &str, headers: &[(&str, &str)]) -> Got {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut req = agent.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.call().unwrap();
    let mut body = Vec::new();
    resp.body_mut().as_reader().read_to_end(&mut body).unwrap();
    Got {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body,
    }
}

fn header<'a>(got: &'a Got, name: &str) -> &'a str {
    got.headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

#[test]
fn shell_modules_and_worker_have_their_types_and_cache_headers() {
    let app = spawn_app();
    for (path, ctype) in [
        ("/", "text/html; charset=utf-8"),
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/app/bundle.js", "text/javascript; charset=utf-8"),
        ("/app/app.css", "text/css; charset=utf-8"),
        ("/app/icon.svg", "image/svg+xml"),
        ("/app/manifest.webmanifest", "application/manifest+json"),
    ] {
        let got = fetch(&format!("{}{path}", app.url), &[]);
        assert_eq!(got.status, 200, "{path}");
        assert_eq!(header(&got, "content-type"), ctype, "{path}");
        assert_eq!(header(&got, "cache-control"), "no-cache", "{path}");
        assert_eq!(header(&got, "x-content-type-options"), "nosniff", "{path}");
        let etag = header(&got, "etag").to_owned();
        assert!(etag.starts_with('"') && etag.len() == 66, "{path}: {etag}");

        // Revalidation: the same ETag is a 304 without a body.
        let again = fetch(&format!("{}{path}", app.url), &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
    }
    // The modules are served joined, never one by one (two copies of a module would be two
    // states in one page).
    for path in ["/app/js/nope.js", "/app/js/app.js", "/app/js/store.js"] {
        assert_eq!(
            fetch(&format!("{}{path}", app.url), &[]).status,
            404,
            "{path}"
        );
    }
}

#[test]
fn gzip_when_accepted() {
    let app = spawn_app();
    let plain = fetch(&format!("{}/app/bundle.js", app.url), &[]);
    let zipped = fetch(
        &format!("{}/app/bundle.js", app.url),
        &[("Accept-Encoding", "gzip, deflate, br")],
    );
    assert_eq!(header(&zipped, "content-encoding"), "gzip");
    assert_eq!(header(&zipped, "vary"), "Accept-Encoding");
    assert!(zipped.body.len() < plain.body.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped.body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain.body);
    let refused = fetch(
        &format!("{}/app/bundle.js", app.url),
        &[("Accept-Encoding", "gzip;q=0")],
    );
    assert_eq!(header(&refused, "content-encoding"), "");
}

/// The quoted strings of `text` that start with `prefix` (enough for our own files: an
/// apostrophe in a comment does not matter, since each string is found from its opening quote
/// and prefix).
fn quoted_with_prefix(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['\'', '"'] {
        let opening = format!("{quote}{prefix}");
        let mut rest = text;
        while let Some(at) = rest.find(&opening) {
            let after = &rest[at + 1..];
            let Some(end) = after.find(quote) else { break };
            if !after[..end].contains(' ') {
                out.push(after[..end].to_owned());
            }
            rest = &after[end + 1..];
        }
    }
    out
}

#[test]
fn nothing_is_needed_beyond_this_server() {
    let app = spawn_app();
    let shell = String::from_utf8(fetch(&format!("{}/", app.url), &[]).body).unwrap();
    assert!(
        !shell.contains("://"),
        "the shell names another origin: {shell}"
    );
    let csp = header(
        &fetch(&format!("{}/", app.url), &[]),
        "content-security-policy",
    )
    .to_owned();
    assert!(
        csp.contains("default-src 'self'") && !csp.contains("http"),
        "{csp}"
    );

    // Everything the service worker caches for offline use is served.
    let worker = String::from_utf8(fetch(&format!("{}/sw.js", app.url), &[]).body).unwrap();
    // (file names only: the worker also tests paths against the "/app/" prefix)
    let cached: Vec<String> = quoted_with_prefix(&worker, "/app/")
        .into_iter()
        .filter(|p| p.rsplit('/').next().is_some_and(|f| f.contains('.')))
        .collect();
    for file in ["/app/bundle.js", "/app/app.css", "/app/icon.svg"] {
        assert!(
            cached.iter().any(|c| c == file),
            "{file} is not cached: {cached:?}"
        );
    }
    for path in &cached {
        assert_eq!(
            fetch(&format!("{}{path}", app.url), &[]).status,
            200,
            "{path}"
        );
    }
    // The shell loads the one script, and the script imports nothing: everything it runs is in it.
    assert!(shell.contains(r#"<script type="module" src="/app/bundle.js"></script>"#));
    let script = String::from_utf8(fetch(&format!("{}/app/bundle.js", app.url), &[]).body).unwrap();
    assert!(script.len() > 50_000, "{} bytes", script.len());
    assert!(
        !script.contains("import(") && !script.lines().any(|l| l.starts_with("import ")),
        "the script still imports a module"
    );
    assert!(script.contains("sirr_module_shopper as shopper"));
}
