//! The client against the stand-in platform, over TLS with the collectivity's certificate.

use acta_tdt::{Answer, ClientSettings, NewAct, ReplyKind, S2low, TdtError, Upload};
use acta_tdt_standin::{Authority, CLIENT_PASSWORD, PrefectureSends, StandIn, letter_pdf};
use jiff::civil::date;
use std::time::Duration;

async fn platform() -> StandIn {
    match StandIn::start(Authority {
        siren: "226200012".to_string(),
        department_code_3: "062".to_string(),
        name: "Département du Pas-de-Calais".to_string(),
    })
    .await
    {
        Ok(p) => p,
        Err(e) => panic!("stand-in: {e}"),
    }
}

fn settings(p: &StandIn, timeout: Duration) -> ClientSettings {
    ClientSettings {
        base_url: p.base_url(),
        client_pkcs12: p.client_pkcs12().to_vec(),
        client_password: CLIENT_PASSWORD.to_string(),
        platform_roots_pem: Some(p.platform_root_pem().as_bytes().to_vec()),
        login: None,
        timeout,
    }
}

fn client(p: &StandIn) -> S2low {
    match S2low::new(&settings(p, Duration::from_secs(10))) {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    }
}

fn act(number: &str) -> NewAct {
    NewAct {
        nature_code: 1,
        number: number.to_string(),
        subject: "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT - PARTICIPATION 2023".to_string(),
        decision_date: date(2023, 11, 20),
        classification: vec![7, 5],
        type_acte: "99_DE".to_string(),
        act: Upload::pdf("deliberation.pdf", letter_pdf("Deliberation 2023-479")),
        annexes: vec![(
            Upload::pdf("rapport.pdf", letter_pdf("Rapport")),
            "99_AU".to_string(),
        )],
    }
}

