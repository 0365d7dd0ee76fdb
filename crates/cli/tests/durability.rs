//! Durability as an operator would test it: the server is killed (SIGKILL) at random
//! moments while a client sends acknowledged API writes, many times, on SQLite and on
//! PostgreSQL. After each kill, every write the client saw acknowledged is there, nothing is
//! half-written (each beneficiary has its journal entry and no other), and the journal
//! verifies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::TestDatabase;
use common::output;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn acta(db: &TestDatabase, index: &std::path::Path, args: &[&str]) -> Output {
    let mut acta = common::acta(db.url.as_str(), "test");
    acta.arg("--index")
        .arg(index)
        .env("ACTA_PASSWORD", PASSWORD);
    output(&mut acta, args)
}

/// Kills per database: enough to land in every phase of a write, bounded for CI.
const KILLS: u32 = 24;
const PASSWORD: &str = "Beffroi-d-Arras-1463";

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// One HTTP/1.1 exchange on a fresh connection: status, head and body.
fn http(port: u16, request: &str) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("réponse incomplète"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("ligne de statut illisible"))?;
    Ok((status, head.to_string(), body.to_string()))
}

fn request(method: &str, path: &str, headers: &str, content_type: &str, body: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn start_server(db: &TestDatabase, index: &std::path::Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acta"))
        .args(["--database", db.url.as_str(), "--as", "test", "--index"])
        .arg(index)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("ACTA_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok((200, _, _)) = http(port, &request("GET", "/", "", "text/plain", "")) {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not answer on port {port}");
}

/// Opens a session: the cookie and the CSRF token every write carries.
fn sign_in(port: u16) -> String {
    let (status, head, _) = http(
        port,
        &request(
            "POST",
            "/connexion",
            "",
            "application/x-www-form-urlencoded",
            &format!("identifiant=durabilite&mot_de_passe={PASSWORD}"),
        ),
    )
    .unwrap();
    assert_eq!(status, 303, "{head}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let (status, _, body) = http(
        port,
        &request(
            "GET",
            "/api/session",
            &format!("Cookie: {cookie}\r\n"),
            "text/plain",
            "",
        ),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<Value>(&body).unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    format!("Cookie: {cookie}\r\nX-CSRF-Token: {token}\r\n")
}

/// A small deterministic generator, so that a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

fn beneficiary(n: u32) -> String {
    serde_json::json!({
        "name": format!("Association durabilité {n}"),
        "legal_status": "association loi 1901",
        "rna": format!("W{n:09}"),
        "address": {"street": "1 rue Ferdinand Buisson", "postal_code": "62000", "city": "Arras"}
    })
    .to_string()
}

/// Sends writes one after another until the server stops answering; returns those the
/// server acknowledged (201), and the one in flight when it died, if any.
fn write_until_killed(port: u16, auth: String, first: u32, stop: Arc<AtomicBool>) -> Vec<u32> {
    let mut acknowledged = Vec::new();
    let mut n = first;
    while !stop.load(Ordering::Relaxed) {
        let sent = http(
            port,
            &request(
                "POST",
                "/api/beneficiaires",
                &auth,
                "application/json",
                &beneficiary(n),
            ),
        );
        match sent {
            Ok((201, _, _)) => acknowledged.push(n),
            Ok((status, _, body)) => panic!("write {n} refused with {status}: {body}"),
            Err(_) => break,
        }
        n += 1;
    }
    acknowledged
}

fn names_in_register(db: &TestDatabase, index: &std::path::Path) -> Vec<String> {
    json(&acta(db, index, &["beneficiary", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect()
}

fn journaled_creations(db: &TestDatabase, index: &std::path::Path) -> usize {
    json(&acta(
        db,
        index,
        &["journal", "list", "--limit", "1000000", "--json"],
    ))
    .as_array()
    .unwrap()
    .iter()
    .filter(|e| e["entity"] == "beneficiaire" && e["action"] == "creation")
    .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_the_server_killed_at_random_moments() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let created = acta(
            &db,
            &index,
            &[
                "account",
                "add",
                "durabilite",
                "--name",
                "Agent de test",
                "--role",
                "instructeur",
            ],
        );
        assert!(
            created.status.success(),
            "{}",
            String::from_utf8_lossy(&created.stderr)
        );
        let mut random = Lcg(20_231_120);
        let mut all_acknowledged = Vec::new();
        let mut next = 1u32;
        for kill in 0..KILLS {
            let port = common::free_port();
            let mut server = start_server(&db, &index, port);
            let auth = sign_in(port);
            let stop = Arc::new(AtomicBool::new(false));
            let writer = {
                let stop = stop.clone();
                std::thread::spawn(move || write_until_killed(port, auth, next, stop))
            };
            std::thread::sleep(Duration::from_millis(30 + random.next(400)));
            server.kill().unwrap();
            server.wait().unwrap();
            stop.store(true, Ordering::Relaxed);
            let acknowledged = writer.join().unwrap();
            // The next run starts past every number this one may have sent.
            next = acknowledged.last().map_or(next, |n| n + 1) + 1;
            all_acknowledged.extend(acknowledged);

            let names = names_in_register(&db, &index);
            for n in &all_acknowledged {
                let wanted = format!("Association durabilité {n}");
                assert!(
                    names.contains(&wanted),
                    "{}: kill {kill}: acknowledged write {n} lost",
                    db.name()
                );
            }
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                names.len(),
                "{}: a write kept twice",
                db.name()
            );
            assert_eq!(
                journaled_creations(&db, &index),
                names.len(),
                "{}: kill {kill}: a beneficiary without its journal entry, or the reverse",
                db.name()
            );
            let verify = acta(&db, &index, &["journal", "verify", "--json"]);
            assert_eq!(
                json(&verify)["intact"],
                true,
                "{}: kill {kill}: journal broken",
                db.name()
            );
        }
        assert!(
            all_acknowledged.len() > KILLS as usize,
            "{}: too few writes acknowledged ({}) for the test to mean anything",
            db.name(),
            all_acknowledged.len()
        );
        db.cleanup().await.unwrap();
    }
}
