//! The API's staff operations: the same use cases as the back office's forms, in JSON.
//! A client logs in at `/connexion`, keeps the session cookie, reads its CSRF token from
//! `/api/session` and sends it in the `X-CSRF-Token` header of every write.

use crate::AppState;
use crate::backoffice::actor;
use crate::problem::Problem;
use crate::session::Visitor;
use acta_app::drafts::DraftInput;
use acta_app::grants::NewAward;
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
            Some(v) => Some(VoteChoice::parse(v).ok_or_else(|| {
                Problem::from(acta_app::AppError::from(acta_domain::DomainError::field(
                    "voix_president",
                    format!("Voix du président : « {v} » n'est pas un choix de vote."),
                )))
            })?),
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
