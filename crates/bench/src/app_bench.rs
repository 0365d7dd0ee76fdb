//! Benchmarks that need the whole application: documents of a synthetic sitting, the SCDL
//! export of a large register, and search (in [`search`]).

use acta_app::documents::render_all;
use acta_app::{Acta, Actor, AppError, DatabaseUrl};
use acta_docs::{Document, DocumentKind, DocumentsConfig, Format, Renderer};
use serde::Serialize;
use std::time::Instant;

/// Figures of one run.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentsBench {
    pub reports: usize,
    pub documents: usize,
    pub pdf_seconds: f64,
    pub documents_per_second: f64,
    pub peak_memory_mib: f64,
    pub pdf_bytes: u64,
    pub libreoffice_seconds: Option<f64>,
    /// LibreOffice's time over acta's, for the same documents, in the same run.
    pub speedup_over_libreoffice: Option<f64>,
}

/// Peak resident memory of this process (Linux), in MiB.
pub fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Renders the deliberation, report and convention of each item of a synthetic sitting of
/// `reports` items to PDF; with `libreoffice` (the `soffice` command), converts the same
/// documents' HTML to PDF in one batch and compares.
pub async fn documents(
    workdir: &std::path::Path,
    reports: usize,
    libreoffice: Option<&str>,
    progress: &(dyn Fn(&str, usize, usize) + Sync),
) -> Result<DocumentsBench, AppError> {
    let url = DatabaseUrl::parse(&workdir.join("bench.db").to_string_lossy())?;
    let acta = Acta::init(&url).await?;
    let dataset = crate::synthetic_register::synthetic_sitting(reports)?;
    progress("Chargement de la séance synthétique", 0, 1);
    acta.load_dataset(&Actor::new("bench"), &dataset).await?;
    let config = DocumentsConfig::embedded()?;
    let docs: Vec<Document> = acta
        .sitting_documents(
            &config,
            &acta_domain::keys::SittingKey::Date(jiff::civil::date(2023, 11, 20)),
        )
        .await?
        .into_iter()
        .filter(|d| {
            matches!(
                d.meta().kind,
                DocumentKind::Deliberation | DocumentKind::Report | DocumentKind::Convention
            )
        })
        .collect();
    acta.close().await;
    let templates = std::env::var_os("ACTA_TEMPLATES").map(std::path::PathBuf::from);
    let renderer = Renderer::new(config, templates.as_deref())?;
    let total = docs.len();
    let started = Instant::now();
    let files = render_all(&renderer, &docs, &[Format::Pdf], &|n| {
        progress("PDF acta", n, total)
    })?;
    let pdf_seconds = started.elapsed().as_secs_f64();
    let pdf_bytes = files.iter().map(|(_, b)| b.len() as u64).sum();
    let peak_memory_mib = peak_memory_mib();
    let (libreoffice_seconds, speedup) = match libreoffice {
        Some(soffice) => {
            let html_dir = workdir.join("html");
            let out_dir = workdir.join("lo-pdf");
            std::fs::create_dir_all(&html_dir).map_err(|e| AppError::File(e.to_string()))?;
            std::fs::create_dir_all(&out_dir).map_err(|e| AppError::File(e.to_string()))?;
            let mut paths = Vec::new();
            for (i, doc) in docs.iter().enumerate() {
                let path = html_dir.join(format!("{i:04}-{}.html", doc.meta().file_stem));
                std::fs::write(&path, renderer.html(doc)?)
                    .map_err(|e| AppError::File(e.to_string()))?;
                paths.push(path);
            }
            progress("LibreOffice", 0, total);
            let started = Instant::now();
            // soffice reads at most about 250 files from its command line: one process per
            // chunk of 200, one after the other, all timed.
            let mut failure = None;
            for chunk in paths.chunks(200) {
                let output = std::process::Command::new(soffice)
                    .args([
                        "--headless",
                        "--norestore",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                    ])
                    .arg(&out_dir)
                    .args(chunk)
                    .env("HOME", workdir)
                    .output()
                    .map_err(|e| AppError::File(format!("LibreOffice ({soffice}) : {e}")))?;
                if !output.status.success() {
                    failure = Some(String::from_utf8_lossy(&output.stderr).into_owned());
                }
                progress(
                    "LibreOffice",
                    std::fs::read_dir(&out_dir).map(|d| d.count()).unwrap_or(0),
                    total,
                );
            }
            let seconds = started.elapsed().as_secs_f64();
            let converted = std::fs::read_dir(&out_dir).map(|d| d.count()).unwrap_or(0);
            if failure.is_some() || converted != total {
                return Err(AppError::File(format!(
                    "LibreOffice n'a converti que {converted} documents sur {total} : {}",
                    failure.unwrap_or_default().lines().last().unwrap_or("")
                )));
            }
            (Some(seconds), Some(seconds / pdf_seconds))
        }
        None => (None, None),
    };
    Ok(DocumentsBench {
        reports,
        documents: total,
        pdf_seconds,
        documents_per_second: total as f64 / pdf_seconds,
        peak_memory_mib,
        pdf_bytes,
        libreoffice_seconds,
        speedup_over_libreoffice: speedup,
    })
}

