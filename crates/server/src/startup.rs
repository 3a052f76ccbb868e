//! Building and running the HTTP application: settings → database → listener → server.
//!
//! [`Application::build`] binds the listener (port 0 picks a free port, see [`Application::port`]),
//! connects and migrates the database, makes sure an admin exists and loads the token key, so a
//! test or `sirr serve` gets a server that is ready the moment it is returned.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::{App, HttpServer, dev::Server, web};
use diesel::prelude::*;
use tracing_actix_web::TracingLogger;

use crate::api;
use crate::auth::{Role, password, tokens};
use crate::config::Settings;
use crate::directory::{Directory, Snapshot};
use sirr_store::{self as db, Backend, DbConnection, Pool};

/// Runs `f` on `conn`; after a database fault, makes sure a lost connection leaves the pool,
/// and answers 503 (the database is unavailable) rather than 500 when it was lost.
fn checked<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, api::error::ApiError>,
) -> Result<T, api::error::ApiError> {
    let result = f(conn);
    match result {
        Err(api::error::ApiError::Internal(cause)) if db::check_after_error(conn) => Err(
            api::error::ApiError::Unavailable(format!("the connection was lost: {cause}")),
        ),
        Err(api::error::ApiError::Unavailable(cause)) => {
            db::check_after_error(conn);
            Err(api::error::ApiError::Unavailable(cause))
        }
        other => other,
    }
}

tokio::task_local! {
    /// Set while a safe request (GET, HEAD) is handled: its database calls change nothing, so
    /// one that lost its connection may run again (see [`AppState::db`]).
    static SAFE_REQUEST: bool;
}

/// The middleware that marks safe requests (GET, HEAD) for [`AppState::db`]'s retry.
pub async fn mark_safe_requests(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let safe = matches!(
        *req.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    );
    SAFE_REQUEST.scope(safe, next.call(req)).await
}

fn in_safe_request() -> bool {
    SAFE_REQUEST.try_with(|safe| *safe).unwrap_or(false)
}

/// What every handler shares.
pub struct AppState {
    /// The connection pool.
    pub pool: Pool,
    /// The settings in effect.
    pub settings: Arc<Settings>,
    /// Access-token keys.
    pub keys: tokens::Keys,
    /// The database backend.
    pub backend: Backend,
    /// Regions, branches and teams in memory (see [`crate::directory`]).
    pub directory: Arc<Directory>,
    /// Attachment storage.
    pub storage: Arc<crate::storage::Store>,
    /// Computed scores in memory (see [`crate::scores`]).
    pub scores: Arc<crate::scores::Cache>,
    /// SQLite's one writer (see [`sirr_store::writer`]); `None` on PostgreSQL.
    pub writer: Option<sirr_store::writer::Writer>,
    /// Permits for PDF report renders (`report.max_concurrent_renders`, see `api/reports.rs`).
    pub renders: Arc<tokio::sync::Semaphore>,
    /// Outgoing e-mail for letters a request sends itself (password links); `None` without
    /// `[smtp]`. Notifications of events go through the dispatcher instead.
    pub mailer: Option<crate::events::mail::Mailer>,
    /// Where people open the web app, for links in letters: `server.public_url`, or
    /// `http://` and the address bound.
    pub public_url: String,
}

impl AppState {
    /// Runs `f`, which reads, with a pooled connection on the blocking thread pool (diesel is
    /// synchronous). Writes go through [`AppState::db_write`], the one write path.
    ///
    /// In a safe request (GET, HEAD; see [`mark_safe_requests`]) a call that fails because the
    /// database is unavailable — typically a pooled connection the server closed meanwhile —
    /// runs once more on a connection that has just answered (the pool's other idle
    /// connections are checked and the dead ones dropped on the way). Other requests answer
    /// 503 at once: their writes may or may not have been applied. `f` is `Clone` for the
    /// second run; [`AppState::db_once`] takes closures that cannot be cloned and never retries.
    pub async fn db<T, F>(&self, f: F) -> Result<T, api::error::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, api::error::ApiError> + Clone + Send + 'static,
    {
        let retry = in_safe_request();
        let pool = self.pool.clone();
        web::block(move || {
            let again = retry.then(|| f.clone());
            let mut conn = pool.get()?;
            match (checked(&mut conn, f), again) {
                (Err(api::error::ApiError::Unavailable(cause)), Some(f)) => {
                    drop(conn);
                    tracing::warn!(cause = %cause, "retrying a safe request on a fresh connection");
                    let mut conn = db::live_connection(&pool)?;
                    checked(&mut conn, f)
                }
                (result, _) => result,
            }
        })
        .await?
    }

