//! One server for several collectivities: each is served at its own host name, with its
//! own application (bound to its rows), search index, view cache and sessions.

use crate::{AppState, router};
use acta_domain::host::HostName;
use axum::Router;
use axum::extract::Request;
use axum::http::header::HOST;
use std::collections::HashMap;
use std::sync::Arc;
use tower::ServiceExt;

/// Routes each request to the collectivity its host name names; any other host gets
/// `default`'s (the collectivity the server was started for).
pub fn router_by_host(default: AppState, hosts: Vec<(HostName, AppState)>) -> Router {
    if hosts.is_empty() {
        return router(default);
    }
    let default = router(default);
    let by_host: Arc<HashMap<HostName, Router>> = Arc::new(
        hosts
            .into_iter()
            .map(|(host, state)| (host, router(state)))
            .collect(),
    );
    Router::new().fallback(move |request: Request| {
        let chosen = requested_host(&request)
            .and_then(|host| by_host.get(&host).cloned())
            .unwrap_or_else(|| default.clone());
        async move {
            match chosen.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
    })
}

/// The host a request names: its `Host` header (HTTP/1.1), else its address (HTTP/2).
fn requested_host(request: &Request) -> Option<HostName> {
    request
        .headers()
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .and_then(HostName::of_request)
}
