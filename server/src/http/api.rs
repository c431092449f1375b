//! The merchant API, `/v1`: a merchant's app calls it with `Authorization: Bearer dw_sk_…`.
//! Each handler resolves the key to an actor, parses the request and calls the same service
//! function the console's server functions call; errors leave as one JSON object,
//! `{"error":{"type","code","message","param"}}`. Every response carries `x-request-id`
//! (the router's layer).
use crate::state::AppState;
use app::error::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use domain::{CustomerId, IdError, IdempotencyKey, PageLimit};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use service::console::{AdminActor, ConsoleError, Idempotent, request_fingerprint};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use wire::api::{ApiError, ErrorBody, ErrorType};

mod customers;
mod events;
mod invoices;
pub mod openapi;
mod portal_sessions;
mod prices;
mod subscriptions;

/// The API's routes, to nest under `/v1`; any other path under it is a JSON 404. Every
/// request passes [`gate`] first, except `GET /v1/openapi.json`, the public description.
pub fn routes(state: AppState) -> Router<AppState> {
    let (router, _) = registered().split_for_parts();
    router
        .fallback(unknown_route)
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::http::BODY_LIMIT_BYTES,
        ))
        .layer(axum::middleware::from_fn_with_state(state, gate))
        .route("/openapi.json", get(openapi::serve))
}

/// Every operation, each registered with its description: `routes!` takes a handler's
/// path and methods from its `#[utoipa::path]`, so what is served and what
/// `/v1/openapi.json` says are one list.
fn registered() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(customers::create, customers::list))
        .routes(routes!(customers::retrieve, customers::update))
        .routes(routes!(customers::archive))
        .routes(routes!(events::list))
        .routes(routes!(events::retrieve))
        .routes(routes!(invoices::list))
        .routes(routes!(invoices::retrieve))
        .routes(routes!(invoices::pdf))
        .routes(routes!(invoices::payment_methods))
        .routes(routes!(portal_sessions::create))
        .routes(routes!(prices::create, prices::list))
        .routes(routes!(prices::retrieve))
        .routes(routes!(prices::archive))
        .routes(routes!(subscriptions::create, subscriptions::list))
        .routes(routes!(subscriptions::retrieve, subscriptions::update))
        .routes(routes!(subscriptions::cancel))
        .routes(routes!(subscriptions::resume))
}

/// An API error response.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    error: ApiError,
}

impl Failure {
    fn new(status: StatusCode, kind: ErrorType, code: &str, message: &str) -> Self {
        Self {
            status,
            error: ApiError {
                kind,
                code: code.to_owned(),
                message: message.to_owned(),
                param: None,
            },
        }
    }

    pub(super) fn param(mut self, param: &str) -> Self {
        self.error.param = Some(param.to_owned());
        self
    }

    /// A request that could not be read, blaming the field serde names when it names one.
    fn unreadable(detail: &str) -> Self {
        let failure = Failure::new(
            StatusCode::BAD_REQUEST,
            ErrorType::InvalidRequestError,
            "parameter_invalid",
            detail,
        );
        match wire::error::named_field(detail) {
            Some(field) => failure.param(field),
            None => failure,
        }
    }

    fn too_large() -> Self {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorType::InvalidRequestError,
            "body_too_large",
            "The body is larger than the API accepts (1 MiB).",
        )
    }

    pub(super) fn missing(what: &str) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            ErrorType::InvalidRequestError,
            "resource_missing",
            &format!("No such {what}."),
        )
    }
}

impl From<AppError> for Failure {
    fn from(err: AppError) -> Self {
        use ErrorType::{
            ApiError as Internal, AuthenticationError, InvalidRequestError, PermissionError,
            RateLimitError,
        };
        let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
        match err {
            AppError::Validation(fields) => match fields.0.first() {
                Some(first) => {
                    let code = first.code.to_string();
                    let message = format!("Invalid value for {}: {code}.", first.field);
                    Failure::new(status, InvalidRequestError, &code, &message).param(&first.field)
                }
                None => Failure::new(status, InvalidRequestError, "invalid", "Invalid request."),
            },
            AppError::BadRequest => Failure::unreadable("The request could not be read."),
            AppError::Unauthenticated => Failure::new(
                status,
                AuthenticationError,
                "api_key_invalid",
                "Invalid API key: it is unknown, malformed or revoked.",
            ),
            AppError::Forbidden => Failure::new(
                status,
                PermissionError,
                "forbidden",
                "This API key may not do this.",
            ),
            AppError::NotFound => Failure::missing("object"),
            AppError::Conflict(conflict) => {
                let code = serde_json::to_value(conflict)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "conflict".to_owned());
                let message = format!("The request conflicts with the current state: {code}.");
                Failure::new(status, InvalidRequestError, &code, &message)
            }
            AppError::RateLimited => Failure::new(
                status,
                RateLimitError,
                "rate_limited",
                "Too many requests; retry later.",
            ),
            AppError::Internal => Failure::new(
                status,
                Internal,
                "internal",
                "Something went wrong on Dunwell's side; the request id is in the log.",
            ),
        }
    }
}

