//! International Bank Account Numbers for SEPA direct debit.

/// A structurally valid IBAN: compact (no spaces), upper-case, country length and
/// ISO 7064 mod-97 check passed.
///
/// Treated like a card number: not `Serialize`, masked in `Debug`; only its last 4 are stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Iban(String);

/// Why a string is not a valid IBAN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    /// Too few characters to be an IBAN (no country issues IBANs shorter than 15).
    #[error("the IBAN is too short")]
    TooShort,
    /// More than 34 characters.
    #[error("the IBAN is too long")]
    TooLong,
    /// It does not start with a two-letter country code.
    #[error("an IBAN starts with a two-letter country code")]
    InvalidCountry,
    /// A character other than letters and digits, or non-digit check digits.
    #[error("an IBAN contains only letters and digits")]
    InvalidCharacters,
    /// The length does not match the one this country uses.
    #[error("an IBAN from {country} has {expected} characters")]
    WrongLengthForCountry {
        /// The two-letter country code.
        country: String,
        /// The length IBANs of that country have.
        expected: usize,
    },
    /// The check digits do not match: most likely a typo.
    #[error("the IBAN is not valid; check for typos")]
    FailedChecksum,
}

/// IBAN lengths of the countries most merchants collect from. Others are accepted with
/// any length from 15 to 34 and still have to pass the checksum.
const COUNTRY_LENGTHS: &[(&str, usize)] = &[
    ("AT", 20),
    ("BE", 16),
    ("CH", 21),
    ("DE", 22),
    ("DK", 18),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("IE", 22),
    ("IT", 27),
    ("LU", 20),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("SE", 24),
];

const MIN_LEN: usize = 15;
const MAX_LEN: usize = 34;

impl Iban {
    /// Parses an IBAN as typed: spaces are dropped and letters upper-cased.
    pub fn parse(input: &str) -> Result<Iban, IbanError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = compact.as_bytes();
        if bytes.len() < 4 {
            return Err(IbanError::TooShort);
        }
        if !bytes[..2].iter().all(u8::is_ascii_uppercase) {
            return Err(IbanError::InvalidCountry);
        }
        if !bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            || !bytes.iter().skip(2).take(2).all(u8::is_ascii_digit)
        {
            return Err(IbanError::InvalidCharacters);
        }
        let country = &compact[..2];
        match COUNTRY_LENGTHS.iter().find(|(code, _)| *code == country) {
            Some(&(_, expected)) if bytes.len() != expected => {
                return Err(IbanError::WrongLengthForCountry {
                    country: country.to_owned(),
                    expected,
                });
            }
            Some(_) => {}
            None if bytes.len() < MIN_LEN => return Err(IbanError::TooShort),
            None if bytes.len() > MAX_LEN => return Err(IbanError::TooLong),
            None => {}
        }
        if mod97(&compact) != 1 {
            return Err(IbanError::FailedChecksum);
        }
        Ok(Iban(compact))
    }

    /// The two-letter country code.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    /// The last four characters: safe to store and show.
    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// The IBAN in groups of four, as printed on statements: `DE89 3704 0044 0532 0130 00`.
    pub fn display_grouped(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + self.0.len() / 4);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// The compact IBAN. **Only the payment gateway adapter may call this**, to create
    /// the mandate; never store, log or render the result.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// ISO 7064 MOD 97-10 over the rearranged IBAN (first four characters moved to the end,
/// letters as 10–35), folded one digit group at a time so no big integer is needed.
fn mod97(compact: &str) -> u32 {
    let (head, tail) = compact.split_at(4);
    tail.bytes().chain(head.bytes()).fold(0u32, |rem, b| {
        if b.is_ascii_digit() {
            (rem * 10 + u32::from(b - b'0')) % 97
        } else {
            (rem * 100 + u32::from(b - b'A') + 10) % 97
        }
    })
}

impl core::fmt::Debug for Iban {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Iban({}** **** {})", self.country(), self.last4())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: &[&str] = &[
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "IT60X0542811101000000123456",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "AT611904300234573201",
        "ES9121000418450200051332",
        "CH9300762011623852957",
        "IE29AIBK93115212345678",
        "PT50000201231234567890154",
        "MT84MALT011000012345MTLCAST001S",
    ];

    #[test]
    fn accepts_valid_ibans() {
        for iban in VALID {
            assert_eq!(Iban::parse(iban).unwrap().expose(), *iban);
        }
        let typed = Iban::parse(" de89 3704 0044 0532 0130 00 ").unwrap();
        assert_eq!(typed.expose(), "DE89370400440532013000");
        assert_eq!(typed.country(), "DE");
        assert_eq!(typed.last4(), "3000");
        assert_eq!(typed.display_grouped(), "DE89 3704 0044 0532 0130 00");
        assert_eq!(format!("{typed:?}"), "Iban(DE** **** 3000)");
    }

    #[test]
    fn rejects_invalid_ibans() {
        let wrong_len = |country: &str, expected| IbanError::WrongLengthForCountry {
            country: country.to_owned(),
            expected,
        };
        let cases: &[(&str, IbanError)] = &[
            ("", IbanError::TooShort),
            ("D", IbanError::TooShort),
            ("DE8", IbanError::TooShort),
            ("1289370400440532013000", IbanError::InvalidCountry),
            ("ÄE89370400440532013000", IbanError::InvalidCountry),
            ("DE8937040044053201300!", IbanError::InvalidCharacters),
            ("DE-89370400440532013000", IbanError::InvalidCharacters),
            ("DEAB370400440532013000", IbanError::InvalidCharacters),
            ("DE8937040044053201300", wrong_len("DE", 22)),
            ("DE893704004405320130000", wrong_len("DE", 22)),
            ("IT60X054281110100000012345", wrong_len("IT", 27)),
            ("XX8937040", IbanError::TooShort),
            ("XX89370400440532013000123456789012345", IbanError::TooLong),
            ("DE88370400440532013000", IbanError::FailedChecksum),
            ("DE89370400440532013001", IbanError::FailedChecksum),
            ("GB82WEST12345698765423", IbanError::FailedChecksum),
        ];
        for (input, expected) in cases {
            assert_eq!(
                &Iban::parse(input).unwrap_err(),
                expected,
                "input {input:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn single_digit_typos_are_caught(index in 4usize..22, delta in 1u8..10) {
            // Mod-97 detects every single-character substitution.
            let original = VALID[0];
            let mut bytes = original.as_bytes().to_vec();
            bytes[index] = b'0' + (bytes[index] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(Iban::parse(&typo), Err(IbanError::FailedChecksum));
            let grouped = Iban::parse(original).unwrap().display_grouped().to_lowercase();
            let reparsed = Iban::parse(&grouped).unwrap();
            prop_assert_eq!(reparsed.expose(), original);
        }
    }
}
