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

/// A tax ID as customers and staff type it, stored upper-case without spaces, dots or
/// dashes (`IT 123.456-789 01` → `IT12345678901`). One of:
/// - a VAT number of an EU country: its prefix (`EL` for Greece, `XI` for Northern Ireland)
///   and that country's format ([`eu_vat_format`]); an Italian partita IVA must also pass
///   its check digit;
/// - a VAT number of another country: a two-letter prefix and 2 to 12 letters and digits,
///   at least one digit;
/// - an Italian codice fiscale: a person's 16 characters, with their check letter; or a
///   company's 11 digits (its partita IVA), with their check digit.
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
        // Every format below is ASCII (and indexes bytes).
        if !compact.is_ascii() {
            return Err(VatNumberError::Invalid);
        }
        let valid = if compact.len() == 11 && compact.bytes().all(|b| b.is_ascii_digit()) {
            italian_check_digit(&compact)
        } else if compact.len() == 16
            && !compact.bytes().take(2).any(|b| b.is_ascii_digit())
            && codice_fiscale(&compact)
        {
            true
        } else {
            let (prefix, rest) = compact.split_at_checked(2).ok_or(VatNumberError::Invalid)?;
            match eu_vat_format(prefix) {
                Some(format) => format(rest) && (prefix != "IT" || italian_check_digit(rest)),
                None => {
                    prefix.bytes().all(|b| b.is_ascii_uppercase())
                        && (2..=12).contains(&rest.len())
                        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
                        && rest.bytes().any(|b| b.is_ascii_digit())
                }
            }
        };
        if !valid {
            return Err(VatNumberError::Invalid);
        }
        Ok(Some(VatNumber(compact)))
    }

    /// The compact, upper-case number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is an Italian person's codice fiscale (invoices label it "C.F.", not
    /// as a VAT number).
    pub fn is_codice_fiscale(&self) -> bool {
        self.0.len() == 16 && codice_fiscale(&self.0)
    }
}

