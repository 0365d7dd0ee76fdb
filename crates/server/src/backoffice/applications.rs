//! Applications for grants, for staff: the dispositifs, the applications to instruct (a
//! piece asked for, the opinion, the proposal to a sitting, the decision notified), the
//! documents beneficiaries sent after the vote to accept or refuse, and merging a
//! duplicate organisation.

use crate::AppState;
use crate::api_acts::Nothing;
use crate::extract::{PathParams, Staff};
use crate::pages::{Can, Frame, Typed};
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

page_subject! {
    /// The calls for applications, where one is configured.
    Dispositifs(()): () => () = ();
    url = "/gestion/dispositifs".to_string();
    build = |s, v, e, typed| DispositifsPage {
        frame: Frame::staff(v, "Dispositifs d'aide").refused(e),
        can: Can::of(v),
        typed,
        dispositifs: s.acta.dispositifs().await?,
    };
}

#[rustfmt::skip]
pub fn create_dispositif(m: MethodFilter) -> MethodRouter<AppState> { form::<Dispositifs, _, _, _>(m, "dispositifs", |a, r, (), i: DispositifInput| async move { a.create_dispositif(&r, &i).await }) }

// ---- Applications -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/applications.html")]
pub struct ApplicationsPage {
    pub frame: Frame,
    pub applications: Vec<ApplicationSummary>,
}

page_subject! {
    /// The applications submitted, to instruct.
    Applications(()): () => () = ();
    url = "/gestion/demandes".to_string();
    build = |s, v, e, _| ApplicationsPage {
        frame: Frame::staff(v, "Demandes de subvention").refused(e),
        applications: s.acta.applications_to_instruct(&v.actor()).await?,
    };
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

page_subject! {
    /// An application, where it is instructed.
    Application(id): i64 => i64 = id;
    url = format!("/gestion/demandes/{id}");
    build = |s, v, e, typed| {
        let a = s.acta.application(&v.actor(), id).await?;
        ApplicationPage {
            frame: Frame::staff(v, format!("Demande de {} – {}", a.organisation, a.purpose))
                .refused(e),
            can: Can::of(v),
            typed,
            base: format!("/gestion/demandes/{id}"),
            a,
        }
    };
}

#[rustfmt::skip]
pub fn request_piece(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _>(m, "piece", |a, r, id, i: PieceRequestInput| async move { a.request_piece(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn instruct(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _>(m, "instruction", |a, r, id, i: InstructionInput| async move { a.acta.instruct_application(&r, id, &i, &a.renderer).await }) }
#[rustfmt::skip]
pub fn propose(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _>(m, "proposition", |a, r, id, i: ProposalInput| async move { a.propose_application(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn notify(m: MethodFilter) -> MethodRouter<AppState> { form::<Application, _, _, _>(m, "notification", |a, r, id, _: Nothing| async move { a.acta.notify_application_decision(&r, id, &a.renderer).await }) }

pub async fn application_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, file)): PathParams<(i64, i64)>,
) -> Response {
    let found = s.acta.application_file(&staff.actor, id, file).await;
    crate::pages::stored_file(&staff.visitor, found)
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

page_subject! {
    /// The documents beneficiaries sent, waiting for staff.
    GrantDocuments(()): () => () = ();
    url = "/gestion/pieces-beneficiaires".to_string();
    build = |s, v, e, typed| DocumentsPage {
        frame: Frame::staff(v, "Documents envoyés par les bénéficiaires").refused(e),
        can: Can::of(v),
        typed,
        documents: s.acta.pending_grant_documents().await?,
    };
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
        <GrantDocuments as crate::writes::Page>::page(s, v, (), e, t).await
    }
}

#[rustfmt::skip]
pub fn review(m: MethodFilter) -> MethodRouter<AppState> { form::<GrantDocument, _, _, _>(m, "examen", |a, r, id, i: ReviewInput| async move { a.review_grant_document(&r, id, &i).await }) }

pub async fn grant_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((award, file)): PathParams<(i64, i64)>,
) -> Response {
    let found = s.acta.grant_file(award, file).await;
    crate::pages::stored_file(&staff.visitor, found)
}

#[rustfmt::skip]
pub fn merge(m: MethodFilter) -> MethodRouter<AppState> { form::<super::grants::Beneficiaries, _, _, _>(m, "fusion", |a, r, (), i: MergeInput| async move { a.merge_beneficiaries(&r, &i).await }) }
