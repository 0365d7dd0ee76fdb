//! Transmission to the prefecture on SQLite and PostgreSQL, through the stand-in S²LOW
//! platform (TLS, client certificate): the seed's deliberation N°2023-479 signed by its
//! President, sent, acknowledged, its ARActe and stamped copy kept; a send that times out,
//! a platform down then back, the prefecture's replies and their follow-ups, an answer to
//! a demande de pièces complémentaires, a déféré, and the collectivity's annulation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::input::{PrepareInput, TdtSettingsInput};
use acta_app::signatures::SignTarget;
use acta_app::transmissions::TransmissionFile;
use acta_app::{Acta, Actor, FixedClock};
use acta_store::testing::TestDatabase;
use acta_tdt_standin::{Authority, CLIENT_PASSWORD, PrefectureSends, StandIn, letter_pdf};
use common::signing::{Signers, renderer, run, signer};
use jiff::civil::date;
use std::time::Duration;

const TODAY: &str = "2026-12-04T09:00:00Z";
const NUMBER: &str = "2023-479";
const ACT_ID: &str = "062-226200012-20231120-2023_479-DE";
const CREATE: &str = "POST actes_transac_create.php";

fn actor() -> Actor {
    Actor::new("test")
}

/// The same register seen at a later instant.
fn at(db: &TestDatabase, instant: &str) -> Acta {
    Acta::with_store(db.store.clone()).with_clock(FixedClock(instant.parse().unwrap()))
}

async fn platform() -> StandIn {
    let p = StandIn::start(Authority {
        siren: "226200012".to_string(),
        department_code_3: "062".to_string(),
        name: "Département du Pas-de-Calais".to_string(),
    })
    .await
    .unwrap();
    p.set_reception_date(date(2026, 12, 4));
    p
}

/// The connection certificate, its password and the platform's authority, as files.
struct Connection {
    _dir: tempfile::TempDir,
    input: TdtSettingsInput,
}

fn connection(p: &StandIn, timeout: u64) -> Connection {
    let dir = tempfile::tempdir().unwrap();
    let pkcs12 = dir.path().join("connexion.p12");
    std::fs::write(&pkcs12, p.client_pkcs12()).unwrap();
    let password = dir.path().join("mot-de-passe");
    std::fs::write(&password, CLIENT_PASSWORD).unwrap();
    let authority = dir.path().join("plateforme.pem");
    std::fs::write(&authority, p.platform_root_pem()).unwrap();
    let input = TdtSettingsInput {
        url: p.base_url(),
        pkcs12: pkcs12.to_string_lossy().to_string(),
        password_from: format!("file:{}", password.to_string_lossy()),
        platform_authority: Some(authority.to_string_lossy().to_string()),
        timeout: Some(timeout),
        ..TdtSettingsInput::default()
    };
    Connection { _dir: dir, input }
}

/// The demo with 2023-479 signed by its President and the platform configured.
async fn signed(db: &TestDatabase, signers: &Signers, c: &Connection) -> Acta {
    let acta = Acta::with_store(db.store.clone()).with_clock(FixedClock(TODAY.parse().unwrap()));
    acta.load_demo(&actor()).await.unwrap();
    acta.add_signer(&actor(), &signers.input("Jean-Claude LEROY", "president"))
        .await
        .unwrap();
    let target = SignTarget::parse("deliberation", NUMBER).unwrap();
    acta.prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
        .await
        .unwrap();
    acta.sign_document(&actor(), &target, &signer("Jean-Claude LEROY"))
        .await
        .unwrap();
    acta.configure_tdt(&actor(), &c.input).await.unwrap();
    acta
}

