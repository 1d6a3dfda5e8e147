//! The `pool_domains` table: hosted-UI domains, unique across all pools.

use cognate_core::model::PoolDomain;
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::db_err;
use crate::SqlStore;

const COLUMNS: &str = "domain, pool_id, certificate_arn, managed_login_version, created_ms";

fn from_row(row: &AnyRow) -> StoreResult<PoolDomain> {
    Ok(PoolDomain {
        domain: row.try_get("domain").map_err(db_err)?,
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        certificate_arn: row.try_get("certificate_arn").map_err(db_err)?,
        managed_login_version: row.try_get("managed_login_version").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
    })
}

pub(crate) async fn insert(s: &SqlStore, domain: &PoolDomain) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO pool_domains \
         (domain, pool_id, certificate_arn, managed_login_version, created_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(domain.domain.as_str())
    .bind(domain.pool_id.as_str())
    .bind(domain.certificate_arn.as_deref())
    .bind(domain.managed_login_version)
    .bind(domain.created_ms)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn get(s: &SqlStore, domain: &str) -> StoreResult<Option<PoolDomain>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM pool_domains WHERE domain = $1"
    ))
    .bind(domain)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub(crate) async fn list_for_pool(s: &SqlStore, pool_id: &str) -> StoreResult<Vec<PoolDomain>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM pool_domains WHERE pool_id = $1 ORDER BY domain"
    ))
    .bind(pool_id)
    .fetch_all(&s.pool)
    .await
    .map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn update(s: &SqlStore, domain: &PoolDomain) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE pool_domains SET pool_id = $2, certificate_arn = $3, \
         managed_login_version = $4, created_ms = $5 WHERE domain = $1",
    )
    .bind(domain.domain.as_str())
    .bind(domain.pool_id.as_str())
    .bind(domain.certificate_arn.as_deref())
    .bind(domain.managed_login_version)
    .bind(domain.created_ms)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn delete(s: &SqlStore, domain: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM pool_domains WHERE domain = $1")
        .bind(domain)
        .execute(&s.pool)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}
