//! What every handler takes from a request, read once here with French refusals: the
//! account acting, a JSON body, a form, path parameters and a query string. A handler is
//! then: extract, call the application, respond.

use crate::problem::Problem;
use crate::session::Visitor;
use acta_app::{Actor, AppError};
use acta_domain::{DomainError, FieldError};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// Fields a refused form never shows again.
const NEVER_ECHOED: [&str; 2] = ["mot_de_passe", "password"];

/// A submitted form, field by field, as typed (shown again when the form is refused).
pub type Fields = HashMap<String, String>;

/// Bodies larger than this are refused (413) before they are read; uploads will have
/// their own limit.
pub const BODY_LIMIT: usize = 1 << 20;

/// An upload's body may be this large (the largest file a dispositif allows, 20 Mio, and
/// the form's other fields); each dispositif sets its own, smaller, limit.
pub const UPLOAD_LIMIT: usize = 21 << 20;

pub fn upload_too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Fichier trop volumineux",
        "Fichier : l'envoi dépasse 21 Mo ; aucun fichier n'est enregistré.",
    )
}

fn multipart_of(
    content_type: &str,
    bytes: axum::body::Bytes,
) -> Option<multer::Multipart<'static>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    Some(multer::Multipart::new(stream, boundary))
}

/// A text part of a multipart body, by name.
pub async fn multipart_text(
    content_type: &str,
    bytes: axum::body::Bytes,
    name: &str,
) -> Option<String> {
    let mut multipart = multipart_of(content_type, bytes)?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) && field.file_name().is_none() {
            return field.text().await.ok();
        }
    }
    None
}

/// The request's media type, "" when it has none or an unreadable one.
pub fn content_type(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// A form that sends a file (multipart/form-data): its text fields, and the file of the
/// part named `fichier` with the name the visitor's computer gave it.
pub struct Upload {
    pub fields: Fields,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = Problem;

    async fn from_request(request: Request, _: &S) -> Result<Self, Problem> {
        let unreadable = || {
            Problem::from(AppError::Domain(DomainError::field(
                "fichier",
                "Fichier : l'envoi est illisible ; choisissez le fichier puis envoyez le formulaire.",
            )))
        };
        let content_type = content_type(request.headers());
        if !content_type.starts_with("multipart/form-data") {
            return Err(Problem::from(AppError::Domain(DomainError::field(
                "fichier",
                "Fichier : envoyez le formulaire en multipart/form-data.",
            ))));
        }
        let bytes = axum::body::to_bytes(request.into_body(), UPLOAD_LIMIT)
            .await
            .map_err(|_| upload_too_large())?;
        let mut multipart = multipart_of(&content_type, bytes).ok_or_else(unreadable)?;
        let mut upload = Upload {
            fields: Fields::new(),
            file_name: String::new(),
            bytes: Vec::new(),
        };
        while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
            let name = field.name().unwrap_or("").to_string();
            if name == "fichier" {
                upload.file_name = field.file_name().unwrap_or("").to_string();
                upload.bytes = field.bytes().await.map_err(|_| unreadable())?.to_vec();
            } else if name != crate::session::CSRF_FIELD {
                let text = field.text().await.map_err(|_| unreadable())?;
                upload.fields.insert(name, text);
            }
        }
        Ok(upload)
    }
}

impl Upload {
    /// The text fields read into `T`, refused in French.
    pub fn input<T: DeserializeOwned>(&self) -> Result<T, DomainError> {
        read_form(&self.fields)
    }
}

/// The visitor and the name the journal records for what they do.
pub struct Staff {
    pub visitor: Visitor,
    pub actor: Actor,
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let visitor = parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .unwrap_or_default();
        let actor = Actor::new(
            visitor
                .0
                .as_ref()
                .map_or_else(|| "anonyme".to_string(), |h| h.account.login.clone()),
        );
        Ok(Staff { visitor, actor })
    }
}

