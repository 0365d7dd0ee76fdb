//! Several collectivities in one PostgreSQL database: each has its own sittings, its own
//! numbering (each its "2023-479"), its own journal and host name, and row-level security
//! keeps one's rows out of the other's reach even for a query that forgets to ask. An
//! SQLite file holds one collectivity.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::{Acta, AppError, FixedClock};
use acta_store::testing::TestDatabase;
use common::{actor, postgres};

fn first_of(db: &TestDatabase) -> Acta {
    Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2026-03-02T10:00:00Z".parse().unwrap()))
}

#[tokio::test]
async fn two_collectivities_number_and_journal_apart_in_one_database() {
    let Some(db) = postgres().await else { return };
    let first = first_of(&db);
    let second = first.for_collectivity(2).unwrap();
    first.load_demo(&actor()).await.unwrap();
    second.load_demo(&actor()).await.unwrap();

    // Each has its own deliberation 2023-479, its own rows.
    let a = first.deliberation_view("2023-479").await.unwrap();
    let b = second.deliberation_view("2023-479").await.unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(a.number, b.number);
    assert_eq!(
        first.deliberation_numbers().await.unwrap(),
        vec!["2023-479".to_string()]
    );

    // Each journal starts at 1 and is verified alone.
    let entries = first.journal_size().await.unwrap();
    assert!(entries > 10);
    assert_eq!(second.journal_size().await.unwrap(), entries);
    for acta in [&first, &second] {
        let report = acta.verify_journal(|_| {}).await.unwrap();
        assert!(report.intact);
        assert_eq!(report.entries, entries);
    }
    // Altering the second's journal breaks the second's chain, not the first's.
    db.execute_raw("UPDATE journal SET actor = 'intrus' WHERE collectivity_id = 2 AND seq = 3")
        .await
        .unwrap();
    let broken = second.verify_journal(|_| {}).await.unwrap();
    assert!(!broken.intact);
    assert_eq!(broken.first_break.unwrap().seq, 3);
    assert!(first.verify_journal(|_| {}).await.unwrap().intact);

    // The register lists both; each is served at its own host name, never the same one.
    first
        .set_portal_host(&actor(), Some("Actes.Premier.test"))
        .await
        .unwrap();
    second
        .set_portal_host(&actor(), Some("actes.second.test"))
        .await
        .unwrap();
    let taken = second
        .set_portal_host(&actor(), Some("actes.premier.test"))
        .await
        .unwrap_err();
    assert!(matches!(taken, AppError::Conflict(_)), "{taken}");
    assert!(taken.to_string().contains("actes.premier.test"), "{taken}");
    let hosts: Vec<(String, i64)> = first
        .portal_hosts()
        .await
        .unwrap()
        .into_iter()
        .map(|(h, id)| (h.to_string(), id))
        .collect();
    assert_eq!(
        hosts,
        vec![
            ("actes.premier.test".to_string(), 1),
            ("actes.second.test".to_string(), 2)
        ]
    );
    let bad = first
        .set_portal_host(&actor(), Some("actes premier"))
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("Nom d'hôte"), "{bad}");
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn row_level_security_hides_the_other_collectivity_from_a_query_without_where() {
    let Some(db) = postgres().await else { return };
    let first = first_of(&db);
    let second = first.for_collectivity(2).unwrap();
    first.load_demo(&actor()).await.unwrap();
    second.load_demo(&actor()).await.unwrap();

    for table in [
        "deliberation",
        "journal",
        "beneficiary",
        "account",
        "setting",
    ] {
        let own = db.count_as(1, table).await.unwrap();
        assert_eq!(db.count_as(2, table).await.unwrap(), own, "{table}");
        // Someone with the database's own rights sees both; a transaction bound to no
        // collectivity sees nothing.
        assert_eq!(db.count(table).await.unwrap(), 2 * own, "{table}");
        assert_eq!(db.count_unbound(table).await.unwrap(), 0, "{table}");
    }
    assert!(db.count_as(1, "deliberation").await.unwrap() > 0);

    // Neither changes nor creates the other's rows, even by naming them.
    let changed = db
        .execute_as(
            2,
            "UPDATE deliberation SET title = 'détourné' WHERE collectivity_id = 1",
        )
        .await
        .unwrap();
    assert_eq!(changed, 0);
    let planted = db
        .execute_as(
            2,
            "INSERT INTO setting (key, value_json, collectivity_id) VALUES ('intrus', '1', 1)",
        )
        .await;
    assert!(planted.is_err(), "a row written for another collectivity");
    // A row written without naming its collectivity is the writer's.
    db.execute_as(
        2,
        "INSERT INTO setting (key, value_json) VALUES ('propre', '1')",
    )
    .await
    .unwrap();
    assert_eq!(
        db.count_as(2, "setting").await.unwrap(),
        db.count_as(1, "setting").await.unwrap() + 1
    );

    // Every table a collectivity owns carries it and is under forced row-level security.
    let unguarded = db
        .strings(
            "SELECT c.relname::text FROM pg_class c \
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
             AND c.relname NOT IN ('_sqlx_migrations') \
             AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1",
        )
        .await
        .unwrap();
    assert_eq!(
        unguarded,
        Vec::<String>::new(),
        "tables without row-level security"
    );
    let without_column = db
        .strings(
            "SELECT t.tablename::text FROM pg_tables t \
             WHERE t.schemaname = current_schema() \
             AND t.tablename NOT IN ('_sqlx_migrations', 'collectivity') \
             AND NOT EXISTS (SELECT 1 FROM information_schema.columns col \
                 WHERE col.table_schema = t.schemaname AND col.table_name = t.tablename \
                 AND col.column_name = 'collectivity_id') ORDER BY 1",
        )
        .await
        .unwrap();
    assert_eq!(
        without_column,
        Vec::<String>::new(),
        "tables without their collectivity"
    );
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn an_sqlite_file_holds_one_collectivity() {
    let db = TestDatabase::sqlite().await.unwrap();
    let first = first_of(&db);
    assert_eq!(first.collectivity_id(), 1);
    let Err(refused) = first.for_collectivity(2) else {
        panic!("an SQLite file took a second collectivity")
    };
    assert!(refused.to_string().contains("SQLite"), "{refused}");
    assert!(first.for_collectivity(0).is_err());
    first.load_demo(&actor()).await.unwrap();
    first
        .set_portal_host(&actor(), Some("actes.premier.test"))
        .await
        .unwrap();
    let listed = first.collectivities().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].host.as_deref(), Some("actes.premier.test"));
    assert!(first.verify_journal(|_| {}).await.unwrap().intact);
    db.cleanup().await.unwrap();
}
