//! The languages the portal and the console speak.

use serde::{Deserialize, Serialize};

/// A supported user-interface language. English is the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Italian.
    It,
}

/// A language tag that names no supported language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocaleError {
    /// The tag was empty or only whitespace.
    #[error("the language tag is empty")]
    Empty,
    /// A well-formed tag for a language we do not offer.
    #[error("unsupported language")]
    Unsupported,
}

impl Locale {
    /// Every supported locale, in display order.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::It];

    /// The primary language subtag: `"en"` or `"it"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::It => "it",
        }
    }

    /// Parses a BCP 47-ish tag by its primary subtag, case-insensitively:
    /// `"it"`, `"IT"`, `"it-IT"`, `"it_CH"` are all Italian.
    pub fn parse(tag: &str) -> Result<Locale, LocaleError> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(LocaleError::Empty);
        }
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Ok(Locale::En)
        } else if primary.eq_ignore_ascii_case("it") {
            Ok(Locale::It)
        } else {
            Err(LocaleError::Unsupported)
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header, honouring
    /// q-values (ties go to the earlier entry). Falls back to [`Locale::En`] when nothing
    /// supported is acceptable or the header is garbage: a bad header must never fail a page.
    pub fn negotiate(accept_language_header: &str) -> Locale {
        let mut best: Option<(Locale, u16)> = None;
        for entry in accept_language_header.split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default();
            let Ok(locale) = Locale::parse(tag) else {
                continue;
            };
            let mut quality = Some(1000);
            for param in parts {
                if let Some((key, value)) = param.split_once('=')
                    && key.trim().eq_ignore_ascii_case("q")
                {
                    quality = parse_quality(value.trim());
                }
            }
            // An unparsable q-value makes the whole entry invalid (RFC 9110 §12.4.2);
            // q=0 means "not acceptable".
            let Some(quality) = quality.filter(|q| *q > 0) else {
                continue;
            };
            if best.is_none_or(|(_, best_q)| quality > best_q) {
                best = Some((locale, quality));
            }
        }
        best.map(|(locale, _)| locale).unwrap_or_default()
    }
}

/// Parses an RFC 9110 qvalue (`0`, `0.8`, `1.000`) into thousandths, avoiding floats so
/// that equal weights compare equal.
fn parse_quality(value: &str) -> Option<u16> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, b) in frac.bytes().enumerate() {
        let weight = [100, 10, 1][i];
        thousandths += u16::from(b - b'0') * weight;
    }
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl core::fmt::Display for Locale {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Locale {
    type Err = LocaleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_tags() {
        let cases: &[(&str, Result<Locale, LocaleError>)] = &[
            ("en", Ok(Locale::En)),
            ("EN", Ok(Locale::En)),
            ("en-GB", Ok(Locale::En)),
            ("it", Ok(Locale::It)),
            ("IT", Ok(Locale::It)),
            ("it-IT", Ok(Locale::It)),
            ("it_CH", Ok(Locale::It)),
            ("  it ", Ok(Locale::It)),
            ("", Err(LocaleError::Empty)),
            ("   ", Err(LocaleError::Empty)),
            ("de", Err(LocaleError::Unsupported)),
            ("ita", Err(LocaleError::Unsupported)),
            ("*", Err(LocaleError::Unsupported)),
        ];
        for (input, expected) in cases {
            assert_eq!(&Locale::parse(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn as_str_round_trips_and_default_is_english() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.as_str()), Ok(locale));
        }
        assert_eq!(Locale::default(), Locale::En);
    }

    #[test]
    fn negotiates_accept_language() {
        let cases: &[(&str, Locale)] = &[
            ("", Locale::En),
            ("it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", Locale::It),
            ("en-US,en;q=0.9,it;q=0.8", Locale::En),
            ("de-DE,de;q=0.9,it;q=0.5", Locale::It),
            ("de, fr", Locale::En),
            ("en;q=0.5, it;q=0.8", Locale::It),
            ("it;q=0, en;q=0.1", Locale::En),
            ("it;q=0", Locale::En),
            ("it;q=abc, en;q=0.2", Locale::En),
            ("it;q=1.5", Locale::En),
            ("it; q=0.700, en;q=0.7", Locale::It),
            ("en;q=0.7, it;q=0.70", Locale::En),
            ("*;q=0.1, it", Locale::It),
            ("it;q=1.0", Locale::It),
            (",,;;==", Locale::En),
        ];
        for (header, expected) in cases {
            assert_eq!(Locale::negotiate(header), *expected, "header {header:?}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepts_region_variants(s in "\\PC{0,20}", region in "[A-Za-z]{2}") {
            let _ = Locale::parse(&s);
            let _ = Locale::negotiate(&s);
            prop_assert_eq!(Locale::parse(&format!("it-{region}")), Ok(Locale::It));
            prop_assert_eq!(Locale::parse(&format!("EN_{region}")), Ok(Locale::En));
        }
    }
}
