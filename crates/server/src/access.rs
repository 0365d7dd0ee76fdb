//! Who may use which route: every route of the server is in [`ROUTES`], with the roles it
//! admits, and the middleware refuses the others before any handler runs. A route missing
//! from the table is refused to everyone.

use crate::problem::Problem;
use crate::session::Visitor;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use acta_domain::account::{ALL_ROLES, Role};

/// What a route does, for the rule that anonymous visitors never change anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Reads only.
    Read,
    /// Changes the register: never admits the public.
    Write,
    /// Opens or closes a session.
    Session,
}

pub struct RouteRule {
    pub method: Method,
    /// The route as the router declares it ("/api/deliberations/{number}").
    pub path: &'static str,
    pub roles: &'static [Role],
    pub purpose: Purpose,
    /// A path that exercises the route in tests ("/api/deliberations/2023-479").
    pub example: &'static str,
}

const EVERYONE: &[Role] = &ALL_ROLES;
/// Every account, elected members included: the back office's reads.
const SIGNED_IN: &[Role] = &[
    Role::Administrator,
    Role::AssembliesService,
    Role::Instructor,
    Role::Finance,
    Role::ElectedMember,
];
/// Sittings, attendance, agenda, votes and numbering.
const ASSEMBLIES: &[Role] = &[Role::Administrator, Role::AssembliesService];
/// Reports and draft deliberations: the instructing direction writes them, the
/// assemblies service checks them.
const DRAFTING: &[Role] = &[
    Role::Administrator,
    Role::AssembliesService,
    Role::Instructor,
];
/// Awards proposed by reports.
const INSTRUCTION: &[Role] = &[Role::Administrator, Role::Instructor];
const ADMINISTRATION: &[Role] = &[Role::Administrator];
/// Budget lines, bank details, payments.
const FINANCE: &[Role] = &[Role::Administrator, Role::Finance];
/// Reimbursement decisions: the instructing direction and finance.
const RECOVERY: &[Role] = &[Role::Administrator, Role::Instructor, Role::Finance];

const fn read(path: &'static str, roles: &'static [Role], example: &'static str) -> RouteRule {
    RouteRule {
        method: Method::GET,
        path,
        roles,
        purpose: Purpose::Read,
        example,
    }
}

const fn write(path: &'static str, roles: &'static [Role], example: &'static str) -> RouteRule {
    RouteRule {
        method: Method::POST,
        path,
        roles,
        purpose: Purpose::Write,
        example,
    }
}

