//! The CGCT's sitting rules through the application layer, on SQLite and PostgreSQL:
//! attendance per item, proxies, quorum per body, the three vote modes, majorities,
//! casting vote, déport, frozen votes and numbering.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::grants::AwardInput;
use acta_app::sittings::{NewItem, NewSitting, VoteInput};
use acta_app::{Acta, AppError};
use acta_domain::grant::AwardKind;
use acta_domain::item::VoteOptions;
use acta_domain::sitting::{AttendanceStatus, MovementKind};
use acta_domain::vote::Outcome;
use acta_store::testing::TestDatabase;
use common::*;

async fn sitting(acta: &Acta, body: &str, date: &str, reconvenes: Option<&str>) {
    acta.create_sitting(
        &actor(),
        &NewSitting {
            body: body.into(),
            date: date.into(),
            president: Some("Anne ALPHA".into()),
            secretary: Some("Bruno BETA".into()),
            reconvenes: reconvenes.map(Into::into),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

async fn item(acta: &Acta, date: &str, report: u32) -> u32 {
    acta.add_item(
        &actor(),
        &sitting_key(date),
        &NewItem {
            report_number: report,
            title: format!("RAPPORT DE TEST {report}"),
            matter: Some("7.5".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn roll_call(acta: &Acta, date: &str, present: &[&str], excused: &[&str]) {
    acta.record_attendance(
        &actor(),
        &sitting_key(date),
        &attendance(AttendanceStatus::Present, &names(present)),
    )
    .await
    .unwrap();
    if !excused.is_empty() {
        acta.record_attendance(
            &actor(),
            &sitting_key(date),
            &attendance(AttendanceStatus::Excused, &names(excused)),
        )
        .await
        .unwrap();
    }
}

fn per_member(ballots: &[(&str, &str)]) -> VoteInput {
    VoteInput::PerMember {
        ballots: ballots
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    }
}

fn all_for() -> VoteInput {
    per_member(&ALL.map(|n| (n, "pour")))
}

fn public() -> VoteOptions {
    VoteOptions {
        secret: false,
        president_vote: None,
    }
}

#[tokio::test]
async fn quorum_counts_proxies_in_the_commission_not_in_the_council_and_a_reconvened_sitting_deliberates()
 {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        for (body, date) in [("cd", "2026-03-02"), ("cp", "2026-03-03")] {
            sitting(&acta, body, date, None).await;
            item(&acta, date, 1).await;
            roll_call(
                &acta,
                date,
                &["Anne ALPHA", "Bruno BETA"],
                &["Chloé GAMMA", "David DELTA", "Emma EPSILON", "Félix ZETA"],
            )
            .await;
            acta.give_proxy(
                &actor(),
                &sitting_key(date),
                &proxy("Chloé GAMMA", "Anne ALPHA", 1),
            )
            .await
            .unwrap();
            acta.give_proxy(
                &actor(),
                &sitting_key(date),
                &proxy("David DELTA", "Bruno BETA", 1),
            )
            .await
            .unwrap();
        }
        let vote = per_member(&[
            ("Anne ALPHA", "pour"),
            ("Bruno BETA", "pour"),
            ("Chloé GAMMA", "pour"),
            ("David DELTA", "contre"),
        ]);

        let err = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-02"),
                1,
                Some(&vote),
                &public(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Quorum : 2 présents sur 6 en exercice, quorum 4 : non atteint (les 2 pouvoirs ne comptent pas pour le quorum). L'affaire ne peut pas être délibérée ; elle pourra l'être à une séance reconvoquée au moins trois jours plus tard, quel que soit le nombre de présents.",
            "{}",
            db.name()
        );
        let cp = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                1,
                Some(&vote),
                &public(),
            )
            .await
            .unwrap();
        assert_eq!(
            cp.evaluation.quorum.explanation,
            "2 présents et 2 représentés sur 6 en exercice, quorum 4 : atteint"
        );
        assert_eq!(cp.evaluation.decision.outcome, Outcome::Adopted);
        let ballot = cp
            .evaluation
            .vote
            .as_ref()
            .unwrap()
            .ballots
            .iter()
            .find(|b| b.cast_by.is_some())
            .unwrap();
        assert!(ballot.cast_by.is_some());

        // Reconvened only two days later: still no quorum.
        sitting(&acta, "cd", "2026-03-04", Some("2026-03-02")).await;
        item(&acta, "2026-03-04", 1).await;
        roll_call(&acta, "2026-03-04", &["Anne ALPHA", "Bruno BETA"], &[]).await;
        let two = per_member(&[("Anne ALPHA", "pour"), ("Bruno BETA", "pour")]);
        assert!(
            acta.close_item(
                &actor(),
                &sitting_key("2026-03-04"),
                1,
                Some(&two),
                &public()
            )
            .await
            .is_err()
        );
        // Three days later: deliberates whatever the number present.
        sitting(&acta, "cd", "2026-03-05", Some("2026-03-02")).await;
        item(&acta, "2026-03-05", 1).await;
        roll_call(&acta, "2026-03-05", &["Anne ALPHA", "Bruno BETA"], &[]).await;
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-05"),
                1,
                Some(&two),
                &public(),
            )
            .await
            .unwrap();
        assert!(r.evaluation.quorum.waived);
        assert!(
            r.evaluation
                .quorum
                .explanation
                .contains("quel que soit le nombre de présents"),
            "{}",
            r.evaluation.quorum.explanation
        );
        // One sequence per year, shared by the bodies: the Commission's was 2026-1.
        assert_eq!(r.number.as_deref(), Some("2026-2"));
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_member_who_left_after_item_1_cannot_vote_on_item_2() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        sitting(&acta, "cp", "2026-03-03", None).await;
        for n in 1..=3 {
            item(&acta, "2026-03-03", n).await;
        }
        roll_call(&acta, "2026-03-03", &ALL, &[]).await;
        acta.record_movement(
            &actor(),
            &sitting_key("2026-03-03"),
            &movement("Bruno BETA", MovementKind::Leaves, 2),
        )
        .await
        .unwrap();
        acta.record_movement(
            &actor(),
            &sitting_key("2026-03-03"),
            &movement("Bruno BETA", MovementKind::Arrives, 3),
        )
        .await
        .unwrap();

        acta.close_item(
            &actor(),
            &sitting_key("2026-03-03"),
            1,
            Some(&all_for()),
            &public(),
        )
        .await
        .unwrap();
        let err = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                2,
                Some(&all_for()),
                &public(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Vote refusé : M. Bruno BETA n'est ni présent(e) ni représenté(e) au point 2."
        );
        let without_beta = per_member(&[
            ("Anne ALPHA", "pour"),
            ("Chloé GAMMA", "pour"),
            ("David DELTA", "pour"),
            ("Emma EPSILON", "contre"),
            ("Félix ZETA", "abstention"),
        ]);
        let r2 = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                2,
                Some(&without_beta),
                &public(),
            )
            .await
            .unwrap();
        assert_eq!(r2.absent, ["M. Bruno BETA"]);
        // Back for item 3.
        let r3 = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                3,
                Some(&all_for()),
                &public(),
            )
            .await
            .unwrap();
        assert_eq!(r3.present.len(), 6);
        assert_eq!(
            [r2.number.as_deref(), r3.number.as_deref()],
            [Some("2026-2"), Some("2026-3")]
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn proxies_one_per_holder_follow_the_holder_and_can_be_reassigned() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        sitting(&acta, "cp", "2026-03-03", None).await;
        item(&acta, "2026-03-03", 1).await;
        item(&acta, "2026-03-03", 2).await;
        roll_call(
            &acta,
            "2026-03-03",
            &["Anne ALPHA", "Bruno BETA", "Chloé GAMMA", "David DELTA"],
            &["Emma EPSILON", "Félix ZETA"],
        )
        .await;
        acta.give_proxy(
            &actor(),
            &sitting_key("2026-03-03"),
            &proxy("Emma EPSILON", "Chloé GAMMA", 1),
        )
        .await
        .unwrap();
        let err = acta
            .give_proxy(
                &actor(),
                &sitting_key("2026-03-03"),
                &proxy("Félix ZETA", "Chloé GAMMA", 1),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("ne peut détenir qu'une délégation (article L3121-16 du CGCT)"),
            "{err}"
        );
        assert_eq!(
            acta.journal_of("pouvoir", "2").await.unwrap().len(),
            0,
            "refused proxy not written"
        );
        acta.give_proxy(
            &actor(),
            &sitting_key("2026-03-03"),
            &proxy("Félix ZETA", "David DELTA", 1),
        )
        .await
        .unwrap();

        // The holder of Emma's proxy leaves after item 1: her vote leaves too…
        acta.record_movement(
            &actor(),
            &sitting_key("2026-03-03"),
            &movement("Chloé GAMMA", MovementKind::Leaves, 2),
        )
        .await
        .unwrap();
        let r = acta
            .preview_item(&sitting_key("2026-03-03"), 2, None, &public())
            .await
            .unwrap();
        assert!(r.absent.contains(&"Mme Emma EPSILON".to_string()));
        assert!(
            r.evaluation
                .presence
                .notes
                .iter()
                .any(|n| n.contains("tombe"))
        );
        // …unless it is reassigned from item 2.
        acta.give_proxy(
            &actor(),
            &sitting_key("2026-03-03"),
            &proxy("Emma EPSILON", "Anne ALPHA", 2),
        )
        .await
        .unwrap();
        let r = acta
            .preview_item(&sitting_key("2026-03-03"), 2, None, &public())
            .await
            .unwrap();
        assert_eq!(
            r.represented,
            [
                ("Mme Emma EPSILON".to_string(), "Mme Anne ALPHA".to_string()),
                ("M. Félix ZETA".to_string(), "M. David DELTA".to_string())
            ]
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn group_votes_ties_casting_vote_and_secret_ballot() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        sitting(&acta, "cp", "2026-03-03", None).await;
        for n in 1..=4 {
            item(&acta, "2026-03-03", n).await;
        }
        roll_call(&acta, "2026-03-03", &ALL, &[]).await;
        // "Groupe Un pour, sauf Chloé GAMMA contre ; Groupe Deux contre ; Félix ZETA abstention".
        let groups = VoteInput::PerGroup {
            groups: vec![
                ("Groupe Un".into(), "pour".into()),
                ("Groupe Deux".into(), "contre".into()),
            ],
            exceptions: vec![
                ("Chloé GAMMA".into(), "contre".into()),
                ("Félix ZETA".into(), "abstention".into()),
            ],
        };
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                1,
                Some(&groups),
                &public(),
            )
            .await
            .unwrap();
        let t = r.evaluation.vote.as_ref().unwrap().tally;
        assert_eq!(
            (t.for_, t.against, t.abstention),
            (2, 3, 1),
            "{}",
            db.name()
        );
        assert_eq!(r.evaluation.decision.outcome, Outcome::Rejected);
        assert_eq!(r.number, None, "a rejected deliberation is not numbered");

        // 3 for (the president among them) against 3: the president's vote decides.
        let tie = per_member(&[
            ("Anne ALPHA", "pour"),
            ("Bruno BETA", "pour"),
            ("Chloé GAMMA", "pour"),
            ("David DELTA", "contre"),
            ("Emma EPSILON", "contre"),
            ("Félix ZETA", "contre"),
        ]);
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                2,
                Some(&tie),
                &public(),
            )
            .await
            .unwrap();
        assert!(r.evaluation.decision.casting_vote_used);
        assert!(
            r.evaluation
                .decision
                .explanation
                .contains("la voix du président, pour, est prépondérante")
        );
        assert_eq!(r.number.as_deref(), Some("2026-1"));

        // A tie entered in totals needs the president's vote…
        let totals = VoteInput::Totals {
            for_: 3,
            against: 3,
            abstention: 0,
            not_participating: 0,
            groups: vec![],
        };
        let err = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                3,
                Some(&totals),
                &public(),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("indiquez comment le président a voté"),
            "{err}"
        );
        // …except in a secret ballot, where a tie rejects.
        let secret = VoteOptions {
            secret: true,
            president_vote: None,
        };
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                3,
                Some(&totals),
                &secret,
            )
            .await
            .unwrap();
        assert_eq!(r.evaluation.decision.outcome, Outcome::Rejected);
        // A secret ballot has no names.
        let err = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                4,
                Some(&all_for()),
                &secret,
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("scrutin secret ne se saisit qu'en totaux"),
            "{err}"
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn special_majority_take_note_and_gapless_numbering() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        sitting(&acta, "cp", "2026-03-03", None).await;
        roll_call(&acta, "2026-03-03", &ALL, &[]).await;
        let without_matter = acta
            .add_item(
                &actor(),
                &sitting_key("2026-03-03"),
                &NewItem {
                    report_number: 1,
                    title: "RAPPORT D'ACTIVITÉ".into(),
                    take_note: true,
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(
            without_matter.to_string().contains("Matière ACTES"),
            "{without_matter}"
        );
        acta.add_item(
            &actor(),
            &sitting_key("2026-03-03"),
            &NewItem {
                report_number: 1,
                title: "RAPPORT D'ACTIVITÉ".into(),
                take_note: true,
                matter: Some("5.2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        acta.add_item(
            &actor(),
            &sitting_key("2026-03-03"),
            &NewItem {
                report_number: 2,
                title: "AVIS CONFORME".into(),
                majority: Some("2/3".into()),
                matter: Some("9.2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        item(&acta, "2026-03-03", 3).await;

        let err = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                1,
                Some(&all_for()),
                &public(),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("prend seulement acte"), "{err}");
        let r = acta
            .close_item(&actor(), &sitting_key("2026-03-03"), 1, None, &public())
            .await
            .unwrap();
        assert_eq!(r.evaluation.decision.outcome, Outcome::TakenNote);
        assert_eq!(r.number.as_deref(), Some("2026-1"));

        // 3 for, 2 against: a simple majority but not two thirds.
        let three_two = per_member(&[
            ("Anne ALPHA", "pour"),
            ("Bruno BETA", "pour"),
            ("Chloé GAMMA", "pour"),
            ("David DELTA", "contre"),
            ("Emma EPSILON", "contre"),
            ("Félix ZETA", "npp"),
        ]);
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                2,
                Some(&three_two),
                &public(),
            )
            .await
            .unwrap();
        assert_eq!(r.evaluation.decision.outcome, Outcome::Rejected);
        assert!(r.evaluation.decision.explanation.contains("deux tiers"));
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                3,
                Some(&three_two),
                &public(),
            )
            .await
            .unwrap();
        assert_eq!(
            (r.number.as_deref(), r.actes_number.as_deref()),
            (Some("2026-2"), Some("2026_2"))
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_closed_vote_is_frozen_and_deport_is_flagged() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        sitting(&acta, "cp", "2026-03-03", None).await;
        item(&acta, "2026-03-03", 1).await;
        roll_call(&acta, "2026-03-03", &ALL, &[]).await;
        let asso = acta.find_beneficiary("21860194600013").await.unwrap();
        acta.add_beneficiary_seat(
            &actor(),
            "David DELTA",
            asso.id,
            "membre du conseil d'administration",
        )
        .await
        .unwrap();
        let award = AwardInput {
            beneficiary: "21860194600013".into(),
            budget_line: "OP-TEST".into(),
            amount: "30 000".into(),
            year: 2026,
            kind: AwardKind::Subsidy.code().into(),
            purpose: "fonctionnement 2026".into(),
            ..Default::default()
        };
        let sitting = sitting_key("2026-03-03");
        acta.propose_award(&actor(), &sitting, 1, &award)
            .await
            .unwrap();
        // More than what is left is refused.
        let too_much = AwardInput {
            amount: "70 000,01".into(),
            ..award.clone()
        };
        let err = acta
            .propose_award(&actor(), &sitting, 1, &too_much)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string().replace(['\u{202f}', '\u{a0}'], " "),
            "Crédits insuffisants sur l'opération OP-TEST (65748//93221) : disponible 100 000 €, dont 30 000 € déjà proposés par d'autres rapports en attente de vote ; proposition 70 000,01 €."
        );

        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                1,
                Some(&all_for()),
                &public(),
            )
            .await
            .unwrap();
        let flags = &r.evaluation.vote.as_ref().unwrap().flags;
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert!(flags[0].starts_with("Déport : M. David DELTA siège dans les instances de Association des Collèges (membre du conseil d'administration)"), "{}", flags[0]);
        // Adoption committed the award on the line.
        let row = acta
            .budget_line_row("OP-TEST", 2026, acta_domain::Amount::ZERO)
            .await
            .unwrap();
        assert_eq!(row.available.centimes(), 7_000_000);

        // Later edits to the sitting never rewrite the closed vote.
        acta.record_attendance(
            &actor(),
            &sitting_key("2026-03-03"),
            &attendance(
                AttendanceStatus::Absent,
                &names(&["Bruno BETA", "Chloé GAMMA"]),
            ),
        )
        .await
        .unwrap();
        let view = acta.sitting_view(&sitting_key("2026-03-03")).await.unwrap();
        let vote = view.agenda[0].vote.as_ref().unwrap();
        assert_eq!((vote.present, vote.for_), (6, 6));
        assert_eq!(vote.flags.len(), 1);
        let shown = acta
            .preview_item(&sitting_key("2026-03-03"), 1, None, &public())
            .await
            .unwrap();
        assert!(shown.closed);
        assert_eq!(shown.present.len(), 6);
        let err = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                1,
                Some(&all_for()),
                &public(),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)));
        assert!(
            err.to_string()
                .contains("déjà clos (délibération N°2026-1)"),
            "{err}"
        );
        db.cleanup().await.unwrap();
    }
}