/// Figures of the SCDL export benchmark.
#[derive(Debug, Clone, Serialize)]
pub struct ExportBench {
    pub backend: &'static str,
    pub rows: u64,
    pub runs: usize,
    /// Median over the runs, seconds.
    pub export_seconds: f64,
    pub rows_per_second: f64,
    /// Reading the same rows from the store without writing CSV, median seconds: the
    /// baseline the export is compared with in the same process.
    pub read_only_seconds: f64,
    pub export_over_read_only: f64,
    pub csv_bytes: u64,
    /// Peak resident memory while exporting (reset before the runs when Linux allows).
    pub peak_memory_mib: f64,
    pub peak_reset: bool,
    pub fill_seconds: f64,
}

/// Asks Linux to forget the peak resident memory so far (clear_refs, value 5).
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A writer that counts and forgets.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Builds a bench register of `rows` deliberations (the seed, then copies) — in an SQLite
/// file of `workdir`, or in a throw-away schema of the `postgres` server, dropped after —
/// and exports it as SCDL `runs` times, against a read-only pass over the same rows.
pub async fn export(
    workdir: &std::path::Path,
    postgres: Option<&str>,
    rows: u64,
    runs: usize,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<ExportBench, AppError> {
    let scratch = match postgres {
        Some(server) => {
            Some(acta_store::scratch::ScratchSchema::create(server, "acta_bench").await?)
        }
        None => None,
    };
    let url = match &scratch {
        Some(s) => s.url().clone(),
        None => DatabaseUrl::parse(&workdir.join("bench.db").to_string_lossy())?,
    };
    let result = export_in(&url, rows, runs, progress).await;
    if let Some(s) = &scratch {
        // ACTA_BENCH_KEEP keeps the PostgreSQL schema too, to look at.
        if std::env::var_os("ACTA_BENCH_KEEP").is_some() {
            eprintln!("Schéma conservé : {}", s.url().redacted());
        } else {
            s.drop_schema().await?;
        }
    }
    result
}

async fn export_in(
    url: &DatabaseUrl,
    rows: u64,
    runs: usize,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<ExportBench, AppError> {
    use futures::StreamExt;
    let acta = Acta::init(url).await?;
    let actor = Actor::new("bench");
    acta.load_demo(&actor).await?;
    // A Luhn-valid SIRET in the seed's SIREN: the seed does not give the head office's.
    acta.set_collectivity_siret(&actor, "22620001200012")
        .await?;
    let started = Instant::now();
    let to_add = rows.saturating_sub(1);
    crate::fill::fill_for_export_benchmark(acta.store(), to_add, &|n| {
        progress("Remplissage", n, to_add)
    })
    .await?;
    let fill_seconds = started.elapsed().as_secs_f64();
    let peak_reset = reset_peak_memory();
    let mut export_times = Vec::new();
    let mut read_times = Vec::new();
    let mut csv_bytes = 0;
    let mut exported = 0;
    for run in 0..runs {
        progress("Lecture seule", run as u64, runs as u64);
        let started = Instant::now();
        let mut stream = acta.store().stream_deliberation_exports();
        let mut read = 0u64;
        while let Some(row) = stream.next().await {
            row?;
            read += 1;
        }
        drop(stream);
        read_times.push(started.elapsed().as_secs_f64());
        progress("Export SCDL", run as u64, runs as u64);
        let started = Instant::now();
        let mut sink = CountingSink(0);
        exported = acta
            .export_scdl_deliberations(std::io::BufWriter::with_capacity(64 * 1024, &mut sink))
            .await?;
        export_times.push(started.elapsed().as_secs_f64());
        csv_bytes = sink.0;
        if read != exported {
            return Err(AppError::File(format!(
                "Banc d'essai : {read} lignes lues mais {exported} exportées."
            )));
        }
    }
    let peak_memory_mib = peak_memory_mib();
    let backend = acta.backend().name();
    acta.close().await;
    let export_seconds = median(export_times);
    let read_only_seconds = median(read_times);
    Ok(ExportBench {
        backend,
        rows: exported,
        runs,
        export_seconds,
        rows_per_second: exported as f64 / export_seconds,
        read_only_seconds,
        export_over_read_only: export_seconds / read_only_seconds,
        csv_bytes,
        peak_memory_mib,
        peak_reset,
        fill_seconds,
    })
}