/// Whether every byte of `s` is an ASCII digit (and there is at least one).
fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The shape of the part after the prefix of an EU country's VAT number (as the
/// Commission's VIES service describes them), or `None` for a prefix that is not an EU
/// country's. Greece is `EL` and Northern Ireland `XI`.
pub fn eu_vat_format(prefix: &str) -> Option<fn(&str) -> bool> {
    fn n(s: &str, lens: &[usize]) -> bool {
        digits(s) && lens.contains(&s.len())
    }
    let format: fn(&str) -> bool = match prefix {
        "AT" => |s| s.len() == 9 && s.starts_with('U') && digits(&s[1..]),
        "BE" => |s| n(s, &[10]) && matches!(s.as_bytes()[0], b'0' | b'1'),
        "BG" => |s| n(s, &[9, 10]),
        "CY" => |s| s.len() == 9 && digits(&s[..8]) && s.as_bytes()[8].is_ascii_uppercase(),
        "CZ" => |s| n(s, &[8, 9, 10]),
        // Greece's VIES prefix is EL; GR, its ISO code, is what people often type.
        "DE" | "EE" | "EL" | "GR" | "PT" => |s| n(s, &[9]),
        "DK" | "FI" | "HU" | "LU" | "MT" | "SI" => |s| n(s, &[8]),
        "ES" => |s| {
            let b = s.as_bytes();
            s.len() == 9
                && b[0].is_ascii_alphanumeric()
                && digits(&s[1..8])
                && b[8].is_ascii_alphanumeric()
                && !(b[0].is_ascii_digit() && b[8].is_ascii_digit())
        },
        "FR" => |s| {
            s.len() == 11
                && s[..2].bytes().all(|b| {
                    b.is_ascii_digit() || (b.is_ascii_uppercase() && b != b'O' && b != b'I')
                })
                && digits(&s[2..])
        },
        "HR" | "IT" | "LV" => |s| n(s, &[11]),
        "IE" => |s| {
            let b = s.as_bytes();
            let letter = |c: u8| c.is_ascii_uppercase();
            // 1234567T, 1234567TW (since 2013), or the old 1A23456T.
            (matches!(s.len(), 8 | 9) && digits(&s[..7]) && b[7..].iter().all(|&c| letter(c)))
                || (s.len() == 8
                    && b[0].is_ascii_digit()
                    && (letter(b[1]) || b[1] == b'+' || b[1] == b'*')
                    && digits(&s[2..7])
                    && letter(b[7]))
        },
        "LT" => |s| n(s, &[9, 12]),
        "NL" => |s| s.len() == 12 && digits(&s[..9]) && &s[9..10] == "B" && digits(&s[10..]),
        "PL" | "SK" => |s| n(s, &[10]),
        "RO" => |s| n(s, &[2, 3, 4, 5, 6, 7, 8, 9, 10]),
        "SE" => |s| n(s, &[12]),
        "XI" => {
            |s| n(s, &[9, 12]) || ((s.starts_with("GD") || s.starts_with("HA")) && n(&s[2..], &[3]))
        }
        _ => return None,
    };
    Some(format)
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

/// An Italian person's codice fiscale: six letters (surname and name), the year (two
/// digits), the month (one of `ABCDEHLMPRST`), the day (two digits, plus 40 for women), the
/// place (a letter and three digits), and a check letter. Where two people would share one,
/// digits are replaced by letters (`LMNPQRSTUV` for 0 to 9, "omocodia").
fn codice_fiscale(cf: &str) -> bool {
    let b = cf.as_bytes();
    if b.len() != 16 {
        return false;
    }
    let digit_or_omocode = |c: u8| c.is_ascii_digit() || b"LMNPQRSTUV".contains(&c);
    let shape = b[..6].iter().all(u8::is_ascii_uppercase)
        && b"ABCDEHLMPRST".contains(&b[8])
        && b[11].is_ascii_uppercase()
        && b[15].is_ascii_uppercase()
        && [6, 7, 9, 10, 12, 13, 14]
            .iter()
            .all(|&i| digit_or_omocode(b[i]));
    if !shape {
        return false;
    }
    // The check letter: characters in odd places (1st, 3rd…) count by this table, in
    // even places by their value (0-9, A-Z as 0-25); the sum modulo 26 is the letter.
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let sum: u32 = b[..15]
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let value = if c.is_ascii_digit() {
                c - b'0'
            } else {
                c - b'A'
            };
            if i % 2 == 0 {
                ODD[usize::from(value)]
            } else {
                u32::from(value)
            }
        })
        .sum();
    u32::from(b[15] - b'A') == sum % 26
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
    fn eu_vat_numbers_follow_their_country_format() {
        for good in [
            "ATU12345678",
            "BE0123456789",
            "BG123456789",
            "CY12345678L",
            "CZ12345678",
            "DK12345678",
            "EL123456789",
            "ESX1234567R",
            "ESA12345678",
            "FI12345678",
            "FRXX123456789",
            "FR12345678901",
            "HR12345678901",
            "HU12345678",
            "IE1234567T",
            "IE1234567TW",
            "IE1A23456T",
            "LT123456789",
            "LU12345678",
            "LV12345678901",
            "MT12345678",
            "NL123456789B01",
            "PL1234567890",
            "PT123456789",
            "RO12",
            "SE123456789012",
            "SI12345678",
            "SK1234567890",
            "XI123456789",
            "XIGD123",
            // Outside the EU: the general shape.
            "GB123456789",
            "CHE123456789",
        ] {
            assert!(VatNumber::parse(good).is_ok_and(|v| v.is_some()), "{good}");
        }
        for bad in [
            "AT12345678",
            "BE2123456789",
            "CY123456789",
            "DE12345678",
            "DK1234567",
            "ES123456789",
            "FRIO123456789",
            "NL123456789A01",
            "PL123456789",
            "SE12345678901",
            "XIAB123",
            "EL12345678",
            "GR1234567890",
            "CY1234567é",
            "ESA123456é",
            "FR1é12345678",
            "NL12345678é01",
            "IT1234567890é",
        ] {
            assert_eq!(VatNumber::parse(bad), Err(VatNumberError::Invalid), "{bad}");
        }
    }

    #[test]
    fn a_codice_fiscale_needs_its_check_letter() {
        // Mario Rossi, born in Rome on 10 December 1985.
        let cf = VatNumber::parse("rss mra 85t10 a562s").unwrap().unwrap();
        assert_eq!(cf.as_str(), "RSSMRA85T10A562S");
        // The same with omocodia (the last digit 2 written as N).
        assert!(VatNumber::parse("RSSMRA85T10A56NH").is_ok_and(|v| v.is_some()));
        assert!(cf.is_codice_fiscale());
        let piva = VatNumber::parse("IT12345678903").unwrap().unwrap();
        assert!(!piva.is_codice_fiscale());
        // A company's codice fiscale is its partita IVA's 11 digits.
        assert!(VatNumber::parse("12345678903").is_ok_and(|v| v.is_some()));
        for bad in [
            "RSSMRA85T10A562T",
            "RSSMRA85Z10A562S",
            "RSSMRA8XT10A562S",
            "12345678901",
        ] {
            assert_eq!(VatNumber::parse(bad), Err(VatNumberError::Invalid), "{bad}");
        }
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
