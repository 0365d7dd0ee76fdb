//! acta's domain: the values, entities and rules of a Département's assemblies and grants.
//!
//! Pure by design: no IO, no async, no clock. Every rule lives here so that the CLI, the
//! server and the tests apply the same ones.

pub mod account;
pub mod actes;
pub mod anchor;
pub mod application;
pub mod ballot;
pub mod beneficiary;
pub mod budget;
pub mod chart;
pub mod circuit;
pub mod collectivity;
pub mod convention;
pub mod convocation;
pub mod credits;
pub mod delegation;
pub mod deliberation;
pub mod encoding;
pub mod error;
pub mod free_text;
pub mod french;
pub mod grant;
pub mod host;
pub mod identifiers;
pub mod ids;
pub mod item;
pub mod journal;
pub mod journal_diff;
pub mod keys;
pub mod ledger;
pub mod majority;
pub mod money;
pub mod numbering;
pub mod orders;
pub mod people;
pub mod presence;
pub mod programme;
pub mod publication;
pub mod quorum;
pub mod report;
pub mod rules;
pub mod signature;
pub mod sitting;
pub mod subsidy;
pub mod text;
pub mod throttle;
pub mod transmission;
pub mod vote;
pub mod words;

pub use error::{DomainError, FieldError};
pub use ids::{Id, Stored};
pub use money::Amount;
