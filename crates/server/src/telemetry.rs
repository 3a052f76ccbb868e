//! Structured logs (tracing): readable text or JSON lines, filtered by `log.level` or
//! `RUST_LOG`. Each request is logged with a request id by `tracing-actix-web`.

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber once; later calls (tests) do nothing.
pub fn init(settings: &LogSettings) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_new(&settings.level).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if settings.format == LogFormat::Json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
