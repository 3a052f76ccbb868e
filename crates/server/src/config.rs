//! Layered configuration: the built-in `config/default.toml`, an optional file, `SIRR_*`
//! environment variables, then command-line flags. Raw values are read strictly (unknown keys
//! are errors) and validated once into [`Settings`], which is passed around explicitly.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::{Deserialize, Serialize};

/// The defaults, compiled in (the file in the repository documents them).
pub const DEFAULT_TOML: &str = include_str!("../../../config/default.toml");

/// The sections of [`Settings`]. Every setting lives in one, so an environment variable is a
/// setting when it names a section: `SIRR_DATABASE__URL`, or a misspelt `SIRR_DATABASE_URL`,
/// which is then refused as an unknown key rather than silently ignored. Other `SIRR_` names
/// (`SIRR_CONFIG`, `SIRR_ADMIN_EMAIL`, the test suites' `SIRR_TEST_*`) are not settings.
const SECTIONS: [&str; 8] = [
    "server", "database", "auth", "log", "storage", "report", "events", "smtp",
];

/// Whether `SIRR_<key>` is read as a setting (see [`SECTIONS`]).
fn is_setting(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("__")
        || SECTIONS.iter().any(|section| {
            key == *section
                || key
                    .strip_prefix(section)
                    .is_some_and(|rest| rest.starts_with('_'))
        })
}

/// Durations are written in the unit their key names (`lease_s = 30`, `timeout_ms = 10000`,
/// `review_backlog_after_h = 48`) and read into [`Duration`], so code never converts units.
mod unit {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    macro_rules! unit {
        ($name:ident, $per:expr, $what:literal) => {
            pub mod $name {
                use super::*;

                pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_u64((d.as_millis() / $per) as u64)
                }

                pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
                    let n = u64::deserialize(d)?;
                    n.checked_mul($per)
                        .map(Duration::from_millis)
                        .ok_or_else(|| serde::de::Error::custom(concat!("too many ", $what)))
                }
            }
        };
    }
    unit!(millis, 1, "milliseconds");
    unit!(seconds, 1_000, "seconds");
    unit!(hours, 3_600_000, "hours");
}

/// A chrono span of `d` (for arithmetic on stored times), saturating: settings are validated,
/// and none comes near chrono's limit of about 292 million years.
pub fn span(d: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::MAX)
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Where attachments are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// Files under `<server.data_dir>/attachments`.
    Local,
    /// An S3-compatible object store (several processes share it).
    S3,
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StartTls {
    /// STARTTLS when the server offers it.
    Opportunistic,
    /// STARTTLS or no letter.
    Required,
    /// Plain text (a local relay).
    Never,
    /// TLS from the first byte (port 465).
    Wrapper,
}

/// A secret setting: read like any string, never shown — its `Debug` and the TOML of
/// `sirr config show` print `********` — so a log line or a pasted configuration cannot leak
/// it. [`Secret::expose`] is the one way to the value.
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// A secret holding `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Whether none is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn shown(&self) -> &'static str {
        if self.0.is_empty() { "" } else { "********" }
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({:?})", self.shown())
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.shown())
    }
}

/// Server settings, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Listen address.
    pub bind: String,
    /// Where the SQLite file and attachments live.
    pub data_dir: PathBuf,
    /// Largest JSON body in bytes.
    pub json_limit: usize,
    /// Worker threads (0 = one per core).
    pub workers: usize,
    /// Blocking threads per worker (database work, password hashing).
    pub blocking_threads: usize,
    /// Graceful shutdown timeout in seconds.
    #[serde(with = "unit::seconds")]
    pub shutdown_timeout_s: Duration,
    /// How long a process serves organisation lists from memory before asking the database
    /// whether they changed, in milliseconds (0 = ask on every request).
    #[serde(with = "unit::millis")]
    pub directory_max_age_ms: Duration,
    /// The address people open sirr at (`https://sirr.example.org`), for the links in e-mail;
    /// empty = `http://` and the address bound.
    pub public_url: String,
}

/// Database settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Empty for the embedded SQLite file, or a `postgres://` URL.
    pub url: String,
    /// Pool size.
    pub pool_size: u32,
    /// SQLite busy timeout in milliseconds.
    #[serde(with = "unit::millis")]
    pub busy_timeout_ms: Duration,
}

