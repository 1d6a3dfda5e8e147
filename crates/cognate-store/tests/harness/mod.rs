//! What the store suites share: each test body runs once per backend, on a database of its
//! own where the suite needs one. `sqlite::<name>` runs on a fresh database file;
//! `postgres::<name>` on the database named by `COGNATE_TEST_DATABASE_URL` (skipped, and
//! passing, without it), either shared with the other tests or, for a suite whose statements
//! reach every pool (the sweeps), in a schema made for the test and dropped after it.

use std::path::PathBuf;

use cognate_store::{Backend, SqlStore};

pub const PG_ENV: &str = "COGNATE_TEST_DATABASE_URL";

/// One test's database: a SQLite file (its folder removed on drop), or PostgreSQL, maybe in a
/// schema of its own (dropped by [`TestDb::finish`]; left behind, under a random name, if the
/// test fails).
pub struct TestDb {
    pub store: SqlStore,
    pub dir: Option<PathBuf>,
    schema: Option<(sqlx::AnyPool, String)>,
}

impl TestDb {
    pub async fn finish(mut self) {
        self.store.close().await;
        if let Some((admin, schema)) = self.schema.take() {
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn random(len: usize) -> String {
    uuid::Uuid::new_v4().simple().to_string()[..len].to_string()
}

pub async fn sqlite() -> TestDb {
    // A folder that does not exist yet: connect must create it.
    let dir = std::env::temp_dir().join(format!("cognate-store-test-{}", random(16)));
    let url = format!("sqlite://{}", dir.join("data").join("cognate.db").display());
    let store = SqlStore::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    TestDb {
        store,
        dir: Some(dir),
        schema: None,
    }
}

/// The PostgreSQL database of `COGNATE_TEST_DATABASE_URL`, in a schema of the test's own when
/// `own_schema`.
pub async fn postgres(own_schema: bool) -> Option<TestDb> {
    let base = std::env::var(PG_ENV).ok()?;
    let (url, schema) = if own_schema {
        sqlx::any::install_default_drivers();
        let name = format!("cognate_store_test_{}", random(12));
        let admin = sqlx::AnyPool::connect(&base).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
        (url, Some((admin, name)))
    } else {
        (base, None)
    };
    let store = SqlStore::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    Some(TestDb {
        store,
        dir: None,
        schema,
    })
}

/// `per_backend!(own_schema; a, b, …)`: tests `sqlite::a`, `postgres::a`, … each running the
/// suite's `async fn a(&SqlStore)` on a database from [`sqlite`] or [`postgres`].
macro_rules! per_backend {
    ($own_schema:expr; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = super::harness::sqlite().await;
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(db) = super::harness::postgres($own_schema).await else {
                        eprintln!("skipped: {} is not set", super::harness::PG_ENV);
                        return;
                    };
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
    };
}
pub(crate) use per_backend;
