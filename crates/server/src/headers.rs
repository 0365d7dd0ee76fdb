//! The security headers every answer carries (OWASP ASVS level 2, ANSSI's recommendations
//! for web applications): no script but the server's own file, no framing, no type
//! sniffing, no referrer outside the site, HTTPS remembered when behind TLS, and nothing
//! a signed-in visitor saw (names, IBANs) kept in a shared or browser cache.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Scripts only from the site itself (the back office's one file), styles from the site
/// and inline (the accessible HTML documents carry their own), images from the site or
/// the logo's data URI; nothing embeds a page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const FIXED: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
];

/// Whether the answer may hold what only its account sees: the back office, the members'
/// and beneficiaries' spaces, the log-in and the staff API (everything of the API but
/// the public acts and their search).
fn private(path: &str) -> bool {
    path.starts_with("/gestion")
        || path.starts_with("/elus")
        || path.starts_with("/beneficiaires")
        || path.starts_with("/connexion")
        || path.starts_with("/deconnexion")
        || (path.starts_with("/api/")
            && !path.starts_with("/api/deliberations")
            && !path.starts_with("/api/search")
            && !path.starts_with("/api/archives")
            && path != "/api/openapi.json")
}

pub async fn secure(State(behind_tls): State<bool>, request: Request, next: Next) -> Response {
    let private = private(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in FIXED {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if behind_tls {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
