//! `/v1/customers`: create, retrieve, update, list (by email), archive.
use super::{ApiCaller, Body, Failure, Params, id, invalid_param, limit};
use crate::state::AppState;
use app::error::AppError;
use axum::Json;
use axum::extract::{Path, State};
use domain::{CustomerId, EmailAddress};
use serde::Deserialize;
use service::console::{CustomerDetailsForm, CustomerPatch, NewCustomer};
use wire::api::{Customer, CustomerCreate, CustomerUpdate, List};

fn customer_id(raw: &str) -> Result<CustomerId, Failure> {
    id(raw, "customer", CustomerId::parse)
}

/// `POST /v1/customers`.
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Body(body): Body<CustomerCreate>,
) -> Result<Json<Customer>, Failure> {
    let form = CustomerDetailsForm {
        name: &body.name,
        locale: body.locale.as_deref().unwrap_or("en"),
        billing_address: body.billing_address.as_deref().unwrap_or(""),
        tax_id: body.tax_id.as_deref().unwrap_or(""),
    };
    let new = NewCustomer::try_from((body.email.as_str(), form)).map_err(AppError::Validation)?;
    let id = state.console.create_customer(&actor, new).await?;
    Ok(Json(state.console.customer_object(&actor, &id).await?))
}

/// `GET /v1/customers/{id}`.
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Customer>, Failure> {
    let id = customer_id(&id)?;
    Ok(Json(state.console.customer_object(&actor, &id).await?))
}

/// `POST /v1/customers/{id}`: a partial change.
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    Body(body): Body<CustomerUpdate>,
) -> Result<Json<Customer>, Failure> {
    let id = customer_id(&id)?;
    let patch = CustomerPatch {
        email: body.email.as_deref(),
        name: body.name.as_deref(),
        locale: body.locale.as_deref(),
        billing_address: body.billing_address.as_deref(),
        tax_id: body.tax_id.as_deref(),
    };
    Ok(Json(
        state.console.patch_customer(&actor, &id, patch).await?,
    ))
}

/// `POST /v1/customers/{id}/archive`.
pub async fn archive(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Customer>, Failure> {
    let id = customer_id(&id)?;
    state
        .console
        .set_customer_archived(&actor, &id, true)
        .await?;
    Ok(Json(state.console.customer_object(&actor, &id).await?))
}

/// The query of `GET /v1/customers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    email: Option<String>,
    limit: Option<String>,
    starting_after: Option<String>,
}

/// `GET /v1/customers?email=&limit=&starting_after=`.
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Params(query): Params<ListQuery>,
) -> Result<Json<List<Customer>>, Failure> {
    let limit = limit(query.limit.as_deref())?;
    let email = query
        .email
        .as_deref()
        .map(EmailAddress::parse)
        .transpose()
        .map_err(|_| invalid_param("email", "email.invalid", "not an email address"))?;
    let after = query
        .starting_after
        .as_deref()
        .map(customer_id)
        .transpose()?;
    let page = state
        .console
        .customer_objects(&actor, email.as_ref(), limit, after.as_ref())
        .await?;
    Ok(Json(page))
}
