//! What a backup needs from the database itself: a copy as of one instant (SQLite), or a
//! snapshot that `pg_dump` and acta's own checks both read (PostgreSQL).

use crate::{Backend, DatabaseUrl, Store, StoreError, Tx};
use std::path::Path;

/// A PostgreSQL transaction whose snapshot is exported: `pg_dump --snapshot` then reads
/// exactly what this transaction reads, as long as it stays open.
pub struct ExportedSnapshot {
    pub tx: Tx,
    /// The identifier to hand to `pg_dump --snapshot`.
    pub id: String,
    /// The schema acta's tables live in.
    pub schema: String,
}

impl DatabaseUrl {
    /// The address as libpq (pg_dump, psql) reads it: without the options only acta's
    /// driver understands (`options[search_path]=…`), which are given to them otherwise.
    pub fn libpq(&self) -> String {
        let Some((base, query)) = self.as_str().split_once('?') else {
            return self.as_str().to_string();
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !p.contains('[') && !p.contains("%5B"))
            .collect();
        if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        }
    }
}

impl Store {
    /// SQLite: writes a consistent copy of the whole database into `dest`, a file that must
    /// not exist yet. `VACUUM INTO` reads in one transaction, so writers may go on.
    pub async fn copy_sqlite_into(&self, dest: &Path) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Config(
                "Copie de fichier : seulement pour une base SQLite.".to_string(),
            ));
        }
        let dest = dest.to_str().ok_or_else(|| {
            StoreError::Config(format!(
                "Sauvegarde : le chemin « {} » n'est pas en UTF-8.",
                dest.display()
            ))
        })?;
        let quoted = dest.replace('\'', "''");
        sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{quoted}'")))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// PostgreSQL: opens a read-only repeatable-read transaction and exports its snapshot.
    pub async fn export_snapshot(&self) -> Result<ExportedSnapshot, StoreError> {
        if self.backend() != Backend::Postgres {
            return Err(StoreError::Config(
                "Instantané exporté : seulement pour PostgreSQL.".to_string(),
            ));
        }
        let mut tx = Tx::begin_snapshot(self).await?;
        let row: (String, String) =
            sqlx::query_as("SELECT pg_export_snapshot(), CAST(current_schema() AS TEXT)")
                .fetch_one(tx.conn())
                .await?;
        Ok(ExportedSnapshot {
            tx,
            id: row.0,
            schema: row.1,
        })
    }

    /// The schema acta's tables are in (PostgreSQL), as the address selects it.
    pub async fn current_schema(&self) -> Result<Option<String>, StoreError> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let row: (Option<String>,) = sqlx::query_as("SELECT CAST(current_schema() AS TEXT)")
            .fetch_one(self.pool())
            .await?;
        Ok(row.0)
    }
}

/// Facts about a PostgreSQL database before a restore, read without creating anything.
pub struct RestoreTarget {
    /// The schema the address selects, if it exists.
    pub current_schema: Option<String>,
    /// Whether `schema` already exists.
    pub schema_exists: bool,
    /// Whether an acta register (its journal) is already in `schema`.
    pub has_register: bool,
}

/// Looks at the PostgreSQL database at `url` without migrating it.
pub async fn inspect_postgres(
    url: &DatabaseUrl,
    schema: &str,
) -> Result<RestoreTarget, StoreError> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url.as_str()).await?;
    let current: (Option<String>,) = sqlx::query_as("SELECT CAST(current_schema() AS TEXT)")
        .fetch_one(&pool)
        .await?;
    let schemas: (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM information_schema.schemata WHERE schema_name = $1",
    )
    .bind(schema.to_string())
    .fetch_one(&pool)
    .await?;
    let journals: (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'journal'",
    )
    .bind(schema.to_string())
    .fetch_one(&pool)
    .await?;
    pool.close().await;
    Ok(RestoreTarget {
        current_schema: current.0,
        schema_exists: schemas.0 > 0,
        has_register: journals.0 > 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_addresses_lose_only_the_driver_options() {
        let cases = [
            ("postgres://u@h/db", "postgres://u@h/db"),
            (
                "postgres://u@h/db?options[search_path]=s1",
                "postgres://u@h/db",
            ),
            (
                "postgres://u@h/db?sslmode=require&options[search_path]=s1",
                "postgres://u@h/db?sslmode=require",
            ),
        ];
        for (given, expected) in cases {
            assert_eq!(DatabaseUrl::parse(given).unwrap().libpq(), expected);
        }
    }
}
