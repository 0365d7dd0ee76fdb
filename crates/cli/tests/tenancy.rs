//! Several collectivities in one PostgreSQL database from the command line: with
//! `--collectivity 2`, every read and export sees the second collectivity's data alone,
//! and each collectivity numbers, journals and verifies on its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::TestDatabase;
use common::{json, ok, output};
use std::process::{Command, Output};

fn run(db: &TestDatabase, index: &std::path::Path, collectivity: &str, args: &[&str]) -> Output {
    let mut acta = common::acta(db.url.as_str(), "operateur");
    acta.args(["--collectivity", collectivity, "--index"])
        .arg(index);
    output(&mut acta, args)
}

const OTHER: &str = include_str!("../../app/tests/data/temoinville.toml");

/// What only the seed's collectivity holds.
const SEED_ONLY: &[&str] = &["Métiers", "MACIEJASZ", "13002374000439", "2023-479"];

/// A PostgreSQL database (none, said, without ACTA_TEST_POSTGRES_URL) and a folder for the
/// search index, holding the second collectivity's dataset (temoinville.toml).
fn postgres_and_folder(rt: &tokio::runtime::Runtime) -> Option<(TestDatabase, tempfile::TempDir)> {
    let Some(db) = rt.block_on(TestDatabase::postgres()).unwrap() else {
        eprintln!("ACTA_TEST_POSTGRES_URL absent : test PostgreSQL sauté");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("temoinville.toml"), OTHER).unwrap();
    Some((db, dir))
}

#[test]
fn each_collectivity_reads_exports_and_numbers_its_own() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((db, dir)) = postgres_and_folder(&rt) else {
        return;
    };
    let index = dir.path().join("index");
    let other = dir.path().join("temoinville.toml");
    ok(run(&db, &index, "1", &["demo"]));
    ok(run(&db, &index, "2", &["load", other.to_str().unwrap()]));
    ok(run(
        &db,
        &index,
        "2",
        &["collectivity", "set-siret", "21800000800019"],
    ));
    ok(run(&db, &index, "1", &["reindex"]));
    ok(run(&db, &index, "2", &["reindex"]));

    // The second collectivity's reads and exports hold nothing of the first's.
    let reads: &[&[&str]] = &[
        &["show", "deliberation", "2023-479", "--json"],
        &["show", "sitting", "2023-11-20", "--json"],
        &["show", "convention", "#1", "--json"],
        &["export", "scdl-deliberations"],
        &["export", "scdl-subventions"],
        &["export", "ordres", "--format", "json"],
        &["export", "akn", "2023-479"],
        &["search", "artisanat", "--json"],
        &["search", "2023-479", "--json"],
        &["journal", "verify", "--json"],
        &["beneficiary", "list", "--json"],
        &["budget-line", "show", "1", "--year", "2023", "--json"],
        &["account", "list", "--json"],
        &["member", "list", "--json"],
        &["grant", "#1", "--json"],
    ];
    for args in reads {
        let out = run(&db, &index, "2", args);
        // Either an answer or a French refusal: never a command line the CLI did not take.
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // An error may name what was asked (the number typed), never what the other holds.
        let shown = text.replace("« 2023-479 »", "").replace("2023-479 :", "");
        for marker in SEED_ONLY {
            assert!(
                !shown.contains(marker),
                "acta --collectivity 2 {} shows « {marker} »: {text}",
                args.join(" ")
            );
        }
        // The same read on the first collectivity does find its data (the markers work).
        if args[0] == "show" && args[1] == "deliberation" {
            assert!(!out.status.success());
            assert!(ok(run(&db, &index, "1", args)).contains("Métiers"));
        }
    }

    // Each numbers from the same number and keeps its own journal: a third collectivity
    // loads the seed too.
    ok(run(&db, &index, "3", &["demo"]));
    for collectivity in ["1", "3"] {
        let shown = json(run(
            &db,
            &index,
            collectivity,
            &["show", "deliberation", "2023-479", "--json"],
        ));
        assert_eq!(shown["number"], "2023-479");
    }
    let first = json(run(&db, &index, "1", &["journal", "verify", "--json"]));
    let third = json(run(&db, &index, "3", &["journal", "verify", "--json"]));
    assert_eq!(first["intact"], true);
    assert_eq!(third["intact"], true);
    // The first has had its index rebuilt and nothing else written: the same entries.
    assert_eq!(third["entries"], first["entries"]);

    // The register of collectivities, and host names.
    ok(run(
        &db,
        &index,
        "2",
        &["collectivity", "host", "actes.temoinville.test"],
    ));
    let listed = json(run(&db, &index, "1", &["collectivity", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
    assert_eq!(listed[1]["host"], "actes.temoinville.test");
    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn an_sqlite_file_refuses_a_second_collectivity_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acta.db");
    let out = Command::new(env!("CARGO_BIN_EXE_acta"))
        .args([
            "--database",
            file.to_str().unwrap(),
            "--collectivity",
            "2",
            "init",
        ])
        .env_remove("ACTA_DATABASE_URL")
        .env_remove("ACTA_COLLECTIVITY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("un fichier SQLite tient une seule collectivité"),
        "{err}"
    );
}

/// `acta serve --anchor-key … --anchor-dir D` anchors the journal of every collectivity it
/// serves, each in its own folder (D for the first, D-collectivite-N beside it), and each
/// journal verifies against its own anchors only.
#[test]
fn the_server_anchors_each_collectivity_in_its_own_folder() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((db, dir)) = postgres_and_folder(&rt) else {
        return;
    };
    let index = dir.path().join("index");
    let other = dir.path().join("temoinville.toml");
    let key = dir.path().join("cle");
    let anchors = dir.path().join("ancrages");
    ok(run(&db, &index, "1", &["demo", "--referential-only"]));
    ok(run(&db, &index, "2", &["load", other.to_str().unwrap()]));
    ok(run(
        &db,
        &index,
        "2",
        &["collectivity", "host", "actes.temoinville.test"],
    ));
    ok(run(
        &db,
        &index,
        "1",
        &["journal", "key", "--out", key.to_str().unwrap()],
    ));
    let port = common::free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_acta"))
        .args([
            "--database",
            db.url.as_str(),
            "--as",
            "operateur",
            "--index",
        ])
        .arg(&index)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--anchor-key")
        .arg(&key)
        .arg("--anchor-dir")
        .arg(&anchors)
        .env_remove("ACTA_DATABASE_URL")
        .env_remove("ACTA_COLLECTIVITY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let second_anchors = dir.path().join("ancrages-collectivite-2");
    let count = common::anchor_files;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline
        && (count(&anchors) == 0 || count(&second_anchors) == 0)
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(count(&anchors), 1, "the first collectivity's anchor");
    assert_eq!(count(&second_anchors), 1, "the second's, in its own folder");
    for (collectivity, folder) in [("1", &anchors), ("2", &second_anchors)] {
        let text = ok(run(
            &db,
            &index,
            collectivity,
            &["journal", "verify", "--anchors", folder.to_str().unwrap()],
        ));
        assert!(text.contains("conforme à 1 ancrage(s)"), "{text}");
    }
    // One collectivity's anchors do not vouch for the other's journal.
    let crossed = run(
        &db,
        &index,
        "2",
        &["journal", "verify", "--anchors", anchors.to_str().unwrap()],
    );
    assert!(!crossed.status.success());
    rt.block_on(db.cleanup()).unwrap();
}
