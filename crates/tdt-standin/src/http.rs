//! The pages of S²LOW's API the stand-in answers, with their fields, answers and messages
//! as `public.ssl/modules/actes/` writes them.

use crate::platform::{Platform, Transaction, number_is_valid};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Form, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub type Shared = Arc<Mutex<Platform>>;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/modules/actes/actes_transac_create.php", post(create))
        .route("/modules/actes/actes_transac_get_status.php", get(status))
        .route("/modules/actes/api/list_actes.php", get(list_actes))
        .route(
            "/modules/actes/actes_transac_get_files_list.php",
            get(files_list),
        )
        .route("/modules/actes/actes_download_file.php", get(download))
        .route(
            "/modules/actes/api/list_document_prefecture.php",
            get(list_documents),
        )
        .route(
            "/modules/actes/actes_transac_get_document.php",
            get(get_document),
        )
        .route(
            "/modules/actes/api/document_prefecture_mark_as_read.php",
            get(mark_as_read),
        )
        .route(
            "/modules/actes/actes_transac_reponse_create.php",
            post(answer),
        )
        .route("/modules/actes/actes_transac_cancel.php", post(cancel))
        .with_state(state)
}

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

fn plain(text: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

fn ko(message: &str) -> Response {
    plain(format!("KO\n{message}"))
}

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, Platform> {
    // A test that panicked while holding the lock leaves a platform still worth reading.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The login and password some platforms ask on top of the certificate (HTTP basic).
fn authenticated(state: &Shared, headers: &HeaderMap, page: &str) -> bool {
    let mut platform = lock(state);
    platform.requests.push(page.to_string());
    let Some((user, password)) = platform.script.login.clone() else {
        return true;
    };
    let expected = format!("{user}:{password}");
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|encoded| decode_base64(encoded.trim()))
        .is_some_and(|given| given == expected.as_bytes())
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

const AUTH_FAILED: &str = "Échec de l'authentification";

/// A multipart form read whole: its text fields and its files.
#[derive(Default)]
struct Posted {
    fields: Vec<(String, String)>,
    files: Vec<(String, String, Bytes)>,
}

impl Posted {
    async fn read(mut multipart: Multipart) -> Result<Posted, String> {
        let mut posted = Posted::default();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(|e| e.to_string())?;
                    posted.files.push((name, file_name, bytes));
                }
                None => {
                    let text = field.text().await.map_err(|e| e.to_string())?;
                    posted.fields.push((name, text));
                }
            }
        }
        Ok(posted)
    }

    fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    fn files(&self, name: &str) -> Vec<(String, Bytes)> {
        self.files
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, f, b)| (f.clone(), b.clone()))
            .collect()
    }
}

/// The type `mime_content_type` would find, for the kinds the platform accepts.
fn sniff(bytes: &[u8]) -> (&'static str, &'static str) {
    if bytes.starts_with(b"%PDF") {
        ("application/pdf", "pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", "jpg")
    } else if bytes.starts_with(b"\x89PNG") {
        ("image/png", "png")
    } else if bytes.starts_with(b"<?xml") {
        ("application/xml", "xml")
    } else {
        ("application/octet-stream", "")
    }
}