/// The French sentence for a serde error at `path`: serde's own wording is English.
fn explain(path: &str, message: &str) -> (String, String) {
    let field = |m: &str| {
        m.split('`')
            .nth(1)
            .map(str::to_string)
            .unwrap_or_else(|| path.to_string())
    };
    if message.starts_with("missing field") {
        let f = field(message);
        let label = acta_domain::french::field_label(&f);
        return (f, format!("{label} : ce champ est obligatoire."));
    }
    if message.starts_with("unknown field") {
        let f = field(message);
        return (f.clone(), format!("Le champ « {f} » n'existe pas."));
    }
    if message.starts_with("unknown variant") {
        return (
            path.to_string(),
            format!(
                "{} : cette valeur n'est pas prévue.",
                acta_domain::french::field_label(path)
            ),
        );
    }
    let label = acta_domain::french::field_label(path);
    if message.starts_with("invalid type") || message.starts_with("invalid length") {
        return (
            path.to_string(),
            format!("{label} : la valeur n'a pas le type attendu."),
        );
    }
    if message.starts_with("invalid value") {
        return (path.to_string(), format!("{label} : valeur invalide."));
    }
    // Our own deserializers already speak French ("« vingt » n'est pas un nombre entier").
    let message = message.split(" at line ").next().unwrap_or(message);
    (path.to_string(), format!("{label} : {message}."))
}

fn body_refused(status: StatusCode, title: &str, detail: &str) -> Problem {
    Problem::new(status, title, detail.to_string())
}

/// Reads the body, refusing one over the limit with a French 413, and one that carries a
/// control character (a NUL byte, C0 or C1 controls but tab and line breaks) with a
/// French 400: neither database may receive them, and both refuse them alike here.
async fn bytes(request: Request) -> Result<axum::body::Bytes, Problem> {
    let json = lowercase_content_type(&request).starts_with("application/json");
    let body = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| {
            body_refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Requête trop volumineuse",
                "Le corps de la requête dépasse 1 Mio.",
            )
        })?;
    let control = if json {
        crate::controls::in_json(&body)
    } else {
        crate::controls::in_form(&body)
    };
    if control {
        return Err(crate::controls::refusal());
    }
    Ok(body)
}

fn lowercase_content_type(request: &Request) -> String {
    content_type(request.headers()).to_ascii_lowercase()
}

/// A JSON body; its refusal is a French `application/problem+json` naming the field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, _: &S) -> Result<Self, Problem> {
        if !lowercase_content_type(&request).starts_with("application/json") {
            return Err(body_refused(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Type de contenu non pris en charge",
                "Envoyez le corps en JSON (Content-Type: application/json).",
            ));
        }
        let bytes = bytes(request).await?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let read = serde_path_to_error::deserialize(&mut de);
        // Trailing bytes after the value are not JSON either.
        if read.is_ok() && de.end().is_err() {
            return Err(body_refused(
                StatusCode::BAD_REQUEST,
                "Corps de requête illisible",
                "Le corps JSON ne convient pas : Le corps n'est pas du JSON bien formé.",
            ));
        }
        match read {
            Ok(v) => {
                check_json_texts(&bytes)?;
                Ok(ApiJson(v))
            }
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let (field, message) = if inner.is_syntax() || inner.is_eof() {
                    (
                        String::new(),
                        "Le corps n'est pas du JSON bien formé.".to_string(),
                    )
                } else {
                    explain(&path, &inner.to_string())
                };
                let mut problem = body_refused(
                    StatusCode::BAD_REQUEST,
                    "Corps de requête illisible",
                    &format!("Le corps JSON ne convient pas : {message}"),
                );
                if !field.is_empty() && field != "." {
                    problem
                        .errors
                        .push(crate::problem::FieldProblem { field, message });
                }
                Err(problem)
            }
        }
    }
}

/// Every string of a JSON body, with its path ("representant.nom", "points[2].objet"),
/// checked against the free-text limits of the domain.
fn check_json_texts(bytes: &[u8]) -> Result<(), Problem> {
    fn walk<'a>(value: &'a serde_json::Value, path: String, out: &mut Vec<(String, &'a str)>) {
        match value {
            serde_json::Value::String(s) => out.push((path, s)),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(item, inner, out);
                }
            }
            _ => {}
        }
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    let mut texts = Vec::new();
    walk(&value, String::new(), &mut texts);
    acta_domain::free_text::check_fields(texts.iter().map(|(f, v)| (f.as_str(), *v)))
        .map_err(|e| Problem::from(AppError::Domain(e)))
}

/// A submitted form: the input struct it fills (or why it cannot, as field errors shown
/// above the form again) and the fields as typed, to fill the form again.
pub struct Submitted<T> {
    pub input: Result<T, DomainError>,
    pub fields: Fields,
}

impl<T: serde::Serialize> Submitted<T> {
    /// The fields to fill the form again, under the names the input struct gives them
    /// (a form may have posted an older alias); as typed when the form did not parse.
    pub fn echo(&self) -> Fields {
        let mut fields = self.echo_all();
        // A password is never written back into a page.
        fields.retain(|name, _| !NEVER_ECHOED.contains(&name.as_str()));
        fields
    }