/// Authentication settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Access-token signing key; empty = generated and kept in the database.
    pub signing_key: Secret,
    /// Access token lifetime in seconds.
    #[serde(with = "unit::seconds")]
    pub access_token_ttl_s: Duration,
    /// Refresh token lifetime in seconds.
    #[serde(with = "unit::seconds")]
    pub refresh_token_ttl_s: Duration,
    /// Failed logins per account within the window.
    pub max_failures_per_account: u32,
    /// Failed logins per address within the window.
    pub max_failures_per_address: u32,
    /// Throttling window in seconds.
    #[serde(with = "unit::seconds")]
    pub throttle_window_s: Duration,
    /// Lifetime of a password-reset link, in seconds.
    #[serde(with = "unit::seconds")]
    pub reset_link_ttl_s: Duration,
    /// Lifetime of an invitation link (an account created without a password), in seconds.
    #[serde(with = "unit::seconds")]
    pub invitation_ttl_s: Duration,
    /// Reset letters sent to one account per hour; further requests send nothing.
    pub reset_letters_per_hour: u32,
}

/// Log settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `text` or `json`.
    pub format: LogFormat,
    /// A tracing filter directive.
    pub level: String,
}

/// Attachment storage settings (photos and receipts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    /// `local` (files under `<server.data_dir>/attachments`) or `s3` (S3-compatible storage).
    pub backend: StorageBackend,
    /// Largest accepted attachment, in bytes.
    pub max_attachment_bytes: usize,
    /// S3 endpoint URL; empty for AWS itself (`https://s3.<region>.amazonaws.com`).
    pub s3_endpoint: String,
    /// S3 bucket; it must exist.
    pub s3_bucket: String,
    /// S3 region.
    pub s3_region: String,
    /// S3 access key id; empty = `AWS_ACCESS_KEY_ID` or the instance's role.
    pub s3_access_key_id: String,
    /// S3 secret access key (masked by `sirr config show`).
    pub s3_secret_access_key: Secret,
    /// Allow plain `http://` endpoints (local emulators, a private network).
    pub s3_allow_http: bool,
    /// Most attachments one assignment may hold (SPEC §10.32); more get 413.
    pub max_attachments_per_assignment: u32,
    /// Most attachments one shopper may upload in 24 hours; more get 429.
    pub max_attachments_per_shopper_per_day: u32,
}

/// PDF coaching report settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Time budget of one report (waiting for a render slot included), in milliseconds; past
    /// it the render stops and the request gets 503.
    #[serde(with = "unit::millis")]
    pub render_timeout_ms: Duration,
    /// Reports rendered at once by this process (each on a thread of its own, never on the
    /// blocking pool the database calls use).
    pub max_concurrent_renders: usize,
}

/// Event delivery: the outbox dispatcher that sends webhooks and e-mail (SPEC §10.36, §10.46).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsSettings {
    /// Whether this process runs a dispatcher (several processes on one PostgreSQL share the
    /// work; each delivery goes to one of them).
    pub dispatch: bool,
    /// How often the dispatcher looks for new events and due deliveries, in milliseconds.
    #[serde(with = "unit::millis")]
    pub poll_interval_ms: Duration,
    /// Most deliveries claimed at once.
    pub batch_size: u32,
    /// Deliveries in flight at once per process.
    pub concurrency: usize,
    /// Time budget of one webhook request or SMTP session, in milliseconds.
    #[serde(with = "unit::millis")]
    pub timeout_ms: Duration,
    /// How long a claimed delivery stays with its process, in seconds; after a crash another
    /// process (or the restarted one) delivers it again once this has run out.
    #[serde(with = "unit::seconds")]
    pub lease_s: Duration,
    /// Delay before the first retry, in milliseconds (doubled per attempt, with jitter).
    #[serde(with = "unit::millis")]
    pub retry_first_ms: Duration,
    /// Longest delay between two attempts, in seconds.
    #[serde(with = "unit::seconds")]
    pub retry_max_s: Duration,
    /// How long after the event a delivery is still retried, in seconds (24 hours).
    #[serde(with = "unit::seconds")]
    pub retry_window_s: Duration,
    /// How often action plans are checked for a due date that has come, in seconds (the e-mail
    /// digests are checked at the same time).
    #[serde(with = "unit::seconds")]
    pub due_scan_interval_s: Duration,
    /// QA get one letter a day while a submitted visit has waited longer than this, in hours.
    #[serde(with = "unit::hours")]
    pub review_backlog_after_h: Duration,
    /// Managers hear that last month's reports are ready from this day of the month on (1–28),
    /// so that QA can approve the month's last visits first.
    pub report_ready_day: u32,
}