async fn create(State(state): State<Shared>, headers: HeaderMap, multipart: Multipart) -> Response {
    if !authenticated(&state, &headers, "POST actes_transac_create.php") {
        return ko(AUTH_FAILED);
    }
    let posted = match Posted::read(multipart).await {
        Ok(p) => p,
        Err(e) => return ko(&format!("Erreur lors de la réception du fichier : {e}")),
    };
    let number = posted.field("number");
    if !number_is_valid(&number) {
        return ko("Le numéro n'est pas correct");
    }
    let Ok(decision_date) = posted.field("decision_date").parse::<Date>() else {
        return ko("La date de décision est incorrecte");
    };
    if decision_date > today() {
        return ko("La date de décision est une date dans le futur");
    }
    let nature_code: u64 = posted.field("nature_code").parse().unwrap_or(0);
    if !(1..=6).contains(&nature_code) {
        return ko("Nature de l'acte incorrecte");
    }
    let delay;
    let id;
    {
        let mut platform = lock(&state);
        if platform.number_taken(&number) {
            return ko(
                "Un acte portant le même numéro interne existe déjà dans la base de données.\nIl faut peut-être ajouter un suffixe au numéro.",
            );
        }
        let Some((act_name, act_bytes)) = posted.files("acte_pdf_file").into_iter().next() else {
            return ko("Aucun fichier acte n'a été posté ");
        };
        let type_acte = posted.field("type_acte");
        if type_acte.is_empty() {
            return ko(&format!(
                "Erreur lors de la réception du fichier {act_name} : typologie absente"
            ));
        }
        let (mime, ext) = sniff(&act_bytes);
        if !matches!(ext, "pdf" | "xml") {
            return ko(&format!(
                "Erreur de validation du fichier de l'acte :\nLe fichier de l'acte \" {act_name} \" est de type \" {mime} \". Fichier PDF ou XML requis.\n"
            ));
        }
        let attachments = posted.files("acte_attachments[]");
        let kinds = posted.all("type_pj[]");
        let mut files = Vec::new();
        let a = platform.authority();
        let stem = format!(
            "{}-{}-{}-{number}",
            a.department_code_3,
            a.siren,
            decision_date.strftime("%Y%m%d")
        );
        files.push((
            format!("{stem}-{type_acte}-1_1.{ext}"),
            act_name,
            mime,
            act_bytes,
        ));
        for (i, (name, bytes)) in attachments.into_iter().enumerate() {
            let Some(kind) = kinds.get(i).filter(|k| !k.is_empty()) else {
                return ko(&format!(
                    "Erreur lors de la réception du fichier annexe {name} : typologie absente"
                ));
            };
            let (mime, ext) = sniff(&bytes);
            if ext.is_empty() {
                return ko(&format!(
                    "Erreur de validation d'un fichier de pièce jointe :\nLe fichier attaché \" {name} \" est de type \" {mime} \". Fichier PDF, XML, PNG ou JPEG requis.\n"
                ));
            }
            files.push((
                format!("{stem}-{kind}-1_{}.{ext}", i + 2),
                name,
                mime,
                bytes,
            ));
        }
        let file_ids = files
            .into_iter()
            .map(|(stored, posted, mime, bytes)| {
                platform.store_file(&stored, &posted, mime, bytes.to_vec())
            })
            .collect();
        let classification = (1..=5)
            .map(|i| posted.field(&format!("classif{i}")))
            .collect();
        id = platform.post_act(Transaction {
            id: 0,
            kind: 1,
            related: None,
            number,
            subject: posted.field("subject"),
            nature_code,
            decision_date,
            classification,
            statuses: Vec::new(),
            acknowledgement: None,
            unique_id: None,
            files: file_ids,
            archive: None,
            read: true,
            answer_kind: None,
        });
        delay = platform.script.next_create_delay.take();
    }
    if let Some(delay) = delay {
        // Recorded, but the answer comes too late: the client cannot know.
        tokio::time::sleep(delay).await;
    }
    plain(format!("OK\n{id}\n"))
}

fn transaction_param(query: &HashMap<String, String>, name: &str) -> Option<u64> {
    query
        .get(name)
        .and_then(|v| v.trim().parse().ok())
        .filter(|id| *id > 0)
}

async fn status(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authenticated(&state, &headers, "GET actes_transac_get_status.php") {
        return ko(AUTH_FAILED);
    }
    let Some(id) = transaction_param(&query, "transaction") else {
        return ko("Numéro de transaction invalide.");
    };
    let mut platform = lock(&state);
    match platform.read_status(id, today()) {
        Some((code, message)) => {
            let mut body = format!("OK\n{code}\n").into_bytes();
            body.extend(message);
            (
                [(header::CONTENT_TYPE, "text/plain; charset=iso-8859-1")],
                body,
            )
                .into_response()
        }
        None => ko("Numéro de transaction invalide."),
    }
}

