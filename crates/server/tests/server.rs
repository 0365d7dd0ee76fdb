//! The portal and the API as a browser or a client sees them, on SQLite and PostgreSQL:
//! every route of the access table answers as its rule says, anonymous visitors never see
//! a draft, errors are problem details in French, and the OpenAPI document names every
//! API route.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::sittings::NewItem;
use acta_app::{Acta, Actor};
use acta_server::access::{ALL_ROLES, Purpose, ROUTES, StaffRole, allows};
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{demo, get, send};

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap()
}

/// Who may use what, stated here apart from `access::ROUTES`: a route added to the table,
/// or a role given or taken away, fails this test until the expectation is written too.
const EXPECTED: &[(&str, &str, &[StaffRole])] = &[
    ("GET", "/", &ALL_ROLES),
    ("GET", "/recherche", &ALL_ROLES),
    ("GET", "/deliberations/{number}", &ALL_ROLES),
    ("GET", "/deliberations/{number}/pdf", &ALL_ROLES),
    ("GET", "/donnees", &ALL_ROLES),
    ("GET", "/donnees/deliberations.csv", &ALL_ROLES),
    ("GET", "/donnees/subventions.csv", &ALL_ROLES),
    ("GET", "/donnees/catalogue.jsonld", &ALL_ROLES),
    ("GET", "/seances/{key}", &ALL_ROLES),
    ("GET", "/seances/{key}/proces-verbal.pdf", &ALL_ROLES),
    ("GET", "/donnees/archives.csv", &ALL_ROLES),
    ("GET", "/api/deliberations", &ALL_ROLES),
    ("GET", "/api/deliberations/{number}", &ALL_ROLES),
    ("GET", "/api/search", &ALL_ROLES),
    ("GET", "/api/archives/{number}", &ALL_ROLES),
    ("GET", "/api/openapi.json", &ALL_ROLES),
    ("GET", "/static/gestion.js", &ALL_ROLES),
    ("GET", "/static/acta.css", &ALL_ROLES),
    ("GET", "/connexion", &ALL_ROLES),
    ("POST", "/connexion", &ALL_ROLES),
    ("POST", "/deconnexion", ACCOUNTS),
    ("GET", "/api/session", ACCOUNTS),
    ("GET", "/gestion", SIGNED_IN),
    ("POST", "/gestion/seances", ASSEMBLIES),
    ("GET", "/gestion/seances/{id}", SIGNED_IN),
    ("POST", "/gestion/seances/{id}/presences", ASSEMBLIES),
    ("POST", "/gestion/seances/{id}/pouvoirs", ASSEMBLIES),
    ("POST", "/gestion/seances/{id}/mouvements", ASSEMBLIES),
    ("POST", "/gestion/seances/{id}/points", ASSEMBLIES),
    ("GET", "/gestion/seances/{id}/points/{position}", SIGNED_IN),
    (
        "POST",
        "/gestion/seances/{id}/points/{position}/cloture",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/gestion/seances/{id}/points/{position}/attributions",
        INSTRUCTION,
    ),
    (
        "POST",
        "/gestion/seances/{id}/points/{position}/projet",
        DRAFTING,
    ),
    (
        "POST",
        "/gestion/seances/{id}/points/{position}/avis",
        DRAFTING,
    ),
    (
        "POST",
        "/api/seances/{id}/points/{position}/projet",
        DRAFTING,
    ),
    ("GET", "/gestion/credits", SIGNED_IN),
    ("GET", "/gestion/comptes", ADMINISTRATOR),
    ("POST", "/gestion/comptes", ADMINISTRATOR),
    ("POST", "/gestion/comptes/{login}/etat", ADMINISTRATOR),
    ("POST", "/gestion/comptes/verrous", ADMINISTRATOR),
    ("GET", "/gestion/beneficiaires", SIGNED_IN),
    ("POST", "/gestion/beneficiaires", INSTRUCTION),
    ("GET", "/gestion/beneficiaires/{id}", SIGNED_IN),
    ("POST", "/gestion/beneficiaires/{id}/comptes", FINANCE),
    ("GET", "/gestion/budget", SIGNED_IN),
    ("POST", "/gestion/budget", FINANCE),
    ("GET", "/gestion/budget/lignes/{id}", SIGNED_IN),
    ("GET", "/gestion/budget/decisions", SIGNED_IN),
    ("GET", "/gestion/delegations", SIGNED_IN),
    ("POST", "/gestion/delegations", ASSEMBLIES),
    ("GET", "/gestion/autorisations", SIGNED_IN),
    ("POST", "/gestion/autorisations", FINANCE),
    (
        "POST",
        "/gestion/seances/{id}/points/{position}/decisions-budgetaires",
        FINANCE,
    ),
    ("GET", "/gestion/exports/ordres.csv", FINANCE),
    ("GET", "/gestion/aides", SIGNED_IN),
    ("GET", "/gestion/aides/{id}", SIGNED_IN),
    ("POST", "/gestion/aides/{id}/convention", INSTRUCTION),
    ("GET", "/gestion/aides/{id}/convention.pdf", SIGNED_IN),
    ("POST", "/gestion/aides/{id}/signature", INSTRUCTION),
    ("POST", "/gestion/aides/{id}/notification", INSTRUCTION),
    ("POST", "/gestion/seances/{id}/proces-verbal", ASSEMBLIES),
    (
        "POST",
        "/gestion/seances/{id}/points/{position}/discussions",
        ASSEMBLIES,
    ),
    ("POST", "/gestion/aides/{id}/documents", INSTRUCTION),
    ("POST", "/gestion/aides/{id}/versements", FINANCE),
    ("POST", "/gestion/aides/{id}/reversements", RECOVERY),
    ("POST", "/gestion/aides/{id}/avenants", INSTRUCTION),
    ("GET", "/gestion/echeances", SIGNED_IN),
    ("GET", "/gestion/exports", SIGNED_IN),
    ("GET", "/gestion/exports/subventions.csv", SIGNED_IN),
    ("POST", "/api/seances", ASSEMBLIES),
    ("POST", "/api/seances/{id}/presences", ASSEMBLIES),
    ("POST", "/api/seances/{id}/points", ASSEMBLIES),
    (
        "POST",
        "/api/seances/{id}/points/{position}/apercu",
        SIGNED_IN,
    ),
    (
        "POST",
        "/api/seances/{id}/points/{position}/cloture",
        ASSEMBLIES,
    ),
    ("POST", "/api/attributions", INSTRUCTION),
    ("POST", "/api/seances/{id}/pouvoirs", ASSEMBLIES),
    ("POST", "/api/seances/{id}/mouvements", ASSEMBLIES),
    ("POST", "/api/seances/{id}/points/{position}/avis", DRAFTING),
    ("POST", "/api/beneficiaires", INSTRUCTION),
    ("POST", "/api/beneficiaires/{id}/comptes", FINANCE),
    ("POST", "/api/lignes-budgetaires", FINANCE),
    ("GET", "/api/lignes-budgetaires/{id}", SIGNED_IN),
    ("POST", "/api/decisions-budgetaires", FINANCE),
    ("GET", "/api/decisions-budgetaires", SIGNED_IN),
    ("POST", "/api/delegations", ASSEMBLIES),
    ("GET", "/api/delegations", SIGNED_IN),
    ("POST", "/api/autorisations", FINANCE),
    ("GET", "/api/autorisations", SIGNED_IN),
    ("GET", "/api/ordres", FINANCE),
    ("GET", "/api/aides/{id}", SIGNED_IN),
    ("POST", "/api/aides/{id}/convention", INSTRUCTION),
    ("POST", "/api/aides/{id}/signature", INSTRUCTION),
    ("POST", "/api/aides/{id}/documents", INSTRUCTION),
    ("POST", "/api/aides/{id}/versements", FINANCE),
    ("POST", "/api/aides/{id}/reversements", RECOVERY),
    ("POST", "/api/aides/{id}/avenants", INSTRUCTION),
    ("GET", "/gestion/deliberations/{number}", SIGNED_IN),
    (
        "POST",
        "/gestion/deliberations/{number}/preparation",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/gestion/deliberations/{number}/signature",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/gestion/deliberations/{number}/publication",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/gestion/deliberations/{number}/publication/retrait",
        ASSEMBLIES,
    ),
    (
        "GET",
        "/gestion/deliberations/{number}/signature.pdf",
        SIGNED_IN,
    ),
    (
        "POST",
        "/gestion/deliberations/{number}/transmission",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/gestion/deliberations/{number}/transmission/suivi",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/gestion/deliberations/{number}/transmission/annulation",
        ASSEMBLIES,
    ),
    (
        "GET",
        "/gestion/deliberations/{number}/transmission/{file}",
        SIGNED_IN,
    ),
    (
        "GET",
        "/gestion/deliberations/{number}/courriers/{reply}",
        SIGNED_IN,
    ),
    ("GET", "/api/signataires", ADMINISTRATOR),
    ("POST", "/api/signataires", ADMINISTRATOR),
    ("GET", "/api/signatures/{document}/{key}", SIGNED_IN),
    (
        "POST",
        "/api/signatures/{document}/{key}/preparation",
        ASSEMBLIES,
    ),
    (
        "POST",
        "/api/signatures/{document}/{key}/signature",
        ASSEMBLIES,
    ),
    ("POST", "/api/verification", SIGNED_IN),
    ("GET", "/api/transmissions/{number}", SIGNED_IN),
    ("POST", "/api/transmissions/{number}", ASSEMBLIES),
    ("POST", "/api/suivi-transmissions", ASSEMBLIES),
    ("POST", "/api/transmissions/{number}/annulation", ASSEMBLIES),
    ("POST", "/api/publications/{number}", ASSEMBLIES),
    ("GET", "/api/seances/{id}/proces-verbal", SIGNED_IN),
    ("POST", "/api/seances/{id}/proces-verbal", ASSEMBLIES),
    (
        "POST",
        "/api/seances/{id}/points/{position}/discussions",
        ASSEMBLIES,
    ),
    ("POST", "/api/publications/{number}/retrait", ASSEMBLIES),
    ("POST", "/api/aides/{id}/notification", INSTRUCTION),
    (
        "POST",
        "/api/transmissions/{number}/courriers/{reply}/reponse",
        ASSEMBLIES,
    ),
    // Before the sitting.
    ("GET", "/gestion/circuits", SIGNED_IN),
    ("POST", "/gestion/circuits", ASSEMBLIES),
    ("GET", "/gestion/rapports", SIGNED_IN),
    ("POST", "/gestion/rapports", DRAFTING),
    ("GET", "/gestion/rapports/{id}", SIGNED_IN),
    ("POST", "/gestion/rapports/{id}/texte", DRAFTING),
    ("POST", "/gestion/rapports/{id}/soumission", DRAFTING),
    ("POST", "/gestion/rapports/{id}/validation", STEPS),
    ("POST", "/gestion/rapports/{id}/renvoi", STEPS),
    ("POST", "/gestion/rapports/{id}/retrait", DRAFTING),
    ("POST", "/gestion/rapports/{id}/inscription", ASSEMBLIES),
    ("POST", "/gestion/rapports/{id}/report-seance", ASSEMBLIES),
    ("GET", "/gestion/seances/{id}/convocation", SIGNED_IN),
    ("POST", "/gestion/seances/{id}/convocation", ASSEMBLIES),
    (
        "POST",
        "/gestion/seances/{id}/convocation/renvoi",
        ASSEMBLIES,
    ),
    (
        "GET",
        "/gestion/seances/{id}/convocation/courriers.pdf",
        SIGNED_IN,
    ),
    ("GET", "/elus", MEMBERS),
    ("GET", "/elus/convocation/{token}", MEMBERS),
    ("GET", "/elus/seances/{id}", MEMBERS),
    ("POST", "/elus/seances/{id}/reponse", MEMBERS),
    ("POST", "/elus/seances/{id}/points/{position}/note", MEMBERS),
    (
        "POST",
        "/elus/seances/{id}/points/{position}/interet",
        MEMBERS,
    ),
    ("GET", "/api/circuits", SIGNED_IN),
    ("POST", "/api/circuits", ASSEMBLIES),
    ("GET", "/api/rapports", SIGNED_IN),
    ("POST", "/api/rapports", DRAFTING),
    ("GET", "/api/rapports/{id}", SIGNED_IN),
    ("POST", "/api/rapports/{id}/texte", DRAFTING),
    ("POST", "/api/rapports/{id}/soumission", DRAFTING),
    ("POST", "/api/rapports/{id}/validation", STEPS),
    ("POST", "/api/rapports/{id}/renvoi", STEPS),
    ("POST", "/api/rapports/{id}/retrait", DRAFTING),
    ("POST", "/api/rapports/{id}/inscription", ASSEMBLIES),
    ("POST", "/api/rapports/{id}/report-seance", ASSEMBLIES),
    ("POST", "/api/courriel", ADMINISTRATOR),
    ("POST", "/api/elus/courriel", ASSEMBLIES),
    ("GET", "/api/seances/{id}/convocation", SIGNED_IN),
    ("POST", "/api/seances/{id}/convocation", ASSEMBLIES),
    ("POST", "/api/seances/{id}/convocation/renvoi", ASSEMBLIES),
    ("GET", "/api/seances/{id}/presences-attendues", SIGNED_IN),
    ("GET", "/api/elus/seances", MEMBERS),
    ("GET", "/api/elus/seances/{id}", MEMBERS),
    ("POST", "/api/elus/seances/{id}/reponse", MEMBERS),
    (
        "POST",
        "/api/elus/seances/{id}/points/{position}/note",
        MEMBERS,
    ),
    (
        "POST",
        "/api/elus/seances/{id}/points/{position}/interet",
        MEMBERS,
    ),
    ("GET", "/beneficiaires/inscription", &ALL_ROLES),
    ("POST", "/beneficiaires/inscription", &ALL_ROLES),
    ("GET", "/beneficiaires/confirmation/{token}", &ALL_ROLES),
    ("GET", "/beneficiaires", ORGANISATIONS),
    ("POST", "/beneficiaires/personnes", ORGANISATIONS),
    (
        "GET",
        "/beneficiaires/dispositifs/{id}/demande",
        ORGANISATIONS,
    ),
    (
        "POST",
        "/beneficiaires/dispositifs/{id}/demande",
        ORGANISATIONS,
    ),
    ("GET", "/beneficiaires/demandes/{id}", ORGANISATIONS),
    ("POST", "/beneficiaires/demandes/{id}", ORGANISATIONS),
    ("POST", "/beneficiaires/demandes/{id}/pieces", ORGANISATIONS),
    ("POST", "/beneficiaires/demandes/{id}/depot", ORGANISATIONS),
    (
        "GET",
        "/beneficiaires/demandes/{id}/fichiers/{file}",
        ORGANISATIONS,
    ),
    ("GET", "/beneficiaires/aides/{id}", ORGANISATIONS),
    (
        "GET",
        "/beneficiaires/aides/{id}/convention.pdf",
        ORGANISATIONS,
    ),
    ("POST", "/beneficiaires/aides/{id}/documents", ORGANISATIONS),
    (
        "GET",
        "/beneficiaires/aides/{id}/fichiers/{file}",
        ORGANISATIONS,
    ),
    ("GET", "/api/espace-beneficiaire", ORGANISATIONS),
    ("POST", "/api/espace-beneficiaire/personnes", ORGANISATIONS),
    (
        "POST",
        "/api/espace-beneficiaire/dispositifs/{id}/demandes",
        ORGANISATIONS,
    ),
    (
        "GET",
        "/api/espace-beneficiaire/demandes/{id}",
        ORGANISATIONS,
    ),
    (
        "POST",
        "/api/espace-beneficiaire/demandes/{id}",
        ORGANISATIONS,
    ),
    (
        "POST",
        "/api/espace-beneficiaire/demandes/{id}/pieces",
        ORGANISATIONS,
    ),
    (
        "POST",
        "/api/espace-beneficiaire/demandes/{id}/depot",
        ORGANISATIONS,
    ),
    ("GET", "/api/espace-beneficiaire/aides/{id}", ORGANISATIONS),
    (
        "POST",
        "/api/espace-beneficiaire/aides/{id}/documents",
        ORGANISATIONS,
    ),
    ("GET", "/gestion/dispositifs", SIGNED_IN),
    ("POST", "/gestion/dispositifs", INSTRUCTION),
    ("GET", "/gestion/demandes", SIGNED_IN),
    ("GET", "/gestion/demandes/{id}", SIGNED_IN),
    ("POST", "/gestion/demandes/{id}/piece", INSTRUCTION),
    ("POST", "/gestion/demandes/{id}/instruction", INSTRUCTION),
    ("POST", "/gestion/demandes/{id}/proposition", INSTRUCTION),
    ("POST", "/gestion/demandes/{id}/notification", INSTRUCTION),
    ("GET", "/gestion/demandes/{id}/fichiers/{file}", SIGNED_IN),
    ("GET", "/gestion/pieces-beneficiaires", SIGNED_IN),
    ("POST", "/gestion/pieces-beneficiaires/{id}", RECOVERY),
    ("GET", "/gestion/aides/{id}/fichiers/{file}", SIGNED_IN),
    ("POST", "/gestion/beneficiaires/fusion", INSTRUCTION),
    ("GET", "/api/dispositifs", SIGNED_IN),
    ("POST", "/api/dispositifs", INSTRUCTION),
    ("GET", "/api/demandes", SIGNED_IN),
    ("GET", "/api/demandes/{id}", SIGNED_IN),
    ("POST", "/api/demandes/{id}/piece", INSTRUCTION),
    ("POST", "/api/demandes/{id}/instruction", INSTRUCTION),
    ("POST", "/api/demandes/{id}/proposition", INSTRUCTION),
    ("POST", "/api/demandes/{id}/notification", INSTRUCTION),
    ("GET", "/api/pieces-beneficiaires", SIGNED_IN),
    ("POST", "/api/pieces-beneficiaires/{id}", RECOVERY),
    ("POST", "/api/fusion-beneficiaires", INSTRUCTION),
];

