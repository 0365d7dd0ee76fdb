//! The `acta` command as users run it, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_store::testing::TestDatabase;
use serde_json::Value;
use std::process::{Command, Output};

fn acta(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acta"))
        .args(["--database", db.url.as_str(), "--as", "test"])
        .args(args)
        .env_remove("ACTA_DATABASE_URL")
        .output()
        .expect("acta runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// The JSON of a run expected to end with `code`.
fn json_with_exit(o: &Output, code: i32) -> Value {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn plain(v: &Value) -> String {
    v.as_str()
        .unwrap_or_default()
        .replace(['\u{202f}', '\u{a0}'], " ")
}

#[tokio::test]
async fn demo_then_show_deliberation_json_prints_the_seed_facts() {
    for db in TestDatabase::all().await.unwrap() {
        let demo = acta(&db, &["demo"]);
        assert!(demo.status.success(), "{}", stderr(&demo));
        assert!(stdout(&demo).contains("DÉLIBÉRATION N°2023-479"));
        // Running it again is harmless.
        let again = acta(&db, &["demo"]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(stdout(&again).contains("déjà chargé"));

        let d = json(&acta(&db, &["show", "deliberation", "2023-479", "--json"]));
        assert_eq!(d["number"], "2023-479");
        assert_eq!(d["date"], "2023-11-20");
        assert_eq!(
            d["title"],
            "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023"
        );
        assert_eq!(d["body"]["name"], "Commission permanente");
        assert_eq!(d["president"], "M. Jean-Claude LEROY");
        assert_eq!(d["vote"]["for"], 44);
        assert_eq!(d["vote"]["against"], 0);
        assert_eq!(d["vote"]["abstention"], 0);
        assert_eq!(d["vote"]["groups_for"].as_array().unwrap().len(), 5);
        assert_eq!(d["vote"]["groups_for"][4], "Non-inscrit");
        assert_eq!(d["vote"]["outcome"], "adopted");
        assert_eq!(d["budget"][0]["operation_code"], "C01-620A06");
        assert_eq!(d["budget"][0]["imputation"], "6568//9361");
        assert_eq!(plain(&d["budget"][0]["proposed"]["text"]), "120 000,00 €");
        assert_eq!(plain(&d["budget"][0]["voted"]["text"]), "140 000,00 €");
        assert_eq!(d["budget"][0]["voted"]["centimes"], 14_000_000);
        assert_eq!(
            d["awards"][0]["beneficiary"]["name"],
            "Chambre de Métiers et de l’Artisanat de région Hauts-de-France"
        );
        assert_eq!(d["awards"][0]["beneficiary"]["siret"], "13002374000439");

        let s = json(&acta(&db, &["show", "sitting", "2023-11-20", "--json"]));
        assert_eq!(s["counts"]["present"], 42);
        let c = json(&acta(&db, &["show", "convention", "2023-479", "--json"]));
        assert_eq!(c["schedule"][1]["document_due"], "2024-06-30");
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_wrong_siret_is_refused_naming_the_field_and_nothing_is_written() {
    for db in TestDatabase::all().await.unwrap() {
        assert!(acta(&db, &["init"]).status.success());
        let out = acta(
            &db,
            &[
                "beneficiary",
                "add",
                "--name",
                "Association test",
                "--legal-status",
                "association loi 1901",
                "--siret",
                "13002374000438",
                "--street",
                "1 rue A",
                "--postal-code",
                "62000",
                "--city",
                "Arras",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains("SIRET : « 13002374000438 » est invalide"),
            "{err}"
        );
        assert!(err.contains("[siret]"), "{err}");
        let journal = json(&acta(&db, &["journal", "list", "--json"]));
        assert_eq!(journal.as_array().unwrap().len(), 0);
        let list = json(&acta(&db, &["beneficiary", "list", "--json"]));
        assert_eq!(list.as_array().unwrap().len(), 0);

        let out = acta(
            &db,
            &[
                "beneficiary",
                "add",
                "--name",
                "Association test",
                "--legal-status",
                "association loi 1901",
                "--siret",
                "13002374000439",
                "--street",
                "1 rue A",
                "--postal-code",
                "62000",
                "--city",
                "Arras",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let out = acta(
            &db,
            &[
                "bank-account",
                "add",
                "--beneficiary",
                "130 023 740 00439",
                "--holder",
                "X",
                "--bank",
                "Banque",
                "--rib",
                "13507 00100 30765812164 65",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("[rib] RIB :"), "{}", stderr(&out));
        let journal = json(&acta(&db, &["journal", "list", "--json"]));
        assert_eq!(journal.as_array().unwrap().len(), 1);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn journal_verify_reports_an_entry_altered_in_the_database() {
    for db in TestDatabase::all().await.unwrap() {
        assert!(acta(&db, &["demo"]).status.success());
        let ok = acta(&db, &["journal", "verify"]);
        assert!(ok.status.success(), "{}", stderr(&ok));
        assert!(stdout(&ok).contains("Journal intact"));

        db.execute_raw(
            "UPDATE journal SET after_json = REPLACE(after_json, '14000000', '24000000') WHERE entity = 'ligne_budgetaire'",
        )
        .await
        .unwrap();
        let altered = json_with_exit(&acta(&db, &["journal", "verify", "--json"]), 3);
        assert_eq!(altered["intact"], false);
        let seq = altered["first_break"]["seq"].as_i64().unwrap();
        let line_entry = json(&acta(&db, &["journal", "list", "--limit", "500", "--json"]))
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["entity"] == "ligne_budgetaire")
            .map(|e| e["seq"].as_i64().unwrap())
            .unwrap();
        assert_eq!(seq, line_entry, "{}", db.name());
        let text = acta(&db, &["journal", "verify"]);
        assert_eq!(text.status.code(), Some(3));
        assert!(stdout(&text).contains(&format!("première entrée en cause n°{seq}")));
        db.cleanup().await.unwrap();
    }
}
