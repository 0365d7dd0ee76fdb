//! The budget's year on SQLite and PostgreSQL: the seed's line gets its credits from a
//! budget primitif and a décision modificative voted by the Conseil départemental, the
//! seed's award commits them at the Commission permanente under the delegation of
//! deliberation 2021-257 (cited in its visas), and what the Commission permanente may not
//! decide, or a line may not lose, is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::Acta;
use acta_app::grants::{AwardInput, NewBudgetLine};
use acta_app::input::{AddressInput, BeneficiaryInput, BudgetDecisionInput, DelegationInput};
use acta_app::sittings::{NewItem, NewSitting, VoteInput};
use acta_domain::Amount;
use acta_domain::grant::AwardKind;
use acta_domain::item::VoteOptions;
use acta_domain::sitting::AttendanceStatus;
use acta_store::testing::TestDatabase;
use common::*;

const SEED_VISA: &str = "Vu la délibération n°2021-257 du Conseil départemental en date du 01/07/2021 « Délégation d’attributions à la Commission Permanente » ;";

fn euros(e: i64) -> Amount {
    Amount::from_euros(e).unwrap()
}

async fn sitting(acta: &Acta, body: &str, date: &str) {
    acta.create_sitting(
        &actor(),
        &NewSitting {
            body: body.into(),
            date: date.into(),
            president: Some("Anne ALPHA".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    acta.record_attendance(
        &actor(),
        &sitting_key(date),
        &attendance(AttendanceStatus::Present, &names(&ALL)),
    )
    .await
    .unwrap();
}

async fn item(
    acta: &Acta,
    date: &str,
    number: u32,
    title: &str,
    matter: &str,
) -> Result<u32, String> {
    acta.add_item(
        &actor(),
        &sitting_key(date),
        &NewItem {
            report_number: number,
            title: title.into(),
            matter: Some(matter.into()),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| e.to_string())
}

fn decision(kind: &str, rank: Option<&str>, lines: &[&str]) -> BudgetDecisionInput {
    BudgetDecisionInput {
        kind: kind.into(),
        rank: rank.map(str::to_string),
        year: 2023,
        lines: lines.iter().map(|l| l.to_string()).collect(),
    }
}

async fn adopt(acta: &Acta, date: &str, position: u32) -> Option<String> {
    let all_for = VoteInput::Totals {
        for_: 6,
        against: 0,
        abstention: 0,
        not_participating: 0,
        groups: vec![],
    };
    acta.close_item(
        &actor(),
        &sitting_key(date),
        position,
        Some(&all_for),
        &VoteOptions {
            secret: false,
            president_vote: None,
        },
    )
    .await
    .unwrap()
    .number
}

fn plain(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

#[tokio::test]
async fn the_seed_line_moves_with_budget_decisions_and_the_seed_award_is_delegated() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let acta = assembly(&db).await;
        let a = actor();
        acta.add_budget_line(
            &a,
            &NewBudgetLine {
                year: 2023,
                operation_code: "C01-620A06".into(),
                label: "PARTENARIAT - ARTISANAT".into(),
                imputation: "6568//9361".into(),
                voted: "0".into(),
            },
        )
        .await
        .unwrap();
        acta.add_beneficiary(
            &a,
            &BeneficiaryInput {
                name: "Chambre de Métiers et de l’Artisanat de région Hauts-de-France".into(),
                legal_status: "établissement public".into(),
                siret: Some("13002374000439".into()),
                address: AddressInput {
                    street: "Centre Europe Azur, 2 rue Ferdinand Buisson".into(),
                    postal_code: "62000".into(),
                    city: "Arras".into(),
                },
                ..Default::default()
            },
        )
        .await
        .unwrap();

        // The council votes the budget primitif, then a décision modificative.
        sitting(&acta, "cd", "2023-01-30").await;
        item(&acta, "2023-01-30", 1, "BUDGET PRIMITIF 2023", "7.1")
            .await
            .unwrap();
        acta.propose_budget_decision(
            &a,
            &sitting_key("2023-01-30"),
            1,
            &decision("BP", None, &["C01-620A06 = 140 000"]),
        )
        .await
        .unwrap();
        let bp = acta.budget_line_history("C01-620A06", 2023).await.unwrap();
        assert_eq!(
            bp.row.voted,
            Amount::ZERO,
            "{on}: a proposal gives nothing before its vote"
        );
        let bp_number = adopt(&acta, "2023-01-30", 1).await.unwrap();
        sitting(&acta, "cd", "2023-06-26").await;
        item(&acta, "2023-06-26", 1, "DÉCISION MODIFICATIVE N°1", "7.1")
            .await
            .unwrap();
        acta.propose_budget_decision(
            &a,
            &sitting_key("2023-06-26"),
            1,
            &decision("dm", Some("1"), &["C01-620A06 = 10 000"]),
        )
        .await
        .unwrap();
        let dm_number = adopt(&acta, "2023-06-26", 1).await.unwrap();

        // The council's delegation to the Commission permanente, as the seed cites it.
        acta.add_delegation(
            &a,
            &DelegationInput {
                number: "2021-257".into(),
                adopted_on: "01/07/2021".into(),
                title: "Délégation d’attributions à la Commission Permanente".into(),
                body: "cp".into(),
                matters: vec!["3, 5.3, 7.5, 8".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();

        // The seed's item at the Commission permanente: within the delegation, cited.
        sitting(&acta, "cp", "2023-11-20").await;
        item(
            &acta,
            "2023-11-20",
            20,
            "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023",
            "7.5",
        )
        .await
        .unwrap();
        acta.propose_award(
            &a,
            &sitting_key("2023-11-20"),
            1,
            &AwardInput {
                beneficiary: "13002374000439".into(),
                budget_line: "C01-620A06".into(),
                amount: "120 000".into(),
                year: 2023,
                kind: AwardKind::Participation.code().into(),
                purpose: "la mise en œuvre du programme d'actions 2023".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Staff rewrite the draft's visas: the delegation stays cited.
        acta.edit_draft(
            &a,
            &sitting_key("2023-11-20"),
            1,
            &acta_app::input::DraftInput {
                visas: "Vu le Code Général des Collectivités Territoriales ;\nVu le rapport du Président du Conseil départemental, ci-annexé ;".into(),
                articles: "D'attribuer à la Chambre de Métiers et de l'Artisanat une participation de 120 000 €.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let number = adopt(&acta, "2023-11-20", 1).await.unwrap();
        let d = acta.deliberation_view(&number).await.unwrap();
        assert_eq!(d.visas[1], SEED_VISA, "{on}: after the code's visa");
        assert_eq!(
            d.visas.iter().filter(|v| v.as_str() == SEED_VISA).count(),
            1,
            "{on}: {:?}",
            d.visas
        );

        // 140 000 + 10 000 voted, 120 000 committed: 30 000 left, and where it came from.
        let line = acta.budget_line_history("C01-620A06", 2023).await.unwrap();
        assert_eq!(
            (line.row.voted, line.committed, line.row.available),
            (euros(150_000), euros(120_000), euros(30_000)),
            "{on}"
        );
        let history: Vec<(String, Option<String>, String, i64)> = line
            .history
            .iter()
            .map(|s| {
                (
                    s.label.clone(),
                    s.deliberation.clone(),
                    s.date.map(|d| d.to_string()).unwrap_or_default(),
                    s.credits_after.centimes() / 100,
                )
            })
            .collect();
        assert_eq!(
            history,
            [
                (
                    "Budget primitif 2023".to_string(),
                    Some(bp_number),
                    "2023-01-30".to_string(),
                    140_000
                ),
                (
                    "Décision modificative n°1 de 2023".to_string(),
                    Some(dm_number),
                    "2023-06-26".to_string(),
                    150_000
                ),
            ],
            "{on}"
        );

        // A DM taking 40 000 away would leave 110 000 for 120 000 committed: refused.
        sitting(&acta, "cd", "2023-12-11").await;
        item(&acta, "2023-12-11", 1, "DÉCISION MODIFICATIVE N°2", "7.1")
            .await
            .unwrap();
        let refused = acta
            .propose_budget_decision(
                &a,
                &sitting_key("2023-12-11"),
                1,
                &decision("dm", Some("2"), &["C01-620A06 = -40 000"]),
            )
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(
            plain(&refused),
            "Décision modificative n°2 de 2023 : l'opération C01-620A06 (6568//9361) passerait à 110 000 € de crédits pour 120 000 € déjà engagés ou proposés ; il manque 10 000 €.",
            "{on}"
        );
        assert_eq!(db.count("budget_decision").await.unwrap(), 2, "{on}");

        // The Commission permanente cannot take a budget decision, nor a matière the
        // council kept.
        let budget_at_cp = item(&acta, "2023-11-20", 21, "DÉCISION MODIFICATIVE N°2", "7.1")
            .await
            .unwrap_err();
        assert!(
            budget_at_cp.contains("CGCT L3211-2"),
            "{on}: {budget_at_cp}"
        );
        let tax_at_cp = item(&acta, "2023-11-20", 21, "TAXE D'AMÉNAGEMENT", "7.2")
            .await
            .unwrap_err();
        assert!(
            tax_at_cp.contains("la matière 7.2 Fiscalité n'est pas déléguée à la commission permanente par la délibération n°2021-257"),
            "{on}: {tax_at_cp}"
        );
        item(&acta, "2023-11-20", 21, "COLLÈGES - SUBVENTIONS", "7.5")
            .await
            .unwrap();
        let dm_at_cp = acta
            .propose_budget_decision(
                &a,
                &sitting_key("2023-11-20"),
                2,
                &decision("dm", Some("2"), &["C01-620A06 = 5 000"]),
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(dm_at_cp.contains("CGCT L3211-2"), "{on}: {dm_at_cp}");
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_rejected_decision_gives_no_credits_and_a_virement_keeps_the_total() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let acta = assembly(&db).await;
        let a = actor();
        for (code, voted) in [("OP-A", "50 000"), ("OP-B", "0")] {
            acta.add_budget_line(
                &a,
                &NewBudgetLine {
                    year: 2023,
                    operation_code: code.into(),
                    label: "LIGNE".into(),
                    imputation: "65748//93221".into(),
                    voted: voted.into(),
                },
            )
            .await
            .unwrap();
        }
        sitting(&acta, "cd", "2023-03-13").await;
        item(&acta, "2023-03-13", 1, "VIREMENT DE CRÉDITS", "7.1")
            .await
            .unwrap();
        item(&acta, "2023-03-13", 2, "DÉCISION MODIFICATIVE N°1", "7.1")
            .await
            .unwrap();
        let unbalanced = acta
            .propose_budget_decision(
                &a,
                &sitting_key("2023-03-13"),
                1,
                &decision("virement", None, &["OP-A = -20 000", "OP-B = 15 000"]),
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(
            unbalanced.contains("le total des montants doit être nul"),
            "{on}: {unbalanced}"
        );
        acta.propose_budget_decision(
            &a,
            &sitting_key("2023-03-13"),
            1,
            &decision("virement", None, &["OP-A = -20 000", "OP-B = 20 000"]),
        )
        .await
        .unwrap();
        acta.propose_budget_decision(
            &a,
            &sitting_key("2023-03-13"),
            2,
            &decision("dm", Some("1"), &["OP-B = 99 000"]),
        )
        .await
        .unwrap();
        adopt(&acta, "2023-03-13", 1).await;
        let against = VoteInput::Totals {
            for_: 0,
            against: 6,
            abstention: 0,
            not_participating: 0,
            groups: vec![],
        };
        acta.close_item(
            &a,
            &sitting_key("2023-03-13"),
            2,
            Some(&against),
            &VoteOptions {
                secret: false,
                president_vote: None,
            },
        )
        .await
        .unwrap();
        let credits = |code: &'static str| {
            let acta = &acta;
            async move {
                acta.budget_line_history(code, 2023)
                    .await
                    .unwrap()
                    .row
                    .voted
            }
        };
        assert_eq!(
            (credits("OP-A").await, credits("OP-B").await),
            (euros(30_000), euros(20_000)),
            "{on}"
        );
        let statuses: Vec<String> = acta
            .budget_decisions(2023)
            .await
            .unwrap()
            .into_iter()
            .map(|d| format!("{} {}", d.title, d.status))
            .collect();
        assert_eq!(
            statuses,
            [
                "Virement de crédits 2023 adoptée",
                "Décision modificative n°1 de 2023 rejetée"
            ],
            "{on}"
        );
        db.cleanup().await.unwrap();
    }
}

/// The JSON file against its schema, with the `jsonschema` package of the CI's Python
/// (`ACTA_PYTHON`); required in CI, where `.ci/run` sets it.
fn check_against_schema(json: &str) {
    let Ok(python) = std::env::var("ACTA_PYTHON") else {
        eprintln!(
            "ACTA_PYTHON non défini : validation du schéma des ordres sautée (elle tourne dans .ci/run)."
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ordres.json");
    std::fs::write(&file, json).unwrap();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../domain/schemas/ordres.schema.json"
    );
    let out = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.Draft202012Validator.check_schema(schema)\n\
             jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(open(sys.argv[2])))",
            schema,
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_seed_payments_go_to_the_accountant_as_mandates_and_titres() {
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let acta = Acta::with_store(db.store.clone()).with_clock(acta_app::FixedClock(
            "2024-07-01T08:00:00Z".parse().unwrap(),
        ));
        acta.load_demo(&acta_app::Actor::new("demo")).await.unwrap();
        let a = actor();
        let seed = award_key("2023-479");
        acta.sign_convention(&a, &seed, &signature("2023-12-01"))
            .await
            .unwrap();
        acta.receive_document(&a, &seed, &document(1, "2023-12-04", "Appel à versement"))
            .await
            .unwrap();
        let mut first = payment(1, "2023-12-15", "100 000", "M-2023-0001");
        first.mandate_date = Some("2023-12-12".into());
        acta.record_payment(&a, &seed, &first).await.unwrap();
        acta.decide_reimbursement(
            &a,
            &seed,
            &acta_app::execution::ReimbursementInput {
                date: "2024-06-20".into(),
                executed: Some("50 %".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        let file = acta.accountant_orders(None).await.unwrap();
        assert_eq!(file.ordres.len(), 2, "{on}: {:?}", file.ordres);
        let mandate = &file.ordres[0];
        assert_eq!(
            (
                mandate.operation.as_str(),
                mandate.compte_nature.as_str(),
                mandate.chapitre_fonctionnel.as_str(),
                mandate.fonction.as_str(),
                mandate.siret.as_deref(),
                mandate.montant.as_str(),
                mandate.reference.as_deref(),
                mandate.deliberation.as_deref(),
            ),
            (
                "C01-620A06",
                "6568",
                "936",
                "61",
                Some("13002374000439"),
                "100000.00",
                Some("M-2023-0001"),
                Some("2023-479")
            ),
            "{on}"
        );
        assert_eq!(
            mandate.date_mandat.map(|d| d.to_string()).as_deref(),
            Some("2023-12-12")
        );
        assert!(
            mandate
                .iban
                .as_deref()
                .is_some_and(|i| i.starts_with("FR76")),
            "{on}: {mandate:?}"
        );
        let titre = &file.ordres[1];
        assert_eq!(titre.kind, acta_domain::orders::OrderKind::Titre, "{on}");
        assert_eq!(
            titre.montant_centimes, 4_000_000,
            "{on}: 100 000 paid, 60 000 due"
        );
        check_against_schema(&serde_json::to_string(&file).unwrap());

        let csv = acta.accountant_orders_csv(Some(2023)).await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3, "{on}: {csv}");
        assert!(
            lines[1].starts_with("mandat;2023;C01-620A06;6568;936;61;"),
            "{on}: {csv}"
        );
        assert!(
            acta.accountant_orders(Some(2022))
                .await
                .unwrap()
                .ordres
                .is_empty()
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn an_authorisation_over_three_years_carries_an_award_paid_over_two() {
    use acta_app::execution::{NewConvention, ScheduleInput, TrancheSpec};
    use acta_app::input::{AuthorisationInput, EnvelopeInput};
    use acta_domain::convention::Trigger;
    for db in TestDatabase::all().await.unwrap() {
        let on = db.name();
        let acta = assembly(&db).await;
        let a = actor();
        acta.add_authorisation(
            &a,
            &AuthorisationInput {
                code: "ap-2026-colleges".into(),
                kind: "ap".into(),
                label: "Collèges : équipements numériques".into(),
                envelope: EnvelopeInput {
                    amount: "300 000".into(),
                    schedule: vec![
                        "2026 = 100 000".into(),
                        "2027 = 100 000".into(),
                        "2028 = 100 000".into(),
                    ],
                },
            },
        )
        .await
        .unwrap();
        sitting(&acta, "cp", "2026-03-03").await;
        item(
            &acta,
            "2026-03-03",
            1,
            "COLLÈGES - ÉQUIPEMENTS NUMÉRIQUES",
            "7.5",
        )
        .await
        .unwrap();
        let award = |amount: &str, shares: &[&str]| AwardInput {
            beneficiary: "21860194600013".into(),
            budget_line: "OP-TEST".into(),
            amount: amount.into(),
            year: 2026,
            kind: AwardKind::Subsidy.code().into(),
            purpose: "l'équipement numérique des collèges".into(),
            authorisation: Some("AP-2026-COLLEGES".into()),
            shares: shares.iter().map(|s| s.to_string()).collect(),
        };
        acta.propose_award(
            &a,
            &sitting_key("2026-03-03"),
            1,
            &award("150 000", &["2026 = 80 000", "2027 = 70 000"]),
        )
        .await
        .unwrap();
        let number = adopt(&acta, "2026-03-03", 1).await.unwrap();

        // Each year's payment credits are drawn by the award's share of that year.
        let ap = acta.authorisation("AP-2026-COLLEGES").await.unwrap();
        assert_eq!(
            (ap.balance.committed, ap.balance.remaining),
            (euros(150_000), euros(150_000)),
            "{on}"
        );
        let left: Vec<(i16, Amount, Amount)> = ap
            .balance
            .years
            .iter()
            .map(|y| (y.year, y.drawn, y.left))
            .collect();
        assert_eq!(
            left,
            [
                (2026, euros(80_000), euros(20_000)),
                (2027, euros(70_000), euros(30_000)),
                (2028, Amount::ZERO, euros(100_000))
            ],
            "{on}"
        );
        // The 2026 budget line carries the 2026 share only.
        let line = acta.budget_line_history("OP-TEST", 2026).await.unwrap();
        assert_eq!(line.row.available, euros(20_000), "{on}");

        // 2027 has 30 000 left on the authorisation: 40 000 more that year is refused.
        item(
            &acta,
            "2026-03-03",
            2,
            "COLLÈGES - ÉQUIPEMENTS (SUITE)",
            "7.5",
        )
        .await
        .unwrap();
        let refused = acta
            .propose_award(
                &a,
                &sitting_key("2026-03-03"),
                2,
                &award("40 000", &["2027 = 40 000"]),
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(
            plain(&refused).contains("les crédits de paiement 2027 de Autorisation de programme AP-2026-COLLEGES ont 30 000 € de disponible ; la part de l'aide en 2027 est de 40 000 € ; il manque 10 000 €"),
            "{on}: {refused}"
        );

        // The convention's tranches fall in the award's two years, each within its share.
        let tranches = |second: &str| NewConvention {
            schedule: ScheduleInput::Tranches(vec![
                TrancheSpec {
                    amount: "80 000".into(),
                    trigger: Trigger::OnDate {
                        date: "2026-04-01".parse().unwrap(),
                    },
                    label: None,
                },
                TrancheSpec {
                    amount: "70 000".into(),
                    trigger: Trigger::OnDate {
                        date: second.parse().unwrap(),
                    },
                    label: None,
                },
            ]),
            court: "tribunal administratif de LILLE".into(),
            ..Default::default()
        };
        let key = award_key(&number);
        // The rest happens over the two years: the clock a year later.
        let acta = Acta::with_store(db.store.clone()).with_clock(acta_app::FixedClock(
            "2027-06-01T08:00:00Z".parse().unwrap(),
        ));
        let refused = acta
            .create_convention(&a, &key, &tranches("2026-12-01"))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            plain(&refused).contains("150 000 € de tranches tombent en 2026"),
            "{on}: {refused}"
        );
        acta.create_convention(&a, &key, &tranches("2027-02-01"))
            .await
            .unwrap();
        acta.sign_convention(&a, &key, &signature("2026-03-20"))
            .await
            .unwrap();
        let asso = acta.find_beneficiary("21860194600013").await.unwrap();
        acta.add_bank_account(
            &a,
            asso.id,
            &acta_app::input::BankAccountInput {
                holder: "Association des Collèges".into(),
                bank_name: "Banque".into(),
                rib: Some("30006 00001 12345678901 89".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        acta.record_payment(&a, &key, &payment(1, "2026-04-02", "80 000", "M-2026-1"))
            .await
            .unwrap();
        let e = acta
            .record_payment(&a, &key, &payment(2, "2027-02-10", "70 000", "M-2027-1"))
            .await
            .unwrap();
        assert_eq!(e.paid, euros(150_000), "{on}");

        // A revision cannot go below what the awards draw; a lapse closes the envelope.
        let below = acta
            .revise_authorisation(
                &a,
                "AP-2026-COLLEGES",
                &EnvelopeInput {
                    amount: "140 000".into(),
                    schedule: vec!["2026 = 80 000".into(), "2027 = 60 000".into()],
                },
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(below.contains("ne couvre plus"), "{on}: {below}");
        acta.lapse_authorisation(&a, "AP-2026-COLLEGES")
            .await
            .unwrap();
        let lapsed = acta
            .propose_award(
                &a,
                &sitting_key("2026-03-03"),
                2,
                &award("10 000", &["2028 = 10 000"]),
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(lapsed.contains("caduque"), "{on}: {lapsed}");
        db.cleanup().await.unwrap();
    }
}
