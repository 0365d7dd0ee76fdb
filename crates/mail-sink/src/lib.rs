//! A small SMTP server for tests (RFC 5321 without relaying): it listens on a loopback
//! port, accepts every message (or refuses the recipients it is told to), and keeps what
//! it received so that a test can read the recipients, subject, body and attachments.
//! It speaks EHLO/HELO, AUTH PLAIN and LOGIN (any password), MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP and QUIT.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The largest message the sink takes, as it announces in its SIZE extension.
pub const MAX_MESSAGE_BYTES: usize = 50 * 1024 * 1024;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The reverse path of MAIL FROM.
    pub from: String,
    /// The forward paths of RCPT TO that were accepted.
    pub to: Vec<String>,
    /// The user name given with AUTH, if the client authenticated.
    pub auth_user: Option<String>,
    /// The message as transferred (headers and body, dots unstuffed).
    pub raw: Vec<u8>,
}

/// An attachment of a received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl Received {
    fn parsed(&self) -> Option<mail_parser::Message<'_>> {
        mail_parser::MessageParser::default().parse(&self.raw)
    }

    pub fn subject(&self) -> String {
        self.parsed()
            .and_then(|m| m.subject().map(str::to_string))
            .unwrap_or_default()
    }

    /// The first text part, decoded.
    pub fn text(&self) -> String {
        self.parsed()
            .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
            .unwrap_or_default()
    }

    /// A header's value as text ("Message-ID" gives the id without angle brackets).
    pub fn header(&self, name: &str) -> Option<String> {
        let message = self.parsed()?;
        let value = message.header(name)?;
        match value {
            mail_parser::HeaderValue::Text(t) => Some(t.to_string()),
            mail_parser::HeaderValue::TextList(l) => Some(l.join(", ")),
            mail_parser::HeaderValue::Address(a) => Some(
                a.iter()
                    .filter_map(|addr| addr.address.as_deref())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ => message.header_raw(name).map(|raw| raw.trim().to_string()),
        }
    }

    pub fn attachments(&self) -> Vec<Attachment> {
        let Some(message) = self.parsed() else {
            return Vec::new();
        };
        message
            .attachments()
            .map(|part| {
                use mail_parser::MimeHeaders;
                Attachment {
                    name: part.attachment_name().unwrap_or_default().to_string(),
                    content_type: part
                        .content_type()
                        .map(|c| match c.subtype() {
                            Some(sub) => format!("{}/{sub}", c.ctype()),
                            None => c.ctype().to_string(),
                        })
                        .unwrap_or_default(),
                    content: part.contents().to_vec(),
                }
            })
            .collect()
    }
}

#[derive(Default)]
struct Shared {
    messages: Vec<Received>,
    refused: HashSet<String>,
}

