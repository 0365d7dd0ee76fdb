//! Two collectivities in one PostgreSQL database, each served by its own application: for
//! every route of `access::ROUTES` and every role, the second collectivity's staff, members,
//! organisations and visitors use the first one's identifiers and search terms and get
//! nothing of it; one server answers each collectivity at its own host name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::dataset::Dataset;
use acta_app::{Acta, Actor};
use acta_domain::account::{ALL_ROLES, StaffRole};
use acta_mail_sink::MailSink;
use acta_server::access::ROUTES;
use acta_server::hosts::router_by_host;
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::organisations::{configure_mail, organisation, register};
use common::{Session, send};

/// The second collectivity: nothing of the seed's in it.
const OTHER: &str = include_str!("../../app/tests/data/temoinville.toml");

/// What only the seed's collectivity holds: its beneficiary, an elected member who sat,
/// the beneficiary's SIRET.
const SEED_ONLY: &[&str] = &[
    "Métiers",
    "MÉTIERS",
    "MACIEJASZ",
    "13002374000439",
    "130 023 740",
];

fn leaked(text: &str) -> Option<&'static str> {
    SEED_ONLY.iter().copied().find(|m| text.contains(m))
}

/// PostgreSQL only: an SQLite file holds one collectivity.
async fn postgres() -> Option<TestDatabase> {
    let db = TestDatabase::postgres().await.unwrap();
    if db.is_none() {
        eprintln!("ACTA_TEST_POSTGRES_URL absent : test PostgreSQL sauté");
    }
    db
}

/// The request a role sends to a route's example: a visitor without session, an account
/// with its cookie and CSRF token, a form or JSON body naming nothing.
fn request(rule: &acta_server::routes::Route, session: Option<&Session>) -> Request<Body> {
    let api = rule.path.starts_with("/api/");
    let mut builder = Request::builder()
        .method(rule.method.clone())
        .uri(rule.example);
    let mut body = String::new();
    if let Some(s) = session {
        builder = builder
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf);
        if !api {
            body = format!("_csrf={}", s.csrf);
        }
    }
    if rule.method != "GET" {
        if api {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            body = "{}".to_string();
        } else {
            builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
    } else {
        body.clear();
    }
    builder.body(Body::from(body)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_gives_one_collectivity_anything_of_another() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().unwrap();
    // The seed is collectivity 1: the routes' examples name its rows.
    let seed = common::demo_acta(&db).await;
    let seed_app = router(AppState::new(seed.clone(), dir.path().join("index-1")).unwrap());
    let other = seed.for_collectivity(2).unwrap();
    other
        .load_dataset(&Actor::new("test"), &Dataset::from_toml(OTHER).unwrap())
        .await
        .unwrap();
    // With its SIRET, its open data files are written (from its own rows).
    other
        .set_collectivity_siret(&Actor::new("test"), "21800000800019")
        .await
        .unwrap();
    common::accounts(
        &other,
        &[
            "administrateur",
            "assemblees",
            "instructeur",
            "finances",
            "elu",
        ],
    )
    .await;
    let sink = MailSink::start().await.unwrap();
    configure_mail(&other, &sink).await;
    let other_app = router(AppState::new(other.clone(), dir.path().join("index-2")).unwrap());
    let organisation_session = register(
        &other_app,
        &sink,
        &organisation(
            "Association Témoin",
            "44306184100047",
            "temoin",
            "contact@temoin.test",
        ),
        1,
    )
    .await;

    // The markers are there to be found: the seed's own portal shows them.
    let own = send(
        &seed_app,
        Request::get("/api/deliberations/2023-479")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(leaked(&own.text()).is_some());

    let mut sessions: Vec<(StaffRole, Option<Session>)> = Vec::new();
    for role in ALL_ROLES {
        let session = match role {
            StaffRole::Public => None,
            StaffRole::Beneficiary => Some(Session {
                cookie: organisation_session.cookie.clone(),
                csrf: organisation_session.csrf.clone(),
            }),
            staff => Some(Session::open(&other_app, staff.code()).await),
        };
        sessions.push((role, session));
    }
    let seed_journal = seed.journal_size().await.unwrap();
    let mut tried = 0;
    for rule in ROUTES {
        if rule.path == "/deconnexion" {
            continue; // would close the session the next routes use
        }
        for (role, session) in &sessions {
            let reply = send(&other_app, request(rule, session.as_ref())).await;
            let what = format!("{} {} as {role:?}", rule.method, rule.example);
            assert!(
                reply.status.as_u16() < 500,
                "{what}: {} {}",
                reply.status,
                reply.text()
            );
            if let Some(marker) = leaked(&reply.text()) {
                panic!("{what} shows « {marker} » of the other collectivity");
            }
            tried += 1;
        }
    }
    assert_eq!(tried, (ROUTES.len() - 1) * ALL_ROLES.len());
    // Nothing was written into the seed's collectivity, whose journal is still whole.
    assert_eq!(seed.journal_size().await.unwrap(), seed_journal);
    assert!(seed.verify_journal(|_| {}).await.unwrap().intact);
    // Its search terms find nothing in the other one.
    let search = send(
        &other_app,
        Request::get("/api/search?q=artisanat")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(search.status, StatusCode::OK);
    assert_eq!(search.json()["total"], 0, "{}", search.text());
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn one_server_answers_each_collectivity_at_its_host_name() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let seed = common::demo_acta(&db).await;
    let other: Acta = seed.for_collectivity(2).unwrap();
    other
        .load_dataset(&Actor::new("test"), &Dataset::from_toml(OTHER).unwrap())
        .await
        .unwrap();
    seed.set_portal_host(&Actor::new("test"), Some("actes.pasdecalais.test"))
        .await
        .unwrap();
    other
        .set_portal_host(&Actor::new("test"), Some("actes.temoinville.test"))
        .await
        .unwrap();
    let mut hosts = Vec::new();
    for (host, id) in seed.portal_hosts().await.unwrap() {
        if id == seed.collectivity_id() {
            continue; // the default answers at every host (as `acta serve` does)
        }
        let acta = seed.for_collectivity(id).unwrap();
        let state = AppState::new(acta, dir.path().join(format!("index-{id}"))).unwrap();
        hosts.push((host, state));
    }
    let default = AppState::new(seed.clone(), dir.path().join("index-1")).unwrap();
    let app = router_by_host(default, hosts);
    let home = |host: &'static str| {
        Request::get("/api/deliberations")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    let seed_list = send(&app, home("actes.pasdecalais.test:8080")).await;
    assert!(
        seed_list.text().contains("2023-479"),
        "{}",
        seed_list.text()
    );
    let other_list = send(&app, home("Actes.Temoinville.test")).await;
    assert_eq!(other_list.status, StatusCode::OK);
    assert!(
        !other_list.text().contains("2023-479"),
        "{}",
        other_list.text()
    );
    // Any other host name is the collectivity the server was started for.
    let unknown = send(&app, home("127.0.0.1:8080")).await;
    assert!(unknown.text().contains("2023-479"));
    // Each portal is headed with its own collectivity's name.
    let page = send(
        &app,
        Request::get("/")
            .header(header::HOST, "actes.temoinville.test")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.text().contains("Témoinville"), "{}", page.text());
    assert!(leaked(&page.text()).is_none());
    db.cleanup().await.unwrap();
}
