//! 1 000 items closed by several concurrent writers get 1 000 distinct numbers with no gap,
//! on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::dataset::Dataset;
use acta_app::sittings::VoteInput;
use acta_domain::item::VoteOptions;
use acta_store::testing::TestDatabase;
use common::*;
use std::collections::BTreeSet;
use std::fmt::Write;

const ITEMS: u32 = 1000;
const WRITERS: u32 = 8;

fn sitting_with_items(n: u32) -> String {
    let mut t = String::from(
        r#"
[[sittings]]
key = "s"
body = "cp"
date = "2026-06-15"
president = "Anne ALPHA"
[sittings.attendance]
present = ["Anne ALPHA", "Bruno BETA", "Chloé GAMMA", "David DELTA", "Emma EPSILON", "Félix ZETA"]
"#,
    );
    for i in 1..=n {
        write!(
            t,
            "\n[[reports]]\nkey = \"r{i}\"\nsitting = \"s\"\nnumber = {i}\ntitle = \"RAPPORT {i}\"\nterritories = \"all\"\ncantons = \"all\"\nepcis = \"all\"\nsections = []\nconclusion = []\n\n[[deliberations]]\nreport = \"r{i}\"\ntitle = \"RAPPORT {i}\"\nplace = \"ARRAS\"\ndate = \"2026-06-15\"\nvisas = []\narticles = []\nsignatories = []\n"
        )
        .unwrap();
    }
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_closings_give_unique_gapless_numbers() {
    let text = format!("{ASSEMBLY}\n{}", sitting_with_items(ITEMS));
    let dataset = Dataset::from_toml(&text).unwrap();
    for db in TestDatabase::all().await.unwrap() {
        let acta = assembly_empty(&db);
        acta.load_dataset(&actor(), &dataset).await.unwrap();
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let acta = acta.clone();
            writers.push(tokio::spawn(async move {
                let vote = VoteInput::Totals {
                    for_: 6,
                    against: 0,
                    abstention: 0,
                    not_participating: 0,
                    groups: vec![],
                };
                let options = VoteOptions {
                    secret: false,
                    president_vote: None,
                };
                let mut numbers = Vec::new();
                let mut position = w + 1;
                while position <= ITEMS {
                    let r = acta
                        .close_item(
                            &actor(),
                            &sitting_key("2026-06-15"),
                            position,
                            Some(&vote),
                            &options,
                        )
                        .await
                        .unwrap();
                    numbers.push(r.number.unwrap());
                    position += WRITERS;
                }
                numbers
            }));
        }
        let mut all = Vec::new();
        for w in writers {
            all.extend(w.await.unwrap());
        }
        let distinct: BTreeSet<&String> = all.iter().collect();
        assert_eq!(all.len(), ITEMS as usize, "{}", db.name());
        assert_eq!(
            distinct.len(),
            ITEMS as usize,
            "duplicate numbers on {}",
            db.name()
        );
        let expected: BTreeSet<String> = (1..=ITEMS).map(|i| format!("2026-{i}")).collect();
        assert_eq!(
            distinct.into_iter().cloned().collect::<BTreeSet<_>>(),
            expected,
            "gap on {}",
            db.name()
        );
        assert!(acta.verify_journal(|_| {}).await.unwrap().intact);
        db.cleanup().await.unwrap();
    }
}
