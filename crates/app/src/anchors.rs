//! Anchoring the journal outside the database: the head signed with an Ed25519 key that
//! never enters the database, written as a small JSON file in a folder the Département
//! keeps elsewhere (another server, a write-once share, a copy sent by mail); and checking
//! the journal against every anchor of such a folder.

use crate::journal::JournalReport;
use crate::{Acta, AppError};
use acta_domain::anchor::{Anchor, AnchorKey, check_anchors, fingerprint};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An anchor file is a few hundred bytes; anything much larger is not one.
const ANCHOR_FILE_LIMIT: u64 = 16 * 1024;
const KEY_FILE_LIMIT: u64 = 1024;

/// What the anchors said, beside the chain's own check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorsChecked {
    /// Anchors found and checked.
    pub anchors: usize,
    /// The signing key's fingerprint (first 16 hexadecimal digits).
    pub key: String,
    /// The most recent anchored entry.
    pub last_anchored_entry: i64,
}

/// The result of one anchoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchoring {
    pub anchor: Anchor,
    /// The file written, or none when the head was already anchored.
    pub file: Option<PathBuf>,
}

fn file_error(path: &Path, what: impl std::fmt::Display) -> AppError {
    AppError::File(format!("{} : {what}", path.display()))
}

/// A file operation that failed, told in French.
fn os_error(path: &Path, e: std::io::Error) -> AppError {
    file_error(path, acta_domain::french::io_reason(&e))
}

/// Creates a new signing key at `path` (readable by its owner only) and its public key at
/// `path.pub`; refuses to replace an existing key. Returns the public key.
pub fn generate_key(path: &Path) -> Result<String, AppError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|e| AppError::File(format!("Générateur aléatoire indisponible : {e}")))?;
    let key = AnchorKey::from_secret(secret);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            file_error(path, "une clé existe déjà ici ; elle n'est pas remplacée")
        } else {
            os_error(path, e)
        }
    })?;
    file.write_all(format!("{}\n", key.secret_hex()).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| os_error(path, e))?;
    let public = key.public_hex();
    let public_path = public_key_path(path);
    std::fs::write(&public_path, format!("{public}\n")).map_err(|e| os_error(&public_path, e))?;
    Ok(public)
}

pub fn public_key_path(key: &Path) -> PathBuf {
    let mut name = key.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

fn read_small(path: &Path, limit: u64) -> Result<String, AppError> {
    let metadata = std::fs::metadata(path).map_err(|e| os_error(path, e))?;
    if !metadata.is_file() {
        return Err(file_error(path, "ce n'est pas un fichier"));
    }
    if metadata.len() > limit {
        return Err(file_error(
            path,
            format!("le fichier dépasse {limit} octets : ce n'est pas ce qui est attendu"),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| os_error(path, e))
}

/// Reads the signing key written by [`generate_key`].
pub fn load_key(path: &Path) -> Result<AnchorKey, AppError> {
    let text = read_small(path, KEY_FILE_LIMIT)?;
    AnchorKey::from_hex(&text).ok_or_else(|| {
        file_error(
            path,
            "ce n'est pas une clé d'ancrage (64 chiffres hexadécimaux attendus)",
        )
    })
}

/// Reads a public key given as its hexadecimal text or as a file holding it.
pub fn read_public_key(given: &str) -> Result<String, AppError> {
    let path = Path::new(given);
    let text = if path.is_file() {
        read_small(path, KEY_FILE_LIMIT)?
    } else {
        given.to_string()
    };
    let text = text.trim().to_ascii_lowercase();
    if text.len() != 64 || !text.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::File(format!(
            "Clé publique « {} » : 64 chiffres hexadécimaux attendus, ou le fichier .pub qui les contient.",
            fingerprint(&text)
        )));
    }
    Ok(text)
}

fn is_anchor_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("ancrage-") && n.ends_with(".json"))
}

/// Every anchor of `dir`, with the file each came from, oldest entry first.
pub fn read_anchors(dir: &Path) -> Result<Vec<(PathBuf, Anchor)>, AppError> {
    let entries = std::fs::read_dir(dir).map_err(|e| os_error(dir, e))?;
    let mut anchors = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| os_error(dir, e))?.path();
        if !is_anchor_file(&path) {
            continue;
        }
        let text = read_small(&path, ANCHOR_FILE_LIMIT)?;
        let anchor: Anchor = serde_json::from_str(&text)
            .map_err(|e| file_error(&path, format!("ancrage illisible ({e})")))?;
        anchors.push((path, anchor));
    }
    anchors.sort_by(|(_, a), (_, b)| (a.seq, &a.anchored_at).cmp(&(b.seq, &b.anchored_at)));
    Ok(anchors)
}

