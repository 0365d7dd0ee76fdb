//! Files and signatures on both backends: bytes come back as written (binary, with NUL
//! bytes), journaled by their SHA-256 only; a prepared document moves through its states.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_domain::signature::{
    PasswordSource, RequiredSigner, SignatureRecord, SignatureState, SignedKind, SignerRole,
    SignerSetting,
};
use acta_store::testing::TestDatabase;
use acta_store::{SignedDocument, StoredSignature};

const AT: &str = "2026-12-04T10:00:00Z";

#[tokio::test]
async fn files_signers_and_signatures_round_trip() {
    for db in TestDatabase::all().await.unwrap() {
        let content: Vec<u8> = (0u8..=255).cycle().take(70_000).collect();
        let mut tx = db.store.write("agent.test", AT).await.unwrap();
        let file = tx
            .insert_file("2023-479.pdf", "application/pdf", &content, AT)
            .await
            .unwrap();
        tx.insert_signer(&SignerSetting {
            name: "Jean-Claude LEROY".into(),
            role: SignerRole::President,
            pkcs12_path: "/etc/acta/leroy.p12".into(),
            password: PasswordSource::Environment("ACTA_P12_LEROY".into()),
        })
        .await
        .unwrap();
        let document = tx
            .insert_signed_document(&SignedDocument {
                id: 0,
                kind: SignedKind::Deliberation,
                subject: 1,
                version: 1,
                mention_date: jiff::civil::date(2026, 12, 4),
                required: vec![RequiredSigner {
                    name: "Jean-Claude LEROY".into(),
                    role: SignerRole::President,
                }],
                state: SignatureState::ToSign,
                file,
                prepared_at: AT.into(),
            })
            .await
            .unwrap();
        let signed_file = tx
            .insert_file("2023-479-signe.pdf", "application/pdf", b"%PDF signed", AT)
            .await
            .unwrap();
        tx.insert_signature(
            document,
            &StoredSignature {
                position: 1,
                record: SignatureRecord {
                    signer_name: "Jean-Claude LEROY".into(),
                    role: SignerRole::President,
                    certificate_subject: "CN=Jean-Claude LEROY".into(),
                    certificate_issuer: "CN=AC".into(),
                    certificate_serial: "0A1B".into(),
                    signed_at: AT.parse().unwrap(),
                },
                external: false,
                file: signed_file,
            },
        )
        .await
        .unwrap();
        tx.update_signed_document(document, SignatureState::Signed, signed_file)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.store.read().await.unwrap();
        let (meta, bytes) = tx.file_content(file).await.unwrap().unwrap();
        assert_eq!(bytes, content, "{}", db.name());
        assert_eq!(meta.size, 70_000);
        assert_eq!(meta.sha256.len(), 64);
        let latest = tx
            .latest_signed_document(SignedKind::Deliberation, 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(latest.state, SignatureState::Signed);
        assert_eq!(latest.file, signed_file);
        assert_eq!(latest.required.len(), 1);
        let signatures = tx.signatures_of(document).await.unwrap();
        assert_eq!(signatures[0].record.certificate_serial, "0A1B");
        assert_eq!(
            tx.signers().await.unwrap()[0].setting.password.describe(),
            "env:ACTA_P12_LEROY"
        );
        // The journal names the file by its digest, never by its bytes.
        let entries = tx.journal_of("fichier", &file.to_string()).await.unwrap();
        let after = entries[0].after.as_deref().unwrap();
        assert!(
            after.contains(&meta.sha256) && !after.contains("content"),
            "{after}"
        );
        drop(tx);
        db.cleanup().await.unwrap();
    }
}
