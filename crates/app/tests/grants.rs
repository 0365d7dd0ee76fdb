//! Grants and budget through the application layer, on SQLite and PostgreSQL: credits,
//! conventions, schedules, payments, documents, reimbursements, amendments.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::execution::{
    NewAmendment, NewConvention, ReimbursementInput, ScheduleInput, TrancheSpec,
};
use acta_app::grants::{AwardInput, NewBudgetLine};
use acta_app::input::BankAccountInput;
use acta_app::sittings::{NewItem, NewSitting, VoteInput};
use acta_app::{Acta, Actor, FixedClock};
use acta_domain::Amount;
use acta_domain::convention::{ConventionStatus, DueRule, Trigger};
use acta_domain::grant::AwardKind;
use acta_domain::item::VoteOptions;
use acta_domain::sitting::AttendanceStatus;
use acta_store::testing::TestDatabase;
use common::*;

fn euros(e: i64) -> Amount {
    Amount::from_euros(e).unwrap()
}

fn plain(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

async fn demo(db: &TestDatabase) -> Acta {
    let acta = Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2024-07-01T08:00:00Z".parse().unwrap()));
    acta.load_demo(&Actor::new("demo")).await.unwrap();
    acta
}

async fn available(acta: &Acta) -> Amount {
    acta.budget_line_row("C01-620A06", 2023, Amount::ZERO)
        .await
        .unwrap()
        .available
}

#[tokio::test]
async fn the_seed_convention_is_paid_as_its_schedule_says_then_closed() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let a = actor();
        let e = acta.grant_execution(&award_key("2023-479")).await.unwrap();
        assert_eq!(
            (e.amount, e.paid, e.remaining_due),
            (euros(120_000), Amount::ZERO, euros(120_000))
        );
        assert_eq!(
            e.tranches[1].document_due.unwrap().to_string(),
            "2024-06-30"
        );
        assert_eq!(available(&acta).await, Amount::ZERO);

        // Above 23 000 € a year: no payment before the convention is signed.
        let err = acta
            .record_payment(
                &a,
                &award_key("2023-479"),
                &payment(1, "2023-12-15", "100 000", "M-2023-0001"),
            )
            .await
            .unwrap_err();
        assert!(plain(&err.to_string()).contains("reçoit 120 000 € en 2023, au-delà de 23 000 € par an ; une convention signée est obligatoire"), "{err}");
        let err = acta
            .sign_convention(&a, &award_key("2023-479"), &signature("2023-11-19"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("précède la délibération"), "{err}");
        acta.sign_convention(&a, &award_key("2023-479"), &signature("2023-12-01"))
            .await
            .unwrap();
        acta.receive_document(
            &a,
            &award_key("2023-479"),
            &document(1, "2023-12-04", "Appel à versement"),
        )
        .await
        .unwrap();
        let e = acta
            .record_payment(
                &a,
                &award_key("2023-479"),
                &payment(1, "2023-12-15", "100 000", "M-2023-0001"),
            )
            .await
            .unwrap();
        assert_eq!(e.status, Some(ConventionStatus::InExecution));
        assert_eq!(e.paid, euros(100_000));

        // The balance waits for the activity report, due before 30 June 2024.
        let err = acta
            .record_payment(
                &a,
                &award_key("2023-479"),
                &payment(2, "2024-05-02", "20 000", "M-2024-0100"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("attend la réception du rapport d’activités annuel"),
            "{err}"
        );
        assert!(
            acta.overdue_documents("2024-06-30")
                .await
                .unwrap()
                .is_empty()
        );
        let overdue = acta.overdue_documents("2024-07-01").await.unwrap();
        assert_eq!(overdue.len(), 1, "{}", db.name());
        assert_eq!(overdue[0].deliberation_number.as_deref(), Some("2023-479"));
        assert_eq!(overdue[0].overdue.amount_waiting, euros(20_000));
        acta.receive_document(
            &a,
            &award_key("2023-479"),
            &document(2, "2024-06-12", "Rapport d'activités 2023"),
        )
        .await
        .unwrap();
        assert!(
            acta.overdue_documents("2024-07-01")
                .await
                .unwrap()
                .is_empty()
        );
        let err = acta
            .record_payment(
                &a,
                &award_key("2023-479"),
                &payment(2, "2024-06-20", "20 000,01", "M-2024-0101"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("dépasse ce qui reste sur la tranche n°2"),
            "{err}"
        );
        let e = acta
            .record_payment(
                &a,
                &award_key("2023-479"),
                &payment(2, "2024-06-20", "20 000", "M-2024-0101"),
            )
            .await
            .unwrap();
        assert_eq!(e.status, Some(ConventionStatus::BalancePaid));
        assert_eq!(e.remaining_due, Amount::ZERO);
        acta.close_convention(&a, &award_key("2023-479"))
            .await
            .unwrap();
        assert_eq!(
            acta.convention_view(&award_key("2023-479"))
                .await
                .unwrap()
                .status,
            ConventionStatus::Closed
        );
        assert!(
            acta.record_payment(
                &a,
                &award_key("2023-479"),
                &payment(2, "2024-06-21", "1", "M")
            )
            .await
            .is_err()
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn reimbursements_to_the_centime_and_credits_released() {
    for (ground, recover, cancelled, status) in [
        (
            ReimbursementInput {
                ceased_on: Some("2023-09-30".into()),
                ..Default::default()
            },
            Amount::from_centimes(1_024_658),
            euros(20_000),
            ConventionStatus::Terminated,
        ),
        (
            ReimbursementInput {
                executed: Some("75 %".into()),
                ..Default::default()
            },
            euros(10_000),
            euros(20_000),
            ConventionStatus::BalancePaid,
        ),
    ] {
        for db in TestDatabase::all().await.unwrap() {
            let acta = demo(&db).await;
            let a = actor();
            acta.sign_convention(&a, &award_key("2023-479"), &signature("2023-12-01"))
                .await
                .unwrap();
            acta.receive_document(
                &a,
                &award_key("2023-479"),
                &document(1, "2023-12-04", "Appel à versement"),
            )
            .await
            .unwrap();
            acta.record_payment(
                &a,
                &award_key("2023-479"),
                &payment(1, "2023-12-15", "100 000", "M-1"),
            )
            .await
            .unwrap();
            let decision = ReimbursementInput {
                date: "2024-02-01".into(),
                receipt_title: Some("T-2024-12".into()),
                ..ground.clone()
            };
            let d = acta
                .decide_reimbursement(&a, &award_key("2023-479"), &decision)
                .await
                .unwrap();
            assert_eq!(
                (d.to_recover, d.cancelled_due),
                (recover, cancelled),
                "{}",
                d.explanation
            );
            let e = acta.grant_execution(&award_key("2023-479")).await.unwrap();
            assert_eq!(e.recovered, recover);
            assert_eq!(e.status, Some(status));
            assert_eq!(e.tranches[1].cancelled, euros(20_000));
            // The 20 000 € no longer due go back to the line.
            assert_eq!(available(&acta).await, euros(20_000), "{}", db.name());
            assert!(
                acta.record_payment(
                    &a,
                    &award_key("2023-479"),
                    &payment(2, "2024-06-20", "1", "M-2")
                )
                .await
                .is_err()
            );
            assert!(
                acta.decide_reimbursement(
                    &a,
                    &award_key("2023-479"),
                    &ReimbursementInput {
                        date: "2024-03-01".into(),
                        ..ground.clone()
                    }
                )
                .await
                .is_err()
            );
            db.cleanup().await.unwrap();
        }
    }
}

#[tokio::test]
async fn amendments_change_amount_and_schedule_and_keep_every_version() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let a = actor();
        let spec = |amount: &str, trigger: Trigger| TrancheSpec {
            amount: amount.into(),
            trigger,
            label: None,
        };
        let report = Trigger::OnDocument {
            document: "rapport d’activités annuel".into(),
            due: Some(DueRule {
                month: 6,
                day: 30,
                years_after: 1,
            }),
        };
        let amendment = |amount: &str, second: &str| NewAmendment {
            signed_on: "2024-03-01".into(),
            object: "Ajustement du programme d'actions".into(),
            amount: Some(amount.into()),
            schedule: Some(ScheduleInput::Tranches(vec![
                spec("100 000", Trigger::OnSignature { upon_request: true }),
                spec(second, report.clone()),
            ])),
            execution_end: Some("2024-12-31".into()),
        };
        // A draft is edited, not amended.
        assert!(
            acta.amend_convention(&a, &award_key("2023-479"), &amendment("110 000", "10 000"))
                .await
                .is_err()
        );
        acta.sign_convention(&a, &award_key("2023-479"), &signature("2023-12-01"))
            .await
            .unwrap();
        acta.receive_document(
            &a,
            &award_key("2023-479"),
            &document(1, "2023-12-04", "Appel à versement"),
        )
        .await
        .unwrap();
        acta.record_payment(
            &a,
            &award_key("2023-479"),
            &payment(1, "2023-12-15", "100 000", "M-1"),
        )
        .await
        .unwrap();
        // No credits left on the line for 10 000 € more.
        let err = acta
            .amend_convention(&a, &award_key("2023-479"), &amendment("130 000", "30 000"))
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Crédits insuffisants sur l'opération C01-620A06"),
            "{err}"
        );
        // Below what was paid on a tranche: refused.
        let below = NewAmendment {
            schedule: Some(ScheduleInput::Tranches(vec![
                spec("90 000", Trigger::OnSignature { upon_request: true }),
                spec("20 000", report.clone()),
            ])),
            ..amendment("110 000", "10 000")
        };
        assert!(
            acta.amend_convention(&a, &award_key("2023-479"), &below)
                .await
                .unwrap_err()
                .to_string()
                .contains("a déjà reçu")
        );
        let n = acta
            .amend_convention(&a, &award_key("2023-479"), &amendment("110 000", "10 000"))
            .await
            .unwrap();
        assert_eq!(n, 1);
        let c = acta.convention_view(&award_key("2023-479")).await.unwrap();
        assert_eq!(c.amount.centimes, 11_000_000);
        assert_eq!(c.execution_end.unwrap().to_string(), "2024-12-31");
        assert_eq!(c.execution.amendments.len(), 1);
        let versions = acta
            .convention_versions(&award_key("2023-479"))
            .await
            .unwrap();
        assert_eq!(versions.len(), 2, "{}", db.name());
        assert_eq!(versions[0].convention.amount, euros(120_000));
        assert_eq!(versions[0].convention.schedule[1].amount, euros(20_000));
        assert_eq!(versions[1].convention.amount, euros(110_000));
        assert!(versions[1].amendment.is_some());
        assert_eq!(available(&acta).await, euros(10_000));
        // The balance is now 10 000 €.
        acta.receive_document(
            &a,
            &award_key("2023-479"),
            &document(2, "2024-06-12", "Rapport 2023"),
        )
        .await
        .unwrap();
        assert!(
            acta.record_payment(
                &a,
                &award_key("2023-479"),
                &payment(2, "2024-06-20", "20 000", "M-2")
            )
            .await
            .is_err()
        );
        let e = acta
            .record_payment(
                &a,
                &award_key("2023-479"),
                &payment(2, "2024-06-20", "10 000", "M-2"),
            )
            .await
            .unwrap();
        assert_eq!(e.status, Some(ConventionStatus::BalancePaid));
        db.cleanup().await.unwrap();
    }
}

async fn adopted_award(acta: &Acta, amount: &str) {
    let a = actor();
    acta.create_sitting(
        &a,
        &NewSitting {
            body: "cp".into(),
            date: "2026-03-03".into(),
            president: Some("Anne ALPHA".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    acta.add_item(
        &a,
        &sitting_key("2026-03-03"),
        &NewItem {
            report_number: 1,
            title: "COLLÈGES - AIDE 2026".into(),
            matter: Some("7.5".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    acta.record_attendance(
        &a,
        &sitting_key("2026-03-03"),
        &attendance(AttendanceStatus::Present, &names(&ALL)),
    )
    .await
    .unwrap();
    acta.propose_award(
        &a,
        &sitting_key("2026-03-03"),
        1,
        &AwardInput {
            beneficiary: "21860194600013".into(),
            budget_line: "OP-TEST".into(),
            amount: amount.into(),
            year: 2026,
            kind: AwardKind::Subsidy.code().into(),
            purpose: "le fonctionnement de l'association en 2026".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let all_for = VoteInput::Totals {
        for_: 6,
        against: 0,
        abstention: 0,
        not_participating: 0,
        groups: vec![],
    };
    acta.close_item(
        &a,
        &sitting_key("2026-03-03"),
        1,
        Some(&all_for),
        &VoteOptions {
            secret: false,
            president_vote: None,
        },
    )
    .await
    .unwrap();
}

fn account() -> BankAccountInput {
    BankAccountInput {
        holder: "Association des Collèges".into(),
        bank_name: "Banque".into(),
        rib: Some("30006 00001 12345678901 89".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_small_subsidy_is_paid_without_convention_but_not_without_a_bank_account() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        adopted_award(&acta, "20 000").await;
        let key = "2026-1";
        let err = acta
            .record_payment(
                &actor(),
                &award_key(key),
                &payment(1, "2026-03-10", "20 000", "M-1"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("relevé d'identité bancaire"),
            "{err}"
        );
        let asso = acta.find_beneficiary("21860194600013").await.unwrap();
        acta.add_bank_account(&actor(), asso.id, &account())
            .await
            .unwrap();
        assert!(
            acta.record_payment(
                &actor(),
                &award_key(key),
                &payment(1, "2026-03-02", "20 000", "M-1")
            )
            .await
            .unwrap_err()
            .to_string()
            .contains("précède la délibération")
        );
        let e = acta
            .record_payment(
                &actor(),
                &award_key(key),
                &payment(1, "2026-03-10", "20 000", "M-1"),
            )
            .await
            .unwrap();
        assert_eq!(
            (e.paid, e.remaining_due, e.status),
            (euros(20_000), Amount::ZERO, None)
        );
        // Paid: cannot be cancelled any more.
        assert!(
            acta.cancel_award(&actor(), &award_key(key))
                .await
                .unwrap_err()
                .to_string()
                .contains("des versements ont eu lieu")
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_convention_is_drawn_up_from_an_adopted_award_and_an_unpaid_award_cancelled() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        adopted_award(&acta, "30 000,01").await;
        let row = acta
            .budget_line_row("OP-TEST", 2026, Amount::ZERO)
            .await
            .unwrap();
        assert_eq!(row.available, Amount::from_centimes(6_999_999));
        let asso = acta.find_beneficiary("21860194600013").await.unwrap();
        acta.add_bank_account(&actor(), asso.id, &account())
            .await
            .unwrap();
        let input = NewConvention {
            schedule: ScheduleInput::Tranches(vec![
                TrancheSpec {
                    amount: "80 %".into(),
                    trigger: Trigger::OnSignature { upon_request: true },
                    label: None,
                },
                TrancheSpec {
                    amount: "20 %".into(),
                    trigger: Trigger::OnDocument {
                        document: "compte rendu financier".into(),
                        due: Some(DueRule {
                            month: 6,
                            day: 30,
                            years_after: 1,
                        }),
                    },
                    label: Some("le solde".into()),
                },
            ]),
            court: "tribunal administratif de LILLE".into(),
            ..Default::default()
        };
        acta.create_convention(&actor(), &award_key("2026-1"), &input)
            .await
            .unwrap();
        assert!(
            acta.create_convention(&actor(), &award_key("2026-1"), &input)
                .await
                .is_err()
        );
        let c = acta.convention_view(&award_key("2026-1")).await.unwrap();
        // 80 % of 30 000,01 rounds down; the last tranche takes the remainder.
        assert_eq!(c.schedule[0].amount.centimes, 2_400_000);
        assert_eq!(c.schedule[1].amount.centimes, 600_001);
        assert_eq!(
            c.department_representative,
            "Mme Anne ALPHA, Présidente du Conseil départemental"
        );
        assert_eq!(c.reimbursement_cases.len(), 5);
        assert!(c.bank_account.is_some());
        assert_eq!(c.status, ConventionStatus::Draft);
        assert!(!c.tacit_renewal);
        // Unpaid: cancelled, credits released, the draft convention ends.
        acta.cancel_award(&actor(), &award_key("2026-1"))
            .await
            .unwrap();
        let row = acta
            .budget_line_row("OP-TEST", 2026, Amount::ZERO)
            .await
            .unwrap();
        assert_eq!(row.available, euros(100_000), "{}", db.name());
        assert_eq!(
            acta.convention_view(&award_key("2026-1"))
                .await
                .unwrap()
                .status,
            ConventionStatus::Terminated
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn budget_lines_follow_the_m57_chart() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly(&db).await;
        let line = |imputation: &str| NewBudgetLine {
            year: 2026,
            operation_code: "OP-ASSO".into(),
            label: "SUBVENTIONS AUX ASSOCIATIONS".into(),
            imputation: imputation.into(),
            voted: "50 000".into(),
        };
        let err = acta
            .add_budget_line(&actor(), &line("6574//93221"))
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "compte_nature");
        assert!(err.to_string().contains("6574 « Subventions de fonctionnement aux personnes, aux associations et aux autres organismes de droit privé » est un compte de regroupement du plan M57_D 2024"), "{err}");
        assert_eq!(db.count("budget_line").await.unwrap(), 1);
        acta.add_budget_line(&actor(), &line("65748//93221"))
            .await
            .unwrap();
        assert!(
            acta.add_budget_line(&actor(), &line("65748//93221"))
                .await
                .unwrap_err()
                .to_string()
                .contains("existe déjà")
        );
        db.cleanup().await.unwrap();
    }
}
