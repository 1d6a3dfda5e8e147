//! The `users` table and its attribute index `user_attributes`.
//!
//! A user's attributes are stored twice, in one transaction: as a JSON array in
//! `users.attributes` (what reads return, in the user's order, so `get_user` is one indexed
//! query) and as one `user_attributes` row per name (what finds users by value). Attribute
//! look-ups go through the index on `(pool_id, name, value_head)` and compare the full `value`
//! after it. The name `sub` means the `sub` column: it is not among the stored attributes.

use std::collections::HashSet;

use cognate_core::model::{Attribute, SignInFailures, User, UserStatus};
use cognate_core::store::{StoreError, StoreResult, UserFilter, UserFilterField};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::{corrupt, db_err};
use crate::sql::{value_head, Sql};
use crate::SqlStore;

/// The columns of a user, read from `users` aliased `u`.
pub(crate) const COLUMNS: &str = "u.pool_id, u.username_key, u.username, u.sub, u.status, \
     u.enabled, u.password_hash, u.temporary_password_expires_ms, u.created_ms, u.modified_ms, \
     u.version, u.attributes, u.srp_verifier";

/// Attribute rows per INSERT statement; keeps the bound parameters far below either backend's cap.
const ATTRIBUTES_PER_INSERT: usize = 200;

pub(crate) fn from_row(row: &AnyRow) -> StoreResult<User> {
    let status: String = row.try_get("status").map_err(db_err)?;
    let attributes: String = row.try_get("attributes").map_err(db_err)?;
    let enabled: i64 = row.try_get("enabled").map_err(db_err)?;
    Ok(User {
        pool_id: row.try_get("pool_id").map_err(db_err)?,
        username: row.try_get("username").map_err(db_err)?,
        username_key: row.try_get("username_key").map_err(db_err)?,
        sub: row.try_get("sub").map_err(db_err)?,
        status: UserStatus::parse(&status).ok_or_else(|| corrupt("user status", &status))?,
        enabled: enabled != 0,
        attributes: serde_json::from_str(&attributes).map_err(|e| corrupt("user attributes", e))?,
        password_hash: row.try_get("password_hash").map_err(db_err)?,
        temporary_password_expires_ms: row
            .try_get("temporary_password_expires_ms")
            .map_err(db_err)?,
        created_ms: row.try_get("created_ms").map_err(db_err)?,
        modified_ms: row.try_get("modified_ms").map_err(db_err)?,
        version: row.try_get("version").map_err(db_err)?,
        srp_verifier: row.try_get("srp_verifier").map_err(db_err)?,
    })
}

fn attributes_json(user: &User) -> StoreResult<String> {
    serde_json::to_string(&user.attributes)
        .map_err(|e| StoreError::Backend(format!("user attributes: {e}")))
}

/// Writes the `user_attributes` rows of `user` (none may exist yet). Should a name appear
/// twice, the first value is indexed, as [`User::attribute`] reads it.
async fn index_attributes(conn: &mut AnyConnection, user: &User) -> StoreResult<()> {
    let mut seen = HashSet::new();
    let unique: Vec<&Attribute> = user
        .attributes
        .iter()
        .filter(|a| seen.insert(a.name.as_str()))
        .collect();
    for chunk in unique.chunks(ATTRIBUTES_PER_INSERT) {
        let mut q = Sql::new(
            "INSERT INTO user_attributes (pool_id, username_key, name, value_head, value) VALUES ",
        );
        let p = q.arg(user.pool_id.as_str());
        let k = q.arg(user.username_key.as_str());
        for (i, a) in chunk.iter().enumerate() {
            let n = q.arg(a.name.as_str());
            let h = q.arg(value_head(&a.value));
            let v = q.arg(a.value.as_str());
            if i > 0 {
                q.push(", ");
            }
            q.push(&format!("({p}, {k}, {n}, {h}, {v})"));
        }
        q.execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

pub(crate) async fn insert(s: &SqlStore, user: &User) -> StoreResult<()> {
    let mut tx = s.begin_write().await?;
    sqlx::query(
        "INSERT INTO users (pool_id, username_key, username, sub, status, enabled, \
         password_hash, temporary_password_expires_ms, created_ms, modified_ms, version, \
         attributes, srp_verifier) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(user.pool_id.as_str())
    .bind(user.username_key.as_str())
    .bind(user.username.as_str())
    .bind(user.sub.as_str())
    .bind(user.status.as_str())
    .bind(i64::from(user.enabled))
    .bind(user.password_hash.as_deref())
    .bind(user.temporary_password_expires_ms)
    .bind(user.created_ms)
    .bind(user.modified_ms)
    .bind(user.version)
    .bind(attributes_json(user)?)
    .bind(user.srp_verifier.as_deref())
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    index_attributes(&mut tx, user).await?;
    tx.commit().await.map_err(db_err)
}

pub(crate) async fn get(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
) -> StoreResult<Option<User>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users u WHERE u.pool_id = $1 AND u.username_key = $2"
    ))
    .bind(pool_id)
    .bind(username_key)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The user and their `sign_in_failures` row in one query (see `lockout.rs`).
pub(crate) async fn get_signing_in(
    s: &SqlStore,
    pool_id: &str,
    username_key: &str,
) -> StoreResult<Option<(User, Option<SignInFailures>)>> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {COLUMNS}, f.failures AS failures, f.locked_until_ms AS locked_until_ms \
         FROM users u LEFT JOIN sign_in_failures f \
         ON f.pool_id = u.pool_id AND f.username_key = u.username_key \
         WHERE u.pool_id = $1 AND u.username_key = $2"
    ))
    .bind(pool_id)
    .bind(username_key)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    else {
        return Ok(None);
    };
    let failures: Option<i64> = row.try_get("failures").map_err(db_err)?;
    let locked_until_ms: Option<i64> = row.try_get("locked_until_ms").map_err(db_err)?;
    let record = failures
        .zip(locked_until_ms)
        .map(|(failures, locked_until_ms)| SignInFailures {
            failures,
            locked_until_ms,
        });
    Ok(Some((from_row(&row)?, record)))
}

