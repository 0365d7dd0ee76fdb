//! Field-level precision and recall on the labelled set (`tests/labelled/`): documents
//! written for the tests, each with its expected facts in a TOML file of the same name.
//! Run with `--nocapture` to see the table per field; set `ACTA_IMPORT_SHOW=1` to see each
//! file's missed and wrong facts.

use acta_import::evaluate::{LabelValue, Score, expected_facts, facts, score};
use std::collections::BTreeMap;
use std::path::Path;

type Label = BTreeMap<String, Vec<BTreeMap<String, LabelValue>>>;

#[test]
fn the_labelled_set_is_read_with_high_precision_and_recall() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled");
    let mut texts: Vec<_> = std::fs::read_dir(&folder)
        .expect("the labelled folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    let show = std::env::var_os("ACTA_IMPORT_SHOW").is_some();
    let mut fields: BTreeMap<String, Score> = BTreeMap::new();
    let mut total = Score::default();
    for path in &texts {
        let bytes = std::fs::read(path).expect("a labelled text");
        let label_path = path.with_extension("toml");
        let label: Label =
            toml::from_str(&std::fs::read_to_string(&label_path).expect("its label"))
                .unwrap_or_else(|e| panic!("{}: {e}", label_path.display()));
        let found = facts(&acta_import::parse_bytes(&bytes).deliberations);
        let expected = expected_facts(&label);
        let mut file_score = Score::default();
        for (field, s) in score(&found, &expected) {
            fields.entry(field).or_default().add(s);
            file_score.add(s);
        }
        total.add(file_score);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        println!(
            "{name:<45} précision {:.3}  rappel {:.3}",
            file_score.precision(),
            file_score.recall()
        );
        if show {
            for fact in expected.difference(&found) {
                println!("    manqué : {fact:?}");
            }
            for fact in found.difference(&expected) {
                println!("    en trop : {fact:?}");
            }
        }
    }
    println!(
        "\n{:<24} {:>7} {:>7} {:>7} {:>9} {:>7}",
        "champ", "attendu", "trouvé", "juste", "précision", "rappel"
    );
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
    assert!(
        texts.len() >= 25,
        "at least 25 labelled documents, found {}",
        texts.len()
    );
    assert!(
        total.precision() >= 0.95,
        "precision {:.3} < 0.95",
        total.precision()
    );
    assert!(
        total.recall() >= 0.90,
        "recall {:.3} < 0.90",
        total.recall()
    );
}
