//! Reading and checking the journal.

use crate::{Acta, AppError};
use acta_domain::journal::{ChainBreak, JournalEntry};
use serde::Serialize;

/// The result of `acta journal verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalReport {
    /// Entries checked before the end or the first break.
    pub entries: i64,
    pub intact: bool,
    /// The first entry altered or removed.
    pub first_break: Option<ChainBreak>,
    /// When checked against anchors (`--anchors`): what they confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchors: Option<crate::anchors::AnchorsChecked>,
}

impl Acta {
    /// Walks the whole journal and reports the first entry altered or removed.
    pub async fn verify_journal(
        &self,
        progress: impl FnMut(i64),
    ) -> Result<JournalReport, AppError> {
        let mut tx = self.read().await?;
        let head = tx.journal_head().await?;
        let result = tx.verify_journal(progress).await?;
        Ok(match result {
            Ok(n) => JournalReport {
                entries: n,
                intact: true,
                first_break: None,
                anchors: None,
            },
            Err(brk) => JournalReport {
                entries: head.seq,
                intact: false,
                first_break: Some(brk),
                anchors: None,
            },
        })
    }

    pub async fn journal_size(&self) -> Result<i64, AppError> {
        Ok(self.read().await?.journal_head().await?.seq)
    }

    pub async fn journal_recent(&self, limit: i64) -> Result<Vec<JournalEntry>, AppError> {
        Ok(self.read().await?.journal_recent(limit).await?)
    }

    pub async fn journal_of(
        &self,
        entity: &str,
        entity_id: &str,
    ) -> Result<Vec<JournalEntry>, AppError> {
        Ok(self.read().await?.journal_of(entity, entity_id).await?)
    }
}