const ORGANISATIONS: &[StaffRole] = &[StaffRole::Beneficiary];
const ACCOUNTS: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
    StaffRole::ElectedMember,
    StaffRole::Beneficiary,
];

const STEPS: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
];
const MEMBERS: &[StaffRole] = &[StaffRole::ElectedMember];

const SIGNED_IN: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
    StaffRole::ElectedMember,
];
const ASSEMBLIES: &[StaffRole] = &[StaffRole::Administrator, StaffRole::AssembliesService];
const INSTRUCTION: &[StaffRole] = &[StaffRole::Administrator, StaffRole::Instructor];
const DRAFTING: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
];
const ADMINISTRATOR: &[StaffRole] = &[StaffRole::Administrator];
const FINANCE: &[StaffRole] = &[StaffRole::Administrator, StaffRole::Finance];
const RECOVERY: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::Instructor,
    StaffRole::Finance,
];

#[test]
fn the_access_table_gives_each_role_what_the_rules_say() {
    assert_eq!(
        ROUTES.len(),
        EXPECTED.len(),
        "a route without an expectation"
    );
    for (method, path, admitted) in EXPECTED {
        let method: axum::http::Method = method.parse().unwrap();
        for role in ALL_ROLES {
            assert_eq!(
                allows(&method, path, role),
                admitted.contains(&role),
                "{method} {path} for {role:?}"
            );
        }
    }
    assert!(!allows(
        &axum::http::Method::POST,
        "/api/deliberations",
        StaffRole::Public
    ));
    assert!(!allows(
        &axum::http::Method::GET,
        "/admin",
        StaffRole::Administrator
    ));
}

