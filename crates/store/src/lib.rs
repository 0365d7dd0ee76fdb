//! acta's persistence: one repository API that runs unchanged on SQLite (an embedded file,
//! the default) and PostgreSQL (chosen by a `postgres://` URL).
//!
//! Every write goes through a [`Tx`] opened by [`Store::write`]: it holds the journal's
//! head for its whole life, so writes are serialised, journal entries are numbered in
//! commit order, and each change is journaled in the same transaction as the change itself.
//!
//! A store is bound to one collectivity ([`Store::for_collectivity`]); every transaction
//! it opens sees and writes only that collectivity's rows (on PostgreSQL, which may hold
//! several, row-level security enforces it; an SQLite file holds one).

pub mod backup;
mod codec;
mod error;
mod journal;
mod migrate;
mod replica;
mod repo;
pub mod scratch;
mod tenancy;
mod tx;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::StoreError;
pub use journal::JournalHead;
pub use replica::ReplicaLag;
pub use repo::accounts::{StoredAccount, StoredSession};
pub use repo::applications::{
    ApplicationEvent, ApplicationPiece, GrantApplication, GrantSubmission, OrganisationPerson,
    PieceRequest, StoredDispositif,
};
pub use repo::archives::{ArchivedAct, StoredArchive};
pub use repo::budget_year::{StoredAuthorisation, StoredDelegation};
pub use repo::entity;
pub use repo::execution::{ConventionVersion, PaymentRecord};
pub use repo::exports::{DeliberationExport, ExternalSubsidy, Transmission};
pub use repo::minutes::MinutesPublication;
pub use repo::preparation::{Convocation, Delivery, DraftEvent, DraftVersion, ReportDraft};
pub use repo::publications::{Notification, Publication};
pub use repo::signatures::{FileMeta, SignedDocument, StoredSignature, StoredSigner};
pub use repo::sittings::SittingSummary;
pub use repo::tenancy::RegisteredCollectivity;
pub use repo::transfers::{ActArchiving, ArchiveTransfer};
pub use repo::transmissions::{PrefectureReply, TdtTransmission};
pub use tx::Tx;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Where the database is: an SQLite file or a PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    backend: Backend,
    sqlite_path: Option<String>,
}

impl DatabaseUrl {
    /// Accepts `postgres://…`, `postgresql://…`, `sqlite:path`, `sqlite://path` or a bare
    /// file path (SQLite).
    pub fn parse(input: &str) -> Result<DatabaseUrl, StoreError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(StoreError::Config(
                "Base de données : l'adresse est vide.".to_string(),
            ));
        }
        if input.starts_with("postgres://") || input.starts_with("postgresql://") {
            return Ok(DatabaseUrl {
                url: input.to_string(),
                backend: Backend::Postgres,
                sqlite_path: None,
            });
        }
        let path = input
            .strip_prefix("sqlite://")
            .or_else(|| input.strip_prefix("sqlite:"))
            .unwrap_or(input);
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() || path == ":memory:" {
            return Err(StoreError::Config(
                "Base de données : une base SQLite en mémoire ne se conserve pas ; donnez un fichier."
                    .to_string(),
            ));
        }
        Ok(DatabaseUrl {
            url: format!("sqlite://{path}"),
            backend: Backend::Sqlite,
            sqlite_path: Some(path.to_string()),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The full address, password included: for handing to a child process, never to print.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<&str> {
        self.sqlite_path.as_deref()
    }

    /// The address without any password, to show to users.
    pub fn redacted(&self) -> String {
        match self.url.split_once('@') {
            Some((scheme_user, host)) if self.backend == Backend::Postgres => {
                let user_part = scheme_user.rsplit_once(':').map_or(scheme_user, |(u, _)| {
                    if u.ends_with('/') { scheme_user } else { u }
                });
                format!("{user_part}@{host}")
            }
            _ => self.url.clone(),
        }
    }
}

/// The collectivity a database holds when none is named: the only one of an SQLite file,
/// the first of a PostgreSQL database.
pub const FIRST_COLLECTIVITY: i64 = 1;

/// The PostgreSQL role transactions take when the connecting user would bypass row-level
/// security (a superuser, as in development and tests): without it the policies that keep
/// collectivities apart would not apply to them.
const TENANT_ROLE: &str = "acta_tenant";

/// A connection pool on the database, with the schema migrated, bound to one collectivity.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: DatabaseUrl,
    collectivity: i64,
    /// PostgreSQL: transactions take [`TENANT_ROLE`].
    tenant_role: bool,
    /// A streaming replica opened for reads ([`Store::open_replica`]): it may lag behind
    /// the primary, and refuses writes.
    replica: bool,
}

