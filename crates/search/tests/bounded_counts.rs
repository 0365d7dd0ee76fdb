//! Counts are exact up to `COUNT_BOUND` matches; beyond, the total says "more than" and
//! the facets are counted on the first `COUNT_BOUND` matches, flagged as approximate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_search::query::COUNT_BOUND;
use acta_search::{ActDocument, ActKind, Audience, SearchIndex, SearchQuery, SearchResults};

const MORE: usize = 700;

fn act(n: usize, year: i32) -> ActDocument {
    ActDocument {
        key: format!("deliberation:{n}"),
        kind: ActKind::Deliberation,
        number: Some(format!("{year}-{n}")),
        title: format!("Subvention aux collèges n°{n}"),
        text: "D'attribuer une subvention de fonctionnement aux collèges publics.".to_string(),
        visas: Vec::new(),
        beneficiaries: Vec::new(),
        body: "Commission permanente".to_string(),
        date: format!("{year}-11-20"),
        year,
        matter: Some(("7.5".to_string(), "Subventions".to_string())),
        amount_centimes: Some(100_000),
        published: true,
    }
}

/// COUNT_BOUND acts of 2023 then MORE of 2024, written in three commits (several segments).
fn register() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let all: Vec<ActDocument> = (0..COUNT_BOUND)
        .map(|n| act(n, 2023))
        .chain((COUNT_BOUND..COUNT_BOUND + MORE).map(|n| act(n, 2024)))
        .collect();
    for (i, part) in all.chunks(all.len() / 3 + 1).enumerate() {
        index
            .update(&format!("part-{i}"), |u| {
                for d in part {
                    u.put(d)?;
                }
                Ok(())
            })
            .unwrap();
    }
    index
}

fn search(index: &SearchIndex, text: &str, year: Option<i32>) -> SearchResults {
    let query = SearchQuery {
        text: text.to_string(),
        year,
        limit: 10,
        ..Default::default()
    };
    index.search(&query, Audience::Public).unwrap()
}

fn facet_total(r: &SearchResults) -> u64 {
    r.facets.years.iter().map(|f| f.count).sum()
}

#[test]
fn beyond_the_bound_the_total_and_facets_say_they_are_not_exact() {
    let index = register();

    let all = search(&index, "collèges", None);
    assert_eq!(all.total, COUNT_BOUND, "the total stops at the bound");
    assert!(!all.total_exact, "more than the bound: not exact");
    assert!(!all.facets_exact, "facets on the first matches only");
    assert_eq!(
        facet_total(&all),
        COUNT_BOUND as u64,
        "the facets count exactly the first {COUNT_BOUND} matches: {:?}",
        all.facets.years
    );
    assert_eq!(all.hits.len(), 10, "the top ten are still found");
    let json = serde_json::to_value(&all).unwrap();
    assert_eq!(json["total_exact"], false);
    assert_eq!(json["facets_exact"], false);

    // The same search twice gives the same approximate facets.
    assert_eq!(search(&index, "collèges", None).facets, all.facets);
}

#[test]
fn up_to_the_bound_everything_is_exact() {
    let index = register();

    let at_bound = search(&index, "collèges", Some(2023));
    assert_eq!(at_bound.total, COUNT_BOUND);
    assert!(at_bound.total_exact && at_bound.facets_exact);
    assert_eq!(at_bound.facets.years.len(), 1);
    assert_eq!(at_bound.facets.years[0].count, COUNT_BOUND as u64);

    let below = search(&index, "collèges", Some(2024));
    assert_eq!(below.total, MORE);
    assert!(below.total_exact && below.facets_exact);
    assert_eq!(facet_total(&below), MORE as u64);
    let json = serde_json::to_value(&below).unwrap();
    assert_eq!(json["total"], MORE);
    assert_eq!(json["total_exact"], true);
}
