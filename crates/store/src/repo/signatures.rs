//! Stored files, signers, documents prepared for signature and the signatures made. Files
//! are journaled by name, size and SHA-256, never by content; a signer by where its
//! password is read, never by the password.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::signature::{
    PasswordSource, RequiredSigner, SignatureRecord, SignatureState, SignedKind, SignerRole,
    SignerSetting,
};
use jiff::civil::Date;
use serde::Serialize;
use sha2::Digest;
use sqlx::any::AnyRow;

/// A file as kept, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileMeta {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: i64,
    pub stored_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSigner {
    pub id: i64,
    pub setting: SignerSetting,
    pub active: bool,
}

/// A document prepared for signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedDocument {
    pub id: i64,
    pub kind: SignedKind,
    /// The deliberation, sitting or convention it is the document of.
    pub subject: i64,
    pub version: i64,
    pub mention_date: Date,
    pub required: Vec<RequiredSigner>,
    pub state: SignatureState,
    /// Its current bytes.
    pub file: i64,
    pub prepared_at: String,
}

/// A signature as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSignature {
    pub position: i64,
    pub record: SignatureRecord,
    /// Made outside acta (a countersigned PDF received).
    pub external: bool,
    /// The document's bytes once this signature was added.
    pub file: i64,
}

fn file_meta(row: &AnyRow) -> Result<FileMeta, StoreError> {
    Ok(FileMeta {
        id: get(row, "id")?,
        name: get(row, "name")?,
        media_type: get(row, "media_type")?,
        sha256: get(row, "sha256")?,
        size: get(row, "size")?,
        stored_at: get(row, "stored_at")?,
    })
}

fn role(row: &AnyRow) -> Result<SignerRole, StoreError> {
    let code: String = get(row, "role")?;
    SignerRole::parse("role", &code).map_err(|_| StoreError::corrupt("role", code))
}

fn signer(row: &AnyRow) -> Result<StoredSigner, StoreError> {
    let source: String = get(row, "password_source")?;
    Ok(StoredSigner {
        id: get(row, "id")?,
        setting: SignerSetting {
            name: get(row, "name")?,
            role: role(row)?,
            pkcs12_path: get(row, "pkcs12_path")?,
            password: PasswordSource::parse("password_source", &source)
                .map_err(|_| StoreError::corrupt("password_source", source))?,
        },
        active: flag(row, "active")?,
    })
}

fn signed_document(row: &AnyRow) -> Result<SignedDocument, StoreError> {
    let kind: String = get(row, "kind")?;
    let state: String = get(row, "state")?;
    Ok(SignedDocument {
        id: get(row, "id")?,
        kind: SignedKind::parse("kind", &kind).map_err(|_| StoreError::corrupt("kind", kind))?,
        subject: get(row, "subject")?,
        version: get(row, "version")?,
        mention_date: date(row, "mention_date")?,
        required: json(row, "required")?,
        state: SignatureState::parse(&state).ok_or_else(|| StoreError::corrupt("state", state))?,
        file: get(row, "file")?,
        prepared_at: get(row, "prepared_at")?,
    })
}

fn signature(row: &AnyRow) -> Result<StoredSignature, StoreError> {
    let signed_at: String = get(row, "signed_at")?;
    Ok(StoredSignature {
        position: get(row, "position")?,
        record: SignatureRecord {
            signer_name: get(row, "signer_name")?,
            role: role(row)?,
            certificate_subject: get(row, "certificate_subject")?,
            certificate_issuer: get(row, "certificate_issuer")?,
            certificate_serial: get(row, "certificate_serial")?,
            signed_at: signed_at
                .parse()
                .map_err(|_| StoreError::corrupt("signed_at", signed_at))?,
        },
        external: flag(row, "external")?,
        file: get(row, "file")?,
    })
}

impl Tx {
    /// Keeps a file; gives its number.
    pub async fn insert_file(
        &mut self,
        name: &str,
        media_type: &str,
        content: &[u8],
        stored_at: &str,
    ) -> Result<i64, StoreError> {
        let sha256 = hex::encode(sha2::Sha256::digest(content));
        let size = i64::try_from(content.len())
            .map_err(|_| StoreError::corrupt("size", content.len().to_string()))?;
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO stored_file (name, media_type, sha256, size, content, stored_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(name.to_string())
                .bind(media_type.to_string())
                .bind(sha256.clone())
                .bind(size)
                .bind(content.to_vec())
                .bind(stored_at.to_string()),
            )
            .await?;
        let meta = FileMeta {
            id,
            name: name.to_string(),
            media_type: media_type.to_string(),
            sha256,
            size,
            stored_at: stored_at.to_string(),
        };
        self.record::<(), _>(
            action::CREATE,
            entity::STORED_FILE,
            &id.to_string(),
            None,
            Some(&meta),
        )
        .await?;
        Ok(id)
    }

