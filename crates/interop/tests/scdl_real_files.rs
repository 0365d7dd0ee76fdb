//! Real subsidies files as collectivities published them (see data/scdl/README.md): SCDL 2.1
//! and 1.x, the names used before the SCDL, empty and missing optional cells, SIRETs a
//! spreadsheet stored as numbers. Every row that says who gives, who receives, how much and
//! when is imported; what was left out of it is said cell by cell.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_domain::Amount;
use acta_interop::scdl_import::{ImportOutcome, read};

fn file(name: &str) -> ImportOutcome {
    let path = format!("{}/tests/data/scdl/{name}", env!("CARGO_MANIFEST_DIR"));
    read(&std::fs::read(path).unwrap()).unwrap()
}

fn total(out: &ImportOutcome) -> Amount {
    out.subsidies.iter().map(|s| s.subsidy.amount).sum()
}

/// The lines warned about for `column`, and every message checked to say `says`.
fn warned(out: &ImportOutcome, column: &str, says: &str) -> Vec<u64> {
    let warnings = out.warnings.iter().filter(|w| w.column == column);
    warnings
        .map(|w| {
            assert!(w.message.contains(says), "line {}: {}", w.line, w.message);
            w.line
        })
        .collect()
}

fn euros(text: &str) -> Amount {
    Amount::parse_fr("montant", text).unwrap()
}

#[test]
fn antibes_scdl_2_1_is_read_whole_and_its_impossible_periods_are_named() {
    let out = file("antibes-scdl-2.1.csv");
    assert_eq!(out.format, "SCDL 2.x");
    assert!(out.missing_columns.is_empty());
    assert_eq!(
        (out.rows, out.subsidies.len(), out.errors.len()),
        (29, 29, 0)
    );
    assert_eq!(total(&out), euros("2 821 393,50"));
    // The second row names its association by RNA alone.
    let rally = &out.subsidies[1].subsidy;
    assert_eq!(rally.beneficiary_siret, None);
    assert_eq!(
        rally.beneficiary_rna.as_ref().unwrap().as_str(),
        "W322216459"
    );
    // Three periods end before they start; one has a 30th month.
    assert_eq!(
        warned(&out, "datesPeriodeVersement", "la valeur n'est pas reprise"),
        [24, 25, 27, 29]
    );
    assert_eq!(out.warnings.len(), 4, "{:?}", out.warnings);
    assert!(out.warnings[2].message.contains("2017-30-05"));
    assert_eq!(out.subsidies[25].subsidy.payment_period, None);
    assert_eq!(
        out.subsidies[0].subsidy.payment_period.as_deref(),
        Some("2017-03-30/2017-05-24")
    );
}

#[test]
fn antibes_scdl_1_lacks_the_columns_2_1_added_and_is_read_whole() {
    let out = file("antibes-scdl-1.csv");
    assert_eq!(out.format, "SCDL 1.x (format réglementaire de 2017)");
    assert_eq!(out.missing_columns, ["rnaBeneficiaire", "dispositifAide"]);
    assert_eq!(
        (out.rows, out.subsidies.len(), out.errors.len()),
        (29, 29, 0)
    );
    assert_eq!(total(&out), euros("2 821 393,50"));
    assert_eq!(
        warned(&out, "datesPeriodeVersement", "la valeur n'est pas reprise"),
        [24, 25, 27, 29]
    );
    assert_eq!(out.warnings.len(), 4);
}

