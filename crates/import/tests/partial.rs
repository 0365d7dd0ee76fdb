//! Never dropping what was read: a part with the marks of a deliberation but no number or no
//! decision is kept as a partial record, what it lacks named in a warning; a part that is
//! clearly another document (an annexed convention, a report) is set aside, and the import
//! says so with its lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_import::parse_text;

/// A deliberation as a commune's web page shows it: no number, no vote line.
const WEB_PAGE: &str = "Conseil municipal du 29 juin 2017

SUBVENTION AU COMITÉ DES FÊTES

Vu le Code général des collectivités territoriales,
Vu la demande du comité des fêtes du 3 mai 2017,

Article 1 : Une subvention de 800 € est attribuée au comité des fêtes pour l'année 2017.
Article 2 : La dépense est imputée au compte 6574 du budget communal.
";

/// An annexed convention, alone in its file.
const CONVENTION: &str = "CONVENTION DE PARTENARIAT ENTRE LE DÉPARTEMENT ET L'ASSOCIATION

Vu la délibération de la Commission permanente du 20 novembre 2023,

Article 1 : Objet
La présente convention a pour objet de définir les engagements des parties.
Article 2 : Durée
La convention est conclue pour une durée d'un an.
";

#[test]
fn a_deliberation_without_number_or_vote_is_kept_with_what_it_lacks_named() {
    let file = parse_text(WEB_PAGE);
    assert_eq!(file.deliberations.len(), 1, "{file:#?}");
    let d = &file.deliberations[0];
    assert_eq!(d.number, None);
    assert_eq!(
        d.title.as_ref().map(|t| t.value.as_str()),
        Some("SUBVENTION AU COMITÉ DES FÊTES")
    );
    assert_eq!(d.visas.len(), 2);
    assert_eq!(d.articles.len(), 2);
    assert_eq!(
        d.sitting_date.as_ref().unwrap().value.to_string(),
        "2017-06-29"
    );
    assert!(
        d.warnings.iter().any(|w| w
            == "Délibération incomplète : numéro absent(s) du texte ; ce qui a été lu est gardé."),
        "{:?}",
        d.warnings
    );
    assert!(file.set_aside.is_empty());
    assert!(
        !file
            .warnings
            .iter()
            .any(|w| w.contains("Aucune délibération"))
    );
}

#[test]
fn an_annexed_convention_is_set_aside_and_said() {
    let file = parse_text(CONVENTION);
    assert!(file.deliberations.is_empty(), "{file:#?}");
    assert_eq!(file.set_aside.len(), 1);
    assert_eq!(file.set_aside[0].first_line, 1);
    assert!(file.set_aside[0].reason.contains("convention"));
    assert_eq!(
        file.warnings[0],
        format!(
            "Lignes 1 à {} mises de côté : une convention (annexe d'une délibération).",
            file.set_aside[0].last_line
        )
    );
    assert_eq!(
        file.warnings[1],
        "Aucune délibération reconnue dans ce fichier."
    );
}

#[test]
fn a_sitting_heading_alone_is_no_record() {
    let file = parse_text(
        "Conseil municipal du 29 juin 2017\n\nPrésents : M. Jean DUPONT, Mme Anne MARTIN\n",
    );
    assert!(file.deliberations.is_empty(), "{file:#?}");
    assert!(file.set_aside.is_empty());
}
