//! A deliberation after its vote: its electronic signature, its transmission to the
//! prefecture through the TdT, the acknowledgement and the prefecture's replies.

use crate::AppState;
use crate::api_acts::Nothing;
use crate::extract::{PathParams, Staff};
use crate::pages::{Can, Choice, Frame, Typed, choices, pdf_file, shown, staff_error};
use crate::session::Visitor;
use crate::writes::{Page, Subject, form};
use acta_app::AppError;
use acta_app::input::{PrepareInput, PublishInput, SignInput, WithdrawalInput};
use acta_app::publications::PublicationView;
use acta_app::signatures::{SignTarget, SignatureView};
use acta_app::transmissions::{TransmissionFile, TransmissionStatusView};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

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

/// A deliberation's back-office page, where its forms after the vote are.
pub struct Act;

impl Subject for Act {
    type Path = String;
    type Key = String;
    fn key(number: &String) -> String {
        number.trim().to_string()
    }
}

impl Page for Act {
    fn url(number: &String) -> String {
        format!("/gestion/deliberations/{}", number.trim())
    }

    async fn page(
        s: &AppState,
        visitor: &Visitor,
        number: String,
        error: Option<&AppError>,
        typed: Typed,
    ) -> Response {
        act_page(s, visitor, &number, error, typed).await
    }
}

// The forms, one line each (see `writes`).
#[rustfmt::skip]
pub fn prepare(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "preparation", |a, r, k, i: PrepareInput| async move { a.prepare_signature(&r, &a.renderer, &deliberation(&k)?, &i).await }) }
#[rustfmt::skip]
pub fn sign(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "signature", |a, r, k, i: SignInput| async move { a.sign_document(&r, &deliberation(&k)?, &i).await }) }
#[rustfmt::skip]
pub fn transmit(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "transmission", |a, r, k, _: Nothing| async move { a.transmit(&r, &a.renderer, &k).await }) }
#[rustfmt::skip]
pub fn follow(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "suivi", |a, r, _, _: Nothing| async move { a.run_transmissions(&r).await }) }
#[rustfmt::skip]
pub fn cancel(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "annulation", |a, r, k, _: Nothing| async move { a.cancel_transmission(&r, &k).await }) }
#[rustfmt::skip]
pub fn publish(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "publication", |a, r, k, i: PublishInput| async move { a.publish_deliberation(&r, &a.renderer, &k, &i).await }) }
#[rustfmt::skip]
pub fn withdraw(m: MethodFilter) -> MethodRouter<AppState> { form::<Act, _, _, _>(m, "retrait", |a, r, k, i: WithdrawalInput| async move { a.withdraw_publication(&r, &k, &i).await }) }

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
        Ok((name, media, bytes)) => crate::pages::file("attachment", &name, &media, bytes),
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
        Ok((name, media, bytes)) => crate::pages::file("attachment", &name, &media, bytes),
        Err(e) => staff_error(&staff.visitor, e),
    }
}
