//! acta's outgoing e-mail: a message at a time, over SMTP with STARTTLS, implicit TLS or
//! (on a trusted local relay only) none, with authentication when the Département's
//! server asks for it. What the server answered for each message (its code and text) is
//! returned, to be kept as the proof of sending.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587), required.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

/// Where and how to send.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// User name and password, when the server asks for authentication.
    pub credentials: Option<(String, String)>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish()
    }
}

/// A file sent with a message.
#[derive(Debug, Clone)]
pub struct FileAttachment {
    pub name: String,
    /// "application/pdf".
    pub media_type: String,
    pub content: Vec<u8>,
}

/// One message to one recipient.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from_name: String,
    pub from: String,
    pub to_name: String,
    pub to: String,
    pub subject: String,
    /// Plain text, UTF-8.
    pub body: String,
    pub attachments: Vec<FileAttachment>,
}

/// What the server answered when it took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The Message-ID acta gave the message, without angle brackets.
    pub message_id: String,
    /// "250 2.0.0 Ok: queued as 12".
    pub server_reply: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address or header that cannot be put in a message.
    #[error("{0}")]
    Invalid(String),
    /// The server refused the message (a permanent or temporary SMTP error).
    #[error("{0}")]
    Refused(String),
    /// The server could not be reached, or the connection failed.
    #[error("{0}")]
    Connection(String),
}

/// A connection pool to the configured server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
}

fn mailbox(name: &str, address: &str, what: &str) -> Result<Mailbox, MailError> {
    let address = address
        .parse()
        .map_err(|e| MailError::Invalid(format!("{what} : « {address} » refusée ({e}).")))?;
    Ok(Mailbox::new(
        Some(name.to_string()).filter(|n| !n.trim().is_empty()),
        address,
    ))
}

/// A fresh Message-ID on the sender's domain.
fn message_id(from: &str) -> Result<String, MailError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| MailError::Connection(format!("Aléa du système indisponible : {e}.")))?;
    let domain = from.rsplit_once('@').map_or("acta.invalid", |(_, d)| d);
    Ok(format!("{}@{domain}", hex::encode(bytes)))
}

