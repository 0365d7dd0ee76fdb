//! Deliberations imported from archived texts: stored as the importer read them, found by
//! number or id, listed for the search index and the archives export.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

/// One deliberation found in an archived file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedAct {
    /// The file's name as given to `acta import`.
    pub source_file: String,
    /// SHA-256 of the file's bytes, in hexadecimal.
    pub source_sha256: String,
    /// Its place among the deliberations of the file, from 0.
    pub position: i64,
    pub number: Option<String>,
    pub collectivity: Option<String>,
    pub body: Option<String>,
    pub sitting_date: Option<Date>,
    pub title: Option<String>,
    /// The importer's whole record, as JSON.
    pub record: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArchive {
    pub id: i64,
    pub act: ArchivedAct,
}

/// "SELECT <every column> FROM archived_act <tail>", as a static string.
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT id, source_file, source_sha256, position, number, collectivity, body, ",
            "sitting_date, title, record FROM archived_act ",
            $tail
        )
    };
}

fn archive(row: &AnyRow) -> Result<StoredArchive, StoreError> {
    Ok(StoredArchive {
        id: get(row, "id")?,
        act: ArchivedAct {
            source_file: get(row, "source_file")?,
            source_sha256: get(row, "source_sha256")?,
            position: get(row, "position")?,
            number: get(row, "number")?,
            collectivity: get(row, "collectivity")?,
            body: get(row, "body")?,
            sitting_date: opt_date(row, "sitting_date")?,
            title: get(row, "title")?,
            record: get(row, "record")?,
        },
    })
}

impl Tx {
    pub async fn insert_archived_act(&mut self, a: &ArchivedAct) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO archived_act (source_file, source_sha256, position, number, collectivity, \
                     body, sitting_date, title, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(a.source_file.clone())
                .bind(a.source_sha256.clone())
                .bind(a.position)
                .bind(a.number.clone())
                .bind(a.collectivity.clone())
                .bind(a.body.clone())
                .bind(a.sitting_date.map(|d| d.to_string()))
                .bind(a.title.clone())
                .bind(a.record.clone()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::ARCHIVED_ACT,
            &id.to_string(),
            None,
            Some(a),
        )
        .await?;
        Ok(id)
    }

    /// Whether a file with these bytes was already imported.
    pub async fn archived_file_known(&mut self, sha256: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM archived_act WHERE source_sha256 = $1",
        )
        .bind(sha256.to_string())
        .fetch_one(self.conn())
        .await?;
        Ok(get::<i64>(&row, "n")? > 0)
    }

    pub async fn archived_act(&mut self, id: i64) -> Result<Option<StoredArchive>, StoreError> {
        let row = sqlx::query(select!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(archive).transpose()
    }

    /// The archived deliberations with this number (archives of several collectivities may
    /// share one), in import order.
    pub async fn archived_acts_by_number(
        &mut self,
        number: &str,
    ) -> Result<Vec<StoredArchive>, StoreError> {
        let rows = sqlx::query(select!("WHERE number = $1 ORDER BY id"))
            .bind(number.to_string())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(archive).collect()
    }

    /// A page of archived deliberations after `after_id`, in id order: exports and the
    /// search index read them a page at a time.
    pub async fn archived_acts_after(
        &mut self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<StoredArchive>, StoreError> {
        let rows = sqlx::query(select!("WHERE id > $1 ORDER BY id LIMIT $2"))
            .bind(after_id)
            .bind(limit)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(archive).collect()
    }
}
