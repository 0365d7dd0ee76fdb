//! Before the sitting, on SQLite and PostgreSQL: a report through a three-step circuit
//! (sent back once, validated, changed after validation, put on the seed's agenda); the
//! seed's Commission permanente convened through a real SMTP exchange with a local server
//! (too late refused, the emergency path recorded); a member's space (personal link,
//! private note, proxy and the expected quorum, a declared interest on the vote).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::accounts::NewAccount;
use acta_app::input::{
    AgendaPlacement, AnnotationInput, CircuitInput, ConvocationInput, InterestInput,
    MailSettingsInput, MemberEmailInput, NewItem, NewReportDraft, ReplyInput, ReportTextInput,
    StepDecision, VoteInput,
};
use acta_app::{Acta, Actor, FixedClock};
use acta_domain::circuit::{LineChange, ReportState};
use acta_domain::item::VoteOptions;
use acta_mail_sink::MailSink;
use acta_store::testing::TestDatabase;
use common::{pdf_lines, pdf_text, sitting_key};
use std::time::Duration;

fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn renderer() -> acta_docs::Renderer {
    acta_docs::Renderer::new(acta_docs::DocumentsConfig::embedded().unwrap(), None).unwrap()
}

fn at(db: &TestDatabase, instant: &str) -> Acta {
    Acta::with_store(db.store.clone()).with_clock(FixedClock(instant.parse().unwrap()))
}

async fn seed(db: &TestDatabase) -> Acta {
    let acta = at(db, "2026-11-28T09:00:00Z");
    acta.load_demo(&Actor::new("demo")).await.unwrap();
    acta
}

async fn account(acta: &Acta, login: &str, role: &str) {
    acta.create_account(
        &Actor::new("admin"),
        &NewAccount {
            login: login.into(),
            name: format!("Compte {login}"),
            role: role.into(),
            password: "Correct-Horse-Battery-9".into(),
        },
    )
    .await
    .unwrap();
}

fn text(budget: &str) -> ReportTextInput {
    ReportTextInput {
        title: "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT – ACTIONS 2024".into(),
        expose: "La Chambre de Métiers accompagne les artisans du territoire.\nElle sollicite le Département pour 2024.".into(),
        visas: vec!["Vu le Code Général des Collectivités Territoriales ;".into()],
        considerations: vec![],
        articles: vec!["D'attribuer à la CMA une participation.".into()],
        budget: vec![budget.into()],
    }
}

