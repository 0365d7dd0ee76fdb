//! `acta bench`: the benchmarks' arguments, and each run with a progress bar, a French
//! summary or `--json`. Help texts are French: they are what users read.

use acta_app::AppError;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Édite les délibérations, rapports et conventions d'une Commission permanente
    /// synthétique, et compare à LibreOffice quand il est installé.
    Documents {
        /// Nombre de rapports de la séance (3 documents chacun).
        #[arg(long, default_value_t = 300)]
        reports: usize,
        /// Ne pas lancer la comparaison avec LibreOffice.
        #[arg(long)]
        no_libreoffice: bool,
    },
    /// Exporte en SCDL un registre synthétique de N délibérations (SQLite temporaire, ou
    /// un schéma jetable sur le serveur PostgreSQL donné), contre une simple lecture.
    Export {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Serveur PostgreSQL (postgres://…) où créer puis supprimer un schéma de travail.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
    /// Indexe un corpus synthétique d'actes avec l'index d'acta, SQLite FTS5 et (si un
    /// serveur est donné) PostgreSQL, puis chronomètre les mêmes recherches sur chacun.
    Search {
        /// Nombre d'actes du corpus.
        #[arg(long, default_value_t = 1_000_000)]
        acts: usize,
        /// Passages chronométrés sur le jeu de requêtes.
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Serveur PostgreSQL (postgres://…) où créer puis supprimer un schéma de travail.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
    /// Lit un corpus synthétique de délibérations archivées : débit de l'analyse (Mo/s,
    /// fichiers/s) sur un cœur puis sur tous, et, à part, l'extraction de texte des PDF.
    Import(ImportBenchArgs),
    /// Charge un serveur acta déjà lancé à débit fixe (boucle ouverte) et mesure les
    /// latences depuis l'instant où chaque requête était due : p50, p90, p99, max.
    Web(WebBenchArgs),
}

#[derive(Debug, Args)]
pub struct WebBenchArgs {
    /// Adresse complète, ex. http://127.0.0.1:8080/api/deliberations/2023-479.
    pub url: String,
    /// Requêtes par seconde.
    #[arg(long, default_value_t = 1000)]
    pub rate: u32,
    /// Durée de la mesure, en secondes.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Connexions HTTP/1.1 maintenues ouvertes.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
}

#[derive(Debug, Args)]
pub struct ImportBenchArgs {
    /// Mégaoctets de texte du corpus synthétique.
    #[arg(long, default_value_t = 200)]
    pub megabytes: u64,
    /// Fichiers PDF extraits avec pdftotext pour la mesure séparée (0 : aucune).
    #[arg(long, default_value_t = 20)]
    pub pdfs: usize,
}

fn print_json<T: Serialize>(value: &T) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| AppError::File(format!("Sortie JSON impossible : {e}")))?;
    println!("{text}");
    Ok(())
}

/// A bar on standard error whose steps name themselves (see `steps`).
fn bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}") {
        bar.set_style(style);
    }
    bar
}

/// Runs one benchmark; `json` prints its figures for machines instead of French sentences.
pub async fn run(cmd: BenchCommand, json: bool) -> Result<(), AppError> {
    match cmd {
        BenchCommand::Documents {
            reports,
            no_libreoffice,
        } => documents(reports, no_libreoffice, json).await,
        BenchCommand::Export {
            rows,
            runs,
            postgres,
        } => export(rows, runs, postgres.as_deref(), json).await,
        BenchCommand::Search {
            acts,
            runs,
            postgres,
        } => search(acts, runs, postgres.as_deref(), json).await,
        BenchCommand::Import(args) => import(&args, json).await,
        BenchCommand::Web(args) => web(&args, json).await,
    }
}

fn warn_if_debug() {
    if cfg!(debug_assertions) {
        eprintln!("Attention : binaire de débogage ; mesurez avec cargo run --release.");
    }
}

/// Shows each step's name and progress on `bar`.
fn steps(bar: &indicatif::ProgressBar) -> impl Fn(&str, u64, u64) + Sync + '_ {
    move |step, n, total| {
        bar.set_message(step.to_string());
        bar.set_length(total);
        bar.set_position(n);
    }
}

/// What every measurement shares: a warning on debug builds, a work folder and a progress
/// bar. Gives the result back to be printed in words, or nothing once printed as JSON.
async fn measured<T: Serialize>(
    json: bool,
    work: impl AsyncFnOnce(&Path, &(dyn Fn(&str, u64, u64) + Sync)) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    warn_if_debug();
    let (workdir, _cleanup) = workdir()?;
    let bar = bar();
    let result = work(&workdir, &steps(&bar)).await;
    bar.finish_and_clear();
    let result = result?;
    if json {
        print_json(&result)?;
        return Ok(None);
    }
    Ok(Some(result))
}

