//! The `sign_in_failures` table: failed sign-ins of a user and the end of its lock. The row
//! belongs to its user and goes with it.

use cognate_core::model::SignInFailures;
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::db_err;
use crate::SqlStore;

fn from_row(row: &AnyRow) -> StoreResult<SignInFailures> {
    Ok(SignInFailures {
        failures: row.try_get("failures").map_err(db_err)?,
        locked_until_ms: row.try_get("locked_until_ms").map_err(db_err)?,
    })
}

pub(crate) async fn get(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
) -> StoreResult<Option<SignInFailures>> {
    sqlx::query(
        "SELECT failures, locked_until_ms FROM sign_in_failures \
         WHERE pool_id = $1 AND username_key = $2",
    )
    .bind(pool_id)
    .bind(username_key)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Adds one failure and sets the lock end from the new count, in one transaction.
///
/// The increment is an upsert, so it is atomic whether or not the row exists yet, and on
/// PostgreSQL it holds the row's lock until the commit: a concurrent failure waits, then counts
/// from this one's result (on SQLite the write transaction already makes them take turns).
/// `NotFound` when the user does not exist.
pub(crate) async fn record_failure(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    now_ms: i64,
    lock_for: fn(i64) -> i64,
) -> StoreResult<SignInFailures> {
    let mut tx = s.begin_write().await?;
    // `fetch_all` steps the statement to its end, so it has fully run when this returns.
    let rows = sqlx::query(
        "INSERT INTO sign_in_failures (pool_id, username_key, failures, locked_until_ms) \
         VALUES ($1, $2, 1, 0) \
         ON CONFLICT (pool_id, username_key) \
         DO UPDATE SET failures = sign_in_failures.failures + 1 \
         RETURNING failures",
    )
    .bind(pool_id)
    .bind(username_key)
    .fetch_all(&mut *tx)
    .await
    .map_err(db_err)?;
    let failures: i64 = match rows.first() {
        Some(row) => row.try_get("failures").map_err(db_err)?,
        None => {
            return Err(StoreError::Backend(
                "sign-in failure upsert returned no row".into(),
            ))
        }
    };
    let locked_until_ms = now_ms.saturating_add(lock_for(failures));
    sqlx::query(
        "UPDATE sign_in_failures SET locked_until_ms = $1 \
         WHERE pool_id = $2 AND username_key = $3",
    )
    .bind(locked_until_ms)
    .bind(pool_id)
    .bind(username_key)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    Ok(SignInFailures {
        failures,
        locked_until_ms,
    })
}

pub(crate) async fn clear(s: &SqlStore, pool_id: &str, username_key: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE pool_id = $1 AND username_key = $2")
        .bind(pool_id)
        .bind(username_key)
        .execute(&s.pool)
        .await
        .map_err(db_err)?;
    Ok(())
}
