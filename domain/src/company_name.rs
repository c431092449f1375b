//! The merchant's name as shown in the portal header and the browser tab.

/// A trimmed company name of 1 to [`CompanyName::MAX_CHARS`] characters with no control
/// or text-direction characters and no `<` or `>` (a name is not markup: it goes into
/// titles, emails and PDFs). It still needs HTML escaping when rendered; Leptos does that.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CompanyName(String);

/// Why a string is not an acceptable company name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CompanyNameError {
    /// Nothing but whitespace.
    #[error("the company name is empty")]
    Empty,
    /// More than `max` characters.
    #[error("the company name is longer than {max} characters")]
    TooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// A control or bidirectional-override character.
    #[error("the company name contains an invalid character")]
    InvalidCharacter,
    /// `<` or `>`: the name looks like markup.
    #[error("the company name contains < or >")]
    Markup,
}

impl CompanyName {
    /// The longest name accepted, counted in characters (not bytes).
    pub const MAX_CHARS: usize = 100;

    /// Trims and checks a name typed by staff.
    pub fn parse(input: &str) -> Result<CompanyName, CompanyNameError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(CompanyNameError::Empty);
        }
        if name.chars().any(is_forbidden) {
            return Err(CompanyNameError::InvalidCharacter);
        }
        if name.contains(['<', '>']) {
            return Err(CompanyNameError::Markup);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(CompanyNameError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(CompanyName(name.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Control characters break headers and titles; bidi overrides and isolates let a name
/// display differently from what it is (a spoofing trick in a page the customer trusts).
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl core::fmt::Display for CompanyName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CompanyName {
    type Error = CompanyNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CompanyName::parse(&value)
    }
}

impl TryFrom<&str> for CompanyName {
    type Error = CompanyNameError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        CompanyName::parse(value)
    }
}

impl From<CompanyName> for String {
    fn from(value: CompanyName) -> String {
        value.0
    }
}

impl AsRef<str> for CompanyName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_names() {
        let hundred_accented = "è".repeat(100);
        let cases: &[(&str, Result<&str, CompanyNameError>)] = &[
            ("Acme", Ok("Acme")),
            ("  Acme S.r.l.  ", Ok("Acme S.r.l.")),
            ("Caffè & Co.", Ok("Caffè & Co.")),
            ("Caffè & Co. <3", Err(CompanyNameError::Markup)),
            ("<b>Acme</b>", Err(CompanyNameError::Markup)),
            ("Acme > Others", Err(CompanyNameError::Markup)),
            ("株式会社", Ok("株式会社")),
            (&hundred_accented, Ok(&hundred_accented)),
            ("", Err(CompanyNameError::Empty)),
            (" \t\n ", Err(CompanyNameError::Empty)),
            ("Acme\nInc", Err(CompanyNameError::InvalidCharacter)),
            ("Acme\u{0}", Err(CompanyNameError::InvalidCharacter)),
            ("Acme\u{202E}cni", Err(CompanyNameError::InvalidCharacter)),
            ("Acme\u{2066}", Err(CompanyNameError::InvalidCharacter)),
        ];
        for (input, expected) in cases {
            let got = CompanyName::parse(input);
            assert_eq!(
                got.as_ref().map(CompanyName::as_str),
                expected.as_ref().copied(),
                "input {input:?}"
            );
        }
        assert_eq!(
            CompanyName::parse(&"a".repeat(101)),
            Err(CompanyNameError::TooLong { max: 100 })
        );
    }

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_bounded_and_stable(input in "\\PC{0,120}") {
            if let Ok(name) = CompanyName::parse(&input) {
                prop_assert_eq!(name.as_str(), input.trim());
                prop_assert!((1..=CompanyName::MAX_CHARS).contains(&name.as_str().chars().count()));
                prop_assert!(!name.as_str().contains(['<', '>']));
                prop_assert_eq!(CompanyName::parse(name.as_str()), Ok(name.clone()));
            }
        }
    }
}
