//! The API's staff operations: the same use cases as the back office's forms, in JSON.
//! A client logs in at `/connexion`, keeps the session cookie, reads its CSRF token from
//! `/api/session` and sends it in the `X-CSRF-Token` header of every write.

use crate::AppState;
use crate::backoffice::actor;
use crate::problem::Problem;
use crate::session::Visitor;
use acta_app::drafts::DraftInput;
use acta_app::execution::{NewAmendment, NewConvention, TrancheSpec};
use acta_app::grant_input::ReimbursementInput;
use acta_app::grants::NewAward;
use acta_app::grants::NewBudgetLine;
use acta_app::input::{BankAccountInput, BeneficiaryInput};
use acta_app::sittings::{ItemReport, NewItem, NewSitting, VoteInput};
use acta_domain::item::VoteOptions;
use acta_domain::sitting::AttendanceStatus;
use acta_domain::vote::VoteChoice;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

/// A JSON body, or a French problem saying why it cannot be read.
fn body<T>(json: Result<Json<T>, JsonRejection>) -> Result<T, Problem> {
    json.map(|Json(v)| v).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Corps de requête illisible",
            format!("Le corps JSON ne convient pas : {}", e.body_text()),
        )
    })
}

#[derive(Debug, Serialize)]
pub struct SessionInfo {
    pub login: String,
    pub name: String,
    pub role: acta_domain::account::Role,
    pub csrf_token: String,
    /// Seconds since 1970, UTC.
    pub expires_at: i64,
}

pub async fn session(Extension(visitor): Extension<Visitor>) -> Result<Json<SessionInfo>, Problem> {
    let holder = visitor.0.ok_or_else(Problem::unauthorized)?;
    Ok(Json(SessionInfo {
        login: holder.account.login,
        name: holder.account.name,
        role: holder.account.role,
        csrf_token: holder.csrf_token,
        expires_at: holder.expires_at,
    }))
}

#[derive(Debug, Serialize)]
pub struct Created {
    pub id: i64,
}