/// Outgoing e-mail (SPEC §10.37); without `host` no e-mail is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// The SMTP server; empty = no e-mail.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The sender: `sirr <no-reply@example.org>` or a bare address.
    pub from: String,
    /// Login name; empty = no authentication.
    pub username: String,
    /// Password (masked by `sirr config show`).
    pub password: Secret,
    /// `opportunistic` (STARTTLS when the server offers it), `required`, `never`, or `wrapper`
    /// (TLS from the first byte, port 465).
    pub starttls: StartTls,
}

/// Every setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// HTTP server.
    pub server: ServerSettings,
    /// Database.
    pub database: DatabaseSettings,
    /// Authentication.
    pub auth: AuthSettings,
    /// Logging.
    pub log: LogSettings,
    /// Attachment storage.
    pub storage: StorageSettings,
    /// PDF coaching reports.
    pub report: ReportSettings,
    /// Event delivery (webhooks and e-mail).
    pub events: EventsSettings,
    /// Outgoing e-mail.
    pub smtp: SmtpSettings,
}

/// Command-line values that override every layer.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config FILE` (else `SIRR_CONFIG`).
    pub config_file: Option<PathBuf>,
    /// `--bind`.
    pub bind: Option<String>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--database-url`.
    pub database_url: Option<String>,
}

/// A configuration problem, naming the key or file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A layer could not be read or has a wrong or unknown key.
    #[error("configuration: {0}")]
    Read(String),
    /// A value is out of range.
    #[error("configuration: {key}: {problem}")]
    Invalid {
        /// The dotted key.
        key: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl Settings {
    /// Reads every layer. The config file is `overrides.config_file`, else `SIRR_CONFIG`.
    pub fn load(overrides: &Overrides) -> Result<Self, ConfigError> {
        let file = overrides
            .config_file
            .clone()
            .or_else(|| std::env::var_os("SIRR_CONFIG").map(PathBuf::from));
        let mut figment = Figment::new().merge(Toml::string(DEFAULT_TOML));
        if let Some(file) = &file {
            if !file.is_file() {
                return Err(ConfigError::Read(format!(
                    "config file {} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment.merge(
            Env::prefixed("SIRR_")
                .filter(|key| is_setting(key.as_str()))
                .split("__")
                .lowercase(true),
        );
        let mut settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Read(e.to_string().replace('\n', "; ")))?;
        if let Some(bind) = &overrides.bind {
            settings.server.bind.clone_from(bind);
        }
        if let Some(dir) = &overrides.data_dir {
            settings.server.data_dir.clone_from(dir);
        }
        if let Some(url) = &overrides.database_url {
            settings.database.url.clone_from(url);
        }
        settings.validate()?;
        Ok(settings)
    }

    /// Checks values that types cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, problem: &str| {
            Err(ConfigError::Invalid {
                key,
                problem: problem.to_owned(),
            })
        };
        if self.server.bind.parse::<SocketAddr>().is_err() {
            return invalid(
                "server.bind",
                "expected HOST:PORT, for example 127.0.0.1:8080",
            );
        }
        if self.server.json_limit < 1024 {
            return invalid("server.json_limit", "must be at least 1024 bytes");
        }
        if self.server.blocking_threads == 0 {
            return invalid("server.blocking_threads", "must be at least 1");
        }
        if self.database.pool_size == 0 {
            return invalid("database.pool_size", "must be at least 1");
        }
        if self.auth.access_token_ttl_s.is_zero() || self.auth.refresh_token_ttl_s.is_zero() {
            return invalid("auth", "token lifetimes must be positive");
        }
        if self.auth.throttle_window_s.is_zero() {
            return invalid("auth.throttle_window_s", "must be positive");
        }
        if !self.auth.signing_key.is_empty() && self.auth.signing_key.expose().len() < 32 {
            return invalid(
                "auth.signing_key",
                "must be at least 32 characters (or empty)",
            );
        }
        let public = &self.server.public_url;
        if !public.is_empty()
            && !((public.starts_with("http://") || public.starts_with("https://"))
                && public.len() > "https://".len()
                && !public.contains(char::is_whitespace)
                && !public.contains(['#', '?']))
        {
            return invalid(
                "server.public_url",
                "expected an address like https://sirr.example.org (or empty)",
            );
        }
        if self.auth.reset_link_ttl_s.is_zero()
            || self.auth.invitation_ttl_s.is_zero()
            || self.auth.reset_letters_per_hour == 0
        {
            return invalid(
                "auth",
                "reset_link_ttl_s, invitation_ttl_s and reset_letters_per_hour must be positive",
            );
        }
        if self.storage.max_attachment_bytes < 1024 {
            return invalid(
                "storage.max_attachment_bytes",
                "must be at least 1024 bytes",
            );
        }
        if self.storage.max_attachments_per_assignment == 0
            || self.storage.max_attachments_per_shopper_per_day == 0
        {
            return invalid("storage", "attachment quotas must be at least 1");
        }
        if self.report.render_timeout_ms.is_zero() {
            return invalid("report.render_timeout_ms", "must be positive");
        }
        if self.report.max_concurrent_renders == 0 {
            return invalid("report.max_concurrent_renders", "must be at least 1");
        }
        let events = &self.events;
        if events.poll_interval_ms.is_zero() || events.batch_size == 0 || events.concurrency == 0 {
            return invalid(
                "events",
                "poll_interval_ms, batch_size and concurrency must be positive",
            );
        }
        if events.timeout_ms.is_zero() || events.lease_s <= events.timeout_ms {
            return invalid(
                "events.lease_s",
                "must be longer than events.timeout_ms, or a slow delivery would be sent twice",
            );
        }
        if events.retry_first_ms.is_zero() || events.retry_first_ms > Duration::from_secs(30) {
            return invalid(
                "events.retry_first_ms",
                "must be between 1 and 30000 (the first retry comes within 30 s)",
            );
        }
        if events.retry_max_s.is_zero()
            || events.retry_window_s.is_zero()
            || events.due_scan_interval_s.is_zero()
        {
            return invalid(
                "events",
                "retry_max_s, retry_window_s and due_scan_interval_s must be positive",
            );
        }
        if !(1..=28).contains(&events.report_ready_day) {
            return invalid(
                "events.report_ready_day",
                "must be a day between 1 and 28 (every month has it)",
            );
        }
        if events.review_backlog_after_h.is_zero() {
            return invalid("events.review_backlog_after_h", "must be positive");
        }
        if !self.smtp.host.is_empty() && self.smtp.from.parse::<lettre::message::Mailbox>().is_err()
        {
            return invalid(
                "smtp.from",
                "must be an address (no-reply@example.org or sirr <no-reply@example.org>) when smtp.host is set",
            );
        }
        match self.storage.backend {
            StorageBackend::Local => {}
            StorageBackend::S3 => {
                if self.storage.s3_bucket.is_empty() {
                    return invalid(
                        "storage.s3_bucket",
                        "is required when storage.backend = \"s3\"",
                    );
                }
                if self.storage.s3_region.is_empty() {
                    return invalid(
                        "storage.s3_region",
                        "is required when storage.backend = \"s3\"",
                    );
                }
            }
        }
        Ok(())
    }

    /// The listen address.
    pub fn bind_addr(&self) -> SocketAddr {
        self.server
            .bind
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    /// The database URL in effect: the configured one, or the SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            self.server.data_dir.join("sirr.db").display().to_string()
        } else {
            self.database.url.clone()
        }
    }

    /// The SQLite busy timeout.
    pub fn busy_timeout(&self) -> Duration {
        self.database.busy_timeout_ms
    }

    /// The settings as TOML with secrets masked: every [`Secret`] and any password in the
    /// database URL.
    pub fn masked_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database.url = mask_url_password(&shown.database.url);
        toml::to_string_pretty(&shown).unwrap_or_default()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:********@host/db`.
