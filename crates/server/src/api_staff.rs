//! The API's staff operations: the same use cases as the back office's forms, in JSON,
//! filling the same input structs. A client logs in at `/connexion`, keeps the session
//! cookie, reads its CSRF token from `/api/session` and sends it in the `X-CSRF-Token`
//! header of every write.

use crate::AppState;
use crate::backoffice::grants::{Aid, Beneficiary};
use crate::backoffice::items::Item;
use crate::backoffice::sittings::Sitting;
use crate::extract::{PathParams, Staff};
use crate::problem::Problem;
use crate::writes::{Register, json};
use acta_app::AppError;
use acta_app::execution::GrantExecution;
use acta_app::input::{
    AttendanceInput, BankAccountInput, BeneficiaryInput, DocumentInput, DraftInput, MovementInput,
    NewAmendment, NewAward, NewBudgetLine, NewConvention, NewItem, NewSitting, OpinionInput,
    PaymentInput, ProxyInput, ReimbursementInput, SignatureInput, VoteRequest,
};
use acta_domain::Id;
use acta_domain::keys::{AwardKey, SittingKey};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodFilter, MethodRouter};
use schemars::JsonSchema;
use serde::Serialize;

type Answer<T> = Result<Json<T>, Problem>;

/// A sitting of the register, by the number its address gives.
pub fn sitting(id: i64) -> SittingKey {
    SittingKey::Id(Id::new(id))
}

/// An award, by the number its address gives (never a deliberation number).
pub fn award(id: i64) -> AwardKey {
    AwardKey::Id(Id::new(id))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SessionInfo {
    pub login: String,
    pub name: String,
    /// Le rôle (code).
    #[schemars(with = "String")]
    pub role: acta_domain::account::StaffRole,
    pub csrf_token: String,
    /// Fin de la session, en secondes depuis 1970 (UTC).
    pub expires_at: i64,
}

pub async fn session(staff: Staff) -> Answer<SessionInfo> {
    let holder = staff.visitor.0.ok_or_else(Problem::unauthorized)?;
    Ok(Json(SessionInfo {
        login: holder.account.login,
        name: holder.account.name,
        role: holder.account.role,
        csrf_token: holder.csrf_token,
        expires_at: holder.expires_at,
    }))
}

/// What a write that creates something answers: its number.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Created {
    pub id: i64,
}

fn created(id: i64) -> Result<(StatusCode, Json<Created>), AppError> {
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The reply of a write that creates nothing addressable.
fn done(_: ()) -> StatusCode {
    StatusCode::NO_CONTENT
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Recorded {
    pub recorded: usize,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ItemCreated {
    pub position: u32,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Amended {
    /// 1 pour « Avenant n°1 ».
    pub number: u32,
}

// The writes, one line each: the subject their address names, their input, their use
// case and their answer (see `writes`). Kept on one line apiece as a table.

#[rustfmt::skip]
pub fn create_sitting(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: NewSitting| async move { created(a.create_sitting(&r, &i).await?.get()) }) }
#[rustfmt::skip]
pub fn propose_award(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: NewAward| async move { created(a.propose_award(&r, &i.sitting, i.position, &i.input).await?.get()) }) }
#[rustfmt::skip]
pub fn add_beneficiary(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: BeneficiaryInput| async move { created(a.add_beneficiary(&r, &i).await?.get()) }) }
#[rustfmt::skip]
pub fn add_budget_line(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: NewBudgetLine| async move { created(a.add_budget_line(&r, &i).await?.get()) }) }
#[rustfmt::skip]
pub fn roll_call(m: MethodFilter) -> MethodRouter<AppState> { json::<Sitting, _, _, _>(m, |a, r, k, i: AttendanceInput| async move { Ok(Json(Recorded { recorded: a.record_attendance(&r, &k, &i).await? })) }) }
#[rustfmt::skip]
pub fn add_item(m: MethodFilter) -> MethodRouter<AppState> { json::<Sitting, _, _, _>(m, |a, r, k, i: NewItem| async move { Ok((StatusCode::CREATED, Json(ItemCreated { position: a.add_item(&r, &k, &i).await? }))) }) }
#[rustfmt::skip]
pub fn give_proxy(m: MethodFilter) -> MethodRouter<AppState> { json::<Sitting, _, _, _>(m, |a, r, k, i: ProxyInput| async move { a.give_proxy(&r, &k, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn record_movement(m: MethodFilter) -> MethodRouter<AppState> { json::<Sitting, _, _, _>(m, |a, r, k, i: MovementInput| async move { a.record_movement(&r, &k, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn edit_draft(m: MethodFilter) -> MethodRouter<AppState> { json::<Item, _, _, _>(m, |a, r, (k, p), i: DraftInput| async move { a.edit_draft(&r, &k, p, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn set_opinion(m: MethodFilter) -> MethodRouter<AppState> { json::<Item, _, _, _>(m, |a, r, (k, p), i: OpinionInput| async move { a.set_commission_opinion(&r, &k, p, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn preview_item(m: MethodFilter) -> MethodRouter<AppState> { json::<Item, _, _, _>(m, |a, _, (k, p), i: VoteRequest| async move { Ok(Json(a.preview_item(&k, p, i.vote.as_ref(), &i.options()?).await?)) }) }
#[rustfmt::skip]
pub fn close_item(m: MethodFilter) -> MethodRouter<AppState> { json::<Item, _, _, _>(m, |a, r, (k, p), i: VoteRequest| async move { Ok(Json(a.close_item(&r, &k, p, i.vote.as_ref(), &i.options()?).await?)) }) }
#[rustfmt::skip]
pub fn add_bank_account(m: MethodFilter) -> MethodRouter<AppState> { json::<Beneficiary, _, _, _>(m, |a, r, k, i: BankAccountInput| async move { created(a.add_bank_account(&r, k, &i).await?.get()) }) }
#[rustfmt::skip]
pub fn create_convention(m: MethodFilter) -> MethodRouter<AppState> { json::<Aid, _, _, _>(m, |a, r, k, i: NewConvention| async move { created(a.create_convention(&r, &k, &i).await?.get()) }) }
#[rustfmt::skip]
pub fn sign_convention(m: MethodFilter) -> MethodRouter<AppState> { json::<Aid, _, _, _>(m, |a, r, k, i: SignatureInput| async move { a.sign_convention(&r, &k, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn receive_document(m: MethodFilter) -> MethodRouter<AppState> { json::<Aid, _, _, _>(m, |a, r, k, i: DocumentInput| async move { a.receive_document(&r, &k, &i).await.map(done) }) }
#[rustfmt::skip]
pub fn record_payment(m: MethodFilter) -> MethodRouter<AppState> { json::<Aid, _, _, _>(m, |a, r, k, i: PaymentInput| async move { a.record_payment(&r, &k, &i).await.map(Json) }) }
#[rustfmt::skip]
pub fn decide_reimbursement(m: MethodFilter) -> MethodRouter<AppState> { json::<Aid, _, _, _>(m, |a, r, k, i: ReimbursementInput| async move { a.decide_reimbursement(&r, &k, &i).await.map(Json) }) }
#[rustfmt::skip]
pub fn amend_convention(m: MethodFilter) -> MethodRouter<AppState> { json::<Aid, _, _, _>(m, |a, r, k, i: NewAmendment| async move { Ok((StatusCode::CREATED, Json(Amended { number: a.amend_convention(&r, &k, &i).await? }))) }) }

pub async fn grant(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<GrantExecution> {
    Ok(Json(s.acta.grant_execution(&award(id)).await?))
}