/// A temporary work folder, removed when the guard drops; ACTA_BENCH_KEEP keeps it (and
/// says where) to look at its databases and files.
fn workdir() -> Result<(PathBuf, Option<tempfile::TempDir>), AppError> {
    let dir =
        tempfile::tempdir().map_err(|e| AppError::File(format!("Dossier temporaire : {e}")))?;
    if std::env::var_os("ACTA_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        eprintln!("Dossier de travail conservé : {}", kept.display());
        Ok((kept, None))
    } else {
        Ok((dir.path().to_path_buf(), Some(dir)))
    }
}

/// The `soffice` command, when LibreOffice is installed.
fn find_soffice() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
}

pub async fn documents(reports: usize, no_libreoffice: bool, json: bool) -> Result<(), AppError> {
    let soffice = if no_libreoffice { None } else { find_soffice() };
    let Some(result) = measured(json, async |dir, steps| {
        let progress = |step: &str, n: usize, total: usize| steps(step, n as u64, total as u64);
        crate::documents(dir, reports, soffice.as_deref(), &progress).await
    })
    .await?
    else {
        return Ok(());
    };
    println!(
        "{} documents ({} rapports × délibération, rapport, convention) en PDF/A : {:.2} s, {:.1} documents/s, mémoire maximale {:.0} Mio, {:.1} Mo de PDF.",
        result.documents,
        result.reports,
        result.pdf_seconds,
        result.documents_per_second,
        result.peak_memory_mib,
        result.pdf_bytes as f64 / 1e6
    );
    match (result.libreoffice_seconds, result.speedup_over_libreoffice) {
        (Some(lo), Some(ratio)) => println!(
            "LibreOffice (HTML → PDF, mêmes documents, par lots de 200 : limite d’arguments de soffice) : {lo:.2} s ; acta est {ratio:.1} fois plus rapide."
        ),
        _ => println!("LibreOffice absent (soffice) : pas de comparaison."),
    }
    Ok(())
}

pub async fn export(
    rows: u64,
    runs: usize,
    postgres: Option<&str>,
    json: bool,
) -> Result<(), AppError> {
    let Some(result) = measured(json, async |dir, steps| {
        crate::export(dir, postgres, rows, runs.max(1), steps).await
    })
    .await?
    else {
        return Ok(());
    };
    println!(
        "{} : {} délibérations exportées en SCDL en {:.2} s (médiane de {}), soit {:.0} lignes/s ; lecture seule {:.2} s (export/lecture : {:.2}) ; {:.1} Mo de CSV ; mémoire maximale pendant l'export {:.0} Mio{}.",
        result.backend,
        result.rows,
        result.export_seconds,
        result.runs,
        result.rows_per_second,
        result.read_only_seconds,
        result.export_over_read_only,
        result.csv_bytes as f64 / 1e6,
        result.peak_memory_mib,
        if result.peak_reset {
            ""
        } else {
            " (pic du processus entier : remise à zéro impossible)"
        }
    );
    Ok(())
}

pub async fn search(
    acts: usize,
    runs: usize,
    postgres: Option<&str>,
    json: bool,
) -> Result<(), AppError> {
    let Some(result) = measured(json, async |dir, steps| {
        crate::search::run(dir, postgres, acts, runs.max(1), steps).await
    })
    .await?
    else {
        return Ok(());
    };
    println!(
        "{} actes synthétiques, {} requêtes × {} passages (Audience publique, dix meilleurs résultats).",
        result.acts,
        result.queries.len(),
        result.runs
    );
    let engines = [
        Some(&result.acta),
        Some(&result.fts5),
        result.postgres.as_ref(),
    ];
    for e in engines.into_iter().flatten() {
        println!(
            "  {:<16} indexation {:>8.1} s ({:>7.0} actes/s) ; {:>7.1} Mo ; latence p50 {:>8.2} ms, p99 {:>8.2} ms",
            e.engine,
            e.index_seconds,
            e.acts_per_second,
            e.size_bytes as f64 / 1e6,
            e.latency_p50_ms,
            e.latency_p99_ms
        );
    }
    println!(
        "SQLite FTS5 / acta : p50 × {:.1}, p99 × {:.1} ; indexation acta / FTS5 × {:.1}.",
        result.fts5_over_acta_p50, result.fts5_over_acta_p99, result.acta_over_fts5_indexing
    );
    if let (Some(p50), Some(p99), Some(indexing)) = (
        result.postgres_over_acta_p50,
        result.postgres_over_acta_p99,
        result.acta_over_postgres_indexing,
    ) {
        println!(
            "PostgreSQL / acta : p50 × {p50:.1}, p99 × {p99:.1} ; indexation acta / PostgreSQL × {indexing:.1}{}.",
            if result.postgres_unaccent == Some(false) {
                " (sans unaccent : accents non repliés)"
            } else {
                ""
            }
        );
    }
    println!("Par requête (trouvés ; médiane ms) :");
    for q in &result.queries {
        let year = q.year.map(|y| format!(" [{y}]")).unwrap_or_default();
        let pg = match (q.postgres_hits, q.postgres_p50_ms) {
            (Some(h), Some(ms)) => format!(" ; PostgreSQL {h} ; {ms:.2}"),
            _ => String::new(),
        };
        println!(
            "  {:<32} acta {} ; {:.2} | FTS5 {} ; {:.2}{pg}",
            format!("{}{year}", q.text),
            q.acta_total,
            q.acta_p50_ms,
            q.fts5_hits,
            q.fts5_p50_ms
        );
    }
    Ok(())
}

