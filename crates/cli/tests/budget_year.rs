//! The budget's year from the command line, on SQLite and PostgreSQL: the council's
//! delegation recorded and listed, a line's credits with their history, a budget decision
//! refused at the Commission permanente, an authorisation and its échéancier, and the
//! accountant's orders exported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::TestDatabase;
use common::{json, ok, output, refused};
use std::process::Output;

fn run(db: &TestDatabase, args: &[&str]) -> Output {
    output(&mut common::acta(db.url.as_str(), "finances"), args)
}

#[test]
fn the_budget_year_is_kept_from_the_cli() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    for db in rt.block_on(TestDatabase::all()).unwrap() {
        let on = db.name();
        ok(run(&db, &["demo"]));
        ok(run(
            &db,
            &[
                "delegation",
                "add",
                "--number",
                "2024-100",
                "--date",
                "29/01/2024",
                "--title",
                "Délégation complémentaire",
                "--body",
                "cp",
                "--matter",
                "8.1, 8.2",
                "--ceiling",
                "50 000",
            ],
        ));
        let list = ok(run(&db, &["delegation", "list"])).replace(['\u{202f}', '\u{a0}'], " ");
        assert!(
            list.contains(
                "la délibération n°2021-257 du Conseil départemental du 1er juillet 2021"
            ),
            "{on}: {list}"
        );
        let budget_delegated = refused(run(
            &db,
            &[
                "delegation",
                "add",
                "--number",
                "2021-258",
                "--date",
                "01/07/2021",
                "--title",
                "Budget",
                "--body",
                "cp",
                "--matter",
                "7.1",
            ],
        ));
        assert!(
            budget_delegated.contains("ne se délègue pas"),
            "{on}: {budget_delegated}"
        );

        let line = ok(run(
            &db,
            &["budget-line", "show", "C01-620A06", "--year", "2023"],
        ));
        assert!(
            line.contains("Crédits inscrits à la création de la ligne"),
            "{on}: {line}"
        );
        let at_cp = refused(run(
            &db,
            &[
                "budget-decision",
                "propose",
                "2023-11-20",
                "1",
                "--kind",
                "dm",
                "--rank",
                "1",
                "--year",
                "2023",
                "--line",
                "C01-620A06 = 10 000",
            ],
        ));
        assert!(at_cp.contains("déjà voté"), "{on}: {at_cp}");

        ok(run(
            &db,
            &[
                "authorisation",
                "add",
                "--code",
                "AP-2024-01",
                "--kind",
                "ap",
                "--label",
                "Ateliers",
                "--amount",
                "300 000",
                "--year-credits",
                "2024 = 100 000",
                "--year-credits",
                "2025 = 100 000",
                "--year-credits",
                "2026 = 100 000",
            ],
        ));
        let ap = json(run(&db, &["authorisation", "show", "ap-2024-01", "--json"]));
        assert_eq!(ap["balance"]["remaining"], 30_000_000, "{on}");
        assert_eq!(
            ap["balance"]["years"].as_array().map(Vec::len),
            Some(3),
            "{on}"
        );
        let uncovered = refused(run(
            &db,
            &[
                "authorisation",
                "add",
                "--code",
                "AP-2024-02",
                "--label",
                "X",
                "--amount",
                "300 000",
                "--year-credits",
                "2024 = 100 000",
            ],
        ));
        assert!(
            uncovered.contains("couvrir exactement"),
            "{on}: {uncovered}"
        );

        let orders = json(run(&db, &["export", "ordres", "--format", "json"]));
        assert_eq!(
            orders["collectivite"], "Département du Pas-de-Calais",
            "{on}"
        );
        assert!(ok(run(&db, &["export", "ordres"])).starts_with("type;exercice;operation;"));
        assert!(refused(run(&db, &["export", "ordres", "--format", "pdf"])).contains("« pdf »"));
        rt.block_on(db.cleanup()).unwrap();
    }
}
