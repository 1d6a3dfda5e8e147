//! Everything that differs between SQLite and PostgreSQL, in one place.
//!
//! The rest of the crate writes one SQL text for both: `$1, $2…` placeholders (SQLite reads
//! `$N` as parameter N), `INTEGER`/`BIGINT` for numbers and flags, `TEXT` for JSON, and
//! comparisons that are bytewise on both (BINARY on SQLite, `COLLATE "C"` columns on
//! PostgreSQL). What cannot be written once lives here: how to connect, the per-connection
//! settings, how a write transaction begins, how concurrent batched deletes keep out of each
//! other's way, how migrations are serialised between nodes, and which migration folder
//! applies. No other module matches on [`Backend`].

use std::path::PathBuf;
use std::str::FromStr;

use cognate_core::store::{StoreError, StoreResult};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};

use crate::error::db_err;
use crate::migrate::{Migration, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// How long a SQLite connection waits for another writer before failing with `SQLITE_BUSY`.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;
/// SQLite runs one writer at a time; more connections only add readers (WAL lets them run
/// beside the writer) and more waiters on the write lock.
const SQLITE_MAX_CONNECTIONS: u32 = 8;
/// How much of the database file a SQLite connection reads through a memory map. Each
/// connection's page cache is dropped whenever another connection commits, so without a map
/// every request after a write reads its pages again with one `pread` system call each; mapped,
/// they are read from the kernel's page cache directly. Writes still go through the WAL, so
/// durability is unchanged.
const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;
const POSTGRES_MAX_CONNECTIONS: u32 = 16;
/// Key of the PostgreSQL advisory lock that serialises migrations between nodes
/// (the bytes of "cognate!").
const MIGRATION_LOCK_KEY: i64 = 0x636f_676e_6174_6521;

/// The database behind a [`crate::SqlStore`], chosen by the scheme of its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL taken apart: which backend, and what to hand the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub backend: Backend,
    /// The URL the driver receives (for SQLite, with `mode=rwc` added unless a mode was given).
    pub url: String,
    /// A SQLite database that lives only in memory: one connection, kept open.
    pub in_memory: bool,
    /// The SQLite database file, whose folder is created if missing.
    pub file: Option<PathBuf>,
}

