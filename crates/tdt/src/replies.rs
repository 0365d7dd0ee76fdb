//! The prefecture's documents as the platform delivers them: a .tar.gz holding the
//! @ctes message (courrier simple, demande de pièces complémentaires, lettre
//! d'observations, déféré au tribunal administratif) and the letter it carries.

use crate::TdtError;
use jiff::civil::Date;
use quick_xml::events::Event;
use std::io::Read;

/// What the prefecture sends about an act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// A simple letter.
    Letter,
    /// A request for additional documents.
    PiecesRequest,
    /// A letter of observations (the prefect's informal recourse).
    Observations,
    /// A referral of the act to the administrative court.
    Referral,
}

impl ReplyKind {
    /// The transaction type S²LOW gives it (`actes_transactions.type`).
    pub fn from_type_code(code: u64) -> Option<ReplyKind> {
        Some(match code {
            2 => ReplyKind::Letter,
            3 => ReplyKind::PiecesRequest,
            4 => ReplyKind::Observations,
            5 => ReplyKind::Referral,
            _ => return None,
        })
    }

    pub fn type_code(self) -> u64 {
        match self {
            ReplyKind::Letter => 2,
            ReplyKind::PiecesRequest => 3,
            ReplyKind::Observations => 4,
            ReplyKind::Referral => 5,
        }
    }

    /// The root element of its @ctes message.
    pub fn message_root(self) -> &'static str {
        match self {
            ReplyKind::Letter => "CourrierSimple",
            ReplyKind::PiecesRequest => "DemandePieceComplementaire",
            ReplyKind::Observations => "LettreObservations",
            ReplyKind::Referral => "DefereTA",
        }
    }

    fn from_message_root(root: &str) -> Option<ReplyKind> {
        [
            ReplyKind::Letter,
            ReplyKind::PiecesRequest,
            ReplyKind::Observations,
            ReplyKind::Referral,
        ]
        .into_iter()
        .find(|k| k.message_root() == root)
    }
}

/// A prefecture document read from its archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefectureMessage {
    pub kind: ReplyKind,
    /// The act it is about ("062-226200012-20231120-2023_479-DE").
    pub act_id: String,
    /// The date of the prefecture's letter.
    pub date: Date,
    /// What a demande de pièces complémentaires asks for.
    pub description: Option<String>,
    /// The message as received.
    pub message: Vec<u8>,
    /// The documents it carries (the letter, as PDF), by name.
    pub documents: Vec<(String, Vec<u8>)>,
}

/// What the message says, read from its XML.
struct Header {
    kind: ReplyKind,
    act_id: String,
    date: String,
    description: Option<String>,
    files: Vec<String>,
}

fn header(xml: &[u8]) -> Option<Header> {
    let decoded = match std::str::from_utf8(xml) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(xml).0.into_owned(),
    };
    let mut reader = quick_xml::Reader::from_str(&decoded);
    let mut found: Option<Header> = None;
    let mut inside: Option<String> = None;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = e.local_name().as_ref().to_string();
                if found.is_none() {
                    let kind = ReplyKind::from_message_root(&name)?;
                    let mut act_id = String::new();
                    let mut date = String::new();
                    for attr in e.attributes().flatten() {
                        let value = attr.value.to_string();
                        match attr.key.local_name().as_ref() {
                            "IDActe" => act_id = value,
                            "DateCourrierPref" => date = value,
                            _ => {}
                        }
                    }
                    found = Some(Header {
                        kind,
                        act_id,
                        date,
                        description: None,
                        files: Vec::new(),
                    });
                }
                text.clear();
                inside = Some(name);
            }
            Ok(Event::Text(t)) => text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => match r.as_ref() {
                "amp" => text.push('&'),
                "lt" => text.push('<'),
                "gt" => text.push('>'),
                "quot" => text.push('"'),
                "apos" => text.push('\''),
                other => {
                    let code = other
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()));
                    text.extend(code.and_then(char::from_u32));
                }
            },
            Ok(Event::End(_)) => {
                let value = text.trim().to_string();
                if let (Some(h), Some(element)) = (found.as_mut(), inside.as_deref())
                    && !value.is_empty()
                {
                    match element {
                        "NomFichier" => h.files.push(value),
                        "DescriptionPieces" => h.description = Some(value),
                        _ => {}
                    }
                }
                text.clear();
                inside = None;
            }
            Ok(Event::Eof) | Err(_) => return found,
            _ => {}
        }
    }
}

/// Reads a prefecture document's archive.
pub fn read_reply_archive(archive: &[u8]) -> Result<PrefectureMessage, TdtError> {
    let unreadable = |e: std::io::Error| TdtError::Protocol(format!("archive illisible ({e})"));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    for entry in tar.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        let name = entry
            .path()
            .map_err(unreadable)?
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // A letter is a few pages; a huge entry is not one of the platform's.
        let mut bytes = Vec::new();
        (&mut entry)
            .take(64 * 1024 * 1024)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
        files.push((name, bytes));
    }
    let (message, header) = files
        .iter()
        .filter(|(name, _)| name.to_ascii_lowercase().ends_with(".xml"))
        .find_map(|(_, bytes)| header(bytes).map(|h| (bytes.clone(), h)))
        .ok_or_else(|| {
            TdtError::Protocol(
                "l'archive ne contient pas de message de la préfecture (courrier, demande de pièces, lettre d'observations, déféré)."
                    .to_string(),
            )
        })?;
    let date: Date = header.date.trim().parse().map_err(|_| {
        TdtError::Protocol(format!("date du courrier « {} » illisible", header.date))
    })?;
    let documents = header
        .files
        .iter()
        .filter_map(|wanted| files.iter().find(|(name, _)| name == wanted).cloned())
        .collect();
    Ok(PrefectureMessage {
        kind: header.kind,
        act_id: header.act_id,
        date,
        description: header.description,
        message,
        documents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [&b""[..], b"\x1f\x8b\x08\x00garbage", b"<xml/>"] {
            assert!(read_reply_archive(bytes).is_err());
        }
    }
}