#[tokio::test]
async fn an_act_is_sent_acknowledged_and_its_files_fetched() {
    let p = platform().await;
    p.set_reception_date(date(2023, 11, 24));
    let c = client(&p);
    let id = c
        .create(&act("2023_479"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let first = c.status(id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.code, 3, "{}", first.label());
    let second = c.status(id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.code, 4);
    assert_eq!(second.label(), "Acquittement reçu");
    let ack = String::from_utf8_lossy(&second.message).to_string();
    assert!(
        ack.contains("actes:IDActe=\"062-226200012-20231120-2023_479-DE\""),
        "{ack}"
    );
    assert!(ack.contains("actes:DateReception=\"2023-11-24\""), "{ack}");

    let files = c.files(id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].posted_filename, "deliberation.pdf");
    assert!(
        files[0]
            .name
            .starts_with("062-226200012-20231120-2023_479-99_DE-1_1")
    );
    let stamped = c
        .download(files[0].id, true)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let original = c
        .download(files[0].id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(stamped.starts_with(b"%PDF"));
    assert_ne!(stamped, original);

    // The same number again is refused, with the platform's words.
    match c.create(&act("2023_479")).await {
        Err(TdtError::Refused(reason)) => {
            assert!(
                reason.contains("même numéro interne existe déjà"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(p.acts().len(), 1);
}

#[tokio::test]
async fn what_the_platform_refuses_is_said_in_its_words() {
    let p = platform().await;
    let c = client(&p);
    for (mut a, expected) in [
        (act("2023-479"), "Le numéro n'est pas correct"),
        (act("2023_1"), "date dans le futur"),
        (act("2023_2"), "Fichier PDF ou XML requis"),
    ] {
        if expected.contains("futur") {
            a.decision_date = date(2100, 1, 1);
        }
        if expected.contains("PDF") {
            a.act = Upload::pdf("acte.pdf", b"not a pdf".to_vec());
        }
        match c.create(&a).await {
            Err(TdtError::Refused(reason)) => assert!(reason.contains(expected), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    assert!(p.acts().is_empty());
}

#[tokio::test]
async fn a_send_answered_too_late_is_found_by_its_number_not_sent_again() {
    let p = platform().await;
    p.delay_next_send(Duration::from_secs(3));
    let hasty = match S2low::new(&settings(&p, Duration::from_millis(800))) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    let error = match hasty.create(&act("2023_479")).await {
        Err(e) => e,
        Ok(id) => panic!("answered: {id}"),
    };
    assert!(error.may_have_arrived(), "{error:?}");
    let found = client(&p)
        .find_by_number("2023_479")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.map(|f| f.id), p.acts().first().map(|t| t.id));
    assert_eq!(p.acts().len(), 1);
}

#[tokio::test]
async fn a_platform_down_is_unreachable_and_nothing_arrives() {
    let p = platform().await;
    p.set_down(true);
    let error = match client(&p).create(&act("2023_479")).await {
        Err(e) => e,
        Ok(id) => panic!("sent: {id}"),
    };
    assert!(matches!(error, TdtError::Unreachable(_)), "{error:?}");
    assert!(!error.may_have_arrived());
    assert!(
        error
            .to_string()
            .starts_with("La plateforme de télétransmission est injoignable")
    );
    assert!(p.acts().is_empty());
    p.set_down(false);
    assert!(client(&p).create(&act("2023_479")).await.is_ok());
}

#[tokio::test]
async fn a_stranger_certificate_is_refused() {
    let p = platform().await;
    let other = platform().await;
    let mut s = settings(&p, Duration::from_secs(5));
    s.client_pkcs12 = other.client_pkcs12().to_vec();
    let c = match S2low::new(&s) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert!(c.create(&act("2023_479")).await.is_err());
    assert!(p.acts().is_empty());
    // A wrong password is a settings error, before any exchange.
    s.client_password = "faux".to_string();
    match S2low::new(&s) {
        Err(TdtError::Settings(m)) => assert!(m.contains("mot de passe"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_login_is_sent_when_the_platform_asks_one() {
    let p = platform().await;
    p.require_login("dept62", "secret");
    match client(&p).create(&act("2023_479")).await {
        Err(TdtError::Refused(reason)) => assert_eq!(reason, "Échec de l'authentification"),
        other => panic!("{other:?}"),
    }
    let mut s = settings(&p, Duration::from_secs(5));
    s.login = Some(("dept62".to_string(), "secret".to_string()));
    let c = S2low::new(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.create(&act("2023_479")).await.is_ok());
}

#[tokio::test]
async fn the_prefectures_documents_are_listed_read_answered_and_acts_cancelled() {
    let p = platform().await;
    let c = client(&p);
    let id = c
        .create(&act("2023_479"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Not acknowledged yet: cannot be cancelled.
    match c.cancel(id).await {
        Err(TdtError::Refused(reason)) => assert!(reason.contains("Acquittement reçu"), "{reason}"),
        other => panic!("{other:?}"),
    }
    while c.status(id).await.map(|s| s.code).unwrap_or(-1) != 4 {}
    let request = p
        .prefecture_sends(
            id,
            PrefectureSends::PiecesRequest,
            date(2023, 12, 4),
            Some("Le budget prévisionnel"),
        )
        .unwrap_or_else(|| panic!("no request"));
    let listed = c
        .prefecture_documents()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, request);
    assert_eq!(listed[0].kind, 3);
    assert_eq!(listed[0].related_transaction, id);
    let archive = c
        .prefecture_document(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let message = acta_tdt::read_reply_archive(&archive).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(message.kind, ReplyKind::PiecesRequest);
    assert_eq!(message.act_id, "062-226200012-20231120-2023_479-DE");
    assert_eq!(message.date, date(2023, 12, 4));
    assert_eq!(
        message.description.as_deref(),
        Some("Le budget prévisionnel")
    );
    assert_eq!(message.documents.len(), 1);
    assert!(message.documents[0].1.starts_with(b"%PDF"));

    c.mark_as_read(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        c.prefecture_documents()
            .await
            .unwrap_or_default()
            .is_empty()
    );

    let answer = c
        .answer_document(
            request,
            &Answer::Send(Upload::pdf("budget.pdf", letter_pdf("Budget"))),
            "99_AU",
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let answers = p.answers_to(request);
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].id, answer);
    assert_eq!(answers[0].answer_kind, Some(4));

    let cancellation = c.cancel(id).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(cancellation > id);
    match c.cancel(id).await {
        Err(TdtError::Refused(reason)) => assert!(reason.contains("déjà en cours"), "{reason}"),
        other => panic!("{other:?}"),
    }
}
