//! The sweep: deletes, in bounded batches, the rows the engine's cut-offs say no request can use
//! any more (`cognate_core::store::SweepCutoffs`). What each table gives up is said in its own
//! module (`sessions`, `codes`, `refresh_tokens`, `devices`); this one runs them and holds the
//! batched delete they share.
//!
//! Each batch is one statement, atomic on its own: it picks at most `limit` keys by the cut-off
//! (through an index on the compared column) and deletes those rows by primary key, so a large
//! backlog is cleared in many short writes rather than one that holds the write lock. A picked
//! row cannot change before it is deleted: on SQLite the statement is the only writer; on
//! PostgreSQL the pick locks the rows, re-checking the cut-off on any row changed meanwhile (a
//! code replaced by a fresh one is not picked). Sweepers on several nodes at once are harmless:
//! on PostgreSQL each passes over rows another has locked ([`crate::Backend::skip_locked`]), so
//! none waits for or deadlocks with another, or with a request writing the same rows.
//!
//! Not swept: sign-in failure counts (the count behind the growing lockout must outlive each
//! lock; a row per user at most, gone with the user) and monthly-activity records (metering
//! history, gone only with their pool).

use cognate_core::store::{StoreResult, SweepCounts, SweepCutoffs};

use crate::error::db_err;
use crate::{codes, devices, refresh_tokens, sessions, SqlStore};

/// One batch of each kind; each count is what that kind's statement(s) deleted.
pub(crate) async fn run(
    s: &SqlStore,
    cutoffs: &SweepCutoffs,
    limit: u32,
) -> StoreResult<SweepCounts> {
    let sessions = sessions::sweep_expired(s, cutoffs.session_expires_ms, limit).await?;
    let codes = codes::sweep_expired(s, cutoffs.code_expires_ms, limit).await?;
    let expired = refresh_tokens::sweep_expired(s, cutoffs.refresh_token_expires_ms, limit).await?;
    let rotated = refresh_tokens::sweep_rotated(s, cutoffs.refresh_token_rotated_ms, limit).await?;
    let devices =
        devices::sweep_unconfirmed(s, cutoffs.unconfirmed_device_created_ms, limit).await?;
    Ok(SweepCounts {
        sessions,
        codes,
        refresh_tokens: expired + rotated,
        devices,
    })
}

/// Deletes at most `limit` rows of `table` that satisfy `condition`, in which `$1` is
/// `cutoff`. `key` is the table's primary key (a column list for a composite one).
pub(crate) async fn delete_batch(
    s: &SqlStore,
    table: &str,
    key: &str,
    condition: &str,
    cutoff: i64,
    limit: u32,
) -> StoreResult<u64> {
    // The keys are picked once, into a materialized table: as a plain `IN (subquery)`,
    // PostgreSQL may run the subquery again for each row it looks at, and so delete past the
    // limit. The delete then goes by primary key from the picked keys alone; repeating the
    // condition there would have PostgreSQL scan every row past the cut-off, on each batch.
    let sql = format!(
        "WITH picked AS MATERIALIZED \
         (SELECT {key} FROM {table} WHERE {condition} LIMIT $2{lock}) \
         DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM picked)",
        lock = s.backend.skip_locked(),
    );
    let done = sqlx::query(&sql)
        .bind(cutoff)
        .bind(i64::from(limit))
        .execute(&s.pool)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected())
}
