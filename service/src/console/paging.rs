//! Cursor pages of the merchant API's lists: newest first, after a cursor row, and whether
//! more follow.
use domain::PageLimit;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// Up to `limit` rows of `query`, newest first by `id`, below the cursor row's `after` (a
/// database key), and whether rows follow them.
pub(super) async fn page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    id: E::Column,
    limit: PageLimit,
    after: Option<i64>,
) -> Result<(Vec<E::Model>, bool), DbErr> {
    let mut query = query.order_by_desc(id).limit(limit.get() + 1);
    if let Some(after) = after {
        query = query.filter(id.lt(after));
    }
    let mut rows = query.all(db).await?;
    let has_more = rows.len() as u64 > limit.get();
    rows.truncate(usize::try_from(limit.get()).unwrap_or(usize::MAX));
    Ok((rows, has_more))
}
