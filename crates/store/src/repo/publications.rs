//! Publications of acts on the portal and notifications of individual decisions. Both are
//! journaled; a publication's file is never replaced, a withdrawal only adds its date and
//! reason.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::publication::NotificationMeans;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::any::AnyRow;

/// An act's publication as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub id: i64,
    pub deliberation: i64,
    pub published_on: Date,
    pub online_on: Date,
    pub author_name: String,
    pub author_capacity: String,
    /// The PDF put online: the signed one when acta signed the act.
    pub file: i64,
    pub signed: bool,
    pub withdrawn_on: Option<Date>,
    pub withdrawal_reason: Option<String>,
    pub published_by: String,
    pub published_at: String,
}

/// An individual decision's notification as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub award: i64,
    pub notified_on: Date,
    pub means: NotificationMeans,
    pub recorded_by: String,
    pub recorded_at: String,
}

fn publication(row: &AnyRow) -> Result<Publication, StoreError> {
    Ok(Publication {
        id: get(row, "id")?,
        deliberation: get(row, "deliberation")?,
        published_on: date(row, "published_on")?,
        online_on: date(row, "online_on")?,
        author_name: get(row, "author_name")?,
        author_capacity: get(row, "author_capacity")?,
        file: get(row, "file")?,
        signed: flag(row, "signed")?,
        withdrawn_on: opt_date(row, "withdrawn_on")?,
        withdrawal_reason: get(row, "withdrawal_reason")?,
        published_by: get(row, "published_by")?,
        published_at: get(row, "published_at")?,
    })
}

fn notification(row: &AnyRow) -> Result<Notification, StoreError> {
    let means: String = get(row, "means")?;
    Ok(Notification {
        id: get(row, "id")?,
        award: get(row, "award")?,
        notified_on: date(row, "notified_on")?,
        means: NotificationMeans::parse("means", &means)
            .map_err(|_| StoreError::corrupt("means", means))?,
        recorded_by: get(row, "recorded_by")?,
        recorded_at: get(row, "recorded_at")?,
    })
}

impl Tx {
    pub async fn insert_publication(&mut self, p: &Publication) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO publication (deliberation, published_on, online_on, author_name, author_capacity, file, signed, published_by, published_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(p.deliberation)
                .bind(p.published_on.to_string())
                .bind(p.online_on.to_string())
                .bind(p.author_name.clone())
                .bind(p.author_capacity.clone())
                .bind(p.file)
                .bind(bool_int(p.signed))
                .bind(p.published_by.clone())
                .bind(p.published_at.clone()),
            )
            .await?;
        let stored = Publication {
            id,
            withdrawn_on: None,
            withdrawal_reason: None,
            ..p.clone()
        };
        self.record::<(), _>(
            action::CREATE,
            entity::PUBLICATION,
            &p.deliberation.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Records that a published act was withdrawn; it stays listed.
    pub async fn withdraw_publication(
        &mut self,
        deliberation: i64,
        on: Date,
        reason: &str,
    ) -> Result<(), StoreError> {
        let before = self.publication(deliberation).await?;
        sqlx::query(
            "UPDATE publication SET withdrawn_on = $1, withdrawal_reason = $2 WHERE deliberation = $3 AND withdrawn_on IS NULL",
        )
        .bind(on.to_string())
        .bind(reason.to_string())
        .bind(deliberation)
        .execute(self.conn())
        .await?;
        let after = self.publication(deliberation).await?;
        self.record(
            action::UPDATE,
            entity::PUBLICATION,
            &deliberation.to_string(),
            before.as_ref(),
            after.as_ref(),
        )
        .await
    }

    /// The publication of a deliberation, if it was published.
    pub async fn publication(
        &mut self,
        deliberation: i64,
    ) -> Result<Option<Publication>, StoreError> {
        let row = sqlx::query("SELECT * FROM publication WHERE deliberation = $1")
            .bind(deliberation)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(publication).transpose()
    }

    pub async fn insert_notification(&mut self, n: &Notification) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO notification (award, notified_on, means, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(n.award)
                .bind(n.notified_on.to_string())
                .bind(n.means.code())
                .bind(n.recorded_by.clone())
                .bind(n.recorded_at.clone()),
            )
            .await?;
        let stored = Notification { id, ..n.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::NOTIFICATION,
            &n.award.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// The notification of an award, if it was notified.
    pub async fn notification(&mut self, award: i64) -> Result<Option<Notification>, StoreError> {
        let row = sqlx::query("SELECT * FROM notification WHERE award = $1")
            .bind(award)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(notification).transpose()
    }
}
