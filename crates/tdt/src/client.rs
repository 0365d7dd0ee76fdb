//! The HTTP exchanges with S²LOW, one method per page of its API.

use crate::TdtError;
use jiff::civil::Date;
use reqwest::multipart::{Form, Part};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How to reach the platform and who we are to it.
#[derive(Clone)]
pub struct ClientSettings {
    /// "https://s2low.example.fr", without the path.
    pub base_url: String,
    /// The collectivity's connection certificate (PKCS#12) and its password.
    pub client_pkcs12: Vec<u8>,
    pub client_password: String,
    /// Certification authorities of the platform's own certificate, in PEM, when they are
    /// not among the machine's (a platform on a private authority, the stand-in).
    pub platform_roots_pem: Option<Vec<u8>>,
    /// The login and password some platforms ask on top of the certificate.
    pub login: Option<(String, String)>,
    /// How long an exchange may take before it is considered unanswered.
    pub timeout: Duration,
}

impl std::fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the passwords.
        f.debug_struct("ClientSettings")
            .field("base_url", &self.base_url)
            .field("login", &self.login.as_ref().map(|(user, _)| user))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A file sent to the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    pub fn pdf(name: impl Into<String>, bytes: Vec<u8>) -> Upload {
        Upload {
            name: name.into(),
            media_type: "application/pdf".to_string(),
            bytes,
        }
    }

    fn part(&self) -> Result<Part, TdtError> {
        Part::bytes(self.bytes.clone())
            .file_name(self.name.clone())
            .mime_str(&self.media_type)
            .map_err(|e| {
                TdtError::Settings(format!("type de fichier « {} » : {e}", self.media_type))
            })
    }
}

/// An act to transmit, with the fields of `actes_transac_create.php`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAct {
    /// 1 délibération, 2 acte réglementaire, 3 acte individuel, 4 contrat, 5 budget, 6 autre.
    pub nature_code: u8,
    /// The act's number as @ctes writes it ("2023_479").
    pub number: String,
    pub subject: String,
    pub decision_date: Date,
    /// The matière's levels ([7, 5] for 7.5).
    pub classification: Vec<u32>,
    /// The act's document type ("99_DE" for a deliberation).
    pub type_acte: String,
    pub act: Upload,
    /// Each annex with its document type ("99_AU" when none is more precise).
    pub annexes: Vec<(Upload, String)>,
}

/// A transaction's state as the platform reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionStatus {
    pub code: i32,
    /// The message of the state: the ARActe when acknowledged (code 4), else often empty.
    pub message: Vec<u8>,
}

impl TransactionStatus {
    pub fn label(&self) -> &'static str {
        status_label(self.code)
    }
}

/// S²LOW's names of its transaction states (`actes_status`).
pub fn status_label(code: i32) -> &'static str {
    match code {
        -1 => "Erreur",
        0 => "Annulé",
        1 => "Posté",
        2 => "En attente de transmission",
        3 => "Transmis",
        4 => "Acquittement reçu",
        5 => "Validé",
        6 => "Refusé",
        7 => "Document reçu",
        8 => "Acquittement envoyé",
        9 => "Document envoyé",
        10 => "Refus d'envoi",
        11 => "Acquittement de document reçu",
        12 => "Envoyé au SAE",
        13 => "Archivé par le SAE",
        14 => "Erreur lors de l'archivage",
        17 => "En attente d'être signé",
        18 => "En attente d'être postée",
        19 => "En attente d'être envoyé au SAE",
        20 => "Erreur lors de l'envoi au SAE",
        21 => "Document reçu (pas d'AR)",
        _ => "État inconnu",
    }
}

/// A transaction as `api/list_actes.php` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedAct {
    pub id: u64,
    /// 1 for an act; the prefecture's documents and the answers share the act's number.
    pub kind: u64,
    pub number: String,
    pub subject: String,
    pub decision_date: String,
}

/// A file of a transaction (`actes_transac_get_files_list.php`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub id: u64,
    /// The name under which the platform keeps it ("062-…-99_DE-1-1_1.pdf").
    pub name: String,
    /// The name it was posted under.
    pub posted_filename: String,
    pub media_type: String,
    pub size: u64,
}

/// The collectivity's answer to a demande de pièces complémentaires or a lettre
/// d'observations (`type_envoie`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The pieces asked for, or the letter justifying the act (4).
    Send(Upload),
    /// An explicit refusal (3), with the letter that says so.
    Refuse(Upload),
}

/// A client of one S²LOW platform for one collectivity.
#[derive(Debug, Clone)]
pub struct S2low {
    http: reqwest::Client,
    base: String,
    login: Option<(String, String)>,
}

