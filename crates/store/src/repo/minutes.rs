//! A sitting's minutes after the sitting: the substance of the discussions per item, the
//! item of a later sitting that approves them, their publication. Journaled.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use jiff::civil::Date;
use serde::Serialize;

/// The published minutes of a sitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutesPublication {
    pub sitting: i64,
    pub published_on: Date,
    pub file: i64,
    pub published_by: String,
    pub published_at: String,
}

impl Tx {
    /// Sets (or replaces) the substance of the discussions of an agenda item.
    pub async fn put_discussion(&mut self, item: i64, text: &str) -> Result<(), StoreError> {
        let before = self.discussion(item).await?;
        sqlx::query("DELETE FROM item_discussion WHERE item = $1")
            .bind(item)
            .execute(self.conn())
            .await?;
        sqlx::query("INSERT INTO item_discussion (item, text) VALUES ($1, $2)")
            .bind(item)
            .bind(text.to_string())
            .execute(self.conn())
            .await?;
        self.record(
            if before.is_some() {
                action::UPDATE
            } else {
                action::CREATE
            },
            entity::DISCUSSION,
            &item.to_string(),
            before.as_ref(),
            Some(&text),
        )
        .await
    }

    pub async fn discussion(&mut self, item: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT text FROM item_discussion WHERE item = $1")
            .bind(item)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| get(&r, "text")).transpose()
    }

    /// Records that the item of `report` approves the minutes of `sitting`.
    pub async fn insert_minutes_approval(
        &mut self,
        report: i64,
        sitting: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO minutes_approval (report, sitting) VALUES ($1, $2)")
            .bind(report)
            .bind(sitting)
            .execute(self.conn())
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::MINUTES_APPROVAL,
            &report.to_string(),
            None,
            Some(&sitting),
        )
        .await
    }

    /// The reports of the items that put the minutes of `sitting` to the vote.
    pub async fn minutes_approvals(&mut self, sitting: i64) -> Result<Vec<i64>, StoreError> {
        let rows =
            sqlx::query("SELECT report FROM minutes_approval WHERE sitting = $1 ORDER BY report")
                .bind(sitting)
                .fetch_all(self.conn())
                .await?;
        rows.iter().map(|r| get(r, "report")).collect()
    }

    /// The sitting whose minutes the item of `report` approves, if it does.
    pub async fn minutes_approved_by(&mut self, report: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT sitting FROM minutes_approval WHERE report = $1")
            .bind(report)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| get(&r, "sitting")).transpose()
    }

    pub async fn insert_minutes_publication(
        &mut self,
        p: &MinutesPublication,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO minutes_publication (sitting, published_on, file, published_by, published_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(p.sitting)
        .bind(p.published_on.to_string())
        .bind(p.file)
        .bind(p.published_by.clone())
        .bind(p.published_at.clone())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::MINUTES_PUBLICATION,
            &p.sitting.to_string(),
            None,
            Some(p),
        )
        .await
    }

    pub async fn minutes_publication(
        &mut self,
        sitting: i64,
    ) -> Result<Option<MinutesPublication>, StoreError> {
        let row = sqlx::query("SELECT * FROM minutes_publication WHERE sitting = $1")
            .bind(sitting)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(MinutesPublication {
                sitting: get(&r, "sitting")?,
                published_on: date(&r, "published_on")?,
                file: get(&r, "file")?,
                published_by: get(&r, "published_by")?,
                published_at: get(&r, "published_at")?,
            })
        })
        .transpose()
    }
}
