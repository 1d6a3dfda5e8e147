//! The `auth_sessions` table: the state between two steps of a sign-in, by the hash of its id.
//!
//! A session is taken with one `DELETE … RETURNING`, so of any number of concurrent takers
//! exactly one gets it.

use cognate_core::model::AuthSessionRecord;
use cognate_core::store::StoreResult;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::db_err;
use crate::SqlStore;

const COLUMNS: &str = "id_hash, pool_id, client_id, username_key, challenge, state, expires_ms";

fn from_row(row: &AnyRow) -> StoreResult<AuthSessionRecord> {
    Ok(AuthSessionRecord {
        id_hash: row.try_get("id_hash").map_err(db_err)?,
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        client_id: row.try_get("client_id").map_err(db_err)?,
        username_key: row.try_get("username_key").map_err(db_err)?,
        challenge: row.try_get("challenge").map_err(db_err)?,
        state: row.try_get("state").map_err(db_err)?,
        expires_ms: row.try_get("expires_ms").map_err(db_err)?,
    })
}

/// `Conflict` when the id is taken; `NotFound` when the pool does not exist.
pub(crate) async fn put(s: &SqlStore, session: &AuthSessionRecord) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO auth_sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(session.id_hash.as_str())
    .bind(session.pool_id.as_str())
    .bind(session.client_id.as_str())
    .bind(session.username_key.as_str())
    .bind(session.challenge.as_str())
    .bind(session.state.as_str())
    .bind(session.expires_ms)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn take(s: &SqlStore, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>> {
    // `fetch_all` steps the statement to its end, so the delete has fully run.
    let rows = sqlx::query(&format!(
        "DELETE FROM auth_sessions WHERE id_hash = $1 RETURNING {COLUMNS}"
    ))
    .bind(id_hash)
    .fetch_all(&s.pool)
    .await
    .map_err(db_err)?;
    rows.first().map(from_row).transpose()
}

/// Sweep: at most `limit` sessions whose `expires_ms` is at or before `cutoff` (an index on
/// `expires_ms` finds them).
pub(crate) async fn sweep_expired(s: &SqlStore, cutoff: i64, limit: u32) -> StoreResult<u64> {
    crate::sweep::delete_batch(
        s,
        "auth_sessions",
        "id_hash",
        "expires_ms <= $1",
        cutoff,
        limit,
    )
    .await
}
