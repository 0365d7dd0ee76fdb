//! The two static files every page may use, embedded in the binary: the style sheet and
//! the back office's comfort script.

use axum::http::header;
use axum::response::{IntoResponse, Response};

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// Refreshes previews as staff type. Pages work without it.
pub async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../static/gestion.js"),
    )
}

pub async fn style() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../static/acta.css"),
    )
}
