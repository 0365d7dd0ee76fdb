//! What open data and the prefecture exchange read: deliberations as flat rows, streamed;
//! the prefecture's acknowledgements; subsidies read from other collectivities' files.

use super::{action, entity};
use crate::codec::*;
use crate::{Store, StoreError, Tx};
use acta_domain::deliberation::Deliberation;
use acta_domain::subsidy::SubsidyRecord;

use acta_domain::Id;
use futures::stream::{BoxStream, StreamExt};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One numbered deliberation, flat, as the SCDL file needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliberationExport {
    pub number: String,
    /// ISO date.
    pub date: String,
    pub title: String,
    pub matter_code: Option<String>,
    pub outcome: Option<String>,
    pub vote_for: Option<i64>,
    pub vote_against: Option<i64>,
    pub vote_abstention: Option<i64>,
    /// Members entitled to vote, frozen with the vote.
    pub in_office: Option<i64>,
    /// The budget year of its awards, if it awards anything.
    pub budget_year: Option<i64>,
    pub prefecture_id: Option<String>,
    pub received_on: Option<String>,
}

/// The prefecture's acknowledgement of an act (actes:ARActe).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transmission {
    pub act_id: String,
    pub prefecture_id: String,
    pub received_on: Date,
}

/// A subsidy published by another collectivity, read from its SCDL file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalSubsidy {
    /// The file it was read from.
    pub source: String,
    pub source_line: i64,
    #[serde(flatten)]
    pub subsidy: SubsidyRecord,
}

/// The collectivity is named although PostgreSQL's row-level security would keep the
/// others out: the reading connection is the driver's own, outside the store's `Tx`.
const EXPORT_SQL: &str = "SELECT number, date, title, matter_code, outcome, vote_for, vote_against, \
     vote_abstention, vote_in_office, budget_year, prefecture_id, prefecture_received_on \
     FROM deliberation WHERE number IS NOT NULL AND collectivity_id = $1 ORDER BY date, id";

/// Rows handed from the reading thread to the writer at a time: the channel holds at most
/// `CHANNEL_BATCHES` of them, so memory stays flat whatever the register's size.
const BATCH_ROWS: usize = 1024;
const CHANNEL_BATCHES: usize = 4;

type Batch = Result<Vec<DeliberationExport>, StoreError>;

impl Store {
    /// Every numbered deliberation, oldest first, streamed in constant memory. The rows
    /// come from one index (see migration 0004) through each database's own driver: the
    /// generic driver's per-row cost would dominate a million-row export.
    pub fn stream_deliberation_exports(
        &self,
    ) -> BoxStream<'static, Result<DeliberationExport, StoreError>> {
        let (sender, receiver) = tokio::sync::mpsc::channel::<Batch>(CHANNEL_BATCHES);
        let collectivity = self.collectivity();
        match self.url.sqlite_path() {
            Some(path) => {
                let path = path.to_string();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = sqlite_export(&path, collectivity, &sender) {
                        // The reader is gone when sending fails: nothing is left to tell.
                        let _ = sender.blocking_send(Err(e));
                    }
                });
            }
            None => {
                let url = self.url.as_str().to_string();
                let tenant_role = self.tenant_role();
                tokio::spawn(async move {
                    if let Err(e) = postgres_export(&url, collectivity, tenant_role, &sender).await
                    {
                        let _ = sender.send(Err(e)).await;
                    }
                });
            }
        }
        futures::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|batch| (batch, receiver))
        })
        .flat_map(|batch| match batch {
            Ok(rows) => futures::stream::iter(rows.into_iter().map(Ok)).left_stream(),
            Err(e) => futures::stream::once(std::future::ready(Err(e))).right_stream(),
        })
        .boxed()
    }
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::Config(format!("Base de données : {e}"))
}

fn sqlite_export(
    path: &str,
    collectivity: i64,
    sender: &tokio::sync::mpsc::Sender<Batch>,
) -> Result<(), StoreError> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_error)?;
    conn.busy_timeout(std::time::Duration::from_secs(60))
        .map_err(sqlite_error)?;
    let mut statement = conn.prepare(EXPORT_SQL).map_err(sqlite_error)?;
    let mut rows = statement.query([collectivity]).map_err(sqlite_error)?;
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        batch.push(DeliberationExport {
            number: row.get(0).map_err(sqlite_error)?,
            date: row.get(1).map_err(sqlite_error)?,
            title: row.get(2).map_err(sqlite_error)?,
            matter_code: row.get(3).map_err(sqlite_error)?,
            outcome: row.get(4).map_err(sqlite_error)?,
            vote_for: row.get(5).map_err(sqlite_error)?,
            vote_against: row.get(6).map_err(sqlite_error)?,
            vote_abstention: row.get(7).map_err(sqlite_error)?,
            in_office: row.get(8).map_err(sqlite_error)?,
            budget_year: row.get(9).map_err(sqlite_error)?,
            prefecture_id: row.get(10).map_err(sqlite_error)?,
            received_on: row.get(11).map_err(sqlite_error)?,
        });
        if batch.len() == BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            if sender.blocking_send(Ok(full)).is_err() {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.blocking_send(Ok(batch));
    }
    Ok(())
}

