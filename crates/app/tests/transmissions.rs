//! Transmission to the prefecture on SQLite and PostgreSQL, through the stand-in S²LOW
//! platform (TLS, client certificate): the seed's deliberation N°2023-479 signed by its
//! President, sent, acknowledged, its ARActe and stamped copy kept; a send that times out,
//! a platform down then back, the prefecture's replies and their follow-ups, an answer to
//! a demande de pièces complémentaires, a déféré, and the collectivity's annulation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::archiving::ArchivingSettings;
use acta_app::input::{
    NotificationInput, PrepareInput, PublishInput, TdtSettingsInput, WithdrawalInput,
};
use acta_app::publications::PublicationSettings;
use acta_app::signatures::SignTarget;
use acta_app::transmissions::TransmissionFile;
use acta_app::{Acta, Actor, FixedClock};
use acta_domain::keys::AwardKey;
use acta_domain::keys::SittingKey;
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
            "Transmis le 4 décembre 2026 (accusé de réception 062-226200012-20231120-2023_479-DE)."
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

/// CGCT L3131-1: enforceable from the later of the acknowledgement and the publication
/// (or, for the award to the CMA, an individual decision, its notification).
#[tokio::test]
async fn the_seed_act_is_enforceable_once_transmitted_and_published_its_award_once_notified() {
    let signers = Signers::new(&["Jean-Claude LEROY"]);
    for db in TestDatabase::all().await.unwrap() {
        let p = platform().await;
        let c = connection(&p, 20);
        let acta = signed(&db, &signers, &c).await;
        let pending = acta.deliberation_view(NUMBER).await.unwrap().enforceability;
        assert_eq!(
            pending.texte,
            "Non exécutoire : il manque la transmission en préfecture et la publication."
        );
        assert_eq!(pending.etat, "en-attente");

        acta.transmit(&actor(), &renderer(), NUMBER).await.unwrap();
        acta.run_transmissions(&actor()).await.unwrap();
        acta.run_transmissions(&actor()).await.unwrap();
        let unpublished = acta.deliberation_view(NUMBER).await.unwrap();
        assert!(unpublished.publication.is_none());
        assert_eq!(
            unpublished.enforceability.texte,
            "Non exécutoire : il manque la publication.",
            "{}",
            db.name()
        );
        assert_eq!(
            acta.require_published(NUMBER)
                .await
                .unwrap_err()
                .to_string(),
            "La délibération N°2023-479 n'est pas publiée."
        );

        // Published three days after the acknowledgement: the later date counts.
        let later = at(&db, "2026-12-07T10:00:00Z");
        let too_early = later
            .publish_deliberation(
                &actor(),
                &renderer(),
                NUMBER,
                &PublishInput {
                    date: Some("19/11/2023".into()),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            too_early.to_string(),
            "Date de publication : le 19 novembre 2023 précède la décision du 20 novembre 2023."
        );
        let published = later
            .publish_deliberation(&actor(), &renderer(), NUMBER, &PublishInput::default())
            .await
            .unwrap();
        assert_eq!(
            published.mentions,
            [
                "Auteur : Jean-Claude LEROY, LE PRESIDENT DU CONSEIL DEPARTEMENTAL",
                "Publié le 7 décembre 2026",
                "Mis en ligne le 7 décembre 2026"
            ]
        );
        assert!(published.signe);
        assert_eq!(
            published.executoire.texte,
            "Exécutoire depuis le 7 décembre 2026 (transmis en préfecture le 4 décembre 2026, publié le 7 décembre 2026)."
        );
        let view = later.deliberation_view(NUMBER).await.unwrap();
        assert_eq!(view.enforceability.depuis.as_deref(), Some("2026-12-07"));
        // What is online is the signed PDF, unchanged.
        let (_, online) = later.published_file(NUMBER).await.unwrap();
        let target = SignTarget::parse("deliberation", NUMBER).unwrap();
        let (_, signed_pdf) = later.signature_pdf(&target).await.unwrap();
        assert_eq!(online, signed_pdf);
        let again = later
            .publish_deliberation(&actor(), &renderer(), NUMBER, &PublishInput::default())
            .await
            .unwrap_err();
        assert_eq!(
            again.to_string(),
            "La délibération N°2023-479 est publiée depuis le 7 décembre 2026."
        );

        // The award to the CMA is an individual decision: notified, it takes effect.
        let key: AwardKey = NUMBER.parse().unwrap();
        let award = later.notification(&key).await.unwrap();
        assert_eq!(
            award.executoire.texte,
            "Non exécutoire : il manque la notification."
        );
        let notified = later
            .notify_award(
                &actor(),
                &key,
                &NotificationInput {
                    date: "05/12/2026".into(),
                    means: "courrier".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            notified.notification.as_deref(),
            Some("Notifiée le 5 décembre 2026 par courrier")
        );
        assert_eq!(
            notified.executoire.texte,
            "Exécutoire depuis le 5 décembre 2026 (transmis en préfecture le 4 décembre 2026, notifié le 5 décembre 2026)."
        );
        let shown = later.deliberation_view(NUMBER).await.unwrap().awards;
        assert_eq!(
            shown[0].notification.notifiee_le.as_deref(),
            Some("2026-12-05")
        );

        // Archived: the sitting's SEDA 2.3 package validates, its digests match, and the
        // SAE's reply marks the act archived.
        later
            .set_archiving_settings(
                &actor(),
                &ArchivingSettings {
                    service_archives: "FRAD062".into(),
                    accord: Some("AV-2026-01".into()),
                    regle: "DELIBERATIONS".into(),
                    duree_ans: 10,
                    sort_final: "conserver".into(),
                },
            )
            .await
            .unwrap();
        let key = SittingKey::parse("seance", "2023-11-20").unwrap();
        let package = later
            .build_archive_package(&actor(), &renderer(), &key)
            .await
            .unwrap();
        assert_eq!(package.actes, ["2023-479"]);
        let files = common::seda::check_package(&package.zip);
        for expected in [
            "content/2023-479/deliberation.pdf",
            "content/2023-479/rapport.pdf",
            "content/2023-479/accuse-de-reception.xml",
            "content/2023-479/acte-tamponne.pdf",
            "content/proces-verbal.pdf",
        ] {
            assert!(files.iter().any(|f| f == expected), "{expected}: {files:?}");
        }
        assert!(
            files
                .iter()
                .any(|f| f.starts_with("content/2023-479/convention-"))
        );
        let reply = common::seda::reply(
            &package.identifiant,
            "OK",
            &[("2023-479", "FRAD062_DELIB_2023_479")],
        );
        let recorded = later
            .record_archive_reply(&actor(), reply.as_bytes())
            .await
            .unwrap();
        assert!(recorded.accepte);
        let archived = later
            .deliberation_view(NUMBER)
            .await
            .unwrap()
            .archiving
            .unwrap();
        assert_eq!(
            archived.texte,
            "Archivée au SAE (identifiant FRAD062_DELIB_2023_479) le 7 décembre 2026."
        );
        let twice = later
            .record_archive_reply(&actor(), reply.as_bytes())
            .await
            .unwrap_err();
        assert!(
            twice.to_string().contains("a déjà reçu sa réponse"),
            "{twice}"
        );

        // Withdrawn, it stays listed with why, and is no longer in force.
        let withdrawn = later
            .withdraw_publication(
                &actor(),
                NUMBER,
                &WithdrawalInput {
                    date: "2026-12-07".into(),
                    reason: "Retirée par la délibération N°2026-12".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            withdrawn.retrait.as_deref(),
            Some("Acte retiré le 7 décembre 2026 : Retirée par la délibération N°2026-12")
        );
        assert_eq!(
            withdrawn.executoire.texte,
            "Retiré le 7 décembre 2026 : n'est plus exécutoire."
        );
        assert_eq!(later.published_deliberations(0, 10).await.unwrap().len(), 1);

        let mut tx = db.store.read().await.unwrap();
        assert_eq!(tx.journal_of("publication", "1").await.unwrap().len(), 2);
        assert_eq!(tx.journal_of("notification", "1").await.unwrap().len(), 1);
        drop(tx);
        db.cleanup().await.unwrap();
    }
}

/// With the setting on, the last signature publishes the deliberation.
#[tokio::test]
async fn a_signed_deliberation_is_published_at_once_when_the_departement_says_so() {
    let signers = Signers::new(&["Jean-Claude LEROY"]);
    for db in TestDatabase::all().await.unwrap() {
        let acta =
            Acta::with_store(db.store.clone()).with_clock(FixedClock(TODAY.parse().unwrap()));
        acta.load_demo(&actor()).await.unwrap();
        acta.set_publication_settings(&actor(), &PublicationSettings { automatique: true })
            .await
            .unwrap();
        acta.add_signer(&actor(), &signers.input("Jean-Claude LEROY", "president"))
            .await
            .unwrap();
        let target = SignTarget::parse("deliberation", NUMBER).unwrap();
        acta.prepare_signature(&actor(), &renderer(), &target, &PrepareInput::default())
            .await
            .unwrap();
        let refused = acta
            .publish_deliberation(&actor(), &renderer(), NUMBER, &PublishInput::default())
            .await
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "La délibération N°2023-479 est en cours de signature (à signer) : elle sera publiée une fois signée."
        );
        assert!(acta.publication(NUMBER).await.unwrap().is_none());
        acta.sign_document(&actor(), &target, &signer("Jean-Claude LEROY"))
            .await
            .unwrap();
        let p = acta.publication(NUMBER).await.unwrap().expect("published");
        assert_eq!(p.publie_le, "2026-12-04");
        assert!(p.signe, "{}", db.name());
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
