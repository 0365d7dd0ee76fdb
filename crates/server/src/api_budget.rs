//! The API's budget year: budget decisions proposed on an item, a line's credits with
//! their history, and the council's delegations to the Commission permanente.

use crate::AppState;
use crate::api_staff::Created;
use crate::backoffice::grants::YearQuery;
use crate::extract::{PathParams, QueryParams};
use crate::problem::Problem;
use crate::writes::{Register, json};
use acta_app::budget_year::{
    AuthorisationView, BudgetDecisionEntry, BudgetLineHistory, DelegationEntry,
};
use acta_app::input::{AuthorisationInput, DelegationInput, NewBudgetDecision};
use acta_app::orders::OrdersFile;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodFilter, MethodRouter};

type Answer<T> = Result<Json<T>, Problem>;

fn created(id: i64) -> (StatusCode, Json<Created>) {
    (StatusCode::CREATED, Json(Created { id }))
}

#[rustfmt::skip]
pub fn propose_budget_decision(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: NewBudgetDecision| async move { Ok(created(a.propose_budget_decision(&r, &i.sitting, i.position, &i.input).await?.get())) }) }
#[rustfmt::skip]
pub fn add_delegation(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: DelegationInput| async move { Ok(created(a.add_delegation(&r, &i).await?)) }) }

pub async fn budget_decisions(
    State(s): State<AppState>,
    QueryParams(query): QueryParams<YearQuery>,
) -> Answer<Vec<BudgetDecisionEntry>> {
    let year = query.year()?.unwrap_or_else(|| s.acta.today().year());
    Ok(Json(s.acta.budget_decisions(year).await?))
}

pub async fn budget_line(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<BudgetLineHistory> {
    let year = s.acta.today().year();
    Ok(Json(
        s.acta.budget_line_history(&id.to_string(), year).await?,
    ))
}

pub async fn delegations(State(s): State<AppState>) -> Answer<Vec<DelegationEntry>> {
    Ok(Json(s.acta.delegations().await?))
}

/// The orders for the accountant (mandates and titres) in JSON; the same as CSV is the
/// back office's export and `acta export ordres`.
pub async fn orders(
    State(s): State<AppState>,
    QueryParams(query): QueryParams<YearQuery>,
) -> Answer<OrdersFile> {
    Ok(Json(s.acta.accountant_orders(query.year()?).await?))
}

#[rustfmt::skip]
pub fn add_authorisation(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: AuthorisationInput| async move { Ok(created(a.add_authorisation(&r, &i).await?)) }) }

pub async fn authorisations(State(s): State<AppState>) -> Answer<Vec<AuthorisationView>> {
    Ok(Json(s.acta.authorisations().await?))
}
