//! The back office: French server-rendered pages for the assemblies service, the
//! instructing directions and finance. Every form works without JavaScript; a small
//! script only refreshes the quorum, the majority and the credits as staff type.
//! Handlers read the form, call the application and render; what a role may do comes from
//! [`crate::access::ROUTES`], which also decides which forms a page shows.

pub mod accounts;
pub mod grants;
pub mod items;
pub mod login;
pub mod sittings;

use crate::access;
use crate::html::{self, NavLink};
use crate::problem::status_of;
use crate::session::{CSRF_FIELD, Visitor};
use acta_app::{Actor, AppError};
use acta_domain::text::escape_html as escape;
use axum::http::{Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

/// A submitted form, field by field.
pub type Fields = HashMap<String, String>;

/// A field's value, trimmed; `None` when it is missing or blank.
pub fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// A field's value, or "" when it is missing.
pub fn text<'a>(fields: &'a Fields, name: &str) -> &'a str {
    field(fields, name).unwrap_or("")
}

/// A whole number typed in a form, or the French message naming the field.
pub fn number<T: std::str::FromStr>(
    fields: &Fields,
    name: &str,
    label: &str,
) -> Result<T, AppError> {
    let value = text(fields, name);
    value.parse().map_err(|_| {
        acta_domain::DomainError::field(
            name,
            format!("{label} : « {value} » n'est pas un nombre entier."),
        )
        .into()
    })
}

/// The account acting, as the journal names it.
pub fn actor(visitor: &Visitor) -> Actor {
    Actor::new(
        visitor
            .0
            .as_ref()
            .map_or_else(|| "anonyme".to_string(), |h| h.account.login.clone()),
    )
}

/// Whether the visitor may send this form: the same table the middleware applies.
pub fn may(visitor: &Visitor, path: &str) -> bool {
    access::allows(&Method::POST, path, visitor.role())
}

/// The hidden field every state-changing form carries.
pub fn csrf_input(visitor: &Visitor) -> String {
    let token = visitor
        .0
        .as_ref()
        .map(|h| h.csrf_token.as_str())
        .unwrap_or("");
    format!("<input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{token}\">")
}

/// A back-office page: navigation by role, the account and its log-out button.
pub fn staff_page(visitor: &Visitor, title: &str, main: &str) -> Html<String> {
    let mut nav = vec![
        NavLink("/gestion", "Séances"),
        NavLink("/gestion/aides", "Aides"),
        NavLink("/gestion/beneficiaires", "Bénéficiaires"),
        NavLink("/gestion/budget", "Budget"),
    ];
    if access::allows(&Method::GET, "/gestion/comptes", visitor.role()) {
        nav.push(NavLink("/gestion/comptes", "Comptes"));
    }
    nav.push(NavLink("/", "Portail public"));
    let account = match &visitor.0 {
        Some(h) => format!(
            "<div class=\"compte\"><p>{} — {}</p><form class=\"inline\" method=\"post\" action=\"/deconnexion\">{}<button type=\"submit\">Se déconnecter</button></form></div>",
            escape(&h.account.name),
            escape(&h.account.role_label),
            csrf_input(visitor)
        ),
        None => String::new(),
    };
    Html(html::document(
        title,
        "acta — espace agents",
        &nav,
        &account,
        main,
        true,
    ))
}

/// A page shown again with what went wrong, under the status the API would give.
pub fn refused_page(visitor: &Visitor, title: &str, error: &AppError, main: &str) -> Response {
    let (status, _) = status_of(error);
    let body = format!("{}\n{main}", html::error_summary(error));
    (status, staff_page(visitor, title, &body)).into_response()
}

/// An error page with nothing else to show.
pub fn error_page(visitor: &Visitor, error: AppError) -> Response {
    refused_page(
        visitor,
        "Demande impossible",
        &error,
        "<p><a href=\"/gestion\">Retour aux séances</a></p>",
    )
}

/// The page a staff role gets for a route its role does not admit.
pub fn forbidden_page() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(html::document(
            "Accès refusé",
            "acta — espace agents",
            &[NavLink("/gestion", "Séances")],
            "",
            "<p>Votre rôle ne permet pas cette opération.</p>",
            false,
        )),
    )
        .into_response()
}

/// After a successful form: back to a page (303, so that reloading does not resend).
pub fn see_other(target: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, target.to_string())],
    )
        .into_response()
}

/// Percent-encodes a path for a query string.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A typed date shown again in an `<input type="date">`, which only holds AAAA-MM-JJ:
/// anything else is left out (the error above the form names it).
pub fn date_value(typed: &str) -> &str {
    let b = typed.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
    {
        typed
    } else {
        ""
    }
}

/// A typed time shown again in an `<input type="time">` (HH:MM only).
pub fn time_value(typed: &str) -> &str {
    let b = typed.as_bytes();
    if b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        typed
    } else {
        ""
    }
}

/// A labelled text field in its paragraph; `extra` adds attributes (` required`…).
pub fn input(name: &str, label: &str, value: &str, extra: &str) -> String {
    format!(
        "<p><label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" value=\"{}\"{extra}></p>\n",
        escape(value)
    )
}

/// A form posting to `action` under its heading, with the CSRF token.
pub fn form(visitor: &Visitor, action: &str, heading: &str, fields: &str, button: &str) -> String {
    format!(
        "<h3>{heading}</h3>\n<form method=\"post\" action=\"{action}\">{}\n{fields}<p><button type=\"submit\">{button}</button></p>\n</form>\n",
        csrf_input(visitor)
    )
}

/// `<option>`s with one selected.
pub fn options(choices: impl IntoIterator<Item = (String, String)>, selected: &str) -> String {
    choices
        .into_iter()
        .map(|(value, label)| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                escape(&value),
                if value == selected { " selected" } else { "" },
                escape(&label)
            )
        })
        .collect()
}

/// The comfort script: refreshes previews as staff type. Pages work without it.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../static/gestion.js"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_dates_and_times_are_shown_again() {
        for (typed, date, time) in [
            ("2023-11-20", "2023-11-20", ""),
            ("demain", "", ""),
            ("20/11/2023", "", ""),
            ("09:30", "", "09:30"),
            ("9h30", "", ""),
            ("", "", ""),
            ("é", "", ""),
        ] {
            assert_eq!(date_value(typed), date, "{typed}");
            assert_eq!(time_value(typed), time, "{typed}");
        }
    }

    #[test]
    fn paths_are_encoded_for_a_query_string() {
        assert_eq!(url_encode("/gestion/seances/1"), "/gestion/seances/1");
        assert_eq!(
            url_encode("/gestion?a=1&b=é"),
            "/gestion%3Fa%3D1%26b%3D%C3%A9"
        );
    }
}
