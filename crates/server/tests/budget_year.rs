//! The budget's year in the back office and the API, on the seed: a line's page with its
//! credits and their history, the delegation recorded through its form and cited, a
//! budget decision refused at the Commission permanente, and the accountant's orders.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::http::StatusCode;
use common::Session;

fn plain(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

#[tokio::test]
async fn the_budget_year_is_kept_in_the_back_office_and_the_api() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["finances", "assemblees", "elu"]).await;
        let dir = tempfile::tempdir().unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let finance = Session::open(&app, "finances").await;
        let assemblies = Session::open(&app, "assemblees").await;
        let member = Session::open(&app, "elu").await;

        // The seed's line: 140 000 recorded with it, 20 000 prior and 120 000 committed.
        let budget = member.get(&app, "/gestion/budget?annee=2023").await.text();
        assert!(
            budget.contains("href=\"/gestion/budget/lignes/1\""),
            "{on}: {budget}"
        );
        let line = plain(&member.get(&app, "/gestion/budget/lignes/1").await.text());
        assert!(
            line.contains("<td>140 000,00</td><td>140 000,00</td><td>0,00</td>"),
            "{on}: {line}"
        );
        assert!(
            line.contains("Crédits inscrits à la création de la ligne"),
            "{on}: {line}"
        );

        // The demo holds the seed's delegation; another is recorded by the assemblies
        // service, an elected member only reads.
        let fields = [
            ("numero", "2024-100"),
            ("date", "29/01/2024"),
            (
                "titre",
                "Délégation complémentaire à la Commission Permanente",
            ),
            ("instance", "commission permanente"),
            ("matieres", "8.1\n8.2"),
        ];
        assert_eq!(
            member
                .form(&app, "/gestion/delegations", &fields)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut budget_too = fields;
        budget_too[4] = ("matieres", "7.1");
        let refused = assemblies
            .form(&app, "/gestion/delegations", &budget_too)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}");
        assert!(refused.text().contains("ne se délègue pas"), "{on}");
        let saved = assemblies.form(&app, "/gestion/delegations", &fields).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{on}: {}",
            saved.text()
        );
        let list = plain(&member.get(&app, "/gestion/delegations").await.text());
        assert!(
            list.contains(
                "la délibération n°2021-257 du Conseil départemental du 1er juillet 2021"
            ),
            "{on}: {list}"
        );
        assert!(list.contains("depuis le 29 janvier 2024"), "{on}: {list}");
        let api = member.get(&app, "/api/delegations").await.json();
        assert_eq!(api[1]["delegation"]["matters"][1], "8.2", "{on}");

        // A budget decision on the seed's item: the CP never takes one (and it is voted).
        let item = finance
            .get(&app, "/gestion/seances/1/points/1")
            .await
            .text();
        assert!(
            !item.contains("decisions-budgetaires\""),
            "{on}: a voted item takes no decision"
        );
        let refused = finance
            .post_json(
                &app,
                "/api/decisions-budgetaires",
                serde_json::json!({ "seance": "2023-11-20", "point": 1, "nature": "dm", "numero": 1, "annee": 2023, "lignes": ["C01-620A06 = 10 000"] }),
            )
            .await;
        assert!(refused.status.is_client_error(), "{on}: {}", refused.text());

        // The line and the orders through the API; the CSV for finance only.
        let line = member.get(&app, "/api/lignes-budgetaires/1").await.json();
        assert_eq!(line["operation_code"], "C01-620A06", "{on}");
        assert_eq!(line["history"][0]["credits_after"], 14_000_000, "{on}");
        let orders = finance.get(&app, "/api/ordres?annee=2023").await;
        assert_eq!(orders.status, StatusCode::OK, "{on}");
        assert_eq!(
            orders.json()["ordres"].as_array().map(Vec::len),
            Some(0),
            "{on}: nothing paid yet"
        );
        assert_eq!(
            member.get(&app, "/api/ordres").await.status,
            StatusCode::FORBIDDEN
        );
        let csv = finance.get(&app, "/gestion/exports/ordres.csv").await;
        assert!(csv.text().starts_with("type;exercice;operation;"), "{on}");
        for uri in [
            "/api/ordres?annee=deux-mille",
            "/api/decisions-budgetaires?annee=null",
        ] {
            let bad = finance.get(&app, uri).await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}: {uri}");
        }

        // An authorisation over three years, entered by finance.
        let ap = finance
            .form(
                &app,
                "/gestion/autorisations",
                &[
                    ("code", "ap-2024-01"),
                    ("nature", "ap"),
                    ("libelle", "Ateliers de l'artisanat"),
                    ("montant", "300 000"),
                    (
                        "echeancier",
                        "2024 = 100 000\n2025 = 100 000\n2026 = 100 000",
                    ),
                ],
            )
            .await;
        assert_eq!(ap.status, StatusCode::SEE_OTHER, "{on}: {}", ap.text());
        let aps = plain(&member.get(&app, "/gestion/autorisations").await.text());
        assert!(
            aps.contains("Autorisation de programme AP-2024-01"),
            "{on}: {aps}"
        );
        assert!(
            aps.contains("<td>2025</td><td>100 000,00</td><td>0,00</td><td>100 000,00</td>"),
            "{on}: {aps}"
        );

        let mut pages = Vec::new();
        for (name, uri) in [
            ("ligne.html", "/gestion/budget/lignes/1"),
            ("decisions.html", "/gestion/budget/decisions?annee=2023"),
            ("delegations.html", "/gestion/delegations"),
            ("budget.html", "/gestion/budget?annee=2023"),
            ("autorisations.html", "/gestion/autorisations"),
        ] {
            let reply = assemblies.get(&app, uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}");
            pages.push((name, reply.body));
        }
        if on == "SQLite" {
            common::assert_valid_html(&pages);
        }
        db.cleanup().await.unwrap();
    }
}