/// The most recent anchor of `dir`, if any, read alone: file names begin with the entry
/// number on twelve digits, so the last name in order is the last anchor (a folder that
/// gains one file an hour is not read whole at every tick).
fn latest_anchor(dir: &Path) -> Result<Option<Anchor>, AppError> {
    if !dir.exists() {
        return Ok(None);
    }
    let mut last: Option<PathBuf> = None;
    for entry in std::fs::read_dir(dir).map_err(|e| os_error(dir, e))? {
        let path = entry.map_err(|e| os_error(dir, e))?.path();
        if is_anchor_file(&path)
            && last
                .as_ref()
                .is_none_or(|l| path.file_name() > l.file_name())
        {
            last = Some(path);
        }
    }
    let Some(path) = last else {
        return Ok(None);
    };
    let text = read_small(&path, ANCHOR_FILE_LIMIT)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| file_error(&path, format!("ancrage illisible ({e})")))
}

/// Writes the file beside its final name first, so that a reader never sees half of it.
fn write_anchor_file(dir: &Path, anchor: &Anchor) -> Result<PathBuf, AppError> {
    std::fs::create_dir_all(dir).map_err(|e| os_error(dir, e))?;
    let stamp: String = anchor
        .anchored_at
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let path = dir.join(format!("ancrage-{:012}-{stamp}.json", anchor.seq));
    let partial = dir.join(format!(".ancrage-{:012}-{stamp}.partiel", anchor.seq));
    let text = serde_json::to_string_pretty(anchor)
        .map_err(|e| AppError::File(format!("Ancrage : {e}")))?;
    let mut file = std::fs::File::create(&partial).map_err(|e| os_error(&partial, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| os_error(&partial, e))?;
    std::fs::rename(&partial, &path).map_err(|e| os_error(&path, e))?;
    Ok(path)
}

impl Acta {
    /// Signs the journal's head and writes the anchor into `dir`, unless the last anchor
    /// there already holds this head.
    pub async fn anchor_journal(&self, key: &AnchorKey, dir: &Path) -> Result<Anchoring, AppError> {
        let head = self.read().await?.journal_head().await?;
        if let Some(last) = latest_anchor(dir)?
            && last.seq == head.seq
            && last.hash == head.hash
            && last.public_key == key.public_hex()
        {
            return Ok(Anchoring {
                anchor: last,
                file: None,
            });
        }
        let anchor = key.anchor(head.seq, &head.hash, &self.now().to_string());
        let file = write_anchor_file(dir, &anchor)?;
        Ok(Anchoring {
            anchor,
            file: Some(file),
        })
    }

    /// Verifies the chain, then that it still holds every anchor of `dir`. The anchors'
    /// signatures are checked first: against `trusted` when given, otherwise they must all
    /// come from one key, whose fingerprint the report gives.
    pub async fn verify_journal_with_anchors(
        &self,
        dir: &Path,
        trusted: Option<&str>,
        progress: impl FnMut(i64),
    ) -> Result<JournalReport, AppError> {
        let found = read_anchors(dir)?;
        if found.is_empty() {
            return Err(file_error(
                dir,
                "aucun ancrage ici (fichiers « ancrage-….json » écrits par « acta journal anchor »)",
            ));
        }
        for (path, anchor) in &found {
            anchor
                .check_signature(trusted)
                .map_err(|m| file_error(path, m))?;
        }
        let key = found[0].1.public_key.clone();
        if let Some((path, other)) = found.iter().find(|(_, a)| a.public_key != key) {
            return Err(file_error(
                path,
                format!(
                    "les ancrages sont signés par plusieurs clés ({} et {}) ; désignez la clé de confiance (--public-key)",
                    fingerprint(&key),
                    fingerprint(&other.public_key)
                ),
            ));
        }
        let anchors: Vec<Anchor> = found.into_iter().map(|(_, a)| a).collect();

        let mut report = self.verify_journal(progress).await?;
        let mut tx = self.read().await?;
        let head = tx.journal_head().await?;
        let mut hashes = BTreeMap::new();
        for anchor in anchors.iter().filter(|a| a.seq >= 1 && a.seq <= head.seq) {
            if let Some(hash) = tx.journal_hash_at(anchor.seq).await? {
                hashes.insert(anchor.seq, hash);
            }
        }
        drop(tx);
        match check_anchors(&anchors, &hashes, head.seq) {
            Ok(checked) => {
                report.anchors = Some(AnchorsChecked {
                    anchors: checked,
                    key: fingerprint(&key),
                    last_anchored_entry: anchors.iter().map(|a| a.seq).max().unwrap_or(0),
                });
            }
            Err(brk) => {
                report.intact = false;
                let earlier = report
                    .first_break
                    .as_ref()
                    .is_some_and(|b| b.seq <= brk.seq);
                if !earlier {
                    report.first_break = Some(brk);
                }
            }
        }
        Ok(report)
    }
}
