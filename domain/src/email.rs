//! A customer's or staff member's email address, normalised for matching.

/// The longest address SMTP can carry (RFC 5321 path limit minus the angle brackets).
pub const MAX_EMAIL_LEN: usize = 254;
/// The longest local part (before the `@`) RFC 5321 allows.
pub const MAX_LOCAL_PART_LEN: usize = 64;

/// A syntactically valid, trimmed, lower-cased email address.
///
/// Lower-casing the whole address is a deliberate simplification: the portal signs people
/// in by "the exact email on file", and case-insensitive matching is what users expect.
/// Only ASCII addresses are accepted (no SMTPUTF8 / IDN), which rules out look-alike
/// characters in sign-in emails. `Debug` masks the local part so logs never hold addresses.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// Why a string is not an acceptable email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was entered.
    #[error("the email address is empty")]
    Empty,
    /// Longer than 254 characters.
    #[error("the email address is too long")]
    TooLong,
    /// There is no `@`.
    #[error("the email address has no @")]
    MissingAt,
    /// There is more than one `@`.
    #[error("the email address has more than one @")]
    MultipleAt,
    /// Nothing before the `@`.
    #[error("the part before the @ is empty")]
    EmptyLocalPart,
    /// More than 64 characters before the `@`.
    #[error("the part before the @ is too long")]
    LocalPartTooLong,
    /// A whitespace, control, non-ASCII or otherwise disallowed character, or a misplaced dot.
    #[error("the email address contains an invalid character")]
    InvalidCharacter,
    /// The part after the `@` is not a dotted host name.
    #[error("the domain of the email address is not valid")]
    InvalidDomain,
}

impl EmailAddress {
    /// Trims, lower-cases and checks an address typed by a person.
    pub fn parse(input: &str) -> Result<EmailAddress, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        // Checked before anything else: a CR/LF inside an address is a header injection.
        if trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
        {
            return Err(EmailError::InvalidCharacter);
        }
        let address = trimmed.to_ascii_lowercase();
        if address.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let mut parts = address.split('@');
        let (Some(local), Some(domain)) = (parts.next(), parts.next()) else {
            return Err(EmailError::MissingAt);
        };
        if parts.next().is_some() {
            return Err(EmailError::MultipleAt);
        }
        check_local_part(local)?;
        check_domain(domain)?;
        Ok(EmailAddress(address))
    }

    /// The full address, for sending and for matching against the address on file.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(local, _)| local)
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, domain)| domain)
    }

    /// A privacy-preserving form for logs and "we sent a link to …" pages: `g***@example.com`.
    pub fn masked(&self) -> String {
        let first = self.local_part().chars().next().unwrap_or('*');
        format!("{first}***@{}", self.domain())
    }
}

fn check_local_part(local: &str) -> Result<(), EmailError> {
    if local.is_empty() {
        return Err(EmailError::EmptyLocalPart);
    }
    if local.len() > MAX_LOCAL_PART_LEN {
        return Err(EmailError::LocalPartTooLong);
    }
    // RFC 5322 dot-atom: quoted local parts and comments are legal but only ever seen in
    // attacks and parser-confusion tricks, so they are refused.
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    if !local.chars().all(|c| atext(c) || c == '.')
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return Err(EmailError::InvalidCharacter);
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), EmailError> {
    if !domain.contains('.') {
        return Err(EmailError::InvalidDomain);
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if domain.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(EmailError::InvalidDomain)
    }
}

impl core::fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("EmailAddress").field(&self.masked()).finish()
    }
}

impl core::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&value)
    }
}

impl TryFrom<&str> for EmailAddress {
    type Error = EmailError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        EmailAddress::parse(value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> String {
        value.0
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        let cases: &[(&str, &str)] = &[
            ("giulia@example.com", "giulia@example.com"),
            ("  Giulia.Rossi@Example.COM \n", "giulia.rossi@example.com"),
            ("a+tag@mail.example.co.uk", "a+tag@mail.example.co.uk"),
            ("o'neil@x-y.io", "o'neil@x-y.io"),
            ("1@2.de", "1@2.de"),
        ];
        for (input, expected) in cases {
            assert_eq!(EmailAddress::parse(input).unwrap().as_str(), *expected);
        }
    }

    #[test]
    fn rejects_bad_addresses() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_total = format!("a@{}.com", "b".repeat(250));
        let cases: &[(&str, EmailError)] = &[
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("giulia.example.com", EmailError::MissingAt),
            ("a@b@example.com", EmailError::MultipleAt),
            ("@example.com", EmailError::EmptyLocalPart),
            (&long_local, EmailError::LocalPartTooLong),
            (&long_total, EmailError::TooLong),
            ("gi ulia@example.com", EmailError::InvalidCharacter),
            (
                "giulia@example.com\r\nBcc: x@y.z",
                EmailError::InvalidCharacter,
            ),
            ("giulia\u{0}@example.com", EmailError::InvalidCharacter),
            ("giulià@example.com", EmailError::InvalidCharacter),
            ("\"g\"@example.com", EmailError::InvalidCharacter),
            ("<b>giulia@example.com", EmailError::InvalidCharacter),
            ("giulia@example.com>", EmailError::InvalidDomain),
            (".g@example.com", EmailError::InvalidCharacter),
            ("g.@example.com", EmailError::InvalidCharacter),
            ("g..r@example.com", EmailError::InvalidCharacter),
            ("g<x>@example.com", EmailError::InvalidCharacter),
            ("giulia@", EmailError::InvalidDomain),
            ("giulia@localhost", EmailError::InvalidDomain),
            ("giulia@example..com", EmailError::InvalidDomain),
            ("giulia@.example.com", EmailError::InvalidDomain),
            ("giulia@example.com.", EmailError::InvalidDomain),
            ("giulia@-example.com", EmailError::InvalidDomain),
            ("giulia@exa_mple.com", EmailError::InvalidDomain),
            ("giulia@[127.0.0.1]", EmailError::InvalidDomain),
        ];
        for (input, expected) in cases {
            assert_eq!(
                EmailAddress::parse(input),
                Err(*expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn debug_is_masked_display_is_not() {
        let email = EmailAddress::parse("giulia@example.com").unwrap();
        assert_eq!(format!("{email:?}"), "EmailAddress(\"g***@example.com\")");
        assert_eq!(email.masked(), "g***@example.com");
        assert_eq!(email.to_string(), "giulia@example.com");
        assert_eq!(email.local_part(), "giulia");
        assert_eq!(email.domain(), "example.com");
    }

    proptest! {
        #[test]
        fn parse_is_idempotent_and_never_panics(
            input in "\\PC{0,40}",
            local in "[A-Za-z0-9+_]{1,20}",
            domain in "[a-z0-9]{1,10}\\.[a-z]{2,6}",
        ) {
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
                let first = email.local_part().chars().next().unwrap();
                prop_assert_eq!(format!("{email:?}"), format!("EmailAddress(\"{first}***@{}\")", email.domain()));
            }
            let valid = format!(" {local}@{domain} ");
            let email = EmailAddress::parse(&valid).unwrap();
            prop_assert_eq!(email.as_str(), valid.trim().to_ascii_lowercase());
        }
    }
}