#[tokio::test]
async fn every_route_answers_an_anonymous_visitor_as_its_rule_says() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let app = demo(&db, &dir.path().join("index")).await;
        for rule in ROUTES {
            let request = Request::builder()
                .method(rule.method.clone())
                .uri(rule.example)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::empty())
                .unwrap();
            let reply = send(&app, request).await;
            let admitted = rule.roles.contains(&StaffRole::Public);
            let what = format!("{} {} ({})", rule.method, rule.example, db.name());
            // Every answer, whatever it is, carries the security headers.
            for (name, value) in [
                (
                    "content-security-policy",
                    acta_server::headers::CONTENT_SECURITY_POLICY,
                ),
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "DENY"),
                ("referrer-policy", "same-origin"),
            ] {
                assert_eq!(
                    reply.headers.get(name).and_then(|v| v.to_str().ok()),
                    Some(value),
                    "{what}: {name}"
                );
            }
            if rule.path.starts_with("/gestion")
                || rule.path.starts_with("/elus")
                || rule.path.starts_with("/beneficiaires")
                || rule.path == "/api/session"
            {
                assert_eq!(
                    reply
                        .headers
                        .get("cache-control")
                        .and_then(|v| v.to_str().ok()),
                    Some("no-store"),
                    "{what}"
                );
            }
            if rule.path == "/beneficiaires/inscription" && rule.method == "POST" {
                // A registration without its fields is shown again with what is missing.
                assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
                assert!(reply.text().contains("Raison sociale"), "{what}");
            } else if rule.purpose == Purpose::Session {
                // Logging in without a password is refused; logging out needs a session.
                assert_eq!(
                    reply.status,
                    StatusCode::UNAUTHORIZED,
                    "{what}: {}",
                    reply.text()
                );
            } else if admitted && rule.path == "/beneficiaires/confirmation/{token}" {
                // A made-up confirmation link opens nothing, and says so in French.
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}");
                assert!(reply.text().contains("pas valable"), "{what}");
            } else if admitted && rule.path == "/seances/{key}/proces-verbal.pdf" {
                // The demo's minutes are not approved yet, so not published: said in French.
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}");
                assert!(reply.text().contains("pas publié"), "{what}");
            } else if admitted {
                assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.text());
            } else if (rule.example.starts_with("/gestion")
                || rule.example.starts_with("/elus")
                || rule.example.starts_with("/beneficiaires"))
                && rule.method == "GET"
            {
                // A back-office or members' page sends the visitor to the log-in form, then
                // back.
                assert_eq!(reply.status, StatusCode::SEE_OTHER, "{what}");
                assert!(
                    reply.location().starts_with(&format!(
                        "/connexion?suite={}",
                        rule.example.split('?').next().unwrap_or_default()
                    )),
                    "{what}: {}",
                    reply.location()
                );
            } else {
                assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}");
                assert_eq!(reply.content_type(), "application/problem+json", "{what}");
            }
        }
    }
}