#[test]
fn haute_garonne_rows_with_empty_cells_are_kept_and_the_row_naming_no_one_refused() {
    let out = file("haute-garonne-2017.csv");
    assert_eq!(out.format, "SCDL 1.x (format réglementaire de 2017)");
    assert_eq!(out.delimiter, ';');
    assert_eq!((out.rows, out.subsidies.len()), (12, 11));
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].line, 9);
    assert!(
        out.errors[0]
            .reason
            .contains("le bénéficiaire n'est pas identifié")
    );
    assert_eq!(total(&out), euros("41 613,85"));
    let empty = "cellule vide, alors que le SCDL l'exige";
    assert_eq!(warned(&out, "conditionsVersement", empty), [8, 12]);
    assert_eq!(
        warned(&out, "datesPeriodeVersement", empty),
        [6, 7, 10, 12, 13]
    );
    assert_eq!(out.warnings.len(), 7, "{:?}", out.warnings);
    let roques = &out.subsidies[0].subsidy;
    assert_eq!(roques.nature.as_deref(), Some("aide en numéraire"));
    assert_eq!(
        roques.payment_period.as_deref(),
        Some("2017-01-01/2017-12-31")
    );
    assert_eq!(roques.share_basis_points, Some(10_000));
    let epe = &out.subsidies[4].subsidy;
    assert!(
        epe.object.starts_with("\" L’EPE de la Haute-Garonne"),
        "{}",
        epe.object
    );
    assert_eq!(
        (epe.payment_terms.as_deref(), epe.payment_period.as_deref()),
        (Some("Unique"), None)
    );
}

#[test]
fn somme_decimal_commas_and_overlong_terms_are_reported_as_such() {
    let out = file("somme-2018-03-02.csv");
    assert_eq!(out.format, "SCDL 1.x (format réglementaire de 2017)");
    assert_eq!(
        out.missing_columns,
        [
            "rnaBeneficiaire",
            "idRAE",
            "notificationUE",
            "dispositifAide"
        ]
    );
    assert_eq!((out.rows, out.subsidies.len(), out.errors.len()), (4, 4, 0));
    assert_eq!(total(&out), euros("342 406,00"));
    assert_eq!(
        warned(&out, "montant", "virgule décimale (réglage d'un tableur)"),
        [2, 3, 4, 5]
    );
    assert_eq!(
        warned(&out, "conditionsVersement", "le texte est gardé en entier"),
        [2, 3, 4, 5]
    );
    assert_eq!(
        out.subsidies[0]
            .subsidy
            .payment_terms
            .as_ref()
            .map(|t| t.chars().count()),
        Some(548)
    );
    assert_eq!(out.warnings.len(), 8);
    let la_poste = &out.subsidies[1].subsidy;
    assert_eq!(
        la_poste.beneficiary_siret.as_ref().unwrap().as_str(),
        "35600000000048"
    );
    assert_eq!(la_poste.amount, euros("67 650"));
    assert_eq!(la_poste.convention_date.to_string(), "2017-09-14");
    assert_eq!(
        la_poste.payment_period.as_deref(),
        Some("2017-09-14/2019-09-13")
    );
}

#[test]
fn poitiers_older_columns_are_read_and_every_rounded_siret_is_named() {
    let out = file("poitiers-2017.csv");
    assert!(out.format.starts_with("format antérieur"), "{}", out.format);
    assert_eq!(
        out.missing_columns,
        [
            "rnaBeneficiaire",
            "nature",
            "conditionsVersement",
            "datesPeriodeVersement",
            "idRAE",
            "pourcentageSubvention",
            "dispositifAide"
        ]
    );
    assert_eq!((out.rows, out.subsidies.len(), out.errors.len()), (8, 8, 0));
    assert_eq!(total(&out), euros("221 350"));
    let rounded =
        "enregistré comme un nombre par un tableur, qui en a arrondi les derniers chiffres";
    let lines = [2, 3, 4, 5, 6, 7, 10, 11];
    assert_eq!(warned(&out, "idAttribuant", rounded), lines);
    assert_eq!(warned(&out, "idBeneficiaire", rounded), lines);
    assert_eq!(out.warnings.len(), 16);
    let bulle = &out.subsidies[5].subsidy;
    assert_eq!(bulle.grantor_name, "Ville de Poitiers");
    assert_eq!(
        (bulle.grantor_siret.clone(), bulle.beneficiary_siret.clone()),
        (None, None)
    );
    assert_eq!(bulle.beneficiary_name, "LA BULLE");
    assert_eq!(bulle.decision_reference.as_deref(), Some("2017-0044"));
    assert_eq!(bulle.eu_notified, Some(false));
    assert_eq!(bulle.object.lines().count(), 3);
    assert_eq!(
        out.subsidies[6].subsidy.beneficiary_name,
        "COMITE DE QUARTIER \"VIVRE AU BREUIL MINGOT\""
    );
}