async fn postgres_export(
    url: &str,
    collectivity: i64,
    tenant_role: bool,
    sender: &tokio::sync::mpsc::Sender<Batch>,
) -> Result<(), StoreError> {
    use sqlx::{Connection, Row};
    let mut conn = sqlx::PgConnection::connect(url).await?;
    // Compiling this plain index scan costs more than running it.
    sqlx::query("SET jit = off").execute(&mut conn).await?;
    // Bound to the collectivity as the store's own transactions are (see `tenancy`).
    sqlx::query("BEGIN READ ONLY").execute(&mut conn).await?;
    sqlx::query(crate::tenancy::bind_sql(tenant_role))
        .bind(collectivity.to_string())
        .bind(crate::TENANT_ROLE)
        .execute(&mut conn)
        .await?;
    let mut rows = sqlx::query(EXPORT_SQL).bind(collectivity).fetch(&mut conn);
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some(row) = rows.next().await {
        let row = row?;
        batch.push(DeliberationExport {
            number: row.try_get(0)?,
            date: row.try_get(1)?,
            title: row.try_get(2)?,
            matter_code: row.try_get(3)?,
            outcome: row.try_get(4)?,
            vote_for: row.try_get(5)?,
            vote_against: row.try_get(6)?,
            vote_abstention: row.try_get(7)?,
            in_office: row.try_get(8)?,
            budget_year: row.try_get(9)?,
            prefecture_id: row.try_get(10)?,
            received_on: row.try_get(11)?,
        });
        if batch.len() == BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            if sender.send(Ok(full)).await.is_err() {
                return Ok(());
            }
        }
    }
    drop(rows);
    if !batch.is_empty() {
        let _ = sender.send(Ok(batch)).await;
    }
    sqlx::query("COMMIT").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

impl Tx {
    pub async fn transmission(
        &mut self,
        d: Id<Deliberation>,
    ) -> Result<Option<Transmission>, StoreError> {
        let row = sqlx::query(
            "SELECT act_id, prefecture_id, prefecture_received_on FROM deliberation WHERE id = $1 AND act_id IS NOT NULL",
        )
        .bind(d.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(Transmission {
                act_id: get(&r, "act_id")?,
                prefecture_id: get(&r, "prefecture_id")?,
                received_on: date(&r, "prefecture_received_on")?,
            })
        })
        .transpose()
    }

    /// Records the prefecture's acknowledgement on the deliberation.
    pub async fn insert_transmission(
        &mut self,
        d: Id<Deliberation>,
        t: &Transmission,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE deliberation SET act_id = $1, prefecture_id = $2, prefecture_received_on = $3 WHERE id = $4",
        )
        .bind(t.act_id.clone())
        .bind(t.prefecture_id.clone())
        .bind(t.received_on.to_string())
        .bind(d.get())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::TRANSMISSION,
            &d.to_string(),
            None,
            Some(t),
        )
        .await
    }

    /// The budget year of a deliberation's adopted awards (SCDL's BUDGET_ANNEE).
    pub async fn set_deliberation_budget_year(
        &mut self,
        d: Id<Deliberation>,
        year: Option<i16>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE deliberation SET budget_year = $1 WHERE id = $2")
            .bind(year.map(i64::from))
            .bind(d.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn insert_external_subsidy(&mut self, e: &ExternalSubsidy) -> Result<(), StoreError> {
        let s = &e.subsidy;
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO external_subsidy (source, source_line, grantor_name, grantor_siret, convention_date, \
                     decision_reference, beneficiary_name, beneficiary_siret, beneficiary_rna, object, amount, nature, \
                     payment_terms, payment_period, rae_id, eu_notified, share_basis_points, scheme) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
                )
                .bind(e.source.clone())
                .bind(e.source_line)
                .bind(s.grantor_name.clone())
                .bind(s.grantor_siret.as_ref().map(|x| x.as_str().to_string()))
                .bind(s.convention_date.to_string())
                .bind(s.decision_reference.clone())
                .bind(s.beneficiary_name.clone())
                .bind(s.beneficiary_siret.as_ref().map(|x| x.as_str().to_string()))
                .bind(s.beneficiary_rna.as_ref().map(|x| x.as_str().to_string()))
                .bind(s.object.clone())
                .bind(s.amount.centimes())
                .bind(s.nature.clone())
                .bind(s.payment_terms.clone())
                .bind(s.payment_period.clone())
                .bind(s.rae_id.clone())
                .bind(s.eu_notified.map(bool_int))
                .bind(s.share_basis_points.map(i64::from))
                .bind(s.scheme.clone()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::EXTERNAL_SUBSIDY,
            &id.to_string(),
            None,
            Some(e),
        )
        .await
    }

    pub async fn external_subsidies_count(&mut self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM external_subsidy")
            .fetch_one(self.conn())
            .await?;
        get(&row, "n")
    }
}