pub(crate) async fn get_by_sub(
    s: &SqlStore,
    pool_id: &str,
    sub: &str,
) -> StoreResult<Option<User>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users u WHERE u.pool_id = $1 AND u.sub = $2"
    ))
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(&s.pool)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub(crate) async fn find_by_attribute(
    s: &SqlStore,
    pool_id: &str,
    name: &str,
    value: &str,
) -> StoreResult<Vec<User>> {
    let filter = UserFilter {
        field: UserFilterField::Attribute(name.to_string()),
        value: value.to_string(),
        prefix: false,
    };
    let mut q = select(pool_id, Some(&filter));
    q.push(" ORDER BY u.username_key");
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn update(s: &SqlStore, user: &User, expected_version: i64) -> StoreResult<()> {
    // A writer that forgot to step the version would let the next writer from the old version
    // through unnoticed; refuse it before touching anything.
    if expected_version.checked_add(1) != Some(user.version) {
        return Err(StoreError::Conflict(format!(
            "user {} written at version {}, not {expected_version} + 1",
            user.username_key, user.version
        )));
    }
    let mut tx = s.begin_write().await?;
    let done = sqlx::query(
        "UPDATE users SET username = $3, sub = $4, status = $5, enabled = $6, \
         password_hash = $7, temporary_password_expires_ms = $8, created_ms = $9, \
         modified_ms = $10, version = $11, attributes = $12, srp_verifier = $14 \
         WHERE pool_id = $1 AND username_key = $2 AND version = $13",
    )
    .bind(user.pool_id.as_str())
    .bind(user.username_key.as_str())
    .bind(user.username.as_str())
    .bind(user.sub.as_str())
    .bind(user.status.as_str())
    .bind(i64::from(user.enabled))
    .bind(user.password_hash.as_deref())
    .bind(user.temporary_password_expires_ms)
    .bind(user.created_ms)
    .bind(user.modified_ms)
    .bind(user.version)
    .bind(attributes_json(user)?)
    .bind(expected_version)
    .bind(user.srp_verifier.as_deref())
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        let exists = sqlx::query("SELECT 1 FROM users WHERE pool_id = $1 AND username_key = $2")
            .bind(user.pool_id.as_str())
            .bind(user.username_key.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        return Err(match exists {
            Some(_) => StoreError::Conflict(format!(
                "user {} is no longer at version {expected_version}",
                user.username_key
            )),
            None => StoreError::NotFound,
        });
    }
    sqlx::query("DELETE FROM user_attributes WHERE pool_id = $1 AND username_key = $2")
        .bind(user.pool_id.as_str())
        .bind(user.username_key.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    index_attributes(&mut tx, user).await?;
    tx.commit().await.map_err(db_err)
}

pub(crate) async fn delete(s: &SqlStore, pool_id: &str, username_key: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM users WHERE pool_id = $1 AND username_key = $2")
        .bind(pool_id)
        .bind(username_key)
        .execute(&s.pool)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn list(
    s: &SqlStore,
    pool_id: &str,
    filter: Option<&UserFilter>,
    after: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<User>> {
    if filter.is_some_and(|f| f.field == UserFilterField::Enabled && enabled_values(f).is_empty()) {
        return Ok(Vec::new());
    }
    let mut q = select(pool_id, filter);
    q.page("u.username_key", after, limit);
    let rows = q.fetch_all(&s.pool).await.map_err(db_err)?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn count(s: &SqlStore, pool_id: &str) -> StoreResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE pool_id = $1")
        .bind(pool_id)
        .fetch_one(&s.pool)
        .await
        .map_err(db_err)
}

/// The `enabled` column values whose name ("Enabled", "Disabled") the filter matches.
fn enabled_values(f: &UserFilter) -> Vec<i64> {
    [("Enabled", 1), ("Disabled", 0)]
        .into_iter()
        .filter(|(name, _)| {
            if f.prefix {
                name.starts_with(f.value.as_str())
            } else {
                *name == f.value
            }
        })
        .map(|(_, v)| v)
        .collect()
}

/// `SELECT` the users of a pool that pass `filter`, ready for more `AND` clauses.
fn select(pool_id: &str, filter: Option<&UserFilter>) -> Sql {
    let attribute = match filter.map(|f| &f.field) {
        Some(UserFilterField::Attribute(name)) if name != "sub" => Some(name.as_str()),
        _ => None,
    };
    let mut q = Sql::new("");
    let p = q.arg(pool_id);
    match attribute {
        // From the attribute index to the users: CROSS JOIN keeps SQLite's planner to that
        // order (PostgreSQL plans it as any inner join).
        Some(_) => q.push(&format!(
            "SELECT {COLUMNS} FROM user_attributes a CROSS JOIN users u \
             WHERE u.pool_id = a.pool_id AND u.username_key = a.username_key \
             AND a.pool_id = {p} AND u.pool_id = {p}"
        )),
        None => q.push(&format!(
            "SELECT {COLUMNS} FROM users u WHERE u.pool_id = {p}"
        )),
    };
    let Some(f) = filter else {
        return q;
    };
    match &f.field {
        UserFilterField::Username => {
            q.text_match("u.username_key", &f.value, f.prefix);
        }
        UserFilterField::Sub => {
            q.text_match("u.sub", &f.value, f.prefix);
        }
        UserFilterField::Status => {
            q.text_match("u.status", &f.value, f.prefix);
        }
        UserFilterField::Enabled => {
            // Both or neither: no condition here (neither returns early in `list`).
            if let [value] = enabled_values(f)[..] {
                let v = q.arg(value);
                q.push(&format!(" AND u.enabled = {v}"));
            }
        }
        UserFilterField::Attribute(name) => match attribute {
            None => {
                q.text_match("u.sub", &f.value, f.prefix);
            }
            Some(_) => {
                let n = q.arg(name.as_str());
                q.push(&format!(" AND a.name = {n}"));
                q.text_match("a.value_head", value_head(&f.value), f.prefix);
                q.text_match("a.value", &f.value, f.prefix);
            }
        },
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// SQLite's plan for `q`, one line per step.
    async fn plan(s: &SqlStore, q: Sql) -> Vec<String> {
        let rows = q.explained().fetch_all(&s.pool).await.unwrap();
        rows.iter()
            .map(|r| r.try_get::<String, _>("detail").unwrap())
            .collect()
    }

    fn attribute_filter(value: &str, prefix: bool) -> UserFilter {
        UserFilter {
            field: UserFilterField::Attribute("email".into()),
            value: value.into(),
            prefix,
        }
    }

    #[tokio::test]
    async fn attribute_look_ups_start_from_the_value_index() {
        let s = SqlStore::connect("sqlite::memory:").await.unwrap();
        let exact = select("p", Some(&attribute_filter("a@example.com", false)));
        let mut prefix = select("p", Some(&attribute_filter("a", true)));
        prefix.page("u.username_key", Some("k"), 10);
        for q in [exact, prefix] {
            let steps = plan(&s, q).await;
            assert!(steps[0].contains("user_attributes_by_value"), "{steps:?}");
            assert!(steps.iter().all(|d| !d.starts_with("SCAN")), "{steps:?}");
        }
        s.close().await;
    }

    #[tokio::test]
    async fn other_filters_search_the_pool_by_key() {
        let s = SqlStore::connect("sqlite::memory:").await.unwrap();
        let filters = [
            None,
            Some(UserFilter {
                field: UserFilterField::Username,
                value: "a".into(),
                prefix: true,
            }),
            Some(UserFilter {
                field: UserFilterField::Sub,
                value: "x".into(),
                prefix: false,
            }),
        ];
        for f in filters {
            let mut q = select("p", f.as_ref());
            q.page("u.username_key", Some("k"), 10);
            let steps = plan(&s, q).await;
            assert!(steps.iter().all(|d| d.starts_with("SEARCH")), "{steps:?}");
        }
        s.close().await;
    }
}
