//! Signing real acta documents and checking them with poppler's `pdfsig` and `qpdf`, the
//! oracles a reader of the signed file would use.

use crate::testing::{KeyKind, PASSWORD, TestAuthority};
use crate::{SignError, SignatureRequest, SigningIdentity, read_certificates, sign, verify};
use jiff::Timestamp;
use std::process::Command;

/// The seed's deliberation N°2023-479 as acta renders it (PDF/A-2b, Typst).
const DELIBERATION: &[u8] = include_bytes!("../tests/fixtures/deliberation-2023-479.pdf");

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn identity(ca: &TestAuthority, name: &str, kind: KeyKind) -> SigningIdentity {
    let p12 = ca.issue(name, kind, 2023, 2030).unwrap();
    SigningIdentity::from_pkcs12(&p12, PASSWORD).unwrap()
}

fn request<'a>(identity: &'a SigningIdentity, time: &str) -> SignatureRequest<'a> {
    SignatureRequest {
        identity,
        time: at(time),
        reason: Some("Délibération N°2023-479".to_string()),
        location: Some("Arras".to_string()),
    }
}

/// `pdfsig`'s report of a file.
fn pdfsig(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfsig")
        .arg(&path)
        .output()
        .expect("pdfsig (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn qpdf_check(pdf: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf is installed");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_deliberation_signed_by_the_president_is_valid_for_pdfsig_qpdf_and_acta() {
    let ca = TestAuthority::new().unwrap();
    for kind in [KeyKind::EcP256, KeyKind::Rsa2048] {
        let president = identity(&ca, "Jean-Claude LEROY", kind);
        let signed = sign(DELIBERATION, &request(&president, "2023-11-20T10:30:00Z")).unwrap();
        assert!(signed.starts_with(DELIBERATION), "an incremental update");

        let report = pdfsig(&signed);
        assert!(report.contains("Signature #1"), "{report}");
        assert!(
            report.contains("Signer Certificate Common Name: Jean-Claude LEROY"),
            "{report}"
        );
        assert!(
            report.contains("Signature Type: ETSI.CAdES.detached"),
            "{report}"
        );
        assert!(
            report.contains("Signature Validation: Signature is Valid."),
            "{kind:?}: {report}"
        );
        assert!(report.contains("Total document signed"), "{report}");
        let (ok, qpdf) = qpdf_check(&signed);
        assert!(ok, "{qpdf}");

        let anchors = read_certificates(ca.certificate_pem().as_bytes()).unwrap();
        let verification = verify(&signed, &anchors).unwrap();
        verification.check().unwrap();
        let s = &verification.signatures[0];
        assert_eq!(s.signer, "Jean-Claude LEROY");
        assert_eq!(s.signed_at, Some(at("2023-11-20T10:30:00Z")));
        assert_eq!(s.reason.as_deref(), Some("Délibération N°2023-479"));
        assert!(s.covers_whole_document && s.certificate_valid_at_signing && s.trusted);
        assert!(s.subject.contains("CN=Jean-Claude LEROY"), "{}", s.subject);
        assert_eq!(s.chain.len(), 2, "{:?}", s.chain);
        // Without the authority among the trusted ones, the signature still holds but is
        // not recognised.
        assert!(!verify(&signed, &[]).unwrap().signatures[0].trusted);
    }
}

#[test]
fn the_minutes_carry_two_signatures_and_pdfsig_lists_both() {
    let ca = TestAuthority::new().unwrap();
    let president = identity(&ca, "Jean-Claude LEROY", KeyKind::EcP256);
    let secretary = identity(&ca, "Maryse DELASSUS", KeyKind::EcP256);
    let once = sign(DELIBERATION, &request(&president, "2023-12-18T10:00:00Z")).unwrap();
    let twice = sign(&once, &request(&secretary, "2023-12-18T10:05:00Z")).unwrap();
    let report = pdfsig(&twice);
    assert!(
        report.contains("Signature #1") && report.contains("Signature #2"),
        "{report}"
    );
    assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
    assert!(report.contains("Maryse DELASSUS"), "{report}");
    let (ok, qpdf) = qpdf_check(&twice);
    assert!(ok, "{qpdf}");
    let verification = verify(&twice, &[]).unwrap();
    verification.check().unwrap();
    let signers: Vec<&str> = verification
        .signatures
        .iter()
        .map(|s| s.signer.as_str())
        .collect();
    assert_eq!(signers, ["Jean-Claude LEROY", "Maryse DELASSUS"]);
    assert!(!verification.signatures[0].covers_whole_document);
    assert!(verification.signatures[1].covers_whole_document);
}

#[test]
fn a_document_whose_cross_reference_is_a_stream_is_signed_as_well() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.pdf");
    let streamed = dir.path().join("streamed.pdf");
    std::fs::write(&source, DELIBERATION).unwrap();
    let status = Command::new("qpdf")
        .args(["--object-streams=generate"])
        .arg(&source)
        .arg(&streamed)
        .status()
        .expect("qpdf is installed");
    assert!(status.success());
    let pdf = std::fs::read(&streamed).unwrap();
    let ca = TestAuthority::new().unwrap();
    let president = identity(&ca, "Jean-Claude LEROY", KeyKind::EcP256);
    let signed = sign(&pdf, &request(&president, "2023-11-20T10:30:00Z")).unwrap();
    let report = pdfsig(&signed);
    assert!(report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
    let (ok, qpdf) = qpdf_check(&signed);
    assert!(ok, "{qpdf}");
    verify(&signed, &[]).unwrap().check().unwrap();
}

#[test]
fn a_changed_byte_or_a_later_update_is_refused_in_french() {
    let ca = TestAuthority::new().unwrap();
    let president = identity(&ca, "Jean-Claude LEROY", KeyKind::EcP256);
    let signed = sign(DELIBERATION, &request(&president, "2023-11-20T10:30:00Z")).unwrap();

    // One byte of the document's info dictionary, inside the signed range.
    let mut tampered = signed.clone();
    let at = tampered
        .windows(8)
        .position(|w| w == b"/Creator")
        .expect("an info dictionary");
    tampered[at + 10] ^= 0x01;
    let err = verify(&tampered, &[]).unwrap().check().unwrap_err();
    assert!(
        err.to_string()
            .contains("le document a été modifié après sa signature"),
        "{err}"
    );
    assert!(!pdfsig(&tampered).contains("Signature is Valid."));

    // Something added after the signature.
    let mut appended = signed.clone();
    appended.extend_from_slice(b"\n% ajout\n");
    let err = verify(&appended, &[]).unwrap().check().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Signature invalide : le document a été modifié après la dernière signature."
    );

    assert_eq!(verify(DELIBERATION, &[]).unwrap_err(), SignError::Unsigned);
}