    /// As [`AppState::db`] for a closure that runs at most once (no retry).
    pub async fn db_once<T, F>(&self, f: F) -> Result<T, api::error::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, api::error::ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            checked(&mut conn, f)
        })
        .await?
    }

    /// The one write path of a request: `f` runs inside a transaction that holds the write
    /// lock from its first statement, and its audit entry (`audit::record`) and the change
    /// counters (triggers) are written in that same transaction. On SQLite it goes to the
    /// process's one writer, which commits queued transactions together (see
    /// [`sirr_store::writer`]); PostgreSQL runs it on the pool (row locks and conditional
    /// updates, no queue needed). A committed write marks the organisation directory stale, so
    /// this process's next list checks the change counter and reads its own writes: no handler
    /// can forget to.
    pub async fn db_write<T, F>(&self, f: F) -> Result<T, api::error::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, api::error::ApiError> + Send + 'static,
    {
        let written = match &self.writer {
            Some(writer) => writer.write(f).await,
            None => self.db_once(move |conn| conn.transaction(f)).await,
        };
        if written.is_ok() {
            self.directory.invalidate();
        }
        written
    }

    /// The scores' generation as this request sees it (see
    /// [`crate::scores::Cache::current_generation`]; `server.directory_max_age_ms` bounds how old
    /// its reading of the change counters may be).
    pub async fn score_generation(&self) -> Result<Arc<str>, api::error::ApiError> {
        let max_age = self.settings.server.directory_max_age_ms;
        self.scores
            .current_generation(max_age, || {
                self.db(|conn| Ok(crate::scores::generation(conn)?))
            })
            .await
    }

    /// The scores of `selection` at `generation`: from memory at once, else loaded or computed
    /// on the blocking pool ([`crate::scores::Cache::load_or_compute`]).
    pub async fn scores_of(
        &self,
        generation: &str,
        selection: &crate::scores::Selection,
    ) -> Result<Arc<crate::scores::Scores>, api::error::ApiError> {
        if let Some(scores) = self.scores.in_memory(selection, generation) {
            return Ok(scores);
        }
        let (cache, pool, selection) = (self.scores.clone(), self.pool.clone(), selection.clone());
        Ok(web::block(move || cache.load_or_compute(&pool, &selection)).await??)
    }

    /// Recomputes the scores this process serves, in the background (after a change to them).
    pub fn warm_scores(&self) {
        crate::scores::warm(&self.scores, &self.pool);
    }

    /// The organisation directory, checked against the database when it is due.
    pub async fn directory(&self) -> Result<Arc<Snapshot>, api::error::ApiError> {
        if let Some(snapshot) = self.directory.fresh() {
            return Ok(snapshot);
        }
        let directory = self.directory.clone();
        self.db(move |conn| Ok(directory.refresh(conn)?)).await
    }
}

/// Who the first admin should be, when the database has no users yet.
#[derive(Debug, Clone, Default)]
pub struct AdminSeed {
    /// Email (SIRR_ADMIN_EMAIL).
    pub email: Option<String>,
    /// Password (SIRR_ADMIN_PASSWORD).
    pub password: Option<String>,
}

impl AdminSeed {
    /// From SIRR_ADMIN_EMAIL and SIRR_ADMIN_PASSWORD.
    pub fn from_env() -> Self {
        Self {
            email: std::env::var("SIRR_ADMIN_EMAIL").ok(),
            password: std::env::var("SIRR_ADMIN_PASSWORD").ok(),
        }
    }
}