pub async fn import(args: &ImportBenchArgs, json: bool) -> Result<(), AppError> {
    let Some(result) = measured(json, async |dir, steps| {
        crate::import::import(dir, args.megabytes, args.pdfs, steps).await
    })
    .await?
    else {
        return Ok(());
    };
    println!(
        "Corpus synthétique : {:.1} Mo de texte, {} fichiers, {} délibérations.",
        result.megabytes, result.files, result.deliberations
    );
    let pass = |label: &str, p: &crate::import::Pass| {
        println!(
            "{label} ({} fil(s)) : {:.1} Mo/s, {:.0} fichiers/s (médiane de 3 passes, {:.2} s)",
            p.threads, p.megabytes_per_second, p.files_per_second, p.seconds
        );
    };
    pass("Analyse, un cœur", &result.single_core);
    pass("Analyse, tous les cœurs", &result.all_cores);
    pass(
        "Référence : repli de chaque ligne, un cœur",
        &result.baseline_single_core,
    );
    println!(
        "L'analyse prend {:.1} fois le temps de la référence ; mémoire maximale {:.0} Mio.",
        result.ratio_to_baseline, result.peak_memory_mib
    );
    for p in &result.pdf {
        println!(
            "Extraction PDF, {} : {} fichiers, {:.1} fichiers/s, {:.2} Mo de PDF/s.",
            p.tool, p.files, p.files_per_second, p.pdf_megabytes_per_second
        );
    }
    Ok(())
}

/// Open-loop load on a running server (see `acta_server::load`).
pub async fn web(args: &WebBenchArgs, json: bool) -> Result<(), AppError> {
    warn_if_debug();
    let invalid = || {
        AppError::Domain(acta_domain::DomainError::field(
            "url",
            format!(
                "Adresse : « {} » ne convient pas (attendu : http://hôte:port/chemin).",
                args.url
            ),
        ))
    };
    let rest = args.url.strip_prefix("http://").ok_or_else(invalid)?;
    let (addr, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if addr.is_empty() {
        return Err(invalid());
    }
    if !(1..=1_000_000).contains(&args.rate) || !(1..=3_600).contains(&args.seconds) {
        return Err(AppError::Domain(acta_domain::DomainError::field(
            "rate",
            "Charge : de 1 à 1 000 000 requêtes par seconde, pendant 1 à 3 600 secondes.",
        )));
    }
    let plan = crate::load::LoadPlan {
        addr: addr.to_string(),
        path: path.to_string(),
        rate_per_second: args.rate,
        duration: std::time::Duration::from_secs(args.seconds),
        connections: args.connections,
    };
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(format!(
        "{} requêtes/s pendant {} s sur {}…",
        args.rate, args.seconds, args.url
    ));
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let report = crate::load::run(&plan).await.map_err(AppError::File);
    spinner.finish_and_clear();
    let report = report?;
    if json {
        return print_json(&report);
    }
    println!(
        "{} : {} requêtes ({} en erreur), {:.0}/s pour {}/s visées, {} connexions",
        report.path,
        report.requests,
        report.errors,
        report.achieved_rate,
        report.target_rate,
        report.connections
    );
    println!(
        "Latence depuis l'instant prévu : p50 {:.2} ms · p90 {:.2} ms · p99 {:.2} ms · max {:.2} ms",
        report.p50_ms, report.p90_ms, report.p99_ms, report.max_ms
    );
    Ok(())
}