pub fn mask_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:********@{host}"),
        None => url.to_owned(),
    }
}

/// Makes sure the data directory exists.
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_reads_and_validates() {
        let settings: Settings = Figment::new()
            .merge(Toml::string(DEFAULT_TOML))
            .extract()
            .unwrap();
        settings.validate().unwrap();
        assert_eq!(settings.server.bind, "127.0.0.1:8080");
        assert_eq!(settings.database_url(), "./data/sirr.db");
        assert_eq!(settings.storage.backend, StorageBackend::Local);
        assert_eq!(settings.log.format, LogFormat::Text);
        assert_eq!(settings.smtp.starttls, StartTls::Opportunistic);
        assert_eq!(settings.storage.max_attachment_bytes, 10 * 1024 * 1024);
        assert_eq!(settings.storage.max_attachments_per_assignment, 20);
        assert_eq!(settings.report.max_concurrent_renders, 2);
    }

    #[test]
    fn storage_settings_are_checked_and_the_s3_secret_masked() {
        let mut settings: Settings = Figment::new()
            .merge(Toml::string(DEFAULT_TOML))
            .extract()
            .unwrap();
        settings.storage.backend = StorageBackend::S3;
        assert!(
            settings
                .validate()
                .unwrap_err()
                .to_string()
                .contains("storage.s3_bucket")
        );
        settings.storage.s3_bucket = "sirr".into();
        settings.storage.s3_secret_access_key = Secret::new("wJalrXUtnFEMI/K7MDENG");
        settings.validate().unwrap();
        let shown = settings.masked_toml();
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(
            shown.contains("s3_secret_access_key = \"********\""),
            "{shown}"
        );
        assert!(!format!("{settings:?}").contains("wJalrXUtnFEMI"));
    }

    #[test]
    fn a_value_outside_a_settings_choices_is_refused_with_its_key_and_choices() {
        for (key, value, choices) in [
            ("storage.backend", "ftp", &["local", "s3"][..]),
            ("log.format", "xml", &["text", "json"]),
            (
                "smtp.starttls",
                "always",
                &["opportunistic", "required", "never", "wrapper"],
            ),
        ] {
            let (section, name) = key.split_once('.').unwrap();
            let error = Figment::new()
                .merge(Toml::string(DEFAULT_TOML))
                .merge(Toml::string(&format!("[{section}]\n{name} = \"{value}\"")))
                .extract::<Settings>()
                .unwrap_err()
                .to_string();
            assert!(error.contains(key), "{key}: {error}");
            assert!(error.contains(&format!("`{value}`")), "{key}: {error}");
            for choice in choices {
                assert!(error.contains(&format!("`{choice}`")), "{key}: {error}");
            }
        }
    }

    #[test]
    fn only_variables_that_name_a_section_are_settings() {
        assert!(is_setting("DATABASE__URL"));
        assert!(is_setting("SMTP__PASSWORD"));
        assert!(is_setting("SERVER__NO_SUCH"));
        // A single underscore is a mistake worth an error, not a variable to skip.
        assert!(is_setting("DATABASE_URL"));
        assert!(is_setting("LOG"));
        // Not settings: the admin bootstrap, the config path, test and tool variables.
        for other in [
            "CONFIG",
            "ADMIN_EMAIL",
            "ADMIN_PASSWORD",
            "TEST_DATABASE_URL",
            "TEST_SMTP_PYTHON",
            "STUDY_PYTHON",
            "KEEP_REPORTS",
            "LOGO",
        ] {
            assert!(!is_setting(other), "{other}");
        }
    }

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(
            mask_url_password("postgres://sirr:s3cret@db.example:5432/sirr"),
            "postgres://sirr:********@db.example:5432/sirr"
        );
        assert_eq!(
            mask_url_password("postgres://db/sirr"),
            "postgres://db/sirr"
        );
        assert_eq!(mask_url_password("./data/sirr.db"), "./data/sirr.db");
    }
}
