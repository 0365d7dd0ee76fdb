//! A small assembly for rule tests: six members in two groups (and one without), a
//! Conseil départemental and a Commission permanente where all six vote, a budget line and
//! a beneficiary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod seda;
pub mod signing;

use acta_app::dataset::Dataset;
use acta_app::{Acta, Actor, FixedClock};
use acta_store::testing::TestDatabase;

/// A fresh PostgreSQL schema, or none (said on the test's output) when
/// `ACTA_TEST_POSTGRES_URL` is not set: for tests of what only PostgreSQL does.
pub async fn postgres() -> Option<TestDatabase> {
    let db = TestDatabase::postgres().await.unwrap();
    if db.is_none() {
        eprintln!("ACTA_TEST_POSTGRES_URL absent : test PostgreSQL sauté");
    }
    db
}

pub const ASSEMBLY: &str = r#"
members = [
  { civility = "Mme", first_name = "Anne", last_name = "ALPHA", group = "Groupe Un" },
  { civility = "M.", first_name = "Bruno", last_name = "BETA", group = "Groupe Un" },
  { civility = "Mme", first_name = "Chloé", last_name = "GAMMA", group = "Groupe Un" },
  { civility = "M.", first_name = "David", last_name = "DELTA", group = "Groupe Deux" },
  { civility = "Mme", first_name = "Emma", last_name = "EPSILON", group = "Groupe Deux" },
  { civility = "M.", first_name = "Félix", last_name = "ZETA" },
]

[collectivity]
name = "Département de Test"
header_name = "DEPARTEMENT DE TEST"
kind = "departement"
department_code = "62"
siren = "226200012"
address = { street = "1 rue de la Préfecture", postal_code = "62000", city = "Arras" }
seat_city = "ARRAS"

[[bodies]]
key = "cd"
kind = "council"
name = "Conseil départemental"

[[bodies]]
key = "cp"
kind = "permanent_commission"
name = "Commission permanente"

[[groups]]
name = "Groupe Un"

[[groups]]
name = "Groupe Deux"

[[mandates]]
body = "cd"
role = "president"
voting = true
members = ["Anne ALPHA"]

[[mandates]]
body = "cd"
role = "member"
voting = true
members = ["Bruno BETA", "Chloé GAMMA", "David DELTA", "Emma EPSILON", "Félix ZETA"]

[[mandates]]
body = "cp"
role = "president"
voting = true
members = ["Anne ALPHA"]

[[mandates]]
body = "cp"
role = "member"
voting = true
members = ["Bruno BETA", "Chloé GAMMA", "David DELTA", "Emma EPSILON", "Félix ZETA"]

[[budget_lines]]
key = "l1"
year = 2026
operation_code = "OP-TEST"
label = "SUBVENTIONS TEST"
imputation = "65748//93221"
voted = "100 000,00"

[[beneficiaries]]
key = "asso"
name = "Association des Collèges"
legal_status = "association loi 1901"
siret = "21860194600013"
address = { street = "2 place du Marché", postal_code = "62000", city = "Arras" }

[[services]]
key = "solidarites"
kind = "pole"
name = "Pôle Solidarités"

[[services]]
key = "dva"
kind = "direction"
name = "Direction de la vie associative"
parent = "solidarites"

[[services]]
key = "sports"
kind = "direction"
name = "Direction des sports"
parent = "solidarites"
"#;

pub const ALL: [&str; 6] = [
    "Anne ALPHA",
    "Bruno BETA",
    "Chloé GAMMA",
    "David DELTA",
    "Emma EPSILON",
    "Félix ZETA",
];

pub fn actor() -> Actor {
    Actor::new("service.assemblees")
}

/// The application on an empty database.
pub fn assembly_empty(db: &TestDatabase) -> Acta {
    Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2026-03-02T10:00:00Z".parse().unwrap()))
}

pub async fn assembly(db: &TestDatabase) -> Acta {
    let acta = assembly_empty(db);
    acta.load_dataset(&actor(), &Dataset::from_toml(ASSEMBLY).unwrap())
        .await
        .unwrap();
    acta
}

