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
#[utoipa::path(
    post,
    path = "/customers",
    tag = "customers",
    operation_id = "customers_create",
    summary = "Creates a customer.",
    request_body = CustomerCreate,
    responses((status = 200, description = "The new customer.", body = Customer), super::openapi::Errors)
)]
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
    Ok(Json(state.console.create_customer(&actor, new).await?))
}

/// `GET /v1/customers/{id}`.
#[utoipa::path(
    get,
    path = "/customers/{id}",
    tag = "customers",
    operation_id = "customers_retrieve",
    summary = "Retrieves a customer.",
    params(("id" = String, Path, description = "The customer's id, `cus_…`.")),
    responses((status = 200, description = "The customer.", body = Customer), super::openapi::Errors)
)]
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Customer>, Failure> {
    let id = customer_id(&id)?;
    Ok(Json(state.console.customer_object(&actor, &id).await?))
}

/// `POST /v1/customers/{id}`: a partial change.
#[utoipa::path(
    post,
    path = "/customers/{id}",
    tag = "customers",
    operation_id = "customers_update",
    summary = "Updates a customer: the fields given change, the others stay.",
    params(("id" = String, Path, description = "The customer's id, `cus_…`.")),
    request_body = CustomerUpdate,
    responses((status = 200, description = "The customer as changed.", body = Customer), super::openapi::Errors)
)]
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
#[utoipa::path(
    post,
    path = "/customers/{id}/archive",
    tag = "customers",
    operation_id = "customers_archive",
    summary = "Archives a customer.",
    params(("id" = String, Path, description = "The customer's id, `cus_…`.")),
    responses((status = 200, description = "The archived customer.", body = Customer), super::openapi::Errors)
)]
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
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only the customer with this email.
    email: Option<String>,
    /// How many to return, 1 to 100 (10 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// The last id of the previous page: the page after it.
    starting_after: Option<String>,
}

/// `GET /v1/customers?email=&limit=&starting_after=`.
#[utoipa::path(
    get,
    path = "/customers",
    tag = "customers",
    operation_id = "customers_list",
    summary = "Lists customers, optionally the one with an email.",
    params(ListQuery),
    responses((status = 200, description = "A page of customers, newest first.", body = List<Customer>), super::openapi::Errors)
)]
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