/// The public never changes anything: every route that writes refuses it in the table,
/// and over HTTP an anonymous write (with or without a made-up token) changes nothing.
#[tokio::test]
async fn anonymous_requests_never_reach_a_state_changing_route() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let acta = common::demo_acta(&db).await;
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let before = acta.journal_size().await.unwrap();
        let writes: Vec<_> = ROUTES
            .iter()
            .filter(|r| r.purpose == Purpose::Write)
            .collect();
        assert!(
            writes.len() >= 10,
            "the back office's writes are in the table"
        );
        for rule in writes {
            assert!(!rule.roles.contains(&StaffRole::Public), "{}", rule.path);
            assert_ne!(rule.method, "GET", "{} writes on GET", rule.path);
            for (content_type, body) in [
                (
                    "application/x-www-form-urlencoded",
                    "_csrf=00&date=2024-01-01&instance=cp",
                ),
                ("application/json", r#"{"body":"cp","date":"2024-01-01"}"#),
            ] {
                let reply = send(
                    &app,
                    Request::post(rule.example)
                        .header(header::CONTENT_TYPE, content_type)
                        .header("x-csrf-token", "00")
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNAUTHORIZED,
                    "{} ({})",
                    rule.example,
                    db.name()
                );
            }
        }
        assert_eq!(
            acta.journal_size().await.unwrap(),
            before,
            "nothing was written"
        );
    }
}

