//! The card security code.

/// A 3- or 4-digit card security code.
///
/// Never stored, never serialized (no serde at all), masked in `Debug`: it exists only to
/// be handed to the gateway once.
#[derive(Clone, PartialEq, Eq)]
pub struct Cvc(String);

/// Why a string is not a security code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CvcError {
    /// Something other than digits.
    #[error("the security code contains only digits")]
    NotDigits,
    /// Not 3 or 4 digits.
    #[error("the security code has 3 or 4 digits")]
    WrongLength,
}

impl Cvc {
    /// Parses a security code as typed (surrounding whitespace ignored).
    pub fn parse(input: &str) -> Result<Cvc, CvcError> {
        let code = input.trim();
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CvcError::NotDigits);
        }
        if !(3..=4).contains(&code.len()) {
            return Err(CvcError::WrongLength);
        }
        Ok(Cvc(code.to_owned()))
    }

    /// The digits. **Only the payment gateway adapter may call this.**
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for Cvc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Cvc(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_codes() {
        let cases: &[(&str, Result<&str, CvcError>)] = &[
            ("123", Ok("123")),
            ("0000", Ok("0000")),
            (" 737 ", Ok("737")),
            ("", Err(CvcError::WrongLength)),
            ("12", Err(CvcError::WrongLength)),
            ("12345", Err(CvcError::WrongLength)),
            ("12a", Err(CvcError::NotDigits)),
            ("1 23", Err(CvcError::NotDigits)),
            ("-123", Err(CvcError::NotDigits)),
        ];
        for (input, expected) in cases {
            let got = Cvc::parse(input);
            assert_eq!(
                got.as_ref().map(Cvc::expose),
                expected.as_ref().copied(),
                "input {input:?}"
            );
        }
        assert_eq!(format!("{:?}", Cvc::parse("123").unwrap()), "Cvc(***)");
    }

    proptest! {
        #[test]
        fn accepts_exactly_three_or_four_digits(input in "[0-9a ]{0,6}") {
            let expected = {
                let t = input.trim();
                (3..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
            };
            let parsed = Cvc::parse(&input);
            prop_assert_eq!(parsed.is_ok(), expected);
            if let Ok(cvc) = parsed {
                let shown = format!("{cvc:?}");
                prop_assert!(!shown.contains(cvc.expose()));
            }
        }
    }
}
