//! Accounts, for administrators: list, create, close and reopen.

use super::see_other;
use crate::AppState;
use crate::extract::{FormFields, PathParams, Staff};
use crate::pages::{Choice, Frame, Typed, choices};
use crate::session::Visitor;
use crate::writes::{Page, form, page_subject};
use acta_app::AppError;
use acta_app::accounts::{AccountView, LockView, NewAccount};
use acta_domain::account::{ALL_ROLES, StaffRole};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

#[derive(Template)]
#[template(path = "staff/accounts.html")]
pub struct AccountsPage {
    pub frame: Frame,
    pub typed: Typed,
    pub accounts: Vec<AccountView>,
    pub roles: Vec<Choice>,
    /// Logins and addresses locked after too many failed log-ins.
    pub locks: Vec<LockView>,
}

page_subject! {
    /// The accounts' list, where an account is created.
    Accounts(()): () => () = ();
    url = "/gestion/comptes".to_string();
    build = |s, v, e, typed| AccountsPage {
        frame: Frame::staff(v, "Comptes").refused(e),
        roles: choices(
            ALL_ROLES
                .into_iter()
                .filter(|r| *r != StaffRole::Public)
                .map(|r| (r.code().to_string(), r.label().to_string())),
            typed.get("role"),
        ),
        typed,
        accounts: s.acta.accounts().await?,
        locks: s.acta.locked_logins().await?,
    };
}

/// The accounts' page again, with what was refused.
async fn page(s: &AppState, visitor: &Visitor, error: &AppError) -> Response {
    Accounts::page(s, visitor, (), Some(error), Typed::default()).await
}

#[rustfmt::skip]
pub fn create(m: MethodFilter) -> MethodRouter<AppState> { form::<Accounts, _, _, _>(m, "comptes", |a, r, (), i: NewAccount| async move { a.create_account(&r, &i).await }) }

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
        Err(e) => page(&s, &staff.visitor, &e).await,
    }
}

/// Lifts a lock after too many failed log-ins.
pub async fn unlock(
    State(s): State<AppState>,
    staff: Staff,
    FormFields(fields): FormFields,
) -> Response {
    let key = fields.get("cle").map(String::as_str).unwrap_or("");
    match s.acta.unlock(&staff.actor, key).await {
        Ok(()) => see_other("/gestion/comptes"),
        Err(e) => page(&s, &staff.visitor, &e).await,
    }
}
