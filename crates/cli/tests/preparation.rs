//! Before the sitting from the command line, on SQLite and PostgreSQL: a circuit, a report
//! through it onto a coming sitting's agenda, the convocation sent through a local SMTP
//! server (and the letters to print), and a member's reply from their own account.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_mail_sink::MailSink;
use acta_store::testing::TestDatabase;
use common::{json, ok, output};
use std::process::Output;
use std::time::Duration;

fn run(db: &TestDatabase, actor: &str, args: &[&str]) -> Output {
    output(
        common::acta(db.url.as_str(), actor).env("ACTA_PASSWORD", PASSWORD),
        args,
    )
}

const PASSWORD: &str = "Séance de la commission";

// Multi-threaded: the SMTP server keeps answering while a command blocks this thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_validated_placed_and_its_sitting_convened_from_the_cli() {
    // Sixty days ahead: within every delay, whatever day the tests run.
    let date = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 60))
        .strftime("%Y-%m-%d")
        .to_string();
    for db in TestDatabase::all().await.unwrap() {
        let sink = MailSink::start().await.unwrap();
        ok(run(&db, "test", &["demo", "--referential-only"]));
        ok(run(
            &db,
            "test",
            &["sitting", "create", "--body", "cp", "--date", &date],
        ));
        ok(run(
            &db,
            "test",
            &[
                "account",
                "add",
                "redacteur",
                "--name",
                "Rédacteur",
                "--role",
                "instructeur",
            ],
        ));
        ok(run(
            &db,
            "test",
            &[
                "circuit",
                "add",
                "--name",
                "Court",
                "--step",
                "1:Direction:role=instructeur",
            ],
        ));
        let report = json(run(
            &db,
            "redacteur",
            &[
                "report",
                "new",
                "--circuit",
                "Court",
                "--sitting",
                &date,
                "--matter",
                "7.5",
                "--title",
                "FONDS D'INTERVENTION POUR L'ARTISANAT",
                "--expose",
                "Le fonds soutient les artisans.",
                "--article",
                "D'approuver le fonds.",
                "--json",
            ],
        ));
        let id = report["id"].as_i64().unwrap().to_string();
        assert_eq!(report["state"], "draft");
        // Not an account: a step cannot be validated in its name.
        let refused = run(&db, "cli", &["report", "validate", &id]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--as identifiant"));
        ok(run(&db, "redacteur", &["report", "submit", &id]));
        let ready = json(run(
            &db,
            "redacteur",
            &["report", "validate", &id, "--json"],
        ));
        assert_eq!(ready["state"], "ready");
        assert!(ok(run(&db, "test", &["report", "place", &id])).contains("point 1"));

        ok(run(
            &db,
            "test",
            &[
                "member",
                "email",
                "--member",
                "Maryse DELASSUS",
                "--email",
                "m.delassus@pasdecalais.fr",
            ],
        ));
        let port = sink.port().to_string();
        ok(run(
            &db,
            "test",
            &[
                "convocation",
                "configure",
                "--host",
                "127.0.0.1",
                "--port",
                &port,
                "--security",
                "aucune",
                "--from",
                "assemblees@pasdecalais.fr",
                "--public-url",
                "https://acta.pasdecalais.fr",
            ],
        ));
        let sent = json(run(&db, "test", &["convocation", "send", &date, "--json"]));
        let deliveries = sent["deliveries"].as_array().unwrap();
        assert_eq!(deliveries.len(), 44);
        let by_status = |s: &str| deliveries.iter().filter(|d| d["status"] == s).count();
        assert_eq!((by_status("acceptee"), by_status("papier")), (1, 43));
        let messages = sink.wait_for(1, Duration::from_secs(10)).await;
        assert_eq!(messages[0].to, ["m.delassus@pasdecalais.fr"]);
        let dir = tempfile::tempdir().unwrap();
        let letters = dir.path().join("courriers.pdf");
        ok(run(
            &db,
            "test",
            &[
                "convocation",
                "letters",
                &date,
                "--out",
                letters.to_str().unwrap(),
            ],
        ));
        assert!(std::fs::read(&letters).unwrap().starts_with(b"%PDF"));

        ok(run(
            &db,
            "test",
            &[
                "account",
                "add",
                "mdelassus",
                "--name",
                "Maryse DELASSUS",
                "--role",
                "elu",
            ],
        ));
        ok(run(
            &db,
            "test",
            &[
                "account",
                "link-member",
                "mdelassus",
                "--member",
                "Maryse DELASSUS",
            ],
        ));
        let text = messages[0].text();
        let token: String = text[text.find("/elus/convocation/").unwrap() + 18..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        let opened = ok(run(&db, "mdelassus", &["member-space", "open", &token]));
        let sitting = opened
            .trim()
            .trim_end_matches('.')
            .rsplit('°')
            .next()
            .unwrap()
            .to_string();
        ok(run(
            &db,
            "mdelassus",
            &[
                "member-space",
                "reply",
                &sitting,
                "--reply",
                "pouvoir",
                "--holder",
                "Blandine DRAIN",
            ],
        ));
        let expected = json(run(
            &db,
            "test",
            &["convocation", "expected", &date, "--json"],
        ));
        assert_eq!(expected["proxies"][0][0], "Mme Maryse DELASSUS");
        assert_eq!(expected["proxies"][0][1], "Mme Blandine DRAIN");
        let status = json(run(
            &db,
            "test",
            &["convocation", "status", &date, "--json"],
        ));
        let mine = status["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["member"] == "Mme Maryse DELASSUS")
            .unwrap();
        assert!(mine["opened_at"].is_string());
    }
}
