//! The beneficiary's side of a grant, on SQLite and PostgreSQL, with a real SMTP exchange:
//! an association registers and confirms its address, applies to a dispositif with its
//! budget and pieces (a lying file and a too large one refused, nothing stored), gets its
//! récépissé; the direction asks for a missing piece, gets it, instructs and proposes
//! 15 000 €; the Commission permanente adopts it; the association is notified, sends its
//! countersigned convention and its activity report, staff accept them, the last tranche
//! becomes payable and is paid. A second organisation reaches none of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::input::{
    ApplicationInput, DispositifInput, GrantDocumentInput, HolderInput, InstructionInput,
    MailSettingsInput, NewConvention, NewItem, NewSitting, PieceRequestInput, ProposalInput,
    RegistrationInput, ReviewInput, ScheduleInput, VoteInput,
};
use acta_app::{Acta, Actor, AppError, FixedClock};
use acta_domain::item::VoteOptions;
use acta_domain::sitting::AttendanceStatus;
use acta_mail_sink::{MailSink, Received};
use acta_store::testing::TestDatabase;
use common::{ALL, attendance, award_key, names, payment, pdf_lines, pdf_text, sitting_key};
use std::time::Duration;

fn renderer() -> acta_docs::Renderer {
    acta_docs::Renderer::new(acta_docs::DocumentsConfig::embedded().unwrap(), None).unwrap()
}