impl From<ConsoleError> for Failure {
    fn from(err: ConsoleError) -> Self {
        Failure::from(AppError::from(err))
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut response = (status, Json(ErrorBody { error: self.error })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"dunwell\""),
            );
        }
        response
    }
}

/// The caller: the organization's actor that the bearer key stands for, as [`gate`] found it.
pub struct ApiCaller(pub AdminActor);

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Failure> {
        parts
            .extensions
            .get::<AdminActor>()
            .cloned()
            .map(ApiCaller)
            .ok_or_else(|| AppError::Unauthenticated.into())
    }
}

/// The actor of a request's `Authorization: Bearer dw_sk_…`.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<AdminActor, Failure> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                ErrorType::AuthenticationError,
                "api_key_missing",
                "No API key: send `Authorization: Bearer dw_sk_…`.",
            )
        })?;
    let (scheme, secret) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AppError::Unauthenticated.into());
    }
    Ok(state.console.authenticate_api_key(secret.trim()).await?)
}

fn too_large() -> Response {
    Failure::too_large().into_response()
}

/// The most of a handler's answer kept for an `Idempotency-Key`'s repeats (far above any
/// object's; past it the answer is an error, kept as such).
const KEPT_RESPONSE_BYTES: usize = 1024 * 1024;

/// Every `/v1` request passes here: the key (401), the key's rate (429 with `Retry-After`),
/// the body's size (413), then, for a POST with an `Idempotency-Key`, the key's claim: the
/// first request runs and its answer, whatever it is, is kept; a repeat is answered the same
/// (`Idempotent-Replayed: true`); another request under the key, or a repeat while the
/// first runs, is refused (409).
async fn gate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let actor = match authenticate(&state, req.headers()).await {
        Ok(actor) => actor,
        Err(failure) => return failure.into_response(),
    };
    if let Err(seconds) = state.console.take_api_request(&actor) {
        let mut res = Failure::from(AppError::RateLimited).into_response();
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > crate::http::BODY_LIMIT_BYTES) {
        return too_large();
    }
    req.extensions_mut().insert(actor.clone());
    let Some(raw_key) = req.headers().get("idempotency-key").cloned() else {
        return next.run(req).await;
    };
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = raw_key
        .to_str()
        .ok()
        .and_then(|k| IdempotencyKey::parse(k).ok())
    else {
        return invalid_param(
            "Idempotency-Key",
            "idempotency_key_invalid",
            "it is 1 to 255 visible ASCII characters",
        )
        .into_response();
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, crate::http::BODY_LIMIT_BYTES).await {
        Ok(bytes) => bytes,
        // Without a declared length (chunked), the limit is what stops a body.
        Err(_) if declared.is_none() => return too_large(),
        Err(_) => {
            return Failure::new(
                StatusCode::BAD_REQUEST,
                ErrorType::InvalidRequestError,
                "body_invalid",
                "The body could not be read.",
            )
            .into_response();
        }
    };
    let path = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let fingerprint = request_fingerprint(parts.method.as_str(), path, &bytes);
    let ticket = match state
        .console
        .begin_idempotent(&actor, &key, &fingerprint)
        .await
    {
        Err(err) => return Failure::from(err).into_response(),
        Ok(Idempotent::Run(ticket)) => ticket,
        Ok(Idempotent::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut res = (status, body).into_response();
            let headers = res.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        Ok(Idempotent::InUse) => {
            return Failure::new(
                StatusCode::CONFLICT,
                ErrorType::InvalidRequestError,
                "idempotency_key_in_use",
                "A request with this Idempotency-Key is still running; retry in a moment.",
            )
            .into_response();
        }
        Ok(Idempotent::Reused) => {
            return Failure::new(
                StatusCode::CONFLICT,
                ErrorType::InvalidRequestError,
                "idempotency_key_reused",
                "This Idempotency-Key was used for another request.",
            )
            .param("Idempotency-Key")
            .into_response();
        }
    };
    // A portal session's URL signs the customer in: only its token's hash is stored, so the
    // kept answer drops it (a replay says `"url": null`; the app makes a new session).
    let holds_sign_in = parts.uri.path().ends_with("/portal_sessions");
    // Detached, so the answer is kept even when the request is dropped half-way (the client
    // goes, the timeout fires): a repeat then gets it rather than an unknown outcome.
    let console = state.console.clone();
    let run = tokio::spawn(async move {
        let res = next
            .run(Request::from_parts(parts, axum::body::Body::from(bytes)))
            .await;
        let (mut res_parts, res_body) = res.into_parts();
        let kept = axum::body::to_bytes(res_body, KEPT_RESPONSE_BYTES)
            .await
            .unwrap_or_else(|_| {
                res_parts.status = StatusCode::INTERNAL_SERVER_ERROR;
                axum::body::Bytes::new()
            });
        let mut text = String::from_utf8_lossy(&kept).into_owned();
        if holds_sign_in {
            text = without_url(&text);
        }
        if let Err(err) = console
            .finish_idempotent(ticket, res_parts.status.as_u16(), text)
            .await
        {
            tracing::error!(error = %err, "idempotency: the answer was not kept");
        }
        res_parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(res_parts, axum::body::Body::from(kept))
    });
    run.await
        .unwrap_or_else(|_| Failure::from(AppError::Internal).into_response())
}

