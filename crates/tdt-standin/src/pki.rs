//! The certificates of a stand-in platform: an authority, the platform's server
//! certificate for 127.0.0.1, and the collectivity's connection certificate (PKCS#12),
//! all made up at start.

use p12_keystore::{
    Certificate as P12Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain,
};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, date_time_ymd,
};

/// The password of the collectivity's test connection certificate.
pub const CLIENT_PASSWORD: &str = "mot de passe de connexion de test";

pub struct Pki {
    pub authority_pem: String,
    pub authority_der: Vec<u8>,
    pub server_chain_der: Vec<Vec<u8>>,
    pub server_key_der: Vec<u8>,
    pub client_pkcs12: Vec<u8>,
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub fn generate(collectivity: &str) -> Result<Pki, String> {
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(text)?;
    ca.distinguished_name.push(
        DnType::CommonName,
        "Autorité de test de la plateforme de télétransmission",
    );
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = date_time_ymd(2020, 1, 1);
    ca.not_after = date_time_ymd(2040, 1, 1);
    let ca_key = KeyPair::generate().map_err(text)?;
    let ca_certificate = ca.self_signed(&ca_key).map_err(text)?;
    let authority_pem = ca_certificate.pem();
    let authority_der = ca_certificate.der().to_vec();
    let issuer = Issuer::new(ca, ca_key);

    let mut server = CertificateParams::new(vec!["localhost".to_string()]).map_err(text)?;
    server
        .subject_alt_names
        .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    server
        .distinguished_name
        .push(DnType::CommonName, "s2low.test");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.not_before = date_time_ymd(2020, 1, 1);
    server.not_after = date_time_ymd(2040, 1, 1);
    let server_key = KeyPair::generate().map_err(text)?;
    let server_certificate = server.signed_by(&server_key, &issuer).map_err(text)?;

    let mut client = CertificateParams::new(Vec::<String>::new()).map_err(text)?;
    client.distinguished_name.push(
        DnType::CommonName,
        format!("{collectivity} (connexion de test)"),
    );
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    client.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    client.not_before = date_time_ymd(2020, 1, 1);
    client.not_after = date_time_ymd(2040, 1, 1);
    let client_key = KeyPair::generate().map_err(text)?;
    let client_certificate = client.signed_by(&client_key, &issuer).map_err(text)?;
    let chain = PrivateKeyChain::new(
        b"connexion".to_vec(),
        PrivateKey::from_der(&client_key.serialize_der()).map_err(text)?,
        [
            P12Certificate::from_der(client_certificate.der()).map_err(text)?,
            P12Certificate::from_der(&authority_der).map_err(text)?,
        ],
    );
    let mut store = KeyStore::new();
    store.add_entry("connexion", KeyStoreEntry::PrivateKeyChain(chain));
    let client_pkcs12 = store.writer(CLIENT_PASSWORD).write().map_err(text)?;

    Ok(Pki {
        authority_pem,
        server_chain_der: vec![server_certificate.der().to_vec(), authority_der.clone()],
        authority_der,
        server_key_der: server_key.serialize_der(),
        client_pkcs12,
    })
}
