//! Throw-away databases for tests: every storage test runs on SQLite and, when
//! `ACTA_TEST_POSTGRES_URL` is set, on PostgreSQL in a schema of its own.

use crate::scratch::ScratchSchema;
use crate::{DatabaseUrl, Store, StoreError};

/// The environment variable that points tests at a PostgreSQL server.
pub const POSTGRES_ENV: &str = "ACTA_TEST_POSTGRES_URL";

pub struct TestDatabase {
    pub store: Store,
    pub url: DatabaseUrl,
    /// For a PostgreSQL database: the schema to drop.
    postgres: Option<ScratchSchema>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> Result<TestDatabase, StoreError> {
        let dir = tempfile::tempdir()
            .map_err(|e| StoreError::Config(format!("dossier temporaire : {e}")))?;
        let path = dir.path().join("acta-test.db");
        let url = DatabaseUrl::parse(&path.to_string_lossy())?;
        let store = Store::open(&url, true).await?;
        Ok(TestDatabase {
            store,
            url,
            postgres: None,
            _dir: Some(dir),
        })
    }

    /// A fresh schema on the PostgreSQL server named by `ACTA_TEST_POSTGRES_URL`, or
    /// `None` when the variable is not set.
    pub async fn postgres() -> Result<Option<TestDatabase>, StoreError> {
        let Ok(server) = std::env::var(POSTGRES_ENV) else {
            return Ok(None);
        };
        let scratch = ScratchSchema::create(&server, "acta_test").await?;
        let url = scratch.url().clone();
        let store = Store::open(&url, true).await?;
        Ok(Some(TestDatabase {
            store,
            url,
            postgres: Some(scratch),
            _dir: None,
        }))
    }

    /// SQLite, then PostgreSQL when configured.
    pub async fn all() -> Result<Vec<TestDatabase>, StoreError> {
        let mut out = vec![TestDatabase::sqlite().await?];
        if let Some(pg) = TestDatabase::postgres().await? {
            out.push(pg);
        }
        Ok(out)
    }

    pub fn name(&self) -> &'static str {
        self.store.backend().name()
    }

    /// Closes the pool and drops the PostgreSQL schema (the SQLite folder goes by itself).
    pub async fn cleanup(self) -> Result<(), StoreError> {
        self.store.close().await;
        if let Some(scratch) = &self.postgres {
            scratch.drop_schema().await?;
        }
        Ok(())
    }

    /// Runs raw SQL, as someone with direct access to the database would (to test that
    /// tampering is detected).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        let result = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(self.store.pool())
            .await?;
        Ok(result.rows_affected())
    }

    /// Counts the rows of a table.
    pub async fn count(&self, table: &str) -> Result<i64, StoreError> {
        let row: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"
        )))
        .fetch_one(self.store.pool())
        .await?;
        Ok(row.0)
    }

    /// Counts the rows of a table as collectivity `collectivity` sees them, with a query
    /// that names no collectivity: what a forgotten `WHERE` would read.
    pub async fn count_as(&self, collectivity: i64, table: &str) -> Result<i64, StoreError> {
        let mut tx = self.store.for_collectivity(collectivity)?.read().await?;
        let row: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"
        )))
        .fetch_one(tx.conn())
        .await?;
        tx.rollback().await?;
        Ok(row.0)
    }

    /// Runs raw SQL in a transaction bound to `collectivity` (PostgreSQL), as the
    /// application's own transactions are: to test what row-level security lets through.
    pub async fn execute_as(&self, collectivity: i64, sql: &str) -> Result<u64, StoreError> {
        let mut tx = self.store.for_collectivity(collectivity)?.read().await?;
        let result = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(result.rows_affected())
    }

    /// Counts the rows of a table in a PostgreSQL transaction bound to no collectivity,
    /// under the role the application's transactions take.
    pub async fn count_unbound(&self, table: &str) -> Result<i64, StoreError> {
        let mut tx = self.store.pool().begin().await?;
        if self.store.tenant_role() {
            sqlx::query("SELECT set_config('role', $1, true)")
                .bind(crate::TENANT_ROLE)
                .execute(&mut *tx)
                .await?;
        }
        let row: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"
        )))
        .fetch_one(&mut *tx)
        .await?;
        tx.rollback().await?;
        Ok(row.0)
    }

    /// The first column of each row of a raw query, as text (catalogue checks).
    pub async fn strings(&self, sql: &str) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(self.store.pool())
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
