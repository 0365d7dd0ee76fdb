//! Open data and the prefecture exchange on SQLite and PostgreSQL: the SCDL files of the
//! seed, the @ctes bundle and its acknowledgement, Akoma Ntoso checked by xmllint against
//! the official schema, Popolo, and the import of another collectivity's SCDL file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::{Acta, Actor, FixedClock};
use acta_docs::{DocumentsConfig, Renderer};
use acta_domain::Amount;
use acta_store::testing::TestDatabase;
use common::{award_key, signature, sitting_key};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const SIRET: &str = "22620001200012";

async fn demo(db: &TestDatabase) -> Acta {
    let acta = Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
    acta.load_demo(&Actor::new("demo")).await.unwrap();
    acta
}

fn actor() -> Actor {
    Actor::new("test")
}

async fn deliberations_csv(acta: &Acta) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    acta.export_scdl_deliberations(&mut out).await.unwrap();
    parse_csv(&out)
}

async fn subsidies_csv(acta: &Acta) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    acta.export_scdl_subsidies(&mut out).await.unwrap();
    parse_csv(&out)
}

fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(
        !text.starts_with('\u{feff}'),
        "pas de BOM dans un fichier SCDL"
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The row as (column, value) pairs, so that a failure names the column.
fn row(table: &[Vec<String>], index: usize) -> Vec<(&str, &str)> {
    table[0]
        .iter()
        .map(String::as_str)
        .zip(table[index].iter().map(String::as_str))
        .collect()
}

fn xmllint(args: &[&str], input: &[u8]) -> (bool, String) {
    let mut child = Command::new("xmllint")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("xmllint is needed by this test (apt-get install libxml2-utils): {e}")
        });
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn schema(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../interop/schemas")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[tokio::test]
async fn scdl_files_of_the_seed_carry_its_facts() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let mut out = Vec::new();
        let refused = acta.export_scdl_deliberations(&mut out).await.unwrap_err();
        assert!(
            refused.to_string().contains("SIRET de la collectivité"),
            "{refused}"
        );

        let wrong = acta
            .set_collectivity_siret(&actor(), "13002374000439")
            .await
            .unwrap_err();
        assert!(
            wrong.to_string().contains("SIREN"),
            "{}: {wrong}",
            db.name()
        );
        acta.set_collectivity_siret(&actor(), SIRET).await.unwrap();

        let table = deliberations_csv(&acta).await;
        assert_eq!(table.len(), 2, "{}", db.name());
        assert_eq!(
            row(&table, 1),
            vec![
                ("COLL_NOM", "Département du Pas-de-Calais"),
                ("COLL_SIRET", SIRET),
                ("DELIB_ID", "2023-479"),
                ("DELIB_DATE", "2023-11-20"),
                ("DELIB_MATIERE_CODE", "7.5"),
                ("DELIB_MATIERE_NOM", "finances locales/subventions"),
                (
                    "DELIB_OBJET",
                    "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023"
                ),
                ("BUDGET_ANNEE", "2023"),
                ("BUDGET_NOM", "Budget principal"),
                ("PREF_ID", ""),
                ("PREF_DATE", ""),
                ("VOTE_EFFECTIF", "44"),
                ("VOTE_REEL", "44"),
                ("VOTE_POUR", "44"),
                ("VOTE_CONTRE", "0"),
                ("VOTE_ABSTENTION", "0"),
                ("DELIB_URL", ""),
            ],
            "{}",
            db.name()
        );

        // A convention appears in the subsidies file once it is signed.
        assert_eq!(subsidies_csv(&acta).await.len(), 1, "{}", db.name());
        acta.sign_convention(&actor(), &award_key("2023-479"), &signature("2023-12-01"))
            .await
            .unwrap();
        let table = subsidies_csv(&acta).await;
        assert_eq!(table.len(), 2, "{}", db.name());
        assert_eq!(
            row(&table, 1),
            vec![
                ("nomAttribuant", "Département du Pas-de-Calais"),
                ("idAttribuant", SIRET),
                ("dateConvention", "2023-12-01"),
                ("referenceDecision", "2023-479"),
                (
                    "nomBeneficiaire",
                    "Chambre de Métiers et de l’Artisanat de région Hauts-de-France"
                ),
                ("idBeneficiaire", "13002374000439"),
                ("rnaBeneficiaire", ""),
                ("objet", "Convention d’objectifs et de partenariat 2023"),
                ("montant", "120000.00"),
                ("nature", "aide en numéraire"),
                ("conditionsVersement", "échelonné"),
                ("datesPeriodeVersement", "2023-12-01/2024-06-30"),
                ("idRAE", ""),
                ("notificationUE", "non"),
                ("pourcentageSubvention", "1.00"),
                ("dispositifAide", ""),
            ],
            "{}",
            db.name()
        );
    }
}

