//! The back office: French server-rendered pages for the assemblies service, the
//! instructing directions and finance. Every form works without JavaScript; a small
//! script only refreshes the quorum, the majority and the credits as staff type.
//! A handler extracts the form into the application's input struct, calls the use case,
//! and either goes back to its page (303) or shows the page again with the refusal; what a
//! role may do comes from [`crate::routes::ROUTES`], which also decides which forms a page
//! shows.

pub mod accounts;
pub mod acts;
pub mod applications;
pub mod budget;
pub mod grants;
pub mod items;
pub mod login;
pub mod preparation;
pub mod sittings;

use crate::pages::{Frame, MessagePage, render};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The page a staff role gets for a route its role does not admit.
pub fn forbidden_page() -> Response {
    let mut frame = Frame::staff(&crate::session::Visitor::default(), "Accès refusé");
    frame.nav.truncate(1);
    render(
        StatusCode::FORBIDDEN,
        &MessagePage {
            frame,
            message: "Votre rôle ne permet pas cette opération.".to_string(),
            back: None,
        },
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_for_a_query_string() {
        assert_eq!(url_encode("/gestion/seances/1"), "/gestion/seances/1");
        assert_eq!(
            url_encode("/gestion?a=1&b=é"),
            "/gestion%3Fa%3D1%26b%3D%C3%A9"
        );
    }
}