    pub async fn file_meta(&mut self, id: i64) -> Result<Option<FileMeta>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, media_type, sha256, size, stored_at FROM stored_file WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(file_meta).transpose()
    }

    /// A file with its bytes.
    pub async fn file_content(
        &mut self,
        id: i64,
    ) -> Result<Option<(FileMeta, Vec<u8>)>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, media_type, sha256, size, stored_at, content FROM stored_file WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok((file_meta(&r)?, get::<Vec<u8>>(&r, "content")?)))
            .transpose()
    }

    pub async fn insert_signer(&mut self, s: &SignerSetting) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO signer (name, role, pkcs12_path, password_source, active) \
                     VALUES ($1, $2, $3, $4, 1) RETURNING id",
                )
                .bind(s.name.trim().to_string())
                .bind(s.role.code())
                .bind(s.pkcs12_path.trim().to_string())
                .bind(s.password.describe()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::SIGNER,
            &id.to_string(),
            None,
            Some(s),
        )
        .await?;
        Ok(id)
    }

    pub async fn signers(&mut self) -> Result<Vec<StoredSigner>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, role, pkcs12_path, password_source, active FROM signer ORDER BY name, role",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(signer).collect()
    }

    pub async fn insert_signed_document(&mut self, d: &SignedDocument) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO signed_document (kind, subject, version, mention_date, required, state, file, prepared_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(d.kind.code())
                .bind(d.subject)
                .bind(d.version)
                .bind(d.mention_date.to_string())
                .bind(to_json(&d.required)?)
                .bind(d.state.code())
                .bind(d.file)
                .bind(d.prepared_at.clone()),
            )
            .await?;
        let stored = SignedDocument { id, ..d.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::SIGNED_DOCUMENT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Moves a prepared document on: its state and current bytes.
    pub async fn update_signed_document(
        &mut self,
        id: i64,
        state: SignatureState,
        file: i64,
    ) -> Result<(), StoreError> {
        let before = self.signed_document(id).await?;
        sqlx::query("UPDATE signed_document SET state = $1, file = $2 WHERE id = $3")
            .bind(state.code())
            .bind(file)
            .bind(id)
            .execute(self.conn())
            .await?;
        let after = self.signed_document(id).await?;
        self.record(
            action::UPDATE,
            entity::SIGNED_DOCUMENT,
            &id.to_string(),
            before.as_ref(),
            after.as_ref(),
        )
        .await
    }

    pub async fn signed_document(&mut self, id: i64) -> Result<Option<SignedDocument>, StoreError> {
        let row = sqlx::query("SELECT * FROM signed_document WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(signed_document).transpose()
    }

    /// The last version prepared of a document, if any.
    pub async fn latest_signed_document(
        &mut self,
        kind: SignedKind,
        subject: i64,
    ) -> Result<Option<SignedDocument>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM signed_document WHERE kind = $1 AND subject = $2 ORDER BY version DESC LIMIT 1",
        )
        .bind(kind.code())
        .bind(subject)
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(signed_document).transpose()
    }

    pub async fn insert_signature(
        &mut self,
        document: i64,
        s: &StoredSignature,
    ) -> Result<(), StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO signature (document, position, signer_name, role, certificate_subject, \
                     certificate_issuer, certificate_serial, signed_at, external, file) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(document)
                .bind(s.position)
                .bind(s.record.signer_name.clone())
                .bind(s.record.role.code())
                .bind(s.record.certificate_subject.clone())
                .bind(s.record.certificate_issuer.clone())
                .bind(s.record.certificate_serial.clone())
                .bind(s.record.signed_at.to_string())
                .bind(bool_int(s.external))
                .bind(s.file),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::SIGNATURE,
            &id.to_string(),
            None,
            Some(s),
        )
        .await
    }

    pub async fn signatures_of(
        &mut self,
        document: i64,
    ) -> Result<Vec<StoredSignature>, StoreError> {
        let rows = sqlx::query("SELECT * FROM signature WHERE document = $1 ORDER BY position")
            .bind(document)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(signature).collect()
    }
}
