//! Who may use which route: the middleware refuses, before any handler runs, a request
//! whose role the route's entry in [`crate::routes::ROUTES`] does not admit. A route
//! missing from the table is refused to everyone.

use crate::problem::Problem;
use crate::session::Visitor;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use crate::routes::{ALL_ROLES, Purpose, ROUTES, Route, StaffRole, allows, rule};

/// Refuses a request whose role the route's rule does not admit. An anonymous visitor
/// asking for a back-office page is sent to the log-in form; the API answers 401 to the
/// public and 403 to a staff role.
pub async fn authorize(request: Request, next: Next) -> Response {
    let Some(path) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        return next.run(request).await;
    };
    let method = if request.method() == Method::HEAD {
        Method::GET
    } else {
        request.method().clone()
    };
    if rule(&method, &path).is_none() {
        return method_not_allowed(&path);
    }
    let role = request
        .extensions()
        .get::<Visitor>()
        .map_or(StaffRole::Public, Visitor::role);
    if allows(request.method(), &path, role) {
        return next.run(request).await;
    }
    // The back office and the members' space are pages: an anonymous visitor logs in.
    let page = path.starts_with("/gestion")
        || path.starts_with("/elus")
        || path.starts_with("/beneficiaires");
    match (role, page) {
        (StaffRole::Public, true) if request.method() == Method::GET => {
            let back = request
                .uri()
                .path_and_query()
                .map_or("/gestion", |p| p.as_str());
            let target = format!("/connexion?suite={}", crate::backoffice::url_encode(back));
            (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
        }
        (StaffRole::Public, _) => Problem::unauthorized().into_response(),
        (_, true) => crate::backoffice::forbidden_page().into_response(),
        (_, false) => Problem::forbidden().into_response(),
    }
}

/// A method the route does not have: 405, with the methods it has.
fn method_not_allowed(path: &str) -> Response {
    let allowed: Vec<&str> = ROUTES
        .iter()
        .filter(|r| r.path == path)
        .map(|r| r.method.as_str())
        .collect();
    let mut response = Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Méthode non prise en charge",
        format!("Cette adresse accepte seulement : {}.", allowed.join(", ")),
    )
    .into_response();
    if let Ok(value) = header::HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}
