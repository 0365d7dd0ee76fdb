//! A server with a read replica (`acta serve --read-database`): the portal's, the search's
//! and the open data's reads go to it and say so (headers, and a line on portal pages);
//! staff and the back office read the primary; a replica that stops answering is left for
//! the primary. The lag bound itself is tested on a real streaming replica whose replay is
//! paused, by `scripts/cluster_test.py`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::replica::ReadSide;
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Reply, Session, send};
use std::time::Duration;

const NOTICE: &str = "Page lue sur une copie de la base";

async fn public(app: &axum::Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn read_from(reply: &Reply) -> Option<&str> {
    reply
        .headers
        .get("acta-read-from")
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn lag_tolerant_reads_go_to_the_replica_and_say_so() {
    let Some(db) = TestDatabase::postgres().await.unwrap() else {
        eprintln!("ACTA_TEST_POSTGRES_URL absent : test PostgreSQL sauté");
        return;
    };
    let acta = common::demo_acta(&db).await;
    common::accounts(&acta, &["assemblees"]).await;
    let dir = tempfile::tempdir().unwrap();
    // Without a replica, nothing is said.
    let plain = router(AppState::new(acta.clone(), dir.path().join("plain")).unwrap());
    let reply = public(&plain, "/api/deliberations").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(read_from(&reply), None);
    assert!(!public(&plain, "/").await.text().contains(NOTICE));

    // The same database read as a replica: it is not in recovery, so never behind.
    let side = ReadSide::open(&acta, &db.url, Duration::from_secs(5))
        .await
        .unwrap();
    let state = AppState::new(acta.clone(), dir.path().join("index"))
        .unwrap()
        .with_read_side(side);
    let app = router(state.clone());

    for uri in [
        "/api/deliberations",
        "/api/deliberations/2023-479",
        "/api/search?q=chambre%20des%20m%C3%A9tiers",
        "/api/archives/2023-479",
        "/",
        "/recherche?q=chambre%20des%20m%C3%A9tiers",
        "/deliberations/2023-479",
        "/deliberations/2023-479/pdf",
        "/seances/2023-11-20",
        "/donnees/deliberations.csv",
        "/donnees/subventions.csv",
        "/donnees/catalogue.jsonld",
    ] {
        let reply = public(&app, uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
        assert_eq!(read_from(&reply), Some("replica"), "{uri}");
        let lag: u64 = reply.headers["acta-read-lag-ms"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(lag <= 5_000, "{uri}: within the bound, {lag} ms");
    }
    let deliberations = public(&app, "/api/deliberations").await.text();
    assert!(deliberations.contains("2023-479"), "{deliberations}");
    let csv = public(&app, "/donnees/deliberations.csv").await.text();
    assert!(csv.contains("2023-479"), "{csv}");
    let found = public(&app, "/api/search?q=chambre%20des%20m%C3%A9tiers")
        .await
        .json();
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["number"] == "2023-479"),
        "{found}"
    );
    // Portal pages say it in their footer.
    for uri in [
        "/",
        "/recherche?q=chambre%20des%20m%C3%A9tiers",
        "/seances/2023-11-20",
    ] {
        let page = public(&app, uri).await.text();
        assert!(
            // (askama escapes the apostrophe of "d'une")
            page.contains(
                "Page lue sur une copie de la base, à jour à moins d&#39;une seconde près."
            ) || page.contains(
                "Page lue sur une copie de la base, à jour à moins d&#x27;une seconde près."
            ),
            "{uri}: {page}"
        );
    }

    // What reads no lag-tolerant data says nothing; staff read what they just wrote.
    assert_eq!(read_from(&public(&app, "/api/openapi.json").await), None);
    let staff = Session::open(&app, "assemblees").await;
    let back_office = staff.get(&app, "/gestion").await;
    assert_eq!(back_office.status, StatusCode::OK);
    assert_eq!(read_from(&back_office), None);
    let preview = staff.get(&app, "/deliberations/2023-479").await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(read_from(&preview), Some("primary"));

    // A replica that stops answering is left for the primary at the next measure (at
    // most a second later): the portal keeps answering.
    state
        .read_side
        .as_ref()
        .unwrap()
        .pick()
        .await
        .acta
        .close()
        .await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let reply = public(&app, "/api/deliberations").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(read_from(&reply), Some("primary"));
    assert!(reply.text().contains("2023-479"));
    assert!(!public(&app, "/").await.text().contains(NOTICE));

    db.cleanup().await.unwrap();
}
