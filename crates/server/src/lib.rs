//! acta's web adapter: the public portal (HTML that works without JavaScript), the staff
//! back office and the JSON API, over `acta-app`. Every route is declared once, in
//! [`routes::ROUTES`]: the router, the access rule and the OpenAPI document come from it.
//! Handlers extract ([`extract`]), call the application and respond; pages are askama
//! templates ([`pages`]); no rule lives here.

pub mod access;
pub mod api;
pub mod api_acts;
pub mod api_applications;
pub mod api_budget;
pub mod api_preparation;
pub mod api_staff;
pub mod backoffice;
pub mod beneficiaries;
pub mod cache;
pub mod controls;
pub mod deadline;
pub mod extract;
pub mod headers;
pub mod hosts;
pub mod members;
pub mod openapi;
pub mod pages;
pub mod portal;
pub mod problem;
pub mod reads;
pub mod routes;
pub mod session;
pub mod statics;
pub mod writes;

use acta_app::Acta;
use acta_docs::{DocumentsConfig, Renderer};
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::OnceCell;

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
    /// How long a request may take before it is answered 408 (see [`deadline`]).
    pub request_deadline: std::time::Duration,
    /// The collectivity's name for the portal's header, read once it exists.
    site: Arc<OnceCell<String>>,
    /// A streaming replica for the reads that tolerate lag (see [`reads`]).
    pub read_side: Option<Arc<acta_app::replica::ReadSide>>,
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
            request_deadline: deadline::DEFAULT,
            site: Arc::new(OnceCell::new()),
            read_side: None,
        })
    }

    /// Documents rendered with this renderer and its configuration (the collectivity's
    /// own, see `Acta::documents_renderer`) instead of the embedded ones.
    pub fn with_renderer(mut self, renderer: Renderer) -> Self {
        self.config = Arc::new(renderer.config().clone());
        self.renderer = Arc::new(renderer);
        self
    }

    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }

    /// Lag-tolerant reads go to this replica while it is within its bound.
    pub fn with_read_side(mut self, side: acta_app::replica::ReadSide) -> Self {
        self.read_side = Some(Arc::new(side));
        self
    }

    pub fn with_request_deadline(mut self, deadline: std::time::Duration) -> Self {
        self.request_deadline = deadline;
        self
    }

    /// The name the portal shows: the documents' configured header, else the
    /// collectivity's own name.
    pub async fn site_name(&self) -> String {
        let configured = self.config.header.collectivity.trim();
        if !configured.is_empty() {
            return configured.to_string();
        }
        if let Some(name) = self.site.get() {
            return name.clone();
        }
        match self.acta.collectivity_name().await {
            Ok(Some(name)) => self.site.get_or_init(async || name).await.clone(),
            _ => "Actes publiés".to_string(),
        }
    }

    /// The frame of a portal page.
    pub async fn portal_frame(&self, title: impl Into<String>) -> pages::Frame {
        pages::Frame::portal(self.site_name().await, self.renderer.logo_data_uri(), title)
    }
}

/// The routes of [`routes::ROUTES`], behind the access check.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in routes::ROUTES {
        router = router.route(route.path, (route.handler)(routes::filter(&route.method)));
    }
    let behind_tls = state.secure_cookies;
    let deadline = state.request_deadline;
    router
        .fallback(api::not_found)
        // Run in this order: who asks, may they, does the form carry its token.
        .layer(from_fn(reads::label))
        .layer(from_fn(session::check_csrf))
        .layer(from_fn(access::authorize))
        .layer(from_fn_with_state(state.clone(), session::identify))
        .layer(from_fn(controls::refuse_in_address))
        .layer(from_fn_with_state(deadline, deadline::enforce))
        .layer(from_fn_with_state(behind_tls, headers::secure))
        .with_state(state)
}

/// Serves `app` (from [`router`] or [`hosts::router_by_host`]) until the process is
/// stopped.
pub async fn serve(app: Router, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The peer's address counts failed log-ins (see `backoffice::login`).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
