//! A real server on port 0 per test, on a fresh SQLite file or — when SIRR_TEST_DATABASE_URL
//! is set — a fresh PostgreSQL schema that is dropped afterwards; and a small HTTP client.

use std::sync::mpsc;

use diesel::prelude::*;
use figment::Figment;
use figment::providers::{Format, Toml};
use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind, password};
use sirr_server::config::{DEFAULT_TOML, Settings};
use sirr_server::startup::{AdminSeed, Application};
use sirr_store::schema::{user_scopes, users};
use sirr_store::{self as db, ids};

pub const ADMIN_EMAIL: &str = "admin@test.sirr";
pub const PASSWORD: &str = "test-password-1";

/// The PostgreSQL URL under test, if any. Under CI=true the variable must be set by `.ci/run`
/// for the PostgreSQL pass; a set variable with an unreachable server fails the tests.
pub fn postgres_url() -> Option<String> {
    std::env::var("SIRR_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

struct PgSchema {
    base: String,
    name: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut conn) = diesel::PgConnection::establish(&self.base) {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name))
                .execute(&mut conn);
        }
    }
}

pub struct TestApp {
    pub url: String,
    pub database_url: String,
    agent: ureq::Agent,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
    _schema: Option<PgSchema>,
}

pub fn test_settings(dir: &std::path::Path, database_url: &str) -> Settings {
    let mut settings: Settings = Figment::new()
        .merge(Toml::string(DEFAULT_TOML))
        .extract()
        .unwrap();
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.data_dir = dir.to_path_buf();
    settings.server.workers = 1;
    settings.database.url = database_url.to_owned();
    settings.database.pool_size = 2;
    settings
}

/// A fresh database URL: a SQLite file in `dir`, or a new PostgreSQL schema.
fn fresh_database(dir: &std::path::Path) -> (String, Option<PgSchema>) {
    match postgres_url() {
        None => (dir.join("sirr.db").display().to_string(), None),
        Some(base) => {
            let mut conn = diesel::PgConnection::establish(&base).unwrap_or_else(|e| {
                panic!("SIRR_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
            });
            let name = format!("t_{}", ids::new_id());
            diesel::sql_query(format!("CREATE SCHEMA {name}"))
                .execute(&mut conn)
                .unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-csearch_path%3D{name}");
            (url, Some(PgSchema { base, name }))
        }
    }
}

pub fn spawn_app() -> TestApp {
    spawn_with(|_| {})
}

pub fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, schema) = fresh_database(dir.path());
    start(dir, database_url, schema, adjust, false)
}

/// A server whose first admin comes from `seed` (the others use [`ADMIN_EMAIL`] and
/// [`PASSWORD`]).
pub fn spawn_seeded(seed: AdminSeed, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, schema) = fresh_database(dir.path());
    start_seeded(dir, database_url, schema, adjust, false, seed)
}

/// A server started with `--demo` data (the demo organisation, visits, disputes, …).
pub fn spawn_demo() -> TestApp {
    spawn_demo_with(|_| {})
}

/// As [`spawn_demo`], with settings adjusted.
pub fn spawn_demo_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, schema) = fresh_database(dir.path());
    start(dir, database_url, schema, adjust, true)
}

/// A second server process (as far as state goes) on `first`'s database.
pub fn spawn_sharing(first: &TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    start(
        tempfile::tempdir().unwrap(),
        first.database_url.clone(),
        None,
        adjust,
        false,
    )
}

fn start(
    dir: tempfile::TempDir,
    database_url: String,
    schema: Option<PgSchema>,
    adjust: impl FnOnce(&mut Settings),
    demo: bool,
) -> TestApp {
    let seed = AdminSeed {
        email: Some(ADMIN_EMAIL.into()),
        password: Some(PASSWORD.into()),
    };
    start_seeded(dir, database_url, schema, adjust, demo, seed)
}

