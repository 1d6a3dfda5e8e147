//! The `signing_keys` table: each pool's RSA keys, by `(pool_id, kid)`.

use cognate_core::model::SigningKeyRecord;
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::db_err;
use crate::SqlStore;

const COLUMNS: &str = "pool_id, kid, use_for, private_pem, created_ms, retire_after_ms";

fn from_row(row: &AnyRow) -> StoreResult<SigningKeyRecord> {
    Ok(SigningKeyRecord {
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        kid: row.try_get("kid").map_err(db_err)?,
        use_for: row.try_get("use_for").map_err(db_err)?,
        private_pem: row.try_get("private_pem").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        retire_after_ms: row.try_get("retire_after_ms").map_err(db_err)?,
    })
}

async fn insert_on(conn: &mut AnyConnection, key: &SigningKeyRecord) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO signing_keys ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
    ))
    .bind(key.pool_id.as_str())
    .bind(key.kid.as_str())
    .bind(key.use_for.as_str())
    .bind(key.private_pem.as_str())
    .bind(key.created_ms)
    .bind(key.retire_after_ms)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn insert(s: &SqlStore, key: &SigningKeyRecord) -> StoreResult<()> {
    let mut conn = s.pool.acquire().await.map_err(db_err)?;
    insert_on(&mut conn, key).await
}

/// Oldest first; keys made in the same millisecond by kid.
pub(crate) async fn list(s: &SqlStore, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM signing_keys WHERE pool_id = $1 ORDER BY created_ms, kid"
    ))
    .bind(pool_id)
    .fetch_all(&s.pool)
    .await
    .map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

/// Inserts `new_key` and retires the pool's other keys of its use, in one transaction.
///
/// The transaction first writes the pool's row (a no-op change), which makes concurrent
/// rotations of one pool take turns: on PostgreSQL a later rotation would otherwise not see
/// the key an earlier one is adding, and would leave it unretired beside its own. It also
/// makes a missing pool `NotFound`.
pub(crate) async fn rotate(
    s: &SqlStore,
    new_key: &SigningKeyRecord,
    retire_after_ms: i64,
) -> StoreResult<()> {
    let mut tx = s.begin_write().await?;
    let pool = sqlx::query("UPDATE user_pools SET modified_ms = modified_ms WHERE id = $1")
        .bind(new_key.pool_id.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    if pool.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    insert_on(&mut tx, new_key).await?;
    sqlx::query(
        "UPDATE signing_keys SET retire_after_ms = $1 \
         WHERE pool_id = $2 AND use_for = $3 AND kid <> $4 AND retire_after_ms IS NULL",
    )
    .bind(retire_after_ms)
    .bind(new_key.pool_id.as_str())
    .bind(new_key.use_for.as_str())
    .bind(new_key.kid.as_str())
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    tx.commit().await.map_err(db_err)
}

pub(crate) async fn delete_retired(s: &SqlStore, pool_id: &str, now_ms: i64) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM signing_keys WHERE pool_id = $1 AND retire_after_ms < $2")
        .bind(pool_id)
        .bind(now_ms)
        .execute(&s.pool)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected())
}
