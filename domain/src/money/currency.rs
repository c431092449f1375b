//! The currencies Dunwell bills in.

use serde::{Deserialize, Serialize};

use super::MoneyError;

/// An ISO 4217 currency the gateway settles in.
///
/// Variants are spelled `Eur`, `Usd`… in Rust; on the wire and in the database they are the
/// upper-case ISO codes (`"EUR"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    /// Euro.
    Eur,
    /// US dollar.
    Usd,
    /// Pound sterling.
    Gbp,
    /// Swiss franc.
    Chf,
    /// Swedish krona.
    Sek,
    /// Japanese yen (no minor unit).
    Jpy,
}

impl Currency {
    /// Every supported currency.
    pub const ALL: [Currency; 6] = [
        Currency::Eur,
        Currency::Usd,
        Currency::Gbp,
        Currency::Chf,
        Currency::Sek,
        Currency::Jpy,
    ];

    /// The ISO 4217 code, e.g. `"EUR"`.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Usd => "USD",
            Currency::Gbp => "GBP",
            Currency::Chf => "CHF",
            Currency::Sek => "SEK",
            Currency::Jpy => "JPY",
        }
    }

    /// Parses an ISO code, case-insensitively and ignoring surrounding whitespace.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        let code = code.trim();
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
            .ok_or(MoneyError::UnknownCurrency)
    }

    /// How many decimal digits the minor unit has: 0 for JPY, 2 for the rest.
    pub const fn exponent(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            Currency::Eur | Currency::Usd | Currency::Gbp | Currency::Chf | Currency::Sek => 2,
        }
    }

    /// The sign shown next to amounts: `€`, `$`, `£`, `CHF`, `kr`, `¥`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
            Currency::Usd => "$",
            Currency::Gbp => "£",
            Currency::Chf => "CHF",
            Currency::Sek => "kr",
            Currency::Jpy => "¥",
        }
    }

    /// The number of minor units in one major unit (100, or 1 for JPY).
    pub(crate) const fn minor_per_major(self) -> u64 {
        10u64.pow(self.exponent())
    }
}

impl core::fmt::Display for Currency {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes_round_trip() {
        for c in Currency::ALL {
            assert_eq!(Currency::parse(c.code()), Ok(c));
            assert_eq!(Currency::parse(&c.code().to_lowercase()), Ok(c));
        }
        assert_eq!(Currency::parse(" eur "), Ok(Currency::Eur));
        for bad in ["", "EU", "EURO", "XYZ", "€"] {
            assert_eq!(Currency::parse(bad), Err(MoneyError::UnknownCurrency));
        }
        assert_eq!(Currency::Jpy.exponent(), 0);
        assert_eq!(Currency::Eur.exponent(), 2);
        assert_eq!(Currency::Gbp.symbol(), "£");
    }
}
