//! What every HTML page shares: the frame (site name, logo, navigation, the account and
//! its log-out button, the errors of a refused form) and rendering a page's askama
//! template. Templates escape every value by default; pages are built apart from the
//! handlers that call them.

use crate::AppState;
use crate::extract::Fields;
use crate::routes;
use crate::session::{CSRF_FIELD, Visitor};
use acta_app::AppError;
use askama::Template;
use axum::http::{Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// A link of the main navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
}

/// The signed-in account, shown in the header with its log-out button.
pub struct AccountBox {
    pub name: String,
    pub role: String,
}

/// The parts of a page around its content.
pub struct Frame {
    pub title: String,
    /// The collectivity on the portal; "acta — espace agents" in the back office.
    pub site: String,
    /// The configured logo, as a data URI.
    pub logo: Option<String>,
    pub nav: Vec<NavLink>,
    pub account: Option<AccountBox>,
    /// The session's CSRF token, for every form that changes something.
    pub csrf: String,
    /// What a refused form got wrong, listed above it.
    pub errors: Vec<String>,
    /// The back office's comfort script.
    pub script: bool,
    /// A portal page read on a replica says how far behind it may be.
    pub freshness: Option<String>,
}

impl Frame {
    pub fn csrf_field(&self) -> &'static str {
        CSRF_FIELD
    }

    /// A back-office page: navigation by role, the account and its log-out button.
    pub fn staff(visitor: &Visitor, title: impl Into<String>) -> Frame {
        let mut nav = vec![
            NavLink {
                href: "/gestion",
                label: "Séances",
            },
            NavLink {
                href: "/gestion/aides",
                label: "Aides",
            },
            NavLink {
                href: "/gestion/beneficiaires",
                label: "Bénéficiaires",
            },
            NavLink {
                href: "/gestion/demandes",
                label: "Demandes",
            },
            NavLink {
                href: "/gestion/budget",
                label: "Budget",
            },
        ];
        if routes::allows(&Method::GET, "/gestion/comptes", visitor.role()) {
            nav.push(NavLink {
                href: "/gestion/comptes",
                label: "Comptes",
            });
        }
        nav.push(NavLink {
            href: "/",
            label: "Portail public",
        });
        Frame {
            title: title.into(),
            site: "acta — espace agents".to_string(),
            logo: None,
            nav,
            account: visitor.0.as_ref().map(|h| AccountBox {
                name: h.account.name.clone(),
                role: h.account.role_label.clone(),
            }),
            csrf: visitor
                .0
                .as_ref()
                .map(|h| h.csrf_token.clone())
                .unwrap_or_default(),
            errors: Vec::new(),
            script: true,
            freshness: None,
        }
    }

    /// A page of the public portal, under the collectivity's name and logo.
    pub fn portal(site: String, logo: Option<String>, title: impl Into<String>) -> Frame {
        Frame {
            title: title.into(),
            site,
            logo,
            nav: vec![
                NavLink {
                    href: "/",
                    label: "Accueil",
                },
                NavLink {
                    href: "/recherche",
                    label: "Recherche",
                },
                NavLink {
                    href: "/donnees",
                    label: "Données ouvertes",
                },
                NavLink {
                    href: "/gestion",
                    label: "Espace agents",
                },
            ],
            account: None,
            csrf: String::new(),
            errors: Vec::new(),
            script: false,
            freshness: None,
        }
    }

    /// The same frame, saying where its page was read (see [`crate::reads`]).
    pub fn read_from(mut self, reads: &crate::reads::Reads) -> Frame {
        self.freshness = reads.notice();
        self
    }

    /// The same frame, with what went wrong listed above the form.
    pub fn refused(mut self, error: Option<&AppError>) -> Frame {
        if let Some(e) = error {
            let fields = e.field_errors();
            self.errors = if fields.is_empty() {
                vec![e.to_string()]
            } else {
                fields.iter().map(|f| f.message.clone()).collect()
            };
        }
        self
    }
}

/// Which forms a page offers: the same table the access middleware applies.
pub struct Can(pub acta_domain::account::StaffRole);

impl Can {
    pub fn of(visitor: &Visitor) -> Can {
        Can(visitor.role())
    }

    /// Whether the visitor may post to this route (its declared path).
    pub fn post(&self, path: &str) -> bool {
        routes::allows(&Method::POST, path, self.0)
    }

    /// Whether the visitor may open this page (its declared path).
    pub fn get(&self, path: &str) -> bool {
        routes::allows(&Method::GET, path, self.0)
    }
}

/// What was typed in a refused form, to fill it again; on a page with several forms,
/// which one it was.
#[derive(Default)]
pub struct Typed {
    pub fields: Fields,
    pub form: &'static str,
}

impl Typed {
    pub fn new(fields: Fields) -> Typed {
        Typed { fields, form: "" }
    }

