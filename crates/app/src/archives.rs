//! Archived deliberations: files (PDF or text) read into structured records by the importer,
//! on every core, and stored as archived acts in one transaction; then shown, searched and
//! exported like the register's own acts.

use crate::{Acta, Actor, AppError};
use acta_import::{ImportedDeliberation, ImportedFile};
use acta_store::{ArchivedAct, StoredArchive};
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How the text of a file was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Extraction {
    /// A text file, read as it is.
    Text,
    /// A PDF, through poppler's `pdftotext`.
    Pdftotext,
    /// A PDF, through the pure-Rust reader, when `pdftotext` is not installed.
    PureRust,
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub file: String,
    /// "importé", "déjà importé", "illisible", "ignoré" or "aucune délibération".
    pub status: &'static str,
    pub extraction: Option<Extraction>,
    pub deliberations: usize,
    pub fields: usize,
    /// The importer's warnings and, for an unreadable file, why; in French.
    pub warnings: Vec<String>,
}

/// The closing summary of an import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchiveImport {
    pub files_read: usize,
    pub files_imported: usize,
    pub files_already_imported: usize,
    pub files_unreadable: usize,
    /// Links that lead nowhere or in circles, pipes, devices, files over the size limit.
    pub files_skipped: usize,
    pub deliberations: usize,
    pub fields: usize,
    pub warnings: usize,
    pub files: Vec<FileOutcome>,
}

/// Larger files are not read: a scanned recueil of several hundred pages stays below it.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// Larger extracted texts are not parsed: the parser needs several times the text's size,
/// and a few hundred deliberations' text stays well below it.
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// The files to read, and what was left aside while walking (links that lead nowhere or
/// round in circles, pipes and devices), each with why.
#[derive(Debug, Default)]
pub struct ArchiveFiles {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<FileOutcome>,
}

fn skipped(path: &Path, why: impl Into<String>) -> FileOutcome {
    FileOutcome {
        file: path.display().to_string(),
        status: "ignoré",
        extraction: None,
        deliberations: 0,
        fields: 0,
        warnings: vec![why.into()],
    }
}

/// The PDF and text files of the given paths; folders are walked, in name order. Links
/// are followed once: a folder already walked (a link to itself or a parent) is not walked
/// again. A path given by the user that does not exist is an error; anything found while
/// walking that cannot be read is reported and the walk goes on.
pub fn archive_files(paths: &[PathBuf]) -> Result<ArchiveFiles, AppError> {
    let mut out = ArchiveFiles::default();
    let mut walked = HashSet::new();
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(AppError::File(format!(
                "{} : fichier introuvable.",
                path.display()
            )));
        }
        collect(path, &mut walked, &mut out);
    }
    Ok(out)
}

fn collect(path: &Path, walked: &mut HashSet<PathBuf>, out: &mut ArchiveFiles) {
    // Follows links: a dangling one has no metadata.
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let why = if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
                "lien symbolique cassé : ignoré".to_string()
            } else {
                format!(
                    "lecture impossible : {}",
                    acta_domain::french::io_reason(&e)
                )
            };
            out.skipped.push(skipped(path, why));
            return;
        }
    };
    if metadata.is_dir() {
        let Ok(real) = std::fs::canonicalize(path) else {
            out.skipped
                .push(skipped(path, "dossier illisible : ignoré"));
            return;
        };
        if !walked.insert(real) {
            out.skipped.push(skipped(
                path,
                "dossier déjà parcouru (lien symbolique en boucle) : ignoré",
            ));
            return;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                out.skipped.push(skipped(
                    path,
                    format!("dossier illisible : {}", acta_domain::french::io_reason(&e)),
                ));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let is_dir = std::fs::metadata(&entry).is_ok_and(|m| m.is_dir());
            if is_dir || is_archive(&entry) {
                collect(&entry, walked, out);
            }
        }
        return;
    }
    if !metadata.is_file() {
        // A pipe would block the reader forever, a device (/dev/zero) never ends.
        out.skipped.push(skipped(
            path,
            "ni fichier ni dossier (tube, périphérique ou socket) : ignoré",
        ));
        return;
    }
    if metadata.len() > MAX_FILE_BYTES {
        out.skipped.push(skipped(
            path,
            format!(
                "fichier de {} Mio, au-delà de la limite de {} Mio : ignoré",
                metadata.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
        return;
    }
    out.files.push(path.to_path_buf());
}

fn is_archive(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "pdf" | "txt" | "text"))
}

