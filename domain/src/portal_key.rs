//! The unguessable key in a merchant's portal URL: `/portal/{key}`.

/// base64url (RFC 4648 §5): safe in a URL path segment without escaping.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A portal key: 24 random bytes (192 bits) as 32 base64url characters.
///
/// Not a credential on its own (customers still sign in by magic link), but it keeps a
/// merchant's portal from being enumerated, so it is treated as one: not `Serialize`, and
/// `Debug` shows only the first four characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PortalKey(String);

/// Why a string is not a portal key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PortalKeyError {
    /// Not exactly 32 characters.
    #[error("a portal key has 32 characters")]
    WrongLength,
    /// A character outside `A-Z a-z 0-9 - _`.
    #[error("invalid character in portal key")]
    InvalidCharacter,
}

impl PortalKey {
    /// The length of every key.
    pub const LEN: usize = 32;

    /// A new key from 24 caller-supplied random bytes (from the OS CSPRNG, never a seeded PRNG).
    pub fn from_random(bytes: [u8; 24]) -> PortalKey {
        let mut out = String::with_capacity(Self::LEN);
        // 24 bytes are eight 3-byte groups of four 6-bit digits: no padding ever needed.
        for chunk in bytes.chunks_exact(3) {
            let group =
                (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
            for shift in [18, 12, 6, 0] {
                out.push(char::from(ALPHABET[((group >> shift) & 0x3f) as usize]));
            }
        }
        PortalKey(out)
    }

    /// Parses a key from a URL path segment (exact, no trimming).
    pub fn parse(raw: &str) -> Result<PortalKey, PortalKeyError> {
        if !raw.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(PortalKeyError::InvalidCharacter);
        }
        if raw.len() != Self::LEN {
            return Err(PortalKeyError::WrongLength);
        }
        Ok(PortalKey(raw.to_owned()))
    }

    /// The key as text, for building `/portal/{key}` URLs and for the database.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for PortalKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PortalKey({}…)", &self.0[..4])
    }
}

impl core::fmt::Display for PortalKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_known_vectors() {
        assert_eq!(PortalKey::from_random([0; 24]).as_str(), "A".repeat(32));
        assert_eq!(PortalKey::from_random([0xff; 24]).as_str(), "_".repeat(32));
        // RFC 4648 vector "foobar" -> "Zm9vYmFy", repeated.
        let bytes: [u8; 24] = *b"foobarfoobarfoobarfoobar";
        assert_eq!(PortalKey::from_random(bytes).as_str(), "Zm9vYmFy".repeat(4));
        // 0xfb 0xff -> "-_" exercises both URL-safe digits.
        let mut bytes = [0u8; 24];
        bytes[0] = 0xfb;
        bytes[1] = 0xef;
        bytes[2] = 0xbe;
        assert!(PortalKey::from_random(bytes).as_str().starts_with("----"));
    }

    #[test]
    fn parses_keys() {
        let good = "abcdEFGH0123-_xyabcdEFGH0123-_xy";
        let cases: &[(&str, Result<(), PortalKeyError>)] = &[
            (good, Ok(())),
            ("", Err(PortalKeyError::WrongLength)),
            (&good[..31], Err(PortalKeyError::WrongLength)),
            (
                "abcdEFGH0123-_xyabcdEFGH0123-_xyz",
                Err(PortalKeyError::WrongLength),
            ),
            (
                "abcdEFGH0123+/xyabcdEFGH0123-_xy",
                Err(PortalKeyError::InvalidCharacter),
            ),
            (
                "abcdEFGH0123-_xyabcdEFGH0123-_x=",
                Err(PortalKeyError::InvalidCharacter),
            ),
            (
                " bcdEFGH0123-_xyabcdEFGH0123-_xy",
                Err(PortalKeyError::InvalidCharacter),
            ),
            (
                "abcdEFGH0123-_xyabcdEFGH0123-_é",
                Err(PortalKeyError::InvalidCharacter),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                &PortalKey::parse(input).map(|_| ()),
                expected,
                "input {input:?}"
            );
        }
        let key = PortalKey::parse(good).unwrap();
        assert_eq!(format!("{key:?}"), "PortalKey(abcd…)");
        assert_eq!(key.to_string(), good);
    }

    proptest! {
        #[test]
        fn from_random_parses_back_and_is_injective(bytes in any::<[u8; 24]>(), flip in 0usize..24) {
            let key = PortalKey::from_random(bytes);
            prop_assert_eq!(PortalKey::parse(key.as_str()), Ok(key.clone()));
            let mut other = bytes;
            other[flip] ^= 0x01;
            prop_assert_ne!(PortalKey::from_random(other), key);
        }
    }
}