impl Target {
    pub fn parse(url: &str) -> StoreResult<Target> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target {
                backend: Backend::Postgres,
                url: url.to_string(),
                in_memory: false,
                file: None,
            });
        }
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                StoreError::Backend(
                    "unsupported database URL: expected sqlite://… or postgres://…".into(),
                )
            })?;
        let (database, params) = match rest.split_once('?') {
            Some((d, p)) => (d, Some(p)),
            None => (rest, None),
        };
        let has_param = |name: &str| {
            params.is_some_and(|p| p.split('&').any(|kv| kv.split('=').next() == Some(name)))
        };
        let in_memory = database == ":memory:"
            || params.is_some_and(|p| p.split('&').any(|kv| kv == "mode=memory"));
        let url = if in_memory || has_param("mode") {
            url.to_string()
        } else if params.is_some() {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        let file = if in_memory || database.is_empty() {
            None
        } else {
            let decoded = percent_encoding::percent_decode_str(database)
                .decode_utf8()
                .map_err(|e| StoreError::Backend(format!("database path is not UTF-8: {e}")))?;
            Some(PathBuf::from(decoded.as_ref()))
        };
        Ok(Target {
            backend: Backend::Sqlite,
            url,
            in_memory,
            file,
        })
    }

    /// Opens the connection pool, every connection set up for this backend.
    pub async fn open_pool(&self) -> StoreResult<AnyPool> {
        if let Some(dir) = self.file.as_ref().and_then(|f| f.parent()) {
            if !dir.as_os_str().is_empty() {
                tokio::fs::create_dir_all(dir).await.map_err(|e| {
                    StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        let options = AnyConnectOptions::from_str(&self.url).map_err(db_err)?;
        // A ping before every checkout would double the round trips of a one-query read;
        // a connection that died while idle fails one request instead.
        let pool = AnyPoolOptions::new().test_before_acquire(false);
        let pool = match self.backend {
            Backend::Postgres => pool.max_connections(POSTGRES_MAX_CONNECTIONS),
            Backend::Sqlite => {
                let pool = if self.in_memory {
                    // Every connection to `:memory:` would be a database of its own.
                    pool.max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                } else {
                    pool.max_connections(SQLITE_MAX_CONNECTIONS)
                };
                pool.after_connect(|conn, _meta| {
                    Box::pin(async move {
                        // busy_timeout first, so the others wait for a writer rather than fail.
                        // synchronous=FULL: in WAL mode, NORMAL may lose the last commits on
                        // power loss; FULL syncs the WAL at every commit, so an acknowledged
                        // write survives. journal_mode persists in the file; setting it again
                        // once it is WAL is a no-op.
                        conn.execute(
                            format!(
                                "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; \
                                 PRAGMA journal_mode = WAL; \
                                 PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; \
                                 PRAGMA mmap_size = {SQLITE_MMAP_BYTES};"
                            )
                            .as_str(),
                        )
                        .await?;
                        Ok(())
                    })
                })
            }
        };
        pool.connect_with(options).await.map_err(db_err)
    }
}

impl Backend {
    /// The statement that opens a transaction which will write.
    ///
    /// SQLite's plain `BEGIN` takes the write lock only at the first write; if the transaction
    /// read first and another writer committed meanwhile, the upgrade fails with `SQLITE_BUSY`
    /// at once, without waiting. `BEGIN IMMEDIATE` takes the write lock up front, waiting
    /// (busy_timeout) behind other writers. PostgreSQL locks rows as it writes them.
    pub(crate) fn begin_write(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => Some("BEGIN IMMEDIATE"),
            Backend::Postgres => None,
        }
    }

    /// What ends the row-choosing subquery of a batched delete (`sweep`), so that deleters
    /// running at once never wait on, nor deadlock over, each other's rows: PostgreSQL locks
    /// the rows it picks and passes over rows locked already. SQLite runs one writer at a time
    /// and has nothing to add.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// A statement that, run first in a migration transaction, keeps other nodes out of the
    /// schema until the transaction ends. On SQLite, `BEGIN IMMEDIATE` already does.
    pub(crate) fn migration_lock(self) -> Option<String> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => Some(format!(
                "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
            )),
        }
    }

    pub(crate) fn migrations(self) -> &'static [Migration] {
        match self {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        }
    }

    /// The settings that decide whether an acknowledged write survives a crash, as the
    /// database reports them on one pooled connection.
    pub(crate) async fn durability(self, pool: &AnyPool) -> StoreResult<Vec<(String, String)>> {
        let settings: &[&str] = match self {
            Backend::Sqlite => &[
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "busy_timeout",
                "mmap_size",
            ],
            Backend::Postgres => &["fsync", "synchronous_commit", "full_page_writes"],
        };
        let mut conn = pool.acquire().await.map_err(db_err)?;
        let mut out = Vec::with_capacity(settings.len());
        for name in settings {
            let sql = match self {
                Backend::Sqlite => format!("PRAGMA {name}"),
                Backend::Postgres => format!("SHOW {name}"),
            };
            let row = sqlx::query(&sql)
                .fetch_one(&mut *conn)
                .await
                .map_err(db_err)?;
            let value = match row.try_get::<String, _>(0) {
                Ok(text) => text,
                Err(_) => row.try_get::<i64, _>(0).map_err(db_err)?.to_string(),
            };
            out.push((name.to_string(), value));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_pass_through() {
        let t = Target::parse("postgres://u@h:5432/db?sslmode=disable").unwrap();
        assert_eq!(t.backend, Backend::Postgres);
        assert_eq!(t.url, "postgres://u@h:5432/db?sslmode=disable");
        assert_eq!(
            Target::parse("postgresql://h/db").unwrap().backend,
            Backend::Postgres
        );
    }

    #[test]
    fn sqlite_urls_create_the_file_unless_a_mode_is_given() {
        let t = Target::parse("sqlite://data/cognate.db").unwrap();
        assert_eq!(t.backend, Backend::Sqlite);
        assert_eq!(t.url, "sqlite://data/cognate.db?mode=rwc");
        assert_eq!(t.file, Some(PathBuf::from("data/cognate.db")));
        assert!(!t.in_memory);

        let t = Target::parse("sqlite:///abs/x%20y.db?cache=private").unwrap();
        assert_eq!(t.url, "sqlite:///abs/x%20y.db?cache=private&mode=rwc");
        assert_eq!(t.file, Some(PathBuf::from("/abs/x y.db")));

        let t = Target::parse("sqlite://x.db?mode=ro").unwrap();
        assert_eq!(t.url, "sqlite://x.db?mode=ro");
    }

    #[test]
    fn sqlite_memory_is_recognised() {
        let t = Target::parse("sqlite::memory:").unwrap();
        assert!(t.in_memory);
        assert_eq!(t.url, "sqlite::memory:");
        assert_eq!(t.file, None);
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            Target::parse("mysql://h/db"),
            Err(StoreError::Backend(_))
        ));
    }
}
