//! The budget's year in the back office: a line with the history of its credits, the
//! year's budget decisions, and the council's delegations to the Commission permanente.

use super::grants::YearQuery;
use crate::AppState;
use crate::extract::{QueryParams, Staff};
use crate::pages::{Can, Frame, Typed, shown};
use crate::session::Visitor;
use crate::writes::{self, page_subject};
use acta_app::AppError;
use acta_app::budget_year::{
    AuthorisationView, BudgetDecisionEntry, BudgetLineHistory, DelegationEntry,
};
use acta_app::input::{AuthorisationInput, DelegationInput};
use acta_domain::french::format_date_long;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

/// One step of a line's history, as the page prints it.
pub struct HistoryRow {
    pub label: String,
    pub deliberation: String,
    pub date: String,
    pub amount: String,
    pub credits_after: String,
}

#[derive(Template)]
#[template(path = "staff/budget_line.html")]
pub struct BudgetLinePage {
    pub frame: Frame,
    pub line: BudgetLineHistory,
    pub history: Vec<HistoryRow>,
}

page_subject! {
    /// A budget line by its number: its credits now and where they came from.
    Line(id): i64 => i64 = id;
    url = format!("/gestion/budget/lignes/{id}");
    page = |s, v, e, _t| line_page(s, v, id, e);
}

async fn line_page(s: &AppState, visitor: &Visitor, id: i64, error: Option<&AppError>) -> Response {
    let page = async {
        let year = s.acta.today().year();
        let line = s.acta.budget_line_history(&id.to_string(), year).await?;
        let history = line
            .history
            .iter()
            .map(|step| HistoryRow {
                label: step.label.clone(),
                deliberation: step
                    .deliberation
                    .as_deref()
                    .map(|n| format!("N°{n}"))
                    .unwrap_or_else(|| "—".into()),
                date: step
                    .date
                    .map(format_date_long)
                    .unwrap_or_else(|| "—".into()),
                amount: step.amount.format_fr(),
                credits_after: step.credits_after.format_fr(),
            })
            .collect();
        Ok(BudgetLinePage {
            frame: Frame::staff(
                visitor,
                format!("{} — budget {}", line.row.operation_code, line.year),
            )
            .refused(error),
            line,
            history,
        })
    }
    .await;
    shown(visitor, error, page)
}

#[derive(Template)]
#[template(path = "staff/budget_decisions.html")]
pub struct DecisionsPage {
    pub frame: Frame,
    pub year: i16,
    pub list: Vec<BudgetDecisionEntry>,
}

pub async fn decisions(
    State(s): State<AppState>,
    staff: Staff,
    QueryParams(query): QueryParams<YearQuery>,
) -> Response {
    let year = query.year_or(s.acta.today().year());
    let page = async {
        Ok(DecisionsPage {
            frame: Frame::staff(&staff.visitor, format!("Décisions budgétaires {year}")),
            year,
            list: s.acta.budget_decisions(year).await?,
        })
    }
    .await;
    shown(&staff.visitor, None, page)
}

#[derive(Template)]
#[template(path = "staff/delegations.html")]
pub struct DelegationsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub list: Vec<DelegationEntry>,
}

page_subject! {
    /// The council's delegations to the Commission permanente, where one is recorded.
    Delegations(()): () => () = ();
    url = "/gestion/delegations".to_string();
    build = |s, v, e, typed| DelegationsPage {
        frame: Frame::staff(v, "Délégations à la commission permanente").refused(e),
        can: Can::of(v),
        typed,
        list: s.acta.delegations().await?,
    };
}

#[rustfmt::skip]
pub fn add_delegation(m: MethodFilter) -> MethodRouter<AppState> { writes::form::<Delegations, _, _, _>(m, "delegations", |a, r, (), i: DelegationInput| async move { a.add_delegation(&r, &i).await }) }

/// The orders for the accountant, to download from the exports page.
pub async fn orders_csv(State(s): State<AppState>, staff: Staff) -> Response {
    match s.acta.accountant_orders_csv(None).await {
        Ok(text) => crate::portal::csv("ordres.csv", text.into_bytes()),
        Err(e) => crate::pages::staff_error(&staff.visitor, e),
    }
}

#[derive(Template)]
#[template(path = "staff/authorisations.html")]
pub struct AuthorisationsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub list: Vec<AuthorisationView>,
}

page_subject! {
    /// The programme and commitment authorisations, where one is recorded.
    Authorisations(()): () => () = ();
    url = "/gestion/autorisations".to_string();
    build = |s, v, e, typed| AuthorisationsPage {
        frame: Frame::staff(v, "Autorisations de programme et d'engagement").refused(e),
        can: Can::of(v),
        typed,
        list: s.acta.authorisations().await?,
    };
}

#[rustfmt::skip]
pub fn add_authorisation(m: MethodFilter) -> MethodRouter<AppState> { writes::form::<Authorisations, _, _, _>(m, "autorisations", |a, r, (), i: AuthorisationInput| async move { a.add_authorisation(&r, &i).await }) }
