//! Benchmarks that need the whole application: documents of a synthetic sitting.

use crate::documents::render_all;
use crate::{Acta, Actor, AppError};
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
    let url = crate::DatabaseUrl::parse(&workdir.join("bench.db").to_string_lossy())?;
    let acta = Acta::init(&url).await?;
    let dataset = crate::demo::synthetic_sitting(reports)?;
    progress("Chargement de la séance synthétique", 0, 1);
    acta.load_dataset(&Actor::new("bench"), &dataset).await?;
    let config = DocumentsConfig::embedded()?;
    let docs: Vec<Document> = acta
        .sitting_documents(&config, "2023-11-20")
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
