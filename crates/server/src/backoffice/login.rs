//! Logging in and out.

use super::{Fields, field, see_other, text};
use crate::AppState;
use crate::html::{self, NavLink};
use crate::session::{self, Visitor};
use acta_domain::text::escape_html as escape;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};

/// Where to go after logging in: a back-office path only, never another site.
fn destination(fields: &Fields) -> String {
    match field(fields, "suite") {
        Some(p) if p.starts_with("/gestion") && !p.starts_with("//") => p.to_string(),
        _ => "/gestion".to_string(),
    }
}

fn login_page(status: StatusCode, suite: &str, login: &str, alert: &str) -> Response {
    let main = format!(
        r#"{alert}<form method="post" action="/connexion">
<input type="hidden" name="suite" value="{suite}">
<p><label for="identifiant">Identifiant</label>
<input id="identifiant" name="identifiant" autocomplete="username" required value="{login}"></p>
<p><label for="mot_de_passe">Mot de passe</label>
<input id="mot_de_passe" name="mot_de_passe" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Se connecter</button></p>
</form>"#,
        suite = escape(suite),
        login = escape(login),
    );
    (
        status,
        Html(html::document(
            "Connexion",
            "acta — espace agents",
            &[NavLink("/", "Portail public")],
            "",
            &main,
            false,
        )),
    )
        .into_response()
}

pub async fn form(
    Extension(visitor): Extension<Visitor>,
    Query(fields): Query<Fields>,
) -> Response {
    if visitor.0.is_some() {
        return see_other(&destination(&fields));
    }
    login_page(StatusCode::OK, &destination(&fields), "", "")
}

pub async fn log_in(State(state): State<AppState>, Form(fields): Form<Fields>) -> Response {
    let login = text(&fields, "identifiant");
    let password = fields.get("mot_de_passe").map(String::as_str).unwrap_or("");
    match state.acta.log_in(login, password).await {
        Ok(opened) => {
            let mut response = see_other(&destination(&fields));
            response.headers_mut().insert(
                header::SET_COOKIE,
                session::session_cookie(&opened.token, state.secure_cookies),
            );
            response
        }
        Err(e) => login_page(
            StatusCode::UNAUTHORIZED,
            &destination(&fields),
            login,
            &html::error_summary(&e),
        ),
    }
}

pub async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session::token(&headers)
        && let Err(e) = state.acta.log_out(&token).await
    {
        return crate::problem::Problem::from(e).into_response();
    }
    let mut response = see_other("/");
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::cleared_cookie(state.secure_cookies),
    );
    response
}
