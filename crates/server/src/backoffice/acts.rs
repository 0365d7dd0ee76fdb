//! A deliberation after its vote: its electronic signature, its transmission to the
//! prefecture through the TdT, the acknowledgement and the prefecture's replies.

use super::see_other;
use crate::AppState;
use crate::extract::{FormFields, PathParams, Staff};
use crate::pages::{Can, Choice, Frame, Typed, choices, pdf_file, shown, staff_error};
use crate::session::Visitor;
use acta_app::AppError;
use acta_app::input::{PrepareInput, PublishInput, SignInput, WithdrawalInput};
use acta_app::publications::PublicationView;
use acta_app::signatures::{SignTarget, SignatureView};
use acta_app::transmissions::{TransmissionFile, TransmissionStatusView};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "staff/act.html")]
pub struct ActPage {
    pub frame: Frame,
    pub typed: Typed,
    pub number: String,
    pub title: String,
    pub signature: Option<SignatureView>,
    pub signers: Vec<Choice>,
    pub transmission: Option<TransmissionStatusView>,
    pub can_sign: bool,
    pub can_transmit: bool,
    pub publication: Option<PublicationView>,
    /// "Exécutoire depuis le …" or what is missing.
    pub enforceability: String,
    pub can_publish: bool,
}

fn deliberation(number: &str) -> Result<SignTarget, AppError> {
    SignTarget::parse("deliberation", number)
}

/// The act's page; `error` shows above it when a form was refused.
pub async fn act_page(
    s: &AppState,
    visitor: &Visitor,
    number: &str,
    error: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let view = s.acta.deliberation_view(number).await?;
        let signature = s.acta.signature_status(&deliberation(number)?).await?;
        let transmission = match s.acta.transmission_status(number).await {
            Ok(t) => Some(t),
            Err(AppError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        let awaited: Vec<(String, String)> = signature
            .iter()
            .flat_map(|sig| sig.signataires.iter())
            .filter(|s| s.signe_le.is_none())
            .map(|s| (s.nom.clone(), format!("{} ({})", s.nom, s.qualite)))
            .collect();
        let can = Can::of(visitor);
        let base = "/gestion/deliberations/{number}";
        Ok(ActPage {
            frame: Frame::staff(visitor, format!("Délibération N°{number}")).refused(error),
            signers: choices(awaited, typed.get("signataire")),
            can_sign: can.post(&format!("{base}/signature")),
            can_transmit: can.post(&format!("{base}/transmission")),
            can_publish: can.post(&format!("{base}/publication")),
            publication: s.acta.publication(number).await?,
            enforceability: view.enforceability.texte.clone(),
            typed,
            number: number.trim().to_string(),
            title: view.title.clone(),
            signature,
            transmission,
        })
    }
    .await;
    shown(visitor, error, page)
}

pub async fn show(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
) -> Response {
    act_page(&s, &staff.visitor, &number, None, Typed::default()).await
}

/// After a form: back to the page, or the page again with the refusal.
async fn after(
    s: &AppState,
    staff: &Staff,
    number: &str,
    fields: FormFields,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/gestion/deliberations/{}", number.trim())),
        Err(e) => act_page(s, &staff.visitor, number, Some(&e), Typed::new(fields.0)).await,
    }
}

/// Prepares the deliberation for signature (mentions dated today).
pub async fn prepare(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let signer = fields
        .0
        .get("signataire")
        .cloned()
        .filter(|v| !v.trim().is_empty());
    let result = async {
        s.acta
            .prepare_signature(
                &staff.actor,
                &s.renderer,
                &deliberation(&number)?,
                &PrepareInput { signer },
            )
            .await
            .map(|_| ())
    }
    .await;
    after(&s, &staff, &number, fields, result).await
}

/// Signs the prepared deliberation with the chosen signer's certificate.
pub async fn sign(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let signer = fields.0.get("signataire").cloned().unwrap_or_default();
    let result = async {
        s.acta
            .sign_document(&staff.actor, &deliberation(&number)?, &SignInput { signer })
            .await
            .map(|_| ())
    }
    .await;
    after(&s, &staff, &number, fields, result).await
}

/// Sends the signed deliberation to the prefecture.
pub async fn transmit(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let result = s
        .acta
        .transmit(&staff.actor, &s.renderer, &number)
        .await
        .map(|_| ());
    after(&s, &staff, &number, fields, result).await
}

/// Moves the pending transmissions on and takes the prefecture's letters.
pub async fn follow(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let result = s.acta.run_transmissions(&staff.actor).await.map(|_| ());
    after(&s, &staff, &number, fields, result).await
}

/// Cancels the transmitted act (the collectivity's annulation).
pub async fn cancel(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let result = s
        .acta
        .cancel_transmission(&staff.actor, &number)
        .await
        .map(|_| ());
    after(&s, &staff, &number, fields, result).await
}

/// Publishes the deliberation on the portal.
pub async fn publish(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let input = PublishInput {
        date: fields.0.get("date").cloned(),
    };
    let result = s
        .acta
        .publish_deliberation(&staff.actor, &s.renderer, &number, &input)
        .await
        .map(|_| ());
    after(&s, &staff, &number, fields, result).await
}

/// Records the withdrawal of the published act; it stays listed with the reason.
pub async fn withdraw(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
    fields: FormFields,
) -> Response {
    let field = |name: &str| fields.0.get(name).cloned().unwrap_or_default();
    let input = WithdrawalInput {
        date: field("date_retrait"),
        reason: field("motif"),
    };
    let result = s
        .acta
        .withdraw_publication(&staff.actor, &number, &input)
        .await
        .map(|_| ());
    after(&s, &staff, &number, fields, result).await
}

/// The signed (or to-be-signed) PDF.
pub async fn signed_pdf(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(number): PathParams<String>,
) -> Response {
    let result = async { s.acta.signature_pdf(&deliberation(&number)?).await }.await;
    match result {
        Ok((name, bytes)) => pdf_file("attachment", &name, bytes),
        Err(e) => staff_error(&staff.visitor, e),
    }
}

fn file(name: &str, media_type: &str, bytes: Vec<u8>) -> Response {
    if media_type == "application/pdf" {
        return pdf_file("attachment", name, bytes);
    }
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A file of the transmission: acte, accuse (ARActe) or tampon.
pub async fn transmission_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((number, which)): PathParams<(String, String)>,
) -> Response {
    let result = async {
        let which = TransmissionFile::parse(&which)?;
        s.acta.transmission_file(&number, which).await
    }
    .await;
    match result {
        Ok((name, media, bytes)) => file(&name, &media, bytes),
        Err(e) => staff_error(&staff.visitor, e),
    }
}

/// A prefecture's letter.
pub async fn letter(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((number, reply)): PathParams<(String, i64)>,
) -> Response {
    match s.acta.prefecture_letter(&number, reply).await {
        Ok((name, media, bytes)) => file(&name, &media, bytes),
        Err(e) => staff_error(&staff.visitor, e),
    }
}
