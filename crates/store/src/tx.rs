use crate::journal::JournalCursor;
use crate::{Backend, Store, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

/// A database transaction. A write transaction carries the journal cursor: every change
/// it makes is appended to the journal, and the journal head is updated at commit.
pub struct Tx {
    inner: Transaction<'static, Any>,
    backend: Backend,
    /// The collectivity whose rows this transaction reads and writes.
    collectivity: i64,
    pub(crate) journal: Option<JournalCursor>,
}

/// The head of a collectivity's journal before its first entry.
const EMPTY_JOURNAL_HEAD: &str = "INSERT INTO journal_head (id, seq, hash) \
     VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000') \
     ON CONFLICT DO NOTHING";

impl Tx {
    pub(crate) async fn begin_write(
        store: &Store,
        actor: &str,
        at: &str,
    ) -> Result<Tx, StoreError> {
        let mut inner = match store.backend() {
            // IMMEDIATE takes the write lock now, so a transaction never fails halfway when
            // it upgrades from reading to writing.
            Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => store.pool().begin().await?,
        };
        Tx::bind(&mut inner, store).await?;
        let head_sql = match store.backend() {
            Backend::Sqlite => "SELECT seq, hash FROM journal_head WHERE id = 1",
            Backend::Postgres => "SELECT seq, hash FROM journal_head WHERE id = 1 FOR UPDATE",
        };
        let row = match sqlx::query(head_sql).fetch_optional(&mut *inner).await? {
            Some(row) => row,
            // A collectivity's first write starts its own journal.
            None => {
                sqlx::query(EMPTY_JOURNAL_HEAD).execute(&mut *inner).await?;
                sqlx::query(head_sql).fetch_one(&mut *inner).await?
            }
        };
        let cursor = JournalCursor::new(actor, at, &row)?;
        Ok(Tx {
            inner,
            backend: store.backend(),
            collectivity: store.collectivity(),
            journal: Some(cursor),
        })
    }

    pub(crate) async fn begin_read(store: &Store) -> Result<Tx, StoreError> {
        let mut inner = store.pool().begin().await?;
        Tx::bind(&mut inner, store).await?;
        Ok(Tx {
            inner,
            backend: store.backend(),
            collectivity: store.collectivity(),
            journal: None,
        })
    }

    /// PostgreSQL: a read-only transaction that sees one snapshot for its whole life.
    pub(crate) async fn begin_snapshot(store: &Store) -> Result<Tx, StoreError> {
        let mut inner = store
            .pool()
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        Tx::bind(&mut inner, store).await?;
        Ok(Tx {
            inner,
            backend: store.backend(),
            collectivity: store.collectivity(),
            journal: None,
        })
    }

    /// PostgreSQL: binds the transaction to the store's collectivity (SQLite holds one).
    async fn bind(inner: &mut Transaction<'static, Any>, store: &Store) -> Result<(), StoreError> {
        if store.backend() == Backend::Postgres {
            crate::tenancy::bind(inner, store.collectivity(), store.tenant_role()).await?;
        }
        Ok(())
    }

    /// The collectivity whose rows this transaction reads and writes.
    pub fn collectivity_id(&self) -> i64 {
        self.collectivity
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    /// Keeps every change and its journal entries.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        if let Some(cursor) = self.journal.take() {
            cursor.save_head(&mut self.inner).await?;
        }
        self.inner.commit().await?;
        Ok(())
    }

    /// Drops every change (also done when the Tx is dropped without commit).
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.inner.rollback().await?;
        Ok(())
    }

    /// Runs an INSERT … RETURNING id and gives the new id.
    pub(crate) async fn insert_returning_id(
        &mut self,
        query: sqlx::query::Query<'_, Any, sqlx::any::AnyArguments>,
    ) -> Result<i64, StoreError> {
        let row: AnyRow = query.fetch_one(self.conn()).await?;
        crate::codec::get::<i64>(&row, "id")
    }
}
