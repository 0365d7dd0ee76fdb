//! What people type finds what they mean: French word forms, phrases, prefixes,
//! identifiers, filters and facets — and the public never sees a draft.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_search::{
    ActDocument, ActKind, Audience, IndexedBeneficiary, SearchIndex, SearchQuery, SearchResults,
};

fn act(key: &str, title: &str, text: &str) -> ActDocument {
    ActDocument {
        key: key.to_string(),
        kind: ActKind::Deliberation,
        number: None,
        title: title.to_string(),
        text: text.to_string(),
        visas: Vec::new(),
        beneficiaries: Vec::new(),
        body: "Commission permanente".to_string(),
        date: "2023-11-20".to_string(),
        year: 2023,
        matter: Some(("7.5".to_string(), "Subventions".to_string())),
        amount_centimes: None,
        published: true,
    }
}

fn corpus() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut cma = act(
        "deliberation:1",
        "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023",
        "D'attribuer à la Chambre de Métiers et de l'Artisanat de région Hauts-de-France une participation financière de 120 000 € au titre de l'année 2023.",
    );
    cma.number = Some("2023-479".to_string());
    cma.beneficiaries = vec![IndexedBeneficiary {
        name: "Chambre de Métiers et de l'Artisanat de région Hauts-de-France".to_string(),
        siret: Some("13002374000439".to_string()),
    }];
    cma.amount_centimes = Some(12_000_000);
    cma.visas = vec!["Vu le Code Général des Collectivités Territoriales".to_string()];
    let mut colleges = act(
        "deliberation:2",
        "DOTATIONS DE FONCTIONNEMENT DES COLLÈGES PUBLICS",
        "Le Conseil départemental a délibéré sur les dotations versées aux collèges pour les élèves demi-pensionnaires.",
    );
    colleges.number = Some("2024-12".to_string());
    colleges.body = "Conseil départemental".to_string();
    colleges.date = "2024-02-05".to_string();
    colleges.year = 2024;
    colleges.matter = Some(("8.1".to_string(), "Enseignement".to_string()));
    colleges.amount_centimes = Some(350_000_000);
    let mut associations = act(
        "deliberation:3",
        "SUBVENTION À L'ASSOCIATION SPORTIVE DE LENS",
        "D'attribuer une subvention à l'association sportive pour l'école de football.",
    );
    associations.number = Some("2023-480".to_string());
    associations.amount_centimes = Some(1_500_000);
    associations.beneficiaries = vec![IndexedBeneficiary {
        name: "Association sportive de Lens".to_string(),
        siret: None,
    }];
    let mut draft = act(
        "deliberation:4",
        "SUBVENTION AUX ASSOCIATIONS CULTURELLES (PROJET)",
        "Projet de délibération : subventions aux associations culturelles.",
    );
    draft.published = false;
    let mut report = act(
        "rapport:1",
        "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT - PARTICIPATION 2023",
        "La Chambre de Métiers et de l'Artisanat sollicite une participation du Département.",
    );
    report.kind = ActKind::Report;
    index
        .update("test-1", |u| {
            for d in [&cma, &colleges, &associations, &draft, &report] {
                u.put(d)?;
            }
            Ok(())
        })
        .unwrap();
    index
}

fn search(index: &SearchIndex, text: &str) -> SearchResults {
    index
        .search(
            &SearchQuery {
                text: text.to_string(),
                limit: 10,
                ..Default::default()
            },
            Audience::Public,
        )
        .unwrap()
}

fn keys(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.key.as_str()).collect()
}

#[test]
fn french_word_forms_find_their_acts() {
    let index = corpus();
    let cases: [(&str, &[&str]); 7] = [
        ("délibéré", &["deliberation:2"]),
        ("eleves", &["deliberation:2"]),
        ("college", &["deliberation:2"]),
        ("subventions associations", &["deliberation:3"]),
        ("chambre des metiers", &["deliberation:1", "rapport:1"]),
        ("CHAMBRE DE MÉTIERS 2023", &["deliberation:1", "rapport:1"]),
        ("artisanat hauts-de-france", &["deliberation:1"]),
    ];
    for (text, expected) in cases {
        let r = search(&index, text);
        let mut found = keys(&r);
        found.sort_unstable();
        let mut wanted = expected.to_vec();
        wanted.sort_unstable();
        assert_eq!(found, wanted, "« {text} »");
    }
}

#[test]
fn the_deliberation_ranks_before_its_report() {
    let r = search(&corpus(), "chambre de métiers participation");
    assert_eq!(keys(&r)[0], "deliberation:1", "{r:?}");
}

