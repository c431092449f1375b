//! The sandbox gateway's vault: what a token stands for and how charges on it behave.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_gateway_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token: String,
    pub kind: String,
    pub brand: Option<String>,
    pub last4: String,
    pub exp_month: Option<i32>,
    pub exp_year: Option<i32>,
    /// e.g. `succeed`, `decline:card_declined`, `always_decline`.
    pub behavior: String,
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
            .field("token", &Redacted)
            .field("kind", &self.kind)
            .field("brand", &self.brand)
            .field("last4", &self.last4)
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .field("behavior", &self.behavior)
            .field("created_at", &self.created_at)
            .finish()
    }
}