#[tokio::test]
async fn the_acknowledgement_makes_the_act_enforceable_and_fills_pref_id() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        acta.set_collectivity_siret(&actor(), SIRET).await.unwrap();

        let wrong_id = acta
            .record_acknowledgement(
                &actor(),
                "2023-479",
                "062-226200012-20231120-2023-479-DE",
                "2023-11-24",
            )
            .await
            .unwrap_err();
        assert!(
            wrong_id
                .to_string()
                .contains("062-226200012-20231120-2023_479-DE"),
            "{wrong_id}"
        );
        let too_early = acta
            .record_acknowledgement(
                &actor(),
                "2023-479",
                "062-226200012-20231120-2023_479-DE",
                "19/11/2023",
            )
            .await
            .unwrap_err();
        assert!(too_early.to_string().contains("précède"), "{too_early}");
        let journal_before = acta.journal_size().await.unwrap();

        // The acknowledgement as the prefecture sends it, in ISO-8859-1.
        let message = acta_interop::actes::latin1(
            r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<actes:ARActe xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216" actes:IDActe="062-226200012-20231120-2023_479-DE" actes:DateReception="2023-11-24">
 <actes:ActeRecu actes:Date="2023-11-20" actes:NumeroInterne="2023_479" actes:CodeNatureActe="1">
  <actes:Objet>CHAMBRE DE MÉTIERS</actes:Objet>
 </actes:ActeRecu>
</actes:ARActe>"#,
        );
        let ack = acta_interop::actes::parse_acknowledgement(&message).unwrap();
        let t = acta
            .record_acknowledgement(
                &actor(),
                "2023-479",
                &ack.act_id,
                &ack.received_on.to_string(),
            )
            .await
            .unwrap();
        assert_eq!(t.prefecture_id, "PREF062");
        assert_eq!(acta.journal_size().await.unwrap(), journal_before + 1);

        let table = deliberations_csv(&acta).await;
        let r = row(&table, 1);
        assert!(r.contains(&("PREF_ID", "PREF062")), "{}: {r:?}", db.name());
        assert!(
            r.contains(&("PREF_DATE", "2023-11-24")),
            "{}: {r:?}",
            db.name()
        );

        let again = acta
            .record_acknowledgement(&actor(), "2023-479", &ack.act_id, "2023-11-25")
            .await
            .unwrap_err();
        assert!(again.to_string().contains("déjà"), "{again}");
    }
}

