//! `POST /v1/portal_sessions`: a one-time URL that signs a customer into the portal.
use super::{ApiCaller, Body, Failure, id};
use crate::state::AppState;
use app::error::AppError;
use axum::Json;
use axum::extract::State;
use domain::{CustomerId, SubscriptionId};
use service::console::NewPortalSession;
use wire::api::{PortalFlowBody, PortalSession, PortalSessionCreate};

/// Send the customer's browser to the answer's `url` (it works once, for five minutes).
#[utoipa::path(
    post,
    path = "/portal_sessions",
    tag = "portal_sessions",
    operation_id = "portal_sessions_create",
    summary = "Creates a portal session: a one-time URL, valid five minutes, that signs the customer into the portal.",
    request_body = PortalSessionCreate,
    responses((status = 200, description = "The session: send the customer's browser to its `url`.", body = PortalSession), super::openapi::Errors)
)]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Body(body): Body<PortalSessionCreate>,
) -> Result<Json<PortalSession>, Failure> {
    // As everywhere in the API, an id that cannot be one is as missing as an unknown one.
    id(&body.customer, "customer", CustomerId::parse)?;
    if let Some(PortalFlowBody::SubscriptionCancel { subscription }) = &body.flow {
        id(subscription, "subscription", SubscriptionId::parse)?;
    }
    let new = NewPortalSession::try_from(&body).map_err(AppError::Validation)?;
    Ok(Json(
        state.console.create_portal_session(&actor, new).await?,
    ))
}
