//! The API's staff operations: the same use cases as the back office's forms, in JSON,
//! filling the same input structs. A client logs in at `/connexion`, keeps the session
//! cookie, reads its CSRF token from `/api/session` and sends it in the `X-CSRF-Token`
//! header of every write.

use crate::AppState;
use crate::extract::{ApiJson, PathParams, Staff};
use crate::problem::Problem;
use acta_app::execution::GrantExecution;
use acta_app::input::{
    AttendanceInput, BankAccountInput, BeneficiaryInput, DocumentInput, DraftInput, MovementInput,
    NewAmendment, NewAward, NewBudgetLine, NewConvention, NewItem, NewSitting, OpinionInput,
    PaymentInput, ProxyInput, ReimbursementInput, SignatureInput, VoteRequest,
};
use acta_app::sittings::ItemReport;
use acta_domain::Id;
use acta_domain::keys::{AwardKey, SittingKey};
use acta_domain::ledger::ReimbursementDecision;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use schemars::JsonSchema;
use serde::Serialize;

type Answer<T> = Result<Json<T>, Problem>;
type Created201<T> = Result<(StatusCode, Json<T>), Problem>;

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

fn created(id: i64) -> Created201<Created> {
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The reply of a write that creates nothing addressable.
fn done() -> Result<StatusCode, Problem> {
    Ok(StatusCode::NO_CONTENT)
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

pub async fn create_sitting(
    State(s): State<AppState>,
    staff: Staff,
    ApiJson(input): ApiJson<NewSitting>,
) -> Created201<Created> {
    created(s.acta.create_sitting(&staff.actor, &input).await?.get())
}

pub async fn roll_call(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Answer<Recorded> {
    let recorded = s
        .acta
        .record_attendance(&staff.actor, &sitting(id), &input)
        .await?;
    Ok(Json(Recorded { recorded }))
}

pub async fn add_item(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<NewItem>,
) -> Created201<ItemCreated> {
    let position = s.acta.add_item(&staff.actor, &sitting(id), &input).await?;
    Ok((StatusCode::CREATED, Json(ItemCreated { position })))
}

pub async fn preview_item(
    State(s): State<AppState>,
    PathParams((id, position)): PathParams<(i64, u32)>,
    ApiJson(request): ApiJson<VoteRequest>,
) -> Answer<ItemReport> {
    let options = request.options()?;
    Ok(Json(
        s.acta
            .preview_item(&sitting(id), position, request.vote.as_ref(), &options)
            .await?,
    ))
}

pub async fn close_item(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, position)): PathParams<(i64, u32)>,
    ApiJson(request): ApiJson<VoteRequest>,
) -> Answer<ItemReport> {
    let options = request.options()?;
    Ok(Json(
        s.acta
            .close_item(
                &staff.actor,
                &sitting(id),
                position,
                request.vote.as_ref(),
                &options,
            )
            .await?,
    ))
}

pub async fn propose_award(
    State(s): State<AppState>,
    staff: Staff,
    ApiJson(input): ApiJson<NewAward>,
) -> Created201<Created> {
    let id = s
        .acta
        .propose_award(&staff.actor, &input.sitting, input.position, &input.award)
        .await?;
    created(id.get())
}

pub async fn edit_draft(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, position)): PathParams<(i64, u32)>,
    ApiJson(input): ApiJson<DraftInput>,
) -> Result<StatusCode, Problem> {
    s.acta
        .edit_draft(&staff.actor, &sitting(id), position, &input)
        .await?;
    done()
}

pub async fn give_proxy(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<ProxyInput>,
) -> Result<StatusCode, Problem> {
    s.acta
        .give_proxy(&staff.actor, &sitting(id), &input)
        .await?;
    done()
}

pub async fn record_movement(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<MovementInput>,
) -> Result<StatusCode, Problem> {
    s.acta
        .record_movement(&staff.actor, &sitting(id), &input)
        .await?;
    done()
}

pub async fn set_opinion(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, position)): PathParams<(i64, u32)>,
    ApiJson(input): ApiJson<OpinionInput>,
) -> Result<StatusCode, Problem> {
    s.acta
        .set_commission_opinion(&staff.actor, &sitting(id), position, &input)
        .await?;
    done()
}

pub async fn add_beneficiary(
    State(s): State<AppState>,
    staff: Staff,
    ApiJson(input): ApiJson<BeneficiaryInput>,
) -> Created201<Created> {
    created(s.acta.add_beneficiary(&staff.actor, &input).await?.get())
}

pub async fn add_bank_account(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<BankAccountInput>,
) -> Created201<Created> {
    let account = s
        .acta
        .add_bank_account(&staff.actor, Id::new(id), &input)
        .await?;
    created(account.get())
}

pub async fn add_budget_line(
    State(s): State<AppState>,
    staff: Staff,
    ApiJson(input): ApiJson<NewBudgetLine>,
) -> Created201<Created> {
    created(s.acta.add_budget_line(&staff.actor, &input).await?.get())
}

pub async fn grant(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<GrantExecution> {
    Ok(Json(s.acta.grant_execution(&award(id)).await?))
}

pub async fn create_convention(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<NewConvention>,
) -> Created201<Created> {
    let convention = s
        .acta
        .create_convention(&staff.actor, &award(id), &input)
        .await?;
    created(convention.get())
}

pub async fn sign_convention(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<SignatureInput>,
) -> Result<StatusCode, Problem> {
    s.acta
        .sign_convention(&staff.actor, &award(id), &input)
        .await?;
    done()
}

pub async fn receive_document(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<DocumentInput>,
) -> Result<StatusCode, Problem> {
    s.acta
        .receive_document(&staff.actor, &award(id), &input)
        .await?;
    done()
}

pub async fn record_payment(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> Answer<GrantExecution> {
    Ok(Json(
        s.acta
            .record_payment(&staff.actor, &award(id), &input)
            .await?,
    ))
}

pub async fn decide_reimbursement(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<ReimbursementInput>,
) -> Answer<ReimbursementDecision> {
    Ok(Json(
        s.acta
            .decide_reimbursement(&staff.actor, &award(id), &input)
            .await?,
    ))
}

pub async fn amend_convention(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    ApiJson(input): ApiJson<NewAmendment>,
) -> Created201<Amended> {
    let number = s
        .acta
        .amend_convention(&staff.actor, &award(id), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(Amended { number })))
}