pub async fn create_sitting(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    json: Result<Json<NewSitting>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let input = body(json)?;
    let id = state.acta.create_sitting(&actor(&visitor), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

#[derive(Debug, Deserialize)]
pub struct RollCallInput {
    /// "present", "excused", "absent", "present_without_vote", "excused_without_vote"
    /// (or as typed: "excusé", "sans_voix").
    pub statut: String,
    /// Members by "Prénom NOM" or number.
    pub membres: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Recorded {
    pub recorded: usize,
}

pub async fn roll_call(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<RollCallInput>, JsonRejection>,
) -> Result<Json<Recorded>, Problem> {
    let input = body(json)?;
    let status = match AttendanceStatus::from_code(input.statut.trim()) {
        Some(s) => s,
        None => {
            AttendanceStatus::parse("statut", &input.statut).map_err(acta_app::AppError::from)?
        }
    };
    let recorded = state
        .acta
        .record_attendance(&actor(&visitor), &id.to_string(), status, &input.membres)
        .await?;
    Ok(Json(Recorded { recorded }))
}

#[derive(Debug, Serialize)]
pub struct ItemCreated {
    pub position: u32,
}

pub async fn add_item(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<NewItem>, JsonRejection>,
) -> Result<(StatusCode, Json<ItemCreated>), Problem> {
    let input = body(json)?;
    let position = state
        .acta
        .add_item(&actor(&visitor), &id.to_string(), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(ItemCreated { position })))
}

/// A vote as a client sends it to preview or close an item.
#[derive(Debug, Deserialize, Default)]
pub struct VoteRequest {
    pub vote: Option<VoteInput>,
    #[serde(default)]
    pub secret: bool,
    /// "pour", "contre"… for a tie when only totals are entered.
    pub voix_president: Option<String>,
}

impl VoteRequest {
    fn options(&self) -> Result<VoteOptions, Problem> {
        let president_vote = match self.voix_president.as_deref() {
            None => None,
            Some(v) => Some(
                VoteChoice::parse_field("voix_president", "Voix du président", v)
                    .map_err(acta_app::AppError::from)?,
            ),
        };
        Ok(VoteOptions {
            secret: self.secret,
            president_vote,
        })
    }
}

pub async fn preview_item(
    State(state): State<AppState>,
    Path((id, position)): Path<(i64, u32)>,
    json: Result<Json<VoteRequest>, JsonRejection>,
) -> Result<Json<ItemReport>, Problem> {
    let request = body(json)?;
    let options = request.options()?;
    Ok(Json(
        state
            .acta
            .preview_item(&id.to_string(), position, request.vote.as_ref(), &options)
            .await?,
    ))
}

pub async fn close_item(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    json: Result<Json<VoteRequest>, JsonRejection>,
) -> Result<Json<ItemReport>, Problem> {
    let request = body(json)?;
    let options = request.options()?;
    Ok(Json(
        state
            .acta
            .close_item(
                &actor(&visitor),
                &id.to_string(),
                position,
                request.vote.as_ref(),
                &options,
            )
            .await?,
    ))
}

pub async fn propose_award(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    json: Result<Json<NewAward>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let input = body(json)?;
    let id = state.acta.propose_award(&actor(&visitor), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

pub async fn edit_draft(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    json: Result<Json<DraftInput>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let input = body(json)?;
    state
        .acta
        .edit_draft(&actor(&visitor), &id.to_string(), position, &input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reply of a write that creates nothing addressable.
fn done() -> StatusCode {
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
pub struct ProxyRequest {
    /// Members by "Prénom NOM" or number.
    pub donneur: String,
    pub porteur: String,
    pub a_partir_du_point: u32,
}

pub async fn give_proxy(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<ProxyRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let r = body(json)?;
    state
        .acta
        .give_proxy(
            &actor(&visitor),
            &id.to_string(),
            &r.donneur,
            &r.porteur,
            r.a_partir_du_point,
        )
        .await?;
    Ok(done())
}

#[derive(Debug, Deserialize)]
pub struct MovementRequest {
    pub elu: String,
    /// "arrivee" or "depart".
    pub sens: String,
    pub a_partir_du_point: u32,
}

pub async fn record_movement(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<MovementRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let r = body(json)?;
    let kind = acta_domain::sitting::MovementKind::parse("sens", &r.sens)
        .map_err(acta_app::AppError::from)?;
    state
        .acta
        .record_movement(
            &actor(&visitor),
            &id.to_string(),
            &r.elu,
            kind,
            r.a_partir_du_point,
        )
        .await?;
    Ok(done())
}

#[derive(Debug, Deserialize)]
pub struct OpinionRequest {
    /// The thematic commission, by number or name.
    pub commission: String,
    /// "favorable", "defavorable" or "reserve".
    pub avis: String,
    pub date: String,
}

pub async fn set_opinion(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    json: Result<Json<OpinionRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let r = body(json)?;
    state
        .acta
        .set_commission_opinion(
            &actor(&visitor),
            &id.to_string(),
            position,
            &r.commission,
            &r.avis,
            &r.date,
        )
        .await?;
    Ok(done())
}

pub async fn add_beneficiary(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    json: Result<Json<BeneficiaryInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let input = body(json)?;
    let id = state.acta.add_beneficiary(&actor(&visitor), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

pub async fn add_bank_account(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<BankAccountInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let input = body(json)?;
    let account = state
        .acta
        .add_bank_account(&actor(&visitor), acta_domain::Id::new(id), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: account.get() })))
}

pub async fn add_budget_line(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    json: Result<Json<NewBudgetLine>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let input = body(json)?;
    let id = state.acta.add_budget_line(&actor(&visitor), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

pub async fn grant(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<acta_app::execution::GrantExecution>, Problem> {
    Ok(Json(state.acta.grant_execution(&id.to_string()).await?))
}

#[derive(Debug, Deserialize)]
pub struct ConventionRequest {
    /// One tranche per entry, as the forms and the CLI write them
    /// ("100 000:signature:sur-demande").
    pub echeancier: Vec<String>,
    pub tribunal: String,
    pub comptable: Option<String>,
    pub lieu_signature: Option<String>,
}

pub async fn create_convention(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<ConventionRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let r = body(json)?;
    let schedule = r
        .echeancier
        .iter()
        .map(|line| TrancheSpec::parse(line))
        .collect::<Result<Vec<_>, _>>()?;
    let input = NewConvention {
        title: None,
        schedule,
        court: r.tribunal,
        paying_accountant: r.comptable,
        signature_place: r.lieu_signature,
    };
    let convention = state
        .acta
        .create_convention(&actor(&visitor), &id.to_string(), &input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: convention.get(),
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct DatedRequest {
    pub date: String,
}

pub async fn sign_convention(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<DatedRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let r = body(json)?;
    state
        .acta
        .sign_convention(&actor(&visitor), &id.to_string(), &r.date)
        .await?;
    Ok(done())
}

#[derive(Debug, Deserialize)]
pub struct DocumentRequest {
    pub tranche: u32,
    pub date: String,
    pub description: String,
}

pub async fn receive_document(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<DocumentRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let r = body(json)?;
    state
        .acta
        .receive_document(
            &actor(&visitor),
            &id.to_string(),
            r.tranche,
            &r.date,
            &r.description,
        )
        .await?;
    Ok(done())
}

#[derive(Debug, Deserialize)]
pub struct PaymentRequest {
    pub tranche: u32,
    pub date: String,
    /// "100 000" or "100 000,00".
    pub montant: String,
    pub reference: String,
}

pub async fn record_payment(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<PaymentRequest>, JsonRejection>,
) -> Result<Json<acta_app::execution::GrantExecution>, Problem> {
    let r = body(json)?;
    Ok(Json(
        state
            .acta
            .record_payment(
                &actor(&visitor),
                &id.to_string(),
                r.tranche,
                &r.date,
                &r.montant,
                &r.reference,
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReimbursementRequest {
    #[serde(flatten)]
    pub ground: ReimbursementInput,
    pub date: String,
    pub titre_recette: Option<String>,
}

pub async fn decide_reimbursement(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<ReimbursementRequest>, JsonRejection>,
) -> Result<Json<acta_domain::ledger::ReimbursementDecision>, Problem> {
    let r = body(json)?;
    let ground = r.ground.ground()?;
    Ok(Json(
        state
            .acta
            .decide_reimbursement(
                &actor(&visitor),
                &id.to_string(),
                ground,
                &r.date,
                r.titre_recette.as_deref(),
            )
            .await?,
    ))
}

pub async fn amend_convention(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    json: Result<Json<NewAmendment>, JsonRejection>,
) -> Result<(StatusCode, Json<Amended>), Problem> {
    let input = body(json)?;
    let number = state
        .acta
        .amend_convention(&actor(&visitor), &id.to_string(), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(Amended { number })))
}

#[derive(Debug, Serialize)]
pub struct Amended {
    /// 1 for "Avenant n°1".
    pub number: u32,
}
