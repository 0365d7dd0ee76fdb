//! Transmissions to the prefecture through the TdT and the prefecture's replies. Every
//! change of state is journaled with the platform's transaction number.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::transmission::{ReplyAnswer, ReplyKind, TransmissionState};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::any::AnyRow;

/// An act's transmission as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TdtTransmission {
    pub id: i64,
    pub deliberation: i64,
    pub state: TransmissionState,
    /// The platform's transaction, once known.
    pub platform_id: Option<i64>,
    /// Failed tries since the last success.
    pub failures: i64,
    /// Not before this instant (RFC 3339), when the last try failed.
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    /// The signed PDF sent.
    pub act_file: i64,
    /// The annexes sent with it (the report, the conventions), in order.
    pub annex_files: Vec<i64>,
    pub acknowledgement_file: Option<i64>,
    pub stamped_file: Option<i64>,
    pub cancellation_id: Option<i64>,
    pub queued_at: String,
    pub updated_at: String,
}

/// A prefecture's reply as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrefectureReply {
    pub id: i64,
    pub deliberation: i64,
    pub platform_id: i64,
    pub kind: ReplyKind,
    pub letter_date: Date,
    pub description: Option<String>,
    pub archive_file: i64,
    pub letter_file: Option<i64>,
    pub task: String,
    pub deadline: Option<Date>,
    pub answer: Option<ReplyAnswer>,
    pub answer_file: Option<i64>,
    pub answer_platform_id: Option<i64>,
    pub answered_at: Option<String>,
    pub received_at: String,
}

