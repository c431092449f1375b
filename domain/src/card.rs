//! Card details typed by a customer. The full number and CVC only ever pass through on
//! their way to the payment gateway: they are never stored, logged or serialized.

mod cvc;
mod expiry;

pub use cvc::{Cvc, CvcError};
pub use expiry::{ExpiryDate, ExpiryError};

string_enum! {
    /// The card network, recognised from the number's leading digits.
    pub enum CardBrand {
        /// Visa (4…).
        Visa => "visa",
        /// Mastercard (51–55, 2221–2720).
        Mastercard => "mastercard",
        /// American Express (34, 37).
        Amex => "amex",
        /// Discover (6011, 644–649, 65).
        Discover => "discover",
        /// Any other network.
        Unknown => "unknown",
    }
}

impl CardBrand {
    /// The name shown to people, e.g. "Visa •••• 4242".
    pub const fn label(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::Amex => "American Express",
            CardBrand::Discover => "Discover",
            CardBrand::Unknown => "Card",
        }
    }

    /// Recognises the brand from leading digits; works on partial input as well.
    fn from_digits(digits: &str) -> CardBrand {
        let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
        if digits.starts_with('4') {
            CardBrand::Visa
        } else if matches!(prefix(2), Some(34 | 37)) {
            CardBrand::Amex
        } else if matches!(prefix(2), Some(51..=55)) || matches!(prefix(4), Some(2221..=2720)) {
            CardBrand::Mastercard
        } else if matches!(prefix(4), Some(6011))
            || matches!(prefix(3), Some(644..=649))
            || matches!(prefix(2), Some(65))
        {
            CardBrand::Discover
        } else {
            CardBrand::Unknown
        }
    }
}

/// A card number with 12–19 digits that passes the Luhn check. Holds digits only.
///
/// Deliberately not `Serialize` and masked in `Debug`: PCI scope ends where this type does.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

/// Why a string is not a plausible card number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    /// Something other than digits, spaces and dashes.
    #[error("a card number contains only digits")]
    NotDigits,
    /// Fewer than 12 or more than 19 digits.
    #[error("a card number has 12 to 19 digits")]
    WrongLength,
    /// The Luhn check digit does not match: most likely a typo.
    #[error("the card number is not valid; check for typos")]
    FailedChecksum,
}

impl CardNumber {
    /// The fewest digits any network issues.
    pub const MIN_DIGITS: usize = 12;
    /// The most digits any network issues.
    pub const MAX_DIGITS: usize = 19;

    /// Parses a number as typed, ignoring spaces and dashes.
    pub fn parse(input: &str) -> Result<CardNumber, CardNumberError> {
        let mut digits = String::with_capacity(Self::MAX_DIGITS);
        for c in input.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' => {}
                _ => return Err(CardNumberError::NotDigits),
            }
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(CardNumberError::WrongLength);
        }
        if !luhn_valid(&digits) {
            return Err(CardNumberError::FailedChecksum);
        }
        Ok(CardNumber(digits))
    }

    /// The card network.
    pub fn brand(&self) -> CardBrand {
        CardBrand::from_digits(&self.0)
    }

    /// The last four digits: safe to store and show.
    pub fn last4(&self) -> String {
        self.0[self.0.len() - 4..].to_owned()
    }

    /// The full digits. **Only the payment gateway adapter may call this**, to hand the
    /// number to the processor; never store, log or render the result.
    pub fn expose_digits(&self) -> &str {
        &self.0
    }

    /// Same as [`format_partial`].
    pub fn format_partial(input: &str) -> String {
        format_partial(input)
    }
}

/// Spaces a card number as it is typed: groups of 4, or 4-6-5 for American Express.
/// Non-digits are dropped and input stops at 19 digits (15 for Amex); the result is for
/// display only and never fails.
pub fn format_partial(input: &str) -> String {
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    let is_amex = CardBrand::from_digits(&digits) == CardBrand::Amex;
    let (groups, max): (&[usize], usize) = if is_amex {
        (&[4, 6, 5], 15)
    } else {
        (&[4, 4, 4, 4, 3], CardNumber::MAX_DIGITS)
    };
    let digits = &digits[..digits.len().min(max)];
    let mut out = String::with_capacity(digits.len() + groups.len());
    let mut rest = digits;
    for &size in groups {
        if rest.is_empty() {
            break;
        }
        let (group, tail) = rest.split_at(size.min(rest.len()));
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(group);
        rest = tail;
    }
    out
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl core::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "CardNumber({} ****{})",
            self.brand().as_str(),
            self.last4()
        )
    }
}

