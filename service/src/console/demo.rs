//! Demo-only pages: the outbox and the test clock. Refused (404) outside demo mode.
use super::{ConsoleError, ConsoleService, audit};
use crate::console::AdminActor;
use crate::entity::{organization, outbound_email};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use wire::console::OutboxRow;

impl ConsoleService {
    /// The most recent emails of the organization (and the staff test emails).
    pub async fn outbox(&self, actor: &AdminActor) -> Result<Vec<OutboxRow>, ConsoleError> {
        if !self.config.demo {
            return Err(ConsoleError::NotFound);
        }
        let rows = outbound_email::Entity::find()
            .filter(outbound_email::Column::OrganizationId.eq(actor.org_id()))
            .order_by_desc(outbound_email::Column::Id)
            .limit(100)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|e| OutboxRow {
                at: e.created_at.format("%Y-%m-%d %H:%M").to_string(),
                // Sign-in links are bearer tokens: never shown, even in the demo.
                text: if e.kind == "magic_link" {
                    String::from("…")
                } else {
                    e.text_body
                },
                to: e.to_address,
                kind: e.kind,
                status: e.status,
                subject: e.subject,
            })
            .collect())
    }

    /// Advances the organization's test clock and describes what ran.
    pub async fn advance_clock(
        &self,
        actor: &AdminActor,
        days: domain::ClockDays,
    ) -> Result<String, ConsoleError> {
        actor.require_change()?;
        if !self.config.demo {
            return Err(ConsoleError::NotFound);
        }
        let days = days.get();
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let report = self.engine.advance_clock(&org.slug, days).await?;
        audit::record(
            &self.db,
            actor,
            "clock.advanced",
            format!("{days} days"),
            self.now(),
        )
        .await?;
        Ok(report.to_string())
    }
}
