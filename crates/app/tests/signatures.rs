//! Electronic signatures on SQLite and PostgreSQL, with certificates issued by a test
//! authority made at each run: the seed's deliberation N°2023-479 signed by its President,
//! the minutes by the president and the secretary of the sitting, the convention by the
//! Département then countersigned by the beneficiary with her own tool. Checked with
//! poppler's pdfsig and pdftotext and with qpdf, as a reader of the files would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::input::PrepareInput;
use acta_app::signatures::SignTarget;
use acta_app::{Acta, Actor, AppError, FixedClock};
use acta_sign::testing::PASSWORD;
use acta_store::testing::TestDatabase;
use common::signing::{Signers, renderer, run, signer, words};
use common::{award_key, sitting_key};
use std::path::Path;

const TODAY: &str = "2026-12-04T09:00:00Z";

fn actor() -> Actor {
    Actor::new("test")
}

async fn demo(db: &TestDatabase, now: &str) -> Acta {
    let acta = Acta::with_store(db.store.clone()).with_clock(FixedClock(now.parse().unwrap()));
    acta.load_demo(&actor()).await.unwrap();
    acta
}

#[tokio::test]
async fn the_seed_deliberation_is_signed_by_its_president_and_frozen() {
    let signers = Signers::new(&["Jean-Claude LEROY", "Maryse DELASSUS"]);
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db, TODAY).await;
        acta.add_signer(&actor(), &signers.input("Jean-Claude LEROY", "president"))
            .await
            .unwrap();
        assert_eq!(
            acta.set_trusted_authorities(&actor(), &signers.authority_pem)
                .await
                .unwrap(),
            1
        );
        let target = SignTarget::parse("deliberation", "2023-479").unwrap();
        let prepared = acta
            .prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
            .await
            .unwrap();
        assert_eq!((prepared.etat.as_str(), prepared.version), ("a-signer", 1));
        assert_eq!(prepared.signataires[0].nom, "Jean-Claude LEROY");

        // Another member may not sign it, and nobody signs twice.
        let err = acta
            .sign_document(&actor(), &target, &signer("Maryse DELASSUS"))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("ne signe pas ce document"),
            "{err}"
        );

        let signed = acta
            .sign_document(&actor(), &target, &signer("Jean-Claude LEROY"))
            .await
            .unwrap();
        assert_eq!(signed.etat, "signe", "{}", db.name());
        assert!(
            signed.signataires[0]
                .certificat
                .as_deref()
                .unwrap()
                .contains("CN=Jean-Claude LEROY")
        );
        let (_, pdf) = acta.signature_pdf(&target).await.unwrap();

        let (_, report) = run("pdfsig", &[], &pdf);
        assert!(
            report.contains("Signer Certificate Common Name: Jean-Claude LEROY"),
            "{report}"
        );
        assert!(
            report.contains("Signature Validation: Signature is Valid."),
            "{report}"
        );
        assert!(report.contains("Total document signed"), "{report}");
        let (ok, qpdf) = run("qpdf", &["--check"], &pdf);
        assert!(ok, "{qpdf}");
        let text = words(&pdf);
        assert!(
            text.contains("Signé électroniquement par Jean-Claude LEROY le 4 décembre 2026"),
            "{text}"
        );
        let verification = acta.verify_pdf(&pdf).await.unwrap();
        assert!(verification.valide, "{}", verification.verdict);
        assert!(verification.signatures[0].autorite_reconnue);
        assert_eq!(
            verification.verdict,
            "1 signature valide ; le document n'a pas été modifié depuis la dernière."
        );

        // Signed means frozen.
        let err = acta
            .set_deliberation_matter(&actor(), "2023-479", "7.10")
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "La délibération N°2023-479 est signée : elle est figée."
        );
        let err = acta
            .prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)), "{err}");
        let err = acta
            .sign_document(&actor(), &target, &signer("Jean-Claude LEROY"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("déjà signé"), "{err}");

        // A byte changed in the signed file: refused, in French.
        let mut tampered = pdf.clone();
        let at = tampered.windows(8).position(|w| w == b"/Creator").unwrap();
        tampered[at + 10] ^= 1;
        let verification = acta.verify_pdf(&tampered).await.unwrap();
        assert!(!verification.valide);
        assert!(
            verification.verdict.contains("modifié après sa signature"),
            "{}",
            verification.verdict
        );

        // Every step is in the journal.
        let mut tx = db.store.read().await.unwrap();
        let entries = tx.journal_recent(50).await.unwrap();
        for entity in ["signataire", "document_a_signer", "signature", "fichier"] {
            assert!(entries.iter().any(|e| e.entity == entity), "{entity}");
        }
        drop(tx);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_minutes_carry_the_signatures_of_the_president_and_the_secretary() {
    let signers = Signers::new(&["Jean-Claude LEROY", "Maryse DELASSUS"]);
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db, TODAY).await;
        acta.add_signer(&actor(), &signers.input("Jean-Claude LEROY", "president"))
            .await
            .unwrap();
        acta.add_signer(&actor(), &signers.input("Maryse DELASSUS", "secretaire"))
            .await
            .unwrap();
        let target = SignTarget::Minutes(sitting_key("2023-11-20"));
        // Signed once approved at the next sitting (L3121-13), not before.
        let early = acta
            .prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
            .await
            .unwrap_err();
        assert!(
            early.to_string().contains("n'est pas encore approuvé"),
            "{early}"
        );
        acta.set_discussion(
            &actor(),
            &sitting_key("2023-11-20"),
            1,
            &acta_app::minutes::DiscussionInput {
                text: "M. le Président présente le rapport ; aucune observation.".into(),
            },
        )
        .await
        .unwrap();
        common::approve_seed_minutes(&acta, "2023-12-18").await;
        let status = acta
            .minutes_status(&sitting_key("2023-11-20"))
            .await
            .unwrap();
        assert_eq!(
            status.approbation.as_deref(),
            Some("Approuvé le 18 décembre 2023")
        );
        let prepared = acta
            .prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
            .await
            .unwrap();
        let names: Vec<&str> = prepared
            .signataires
            .iter()
            .map(|s| s.nom.as_str())
            .collect();
        assert_eq!(names, ["Jean-Claude LEROY", "Maryse DELASSUS"]);
        let half = acta
            .sign_document(&actor(), &target, &signer("Jean-Claude LEROY"))
            .await
            .unwrap();
        assert_eq!(half.etat, "signe-en-partie");

        // The next day, the mention printed would be false: refused.
        let tomorrow = Acta::with_store(db.store.clone())
            .with_clock(FixedClock("2026-12-05T09:00:00Z".parse().unwrap()));
        let err = tomorrow
            .sign_document(&actor(), &target, &signer("Maryse DELASSUS"))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("porte le 4 décembre 2026"),
            "{err}"
        );

        let done = acta
            .sign_document(&actor(), &target, &signer("Maryse DELASSUS"))
            .await
            .unwrap();
        assert_eq!(done.etat, "signe");
        let (_, pdf) = acta.signature_pdf(&target).await.unwrap();
        let (_, report) = run("pdfsig", &[], &pdf);
        assert!(
            report.contains("Signature #1") && report.contains("Signature #2"),
            "{report}"
        );
        assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
        let (ok, qpdf) = run("qpdf", &["--check"], &pdf);
        assert!(ok, "{qpdf}");
        let text = words(&pdf);
        for name in ["Jean-Claude LEROY", "Maryse DELASSUS"] {
            assert!(
                text.contains(&format!(
                    "Signé électroniquement par {name} le 4 décembre 2026"
                )),
                "{text}"
            );
        }
        assert!(
            text.contains("Teneur des discussions : M. le Président présente le rapport"),
            "{text}"
        );
        let verification = acta.verify_pdf(&pdf).await.unwrap();
        assert!(verification.valide && verification.signatures.len() == 2);

        // Signed long after the week L3121-13 allows: the warning says so, before and after
        // the publication; the portal then serves the signed PDF.
        let key = sitting_key("2023-11-20");
        let before = acta.minutes_status(&key).await.unwrap();
        assert_eq!(
            before.alerte.as_deref(),
            Some(
                "Procès-verbal approuvé le 18 décembre 2023 et non publié : le délai d'une semaine (L3121-13) a expiré le 25 décembre 2023."
            )
        );
        let published = acta.publish_minutes(&actor(), &key).await.unwrap();
        assert_eq!(published.publie_le.as_deref(), Some("2026-12-04"));
        assert_eq!(
            published.alerte.as_deref(),
            Some(
                "Procès-verbal publié le 4 décembre 2026, après le délai d'une semaine suivant son approbation (au plus tard le 25 décembre 2023, L3121-13)."
            )
        );
        let (_, online) = acta.published_minutes(&key).await.unwrap();
        assert_eq!(online, pdf);
        assert!(acta.publish_minutes(&actor(), &key).await.is_err());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_convention_is_countersigned_by_the_beneficiary_with_her_own_tool() {
    let signers = Signers::new(&["Jean-Claude LEROY", "Marie-José ORLOF", "Maryse DELASSUS"]);
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db, TODAY).await;
        acta.add_signer(&actor(), &signers.input("Jean-Claude LEROY", "president"))
            .await
            .unwrap();
        let key = award_key("2023-479");
        let target = SignTarget::Convention(key.clone());
        let prepared = acta
            .prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
            .await
            .unwrap();
        assert_eq!(prepared.signataires[1].nom, "Marie-José ORLOF");
        // Before the Département signs, there is nothing to countersign.
        let (_, unsigned) = acta.signature_pdf(&target).await.unwrap();
        assert!(
            acta.countersign_convention(&actor(), &key, &unsigned)
                .await
                .is_err()
        );
        let half = acta
            .sign_document(&actor(), &target, &signer("Jean-Claude LEROY"))
            .await
            .unwrap();
        assert_eq!(half.etat, "signe-en-partie");
        let (_, departement) = acta.signature_pdf(&target).await.unwrap();

        // The beneficiary signs the file she received, outside acta.
        let countersign = |name: &str| {
            let (_, path) = signers.files.iter().find(|(n, _)| n == name).unwrap();
            let identity = acta_sign::SigningIdentity::from_pkcs12(
                &std::fs::read(Path::new(path)).unwrap(),
                PASSWORD,
            )
            .unwrap();
            acta_sign::sign(
                &departement,
                &acta_sign::SignatureRequest {
                    identity: &identity,
                    time: "2026-12-06T15:00:00Z".parse().unwrap(),
                    reason: Some("Contre-signature".into()),
                    location: Some("Arras".into()),
                },
            )
            .unwrap()
        };
        let wrong = countersign("Maryse DELASSUS");
        let err = acta
            .countersign_convention(&actor(), &key, &wrong)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Fichier : la contre-signature est celle de Maryse DELASSUS, la convention attend Marie-José ORLOF."
        );
        let mut modified = countersign("Marie-José ORLOF");
        let at = departement.len() / 2;
        modified[at] ^= 1;
        assert!(
            acta.countersign_convention(&actor(), &key, &modified)
                .await
                .is_err()
        );

        let done = acta
            .countersign_convention(&actor(), &key, &countersign("Marie-José ORLOF"))
            .await
            .unwrap();
        assert_eq!(done.etat, "signe", "{}", db.name());
        assert!(done.signataires[1].exterieure);
        assert!(
            done.signataires[1]
                .signe_le
                .as_deref()
                .unwrap()
                .contains("6 décembre 2026")
        );
        let (_, pdf) = acta.signature_pdf(&target).await.unwrap();
        let (_, report) = run("pdfsig", &[], &pdf);
        assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
        assert!(report.contains("Marie-José ORLOF"), "{report}");
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_signer_is_refused_with_a_wrong_password_or_someone_else_s_certificate() {
    let signers = Signers::new(&["Jean-Claude LEROY", "Maryse DELASSUS"]);
    let db = TestDatabase::sqlite().await.unwrap();
    let acta = demo(&db, TODAY).await;
    let mut wrong_password = signers.input("Jean-Claude LEROY", "president");
    wrong_password.password_from = "env:ACTA_TEST_UNSET_VARIABLE".into();
    let err = acta
        .add_signer(&actor(), &wrong_password)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("ACTA_TEST_UNSET_VARIABLE"),
        "{err}"
    );
    let mut other = signers.input("Maryse DELASSUS", "president");
    other.name = "Jean-Claude LEROY".into();
    let err = acta.add_signer(&actor(), &other).await.unwrap_err();
    assert!(
        err.to_string().contains("il est au nom de Maryse DELASSUS"),
        "{err}"
    );
    let mut typed = signers.input("Jean-Claude LEROY", "maire");
    typed.password_from = "secret".into();
    let err = acta.add_signer(&actor(), &typed).await.unwrap_err();
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, ["qualite", "mot_de_passe_depuis"]);
    db.cleanup().await.unwrap();
}