/// The name on a card or a bank account, as the customer typed it: trimmed, 1 to
/// [`CardholderName::MAX_CHARS`] characters, no control characters. The same rule for the
/// form, the server and what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardholderName(String);

/// Why a string is not an acceptable holder name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardholderNameError {
    /// Nothing but whitespace.
    #[error("the name on the card is empty")]
    Empty,
    /// Longer than [`CardholderName::MAX_CHARS`] characters.
    #[error("the name on the card is too long")]
    TooLong,
    /// A control character.
    #[error("the name on the card contains an invalid character")]
    InvalidCharacter,
}

impl CardholderName {
    /// The longest name accepted, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Trims and checks a typed name.
    pub fn parse(input: &str) -> Result<CardholderName, CardholderNameError> {
        let name = input.trim();
        if name.is_empty() {
            Err(CardholderNameError::Empty)
        } else if name.chars().any(char::is_control) {
            Err(CardholderNameError::InvalidCharacter)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(CardholderNameError::TooLong)
        } else {
            Ok(CardholderName(name.to_owned()))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CardBrand {
    /// The brand the leading digits of a number being typed point to, once there is a
    /// digit to go on (spaces and dashes ignored); `None` before, and for an unknown one.
    pub fn guess(partial: &str) -> Option<CardBrand> {
        let digits: String = partial.chars().filter(char::is_ascii_digit).collect();
        match CardBrand::from_digits(&digits) {
            _ if digits.is_empty() => None,
            CardBrand::Unknown => None,
            brand => Some(brand),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_names_are_trimmed_and_bounded() {
        let hundred = "é".repeat(100);
        let cases: &[(&str, Result<&str, CardholderNameError>)] = &[
            ("Giulia Rossi", Ok("Giulia Rossi")),
            ("  Giulia Rossi ", Ok("Giulia Rossi")),
            (&hundred, Ok(&hundred)),
            ("", Err(CardholderNameError::Empty)),
            ("   ", Err(CardholderNameError::Empty)),
            ("Giulia\nRossi", Err(CardholderNameError::InvalidCharacter)),
        ];
        for (input, expected) in cases {
            let got = CardholderName::parse(input);
            assert_eq!(
                got.as_ref().map(CardholderName::as_str),
                expected.as_ref().copied(),
                "{input:?}"
            );
        }
        assert_eq!(
            CardholderName::parse(&"é".repeat(101)),
            Err(CardholderNameError::TooLong)
        );
    }

    #[test]
    fn the_brand_guess_agrees_with_the_full_number() {
        for (partial, brand) in [
            ("", None),
            ("4", Some(CardBrand::Visa)),
            ("4242 42", Some(CardBrand::Visa)),
            ("37", Some(CardBrand::Amex)),
            ("3", None),
            ("51", Some(CardBrand::Mastercard)),
            ("2221", Some(CardBrand::Mastercard)),
            ("2", None),
            ("6011", Some(CardBrand::Discover)),
            ("9999", None),
        ] {
            assert_eq!(CardBrand::guess(partial), brand, "{partial:?}");
        }
        for number in [
            "4242424242424242",
            "5555555555554444",
            "378282246310005",
            "6011111111111117",
        ] {
            let full = CardNumber::parse(number).unwrap().brand();
            assert_eq!(CardBrand::guess(number), Some(full), "{number}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn parses_numbers() {
        let cases: &[(&str, Result<CardBrand, CardNumberError>)] = &[
            ("4242424242424242", Ok(CardBrand::Visa)),
            ("4242 4242 4242 4242", Ok(CardBrand::Visa)),
            ("4242-4242-4242-4242", Ok(CardBrand::Visa)),
            ("5555 5555 5555 4444", Ok(CardBrand::Mastercard)),
            ("2223003122003222", Ok(CardBrand::Mastercard)),
            ("378282246310005", Ok(CardBrand::Amex)),
            ("371449635398431", Ok(CardBrand::Amex)),
            ("6011111111111117", Ok(CardBrand::Discover)),
            ("6445644564456445", Ok(CardBrand::Discover)),
            ("4000000000000002", Ok(CardBrand::Visa)),
            ("4000000000000069", Ok(CardBrand::Visa)),
            ("3056930009020004", Ok(CardBrand::Unknown)),
            ("4242 4242 4242 4241", Err(CardNumberError::FailedChecksum)),
            ("4242x4242", Err(CardNumberError::NotDigits)),
            ("4242.4242.4242.4242", Err(CardNumberError::NotDigits)),
            (
                "４２４２４２４２４２４２４２４２",
                Err(CardNumberError::NotDigits),
            ),
            ("", Err(CardNumberError::WrongLength)),
            ("42424242424", Err(CardNumberError::WrongLength)),
            ("42424242424242424242", Err(CardNumberError::WrongLength)),
        ];
        for (input, expected) in cases {
            assert_eq!(
                &CardNumber::parse(input).map(|c| c.brand()),
                expected,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn brand_boundaries() {
        let cases: &[(&str, CardBrand)] = &[
            ("50", CardBrand::Unknown),
            ("51", CardBrand::Mastercard),
            ("55", CardBrand::Mastercard),
            ("56", CardBrand::Unknown),
            ("2220", CardBrand::Unknown),
            ("2221", CardBrand::Mastercard),
            ("2720", CardBrand::Mastercard),
            ("2721", CardBrand::Unknown),
            ("34", CardBrand::Amex),
            ("35", CardBrand::Unknown),
            ("6011", CardBrand::Discover),
            ("6012", CardBrand::Unknown),
            ("643", CardBrand::Unknown),
            ("65", CardBrand::Discover),
            ("", CardBrand::Unknown),
        ];
        for (digits, expected) in cases {
            assert_eq!(CardBrand::from_digits(digits), *expected, "digits {digits}");
        }
        assert_eq!(CardBrand::Amex.label(), "American Express");
        assert_eq!(CardBrand::parse("mastercard"), Ok(CardBrand::Mastercard));
    }

    #[test]
    fn masks_and_exposes() {
        let card = CardNumber::parse("4242 4242 4242 4242").unwrap();
        assert_eq!(card.last4(), "4242");
        assert_eq!(card.expose_digits(), "4242424242424242");
        assert_eq!(format!("{card:?}"), "CardNumber(visa ****4242)");
    }

    #[test]
    fn formats_partial_input() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("4", "4"),
            ("4242", "4242"),
            ("42424", "4242 4"),
            ("4242424242424242", "4242 4242 4242 4242"),
            ("4242 4242-4242x4242", "4242 4242 4242 4242"),
            ("4242424242424242123", "4242 4242 4242 4242 123"),
            ("42424242424242421234", "4242 4242 4242 4242 123"),
            ("3782", "3782"),
            ("378282", "3782 82"),
            ("378282246310005", "3782 822463 10005"),
            ("3782822463100059", "3782 822463 10005"),
        ];
        for (input, expected) in cases {
            assert_eq!(format_partial(input), *expected, "input {input:?}");
        }
    }

    proptest! {
        #[test]
        fn parse_accepts_exactly_luhn_valid_numbers(body in "[0-9]{11,18}", sep in "[ -]?") {
            // Try every final digit: exactly one makes the Luhn sum a multiple of ten.
            let valid: Vec<String> = (0..10)
                .map(|d| format!("{body}{d}"))
                .filter(|n| CardNumber::parse(n).is_ok())
                .collect();
            prop_assert_eq!(valid.len(), 1);
            let number = &valid[0];
            let groups: Vec<&str> = number.as_bytes().chunks(4).map(|c| core::str::from_utf8(c).unwrap()).collect();
            let spaced = groups.join(&sep);
            let parsed = CardNumber::parse(&spaced).unwrap();
            prop_assert_eq!(parsed.expose_digits(), number.as_str());
            prop_assert_eq!(parsed.last4(), &number[number.len() - 4..]);
        }
    }
}