/// `body` (a JSON object) with its `url` set to null.
fn without_url(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(mut value) => {
            if let Some(url) = value.get_mut("url") {
                *url = serde_json::Value::Null;
            }
            value.to_string()
        }
        Err(_) => body.to_owned(),
    }
}

/// A JSON body, its refusals in the API's error shape.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(Failure::unreadable(&e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                ErrorType::InvalidRequestError,
                "content_type_invalid",
                "Send the body as JSON with `Content-Type: application/json`.",
            )),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(Failure::too_large())
            }
            Err(e) => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                ErrorType::InvalidRequestError,
                "body_invalid",
                &e.body_text(),
            )),
        }
    }
}

/// A JSON body that may be left out (`POST …/cancel` with nothing): then the default.
pub struct OptionalBody<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalBody<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0")
            || (req.headers().get(header::CONTENT_TYPE).is_none()
                && req.headers().get(header::TRANSFER_ENCODING).is_none()
                && req.headers().get(header::CONTENT_LENGTH).is_none());
        if empty {
            return Ok(OptionalBody(T::default()));
        }
        Body::<T>::from_request(req, state)
            .await
            .map(|Body(v)| OptionalBody(v))
    }
}

/// Query parameters, refusals in the API's error shape.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Params(v))
            .map_err(|e: QueryRejection| Failure::unreadable(&e.body_text()))
    }
}

async fn unknown_route() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        ErrorType::InvalidRequestError,
        "route_unknown",
        "Unrecognized request URL; see /v1 in the README.",
    )
}

/// An id from the path or the query: one that cannot be an id of its kind is as missing
/// as an unknown one.
pub(super) fn id<T>(
    raw: &str,
    what: &str,
    parse: fn(&str) -> Result<T, IdError>,
) -> Result<T, Failure> {
    parse(raw).map_err(|_| Failure::missing(what))
}

/// The query of a list by customer and status (`GET /v1/subscriptions`, `GET /v1/invoices`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this customer's (`cus_…`).
    customer: Option<String>,
    /// Only those in this status.
    status: Option<String>,
    /// How many to return, 1 to 100 (10 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// The last id of the previous page: the page after it.
    starting_after: Option<String>,
}

/// A [`ListQuery`] parsed: ids of the right kind, a status of the list's kind.
pub struct ListFilters<S, I> {
    pub customer: Option<CustomerId>,
    pub status: Option<S>,
    pub limit: PageLimit,
    pub starting_after: Option<I>,
}

impl ListQuery {
    /// Parses the query of a list of `what` (its ids by `id_of`, its statuses by
    /// `status_of`): a malformed id is a missing object (404), a bad status or limit 400.
    pub(super) fn parse<S, I>(
        &self,
        what: &str,
        id_of: fn(&str) -> Result<I, IdError>,
        status_of: fn(&str) -> Result<S, domain::ParseEnumError>,
    ) -> Result<ListFilters<S, I>, Failure> {
        Ok(ListFilters {
            customer: self
                .customer
                .as_deref()
                .map(|c| id(c, "customer", CustomerId::parse))
                .transpose()?,
            status: self
                .status
                .as_deref()
                .map(status_of)
                .transpose()
                .map_err(|_| {
                    invalid_param(
                        "status",
                        "status.invalid",
                        &format!("not a known {what} status"),
                    )
                })?,
            limit: limit(self.limit.as_deref())?,
            starting_after: self
                .starting_after
                .as_deref()
                .map(|raw| id(raw, what, id_of))
                .transpose()?,
        })
    }
}

/// The `limit` of a list.
pub(super) fn limit(raw: Option<&str>) -> Result<PageLimit, Failure> {
    PageLimit::parse(raw).map_err(|_| invalid_param("limit", "limit.invalid", "limit is 1 to 100"))
}

/// A query parameter that does not parse (400, naming it).
pub(super) fn invalid_param(param: &str, code: &str, why: &str) -> Failure {
    Failure::new(
        StatusCode::BAD_REQUEST,
        ErrorType::InvalidRequestError,
        code,
        &format!("Invalid {param}: {why}."),
    )
    .param(param)
}
