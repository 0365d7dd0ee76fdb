//! Reads on a streaming replica (`acta serve --read-database`): a replica within its bound
//! is read, the search index is not rebuilt because a replica is behind it, and what is not
//! a replica of an acta database is refused in French. The lag itself (a replica whose replay
//! is paused) is tested against a real streaming replica by `scripts/cluster_test.py`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::replica::{ReadSide, ReadSource};
use acta_app::{Acta, AppError, DatabaseUrl, FixedClock};
use acta_search::{Audience, SearchQuery};
use acta_store::testing::TestDatabase;
use common::{actor, postgres};
use std::time::Duration;

fn acta_of(db: &TestDatabase) -> Acta {
    Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2026-03-02T10:00:00Z".parse().unwrap()))
}

fn staff_query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        limit: 20,
        include_drafts: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_replica_within_its_bound_is_read_and_the_index_is_not_rebuilt_behind_it() {
    let Some(primary_db) = postgres().await else {
        return;
    };
    // The "replica": the same register as the primary had it a moment ago (same data,
    // same journal up to there), in a schema of its own.
    let behind_db = postgres().await.unwrap();
    let primary = acta_of(&primary_db);
    let behind = acta_of(&behind_db);
    primary.load_demo(&actor()).await.unwrap();
    behind.load_demo(&actor()).await.unwrap();
    primary
        .set_portal_host(&actor(), Some("actes.premier.test"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let synced = primary.sync_search_index(&index, &|_, _| {}).await.unwrap();
    assert_eq!(synced.journal_seq, primary.journal_size().await.unwrap());

    let side = ReadSide::open(&primary, &behind_db.url, Duration::from_secs(5))
        .await
        .unwrap();
    let reading = side.pick().await;
    // Not in recovery: a database that is no replica (or a promoted one) is never behind.
    assert!(
        matches!(reading.source, ReadSource::Replica { lag } if lag < Duration::from_secs(5)),
        "{:?}",
        reading.source
    );
    assert!(reading.acta.reads_replica());
    assert!(!primary.reads_replica());
    assert_eq!(
        reading
            .acta
            .deliberation_view("2023-479")
            .await
            .unwrap()
            .number
            .as_deref(),
        Some("2023-479")
    );

    // The index holds the primary's last entry, the replica has not replayed it yet: the
    // index is searched as it is, not rebuilt from the replica.
    let on_replica = reading
        .acta
        .sync_search_index(&index, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(on_replica.action, "en avance sur la réplique");
    assert_eq!(on_replica.journal_seq, synced.journal_seq);
    let (found, _) = reading
        .acta
        .search(&index, &staff_query("chambre des métiers"), Audience::Staff)
        .await
        .unwrap();
    assert!(
        found
            .hits
            .iter()
            .any(|h| h.number.as_deref() == Some("2023-479")),
        "{:?}",
        found.hits
    );
    // The primary's next sync has nothing to do.
    let again = primary.sync_search_index(&index, &|_, _| {}).await.unwrap();
    assert_eq!(again.action, "à jour");

    // Another collectivity of the database reads the same replica, bound to its own rows.
    let second = primary.for_collectivity(2).unwrap();
    let second_side = side.for_collectivity(&second).unwrap();
    let second_reading = second_side.pick().await;
    assert!(second_reading.acta.reads_replica());
    assert_eq!(second_reading.acta.collectivity_id(), 2);
    assert!(
        second_reading
            .acta
            .deliberation_view("2023-479")
            .await
            .is_err(),
        "the second collectivity sees nothing of the first's through the replica"
    );

    side.pick().await.acta.close().await;
    primary_db.cleanup().await.unwrap();
    behind_db.cleanup().await.unwrap();
}

#[tokio::test]
async fn what_is_not_a_replica_of_an_acta_database_is_refused_in_french() {
    let sqlite = TestDatabase::sqlite().await.unwrap();
    let acta = acta_of(&sqlite);
    let refused = ReadSide::open(&acta, &sqlite.url, Duration::from_secs(5))
        .await
        .err()
        .unwrap();
    assert!(matches!(refused, AppError::Store(_)), "{refused}");
    assert!(refused.to_string().contains("Base de lecture"), "{refused}");
    sqlite.cleanup().await.unwrap();

    let Some(primary_db) = postgres().await else {
        return;
    };
    // An empty schema on the server: no acta database there.
    let empty = acta_store::scratch::ScratchSchema::create(
        &std::env::var(acta_store::testing::POSTGRES_ENV).unwrap(),
        "acta_vide",
    )
    .await
    .unwrap();
    let url = DatabaseUrl::parse(empty.url().as_str()).unwrap();
    let refused = ReadSide::open(&acta_of(&primary_db), &url, Duration::from_secs(5))
        .await
        .err()
        .unwrap();
    let message = refused.to_string();
    assert!(message.contains("Base de lecture"), "{message}");
    assert!(message.contains("version 0"), "{message}");
    empty.drop_schema().await.unwrap();
    primary_db.cleanup().await.unwrap();
}
