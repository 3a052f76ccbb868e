//! Sending one webhook request (blocking; the dispatcher runs it on its own threads).

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

/// Longest response body read (and kept in the log), in bytes.
const MAX_RESPONSE: u64 = 64 * 1024;
/// Longest URL accepted, in characters.
pub const MAX_URL: usize = 2000;

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The HTTP status, when the receiver answered.
    pub status: Option<u16>,
    /// Why it failed (`None`: a 2xx answer).
    pub error: Option<String>,
}

/// An HTTP client for webhooks: no redirects followed (a receiver that moved must be registered
/// again), TLS through rustls with the platform's roots, one time budget per request.
///
/// Up to `parallel` connections per receiver stay open between
/// deliveries (ureq keeps 3 by default): with more senders than that, every delivery would open
/// a new connection, and a receiver with a short listen backlog drops the surplus SYNs, which
/// costs a one-second retransmit each.
pub fn agent(timeout: Duration, parallel: usize) -> ureq::Agent {
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::PlatformVerifier)
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .max_idle_connections(parallel.max(10))
        .max_idle_connections_per_host(parallel.max(3))
        .user_agent("sirr-webhooks/1")
        .tls_config(tls)
        .build()
        .into()
}

/// Checks a receiver URL: `http` or `https`, a host, at most [`MAX_URL`] characters.
pub fn check_url(url: &str) -> Result<(), crate::i18n::Msg> {
    if url.chars().count() > MAX_URL {
        return Err(crate::msg!("at-most-characters", max = MAX_URL));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(crate::msg!("url-spaces"));
    }
    let uri: ureq::http::Uri = url.parse().map_err(|_| crate::msg!("url-invalid"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(crate::msg!("url-scheme")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(crate::msg!("url-host"));
    }
    Ok(())
}

/// Posts `body` to `url` with the Standard Webhooks headers, signed now.
pub fn send(agent: &ureq::Agent, url: &str, key: &[u8], event_id: &str, body: &str) -> Outcome {
    let timestamp = chrono::Utc::now().timestamp();
    let signature = super::sign::signature(key, event_id, timestamp, body.as_bytes());
    let result = agent
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .send(body);
    match result {
        Ok(mut response) => {
            let status = response.status().as_u16();
            // Read (a little of) the answer so the connection can be reused.
            let text = response
                .body_mut()
                .with_config()
                .limit(MAX_RESPONSE)
                .read_to_string()
                .unwrap_or_default();
            if (200..300).contains(&status) {
                Outcome {
                    status: Some(status),
                    error: None,
                }
            } else {
                let text: String = text.chars().take(500).collect();
                Outcome {
                    status: Some(status),
                    error: Some(format!("the receiver answered {status}: {text}")),
                }
            }
        }
        Err(e) => Outcome {
            status: None,
            error: Some(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://hooks.example.org/sirr?x=1").is_ok());
        assert!(check_url("http://127.0.0.1:9000/").is_ok());
        assert!(check_url("ftp://example.org/").is_err());
        assert!(check_url("https:///nohost").is_err());
        assert!(check_url("example.org/hook").is_err());
        assert!(check_url("https://example.org/a b").is_err());
        assert!(check_url(&format!("https://example.org/{}", "a".repeat(2000))).is_err());
    }
}
