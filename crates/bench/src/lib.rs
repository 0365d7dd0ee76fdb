//! acta's benchmarks and synthetic data, apart from the production crates: the documents
//! of a synthetic sitting against LibreOffice, the SCDL export of a large register, search
//! against SQLite FTS5 and PostgreSQL, the archive importer's throughput, and an open-loop
//! load generator for a running server. `acta bench …` is [`cli::run`].

pub mod app_bench;
pub mod cli;
pub mod fill;
pub mod fts;
pub mod import;
pub mod load;
pub mod search;
pub mod synthetic_acts;
pub mod synthetic_archive;
pub mod synthetic_register;

pub use app_bench::{DocumentsBench, documents, export, median, peak_memory_mib};