async fn list_actes(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authenticated(&state, &headers, "GET api/list_actes.php") {
        return ko(AUTH_FAILED);
    }
    let Some(status) = query
        .get("status_id")
        .and_then(|s| s.trim().parse::<i32>().ok())
    else {
        return (StatusCode::BAD_REQUEST, "status_id obligatoire").into_response();
    };
    let offset: usize = query
        .get("offset")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let limit: usize = query
        .get("limit")
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let platform = lock(&state);
    let transactions: Vec<_> = platform
        .transactions
        .iter()
        .filter(|t| t.status() == status)
        .skip(offset)
        .take(limit)
        .map(|t| {
            json!({
                "id": t.id.to_string(),
                "subject": t.subject,
                "number": t.number,
                "decision_date": t.decision_date.to_string(),
                "nature_descr": "Délibérations",
                "classification": t.classification.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join("."),
                "type": t.kind.to_string(),
            })
        })
        .collect();
    axum::Json(json!({
        "status_id": status,
        "authority_id": 1,
        "offset": offset,
        "limit": limit,
        "transactions": transactions,
    }))
    .into_response()
}

async fn files_list(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authenticated(&state, &headers, "GET actes_transac_get_files_list.php") {
        return ko(AUTH_FAILED);
    }
    let Some(id) = transaction_param(&query, "transaction") else {
        return ko("Numéro de transaction invalide.");
    };
    let platform = lock(&state);
    let Some(t) = platform.transaction(id) else {
        return ko("Numéro de transaction invalide.");
    };
    if t.statuses.iter().all(|s| [1, 2, 3].contains(s)) {
        return ko("Pas d'acquittement recu");
    }
    let files: Vec<_> = t
        .files
        .iter()
        .filter_map(|f| platform.files.iter().find(|s| s.id == *f))
        .map(|f| {
            json!({
                "id": f.id.to_string(),
                "name": f.name,
                "posted_filename": f.posted_filename,
                "mimetype": f.media_type,
                "size": f.bytes.len().to_string(),
            })
        })
        .collect();
    axum::Json(files).into_response()
}

async fn download(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authenticated(&state, &headers, "GET actes_download_file.php") {
        return ko(AUTH_FAILED);
    }
    let platform = lock(&state);
    if let Some(envelope) = transaction_param(&query, "env") {
        return match platform
            .transaction(envelope)
            .and_then(|t| t.archive.clone())
        {
            Some(archive) => {
                ([(header::CONTENT_TYPE, "application/x-gzip")], archive).into_response()
            }
            None => ko("Enveloppe invalide."),
        };
    }
    let Some(file_id) = transaction_param(&query, "file") else {
        return ko("Fichier invalide.");
    };
    let Some(file) = platform.files.iter().find(|f| f.id == file_id) else {
        return ko("Fichier invalide.");
    };
    let owner = platform
        .transactions
        .iter()
        .find(|t| t.files.contains(&file_id));
    let stamped = query.get("tampon").is_some_and(|v| v == "true");
    let bytes = match owner {
        Some(t) if stamped && t.status() == 4 && file.media_type == "application/pdf" => {
            platform.stamped(file, t)
        }
        _ => file.bytes.clone(),
    };
    ([(header::CONTENT_TYPE, file.media_type.clone())], bytes).into_response()
}

/// The prefecture's documents: transactions of types 2 to 5 that came from it.
fn from_prefecture(t: &Transaction) -> bool {
    (2..=5).contains(&t.kind) && t.archive.is_some()
}

async fn list_documents(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if !authenticated(&state, &headers, "GET api/list_document_prefecture.php") {
        return ko(AUTH_FAILED);
    }
    let platform = lock(&state);
    let documents: Vec<_> = platform
        .transactions
        .iter()
        .filter(|t| from_prefecture(t) && !t.read)
        .map(|t| {
            json!({
                "id": t.id.to_string(),
                "type": t.kind.to_string(),
                "related_transaction_id": t.related.unwrap_or(0).to_string(),
                "number": t.number,
                "unique_id": t.unique_id.clone().unwrap_or_default(),
                "last_status_id": t.status().to_string(),
            })
        })
        .collect();
    axum::Json(documents).into_response()
}

