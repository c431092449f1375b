//! A merchant's retry schedule.

string_enum! {
    /// What happens to the subscription when the last retry has failed.
    pub enum FinalAction {
        /// End the subscription.
        Cancel => "cancel",
        /// Keep the subscription but mark it unpaid (the invoice stays open).
        MarkUnpaid => "mark_unpaid",
    }
}

/// A merchant's retry schedule: days after the **first** failure on which to retry.
///
/// Built only by [`DunningPolicy::new`] or [`DunningPolicy::parse`], which keep the days
/// strictly increasing, each within 1..=60, and at most 8 of them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "DunningPolicyParts")]
pub struct DunningPolicy {
    retry_days: Vec<u32>,
    final_action: FinalAction,
}

#[derive(serde::Deserialize)]
struct DunningPolicyParts {
    retry_days: Vec<u32>,
    final_action: FinalAction,
}

impl TryFrom<DunningPolicyParts> for DunningPolicy {
    type Error = DunningPolicyError;
    fn try_from(parts: DunningPolicyParts) -> Result<Self, Self::Error> {
        DunningPolicy::new(parts.retry_days, parts.final_action)
    }
}

/// Why a retry schedule was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DunningPolicyError {
    /// An entry is not a whole number.
    #[error("retry days are whole numbers separated by commas, like 3,5,7")]
    InvalidNumber,
    /// A day outside 1..=60.
    #[error("retry days must be between {min} and {max}")]
    DayOutOfRange {
        /// The smallest allowed day.
        min: u32,
        /// The largest allowed day.
        max: u32,
    },
    /// The days are not strictly increasing.
    #[error("retry days must be in increasing order")]
    NotIncreasing,
    /// More retries than allowed.
    #[error("at most {max} retries are allowed")]
    TooManyRetries {
        /// The limit.
        max: usize,
    },
}

impl Default for DunningPolicy {
    /// Retries 3, 5 and 7 days after the first failure, then marks the subscription unpaid.
    fn default() -> Self {
        DunningPolicy {
            retry_days: vec![3, 5, 7],
            final_action: FinalAction::MarkUnpaid,
        }
    }
}

impl DunningPolicy {
    /// The earliest retry day.
    pub const MIN_DAY: u32 = 1;
    /// The latest retry day: past two months the customer has long stopped expecting a charge.
    pub const MAX_DAY: u32 = 60;
    /// The most retries: issuers penalise merchants who hammer a declined card.
    pub const MAX_RETRIES: usize = 8;

