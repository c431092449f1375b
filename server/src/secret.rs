//! Random tokens and their at-rest hashes, and password hashing. Neither type derives
//! `Serialize`, and their `Debug` prints nothing secret.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A bearer token handed to a browser (session cookie, magic link). Only its hash is stored.
pub struct Token(String);

impl Token {
    /// 32 random bytes, base64url.
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
    }

    /// Wraps a token received from a client.
    pub fn from_client(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    /// The value to send to the client, and nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The hash stored in the database.
    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// SHA-256 of a token, hex: what the database keeps.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenHash(String);

impl TokenHash {
    /// The hex digest.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Constant-time comparison with a stored digest.
    pub fn matches(&self, stored: &str) -> bool {
        self.0.as_bytes().ct_eq(stored.as_bytes()).into()
    }
}

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(…)")
    }
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing leaves the process unable to do anything safely.
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf
}

/// A readable random password for generated accounts (demo owner).
pub fn generate_password() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<12>())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Argon2id hash of a password, PHC string format.
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("password hashing failed ({e})"))
}

/// Checks a password against a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    use argon2::PasswordVerifier;
    match argon2::password_hash::phc::PasswordHash::new(stored) {
        Ok(parsed) => argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.expose().len(), 43);
        assert!(
            Token::from_client(a.expose())
                .hash()
                .matches(a.hash().as_str())
        );
        assert!(!b.hash().matches(a.hash().as_str()));
        assert_eq!(format!("{a:?}"), "Token(***)");
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let stored = hash_password("correct horse").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &stored));
        assert!(!verify_password("wrong", &stored));
        assert!(!verify_password("correct horse", "not a hash"));
    }
}
