//! The seed text (shared/seed/) imports to exactly the seed's facts: the full record is held
//! in `seed/pas-de-calais-2023-479.expected.json`, and its facts are checked against the
//! seed dataset the demo loads (`crates/app/data/seed-pas-de-calais-2023-479.toml`).

use acta_import::lex::{fold, trim_end_punctuation};
use acta_import::{Outcome, Position, parse_bytes};

const SEED: &[u8] = include_bytes!("seed/pas-de-calais-2023-479.txt");
const EXPECTED: &str = include_str!("seed/pas-de-calais-2023-479.expected.json");
const DATASET: &str = include_str!("../../app/data/seed-pas-de-calais-2023-479.toml");

#[test]
fn the_seed_imports_to_the_exact_expected_record() {
    let file = parse_bytes(SEED);
    let found = serde_json::to_value(&file).expect("the record serialises");
    let expected: serde_json::Value =
        serde_json::from_str(EXPECTED).expect("the expected record is JSON");
    if found != expected {
        let pretty = serde_json::to_string_pretty(&found).unwrap_or_default();
        panic!("the seed's record differs from the expected one; found:\n{pretty}");
    }
}

fn strings(value: &toml::Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn same(a: &str, b: &str) -> bool {
    fold(trim_end_punctuation(a)) == fold(trim_end_punctuation(b))
}

#[test]
fn the_seed_record_holds_the_facts_of_the_seed_dataset() {
    let dataset: toml::Value = toml::from_str(DATASET).expect("the seed dataset is TOML");
    let file = parse_bytes(SEED);
    assert_eq!(
        file.deliberations.len(),
        1,
        "one deliberation: the convention and the report are its annexes"
    );
    let d = &file.deliberations[0];

    let sitting = &dataset["sittings"][0];
    let attendance = &sitting["attendance"];
    let names = |list: &[acta_import::Extracted<acta_import::Person>]| {
        list.iter()
            .map(|p| p.value.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&d.present), strings(&attendance["present"]));
    assert_eq!(names(&d.excused), strings(&attendance["excused"]));
    assert_eq!(
        names(&d.present_without_vote),
        strings(&attendance["present_without_vote"])
    );
    assert_eq!(
        names(&d.excused_without_vote),
        strings(&attendance["excused_without_vote"])
    );
    assert!(d.absent.is_empty() && d.represented.is_empty() && d.partial.is_empty());
    assert_eq!(
        d.president.as_ref().map(|p| p.value.name.as_str()),
        sitting["president"].as_str()
    );
    assert_eq!(
        d.secretary.as_ref().map(|p| p.value.name.as_str()),
        sitting["secretary"].as_str()
    );
    assert_eq!(
        d.sitting_date.as_ref().map(|x| x.value.to_string()),
        sitting["date"].as_str().map(str::to_string)
    );
    assert!(
        d.sitting_time.is_none(),
        "the seed does not state the sitting's time"
    );
    assert_eq!(
        d.collectivity.as_ref().map(|c| c.value.as_str()),
        dataset["collectivity"]["name"].as_str()
    );
    assert_eq!(
        d.body.as_ref().map(|b| b.value.as_str()),
        dataset["bodies"][1]["name"].as_str()
    );

    let deliberation = &dataset["deliberations"][0];
    assert_eq!(
        d.number.as_ref().map(|n| n.value.as_str()),
        deliberation["number"].as_str()
    );
    assert_eq!(
        d.title.as_ref().map(|t| t.value.as_str()),
        deliberation["title"].as_str()
    );
    let report = &dataset["reports"][0];
    assert_eq!(
        d.report_number.as_ref().map(|n| n.value.clone()),
        report["number"].as_integer().map(|n| n.to_string())
    );
    let visas: Vec<&str> = deliberation["visas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["text"].as_str())
        .collect();
    assert_eq!(d.visas.len(), visas.len());
    for (found, expected) in d.visas.iter().zip(&visas) {
        assert!(same(&found.value, expected), "{} ≠ {expected}", found.value);
    }
    let articles = deliberation["articles"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(d.articles.len(), articles.len());
    for (found, expected) in d.articles.iter().zip(&articles) {
        assert_eq!(
            Some(found.value.number.as_str()),
            expected["number"]
                .as_integer()
                .map(|n| n.to_string())
                .as_deref()
        );
        let paragraph = expected["body"][0]["paragraph"]
            .as_str()
            .unwrap_or_default();
        assert!(
            same(&found.value.text, paragraph),
            "{} ≠ {paragraph}",
            found.value.text
        );
    }

    let vote = &d.vote.as_ref().expect("the vote").value;
    let expected_vote = &deliberation["vote"];
    let count = |p: Position| {
        vote.stances
            .iter()
            .find(|s| s.position == p)
            .and_then(|s| s.count)
            .map(i64::from)
    };
    assert_eq!(count(Position::For), expected_vote["for"].as_integer());
    assert_eq!(
        count(Position::Against),
        expected_vote["against"].as_integer()
    );
    assert_eq!(
        count(Position::Abstention),
        expected_vote["abstention"].as_integer()
    );
    assert_eq!(
        vote.stances[0].groups,
        strings(&expected_vote["groups_for"])
    );
    assert_eq!(vote.outcome, Some(Outcome::Adopted));
    assert!(!vote.unanimous);

    let signatories: Vec<(String, String)> = d
        .signatories
        .iter()
        .map(|s| (s.value.role.clone(), s.value.name.clone()))
        .collect();
    let expected_signatories = deliberation["signatories"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(signatories.len(), expected_signatories.len());
    for ((role, name), expected) in signatories.iter().zip(&expected_signatories) {
        assert_eq!(Some(name.as_str()), expected["name"].as_str());
        let capacity = expected["capacity"].as_str().unwrap_or_default();
        assert!(
            same(role.rsplit(", ").next().unwrap_or(role), capacity),
            "{role} ≠ {capacity}"
        );
    }
    assert!(same(
        &d.place.as_ref().expect("place").value,
        deliberation["place"].as_str().unwrap_or_default()
    ));
    assert_eq!(
        d.signed_on.as_ref().map(|x| x.value.to_string()),
        deliberation["date"].as_str().map(str::to_string)
    );

    let line = &dataset["budget_lines"][0];
    let imputation = &d.imputations[0].value;
    assert_eq!(d.imputations.len(), 1);
    assert_eq!(
        imputation.operation.as_deref(),
        line["operation_code"].as_str()
    );
    assert_eq!(imputation.label.as_deref(), line["label"].as_str());
    assert_eq!(
        format!(
            "{}//{}{}",
            imputation.nature.as_deref().unwrap_or(""),
            imputation.chapter.as_deref().unwrap_or(""),
            imputation
                .function
                .as_deref()
                .unwrap_or("")
                .get(1..)
                .unwrap_or("")
        ),
        line["imputation"].as_str().unwrap_or_default()
    );
    let award = &dataset["awards"][0];
    assert_eq!(d.beneficiaries.len(), 1);
    let amount = d.beneficiaries[0].value.amount.amount.format_fr();
    assert!(
        amount.starts_with(
            award["amount"]
                .as_str()
                .unwrap_or("?")
                .replace(' ', "\u{202f}")
                .as_str()
        ),
        "{amount}"
    );
    assert_eq!(
        d.imputations[0].value.amount.as_ref().map(|m| m.amount),
        Some(d.beneficiaries[0].value.amount.amount)
    );
    assert!(d.warnings.is_empty());
    // The annexed convention is set aside, and said: nothing else is.
    assert_eq!(
        file.warnings,
        ["Lignes 128 à 424 mises de côté : une convention (annexe d'une délibération)."]
    );
}
