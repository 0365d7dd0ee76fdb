//! Transfers to the electronic archiving system and the SAE's replies. Journaled; a
//! transfer's acts get their archival identifier from an accepting reply.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use serde::Serialize;
use sqlx::any::AnyRow;

/// A transfer as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveTransfer {
    pub id: i64,
    /// The SEDA MessageIdentifier.
    pub identifier: String,
    /// "Commission permanente du 20 novembre 2023".
    pub scope: String,
    pub sha256: String,
    pub size: i64,
    /// "envoye", "accepte" or "refuse".
    pub state: String,
    pub reply_code: Option<String>,
    pub reply_file: Option<i64>,
    pub built_at: String,
    pub replied_at: Option<String>,
}

/// An act's archiving, as the act shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActArchiving {
    pub transfer: String,
    pub state: String,
    pub archival_id: Option<String>,
    pub replied_at: Option<String>,
}

fn transfer(row: &AnyRow) -> Result<ArchiveTransfer, StoreError> {
    Ok(ArchiveTransfer {
        id: get(row, "id")?,
        identifier: get(row, "identifier")?,
        scope: get(row, "scope")?,
        sha256: get(row, "sha256")?,
        size: get(row, "size")?,
        state: get(row, "state")?,
        reply_code: get(row, "reply_code")?,
        reply_file: get(row, "reply_file")?,
        built_at: get(row, "built_at")?,
        replied_at: get(row, "replied_at")?,
    })
}

impl Tx {
    /// Records a transfer built, with the acts it carries.
    pub async fn insert_archive_transfer(
        &mut self,
        t: &ArchiveTransfer,
        deliberations: &[i64],
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO archive_transfer (identifier, scope, sha256, size, state, built_at) \
                     VALUES ($1, $2, $3, $4, 'envoye', $5) RETURNING id",
                )
                .bind(t.identifier.clone())
                .bind(t.scope.clone())
                .bind(t.sha256.clone())
                .bind(t.size)
                .bind(t.built_at.clone()),
            )
            .await?;
        for d in deliberations {
            sqlx::query(
                "INSERT INTO archive_transfer_act (transfer, deliberation) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*d)
            .execute(self.conn())
            .await?;
        }
        let stored = ArchiveTransfer {
            id,
            state: "envoye".to_string(),
            ..t.clone()
        };
        self.record::<(), _>(
            action::CREATE,
            entity::ARCHIVE_TRANSFER,
            &t.identifier,
            None,
            Some(&(stored, deliberations)),
        )
        .await?;
        Ok(id)
    }

    pub async fn archive_transfer(
        &mut self,
        identifier: &str,
    ) -> Result<Option<ArchiveTransfer>, StoreError> {
        let row = sqlx::query("SELECT * FROM archive_transfer WHERE identifier = $1")
            .bind(identifier.to_string())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(transfer).transpose()
    }

    /// The deliberations a transfer carries, with their numbers.
    pub async fn archive_transfer_acts(
        &mut self,
        transfer: i64,
    ) -> Result<Vec<(i64, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.deliberation, d.number FROM archive_transfer_act a JOIN deliberation d ON d.id = a.deliberation \
             WHERE a.transfer = $1 ORDER BY a.deliberation",
        )
        .bind(transfer)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((get(r, "deliberation")?, get(r, "number")?)))
            .collect()
    }

    /// Records the SAE's reply: the transfer's state and each act's archival identifier.
    pub async fn record_archive_reply(
        &mut self,
        transfer: &ArchiveTransfer,
        state: &str,
        code: &str,
        reply_file: i64,
        replied_at: &str,
        archival_ids: &[(i64, String)],
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE archive_transfer SET state = $1, reply_code = $2, reply_file = $3, replied_at = $4 WHERE id = $5",
        )
        .bind(state.to_string())
        .bind(code.to_string())
        .bind(reply_file)
        .bind(replied_at.to_string())
        .bind(transfer.id)
        .execute(self.conn())
        .await?;
        for (deliberation, archival_id) in archival_ids {
            sqlx::query(
                "UPDATE archive_transfer_act SET archival_id = $1 WHERE transfer = $2 AND deliberation = $3",
            )
            .bind(archival_id.clone())
            .bind(transfer.id)
            .bind(*deliberation)
            .execute(self.conn())
            .await?;
        }
        let after = self.archive_transfer(&transfer.identifier).await?;
        self.record(
            action::UPDATE,
            entity::ARCHIVE_TRANSFER,
            &transfer.identifier,
            Some(&(transfer, archival_ids)),
            after.as_ref(),
        )
        .await
    }

    /// The latest transfer of a deliberation, if any.
    pub async fn act_archiving(
        &mut self,
        deliberation: i64,
    ) -> Result<Option<ActArchiving>, StoreError> {
        let row = sqlx::query(
            "SELECT t.identifier, t.state, a.archival_id, t.replied_at FROM archive_transfer_act a \
             JOIN archive_transfer t ON t.id = a.transfer WHERE a.deliberation = $1 ORDER BY t.id DESC LIMIT 1",
        )
        .bind(deliberation)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(ActArchiving {
                transfer: get(&r, "identifier")?,
                state: get(&r, "state")?,
                archival_id: get(&r, "archival_id")?,
                replied_at: get(&r, "replied_at")?,
            })
        })
        .transpose()
    }

    /// How many transfers exist, to number the next one.
    pub async fn archive_transfer_count(&mut self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM archive_transfer")
            .fetch_one(self.conn())
            .await?;
        get(&row, "n")
    }
}
