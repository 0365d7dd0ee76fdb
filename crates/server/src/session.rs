//! Who is asking: the session cookie is read once per request, and its holder (or nobody)
//! travels with the request. State-changing requests must also carry the session's CSRF
//! token, in the form's `_csrf` field or the `X-CSRF-Token` header.

use crate::AppState;
use crate::problem::Problem;
use acta_app::accounts::SessionHolder;
use acta_domain::account::{SESSION_SECONDS, StaffRole};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const COOKIE: &str = "acta_session";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The one state-changing route an anonymous visitor may reach.
pub const LOGIN_PATH: &str = "/connexion";
/// Where an organisation registers on the beneficiaries' portal.
pub const REGISTRATION_PATH: &str = "/beneficiaires/inscription";
/// Forms are small; a larger body is refused before it is read.
const FORM_LIMIT: usize = 1 << 20;

/// The requester: a session holder, or an anonymous visitor.
#[derive(Debug, Clone, Default)]
pub struct Visitor(pub Option<SessionHolder>);

impl Visitor {
    pub fn role(&self) -> StaffRole {
        self.0
            .as_ref()
            .map_or(StaffRole::Public, |h| h.account.role)
    }

    /// The account's login, or "" for an anonymous visitor.
    pub fn login(&self) -> String {
        self.0
            .as_ref()
            .map(|h| h.account.login.clone())
            .unwrap_or_default()
    }

    /// Who acts, for the use cases (an anonymous visitor acts as nobody).
    pub fn actor(&self) -> acta_app::Actor {
        acta_app::Actor::new(self.login())
    }
}

/// The session token from the request's cookies.
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The cookie that holds a new session: never readable by scripts, never sent by another
/// site, sent over TLS only when the server is behind it.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie(token, SESSION_SECONDS, secure)
}

/// The cookie that ends a session in the browser.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    cookie("", 0, secure)
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("acta_session=; Path=/; Max-Age=0"))
}

/// Finds the session holder, if any, and attaches it to the request.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let holder = match token(request.headers()) {
        Some(token) => match state.acta.session(&token).await {
            Ok(holder) => holder,
            Err(e) => return Problem::from(e).into_response(),
        },
        None => None,
    };
    request.extensions_mut().insert(Visitor(holder));
    next.run(request).await
}

fn refused() -> Response {
    Problem::new(
        StatusCode::FORBIDDEN,
        "Jeton de sécurité invalide",
        "Le formulaire a expiré ou ne vient pas d'acta : rechargez la page et recommencez.",
    )
    .into_response()
}

/// Refuses a state-changing request without the session's CSRF token. The log-in form,
/// which has no session yet, is only accepted from this site's own pages.
pub async fn check_csrf(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    // The log-in and an organisation's registration are posted by visitors without a
    // session: they are only taken from this site's own pages.
    if request.uri().path() == LOGIN_PATH || request.uri().path() == REGISTRATION_PATH {
        return if same_origin(request.headers()) {
            next.run(request).await
        } else {
            refused()
        };
    }
    let holder = request
        .extensions()
        .get::<Visitor>()
        .and_then(|v| v.0.clone());
    let Some(holder) = holder else {
        return refused();
    };
    if let Some(given) = request.headers().get(CSRF_HEADER) {
        return if given.to_str().is_ok_and(|g| holder.csrf_matches(g)) {
            next.run(request).await
        } else {
            refused()
        };
    }
    let content_type = crate::extract::content_type(request.headers());
    if content_type.starts_with("multipart/form-data") {
        // A file sent from a form: its token is one of the parts.
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::extract::UPLOAD_LIMIT).await else {
            return crate::extract::upload_too_large().into_response();
        };
        let given = crate::extract::multipart_text(&content_type, bytes.clone(), CSRF_FIELD).await;
        if !given.is_some_and(|g| holder.csrf_matches(&g)) {
            return refused();
        }
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return refused();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Formulaire trop volumineux",
            "Le formulaire dépasse 1 Mio.",
        )
        .into_response();
    };
    let matches = form_field(&bytes, CSRF_FIELD).is_some_and(|g| holder.csrf_matches(&g));
    if !matches {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A field of an URL-encoded form (the CSRF token is hexadecimal: no decoding needed).
fn form_field(body: &[u8], name: &str) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// Whether the request says it comes from a page of this host (`Origin`, or the fetch
/// metadata of browsers that send no `Origin`). Clients that send neither are not
/// browsers and are accepted.
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let origin_host = origin.split_once("://").map(|(_, rest)| rest);
        return origin_host.is_some() && origin_host == host;
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; acta_session=abc"),
        );
        assert_eq!(token(&headers).as_deref(), Some("abc"));
        assert_eq!(token(&HeaderMap::new()), None);
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_behind_tls() {
        let plain = session_cookie("t", false);
        let plain = plain.to_str().unwrap_or_default();
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"));
        let tls = session_cookie("t", true);
        assert!(tls.to_str().unwrap_or_default().ends_with("; Secure"));
    }

    #[test]
    fn a_login_from_another_site_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&headers));
        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&headers));
    }

    #[test]
    fn form_fields_are_read_by_name() {
        assert_eq!(
            form_field(b"a=1&_csrf=beef&b=2", "_csrf").as_deref(),
            Some("beef")
        );
        assert_eq!(form_field(b"a=1", "_csrf"), None);
        assert_eq!(form_field(&[0xff, 0xfe], "_csrf"), None);
    }
}
