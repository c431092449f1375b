//! Money as integer minor units plus a currency: never a float, always checked.

mod currency;

use serde::{Deserialize, Serialize};

pub use currency::Currency;

use crate::Locale;

/// Why a money operation or parse failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left-hand amount.
        left: Currency,
        /// The currency of the right-hand amount.
        right: Currency,
    },
    /// The result does not fit in an `i64` of minor units.
    #[error("amount out of range")]
    Overflow,
    /// Not a supported ISO 4217 code.
    #[error("unknown currency")]
    UnknownCurrency,
    /// Not a plain decimal amount with at most the currency's number of decimals.
    #[error("invalid amount")]
    InvalidAmount,
    /// A total was asked of an invoice without lines.
    #[error("an invoice needs at least one line")]
    NoLines,
}

/// An amount of money: integer minor units (cents; yen for JPY) and its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount in minor units; negative for credits and refunds.
    pub amount_minor: i64,
    /// The currency the amount is in.
    pub currency: Currency,
}

impl Money {
    /// An amount of `amount_minor` minor units of `currency`.
    pub const fn new(amount_minor: i64, currency: Currency) -> Money {
        Money {
            amount_minor,
            currency,
        }
    }

    /// Nothing, in `currency`.
    pub const fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// `self + other`; an error on a currency mismatch or overflow.
    pub fn checked_add(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.amount_minor
            .checked_add(other.amount_minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self - other`; an error on a currency mismatch or overflow.
    pub fn checked_sub(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.amount_minor
            .checked_sub(other.amount_minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self * factor` (e.g. a unit price times a quantity); an error on overflow.
    pub fn checked_mul(&self, factor: i64) -> Result<Money, MoneyError> {
        self.amount_minor
            .checked_mul(factor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// True when the amount is above zero (something to charge).
    pub const fn is_positive(&self) -> bool {
        self.amount_minor > 0
    }

    /// True when the amount is below zero.
    pub const fn is_negative(&self) -> bool {
        self.amount_minor < 0
    }

    /// True when the amount is zero.
    pub const fn is_zero(&self) -> bool {
        self.amount_minor == 0
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// Formats for people: English `€1,234.56`, `-€5.00`, `CHF 29.00`, `¥1,200`;
    /// Italian `1.234,56 €`, `-5,00 €`. Always shows the currency's full decimals.
    pub fn format(&self, locale: Locale) -> String {
        let (group_sep, decimal_sep) = match locale {
            Locale::En => (',', '.'),
            Locale::It => ('.', ','),
        };
        // unsigned_abs: i64::MIN has no positive i64 counterpart.
        let abs = self.amount_minor.unsigned_abs();
        let per_major = self.currency.minor_per_major();
        let mut number = group_thousands(abs / per_major, group_sep);
        let exponent = self.currency.exponent() as usize;
        if exponent > 0 {
            number.push(decimal_sep);
            number.push_str(&format!("{:0exponent$}", abs % per_major));
        }
        let sign = if self.amount_minor < 0 { "-" } else { "" };
        let symbol = self.currency.symbol();
        match locale {
            Locale::En => {
                // Letter symbols ("CHF") need a space to stay readable; signs ("€") hug.
                if symbol.chars().all(|c| c.is_ascii_alphabetic()) {
                    format!("{sign}{} {number}", self.currency.code())
                } else {
                    format!("{sign}{symbol}{number}")
                }
            }
            Locale::It => format!("{sign}{number} {symbol}"),
        }
    }

    /// Parses a major-unit amount typed into a form (`"29"`, `"29.00"`, `"29,5"`, `"-3.10"`)
    /// into minor units. Accepts `.` or `,` as the decimal mark, no grouping separators,
    /// at most the currency's number of decimals (none for JPY).
    pub fn parse_major(input: &str, currency: Currency) -> Result<Money, MoneyError> {
        let input = input.trim();
        let (negative, unsigned) = match input.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, input),
        };
        let (whole, frac) = match unsigned.split_once(['.', ',']) {
            Some((whole, frac)) => (whole, Some(frac)),
            None => (unsigned, None),
        };
        let exponent = currency.exponent() as usize;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) {
            return Err(MoneyError::InvalidAmount);
        }
        if let Some(frac) = frac
            && (!all_digits(frac) || frac.len() > exponent)
        {
            return Err(MoneyError::InvalidAmount);
        }
        let mut minor: i64 = 0;
        let frac_digits = frac.unwrap_or("");
        let padding = exponent - frac_digits.len();
        let digits = whole
            .bytes()
            .chain(frac_digits.bytes())
            .map(|b| i64::from(b - b'0'))
            .chain(core::iter::repeat_n(0, padding));
        for digit in digits {
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(digit))
                .ok_or(MoneyError::Overflow)?;
        }
        if negative {
            minor = -minor;
        }
        Ok(Money::new(minor, currency))
    }
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// The totals of `amounts`, one per currency in the order each currency first appears:
/// amounts in different currencies are never added together, and none is dropped. An
/// error only on overflow.
pub fn sum_by_currency(amounts: impl IntoIterator<Item = Money>) -> Result<Vec<Money>, MoneyError> {
    let mut totals: Vec<Money> = Vec::new();
    for amount in amounts {
        match totals.iter_mut().find(|t| t.currency == amount.currency) {
            Some(total) => *total = total.checked_add(amount)?,
            None => totals.push(amount),
        }
    }
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::Eur)
    }

