//! Each collectivity's own documents configuration and logo, kept in its database: its
//! documents are printed with them, a wrong configuration or logo is refused whole, and on
//! PostgreSQL another collectivity of the same database keeps its own (or the embedded one).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::documents_setup::Logo;
use acta_app::{Acta, AppError, FixedClock};
use acta_docs::DocumentsConfig;
use acta_store::testing::TestDatabase;
use common::actor;

/// The smallest PNG file: one transparent pixel.
const PNG: &[u8] = include_bytes!("data/pixel.png");

/// The same with its image data damaged (the checksum no longer matches): a PNG by its
/// first bytes, but no image.
fn damaged_png() -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes[43] ^= 0xff;
    bytes
}

/// A commune's wording, written from the embedded configuration as a user would.
fn commune_config() -> String {
    DocumentsConfig::EMBEDDED_TEXT
        .replace(
            "collectivity = \"\"",
            "collectivity = \"COMMUNE DE TÉMOINVILLE\"",
        )
        .replace(
            "logo = \"\"",
            "logo = \"/srv/acta/logo-temoinville.png\"",
        )
        .replace(
            "commission_title = \"DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL\"",
            "commission_title = \"EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DE LA COMMISSION PERMANENTE\"",
        )
}

async fn deliberation_html(acta: &Acta) -> String {
    let renderer = acta.documents_renderer().await.unwrap();
    let doc = acta
        .deliberation_document(renderer.config(), "2023-479")
        .await
        .unwrap();
    renderer.html(&doc).unwrap()
}

#[tokio::test]
async fn a_collectivity_prints_its_documents_with_its_own_configuration_and_logo() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = Acta::with_store(db.store.clone())
            .with_clock(FixedClock("2026-03-02T10:00:00Z".parse().unwrap()));
        acta.load_demo(&actor()).await.unwrap();

        // None of its own: the embedded configuration (the seed's Département).
        let setup = acta.documents_setup().await.unwrap();
        assert!(!setup.own);
        assert_eq!(setup.text, DocumentsConfig::EMBEDDED_TEXT);
        let html = deliberation_html(&acta).await;
        assert!(
            html.contains("DELIBERATION DE LA COMMISSION PERMANENTE"),
            "{}",
            db.name()
        );
        assert!(!html.contains("data:image/png"));

        // Its own, with a logo.
        acta.set_documents_config(
            &actor(),
            &commune_config(),
            Some(Logo {
                name: "logo-temoinville.png".into(),
                bytes: PNG.to_vec(),
            }),
        )
        .await
        .unwrap();
        let setup = acta.documents_setup().await.unwrap();
        assert!(setup.own);
        assert_eq!(setup.logo.as_deref(), Some(PNG));
        assert!(
            !setup.text.contains("/srv/acta/logo-temoinville.png"),
            "the logo is in the database, not at a path of one server"
        );
        assert!(setup.text.contains("# How acta words"), "comments kept");
        let html = deliberation_html(&acta).await;
        assert!(html.contains("COMMUNE DE TÉMOINVILLE"), "{}", db.name());
        assert!(html.contains("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS"));
        assert!(html.contains("data:image/png;base64,"));
        // And the PDF/A too.
        let renderer = acta.documents_renderer().await.unwrap();
        let doc = acta
            .deliberation_document(renderer.config(), "2023-479")
            .await
            .unwrap();
        assert!(renderer.pdf(&doc).unwrap().starts_with(b"%PDF"));

        // Refused whole, in French, naming what is wrong; nothing written.
        let entries = acta.journal_size().await.unwrap();
        let unknown = commune_config().replace("Après en avoir délibéré,", "{inconnu}");
        let refused = acta
            .set_documents_config(&actor(), &unknown, None)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("wording.formula"), "{refused}");
        assert!(refused.to_string().contains("{inconnu}"), "{refused}");
        let refused = acta
            .set_documents_config(&actor(), "[header\ncollectivity = 1", None)
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("configuration des documents"),
            "{refused}"
        );
        let refused = acta
            .set_documents_config(
                &actor(),
                &commune_config(),
                Some(Logo {
                    name: "logo.pdf".into(),
                    bytes: b"%PDF-1.7\n".to_vec(),
                }),
            )
            .await
            .unwrap_err();
        assert!(matches!(refused, AppError::Domain(_)), "{refused}");
        assert_eq!(refused.field_errors()[0].field, "header.logo");
        let refused = acta
            .set_documents_config(
                &actor(),
                &commune_config(),
                Some(Logo {
                    name: "logo-abime.png".into(),
                    bytes: damaged_png(),
                }),
            )
            .await
            .unwrap_err();
        assert_eq!(refused.field_errors()[0].field, "header.logo");
        assert!(
            refused.to_string().contains("Logo « logo-abime.png »"),
            "{refused}"
        );
        assert_eq!(acta.journal_size().await.unwrap(), entries);
        assert!(
            deliberation_html(&acta)
                .await
                .contains("COMMUNE DE TÉMOINVILLE")
        );

        // Back to the embedded one.
        acta.reset_documents_config(&actor()).await.unwrap();
        assert!(!acta.documents_setup().await.unwrap().own);
        assert!(!deliberation_html(&acta).await.contains("TÉMOINVILLE"));
        assert!(acta.verify_journal(|_| {}).await.unwrap().intact);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn each_collectivity_of_a_database_has_its_own_documents() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let first = Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2026-03-02T10:00:00Z".parse().unwrap()));
    let second = first.for_collectivity(2).unwrap();
    first.load_demo(&actor()).await.unwrap();
    second.load_demo(&actor()).await.unwrap();
    second
        .set_documents_config(&actor(), &commune_config(), None)
        .await
        .unwrap();
    assert!(
        deliberation_html(&second)
            .await
            .contains("COMMUNE DE TÉMOINVILLE")
    );
    assert!(!first.documents_setup().await.unwrap().own);
    assert!(!deliberation_html(&first).await.contains("TÉMOINVILLE"));
    db.cleanup().await.unwrap();
}
