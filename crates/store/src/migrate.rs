//! Schema migrations, one folder per backend, embedded in the binary.

use crate::{Backend, Store, StoreError};
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
    ),
    (
        2,
        "sitting rules",
        include_str!("../migrations/sqlite/0002_sitting_rules.sql"),
    ),
    (
        3,
        "grant execution",
        include_str!("../migrations/sqlite/0003_grant_execution.sql"),
    ),
    (
        4,
        "open data",
        include_str!("../migrations/sqlite/0004_open_data.sql"),
    ),
    (
        5,
        "lookup indexes",
        include_str!("../migrations/sqlite/0005_lookup_indexes.sql"),
    ),
    (
        6,
        "archives",
        include_str!("../migrations/sqlite/0006_archives.sql"),
    ),
    (
        7,
        "accounts",
        include_str!("../migrations/sqlite/0007_accounts.sql"),
    ),
];

const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "sitting rules",
        include_str!("../migrations/postgres/0002_sitting_rules.sql"),
    ),
    (
        3,
        "grant execution",
        include_str!("../migrations/postgres/0003_grant_execution.sql"),
    ),
    (
        4,
        "open data",
        include_str!("../migrations/postgres/0004_open_data.sql"),
    ),
    (
        5,
        "lookup indexes",
        include_str!("../migrations/postgres/0005_lookup_indexes.sql"),
    ),
    (
        6,
        "archives",
        include_str!("../migrations/postgres/0006_archives.sql"),
    ),
    (
        7,
        "accounts",
        include_str!("../migrations/postgres/0007_accounts.sql"),
    ),
];

pub(crate) async fn run(store: &Store) -> Result<(), StoreError> {
    let files = match store.backend() {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let migrations = files
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(
                *version,
                (*name).into(),
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