/// How the first admin came to be, for the start-up message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bootstrap {
    /// Users existed already.
    Existing,
    /// Created from SIRR_ADMIN_EMAIL / SIRR_ADMIN_PASSWORD.
    FromEnvironment(String),
    /// Created without a password and invited by e-mail (`SIRR_ADMIN_EMAIL` alone, `[smtp]`
    /// set): the letter's link sets the password.
    Invited {
        /// The admin's email.
        email: String,
        /// Until when the link works.
        until: chrono::NaiveDateTime,
        /// Why the letter could not be sent, with the link to print instead.
        failure: Option<(String, String)>,
    },
    /// Created with a generated one-time password, to be printed once.
    Generated {
        /// The admin's email.
        email: String,
        /// The password.
        password: String,
    },
}

/// Start-up failures, each with a clear message.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// Database unreachable or migrations failed.
    #[error(transparent)]
    Db(#[from] db::StoreError),
    /// The listen address is taken or invalid.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// Something else (data directory, admin account, key).
    #[error("{0}")]
    Other(String),
}

/// A built server, listening.
pub struct Application {
    port: u16,
    host: String,
    server: Server,
    /// How the admin account was set up.
    pub bootstrap: Bootstrap,
    /// Demo accounts created at this start (`--demo` on an empty database).
    pub demo_accounts: Vec<String>,
    /// The event dispatcher (webhooks, e-mail), stopped with the server.
    dispatcher: Option<crate::events::dispatcher::Dispatcher>,
}

/// Stores the demo's photos (the seeded rows' bytes) through the attachment storage, 64 at a
/// time. Start-up runs inside the server's runtime, which cannot wait on itself, so the puts
/// run on a thread of their own with its own runtime.
fn store_photos(
    storage: &Arc<crate::storage::Store>,
    photos: Vec<(String, Vec<u8>)>,
) -> Result<(), String> {
    if photos.is_empty() {
        return Ok(());
    }
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                actix_web::rt::System::new().block_on(async {
                    let mut pending = Vec::new();
                    for (key, bytes) in photos {
                        let store = storage.clone();
                        pending.push(actix_web::rt::spawn(async move {
                            store
                                .put(&key, bytes.into())
                                .await
                                .map_err(|e| e.to_string())
                        }));
                        if pending.len() == 64 {
                            for task in pending.drain(..) {
                                task.await.map_err(|e| e.to_string())??;
                            }
                        }
                    }
                    for task in pending {
                        task.await.map_err(|e| e.to_string())??;
                    }
                    Ok(())
                })
            })
            .join()
            .map_err(|_| "the photo writer stopped".to_owned())?
    })
}

impl Application {
    /// Connects, migrates, bootstraps and binds; the first admin comes from `admin` (see
    /// [`AdminSeed::from_env`]) or gets a generated password.
    pub fn build(settings: Settings, admin: AdminSeed) -> Result<Self, StartError> {
        Self::build_with(settings, admin, false)
    }

