//! What acta reads in an X.509 certificate: who it names, its serial number, when it is
//! valid, and whether its issuer signed it. Only the algorithms French signing
//! certificates use are supported (RSA PKCS#1 v1.5 with SHA-2, ECDSA P-256 with SHA-256);
//! any other is named in the refusal.

use crate::SignError;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{
    ECDSA_WITH_SHA_256, ID_EC_PUBLIC_KEY, RSA_ENCRYPTION, SHA_256_WITH_RSA_ENCRYPTION,
    SHA_384_WITH_RSA_ENCRYPTION, SHA_512_WITH_RSA_ENCRYPTION,
};
use der::Encode;
use jiff::Timestamp;
use signature::Verifier;
use x509_cert::Certificate;

/// The person or body a certificate names: its common name, else its whole subject.
pub fn holder_name(cert: &Certificate) -> String {
    let subject = cert.tbs_certificate().subject();
    match subject.common_name() {
        Ok(Some(cn)) => String::from(cn),
        _ => subject.to_string(),
    }
}

/// The certificate's subject, as "CN=…,O=…".
pub fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate().subject().to_string()
}

/// The certificate's issuer, as "CN=…,O=…".
pub fn issuer(cert: &Certificate) -> String {
    cert.tbs_certificate().issuer().to_string()
}

/// The serial number in hexadecimal, as certificate viewers show it.
pub fn serial_hex(cert: &Certificate) -> String {
    hex::encode_upper(cert.tbs_certificate().serial_number().as_bytes())
}

/// Whether `at` falls within the certificate's validity.
pub fn valid_at(cert: &Certificate, at: Timestamp) -> bool {
    let validity = cert.tbs_certificate().validity();
    let seconds = at.as_second();
    let not_before = unix_seconds(validity.not_before.to_unix_duration());
    let not_after = unix_seconds(validity.not_after.to_unix_duration());
    not_before <= seconds && seconds <= not_after
}

/// The validity period, for reports.
pub fn validity(cert: &Certificate) -> (Option<Timestamp>, Option<Timestamp>) {
    let validity = cert.tbs_certificate().validity();
    let to_timestamp = |d: std::time::Duration| Timestamp::from_second(unix_seconds(d)).ok();
    (
        to_timestamp(validity.not_before.to_unix_duration()),
        to_timestamp(validity.not_after.to_unix_duration()),
    )
}

fn unix_seconds(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Whether `issuer` names the issuer of `cert` and signed it.
pub fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate().to_der() else {
        return false;
    };
    let signature = cert.signature().raw_bytes();
    verify(issuer, &cert.signature_algorithm().oid, &tbs, signature).is_ok()
}

/// Checks `signature` over `message` with the certificate's public key, for the given
/// signature algorithm (or key algorithm with SHA-256, as CMS allows).
pub fn verify(
    cert: &Certificate,
    algorithm: &ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignError> {
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| SignError::invalid(format!("clé publique illisible ({e}).")))?;
    let key_algorithm = cert
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .oid;
    let refused = || SignError::invalid("la signature ne correspond pas au contenu signé.");
    if key_algorithm == RSA_ENCRYPTION {
        use rsa::pkcs8::DecodePublicKey;
        let key = rsa::PublicKey::from_public_key_der(&spki)
            .map_err(|e| SignError::invalid(format!("clé RSA illisible ({e}).")))?;
        let signature = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| refused())?;
        let checked = match *algorithm {
            a if a == SHA_256_WITH_RSA_ENCRYPTION || a == RSA_ENCRYPTION => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key).verify(message, &signature)
            }
            a if a == SHA_384_WITH_RSA_ENCRYPTION => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key).verify(message, &signature)
            }
            a if a == SHA_512_WITH_RSA_ENCRYPTION => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key).verify(message, &signature)
            }
            other => return Err(unsupported(&other)),
        };
        return checked.map_err(|_| refused());
    }
    if key_algorithm == ID_EC_PUBLIC_KEY {
        use p256::pkcs8::DecodePublicKey;
        if *algorithm != ECDSA_WITH_SHA_256 && *algorithm != ID_EC_PUBLIC_KEY {
            return Err(unsupported(algorithm));
        }
        let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).map_err(|_| {
            SignError::invalid("clé elliptique non prise en charge (seule P-256 l'est).")
        })?;
        let signature = p256::ecdsa::Signature::from_der(signature).map_err(|_| refused())?;
        return key.verify(message, &signature).map_err(|_| refused());
    }
    Err(unsupported(&key_algorithm))
}

fn unsupported(oid: &ObjectIdentifier) -> SignError {
    SignError::invalid(format!(
        "algorithme {oid} non pris en charge (RSA avec SHA-256, SHA-384 ou SHA-512, ou ECDSA P-256 avec SHA-256)."
    ))
}
