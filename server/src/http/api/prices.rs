//! `/v1/prices`: create, retrieve, list, archive. A price is never repriced: a new amount
//! is a new price.
use super::{ApiCaller, Body, Failure, Params, id, limit};
use crate::state::AppState;
use app::error::AppError;
use axum::Json;
use axum::extract::{Path, State};
use domain::PlanId;
use serde::Deserialize;
use service::console::{NewPrice, PriceInput};
use wire::api::{List, Price, PriceCreate};

fn price_id(raw: &str) -> Result<PlanId, Failure> {
    id(raw, "price", PlanId::parse)
}

/// `POST /v1/prices`.
#[utoipa::path(
    post,
    path = "/prices",
    tag = "prices",
    operation_id = "prices_create",
    summary = "Creates a price.",
    request_body = PriceCreate,
    responses((status = 200, description = "The new price.", body = Price), super::openapi::Errors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Body(body): Body<PriceCreate>,
) -> Result<Json<Price>, Failure> {
    let new = NewPrice::try_from(PriceInput {
        name: &body.name,
        unit_amount: body.unit_amount,
        currency: &body.currency,
        interval: &body.recurring.interval,
        interval_count: body.recurring.interval_count,
        trial_days: body.trial_days,
    })
    .map_err(AppError::Validation)?;
    let id = state.console.create_price(&actor, new).await?;
    Ok(Json(state.console.price_object(&actor, &id).await?))
}

/// `GET /v1/prices/{id}`.
#[utoipa::path(
    get,
    path = "/prices/{id}",
    tag = "prices",
    operation_id = "prices_retrieve",
    summary = "Retrieves a price.",
    params(("id" = String, Path, description = "The price's id, `plan_…`.")),
    responses((status = 200, description = "The price.", body = Price), super::openapi::Errors)
)]
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Price>, Failure> {
    let id = price_id(&id)?;
    Ok(Json(state.console.price_object(&actor, &id).await?))
}

/// `POST /v1/prices/{id}/archive`: no new subscriptions; its subscriptions bill on.
#[utoipa::path(
    post,
    path = "/prices/{id}/archive",
    tag = "prices",
    operation_id = "prices_archive",
    summary = "Archives a price: no new subscriptions; its subscriptions bill on.",
    params(("id" = String, Path, description = "The price's id, `plan_…`.")),
    responses((status = 200, description = "The archived price.", body = Price), super::openapi::Errors)
)]
pub async fn archive(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Price>, Failure> {
    let id = price_id(&id)?;
    state.console.set_price_archived(&actor, &id, true).await?;
    Ok(Json(state.console.price_object(&actor, &id).await?))
}

/// The query of `GET /v1/prices`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// How many to return, 1 to 100 (10 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// The last id of the previous page: the page after it.
    starting_after: Option<String>,
}

/// `GET /v1/prices?limit=&starting_after=`.
#[utoipa::path(
    get,
    path = "/prices",
    tag = "prices",
    operation_id = "prices_list",
    summary = "Lists prices.",
    params(ListQuery),
    responses((status = 200, description = "A page of prices, newest first.", body = List<Price>), super::openapi::Errors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Params(query): Params<ListQuery>,
) -> Result<Json<List<Price>>, Failure> {
    let limit = limit(query.limit.as_deref())?;
    let after = query.starting_after.as_deref().map(price_id).transpose()?;
    Ok(Json(
        state
            .console
            .price_objects(&actor, limit, after.as_ref())
            .await?,
    ))
}
