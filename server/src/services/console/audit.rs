//! The audit log: who changed what, when. Written in the same transaction as the change.
use super::{ConsoleError, ConsoleService};
use crate::entity::{audit_event, staff_user};
use app::console::dto::AuditRow;
use app::console::port::AdminActor;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

/// Rows per audit page.
pub const PAGE_SIZE: u64 = 50;

/// Records one change by `actor`.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    action: &str,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), ConsoleError> {
    let who = staff_user::Entity::find_by_id(actor.staff_id())
        .one(db)
        .await?
        .map(|u| u.email)
        .unwrap_or_default();
    audit_event::ActiveModel {
        organization_id: Set(actor.org_id()),
        actor: Set(who),
        action: Set(action.to_owned()),
        details: Set(details),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The organization's audit log, newest first.
pub async fn list(
    svc: &ConsoleService,
    actor: &AdminActor,
    page: u64,
) -> Result<Vec<AuditRow>, ConsoleError> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::OrganizationId.eq(actor.org_id()))
        .order_by_desc(audit_event::Column::Id)
        .paginate(&svc.db, PAGE_SIZE)
        .fetch_page(page.saturating_sub(1))
        .await?;
    Ok(rows
        .into_iter()
        .map(|e| AuditRow {
            at: e.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            actor: e.actor,
            action: e.action,
            details: e.details,
        })
        .collect())
}
