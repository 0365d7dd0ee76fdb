//! The search index follows the register on SQLite and PostgreSQL: built from it, updated
//! by the acts a write touches, rebuilt when it belongs to another database; drafts stay
//! out of public search.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::sittings::{NewItem, NewSitting};
use acta_app::{Acta, Actor, FixedClock};
use acta_search::{Audience, SearchQuery};
use acta_store::testing::TestDatabase;
use common::{award_key, signature, sitting_key};

fn actor() -> Actor {
    Actor::new("test")
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        limit: 20,
        ..Default::default()
    }
}

async fn keys(
    acta: &Acta,
    dir: &std::path::Path,
    q: &SearchQuery,
    audience: Audience,
) -> Vec<String> {
    let (results, _) = acta.search(dir, q, audience).await.unwrap();
    results.hits.into_iter().map(|h| h.key).collect()
}

#[tokio::test]
async fn the_index_follows_the_register() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let acta = Acta::with_store(db.store.clone())
            .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
        acta.load_demo(&actor()).await.unwrap();

        // Built on first use; the public sees nothing before the act is published.
        let (unpublished, sync) = acta
            .search(&index, &query("chambre des métiers"), Audience::Public)
            .await
            .unwrap();
        assert_eq!(sync.action, "reconstruit", "{}", db.name());
        assert_eq!(unpublished.total, 0, "{}", db.name());
        acta.publish_demo(&actor(), &common::signing::renderer())
            .await
            .unwrap();
        // Published: the deliberation, its report and its convention.
        let (results, sync) = acta
            .search(&index, &query("chambre des métiers"), Audience::Public)
            .await
            .unwrap();
        assert_eq!(sync.action, "mis à jour", "{}", db.name());
        assert_eq!(results.total, 3, "{}", db.name());
        assert_eq!(results.hits[0].number.as_deref(), Some("2023-479"));
        let (by_siret, sync) = acta
            .search(&index, &query("130 023 740 00439"), Audience::Public)
            .await
            .unwrap();
        assert_eq!(sync.action, "à jour");
        assert_eq!(by_siret.matched_by, "identifiant");
        assert_eq!(by_siret.total, 3);

        // A new item is a draft until its vote is closed: staff see it, the public does not.
        acta.add_item(
            &actor(),
            &sitting_key("2023-11-20"),
            &NewItem {
                report_number: 21,
                title: "AIDE AU COLLÈGE DE WIMEREUX".into(),
                matter: Some("8.1".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let public = keys(&acta, &index, &query("college wimereux"), Audience::Public).await;
        assert!(public.is_empty(), "{}: {public:?}", db.name());
        let staff = keys(
            &acta,
            &index,
            &SearchQuery {
                include_drafts: true,
                ..query("college wimereux")
            },
            Audience::Staff,
        )
        .await;
        assert_eq!(staff.len(), 2, "the deliberation and its report: {staff:?}");
        let public_even_if_asked = keys(
            &acta,
            &index,
            &SearchQuery {
                include_drafts: true,
                ..query("college wimereux")
            },
            Audience::Public,
        )
        .await;
        assert!(public_even_if_asked.is_empty());

        // Another register's index in the same folder is detected and rebuilt.
        let other = TestDatabase::sqlite().await.unwrap();
        let other_acta = Acta::with_store(other.store.clone());
        other_acta.load_demo_referential(&actor()).await.unwrap();
        let (results, sync) = other_acta
            .search(&index, &query("chambre des métiers"), Audience::Public)
            .await
            .unwrap();
        assert_eq!(sync.action, "reconstruit", "{}", db.name());
        assert_eq!(results.total, 0);
    }
}

#[tokio::test]
async fn signing_a_convention_updates_the_index() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let acta = Acta::with_store(db.store.clone())
            .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
        acta.load_demo(&actor()).await.unwrap();
        acta.rebuild_search_index(dir.path(), &|_, _| {})
            .await
            .unwrap();
        acta.sign_convention(&actor(), &award_key("2023-479"), &signature("2023-12-01"))
            .await
            .unwrap();
        let sync = acta
            .sync_search_index(dir.path(), &|_, _| {})
            .await
            .unwrap();
        assert_eq!(sync.action, "mis à jour", "{}", db.name());
        assert_eq!(sync.acts, 3, "the deliberation's acts, re-indexed");
        let again = acta
            .sync_search_index(dir.path(), &|_, _| {})
            .await
            .unwrap();
        assert_eq!(again.action, "à jour", "{}", db.name());

        // A new sitting shows in no act yet: nothing to re-index, no rebuild.
        acta.create_sitting(
            &actor(),
            &NewSitting {
                body: "cp".into(),
                date: "2024-02-05".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let sync = acta
            .sync_search_index(dir.path(), &|_, _| {})
            .await
            .unwrap();
        assert_eq!((sync.action, sync.acts), ("mis à jour", 0), "{}", db.name());
    }
}