    /// A policy from already-split days. An empty list means "give up after the first failure".
    pub fn new(
        retry_days: Vec<u32>,
        final_action: FinalAction,
    ) -> Result<DunningPolicy, DunningPolicyError> {
        if retry_days.len() > Self::MAX_RETRIES {
            return Err(DunningPolicyError::TooManyRetries {
                max: Self::MAX_RETRIES,
            });
        }
        if retry_days
            .iter()
            .any(|day| !(Self::MIN_DAY..=Self::MAX_DAY).contains(day))
        {
            return Err(DunningPolicyError::DayOutOfRange {
                min: Self::MIN_DAY,
                max: Self::MAX_DAY,
            });
        }
        if retry_days.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(DunningPolicyError::NotIncreasing);
        }
        Ok(DunningPolicy {
            retry_days,
            final_action,
        })
    }

    /// Parses a form field like `"3,5,7"` (spaces allowed; empty means no retries), with
    /// [`FinalAction::MarkUnpaid`]; change it with [`DunningPolicy::with_final_action`].
    pub fn parse(retry_days: &str) -> Result<DunningPolicy, DunningPolicyError> {
        let trimmed = retry_days.trim();
        let days = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed
                .split(',')
                .map(|part| {
                    let part = part.trim();
                    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(DunningPolicyError::InvalidNumber);
                    }
                    // Digits only, so the one failure left is overflow: out of range anyway.
                    part.parse::<u32>()
                        .map_err(|_| DunningPolicyError::DayOutOfRange {
                            min: Self::MIN_DAY,
                            max: Self::MAX_DAY,
                        })
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        DunningPolicy::new(days, FinalAction::MarkUnpaid)
    }

    /// The same schedule with a different final action.
    pub fn with_final_action(mut self, final_action: FinalAction) -> DunningPolicy {
        self.final_action = final_action;
        self
    }

    /// The retry days, strictly increasing.
    pub fn retry_days(&self) -> &[u32] {
        &self.retry_days
    }

    /// What to do when retries run out.
    pub fn final_action(&self) -> FinalAction {
        self.final_action
    }

    /// The days as a form value, `"3,5,7"`; [`DunningPolicy::parse`] reads it back.
    pub fn retry_days_string(&self) -> String {
        self.retry_days
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::dunning::{next_attempt_at, schedule};
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap()
    }

    #[test]
    fn default_policy() {
        let policy = DunningPolicy::default();
        assert_eq!(policy.retry_days(), [3, 5, 7]);
        assert_eq!(policy.final_action(), FinalAction::MarkUnpaid);
        assert_eq!(policy.retry_days_string(), "3,5,7");
        assert_eq!(DunningPolicy::parse("3,5,7"), Ok(policy));
    }

    #[test]
    fn parses_policies() {
        let range = DunningPolicyError::DayOutOfRange { min: 1, max: 60 };
        let cases: &[(&str, Result<&[u32], DunningPolicyError>)] = &[
            ("3,5,7", Ok(&[3, 5, 7])),
            (" 1 , 2,60 ", Ok(&[1, 2, 60])),
            ("10", Ok(&[10])),
            ("", Ok(&[])),
            ("   ", Ok(&[])),
            ("1,2,3,4,5,6,7,8", Ok(&[1, 2, 3, 4, 5, 6, 7, 8])),
            (
                "1,2,3,4,5,6,7,8,9",
                Err(DunningPolicyError::TooManyRetries { max: 8 }),
            ),
            ("0,3", Err(range)),
            ("3,61", Err(range)),
            ("99999999999", Err(range)),
            ("5,3", Err(DunningPolicyError::NotIncreasing)),
            ("3,3", Err(DunningPolicyError::NotIncreasing)),
            ("3,,5", Err(DunningPolicyError::InvalidNumber)),
            ("3,5,", Err(DunningPolicyError::InvalidNumber)),
            ("3;5", Err(DunningPolicyError::InvalidNumber)),
            ("-3", Err(DunningPolicyError::InvalidNumber)),
            ("+3", Err(DunningPolicyError::InvalidNumber)),
            ("3.5", Err(DunningPolicyError::InvalidNumber)),
            ("three", Err(DunningPolicyError::InvalidNumber)),
        ];
        for (input, expected) in cases {
            let got = DunningPolicy::parse(input);
            assert_eq!(
                got.as_ref().map(DunningPolicy::retry_days).map_err(|e| *e),
                *expected,
                "input {input:?}"
            );
        }
        let cancel = DunningPolicy::parse("2")
            .unwrap()
            .with_final_action(FinalAction::Cancel);
        assert_eq!(cancel.final_action(), FinalAction::Cancel);
        assert_eq!(
            DunningPolicy::new(vec![4, 2], FinalAction::Cancel),
            Err(DunningPolicyError::NotIncreasing)
        );
    }

    proptest! {
        #[test]
        fn parse_accepts_exactly_valid_schedules(days in proptest::collection::vec(0u32..70, 0..10)) {
            let text = days.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            let valid = days.len() <= 8
                && days.iter().all(|d| (1..=60).contains(d))
                && days.windows(2).all(|w| w[0] < w[1]);
            let parsed = DunningPolicy::parse(&text);
            prop_assert_eq!(parsed.is_ok(), valid);
            if let Ok(policy) = parsed {
                prop_assert_eq!(policy.retry_days_string(), text);
                let times = schedule(t0(), &policy);
                prop_assert!(times.windows(2).all(|w| w[0] < w[1]));
                for (i, at) in times.iter().enumerate() {
                    prop_assert_eq!(next_attempt_at(t0(), i as u32 + 1, &policy), Some(*at));
                }
                prop_assert_eq!(next_attempt_at(t0(), times.len() as u32 + 1, &policy), None);
            }
        }
    }
}