    fn echo_all(&self) -> Fields {
        let Ok(input) = &self.input else {
            return self.fields.clone();
        };
        let Ok(serde_json::Value::Object(map)) = serde_json::to_value(input) else {
            return self.fields.clone();
        };
        map.into_iter()
            .filter_map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Bool(true) => "1".to_string(),
                    _ => return None,
                };
                Some((k, text))
            })
            .collect()
    }
}

impl<T> Submitted<T> {
    /// Runs the use case on the input, or hands on why there is none.
    pub async fn then<R, F: AsyncFnOnce(&T) -> Result<R, AppError>>(
        &self,
        use_case: F,
    ) -> Result<R, AppError> {
        match &self.input {
            Ok(input) => use_case(input).await,
            Err(e) => Err(e.clone().into()),
        }
    }
}

/// The form's fields read into `T`; a field that does not fit becomes a French field error.
pub fn read_form<T: DeserializeOwned>(fields: &Fields) -> Result<T, DomainError> {
    acta_domain::free_text::check_fields(
        fields
            .iter()
            .filter(|(k, _)| k.as_str() != crate::session::CSRF_FIELD)
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )?;
    // The CSRF token was checked by the middleware; it is not part of any input.
    let pairs = fields
        .iter()
        .filter(|(k, _)| k.as_str() != crate::session::CSRF_FIELD)
        .map(|(k, v)| (k.as_str(), v.as_str()));
    let encoded = serde_urlencoded::to_string(pairs.collect::<Vec<_>>())
        .map_err(|_| DomainError::rule("Formulaire illisible."))?;
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let (field, message) = explain(&path, &e.into_inner().to_string());
        DomainError::Invalid(vec![FieldError::new(field, message)])
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Submitted<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, _: &S) -> Result<Self, Problem> {
        let bytes = bytes(request).await?;
        let fields: Fields = form_urlencoded::parse(&bytes).into_owned().collect();
        Ok(Submitted {
            input: read_form(&fields),
            fields,
        })
    }
}

/// The raw fields of a form whose names depend on the page (the roll call's
/// `statut_12`, the vote's `elu_12`).
pub struct FormFields(pub Fields);

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = Problem;

    async fn from_request(request: Request, _: &S) -> Result<Self, Problem> {
        let bytes = bytes(request).await?;
        Ok(FormFields(
            form_urlencoded::parse(&bytes).into_owned().collect(),
        ))
    }
}

/// A query string read into `T`, refused in French.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(QueryParams)
            .map_err(|e| {
                let path = e.path().to_string();
                let (field, message) = explain(&path, &e.into_inner().to_string());
                let mut p = Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Paramètres invalides",
                    format!("Les paramètres de l'adresse ne conviennent pas : {message}"),
                );
                p.errors
                    .push(crate::problem::FieldProblem { field, message });
                p
            })
    }
}

/// Path parameters; one that does not parse names nothing, hence 404 in French.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(PathParams(v)),
            Err(_) => Err(Problem::not_found(format!(
                "Aucune page à l'adresse « {} ».",
                parts.uri.path()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_refusals_are_told_in_french() {
        assert_eq!(
            explain("", "missing field `instance`"),
            (
                "instance".to_string(),
                "Instance : ce champ est obligatoire.".to_string()
            )
        );
        assert_eq!(
            explain("rapport", "« vingt » n'est pas un nombre entier").1,
            "Numéro du rapport : « vingt » n'est pas un nombre entier."
        );
        assert!(
            explain("date", "invalid type: integer `3`, expected a string")
                .1
                .contains("type attendu")
        );
    }

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[serde(deserialize_with = "acta_app::input::de::number")]
        rapport: u32,
        #[allow(dead_code)]
        titre: String,
    }

    #[test]
    fn a_form_field_that_does_not_fit_names_itself() {
        let fields: Fields = [("rapport", "vingt"), ("titre", "T")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let err = AppError::from(read_form::<Item>(&fields).unwrap_err());
        assert_eq!(err.field_errors()[0].field, "rapport");
        assert_eq!(
            err.to_string(),
            "Numéro du rapport : « vingt » n'est pas un nombre entier."
        );
        let ok = read_form::<Item>(
            &[("rapport", "20"), ("titre", "T")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap();
        assert_eq!(ok.rapport, 20);
    }
}