#[tokio::test]
async fn the_seed_deliberation_is_signed_transmitted_and_acknowledged() {
    let signers = Signers::new(&["Jean-Claude LEROY"]);
    for db in TestDatabase::all().await.unwrap() {
        let p = platform().await;
        let c = connection(&p, 20);
        let acta = signed(&db, &signers, &c).await;

        let sent = acta.transmit(&actor(), &renderer(), NUMBER).await.unwrap();
        assert_eq!(
            sent.etat,
            "deposee",
            "{}: {:?}",
            db.name(),
            sent.derniere_erreur
        );
        let act = &p.acts()[0];
        assert_eq!(act.number, "2023_479");
        assert_eq!(act.classification[..2], ["7".to_string(), "5".to_string()]);
        assert_eq!(sent.transaction, Some(act.id as i64));
        // The signed PDF is what the platform received, with the report and the convention.
        let (_, _, signed_pdf) = acta
            .transmission_file(NUMBER, TransmissionFile::Sent)
            .await
            .unwrap();
        assert_eq!(p.file(act.files[0]).unwrap(), signed_pdf);
        assert_eq!(act.files.len(), 3);
        let (_, report) = run("pdfsig", &[], &signed_pdf);
        assert!(
            report.contains("Signature Validation: Signature is Valid."),
            "{report}"
        );
        assert!(report.contains("Total document signed"), "{report}");
        let (ok, qpdf) = run("qpdf", &["--check"], &signed_pdf);
        assert!(ok, "{qpdf}");

        // The platform transmits, then the prefecture acknowledges.
        let first = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(
            (first.acquittees, first.en_attente),
            (0, 1),
            "{:?}",
            first.lignes
        );
        let second = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(second.acquittees, 1, "{:?}", second.lignes);
        let status = acta.transmission_status(NUMBER).await.unwrap();
        assert_eq!(status.etat, "acquittee");
        assert_eq!(status.identifiant_acte.as_deref(), Some(ACT_ID));
        assert_eq!(
            status.mention.as_deref(),
            Some(
                "Transmis le 4 décembre 2026 (accusé de réception 062-226200012-20231120-2023_479-DE)"
            )
        );
        let (name, media, ararcte) = acta
            .transmission_file(NUMBER, TransmissionFile::Acknowledgement)
            .await
            .unwrap();
        assert_eq!(
            (name.as_str(), media.as_str()),
            (
                "062-226200012-20231120-2023_479-DE-ARActe.xml",
                "application/xml"
            )
        );
        assert!(String::from_utf8_lossy(&ararcte).contains("actes:ARActe"));
        let (_, _, stamped) = acta
            .transmission_file(NUMBER, TransmissionFile::Stamped)
            .await
            .unwrap();
        assert!(stamped.starts_with(b"%PDF") && stamped != signed_pdf);

        // The act shows it, and the open data take the prefecture's identifier.
        let view = acta.deliberation_view(NUMBER).await.unwrap();
        let text = view.transmission.unwrap().text;
        assert_eq!(
            text,
            "Transmis le 4 décembre 2026 (accusé de réception 062-226200012-20231120-2023_479-DE) : exécutoire."
        );

        // Nothing more to do; sending again is refused.
        let third = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(third.lignes.len(), 0, "{:?}", third.lignes);
        let err = acta
            .transmit(&actor(), &renderer(), NUMBER)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("déjà en transmission"), "{err}");
        assert_eq!(p.acts().len(), 1);
        assert_eq!(p.requests_to(CREATE), 1);

        let mut tx = db.store.read().await.unwrap();
        let journal = tx.journal_of("teletransmission", "1").await.unwrap();
        let states: Vec<_> = journal
            .iter()
            .filter_map(|e| e.after.as_deref())
            .filter_map(|a| serde_json::from_str::<serde_json::Value>(a).ok())
            .filter_map(|a| a.get("state").and_then(|s| s.as_str()).map(str::to_string))
            .collect();
        assert_eq!(
            states,
            ["Queued", "Unconfirmed", "Posted", "Acknowledged"].map(String::from),
            "{}",
            db.name()
        );
        drop(tx);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn an_unsigned_act_is_not_sent() {
    for db in TestDatabase::all().await.unwrap() {
        let p = platform().await;
        let c = connection(&p, 20);
        let acta =
            Acta::with_store(db.store.clone()).with_clock(FixedClock(TODAY.parse().unwrap()));
        acta.load_demo(&actor()).await.unwrap();
        acta.configure_tdt(&actor(), &c.input).await.unwrap();
        let err = acta
            .transmit(&actor(), &renderer(), NUMBER)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "La délibération N°2023-479 n'est pas signée : elle ne peut pas être transmise."
        );
        assert!(p.acts().is_empty());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_send_that_times_out_is_confirmed_not_repeated() {
    let signers = Signers::new(&["Jean-Claude LEROY"]);
    for db in TestDatabase::all().await.unwrap() {
        let p = platform().await;
        let c = connection(&p, 1);
        let acta = signed(&db, &signers, &c).await;
        p.delay_next_send(Duration::from_secs(3));
        let status = acta.transmit(&actor(), &renderer(), NUMBER).await.unwrap();
        assert_eq!(status.etat, "envoi-a-confirmer", "{}", db.name());
        assert_eq!(status.echecs, 1);
        assert!(
            status
                .derniere_erreur
                .as_deref()
                .unwrap()
                .contains("n'a pas répondu à temps"),
            "{:?}",
            status.derniere_erreur
        );
        // Before the delay, nothing is tried.
        let early = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(early.en_attente, 1);
        let later = at(&db, "2026-12-04T09:05:00Z");
        let run = later.run_transmissions(&actor()).await.unwrap();
        assert!(
            run.lignes[0].contains("était bien arrivé"),
            "{:?}",
            run.lignes
        );
        assert_eq!(
            later.transmission_status(NUMBER).await.unwrap().etat,
            "deposee"
        );
        assert_eq!(p.acts().len(), 1);
        assert_eq!(p.requests_to(CREATE), 1);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_platform_down_then_back_gets_the_act_once_later() {
    let signers = Signers::new(&["Jean-Claude LEROY"]);
    for db in TestDatabase::all().await.unwrap() {
        let p = platform().await;
        let c = connection(&p, 5);
        let acta = signed(&db, &signers, &c).await;
        p.set_down(true);
        let status = acta.transmit(&actor(), &renderer(), NUMBER).await.unwrap();
        assert_eq!(status.etat, "a-envoyer", "{}", db.name());
        assert!(
            status
                .derniere_erreur
                .as_deref()
                .unwrap()
                .starts_with("La plateforme de télétransmission est injoignable"),
            "{:?}",
            status.derniere_erreur
        );
        let still_down = at(&db, "2026-12-04T09:02:00Z");
        still_down.run_transmissions(&actor()).await.unwrap();
        let status = still_down.transmission_status(NUMBER).await.unwrap();
        assert_eq!((status.etat.as_str(), status.echecs), ("a-envoyer", 2));
        assert_eq!(p.requests_to(CREATE), 0);

        p.set_down(false);
        let back = at(&db, "2026-12-04T09:10:00Z");
        back.run_transmissions(&actor()).await.unwrap();
        let status = back.transmission_status(NUMBER).await.unwrap();
        assert_eq!((status.etat.as_str(), status.echecs), ("deposee", 0));
        assert_eq!(p.acts().len(), 1);
        assert_eq!(p.requests_to(CREATE), 1);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_prefectures_replies_are_kept_followed_answered_and_the_act_cancelled() {
    let signers = Signers::new(&["Jean-Claude LEROY"]);
    for db in TestDatabase::all().await.unwrap() {
        let p = platform().await;
        let c = connection(&p, 20);
        let acta = signed(&db, &signers, &c).await;
        acta.transmit(&actor(), &renderer(), NUMBER).await.unwrap();
        acta.run_transmissions(&actor()).await.unwrap();
        acta.run_transmissions(&actor()).await.unwrap();
        let act = p.acts()[0].id;
        let letter = date(2026, 12, 10);
        let request = p
            .prefecture_sends(
                act,
                PrefectureSends::PiecesRequest,
                letter,
                Some("Le budget prévisionnel de l'action"),
            )
            .unwrap();
        p.prefecture_sends(act, PrefectureSends::Referral, letter, None)
            .unwrap();
        let run = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(run.courriers_recus, 2, "{:?}", run.lignes);
        let status = acta.transmission_status(NUMBER).await.unwrap();
        let kinds: Vec<_> = status.courriers.iter().map(|r| r.nature.as_str()).collect();
        assert_eq!(kinds, ["demande-de-pieces", "defere"]);
        let pieces = &status.courriers[0];
        assert_eq!(
            pieces.description.as_deref(),
            Some("Le budget prévisionnel de l'action")
        );
        assert_eq!(pieces.echeance.as_deref(), Some("9 janvier 2027"));
        assert!(pieces.peut_repondre);
        let referral = &status.courriers[1];
        assert!(referral.suite.contains("tribunal administratif"));
        assert_eq!(referral.echeance.as_deref(), Some("8 février 2027"));
        assert!(!referral.peut_repondre);
        let (_, media, pdf) = acta.prefecture_letter(NUMBER, referral.id).await.unwrap();
        assert_eq!(media, "application/pdf");
        assert!(pdf.starts_with(b"%PDF"));
        // Taken once: the platform lists them no more.
        let again = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(again.courriers_recus, 0);

        // The pieces are sent back through the platform, once.
        let answered = acta
            .answer_prefecture(
                &actor(),
                NUMBER,
                pieces.id,
                "envoi",
                "budget.pdf",
                &letter_pdf("Budget"),
            )
            .await
            .unwrap();
        assert_eq!(
            answered.courriers[0].reponse.as_deref(),
            Some("Transmission de pièces complémentaires")
        );
        let on_platform = p.answers_to(request);
        assert_eq!(on_platform.len(), 1);
        assert_eq!(on_platform[0].answer_kind, Some(4));
        let err = acta
            .answer_prefecture(
                &actor(),
                NUMBER,
                pieces.id,
                "envoi",
                "budget.pdf",
                &letter_pdf("Budget"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("une réponse a déjà été envoyée"),
            "{err}"
        );
        let err = acta
            .answer_prefecture(
                &actor(),
                NUMBER,
                referral.id,
                "envoi",
                "defense.pdf",
                &letter_pdf("Défense"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("n'appelle pas de réponse"),
            "{err}"
        );

        // The collectivity cancels the act; the prefecture acknowledges the cancellation.
        let cancelling = acta.cancel_transmission(&actor(), NUMBER).await.unwrap();
        assert_eq!(cancelling.etat, "annulation-demandee");
        acta.run_transmissions(&actor()).await.unwrap();
        let run = acta.run_transmissions(&actor()).await.unwrap();
        assert_eq!(run.annulees, 1, "{:?}", run.lignes);
        assert_eq!(
            acta.transmission_status(NUMBER).await.unwrap().etat,
            "annulee"
        );
        let err = acta
            .cancel_transmission(&actor(), NUMBER)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("rien à annuler"), "{err}");
        db.cleanup().await.unwrap();
    }
}