#[tokio::test]
async fn a_report_goes_through_its_circuit_and_onto_the_seed_agenda() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        seed(&db).await;
        // Three weeks and a day before the seed's sitting: before the submission deadline.
        let acta = at(&db, "2023-10-29T09:00:00Z");
        account(&acta, "redacteur", "instructeur").await;
        account(&acta, "controleur", "finances").await;
        account(&acta, "assemblees", "assemblees").await;
        let admin = Actor::new("admin");
        let author = Actor::new("redacteur");
        let finance = Actor::new("controleur");
        let assemblies = Actor::new("assemblees");
        acta.create_circuit(
            &admin,
            &CircuitInput {
                name: "Subventions".into(),
                steps: vec![
                    "1:Direction:role=instructeur:texte".into(),
                    "2:Finances:compte=controleur:budget".into(),
                    "3:Service des assemblées:role=assemblees".into(),
                ],
            },
        )
        .await
        .unwrap();
        let id = acta
            .create_report_draft(
                &author,
                &NewReportDraft {
                    circuit: "subventions".into(),
                    direction: None,
                    sitting: Some("2023-11-20".into()),
                    matter: Some("7.5".into()),
                    text: text("Sous-fonction 91 – 65738 – 120 000,00 €"),
                },
            )
            .await
            .unwrap();
        let go = |s: &str| StepDecision {
            step: None,
            reason: Some(s.into()),
        };
        // Not submitted yet: no step may validate.
        assert!(
            acta.validate_report_step(&author, id, &go(""))
                .await
                .is_err(),
            "{on}"
        );
        let v = acta.submit_report_draft(&author, id).await.unwrap();
        assert_eq!(v.state, ReportState::InCircuit);
        assert_eq!(
            v.deadline.map(|d| d.to_string()).as_deref(),
            Some("2023-10-30")
        );
        // Finances waits for the direction.
        let early = acta
            .validate_report_step(&finance, id, &go(""))
            .await
            .unwrap_err();
        assert!(early.to_string().contains("Direction"), "{on}: {early}");
        acta.validate_report_step(&author, id, &go(""))
            .await
            .unwrap();
        let no_reason = acta
            .send_back_report(&finance, id, &StepDecision::default())
            .await
            .unwrap_err();
        assert!(no_reason.to_string().starts_with("Motif"), "{no_reason}");
        let back = acta
            .send_back_report(
                &finance,
                id,
                &go("Le montant doit suivre le budget primitif."),
            )
            .await
            .unwrap();
        assert_eq!(back.state, ReportState::SentBack);
        assert!(back.steps.iter().all(|s| s.status != "validée"));
        acta.edit_report_draft(
            &author,
            id,
            &text("Sous-fonction 91 – 65738 – 100 000,00 €"),
        )
        .await
        .unwrap();
        acta.submit_report_draft(&author, id).await.unwrap();
        acta.validate_report_step(&author, id, &go(""))
            .await
            .unwrap();
        acta.validate_report_step(&finance, id, &go(""))
            .await
            .unwrap();
        // The assemblies service may not validate for finances, and now validates its own.
        let ready = acta
            .validate_report_step(&assemblies, id, &go(""))
            .await
            .unwrap();
        assert_eq!(ready.state, ReportState::Ready, "{on}");

        // Changed after validation: the budget line goes back through finances and the
        // assemblies service; the direction's validation of the text stands.
        let changed = acta
            .edit_report_draft(
                &author,
                id,
                &text("Sous-fonction 91 – 65738 – 110 000,00 €"),
            )
            .await
            .unwrap();
        assert_eq!(changed.state, ReportState::InCircuit);
        assert_eq!(changed.invalidated, ["Finances", "Service des assemblées"]);
        let v = acta.report_draft(id).await.unwrap();
        let statuses: Vec<&str> = v.steps.iter().map(|s| s.status.as_str()).collect();
        assert_eq!(statuses, ["validée", "en attente", "à venir"], "{on}");
        let refused = acta
            .place_report_on_agenda(&assemblies, id, &AgendaPlacement::default())
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("circuit"), "{refused}");
        acta.validate_report_step(&finance, id, &go(""))
            .await
            .unwrap();
        acta.validate_report_step(&assemblies, id, &go(""))
            .await
            .unwrap();
        let position = acta
            .place_report_on_agenda(&assemblies, id, &AgendaPlacement::default())
            .await
            .unwrap();
        let v = acta.report_draft(id).await.unwrap();
        assert_eq!(v.state, ReportState::OnAgenda);
        assert_eq!(v.position, Some(position));
        let item = acta
            .draft(&sitting_key("2023-11-20"), position)
            .await
            .unwrap();
        assert_eq!(item.articles, ["D'attribuer à la CMA une participation."]);

        // The history names who did what; versions compare line by line.
        let actions: Vec<(String, String)> = v
            .history
            .iter()
            .map(|e| (e.action.clone(), e.by.clone()))
            .collect();
        assert_eq!(actions.iter().filter(|(a, _)| a == "renvoi").count(), 1);
        assert_eq!(actions.iter().filter(|(a, _)| a == "validation").count(), 6);
        assert_eq!(
            actions.iter().filter(|(a, _)| a == "invalidation").count(),
            2
        );
        assert_eq!(actions.last().map(|(a, _)| a.as_str()), Some("inscription"));
        assert_eq!(v.versions.len(), 3);
        let diff = acta.compare_report_versions(id, 1, 3).await.unwrap();
        assert!(diff.contains(&LineChange::Removed(
            "Budget : Sous-fonction 91 – 65738 – 120 000,00 €".into()
        )));
        assert!(diff.contains(&LineChange::Added(
            "Budget : Sous-fonction 91 – 65738 – 110 000,00 €".into()
        )));

        let dashboard = acta.report_dashboard().await.unwrap();
        assert_eq!(
            dashboard.by_state,
            [("Inscrit à l'ordre du jour".to_string(), 1)]
        );
        assert!(dashboard.late.is_empty());

        // Postponed to the next Commission permanente: the item stays, never voted; the
        // report goes on the later agenda; the minutes say so.
        acta.create_sitting(
            &assemblies,
            &acta_app::input::NewSitting {
                body: "cp".into(),
                date: "2023-12-18".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let to_council = acta
            .postpone_report(
                &assemblies,
                id,
                &acta_app::input::PostponeInput {
                    sitting: "2023-11-20".into(),
                    reason: "Pièces manquantes".into(),
                    emergency: None,
                },
            )
            .await
            .unwrap_err();
        assert!(
            to_council.to_string().contains("postérieure"),
            "{to_council}"
        );
        let later = acta
            .postpone_report(
                &assemblies,
                id,
                &acta_app::input::PostponeInput {
                    sitting: "2023-12-18".into(),
                    reason: "Pièces manquantes".into(),
                    emergency: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(later, 1);
        let closed = acta
            .close_item(
                &assemblies,
                &sitting_key("2023-11-20"),
                position,
                Some(&VoteInput::Totals {
                    for_: 42,
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
            .unwrap_err();
        assert!(
            closed
                .to_string()
                .contains("reporté à la séance du 18 décembre 2023"),
            "{closed}"
        );
        let moved = acta.draft(&sitting_key("2023-12-18"), 1).await.unwrap();
        assert_eq!(moved.articles, ["D'attribuer à la CMA une participation."]);
        let v = acta.report_draft(id).await.unwrap();
        assert_eq!(
            v.sitting_date.map(|d| d.to_string()).as_deref(),
            Some("2023-12-18")
        );
        assert_eq!(v.history.last().map(|e| e.action.as_str()), Some("report"));
        let config = acta_docs::DocumentsConfig::embedded().unwrap();
        let acta_docs::Document::Minutes(minutes) = acta
            .minutes_document(&config, &sitting_key("2023-11-20"))
            .await
            .unwrap()
        else {
            panic!("minutes expected");
        };
        let lines: Vec<String> = minutes.items.iter().flat_map(|i| i.lines.clone()).collect();
        assert!(
            lines.iter().any(|l| l
                .replace(['\u{202f}', '\u{a0}'], " ")
                .contains("Point reporté à la séance du 18 décembre 2023 : Pièces manquantes.")),
            "{on}: {lines:?}"
        );
    }
}

#[tokio::test]
async fn the_submission_deadline_is_enforced_and_the_emergency_path_marks_the_item() {
    let db = TestDatabase::sqlite().await.unwrap();
    seed(&db).await;
    let acta = at(&db, "2023-11-02T09:00:00Z");
    account(&acta, "redacteur", "instructeur").await;
    let author = Actor::new("redacteur");
    acta.create_circuit(
        &author,
        &CircuitInput {
            name: "Court".into(),
            steps: vec!["1:Direction:role=instructeur".into()],
        },
    )
    .await
    .unwrap();
    let id = acta
        .create_report_draft(
            &author,
            &NewReportDraft {
                circuit: "Court".into(),
                sitting: Some("2023-11-20".into()),
                matter: Some("7.5".into()),
                text: text("65738 – 5 000,00 €"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    acta.submit_report_draft(&author, id).await.unwrap();
    acta.validate_report_step(&author, id, &StepDecision::default())
        .await
        .unwrap();
    assert!(acta.report_dashboard().await.unwrap().late.len() == 1);
    let late = acta
        .place_report_on_agenda(&author, id, &AgendaPlacement::default())
        .await
        .unwrap_err();
    assert!(
        late.to_string().starts_with("Date limite dépassée"),
        "{late}"
    );
    assert!(late.to_string().contains("30 octobre 2023"), "{late}");
    acta.place_report_on_agenda(
        &author,
        id,
        &AgendaPlacement {
            emergency: Some("Crue de la Canche".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let v = acta.report_draft(id).await.unwrap();
    let last = v.history.last().unwrap();
    assert!(
        last.reason
            .as_deref()
            .unwrap_or_default()
            .contains("urgence : Crue de la Canche")
    );
}

async fn configure_mail(acta: &Acta, sink: &MailSink) {
    acta.configure_mail(
        &Actor::new("admin"),
        &MailSettingsInput {
            host: "127.0.0.1".into(),
            port: sink.port(),
            security: Some("aucune".into()),
            login: None,
            password_from: None,
            from: "assemblees@pasdecalais.fr".into(),
            from_name: Some("Département du Pas-de-Calais".into()),
            public_url: "https://acta.pasdecalais.fr".into(),
        },
    )
    .await
    .unwrap();
}

/// Gives every member an address made from their name.
async fn addresses(acta: &Acta) {
    for m in acta.members().await.unwrap() {
        let local =
            acta_domain::french::fold(&format!("{}.{}", m.name.first_name, m.name.last_name))
                .replace([' ', '\''], "-");
        acta.set_member_email(
            &Actor::new("admin"),
            &MemberEmailInput {
                member: m.id.to_string(),
                email: Some(format!("{local}@elus.pasdecalais.fr")),
            },
        )
        .await
        .unwrap();
    }
}

fn token_of(message: &acta_mail_sink::Received) -> String {
    let text = message.text();
    let start =
        text.find("/elus/convocation/").expect("a personal link") + "/elus/convocation/".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

#[tokio::test]
async fn the_seed_commission_is_convened_by_mail_too_late_only_in_emergency() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        seed(&db).await;
        let sink = MailSink::start().await.unwrap();
        // Five days before the sitting: the commission's seven clear days are past.
        let acta = at(&db, "2023-11-15T08:00:00Z");
        configure_mail(&acta, &sink).await;
        addresses(&acta).await;
        let staff = Actor::new("assemblees");
        let cp = sitting_key("2023-11-20");
        let late = acta
            .convene(&staff, &cp, &ConvocationInput::default(), &renderer())
            .await
            .unwrap_err();
        assert!(
            late.to_string().starts_with("Convocation tardive"),
            "{on}: {late}"
        );
        assert!(late.to_string().contains("12 novembre 2023"), "{late}");
        assert!(sink.messages().is_empty());
        let view = acta
            .convene(
                &staff,
                &cp,
                &ConvocationInput {
                    emergency: Some(
                        "Délibérations à prendre avant la clôture de l'exercice".into(),
                    ),
                },
                &renderer(),
            )
            .await
            .unwrap();
        assert_eq!(
            view.emergency_reason.as_deref(),
            Some("Délibérations à prendre avant la clôture de l'exercice")
        );
        // The 44 members with a deliberative vote; those without one are not convened by
        // default.
        assert_eq!(view.deliveries.len(), 44, "{on}");
        assert!(
            view.deliveries.iter().all(|d| d.status == "acceptee"),
            "{on}"
        );
        assert!(view.deliveries.iter().all(|d| {
            d.server_reply
                .as_deref()
                .is_some_and(|r| r.starts_with("250"))
        }));
        assert!(
            !view
                .deliveries
                .iter()
                .any(|d| d.member == "M. Jean-Louis COTTIGNY")
        );
        let messages = sink.wait_for(44, Duration::from_secs(10)).await;
        assert_eq!(messages.len(), 44, "{on}");
        let leroy = messages
            .iter()
            .find(|m| m.to == ["jean-claude.leroy@elus.pasdecalais.fr"])
            .expect("the president is convened");
        assert_eq!(
            leroy.subject(),
            "Convocation – Commission permanente du 20 novembre 2023"
        );
        assert!(
            leroy.text().starts_with("Monsieur LEROY,"),
            "{}",
            leroy.text()
        );
        assert!(leroy.text().contains("procédure d'urgence"));
        assert!(
            leroy
                .text()
                .contains("1. Rapport n°20 – CHAMBRE DE MÉTIERS ET DE L'ARTISANAT"),
            "{}",
            leroy.text()
        );
        assert!(
            leroy
                .text()
                .contains("https://acta.pasdecalais.fr/elus/convocation/")
        );
        // Every link is personal: 44 different tokens, each message's id kept as proof.
        let tokens: std::collections::BTreeSet<String> = messages.iter().map(token_of).collect();
        assert_eq!(tokens.len(), 44);
        // The letter, in PDF, goes with the message.
        let attachments = leroy.attachments();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].name, "convocation-2023-11-20.pdf");
        let letter = pdf_text(&attachments[0].content);
        insta::assert_snapshot!(
            "convocation_letter_leroy",
            pdf_lines(&attachments[0].content).replace(['\u{202f}', '\u{a0}'], " ")
        );
        for line in [
            "CONVOCATION — COMMISSION PERMANENTE DU 20 NOVEMBRE 2023",
            "Monsieur Jean-Claude LEROY",
            "procédure d'urgence : Délibérations à prendre avant la clôture de l'exercice.",
            "1. Rapport n°20 – CHAMBRE DE MÉTIERS ET DE L'ARTISANAT",
            "article L3121-16 du CGCT",
        ] {
            assert!(letter.contains(&squeezed(line)), "{line} : {letter}");
        }
        let leroy_view = view
            .deliveries
            .iter()
            .find(|d| d.member == "M. Jean-Claude LEROY")
            .unwrap();
        assert_eq!(leroy_view.message_id, leroy.header("Message-ID"));
        // Convened once only; the agenda is frozen.
        assert!(
            acta.convene(&staff, &cp, &ConvocationInput::default(), &renderer())
                .await
                .is_err()
        );
        let frozen = acta
            .add_item(
                &staff,
                &cp,
                &NewItem {
                    report_number: 99,
                    title: "TARDIF".into(),
                    matter: Some("7.5".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(
            frozen.to_string().starts_with("Ordre du jour figé"),
            "{frozen}"
        );
        // The minutes say how the assembly was convened.
        let config = acta_docs::DocumentsConfig::embedded().unwrap();
        let acta_docs::Document::Minutes(minutes) =
            acta.minutes_document(&config, &cp).await.unwrap()
        else {
            panic!("minutes expected");
        };
        let opening = minutes
            .opening
            .join(" ")
            .replace(['\u{202f}', '\u{a0}'], " ");
        assert!(
            opening.contains("Convocation adressée le 15 novembre 2023 selon la procédure d’urgence : Délibérations à prendre avant la clôture de l'exercice."),
            "{on}: {opening}"
        );
    }
}

#[tokio::test]
async fn on_time_members_without_vote_by_rule_paper_letters_and_refused_addresses() {
    let db = TestDatabase::sqlite().await.unwrap();
    seed(&db).await;
    let sink = MailSink::start().await.unwrap();
    let acta = at(&db, "2023-11-01T08:00:00Z");
    configure_mail(&acta, &sink).await;
    addresses(&acta).await;
    let admin = Actor::new("admin");
    let mut rules = acta.rules().await.unwrap();
    rules.convene_without_vote = true;
    acta.set_rules(&admin, &rules).await.unwrap();
    acta.set_member_email(
        &admin,
        &MemberEmailInput {
            member: "Pierre GEORGET".into(),
            email: None,
        },
    )
    .await
    .unwrap();
    sink.refuse("maryse.delassus@elus.pasdecalais.fr");
    let view = acta
        .convene(
            &admin,
            &sitting_key("2023-11-20"),
            &ConvocationInput::default(),
            &renderer(),
        )
        .await
        .unwrap();
    assert_eq!(view.emergency_reason, None);
    assert_eq!(view.deliveries.len(), 48);
    assert_eq!(view.paper, ["M. Pierre GEORGET"]);
    let paper = acta
        .paper_convocations(&sitting_key("2023-11-20"), &renderer())
        .await
        .unwrap()
        .expect("a letter to print");
    let text = pdf_text(&paper);
    assert!(
        text.contains(&squeezed("Monsieur Pierre GEORGET")),
        "{text}"
    );
    assert!(
        text.contains(&squeezed("Les rapports sont joints à ce courrier")),
        "{text}"
    );
    let status = |name: &str, v: &acta_app::convocations::ConvocationView| {
        v.deliveries
            .iter()
            .find(|d| d.member == name)
            .map(|d| d.status.clone())
    };
    assert_eq!(
        status("Mme Maryse DELASSUS", &view).as_deref(),
        Some("refusee")
    );
    assert_eq!(
        status("M. Jean-Louis COTTIGNY", &view).as_deref(),
        Some("acceptee")
    );
    assert_eq!(sink.wait_for(46, Duration::from_secs(10)).await.len(), 46);
    // The address corrected, the refused message goes again; the others do not.
    acta.set_member_email(
        &admin,
        &MemberEmailInput {
            member: "Maryse DELASSUS".into(),
            email: Some("m.delassus@pasdecalais.fr".into()),
        },
    )
    .await
    .unwrap();
    let again = acta
        .resend_convocation(&admin, &sitting_key("2023-11-20"), &renderer())
        .await
        .unwrap();
    assert_eq!(
        status("Mme Maryse DELASSUS", &again).as_deref(),
        Some("acceptee")
    );
    let messages = sink.wait_for(47, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 47);
    assert_eq!(messages.last().unwrap().to, ["m.delassus@pasdecalais.fr"]);
}

#[tokio::test]
async fn a_member_opens_the_link_annotates_gives_a_proxy_and_declares_an_interest() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        seed(&db).await;
        let sink = MailSink::start().await.unwrap();
        let acta = at(&db, "2023-11-01T08:00:00Z");
        let staff = Actor::new("assemblees");
        let cp = sitting_key("2023-11-20");
        // An item still to vote on, before the agenda freezes.
        let position = acta
            .add_item(
                &staff,
                &cp,
                &NewItem {
                    report_number: 21,
                    title: "FONDS D'INTERVENTION POUR L'ARTISANAT".into(),
                    matter: Some("7.5".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        configure_mail(&acta, &sink).await;
        addresses(&acta).await;
        account(&acta, "mdelassus", "elu").await;
        account(&acta, "bdesmarets", "elu").await;
        let admin = Actor::new("admin");
        acta.link_account_member(&admin, "mdelassus", "Maryse DELASSUS")
            .await
            .unwrap();
        acta.link_account_member(&admin, "bdesmarets", "Blandine DRAIN")
            .await
            .unwrap();
        assert!(
            acta.link_account_member(&admin, "bdesmarets", "Maryse DELASSUS")
                .await
                .is_err()
        );
        acta.convene(&staff, &cp, &ConvocationInput::default(), &renderer())
            .await
            .unwrap();
        let messages = sink.wait_for(44, Duration::from_secs(10)).await;
        let mine = messages
            .iter()
            .find(|m| m.to == ["maryse.delassus@elus.pasdecalais.fr"])
            .unwrap();
        let theirs = messages
            .iter()
            .find(|m| m.to == ["blandine.drain@elus.pasdecalais.fr"])
            .unwrap();
        let me = Actor::new("mdelassus");
        let colleague = Actor::new("bdesmarets");
        // Someone else's link does not open for this member.
        assert!(
            acta.open_convocation(&me, &token_of(theirs)).await.is_err(),
            "{on}"
        );
        let sitting = acta.open_convocation(&me, &token_of(mine)).await.unwrap();
        let opened = acta.convocation(&cp).await.unwrap();
        let proof = opened
            .deliveries
            .iter()
            .find(|d| d.member == "Mme Maryse DELASSUS")
            .unwrap();
        assert!(proof.opened_at.is_some());
        assert!(
            opened
                .deliveries
                .iter()
                .filter(|d| d.opened_at.is_some())
                .count()
                == 1
        );

        acta.annotate_report(
            &me,
            sitting,
            position,
            &AnnotationInput {
                text: "Demander le bilan 2022.".into(),
            },
        )
        .await
        .unwrap();
        let page = acta.member_sitting(&me, sitting).await.unwrap();
        let item = page.items.iter().find(|i| i.position == position).unwrap();
        assert_eq!(item.annotation.as_deref(), Some("Demander le bilan 2022."));
        let other = acta.member_sitting(&colleague, sitting).await.unwrap();
        assert!(
            other.items.iter().all(|i| i.annotation.is_none()),
            "{on}: a note is private"
        );

        // The proxy changes the expected quorum (the Commission counts those represented).
        let before = acta.expected_attendance(&cp).await.unwrap();
        acta.reply_to_convocation(
            &colleague,
            sitting,
            &ReplyInput {
                reply: "present".into(),
                holder: None,
            },
        )
        .await
        .unwrap();
        acta.reply_to_convocation(
            &me,
            sitting,
            &ReplyInput {
                reply: "pouvoir".into(),
                holder: Some("Blandine DRAIN".into()),
            },
        )
        .await
        .unwrap();
        let after = acta.expected_attendance(&cp).await.unwrap();
        assert_eq!(before.quorum.counted, 0);
        assert_eq!(
            (
                after.quorum.present,
                after.quorum.represented,
                after.quorum.counted
            ),
            (1, 1, 2),
            "{on}"
        );
        assert_eq!(
            after.represented,
            [(
                "Mme Maryse DELASSUS".to_string(),
                "Mme Blandine DRAIN".to_string()
            )]
        );
        assert_eq!(after.no_reply.len(), 42);
        // One delegation per holder.
        account(&acta, "jcleroy", "elu").await;
        acta.link_account_member(&admin, "jcleroy", "Jean-Claude LEROY")
            .await
            .unwrap();
        let second = acta
            .reply_to_convocation(
                &Actor::new("jcleroy"),
                sitting,
                &ReplyInput {
                    reply: "pouvoir".into(),
                    holder: Some("Blandine DRAIN".into()),
                },
            )
            .await
            .unwrap_err();
        assert!(second.to_string().contains("L3121-16"), "{second}");
        assert_eq!(
            acta.member_sitting(&me, sitting)
                .await
                .unwrap()
                .reply
                .as_deref(),
            Some("Pouvoir à Mme Blandine DRAIN")
        );

        // A declared interest shows on the item's vote.
        acta.declare_interest(
            &colleague,
            sitting,
            position,
            &InterestInput {
                reason: "administratrice de la Chambre de Métiers".into(),
            },
        )
        .await
        .unwrap();
        let preview = acta
            .preview_item(
                &cp,
                position,
                Some(&VoteInput::Totals {
                    for_: 42,
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
        let flags = preview
            .evaluation
            .vote
            .as_ref()
            .map(|v| v.flags.join(" "))
            .unwrap_or_default();
        assert!(
            flags.contains("Mme Blandine DRAIN") && flags.contains("déclaré un intérêt"),
            "{on}: {flags}"
        );
        // Staff accounts are not members.
        assert!(acta.member_sittings(&staff).await.is_err());
    }
}
