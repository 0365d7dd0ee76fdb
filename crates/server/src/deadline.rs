//! A deadline on every request: a client that sends its body a byte at a time, or never
//! finishes it, holds a connection and a task; past the deadline it gets a French 408 and
//! the task ends. The deadline leaves room for the slowest legitimate work (rendering and
//! signing a long act, a call to the prefecture's platform).

use crate::problem::Problem;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The deadline a deployment gets unless it chooses one.
pub const DEFAULT: Duration = Duration::from_secs(120);

pub async fn enforce(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "Délai dépassé",
            format!(
                "La requête n'a pas abouti en {} secondes (corps envoyé trop lentement ?) ; rien n'a été enregistré.",
                limit.as_secs().max(1)
            ),
        )
        .into_response(),
    }
}
