//! Accounts, for administrators: list, create, close and reopen.

use super::{Fields, csrf_input, options, refused_page, see_other, staff_page, text};
use crate::AppState;
use crate::session::Visitor;
use acta_app::AppError;
use acta_app::accounts::NewAccount;
use acta_domain::account::{ALL_ROLES, Role};
use acta_domain::text::escape_html as escape;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

async fn page(
    state: &AppState,
    visitor: &Visitor,
    error: Option<(&AppError, &Fields)>,
) -> Response {
    let accounts = match state.acta.accounts().await {
        Ok(list) => list,
        Err(e) => return super::error_page(visitor, e),
    };
    let csrf = csrf_input(visitor);
    let mut rows = String::new();
    for a in &accounts {
        let (label, value) = if a.active {
            ("Fermer le compte", "0")
        } else {
            ("Rouvrir le compte", "1")
        };
        rows.push_str(&format!(
            "<tr><td>{login}</td><td>{name}</td><td>{role}</td><td>{state}</td><td><form class=\"inline\" method=\"post\" action=\"/gestion/comptes/{login}/etat\">{csrf}<input type=\"hidden\" name=\"actif\" value=\"{value}\"><button type=\"submit\">{label}</button></form></td></tr>\n",
            login = escape(&a.login),
            name = escape(&a.name),
            role = escape(&a.role_label),
            state = if a.active { "ouvert" } else { "fermé" },
        ));
    }
    let empty = Fields::new();
    let fields = error.map_or(&empty, |(_, f)| f);
    let roles = options(
        ALL_ROLES
            .into_iter()
            .filter(|r| *r != Role::Public)
            .map(|r| (r.code().to_string(), r.label().to_string())),
        text(fields, "role"),
    );
    let main = format!(
        r#"<table><caption>Comptes</caption>
<thead><tr><th scope="col">Identifiant</th><th scope="col">Nom</th><th scope="col">Rôle</th><th scope="col">État</th><th scope="col">Action</th></tr></thead>
<tbody>
{rows}</tbody></table>
<h2>Nouveau compte</h2>
<form method="post" action="/gestion/comptes">{csrf}
<p><label for="identifiant">Identifiant</label><input id="identifiant" name="identifiant" required value="{login}"></p>
<p><label for="nom">Nom et service</label><input id="nom" name="nom" required size="40" value="{name}"></p>
<p><label for="role">Rôle</label><select id="role" name="role">{roles}</select></p>
<p><label for="mot_de_passe">Mot de passe (12 caractères au moins)</label><input id="mot_de_passe" name="mot_de_passe" type="password" autocomplete="new-password" required></p>
<p><button type="submit">Créer le compte</button></p>
</form>"#,
        login = escape(text(fields, "identifiant")),
        name = escape(text(fields, "nom")),
    );
    match error {
        Some((e, _)) => refused_page(visitor, "Comptes", e, &main),
        None => staff_page(visitor, "Comptes", &main).into_response(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    page(&state, &visitor, None).await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(fields): Form<Fields>,
) -> Response {
    let input = NewAccount {
        login: text(&fields, "identifiant").to_string(),
        name: text(&fields, "nom").to_string(),
        role: text(&fields, "role").to_string(),
        password: fields.get("mot_de_passe").cloned().unwrap_or_default(),
    };
    match state
        .acta
        .create_account(&super::actor(&visitor), &input)
        .await
    {
        Ok(_) => see_other("/gestion/comptes"),
        Err(e) => page(&state, &visitor, Some((&e, &fields))).await,
    }
}

pub async fn set_active(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(login): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let active = text(&fields, "actif") == "1";
    match state
        .acta
        .set_account_active(&super::actor(&visitor), &login, active)
        .await
    {
        Ok(()) => see_other("/gestion/comptes"),
        Err(e) => page(&state, &visitor, Some((&e, &fields))).await,
    }
}