pub fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A sitting as a user names it: its date or number.
pub fn sitting_key(key: &str) -> acta_domain::keys::SittingKey {
    key.parse().unwrap()
}

/// An award as a user names it: its deliberation's number, or "#12".
pub fn award_key(key: &str) -> acta_domain::keys::AwardKey {
    key.parse().unwrap()
}

pub fn payment(
    tranche: u32,
    date: &str,
    amount: &str,
    reference: &str,
) -> acta_app::input::PaymentInput {
    acta_app::input::PaymentInput {
        tranche,
        date: date.into(),
        amount: amount.into(),
        reference: reference.into(),
        mandate_date: None,
    }
}

pub fn document(tranche: u32, date: &str, description: &str) -> acta_app::input::DocumentInput {
    acta_app::input::DocumentInput {
        tranche,
        date: date.into(),
        description: description.into(),
    }
}

pub fn signature(date: &str) -> acta_app::input::SignatureInput {
    acta_app::input::SignatureInput { date: date.into() }
}

pub fn attendance(
    status: acta_domain::sitting::AttendanceStatus,
    members: &[String],
) -> acta_app::input::AttendanceInput {
    acta_app::input::AttendanceInput {
        statut: status.code().into(),
        membres: members.to_vec(),
    }
}

pub fn proxy(giver: &str, holder: &str, from_item: u32) -> acta_app::input::ProxyInput {
    acta_app::input::ProxyInput {
        giver: giver.into(),
        holder: holder.into(),
        from_item,
    }
}

pub fn movement(
    member: &str,
    kind: acta_domain::sitting::MovementKind,
    from_item: u32,
) -> acta_app::input::MovementInput {
    acta_app::input::MovementInput {
        member: member.into(),
        kind: kind.code().into(),
        from_item,
    }
}

/// The seed's Commission permanente meets again on `date` with the same members present,
/// and adopts the minutes of 20 November 2023 as its first item (L3121-13).
pub async fn approve_seed_minutes(acta: &Acta, date: &str) {
    use acta_app::input::{NewItem, NewSitting, VoteInput};
    use acta_domain::item::VoteOptions;
    use acta_domain::sitting::AttendanceStatus;
    let a = Actor::new("test");
    let seed = acta.sitting_view(&sitting_key("2023-11-20")).await.unwrap();
    acta.create_sitting(
        &a,
        &NewSitting {
            body: "cp".into(),
            date: date.into(),
            president: Some("Jean-Claude LEROY".into()),
            secretary: Some("Maryse DELASSUS".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let next = sitting_key(date);
    acta.add_item(
        &a,
        &next,
        &acta_app::input::NewItem {
            report_number: 1,
            title: "APPROBATION DU PROCÈS-VERBAL DE LA RÉUNION DU 20 NOVEMBRE 2023".into(),
            matter: Some("5.2".into()),
            approves_minutes_of: Some("2023-11-20".into()),
            ..NewItem::default()
        },
    )
    .await
    .unwrap();
    // The view writes "M. Jean-Claude LEROY"; the roll call takes « Prénom NOM ».
    let present: Vec<String> = seed
        .attendance
        .present
        .iter()
        .map(|n| {
            n.trim_start_matches("M. ")
                .trim_start_matches("Mme ")
                .to_string()
        })
        .collect();
    acta.record_attendance(&a, &next, &attendance(AttendanceStatus::Present, &present))
        .await
        .unwrap();
    let present = u32::try_from(seed.attendance.present.len()).unwrap();
    acta.close_item(
        &a,
        &next,
        1,
        Some(&VoteInput::Totals {
            for_: present,
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
}

/// The text of a PDF as pdftotext reads it.
pub fn pdf_lines(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-raw", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils)");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a PDF squeezed of whitespace, so that line breaks and no-break spaces do
/// not matter.
pub fn pdf_text(pdf: &[u8]) -> String {
    pdf_lines(pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