/// The reliability issue's finding: `--for 4294967295 --abstention 1 --not-participating 5`
/// wrapped to a total of 6 and adopted; `--for 4294967295 --against 1` wrapped to 0.
#[tokio::test]
async fn vote_counts_beyond_the_members_in_office_are_refused_and_nothing_is_written() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        sitting(&acta, "cp", "2026-03-03", None).await;
        item(&acta, "2026-03-03", 1).await;
        roll_call(&acta, "2026-03-03", &ALL, &[]).await;
        let journal = acta.journal_size().await.unwrap();
        for (for_, against, abstention, not_participating) in
            [(u32::MAX, 0, 1, 5), (u32::MAX, 1, 0, 0), (7, 0, 0, 0)]
        {
            let totals = VoteInput::Totals {
                for_,
                against,
                abstention,
                not_participating,
                groups: vec![],
            };
            let preview = acta
                .preview_item(&sitting_key("2026-03-03"), 1, Some(&totals), &public())
                .await;
            assert!(preview.is_err(), "{}", db.name());
            let err = acta
                .close_item(
                    &actor(),
                    &sitting_key("2026-03-03"),
                    1,
                    Some(&totals),
                    &public(),
                )
                .await
                .unwrap_err();
            assert!(
                err.to_string().contains("pour 6 membres en exercice"),
                "{}: {err}",
                db.name()
            );
        }
        assert_eq!(acta.journal_size().await.unwrap(), journal, "{}", db.name());
        // The item is still open: a possible count closes it.
        let totals = VoteInput::Totals {
            for_: 6,
            against: 0,
            abstention: 0,
            not_participating: 0,
            groups: vec![],
        };
        let r = acta
            .close_item(
                &actor(),
                &sitting_key("2026-03-03"),
                1,
                Some(&totals),
                &public(),
            )
            .await
            .unwrap();
        assert_eq!(r.number.as_deref(), Some("2026-1"), "{}", db.name());
        db.cleanup().await.unwrap();
    }
}
