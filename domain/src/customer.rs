//! A customer's details as staff type them: the billing address printed on invoices and
//! the VAT number (tax ID) checked for its shape before anything is saved.

/// A billing address: up to [`BillingAddress::MAX_LINES`] non-empty lines, each trimmed,
/// at most [`BillingAddress::MAX_CHARS`] characters in all, no control characters. Empty
/// means none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillingAddress(String);

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BillingAddressError {
    /// Too many lines or characters, or a control character.
    #[error("the address is too long or contains an invalid character")]
    Invalid,
}

impl BillingAddress {
    /// The most lines.
    pub const MAX_LINES: usize = 6;
    /// The most characters, line breaks included.
    pub const MAX_CHARS: usize = 500;

    /// Normalizes line breaks and blank lines; checks the limits.
    pub fn parse(input: &str) -> Result<BillingAddress, BillingAddressError> {
        let lines: Vec<&str> = input
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let text = lines.join("\n");
        let bad_char = text.chars().any(|c| c != '\n' && c.is_control());
        if lines.len() > Self::MAX_LINES || text.chars().count() > Self::MAX_CHARS || bad_char {
            return Err(BillingAddressError::Invalid);
        }
        Ok(BillingAddress(text))
    }

    /// The address, one line per `\n`; empty for none.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A VAT number: a two-letter country prefix and 2 to 12 letters and digits, at least one
/// digit, stored upper-case without spaces, dots or dashes (`IT 123.456-789 01` →
/// `IT12345678901`). Italian numbers (11 digits) must also pass their check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatNumber(String);

/// Why a VAT number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VatNumberError {
    /// Not the shape of a VAT number, or a wrong check digit.
    #[error("not a valid VAT number")]
    Invalid,
}

impl VatNumber {
    /// Parses a typed VAT number; `Ok(None)` when empty.
    pub fn parse(input: &str) -> Result<Option<VatNumber>, VatNumberError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Ok(None);
        }
        let (prefix, rest) = compact.split_at_checked(2).ok_or(VatNumberError::Invalid)?;
        let shape = prefix.bytes().all(|b| b.is_ascii_uppercase())
            && (2..=12).contains(&rest.len())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric())
            && rest.bytes().any(|b| b.is_ascii_digit());
        if !shape || (prefix == "IT" && !italian_check_digit(rest)) {
            return Err(VatNumberError::Invalid);
        }
        Ok(Some(VatNumber(compact)))
    }

    /// The compact, upper-case number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Italian partita IVA: 11 digits whose last is a Luhn check digit.
fn italian_check_digit(digits: &str) -> bool {
    if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .enumerate()
        .map(|(i, d)| match i % 2 {
            0 => d,
            _ if d * 2 > 9 => d * 2 - 9,
            _ => d * 2,
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_bounded() {
        let a = BillingAddress::parse("  Via Roma 1 \r\n\r\n 20100 Milano  \n").unwrap();
        assert_eq!(a.as_str(), "Via Roma 1\n20100 Milano");
        assert_eq!(BillingAddress::parse("").unwrap().as_str(), "");
        assert!(BillingAddress::parse(&"x\n".repeat(7)).is_err());
        assert!(BillingAddress::parse(&"x".repeat(501)).is_err());
        assert!(BillingAddress::parse("Via\u{7}Roma").is_err());
    }

    #[test]
    fn vat_numbers_are_compacted_and_checked() {
        let it = VatNumber::parse(" it 123.456-789 03 ").unwrap().unwrap();
        assert_eq!(it.as_str(), "IT12345678903");
        assert_eq!(
            VatNumber::parse("DE123456789").unwrap().unwrap().as_str(),
            "DE123456789"
        );
        assert_eq!(VatNumber::parse("  "), Ok(None));
        for bad in [
            "IT12345678901",
            "IT1234567890",
            "1234567890",
            "D1234",
            "DEABCDEFG",
            "DE1",
            "DE12345678901234",
            "DE12345?789",
        ] {
            assert_eq!(VatNumber::parse(bad), Err(VatNumberError::Invalid), "{bad}");
        }
    }
}
