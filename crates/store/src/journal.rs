//! Appending to and reading the hash-chained journal.

use crate::codec::get;
use crate::{StoreError, Tx};
use acta_domain::journal::{ChainBreak, ChainVerifier, JournalDraft, JournalEntry, history};
use futures::TryStreamExt;
use serde::Serialize;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

/// Where the journal of a write transaction stands.
pub(crate) struct JournalCursor {
    actor: String,
    at: String,
    seq: i64,
    hash: String,
    dirty: bool,
}

impl JournalCursor {
    pub(crate) fn new(actor: &str, at: &str, head: &AnyRow) -> Result<Self, StoreError> {
        Ok(JournalCursor {
            actor: actor.to_string(),
            at: at.to_string(),
            seq: get(head, "seq")?,
            hash: get(head, "hash")?,
            dirty: false,
        })
    }

    pub(crate) async fn save_head(&self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        if self.dirty {
            sqlx::query("UPDATE journal_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(self.seq)
                .bind(self.hash.clone())
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

/// The recorded end of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalHead {
    pub seq: i64,
    pub hash: String,
}

fn entry_from_row(row: &AnyRow) -> Result<JournalEntry, StoreError> {
    Ok(JournalEntry {
        seq: get(row, "seq")?,
        at: get(row, "at")?,
        actor: get(row, "actor")?,
        action: get(row, "action")?,
        entity: get(row, "entity")?,
        entity_id: get(row, "entity_id")?,
        before: get(row, "before_json")?,
        after: get(row, "after_json")?,
        diff: get(row, "diff_json")?,
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before_json, after_json, diff_json, prev_hash, hash";

impl Tx {
    /// Appends one entry: `action` on `entity` number `entity_id`, with the values before
    /// and after (as JSON; a modification keeps only the fields it changed). Refused on a
    /// read-only view.
    pub async fn record<B: Serialize + ?Sized, A: Serialize + ?Sized>(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<(), StoreError> {
        let Some(cursor) = self.journal.as_mut() else {
            return Err(StoreError::ReadOnly(
                "cette transaction est en lecture seule".to_string(),
            ));
        };
        let entry = JournalDraft::change([&cursor.actor, action, entity, entity_id], before, after)
            .map_err(|e| StoreError::corrupt("json", e.to_string()))?
            .seal(cursor.seq + 1, cursor.at.clone(), cursor.hash.clone());
        cursor.seq = entry.seq;
        cursor.hash = entry.hash.clone();
        cursor.dirty = true;
        sqlx::query(
            "INSERT INTO journal (seq, at, actor, action, entity, entity_id, before_json, after_json, diff_json, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(entry.seq)
        .bind(entry.at)
        .bind(entry.actor)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(entry.entity_id)
        .bind(entry.before)
        .bind(entry.after)
        .bind(entry.diff)
        .bind(entry.prev_hash)
        .bind(entry.hash)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn journal_head(&mut self) -> Result<JournalHead, StoreError> {
        let row = sqlx::query("SELECT seq, hash FROM journal_head WHERE id = 1")
            .fetch_one(self.conn())
            .await?;
        Ok(JournalHead {
            seq: get(&row, "seq")?,
            hash: get(&row, "hash")?,
        })
    }

    /// What changed after entry `seq`, oldest first: (entity, entity id) pairs only, for
    /// keeping derived data (the search index) in step.
    pub async fn journal_changes_after(
        &mut self,
        seq: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT entity, entity_id FROM journal WHERE seq > $1 ORDER BY seq")
            .bind(seq)
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((get(r, "entity")?, get(r, "entity_id")?)))
            .collect()
    }

    /// The hash of entry `seq`, if it exists.
    pub async fn journal_hash_at(&mut self, seq: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT hash FROM journal WHERE seq = $1")
            .bind(seq)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| get(&r, "hash")).transpose()
    }

    /// The last `limit` entries, newest first.
    pub async fn journal_recent(&mut self, limit: i64) -> Result<Vec<JournalEntry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM journal ORDER BY seq DESC LIMIT $1");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Entries about one entity, oldest first, each with the record before and after it
    /// (rebuilt from the creation through the changes).
    pub async fn journal_of(
        &mut self,
        entity: &str,
        entity_id: &str,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM journal WHERE entity = $1 AND entity_id = $2 ORDER BY seq"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(entity.to_string())
            .bind(entity_id.to_string())
            .fetch_all(self.conn())
            .await?;
        let stored = rows
            .iter()
            .map(entry_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(history(stored))
    }

    /// Walks the whole journal in order, streaming, and reports the first entry that was
    /// altered or removed. `progress` is called with the number of entries checked.
    pub async fn verify_journal(
        &mut self,
        mut progress: impl FnMut(i64),
    ) -> Result<Result<i64, ChainBreak>, StoreError> {
        let head = self.journal_head().await?;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM journal ORDER BY seq");
        let mut verifier = ChainVerifier::new();
        let mut checked = 0i64;
        {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(self.conn());
            while let Some(row) = rows.try_next().await? {
                let entry = entry_from_row(&row)?;
                if let Err(brk) = verifier.check(&entry) {
                    return Ok(Err(brk));
                }
                checked += 1;
                if checked % 1000 == 0 {
                    progress(checked);
                }
            }
        }
        progress(checked);
        Ok(verifier.finish(head.seq, &head.hash))
    }
}
