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
pub async fn retrieve(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Event>, Failure> {
    let id = event_id(&id)?;
    Ok(Json(state.console.event_object(&actor, &id).await?))
}

/// The query of `GET /v1/events`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<String>,
    starting_after: Option<String>,
}

/// `GET /v1/events?type=&limit=&starting_after=`.
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