    /// As [`Application::build`]; with `demo`, an empty database first gets the demo
    /// organisation and accounts (see [`crate::seed`]).
    pub fn build_with(
        settings: Settings,
        admin: AdminSeed,
        demo: bool,
    ) -> Result<Self, StartError> {
        let url = settings.database_url();
        let backend = Backend::of(&url);
        if backend == Backend::Sqlite {
            crate::config::ensure_dir(&settings.server.data_dir).map_err(|e| {
                StartError::Other(format!(
                    "cannot create the data directory {}: {e}",
                    settings.server.data_dir.display()
                ))
            })?;
        }
        let pool = db::connect(&url, settings.database.pool_size, settings.busy_timeout())?;
        let writer = match backend {
            Backend::Sqlite => Some(sirr_store::writer::Writer::start(&db::Manager::new(
                &url,
                settings.busy_timeout(),
            ))?),
            Backend::Postgresql => None,
        };
        let storage = Arc::new(
            crate::storage::Store::from_settings(&settings)
                .map_err(|e| StartError::Other(format!("attachment storage: {e}")))?,
        );
        let mut conn = pool.get().map_err(|e| StartError::Other(e.to_string()))?;
        let demo_accounts = if demo {
            let seeded = crate::seed::seed_demo(&mut conn)
                .map_err(|e| StartError::Other(format!("cannot seed the demo data: {e}")))?;
            store_photos(&storage, seeded.photos)
                .map_err(|e| StartError::Other(format!("cannot store the demo photos: {e}")))?;
            seeded.accounts
        } else {
            Vec::new()
        };
        let mailer =
            crate::events::mail::Mailer::from_settings(&settings.smtp, settings.events.timeout_ms)
                .map_err(|e| StartError::Other(e.to_string()))?;
        let mut bootstrap =
            bootstrap_admin(&mut conn, admin.email, admin.password, mailer.is_some())
                .map_err(StartError::Other)?;
        let secret = tokens::signing_secret(&mut conn, settings.auth.signing_key.expose())
            .map_err(|e| StartError::Other(format!("cannot load the token key: {e}")))?;
        drop(conn);

        let addr = settings.bind_addr();
        let listener = TcpListener::bind(addr).map_err(|source| StartError::Bind {
            addr: addr.to_string(),
            source,
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| StartError::Other(e.to_string()))?;
        let public_url = if settings.server.public_url.is_empty() {
            let fallback = format!("http://{local}");
            // Letters carry links: on another machine this address may lead nowhere.
            if mailer.is_some() {
                tracing::warn!(
                    url = %fallback,
                    "server.public_url is not set: links in e-mail point at the address this \
                     process listens on; set SIRR_SERVER__PUBLIC_URL to the address people open"
                );
            }
            fallback
        } else {
            settings.server.public_url.trim_end_matches('/').to_owned()
        };
        if let (Bootstrap::Invited { email, .. }, Some(mailer)) = (&bootstrap, &mailer) {
            bootstrap = invite_first_admin(&pool, &settings, mailer, email, &public_url)?;
        }
        let dispatch_pool = pool.clone();
        let state = web::Data::new(AppState {
            mailer,
            public_url,
            storage,
            pool,
            keys: tokens::Keys::new(&secret, settings.auth.access_token_ttl_s.as_secs() as i64),
            backend,
            directory: Arc::new(Directory::new(
                settings.server.directory_max_age_ms,
                api::directory_lists,
            )),
            settings: Arc::new(settings.clone()),
            scores: Arc::new(crate::scores::Cache::new()),
            writer,
            renders: Arc::new(tokio::sync::Semaphore::new(
                settings.report.max_concurrent_renders,
            )),
        });
        let json_limit = settings.server.json_limit;
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::from_fn(mark_safe_requests))
                .wrap(actix_web::middleware::from_fn(api::input::guard))
                .wrap(actix_web::middleware::from_fn(crate::i18n::localize_errors))
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(json_limit)
                        .error_handler(|err, _| api::error::json_error(err)),
                )
                .app_data(web::QueryConfig::default().error_handler(|err, _| {
                    api::error::ApiError::bad_request(
                        "query",
                        crate::msg!("query-invalid", problem = err.to_string()),
                    )
                    .into()
                }))
                .app_data(web::PathConfig::default().error_handler(|err, _| {
                    api::error::ApiError::bad_request(
                        "path",
                        crate::msg!("path-invalid", problem = err.to_string()),
                    )
                    .into()
                }))
                .configure(api::configure)
                .configure(crate::web::configure)
        })
        .shutdown_timeout(settings.server.shutdown_timeout_s.as_secs())
        .worker_max_blocking_threads(settings.server.blocking_threads);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartError::Bind {
                addr: addr.to_string(),
                source,
            })?
            .run();
        // Last, so that a failed start leaves no thread behind.
        let dispatcher = crate::events::dispatcher::Dispatcher::start(dispatch_pool, &settings)
            .map_err(StartError::Other)?;
        Ok(Self {
            port: local.port(),
            host: local.ip().to_string(),
            server,
            bootstrap,
            demo_accounts,
            dispatcher,
        })
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    /// Serves until stopped (SIGINT/SIGTERM stop it gracefully).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(dispatcher) = self.dispatcher {
            // Joining may wait for a delivery in flight (at most events.timeout_ms).
            let _ = web::block(move || dispatcher.stop()).await;
        }
        served
    }
}

