//! The importer never panics: on any bytes, on any text, and on the seed and the labelled
//! documents cut, spliced and mangled at random. (`fuzz/` runs the coverage-guided fuzzer on
//! the same entry point in CI.)

use proptest::prelude::*;

const SEED: &str = include_str!("seed/pas-de-calais-2023-479.txt");

fn read_all(bytes: &[u8]) {
    let file = acta_import::parse_bytes(bytes);
    let _ = acta_import::evaluate::facts(&file.deliberations);
}

/// Inputs the fuzzer once crashed the parser with (`fuzz/artifacts`), kept as tests.
#[test]
fn inputs_that_crashed_the_fuzzer() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut read = 0;
    for entry in std::fs::read_dir(folder).expect("the regressions folder") {
        let bytes = std::fs::read(entry.expect("an entry").path()).expect("a regression input");
        read_all(&bytes);
        read += 1;
    }
    assert!(read > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        read_all(&bytes);
    }

    #[test]
    fn any_text(text in "\\PC{0,2000}") {
        read_all(text.as_bytes());
    }

    #[test]
    fn text_made_of_the_words_deliberations_use(
        words in proptest::collection::vec(
            prop_oneof![
                Just("Vu"), Just("Article"), Just("1er"), Just(":"), Just("\n"), Just("Pour"), Just("Contre"),
                Just("(N°"), Just("2023-479)"), Just("pouvoir à"), Just("M."), Just("Mme"), Just("DUPONT"),
                Just("à partir du rapport n°"), Just("jusqu'à 11 h 50"), Just("€"), Just("120 000,00"),
                Just("6568//9361"), Just("C01-620A06"), Just("Le Maire,"), Just("ARRAS, le 20 novembre 2023"),
                Just("Étaient présents :"), Just("Excusé(s) :"), Just("DECIDE"), Just("(Adopté)"), Just("Ã©"),
                Just("\u{c}"), Just("          "), Just("Objet :"), Just("Considérant"), Just("l'an deux mille"),
                Just("Bénéficiaire"), Just("chapitre 65"), Just("-"), Just("("), Just(")"), Just(";"), Just(","),
            ],
            0..400,
        )
    ) {
        read_all(words.join(" ").as_bytes());
    }

    #[test]
    fn the_seed_cut_and_spliced(cuts in proptest::collection::vec((0usize..SEED.len(), 0usize..SEED.len()), 1..8)) {
        let bytes = SEED.as_bytes();
        let mut mangled = Vec::new();
        for (a, b) in cuts {
            let (start, end) = (a.min(b), a.max(b));
            mangled.extend_from_slice(&bytes[start..end.min(start + 3000)]);
        }
        read_all(&mangled);
    }
}
