//! Secrets Dunwell must read back (webhook signing secrets), sealed at rest with the server's
//! secret key: XChaCha20-Poly1305, a random 24-byte nonce per value, stored as
//! `v1.<nonce>.<ciphertext>` (base64url). A value sealed under another key, or changed in the
//! database, does not open.
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

/// The server's 32-byte secret key. `Debug` prints nothing of it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

/// Why a sealed value does not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// Not `v1.<nonce>.<ciphertext>`.
    #[error("the sealed value is malformed")]
    Malformed,
    /// Sealed under another key, or altered.
    #[error("the sealed value does not open with this server's secret key")]
    WrongKey,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> Self {
        Self(crate::secret::random_bytes())
    }

    /// From its text form: 32 bytes in base64 (standard or URL-safe).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let bytes = STANDARD
            .decode(raw)
            .or_else(|_| URL_SAFE_NO_PAD.decode(raw.trim_end_matches('=')))
            .map_err(|_| "must be 32 bytes in base64 (`openssl rand -base64 32`)".to_owned())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "must be 32 bytes in base64 (`openssl rand -base64 32`)".to_owned())?;
        Ok(Self(key))
    }

    /// The key in `path`, made (readable by this user only) when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                write_private(path, &STANDARD.encode(key.0))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                tracing::info!(path = %path.display(), "made the server's secret key");
                Ok(key)
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }

    /// Seals `plaintext`.
    pub fn seal(&self, plaintext: &str) -> String {
        let nonce: [u8; 24] = crate::secret::random_bytes();
        let sealed = self
            .cipher()
            .encrypt(&XNonce::from(nonce), plaintext.as_bytes())
            .expect("XChaCha20-Poly1305 seals any value that fits in memory");
        format!(
            "v1.{}.{}",
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(sealed)
        )
    }

    /// Opens what [`SecretKey::seal`] made.
    pub fn open(&self, sealed: &str) -> Result<String, SealError> {
        let mut parts = sealed.split('.');
        let (Some("v1"), Some(nonce), Some(body), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(SealError::Malformed);
        };
        let nonce: [u8; 24] = URL_SAFE_NO_PAD
            .decode(nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or(SealError::Malformed)?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Malformed)?;
        let plain = self
            .cipher()
            .decrypt(&XNonce::from(nonce), body.as_slice())
            .map_err(|_| SealError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| SealError::Malformed)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_unaltered() {
        let key = SecretKey::generate();
        let sealed = key.seal("whsec_abc");
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(sealed, key.seal("whsec_abc"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).as_deref(), Ok("whsec_abc"));
        assert_eq!(
            SecretKey::generate().open(&sealed),
            Err(SealError::WrongKey)
        );
        let mut altered = sealed.clone();
        let last = altered.pop().expect("non-empty");
        altered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(key.open(&altered).is_err());
        assert_eq!(key.open("v2.x.y"), Err(SealError::Malformed));
        assert!(format!("{key:?}").contains("***"));
    }

    #[test]
    fn a_key_file_is_made_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!(
            "dunwell-key-{}",
            crate::secret::hex(&crate::secret::random_bytes::<6>())
        ));
        let path = dir.join("secret.key");
        let made = SecretKey::load_or_create(&path).expect("made");
        let again = SecretKey::load_or_create(&path).expect("read");
        assert_eq!(again.open(&made.seal("x")).as_deref(), Ok("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(SecretKey::parse("c2hvcnQ=").is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
