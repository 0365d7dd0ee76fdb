use thiserror::Error;

/// What can go wrong while storing or reading. Messages are French; the database's own
/// message follows when it is the cause.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("Base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error("Base de données : mise à jour du schéma impossible : {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Config(String),
    /// A stored value the domain refuses to read back: the database was edited by hand.
    #[error("Donnée illisible en base ({location}) : {reason}")]
    Corrupt { location: String, reason: String },
    /// A write on a read-only view, or after the journal was closed.
    #[error("Écriture refusée : {0}")]
    ReadOnly(String),
}

impl StoreError {
    pub fn corrupt(location: impl Into<String>, reason: impl Into<String>) -> Self {
        StoreError::Corrupt {
            location: location.into(),
            reason: reason.into(),
        }
    }

    /// True when the database refused a duplicate (unique constraint).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// True when a referenced row does not exist (foreign key constraint).
    pub fn is_foreign_key_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_foreign_key_violation())
    }
}
