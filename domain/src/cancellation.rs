//! What a customer says when cancelling: a fixed reason and an optional comment, and the
//! reasons tallied per month for the merchant.
use chrono::{Datelike, Months, NaiveDate};

string_enum! {
    /// Why a customer cancels: a fixed choice (the comment says the rest). Stored and
    /// posted as its snake_case code.
    pub enum CancelReason {
        /// The price is too high.
        TooExpensive => "too_expensive",
        /// Something is missing.
        MissingFeatures => "missing_features",
        /// Moving to another service.
        SwitchedService => "switched_service",
        /// Not used enough.
        Unused => "unused",
        /// Unhappy with the service received.
        CustomerService => "customer_service",
        /// Too hard to use.
        TooComplex => "too_complex",
        /// Not good enough.
        LowQuality => "low_quality",
        /// Anything else.
        Other => "other",
    }
}

/// How many cancellations gave each reason in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonMonth {
    /// The month's first day.
    pub month: NaiveDate,
    /// One count per reason, in [`CancelReason::ALL`]'s order.
    pub counts: Vec<u32>,
}

/// The first day of `day`'s month.
fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Cancellations (the day each was made, and its reason) tallied per month and reason for
/// the `months` months up to and including `last`'s month, oldest first. Every month and
/// every reason is there, zeros included; a cancellation outside those months is left out.
pub fn tally_reasons(
    cancellations: impl IntoIterator<Item = (NaiveDate, CancelReason)>,
    last: NaiveDate,
    months: u32,
) -> Vec<ReasonMonth> {
    let last = month_of(last);
    let mut tally: Vec<ReasonMonth> = (0..months)
        .rev()
        .filter_map(|back| last.checked_sub_months(Months::new(back)))
        .map(|month| ReasonMonth {
            month,
            counts: vec![0; CancelReason::ALL.len()],
        })
        .collect();
    for (day, reason) in cancellations {
        let month = month_of(day);
        let Some(row) = tally.iter_mut().find(|m| m.month == month) else {
            continue;
        };
        if let Some(i) = CancelReason::ALL.iter().position(|r| *r == reason) {
            row.counts[i] += 1;
        }
    }
    tally
}

/// A cancellation comment: trimmed, at most [`CancelComment::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelComment(String);

/// Why a comment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CancelCommentError {
    /// Longer than [`CancelComment::MAX_CHARS`].
    #[error("the comment is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
}

impl CancelComment {
    /// The longest comment kept, in characters.
    pub const MAX_CHARS: usize = 1000;

    /// Parses what was typed: blank is no comment (`Ok(None)`).
    pub fn parse(raw: &str) -> Result<Option<Self>, CancelCommentError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(CancelCommentError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Some(CancelComment(trimmed.to_owned())))
    }

    /// The comment.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The comment, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reasons_are_tallied_per_month_across_a_new_year_with_every_month_and_reason_present() {
        let cancellations = [
            (day(2025, 11, 30), CancelReason::Unused), // before the window
            (day(2025, 12, 1), CancelReason::TooExpensive),
            (day(2025, 12, 31), CancelReason::TooExpensive),
            (day(2026, 2, 14), CancelReason::LowQuality),
            (day(2026, 3, 1), CancelReason::Other), // after the window
        ];
        let tally = tally_reasons(cancellations, day(2026, 2, 28), 3);
        let months: Vec<_> = tally.iter().map(|m| m.month).collect();
        assert_eq!(months, [day(2025, 12, 1), day(2026, 1, 1), day(2026, 2, 1)]);
        let count = |m: usize, r: CancelReason| {
            tally[m].counts[CancelReason::ALL.iter().position(|x| *x == r).unwrap()]
        };
        assert_eq!(count(0, CancelReason::TooExpensive), 2);
        assert_eq!(
            tally[1].counts,
            vec![0; CancelReason::ALL.len()],
            "an empty month"
        );
        assert_eq!(count(2, CancelReason::LowQuality), 1);
        let total: u32 = tally.iter().flat_map(|m| m.counts.iter()).sum();
        assert_eq!(total, 3, "the two outside the window are left out");
    }

    #[test]
    fn the_eight_reasons_customers_know_from_other_portals() {
        let codes: Vec<_> = CancelReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            codes,
            [
                "too_expensive",
                "missing_features",
                "switched_service",
                "unused",
                "customer_service",
                "too_complex",
                "low_quality",
                "other"
            ]
        );
    }

    #[test]
    fn cancel_reasons_round_trip_and_refuse_the_rest() {
        for r in CancelReason::ALL {
            assert_eq!(CancelReason::parse(r.as_str()), Ok(*r));
        }
        for bad in ["", "TOO_EXPENSIVE", "<b>", "other "] {
            assert!(CancelReason::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_comment_is_trimmed_blank_is_none_and_the_limit_counts_characters() {
        let cases: &[(&str, Result<Option<&str>, CancelCommentError>)] = &[
            ("", Ok(None)),
            ("   \n ", Ok(None)),
            ("  too dear  ", Ok(Some("too dear"))),
        ];
        for (raw, want) in cases {
            let got = CancelComment::parse(raw);
            assert_eq!(
                got.as_ref().map(|c| c.as_ref().map(CancelComment::as_str)),
                want.as_ref().map(|c| *c),
                "{raw:?}"
            );
        }
        let at_limit = "è".repeat(CancelComment::MAX_CHARS);
        assert!(matches!(CancelComment::parse(&at_limit), Ok(Some(_))));
        let over = "è".repeat(CancelComment::MAX_CHARS + 1);
        assert_eq!(
            CancelComment::parse(&over),
            Err(CancelCommentError::TooLong { max: 1000 })
        );
    }
}