fn start_seeded(
    dir: tempfile::TempDir,
    database_url: String,
    schema: Option<PgSchema>,
    adjust: impl FnOnce(&mut Settings),
    demo: bool,
    seed: AdminSeed,
) -> TestApp {
    let mut settings = test_settings(dir.path(), &database_url);
    adjust(&mut settings);
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            match Application::build_with(settings, seed, demo) {
                Ok(app) => {
                    tx.send(Ok((app.url(), app.handle()))).unwrap();
                    let _ = app.run_until_stopped().await;
                }
                Err(e) => tx.send(Err(e.to_string())).unwrap(),
            }
        });
    });
    let (url, handle) = rx.recv().unwrap().unwrap();
    // The server closes a keep-alive connection after 5 idle seconds (actix's default) and ureq
    // would reuse it for 15: a request after a slow one (a report under load) then met a closed
    // socket. Pooled connections are dropped well before the server drops them.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_age(std::time::Duration::from_secs(2))
        .build()
        .into();
    TestApp {
        url,
        database_url,
        agent,
        handle,
        thread: Some(thread),
        _dir: dir,
        _schema: schema,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        actix_web::rt::System::new().block_on(handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A response: status and JSON body (`Value::Null` when empty).
pub type Reply = (u16, Value);

fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

impl TestApp {
    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        reply(req.call())
    }

    pub fn send(&self, method: &str, path: &str, token: Option<&str>, body: &Value) -> Reply {
        let url = format!("{}{path}", self.url);
        let mut req = match method {
            "POST" => self.agent.post(url),
            "PATCH" => self.agent.patch(url),
            "PUT" => self.agent.put(url),
            other => panic!("unsupported method {other}"),
        };
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        reply(req.send_json(body))
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send("POST", path, token, body)
    }

    pub fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send("PATCH", path, token, body)
    }

    pub fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        let mut req = self.agent.delete(format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        reply(req.call())
    }

    pub fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
    }

    /// Signs in and returns the access token.
    pub fn token(&self, email: &str) -> String {
        let (status, body) = self.login(email, PASSWORD);
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub fn admin(&self) -> String {
        self.token(ADMIN_EMAIL)
    }

    /// Adds a user straight to the database (the users API has its own tests).
    pub fn add_user(&self, email: &str, role: Role, scopes: &[(ScopeKind, &str)]) -> String {
        let mut conn = db::Manager::new(&self.database_url, std::time::Duration::from_secs(5))
            .open()
            .unwrap();
        let id = ids::new_id();
        let now = db::now();
        diesel::insert_into(users::table)
            .values((
                users::id.eq(&id),
                users::email.eq(email),
                users::name.eq(email),
                users::role.eq(role.as_str()),
                users::password_hash.eq(password::hash(PASSWORD).unwrap()),
                users::active.eq(true),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(&mut conn)
            .unwrap();
        for (kind, target) in scopes {
            diesel::insert_into(user_scopes::table)
                .values((
                    user_scopes::user_id.eq(&id),
                    user_scopes::kind.eq(kind.as_str()),
                    user_scopes::target_id.eq(*target),
                ))
                .execute(&mut conn)
                .unwrap();
        }
        id
    }

    /// Creates a region and returns its id.
    pub fn region(&self, token: &str, code: &str, en: &str, ar: &str) -> String {
        let (status, body) = self.post(
            "/api/v1/regions",
            Some(token),
            &json!({"code": code, "names": {"en": en, "ar": ar}}),
        );
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    /// Creates a branch and returns its id.
    pub fn branch(&self, token: &str, code: &str, region_id: &str) -> String {
        let (status, body) = self.post(
            "/api/v1/branches",
            Some(token),
            &json!({"code": code, "region_id": region_id,
                    "names": {"en": format!("{code} Branch"), "ar": format!("فرع {code}")},
                    "city": {"en": "Riyadh", "ar": "الرياض"},
                    "location": {"lat": 24.69, "lon": 46.68}}),
        );
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }
}

impl TestApp {
    /// The access-token signing key the server generated and keeps in the `settings` table
    /// (what `auth::tokens::signing_secret` reads), for tests that forge tokens.
    pub fn signing_key(&self) -> Vec<u8> {
        use sirr_store::schema::settings;
        let mut conn = db::Manager::new(&self.database_url, std::time::Duration::from_secs(5))
            .open()
            .unwrap();
        settings::table
            .find("jwt_signing_key")
            .select(settings::value)
            .first::<String>(&mut conn)
            .unwrap()
            .into_bytes()
    }
}

impl TestApp {
    /// `GET path` with this exact `Authorization` header value.
    pub fn get_with_authorization(&self, path: &str, authorization: &str) -> Reply {
        reply(
            self.agent
                .get(format!("{}{path}", self.url))
                .header("Authorization", authorization)
                .call(),
        )
    }
}

impl TestApp {
    /// `POST path` with extra headers (an `Idempotency-Key`, say).
    pub fn post_with_headers(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Reply {
        self.send_with_headers("POST", path, token, headers, body)
    }

    /// `method path` (POST or PUT) with extra headers and a JSON body.
    pub fn send_with_headers(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Reply {
        let url = format!("{}{path}", self.url);
        let mut req = match method {
            "PUT" => self.agent.put(url),
            "POST" => self.agent.post(url),
            other => panic!("send_with_headers takes POST or PUT, not {other}"),
        };
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        reply(req.send_json(body))
    }

    /// A request with an `Accept-Language` header (`None` body: a GET).
    pub fn send_lang(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        accept_language: &str,
        body: Option<&Value>,
    ) -> Reply {
        let url = format!("{}{path}", self.url);
        match body {
            None => {
                let mut req = self
                    .agent
                    .get(url)
                    .header("Accept-Language", accept_language);
                if let Some(t) = token {
                    req = req.header("Authorization", format!("Bearer {t}"));
                }
                reply(req.call())
            }
            Some(body) => {
                let mut req = match method {
                    "POST" => self.agent.post(url),
                    "PATCH" => self.agent.patch(url),
                    "PUT" => self.agent.put(url),
                    other => panic!("unsupported method {other}"),
                }
                .header("Accept-Language", accept_language);
                if let Some(t) = token {
                    req = req.header("Authorization", format!("Bearer {t}"));
                }
                reply(req.send_json(body))
            }
        }
    }

    /// A direct connection to the server's database, for checking what was stored.
    pub fn db(&self) -> db::DbConnection {
        db::Manager::new(&self.database_url, std::time::Duration::from_secs(5))
            .open()
            .unwrap()
    }
}

/// A binary response: status, `Content-Type`, `Content-Disposition` and the body bytes.
pub struct Bytes {
    pub status: u16,
    pub content_type: String,
    pub disposition: String,
    pub body: Vec<u8>,
}

impl TestApp {
    /// `GET path` keeping the body as bytes (PDF reports).
    pub fn get_bytes(&self, path: &str, token: Option<&str>) -> Bytes {
        let mut req = self.agent.get(format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let mut response = req.call().unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let (content_type, disposition) = (header("content-type"), header("content-disposition"));
        Bytes {
            status: response.status().as_u16(),
            content_type,
            disposition,
            body: response.body_mut().read_to_vec().unwrap(),
        }
    }

    /// `POST path` with a raw body (an upload) and extra headers.
    pub fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.url))
            .header("Content-Type", "application/octet-stream");
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        reply(req.send(body))
    }
}
