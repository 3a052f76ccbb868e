//! Password hashing: argon2id with the crate's default parameters, stored as PHC strings.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;

/// Hashes a password (about 18 ms; run it off the request threads).
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the PHC string `phc`.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Longest password accepted, in characters (hashing cost stays bounded).
pub const MAX_LENGTH: usize = 1024;

/// Why a new password is refused, if it is, in words for the reader's language.
pub fn policy_problem(password: &str) -> Option<crate::i18n::Msg> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        Some(crate::msg!("password-too-short", min = MIN_LENGTH))
    } else if chars > MAX_LENGTH {
        Some(crate::msg!("password-too-long", max = MAX_LENGTH))
    } else {
        None
    }
}

/// Why a new password is refused, if it is.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!("must be at least {MIN_LENGTH} characters"));
    }
    Ok(())
}

/// A random password for generated accounts (20 hex digits, shown once).
pub fn generate() -> Result<String, String> {
    sirr_store::ids::random_hex(10).map_err(|e| format!("no randomness available: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_and_verify() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("wrong", &phc));
        assert!(!verify("anything", "not a phc string"));
        assert!(check_strength("short").is_err());
        assert_eq!(generate().unwrap().len(), 20);
    }
}