/// Sends the first admin's invitation: a link (`auth.invitation_ttl_s`) stored, then the letter,
/// in English and Arabic (no language is known yet). A letter that cannot be sent does not stop
/// the start: the link is printed instead ([`Bootstrap::Invited`]'s `failure`).
fn invite_first_admin(
    pool: &Pool,
    settings: &Settings,
    mailer: &crate::events::mail::Mailer,
    email: &str,
    public_url: &str,
) -> Result<Bootstrap, StartError> {
    use crate::auth::links::{self, Purpose};
    let mut conn = pool.get().map_err(|e| StartError::Other(e.to_string()))?;
    let token = links::new_token().map_err(StartError::Other)?;
    let now = db::now();
    let until = now + crate::config::span(settings.auth.invitation_ttl_s);
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let id = db::users::id_by_email(conn, email)?.ok_or(diesel::NotFound)?;
        links::issue(conn, &id, &token, Purpose::Invitation, until - now, now)?;
        crate::audit::record(
            conn,
            None,
            "invite",
            "user",
            &id,
            serde_json::json!({"email": email, "expires_at": until}),
        )
    })
    .map_err(|e| StartError::Other(format!("cannot invite the first admin: {e}")))?;
    let url = links::url(public_url, &token);
    let (subject, body) =
        crate::events::mail::password_letter(Purpose::Invitation, None, email, &url, until);
    let failure = mailer
        .send(email, &subject, &body)
        .err()
        .map(|e| (e.to_string(), url));
    Ok(Bootstrap::Invited {
        email: email.to_owned(),
        until,
        failure,
    })
}

/// Creates the first admin when there are no users: from the environment, or with a generated
/// one-time password. With `SIRR_ADMIN_EMAIL` alone and e-mail configured (`can_invite`), the
/// admin is made without a usable password and [`Bootstrap::Invited`] says to invite them.
/// Several processes starting at once may race; the loser finds the admin.
pub fn bootstrap_admin(
    conn: &mut DbConnection,
    email: Option<String>,
    password_given: Option<String>,
    can_invite: bool,
) -> Result<Bootstrap, String> {
    let count = db::users::count(conn).map_err(|e| e.to_string())?;
    if count > 0 {
        return Ok(Bootstrap::Existing);
    }
    let mut invited = false;
    let (email, password, from_env) = match (email, password_given) {
        (Some(email), Some(password)) => {
            password::check_strength(&password).map_err(|e| format!("SIRR_ADMIN_PASSWORD {e}"))?;
            (email.trim().to_lowercase(), password, true)
        }
        (Some(email), None) if can_invite => {
            let email = email.trim().to_lowercase();
            if !crate::auth::account::looks_like_email(&email) {
                return Err(format!("SIRR_ADMIN_EMAIL is not an email address: {email}"));
            }
            invited = true;
            // Nobody knows this password: the invitation's link sets the real one.
            (email, crate::auth::links::new_token()?, true)
        }
        (Some(_), None) => {
            return Err(
                "SIRR_ADMIN_EMAIL without SIRR_ADMIN_PASSWORD invites the admin by \
                        e-mail, which needs [smtp] (smtp.host); set SIRR_ADMIN_PASSWORD too, or \
                        configure e-mail"
                    .to_owned(),
            );
        }
        (None, Some(_)) => {
            return Err("SIRR_ADMIN_PASSWORD needs SIRR_ADMIN_EMAIL".to_owned());
        }
        (None, None) => ("admin@sirr.local".to_owned(), password::generate()?, false),
    };
    let hash = password::hash(&password)?;
    let now = db::now();
    let new = db::users::NewUser {
        email: &email,
        name: "Administrator",
        role: Role::Admin,
        password_hash: &hash,
    };
    let inserted = db::users::insert(conn, &new, now);
    match inserted {
        Ok(_) if invited => Ok(Bootstrap::Invited {
            email,
            until: now,
            failure: None,
        }),
        Ok(_) if from_env => Ok(Bootstrap::FromEnvironment(email)),
        Ok(_) => Ok(Bootstrap::Generated { email, password }),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(Bootstrap::Existing),
        Err(e) => Err(e.to_string()),
    }
}