    /// What the form posted to `form` (its last path segment) typed, named as the
    /// input struct names it.
    pub fn of_form(form: &'static str, fields: Fields) -> Typed {
        Typed { fields, form }
    }

    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(|v| v.trim()).unwrap_or("")
    }

    /// A field of one of the page's forms: empty unless that form was the one refused.
    pub fn form_get(&self, form: &str, name: &str) -> &str {
        if self.form == form {
            self.get(name)
        } else {
            ""
        }
    }

    /// A typed date, only when an `<input type="date">` can hold it (AAAA-MM-JJ).
    pub fn date(&self, name: &str) -> &str {
        date_value(self.get(name))
    }

    pub fn time(&self, name: &str) -> &str {
        time_value(self.get(name))
    }

    pub fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == value
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
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

/// A choice of a `<select>`: its value, its label, and whether it is selected.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn choices(list: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    list.into_iter()
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

/// Renders a page under a status. A template that fails to render (it cannot, short of a
/// bug) gives a plain French error rather than a half page.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur interne</title></head><body><h1>Erreur interne</h1><p>La page n'a pas pu être affichée.</p></body></html>".to_string()),
        )
            .into_response(),
    }
}

/// A page shown under the status an error would give in the API, or 200.
pub fn render_after(error: Option<&AppError>, page: &impl Template) -> Response {
    let status = error.map_or(StatusCode::OK, |e| crate::problem::status_of(e).0);
    render(status, page)
}

/// A back-office page, or the error page when what it shows cannot be read; under the
/// status of the refused form it shows again, if any.
pub fn shown<T: Template>(
    visitor: &Visitor,
    error: Option<&AppError>,
    page: Result<T, AppError>,
) -> Response {
    match page {
        Ok(page) => render_after(error, &page),
        Err(e) => staff_error(visitor, e),
    }
}

/// An official document rendered on a blocking thread (Typst lays out for a while).
pub async fn rendered(
    state: &AppState,
    doc: acta_docs::Document,
    format: acta_docs::Format,
) -> Result<Vec<u8>, AppError> {
    let renderer = state.renderer.clone();
    let bytes = tokio::task::spawn_blocking(move || match format {
        acta_docs::Format::Pdf => renderer.pdf(&doc),
        acta_docs::Format::Html => renderer.html(&doc).map(String::into_bytes),
    })
    .await
    .map_err(|e| AppError::File(e.to_string()))??;
    Ok(bytes)
}

/// A document laid out as PDF and sent to download as `name`, or the error page.
pub async fn pdf_download(
    state: &AppState,
    visitor: &Visitor,
    name: &str,
    document: Result<acta_docs::Document, AppError>,
) -> Response {
    let pdf = match document {
        Ok(document) => rendered(state, document, acta_docs::Format::Pdf).await,
        Err(e) => Err(e),
    };
    match pdf {
        Ok(bytes) => pdf_file("attachment", name, bytes),
        Err(e) => staff_error(visitor, e),
    }
}

/// A PDF to download (`attachment`) or to show (`inline`).
pub fn pdf_file(disposition: &str, name: &str, bytes: Vec<u8>) -> Response {
    file(disposition, name, "application/pdf", bytes)
}

/// A file to download (`attachment`) or to show (`inline`); its name keeps the characters
/// every browser reads in a header (others become "-").
pub fn file(disposition: &str, name: &str, media_type: &str, bytes: Vec<u8>) -> Response {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A stored file (a piece, a document a beneficiary sent…) to download, or the error page.
pub fn stored_file(
    visitor: &Visitor,
    found: Result<(acta_app::FileMeta, Vec<u8>), AppError>,
) -> Response {
    match found {
        Ok((meta, bytes)) => file("attachment", &meta.name, &meta.media_type, bytes),
        Err(e) => staff_error(visitor, e),
    }
}

/// An error page with nothing else to show.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub frame: Frame,
    pub message: String,
    pub back: Option<(&'static str, &'static str)>,
}

/// The back office's page for an error that leaves nothing to show.
pub fn staff_error(visitor: &Visitor, error: AppError) -> Response {
    let (status, _) = crate::problem::status_of(&error);
    let page = MessagePage {
        frame: Frame::staff(visitor, "Demande impossible").refused(Some(&error)),
        message: String::new(),
        back: Some(("/gestion", "Retour aux séances")),
    };
    render(status, &page)
}

/// The portal's page for an error: its status, a French title and message.
pub async fn portal_error(state: &AppState, error: AppError) -> Response {
    let (status, _) = crate::problem::status_of(&error);
    let title = if status == StatusCode::NOT_FOUND {
        "Page introuvable"
    } else {
        "Demande impossible"
    };
    let page = MessagePage {
        frame: state.portal_frame(title).await,
        message: error.to_string(),
        back: None,
    };
    render(status, &page)
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
}
