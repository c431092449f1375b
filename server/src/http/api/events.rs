//! `/v1/events`: what changed, newest first (`type=` for one kind), and one event.
use super::{ApiCaller, Failure, Params, id, invalid_param, limit};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use domain::{EventId, EventKind};
use serde::Deserialize;
use wire::api::{Event, List};

fn event_id(raw: &str) -> Result<EventId, Failure> {
    id(raw, "event", EventId::parse)
}

/// `GET /v1/events/{id}`.
#[utoipa::path(
    get,
    path = "/events/{id}",
    tag = "events",
    operation_id = "events_retrieve",
    summary = "Retrieves an event.",
    params(("id" = String, Path, description = "The event's id, `evt_…`.")),
    responses((status = 200, description = "The event.", body = Event), super::openapi::Errors)
)]
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Event>, Failure> {
    let id = event_id(&id)?;
    Ok(Json(state.console.event_object(&actor, &id).await?))
}

/// The query of `GET /v1/events`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Only events of this type (`subscription.canceled`, …).
    #[serde(rename = "type")]
    kind: Option<String>,
    /// How many to return, 1 to 100 (10 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// The last id of the previous page: the page after it.
    starting_after: Option<String>,
}

/// `GET /v1/events?type=&limit=&starting_after=`.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    operation_id = "events_list",
    summary = "Lists events, optionally of one type.",
    params(EventsQuery),
    responses((status = 200, description = "A page of events, newest first.", body = List<Event>), super::openapi::Errors)
)]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Params(query): Params<EventsQuery>,
) -> Result<Json<List<Event>>, Failure> {
    let limit = limit(query.limit.as_deref())?;
    let kind = query
        .kind
        .as_deref()
        .map(EventKind::parse)
        .transpose()
        .map_err(|_| invalid_param("type", "type.invalid", "not a known event type"))?;
    let after = query.starting_after.as_deref().map(event_id).transpose()?;
    Ok(Json(
        state
            .console
            .event_objects(&actor, kind, limit, after.as_ref())
            .await?,
    ))
}