/// The text of a file: PDFs through `pdftotext` (poppler), or the pure-Rust reader when it
/// is missing; any other file as text.
pub fn extract_text(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, Extraction), String> {
    if !bytes.starts_with(b"%PDF-") {
        return Ok((Cow::Borrowed(bytes), Extraction::Text));
    }
    match pdftotext(bytes) {
        Ok(text) => Ok((Cow::Owned(text), Extraction::Pdftotext)),
        Err(PdftotextError::Missing) => {
            pure_rust_text(bytes).map(|t| (Cow::Owned(t), Extraction::PureRust))
        }
        Err(PdftotextError::Failed(message)) => Err(message),
    }
}

enum PdftotextError {
    Missing,
    Failed(String),
}

fn pdftotext(bytes: &[u8]) -> Result<Vec<u8>, PdftotextError> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PdftotextError::Missing,
            _ => PdftotextError::Failed(format!("pdftotext : {e}")),
        })?;
    // The PDF is written from another thread so that a large output cannot block the pipe;
    // the pipe closes when that thread ends. The text is read up to the limit only: past
    // it, pdftotext is stopped (a small PDF can expand into gigabytes of text).
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (text, message) = std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(bytes);
            }
        });
        let errors = scope.spawn(move || read_capped(stderr, 64 * 1024));
        let text = read_capped(stdout, MAX_TEXT_BYTES);
        (text, errors.join().unwrap_or_default())
    });
    let too_long = text.len() as u64 > MAX_TEXT_BYTES;
    if too_long {
        let _ = child.kill();
    }
    let status = child
        .wait()
        .map_err(|e| PdftotextError::Failed(format!("pdftotext : {e}")))?;
    if too_long {
        return Err(PdftotextError::Failed(too_long_text()));
    }
    if !status.success() {
        let message = String::from_utf8_lossy(&message).trim().to_string();
        return Err(PdftotextError::Failed(format!(
            "PDF illisible par pdftotext : {message}"
        )));
    }
    Ok(text)
}

/// Reads at most `limit` + 1 bytes, so that the caller can tell the limit was passed.
fn read_capped(source: Option<impl std::io::Read>, limit: u64) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(source) = source {
        let _ = std::io::Read::read_to_end(&mut source.take(limit + 1), &mut out);
    }
    out
}

fn too_long_text() -> String {
    format!(
        "texte extrait de plus de {} Mio : trop long pour un recueil de délibérations, ignoré",
        MAX_TEXT_BYTES / (1024 * 1024)
    )
}

/// Whether poppler's `pdftotext` can be run.
pub fn pdftotext_installed() -> bool {
    std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok()
}

/// The text of a PDF through the pure-Rust reader (the fallback), whatever is installed.
/// The reader panics on some malformed files: a panic is caught and reported as an
/// unreadable file.
pub fn pure_rust_text(bytes: &[u8]) -> Result<Vec<u8>, String> {
    // Nothing is shared with the reader but the bytes it only reads.
    let read = std::panic::AssertUnwindSafe(|| pdf_extract::extract_text_from_mem(bytes));
    match std::panic::catch_unwind(read) {
        Ok(Ok(text)) => Ok(text.into_bytes()),
        Ok(Err(e)) => Err(format!("PDF illisible : {e}")),
        Err(_) => Err("PDF illisible (structure non reconnue).".to_string()),
    }
}

