//! Standard Webhooks signatures (SPEC §10.36): `webhook-signature` is `v1,` followed by the
//! base64 of HMAC-SHA256 over `"<webhook-id>.<webhook-timestamp>.<body>"`, keyed with the secret's
//! bytes — a secret written `whsec_<base64>` is base64-decoded, any other is used as UTF-8.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Shortest and longest key accepted, in bytes (Standard Webhooks recommends 24–64).
pub const KEY_BYTES: std::ops::RangeInclusive<usize> = 16..=64;
/// Longest secret accepted as written, in characters.
pub const MAX_SECRET_CHARS: usize = 200;

/// The key bytes of a secret, or why it is not one.
pub fn key_of(secret: &str) -> Result<Vec<u8>, crate::i18n::Msg> {
    let key = match secret.strip_prefix("whsec_") {
        Some(encoded) => STANDARD
            .decode(encoded)
            .map_err(|_| crate::msg!("secret-not-base64"))?,
        None => secret.as_bytes().to_vec(),
    };
    if secret.chars().count() > MAX_SECRET_CHARS {
        return Err(crate::msg!("at-most-characters", max = MAX_SECRET_CHARS));
    }
    if !KEY_BYTES.contains(&key.len()) {
        return Err(crate::msg!(
            "secret-length",
            min = *KEY_BYTES.start(),
            max = *KEY_BYTES.end()
        ));
    }
    Ok(key)
}

/// The `webhook-signature` header value for one attempt.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length; the error case cannot happen.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// How a secret is shown after creation: its kind and last four characters.
pub fn masked(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    let head = if secret.starts_with("whsec_") {
        "whsec_"
    } else {
        ""
    };
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The example of the Standard Webhooks specification (its reference libraries' test).
    #[test]
    fn matches_the_standard_webhooks_example() {
        let key = key_of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn plain_secrets_are_their_utf8_bytes_and_bad_ones_are_refused() {
        assert_eq!(
            key_of("a-plain-secret-of-24-ch").unwrap(),
            b"a-plain-secret-of-24-ch"
        );
        assert!(key_of("short").is_err());
        assert!(key_of("whsec_!!!notbase64").is_err());
        assert!(key_of(&"x".repeat(201)).is_err());
        assert_eq!(
            masked("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "whsec_…LaSw"
        );
    }
}
