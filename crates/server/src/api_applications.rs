//! The API of grant applications: dispositifs, applications and their instruction,
//! documents sent after the vote, for staff; and the beneficiaries' own reads and writes
//! under `/api/espace-beneficiaire` (a file is sent as multipart/form-data, its part named
//! `fichier`). The same use cases and input structs as the pages.

use crate::AppState;
use crate::api_acts::Nothing;
use crate::backoffice::applications::{Application, GrantDocument};
use crate::beneficiaries::{NewApplication, OwnApplication, OwnGrant};
use crate::extract::{PathParams, Staff, Upload};
use crate::problem::Problem;
use crate::writes::{Register, json, json_upload};
use acta_app::applications::{
    ApplicationSummary, ApplicationView, DispositifView, OrganisationHome,
};
use acta_app::grant_space::{GrantView, SubmissionView};
use acta_app::input::{
    ApplicationInput, DispositifInput, GrantDocumentInput, HolderInput, InstructionInput,
    MergeInput, PieceRequestInput, PieceUploadInput, ProposalInput, ReviewInput,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodFilter, MethodRouter};

type Answer<T> = Result<Json<T>, Problem>;

fn created(id: i64) -> (StatusCode, Json<crate::api_staff::Created>) {
    (StatusCode::CREATED, Json(crate::api_staff::Created { id }))
}

fn done(_: ()) -> StatusCode {
    StatusCode::NO_CONTENT
}

// ---- Staff ------------------------------------------------------------------------------

pub async fn dispositifs(State(s): State<AppState>) -> Answer<Vec<DispositifView>> {
    Ok(Json(s.acta.dispositifs().await?))
}

#[rustfmt::skip]
pub fn create_dispositif(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: DispositifInput| async move { a.create_dispositif(&r, &i).await.map(created) }) }

pub async fn applications(
    State(s): State<AppState>,
    staff: Staff,
) -> Answer<Vec<ApplicationSummary>> {
    Ok(Json(s.acta.applications_to_instruct(&staff.actor).await?))
}

pub async fn application(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Answer<ApplicationView> {
    Ok(Json(s.acta.application(&staff.actor, id).await?))
}

#[rustfmt::skip]
pub fn request_piece(m: MethodFilter) -> MethodRouter<AppState> { json::<Application, _, _, _>(m, |a, r, id, i: PieceRequestInput| async move { a.request_piece(&r, id, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn instruct(m: MethodFilter) -> MethodRouter<AppState> { json::<Application, _, _, _>(m, |a, r, id, i: InstructionInput| async move { a.acta.instruct_application(&r, id, &i, &a.renderer).await.map(Json) }) }
#[rustfmt::skip]
pub fn propose(m: MethodFilter) -> MethodRouter<AppState> { json::<Application, _, _, _>(m, |a, r, id, i: ProposalInput| async move { a.propose_application(&r, id, &i).await.map(created) }) }
#[rustfmt::skip]
pub fn notify(m: MethodFilter) -> MethodRouter<AppState> { json::<Application, _, _, _>(m, |a, r, id, _: Nothing| async move { a.acta.notify_application_decision(&r, id, &a.renderer).await.map(Json) }) }

pub async fn grant_documents(State(s): State<AppState>) -> Answer<Vec<SubmissionView>> {
    Ok(Json(s.acta.pending_grant_documents().await?))
}

#[rustfmt::skip]
pub fn review(m: MethodFilter) -> MethodRouter<AppState> { json::<GrantDocument, _, _, _>(m, |a, r, id, i: ReviewInput| async move { a.review_grant_document(&r, id, &i).await.map(Json) }) }
#[rustfmt::skip]
pub fn merge(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: MergeInput| async move { a.merge_beneficiaries(&r, &i).await.map(done) }) }

// ---- The beneficiary's own ----------------------------------------------------------------

pub async fn home(State(s): State<AppState>, staff: Staff) -> Answer<OrganisationHome> {
    Ok(Json(s.acta.organisation_home(&staff.actor).await?))
}

#[rustfmt::skip]
pub fn add_colleague(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: HolderInput| async move { a.add_colleague(&r, &i).await.map(Json) }) }
#[rustfmt::skip]
pub fn start_application(m: MethodFilter) -> MethodRouter<AppState> { json::<NewApplication, _, _, _>(m, |a, r, id, i: ApplicationInput| async move { a.start_application(&r, id, &i).await.map(created) }) }
#[rustfmt::skip]
pub fn edit_application(m: MethodFilter) -> MethodRouter<AppState> { json::<OwnApplication, _, _, _>(m, |a, r, id, i: ApplicationInput| async move { a.edit_application(&r, id, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn submit_application(m: MethodFilter) -> MethodRouter<AppState> { json::<OwnApplication, _, _, _>(m, |a, r, id, _: Nothing| async move { a.acta.submit_application(&r, id, &a.renderer).await.map(Json) }) }

pub async fn own_application(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Answer<ApplicationView> {
    Ok(Json(s.acta.my_application(&staff.actor, id).await?))
}

#[rustfmt::skip]
pub fn upload_piece(m: MethodFilter) -> MethodRouter<AppState> { json_upload::<OwnApplication, _, _, _, _>(m, |a, r, id, i: PieceUploadInput, f: Upload| async move { a.upload_piece(&r, id, &i.piece, &f.file_name, &f.bytes).await.map(done) }) }

pub async fn own_grant(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Answer<GrantView> {
    Ok(Json(s.acta.my_grant(&staff.actor, id).await?))
}

#[rustfmt::skip]
pub fn send_grant_document(m: MethodFilter) -> MethodRouter<AppState> { json_upload::<OwnGrant, _, _, _, _>(m, |a, r, id, i: GrantDocumentInput, f: Upload| async move { a.send_grant_document(&r, id, &i, &f.file_name, &f.bytes).await.map(created) }) }
