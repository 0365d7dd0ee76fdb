//! What several CLI test files share: a free port for a server, the anchors a folder holds.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

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
