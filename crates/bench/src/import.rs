//! The importer's benchmark: parsing throughput on a synthetic archive (generated file by
//! file, so memory stays bounded whatever its size), on one core and on every core, against
//! a plain pass over the same text; and, separately, text extraction from real PDFs (the
//! seed's documents rendered by acta) with `pdftotext` and with the pure-Rust reader.

use crate::synthetic_archive::Archive;
use acta_app::archives::extract_text;
use acta_app::documents::render_all;
use acta_app::{Acta, Actor, AppError, DatabaseUrl};
use acta_docs::{DocumentsConfig, Format, Renderer};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Throughput of one pass over the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct Pass {
    pub threads: usize,
    pub seconds: f64,
    pub megabytes_per_second: f64,
    pub files_per_second: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfExtraction {
    pub tool: &'static str,
    pub files: usize,
    pub pdf_megabytes: f64,
    pub seconds: f64,
    pub files_per_second: f64,
    pub pdf_megabytes_per_second: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportBench {
    pub files: u64,
    pub deliberations: u64,
    pub megabytes: f64,
    /// Median of three single-core passes.
    pub single_core: Pass,
    /// Median of three passes on every core.
    pub all_cores: Pass,
    /// Median of three single-core passes of the baseline: folding every line, the least
    /// work that looks at each character (what any reader of the text pays).
    pub baseline_single_core: Pass,
    /// Parsing time over the baseline's, single core.
    pub ratio_to_baseline: f64,
    pub peak_memory_mib: f64,
    pub pdf: Vec<PdfExtraction>,
}

const SEED: u64 = 20_231_120;
const RUNS: usize = 3;

/// Parses (or, for the baseline, folds) the synthetic archive until `bytes` of text were
/// read; each thread generates its own files and only the parsing is timed. Returns the
/// parsing time summed over threads divided by the threads, files, deliberations, bytes.
fn pass(bytes: u64, threads: usize, baseline: bool) -> (Duration, u64, u64, u64) {
    let read = AtomicU64::new(0);
    let files = AtomicU64::new(0);
    let found = AtomicU64::new(0);
    let busy = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (read, files, found, busy) = (&read, &files, &found, &busy);
            scope.spawn(move || {
                let mut archive = Archive::new(SEED + t as u64);
                while read.load(Ordering::Relaxed) < bytes {
                    let (text, _) = archive.next_file();
                    let started = Instant::now();
                    let n = if baseline {
                        u64::from(text.lines().map(acta_domain::french::fold).count() > 0)
                    } else {
                        acta_import::parse_text(&text).deliberations.len() as u64
                    };
                    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    busy.fetch_add(nanos, Ordering::Relaxed);
                    found.fetch_add(n, Ordering::Relaxed);
                    files.fetch_add(1, Ordering::Relaxed);
                    read.fetch_add(text.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    let per_thread = busy.load(Ordering::Relaxed) / threads.max(1) as u64;
    (
        Duration::from_nanos(per_thread),
        files.load(Ordering::Relaxed),
        found.load(Ordering::Relaxed),
        read.load(Ordering::Relaxed),
    )
}

fn median_pass(bytes: u64, threads: usize, baseline: bool) -> (Pass, u64, u64, u64) {
    let mut runs: Vec<(Pass, u64, u64, u64)> = (0..RUNS)
        .map(|_| {
            let (time, files, found, read) = pass(bytes, threads, baseline);
            let seconds = time.as_secs_f64().max(1e-9);
            (
                Pass {
                    threads,
                    seconds,
                    megabytes_per_second: read as f64 / 1e6 / seconds,
                    files_per_second: files as f64 / seconds,
                },
                files,
                found,
                read,
            )
        })
        .collect();
    runs.sort_by(|a, b| a.0.seconds.total_cmp(&b.0.seconds));
    runs.swap_remove(RUNS / 2)
}

/// Renders the seed's deliberation, report and convention to PDF, then extracts their text
/// `repeat` times with each available tool.
async fn pdf_extraction(
    workdir: &std::path::Path,
    repeat: usize,
) -> Result<Vec<PdfExtraction>, AppError> {
    if repeat == 0 {
        return Ok(Vec::new());
    }
    let url = DatabaseUrl::parse(&workdir.join("bench-import.db").to_string_lossy())?;
    let acta = Acta::init(&url).await?;
    acta.load_demo(&Actor::new("bench")).await?;
    let config = DocumentsConfig::embedded()?;
    let docs = acta
        .sitting_documents(
            &config,
            &acta_domain::keys::SittingKey::Date(jiff::civil::date(2023, 11, 20)),
        )
        .await?;
    acta.close().await;
    let renderer = Renderer::new(config, None)?;
    let pdfs: Vec<Vec<u8>> = render_all(&renderer, &docs, &[Format::Pdf], &|_| {})?
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    let mut out = Vec::new();
    type Extract = fn(&[u8]) -> Result<(), String>;
    let tools: [(&'static str, Extract); 2] = [
        ("pdftotext (poppler)", |b| extract_text(b).map(|_| ())),
        ("pdf-extract (Rust pur)", |b| {
            acta_app::archives::pure_rust_text(b).map(|_| ())
        }),
    ];
    for (tool, extract) in tools {
        if tool.starts_with("pdftotext") && !acta_app::archives::pdftotext_installed() {
            continue;
        }
        let started = Instant::now();
        let mut bytes = 0usize;
        for _ in 0..repeat {
            for pdf in &pdfs {
                extract(pdf).map_err(AppError::File)?;
                bytes += pdf.len();
            }
        }
        let seconds = started.elapsed().as_secs_f64().max(1e-9);
        let files = repeat * pdfs.len();
        out.push(PdfExtraction {
            tool,
            files,
            pdf_megabytes: bytes as f64 / 1e6,
            seconds,
            files_per_second: files as f64 / seconds,
            pdf_megabytes_per_second: bytes as f64 / 1e6 / seconds,
        });
    }
    Ok(out)
}

pub async fn import(
    workdir: &std::path::Path,
    megabytes: u64,
    pdfs: usize,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<ImportBench, AppError> {
    let bytes = megabytes.saturating_mul(1_000_000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    progress("Référence (repli de chaque ligne), un cœur", 0, 3);
    let (baseline, ..) = median_pass(bytes, 1, true);
    progress("Analyse, un cœur", 1, 3);
    let (single, files, deliberations, read) = median_pass(bytes, 1, false);
    progress("Analyse, tous les cœurs", 2, 3);
    let (all, ..) = median_pass(bytes, cores, false);
    progress("Extraction du texte des PDF", 3, 3);
    let pdf = pdf_extraction(workdir, pdfs).await?;
    Ok(ImportBench {
        files,
        deliberations,
        megabytes: read as f64 / 1e6,
        ratio_to_baseline: single.seconds / baseline.seconds.max(1e-9),
        single_core: single,
        all_cores: all,
        baseline_single_core: baseline,
        peak_memory_mib: super::peak_memory_mib(),
        pdf,
    })
}
