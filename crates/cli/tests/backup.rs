//! `acta backup` then `acta restore`, as an operator runs them: the demo and a synthetic
//! register come back whole into an empty database, on SQLite and PostgreSQL, with their
//! journal verified down to the head the backup recorded; an altered backup and a target
//! that already holds a register are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::{POSTGRES_ENV, TestDatabase};
use common::{ok, output, refused};
use std::path::Path;
use std::process::Output;

fn acta_at(database: &str, index: &Path, args: &[&str]) -> Output {
    output(
        common::acta(database, "test").arg("--index").arg(index),
        args,
    )
}

/// An empty target of the same kind: a new SQLite file, or a new PostgreSQL database
/// whose address selects the schema the source's tables are in.
struct Target {
    url: String,
    dropped_by: Option<String>,
}

async fn empty_target(db: &TestDatabase, dir: &Path, name: &str) -> Target {
    match std::env::var(POSTGRES_ENV) {
        Ok(server) if db.url.as_str().starts_with("postgres") => {
            let database = format!("acta_restauration_{}_{name}", std::process::id());
            db.execute_raw(&format!("DROP DATABASE IF EXISTS {database}"))
                .await
                .unwrap();
            db.execute_raw(&format!("CREATE DATABASE {database}"))
                .await
                .unwrap();
            let base = server.rsplit_once('/').unwrap().0;
            let schema = db
                .url
                .as_str()
                .split("options[search_path]=")
                .nth(1)
                .unwrap()
                .to_string();
            Target {
                url: format!("{base}/{database}?options[search_path]={schema}"),
                dropped_by: Some(format!("DROP DATABASE {database} WITH (FORCE)")),
            }
        }
        _ => Target {
            url: dir
                .join(format!("{name}.db"))
                .to_string_lossy()
                .into_owned(),
            dropped_by: None,
        },
    }
}

fn round_trip(db: &TestDatabase, target: &Target, work: &Path, compared: &[&[&str]]) {
    let source_index = work.join("index-source");
    let source = db.url.as_str();
    ok(acta_at(source, &source_index, &["reindex"]));
    let backup = work.join("sauvegarde");
    let said = ok(acta_at(
        source,
        &source_index,
        &["backup", backup.to_str().unwrap()],
    ));
    assert!(said.contains("Journal de la copie vérifié"), "{said}");
    assert!(said.contains("index de recherche compris"), "{said}");
    let again = refused(acta_at(
        source,
        &source_index,
        &["backup", backup.to_str().unwrap()],
    ));
    assert!(again.contains("n'est pas vide"), "{again}");

    let restored_index = work.join("index-restaure");
    let said = ok(acta_at(
        &target.url,
        &restored_index,
        &["restore", backup.to_str().unwrap()],
    ));
    assert!(said.contains("Journal restauré vérifié"), "{said}");
    assert!(said.contains("(celle du manifeste)"), "{said}");
    for args in compared {
        assert_eq!(
            ok(acta_at(&target.url, &restored_index, args)),
            ok(acta_at(source, &source_index, args)),
            "{args:?}"
        );
    }
    assert!(
        ok(acta_at(
            &target.url,
            &restored_index,
            &["journal", "verify"]
        ))
        .contains("Journal intact")
    );

    // Into a database that now holds a register: nothing is written.
    let twice = refused(acta_at(
        &target.url,
        &work.join("index-encore"),
        &["restore", backup.to_str().unwrap()],
    ));
    assert!(
        twice.contains("existe déjà") || twice.contains("contient déjà un registre"),
        "{twice}"
    );

    // A backup altered after it was written is refused before anything is loaded.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(backup.join("sauvegarde.json")).unwrap())
            .unwrap();
    let database_file = backup.join(manifest["files"][0]["path"].as_str().unwrap());
    let mut bytes = std::fs::read(&database_file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&database_file, bytes).unwrap();
    let altered = refused(acta_at(
        &work.join("autre.db").to_string_lossy(),
        &work.join("index-autre"),
        &["restore", backup.to_str().unwrap()],
    ));
    assert!(altered.contains("Sauvegarde altérée"), "{altered}");
}

#[tokio::test]
async fn the_demo_survives_a_backup_and_a_restore() {
    for db in TestDatabase::all().await.unwrap() {
        let work = tempfile::tempdir().unwrap();
        let source_index = work.path().join("index-source");
        ok(acta_at(db.url.as_str(), &source_index, &["demo"]));
        ok(acta_at(
            db.url.as_str(),
            &source_index,
            &["collectivity", "set-siret", "22620001200012"],
        ));
        let target = empty_target(&db, work.path(), "demo").await;
        round_trip(
            &db,
            &target,
            work.path(),
            &[
                &["show", "deliberation", "2023-479", "--json"],
                &["grant", "2023-479", "--json"],
                &["export", "scdl-subventions"],
                &["search", "chambre des métiers", "--json"],
            ],
        );
        if let Some(drop) = &target.dropped_by {
            db.execute_raw(drop).await.unwrap();
        }
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_synthetic_register_survives_a_backup_and_a_restore() {
    for db in TestDatabase::all().await.unwrap() {
        let work = tempfile::tempdir().unwrap();
        let source_index = work.path().join("index-source");
        ok(acta_at(
            db.url.as_str(),
            &source_index,
            &["demo", "--synthetic", "300"],
        ));
        ok(acta_at(
            db.url.as_str(),
            &source_index,
            &["collectivity", "set-siret", "22620001200012"],
        ));
        let target = empty_target(&db, work.path(), "synthetique").await;
        round_trip(
            &db,
            &target,
            work.path(),
            &[
                &["export", "scdl-deliberations"],
                &["export", "scdl-subventions"],
                &["journal", "list", "--limit", "50", "--json"],
            ],
        );
        if let Some(drop) = &target.dropped_by {
            db.execute_raw(drop).await.unwrap();
        }
        db.cleanup().await.unwrap();
    }
}
