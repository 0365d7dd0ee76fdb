//! Backup and restore for operators. A backup is a folder: the database as of one instant
//! (an SQLite file, or a `pg_dump` of a PostgreSQL snapshot), a copy of the search index,
//! and a manifest with the journal's head and every file's SHA-256. The journal is verified
//! on what was copied; a restore checks the files, loads them into an empty database and
//! verifies the journal again, down to the head the manifest names.

use crate::{Acta, AppError, DatabaseUrl};
use acta_store::backup::{ExportedSnapshot, inspect_postgres};
use acta_store::{Backend, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

const FORMAT: &str = "acta-sauvegarde-1";
const MANIFEST: &str = "sauvegarde.json";
const SQLITE_FILE: &str = "base.sqlite";
const POSTGRES_FILE: &str = "base.sql";
const INDEX_DIR: &str = "index";

/// One file of the backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    /// Relative to the backup folder, with `/`.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// `sauvegarde.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// "SQLite" or "PostgreSQL".
    pub backend: String,
    /// The PostgreSQL schema the tables were in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub created_at: String,
    pub acta_version: String,
    pub journal_entries: i64,
    pub journal_head: String,
    pub files: Vec<BackupFile>,
}

/// What `acta backup` and `acta restore` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    pub folder: PathBuf,
    pub backend: String,
    /// Entries verified in the journal of the copy.
    pub journal_entries: i64,
    pub journal_head: String,
    pub files: usize,
    pub bytes: u64,
    /// Whether a search index was copied (backup) or put back (restore).
    pub search_index: bool,
}

