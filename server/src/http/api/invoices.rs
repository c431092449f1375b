//! `/v1/invoices` (retrieve, list by customer and status, the PDF) and
//! `/v1/payment_methods` (a customer's saved methods).
use super::{ApiCaller, Failure, ListQuery, Params, id, invalid_param, limit};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::{CustomerId, InvoiceId, InvoiceStatus, PaymentMethodId};
use serde::Deserialize;
use wire::api::{Invoice, List, PaymentMethod};

fn invoice_id(raw: &str) -> Result<InvoiceId, Failure> {
    id(raw, "invoice", InvoiceId::parse)
}

/// `GET /v1/invoices/{id}`.
#[utoipa::path(
    get,
    path = "/invoices/{id}",
    tag = "invoices",
    operation_id = "invoices_retrieve",
    summary = "Retrieves an invoice.",
    params(("id" = String, Path, description = "The invoice's id, `inv_…`.")),
    responses((status = 200, description = "The invoice.", body = Invoice), super::openapi::Errors)
)]
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Invoice>, Failure> {
    let id = invoice_id(&id)?;
    Ok(Json(state.console.invoice_object(&actor, &id).await?))
}

/// `GET /v1/invoices/{id}/pdf`: the invoice as the customer gets it.
#[utoipa::path(
    get,
    path = "/invoices/{id}/pdf",
    tag = "invoices",
    operation_id = "invoices_pdf",
    summary = "Downloads an invoice's PDF.",
    params(("id" = String, Path, description = "The invoice's id, `inv_…`.")),
    responses((status = 200, description = "The invoice as a PDF.", content_type = "application/pdf", body = String), super::openapi::Errors)
)]
pub async fn pdf(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let id = invoice_id(&id)?;
    let pdf = state.console.invoice_pdf_by_id(&actor, &id).await?;
    Ok(crate::http::download::invoice_pdf(&pdf.number, pdf.bytes))
}

/// `GET /v1/invoices?customer=&status=&limit=&starting_after=`.
#[utoipa::path(
    get,
    path = "/invoices",
    tag = "invoices",
    operation_id = "invoices_list",
    summary = "Lists invoices, by customer and status.",
    params(super::ListQuery),
    responses((status = 200, description = "A page of invoices, newest first.", body = List<Invoice>), super::openapi::Errors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Params(query): Params<ListQuery>,
) -> Result<Json<List<Invoice>>, Failure> {
    let f = query.parse("invoice", InvoiceId::parse, InvoiceStatus::parse)?;
    Ok(Json(
        state
            .console
            .invoice_objects(
                &actor,
                f.customer.as_ref(),
                f.status,
                f.limit,
                f.starting_after.as_ref(),
            )
            .await?,
    ))
}

/// The query of `GET /v1/payment_methods`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MethodsQuery {
    /// Only this customer's (`cus_…`).
    customer: Option<String>,
    /// How many to return, 1 to 100 (10 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// The last id of the previous page: the page after it.
    starting_after: Option<String>,
}

/// `GET /v1/payment_methods?customer=cus_…&limit=&starting_after=`: `customer` is required.
#[utoipa::path(
    get,
    path = "/payment_methods",
    tag = "invoices",
    operation_id = "invoices_payment_methods",
    summary = "Lists a customer's payment methods.",
    params(MethodsQuery),
    responses((status = 200, description = "A page of the customer's payment methods.", body = List<PaymentMethod>), super::openapi::Errors)
)]
pub async fn payment_methods(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Params(query): Params<MethodsQuery>,
) -> Result<Json<List<PaymentMethod>>, Failure> {
    let limit = limit(query.limit.as_deref())?;
    let customer = query.customer.as_deref().ok_or_else(|| {
        invalid_param(
            "customer",
            "parameter_missing",
            "name the customer (`customer=cus_…`)",
        )
    })?;
    let customer = id(customer, "customer", CustomerId::parse)?;
    let after = query
        .starting_after
        .as_deref()
        .map(|m| id(m, "payment method", PaymentMethodId::parse))
        .transpose()?;
    Ok(Json(
        state
            .console
            .payment_method_objects(&actor, &customer, limit, after.as_ref())
            .await?,
    ))
}
