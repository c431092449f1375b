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

pub(crate) fn hex(bytes: &[u8]) -> String {
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

/// Where request handlers hash and check passwords: Argon2 takes a core for ~20 ms, so it
/// runs on the blocking pool, at most `concurrency` at once, and the async workers stay free
/// to answer every other request (a sign-in storm cannot stall the health check).
#[derive(Clone)]
pub struct PasswordHasher {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl PasswordHasher {
    /// A hasher running at most `concurrency` (at least 1) hashes at once.
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1))),
        }
    }

    /// [`verify_password`] off the async workers.
    pub async fn verify(&self, password: &str, stored: &str) -> bool {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.run(move || verify_password(&password, &stored))
            .await
            .unwrap_or(false)
    }

    /// [`hash_password`] off the async workers.
    pub async fn hash(&self, password: &str) -> Result<String, String> {
        let password = password.to_owned();
        self.run(move || hash_password(&password))
            .await
            .unwrap_or_else(|| Err("password hashing was interrupted".into()))
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        // The semaphore is never closed, so acquiring only waits.
        let _permit = self.permits.acquire().await.ok()?;
        tokio::task::spawn_blocking(work).await.ok()
    }
}

/// A shared secret that a client presents as `Authorization: Bearer …` (the `/metrics`
/// token). Only its SHA-256 is kept, and it is compared in constant time.
#[derive(Clone)]
pub struct BearerSecret(TokenHash);

impl BearerSecret {
    /// Keeps the hash of `raw`.
    pub fn new(raw: &str) -> Self {
        Self(Token::from_client(raw).hash())
    }

    /// Whether an `Authorization` header value carries this secret.
    pub fn accepts(&self, authorization: Option<&str>) -> bool {
        authorization
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|presented| {
                Token::from_client(presented.trim())
                    .hash()
                    .matches(self.0.as_str())
            })
    }
}

impl std::fmt::Debug for BearerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerSecret(***)")
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

    #[test]
    fn a_bearer_secret_accepts_only_itself() {
        let secret = BearerSecret::new("a-long-metrics-token");
        assert!(secret.accepts(Some("Bearer a-long-metrics-token")));
        assert!(!secret.accepts(Some("Bearer a-long-metrics-tokem")));
        assert!(!secret.accepts(Some("a-long-metrics-token")));
        assert!(!secret.accepts(None));
        assert_eq!(format!("{secret:?}"), "BearerSecret(***)");
    }

    #[tokio::test]
    async fn the_hasher_runs_off_the_async_workers() {
        let hasher = PasswordHasher::new(1);
        let stored = hasher.hash("correct horse").await.unwrap();
        assert!(hasher.verify("correct horse", &stored).await);
        assert!(!hasher.verify("wrong", &stored).await);
    }
}
