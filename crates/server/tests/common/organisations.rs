//! Organisations of the beneficiaries' area, registered as a visitor does: through the
//! form and the confirmation link sent by a real SMTP exchange.

use super::{Session, send};
use acta_app::input::MailSettingsInput;
use acta_app::{Acta, Actor};
use acta_mail_sink::MailSink;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::time::Duration;

/// The password of every organisation registered here.
pub const PASSWORD: &str = "Une phrase de passe 2024";

/// Sends the collectivity's messages to `sink`.
pub async fn configure_mail(acta: &Acta, sink: &MailSink) {
    acta.configure_mail(
        &Actor::new("admin"),
        &MailSettingsInput {
            host: "127.0.0.1".into(),
            port: sink.port(),
            security: Some("aucune".into()),
            login: None,
            password_from: None,
            from: "subventions@pasdecalais.fr".into(),
            from_name: Some("Département du Pas-de-Calais".into()),
            public_url: "https://acta.pasdecalais.fr".into(),
        },
    )
    .await
    .unwrap();
}

/// Registers an organisation through the form, follows the link it is sent, logs in.
pub async fn register(
    app: &axum::Router,
    sink: &MailSink,
    fields: &[(&str, &str)],
    messages: usize,
) -> Session {
    let login = fields.iter().find(|(k, _)| *k == "identifiant").unwrap().1;
    let mut body = String::new();
    for (k, v) in fields.iter().chain([("mot_de_passe", PASSWORD)].iter()) {
        body.push_str(&format!("{k}={}&", acta_server::backoffice::url_encode(v)));
    }
    let reply = send(
        app,
        Request::post("/beneficiaires/inscription")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(
        reply.text().contains("lien de confirmation"),
        "{}",
        reply.text()
    );
    let received = sink.wait_for(messages, Duration::from_secs(10)).await;
    let text = received.last().unwrap().text();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/beneficiaires/confirmation/"))
        .unwrap();
    let path = link.trim_start_matches("https://acta.pasdecalais.fr");
    let (status, _, page) = super::get(app, path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page).contains(&format!("« {login} » est ouvert")));
    Session::open_with(app, login, PASSWORD).await
}

pub fn organisation<'a>(
    name: &'a str,
    siret: &'a str,
    login: &'a str,
    email: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("nom", name),
        ("statut", "établissement public"),
        ("siret", siret),
        ("adresse", "Rue de l'Artisanat"),
        ("code_postal", "62000"),
        ("ville", "Arras"),
        ("civilite", "Mme"),
        ("representant", "Laurence LOUVET"),
        ("qualite", "Présidente"),
        ("nom_personne", "Laurence LOUVET"),
        ("courriel", email),
        ("identifiant", login),
    ]
}
