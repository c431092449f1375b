//! What every form of the console and the portal shares: an action's errors, read per
//! field or for the whole form, and query values for the URLs forms redirect to.
use crate::error::{AppError, FieldCode};
use leptos::prelude::*;
use leptos::reactive::signal::MappedSignal;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The first error code of `field` in an action's last result.
pub fn field_code(
    value: MappedSignal<Option<Result<(), AppError>>>,
    field: &'static str,
) -> Signal<Option<FieldCode>> {
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) => e.field_errors().and_then(|f| f.get(field)).cloned(),
            _ => None,
        })
    })
}

/// An action's last error that no field shows: anything but a validation error naming
/// fields (an empty one, from a request that could not be read, shows here).
pub fn form_error(value: MappedSignal<Option<Result<(), AppError>>>) -> Signal<Option<AppError>> {
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(AppError::Validation(f))) if !f.is_empty() => None,
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        })
    })
}

/// What a query value keeps as it is: letters, digits, `-_.~` and `/` (so a return path
/// stays readable); everything else is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes `raw` as one query value (UTF-8).
pub fn encode(raw: &str) -> String {
    utf8_percent_encode(raw, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn a_query_value_keeps_paths_readable_and_encodes_the_rest() {
        for (raw, encoded) in [
            ("/portal/k/invoices", "/portal/k/invoices"),
            ("a b&c=d", "a%20b%26c%3Dd"),
            ("giulia+1@example.it", "giulia%2B1%40example.it"),
            ("è", "%C3%A8"),
            ("?x#y", "%3Fx%23y"),
            ("/admin?x=1&y", "/admin%3Fx%3D1%26y"),
        ] {
            assert_eq!(encode(raw), encoded, "{raw}");
        }
    }
}
