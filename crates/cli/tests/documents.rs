//! `acta collectivity documents`: a collectivity keeps its documents configuration and
//! logo in its database; `acta render`, every command that prints a document and
//! `acta serve` use them; a logo that cannot be printed is refused in French.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::TestDatabase;
use common::{ok, output};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};

fn acta(db: &TestDatabase, index: &Path, args: &[&str]) -> Output {
    output(
        common::acta(db.url.as_str(), "test")
            .arg("--index")
            .arg(index),
        args,
    )
}

/// The smallest PNG file: one transparent pixel.
const PNG: &[u8] = include_bytes!("../../app/tests/data/pixel.png");

/// A commune's configuration, from the embedded one as `show` prints it.
fn commune(embedded: &str, logo: &Path) -> String {
    embedded
        .lines()
        .filter(|l| !l.starts_with("# Configuration intégrée"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "collectivity = \"\"",
            "collectivity = \"COMMUNE DE TÉMOINVILLE\"",
        )
        .replace(
            "logo = \"\"",
            &format!("logo = {:?}", logo.to_str().unwrap()),
        )
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    Some(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn a_collectivity_keeps_its_documents_configuration_and_its_servers_use_it() {
    let db = TestDatabase::sqlite().await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let index = files.path().join("index");
    ok(acta(&db, &index, &["demo"]));

    let embedded = ok(acta(&db, &index, &["collectivity", "documents", "show"]));
    assert!(
        embedded.starts_with("# Configuration intégrée"),
        "{embedded}"
    );
    assert!(embedded.contains("[wording]"));

    // A damaged logo is refused, naming it; nothing changes.
    let damaged = files.path().join("abime.png");
    let mut bytes = PNG.to_vec();
    bytes[43] ^= 0xff;
    std::fs::write(&damaged, bytes).unwrap();
    let config = files.path().join("temoinville.toml");
    std::fs::write(&config, commune(&embedded, &damaged)).unwrap();
    let refused = acta(
        &db,
        &index,
        &["collectivity", "documents", "set", config.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("Logo « abime.png »"), "{message}");
    assert!(message.contains("ne s'imprime pas"), "{message}");
    assert!(
        ok(acta(&db, &index, &["collectivity", "documents", "show"]))
            .starts_with("# Configuration intégrée")
    );

    // Its own, with its logo: kept in the database (the file may go).
    let logo = files.path().join("logo.png");
    std::fs::write(&logo, PNG).unwrap();
    std::fs::write(&config, commune(&embedded, &logo)).unwrap();
    let said = ok(acta(
        &db,
        &index,
        &["collectivity", "documents", "set", config.to_str().unwrap()],
    ));
    assert!(said.contains("enregistrée"), "{said}");
    std::fs::remove_file(&logo).unwrap();
    let shown = ok(acta(&db, &index, &["collectivity", "documents", "show"]));
    assert!(shown.contains("COMMUNE DE TÉMOINVILLE"), "{shown}");
    assert!(!shown.contains("logo.png"), "{shown}");

    let html = files.path().join("2023-479.html");
    ok(acta(
        &db,
        &index,
        &[
            "render",
            "deliberation",
            "2023-479",
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
        ],
    ));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("COMMUNE DE TÉMOINVILLE"));
    assert!(html.contains("data:image/png;base64,"));

    // The server started on it names the collectivity and shows its logo on the portal.
    let port = common::free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_acta"))
        .args(["--database", db.url.as_str(), "--as", "test", "--index"])
        .arg(&index)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("ACTA_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut home = None;
    while std::time::Instant::now() < deadline && home.is_none() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        home = http_get(port, "/").filter(|a| a.starts_with("HTTP/1.1 200"));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let home = home.expect("the server answers");
    assert!(home.contains("COMMUNE DE TÉMOINVILLE"), "{home}");
    assert!(home.contains("data:image/png;base64,"));

    // Back to the embedded one.
    ok(acta(&db, &index, &["collectivity", "documents", "reset"]));
    assert!(
        ok(acta(&db, &index, &["collectivity", "documents", "show"]))
            .starts_with("# Configuration intégrée")
    );
    db.cleanup().await.unwrap();
}