/// A running sink; it stops when dropped.
pub struct MailSink {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for MailSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A test that panicked while holding the lock leaves data that is still readable.
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MailSink {
    /// Starts listening on 127.0.0.1, on a port the system chooses.
    pub async fn start() -> std::io::Result<MailSink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(Shared::default()));
        let for_task = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = for_task.clone();
                tokio::spawn(async move {
                    // A broken session is the client's concern; the sink keeps listening.
                    let _ = session(stream, shared).await;
                });
            }
        });
        Ok(MailSink { addr, shared, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Makes the server refuse this recipient (550 at RCPT TO).
    pub fn refuse(&self, recipient: &str) {
        lock(&self.shared)
            .refused
            .insert(recipient.to_ascii_lowercase());
    }

    /// What arrived so far.
    pub fn messages(&self) -> Vec<Received> {
        lock(&self.shared).messages.clone()
    }

    /// Waits until `count` messages arrived (or `timeout` passed) and returns them.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count || tokio::time::Instant::now() >= deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The address inside "MAIL FROM:<a@b>" or "RCPT TO:<a@b> …".
fn path_of(argument: &str) -> String {
    let argument = argument.trim();
    match (argument.find('<'), argument.find('>')) {
        (Some(start), Some(end)) if start < end => argument[start + 1..end].to_string(),
        _ => argument
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Decodes base64 (AUTH payloads); None when malformed.
fn base64_decode(input: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in input.trim().bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte)?;
        buffer = (buffer << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The user of an AUTH PLAIN payload ("\0user\0password").
fn plain_user(payload: &str) -> Option<String> {
    let decoded = base64_decode(payload)?;
    let mut parts = decoded.split(|b| *b == 0);
    let _authorization = parts.next()?;
    let user = parts.next()?;
    String::from_utf8(user.to_vec()).ok()
}

async fn session(stream: TcpStream, shared: Arc<Mutex<Shared>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write.write_all(b"220 acta-mail-sink ESMTP\r\n").await?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut auth_user: Option<String> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']).to_string();
        let upper = command.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") {
            format!(
                "250-acta-mail-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE {MAX_MESSAGE_BYTES}\r\n"
            )
        } else if upper.starts_with("HELO") {
            "250 acta-mail-sink\r\n".into()
        } else if upper.starts_with("AUTH PLAIN") {
            let payload = command.get(10..).unwrap_or_default().trim().to_string();
            let payload = if payload.is_empty() {
                write.write_all(b"334 \r\n").await?;
                let mut next = String::new();
                reader.read_line(&mut next).await?;
                next
            } else {
                payload
            };
            match plain_user(&payload) {
                Some(user) => {
                    auth_user = Some(user);
                    "235 2.7.0 Authentication successful\r\n".into()
                }
                None => "501 5.5.2 Cannot decode\r\n".into(),
            }
        } else if upper.starts_with("AUTH LOGIN") {
            write.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
            let mut user = String::new();
            reader.read_line(&mut user).await?;
            write.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
            let mut password = String::new();
            reader.read_line(&mut password).await?;
            auth_user = base64_decode(&user).and_then(|u| String::from_utf8(u).ok());
            "235 2.7.0 Authentication successful\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            from = Some(path_of(&command[10..]));
            to.clear();
            "250 2.1.0 Ok\r\n".into()
        } else if upper.starts_with("RCPT TO:") {
            let recipient = path_of(&command[8..]);
            if from.is_none() {
                "503 5.5.1 MAIL first\r\n".into()
            } else if lock(&shared)
                .refused
                .contains(&recipient.to_ascii_lowercase())
            {
                "550 5.1.1 Mailbox unavailable\r\n".into()
            } else {
                to.push(recipient);
                "250 2.1.5 Ok\r\n".into()
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                "554 5.5.1 No valid recipients\r\n".into()
            } else {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let raw = read_data(&mut reader).await?;
                match raw {
                    Some(raw) => {
                        let mut guard = lock(&shared);
                        guard.messages.push(Received {
                            from: from.take().unwrap_or_default(),
                            to: std::mem::take(&mut to),
                            auth_user: auth_user.clone(),
                            raw,
                        });
                        format!("250 2.0.0 Ok: queued as {}\r\n", guard.messages.len())
                    }
                    None => "552 5.3.4 Message too big\r\n".into(),
                }
            }
        } else if upper == "RSET" {
            from = None;
            to.clear();
            "250 2.0.0 Ok\r\n".into()
        } else if upper == "NOOP" {
            "250 2.0.0 Ok\r\n".into()
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else {
            "502 5.5.2 Command not recognized\r\n".into()
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

/// Reads the DATA section up to the lone dot; None when it exceeds the size limit (the
/// rest is still read, to stay in step with the client).
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut too_big = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(if too_big { None } else { Some(raw) });
        }
        let content = line.strip_prefix(b".").unwrap_or(&line);
        if raw.len() + content.len() > MAX_MESSAGE_BYTES {
            too_big = true;
        } else {
            raw.extend_from_slice(content);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_auth_payloads_are_read() {
        assert_eq!(path_of("<a@b.fr> SIZE=12"), "a@b.fr");
        assert_eq!(path_of(" a@b.fr"), "a@b.fr");
        // "\0elu\0secret"
        assert_eq!(plain_user("AGVsdQBzZWNyZXQ="), Some("elu".to_string()));
        assert_eq!(plain_user("***"), None);
    }
}
