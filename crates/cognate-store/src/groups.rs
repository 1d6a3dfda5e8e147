//! The `user_groups` table and group membership (`group_members`).
//!
//! Memberships reference both the group and the user, and go when either does.

use cognate_core::model::{Group, User};
use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::db_err;
use crate::sql::Sql;
use crate::users;
use crate::SqlStore;

/// The columns of a group, read from `user_groups` aliased `g`.
const COLUMNS: &str =
    "g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_ms, g.modified_ms";

fn from_row(row: &AnyRow) -> StoreResult<Group> {
    Ok(Group {
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        name: row.try_get("name").map_err(db_err)?,
        description: row.try_get("description").map_err(db_err)?,
        role_arn: row.try_get("role_arn").map_err(db_err)?,
        precedence: row.try_get("precedence").map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        modified_ms: row.try_get("modified_ms").map_err(db_err)?,
    })
}

pub(crate) async fn insert(s: &SqlStore, group: &Group) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO user_groups \
         (pool_id, name, description, role_arn, precedence, created_ms, modified_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(group.pool_id.as_str())
    .bind(group.name.as_str())
    .bind(group.description.as_deref())
    .bind(group.role_arn.as_deref())
    .bind(group.precedence)
    .bind(group.created_ms)
    .bind(group.modified_ms)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn get(s: &SqlStore, pool_id: &str, name: &str) -> StoreResult<Option<Group>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM user_groups g WHERE g.pool_id = $1 AND g.name = $2"
    ))
    .bind(pool_id)
    .bind(name)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub(crate) async fn update(s: &SqlStore, group: &Group) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE user_groups SET description = $3, role_arn = $4, precedence = $5, \
         created_ms = $6, modified_ms = $7 WHERE pool_id = $1 AND name = $2",
    )
    .bind(group.pool_id.as_str())
    .bind(group.name.as_str())
    .bind(group.description.as_deref())
    .bind(group.role_arn.as_deref())
    .bind(group.precedence)
    .bind(group.created_ms)
    .bind(group.modified_ms)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn delete(s: &SqlStore, pool_id: &str, name: &str) -> StoreResult<bool> {
    crate::sql::delete_in_pool(s, "user_groups", "name", pool_id, name).await
}

pub(crate) async fn list(
    s: &SqlStore,
    pool_id: &str,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<Group>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM user_groups g"));
    let p = q.arg(pool_id);
    q.push(&format!(" WHERE g.pool_id = {p}"));
    q.page("g.name", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

/// Idempotent. `NotFound` when the group or the user does not exist.
pub(crate) async fn add_member(
    s: &SqlStore,
    pool_id: &str,
    group: &str,
    username_key: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO group_members (pool_id, group_name, username_key) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(pool_id)
    .bind(group)
    .bind(username_key)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Idempotent: removing a user who is not a member is not an error.
pub(crate) async fn remove_member(
    s: &SqlStore,
    pool_id: &str,
    group: &str,
    username_key: &str,
) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3",
    )
    .bind(pool_id)
    .bind(group)
    .bind(username_key)
    .execute(&s.pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn list_for_user(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<Group>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM group_members m \
         JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name"
    ));
    let p = q.arg(pool_id);
    let k = q.arg(username_key);
    q.push(&format!(" WHERE m.pool_id = {p} AND m.username_key = {k}"));
    q.page("m.group_name", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn list_members(
    s: &SqlStore,
    pool_id: &str,
    group: &str,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<User>> {
    let mut q = Sql::new(&format!(
        "SELECT {} FROM group_members m \
         JOIN users u ON u.pool_id = m.pool_id AND u.username_key = m.username_key",
        users::COLUMNS
    ));
    let p = q.arg(pool_id);
    let g = q.arg(group);
    q.push(&format!(" WHERE m.pool_id = {p} AND m.group_name = {g}"));
    q.page("m.username_key", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(users::from_row).collect()
}
