//! acta's full-text search: one tantivy index of the acts (deliberations, reports,
//! conventions, imported archives) with a French analyser, facets and filters. The index
//! knows nothing of the database: `acta-app` builds the [`ActDocument`]s and keeps the
//! index in step with the register through the marker each update records.

pub mod analyzer;
pub mod document;
pub mod index;
pub mod query;

pub use document::{ActDocument, ActKind, IndexedBeneficiary};
pub use index::{IndexUpdate, SearchIndex};
pub use query::{Audience, COUNT_BOUND, FacetCount, Facets, Hit, SearchQuery, SearchResults};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("Index de recherche : {0}")]
    Index(String),
}
