//! Schema migrations, run step by step at connect time.
//!
//! Each backend has its own folder of SQL files (`migrations/sqlite`, `migrations/postgres`)
//! with the same file names, one per schema version; a test below keeps the two folders and the
//! lists here in step. A step runs in one transaction together with its row in
//! `schema_migrations`, so it is applied wholly or not at all. Steps are serialised between
//! nodes that start at once (see [`crate::Backend::migration_lock`]). A recorded step whose
//! name differs from the file's is an error: the database was made by another build.

use cognate_core::store::{StoreError, StoreResult};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};

use crate::backend::Backend;
use crate::error::db_err;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migrations {
    ($folder:literal: $($version:literal => $name:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/", $folder, "/", $name)),
        }),*]
    };
}

pub(crate) static SQLITE_MIGRATIONS: &[Migration] = migrations!("sqlite":
    1 => "0001_initial.sql",
    2 => "0002_auth_state.sql",
    3 => "0003_srp_verifier.sql",
    4 => "0004_devices.sql",
    5 => "0005_refresh_rotation.sql",
    6 => "0006_sweep_indexes.sql",
);

pub(crate) static POSTGRES_MIGRATIONS: &[Migration] = migrations!("postgres":
    1 => "0001_initial.sql",
    2 => "0002_auth_state.sql",
    3 => "0003_srp_verifier.sql",
    4 => "0004_devices.sql",
    5 => "0005_refresh_rotation.sql",
    6 => "0006_sweep_indexes.sql",
);

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
     version BIGINT NOT NULL PRIMARY KEY, \
     name TEXT NOT NULL)";

/// Begins a migration transaction, holding the write lock and the migration lock.
async fn begin(pool: &AnyPool, backend: Backend) -> StoreResult<Transaction<'static, Any>> {
    let mut tx = match backend.begin_write() {
        Some(statement) => pool.begin_with(statement).await,
        None => pool.begin().await,
    }
    .map_err(db_err)?;
    if let Some(lock) = backend.migration_lock() {
        sqlx::query(&lock).execute(&mut *tx).await.map_err(db_err)?;
    }
    Ok(tx)
}

/// Brings the schema up to date: applies, in order, every step not yet recorded.
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> StoreResult<()> {
    let mut tx = begin(pool, backend).await?;
    sqlx::query(CREATE_TABLE)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;

    for step in backend.migrations() {
        let mut tx = begin(pool, backend).await?;
        let recorded = sqlx::query("SELECT name FROM schema_migrations WHERE version = $1")
            .bind(step.version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if let Some(row) = recorded {
            let name: String = row.try_get("name").map_err(db_err)?;
            if name != step.name {
                return Err(StoreError::Backend(format!(
                    "schema version {} is recorded as {name}, but this build has {}",
                    step.version, step.name
                )));
            }
            continue;
        }
        // Without arguments the SQL goes as a simple query: all its statements run.
        tx.execute(step.sql)
            .await
            .map_err(|e| StoreError::Backend(format!("migration {}: {e}", step.name)))?;
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
            .bind(step.version)
            .bind(step.name)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        tracing::info!(migration = step.name, "applied schema migration");
    }

    let newest: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM schema_migrations")
        .fetch_one(pool)
        .await
        .and_then(|row| row.try_get("v"))
        .map_err(db_err)?;
    let known = backend.migrations().last().map(|m| m.version);
    if newest > known {
        tracing::warn!(
            ?newest,
            ?known,
            "the database schema is newer than this build; running anyway"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files_in(folder: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(folder);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn listed(steps: &[Migration]) -> Vec<String> {
        steps.iter().map(|m| m.name.to_string()).collect()
    }

    #[test]
    fn both_backends_have_the_same_migration_files() {
        assert_eq!(files_in("sqlite"), files_in("postgres"));
    }

    #[test]
    fn every_migration_file_is_listed_in_order() {
        assert_eq!(listed(SQLITE_MIGRATIONS), files_in("sqlite"));
        assert_eq!(listed(POSTGRES_MIGRATIONS), files_in("postgres"));
    }

    #[test]
    fn versions_count_up_from_one_and_match_file_numbers() {
        for steps in [SQLITE_MIGRATIONS, POSTGRES_MIGRATIONS] {
            for (i, step) in steps.iter().enumerate() {
                assert_eq!(step.version, i as i64 + 1);
                let number: i64 = step.name[..4].parse().unwrap();
                assert_eq!(number, step.version, "{}", step.name);
            }
        }
    }
}