#[tokio::test]
async fn the_actes_bundle_names_its_files_as_the_platforms_do() {
    let db = TestDatabase::sqlite().await.unwrap();
    let acta = demo(&db).await;
    let renderer = Renderer::new(DocumentsConfig::embedded().unwrap(), None).unwrap();
    let sent_on = jiff::civil::date(2023, 11, 22);
    let bundle = acta
        .actes_bundle(&renderer, "2023-479", sent_on)
        .await
        .unwrap();
    let id = "062-226200012-20231120-2023_479-DE";
    assert_eq!(bundle.act_id, id);
    assert_eq!(bundle.archive_name, format!("{id}-1-1.tar.gz"));
    let names: Vec<&str> = bundle.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            format!("{id}-1-1_0.xml"),
            format!("{id}-1-1_1.pdf"),
            // The President's report and the convention, as annexes.
            format!("{id}-1-1_2.pdf"),
            format!("{id}-1-1_3.pdf"),
            "EACT--226200012--20231122-1.xml".to_string(),
        ]
    );
    for (name, bytes) in &bundle.files {
        if name.ends_with(".pdf") {
            assert!(bytes.starts_with(b"%PDF-"), "{name}");
        }
    }

    // The archive holds the same files, byte for byte.
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(bundle.archive.as_slice()));
    let mut archived = Vec::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        archived.push((name, bytes));
    }
    assert_eq!(archived, bundle.files);

    // The message: ISO-8859-1, well-formed, with the standard's elements in order.
    let message = &bundle.files[0].1;
    assert!(std::str::from_utf8(message).is_err(), "ISO-8859-1 attendu");
    let (ok, errors) = xmllint(&["--noout", "-"], message);
    assert!(ok, "{errors}");
    let text: String = message.iter().map(|b| char::from(*b)).collect();
    let expected_in_order = [
        r#"<?xml version="1.0" encoding="ISO-8859-1"?>"#,
        r#"<actes:Acte xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216""#,
        r#"actes:Date="2023-11-20""#,
        r#"actes:NumeroInterne="2023_479""#,
        r#"actes:CodeNatureActe="1""#,
        r#"<actes:CodeMatiere1 actes:CodeMatiere="7"/>"#,
        r#"<actes:CodeMatiere2 actes:CodeMatiere="5"/>"#,
        "<actes:Objet>CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023</actes:Objet>",
        "<actes:ClassificationDateVersion>",
        "<actes:Document>",
        &format!("<actes:NomFichier>{id}-1-1_1.pdf</actes:NomFichier>"),
        r#"<actes:Annexes actes:Nombre="2">"#,
        &format!("<actes:NomFichier>{id}-1-1_2.pdf</actes:NomFichier>"),
        &format!("<actes:NomFichier>{id}-1-1_3.pdf</actes:NomFichier>"),
        "<actes:DocumentPapier>N</actes:DocumentPapier>",
        "</actes:Acte>",
    ];
    let mut from = 0;
    for piece in expected_in_order {
        let at = text[from..].find(piece).unwrap_or_else(|| {
            panic!("« {piece} » manque (ou n'est pas à sa place) dans :\n{text}")
        });
        from += at + piece.len();
    }

    let envelope = &bundle.files[4].1;
    let (ok, errors) = xmllint(&["--noout", "-"], envelope);
    assert!(ok, "{errors}");
    let envelope: String = envelope.iter().map(|b| char::from(*b)).collect();
    for piece in [
        "<actes:EnveloppeCLMISILL",
        r#"insee:SIREN="226200012""#,
        r#"actes:Departement="062""#,
        &format!("<actes:NomFichier>{id}-1-1_0.xml</actes:NomFichier>"),
    ] {
        assert!(
            envelope.contains(piece),
            "« {piece} » manque dans :\n{envelope}"
        );
    }
}

#[tokio::test]
async fn akoma_ntoso_of_the_seed_is_valid_against_the_official_schema() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let xml = acta.akoma_ntoso("2023-479").await.unwrap();
        let (ok, errors) = xmllint(
            &["--noout", "--schema", &schema("akomantoso30.xsd"), "-"],
            xml.as_bytes(),
        );
        assert!(ok, "{}: {errors}\n{xml}", db.name());
        for piece in [
            "<statement name=\"deliberation\"",
            "<docNumber>2023-479</docNumber>",
            "<docDate date=\"2023-11-20\">",
            "<citation",
            "Code Général des Collectivités Territoriales",
            "<formula name=\"enactingFormula\">",
            "DÉCIDE",
            "<article",
            "<conclusions>",
            "<signature>",
            "<voting eId=\"vote_1\" outcome=\"#adopte\">",
            "<quorum value=\"42\" refersTo=\"#presents\"/>",
            "<count value=\"44\" refersTo=\"#pour\"/>",
        ] {
            assert!(
                xml.contains(piece),
                "{}: « {piece} » manque :\n{xml}",
                db.name()
            );
        }
        let unknown = acta.akoma_ntoso("2099-1").await.unwrap_err();
        assert!(unknown.to_string().contains("2099-1"), "{unknown}");
    }
}

#[tokio::test]
async fn popolo_counts_the_seed_vote() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let export = acta.popolo(&sitting_key("2023-11-20")).await.unwrap();
        let json = serde_json::to_value(&export).unwrap();
        let events = json["vote_events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{}", db.name());
        let event = &events[0];
        assert_eq!(event["identifier"], "2023-479");
        assert_eq!(event["result"], "pass");
        let count = |option: &str| {
            event["counts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["option"] == option)
                .map(|c| c["value"].as_u64().unwrap())
        };
        assert_eq!(count("yes"), Some(44), "{}: {event}", db.name());
        assert_eq!(count("no"), Some(0));
        assert_eq!(count("abstain"), Some(0));
        // The seed gives totals per group, not member by member.
        assert!(event["votes"].as_array().unwrap().is_empty());
        assert!(!event["group_results"].as_array().unwrap().is_empty());
        assert!(json["persons"].as_array().unwrap().len() >= 40);
    }
}

