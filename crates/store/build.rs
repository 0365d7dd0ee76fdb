//! Lists the schema migrations for `migrate.rs`: every `NNNN_name.sql` of
//! `migrations/sqlite`, `migrations/postgres`, and `migrations/common` (one file for both
//! backends, when the SQL is the same). Adding a migration is adding its file.
//!
//! Every path is relative to this crate: a target folder shared by two checkouts (a CI
//! clone and a working copy) must never compile one checkout's SQL into the other.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time, not compiled in: a build script compiled by one checkout may be
    // run for another that shares the target folder.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let root = Path::new(&manifest_dir).join("migrations");
    // Relative paths are resolved against the package being built, whichever checkout.
    println!("cargo:rerun-if-changed=migrations");
    let mut out = String::new();
    for folder in ["sqlite", "postgres", "common"] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed=migrations/{folder}");
        let mut files: Vec<(i64, String, String)> = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                let Some(stem) = name.strip_suffix(".sql") else {
                    continue;
                };
                let Some((number, description)) = stem.split_once('_') else {
                    panic!("migration {name}: expected NNNN_description.sql");
                };
                let version: i64 = number
                    .parse()
                    .unwrap_or_else(|_| panic!("migration {name}: {number} is not a number"));
                // Both the list and every file are re-read by each checkout that builds.
                println!("cargo:rerun-if-changed=migrations/{folder}/{name}");
                files.push((
                    version,
                    description.replace('_', " "),
                    format!("/migrations/{folder}/{name}"),
                ));
            }
        }
        files.sort();
        let _ = writeln!(
            out,
            "pub(crate) const {}: &[(i64, &str, &str)] = &[",
            folder.to_uppercase()
        );
        for (version, description, path) in files {
            let _ = writeln!(
                out,
                "    ({version}, {description:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))),"
            );
        }
        out.push_str("];\n");
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("migrations.rs");
    if let Err(e) = std::fs::write(&target, out) {
        panic!("cannot write {}: {e}", target.display());
    }
}
