//! acta's web adapter: the public portal (HTML that works without JavaScript) and the JSON
//! API, over `acta-app`. Handlers parse, call the application and render; they hold no
//! rule. Every route's access rule is in [`access::ROUTES`].

pub mod access;
pub mod api;
pub mod cache;
pub mod openapi;
pub mod portal;
pub mod problem;

use acta_app::Acta;
use acta_docs::{DocumentsConfig, Renderer};
use axum::Router;
use axum::routing::get;
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
        })
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
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn(access::authorize))
        .with_state(state)
}

/// Serves until the process is stopped.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(state)).await
}
