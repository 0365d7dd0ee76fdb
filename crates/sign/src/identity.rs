//! A signer's identity: the private key and certificate chain of a PKCS#12 file (.p12,
//! .pfx), as certification authorities deliver them. The password is given by the caller
//! (from the environment or a file), never kept.

use crate::{SignError, certificate};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ECDSA_WITH_SHA_256, SHA_256_WITH_RSA_ENCRYPTION};
use der::{Decode, Encode};
use jiff::Timestamp;
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use signature::{SignatureEncoding, Signer};
use x509_cert::Certificate;

/// The key that signs, by algorithm.
enum Key {
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
    EcP256(Box<p256::ecdsa::SigningKey>),
}

/// A private key with its certificate and the certificates of its issuers.
pub struct SigningIdentity {
    key: Key,
    certificate: Certificate,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("SigningIdentity")
            .field("holder", &self.holder_name())
            .field("serial", &certificate::serial_hex(&self.certificate))
            .finish()
    }
}

impl SigningIdentity {
    /// Opens a PKCS#12 file's bytes with its password.
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<SigningIdentity, SignError> {
        let store =
            KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed).map_err(|e| {
                SignError::identity(format!(
                    "fichier PKCS#12 illisible ou mot de passe incorrect ({e})."
                ))
            })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            SignError::identity("le fichier PKCS#12 ne contient pas de clé privée.")
        })?;
        let key = key_from_pkcs8(chain.key().as_der())?;
        let certificates = chain
            .certs()
            .iter()
            .map(|c| {
                Certificate::from_der(c.as_der())
                    .map_err(|e| SignError::identity(format!("certificat illisible ({e}).")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let public_key = public_key_der(&key)?;
        let position = certificates
            .iter()
            .position(|c| {
                c.tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .is_ok_and(|spki| spki == public_key)
            })
            .ok_or_else(|| {
                SignError::identity("aucun certificat du fichier ne correspond à la clé privée.")
            })?;
        let mut chain = certificates;
        let certificate = chain.remove(position);
        Ok(SigningIdentity {
            key,
            certificate,
            chain,
        })
    }

    /// The person the certificate names (its common name).
    pub fn holder_name(&self) -> String {
        certificate::holder_name(&self.certificate)
    }

    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The issuers' certificates, nearest first.
    pub fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    /// Refuses a certificate that is not valid at `at`: a signature made with it would not
    /// hold.
    pub fn check_valid_at(&self, at: Timestamp) -> Result<(), SignError> {
        if certificate::valid_at(&self.certificate, at) {
            return Ok(());
        }
        let (from, to) = certificate::validity(&self.certificate);
        let show = |t: Option<Timestamp>| {
            t.map(|t| t.strftime("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "?".to_string())
        };
        Err(SignError::identity(format!(
            "le certificat de {} n'est pas valide à cette date (valide du {} au {}).",
            self.holder_name(),
            show(from),
            show(to)
        )))
    }

    /// Signs `message` (SHA-256), giving the CMS signature algorithm and the signature.
    pub(crate) fn sign(&self, message: &[u8]) -> (ObjectIdentifier, Vec<u8>) {
        match &self.key {
            Key::Rsa(key) => (SHA_256_WITH_RSA_ENCRYPTION, key.sign(message).to_vec()),
            Key::EcP256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                (ECDSA_WITH_SHA_256, signature.to_der().to_vec())
            }
        }
    }
}

fn key_from_pkcs8(der: &[u8]) -> Result<Key, SignError> {
    {
        use rsa::pkcs8::DecodePrivateKey;
        if let Ok(key) = rsa::PrivateKey::from_pkcs8_der(der) {
            return Ok(Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key))));
        }
    }
    {
        use p256::pkcs8::DecodePrivateKey;
        if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(Key::EcP256(Box::new(key)));
        }
    }
    Err(SignError::identity(
        "type de clé non pris en charge (RSA ou ECDSA P-256 attendu).",
    ))
}

fn public_key_der(key: &Key) -> Result<Vec<u8>, SignError> {
    let encoded = match key {
        Key::Rsa(key) => {
            use rsa::pkcs8::EncodePublicKey;
            key.as_ref()
                .as_ref()
                .to_public_key()
                .to_public_key_der()
                .map(|d| d.into_vec())
        }
        Key::EcP256(key) => {
            use p256::pkcs8::EncodePublicKey;
            key.verifying_key()
                .to_public_key_der()
                .map(|d| d.into_vec())
        }
    };
    encoded.map_err(|e| SignError::identity(format!("clé publique illisible ({e}).")))
}
