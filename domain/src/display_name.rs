//! Names shown to people in the console, the portal, emails and PDFs.

use crate::company_name::{CompanyName, CompanyNameError};

/// A name shown to people, a price's ("Pro monthly") or a customer's ("Marco Rossi"):
/// trimmed, 1 to [`DisplayName::MAX_CHARS`] characters, no control or text-direction
/// characters and no markup, as a company name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

/// Why a string is not an acceptable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    /// Nothing but whitespace.
    #[error("the name is empty")]
    Empty,
    /// Longer than [`DisplayName::MAX_CHARS`].
    #[error("the name is too long")]
    TooLong,
    /// A control or bidirectional character, or `<`/`>`.
    #[error("the name contains an invalid character")]
    InvalidCharacter,
}

impl DisplayName {
    /// The longest name accepted, in characters.
    pub const MAX_CHARS: usize = CompanyName::MAX_CHARS;

    /// Trims and checks a name typed by staff.
    pub fn parse(input: &str) -> Result<DisplayName, DisplayNameError> {
        CompanyName::parse(input)
            .map(|name| DisplayName(name.as_str().to_owned()))
            .map_err(|e| match e {
                CompanyNameError::Empty => DisplayNameError::Empty,
                CompanyNameError::TooLong { .. } => DisplayNameError::TooLong,
                CompanyNameError::InvalidCharacter | CompanyNameError::Markup => {
                    DisplayNameError::InvalidCharacter
                }
            })
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_display_name_rules() {
        assert_eq!(
            DisplayName::parse("  Pro monthly ").unwrap().as_str(),
            "Pro monthly"
        );
        assert_eq!(DisplayName::parse("  "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"x".repeat(DisplayName::MAX_CHARS + 1)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(
            DisplayName::parse("<b>Pro</b>"),
            Err(DisplayNameError::InvalidCharacter)
        );
        assert_eq!(
            DisplayName::parse("Pro\u{202e}"),
            Err(DisplayNameError::InvalidCharacter)
        );
    }
}