#[test]
fn phrases_prefixes_and_identifiers() {
    let index = corpus();
    assert_eq!(
        keys(&search(&index, "\"école de football\"")),
        ["deliberation:3"]
    );
    assert!(search(&index, "\"football école\"").hits.is_empty());
    assert_eq!(keys(&search(&index, "subv*")), ["deliberation:3"]);
    // A whole word typed as a prefix still meets its stemmed forms.
    assert_eq!(
        keys(&search(&index, "métier*")),
        ["deliberation:1", "rapport:1"]
    );
    assert_eq!(
        keys(&search(&index, "Metiers*")),
        ["deliberation:1", "rapport:1"]
    );
    let by_number = search(&index, "2023-479");
    assert_eq!(by_number.matched_by, "identifiant");
    assert_eq!(keys(&by_number), ["deliberation:1"]);
    for siret in ["13002374000439", "130 023 740 00439", "130023740"] {
        let r = search(&index, siret);
        assert_eq!(keys(&r), ["deliberation:1"], "{siret}");
    }
}

#[test]
fn excerpts_highlight_the_matched_words() {
    let r = search(&corpus(), "demi-pensionnaires");
    assert!(
        r.hits[0]
            .excerpt_html
            .contains("<b>demi</b>-<b>pensionnaires</b>"),
        "{}",
        r.hits[0].excerpt_html
    );
}

#[test]
fn filters_and_facets() {
    let index = corpus();
    let all = search(&index, "");
    assert_eq!(all.total, 4, "the draft is not public");
    let year = |y: &str| {
        all.facets
            .years
            .iter()
            .find(|f| f.value == y)
            .map(|f| f.count)
    };
    assert_eq!(year("2023"), Some(3));
    assert_eq!(year("2024"), Some(1));
    assert!(
        all.facets
            .bodies
            .iter()
            .any(|f| f.value == "Conseil départemental" && f.count == 1)
    );
    let q = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = SearchQuery {
            limit: 10,
            ..Default::default()
        };
        f(&mut q);
        let mut k: Vec<String> = index
            .search(&q, Audience::Public)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.key)
            .collect();
        k.sort_unstable();
        k
    };
    assert_eq!(q(&|q| q.year = Some(2024)), ["deliberation:2"]);
    assert_eq!(q(&|q| q.matter = Some("8.1".into())), ["deliberation:2"]);
    assert_eq!(
        q(&|q| q.body = Some("Conseil départemental".into())),
        ["deliberation:2"]
    );
    assert_eq!(
        q(&|q| q.beneficiary = Some("Association sportive de Lens".into())),
        ["deliberation:3"]
    );
    assert_eq!(q(&|q| q.kind = Some(ActKind::Report)), ["rapport:1"]);
    assert_eq!(
        q(&|q| {
            q.min_amount_centimes = Some(1_000_000);
            q.max_amount_centimes = Some(20_000_000);
        }),
        ["deliberation:1", "deliberation:3"]
    );
}

#[test]
fn the_public_never_sees_a_draft() {
    let index = corpus();
    for text in ["culturelles", "projet", "subventions associations", ""] {
        for include_drafts in [false, true] {
            let r = index
                .search(
                    &SearchQuery {
                        text: text.to_string(),
                        include_drafts,
                        limit: 100,
                        ..Default::default()
                    },
                    Audience::Public,
                )
                .unwrap();
            assert!(
                !keys(&r).contains(&"deliberation:4"),
                "« {text} » ({include_drafts})"
            );
        }
    }
    let staff = index
        .search(
            &SearchQuery {
                text: "culturelles".into(),
                include_drafts: true,
                limit: 10,
                ..Default::default()
            },
            Audience::Staff,
        )
        .unwrap();
    assert_eq!(keys(&staff), ["deliberation:4"]);
}

#[test]
fn updates_replace_acts_and_keep_a_marker() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.marker(), None);
        let mut d = act("deliberation:9", "ANCIEN TITRE", "texte");
        index.update("seq-1", |u| u.put(&d)).unwrap();
        d.title = "NOUVEAU TITRE".into();
        index.update("seq-2", |u| u.put(&d)).unwrap();
        assert_eq!(index.len(), 1);
        assert!(search(&index, "ancien").hits.is_empty());
        assert_eq!(keys(&search(&index, "nouveau")), ["deliberation:9"]);
        let failed = index.update("seq-3", |u| {
            u.remove("deliberation:9");
            Err(acta_search::SearchError::Index("échec voulu".into()))
        });
        assert!(failed.is_err());
    }
    let reopened = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(reopened.marker().as_deref(), Some("seq-2"));
    assert_eq!(reopened.len(), 1, "a failed update keeps nothing");
}

proptest::proptest! {
    #[test]
    fn any_typed_text_is_searched_without_panic(text in "\\PC{0,60}") {
        let index = corpus();
        let _ = index.search(
            &SearchQuery { text, limit: 5, ..Default::default() },
            Audience::Public,
        );
    }
}
