//! Logging in and out.

use super::see_other;
use crate::AppState;
use crate::extract::{FormFields, QueryParams, Staff};
use crate::pages::{Frame, NavLink, render};
use crate::session;
use acta_domain::account::StaffRole;
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;

/// Where to go after logging in: a back-office or members' space path only, never
/// another site.
fn destination(fields: &HashMap<String, String>) -> String {
    match fields.get("suite").map(|s| s.trim()) {
        Some(p)
            if (p.starts_with("/gestion")
                || p.starts_with("/elus")
                || p.starts_with("/beneficiaires"))
                && !p.starts_with("//") =>
        {
            p.to_string()
        }
        _ => "/gestion".to_string(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub frame: Frame,
    pub suite: String,
    pub login: String,
}

fn login_page(
    status: StatusCode,
    suite: String,
    login: &str,
    error: Option<&acta_app::AppError>,
) -> Response {
    let mut frame = Frame::staff(&session::Visitor::default(), "Connexion").refused(error);
    frame.nav = vec![NavLink {
        href: "/",
        label: "Portail public",
    }];
    frame.script = false;
    render(
        status,
        &LoginPage {
            frame,
            suite,
            login: login.to_string(),
        },
    )
}

pub async fn form(
    staff: Staff,
    QueryParams(fields): QueryParams<HashMap<String, String>>,
) -> Response {
    if staff.visitor.0.is_some() {
        return see_other(&destination(&fields));
    }
    login_page(StatusCode::OK, destination(&fields), "", None)
}

/// The client's address, for counting failed log-ins: behind the deployment's proxy, the
/// address it added last to X-Forwarded-For; otherwise the connection's peer.
pub(crate) fn client_address(
    s: &AppState,
    headers: &HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Option<String> {
    if s.secure_cookies
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
    {
        return Some(forwarded.to_string());
    }
    peer.map(|Extension(ConnectInfo(addr))| addr.ip().to_string())
}

pub async fn log_in(
    State(s): State<AppState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    FormFields(fields): FormFields,
) -> Response {
    let login = fields.get("identifiant").map(|v| v.trim()).unwrap_or("");
    let password = fields.get("mot_de_passe").map(String::as_str).unwrap_or("");
    let client = client_address(&s, &headers, peer);
    match s.acta.log_in_from(login, password, client.as_deref()).await {
        Ok(opened) => {
            // An elected member without a page to go back to lands in their own space.
            let target = match destination(&fields) {
                d if d == "/gestion" && opened.session.account.role == StaffRole::ElectedMember => {
                    "/elus".to_string()
                }
                d if d == "/gestion" && opened.session.account.role == StaffRole::Beneficiary => {
                    "/beneficiaires".to_string()
                }
                d => d,
            };
            let mut response = see_other(&target);
            response.headers_mut().insert(
                header::SET_COOKIE,
                session::session_cookie(&opened.token, s.secure_cookies),
            );
            response
        }
        Err(e) => login_page(
            StatusCode::UNAUTHORIZED,
            destination(&fields),
            login,
            Some(&e),
        ),
    }
}

pub async fn log_out(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session::token(&headers)
        && let Err(e) = s.acta.log_out(&token).await
    {
        return crate::problem::Problem::from(e).into_response();
    }
    let mut response = see_other("/");
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::cleared_cookie(s.secure_cookies),
    );
    response
}
