//! acta's electronic signatures. A deliberation, the minutes or a convention is signed
//! with the signer's certificate (a PKCS#12 file) as a PAdES signature that every PDF
//! reader checks, and any signed PDF — acta's or a beneficiary's countersigned one — is
//! verified here: who signed, whether a byte changed since, whether the certificate was
//! valid then.
//!
//! Pure computation over bytes: reading the PKCS#12 file and the PDF is the caller's.

pub mod certificate;
mod cms;
mod error;
pub mod identity;
pub mod pades;
mod pdf;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod tests;

pub use error::SignError;
pub use identity::SigningIdentity;
pub use pades::{SignatureReport, SignatureRequest, Verification, sign, verify};
pub use x509_cert::Certificate;

/// Reads trusted authorities from PEM text (one or several certificates) or DER bytes.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, SignError> {
    use der::Decode;
    if bytes.starts_with(b"-----BEGIN") {
        return Certificate::load_pem_chain(bytes)
            .map_err(|e| SignError::identity(format!("certificats PEM illisibles ({e}).")));
    }
    Certificate::from_der(bytes)
        .map(|c| vec![c])
        .map_err(|e| SignError::identity(format!("certificat DER illisible ({e}).")))
}
