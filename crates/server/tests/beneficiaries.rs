//! The beneficiaries' portal over HTTP, on SQLite and PostgreSQL: organisations register
//! and confirm their address through a real SMTP exchange, one applies with its pieces (a
//! file lying about its type refused in French, nothing stored) and gets its récépissé,
//! staff merge it into the seed's beneficiary so that it follows the seed's grant; then a
//! second organisation, logged in, tries every route of the area with the first one's
//! identifiers and reaches nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::input::{DispositifInput, MergeInput};
use acta_app::{Acta, Actor};
use acta_mail_sink::MailSink;
use acta_server::access::ROUTES;
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::http::StatusCode;
use common::organisations::{self, organisation, register};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";

async fn configure(acta: &Acta, sink: &MailSink) {
    organisations::configure_mail(acta, sink).await;
    acta.create_dispositif(
        &Actor::new("instructrice"),
        &DispositifInput {
            name: "Soutien à l'artisanat 2024".into(),
            eligibility: "Organismes qui accompagnent les artisans du Pas-de-Calais".into(),
            opens_on: "2024-01-01".into(),
            closes_on: "2024-12-31".into(),
            pieces: vec!["statuts".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

/// The number in a "/…/{n}" location.
fn last_number(location: &str) -> i64 {
    location
        .split(['/', '#'])
        .filter_map(|p| p.parse().ok())
        .next_back()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_organisation_reaches_nothing_of_the_first_ones() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let dir = tempfile::tempdir().unwrap();
        let sink = MailSink::start().await.unwrap();
        let acta = common::demo_acta(&db).await;
        configure(&acta, &sink).await;
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let a = register(
            &app,
            &sink,
            &organisation(
                "Chambre de Métiers et de l'Artisanat (compte en ligne)",
                "21860194600013",
                "cma.hdf",
                "subventions@cma-hautsdefrance.fr",
            ),
            1,
        )
        .await;
        let home = a.get(&app, "/beneficiaires").await;
        assert_eq!(home.status, StatusCode::OK, "{on}");
        assert!(
            home.text().contains("Soutien à l&#39;artisanat 2024")
                || home.text().contains("Soutien à l'artisanat 2024"),
            "{}",
            home.text()
        );

        // A applies: a draft, a file that lies about its type (refused, nothing kept),
        // its statutes, the submission and its récépissé.
        let dispositif = acta.dispositifs().await.unwrap()[0].id;
        let created = a
            .form(
                &app,
                &format!("/beneficiaires/dispositifs/{dispositif}/demande"),
                &[
                    ("objet", "Actions en faveur de l'artisanat 2024"),
                    ("montant", "15 000"),
                    ("budget", "64 = 15 000\n74-departement = 15 000"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let id = last_number(created.location());
        let base = format!("/beneficiaires/demandes/{id}");
        let lie = a
            .upload(
                &app,
                &format!("{base}/pieces"),
                &[("piece", "statuts")],
                ("statuts.pdf", PNG),
            )
            .await;
        assert_eq!(lie.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}");
        assert!(
            lie.text()
                .contains("se présente comme un document PDF mais son contenu est une image PNG"),
            "{}",
            lie.text()
        );
        assert!(
            acta.my_application(&Actor::new("cma.hdf"), id)
                .await
                .unwrap()
                .pieces[0]
                .files
                .is_empty()
        );
        let sent = a
            .upload(
                &app,
                &format!("{base}/pieces"),
                &[("piece", "statuts")],
                ("statuts.pdf", PDF),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
        let submitted = a.form(&app, &format!("{base}/depot"), &[]).await;
        assert_eq!(
            submitted.status,
            StatusCode::SEE_OTHER,
            "{}",
            submitted.text()
        );
        let page = a.get(&app, &base).await;
        assert!(
            page.text().contains("récépissé n°2024-00001"),
            "{}",
            page.text()
        );
        let view = acta
            .my_application(&Actor::new("cma.hdf"), id)
            .await
            .unwrap();
        let receipt = view.receipt_file.unwrap();
        let statutes = view.pieces[0].files[0].id;

        // Staff recognise the seed's Chambre de Métiers: the new organisation is merged
        // into it, and A follows the seed's grant, to which it sends its activity report.
        acta.merge_beneficiaries(
            &Actor::new("instructrice"),
            &MergeInput {
                duplicate: "21860194600013".into(),
                kept: "13002374000439".into(),
            },
        )
        .await
        .unwrap();
        let home = acta
            .organisation_home(&Actor::new("cma.hdf"))
            .await
            .unwrap();
        assert_eq!(home.grants.len(), 1, "{on}: {:?}", home.grants);
        let award = home.grants[0].award_id;
        let report = a
            .upload(
                &app,
                &format!("/beneficiaires/aides/{award}/documents"),
                &[
                    ("objet", "piece"),
                    ("tranche", "2"),
                    ("description", "rapport d'activités 2023"),
                ],
                ("rapport.pdf", PDF),
            )
            .await;
        assert_eq!(report.status, StatusCode::SEE_OTHER, "{}", report.text());
        let grant = acta.my_grant(&Actor::new("cma.hdf"), award).await.unwrap();
        let grant_file = grant.submissions[0].file.id;

        // B, another organisation, logged in.
        let b = register(
            &app,
            &sink,
            &organisation(
                "Comité des fêtes de Béthune",
                "44306184100047",
                "comite.bethune",
                "contact@comite-bethune.fr",
            ),
            3,
        )
        .await;
        let fill = |path: &str| {
            path.replace(
                "/demandes/{id}/fichiers/{file}",
                &format!("/demandes/{id}/fichiers/{receipt}"),
            )
            .replace(
                "/aides/{id}/fichiers/{file}",
                &format!("/aides/{award}/fichiers/{grant_file}"),
            )
            .replace("/demandes/{id}", &format!("/demandes/{id}"))
            .replace("/aides/{id}", &format!("/aides/{award}"))
        };
        let before = acta.journal_size().await.unwrap();
        let mut tried = 0;
        for route in ROUTES.iter().filter(|r| {
            (r.path.starts_with("/beneficiaires") || r.path.starts_with("/api/espace-beneficiaire"))
                && (r.path.contains("/demandes/{id}") || r.path.contains("/aides/{id}"))
        }) {
            let uri = fill(route.path);
            let what = format!("{} {uri} ({on})", route.method);
            let reply = if route.method == "GET" {
                // A reaches its own.
                let own = a.get(&app, &uri).await;
                assert_eq!(own.status, StatusCode::OK, "{what} for its organisation");
                b.get(&app, &uri).await
            } else if route.path.ends_with("/pieces") {
                b.upload(&app, &uri, &[("piece", "statuts")], ("statuts.pdf", PDF))
                    .await
            } else if route.path.ends_with("/documents") {
                b.upload(
                    &app,
                    &uri,
                    &[
                        ("objet", "piece"),
                        ("tranche", "2"),
                        ("description", "faux"),
                    ],
                    ("r.pdf", PDF),
                )
                .await
            } else if route.path.starts_with("/api/") {
                let body = if route.path.ends_with("/depot") {
                    serde_json::json!({})
                } else {
                    serde_json::json!({ "objet": "Détournement", "montant": "1" })
                };
                b.post_json(&app, &uri, body).await
            } else {
                b.form(&app, &uri, &[("objet", "Détournement"), ("montant", "1")])
                    .await
            };
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{what}: {}",
                reply.text()
            );
            assert!(
                reply.text().contains("introuvable"),
                "{what}: {}",
                reply.text()
            );
            for secret in ["Actions en faveur de l", "%PDF", "rapport d'activités 2023"] {
                assert!(!reply.text().contains(secret), "{what} shows {secret}");
            }
            tried += 1;
        }
        assert_eq!(tried, 15, "every route of the area with an identifier");
        assert_eq!(
            acta.journal_size().await.unwrap(),
            before,
            "{on}: B wrote nothing"
        );
        // Its own space lists nothing of A's; A's files are not among its applications'.
        let own = b.get(&app, "/api/espace-beneficiaire").await;
        assert_eq!(own.json()["applications"], serde_json::json!([]), "{on}");
        assert_eq!(own.json()["grants"], serde_json::json!([]), "{on}");
        let statutes_uri = format!("{base}/fichiers/{statutes}");
        assert_eq!(
            b.get(&app, &statutes_uri).await.status,
            StatusCode::NOT_FOUND
        );
        // Staff pages are not theirs.
        assert_eq!(
            b.get(&app, "/gestion/demandes").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            b.get(&app, "/api/demandes").await.status,
            StatusCode::FORBIDDEN
        );
        db.cleanup().await.unwrap();
    }
}
