//! A stand-in for S²LOW, the tiers de télétransmission, for acta's tests and demonstrations.
//!
//! It speaks the same HTTP API over TLS, with the collectivity authenticated by its
//! client certificate, and answers with the same fields, status codes, messages and file
//! formats as S²LOW's source (`public.ssl/modules/actes/actes_transac_*.php`, `api/*.php`
//! and `class/ActesTransaction.class.php` in libriciel/s2low). The prefecture is played
//! by the test: it acknowledges acts as they are polled (posted → transmitted →
//! acknowledged) and sends letters, requests for documents, observations or referrals on
//! demand. A test can also take the platform down, slow an answer or ask for a login.
//!
//! It is a development dependency only: nothing a user runs starts it.

mod http;
mod pki;
mod platform;

pub use pki::CLIENT_PASSWORD;
pub use platform::{Authority, Transaction, letter_pdf};

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use jiff::civil::Date;
use platform::Platform;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// The prefecture's documents, by S²LOW's transaction type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefectureSends {
    Letter = 2,
    PiecesRequest = 3,
    Observations = 4,
    Referral = 5,
}

/// A running stand-in platform; stops when dropped.
pub struct StandIn {
    address: SocketAddr,
    platform: http::Shared,
    authority_pem: String,
    client_pkcs12: Vec<u8>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn tls(pki: &pki::Pki) -> Result<tokio_rustls::TlsAcceptor, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(pki.authority_der.clone()))
        .map_err(|e| e.to_string())?;
    // Only the collectivity's certificate opens the platform, as on S²LOW.
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| e.to_string())?;
    let chain = pki
        .server_chain_der
        .iter()
        .map(|c| CertificateDer::from(c.clone()))
        .collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key_der.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| e.to_string())?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

impl StandIn {
    /// Starts a platform for one authority on a free loopback port.
    pub async fn start(authority: Authority) -> Result<StandIn, String> {
        let pki = pki::generate(&authority.name)?;
        let acceptor = tls(&pki)?;
        let platform: http::Shared = Arc::new(Mutex::new(Platform {
            authority: Some(authority),
            ..Platform::default()
        }));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let app = http::router(platform.clone());
        let shared = platform.clone();
        let server = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let down = shared
                    .lock()
                    .map(|p| p.script.down)
                    .unwrap_or_else(|poisoned| poisoned.into_inner().script.down);
                if down {
                    // A platform that is down: the connection closes before any exchange.
                    drop(stream);
                    continue;
                }
                let acceptor = acceptor.clone();
                let service = TowerToHyperService::new(app.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Ok(StandIn {
            address,
            platform,
            authority_pem: pki.authority_pem,
            client_pkcs12: pki.client_pkcs12,
            server,
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Platform) -> T) -> T {
        let mut guard = self
            .platform
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }

    /// "https://127.0.0.1:PORT".
    pub fn base_url(&self) -> String {
        format!("https://{}", self.address)
    }

    /// The authority of the platform's server certificate (PEM), for the client to trust.
    pub fn platform_root_pem(&self) -> &str {
        &self.authority_pem
    }

    /// The collectivity's connection certificate (PKCS#12, password [`CLIENT_PASSWORD`]).
    pub fn client_pkcs12(&self) -> &[u8] {
        &self.client_pkcs12
    }

    /// Takes the platform down (every connection refused) or back up.
    pub fn set_down(&self, down: bool) {
        self.with(|p| p.script.down = down);
    }

    /// The next act sent is recorded but answered only after this delay.
    pub fn delay_next_send(&self, delay: Duration) {
        self.with(|p| p.script.next_create_delay = Some(delay));
    }

    /// The date the prefecture receives acts (by default the day they are polled).
    pub fn set_reception_date(&self, date: Date) {
        self.with(|p| p.script.reception_date = Some(date));
    }

    /// Asks a login and password on top of the certificate.
    pub fn require_login(&self, user: &str, password: &str) {
        self.with(|p| p.script.login = Some((user.to_string(), password.to_string())));
    }

    /// Every transaction, in the order they were created.
    pub fn transactions(&self) -> Vec<Transaction> {
        self.with(|p| p.transactions.clone())
    }

    /// The acts sent (type 1).
    pub fn acts(&self) -> Vec<Transaction> {
        self.with(|p| {
            p.transactions
                .iter()
                .filter(|t| t.kind == 1)
                .cloned()
                .collect()
        })
    }

    /// How many requests reached a page ("POST actes_transac_create.php").
    pub fn requests_to(&self, page: &str) -> usize {
        self.with(|p| p.requests.iter().filter(|r| r.as_str() == page).count())
    }

    /// The prefecture sends a document about an acknowledged act; gives its transaction.
    pub fn prefecture_sends(
        &self,
        act_transaction: u64,
        kind: PrefectureSends,
        letter_date: Date,
        description: Option<&str>,
    ) -> Option<u64> {
        self.with(|p| {
            p.receive_from_prefecture(act_transaction, kind as u64, letter_date, description)
        })
    }

    /// The collectivity's answers to a prefecture document.
    pub fn answers_to(&self, document: u64) -> Vec<Transaction> {
        self.with(|p| {
            p.transactions
                .iter()
                .filter(|t| t.related == Some(document) && t.archive.is_none())
                .cloned()
                .collect()
        })
    }

    /// The file of a transaction, as stored.
    pub fn file(&self, id: u64) -> Option<Vec<u8>> {
        self.with(|p| p.files.iter().find(|f| f.id == id).map(|f| f.bytes.clone()))
    }
}
