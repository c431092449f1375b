//! Small builders shared by the migrations: named foreign keys and indexes.
//!
//! Landed migrations call these, so their output must never change: add new helpers
//! instead of editing these ones.

use sea_orm_migration::prelude::*;

/// Every table's primary key is `id`: a big-integer, auto-increment column.
#[derive(DeriveIden)]
enum Id {
    Id,
}

/// A foreign key named `fk_<table>_<column>` from `table.column` to `parent.id`.
///
/// `on_delete` is the policy: `Cascade` for rows that only exist as part of their parent,
/// `SetNull` for optional links, `NoAction` where billing history must stay. `NoAction`
/// (not `Restrict`) so that deleting a whole organization, which cascades to both a customer
/// and that customer's invoices in one statement, is checked at the end of the statement
/// rather than half-way through the cascade, on PostgreSQL and SQLite alike.
pub(crate) fn fk<T, C, P>(
    table: T,
    column: C,
    parent: P,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    T: Iden + 'static,
    C: Iden + 'static,
    P: Iden + 'static,
{
    let name = format!("fk_{}_{}", table.to_string(), column.to_string());
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(parent, Id::Id)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::NoAction)
        .take()
}

/// A plain index named `idx_<table>_<col>_<col>…` (index names are schema-wide on PostgreSQL).
pub(crate) fn index<T, I>(table: T, columns: I) -> IndexCreateStatement
where
    T: Iden + 'static,
    I: IntoIterator<Item = T>,
{
    build_index("idx", table, columns)
}

/// A unique index named `uq_<table>_<col>_<col>…`.
pub(crate) fn unique_index<T, I>(table: T, columns: I) -> IndexCreateStatement
where
    T: Iden + 'static,
    I: IntoIterator<Item = T>,
{
    build_index("uq", table, columns).unique().take()
}

fn build_index<T, I>(prefix: &str, table: T, columns: I) -> IndexCreateStatement
where
    T: Iden + 'static,
    I: IntoIterator<Item = T>,
{
    let mut name = format!("{prefix}_{}", table.to_string());
    let mut statement = Index::create();
    for column in columns {
        name.push('_');
        name.push_str(&column.to_string());
        statement.col(column);
    }
    statement.name(name).table(table).take()
}

/// Adds `columns` to `table`, one statement each (SQLite alters one thing at a time).
pub(crate) async fn add_columns<T: Iden + Clone + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: impl IntoIterator<Item = ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table.clone())
                    .add_column(&mut column)
                    .take(),
            )
            .await?;
    }
    Ok(())
}

/// Drops `columns` from `table`, one statement each.
pub(crate) async fn drop_columns<T: Iden + Clone + 'static, C: Iden + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    for column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table.clone())
                    .drop_column(column)
                    .take(),
            )
            .await?;
    }
    Ok(())
}
