//! Throw-away PostgreSQL schemas, for tests and benchmarks that must not touch a real
//! register on the server they are given.

use crate::{DatabaseUrl, StoreError};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A schema created on a PostgreSQL server, and the URL that works inside it.
#[derive(Debug, Clone)]
pub struct ScratchSchema {
    server: String,
    schema: String,
    url: DatabaseUrl,
}

impl ScratchSchema {
    /// Creates `{prefix}_{pid}_{n}_{nanos}` on `server` (a `postgres://` URL).
    pub async fn create(server: &str, prefix: &str) -> Result<ScratchSchema, StoreError> {
        sqlx::any::install_default_drivers();
        let schema = format!(
            "{prefix}_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().as_nanosecond() % 1_000_000_000
        );
        let admin = sqlx::AnyPool::connect(server).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await?;
        admin.close().await;
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = DatabaseUrl::parse(&format!("{server}{separator}options[search_path]={schema}"))?;
        Ok(ScratchSchema {
            server: server.to_string(),
            schema,
            url,
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(&self) -> Result<(), StoreError> {
        let admin = sqlx::AnyPool::connect(&self.server).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {} CASCADE",
            self.schema
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
        Ok(())
    }
}
