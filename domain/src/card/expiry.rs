//! A card's expiry month.

use chrono::{Datelike, Months, NaiveDate};

/// The month and year printed on a card. The card works through the last day of that month.
///
/// Not a secret: it is stored next to the brand and last 4 digits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "ExpiryParts")]
pub struct ExpiryDate {
    // Field order matters: the derived `Ord` compares the year first.
    year: i32,
    month: u32,
}

/// Why an expiry date was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExpiryError {
    /// Not `MM/YY` or `MM/YYYY`.
    #[error("enter the expiry date as MM/YY")]
    InvalidFormat,
    /// The month is not 1 to 12.
    #[error("the expiry month must be 01 to 12")]
    InvalidMonth,
    /// The year is outside 2000–2199.
    #[error("the expiry year is not valid")]
    InvalidYear,
}

#[derive(serde::Deserialize)]
struct ExpiryParts {
    month: u32,
    year: i32,
}

impl TryFrom<ExpiryParts> for ExpiryDate {
    type Error = ExpiryError;
    fn try_from(parts: ExpiryParts) -> Result<Self, Self::Error> {
        ExpiryDate::from_parts(parts.month, parts.year)
    }
}

impl ExpiryDate {
    const YEARS: core::ops::RangeInclusive<i32> = 2000..=2199;

    /// An expiry from numbers (e.g. a gateway's `exp_month`/`exp_year`).
    pub fn from_parts(month: u32, year: i32) -> Result<ExpiryDate, ExpiryError> {
        if !(1..=12).contains(&month) {
            return Err(ExpiryError::InvalidMonth);
        }
        if !Self::YEARS.contains(&year) {
            return Err(ExpiryError::InvalidYear);
        }
        Ok(ExpiryDate { year, month })
    }

    /// Parses `MM/YY`, `MM / YY`, `M/YY` or `MM/YYYY`; two-digit years are 20YY.
    pub fn parse(input: &str) -> Result<ExpiryDate, ExpiryError> {
        let (month, year) = input.split_once('/').ok_or(ExpiryError::InvalidFormat)?;
        let (month, year) = (month.trim(), year.trim());
        let is_number = |s: &str, lens: &[usize]| {
            lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !is_number(month, &[1, 2]) || !is_number(year, &[2, 4]) {
            return Err(ExpiryError::InvalidFormat);
        }
        let month: u32 = month.parse().map_err(|_| ExpiryError::InvalidFormat)?;
        let mut year: i32 = year.parse().map_err(|_| ExpiryError::InvalidFormat)?;
        if year < 100 {
            year += 2000;
        }
        ExpiryDate::from_parts(month, year)
    }

    /// The month, 1 to 12.
    pub const fn month(&self) -> u32 {
        self.month
    }

    /// The four-digit year.
    pub const fn year(&self) -> i32 {
        self.year
    }

    /// The last day the card can be charged: the last day of its expiry month.
    pub fn last_valid_day(&self) -> NaiveDate {
        // The constructor keeps year and month in a range where these always exist.
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("validated month");
        let next_month = first
            .checked_add_months(Months::new(1))
            .expect("validated year");
        next_month.pred_opt().expect("validated year")
    }

    /// True once `date` is past the last valid day.
    pub fn is_expired_on(&self, date: NaiveDate) -> bool {
        date > self.last_valid_day()
    }

    /// True when the card expires in the same month as `date` or the next one, for an
    /// "expires soon" hint. Expired cards are not "expiring soon".
    pub fn expires_within_a_month_of(&self, date: NaiveDate) -> bool {
        let months = |y: i32, m: u32| i64::from(y) * 12 + i64::from(m);
        let diff = months(self.year, self.month) - months(date.year(), date.month());
        !self.is_expired_on(date) && diff <= 1
    }
}

impl core::fmt::Display for ExpiryDate {
    /// `MM/YY`, as printed on the card.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:02}/{:02}", self.month, self.year % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_formats() {
        type Case = (&'static str, Result<(u32, i32), ExpiryError>);
        let cases: &[Case] = &[
            ("04/27", Ok((4, 2027))),
            ("04 / 27", Ok((4, 2027))),
            (" 4/27 ", Ok((4, 2027))),
            ("12/2030", Ok((12, 2030))),
            ("01/00", Ok((1, 2000))),
            ("00/27", Err(ExpiryError::InvalidMonth)),
            ("13/27", Err(ExpiryError::InvalidMonth)),
            ("04/1999", Err(ExpiryError::InvalidYear)),
            ("04/2200", Err(ExpiryError::InvalidYear)),
            ("0427", Err(ExpiryError::InvalidFormat)),
            ("04-27", Err(ExpiryError::InvalidFormat)),
            ("04/7", Err(ExpiryError::InvalidFormat)),
            ("04/207", Err(ExpiryError::InvalidFormat)),
            ("004/27", Err(ExpiryError::InvalidFormat)),
            ("/27", Err(ExpiryError::InvalidFormat)),
            ("04/", Err(ExpiryError::InvalidFormat)),
            ("+4/27", Err(ExpiryError::InvalidFormat)),
            ("04/27/27", Err(ExpiryError::InvalidFormat)),
            ("", Err(ExpiryError::InvalidFormat)),
        ];
        for (input, expected) in cases {
            let got = ExpiryDate::parse(input).map(|e| (e.month(), e.year()));
            assert_eq!(&got, expected, "input {input:?}");
        }
    }

    #[test]
    fn valid_through_the_last_day_of_the_month() {
        let cases: &[(u32, i32, NaiveDate)] = &[
            (1, 2027, date(2027, 1, 31)),
            (2, 2027, date(2027, 2, 28)),
            (2, 2028, date(2028, 2, 29)),
            (4, 2027, date(2027, 4, 30)),
            (12, 2027, date(2027, 12, 31)),
            (12, 2199, date(2199, 12, 31)),
        ];
        for (month, year, last) in cases {
            let expiry = ExpiryDate::from_parts(*month, *year).unwrap();
            assert_eq!(expiry.last_valid_day(), *last);
            assert!(!expiry.is_expired_on(*last));
            assert!(expiry.is_expired_on(last.succ_opt().unwrap()));
        }
        let expiry = ExpiryDate::from_parts(4, 2027).unwrap();
        assert!(!expiry.is_expired_on(date(2026, 12, 1)));
        assert!(expiry.expires_within_a_month_of(date(2027, 3, 15)));
        assert!(expiry.expires_within_a_month_of(date(2027, 4, 30)));
        assert!(!expiry.expires_within_a_month_of(date(2027, 2, 28)));
        assert!(!expiry.expires_within_a_month_of(date(2027, 5, 1)));
        assert_eq!(expiry.to_string(), "04/27");
        assert_eq!(
            ExpiryDate::from_parts(0, 2027),
            Err(ExpiryError::InvalidMonth)
        );
    }

    proptest! {
        #[test]
        fn display_round_trips(month in 1u32..=12, year in 2000i32..=2099, spaced: bool) {
            let expiry = ExpiryDate::from_parts(month, year).unwrap();
            let text = expiry.to_string();
            let text = if spaced { text.replace('/', " / ") } else { text };
            prop_assert_eq!(ExpiryDate::parse(&text), Ok(expiry));
            let long = format!("{month}/{year}");
            prop_assert_eq!(ExpiryDate::parse(&long), Ok(expiry));
        }
    }
}
