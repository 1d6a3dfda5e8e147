//! The `devices` table: remembered devices, by pool and device key. A device belongs to its
//! user and goes with it (foreign-key cascade). Unconfirmed devices (no verifier yet) are read
//! by key only: lists and status changes see confirmed devices alone.

use cognate_core::model::{Device, DeviceStatus};
use cognate_core::store::StoreResult;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{corrupt, db_err};
use crate::sql::Sql;
use crate::SqlStore;

const COLUMNS: &str = "pool_id, device_key, username_key, device_group_key, verifier, name, \
     status, last_ip, created_ms, modified_ms, last_authenticated_ms";

fn from_row(row: &AnyRow) -> StoreResult<Device> {
    let status: Option<String> = row.try_get("status").map_err(db_err)?;
    let status = match status {
        Some(s) => Some(DeviceStatus::parse(&s).ok_or_else(|| corrupt("device status", &s))?),
        None => None,
    };
    Ok(Device {
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        device_key: row.try_get("device_key").map_err(db_err)?,
        username_key: row.try_get("username_key").map_err(db_err)?,
        device_group_key: row.try_get("device_group_key").map_err(db_err)?,
        verifier: row.try_get("verifier").map_err(db_err)?,
        name: row.try_get("name").map_err(db_err)?,
        status,
        last_ip: row.try_get("last_ip").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        modified_ms: row.try_get("modified_ms").map_err(db_err)?,
        last_authenticated_ms: row.try_get("last_authenticated_ms").map_err(db_err)?,
    })
}

/// Prunes the user's stale unconfirmed devices and inserts `device`, in one transaction.
/// `Conflict` when the key is taken; `NotFound` when the user does not exist.
pub(crate) async fn insert(s: &SqlStore, device: &Device, prune_before_ms: i64) -> StoreResult<()> {
    let mut tx = s.begin_write().await?;
    sqlx::query(
        "DELETE FROM devices WHERE pool_id = $1 AND username_key = $2 \
         AND verifier IS NULL AND created_ms < $3",
    )
    .bind(device.pool_id.as_str())
    .bind(device.username_key.as_str())
    .bind(prune_before_ms)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    sqlx::query(&format!(
        "INSERT INTO devices ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(device.pool_id.as_str())
    .bind(device.device_key.as_str())
    .bind(device.username_key.as_str())
    .bind(device.device_group_key.as_str())
    .bind(device.verifier.as_deref())
    .bind(device.name.as_deref())
    .bind(device.status.map(DeviceStatus::as_str))
    .bind(device.last_ip.as_deref())
    .bind(device.created_ms)
    .bind(device.modified_ms)
    .bind(device.last_authenticated_ms)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    tx.commit().await.map_err(db_err)
}

pub(crate) async fn get(
    s: &SqlStore,
    pool_id: &str,
    device_key: &str,
) -> StoreResult<Option<Device>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM devices WHERE pool_id = $1 AND device_key = $2"
    ))
    .bind(pool_id)
    .bind(device_key)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// One conditional statement: of concurrent confirmations, the first to write wins and the
/// others find the verifier set.
pub(crate) async fn confirm(s: &SqlStore, device: &Device) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE devices SET verifier = $1, name = $2, status = $3, modified_ms = $4 \
         WHERE pool_id = $5 AND device_key = $6 AND verifier IS NULL",
    )
    .bind(device.verifier.as_deref())
    .bind(device.name.as_deref())
    .bind(device.status.map(DeviceStatus::as_str))
    .bind(device.modified_ms)
    .bind(device.pool_id.as_str())
    .bind(device.device_key.as_str())
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn set_status(
    s: &SqlStore,
    pool_id: &str,
    device_key: &str,
    status: DeviceStatus,
    now_ms: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE devices SET status = $1, modified_ms = $2 \
         WHERE pool_id = $3 AND device_key = $4 AND verifier IS NOT NULL",
    )
    .bind(status.as_str())
    .bind(now_ms)
    .bind(pool_id)
    .bind(device_key)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

/// Keeps the last known address when the sign-in brings none.
pub(crate) async fn record_sign_in(
    s: &SqlStore,
    pool_id: &str,
    device_key: &str,
    last_ip: Option<&str>,
    now_ms: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE devices SET last_authenticated_ms = $1, last_ip = COALESCE($2, last_ip) \
         WHERE pool_id = $3 AND device_key = $4 AND verifier IS NOT NULL",
    )
    .bind(now_ms)
    .bind(last_ip)
    .bind(pool_id)
    .bind(device_key)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn delete(s: &SqlStore, pool_id: &str, device_key: &str) -> StoreResult<bool> {
    crate::sql::delete_in_pool(s, "devices", "device_key", pool_id, device_key).await
}

pub(crate) async fn list(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<Device>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM devices"));
    let p = q.arg(pool_id);
    let k = q.arg(username_key);
    q.push(&format!(
        " WHERE pool_id = {p} AND username_key = {k} AND verifier IS NOT NULL"
    ));
    q.page("device_key", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

/// Sweep: at most `limit` unconfirmed devices (any user's) created before `cutoff`, as
/// [`insert`] prunes a user's. A device confirmed meanwhile has a verifier, and stays.
pub(crate) async fn sweep_unconfirmed(s: &SqlStore, cutoff: i64, limit: u32) -> StoreResult<u64> {
    crate::sweep::delete_batch(
        s,
        "devices",
        "pool_id, device_key",
        "verifier IS NULL AND created_ms < $1",
        cutoff,
        limit,
    )
    .await
}
