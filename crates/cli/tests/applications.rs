//! Grant applications from the command line, on SQLite and PostgreSQL: a dispositif
//! configured and listed (a wrong one refused field by field, in French), the instructing
//! direction's lists, and a duplicate beneficiary merged into the seed's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::TestDatabase;
use common::{json, ok, output};
use std::process::Output;

fn run(db: &TestDatabase, args: &[&str]) -> Output {
    output(&mut common::acta(db.url.as_str(), "instructrice"), args)
}

fn day(offset_days: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * offset_days))
        .strftime("%Y-%m-%d")
        .to_string()
}

#[test]
fn a_dispositif_is_configured_and_a_duplicate_beneficiary_merged_from_the_cli() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    for db in rt.block_on(TestDatabase::all()).unwrap() {
        let on = db.name();
        ok(run(&db, &["demo", "--referential-only"]));
        let (opens, closes) = (day(-10), day(60));
        let added = ok(run(
            &db,
            &[
                "dispositif",
                "add",
                "--name",
                "Vie associative",
                "--eligibility",
                "Associations du Pas-de-Calais",
                "--opens",
                &opens,
                "--closes",
                &closes,
                "--piece",
                "statuts",
                "--piece",
                "budget_previsionnel",
                "--cap",
                "20 000",
                "--type",
                "pdf",
            ],
        ));
        assert!(
            added.contains("Dispositif créé sous le n°1"),
            "{on}: {added}"
        );
        let list = json(run(&db, &["dispositif", "list", "--json"]));
        assert_eq!(list[0]["name"], "Vie associative", "{on}");
        assert_eq!(list[0]["open"], true, "{on}");
        assert_eq!(list[0]["types"], serde_json::json!(["PDF"]));
        // Closing before opening, an unknown piece, an unknown type: all said at once.
        let refused = run(
            &db,
            &[
                "dispositif",
                "add",
                "--name",
                "Mauvais",
                "--eligibility",
                "Tous",
                "--opens",
                &closes,
                "--closes",
                &opens,
                "--piece",
                "photo",
                "--type",
                "exe",
            ],
        );
        assert!(!refused.status.success());
        let message = String::from_utf8_lossy(&refused.stderr);
        for part in [
            "Pièce : « photo » n'est pas connue",
            "Types de fichiers : « exe »",
        ] {
            assert!(message.contains(part), "{on}: {message}");
        }
        assert_eq!(
            json(run(&db, &["dispositif", "list", "--json"]))
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            json(run(&db, &["application", "list", "--json"])),
            serde_json::json!([])
        );
        assert_eq!(
            json(run(&db, &["grant-document", "list", "--json"])),
            serde_json::json!([])
        );

        // The same chamber registered twice: merged into the seed's.
        ok(run(
            &db,
            &[
                "beneficiary",
                "add",
                "--name",
                "CMA Hauts-de-France (doublon)",
                "--legal-status",
                "établissement public",
                "--siret",
                "21860194600013",
                "--street",
                "place des artisans",
                "--postal-code",
                "59011",
                "--city",
                "LILLE",
            ],
        ));
        assert_eq!(
            json(run(&db, &["beneficiary", "list", "--json"]))
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let merged = ok(run(
            &db,
            &[
                "beneficiary",
                "merge",
                "--duplicate",
                "21860194600013",
                "--into",
                "13002374000439",
            ],
        ));
        assert!(merged.contains("fusionné"), "{on}: {merged}");
        let list = json(run(&db, &["beneficiary", "list", "--json"]));
        assert_eq!(list.as_array().unwrap().len(), 1, "{on}: {list}");
        let again = run(
            &db,
            &[
                "beneficiary",
                "merge",
                "--duplicate",
                "21860194600013",
                "--into",
                "13002374000439",
            ],
        );
        assert!(
            String::from_utf8_lossy(&again.stderr).contains("déjà fusionné"),
            "{on}"
        );
        rt.block_on(db.cleanup()).unwrap();
    }
}
