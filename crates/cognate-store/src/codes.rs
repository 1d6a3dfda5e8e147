//! The `codes` table: one-time codes, one per `(pool_id, username_key, purpose)`, stored as
//! hashes. A code belongs to its user and goes with it.
//!
//! Every operation is one statement, so each is atomic on its own: the attempt counter is
//! incremented in place, and a code is consumed by a `DELETE` that names its hash, which only
//! one of any number of concurrent callers can see succeed.

use cognate_core::model::CodeRecord;
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::db_err;
use crate::SqlStore;

const COLUMNS: &str = "pool_id, username_key, purpose, code_hash, created_ms, expires_ms, attempts";

fn from_row(row: &AnyRow) -> StoreResult<CodeRecord> {
    Ok(CodeRecord {
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        username_key: row.try_get("username_key").map_err(db_err)?,
        purpose: row.try_get("purpose").map_err(db_err)?,
        code_hash: row.try_get("code_hash").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        expires_ms: row.try_get("expires_ms").map_err(db_err)?,
        attempts: row.try_get("attempts").map_err(db_err)?,
    })
}

/// Inserts or replaces. `NotFound` when the user does not exist.
pub(crate) async fn put(s: &SqlStore, code: &CodeRecord) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO codes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (pool_id, username_key, purpose) DO UPDATE SET \
         code_hash = excluded.code_hash, created_ms = excluded.created_ms, \
         expires_ms = excluded.expires_ms, attempts = excluded.attempts"
    ))
    .bind(code.pool_id.as_str())
    .bind(code.username_key.as_str())
    .bind(code.purpose.as_str())
    .bind(code.code_hash.as_str())
    .bind(code.created_ms)
    .bind(code.expires_ms)
    .bind(code.attempts)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn get(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    purpose: &str,
) -> StoreResult<Option<CodeRecord>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM codes WHERE pool_id = $1 AND username_key = $2 AND purpose = $3"
    ))
    .bind(pool_id)
    .bind(username_key)
    .bind(purpose)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub(crate) async fn add_attempt(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    purpose: &str,
) -> StoreResult<i64> {
    // `fetch_all` steps the statement to its end, so it has fully run when this returns.
    let rows = sqlx::query(
        "UPDATE codes SET attempts = attempts + 1 \
         WHERE pool_id = $1 AND username_key = $2 AND purpose = $3 RETURNING attempts",
    )
    .bind(pool_id)
    .bind(username_key)
    .bind(purpose)
    .fetch_all(&s.pool)
    .await
    .map_err(db_err)?;
    match rows.first() {
        Some(row) => row.try_get("attempts").map_err(db_err),
        None => Err(StoreError::NotFound),
    }
}

pub(crate) async fn consume(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    purpose: &str,
    code_hash: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "DELETE FROM codes \
         WHERE pool_id = $1 AND username_key = $2 AND purpose = $3 AND code_hash = $4",
    )
    .bind(pool_id)
    .bind(username_key)
    .bind(purpose)
    .bind(code_hash)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

/// Sweep: at most `limit` codes (send windows included) whose `expires_ms` is at or before
/// `cutoff`. A code replaced meanwhile by a fresh one is not at or before it, and stays.
pub(crate) async fn sweep_expired(s: &SqlStore, cutoff: i64, limit: u32) -> StoreResult<u64> {
    crate::sweep::delete_batch(
        s,
        "codes",
        "pool_id, username_key, purpose",
        "expires_ms <= $1",
        cutoff,
        limit,
    )
    .await
}
