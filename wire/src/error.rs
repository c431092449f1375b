//! The one error type that crosses the wire. It carries only user-safe categories;
//! internal causes are logged once on the server and never sent.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A field's problem, as a stable code the page translates (so the message appears in
/// the user's language beside the input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name.
    pub field: String,
    /// A stable code such as `email.invalid` or `color.invalid`.
    pub code: String,
}

/// Every field error of one submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Adds an error for `field`.
    pub fn push(&mut self, field: &str, code: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
        });
    }

    /// The first error code of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code.as_str())
    }

    /// Whether no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, else a validation error.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

/// How a request conflicts with the current state. Sent as its snake_case name
/// (`{"Conflict":"stale"}`); each page shows its own message for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// The organization's portal is turned off.
    PortalDisabled,
    /// A sign-in link that is used, expired or unknown.
    LinkRefused,
    /// The default payment method cannot go while a subscription needs it.
    DefaultInUse,
    /// The subscription is not in a state that can be cancelled or resumed.
    NotCancelable,
    /// The settings changed since the form was loaded (another tab, another person).
    Stale,
    /// The portal cannot be turned on before the organization can take payments.
    PaymentsInactive,
    /// There is no portal key to rotate yet.
    NoKey,
}

/// The wire error of every server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input did not parse; each field says why.
    #[error("some fields need attention")]
    Validation(FieldErrors),
    /// The request itself could not be read (not a form, not UTF-8, a nested value), and
    /// no one field is to blame.
    #[error("the request could not be read")]
    BadRequest,
    /// No (valid) session.
    #[error("please sign in")]
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// No such thing, or not yours.
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state; the code says how.
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// Too many attempts; try later.
    #[error("too many attempts, try again later")]
    RateLimited,
    /// Something failed on the server; details are in its log.
    #[error("something went wrong on our side")]
    Internal,
}

impl AppError {
    /// A validation error for one field.
    pub fn field(field: &str, code: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, code);
        AppError::Validation(errors)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::BadRequest => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
        }
    }

    /// The field errors, when this is a validation error.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// Sets the response status to match (server side), then returns the error, so a
    /// direct HTTP call sees 401/403/404/422 rather than a generic 500.
    pub fn respond(self) -> Self {
        #[cfg(feature = "ssr")]
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(self.status())
        {
            res.set_status(status);
        }
        self
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A malformed request is the client's problem, not ours: 400, or 422 naming the
            // field when the decoder names one. It is answered before the function runs, so
            // the status is set here (on the server) rather than by the function's body.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                let error = match named_field(&message) {
                    Some(field) => AppError::field(field, "field.invalid"),
                    None => AppError::BadRequest,
                };
                error.respond()
            }
            _ => AppError::Internal,
        }
    }
}

/// The field a decoder's message names: serde says "missing field `page`", "duplicate
/// field `key`", "unknown field `x`".
fn named_field(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("field `")?;
    let (field, _) = rest.split_once('`')?;
    (!field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(field)
}

/// A server-function argument that the function's body parses, so a value that does not
/// parse (`page=abc`, `version=2147483648`) is a field error naming the argument (422)
/// instead of a refusal of the whole request. A client sends the typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg<T>(Result<T, String>);

impl<T> From<T> for Arg<T> {
    fn from(value: T) -> Self {
        Arg(Ok(value))
    }
}

impl<T> Arg<T> {
    /// The parsed value, or a validation error on `field`.
    pub fn parse(self, field: &str) -> Result<T, AppError> {
        self.0.map_err(|_| AppError::field(field, "field.invalid"))
    }
}

impl<T: Serialize> Serialize for Arg<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(value) => value.serialize(serializer),
            Err(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de, T: std::str::FromStr> Deserialize<'de> for Arg<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(Arg(raw.trim().parse().map_err(|_| raw)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_round_trip_and_map_to_statuses() {
        let err = AppError::field("email", "email.invalid");
        assert_eq!(
            err.field_errors().and_then(|f| f.get("email")),
            Some("email.invalid")
        );
        assert_eq!(err.status(), 422);
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::BadRequest.status(), 400);
    }

    #[test]
    fn decoder_messages_name_their_field() {
        assert_eq!(named_field("missing field `page`"), Some("page"));
        assert_eq!(named_field("duplicate field `key`"), Some("key"));
        assert_eq!(named_field("invalid digit found in string"), None);
        assert_eq!(named_field("unknown field `<b>`"), None);
    }

    #[test]
    fn an_arg_keeps_a_bad_value_for_the_body_to_refuse() {
        #[derive(Deserialize)]
        struct Args {
            page: Arg<u32>,
        }
        for bad in ["-1", "abc", "1e9", "99999999999999999999", ""] {
            let args: Args = serde_json::from_value(serde_json::json!({ "page": bad })).unwrap();
            let err = args.page.parse("page").unwrap_err();
            assert_eq!(
                err.field_errors().and_then(|f| f.get("page")),
                Some("field.invalid"),
                "{bad}"
            );
        }
        let args: Args = serde_json::from_value(serde_json::json!({ "page": "7" })).unwrap();
        assert_eq!(args.page.parse("page").unwrap(), 7);
        assert_eq!(serde_json::to_string(&Arg::from(7u32)).unwrap(), "7");
    }
}
