//! The API after the vote: signers, electronic signatures, verification of a signed PDF,
//! transmission to the prefecture and the prefecture's replies. The same use cases as the
//! CLI's `acta signer`, `acta signature`, `acta verify` and `acta transmission`.

use crate::AppState;
use crate::extract::PathParams;
use crate::problem::Problem;
use crate::writes::{Register, Subject, json};
use acta_app::AppError;
use acta_app::input::{
    NotificationInput, PrepareInput, PublishInput, SignInput, SignerInput, WithdrawalInput,
};
use acta_app::signatures::{SignTarget, SignatureView, SignerView, VerificationView};
use acta_app::transmissions::{TransmissionRun, TransmissionStatusView};
use acta_domain::DomainError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodFilter, MethodRouter};
use base64::Engine;
use schemars::JsonSchema;
use serde::Deserialize;

type Answer<T> = Result<Json<T>, Problem>;

/// A deliberation, by the number its address gives.
pub struct Act;

#[rustfmt::skip]
impl Subject for Act { type Path = String; type Key = String; fn key(p: &String) -> String { p.clone() } }

/// A prefecture's reply to a deliberation, by their numbers.
pub struct Reply;

#[rustfmt::skip]
impl Subject for Reply { type Path = (String, i64); type Key = (String, i64); fn key(p: &(String, i64)) -> (String, i64) { p.clone() } }

/// A document to sign: its kind ("deliberation", "proces-verbal", "convention") and key.
pub struct Document;

#[rustfmt::skip]
impl Subject for Document { type Path = (String, String); type Key = (String, String); fn key(p: &(String, String)) -> (String, String) { p.clone() } }

/// The body of an operation that needs nothing more than its address.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nothing {}

/// A PDF, in base64.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PdfInput {
    /// Le fichier PDF, encodé en base64.
    pub pdf_base64: String,
}

/// The collectivity's answer to a demande de pièces or a lettre d'observations.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// « envoi » (pièces, justification) ou « refus ».
    pub reponse: String,
    /// Nom du fichier (ex. pieces.pdf).
    pub nom_fichier: String,
    /// La réponse en PDF, encodée en base64.
    pub pdf_base64: String,
}

fn decode_pdf(field: &str, text: &str) -> Result<Vec<u8>, AppError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| {
            DomainError::field(field, "Fichier : le contenu n'est pas du base64 lisible.").into()
        })
}

fn target((kind, key): &(String, String)) -> Result<SignTarget, AppError> {
    SignTarget::parse(kind, key)
}

pub async fn signers(State(s): State<AppState>) -> Answer<Vec<SignerView>> {
    Ok(Json(s.acta.signers().await?))
}

pub async fn signature(
    State(s): State<AppState>,
    PathParams(path): PathParams<(String, String)>,
) -> Answer<SignatureView> {
    let view = s.acta.signature_status(&target(&path)?).await?;
    Ok(Json(view.ok_or_else(|| {
        AppError::not_found("Ce document n'a pas été préparé pour signature.")
    })?))
}

pub async fn transmission(
    State(s): State<AppState>,
    PathParams(number): PathParams<String>,
) -> Answer<TransmissionStatusView> {
    Ok(Json(s.acta.transmission_status(&number).await?))
}

/// Where a sitting's minutes stand.
pub async fn minutes(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<acta_app::minutes::MinutesView> {
    Ok(Json(
        s.acta
            .minutes_status(&crate::api_staff::sitting(id))
            .await?,
    ))
}

/// A 200 answer with its JSON body.
fn ok<T>(value: T) -> (StatusCode, Json<T>) {
    (StatusCode::OK, Json(value))
}

// The writes, one line each (see `writes`).
#[rustfmt::skip]
pub fn add_signer(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: SignerInput| async move { a.add_signer(&r, &i).await.map(|()| StatusCode::NO_CONTENT) }) }
#[rustfmt::skip]
pub fn prepare(m: MethodFilter) -> MethodRouter<AppState> { json::<Document, _, _, _>(m, |a, r, k, i: PrepareInput| async move { Ok(ok(a.prepare_signature(&r, &a.renderer, &target(&k)?, &i).await?)) }) }
#[rustfmt::skip]
pub fn transmit(m: MethodFilter) -> MethodRouter<AppState> { json::<Act, _, _, _>(m, |a, r, k, _: Nothing| async move { Ok(ok(a.transmit(&r, &a.renderer, &k).await?)) }) }
#[rustfmt::skip]
pub fn publish(m: MethodFilter) -> MethodRouter<AppState> { json::<Act, _, _, _>(m, |a, r, k, i: PublishInput| async move { Ok(ok(a.publish_deliberation(&r, &a.renderer, &k, &i).await?)) }) }
#[rustfmt::skip]
pub fn sign(m: MethodFilter) -> MethodRouter<AppState> { json::<Document, _, _, _>(m, |a, r, k, i: SignInput| async move { Ok(ok(a.sign_document(&r, &target(&k)?, &i).await?)) }) }
#[rustfmt::skip]
pub fn verify(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, _, (), i: PdfInput| async move { Ok(ok::<VerificationView>(a.verify_pdf(&decode_pdf("pdf_base64", &i.pdf_base64)?).await?)) }) }
#[rustfmt::skip]
pub fn follow(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), _: Nothing| async move { Ok(ok::<TransmissionRun>(a.run_transmissions(&r).await?)) }) }
#[rustfmt::skip]
pub fn withdraw(m: MethodFilter) -> MethodRouter<AppState> { json::<Act, _, _, _>(m, |a, r, k, i: WithdrawalInput| async move { Ok(ok(a.withdraw_publication(&r, &k, &i).await?)) }) }
#[rustfmt::skip]
pub fn notify(m: MethodFilter) -> MethodRouter<AppState> { json::<crate::backoffice::grants::Aid, _, _, _>(m, |a, r, k, i: NotificationInput| async move { Ok(ok(a.notify_award(&r, &k, &i).await?)) }) }
#[rustfmt::skip]
pub fn publish_minutes(m: MethodFilter) -> MethodRouter<AppState> { json::<crate::backoffice::sittings::Sitting, _, _, _>(m, |a, r, k, _: Nothing| async move { Ok(ok(a.publish_minutes(&r, &k).await?)) }) }
#[rustfmt::skip]
pub fn set_discussion(m: MethodFilter) -> MethodRouter<AppState> { json::<crate::backoffice::items::Item, _, _, _>(m, |a, r, (k, p), i: acta_app::minutes::DiscussionInput| async move { a.set_discussion(&r, &k, p, &i).await.map(|()| StatusCode::NO_CONTENT) }) }
#[rustfmt::skip]
pub fn cancel(m: MethodFilter) -> MethodRouter<AppState> { json::<Act, _, _, _>(m, |a, r, k, _: Nothing| async move { Ok(ok(a.cancel_transmission(&r, &k).await?)) }) }
#[rustfmt::skip]
pub fn answer(m: MethodFilter) -> MethodRouter<AppState> { json::<Reply, _, _, _>(m, |a, r, (n, id), i: AnswerInput| async move { Ok(ok(a.answer_prefecture(&r, &n, id, &i.reponse, &i.nom_fichier, &decode_pdf("pdf_base64", &i.pdf_base64)?).await?)) }) }
