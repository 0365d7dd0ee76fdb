//! Benchmarks only: grows a fresh register to millions of deliberations in minutes, by
//! copying its one deliberation in SQL. Nothing here is journaled, so it refuses any
//! register but a freshly loaded single-deliberation one (the seed in a bench database).

use acta_store::{Backend, Store, StoreError};
use sqlx::Row;

/// Rows written per statement: one synthetic sitting day.
pub const BATCH: u64 = 1_000;

/// Copies of the source deliberation, numbered "B{day}-{n}"; every other one has its
/// prefecture acknowledgement, every third its budget year; each belongs to the source's
/// collectivity (the pool is bound to none, see `Store::pool`).
const COPY_DELIBERATIONS: &str = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $1) \
     INSERT INTO deliberation (sitting_id, number, title, matter_code, visas_json, considerations_json, \
     articles_json, place, date, signatories_json, outcome, vote_for, vote_against, vote_abstention, \
     vote_not_taking_part, vote_secret, vote_in_office, budget_year, act_id, prefecture_id, prefecture_received_on, \
     collectivity_id) \
     SELECT src.sitting_id, $2 || '-' || n, src.title, src.matter_code, src.visas_json, \
     src.considerations_json, src.articles_json, src.place, $3, src.signatories_json, src.outcome, \
     src.vote_for, src.vote_against, src.vote_abstention, src.vote_not_taking_part, src.vote_secret, \
     src.vote_in_office, CASE WHEN n % 3 = 0 THEN src.budget_year END, \
     CASE WHEN n % 2 = 0 THEN 'BENCH-' || $2 || '-' || n END, \
     CASE WHEN n % 2 = 0 THEN 'PREF062' END, CASE WHEN n % 2 = 0 THEN $3 END, src.collectivity_id \
     FROM seq, deliberation src WHERE src.id = $4";

/// Adds `count` numbered deliberations to a bench register, `BATCH` per day from the
/// source deliberation's date on; `progress` receives the rows written so far.
pub async fn fill_for_export_benchmark(
    store: &Store,
    count: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), StoreError> {
    let refused = || {
        StoreError::Config(
                "Banc d'essai : le remplissage n'est permis que sur une base de banc d'essai neuve (une seule délibération)."
                    .to_string(),
            )
    };
    let rows = sqlx::query("SELECT id, date FROM deliberation")
        .fetch_all(store.pool())
        .await?;
    let [source] = rows.as_slice() else {
        return Err(refused());
    };
    let source_id: i64 = source.try_get("id")?;
    let first_day: String = source.try_get("date")?;
    let first_day: jiff::civil::Date = first_day.parse().map_err(|_| refused())?;
    let mut written = 0u64;
    let mut day = 0i64;
    while written < count {
        let batch = BATCH.min(count - written);
        let date = first_day
            .checked_add(jiff::Span::new().days(day + 1))
            .map_err(|e| StoreError::Config(format!("Banc d'essai : {e}")))?;
        sqlx::query(COPY_DELIBERATIONS)
            .bind(i64::try_from(batch).unwrap_or(i64::MAX))
            .bind(format!("B{}", day + 1))
            .bind(date.to_string())
            .bind(source_id)
            .execute(store.pool())
            .await?;
        written += batch;
        day += 1;
        progress(written);
    }
    // What a running database's autovacuum does in time: statistics, and the visibility
    // map PostgreSQL's index-only scans need.
    let maintenance = match store.backend() {
        Backend::Sqlite => "ANALYZE",
        Backend::Postgres => "VACUUM ANALYZE deliberation",
    };
    sqlx::query(maintenance).execute(store.pool()).await?;
    Ok(())
}
