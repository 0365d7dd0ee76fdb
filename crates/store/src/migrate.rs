//! Schema migrations, embedded in the binary: the files of `migrations/<backend>`, and
//! those of `migrations/common` that both backends run as they are (listed by `build.rs`).

use crate::{Backend, Store, StoreError};
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The migrations of a backend, in version order; a version in both the backend's folder
/// and `common` is refused by the test below.
fn migrations(backend: Backend) -> Vec<(i64, &'static str, &'static str)> {
    let own = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let mut all: Vec<_> = own.iter().chain(COMMON).copied().collect();
    all.sort_by_key(|(version, _, _)| *version);
    all
}

/// The schema version this program brings a database to.
pub(crate) fn latest_version(backend: Backend) -> i64 {
    migrations(backend).last().map_or(0, |m| m.0)
}

pub(crate) async fn run(store: &Store) -> Result<(), StoreError> {
    let migrations = migrations(store.backend())
        .into_iter()
        .map(|(version, name, sql)| {
            Migration::new(
                version,
                name.into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
        .run(store.pool())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_backend_has_every_version_once_and_in_step() {
        let versions = |b| -> Vec<i64> { migrations(b).iter().map(|m| m.0).collect() };
        let sqlite = versions(Backend::Sqlite);
        let postgres = versions(Backend::Postgres);
        assert_eq!(sqlite, postgres, "both backends run the same versions");
        let expected: Vec<i64> = (1..=i64::try_from(sqlite.len()).unwrap_or(0)).collect();
        assert_eq!(sqlite, expected, "versions follow each other without a gap");
        assert_eq!(migrations(Backend::Sqlite)[0].1, "foundation");
    }
}
