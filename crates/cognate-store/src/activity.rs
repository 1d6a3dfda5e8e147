//! The `user_activity` table: which subs were active in which month, for monthly-active-user
//! counts. Rows are by `sub` and reference only the pool, so they outlive a deleted user.

use cognate_core::store::StoreResult;
use sqlx::Row;

use crate::error::db_err;
use crate::SqlStore;

/// Idempotent. `NotFound` when the pool does not exist.
pub(crate) async fn record(s: &SqlStore, pool_id: &str, sub: &str, month: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO user_activity (pool_id, month, sub) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(pool_id)
    .bind(month)
    .bind(sub)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Pools with at least one active user in `month`, ordered by pool id.
pub(crate) async fn count(s: &SqlStore, month: &str) -> StoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT pool_id, COUNT(*) AS active FROM user_activity WHERE month = $1 \
         GROUP BY pool_id ORDER BY pool_id",
    )
    .bind(month)
    .fetch_all(&s.pool)
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("pool_id").map_err(db_err)?,
                row.try_get("active").map_err(db_err)?,
            ))
        })
        .collect()
}