/// One file read and parsed by a worker.
struct Parsed {
    file: String,
    sha256: String,
    result: Result<(ImportedFile, Extraction), String>,
}

fn read_and_parse(path: &Path) -> Parsed {
    let file = path.display().to_string();
    // The file may have grown since it was listed: never read past the limit.
    let read = std::fs::File::open(path).map(|f| read_capped(Some(f), MAX_FILE_BYTES));
    let bytes = match read {
        Ok(bytes) if bytes.len() as u64 > MAX_FILE_BYTES => {
            return Parsed {
                file,
                sha256: String::new(),
                result: Err(format!(
                    "fichier au-delà de la limite de {} Mio : ignoré",
                    MAX_FILE_BYTES / (1024 * 1024)
                )),
            };
        }
        Ok(bytes) => bytes,
        Err(e) => {
            return Parsed {
                file,
                sha256: String::new(),
                result: Err(format!(
                    "lecture impossible : {}",
                    acta_domain::french::io_reason(&e)
                )),
            };
        }
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let result = extract_text(&bytes).and_then(|(text, how)| {
        if text.len() as u64 > MAX_TEXT_BYTES {
            return Err(too_long_text());
        }
        Ok((acta_import::parse_bytes(&text), how))
    });
    Parsed {
        file,
        sha256,
        result,
    }
}

/// Files parsed ahead of the writer at most, per worker: memory stays bounded whatever the
/// number of files.
const AHEAD_PER_WORKER: usize = 2;

impl Acta {
    /// Imports archived deliberations from files (PDF or text) and folders: each file is
    /// read and parsed on a worker thread, every deliberation found is stored as an
    /// archived act, all in one transaction. A file already imported (same bytes) is
    /// skipped. `progress` receives the files done and their total.
    pub async fn import_archives(
        &self,
        actor: &Actor,
        paths: &[PathBuf],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<ArchiveImport, AppError> {
        let ArchiveFiles { files, skipped } = archive_files(paths)?;
        let files = Arc::new(files);
        let total = files.len();
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(total.max(1));
        let (sender, mut receiver) =
            futures::channel::mpsc::channel::<(usize, Parsed)>(workers * AHEAD_PER_WORKER);
        let next = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (files, next, mut sender) = (files.clone(), next.clone(), sender.clone());
                std::thread::spawn(move || {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(index) else { break };
                        let parsed = read_and_parse(path);
                        if futures::executor::block_on(sender.send((index, parsed))).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(sender);

        let mut tx = self.write(actor).await?;
        let mut report = ArchiveImport::default();
        for outcome in skipped {
            report.add(outcome);
        }
        let mut seen: HashSet<String> = HashSet::new();
        // Results are stored in file order, whatever the order workers finish in.
        let mut pending: BTreeMap<usize, Parsed> = BTreeMap::new();
        let mut expected = 0;
        progress(0, total);
        while let Some((index, parsed)) = receiver.next().await {
            pending.insert(index, parsed);
            while let Some(parsed) = pending.remove(&expected) {
                let outcome = store_file(&mut tx, &mut seen, parsed).await?;
                report.add(outcome);
                expected += 1;
                progress(expected, total);
            }
        }
        for handle in handles {
            let _ = handle.join();
        }
        tx.commit().await?;
        Ok(report)
    }

    /// The archived deliberations with this number, or the one with this id ("#12").
    pub async fn archived_acts(&self, key: &str) -> Result<Vec<ArchiveView>, AppError> {
        let mut tx = self.read().await?;
        let found = match key.strip_prefix('#').map(str::parse::<i64>) {
            Some(Ok(id)) => tx.archived_act(id).await?.into_iter().collect(),
            _ => tx.archived_acts_by_number(key.trim()).await?,
        };
        found.into_iter().map(ArchiveView::try_from).collect()
    }

    /// Every archived deliberation, a page at a time, in import order.
    pub async fn archived_acts_page(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<ArchiveView>, AppError> {
        let mut tx = self.read().await?;
        tx.archived_acts_after(after_id, limit)
            .await?
            .into_iter()
            .map(ArchiveView::try_from)
            .collect()
    }
}

async fn store_file(
    tx: &mut acta_store::Tx,
    seen: &mut HashSet<String>,
    parsed: Parsed,
) -> Result<FileOutcome, AppError> {
    let Parsed {
        file,
        sha256,
        result,
    } = parsed;
    let (imported, extraction) = match result {
        Ok(ok) => ok,
        Err(message) => {
            return Ok(FileOutcome {
                file,
                status: "illisible",
                extraction: None,
                deliberations: 0,
                fields: 0,
                warnings: vec![message],
            });
        }
    };
    let mut warnings = imported.warnings.clone();
    for d in &imported.deliberations {
        warnings.extend(d.warnings.iter().cloned());
    }
    let fields = imported
        .deliberations
        .iter()
        .map(ImportedDeliberation::field_count)
        .sum();
    let mut outcome = FileOutcome {
        file: file.clone(),
        status: "importé",
        extraction: Some(extraction),
        deliberations: imported.deliberations.len(),
        fields,
        warnings,
    };
    if !seen.insert(sha256.clone()) || tx.archived_file_known(&sha256).await? {
        outcome.status = "déjà importé";
        return Ok(outcome);
    }
    if imported.deliberations.is_empty() {
        outcome.status = "aucune délibération";
        return Ok(outcome);
    }
    for (position, d) in imported.deliberations.iter().enumerate() {
        let record = serde_json::to_string(d)
            .map_err(|e| AppError::File(format!("{file} : enregistrement impossible : {e}")))?;
        tx.insert_archived_act(&ArchivedAct {
            source_file: file.clone(),
            source_sha256: sha256.clone(),
            position: i64::try_from(position).unwrap_or(i64::MAX),
            number: d.number.as_ref().map(|n| n.value.clone()),
            collectivity: d.collectivity.as_ref().map(|c| c.value.clone()),
            body: d.body.as_ref().map(|b| b.value.clone()),
            sitting_date: d.sitting_date.as_ref().map(|s| s.value),
            title: d.title.as_ref().map(|t| t.value.clone()),
            record,
        })
        .await?;
    }
    Ok(outcome)
}

impl ArchiveImport {
    fn add(&mut self, outcome: FileOutcome) {
        if outcome.status != "ignoré" {
            self.files_read += 1;
        }
        match outcome.status {
            "importé" => {
                self.files_imported += 1;
                self.deliberations += outcome.deliberations;
                self.fields += outcome.fields;
                self.warnings += outcome.warnings.len();
            }
            "déjà importé" => self.files_already_imported += 1,
            "ignoré" => {
                self.files_skipped += 1;
                self.warnings += outcome.warnings.len();
            }
            "illisible" => {
                self.files_unreadable += 1;
                self.warnings += outcome.warnings.len();
            }
            _ => self.warnings += outcome.warnings.len(),
        }
        self.files.push(outcome);
    }
}

/// An archived deliberation as shown: where it came from and what the importer read.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveView {
    pub id: i64,
    pub source_file: String,
    pub source_sha256: String,
    pub position: i64,
    pub record: ImportedDeliberation,
}

impl TryFrom<StoredArchive> for ArchiveView {
    type Error = AppError;

    fn try_from(stored: StoredArchive) -> Result<Self, AppError> {
        let record = serde_json::from_str(&stored.act.record).map_err(|e| {
            AppError::File(format!(
                "Acte archivé n° {} : enregistrement illisible ({e}).",
                stored.id
            ))
        })?;
        Ok(ArchiveView {
            id: stored.id,
            source_file: stored.act.source_file,
            source_sha256: stored.act.source_sha256,
            position: stored.act.position,
            record,
        })
    }
}

/// The formats of the archives export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    /// One row per deliberation, for spreadsheets.
    Csv,
    /// One JSON record per line: everything the importer read, with confidences and lines.
    JsonLines,
}

/// Archived acts read per page when exporting: memory stays bounded.
const EXPORT_PAGE: i64 = 500;

impl Acta {
    /// Writes every archived deliberation, in import order; returns how many.
    pub async fn export_archives(
        &self,
        out: impl std::io::Write,
        format: ArchiveFormat,
    ) -> Result<u64, AppError> {
        let write_error = |e: std::io::Error| {
            AppError::File(format!(
                "Écriture impossible : {}",
                acta_domain::french::io_reason(&e)
            ))
        };
        enum Sink<W: std::io::Write> {
            Csv(Box<acta_interop::archives::ArchivesWriter<W>>),
            JsonLines(W),
        }
        let mut sink = match format {
            ArchiveFormat::Csv => {
                Sink::Csv(Box::new(acta_interop::archives::ArchivesWriter::new(out)?))
            }
            ArchiveFormat::JsonLines => Sink::JsonLines(out),
        };
        let mut rows = 0;
        let mut after = 0;
        loop {
            let page = self.archived_acts_page(after, EXPORT_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for view in &page {
                match &mut sink {
                    Sink::Csv(writer) => writer.write(&archive_row(view))?,
                    Sink::JsonLines(out) => {
                        serde_json::to_writer(&mut *out, view)
                            .map_err(|e| AppError::File(format!("JSON : {e}")))?;
                        out.write_all(b"\n").map_err(write_error)?;
                    }
                }
                rows += 1;
            }
        }
        match sink {
            Sink::Csv(writer) => {
                writer.finish()?;
            }
            Sink::JsonLines(mut out) => out.flush().map_err(write_error)?,
        }
        Ok(rows)
    }
}

fn archive_row(view: &ArchiveView) -> acta_interop::archives::ArchiveRow {
    use acta_import::{Currency, Outcome, Position};
    let r = &view.record;
    let vote = r.vote.as_ref().map(|v| &v.value);
    let count = |p: Position| {
        vote.and_then(|v| v.stances.iter().find(|s| s.position == p))
            .and_then(|s| s.count)
    };
    let text = |e: &Option<acta_import::Extracted<String>>| {
        e.as_ref().map(|x| x.value.clone()).unwrap_or_default()
    };
    acta_interop::archives::ArchiveRow {
        id: view.id,
        file: view.source_file.clone(),
        sha256: view.source_sha256.clone(),
        position: view.position,
        number: text(&r.number),
        collectivity: text(&r.collectivity),
        body: text(&r.body),
        sitting_date: r
            .sitting_date
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default(),
        title: text(&r.title),
        outcome: match vote.and_then(|v| v.outcome) {
            Some(Outcome::Adopted) => "adoptée",
            Some(Outcome::Rejected) => "rejetée",
            Some(Outcome::Noted) => "prend acte",
            None => "",
        }
        .to_string(),
        unanimous: vote.is_some_and(|v| v.unanimous),
        vote_for: count(Position::For),
        vote_against: count(Position::Against),
        vote_abstention: count(Position::Abstention),
        beneficiaries: r
            .beneficiaries
            .iter()
            .map(|b| b.value.beneficiary.clone())
            .collect(),
        amounts: r
            .beneficiaries
            .iter()
            .map(|b| {
                let m = &b.value.amount;
                let code = match &m.currency {
                    Currency::Euro => "EUR",
                    Currency::Franc => "FRF",
                    Currency::Other(code) => code.as_str(),
                };
                format!("{} {code}", m.amount.format_decimal_point())
            })
            .collect(),
        warnings: r.warnings.clone(),
    }
}
