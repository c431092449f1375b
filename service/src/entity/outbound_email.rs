//! A message in the outbound mail queue.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbound_emails")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub to_address: String,
    pub kind: String,
    pub locale: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// May hold a sign-in link: never logged.
    #[sea_orm(column_type = "Text")]
    pub text_body: String,
    /// May hold a sign-in link: never logged.
    #[sea_orm(column_type = "Text")]
    pub html_body: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// For a sign-in email: its magic link, whose token is minted when the email is sent
    /// (the stored bodies hold a placeholder, never a usable link).
    pub magic_link_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id",
        on_delete = "SetNull"
    )]
    Customer,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `to_address`, `text_body` and `html_body` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::{MaskedEmail, Redacted};
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("public_id", &self.public_id)
            .field("organization_id", &self.organization_id)
            .field("customer_id", &self.customer_id)
            .field("to_address", &MaskedEmail(&self.to_address))
            .field("kind", &self.kind)
            .field("locale", &self.locale)
            .field("subject", &self.subject)
            .field("text_body", &Redacted)
            .field("html_body", &Redacted)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("last_error", &self.last_error)
            .field("sent_at", &self.sent_at)
            .field("created_at", &self.created_at)
            .field("magic_link_id", &self.magic_link_id)
            .finish()
    }
}