fn transmission(row: &AnyRow) -> Result<TdtTransmission, StoreError> {
    let state: String = get(row, "state")?;
    Ok(TdtTransmission {
        id: get(row, "id")?,
        deliberation: get(row, "deliberation")?,
        state: TransmissionState::parse(&state)
            .ok_or_else(|| StoreError::corrupt("state", state))?,
        platform_id: get(row, "platform_id")?,
        failures: get(row, "failures")?,
        next_attempt_at: get(row, "next_attempt_at")?,
        last_error: get(row, "last_error")?,
        act_file: get(row, "act_file")?,
        annex_files: json(row, "annex_files")?,
        acknowledgement_file: get(row, "acknowledgement_file")?,
        stamped_file: get(row, "stamped_file")?,
        cancellation_id: get(row, "cancellation_id")?,
        queued_at: get(row, "queued_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

fn reply(row: &AnyRow) -> Result<PrefectureReply, StoreError> {
    let kind: String = get(row, "kind")?;
    let answer: Option<String> = get(row, "answer")?;
    let deadline: Option<String> = get(row, "deadline")?;
    Ok(PrefectureReply {
        id: get(row, "id")?,
        deliberation: get(row, "deliberation")?,
        platform_id: get(row, "platform_id")?,
        kind: ReplyKind::parse(&kind).ok_or_else(|| StoreError::corrupt("kind", kind))?,
        letter_date: date(row, "letter_date")?,
        description: get(row, "description")?,
        archive_file: get(row, "archive_file")?,
        letter_file: get(row, "letter_file")?,
        task: get(row, "task")?,
        deadline: deadline
            .map(|d| d.parse().map_err(|_| StoreError::corrupt("deadline", d)))
            .transpose()?,
        answer: answer
            .map(|a| ReplyAnswer::parse("answer", &a).map_err(|_| StoreError::corrupt("answer", a)))
            .transpose()?,
        answer_file: get(row, "answer_file")?,
        answer_platform_id: get(row, "answer_platform_id")?,
        answered_at: get(row, "answered_at")?,
        received_at: get(row, "received_at")?,
    })
}

impl Tx {
    pub async fn insert_tdt_transmission(
        &mut self,
        t: &TdtTransmission,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO tdt_transmission (deliberation, state, platform_id, failures, next_attempt_at, last_error, act_file, acknowledgement_file, stamped_file, cancellation_id, queued_at, updated_at, annex_files) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(t.deliberation)
                .bind(t.state.code())
                .bind(t.platform_id)
                .bind(t.failures)
                .bind(t.next_attempt_at.clone())
                .bind(t.last_error.clone())
                .bind(t.act_file)
                .bind(t.acknowledgement_file)
                .bind(t.stamped_file)
                .bind(t.cancellation_id)
                .bind(t.queued_at.clone())
                .bind(t.updated_at.clone())
                .bind(to_json(&t.annex_files)?),
            )
            .await?;
        let stored = TdtTransmission { id, ..t.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::TDT_TRANSMISSION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Writes a transmission's new state (everything but its act and its queuing).
    pub async fn update_tdt_transmission(&mut self, t: &TdtTransmission) -> Result<(), StoreError> {
        let before = self.tdt_transmission(t.deliberation).await?;
        sqlx::query(
            "UPDATE tdt_transmission SET state = $1, platform_id = $2, failures = $3, next_attempt_at = $4, last_error = $5, \
             acknowledgement_file = $6, stamped_file = $7, cancellation_id = $8, updated_at = $9, act_file = $10, annex_files = $11 WHERE id = $12",
        )
        .bind(t.state.code())
        .bind(t.platform_id)
        .bind(t.failures)
        .bind(t.next_attempt_at.clone())
        .bind(t.last_error.clone())
        .bind(t.acknowledgement_file)
        .bind(t.stamped_file)
        .bind(t.cancellation_id)
        .bind(t.updated_at.clone())
        .bind(t.act_file)
        .bind(to_json(&t.annex_files)?)
        .bind(t.id)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::TDT_TRANSMISSION,
            &t.id.to_string(),
            before.as_ref(),
            Some(t),
        )
        .await
    }

    /// The transmission of a deliberation, if it was queued.
    pub async fn tdt_transmission(
        &mut self,
        deliberation: i64,
    ) -> Result<Option<TdtTransmission>, StoreError> {
        let row = sqlx::query("SELECT * FROM tdt_transmission WHERE deliberation = $1")
            .bind(deliberation)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(transmission).transpose()
    }

    /// The transmissions a run has something to do with, oldest first.
    pub async fn pending_tdt_transmissions(&mut self) -> Result<Vec<TdtTransmission>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM tdt_transmission WHERE state IN ('a-envoyer', 'envoi-a-confirmer', 'deposee', 'annulation-demandee') ORDER BY id",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(transmission).collect()
    }

    /// The transmission a platform transaction belongs to.
    pub async fn tdt_transmission_by_platform_id(
        &mut self,
        platform_id: i64,
    ) -> Result<Option<TdtTransmission>, StoreError> {
        let row = sqlx::query("SELECT * FROM tdt_transmission WHERE platform_id = $1")
            .bind(platform_id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(transmission).transpose()
    }

    pub async fn insert_prefecture_reply(
        &mut self,
        r: &PrefectureReply,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO prefecture_reply (deliberation, platform_id, kind, letter_date, description, archive_file, letter_file, task, deadline, answer, answer_file, answer_platform_id, answered_at, received_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                )
                .bind(r.deliberation)
                .bind(r.platform_id)
                .bind(r.kind.code())
                .bind(r.letter_date.to_string())
                .bind(r.description.clone())
                .bind(r.archive_file)
                .bind(r.letter_file)
                .bind(r.task.clone())
                .bind(r.deadline.map(|d| d.to_string()))
                .bind(r.answer.map(|a| a.code().to_string()))
                .bind(r.answer_file)
                .bind(r.answer_platform_id)
                .bind(r.answered_at.clone())
                .bind(r.received_at.clone()),
            )
            .await?;
        let stored = PrefectureReply { id, ..r.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::PREFECTURE_REPLY,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Records the collectivity's answer to a reply.
    pub async fn answer_prefecture_reply(
        &mut self,
        id: i64,
        answer: ReplyAnswer,
        file: i64,
        platform_id: i64,
        at: &str,
    ) -> Result<(), StoreError> {
        let before = self.prefecture_reply(id).await?;
        sqlx::query(
            "UPDATE prefecture_reply SET answer = $1, answer_file = $2, answer_platform_id = $3, answered_at = $4 WHERE id = $5",
        )
        .bind(answer.code())
        .bind(file)
        .bind(platform_id)
        .bind(at.to_string())
        .bind(id)
        .execute(self.conn())
        .await?;
        let after = self.prefecture_reply(id).await?;
        self.record(
            action::UPDATE,
            entity::PREFECTURE_REPLY,
            &id.to_string(),
            before.as_ref(),
            after.as_ref(),
        )
        .await
    }

    pub async fn prefecture_reply(
        &mut self,
        id: i64,
    ) -> Result<Option<PrefectureReply>, StoreError> {
        let row = sqlx::query("SELECT * FROM prefecture_reply WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(reply).transpose()
    }

    pub async fn prefecture_reply_by_platform_id(
        &mut self,
        platform_id: i64,
    ) -> Result<Option<PrefectureReply>, StoreError> {
        let row = sqlx::query("SELECT * FROM prefecture_reply WHERE platform_id = $1")
            .bind(platform_id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(reply).transpose()
    }

    /// A deliberation's replies, in the order they came.
    pub async fn prefecture_replies(
        &mut self,
        deliberation: i64,
    ) -> Result<Vec<PrefectureReply>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM prefecture_reply WHERE deliberation = $1 ORDER BY id")
                .bind(deliberation)
                .fetch_all(self.conn())
                .await?;
        rows.iter().map(reply).collect()
    }
}
