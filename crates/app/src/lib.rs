//! acta's application layer: the use cases the CLI and the server call. It is the only
//! place where the domain and the store meet; each use case runs in one transaction, so
//! nothing is ever half-written, and every change is journaled with who made it.

mod clock;
mod error;

pub mod accounts;
pub mod anchors;
pub mod applications;
pub mod archives;
pub mod archiving;
pub mod backoffice;
pub mod backup;
pub mod beneficiaries;
pub mod budget_year;
pub mod catalogue;
pub mod convocations;
pub mod dataset;
pub mod demo;
pub mod documents;
pub mod documents_setup;
pub mod drafts;
pub mod execution;
pub mod grant_space;
pub mod grants;
pub mod input;
pub mod journal;
pub mod listing;
pub mod lookup;
pub mod members;
pub mod minutes;
pub mod opendata;
pub mod orders;
pub mod preparation;
pub mod publications;
pub mod replica;
pub mod search;
pub mod signatures;
pub mod sittings;
pub mod tenancy;
pub mod transmissions;
pub mod views;

pub use acta_store::{Backend, DatabaseUrl, FileMeta};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::AppError;

use acta_store::{Store, Tx};
use std::sync::Arc;

/// Who is acting: their login, written into every journal entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Actor(name.into())
    }
}

/// The application: a store and a clock.
#[derive(Clone)]
pub struct Acta {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl Acta {
    /// Creates the database if needed and brings its schema up to date.
    pub async fn init(url: &DatabaseUrl) -> Result<Acta, AppError> {
        let store = Store::open(url, true).await?;
        Ok(Acta::with_store(store))
    }

    /// Opens an existing database.
    pub async fn open(url: &DatabaseUrl) -> Result<Acta, AppError> {
        let store = Store::open(url, false).await?;
        Ok(Acta::with_store(store))
    }

    pub fn with_store(store: Store) -> Acta {
        Acta {
            store,
            clock: Arc::new(SystemClock),
        }
    }

    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Acta {
        self.clock = Arc::new(clock);
        self
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Opens a write transaction on behalf of `actor`.
    pub(crate) async fn write(&self, actor: &Actor) -> Result<Tx, AppError> {
        let at = self.clock.now().to_string();
        Ok(self.store.write(&actor.0, &at).await?)
    }

    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Today's date in metropolitan France (UTC if the time zone database is missing).
    pub fn today(&self) -> jiff::civil::Date {
        let now = self.clock.now();
        now.in_tz("Europe/Paris")
            .map(|z| z.date())
            .unwrap_or_else(|_| now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
    }

    pub(crate) async fn read(&self) -> Result<Tx, AppError> {
        Ok(self.store.read().await?)
    }

    pub async fn close(&self) {
        self.store.close().await;
    }
}
