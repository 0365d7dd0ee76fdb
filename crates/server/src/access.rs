//! Who may use which route: every route of the server is in [`ROUTES`], with the roles it
//! admits, and the middleware refuses the others before any handler runs. A route missing
//! from the table is refused to everyone.

use crate::problem::Problem;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The roles of the issue: staff roles are given by accounts; a request without a session
/// is `Public`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    AssembliesService,
    Instructor,
    Finance,
    /// Élu: reads everything, changes nothing.
    ElectedMember,
    /// Anonymous visitors of the portal.
    Public,
}

pub const ALL_ROLES: [Role; 6] = [
    Role::Administrator,
    Role::AssembliesService,
    Role::Instructor,
    Role::Finance,
    Role::ElectedMember,
    Role::Public,
];

pub struct RouteRule {
    pub method: Method,
    /// The route as the router declares it ("/api/deliberations/{number}").
    pub path: &'static str,
    pub roles: &'static [Role],
    /// A path that exercises the route in tests ("/api/deliberations/2023-479").
    pub example: &'static str,
}

const EVERYONE: &[Role] = &ALL_ROLES;

/// Every route of the server. Only published acts are reachable from these: a deliberation
/// has a number once its vote is closed, and search gives the public audience only.
pub const ROUTES: &[RouteRule] = &[
    RouteRule {
        method: Method::GET,
        path: "/",
        roles: EVERYONE,
        example: "/",
    },
    RouteRule {
        method: Method::GET,
        path: "/recherche",
        roles: EVERYONE,
        example: "/recherche?q=artisanat",
    },
    RouteRule {
        method: Method::GET,
        path: "/deliberations/{number}",
        roles: EVERYONE,
        example: "/deliberations/2023-479",
    },
    RouteRule {
        method: Method::GET,
        path: "/deliberations/{number}/pdf",
        roles: EVERYONE,
        example: "/deliberations/2023-479/pdf",
    },
    RouteRule {
        method: Method::GET,
        path: "/donnees",
        roles: EVERYONE,
        example: "/donnees",
    },
    RouteRule {
        method: Method::GET,
        path: "/donnees/deliberations.csv",
        roles: EVERYONE,
        example: "/donnees/deliberations.csv",
    },
    RouteRule {
        method: Method::GET,
        path: "/donnees/archives.csv",
        roles: EVERYONE,
        example: "/donnees/archives.csv",
    },
    RouteRule {
        method: Method::GET,
        path: "/api/deliberations",
        roles: EVERYONE,
        example: "/api/deliberations",
    },
    RouteRule {
        method: Method::GET,
        path: "/api/deliberations/{number}",
        roles: EVERYONE,
        example: "/api/deliberations/2023-479",
    },
    RouteRule {
        method: Method::GET,
        path: "/api/search",
        roles: EVERYONE,
        example: "/api/search?q=chambre%20des%20metiers",
    },
    RouteRule {
        method: Method::GET,
        path: "/api/archives/{number}",
        roles: EVERYONE,
        example: "/api/archives/2023-479",
    },
    RouteRule {
        method: Method::GET,
        path: "/api/openapi.json",
        roles: EVERYONE,
        example: "/api/openapi.json",
    },
];

/// The rule of a route, by method and declared path.
pub fn rule(method: &Method, path: &str) -> Option<&'static RouteRule> {
    ROUTES
        .iter()
        .find(|r| r.method == *method && r.path == path)
}

/// Whether the role may use the route.
pub fn allows(method: &Method, path: &str, role: Role) -> bool {
    // HEAD is answered by the GET route.
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    rule(method, path).is_some_and(|r| r.roles.contains(&role))
}

/// The requester's role. Accounts and sessions do not exist yet: everyone is `Public`.
fn role_of(_request: &Request) -> Role {
    Role::Public
}

/// Refuses a request whose role the route's rule does not admit: 401 for the public
/// (log in first), 403 for a staff role.
pub async fn authorize(request: Request, next: Next) -> Response {
    let Some(path) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        return next.run(request).await;
    };
    let role = role_of(&request);
    if allows(request.method(), &path, role) {
        return next.run(request).await;
    }
    if role == Role::Public {
        Problem::unauthorized().into_response()
    } else {
        Problem::forbidden().into_response()
    }
}
