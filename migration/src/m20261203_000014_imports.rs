//! CSV imports: the merchant's own key (`external_id`) on customers and subscriptions, unique
//! in the organization, so importing a file again changes nothing; the imports the console
//! checked and runs (the file until it has run, the problems found, the progress); and the
//! index the customers page sorts by.

use crate::util::{add_columns, drop_columns, fk, index, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Customers::Table,
            [string_len_null(Customers::ExternalId, 100)],
        )
        .await?;
        add_columns(
            manager,
            Subscriptions::Table,
            [string_len_null(Subscriptions::ExternalId, 100)],
        )
        .await?;
        manager
            .create_index(unique_index(
                Customers::Table,
                [Customers::OrganizationId, Customers::ExternalId],
            ))
            .await?;
        manager
            .create_index(unique_index(
                Subscriptions::Table,
                [Subscriptions::OrganizationId, Subscriptions::ExternalId],
            ))
            .await?;
        manager
            .create_index(index(
                Customers::Table,
                [Customers::OrganizationId, Customers::Name],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Imports::Table)
                    .col(big_pk_auto(Imports::Id))
                    .col(string_len_uniq(Imports::PublicId, 64))
                    .col(big_integer(Imports::OrganizationId))
                    .col(string_len(Imports::Kind, 16))
                    .col(string_len(Imports::FileName, 255))
                    .col(blob(Imports::Content))
                    .col(string_len(Imports::Status, 16))
                    .col(big_integer(Imports::Rows).default(0))
                    .col(big_integer(Imports::NewRows).default(0))
                    .col(big_integer(Imports::ExistingRows).default(0))
                    .col(big_integer(Imports::DoneRows).default(0))
                    .col(text(Imports::Problems))
                    .col(big_integer(Imports::MoreProblems).default(0))
                    .col(timestamp_with_time_zone(Imports::CreatedAt))
                    .col(timestamp_with_time_zone(Imports::UpdatedAt))
                    .foreign_key(&mut fk(
                        Imports::Table,
                        Imports::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                Imports::Table,
                [Imports::OrganizationId, Imports::CreatedAt],
            ))
            .await?;
        // The customers page searches by the start of the email or the (lower-cased) name
        // from an index: a range on SQLite (binary order), `LIKE 'q%'` on PostgreSQL (pattern
        // operator classes, whatever the database's collation).
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => &[
                "CREATE INDEX idx_customers_org_lower_name ON customers (organization_id, lower(name) text_pattern_ops)",
                "CREATE INDEX idx_customers_org_email_pattern ON customers (organization_id, email text_pattern_ops)",
            ],
            _ => &[
                "CREATE INDEX idx_customers_org_lower_name ON customers (organization_id, lower(name))",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Imports::Table).take())
            .await?;
        for (table, name) in [
            ("customers", "idx_customers_org_lower_name"),
            ("customers", "idx_customers_organization_id_name"),
            ("customers", "uq_customers_organization_id_external_id"),
            (
                "subscriptions",
                "uq_subscriptions_organization_id_external_id",
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP INDEX idx_customers_org_email_pattern")
                .await?;
        }
        drop_columns(manager, Subscriptions::Table, [Subscriptions::ExternalId]).await?;
        drop_columns(manager, Customers::Table, [Customers::ExternalId]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Customers {
    Table,
    OrganizationId,
    ExternalId,
    Name,
}

#[derive(DeriveIden, Clone, Copy)]
enum Subscriptions {
    Table,
    OrganizationId,
    ExternalId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Imports {
    Table,
    Id,
    PublicId,
    OrganizationId,
    Kind,
    FileName,
    Content,
    Status,
    Rows,
    NewRows,
    ExistingRows,
    DoneRows,
    Problems,
    MoreProblems,
    CreatedAt,
    UpdatedAt,
}