    #[test]
    fn sums_keep_each_currency_apart() {
        let usd = |m| Money::new(m, Currency::Usd);
        assert_eq!(sum_by_currency([]), Ok(vec![]));
        assert_eq!(
            sum_by_currency([eur(100), usd(5), eur(250), usd(7)]),
            Ok(vec![eur(350), usd(12)])
        );
        assert_eq!(
            sum_by_currency([eur(i64::MAX), eur(1)]),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn formats_per_locale() {
        let cases: &[(Money, Locale, &str)] = &[
            (eur(2900), Locale::En, "€29.00"),
            (eur(123_456), Locale::En, "€1,234.56"),
            (eur(-500), Locale::En, "-€5.00"),
            (eur(0), Locale::En, "€0.00"),
            (eur(5), Locale::En, "€0.05"),
            (eur(100_000_000), Locale::En, "€1,000,000.00"),
            (Money::new(1200, Currency::Jpy), Locale::En, "¥1,200"),
            (Money::new(999, Currency::Usd), Locale::En, "$9.99"),
            (Money::new(2900, Currency::Chf), Locale::En, "CHF 29.00"),
            (Money::new(2900, Currency::Sek), Locale::En, "SEK 29.00"),
            (eur(2900), Locale::It, "29,00 €"),
            (eur(123_456), Locale::It, "1.234,56 €"),
            (eur(-500), Locale::It, "-5,00 €"),
            (Money::new(1200, Currency::Jpy), Locale::It, "1.200 ¥"),
            (Money::new(2900, Currency::Chf), Locale::It, "29,00 CHF"),
            (eur(i64::MIN), Locale::En, "-€92,233,720,368,547,758.08"),
        ];
        for (money, locale, expected) in cases {
            assert_eq!(money.format(*locale), *expected);
        }
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(eur(100).checked_add(eur(250)), Ok(eur(350)));
        assert_eq!(eur(100).checked_sub(eur(250)), Ok(eur(-150)));
        assert_eq!(eur(250).checked_mul(3), Ok(eur(750)));
        assert_eq!(eur(i64::MAX).checked_add(eur(1)), Err(MoneyError::Overflow));
        assert_eq!(eur(i64::MIN).checked_sub(eur(1)), Err(MoneyError::Overflow));
        assert_eq!(eur(i64::MAX).checked_mul(2), Err(MoneyError::Overflow));
        let usd = Money::new(1, Currency::Usd);
        let mismatch = Err(MoneyError::CurrencyMismatch {
            left: Currency::Eur,
            right: Currency::Usd,
        });
        assert_eq!(eur(1).checked_add(usd), mismatch);
        assert_eq!(eur(1).checked_sub(usd), mismatch);
        assert!(eur(1).is_positive());
        assert!(!eur(0).is_positive());
        assert!(eur(0).is_zero());
        assert!(eur(-1).is_negative());
        assert_eq!(Money::zero(Currency::Gbp), Money::new(0, Currency::Gbp));
    }

    #[test]
    fn parses_major_amounts() {
        let cases: &[(&str, Currency, Result<i64, MoneyError>)] = &[
            ("29", Currency::Eur, Ok(2900)),
            ("29.00", Currency::Eur, Ok(2900)),
            ("29.5", Currency::Eur, Ok(2950)),
            ("29,99", Currency::Eur, Ok(2999)),
            (" 0.01 ", Currency::Eur, Ok(1)),
            ("-3.10", Currency::Eur, Ok(-310)),
            ("1200", Currency::Jpy, Ok(1200)),
            ("1200.5", Currency::Jpy, Err(MoneyError::InvalidAmount)),
            ("29.001", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("-", Currency::Eur, Err(MoneyError::InvalidAmount)),
            (".50", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("29.", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("1,234.56", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("€29", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("+29", Currency::Eur, Err(MoneyError::InvalidAmount)),
            ("1e3", Currency::Eur, Err(MoneyError::InvalidAmount)),
            (
                "99999999999999999999",
                Currency::Eur,
                Err(MoneyError::Overflow),
            ),
        ];
        for (input, currency, expected) in cases {
            let got = Money::parse_major(input, *currency).map(|m| m.amount_minor);
            assert_eq!(&got, expected, "input {input:?}");
        }
    }

    proptest! {
        #[test]
        fn parse_major_inverts_plain_formatting(minor in -10_000_000_000i64..10_000_000_000i64) {
            let money = eur(minor);
            let plain = format!("{}{}.{:02}", if minor < 0 { "-" } else { "" }, minor.unsigned_abs() / 100, minor.unsigned_abs() % 100);
            prop_assert_eq!(Money::parse_major(&plain, Currency::Eur), Ok(money));
            // The Italian rendering minus grouping and symbol is also accepted.
            let it = money.format(Locale::It).replace('.', "").replace(" €", "");
            prop_assert_eq!(Money::parse_major(&it, Currency::Eur), Ok(money));
        }
    }
}