fn at(db: &TestDatabase, instant: &str) -> Acta {
    Acta::with_store(db.store.clone()).with_clock(FixedClock(instant.parse().unwrap()))
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";

async fn configure_mail(acta: &Acta, sink: &MailSink) {
    acta.configure_mail(
        &Actor::new("admin"),
        &MailSettingsInput {
            host: "127.0.0.1".into(),
            port: sink.port(),
            security: Some("aucune".into()),
            login: None,
            password_from: None,
            from: "subventions@departement.fr".into(),
            from_name: Some("Département de Test".into()),
            public_url: "https://acta.departement.fr".into(),
        },
    )
    .await
    .unwrap();
}

fn registration(name: &str, rna: &str, login: &str, email: &str) -> RegistrationInput {
    RegistrationInput {
        organisation: acta_app::input::BeneficiaryForm {
            name: name.into(),
            legal_status: "association loi 1901".into(),
            rna: Some(rna.into()),
            street: "3 rue des Artisans".into(),
            postal_code: "62000".into(),
            city: "Arras".into(),
            ..Default::default()
        },
        civility: "Mme".into(),
        representative: "Claire MARTIN".into(),
        capacity: "Présidente".into(),
        person: HolderInput {
            person_name: "Claire MARTIN".into(),
            email: email.into(),
            login: login.into(),
            password: "Une-Phrase-De-Passe-42".into(),
        },
    }
}

/// The last message sent to an address.
async fn last_to(sink: &MailSink, to: &str, count: usize) -> Received {
    let all = sink.wait_for(count, Duration::from_secs(10)).await;
    all.into_iter()
        .rev()
        .find(|m| m.header("To").is_some_and(|t| t.contains(to)))
        .unwrap_or_else(|| panic!("no message to {to}"))
}

/// Registers an organisation and follows the link its first person receives.
async fn registered(acta: &Acta, sink: &MailSink, input: &RegistrationInput, count: usize) {
    let done = acta.register_organisation(input, None).await.unwrap();
    assert!(done.mail.starts_with("courriel remis"), "{}", done.mail);
    // Not open before the address is confirmed.
    assert!(
        acta.log_in(&input.person.login, &input.person.password)
            .await
            .is_err()
    );
    let message = last_to(sink, &input.person.email, count).await;
    let text = message.text();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/beneficiaires/confirmation/"))
        .unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(
        acta.confirm_account(token).await.unwrap(),
        input.person.login
    );
    acta.log_in(&input.person.login, &input.person.password)
        .await
        .unwrap();
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::NotFound(_)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_association_follows_its_grant_from_the_application_to_the_last_payment() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let sink = MailSink::start().await.unwrap();
        let acta = common::assembly(&db).await;
        configure_mail(&acta, &sink).await;
        let staff = Actor::new("instructrice");
        acta.create_dispositif(
            &staff,
            &DispositifInput {
                name: "Vie associative 2026".into(),
                eligibility: "Associations du département".into(),
                opens_on: "2026-01-01".into(),
                closes_on: "2026-06-30".into(),
                pieces: vec!["statuts".into(), "rib".into(), "budget_previsionnel".into()],
                cap: Some("20 000".into()),
                max_megabytes: Some("1".into()),
                types: vec!["pdf".into(), "png".into()],
                direction: Some("Direction de la vie associative".into()),
            },
        )
        .await
        .unwrap();

        // Registration and confirmation.
        let first = registration(
            "Les Amis de l'Artisanat",
            "W623000123",
            "amis.artisanat",
            "claire@amis-artisanat.fr",
        );
        registered(&acta, &sink, &first, 1).await;
        let asso = Actor::new("amis.artisanat");
        let home = acta.organisation_home(&asso).await.unwrap();
        assert_eq!(home.name, "Les Amis de l'Artisanat");
        assert_eq!(home.dispositifs.len(), 1, "{on}");

        // The application, its budget and pieces.
        let dispositif = home.dispositifs[0].id;
        let id = acta
            .start_application(
                &asso,
                dispositif,
                &ApplicationInput {
                    purpose: "Fête de l'artisanat 2026".into(),
                    description: "Deux jours de démonstrations sur la place d'Arras.".into(),
                    amount: "18 000".into(),
                    budget: vec![
                        "64 = 30 000".into(),
                        "74-departement = 18 000".into(),
                        "70 (Ventes) = 12 000".into(),
                    ],
                },
            )
            .await
            .unwrap();
        // A PNG named .pdf, a file over the limit: refused in French, nothing stored.
        let before = acta.journal_size().await.unwrap();
        let lie = acta
            .upload_piece(&asso, id, "statuts", "statuts.pdf", PNG)
            .await
            .unwrap_err();
        assert!(
            lie.to_string()
                .contains("se présente comme un document PDF mais son contenu est une image PNG"),
            "{lie}"
        );
        let mut big = PDF.to_vec();
        big.resize(1024 * 1024 + 1, b' ');
        let large = acta
            .upload_piece(&asso, id, "statuts", "statuts.pdf", &big)
            .await
            .unwrap_err();
        assert!(
            large.to_string().contains("la limite est de 1 Mo"),
            "{large}"
        );
        let view = acta.my_application(&asso, id).await.unwrap();
        assert!(view.pieces.iter().all(|p| p.files.is_empty()), "{on}");
        assert_eq!(
            acta.journal_size().await.unwrap(),
            before,
            "{on}: nothing written"
        );
        acta.upload_piece(&asso, id, "statuts", "statuts.pdf", PDF)
            .await
            .unwrap();
        // Incomplete: the RIB is missing.
        let incomplete = acta
            .submit_application(&asso, id, &renderer())
            .await
            .unwrap_err();
        assert!(
            incomplete
                .to_string()
                .contains("Relevé d'identité bancaire : pièce manquante"),
            "{incomplete}"
        );
        acta.upload_piece(&asso, id, "rib", "rib.png", PNG)
            .await
            .unwrap();
        let submitted = acta
            .submit_application(&asso, id, &renderer())
            .await
            .unwrap();
        assert_eq!(submitted.receipt_number.as_deref(), Some("2026-00001"));
        assert_eq!(submitted.state_label, "Déposée");
        let receipt = last_to(&sink, "claire@amis-artisanat.fr", 2).await;
        assert!(receipt.subject().contains("2026-00001"), "{on}");
        let pdf = &receipt.attachments()[0].content;
        insta::assert_snapshot!(
            "recepisse_2026_00001",
            pdf_lines(pdf).replace(['\u{202f}', '\u{a0}'], " ")
        );
        let text = pdf_text(pdf);
        assert!(text.contains("Récépissédedépôt"), "{text}");
        assert!(text.contains("2026-00001"), "{text}");
        assert!(
            text.contains("18000,00€") || text.contains("18000€"),
            "{text}"
        );
        let (meta, stored) = acta
            .my_application_file(&asso, id, submitted.receipt_file.unwrap())
            .await
            .unwrap();
        assert_eq!(meta.media_type, "application/pdf");
        assert_eq!(&stored, pdf, "the récépissé sent is the one kept");

        // The direction asks for a missing piece; the association sends it.
        acta.request_piece(
            &staff,
            id,
            &PieceRequestInput {
                piece: "autre:Attestation d'assurance".into(),
                message: "L'attestation d'assurance de la manifestation manque.".into(),
                due_on: "2026-03-20".into(),
            },
        )
        .await
        .unwrap();
        let asked = last_to(&sink, "claire@amis-artisanat.fr", 3).await;
        assert!(asked.text().contains("Attestation d'assurance"), "{on}");
        assert!(asked.text().contains("20 mars 2026"), "{on}");
        let too_early = acta
            .instruct_application(
                &staff,
                id,
                &InstructionInput {
                    opinion: "favorable".into(),
                    reasons: "Projet structurant".into(),
                    proposed: Some("15 000".into()),
                },
                &renderer(),
            )
            .await
            .unwrap_err();
        assert!(
            too_early.to_string().contains("pièce demandée"),
            "{too_early}"
        );
        acta.upload_piece(
            &asso,
            id,
            "autre:Attestation d'assurance",
            "assurance.pdf",
            PDF,
        )
        .await
        .unwrap();
        assert_eq!(
            acta.my_application(&asso, id).await.unwrap().state_label,
            "Déposée"
        );
        let instructed = acta
            .instruct_application(
                &staff,
                id,
                &InstructionInput {
                    opinion: "favorable".into(),
                    reasons: "Projet structurant, budget partiellement retenu".into(),
                    proposed: Some("15 000".into()),
                },
                &renderer(),
            )
            .await
            .unwrap();
        assert_eq!(
            instructed.proposed.as_deref().map(plain),
            Some("15 000 €".into())
        );
        assert!(
            instructed
                .report_paragraph
                .as_deref()
                .is_some_and(|p| plain(p).contains("propose d'attribuer 15 000 €")),
            "{:?}",
            instructed.report_paragraph
        );

        // The Commission permanente adopts it.
        let assemblies = Actor::new("assemblees");
        acta.create_sitting(
            &assemblies,
            &NewSitting {
                body: "cp".into(),
                date: "2026-03-16".into(),
                president: Some("Anne ALPHA".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        acta.add_item(
            &assemblies,
            &sitting_key("2026-03-16"),
            &NewItem {
                report_number: 1,
                title: "VIE ASSOCIATIVE – FÊTE DE L'ARTISANAT 2026".into(),
                matter: Some("7.5".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let award = acta
            .propose_application(
                &staff,
                id,
                &ProposalInput {
                    sitting: "2026-03-16".into(),
                    item: 1,
                    budget_line: "OP-TEST".into(),
                    year: 2026,
                    kind: String::new(),
                },
            )
            .await
            .unwrap();
        acta.record_attendance(
            &assemblies,
            &sitting_key("2026-03-16"),
            &attendance(AttendanceStatus::Present, &names(&ALL)),
        )
        .await
        .unwrap();
        acta.close_item(
            &assemblies,
            &sitting_key("2026-03-16"),
            1,
            Some(&VoteInput::Totals {
                for_: 6,
                against: 0,
                abstention: 0,
                not_participating: 0,
                groups: vec![],
            }),
            &VoteOptions {
                secret: false,
                president_vote: None,
            },
        )
        .await
        .unwrap();

        // Notified: the letter, by e-mail; the award's notification recorded.
        let acta = at(&db, "2026-03-17T09:00:00Z");
        let notified = acta
            .notify_application_decision(&staff, id, &renderer())
            .await
            .unwrap();
        assert_eq!(notified.state_label, "Accordée");
        let letter = last_to(&sink, "claire@amis-artisanat.fr", 4).await;
        let text = pdf_text(&letter.attachments()[0].content);
        assert!(text.contains("Notificationd'unesubvention"), "{text}");
        assert!(text.contains("15000€"), "{text}");
        assert!(text.contains("inférieuraux18000€demandés"), "{text}");
        let grant = acta.my_grant(&asso, award).await.unwrap();
        assert!(
            grant
                .notification
                .as_deref()
                .is_some_and(|n| n.contains("17 mars 2026")),
            "{on}"
        );

        // The convention: two tranches, the second on the activity report.
        let b = acta
            .find_beneficiary(&notified.organisation_id.to_string())
            .await
            .unwrap();
        acta.add_bank_account(
            &staff,
            b.id,
            &acta_app::input::BankAccountInput {
                holder: "Les Amis de l'Artisanat".into(),
                bank_name: "Crédit Coopératif".into(),
                bank_address: None,
                iban: Some("FR76 3000 6000 0112 3456 7890 189".into()),
                rib: None,
            },
        )
        .await
        .unwrap();
        acta.create_convention(
            &staff,
            &award_key(&format!("#{award}")),
            &NewConvention {
                schedule: ScheduleInput::LineList(vec![
                    "12 000:signature".into(),
                    "3 000:document:rapport d'activités:30/06+0".into(),
                ]),
                court: "tribunal administratif de LILLE".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let grant = acta.my_grant(&asso, award).await.unwrap();
        assert!(
            grant.tranches[0].waiting_for.contains("pas signée"),
            "{:?}",
            grant.tranches
        );
        let convention_pdf = acta.my_convention(&asso, award, &renderer()).await.unwrap();
        assert!(pdf_text(&convention_pdf).contains("LesAmisdel'Artisanat"));
        // The countersigned convention, accepted: signed on the day it came.
        let acta = at(&db, "2026-03-20T09:00:00Z");
        let sent = acta
            .send_grant_document(
                &asso,
                award,
                &GrantDocumentInput {
                    purpose: "convention".into(),
                    tranche: None,
                    description: String::new(),
                },
                "convention-signee.pdf",
                PDF,
            )
            .await
            .unwrap();
        assert_eq!(acta.pending_grant_documents().await.unwrap().len(), 1);
        acta.review_grant_document(
            &staff,
            sent,
            &ReviewInput {
                decision: "accepter".into(),
                reason: String::new(),
            },
        )
        .await
        .unwrap();
        let grant = acta.my_grant(&asso, award).await.unwrap();
        assert!(grant.convention_signed, "{on}");
        assert!(grant.tranches[0].payable, "{:?}", grant.tranches);
        acta.record_payment(
            &staff,
            &award_key(&format!("#{award}")),
            &payment(1, "2026-03-20", "12 000", "M-1"),
        )
        .await
        .unwrap();

        // The activity report: the last tranche waits for staff to accept it.
        let acta = at(&db, "2026-06-10T09:00:00Z");
        let report = acta
            .send_grant_document(
                &asso,
                award,
                &GrantDocumentInput {
                    purpose: "piece".into(),
                    tranche: Some("2".into()),
                    description: "rapport d'activités 2026".into(),
                },
                "rapport.pdf",
                PDF,
            )
            .await
            .unwrap();
        let grant = acta.my_grant(&asso, award).await.unwrap();
        assert!(!grant.tranches[1].payable, "{on}");
        assert!(
            grant.tranches[1]
                .waiting_for
                .contains("attend la réception du rapport d'activités"),
            "{:?}",
            grant.tranches[1]
        );
        assert_eq!(grant.submissions[1].state_label, "En attente d'examen");
        acta.review_grant_document(
            &staff,
            report,
            &ReviewInput {
                decision: "accepter".into(),
                reason: String::new(),
            },
        )
        .await
        .unwrap();
        let accepted = last_to(&sink, "claire@amis-artisanat.fr", 6).await;
        assert!(accepted.subject().contains("acceptée"), "{on}");
        let grant = acta.my_grant(&asso, award).await.unwrap();
        assert!(grant.tranches[1].payable, "{:?}", grant.tranches[1]);
        acta.record_payment(
            &staff,
            &award_key(&format!("#{award}")),
            &payment(2, "2026-06-10", "3 000", "M-2"),
        )
        .await
        .unwrap();
        let grant = acta.my_grant(&asso, award).await.unwrap();
        assert_eq!(grant.tranches[1].waiting_for, "Versée");
        assert_eq!(grant.payments.len(), 2, "{on}");
        let history = acta.my_application(&asso, id).await.unwrap().history;
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        for step in [
            "creation",
            "piece",
            "depot",
            "demande_piece",
            "complete",
            "instruction",
            "proposition",
            "notification",
        ] {
            assert!(actions.contains(&step), "{step} in {actions:?}");
        }

        // The direction's lists: an instructor of another direction sees nothing of it.
        acta.create_account(
            &Actor::new("admin"),
            &acta_app::accounts::NewAccount {
                login: "sports".into(),
                name: "Instructeur des sports".into(),
                role: "instructeur".into(),
                password: "Un-Mot-De-Passe-Long-1".into(),
            },
        )
        .await
        .unwrap();
        let sports = Actor::new("sports");
        acta.link_account_direction(&staff, "sports", Some("Direction des sports"))
            .await
            .unwrap();
        assert!(
            acta.applications_to_instruct(&sports)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(is_not_found(acta.application(&sports, id).await));
        acta.link_account_direction(&staff, "sports", Some("Direction de la vie associative"))
            .await
            .unwrap();
        assert_eq!(
            acta.applications_to_instruct(&sports).await.unwrap().len(),
            1
        );
        assert!(
            acta.link_account_direction(&staff, "sports", Some("Direction inconnue"))
                .await
                .unwrap_err()
                .to_string()
                .contains("n'est pas au référentiel des services")
        );

        // A second organisation reaches nothing of the first one's.
        let other = registration(
            "Comité des Fêtes de Béthune",
            "W623000456",
            "comite.bethune",
            "contact@comite-bethune.fr",
        );
        registered(&acta, &sink, &other, 7).await;
        let intruder = Actor::new("comite.bethune");
        let home = acta.organisation_home(&intruder).await.unwrap();
        assert!(
            home.applications.is_empty() && home.grants.is_empty(),
            "{on}"
        );
        assert!(is_not_found(acta.my_application(&intruder, id).await));
        assert!(is_not_found(
            acta.my_application_file(&intruder, id, submitted.receipt_file.unwrap())
                .await
        ));
        assert!(is_not_found(
            acta.upload_piece(&intruder, id, "statuts", "s.pdf", PDF)
                .await
        ));
        assert!(is_not_found(acta.my_grant(&intruder, award).await));
        assert!(is_not_found(
            acta.my_convention(&intruder, award, &renderer()).await
        ));
        assert!(is_not_found(
            acta.my_grant_file(&intruder, award, grant.submissions[0].file.id)
                .await
        ));
        assert!(is_not_found(
            acta.send_grant_document(
                &intruder,
                award,
                &GrantDocumentInput {
                    purpose: "convention".into(),
                    tranche: None,
                    description: String::new(),
                },
                "c.pdf",
                PDF,
            )
            .await
        ));
        // Staff accounts are not organisations.
        assert!(acta.organisation_home(&staff).await.is_err());
        db.cleanup().await.unwrap();
    }
}

fn plain(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unfavourable_opinion_is_notified_with_its_reasons() {
    for db in TestDatabase::all().await.unwrap() {
        let sink = MailSink::start().await.unwrap();
        let acta = common::assembly(&db).await;
        configure_mail(&acta, &sink).await;
        let staff = Actor::new("instructrice");
        let dispositif = acta
            .create_dispositif(
                &staff,
                &DispositifInput {
                    name: "Animations rurales".into(),
                    eligibility: "Associations".into(),
                    opens_on: "2026-01-01".into(),
                    closes_on: "2026-12-31".into(),
                    pieces: vec!["statuts".into()],
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let input = registration(
            "Les Joyeux Lurons",
            "W623000789",
            "lurons",
            "bureau@lurons.fr",
        );
        registered(&acta, &sink, &input, 1).await;
        let asso = Actor::new("lurons");
        // A colleague joins: their own account, their own confirmation.
        let colleague = acta
            .add_colleague(
                &asso,
                &HolderInput {
                    person_name: "Paul DURAND".into(),
                    email: "paul@lurons.fr".into(),
                    login: "paul.lurons".into(),
                    password: "Encore-Une-Phrase-77".into(),
                },
            )
            .await
            .unwrap();
        assert!(
            colleague.mail.starts_with("courriel remis"),
            "{}",
            colleague.mail
        );
        let id = acta
            .start_application(
                &asso,
                dispositif,
                &ApplicationInput {
                    purpose: "Bal du village".into(),
                    description: String::new(),
                    amount: "2 500".into(),
                    budget: vec![],
                },
            )
            .await
            .unwrap();
        acta.upload_piece(&asso, id, "statuts", "statuts.pdf", PDF)
            .await
            .unwrap();
        acta.submit_application(&asso, id, &renderer())
            .await
            .unwrap();
        let refused = acta
            .instruct_application(
                &staff,
                id,
                &InstructionInput {
                    opinion: "defavorable".into(),
                    reasons: "Le projet relève d'une fête privée, hors du champ du dispositif."
                        .into(),
                    proposed: None,
                },
                &renderer(),
            )
            .await
            .unwrap();
        assert_eq!(refused.state_label, "Refusée");
        assert!(refused.decision_letter.is_some());
        let letter = last_to(&sink, "bureau@lurons.fr", 4).await;
        let text = pdf_text(&letter.attachments()[0].content);
        assert!(text.contains("horsduchampdudispositif"), "{text}");
        assert!(text.contains("tribunaladministratif"), "{text}");
        db.cleanup().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_from_one_address_are_spaced() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let sink = MailSink::start().await.unwrap();
        let acta = common::assembly(&db).await;
        configure_mail(&acta, &sink).await;
        let client = Some("203.0.113.7");
        for n in 0..3 {
            let input = registration(
                &format!("Association n°{n}"),
                &format!("W62300010{n}"),
                &format!("asso{n}"),
                &format!("contact{n}@exemple.fr"),
            );
            acta.register_organisation(&input, client).await.unwrap();
        }
        let fourth = registration(
            "Association n°3",
            "W623000103",
            "asso3",
            "contact3@exemple.fr",
        );
        let refused = acta
            .register_organisation(&fourth, client)
            .await
            .unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("Trop d'inscriptions depuis votre adresse"),
            "{on}: {refused}"
        );
        assert_eq!(sink.messages().len(), 3, "{on}: no fourth message");
        // From another address, or an hour later, it goes through.
        acta.register_organisation(&fourth, Some("198.51.100.4"))
            .await
            .unwrap();
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_duplicate_organisation_is_merged_with_its_accounts_seats_and_bank_details() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let acta = common::assembly(&db).await;
        let staff = Actor::new("instructrice");
        let kept = acta.find_beneficiary("21860194600013").await.unwrap().id;
        let duplicate = acta
            .add_beneficiary(
                &staff,
                &acta_app::input::BeneficiaryInput {
                    name: "Association des Collèges (doublon)".into(),
                    legal_status: "association loi 1901".into(),
                    rna: Some("W623000999".into()),
                    address: acta_app::input::AddressInput {
                        street: "2 place du Marché".into(),
                        postal_code: "62000".into(),
                        city: "Arras".into(),
                    },
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let account = |iban: &str| acta_app::input::BankAccountInput {
            holder: "Association des Collèges".into(),
            bank_name: "Crédit Coopératif".into(),
            bank_address: None,
            iban: Some(iban.into()),
            rib: None,
        };
        let shared = "FR7630006000011234567890189";
        let own = "FR1420041010050500013M02606";
        acta.add_bank_account(&staff, kept, &account(shared))
            .await
            .unwrap();
        acta.add_bank_account(&staff, duplicate, &account(shared))
            .await
            .unwrap();
        acta.add_bank_account(&staff, duplicate, &account(own))
            .await
            .unwrap();
        for (member, b) in [
            ("Anne ALPHA", kept),
            ("Anne ALPHA", duplicate),
            ("Bruno BETA", duplicate),
        ] {
            acta.add_beneficiary_seat(&staff, member, b, "administratrice")
                .await
                .unwrap();
        }
        acta.merge_beneficiaries(
            &staff,
            &acta_app::input::MergeInput {
                duplicate: duplicate.to_string(),
                kept: "21860194600013".into(),
            },
        )
        .await
        .unwrap();
        let ibans: Vec<String> = acta
            .bank_accounts(kept)
            .await
            .unwrap()
            .iter()
            .map(|a| a.iban.as_str().to_string())
            .collect();
        assert_eq!(ibans.len(), 2, "{on}: {ibans:?}");
        assert!(ibans.contains(&own.to_string()), "{on}");
        let seats = db.store.read().await.unwrap().seats_in(kept).await.unwrap();
        assert_eq!(seats.len(), 2, "{on}: one seat each for ALPHA and BETA");
        let names: Vec<String> = acta
            .beneficiaries()
            .await
            .unwrap()
            .iter()
            .map(|b| b.name.clone())
            .collect();
        assert_eq!(names, ["Association des Collèges"], "{on}");
        let again = acta
            .merge_beneficiaries(
                &staff,
                &acta_app::input::MergeInput {
                    duplicate: duplicate.to_string(),
                    kept: "21860194600013".into(),
                },
            )
            .await
            .unwrap_err();
        assert!(again.to_string().contains("déjà fusionné"), "{again}");
        db.cleanup().await.unwrap();
    }
}