fn tls_config(settings: &ClientSettings) -> Result<rustls::ClientConfig, TdtError> {
    let store = p12_keystore::KeyStore::from_pkcs12(
        &settings.client_pkcs12,
        &settings.client_password,
        p12_keystore::Pkcs12ImportPolicy::Relaxed,
    )
    .map_err(|e| {
        TdtError::Settings(format!(
            "certificat de connexion illisible ou mot de passe incorrect ({e})."
        ))
    })?;
    let (_, chain) = store.private_key_chain().ok_or_else(|| {
        TdtError::Settings("le certificat de connexion n'a pas de clé privée.".to_string())
    })?;
    let certificates: Vec<CertificateDer<'static>> = chain
        .certs()
        .iter()
        .map(|c| CertificateDer::from(c.as_der().to_vec()))
        .collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(chain.key().as_der().to_vec()));

    let mut roots = rustls::RootCertStore::empty();
    // The machine's authorities; an unreadable one is skipped, as browsers do.
    for certificate in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(certificate);
    }
    if let Some(pem) = &settings.platform_roots_pem {
        for certificate in CertificateDer::pem_slice_iter(pem) {
            let certificate = certificate.map_err(|e| {
                TdtError::Settings(format!("autorité de la plateforme illisible ({e})."))
            })?;
            roots.add(certificate).map_err(|e| {
                TdtError::Settings(format!("autorité de la plateforme refusée ({e})."))
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TdtError::Settings(e.to_string()))?
        .with_root_certificates(roots)
        .with_client_auth_cert(certificates, key)
        .map_err(|e| TdtError::Settings(format!("certificat de connexion refusé ({e}).")))
}

/// The text of an answer: UTF-8, or ISO-8859-1 as older pages write it.
fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// Reads "OK\n…" (gives what follows) or "KO\n<reason>" / "KO : <reason>".
fn ok_or_refused(bytes: &[u8]) -> Result<&[u8], TdtError> {
    if let Some(rest) = bytes.strip_prefix(b"OK") {
        let rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        return Ok(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"KO") {
        let reason = text(rest);
        let reason = reason.trim_start_matches([' ', ':', '\r', '\n']).trim();
        return Err(TdtError::Refused(reason.to_string()));
    }
    Err(TdtError::Protocol(format!(
        "ni OK ni KO : « {} »",
        text(&bytes[..bytes.len().min(200)]).trim()
    )))
}

/// The identifier an "OK" answer gives: "OK\n1234" or "OK : id généré : 1234".
fn created_id(bytes: &[u8]) -> Result<u64, TdtError> {
    let rest = text(ok_or_refused(bytes)?);
    rest.split(|c: char| !c.is_ascii_digit())
        .find(|token| !token.is_empty())
        .and_then(|token| token.parse().ok())
        .ok_or_else(|| TdtError::Protocol(format!("pas d'identifiant dans « {} »", rest.trim())))
}

fn json(bytes: &[u8]) -> Result<Value, TdtError> {
    // A page that fails answers "KO\n…" in plain text instead of JSON.
    if bytes.starts_with(b"KO") {
        ok_or_refused(bytes)?;
    }
    serde_json::from_slice(bytes).map_err(|e| TdtError::Protocol(format!("JSON illisible ({e})")))
}

/// A number PHP may have written as a number or a string.
fn number(value: &Value, field: &str) -> Result<u64, TdtError> {
    match value.get(field) {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| TdtError::Protocol(format!("champ « {field} » absent ou illisible")))
}

fn string(value: &Value, field: &str) -> String {
    match value.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl S2low {
    pub fn new(settings: &ClientSettings) -> Result<S2low, TdtError> {
        let base = settings.base_url.trim().trim_end_matches('/').to_string();
        if !base.starts_with("https://") {
            return Err(TdtError::Settings(format!(
                "l'adresse de la plateforme doit commencer par https:// (« {base} »)."
            )));
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config(settings)?)
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .build()
            .map_err(|e| TdtError::Settings(e.to_string()))?;
        Ok(S2low {
            http,
            base,
            login: settings.login.clone(),
        })
    }

    fn url(&self, page: &str) -> String {
        format!("{}/modules/actes/{page}", self.base)
    }

    fn authenticated(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.login {
            Some((user, password)) => request.basic_auth(user, Some(password)),
            None => request,
        }
    }

    async fn answer(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, TdtError> {
        let response = self.authenticated(request).send().await?;
        let status = response.status();
        let body = response.bytes().await?.to_vec();
        if status.is_server_error() {
            // A proxy's 502 or a crash: the request may have been processed.
            return Err(TdtError::NoAnswer(format!("erreur HTTP {status}")));
        }
        if !status.is_success() {
            return Err(TdtError::Protocol(format!(
                "erreur HTTP {status} : {}",
                text(&body[..body.len().min(200)]).trim()
            )));
        }
        Ok(body)
    }

    async fn get(&self, page: &str, query: &[(&str, String)]) -> Result<Vec<u8>, TdtError> {
        self.answer(self.http.get(self.url(page)).query(query))
            .await
    }

    /// Sends an act (`actes_transac_create.php`); gives the transaction's number.
    pub async fn create(&self, act: &NewAct) -> Result<u64, TdtError> {
        let mut form = Form::new()
            .text("api", "1")
            .text("nature_code", act.nature_code.to_string())
            .text("number", act.number.clone())
            .text("subject", act.subject.clone())
            .text("decision_date", act.decision_date.to_string())
            .text("type_acte", act.type_acte.clone())
            .text("en_attente", "0")
            .text("document_papier", "0");
        for level in 1..=5 {
            let value = act
                .classification
                .get(level - 1)
                .map(|l| l.to_string())
                .unwrap_or_default();
            form = form.text(format!("classif{level}"), value);
        }
        form = form.part("acte_pdf_file", act.act.part()?);
        for (annex, kind) in &act.annexes {
            form = form
                .part("acte_attachments[]", annex.part()?)
                .text("type_pj[]", kind.clone());
        }
        let body = self
            .answer(
                self.http
                    .post(self.url("actes_transac_create.php"))
                    .multipart(form),
            )
            .await?;
        created_id(&body)
    }

    /// A transaction's state (`actes_transac_get_status.php`).
    pub async fn status(&self, transaction: u64) -> Result<TransactionStatus, TdtError> {
        let body = self
            .get(
                "actes_transac_get_status.php",
                &[("transaction", transaction.to_string())],
            )
            .await?;
        let rest = ok_or_refused(&body)?;
        let (code, message) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        let code = text(code)
            .trim()
            .parse()
            .map_err(|_| TdtError::Protocol(format!("état « {} » illisible", text(code))))?;
        Ok(TransactionStatus {
            code,
            message: message.to_vec(),
        })
    }

    /// The transactions in a state (`api/list_actes.php`), a page at a time.
    pub async fn list(
        &self,
        status: i32,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<ListedAct>, TdtError> {
        let body = self
            .get(
                "api/list_actes.php",
                &[
                    ("status_id", status.to_string()),
                    ("offset", offset.to_string()),
                    ("limit", limit.to_string()),
                ],
            )
            .await?;
        let value = json(&body)?;
        let items = value
            .get("transactions")
            .and_then(Value::as_array)
            .ok_or_else(|| TdtError::Protocol("liste des transactions absente".to_string()))?;
        items
            .iter()
            .map(|t| {
                Ok(ListedAct {
                    id: number(t, "id")?,
                    kind: number(t, "type").unwrap_or(1),
                    number: string(t, "number"),
                    subject: string(t, "subject"),
                    decision_date: string(t, "decision_date"),
                })
            })
            .collect()
    }

    /// The transaction of an act's number, if the platform has one: how a send that went
    /// unanswered is checked before any retry.
    pub async fn find_by_number(&self, number: &str) -> Result<Option<ListedAct>, TdtError> {
        const PAGE: u64 = 100;
        // Every state an act takes once posted, in the order it takes them.
        for status in [1, 2, 3, 4, 5, 6, 17, 18, -1] {
            let mut offset = 0;
            loop {
                let page = self.list(status, offset, PAGE).await?;
                if let Some(found) = page.iter().find(|a| a.kind == 1 && a.number == number) {
                    return Ok(Some(found.clone()));
                }
                if (page.len() as u64) < PAGE {
                    break;
                }
                offset += PAGE;
            }
        }
        Ok(None)
    }

    /// The files of a transaction (`actes_transac_get_files_list.php`).
    pub async fn files(&self, transaction: u64) -> Result<Vec<RemoteFile>, TdtError> {
        let body = self
            .get(
                "actes_transac_get_files_list.php",
                &[("transaction", transaction.to_string())],
            )
            .await?;
        let value = json(&body)?;
        let items = value
            .as_array()
            .ok_or_else(|| TdtError::Protocol("liste des fichiers absente".to_string()))?;
        items
            .iter()
            .map(|f| {
                Ok(RemoteFile {
                    id: number(f, "id")?,
                    name: string(f, "name"),
                    posted_filename: string(f, "posted_filename"),
                    media_type: string(f, "mimetype"),
                    size: number(f, "size").unwrap_or(0),
                })
            })
            .collect()
    }

    /// A file's bytes; `stamped` asks for the PDF as the platform stamped it on reception.
    pub async fn download(&self, file: u64, stamped: bool) -> Result<Vec<u8>, TdtError> {
        let mut query = vec![("file", file.to_string())];
        if stamped {
            query.push(("tampon", "true".to_string()));
        }
        let body = self.get("actes_download_file.php", &query).await?;
        if body.starts_with(b"KO") {
            ok_or_refused(&body)?;
        }
        Ok(body)
    }

    /// The prefecture's documents not yet read (`api/list_document_prefecture.php`).
    pub async fn prefecture_documents(&self) -> Result<Vec<PrefectureDocumentRow>, TdtError> {
        let body = self.get("api/list_document_prefecture.php", &[]).await?;
        let value = json(&body)?;
        let items = value
            .as_array()
            .ok_or_else(|| TdtError::Protocol("liste des documents absente".to_string()))?;
        items
            .iter()
            .map(|d| {
                Ok(PrefectureDocumentRow {
                    id: number(d, "id")?,
                    kind: number(d, "type")?,
                    related_transaction: number(d, "related_transaction_id")?,
                    number: string(d, "number"),
                    act_id: string(d, "unique_id"),
                })
            })
            .collect()
    }

    /// A prefecture document's archive (`actes_transac_get_document.php`, which sends to
    /// the envelope's download).
    pub async fn prefecture_document(&self, id: u64) -> Result<Vec<u8>, TdtError> {
        let body = self
            .get("actes_transac_get_document.php", &[("id", id.to_string())])
            .await?;
        if body.starts_with(b"KO") {
            ok_or_refused(&body)?;
        }
        Ok(body)
    }

    /// Tells the platform a document was taken (`api/document_prefecture_mark_as_read.php`).
    pub async fn mark_as_read(&self, id: u64) -> Result<(), TdtError> {
        let body = self
            .get(
                "api/document_prefecture_mark_as_read.php",
                &[("transaction_id", id.to_string())],
            )
            .await?;
        let value = json(&body)?;
        if value.get("result").and_then(Value::as_str) == Some("ok") {
            Ok(())
        } else {
            Err(TdtError::Refused(text(&body).trim().to_string()))
        }
    }

    /// Answers a prefecture document (`actes_transac_reponse_create.php`); gives the
    /// answer's transaction number.
    pub async fn answer_document(
        &self,
        document: u64,
        answer: &Answer,
        type_acte: &str,
    ) -> Result<u64, TdtError> {
        let (kind, file) = match answer {
            Answer::Send(file) => ("4", file),
            Answer::Refuse(file) => ("3", file),
        };
        let form = Form::new()
            .text("id", document.to_string())
            .text("type_envoie", kind)
            .text("type_acte", type_acte.to_string())
            .part("acte_pdf_file", file.part()?);
        let body = self
            .answer(
                self.http
                    .post(self.url("actes_transac_reponse_create.php"))
                    .query(&[("api", "1")])
                    .multipart(form),
            )
            .await?;
        created_id(&body)
    }

    /// Cancels an acknowledged act (`actes_transac_cancel.php`); gives the cancellation's
    /// transaction number.
    pub async fn cancel(&self, transaction: u64) -> Result<u64, TdtError> {
        let form = [("api", "1".to_string()), ("id", transaction.to_string())];
        let body = self
            .answer(
                self.http
                    .post(self.url("actes_transac_cancel.php"))
                    .form(&form),
            )
            .await?;
        created_id(&body)
    }
}

/// A row of the prefecture's documents list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefectureDocumentRow {
    pub id: u64,
    /// 2 courrier simple, 3 demande de pièces complémentaires, 4 lettre d'observations,
    /// 5 déféré au tribunal administratif.
    pub kind: u64,
    pub related_transaction: u64,
    pub number: String,
    pub act_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_the_platform_writes_them() {
        assert_eq!(created_id(b"OK\n1234\n").ok(), Some(1234));
        assert_eq!(
            created_id(b"OK : id g\xc3\xa9n\xc3\xa9r\xc3\xa9 : 77\n").ok(),
            Some(77)
        );
        match created_id("KO\nUn acte portant le même numéro interne existe déjà".as_bytes()) {
            Err(TdtError::Refused(reason)) => assert!(reason.starts_with("Un acte portant")),
            other => panic!("{other:?}"),
        }
        match created_id(b"KO : Acc\xe8s refus\xe9") {
            Err(TdtError::Refused(reason)) => assert_eq!(reason, "Accès refusé"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(created_id(b"<html>"), Err(TdtError::Protocol(_))));
        assert!(matches!(created_id(b"OK\n"), Err(TdtError::Protocol(_))));
    }

    #[test]
    fn numbers_written_as_strings_or_numbers_are_read() {
        let v: Value =
            serde_json::from_str(r#"{"a": "12", "b": 13, "c": "x"}"#).unwrap_or_default();
        assert_eq!(number(&v, "a").ok(), Some(12));
        assert_eq!(number(&v, "b").ok(), Some(13));
        assert!(number(&v, "c").is_err());
        assert!(number(&v, "d").is_err());
    }
}
