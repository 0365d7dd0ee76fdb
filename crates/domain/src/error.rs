//! Errors a user can act on. Every message is French and names the field or the rule.

use std::fmt;

/// One invalid input value: `field` is the machine path of the field (for forms and the
/// API), `message` the French sentence shown to the user, which names the field itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, reported under a more specific field path
    /// (for instance `siret` becomes `beneficiaire.siret`).
    pub fn within(mut self, parent: &str) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// Everything the domain refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One or more input values are invalid.
    #[error("{}", join_messages(.0))]
    Invalid(Vec<FieldError>),
    /// The input is well formed but a rule forbids the operation.
    #[error("{0}")]
    Rule(String),
}

impl DomainError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn rule(message: impl Into<String>) -> Self {
        DomainError::Rule(message.into())
    }
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        DomainError::Invalid(vec![e])
    }
}

fn join_messages(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// Collects field errors so that a form reports all its mistakes at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value if it is valid, records the error otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Keeps the value if valid; records every field error of a refused one. A broken rule
    /// (not a field's) is returned as it is: the caller stops there.
    pub fn absorb<T>(&mut self, result: Result<T, DomainError>) -> Result<Option<T>, DomainError> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(DomainError::Invalid(list)) => {
                self.0.extend(list);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}