/// Every route of the server. Only published acts are reachable from these: a deliberation
/// has a number once its vote is closed, and search gives the public audience only.
pub const ROUTES: &[RouteRule] = &[
    // The public portal and its API.
    read("/", EVERYONE, "/"),
    read("/recherche", EVERYONE, "/recherche?q=artisanat"),
    read(
        "/deliberations/{number}",
        EVERYONE,
        "/deliberations/2023-479",
    ),
    read(
        "/deliberations/{number}/pdf",
        EVERYONE,
        "/deliberations/2023-479/pdf",
    ),
    read("/donnees", EVERYONE, "/donnees"),
    read(
        "/donnees/deliberations.csv",
        EVERYONE,
        "/donnees/deliberations.csv",
    ),
    read("/donnees/archives.csv", EVERYONE, "/donnees/archives.csv"),
    read("/api/deliberations", EVERYONE, "/api/deliberations"),
    read(
        "/api/deliberations/{number}",
        EVERYONE,
        "/api/deliberations/2023-479",
    ),
    read(
        "/api/search",
        EVERYONE,
        "/api/search?q=chambre%20des%20metiers",
    ),
    read("/api/archives/{number}", EVERYONE, "/api/archives/2023-479"),
    read("/api/openapi.json", EVERYONE, "/api/openapi.json"),
    read("/static/gestion.js", EVERYONE, "/static/gestion.js"),
    // Sessions.
    read("/connexion", EVERYONE, "/connexion"),
    RouteRule {
        method: Method::POST,
        path: "/connexion",
        roles: EVERYONE,
        purpose: Purpose::Session,
        example: "/connexion",
    },
    RouteRule {
        method: Method::POST,
        path: "/deconnexion",
        roles: SIGNED_IN,
        purpose: Purpose::Session,
        example: "/deconnexion",
    },
    read("/api/session", SIGNED_IN, "/api/session"),
    // The back office.
    read("/gestion", SIGNED_IN, "/gestion"),
    write("/gestion/seances", ASSEMBLIES, "/gestion/seances"),
    read("/gestion/seances/{id}", SIGNED_IN, "/gestion/seances/1"),
    write(
        "/gestion/seances/{id}/presences",
        ASSEMBLIES,
        "/gestion/seances/1/presences",
    ),
    write(
        "/gestion/seances/{id}/pouvoirs",
        ASSEMBLIES,
        "/gestion/seances/1/pouvoirs",
    ),
    write(
        "/gestion/seances/{id}/mouvements",
        ASSEMBLIES,
        "/gestion/seances/1/mouvements",
    ),
    write(
        "/gestion/seances/{id}/points",
        ASSEMBLIES,
        "/gestion/seances/1/points",
    ),
    read(
        "/gestion/seances/{id}/points/{position}",
        SIGNED_IN,
        "/gestion/seances/1/points/1",
    ),
    write(
        "/gestion/seances/{id}/points/{position}/cloture",
        ASSEMBLIES,
        "/gestion/seances/1/points/1/cloture",
    ),
    write(
        "/gestion/seances/{id}/points/{position}/attributions",
        INSTRUCTION,
        "/gestion/seances/1/points/1/attributions",
    ),
    write(
        "/gestion/seances/{id}/points/{position}/projet",
        DRAFTING,
        "/gestion/seances/1/points/1/projet",
    ),
    write(
        "/gestion/seances/{id}/points/{position}/avis",
        DRAFTING,
        "/gestion/seances/1/points/1/avis",
    ),
    write(
        "/api/seances/{id}/points/{position}/projet",
        DRAFTING,
        "/api/seances/1/points/1/projet",
    ),
    read("/gestion/credits", SIGNED_IN, "/gestion/credits?annee=2023"),
    read("/gestion/comptes", ADMINISTRATION, "/gestion/comptes"),
    write("/gestion/comptes", ADMINISTRATION, "/gestion/comptes"),
    write(
        "/gestion/comptes/{login}/etat",
        ADMINISTRATION,
        "/gestion/comptes/cdupont/etat",
    ),
    // Grants after the vote.
    read(
        "/gestion/beneficiaires",
        SIGNED_IN,
        "/gestion/beneficiaires",
    ),
    write(
        "/gestion/beneficiaires",
        INSTRUCTION,
        "/gestion/beneficiaires",
    ),
    read(
        "/gestion/beneficiaires/{id}",
        SIGNED_IN,
        "/gestion/beneficiaires/1",
    ),
    write(
        "/gestion/beneficiaires/{id}/comptes",
        FINANCE,
        "/gestion/beneficiaires/1/comptes",
    ),
    read("/gestion/budget", SIGNED_IN, "/gestion/budget?annee=2023"),
    write("/gestion/budget", FINANCE, "/gestion/budget"),
    read("/gestion/aides", SIGNED_IN, "/gestion/aides"),
    read("/gestion/aides/{id}", SIGNED_IN, "/gestion/aides/1"),
    write(
        "/gestion/aides/{id}/convention",
        INSTRUCTION,
        "/gestion/aides/1/convention",
    ),
    read(
        "/gestion/aides/{id}/convention.pdf",
        SIGNED_IN,
        "/gestion/aides/1/convention.pdf",
    ),
    write(
        "/gestion/aides/{id}/signature",
        INSTRUCTION,
        "/gestion/aides/1/signature",
    ),
    write(
        "/gestion/aides/{id}/documents",
        INSTRUCTION,
        "/gestion/aides/1/documents",
    ),
    write(
        "/gestion/aides/{id}/versements",
        FINANCE,
        "/gestion/aides/1/versements",
    ),
    write(
        "/gestion/aides/{id}/reversements",
        RECOVERY,
        "/gestion/aides/1/reversements",
    ),
    write(
        "/gestion/aides/{id}/avenants",
        INSTRUCTION,
        "/gestion/aides/1/avenants",
    ),
    read("/gestion/echeances", SIGNED_IN, "/gestion/echeances"),
    read("/gestion/exports", SIGNED_IN, "/gestion/exports"),
    read(
        "/gestion/exports/subventions.csv",
        SIGNED_IN,
        "/gestion/exports/subventions.csv",
    ),
    // The API's writes, for the same operations.
    write("/api/seances", ASSEMBLIES, "/api/seances"),
    write(
        "/api/seances/{id}/presences",
        ASSEMBLIES,
        "/api/seances/1/presences",
    ),
    write(
        "/api/seances/{id}/points",
        ASSEMBLIES,
        "/api/seances/1/points",
    ),
    RouteRule {
        method: Method::POST,
        path: "/api/seances/{id}/points/{position}/apercu",
        roles: SIGNED_IN,
        purpose: Purpose::Read,
        example: "/api/seances/1/points/1/apercu",
    },
    write(
        "/api/seances/{id}/points/{position}/cloture",
        ASSEMBLIES,
        "/api/seances/1/points/1/cloture",
    ),
    write("/api/attributions", INSTRUCTION, "/api/attributions"),
    write(
        "/api/seances/{id}/pouvoirs",
        ASSEMBLIES,
        "/api/seances/1/pouvoirs",
    ),
    write(
        "/api/seances/{id}/mouvements",
        ASSEMBLIES,
        "/api/seances/1/mouvements",
    ),
    write(
        "/api/seances/{id}/points/{position}/avis",
        DRAFTING,
        "/api/seances/1/points/1/avis",
    ),
    write("/api/beneficiaires", INSTRUCTION, "/api/beneficiaires"),
    write(
        "/api/beneficiaires/{id}/comptes",
        FINANCE,
        "/api/beneficiaires/1/comptes",
    ),
    write(
        "/api/lignes-budgetaires",
        FINANCE,
        "/api/lignes-budgetaires",
    ),
    read("/api/aides/{id}", SIGNED_IN, "/api/aides/1"),
    write(
        "/api/aides/{id}/convention",
        INSTRUCTION,
        "/api/aides/1/convention",
    ),
    write(
        "/api/aides/{id}/signature",
        INSTRUCTION,
        "/api/aides/1/signature",
    ),
    write(
        "/api/aides/{id}/documents",
        INSTRUCTION,
        "/api/aides/1/documents",
    ),
    write(
        "/api/aides/{id}/versements",
        FINANCE,
        "/api/aides/1/versements",
    ),
    write(
        "/api/aides/{id}/reversements",
        RECOVERY,
        "/api/aides/1/reversements",
    ),
    write(
        "/api/aides/{id}/avenants",
        INSTRUCTION,
        "/api/aides/1/avenants",
    ),
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
    let role = request
        .extensions()
        .get::<Visitor>()
        .map_or(Role::Public, Visitor::role);
    if allows(request.method(), &path, role) {
        return next.run(request).await;
    }
    let page = path.starts_with("/gestion");
    match (role, page) {
        (Role::Public, true) if request.method() == Method::GET => {
            let back = request
                .uri()
                .path_and_query()
                .map_or("/gestion", |p| p.as_str());
            let target = format!("/connexion?suite={}", crate::backoffice::url_encode(back));
            (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
        }
        (Role::Public, _) => Problem::unauthorized().into_response(),
        (_, true) => crate::backoffice::forbidden_page().into_response(),
        (_, false) => Problem::forbidden().into_response(),
    }
}