#[tokio::test]
async fn the_api_reads_the_register_and_errors_are_french_problem_details() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let app = demo(&db, &dir.path().join("index")).await;

        let (_, _, body) = get(&app, "/api/deliberations").await;
        let list = json(&body);
        assert_eq!(list[0]["number"], "2023-479", "{}", db.name());
        assert_eq!(list[0]["body"], "Commission permanente");
        let (_, _, body) = get(&app, "/api/deliberations/2023-479").await;
        let deliberation = json(&body);
        assert_eq!(deliberation["vote"]["for"], 44);
        assert_eq!(
            deliberation["attendance"]["present"]
                .as_array()
                .unwrap()
                .len(),
            42
        );

        let (status, _, body) = get(
            &app,
            "/api/search?q=chambre%20des%20metiers&type=deliberation",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let results = json(&body);
        assert_eq!(results["total"], 1);
        assert_eq!(results["hits"][0]["number"], "2023-479");

        let (status, content_type, body) = get(&app, "/api/deliberations/1999-999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(content_type, "application/problem+json");
        let problem = json(&body);
        assert_eq!(problem["status"], 404);
        assert_eq!(problem["title"], "Introuvable");
        assert!(
            problem["detail"].as_str().unwrap().contains("1999-999"),
            "{problem}"
        );

        let (status, content_type, body) = get(&app, "/api/search?q=x&min=beaucoup").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(content_type, "application/problem+json");
        let problem = json(&body);
        assert_eq!(problem["errors"][0]["field"], "montant_min", "{problem}");

        // The portal's form sends its empty fields; a year that is not one is named.
        let (status, _, _) = get(&app, "/recherche?q=artisanat&annee=&instance=&matiere=").await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, body) = get(&app, "/api/search?q=artisanat&annee=deux").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(&body)["errors"][0]["field"], "annee");

        let (status, content_type, _) = get(&app, "/nulle/part").await;
        assert_eq!(
            (status, content_type.as_str()),
            (StatusCode::NOT_FOUND, "application/problem+json")
        );
    }
}