#[tokio::test]
async fn importing_another_collectivitys_subsidies_keeps_every_grant_and_says_what_was_left_out() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let file = "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;notificationUE;pourcentageSubvention\r\n\
            Commune de Test;22620001200012;20/03/2024;D2024-12;Association \"Les Amis\";13002374000439;;\"Fête\nde la musique\";120 000,50;aide en numéraire;unique;2024-04-01;;non;1\r\n\
            Commune de Test;22620001200012;2024-13-01;D2024-13;Club;13002374000439;;Sport;1000;aide en numéraire;unique;2024-04-01;;non;1\r\n\
            Commune de Test;22620001200012;2024/04/02;D2024-14;Club;12345678901234;;Sport;1000;aide en numéraire;unique;2024-04-01;;non;1\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(file);
        let report = acta
            .import_scdl_subsidies(&actor(), "test.csv", &bytes)
            .await
            .unwrap();
        assert_eq!(report.delimiter, ';');
        assert_eq!(report.format, "SCDL 2.x");
        assert_eq!(
            (report.rows, report.imported, report.refused),
            (3, 2, 1),
            "{}: {report:?}",
            db.name()
        );
        assert_eq!(report.imported_with_warnings, 2, "{report:?}");
        assert_eq!(
            report.amount,
            Amount::parse_fr("montant", "121 000,50").unwrap()
        );
        // No date: the grant cannot be told from another; it is refused with its line.
        assert_eq!(report.errors[0].line, 4, "{report:?}");
        assert!(
            report.errors[0].reason.contains("dateConvention"),
            "{report:?}"
        );
        // A decimal comma, then a SIRET whose check digit is wrong: the grant is kept.
        let said: Vec<(u64, &str)> = report.warnings.iter().map(|w| (w.line, w.column)).collect();
        assert_eq!(said, [(2, "montant"), (5, "idBeneficiaire")], "{report:?}");
        assert!(
            report.warnings[1].message.contains("clé de contrôle"),
            "{report:?}"
        );
        let again = acta
            .import_scdl_subsidies(&actor(), "test.csv", &bytes)
            .await
            .unwrap_err();
        assert!(again.to_string().contains("déjà été importé"), "{again}");
    }
}

#[tokio::test]
async fn a_real_file_with_spreadsheet_damaged_sirets_is_stored_with_what_could_be_read() {
    let poitiers = include_bytes!("../../interop/tests/data/scdl/poitiers-2017.csv");
    let haute_garonne = include_bytes!("../../interop/tests/data/scdl/haute-garonne-2017.csv");
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let report = acta
            .import_scdl_subsidies(&actor(), "poitiers-2017.csv", poitiers)
            .await
            .unwrap();
        assert_eq!(
            (
                report.imported,
                report.imported_with_warnings,
                report.refused
            ),
            (8, 8, 0),
            "{}",
            db.name()
        );
        assert_eq!(report.missing_columns.len(), 7);
        let report = acta
            .import_scdl_subsidies(&actor(), "haute-garonne-2017.csv", haute_garonne)
            .await
            .unwrap();
        assert_eq!(
            (report.rows, report.imported, report.refused),
            (12, 11, 1),
            "{}",
            db.name()
        );
        let mut tx = db.store.read().await.unwrap();
        assert_eq!(tx.external_subsidies_count().await.unwrap(), 19);
    }
}

#[tokio::test]
async fn the_matter_is_corrected_until_the_prefecture_has_the_act() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        acta.set_collectivity_siret(&actor(), SIRET).await.unwrap();
        let matter = |rows: &[Vec<String>]| {
            let column = rows[0]
                .iter()
                .position(|h| h == "DELIB_MATIERE_CODE")
                .unwrap();
            rows[1][column].clone()
        };
        assert_eq!(matter(&deliberations_csv(&acta).await), "7.5");

        acta.set_deliberation_matter(&actor(), "2023-479", " 7.4 ")
            .await
            .unwrap();
        assert_eq!(
            matter(&deliberations_csv(&acta).await),
            "7.4",
            "{}",
            db.name()
        );

        let unknown = acta
            .set_deliberation_matter(&actor(), "2023-479", "12.3")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("« 12.3 » n'est pas une matière"),
            "{unknown}"
        );
        let missing = acta
            .set_deliberation_matter(&actor(), "2023-999", "7.5")
            .await
            .unwrap_err()
            .to_string();
        assert!(missing.contains("« 2023-999 »"), "{missing}");

        acta.record_acknowledgement(
            &actor(),
            "2023-479",
            "062-226200012-20231120-2023_479-DE",
            "2023-11-24",
        )
        .await
        .unwrap();
        let after = acta
            .set_deliberation_matter(&actor(), "2023-479", "7.5")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            after.contains("transmise au contrôle de légalité"),
            "{after}"
        );
        assert_eq!(matter(&deliberations_csv(&acta).await), "7.4", "unchanged");
    }
}
