//! What a merchant types to create their organization and its owner: the slug, the
//! country, and a password strong enough to guard a billing console.

/// An organization's slug: 2–32 of `a-z`, `0-9` and `-`, not starting or ending with
/// `-`. Typed in any case; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgSlug(String);

/// Why a slug was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an organization slug is 2–32 of a-z, 0-9 and -, not starting or ending with -")]
pub struct OrgSlugError;

impl OrgSlug {
    /// Parses what was typed (trimmed, lower-cased).
    pub fn parse(raw: &str) -> Result<Self, OrgSlugError> {
        let slug = raw.trim().to_ascii_lowercase();
        let ok_chars = slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=32).contains(&slug.len())
            || !ok_chars
            || slug.starts_with('-')
            || slug.ends_with('-')
        {
            return Err(OrgSlugError);
        }
        Ok(OrgSlug(slug))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Every ISO 3166-1 alpha-2 code, officially assigned.
const ISO_3166_ALPHA_2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN \
BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES \
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR \
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO \
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE \
RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW \
TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A country, as its ISO 3166-1 alpha-2 code (`IT`, `DE`), upper-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

/// Why a country code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO 3166-1 alpha-2 country code")]
pub struct CountryCodeError;

impl CountryCode {
    /// Parses a two-letter code in any case; only assigned codes are accepted.
    pub fn parse(raw: &str) -> Result<Self, CountryCodeError> {
        let code = raw.trim().to_ascii_uppercase();
        let bytes: [u8; 2] = code.as_bytes().try_into().map_err(|_| CountryCodeError)?;
        if !bytes.iter().all(u8::is_ascii_uppercase)
            || !ISO_3166_ALPHA_2.split(' ').any(|c| c == code)
        {
            return Err(CountryCodeError);
        }
        Ok(CountryCode(bytes))
    }

    /// The code, e.g. `"IT"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// A new password that passes the strength rule: 12–128 characters, at least 6 different
/// ones, not a well-known password, and not containing the email's name part.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

/// Why a password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`NewPassword::MIN_CHARS`] characters.
    #[error("at least 12 characters")]
    TooShort,
    /// More than [`NewPassword::MAX_CHARS`] characters.
    #[error("at most 128 characters")]
    TooLong,
    /// Too few different characters, a well-known password, or the email inside it.
    #[error("too easy to guess")]
    Guessable,
}

/// Passwords that pass the length rule but are the first ones tried.
const WELL_KNOWN: &[&str] = &[
    "password1234",
    "passwordpassword",
    "qwertyuiopasdfgh",
    "123456789012",
    "1234567890123",
    "administrator",
    "letmeinletmein",
    "iloveyou1234",
    "changemechangeme",
    "welcome12345",
];

impl NewPassword {
    /// The shortest password accepted.
    pub const MIN_CHARS: usize = 12;
    /// The longest password accepted (hashing has a cost).
    pub const MAX_CHARS: usize = 128;

    /// Checks `raw` for the account `email` (its part before `@` must not be inside it).
    pub fn parse(raw: &str, email: &str) -> Result<Self, PasswordError> {
        let count = raw.chars().count();
        if count < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if count > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lower = raw.to_lowercase();
        let mut distinct: Vec<char> = lower.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let name = email.split('@').next().unwrap_or_default().to_lowercase();
        if distinct.len() < 6
            || WELL_KNOWN.iter().any(|w| lower.starts_with(w))
            || (name.chars().count() >= 4 && lower.contains(&name))
        {
            return Err(PasswordError::Guessable);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    /// The password, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_lower_case_letters_digits_and_inner_dashes() {
        assert_eq!(OrgSlug::parse(" Acme ").unwrap().as_str(), "acme");
        assert_eq!(OrgSlug::parse("acme-2").unwrap().as_str(), "acme-2");
        for bad in ["a", "-acme", "acme-", "ac me", "àcme", &"x".repeat(33), ""] {
            assert_eq!(OrgSlug::parse(bad), Err(OrgSlugError), "{bad}");
        }
    }

    #[test]
    fn country_codes_are_assigned_iso_codes() {
        assert_eq!(CountryCode::parse("it").unwrap().as_str(), "IT");
        assert_eq!(CountryCode::parse(" DE ").unwrap().as_str(), "DE");
        for bad in ["", "I", "ITA", "XX", "ZZ", "1T", "ÌT", "EU"] {
            assert_eq!(CountryCode::parse(bad), Err(CountryCodeError), "{bad}");
        }
        assert_eq!(ISO_3166_ALPHA_2.split(' ').count(), 249);
    }

    #[test]
    fn the_password_rule_case_table() {
        let email = "mario.rossi@example.com";
        let cases: &[(&str, Result<(), PasswordError>)] = &[
            ("correct-horse-battery", Ok(())),
            ("Ünïcödé-pässwörd", Ok(())),
            ("short-pw", Err(PasswordError::TooShort)),
            ("aaaaaaaaaaaaaaaa", Err(PasswordError::Guessable)),
            ("abababababab", Err(PasswordError::Guessable)),
            ("Password1234!", Err(PasswordError::Guessable)),
            ("my-mario.rossi-pw", Err(PasswordError::Guessable)),
            (&"x1y2z3".repeat(22), Err(PasswordError::TooLong)),
        ];
        for (raw, want) in cases {
            assert_eq!(NewPassword::parse(raw, email).map(|_| ()), *want, "{raw}");
        }
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let p = NewPassword::parse("correct-horse-battery", "a@b.c").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    proptest! {
        #[test]
        fn an_accepted_password_meets_every_part_of_the_rule(raw in "\\PC{0,140}") {
            if let Ok(p) = NewPassword::parse(&raw, "owner@example.com") {
                let n = p.expose().chars().count();
                prop_assert!((NewPassword::MIN_CHARS..=NewPassword::MAX_CHARS).contains(&n));
                prop_assert!(!p.expose().to_lowercase().contains("owner"));
            }
        }

        #[test]
        fn an_accepted_slug_reads_back_as_itself(raw in "[A-Za-z0-9-]{0,40}") {
            if let Ok(slug) = OrgSlug::parse(&raw) {
                prop_assert_eq!(OrgSlug::parse(slug.as_str()), Ok(slug.clone()));
            }
        }
    }
}
