//! The journal on both backends: entries in the same transaction as the change, chained,
//! and tampering detected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_domain::people::{Civility, Member, PersonName};
use acta_store::testing::TestDatabase;

const AT: &str = "2026-11-28T10:00:00Z";

fn member(last: &str) -> Member {
    Member {
        name: PersonName {
            civility: Civility::Madame,
            first_name: "Maryse".into(),
            last_name: last.into(),
        },
        group: None,
    }
}

async fn add_members(db: &TestDatabase, names: &[&str]) {
    let mut tx = db.store.write("agent.test", AT).await.unwrap();
    for n in names {
        tx.insert_member(&member(n)).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn verify(db: &TestDatabase) -> Result<i64, acta_domain::journal::ChainBreak> {
    let mut tx = db.store.read().await.unwrap();
    tx.verify_journal(|_| {}).await.unwrap()
}

#[tokio::test]
async fn every_change_is_journaled_with_who_when_and_values() {
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["DELASSUS", "CAUWET"]).await;
        let mut tx = db.store.read().await.unwrap();
        let entries = tx.journal_recent(10).await.unwrap();
        assert_eq!(entries.len(), 2, "{}", db.name());
        let newest = &entries[0];
        assert_eq!(newest.seq, 2);
        assert_eq!(newest.actor, "agent.test");
        assert_eq!(newest.at, AT);
        assert_eq!(newest.action, "creation");
        assert_eq!(newest.entity, "elu");
        assert!(newest.before.is_none());
        assert!(newest.after.as_deref().unwrap().contains("CAUWET"));
        drop(tx);

        // An update keeps the value before and after.
        let mut tx = db.store.write("agent.test", AT).await.unwrap();
        let id = tx.members().await.unwrap()[0].id;
        tx.update_member(id, &member("DELASSUS-MARTIN"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.read().await.unwrap();
        let history = tx.journal_of("elu", &id.to_string()).await.unwrap();
        assert_eq!(history.len(), 2);
        assert!(
            history[1]
                .before
                .as_deref()
                .unwrap()
                .contains("\"DELASSUS\"")
        );
        assert!(
            history[1]
                .after
                .as_deref()
                .unwrap()
                .contains("DELASSUS-MARTIN")
        );
        drop(tx);
        assert_eq!(verify(&db).await, Ok(3), "{}", db.name());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_rolled_back_change_leaves_neither_row_nor_journal_entry() {
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["LEROY"]).await;
        let mut tx = db.store.write("agent.test", AT).await.unwrap();
        tx.insert_member(&member("MULOT")).await.unwrap();
        tx.rollback().await.unwrap();
        {
            // Dropped without commit: same.
            let mut tx = db.store.write("agent.test", AT).await.unwrap();
            tx.insert_member(&member("FAIT")).await.unwrap();
        }
        assert_eq!(db.count("member").await.unwrap(), 1, "{}", db.name());
        assert_eq!(db.count("journal").await.unwrap(), 1, "{}", db.name());
        add_members(&db, &["HOCQ"]).await;
        assert_eq!(verify(&db).await, Ok(2), "{}", db.name());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn an_entry_altered_in_the_database_is_reported() {
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["LEROY", "HINGREZ-CÉRÉDA", "MACIEJASZ", "CUVILLIER"]).await;
        assert_eq!(verify(&db).await, Ok(4));
        db.execute_raw("UPDATE journal SET actor = 'intrus' WHERE seq = 2")
            .await
            .unwrap();
        let brk = verify(&db).await.unwrap_err();
        assert_eq!(brk.seq, 2, "{}", db.name());
        assert!(brk.reason.contains("modifié"), "{}", brk.reason);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_modification_stores_its_changed_fields_and_tampering_with_them_is_reported() {
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["DELASSUS", "CAUWET"]).await;
        let mut tx = db.store.write("agent.test", AT).await.unwrap();
        let id = tx.members().await.unwrap()[0].id;
        tx.update_member(id, &member("DELASSUS-MARTIN"))
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // As stored: the changed field only, with both values.
        let mut tx = db.store.read().await.unwrap();
        let stored = tx.journal_recent(1).await.unwrap().remove(0);
        assert_eq!(stored.seq, 3);
        assert!(
            stored.before.is_none() && stored.after.is_none(),
            "{stored:?}"
        );
        let diff: serde_json::Value =
            serde_json::from_str(stored.diff.as_deref().unwrap()).unwrap();
        let changes = diff.as_object().unwrap();
        assert_eq!(changes.len(), 1, "{diff}");
        let (_, sides) = changes.iter().next().unwrap();
        assert_eq!(sides["avant"], "DELASSUS");
        assert_eq!(sides["apres"], "DELASSUS-MARTIN");
        drop(tx);
        assert_eq!(verify(&db).await, Ok(3), "{}", db.name());

        // The changed value rewritten in the database: found.
        db.execute_raw(
            "UPDATE journal SET diff_json = REPLACE(diff_json, 'DELASSUS-MARTIN', 'MARTIN') WHERE seq = 3",
        )
        .await
        .unwrap();
        let brk = verify(&db).await.unwrap_err();
        assert_eq!(brk.seq, 3, "{}", db.name());
        assert!(brk.reason.contains("modifié"), "{}", brk.reason);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn reordered_entries_are_reported() {
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["A", "B", "C"]).await;
        let mut tx = db.store.write("agent.test", AT).await.unwrap();
        let id = tx.members().await.unwrap()[0].id;
        tx.update_member(id, &member("A2")).await.unwrap();
        tx.commit().await.unwrap();
        // Entries 2 and 4 (a creation and a change) swap places, numbers and all.
        for sql in [
            "UPDATE journal SET seq = 0 WHERE seq = 2",
            "UPDATE journal SET seq = 2 WHERE seq = 4",
            "UPDATE journal SET seq = 4 WHERE seq = 0",
        ] {
            db.execute_raw(sql).await.unwrap();
        }
        assert_eq!(verify(&db).await.unwrap_err().seq, 2, "{}", db.name());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_removed_entry_is_reported() {
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["A", "B", "C", "D"]).await;
        db.execute_raw("DELETE FROM journal WHERE seq = 3")
            .await
            .unwrap();
        assert_eq!(verify(&db).await.unwrap_err().seq, 3, "{}", db.name());
        db.cleanup().await.unwrap();
    }
    for db in TestDatabase::all().await.unwrap() {
        add_members(&db, &["A", "B", "C"]).await;
        db.execute_raw("DELETE FROM journal WHERE seq = 3")
            .await
            .unwrap();
        assert_eq!(verify(&db).await.unwrap_err().seq, 3, "{}", db.name());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    for db in TestDatabase::all().await.unwrap() {
        let mut tasks = Vec::new();
        for w in 0..6 {
            let store = db.store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..15 {
                    let mut tx = store.write(&format!("agent{w}"), AT).await.unwrap();
                    tx.insert_member(&member(&format!("M{w}-{i}")))
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(db.count("member").await.unwrap(), 90);
        assert_eq!(verify(&db).await, Ok(90), "{}", db.name());
        db.cleanup().await.unwrap();
    }
}