#[test]
fn certificates_and_passwords_are_checked_before_signing() {
    let ca = TestAuthority::new().unwrap();
    let p12 = ca
        .issue("Jean-Claude LEROY", KeyKind::EcP256, 2020, 2021)
        .unwrap();
    let err = SigningIdentity::from_pkcs12(&p12, "faux").unwrap_err();
    assert!(
        err.to_string().starts_with(
            "Certificat de signature : fichier PKCS#12 illisible ou mot de passe incorrect"
        ),
        "{err}"
    );
    let expired = SigningIdentity::from_pkcs12(&p12, PASSWORD).unwrap();
    assert_eq!(expired.holder_name(), "Jean-Claude LEROY");
    let err = sign(DELIBERATION, &request(&expired, "2023-11-20T10:30:00Z")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Certificat de signature : le certificat de Jean-Claude LEROY n'est pas valide à cette date (valide du 01/01/2020 au 31/12/2021)."
    );
    let err = SigningIdentity::from_pkcs12(b"not a pkcs12 file", PASSWORD).unwrap_err();
    assert!(matches!(err, SignError::Identity(_)));
}

#[test]
fn no_input_makes_verification_panic() {
    let ca = TestAuthority::new().unwrap();
    let president = identity(&ca, "Jean-Claude LEROY", KeyKind::EcP256);
    let signed = sign(DELIBERATION, &request(&president, "2023-11-20T10:30:00Z")).unwrap();
    // Truncations and flipped bytes across the whole file, signature included.
    let len = signed.len();
    for step in 0..200 {
        let cut = len * step / 200;
        let _ = verify(&signed[..cut], &[]);
        let mut flipped = signed.clone();
        flipped[(cut * 7919) % len] ^= 0xff;
        let _ = verify(&flipped, &[]);
    }
}

#[test]
#[ignore = "writes /tmp/acta-signed.pdf to look at"]
fn write_a_sample() {
    let ca = TestAuthority::new().unwrap();
    let president = identity(&ca, "Jean-Claude LEROY", KeyKind::EcP256);
    let secretary = identity(&ca, "Maryse DELASSUS", KeyKind::Rsa2048);
    let once = sign(DELIBERATION, &request(&president, "2023-12-18T10:00:00Z")).unwrap();
    let twice = sign(&once, &request(&secretary, "2023-12-18T10:05:00Z")).unwrap();
    std::fs::write("/tmp/acta-signed.pdf", &twice).unwrap();
}
