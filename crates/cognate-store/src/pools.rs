//! The `user_pools` table. Deleting a pool cascades to everything in it.

use cognate_core::model::UserPool;
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{corrupt, db_err};
use crate::sql::Sql;
use crate::SqlStore;

const COLUMNS: &str = "id, name, arn, created_ms, modified_ms, settings, mfa";

fn from_row(row: &AnyRow) -> StoreResult<UserPool> {
    let settings: String = row.try_get("settings").map_err(db_err)?;
    let mfa: String = row.try_get("mfa").map_err(db_err)?;
    Ok(UserPool {
        id: row.try_get("id").map_err(db_err)?,
        name: row.try_get("name").map_err(db_err)?,
        arn: row.try_get("arn").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        modified_ms: row.try_get("modified_ms").map_err(db_err)?,
        settings: serde_json::from_str(&settings).map_err(|e| corrupt("pool settings", e))?,
        mfa: serde_json::from_str(&mfa).map_err(|e| corrupt("pool MFA settings", e))?,
    })
}

fn json(pool: &UserPool) -> StoreResult<(String, String)> {
    let settings = serde_json::to_string(&pool.settings)
        .map_err(|e| StoreError::Backend(format!("pool settings: {e}")))?;
    let mfa = serde_json::to_string(&pool.mfa)
        .map_err(|e| StoreError::Backend(format!("pool MFA settings: {e}")))?;
    Ok((settings, mfa))
}

pub(crate) async fn insert(s: &SqlStore, pool: &UserPool) -> StoreResult<()> {
    let (settings, mfa) = json(pool)?;
    sqlx::query(
        "INSERT INTO user_pools (id, name, arn, created_ms, modified_ms, settings, mfa) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(pool.id.as_str())
    .bind(pool.name.as_str())
    .bind(pool.arn.as_str())
    .bind(pool.created_ms)
    .bind(pool.modified_ms)
    .bind(settings)
    .bind(mfa)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn get(s: &SqlStore, pool_id: &str) -> StoreResult<Option<UserPool>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM user_pools WHERE id = $1"))
        .bind(pool_id)
        .fetch_optional(&s.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub(crate) async fn update(s: &SqlStore, pool: &UserPool) -> StoreResult<()> {
    let (settings, mfa) = json(pool)?;
    let done = sqlx::query(
        "UPDATE user_pools SET name = $2, arn = $3, created_ms = $4, modified_ms = $5, \
         settings = $6, mfa = $7 WHERE id = $1",
    )
    .bind(pool.id.as_str())
    .bind(pool.name.as_str())
    .bind(pool.arn.as_str())
    .bind(pool.created_ms)
    .bind(pool.modified_ms)
    .bind(settings)
    .bind(mfa)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn delete(s: &SqlStore, pool_id: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM user_pools WHERE id = $1")
        .bind(pool_id)
        .execute(&s.pool)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn list(
    s: &SqlStore,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<UserPool>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM user_pools WHERE 1 = 1"));
    q.page("id", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}
