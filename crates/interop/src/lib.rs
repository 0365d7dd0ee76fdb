//! acta's exchange formats, each a pure function of data the application gives: SCDL open
//! data (délibérations 2.1.5, subventions 2.1.1) and the reading of others' subsidies
//! files, @ctes messages and bundles for the prefecture, Akoma Ntoso 3.0 and Popolo.

pub mod actes;
pub mod akn;
pub mod archives;
pub mod csv_cell;
pub mod popolo;
pub mod scdl;
pub mod scdl_import;
pub mod seda;
mod xml;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum InteropError {
    #[error("Écriture impossible : {0}")]
    Io(#[from] std::io::Error),
    #[error("CSV : {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Invalid(String),
}
