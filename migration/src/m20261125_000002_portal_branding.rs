//! What an organization's customers see: uploaded brand assets, the portal's settings and
//! the email templates.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BrandAssets::Table)
                    .col(big_pk_auto(BrandAssets::Id))
                    .col(big_integer(BrandAssets::OrganizationId))
                    // Hex SHA-256 of `bytes`: uploading the same logo twice stores it once.
                    .col(string_len(BrandAssets::ContentHash, 64))
                    .col(string_len(BrandAssets::ContentType, 64))
                    .col(blob(BrandAssets::Bytes))
                    .col(integer(BrandAssets::Width))
                    .col(integer(BrandAssets::Height))
                    .col(timestamp_with_time_zone(BrandAssets::CreatedAt))
                    .foreign_key(&mut fk(
                        BrandAssets::Table,
                        BrandAssets::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                BrandAssets::Table,
                [BrandAssets::OrganizationId, BrandAssets::ContentHash],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PortalSettings::Table)
                    .col(big_pk_auto(PortalSettings::Id))
                    // One settings row per organization.
                    .col(big_integer_uniq(PortalSettings::OrganizationId))
                    .col(boolean(PortalSettings::Enabled))
                    // NULL until a key is issued; unique among the issued ones.
                    .col(string_len_null(PortalSettings::PortalKey, 64).unique_key())
                    .col(string_len(PortalSettings::CompanyName, 200))
                    // "#rrggbb".
                    .col(string_len(PortalSettings::PrimaryColor, 7))
                    .col(big_integer_null(PortalSettings::LogoAssetId))
                    .col(boolean(PortalSettings::PermUpdatePaymentMethods))
                    .col(boolean(PortalSettings::PermViewPaymentHistory))
                    .col(boolean(PortalSettings::PermDownloadInvoices))
                    .col(boolean(PortalSettings::PermCancelSubscription))
                    // Optimistic concurrency: an update names the version it read and bumps
                    // it, so two admins saving at once cannot silently overwrite each other.
                    .col(integer(PortalSettings::Version).default(1))
                    .col(timestamp_with_time_zone(PortalSettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        PortalSettings::Table,
                        PortalSettings::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PortalSettings::Table,
                        PortalSettings::LogoAssetId,
                        BrandAssets::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(PortalSettings::Table, [PortalSettings::LogoAssetId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailTemplates::Table)
                    .col(big_pk_auto(EmailTemplates::Id))
                    .col(big_integer(EmailTemplates::OrganizationId))
                    .col(string_len(EmailTemplates::Kind, 64))
                    .col(string_len(EmailTemplates::Locale, 5))
                    .col(string_len(EmailTemplates::Subject, 255))
                    .col(text(EmailTemplates::Body))
                    .col(timestamp_with_time_zone(EmailTemplates::UpdatedAt))
                    .foreign_key(&mut fk(
                        EmailTemplates::Table,
                        EmailTemplates::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                EmailTemplates::Table,
                [
                    EmailTemplates::OrganizationId,
                    EmailTemplates::Kind,
                    EmailTemplates::Locale,
                ],
            ))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EmailTemplates::Table.into_iden(),
            PortalSettings::Table.into_iden(),
            BrandAssets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum BrandAssets {
    Table,
    Id,
    OrganizationId,
    ContentHash,
    ContentType,
    Bytes,
    Width,
    Height,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    Id,
    OrganizationId,
    Enabled,
    PortalKey,
    CompanyName,
    PrimaryColor,
    LogoAssetId,
    PermUpdatePaymentMethods,
    PermViewPaymentHistory,
    PermDownloadInvoices,
    PermCancelSubscription,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EmailTemplates {
    Table,
    Id,
    OrganizationId,
    Kind,
    Locale,
    Subject,
    Body,
    UpdatedAt,
}
