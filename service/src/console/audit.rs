//! The audit log: who changed what, when. Written in the same transaction as the change.
use super::{ConsoleError, ConsoleService};
use crate::console::AdminActor;
use crate::db::{Batch, Txn};
use crate::entity::audit_event;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use wire::console::{AuditLogPage, AuditRow};

/// Rows per audit page.
pub const PAGE_SIZE: u64 = 25;

fn row(
    actor: &AdminActor,
    action: &str,
    details: String,
    now: DateTime<Utc>,
) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        organization_id: Set(actor.org_id()),
        actor: Set(actor.audit_name().to_owned()),
        action: Set(action.to_owned()),
        details: Set(details),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Records one change by `actor`.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    action: &str,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), ConsoleError> {
    row(actor, action, details, now).insert(db).await?;
    Ok(())
}

/// Records one change by `actor` in the change's own transaction, then commits it: the
/// change and its audit row land together or not at all.
pub async fn commit(
    txn: DatabaseTransaction,
    actor: &AdminActor,
    action: &str,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), ConsoleError> {
    let mut batch = Batch::default();
    batch.insert(row(actor, action, details, now));
    batch.run(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Like [`commit`] for a [`Txn`], after the change's other writes still in `batch`: they
/// and the audit row reach the database together with the commit (one round trip on
/// SQLite).
pub async fn commit_with(
    txn: Txn,
    mut batch: Batch,
    actor: &AdminActor,
    action: &str,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), ConsoleError> {
    batch.insert(row(actor, action, details, now));
    txn.commit(batch).await?;
    Ok(())
}

impl ConsoleService {
    /// A page of the organization's audit log, newest first (a page past the end shows the last).
    pub async fn audit_log(
        &self,
        actor: &AdminActor,
        page: u64,
    ) -> Result<AuditLogPage, ConsoleError> {
        let paginator = audit_event::Entity::find()
            .filter(audit_event::Column::OrganizationId.eq(actor.org_id()))
            .order_by_desc(audit_event::Column::Id)
            .paginate(&self.db, PAGE_SIZE);
        let total = paginator.num_items().await?;
        let pages = std::cmp::max(total.div_ceil(PAGE_SIZE), 1);
        let page = page.clamp(1, pages);
        let rows = paginator
            .fetch_page(page - 1)
            .await?
            .into_iter()
            .map(|e| AuditRow {
                at: e.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                actor: e.actor,
                action: e.action,
                details: e.details,
            })
            .collect();
        Ok(AuditLogPage {
            rows,
            page,
            pages,
            total,
        })
    }
}
