//! Events as the merchant API (`/v1/events`) shows them: one, or a cursor page of the
//! organization's, newest first, optionally of one kind.
use super::{AdminActor, ConsoleError, ConsoleService};
use crate::entity::event;
use domain::{EventId, EventKind, PageLimit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use wire::api::{Event, EventData, List, ObjectKind};

pub(crate) fn object(e: event::Model) -> Result<Event, ConsoleError> {
    let bad = |what: &str| ConsoleError::Internal(format!("event {}: bad {what}", e.id));
    Ok(Event {
        id: EventId::parse(&e.public_id).map_err(|_| bad("id"))?,
        object: ObjectKind::Event,
        created: e.created_at.timestamp(),
        data: EventData {
            object: serde_json::from_str(&e.data).map_err(|_| bad("data"))?,
        },
        kind: e.kind,
    })
}

/// Event `id` of the actor's organization.
async fn find(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    id: &EventId,
) -> Result<event::Model, ConsoleError> {
    event::Entity::find()
        .filter(event::Column::OrganizationId.eq(actor.org_id()))
        .filter(event::Column::PublicId.eq(id.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

impl ConsoleService {
    /// One event.
    pub async fn event_object(
        &self,
        actor: &AdminActor,
        id: &EventId,
    ) -> Result<Event, ConsoleError> {
        object(find(&self.db, actor, id).await?)
    }

    /// A page of the organization's events, newest first, optionally of one kind.
    pub async fn event_objects(
        &self,
        actor: &AdminActor,
        kind: Option<EventKind>,
        limit: PageLimit,
        starting_after: Option<&EventId>,
    ) -> Result<List<Event>, ConsoleError> {
        let mut query =
            event::Entity::find().filter(event::Column::OrganizationId.eq(actor.org_id()));
        if let Some(kind) = kind {
            query = query.filter(event::Column::Kind.eq(kind.as_str()));
        }
        let after = match starting_after {
            Some(id) => Some(find(&self.db, actor, id).await?.id),
            None => None,
        };
        let (rows, has_more) =
            super::paging::page(&self.db, query, event::Column::Id, limit, after).await?;
        Ok(List {
            object: ObjectKind::List,
            data: rows.into_iter().map(object).collect::<Result<_, _>>()?,
            has_more,
        })
    }
}
