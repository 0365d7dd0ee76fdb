//! What several CLI test files share: running `acta` on a test's database and reading what
//! it printed, a free port for a server, the anchors a folder holds.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// The `acta` binary on a test's database, acting as `actor`, with none of the variables
/// that would point it at another database, collectivity, index or documents
/// configuration; the test adds its own arguments.
pub fn acta(database: &str, actor: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acta"));
    command
        .args(["--database", database, "--as", actor])
        .env_remove("ACTA_DATABASE_URL")
        .env_remove("ACTA_COLLECTIVITY")
        .env_remove("ACTA_INDEX")
        .env_remove("ACTA_DOCUMENTS_CONFIG");
    command
}

/// Runs a command of the test.
pub fn output(command: &mut Command, args: &[&str]) -> Output {
    command.args(args).output().expect("acta runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What a command that must succeed printed.
pub fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// What a command that must succeed printed with `--json`.
pub fn json(o: Output) -> Value {
    serde_json::from_str(&ok(o)).expect("JSON output")
}

/// The French message of a command that must fail, its narrow spaces made plain.
pub fn refused(o: Output) -> String {
    assert!(!o.status.success(), "{}", stdout(&o));
    stderr(&o).replace(['\u{202f}', '\u{a0}'], " ")
}

/// A port nobody listens on now, for an `acta serve` of the test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// How many anchor files `folder` holds (none when it does not exist yet).
pub fn anchor_files(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("ancrage-"))
        })
        .count()
    })
}
