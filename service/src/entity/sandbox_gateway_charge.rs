//! The sandbox gateway's charge log; a repeated idempotency key returns the recorded result.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_gateway_charges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub token: String,
    pub amount_minor: i64,
    pub currency: String,
    pub outcome: String,
    pub decline_code: Option<String>,
    pub reference: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `token` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::Redacted;
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("idempotency_key", &self.idempotency_key)
            .field("token", &Redacted)
            .field("amount_minor", &self.amount_minor)
            .field("currency", &self.currency)
            .field("outcome", &self.outcome)
            .field("decline_code", &self.decline_code)
            .field("reference", &self.reference)
            .field("created_at", &self.created_at)
            .finish()
    }
}
