//! `Debug` stand-ins for the columns that must not reach logs: secrets (password and token
//! hashes, gateway tokens, email bodies that may carry a sign-in link) and email addresses.

use std::fmt;

/// Prints `[redacted]` in place of a secret.
pub(super) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Prints an email address as `a***@example.com`, like `domain::EmailAddress` does.
pub(super) struct MaskedEmail<'a>(pub(super) &'a str);

impl fmt::Debug for MaskedEmail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (local, domain) = self.0.split_once('@').unwrap_or(("", ""));
        let first = local.chars().next().unwrap_or('*');
        write!(f, "\"{first}***@{domain}\"")
    }
}

/// Prints the size of a blob instead of its bytes.
pub(super) struct ByteLen(pub(super) usize);

impl fmt::Debug for ByteLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}
