//! The search benchmark: a synthetic register of acts indexed by acta's index, by SQLite
//! FTS5 and (given a server) by PostgreSQL full-text search, then the same fixed query set
//! timed on each, in the same run, with the ratios.

use crate::app_bench::median;
use crate::fts::{Fts5Baseline, FtsRow, PostgresFtsBaseline, TypedQuery};
use crate::synthetic_acts::{self as synthetic, BenchQuery};
use acta_app::AppError;
use acta_search::{ActDocument, Audience, SearchIndex, SearchQuery};
use serde::Serialize;
use std::time::Instant;

/// Rows per FTS5 transaction and per PostgreSQL COPY.
const CHUNK: usize = 10_000;

/// One engine's figures.
#[derive(Debug, Clone, Serialize)]
pub struct EngineFigures {
    pub engine: &'static str,
    pub index_seconds: f64,
    pub acts_per_second: f64,
    pub size_bytes: u64,
    /// Over every timed query of every run, milliseconds.
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub queries_timed: usize,
}

/// One query of the set: what each engine found and its median time.
#[derive(Debug, Clone, Serialize)]
pub struct QueryFigures {
    pub text: &'static str,
    pub year: Option<i32>,
    /// Acts acta matched (published only), of which it returned the ten best; 10 000 means
    /// more than 10 000 (`COUNT_BOUND`: counts stop being exact there).
    pub acta_total: usize,
    pub acta_p50_ms: f64,
    /// Rows returned (ten at most).
    pub fts5_hits: usize,
    pub fts5_p50_ms: f64,
    pub postgres_hits: Option<usize>,
    pub postgres_p50_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchBench {
    pub acts: usize,
    pub runs: usize,
    pub generate_seconds: f64,
    pub acta: EngineFigures,
    pub fts5: EngineFigures,
    pub postgres: Option<EngineFigures>,
    /// Whether PostgreSQL folded accents (the `unaccent` extension was available).
    pub postgres_unaccent: Option<bool>,
    /// Baseline time over acta's: how many times faster acta answers.
    pub fts5_over_acta_p50: f64,
    pub fts5_over_acta_p99: f64,
    pub postgres_over_acta_p50: Option<f64>,
    pub postgres_over_acta_p99: Option<f64>,
    /// acta's indexing rate over the baseline's.
    pub acta_over_fts5_indexing: f64,
    pub acta_over_postgres_indexing: Option<f64>,
    pub queries: Vec<QueryFigures>,
}

/// Nearest-rank percentile of `values` (milliseconds), `p` in (0, 100].
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// An engine that answers the query set.
enum Engine<'a> {
    Acta(&'a SearchIndex),
    Fts5(&'a Fts5Baseline),
    Postgres(&'a mut PostgresFtsBaseline),
}

impl Engine<'_> {
    /// Answers `q` as its users would get it; returns how many acts it found (acta: all
    /// matches, the baselines: their ten best).
    async fn answer(&mut self, q: &BenchQuery) -> Result<usize, AppError> {
        Ok(match self {
            Engine::Acta(index) => {
                let query = SearchQuery {
                    text: q.text.to_string(),
                    year: q.year,
                    limit: 10,
                    ..SearchQuery::default()
                };
                index.search(&query, Audience::Public)?.total
            }
            Engine::Fts5(fts) => fts.top10(&TypedQuery::parse(q.text), q.year)?.len(),
            Engine::Postgres(pg) => pg.top10(&TypedQuery::parse(q.text), q.year).await?.len(),
        })
    }
}

/// Times every query of the set `runs` times, after one untimed pass that warms caches.
/// Returns each query's timings (ms) and the size of its last answer.
async fn time_queries(
    mut engine: Engine<'_>,
    queries: &[BenchQuery],
    runs: usize,
) -> Result<Vec<(Vec<f64>, usize)>, AppError> {
    let mut out: Vec<(Vec<f64>, usize)> = vec![(Vec::with_capacity(runs), 0); queries.len()];
    for q in queries {
        engine.answer(q).await?;
    }
    for _ in 0..runs {
        for (q, (times, found)) in queries.iter().zip(out.iter_mut()) {
            let started = Instant::now();
            *found = engine.answer(q).await?;
            times.push(started.elapsed().as_secs_f64() * 1_000.0);
        }
    }
    Ok(out)
}

fn figures(
    engine: &'static str,
    acts: usize,
    index_seconds: f64,
    size_bytes: u64,
    timings: &[(Vec<f64>, usize)],
) -> EngineFigures {
    let all: Vec<f64> = timings
        .iter()
        .flat_map(|(t, _)| t.iter().copied())
        .collect();
    EngineFigures {
        engine,
        index_seconds,
        acts_per_second: acts as f64 / index_seconds.max(f64::MIN_POSITIVE),
        size_bytes,
        latency_p50_ms: percentile(&all, 50.0),
        latency_p99_ms: percentile(&all, 99.0),
        queries_timed: all.len(),
    }
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn beneficiary_names(d: &ActDocument) -> String {
    d.beneficiaries
        .iter()
        .map(|b| b.name.as_str())
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn rows<'a>(docs: &'a [ActDocument], names: &'a [String]) -> Vec<FtsRow<'a>> {
    docs.iter()
        .zip(names)
        .map(|(d, b)| FtsRow {
            key: &d.key,
            title: &d.title,
            text: &d.text,
            beneficiaries: b,
            year: d.year,
            published: d.published,
        })
        .collect()
}

fn ratio(baseline: f64, acta: f64) -> f64 {
    baseline / acta.max(f64::MIN_POSITIVE)
}

/// Generates `acts` synthetic acts, indexes them with each engine (files in `workdir`,
/// PostgreSQL in a throw-away schema of `postgres`, dropped after), and times the fixed
/// query set `runs` times on each.
pub async fn run(
    workdir: &std::path::Path,
    postgres: Option<&str>,
    acts: usize,
    runs: usize,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<SearchBench, AppError> {
    let total = acts as u64;
    let started = Instant::now();
    let mut docs = Vec::with_capacity(acts);
    for n in 0..total {
        docs.push(synthetic::act(n));
        if n % 10_000 == 0 {
            progress("Génération du corpus", n, total);
        }
    }
    let generate_seconds = started.elapsed().as_secs_f64();
    let queries = synthetic::queries();

    // acta's index, built as `acta reindex` builds it.
    progress("Indexation acta (tantivy)", 0, total);
    let index_dir = workdir.join("index");
    let index = SearchIndex::open_or_create(&index_dir)?;
    let started = Instant::now();
    index.update("bench", |u| {
        u.clear()?;
        for (n, d) in docs.iter().enumerate() {
            u.put(d)?;
            if n % 10_000 == 0 {
                progress("Indexation acta (tantivy)", n as u64, total);
            }
        }
        Ok(())
    })?;
    let acta_index_seconds = started.elapsed().as_secs_f64();
    progress("Requêtes acta", 0, 1);
    let acta_times = time_queries(Engine::Acta(&index), &queries, runs).await?;
    let acta = figures(
        "acta (tantivy)",
        acts,
        acta_index_seconds,
        dir_size(&index_dir),
        &acta_times,
    );
    drop(index);

    let names: Vec<String> = docs.iter().map(beneficiary_names).collect();
    let all_rows = rows(&docs, &names);

    // SQLite FTS5.
    let mut fts = Fts5Baseline::create(&workdir.join("fts5.db"))?;
    let started = Instant::now();
    for (i, chunk) in all_rows.chunks(CHUNK).enumerate() {
        progress("Indexation SQLite FTS5", (i * CHUNK) as u64, total);
        fts.insert(chunk)?;
    }
    fts.optimize()?;
    let fts_index_seconds = started.elapsed().as_secs_f64();
    progress("Requêtes SQLite FTS5", 0, 1);
    let fts_times = time_queries(Engine::Fts5(&fts), &queries, runs).await?;
    let fts5 = figures(
        "SQLite FTS5",
        acts,
        fts_index_seconds,
        fts.size_bytes()?,
        &fts_times,
    );
    drop(fts);

    // PostgreSQL full-text search.
    let (pg, pg_times, unaccent) = match postgres {
        Some(server) => {
            let scratch =
                acta_store::scratch::ScratchSchema::create(server, "acta_search_bench").await?;
            let result = postgres_figures(
                scratch.url().as_str(),
                scratch.schema(),
                &all_rows,
                &queries,
                runs,
                progress,
            )
            .await;
            if std::env::var_os("ACTA_BENCH_KEEP").is_some() {
                eprintln!("Schéma conservé : {}", scratch.url().redacted());
            } else {
                scratch.drop_schema().await?;
            }
            let (figures, times, unaccent) = result?;
            (Some(figures), Some(times), Some(unaccent))
        }
        None => (None, None, None),
    };

    let queries = queries
        .iter()
        .enumerate()
        .map(|(i, q)| QueryFigures {
            text: q.text,
            year: q.year,
            acta_total: acta_times[i].1,
            acta_p50_ms: median(acta_times[i].0.clone()),
            fts5_hits: fts_times[i].1,
            fts5_p50_ms: median(fts_times[i].0.clone()),
            postgres_hits: pg_times.as_ref().map(|t| t[i].1),
            postgres_p50_ms: pg_times.as_ref().map(|t| median(t[i].0.clone())),
        })
        .collect();
    Ok(SearchBench {
        acts,
        runs,
        generate_seconds,
        fts5_over_acta_p50: ratio(fts5.latency_p50_ms, acta.latency_p50_ms),
        fts5_over_acta_p99: ratio(fts5.latency_p99_ms, acta.latency_p99_ms),
        postgres_over_acta_p50: pg
            .as_ref()
            .map(|p| ratio(p.latency_p50_ms, acta.latency_p50_ms)),
        postgres_over_acta_p99: pg
            .as_ref()
            .map(|p| ratio(p.latency_p99_ms, acta.latency_p99_ms)),
        acta_over_fts5_indexing: ratio(acta.acts_per_second, fts5.acts_per_second),
        acta_over_postgres_indexing: pg
            .as_ref()
            .map(|p| ratio(acta.acts_per_second, p.acts_per_second)),
        acta,
        fts5,
        postgres: pg,
        postgres_unaccent: unaccent,
        queries,
    })
}

async fn postgres_figures(
    url: &str,
    schema: &str,
    rows: &[FtsRow<'_>],
    queries: &[BenchQuery],
    runs: usize,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<(EngineFigures, Vec<(Vec<f64>, usize)>, bool), AppError> {
    let total = rows.len() as u64;
    let mut pg = PostgresFtsBaseline::create(url, schema).await?;
    let started = Instant::now();
    for (i, chunk) in rows.chunks(CHUNK).enumerate() {
        progress("Indexation PostgreSQL", (i * CHUNK) as u64, total);
        pg.insert(chunk).await?;
    }
    progress("Index GIN PostgreSQL", total, total);
    pg.build_index().await?;
    let index_seconds = started.elapsed().as_secs_f64();
    progress("Requêtes PostgreSQL", 0, 1);
    let times = time_queries(Engine::Postgres(&mut pg), queries, runs).await?;
    let size = pg.size_bytes().await?;
    let unaccent = pg.unaccent;
    pg.close().await?;
    Ok((
        figures("PostgreSQL", rows.len(), index_seconds, size, &times),
        times,
        unaccent,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), 50.0);
        assert_eq!(percentile(&values, 99.0), 99.0);
        assert_eq!(percentile(&values, 100.0), 100.0);
        assert_eq!(percentile(&[3.0], 99.0), 3.0);
        assert_eq!(percentile(&[], 99.0), 0.0);
    }
}
