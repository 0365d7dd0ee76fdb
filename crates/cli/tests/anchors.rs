//! The journal anchored outside the database: someone who rewrites an entry inside the
//! database and rechains every entry after it, head included, passes the chain check but
//! is caught by `acta journal verify --anchors`, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_domain::journal::JournalEntry;
use acta_store::testing::TestDatabase;
use common::{ok, output, stderr, stdout};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn acta(db: &TestDatabase, args: &[&str]) -> Output {
    let mut acta = common::acta(db.url.as_str(), "test");
    output(acta.env("ACTA_PASSWORD", "un-mot-de-passe-solide-1"), args)
}

fn with_exit(o: &Output, code: i32) -> Value {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn entries(db: &TestDatabase) -> Vec<JournalEntry> {
    let mut all: Vec<JournalEntry> = serde_json::from_str(&ok(acta(
        db,
        &["journal", "list", "--limit", "1000000", "--json"],
    )))
    .unwrap();
    all.reverse();
    all
}

/// What an attacker with write access to the database does: changes entry `seq`, then
/// recomputes every hash from it to the head, so that the chain verifies again.
async fn rewrite_and_rechain(db: &TestDatabase, seq: i64, new_after: &str) {
    let mut all = entries(db);
    let start = usize::try_from(seq - 1).unwrap();
    all[start].after = Some(new_after.to_string());
    for i in start..all.len() {
        if i > 0 {
            all[i].prev_hash = all[i - 1].hash.clone();
        }
        all[i].hash = all[i].recomputed_hash();
        let e = &all[i];
        db.execute_raw(&format!(
            "UPDATE journal SET after_json = {}, prev_hash = '{}', hash = '{}' WHERE seq = {}",
            e.after.as_deref().map_or("NULL".to_string(), |a| format!(
                "'{}'",
                a.replace('\'', "''")
            )),
            e.prev_hash,
            e.hash,
            e.seq
        ))
        .await
        .unwrap();
    }
    let head = all.last().unwrap();
    db.execute_raw(&format!(
        "UPDATE journal_head SET hash = '{}' WHERE id = 1",
        head.hash
    ))
    .await
    .unwrap();
}

fn anchor(db: &TestDatabase, key: &Path, dir: &Path) -> String {
    ok(acta(
        db,
        &[
            "journal",
            "anchor",
            "--key",
            key.to_str().unwrap(),
            "--dir",
            dir.to_str().unwrap(),
        ],
    ))
}

fn verify_with(db: &TestDatabase, dir: &Path) -> Output {
    acta(
        db,
        &[
            "journal",
            "verify",
            "--anchors",
            dir.to_str().unwrap(),
            "--json",
        ],
    )
}

#[tokio::test]
async fn a_consistently_rewritten_journal_is_caught_by_its_anchors() {
    for db in TestDatabase::all().await.unwrap() {
        let files = tempfile::tempdir().unwrap();
        let key = files.path().join("cle-ancrage");
        let anchors = files.path().join("ancrages");
        ok(acta(&db, &["demo", "--referential-only"]));

        let created = ok(acta(
            &db,
            &["journal", "key", "--out", key.to_str().unwrap()],
        ));
        assert!(created.contains("Clé publique"), "{created}");
        let again = acta(&db, &["journal", "key", "--out", key.to_str().unwrap()]);
        assert!(!again.status.success());
        assert!(
            stderr(&again).contains("une clé existe déjà"),
            "{}",
            stderr(&again)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is readable by others: {mode:o}");
        }

        assert!(anchor(&db, &key, &anchors).contains("Journal ancré"));
        assert!(anchor(&db, &key, &anchors).contains("Déjà ancré"));
        let first_anchor = entries(&db).len() as i64;
        ok(acta(
            &db,
            &[
                "account",
                "add",
                "controle",
                "--name",
                "Contrôle de gestion",
                "--role",
                "elu",
            ],
        ));
        assert!(anchor(&db, &key, &anchors).contains("Journal ancré"));
        let second_anchor = entries(&db).len() as i64;
        assert!(second_anchor > first_anchor);
        assert_eq!(std::fs::read_dir(&anchors).unwrap().count(), 2);

        let text = ok(acta(
            &db,
            &["journal", "verify", "--anchors", anchors.to_str().unwrap()],
        ));
        assert!(text.contains("conforme à 2 ancrage(s)"), "{text}");

        // A rewrite after the first anchor: located between the two anchors.
        let account_entry = entries(&db)
            .iter()
            .find(|e| e.entity == "compte" && e.after.as_deref().unwrap_or("").contains("controle"))
            .map(|e| e.seq)
            .expect("the account's journal entry");
        rewrite_and_rechain(
            &db,
            account_entry,
            "{\"login\":\"intrus\",\"role\":\"administrateur\"}",
        )
        .await;
        let chain_only = ok(acta(&db, &["journal", "verify"]));
        assert!(chain_only.contains("Journal intact"), "{chain_only}");
        let caught = with_exit(&verify_with(&db, &anchors), 3);
        assert_eq!(caught["intact"], false);
        assert_eq!(
            caught["first_break"]["seq"],
            first_anchor + 1,
            "{}",
            db.name()
        );
        assert!(
            caught["first_break"]["reason"]
                .as_str()
                .unwrap()
                .contains("ne porte plus l'empreinte ancrée"),
            "{caught}"
        );

        // A rewrite before every anchor: the first anchor already fails.
        let line_entry = entries(&db)
            .iter()
            .find(|e| e.entity == "ligne_budgetaire")
            .map(|e| e.seq)
            .expect("a budget line in the referential");
        let after = entries(&db)[usize::try_from(line_entry - 1).unwrap()]
            .after
            .clone()
            .unwrap()
            .replace("14000000", "24000000");
        rewrite_and_rechain(&db, line_entry, &after).await;
        let caught = with_exit(&verify_with(&db, &anchors), 3);
        assert_eq!(caught["first_break"]["seq"], 1);
        let text = acta(
            &db,
            &["journal", "verify", "--anchors", anchors.to_str().unwrap()],
        );
        assert_eq!(text.status.code(), Some(3));
        assert!(
            stdout(&text).contains(&format!("entre la n°1 et la n°{first_anchor}")),
            "{}",
            stdout(&text)
        );

        // Anchors are themselves checked: an edited anchor, or another key, is refused.
        let file = std::fs::read_dir(&anchors)
            .unwrap()
            .map(|e| e.unwrap().path())
            .min()
            .unwrap();
        let edited = std::fs::read_to_string(&file).unwrap();
        let current = entries(&db)[usize::try_from(first_anchor - 1).unwrap()]
            .hash
            .clone();
        let forged: Value = serde_json::from_str(&edited).unwrap();
        let forged = edited.replace(forged["hash"].as_str().unwrap(), &current);
        std::fs::write(&file, forged).unwrap();
        let refused = acta(
            &db,
            &["journal", "verify", "--anchors", anchors.to_str().unwrap()],
        );
        assert_eq!(refused.status.code(), Some(1));
        assert!(
            stderr(&refused).contains("a été modifié"),
            "{}",
            stderr(&refused)
        );
        std::fs::write(&file, edited).unwrap();

        let other = files.path().join("autre-cle");
        ok(acta(
            &db,
            &["journal", "key", "--out", other.to_str().unwrap()],
        ));
        let public = format!("{}.pub", other.display());
        let refused = acta(
            &db,
            &[
                "journal",
                "verify",
                "--anchors",
                anchors.to_str().unwrap(),
                "--public-key",
                &public,
            ],
        );
        assert_eq!(refused.status.code(), Some(1));
        assert!(
            stderr(&refused).contains("clé de confiance"),
            "{}",
            stderr(&refused)
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn removed_last_entries_are_caught_by_an_anchor_past_the_head() {
    for db in TestDatabase::all().await.unwrap() {
        let files = tempfile::tempdir().unwrap();
        let key = files.path().join("cle");
        let anchors = files.path().join("ancrages");
        ok(acta(&db, &["demo", "--referential-only"]));
        ok(acta(
            &db,
            &["journal", "key", "--out", key.to_str().unwrap()],
        ));
        anchor(&db, &key, &anchors);
        let all = entries(&db);
        let keep = all.len() - 3;
        db.execute_raw(&format!("DELETE FROM journal WHERE seq > {keep}"))
            .await
            .unwrap();
        db.execute_raw(&format!(
            "UPDATE journal_head SET seq = {keep}, hash = '{}' WHERE id = 1",
            all[keep - 1].hash
        ))
        .await
        .unwrap();
        assert!(ok(acta(&db, &["journal", "verify"])).contains("Journal intact"));
        let caught = with_exit(&verify_with(&db, &anchors), 3);
        assert_eq!(
            caught["first_break"]["seq"],
            keep as i64 + 1,
            "{}",
            db.name()
        );
        db.cleanup().await.unwrap();
    }
}

/// `acta serve --anchor-key … --anchor-dir …` anchors the journal as it starts (and then
/// on its schedule), so that the anchors folder follows a running server.
#[tokio::test]
async fn the_server_anchors_the_journal_when_it_starts() {
    let db = TestDatabase::sqlite().await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let key = files.path().join("cle");
    let anchors = files.path().join("ancrages");
    ok(acta(&db, &["demo", "--referential-only"]));
    ok(acta(
        &db,
        &["journal", "key", "--out", key.to_str().unwrap()],
    ));
    let port = common::free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_acta"))
        .args(["--database", db.url.as_str(), "--as", "test", "--index"])
        .arg(files.path().join("index"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--anchor-key")
        .arg(&key)
        .arg("--anchor-dir")
        .arg(&anchors)
        .args(["--anchor-every", "60"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut found = 0;
    while std::time::Instant::now() < deadline && found == 0 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        found = common::anchor_files(&anchors);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(found, 1, "no anchor written by the server");
    let text = ok(acta(
        &db,
        &["journal", "verify", "--anchors", anchors.to_str().unwrap()],
    ));
    assert!(text.contains("conforme à 1 ancrage(s)"), "{text}");
    db.cleanup().await.unwrap();
}
