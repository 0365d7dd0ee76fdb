//! acta's web adapter: the public portal (HTML that works without JavaScript), the staff
//! back office and the JSON API, over `acta-app`. Handlers parse, call the application and
//! render; they hold no rule. Every route's access rule is in [`access::ROUTES`].

// The OpenAPI document is one `json!` literal, deeper than the default limit allows.
#![recursion_limit = "512"]

pub mod access;
pub mod api;
pub mod api_staff;
pub mod backoffice;
pub mod cache;
pub mod html;
pub mod load;
pub mod openapi;
pub mod portal;
pub mod problem;
pub mod session;

use acta_app::Acta;
use acta_docs::{DocumentsConfig, Renderer};
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use backoffice::{accounts, grants, items, login, sittings};
use std::path::PathBuf;
use std::sync::Arc;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub acta: Acta,
    /// The search index folder.
    pub index: PathBuf,
    pub config: Arc<DocumentsConfig>,
    pub renderer: Arc<Renderer>,
    /// Deliberation views as JSON, kept until the next write.
    pub views: Arc<cache::ViewCache>,
    /// Session cookies get `Secure`: the server is reached over TLS (behind a proxy).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(acta: Acta, index: PathBuf) -> Result<Self, acta_app::AppError> {
        let config = DocumentsConfig::embedded()?;
        let renderer = Renderer::new(config.clone(), None)?;
        Ok(AppState {
            acta,
            index,
            config: Arc::new(config),
            renderer: Arc::new(renderer),
            views: Arc::new(cache::ViewCache::default()),
            secure_cookies: false,
        })
    }

    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }
}

/// The routes of [`access::ROUTES`], behind the access check.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(portal::home))
        .route("/recherche", get(portal::search))
        .route("/deliberations/{number}", get(portal::deliberation))
        .route("/deliberations/{number}/pdf", get(portal::deliberation_pdf))
        .route("/donnees", get(portal::open_data))
        .route(
            "/donnees/deliberations.csv",
            get(portal::scdl_deliberations),
        )
        .route("/donnees/archives.csv", get(portal::archives_csv))
        .route("/api/deliberations", get(api::deliberations))
        .route("/api/deliberations/{number}", get(api::deliberation))
        .route("/api/search", get(api::search))
        .route("/api/archives/{number}", get(api::archives))
        .route("/api/openapi.json", get(openapi::document))
        .route("/static/gestion.js", get(backoffice::script))
        .route("/connexion", get(login::form).post(login::log_in))
        .route("/deconnexion", post(login::log_out))
        .route("/api/session", get(api_staff::session))
        .route("/gestion", get(sittings::index))
        .route("/gestion/seances", post(sittings::create))
        .route("/gestion/seances/{id}", get(sittings::show))
        .route("/gestion/seances/{id}/presences", post(sittings::roll_call))
        .route("/gestion/seances/{id}/pouvoirs", post(sittings::proxy))
        .route("/gestion/seances/{id}/mouvements", post(sittings::movement))
        .route("/gestion/seances/{id}/points", post(sittings::add_item))
        .route("/gestion/seances/{id}/points/{position}", get(items::show))
        .route(
            "/gestion/seances/{id}/points/{position}/cloture",
            post(items::vote),
        )
        .route(
            "/gestion/seances/{id}/points/{position}/attributions",
            post(items::propose_award),
        )
        .route(
            "/gestion/seances/{id}/points/{position}/projet",
            post(items::edit_draft),
        )
        .route(
            "/gestion/seances/{id}/points/{position}/avis",
            post(items::set_opinion),
        )
        .route(
            "/api/seances/{id}/points/{position}/projet",
            post(api_staff::edit_draft),
        )
        .route("/gestion/credits", get(items::credits))
        .route(
            "/gestion/comptes",
            get(accounts::list).post(accounts::create),
        )
        .route("/gestion/comptes/{login}/etat", post(accounts::set_active))
        .route(
            "/gestion/beneficiaires",
            get(grants::beneficiaries).post(grants::add_beneficiary),
        )
        .route("/gestion/beneficiaires/{id}", get(grants::beneficiary))
        .route(
            "/gestion/beneficiaires/{id}/comptes",
            post(grants::add_bank_account),
        )
        .route(
            "/gestion/budget",
            get(grants::budget).post(grants::add_budget_line),
        )
        .route("/gestion/aides", get(grants::awards))
        .route("/gestion/aides/{id}", get(grants::award))
        .route(
            "/gestion/aides/{id}/convention",
            post(grants::create_convention),
        )
        .route(
            "/gestion/aides/{id}/convention.pdf",
            get(grants::convention_pdf),
        )
        .route("/gestion/aides/{id}/signature", post(grants::sign))
        .route(
            "/gestion/aides/{id}/documents",
            post(grants::receive_document),
        )
        .route(
            "/gestion/aides/{id}/versements",
            post(grants::record_payment),
        )
        .route(
            "/gestion/aides/{id}/reversements",
            post(grants::decide_reimbursement),
        )
        .route("/gestion/aides/{id}/avenants", post(grants::amend))
        .route("/gestion/echeances", get(grants::overdue))
        .route("/gestion/exports", get(grants::exports))
        .route(
            "/gestion/exports/subventions.csv",
            get(grants::subsidies_csv),
        )
        .route("/api/seances", post(api_staff::create_sitting))
        .route("/api/seances/{id}/presences", post(api_staff::roll_call))
        .route("/api/seances/{id}/points", post(api_staff::add_item))
        .route(
            "/api/seances/{id}/points/{position}/apercu",
            post(api_staff::preview_item),
        )
        .route(
            "/api/seances/{id}/points/{position}/cloture",
            post(api_staff::close_item),
        )
        .route("/api/attributions", post(api_staff::propose_award))
        .route("/api/seances/{id}/pouvoirs", post(api_staff::give_proxy))
        .route(
            "/api/seances/{id}/mouvements",
            post(api_staff::record_movement),
        )
        .route(
            "/api/seances/{id}/points/{position}/avis",
            post(api_staff::set_opinion),
        )
        .route("/api/beneficiaires", post(api_staff::add_beneficiary))
        .route(
            "/api/beneficiaires/{id}/comptes",
            post(api_staff::add_bank_account),
        )
        .route("/api/lignes-budgetaires", post(api_staff::add_budget_line))
        .route("/api/aides/{id}", get(api_staff::grant))
        .route(
            "/api/aides/{id}/convention",
            post(api_staff::create_convention),
        )
        .route(
            "/api/aides/{id}/signature",
            post(api_staff::sign_convention),
        )
        .route(
            "/api/aides/{id}/documents",
            post(api_staff::receive_document),
        )
        .route(
            "/api/aides/{id}/versements",
            post(api_staff::record_payment),
        )
        .route(
            "/api/aides/{id}/reversements",
            post(api_staff::decide_reimbursement),
        )
        .route(
            "/api/aides/{id}/avenants",
            post(api_staff::amend_convention),
        )
        .fallback(api::not_found)
        // Run in this order: who asks, may they, does the form carry its token.
        .layer(from_fn(session::check_csrf))
        .layer(from_fn(access::authorize))
        .layer(from_fn_with_state(state.clone(), session::identify))
        .with_state(state)
}

/// Serves until the process is stopped.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(state)).await
}
