//! acta's official documents: deliberations, reports, conventions, minutes and register
//! pages, as PDF/A-2b (Typst, used as a library) and as accessible HTML (askama), from the
//! same data. A leaf crate: Typst is heavy, and nothing but the application needs it.

mod config;
mod html;
mod model;
mod render;

pub use config::{DocumentsConfig, fill};
pub use html::logo_media_type;
pub use model::*;
pub use render::{Format, Renderer};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum DocsError {
    #[error("Configuration des documents ({origin}) : {message}")]
    Config { origin: String, message: String },
    #[error("Modèle « {template} » : {message}")]
    Template { template: String, message: String },
    #[error("Document « {document} » : {message}")]
    Data { document: String, message: String },
    #[error("Document « {document} » : la mise en page a échoué : {message}")]
    Render { document: String, message: String },
    #[error("{0}")]
    File(String),
}
