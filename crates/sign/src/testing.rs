//! A certification authority made up for tests and demonstrations, and signers'
//! PKCS#12 files issued by it (feature `testing`; never in what a user runs). The keys
//! are generated at each run (P-256), except the one RSA key, a fixed test key: RSA key
//! generation is too slow in debug builds.

use p12_keystore::{
    Certificate as P12Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain,
};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};

/// A test RSA-2048 key, for the RSA path (generated once with OpenSSL; it protects nothing).
const RSA_TEST_KEY: &str = include_str!("../tests/fixtures/rsa-2048-test-key.pem");

/// The password of every test PKCS#12 file.
pub const PASSWORD: &str = "mot de passe de test";

/// The key algorithm of a test signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    EcP256,
    Rsa2048,
}

/// A test authority, able to issue signers' certificates.
pub struct TestAuthority {
    issuer: Issuer<'static, KeyPair>,
    certificate_der: Vec<u8>,
}

impl TestAuthority {
    /// A new authority, "Autorité de certification de test acta".
    pub fn new() -> Result<TestAuthority, String> {
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
        params
            .distinguished_name
            .push(DnType::CommonName, "Autorité de certification de test acta");
        params
            .distinguished_name
            .push(DnType::OrganizationName, "acta (tests)");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2040, 1, 1);
        let key = KeyPair::generate().map_err(|e| e.to_string())?;
        let certificate = params.self_signed(&key).map_err(|e| e.to_string())?;
        Ok(TestAuthority {
            certificate_der: certificate.der().to_vec(),
            issuer: Issuer::new(params, key),
        })
    }

    /// The authority's certificate, in DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The authority's certificate, in PEM.
    pub fn certificate_pem(&self) -> String {
        let body = base64_lines(&self.certificate_der);
        format!("-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
    }

    /// A PKCS#12 file for `name`, valid over the given years (inclusive), protected by
    /// [`PASSWORD`].
    pub fn issue(
        &self,
        name: &str,
        kind: KeyKind,
        valid_from_year: i32,
        valid_to_year: i32,
    ) -> Result<Vec<u8>, String> {
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.distinguished_name.push(
            DnType::OrganizationName,
            "Département du Pas-de-Calais (test)",
        );
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];
        params.not_before = date_time_ymd(valid_from_year, 1, 1);
        params.not_after = date_time_ymd(valid_to_year, 12, 31);
        let key = match kind {
            KeyKind::EcP256 => KeyPair::generate().map_err(|e| e.to_string())?,
            KeyKind::Rsa2048 => KeyPair::from_pem(RSA_TEST_KEY).map_err(|e| e.to_string())?,
        };
        let certificate = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| e.to_string())?;
        let chain = PrivateKeyChain::new(
            name.as_bytes().to_vec(),
            PrivateKey::from_der(&key.serialize_der()).map_err(|e| e.to_string())?,
            [
                P12Certificate::from_der(certificate.der()).map_err(|e| e.to_string())?,
                P12Certificate::from_der(&self.certificate_der).map_err(|e| e.to_string())?,
            ],
        );
        let mut store = KeyStore::new();
        store.add_entry(name, KeyStoreEntry::PrivateKeyChain(chain));
        store.writer(PASSWORD).write().map_err(|e| e.to_string())
    }
}

fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    let mut lines = String::new();
    for line in text.as_bytes().chunks(64) {
        lines.push_str(&String::from_utf8_lossy(line));
        lines.push('\n');
    }
    lines
}
