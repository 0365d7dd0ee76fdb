//! Errors as RFC 9457 problem details (`application/problem+json`), in French, with the
//! fields a refused input names.

use acta_app::AppError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank".to_string(),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, "Introuvable", detail)
    }

    pub fn unauthorized() -> Self {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "Connexion requise",
            "Cette opération est réservée aux agents connectés.",
        )
    }

    pub fn forbidden() -> Self {
        Problem::new(
            StatusCode::FORBIDDEN,
            "Accès refusé",
            "Votre rôle ne permet pas cette opération.",
        )
    }
}

/// The HTTP status of an application error, and its French title.
pub fn status_of(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Domain(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Saisie invalide"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "Introuvable"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "Conflit"),
        AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "Service indisponible"),
        AppError::Store(_) | AppError::File(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne")
        }
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        let (status, title) = status_of(&e);
        let errors = e
            .field_errors()
            .iter()
            .map(|f| FieldProblem {
                field: f.field.clone(),
                message: f.message.clone(),
            })
            .collect();
        Problem {
            errors,
            ..Problem::new(status, title, e.to_string())
        }
    }
}

impl From<acta_domain::DomainError> for Problem {
    fn from(e: acta_domain::DomainError) -> Self {
        Problem::from(AppError::from(e))
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}
