//! Staff accounts: creation from the command line and the demo. Sign-in lives in the
//! console's services.
use crate::entity::staff_user;
use crate::{orgs, secret};
use domain::{EmailAddress, StaffRole};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// Why a staff account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("--org: {0}")]
    Slug(String),
    #[error("--email: a staff account with this email already exists")]
    EmailTaken,
    #[error("password: must be at least 10 characters")]
    WeakPassword,
    #[error("{0}")]
    Hash(String),
    #[error("database error ({0})")]
    Db(#[from] sea_orm::DbErr),
}

/// Shortest password accepted for a staff account.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Creates a staff account, and the organization if the slug is new.
pub async fn create_staff(
    db: &DatabaseConnection,
    org_slug: &str,
    email: &EmailAddress,
    password: &str,
    role: StaffRole,
) -> Result<staff_user::Model, StaffError> {
    let slug = domain::OrgSlug::parse(org_slug)
        .map_err(|e| StaffError::Slug(format!("`{org_slug}`: {e}")))?;
    let slug = slug.as_str();
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(StaffError::WeakPassword);
    }
    let password_hash = secret::hash_password(password).map_err(StaffError::Hash)?;
    let now = chrono::Utc::now();
    let txn = crate::db::begin_write(db).await?;
    if staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(StaffError::EmailTaken);
    }
    let org = match orgs::find_by_slug(&txn, slug).await? {
        Some(org) => org,
        None => orgs::create(&txn, slug, slug, false, now).await?,
    };
    let user = insert(&txn, org.id, email, password_hash, role, now).await?;
    txn.commit().await?;
    Ok(user)
}

/// Writes a staff member of `org_id` whose password is already hashed.
pub(crate) async fn insert(
    db: &impl sea_orm::ConnectionTrait,
    org_id: i64,
    email: &EmailAddress,
    password_hash: String,
    role: StaffRole,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<staff_user::Model, sea_orm::DbErr> {
    staff_user::ActiveModel {
        organization_id: Set(org_id),
        email: Set(email.as_str().to_owned()),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}
