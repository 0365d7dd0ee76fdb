//! Accounts, for administrators: list, create, close and reopen.

use super::see_other;
use crate::AppState;
use crate::extract::{FormFields, PathParams, Staff, Submitted};
use crate::pages::{Choice, Frame, Typed, choices, shown};
use crate::session::Visitor;
use acta_app::AppError;
use acta_app::accounts::{AccountView, NewAccount};
use acta_domain::account::{ALL_ROLES, StaffRole};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "staff/accounts.html")]
pub struct AccountsPage {
    pub frame: Frame,
    pub typed: Typed,
    pub accounts: Vec<AccountView>,
    pub roles: Vec<Choice>,
}

async fn page(s: &AppState, visitor: &Visitor, error: Option<&AppError>, typed: Typed) -> Response {
    let page = async {
        let accounts = s.acta.accounts().await?;
        let page = AccountsPage {
            frame: Frame::staff(visitor, "Comptes").refused(error),
            roles: choices(
                ALL_ROLES
                    .into_iter()
                    .filter(|r| *r != StaffRole::Public)
                    .map(|r| (r.code().to_string(), r.label().to_string())),
                typed.get("role"),
            ),
            typed,
            accounts,
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}

pub async fn list(State(s): State<AppState>, staff: Staff) -> Response {
    page(&s, &staff.visitor, None, Typed::default()).await
}

pub async fn create(
    State(s): State<AppState>,
    staff: Staff,
    form: Submitted<NewAccount>,
) -> Response {
    match form
        .then(async |input| s.acta.create_account(&staff.actor, input).await)
        .await
    {
        Ok(_) => see_other("/gestion/comptes"),
        Err(e) => {
            let mut typed = form.fields;
            // A password is never shown again.
            typed.remove("mot_de_passe");
            page(&s, &staff.visitor, Some(&e), Typed::new(typed)).await
        }
    }
}

pub async fn set_active(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(login): PathParams<String>,
    FormFields(fields): FormFields,
) -> Response {
    let active = fields.get("actif").map(String::as_str) == Some("1");
    match s
        .acta
        .set_account_active(&staff.actor, &login, active)
        .await
    {
        Ok(()) => see_other("/gestion/comptes"),
        Err(e) => page(&s, &staff.visitor, Some(&e), Typed::default()).await,
    }
}