async fn get_document(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authenticated(&state, &headers, "GET actes_transac_get_document.php") {
        return ko(AUTH_FAILED);
    }
    let Some(id) = transaction_param(&query, "id") else {
        return ko("Numéro de transaction invalide.");
    };
    let platform = lock(&state);
    let Some(t) = platform.transaction(id) else {
        return ko("Numéro de transaction invalide.");
    };
    if t.kind == 1 {
        // For an act: its prefecture documents, one "type-status-id" per line.
        let lines: String = platform
            .transactions
            .iter()
            .filter(|d| from_prefecture(d) && d.related == Some(id))
            .map(|d| format!("{}-{}-{}\n", d.kind, d.status(), d.id))
            .collect();
        return plain(lines);
    }
    (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            format!("actes_download_file.php?env={id}"),
        )],
    )
        .into_response()
}

async fn mark_as_read(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authenticated(
        &state,
        &headers,
        "GET api/document_prefecture_mark_as_read.php",
    ) {
        return ko(AUTH_FAILED);
    }
    let Some(id) = transaction_param(&query, "transaction_id") else {
        return axum::Json(json!({"result": "ko", "message": "transaction_id obligatoire"}))
            .into_response();
    };
    let mut platform = lock(&state);
    match platform
        .transactions
        .iter_mut()
        .find(|t| t.id == id && from_prefecture(t))
    {
        Some(t) => {
            t.read = true;
            axum::Json(json!({"result": "ok"})).into_response()
        }
        None => {
            axum::Json(json!({"result": "ko", "message": "Transaction inconnue"})).into_response()
        }
    }
}

async fn answer(State(state): State<Shared>, headers: HeaderMap, multipart: Multipart) -> Response {
    if !authenticated(&state, &headers, "POST actes_transac_reponse_create.php") {
        return plain(format!("KO : {AUTH_FAILED}"));
    }
    let posted = match Posted::read(multipart).await {
        Ok(p) => p,
        Err(e) => return plain(format!("KO : Envoi de fichier illégal. ({e})")),
    };
    let Ok(related) = posted.field("id").parse::<u64>() else {
        return plain("KO : Erreur d'initialisation de la transaction de référence.".to_string());
    };
    if posted.field("type_acte").is_empty() {
        return plain(
            "KO : Erreur lors de la réception du fichier : typologie absente".to_string(),
        );
    }
    let Some((name, bytes)) = posted.files("acte_pdf_file").into_iter().next() else {
        return plain("KO : Envoi de fichier illégal.".to_string());
    };
    let (mime, ext) = sniff(&bytes);
    if ext.is_empty() {
        return plain(format!(
            "KO : Erreur de validation du fichier de l'acte :\nLe fichier de réponse \" {name} \" est de type \" {mime} \". Fichier PDF, XML, PNG ou JPEG requis.\n"
        ));
    }
    let kind = posted.field("type_envoie").parse::<u64>().ok();
    let mut platform = lock(&state);
    let needs_kind = platform
        .transaction(related)
        .is_some_and(|t| t.kind == 3 || t.kind == 4);
    if needs_kind && !matches!(kind, Some(3) | Some(4)) {
        return plain("KO : Nature de l'envoi absente (type_envoie : 3 ou 4).".to_string());
    }
    let file = platform.store_file(&name, &name, mime, bytes.to_vec());
    match platform.answer(related, kind, file) {
        Ok(id) => plain(format!("OK : id généré : {id}\n")),
        Err(e) => plain(format!("KO : {e}")),
    }
}

async fn cancel(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !authenticated(&state, &headers, "POST actes_transac_cancel.php") {
        return ko(AUTH_FAILED);
    }
    let Some(id) = transaction_param(&form, "id") else {
        return ko("Pas d'identifiant de transaction à annuler spécifié.");
    };
    let mut platform = lock(&state);
    match platform.cancel(id) {
        Ok(created) => plain(format!("OK\n{created}\n")),
        Err(e) => ko(&e),
    }
}