impl Store {
    /// Opens an existing database and brings its schema up to date. `create` allows
    /// creating a missing SQLite file.
    pub async fn open(url: &DatabaseUrl, create: bool) -> Result<Store, StoreError> {
        if let Some(path) = url.sqlite_path()
            && !create
            && !std::path::Path::new(path).exists()
        {
            return Err(StoreError::Config(format!(
                "Base de données : le fichier « {path} » n'existe pas ; lancez d'abord « acta init »."
            )));
        }
        let pool = connect(url).await?;
        let backend = url.backend;
        let mut store = Store {
            pool,
            backend,
            url: url.clone(),
            collectivity: FIRST_COLLECTIVITY,
            tenant_role: false,
            replica: false,
        };
        migrate::run(&store).await?;
        if backend == Backend::Postgres {
            store.tenant_role = tenancy::prepare_tenant_role(&store.pool).await?;
        }
        Ok(store)
    }

    /// The same database, bound to collectivity `collectivity`: what it reads and writes is
    /// that collectivity's alone. An SQLite file holds only collectivity 1.
    pub fn for_collectivity(&self, collectivity: i64) -> Result<Store, StoreError> {
        if collectivity < 1 {
            return Err(StoreError::Config(format!(
                "Collectivité : « {collectivity} » n'est pas un numéro de collectivité (1, 2, 3…)."
            )));
        }
        if self.backend == Backend::Sqlite && collectivity != FIRST_COLLECTIVITY {
            return Err(StoreError::Config(format!(
                "Collectivité : un fichier SQLite tient une seule collectivité (la n° 1), pas la n° {collectivity} ; \
                 pour en tenir plusieurs, utilisez PostgreSQL."
            )));
        }
        Ok(Store {
            collectivity,
            ..self.clone()
        })
    }

    /// The collectivity this store reads and writes.
    pub fn collectivity(&self) -> i64 {
        self.collectivity
    }

    pub(crate) fn tenant_role(&self) -> bool {
        self.tenant_role
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The connection pool, for what must run raw SQL outside the repository (the
    /// benchmarks' bulk fill). What it runs is bound to no collectivity: on PostgreSQL it
    /// must name one (see [`tenancy::bind`]) to see or write any row.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Opens a write transaction for `actor` at `at` (RFC 3339, UTC). Every change made
    /// through it is journaled; nothing is kept unless [`Tx::commit`] is called.
    pub async fn write(&self, actor: &str, at: &str) -> Result<Tx, StoreError> {
        Tx::begin_write(self, actor, at).await
    }

    /// Opens a read-only view.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Tx::begin_read(self).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A connection pool on `url`, each connection set up for acta (SQLite: waiting on the
/// file lock, foreign keys, durable commits, WAL).
async fn connect(url: &DatabaseUrl) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let connect_url = match url.backend {
        Backend::Sqlite => format!("{}?mode=rwc", url.url),
        Backend::Postgres => url.url.clone(),
    };
    let options = AnyConnectOptions::from_str(&connect_url)?;
    let backend = url.backend;
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        })
        .acquire_timeout(Duration::from_secs(60))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // Writers queue on the file lock instead of failing at once; WAL lets
                    // readers work while one writer writes.
                    conn.execute("PRAGMA busy_timeout = 60000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    // FULL: an acknowledged commit is on disk, so it survives the
                    // process killed and the machine losing power alike (NORMAL in
                    // WAL mode would only survive the former).
                    conn.execute("PRAGMA synchronous = FULL").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    if backend == Backend::Sqlite {
        pool.execute("PRAGMA journal_mode = WAL").await?;
    }
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = DatabaseUrl::parse("acta.db").unwrap();
        assert_eq!(u.backend(), Backend::Sqlite);
        assert_eq!(u.sqlite_path(), Some("acta.db"));
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/acta.db?mode=rwc")
                .unwrap()
                .sqlite_path(),
            Some("data/acta.db")
        );
        let pg = DatabaseUrl::parse("postgres://acta:secret@localhost/acta").unwrap();
        assert_eq!(pg.backend(), Backend::Postgres);
        assert_eq!(pg.redacted(), "postgres://acta@localhost/acta");
        assert!(DatabaseUrl::parse("").is_err());
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
    }
}
