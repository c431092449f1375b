//! `/v1/subscriptions`: create, retrieve, list (by customer, status), cancel (now or at the
//! period end), resume.
use super::{ApiCaller, Body, Failure, ListQuery, OptionalBody, Params, id};
use crate::state::AppState;
use app::error::AppError;
use axum::Json;
use axum::extract::{Path, State};
use domain::{CustomerId, SubscriptionId, SubscriptionStatus};
use service::console::{CancelWhen, NewSubscription, SubscriptionChange, SubscriptionForm};
use wire::api::{List, Subscription, SubscriptionCancel, SubscriptionCreate, SubscriptionUpdate};

fn subscription_id(raw: &str) -> Result<SubscriptionId, Failure> {
    id(raw, "subscription", SubscriptionId::parse)
}

/// `POST /v1/subscriptions`: without a payment method on file the first invoice waits
/// (`incomplete`) and the customer is emailed a link to add one.
#[utoipa::path(
    post,
    path = "/subscriptions",
    tag = "subscriptions",
    operation_id = "subscriptions_create",
    summary = "Creates a subscription.",
    request_body = SubscriptionCreate,
    responses((status = 200, description = "The new subscription.", body = Subscription), super::openapi::Errors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Body(body): Body<SubscriptionCreate>,
) -> Result<Json<Subscription>, Failure> {
    let customer = id(&body.customer, "customer", CustomerId::parse)?;
    let quantity = body.quantity.map(|q| q.to_string()).unwrap_or_default();
    let trial_days = body.trial_days.map(|d| d.to_string()).unwrap_or_default();
    let new = NewSubscription::try_from(SubscriptionForm {
        price: &body.price,
        quantity: &quantity,
        start: body.start.as_deref().unwrap_or(""),
        trial_days: &trial_days,
    })
    .map_err(AppError::Validation)?;
    let created = state
        .console
        .create_subscription(&actor, &customer, new)
        .await?;
    Ok(Json(match created.object {
        Some(object) => object,
        None => {
            state
                .console
                .subscription_object(&actor, &created.id)
                .await?
        }
    }))
}

/// `GET /v1/subscriptions/{id}`.
#[utoipa::path(
    get,
    path = "/subscriptions/{id}",
    tag = "subscriptions",
    operation_id = "subscriptions_retrieve",
    summary = "Retrieves a subscription.",
    params(("id" = String, Path, description = "The subscription's id, `sub_…`.")),
    responses((status = 200, description = "The subscription.", body = Subscription), super::openapi::Errors)
)]
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Subscription>, Failure> {
    let id = subscription_id(&id)?;
    Ok(Json(state.console.subscription_object(&actor, &id).await?))
}

/// `POST /v1/subscriptions/{id}`: a new price or quantity, billed from the next renewal.
#[utoipa::path(
    post,
    path = "/subscriptions/{id}",
    tag = "subscriptions",
    operation_id = "subscriptions_update",
    summary = "Changes a subscription's price or quantity from the next renewal.",
    params(("id" = String, Path, description = "The subscription's id, `sub_…`.")),
    request_body = SubscriptionUpdate,
    responses((status = 200, description = "The subscription as changed.", body = Subscription), super::openapi::Errors)
)]
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    Body(body): Body<SubscriptionUpdate>,
) -> Result<Json<Subscription>, Failure> {
    let id = subscription_id(&id)?;
    let change = SubscriptionChange::parse(body.price.as_deref(), body.quantity)
        .map_err(AppError::Validation)?;
    state
        .console
        .change_subscription(&actor, &id, change)
        .await?;
    Ok(Json(state.console.subscription_object(&actor, &id).await?))
}

/// `POST /v1/subscriptions/{id}/cancel` (`{"at_period_end": true}` to end with the period).
#[utoipa::path(
    post,
    path = "/subscriptions/{id}/cancel",
    tag = "subscriptions",
    operation_id = "subscriptions_cancel",
    summary = "Cancels a subscription now or at the period end.",
    params(("id" = String, Path, description = "The subscription's id, `sub_…`.")),
    request_body = SubscriptionCancel,
    responses((status = 200, description = "The subscription, canceled or ending with its period.", body = Subscription), super::openapi::Errors)
)]
pub async fn cancel(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    OptionalBody(body): OptionalBody<SubscriptionCancel>,
) -> Result<Json<Subscription>, Failure> {
    let id = subscription_id(&id)?;
    let when = if body.at_period_end {
        CancelWhen::PeriodEnd
    } else {
        CancelWhen::Now
    };
    state.console.cancel_subscription(&actor, &id, when).await?;
    Ok(Json(state.console.subscription_object(&actor, &id).await?))
}

/// `POST /v1/subscriptions/{id}/resume`: undoes a cancellation at the period end.
#[utoipa::path(
    post,
    path = "/subscriptions/{id}/resume",
    tag = "subscriptions",
    operation_id = "subscriptions_resume",
    summary = "Undoes a cancellation at the period end.",
    params(("id" = String, Path, description = "The subscription's id, `sub_…`.")),
    responses((status = 200, description = "The subscription, no longer ending.", body = Subscription), super::openapi::Errors)
)]
pub async fn resume(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Subscription>, Failure> {
    let id = subscription_id(&id)?;
    state.console.resume_subscription(&actor, &id).await?;
    Ok(Json(state.console.subscription_object(&actor, &id).await?))
}

/// `GET /v1/subscriptions?customer=&status=&limit=&starting_after=`.
#[utoipa::path(
    get,
    path = "/subscriptions",
    tag = "subscriptions",
    operation_id = "subscriptions_list",
    summary = "Lists subscriptions, by customer and status.",
    params(super::ListQuery),
    responses((status = 200, description = "A page of subscriptions, newest first.", body = List<Subscription>), super::openapi::Errors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Params(query): Params<ListQuery>,
) -> Result<Json<List<Subscription>>, Failure> {
    let f = query.parse(
        "subscription",
        SubscriptionId::parse,
        SubscriptionStatus::parse,
    )?;
    Ok(Json(
        state
            .console
            .subscription_objects(
                &actor,
                f.customer.as_ref(),
                f.status,
                f.limit,
                f.starting_after.as_ref(),
            )
            .await?,
    ))
}