#[tokio::test]
async fn anonymous_visitors_never_see_a_draft() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let acta = Acta::with_store(db.store.clone()).with_clock(common::clock());
        acta.load_demo(&Actor::new("test")).await.unwrap();
        acta.publish_demo(&Actor::new("test"), &common::renderer())
            .await
            .unwrap();
        // A new item of the sitting: a draft until its vote is closed.
        acta.add_item(
            &Actor::new("test"),
            &common::sitting_key("2023-11-20"),
            &NewItem {
                report_number: 21,
                title: "AIDE AU COLLÈGE DE WIMEREUX".into(),
                matter: Some("8.1".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let app = router(AppState::new(acta, index).unwrap());
        let (_, _, body) = get(&app, "/api/search?q=college%20wimereux").await;
        assert_eq!(json(&body)["total"], 0, "{}", db.name());
        let (_, _, body) = get(&app, "/recherche?q=college+wimereux").await;
        assert!(String::from_utf8(body).unwrap().contains("0 résultat"));
        let (_, _, body) = get(&app, "/api/deliberations").await;
        assert_eq!(
            json(&body).as_array().unwrap().len(),
            1,
            "only 2023-479 is published"
        );
    }
}

#[tokio::test]
async fn the_portal_shows_the_seed_deliberation_with_its_text_and_pdf() {
    let db = TestDatabase::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = demo(&db, &dir.path().join("index")).await;
    let (_, content_type, body) = get(&app, "/").await;
    assert!(content_type.starts_with("text/html"));
    let home = String::from_utf8(body).unwrap();
    assert!(home.contains("<html lang=\"fr\">"));
    assert!(home.contains("href=\"/deliberations/2023-479\""), "{home}");
    let (_, _, body) = get(&app, "/deliberations/2023-479").await;
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("CHAMBRE DE MÉTIERS"), "{page}");
    assert!(page.contains("/deliberations/2023-479/pdf"));
    let (_, content_type, pdf) = get(&app, "/deliberations/2023-479/pdf").await;
    assert_eq!(content_type, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn the_openapi_document_names_every_api_route() {
    let spec = acta_server::openapi::spec();
    assert_eq!(spec["openapi"], "3.0.3");
    for rule in ROUTES.iter().filter(|r| r.path.starts_with("/api/")) {
        let method = rule.method.as_str().to_lowercase();
        assert!(
            spec["paths"][rule.path][&method].is_object(),
            "{} missing",
            rule.path
        );
        assert_eq!(spec["paths"][rule.path][&method]["summary"], rule.summary);
    }
}

/// The one route table: every route has its roles and its description, an API route its
/// OpenAPI entry, a write its body; no route is declared twice.
#[test]
fn every_route_of_the_table_has_its_roles_and_its_description() {
    let mut seen = std::collections::HashSet::new();
    for rule in ROUTES {
        let name = format!("{} {}", rule.method, rule.path);
        assert!(!rule.roles.is_empty(), "{name}: no role");
        assert!(rule.summary.trim().len() > 5, "{name}: no description");
        assert!(seen.insert(name.clone()), "{name}: declared twice");
        if rule.path.starts_with("/api/") {
            let api = rule
                .api
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: no OpenAPI entry"));
            if rule.method == axum::http::Method::POST {
                assert!(api.body.is_some(), "{name}: no body schema");
            }
        } else {
            assert!(rule.api.is_none(), "{name}: an OpenAPI entry for a page");
        }
        if rule.purpose == Purpose::Write {
            assert!(
                !rule.roles.contains(&StaffRole::Public),
                "{name}: the public may write"
            );
        }
    }
}

/// The portal's own pages (home, search, open data, an error) pass the Nu Html Checker.
#[tokio::test]
async fn the_portal_pages_are_valid_html() {
    let db = TestDatabase::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = demo(&db, &dir.path().join("index")).await;
    let mut pages = Vec::new();
    for (name, uri) in [
        ("accueil.html", "/"),
        ("recherche.html", "/recherche?q=artisanat"),
        ("donnees.html", "/donnees"),
        ("seance.html", "/seances/2023-11-20"),
        ("introuvable.html", "/deliberations/1999-999"),
        ("connexion.html", "/connexion"),
    ] {
        let (_, _, body) = get(&app, uri).await;
        pages.push((name, body));
    }
    common::assert_valid_html(&pages);
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_api_read() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let actor = Actor::new("test");
        let acta = Acta::with_store(db.store.clone()).with_clock(common::clock());
        acta.load_demo(&actor).await.unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        // The list and a search, read (and cached) before the act is published…
        let list = "/api/deliberations?limit=10";
        let search = "/api/search?q=artisanat&matiere=7.5";
        let finds_the_act = |body: &[u8]| {
            json(body)["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["key"].as_str().unwrap().starts_with("deliberation:"))
        };
        for _ in 0..2 {
            assert_eq!(json(&get(&app, list).await.2), serde_json::json!([]));
            assert_eq!(json(&get(&app, search).await.2)["total"], 0);
        }
        acta.publish_demo(&actor, &common::renderer())
            .await
            .unwrap();
        // …show it at the next read.
        assert_eq!(json(&get(&app, list).await.2)[0]["number"], "2023-479");
        assert!(finds_the_act(&get(&app, search).await.2));
        let (_, _, body) = get(&app, "/api/deliberations/2023-479").await;
        assert_eq!(json(&body)["matter"]["code"], "7.5", "{}", db.name());
        let (_, _, again) = get(&app, "/api/deliberations/2023-479").await;
        assert_eq!(again, body, "served again from the cache");
        // A correction of the matière is a write: the cached view must not outlive it.
        acta.set_deliberation_matter(&actor, "2023-479", "8.1")
            .await
            .unwrap();
        let (_, _, body) = get(&app, "/api/deliberations/2023-479").await;
        assert_eq!(json(&body)["matter"]["code"], "8.1");
        assert!(!finds_the_act(&get(&app, search).await.2), "no longer 7.5");
        let moved = "/api/search?q=artisanat&matiere=8.1";
        assert!(finds_the_act(&get(&app, moved).await.2));
    }
}

/// A NUL byte or another control character is refused alike on both databases, in French,
/// wherever it comes: the address, a query, a JSON body, a form.
#[tokio::test]
async fn control_characters_are_refused_alike_on_both_databases() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["assemblees"]).await;
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        for uri in [
            "/api/deliberations/2023%00479",
            "/deliberations/2023%00479",
            "/deliberations/2023%00479/pdf",
            "/recherche?q=chambre%00",
            "/api/search?q=a%C2%85b",
        ] {
            let (status, content_type, body) = get(&app, uri).await;
            let text = String::from_utf8_lossy(&body);
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{uri} ({}): {text}",
                db.name()
            );
            assert_eq!(content_type, "application/problem+json", "{uri}");
            assert!(text.contains("caractère de contrôle"), "{text}");
            assert!(!text.contains("UTF8"), "{text}");
        }
        let staff = common::Session::open(&app, "assemblees").await;
        let before = acta.journal_size().await.unwrap();
        let json = staff
            .post_json(
                &app,
                "/api/seances",
                serde_json::json!({"instance": "cp", "date": "2024-02-05", "president": "Jean-Claude\u{0}LEROY"}),
            )
            .await;
        assert_eq!(json.status, StatusCode::BAD_REQUEST, "{}", json.text());
        let form = staff
            .form(
                &app,
                "/gestion/seances",
                &[("date", "2024-02-05"), ("president", "Jean\u{0}")],
            )
            .await;
        assert_eq!(form.status, StatusCode::BAD_REQUEST, "{}", form.text());
        assert_eq!(acta.journal_size().await.unwrap(), before);
        db.cleanup().await.unwrap();
    }
}

