use acta_domain::DomainError;
use acta_store::StoreError;
use thiserror::Error;

/// What a use case can refuse or fail with; every message is French.
#[derive(Debug, Error)]
pub enum AppError {
    /// Invalid input or a broken rule: the user can fix it.
    #[error("{0}")]
    Domain(#[from] DomainError),
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The operation would duplicate or contradict what is recorded.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A data file (dataset, configuration) cannot be read.
    #[error("{0}")]
    File(String),
    /// An outside service (the TdT's platform) cannot be reached now; nothing is lost and
    /// the next run tries again.
    #[error("{0}")]
    Unavailable(String),
}

impl AppError {
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound(message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict(message.into())
    }

    /// The field errors, when the input was invalid.
    pub fn field_errors(&self) -> &[acta_domain::FieldError] {
        match self {
            AppError::Domain(DomainError::Invalid(list)) => list,
            _ => &[],
        }
    }
}

/// Turns a unique-constraint refusal into a French conflict message.
pub(crate) fn on_duplicate(message: impl Into<String>) -> impl FnOnce(StoreError) -> AppError {
    let message = message.into();
    move |e| {
        if e.is_unique_violation() {
            AppError::Conflict(message)
        } else {
            AppError::Store(e)
        }
    }
}

impl From<acta_domain::FieldError> for AppError {
    fn from(e: acta_domain::FieldError) -> Self {
        AppError::Domain(e.into())
    }
}
