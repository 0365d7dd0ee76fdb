//! Applications for grants, for staff: the dispositifs, the applications to instruct (a
//! piece asked for, the opinion, the proposal to a sitting, the decision notified), the
//! documents beneficiaries sent after the vote to accept or refuse, and merging a
//! duplicate organisation.

use crate::AppState;
use crate::api_acts::Nothing;
use crate::beneficiaries::file_response;
use crate::extract::{PathParams, Staff};
use crate::pages::{Can, Frame, Typed, shown};
use crate::session::Visitor;
use crate::writes::{form, page_subject};
use acta_app::AppError;
use acta_app::applications::{ApplicationSummary, ApplicationView, DispositifView};
use acta_app::grant_space::SubmissionView;
use acta_app::input::{
    DispositifInput, InstructionInput, MergeInput, PieceRequestInput, ProposalInput, ReviewInput,
};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

// ---- Dispositifs ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/dispositifs.html")]
pub struct DispositifsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub dispositifs: Vec<DispositifView>,
}

async fn dispositifs_page(
    s: &AppState,
    v: &Visitor,
    e: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        Ok(DispositifsPage {
            frame: Frame::staff(v, "Dispositifs d'aide").refused(e),
            can: Can::of(v),
            typed,
            dispositifs: s.acta.dispositifs().await?,
        })
    }
    .await;
    shown(v, e, page)
}

page_subject! {
    /// The calls for applications, where one is configured.
    Dispositifs(()): () => () = ();
    url = "/gestion/dispositifs".to_string();
    page = |s, v, e, t| dispositifs_page(s, v, e, t);
}

#[rustfmt::skip]
pub fn create_dispositif(m: MethodFilter) -> MethodRouter<AppState> { form::<Dispositifs, _, _, _, _>(m, "dispositifs", |a, r, (), i: DispositifInput| async move { a.create_dispositif(&r, &i).await }) }

// ---- Applications -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/applications.html")]
pub struct ApplicationsPage {
    pub frame: Frame,
    pub applications: Vec<ApplicationSummary>,
}

async fn applications_page(s: &AppState, v: &Visitor, e: Option<&AppError>, _: Typed) -> Response {
    let page = async {
        Ok(ApplicationsPage {
            frame: Frame::staff(v, "Demandes de subvention").refused(e),
            applications: s
                .acta
                .applications_to_instruct(&acta_app::Actor::new(v.login()))
                .await?,
        })
    }
    .await;
    shown(v, e, page)
}

page_subject! {
    /// The applications submitted, to instruct.
    Applications(()): () => () = ();
    url = "/gestion/demandes".to_string();
    page = |s, v, e, t| applications_page(s, v, e, t);
}

#[derive(Template)]
#[template(path = "staff/application.html")]
pub struct ApplicationPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub base: String,
    pub a: ApplicationView,
}

async fn application_page(
    s: &AppState,
    v: &Visitor,
    id: i64,
    e: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let a = s
            .acta
            .application(&acta_app::Actor::new(v.login()), id)
            .await?;
        Ok(ApplicationPage {
            frame: Frame::staff(v, format!("Demande de {} – {}", a.organisation, a.purpose))
                .refused(e),
            can: Can::of(v),
            typed,
            base: format!("/gestion/demandes/{id}"),
            a,
        })
    }
    .await;
    shown(v, e, page)
}

page_subject! {
    /// An application, where it is instructed.
    Application(id): i64 => i64 = id;
    url = format!("/gestion/demandes/{id}");
    page = |s, v, e, t| application_page(s, v, id, e, t);
}

#[rustfmt::skip]
pub fn request_piece(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _, _>(m, "piece", |a, r, id, i: PieceRequestInput| async move { a.request_piece(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn instruct(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _, _>(m, "instruction", |a, r, id, i: InstructionInput| async move { a.acta.instruct_application(&r, id, &i, &a.renderer).await }) }
#[rustfmt::skip]
pub fn propose(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _, _>(m, "proposition", |a, r, id, i: ProposalInput| async move { a.propose_application(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn notify(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _, _>(m, "notification", |a, r, id, _: Nothing| async move { a.acta.notify_application_decision(&r, id, &a.renderer).await }) }

pub async fn application_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, file)): PathParams<(i64, i64)>,
) -> Response {
    match s.acta.application_file(&staff.actor, id, file).await {
        Ok((meta, bytes)) => file_response(&meta.name, &meta.media_type, bytes),
        Err(e) => crate::pages::staff_error(&staff.visitor, e),
    }
}

// ---- Documents sent after the vote ------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/grant_documents.html")]
pub struct DocumentsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub documents: Vec<SubmissionView>,
}

async fn documents_page(s: &AppState, v: &Visitor, e: Option<&AppError>, typed: Typed) -> Response {
    let page = async {
        Ok(DocumentsPage {
            frame: Frame::staff(v, "Documents envoyés par les bénéficiaires").refused(e),
            can: Can::of(v),
            typed,
            documents: s.acta.pending_grant_documents().await?,
        })
    }
    .await;
    shown(v, e, page)
}

page_subject! {
    /// The documents beneficiaries sent, waiting for staff.
    GrantDocuments(()): () => () = ();
    url = "/gestion/pieces-beneficiaires".to_string();
    page = |s, v, e, t| documents_page(s, v, e, t);
}

/// A document sent by a beneficiary; its form is on the documents' page.
pub struct GrantDocument;

impl crate::writes::Subject for GrantDocument {
    type Path = i64;
    type Key = i64;
    fn key(path: &i64) -> i64 {
        *path
    }
}

impl crate::writes::Page for GrantDocument {
    fn url(_: &i64) -> String {
        "/gestion/pieces-beneficiaires".to_string()
    }
    async fn page(s: &AppState, v: &Visitor, _: i64, e: Option<&AppError>, t: Typed) -> Response {
        documents_page(s, v, e, t).await
    }
}

#[rustfmt::skip]
pub fn review(m: MethodFilter) -> MethodRouter<AppState> { form::<GrantDocument, _, _, _, _>(m, "examen", |a, r, id, i: ReviewInput| async move { a.review_grant_document(&r, id, &i).await }) }

pub async fn grant_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((award, file)): PathParams<(i64, i64)>,
) -> Response {
    match s.acta.grant_file(award, file).await {
        Ok((meta, bytes)) => file_response(&meta.name, &meta.media_type, bytes),
        Err(e) => crate::pages::staff_error(&staff.visitor, e),
    }
}

#[rustfmt::skip]
pub fn merge(m: MethodFilter) -> MethodRouter<AppState> { form::<super::grants::Beneficiaries, _, _, _, _>(m, "fusion", |a, r, (), i: MergeInput| async move { a.merge_beneficiaries(&r, &i).await }) }
