//! The `user_pool_clients` table: app clients, keyed by pool and client id.

use cognate_core::model::UserPoolClient;
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{corrupt, db_err};
use crate::sql::Sql;
use crate::SqlStore;

const COLUMNS: &str = "pool_id, client_id, name, secret, created_ms, modified_ms, settings";

fn from_row(row: &AnyRow) -> StoreResult<UserPoolClient> {
    let settings: String = row.try_get("settings").map_err(db_err)?;
    Ok(UserPoolClient {
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        client_id: row.try_get("client_id").map_err(db_err)?,
        name: row.try_get("name").map_err(db_err)?,
        secret: row.try_get("secret").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        modified_ms: row.try_get("modified_ms").map_err(db_err)?,
        settings: serde_json::from_str(&settings).map_err(|e| corrupt("client settings", e))?,
    })
}

fn settings_json(client: &UserPoolClient) -> StoreResult<String> {
    serde_json::to_string(&client.settings)
        .map_err(|e| StoreError::Backend(format!("client settings: {e}")))
}

pub(crate) async fn insert(s: &SqlStore, client: &UserPoolClient) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO user_pool_clients \
         (pool_id, client_id, name, secret, created_ms, modified_ms, settings) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(client.pool_id.as_str())
    .bind(client.client_id.as_str())
    .bind(client.name.as_str())
    .bind(client.secret.as_deref())
    .bind(client.created_ms)
    .bind(client.modified_ms)
    .bind(settings_json(client)?)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn get(
    s: &SqlStore,
    pool_id: &str,
    client_id: &str,
) -> StoreResult<Option<UserPoolClient>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM user_pool_clients WHERE pool_id = $1 AND client_id = $2"
    ))
    .bind(pool_id)
    .bind(client_id)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// By client id alone: ids are unique across pools, and public actions name only the client.
pub(crate) async fn find(s: &SqlStore, client_id: &str) -> StoreResult<Option<UserPoolClient>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM user_pool_clients WHERE client_id = $1"
    ))
    .bind(client_id)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub(crate) async fn update(s: &SqlStore, client: &UserPoolClient) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE user_pool_clients SET name = $3, secret = $4, created_ms = $5, \
         modified_ms = $6, settings = $7 WHERE pool_id = $1 AND client_id = $2",
    )
    .bind(client.pool_id.as_str())
    .bind(client.client_id.as_str())
    .bind(client.name.as_str())
    .bind(client.secret.as_deref())
    .bind(client.created_ms)
    .bind(client.modified_ms)
    .bind(settings_json(client)?)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn delete(s: &SqlStore, pool_id: &str, client_id: &str) -> StoreResult<bool> {
    crate::sql::delete_in_pool(s, "user_pool_clients", "client_id", pool_id, client_id).await
}

pub(crate) async fn list(
    s: &SqlStore,
    pool_id: &str,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<UserPoolClient>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM user_pool_clients"));
    let p = q.arg(pool_id);
    q.push(&format!(" WHERE pool_id = {p}"));
    q.page("client_id", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn count(s: &SqlStore, pool_id: &str) -> StoreResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM user_pool_clients WHERE pool_id = $1")
        .bind(pool_id)
        .fetch_one(&s.pool)
        .await
        .map_err(db_err)
}