impl Mailer {
    pub fn new(settings: &SmtpSettings) -> Result<Mailer, MailError> {
        let tls = |host: &str| {
            TlsParameters::new(host.to_string()).map_err(|e| {
                MailError::Connection(format!("TLS vers le serveur de courriel {host} : {e}."))
            })
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.clone())
                .port(settings.port)
                .timeout(Some(settings.timeout));
        builder = match settings.security {
            Security::StartTls => builder.tls(Tls::Required(tls(&settings.host)?)),
            Security::Tls => builder.tls(Tls::Wrapper(tls(&settings.host)?)),
            Security::None => builder.tls(Tls::None),
        };
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            timeout: settings.timeout,
        })
    }

    /// Sends one message and returns what the server answered.
    pub async fn send(&self, mail: &Mail) -> Result<Sent, MailError> {
        let id = message_id(&mail.from)?;
        let builder = Message::builder()
            .from(mailbox(&mail.from_name, &mail.from, "Expéditeur")?)
            .to(mailbox(&mail.to_name, &mail.to, "Destinataire")?)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{id}>")));
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone());
        let message = if mail.attachments.is_empty() {
            builder.singlepart(text)
        } else {
            let mut multipart = MultiPart::mixed().singlepart(text);
            for a in &mail.attachments {
                let content_type = ContentType::parse(&a.media_type).map_err(|e| {
                    MailError::Invalid(format!(
                        "Pièce jointe {} : type « {} » ({e}).",
                        a.name, a.media_type
                    ))
                })?;
                multipart = multipart.singlepart(
                    Attachment::new(a.name.clone()).body(a.content.clone(), content_type),
                );
            }
            builder.multipart(multipart)
        }
        .map_err(|e| MailError::Invalid(format!("Message impossible à composer : {e}.")))?;
        // The transport's timeout covers each exchange, not a server that accepts the
        // connection and never speaks: the whole sending has its own bound.
        let bound = self.timeout.saturating_mul(3);
        let sent = tokio::time::timeout(bound, self.transport.send(message))
            .await
            .map_err(|_| {
                MailError::Connection(format!(
                    "Serveur de courriel muet : aucune réponse en {} secondes.",
                    bound.as_secs()
                ))
            })?;
        match sent {
            Ok(response) => Ok(Sent {
                message_id: id,
                server_reply: format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                ),
            }),
            Err(e) if e.is_permanent() || e.is_transient() => Err(MailError::Refused(format!(
                "Le serveur de courriel a refusé le message : {e}."
            ))),
            Err(e) => Err(MailError::Connection(format!(
                "Serveur de courriel injoignable : {e}."
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acta_mail_sink::MailSink;

    fn settings(port: u16, credentials: Option<(String, String)>) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: Security::None,
            credentials,
            timeout: Duration::from_secs(10),
        }
    }

    fn mail(to: &str) -> Mail {
        Mail {
            from_name: "Département du Pas-de-Calais".into(),
            from: "assemblees@pasdecalais.fr".into(),
            to_name: "Mme Élue Exemple".into(),
            to: to.into(),
            subject: "Convocation – Commission permanente du 20 novembre 2023".into(),
            body:
                "Madame,\nvous êtes convoquée. Lien : https://acta.example/elus/convocation/abc\n"
                    .into(),
            attachments: vec![FileAttachment {
                name: "convocation.pdf".into(),
                media_type: "application/pdf".into(),
                content: b"%PDF-1.7 test".to_vec(),
            }],
        }
    }

    #[tokio::test]
    async fn a_message_reaches_the_server_with_its_attachment_and_id() {
        let sink = MailSink::start().await.unwrap_or_else(|e| panic!("{e}"));
        let mailer = Mailer::new(&settings(
            sink.port(),
            Some(("acta".into(), "secret".into())),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let sent = mailer
            .send(&mail("elue@example.fr"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            sent.server_reply.starts_with("250"),
            "{}",
            sent.server_reply
        );
        let got = sink.messages();
        assert_eq!(got.len(), 1);
        let m = &got[0];
        assert_eq!(m.to, vec!["elue@example.fr".to_string()]);
        assert_eq!(m.from, "assemblees@pasdecalais.fr");
        assert_eq!(m.auth_user.as_deref(), Some("acta"));
        assert_eq!(
            m.subject(),
            "Convocation – Commission permanente du 20 novembre 2023"
        );
        assert!(
            m.text()
                .contains("https://acta.example/elus/convocation/abc")
        );
        assert_eq!(
            m.header("Message-ID").as_deref(),
            Some(sent.message_id.as_str())
        );
        let attachments = m.attachments();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].name, "convocation.pdf");
        assert_eq!(attachments[0].content, b"%PDF-1.7 test");
    }

    #[tokio::test]
    async fn a_server_that_never_speaks_is_given_up_in_time() {
        // Accepts connections (the system's backlog) and never answers.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = silent.local_addr().unwrap_or_else(|e| panic!("{e}")).port();
        let mut s = settings(port, None);
        s.timeout = Duration::from_millis(300);
        let mailer = Mailer::new(&s).unwrap_or_else(|e| panic!("{e}"));
        let started = std::time::Instant::now();
        let result = mailer.send(&mail("elue@example.fr")).await;
        assert!(
            matches!(result, Err(MailError::Connection(_))),
            "{result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        drop(silent);
    }

    #[tokio::test]
    async fn a_refused_recipient_and_an_absent_server_are_told_apart() {
        let sink = MailSink::start().await.unwrap_or_else(|e| panic!("{e}"));
        sink.refuse("parti@example.fr");
        let mailer = Mailer::new(&settings(sink.port(), None)).unwrap_or_else(|e| panic!("{e}"));
        let refused = mailer.send(&mail("parti@example.fr")).await;
        assert!(matches!(refused, Err(MailError::Refused(_))), "{refused:?}");
        let port = sink.port();
        drop(sink);
        tokio::time::sleep(Duration::from_millis(50)).await;
        let nobody = Mailer::new(&settings(port, None)).unwrap_or_else(|e| panic!("{e}"));
        let absent = nobody.send(&mail("elue@example.fr")).await;
        assert!(
            matches!(absent, Err(MailError::Connection(_))),
            "{absent:?}"
        );
        let bad = Mailer::new(&settings(port, None)).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            bad.send(&mail("pas une adresse")).await,
            Err(MailError::Invalid(_))
        ));
    }
}