/// A name of ten thousand characters, or one hiding a writing-direction override, is
/// refused with the field named, over the API and in the back office's forms alike, and
/// nothing is written.
#[tokio::test]
async fn overlong_texts_and_direction_overrides_are_refused_with_their_field() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["instructeur"]).await;
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let staff = common::Session::open(&app, "instructeur").await;
        let before = acta.journal_size().await.unwrap();
        let beneficiary = |name: &str| {
            serde_json::json!({
                "name": name,
                "legal_status": "association loi 1901",
                "rna": "W623000123",
                "address": {"street": "1 rue Ferdinand Buisson", "postal_code": "62000", "city": "Arras"}
            })
        };
        for (name, said) in [
            ("A".repeat(10_000), "dépasse 300 caractères"),
            (
                "Amis du Beffroi\u{202E}exe.fdp".to_string(),
                "sens d'écriture",
            ),
        ] {
            let refused = staff
                .post_json(&app, "/api/beneficiaires", beneficiary(&name))
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {}",
                db.name(),
                refused.text()
            );
            let problem: serde_json::Value = serde_json::from_str(&refused.text()).unwrap();
            assert_eq!(problem["errors"][0]["field"], "name", "{problem}");
            assert!(
                problem["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(said),
                "{problem}"
            );
        }
        let form = staff
            .form(
                &app,
                "/gestion/beneficiaires",
                &[
                    ("name", &"B".repeat(5_000)),
                    ("legal_status", "association"),
                ],
            )
            .await;
        assert!(
            form.text().contains("dépasse 300 caractères"),
            "{}",
            form.text()
        );
        assert_eq!(acta.journal_size().await.unwrap(), before);
        db.cleanup().await.unwrap();
    }
}

/// A body that never comes, as a slow client sends it.
struct NeverEnds;

impl axum::body::HttpBody for NeverEnds {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

/// A client that never finishes its body gets a French 408 at the deadline, and nothing
/// is written. Not a storage matter: SQLite alone.
#[tokio::test]
async fn a_body_that_never_ends_is_cut_off_at_the_deadline() {
    let db = TestDatabase::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let acta = common::demo_acta(&db).await;
    common::accounts(&acta, &["instructeur"]).await;
    let state = AppState::new(acta.clone(), dir.path().join("index"))
        .unwrap()
        .with_request_deadline(std::time::Duration::from_secs(5));
    let app = router(state);
    let staff = common::Session::open(&app, "instructeur").await;
    let before = acta.journal_size().await.unwrap();
    let reply = send(
        &app,
        Request::post("/api/beneficiaires")
            .header(header::COOKIE, &staff.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", &staff.csrf)
            .body(Body::new(NeverEnds))
            .unwrap(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::REQUEST_TIMEOUT,
        "{}",
        reply.text()
    );
    assert!(reply.text().contains("Délai dépassé"), "{}", reply.text());
    assert_eq!(acta.journal_size().await.unwrap(), before);
    db.cleanup().await.unwrap();
}