impl BackupReport {
    /// What a backup folder holds, once written or restored (the journal as verified
    /// matches the manifest in both cases).
    fn of(folder: &Path, manifest: Manifest, search_index: bool) -> BackupReport {
        BackupReport {
            folder: folder.to_path_buf(),
            backend: manifest.backend,
            journal_entries: manifest.journal_entries,
            journal_head: manifest.journal_head,
            files: manifest.files.len(),
            bytes: manifest.files.iter().map(|f| f.size).sum(),
            search_index,
        }
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::File(format!("{} : {e}", path.display()))
}

/// A file operation that failed, told in French.
fn os_error(path: &Path, e: std::io::Error) -> AppError {
    io_error(path, acta_domain::french::io_reason(&e))
}

fn refuse(message: impl Into<String>) -> AppError {
    AppError::File(message.into())
}

fn sha256_of(path: &Path) -> Result<(u64, String), AppError> {
    let mut file = std::fs::File::open(path).map_err(|e| os_error(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(|e| os_error(path, e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// Every regular file under `root`, relative, sorted. Links and special files are not
/// followed: an index and a backup hold neither.
fn files_under(root: &Path) -> Result<Vec<PathBuf>, AppError> {
    let mut out = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let dir = root.join(&relative);
        for entry in std::fs::read_dir(&dir).map_err(|e| os_error(&dir, e))? {
            let entry = entry.map_err(|e| os_error(&dir, e))?;
            let kind = entry.file_type().map_err(|e| os_error(&entry.path(), e))?;
            let name = relative.join(entry.file_name());
            if kind.is_dir() {
                pending.push(name);
            } else if kind.is_file() {
                out.push(name);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Copies the search index file by file; tantivy's `meta.json` first, so that a commit
/// during the copy leaves at worst an index that the restore rebuilds.
fn copy_index(from: &Path, to: &Path) -> Result<(), AppError> {
    let mut files = files_under(from)?;
    files.sort_by_key(|f| f != Path::new("meta.json"));
    for relative in files {
        let target = to.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| os_error(parent, e))?;
        }
        match std::fs::copy(from.join(&relative), &target) {
            Ok(_) => {}
            // Merged away by the index while we copied: the restore rebuilds what is missing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(os_error(&target, e)),
        }
    }
    Ok(())
}

fn relative_text(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn run_tool(mut command: std::process::Command, tool: &str) -> Result<(), AppError> {
    let output = command.output().map_err(|e| {
        refuse(format!(
            "{tool} introuvable ou impossible à lancer ({}) : installez les outils clients de PostgreSQL (paquet postgresql-client).",
            acta_domain::french::io_reason(&e)
        ))
    })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(refuse(format!(
        "{tool} a échoué ({}) : {}",
        output.status,
        stderr.trim()
    )))
}

impl Acta {
    /// Writes a backup into `folder` (which must not exist or be empty), with a copy of the
    /// search index at `index` when there is one, and verifies the journal of the copy.
    pub async fn backup(
        &self,
        folder: &Path,
        index: Option<&Path>,
    ) -> Result<BackupReport, AppError> {
        if folder.exists()
            && std::fs::read_dir(folder)
                .map_err(|e| os_error(folder, e))?
                .next()
                .is_some()
        {
            return Err(refuse(format!(
                "Sauvegarde : le dossier « {} » n'est pas vide ; donnez un dossier neuf.",
                folder.display()
            )));
        }
        std::fs::create_dir_all(folder).map_err(|e| os_error(folder, e))?;
        let created_at = self.now().to_string();
        let (schema, entries, head) = match self.backend() {
            Backend::Sqlite => {
                let copy = folder.join(SQLITE_FILE);
                self.store().copy_sqlite_into(&copy).await?;
                let (entries, head) = verify_copy(&copy).await?;
                (None, entries, head)
            }
            Backend::Postgres => {
                let snapshot = self.store().export_snapshot().await?;
                let (entries, head) =
                    dump_snapshot(snapshot, self.store().url(), &folder.join(POSTGRES_FILE))
                        .await?;
                (Some(schema_of(self.store()).await?), entries, head)
            }
        };
        let search_index = match index {
            Some(dir) if dir.join("meta.json").is_file() => {
                copy_index(dir, &folder.join(INDEX_DIR))?;
                true
            }
            _ => false,
        };
        let mut files = Vec::new();
        for relative in files_under(folder)? {
            let (size, sha256) = sha256_of(&folder.join(&relative))?;
            files.push(BackupFile {
                path: relative_text(&relative),
                size,
                sha256,
            });
        }
        let manifest = Manifest {
            format: FORMAT.to_string(),
            backend: self.backend().name().to_string(),
            schema,
            created_at,
            acta_version: env!("CARGO_PKG_VERSION").to_string(),
            journal_entries: entries,
            journal_head: head,
            files,
        };
        let text = serde_json::to_string_pretty(&manifest)
            .map_err(|e| refuse(format!("Sauvegarde : {e}")))?;
        let manifest_path = folder.join(MANIFEST);
        std::fs::write(&manifest_path, text).map_err(|e| os_error(&manifest_path, e))?;
        Ok(BackupReport::of(folder, manifest, search_index))
    }
}

async fn schema_of(store: &Store) -> Result<String, AppError> {
    store
        .current_schema()
        .await?
        .ok_or_else(|| refuse("Sauvegarde : aucun schéma PostgreSQL courant."))
}

/// Opens the copied SQLite file on its own and verifies its journal.
async fn verify_copy(copy: &Path) -> Result<(i64, String), AppError> {
    let url = DatabaseUrl::parse(&copy.to_string_lossy())?;
    let store = Store::open(&url, false).await?;
    let result = verified_head(&store).await;
    store.close().await;
    result
}

async fn verified_head(store: &Store) -> Result<(i64, String), AppError> {
    let mut tx = store.read().await?;
    let head = tx.journal_head().await?;
    match tx.verify_journal(|_| {}).await? {
        Ok(entries) => Ok((entries, head.hash)),
        Err(brk) => Err(refuse(format!(
            "Le journal de la copie ne se vérifie pas : entrée n°{} : {}.",
            brk.seq, brk.reason
        ))),
    }
}

/// Runs `pg_dump` on the exported snapshot while verifying the journal in the transaction
/// that holds it: both read the same instant.
async fn dump_snapshot(
    mut snapshot: ExportedSnapshot,
    url: &DatabaseUrl,
    dest: &Path,
) -> Result<(i64, String), AppError> {
    let mut command = std::process::Command::new("pg_dump");
    command
        .arg("--dbname")
        .arg(url.libpq())
        .arg("--snapshot")
        .arg(&snapshot.id)
        .arg("--schema")
        .arg(&snapshot.schema)
        .args([
            "--format",
            "plain",
            "--no-owner",
            "--no-privileges",
            "--file",
        ])
        .arg(dest);
    let dump = tokio::task::spawn_blocking(move || run_tool(command, "pg_dump"));
    let head = snapshot.tx.journal_head().await?;
    let checked = snapshot.tx.verify_journal(|_| {}).await?;
    let dumped = dump.await.map_err(|e| refuse(format!("pg_dump : {e}")))?;
    snapshot.tx.rollback().await?;
    dumped?;
    match checked {
        Ok(entries) => Ok((entries, head.hash)),
        Err(brk) => Err(refuse(format!(
            "Le journal sauvegardé ne se vérifie pas : entrée n°{} : {}.",
            brk.seq, brk.reason
        ))),
    }
}

/// Reads and checks the manifest and every file it lists.
pub fn check_backup(folder: &Path) -> Result<Manifest, AppError> {
    let path = folder.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| os_error(&path, e))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| io_error(&path, format!("manifeste illisible ({e})")))?;
    if manifest.format != FORMAT {
        return Err(io_error(
            &path,
            format!(
                "format « {} » inconnu (attendu : {FORMAT})",
                manifest.format
            ),
        ));
    }
    for file in &manifest.files {
        let relative = Path::new(&file.path);
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(io_error(&path, format!("chemin « {} » refusé", file.path)));
        }
        let (size, sha256) = sha256_of(&folder.join(relative))?;
        if size != file.size || sha256 != file.sha256 {
            return Err(refuse(format!(
                "Sauvegarde altérée : « {} » n'a plus l'empreinte SHA-256 du manifeste.",
                file.path
            )));
        }
    }
    Ok(manifest)
}

/// Restores the backup in `folder` into the empty database at `url`, and its search index
/// at `index`; verifies the journal against the manifest's head. Nothing is written into
/// a database that already holds a register.
pub async fn restore(
    url: &DatabaseUrl,
    folder: &Path,
    index: &Path,
) -> Result<BackupReport, AppError> {
    let manifest = check_backup(folder)?;
    if manifest.backend != url.backend().name() {
        return Err(refuse(format!(
            "Restauration : la sauvegarde vient de {} ; elle se restaure dans une base {}, pas {}.",
            manifest.backend,
            manifest.backend,
            url.backend().name()
        )));
    }
    if index.exists() {
        return Err(refuse(format!(
            "Restauration : l'index de recherche « {} » existe déjà ; donnez un emplacement libre (--index).",
            index.display()
        )));
    }
    match url.backend() {
        Backend::Sqlite => restore_sqlite(url, folder)?,
        Backend::Postgres => restore_postgres(url, folder, &manifest).await?,
    }
    let acta = Acta::open(url).await?;
    let report = verified_head(acta.store()).await;
    let (entries, head) = match report {
        Ok(found) => found,
        Err(e) => {
            acta.close().await;
            return Err(e);
        }
    };
    if entries != manifest.journal_entries || head != manifest.journal_head {
        acta.close().await;
        return Err(refuse(format!(
            "Restauration : le journal restauré s'arrête à l'entrée n°{entries}, la sauvegarde en annonçait {} : la base ne correspond pas au manifeste.",
            manifest.journal_entries
        )));
    }
    let copied_index = folder.join(INDEX_DIR);
    let search_index = copied_index.is_dir();
    if search_index {
        copy_index(&copied_index, index)?;
        // A copy taken during a commit may not open: the register rebuilds it.
        if acta.sync_search_index(index, &|_, _| {}).await.is_err() {
            std::fs::remove_dir_all(index).map_err(|e| os_error(index, e))?;
            acta.rebuild_search_index(index, &|_, _| {}).await?;
        }
    }
    acta.close().await;
    Ok(BackupReport::of(folder, manifest, search_index))
}

fn restore_sqlite(url: &DatabaseUrl, folder: &Path) -> Result<(), AppError> {
    let target = PathBuf::from(url.sqlite_path().unwrap_or_default());
    if target.exists() {
        return Err(refuse(format!(
            "Restauration : le fichier « {} » existe déjà ; restaurez dans un fichier neuf.",
            target.display()
        )));
    }
    let partial = target.with_extension("restauration-en-cours");
    std::fs::copy(folder.join(SQLITE_FILE), &partial).map_err(|e| os_error(&partial, e))?;
    std::fs::rename(&partial, &target).map_err(|e| os_error(&target, e))?;
    Ok(())
}

async fn restore_postgres(
    url: &DatabaseUrl,
    folder: &Path,
    manifest: &Manifest,
) -> Result<(), AppError> {
    let schema = manifest
        .schema
        .clone()
        .unwrap_or_else(|| "public".to_string());
    let before = inspect_postgres(url, &schema).await?;
    if before.has_register {
        return Err(refuse(format!(
            "Restauration : la base cible contient déjà un registre (schéma « {schema} ») ; restaurez dans une base vide."
        )));
    }
    if schema != "public" && before.schema_exists {
        return Err(refuse(format!(
            "Restauration : le schéma « {schema} » existe déjà dans la base cible ; la sauvegarde le crée elle-même."
        )));
    }
    let mut command = std::process::Command::new("psql");
    command
        .arg("--dbname")
        .arg(url.libpq())
        .args(["--quiet", "--no-psqlrc", "--single-transaction"])
        .args(["--set", "ON_ERROR_STOP=1", "--file"])
        .arg(folder.join(POSTGRES_FILE));
    tokio::task::spawn_blocking(move || run_tool(command, "psql"))
        .await
        .map_err(|e| refuse(format!("psql : {e}")))??;
    let after = inspect_postgres(url, &schema).await?;
    if after.current_schema.as_deref() != Some(schema.as_str()) {
        return Err(refuse(format!(
            "Restauration faite dans le schéma « {schema} », mais l'adresse donnée en désigne un autre : ouvrez la base avec ce schéma (options[search_path]={schema})."
        )));
    }
    Ok(())
}
