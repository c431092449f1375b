//! What a customer says when cancelling: a fixed reason and an optional comment.

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
        /// Anything else.
        Other => "other",
    }
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
