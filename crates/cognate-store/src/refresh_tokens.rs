//! The `refresh_tokens` table, by the hash of the token. A token belongs to its user and goes
//! with it; revoking marks it (`revoked_ms`) rather than deleting it, and so does rotating
//! (`rotated_ms`). Tokens rotated from one another share their family's `origin_jti`.

use cognate_core::model::RefreshTokenRecord;
use cognate_core::store::StoreResult;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::db_err;
use crate::SqlStore;

const COLUMNS: &str = "token_hash, pool_id, client_id, username_key, sub, origin_jti, \
     device_key, auth_time, issued_ms, expires_ms, revoked_ms, rotated_ms";

fn from_row(row: &AnyRow) -> StoreResult<RefreshTokenRecord> {
    Ok(RefreshTokenRecord {
        token_hash: row.try_get("token_hash").map_err(db_err)?,
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        client_id: row.try_get("client_id").map_err(db_err)?,
        username_key: row.try_get("username_key").map_err(db_err)?,
        sub: row.try_get("sub").map_err(db_err)?,
        origin_jti: row.try_get("origin_jti").map_err(db_err)?,
        device_key: row.try_get("device_key").map_err(db_err)?,
        auth_time: row.try_get("auth_time").map_err(db_err)?,
        issued_ms: row.try_get("issued_ms").map_err(db_err)?,
        expires_ms: row.try_get("expires_ms").map_err(db_err)?,
        revoked_ms: row.try_get("revoked_ms").map_err(db_err)?,
        rotated_ms: row.try_get("rotated_ms").map_err(db_err)?,
    })
}

/// `Conflict` when the hash is taken; `NotFound` when the user does not exist.
pub(crate) async fn insert(s: &SqlStore, token: &RefreshTokenRecord) -> StoreResult<()> {
    insert_with(&s.pool, token).await
}

async fn insert_with<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    token: &RefreshTokenRecord,
) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO refresh_tokens ({COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(token.token_hash.as_str())
    .bind(token.pool_id.as_str())
    .bind(token.client_id.as_str())
    .bind(token.username_key.as_str())
    .bind(token.sub.as_str())
    .bind(token.origin_jti.as_str())
    .bind(token.device_key.as_deref())
    .bind(token.auth_time)
    .bind(token.issued_ms)
    .bind(token.expires_ms)
    .bind(token.revoked_ms)
    .bind(token.rotated_ms)
    .execute(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// In one transaction: marks `old_hash` rotated at `now_ms` (keeping an earlier mark, so a
/// retry within the grace period does not extend it) and inserts its successor. `false`, and
/// nothing written, when the old token is gone or revoked.
pub(crate) async fn rotate(
    s: &SqlStore,
    old_hash: &str,
    now_ms: i64,
    next: &RefreshTokenRecord,
) -> StoreResult<bool> {
    let mut tx = s.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE refresh_tokens SET rotated_ms = COALESCE(rotated_ms, $1) \
         WHERE token_hash = $2 AND revoked_ms IS NULL",
    )
    .bind(now_ms)
    .bind(old_hash)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    if marked.rows_affected() == 0 {
        return Ok(false);
    }
    insert_with(&mut *tx, next).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(true)
}

pub(crate) async fn get(s: &SqlStore, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM refresh_tokens WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The earliest issued token of the family, should there be more than one.
pub(crate) async fn get_by_origin(
    s: &SqlStore,
    pool_id: &str,
    origin_jti: &str,
) -> StoreResult<Option<RefreshTokenRecord>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM refresh_tokens WHERE pool_id = $1 AND origin_jti = $2 \
         ORDER BY issued_ms, token_hash LIMIT 1"
    ))
    .bind(pool_id)
    .bind(origin_jti)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Revokes the token and every token of its family (its rotated predecessors and successors).
pub(crate) async fn revoke(s: &SqlStore, token_hash: &str, now_ms: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET revoked_ms = $1 \
         WHERE revoked_ms IS NULL AND (pool_id, origin_jti) IN \
         (SELECT pool_id, origin_jti FROM refresh_tokens WHERE token_hash = $2)",
    )
    .bind(now_ms)
    .bind(token_hash)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn revoke_for_user(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    now_ms: i64,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET revoked_ms = $1 \
         WHERE pool_id = $2 AND username_key = $3 AND revoked_ms IS NULL",
    )
    .bind(now_ms)
    .bind(pool_id)
    .bind(username_key)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected())
}

/// Sweep: at most `limit` tokens, revoked or not, whose `expires_ms` is at or before `cutoff`.
pub(crate) async fn sweep_expired(s: &SqlStore, cutoff: i64, limit: u32) -> StoreResult<u64> {
    crate::sweep::delete_batch(
        s,
        "refresh_tokens",
        "token_hash",
        "expires_ms <= $1",
        cutoff,
        limit,
    )
    .await
}

/// Sweep: at most `limit` tokens rotated at or before `cutoff`. Only the rotated token goes:
/// its successor, and with it the family (`origin_jti`) and its revocation, is a row of its own.
pub(crate) async fn sweep_rotated(s: &SqlStore, cutoff: i64, limit: u32) -> StoreResult<u64> {
    crate::sweep::delete_batch(
        s,
        "refresh_tokens",
        "token_hash",
        "rotated_ms <= $1",
        cutoff,
        limit,
    )
    .await
}
