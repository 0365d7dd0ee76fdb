//! The importer on real published deliberations (`tests/real/`, sources in its README):
//! no text in which a careful reader sees a deliberation yields zero records, and the
//! field scores are printed (`--nocapture`) for BENCHMARKS.md.

use acta_import::evaluate::{LabelValue, Score, expected_facts, facts, score};
use std::collections::BTreeMap;
use std::path::Path;

type Label = BTreeMap<String, Vec<BTreeMap<String, LabelValue>>>;

#[test]
fn every_real_deliberation_yields_a_record_and_the_scores_are_printed() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real");
    let mut texts: Vec<_> = std::fs::read_dir(&folder)
        .expect("the real folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    assert!(texts.len() >= 3);
    let mut fields: BTreeMap<String, Score> = BTreeMap::new();
    let mut total = Score::default();
    for path in &texts {
        let bytes = std::fs::read(path).expect("a real text");
        let label_path = path.with_extension("toml");
        let label: Label =
            toml::from_str(&std::fs::read_to_string(&label_path).expect("its label"))
                .unwrap_or_else(|e| panic!("{}: {e}", label_path.display()));
        let file = acta_import::parse_bytes(&bytes);
        let labelled = label.get("deliberation").map_or(0, Vec::len);
        assert!(
            labelled == 0 || !file.deliberations.is_empty(),
            "{}: no record, although {labelled} deliberation(s) are labelled",
            path.display()
        );
        let found = facts(&file.deliberations);
        let expected = expected_facts(&label);
        let mut file_score = Score::default();
        for (field, s) in score(&found, &expected) {
            fields.entry(field).or_default().add(s);
            file_score.add(s);
        }
        total.add(file_score);
        println!(
            "{:<45} {} enregistrement(s)  précision {:.3}  rappel {:.3}",
            path.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            file.deliberations.len(),
            file_score.precision(),
            file_score.recall()
        );
    }
    for (field, s) in &fields {
        println!(
            "{field:<24} {:>7} {:>7} {:>7} {:>9.3} {:>7.3}",
            s.expected,
            s.found,
            s.correct,
            s.precision(),
            s.recall()
        );
    }
    println!(
        "{:<24} {:>7} {:>7} {:>7} {:>9.3} {:>7.3}  ({} documents)",
        "TOTAL",
        total.expected,
        total.found,
        total.correct,
        total.precision(),
        total.recall(),
        texts.len()
    );
}
