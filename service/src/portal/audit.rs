//! The audit log's rows for a customer's own changes in the portal (Console → Audit log),
//! written in the change's transaction where it has one. The actor is `customer:{id}`.
use super::PortalError;
use crate::entity::audit_event;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

/// Records `action` by the customer `customer_public_id` of organization `org_id`.
pub(super) async fn record(
    db: &impl ConnectionTrait,
    org_id: i64,
    customer_public_id: &str,
    action: &str,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), PortalError> {
    audit_event::ActiveModel {
        organization_id: Set(org_id),
        actor: Set(format!("customer:{customer_public_id}")),
        action: Set(action.to_owned()),
        details: Set(details.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
