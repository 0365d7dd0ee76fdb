//! Archiving in an SAE (as@lae, Vitam) through SEDA 2.3: the ArchiveTransfer package (a
//! ZIP holding the bordereau `manifest.xml` and the files it lists, each with its SHA-512
//! digest), and the reading of the SAE's ArchiveTransferReply.

use crate::InteropError;
use crate::xml::Xml;
use jiff::civil::Date;
use sha2::Digest;
use std::io::{Cursor, Write};

pub const NAMESPACE: &str = "fr:gouv:culture:archivesdefrance:seda:v2.3";

/// A file of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Where it sits in the ZIP ("content/2023-479/deliberation-signee.pdf").
    pub path: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// What happens to the archives once their retention ends (SEDA FinalAction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalAction {
    /// Conservation définitive.
    Keep,
    /// Élimination.
    Destroy,
}

/// The appraisal rule of the Département's tableau de gestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appraisal {
    /// The rule's code in the SAE's referential ("APP-DELIBERATIONS").
    pub rule: String,
    /// Its duration (durée d'utilité administrative), in years.
    pub years: u32,
    pub final_action: FinalAction,
    /// When the duration starts: the act's date.
    pub start: Date,
}

/// An archive unit: a sitting, an act, a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unit {
    /// "RecordGrp", "File" or "Item".
    pub level: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub document_type: Option<String>,
    /// acta's own identifier (the deliberation's number), echoed in the SAE's reply.
    pub system_id: Option<String>,
    pub keywords: Vec<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub appraisal: Option<Appraisal>,
    pub children: Vec<Unit>,
    /// Indexes into the transfer's files.
    pub files: Vec<usize>,
}

/// An ArchiveTransfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The message's identifier, unique per transfer ("acta-2023-11-20-1").
    pub identifier: String,
    pub comment: String,
    /// The transfer's instant (RFC 3339, without offset: xsd:dateTime).
    pub date: String,
    pub archival_agreement: Option<String>,
    /// The archives service (its identifier in the SAE).
    pub archival_agency: String,
    /// The Département (its SIREN).
    pub transferring_agency: String,
    pub originating_agency: String,
    pub files: Vec<PackageFile>,
    pub root: Unit,
}

/// The code lists the bordereau refers to, at their first version.
const CODE_LISTS: [&str; 15] = [
    "Reply",
    "MessageDigestAlgorithm",
    "MimeType",
    "Encoding",
    "FileFormat",
    "CompressionAlgorithm",
    "DataObjectVersion",
    "StorageRule",
    "AppraisalRule",
    "AccessRule",
    "DisseminationRule",
    "ReuseRule",
    "ClassificationRule",
    "AuthorizationReason",
    "Relationship",
];

pub fn sha512_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha512::digest(bytes))
}

fn object_id(index: usize) -> String {
    format!("BDO{}", index + 1)
}

fn date_time(d: Date) -> String {
    format!("{d}T00:00:00")
}

fn write_unit(xml: &mut Xml, unit: &Unit, counter: &mut usize, files: &[PackageFile]) {
    *counter += 1;
    let id = format!("AU{counter}");
    xml.open("ArchiveUnit", &[("id", &id)]);
    if let Some(a) = &unit.appraisal {
        xml.open("Management", &[]);
        xml.open("AppraisalRule", &[]);
        xml.text("Rule", &[], &a.rule);
        xml.text("StartDate", &[], &a.start.to_string());
        xml.text(
            "FinalAction",
            &[],
            match a.final_action {
                FinalAction::Keep => "Keep",
                FinalAction::Destroy => "Destroy",
            },
        );
        xml.close();
        xml.close();
    }
    xml.open("Content", &[]);
    xml.text("DescriptionLevel", &[], unit.level);
    xml.text("Title", &[], &unit.title);
    if let Some(system_id) = &unit.system_id {
        xml.text("OriginatingSystemId", &[], system_id);
    }
    let mut description = unit.description.clone().unwrap_or_default();
    if let Some(a) = &unit.appraisal {
        // SEDA carries the rule's code only; its duration lives in the SAE's referential,
        // so the bordereau also states it in words for the archivist.
        let fate = match a.final_action {
            FinalAction::Keep => "conservation définitive",
            FinalAction::Destroy => "élimination",
        };
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&format!(
            "Règle de sort final {} : durée d'utilité administrative de {} an(s) à compter du {}, puis {fate}.",
            a.rule, a.years, a.start
        ));
    }
    if !description.is_empty() {
        xml.text("Description", &[], &description);
    }
    if let Some(t) = &unit.document_type {
        xml.text("DocumentType", &[], t);
    }
    xml.text("Language", &[], "fra");
    for k in &unit.keywords {
        xml.open("Keyword", &[]);
        xml.text("KeywordContent", &[], k);
        xml.close();
    }
    if let Some(start) = unit.start {
        xml.text("StartDate", &[], &date_time(start));
    }
    if let Some(end) = unit.end {
        xml.text("EndDate", &[], &date_time(end));
    }
    xml.close();
    for child in &unit.children {
        write_unit(xml, child, counter, files);
    }
    for index in &unit.files {
        if *index < files.len() {
            xml.open("DataObjectReference", &[]);
            xml.text("DataObjectReferenceId", &[], &object_id(*index));
            xml.close();
        }
    }
    xml.close();
}

/// The bordereau (`manifest.xml`).
pub fn bordereau(t: &Transfer) -> String {
    let mut xml = Xml::new(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.open("ArchiveTransfer", &[("xmlns", NAMESPACE)]);
    xml.text("Comment", &[], &t.comment);
    xml.text("Date", &[], &t.date);
    xml.text("MessageIdentifier", &[], &t.identifier);
    if let Some(a) = &t.archival_agreement {
        xml.text("ArchivalAgreement", &[], a);
    }
    xml.open("CodeListVersions", &[]);
    for list in CODE_LISTS {
        let name = format!("{list}CodeListVersion");
        xml.text(&name, &[], &format!("{name}0"));
    }
    xml.close();
    xml.open("DataObjectPackage", &[]);
    for (i, f) in t.files.iter().enumerate() {
        xml.open("BinaryDataObject", &[("id", &object_id(i))]);
        xml.text("DataObjectVersion", &[], "BinaryMaster_1");
        xml.text("Uri", &[], &f.path);
        xml.text(
            "MessageDigest",
            &[("algorithm", "SHA-512")],
            &sha512_hex(&f.bytes),
        );
        xml.text("Size", &[], &f.bytes.len().to_string());
        xml.open("FormatIdentification", &[]);
        xml.text("MimeType", &[], &f.media_type);
        xml.close();
        xml.open("FileInfo", &[]);
        xml.text(
            "Filename",
            &[],
            f.path.rsplit('/').next().unwrap_or(f.path.as_str()),
        );
        xml.close();
        xml.close();
    }
    xml.open("DescriptiveMetadata", &[]);
    let mut counter = 0;
    write_unit(&mut xml, &t.root, &mut counter, &t.files);
    xml.close();
    xml.open("ManagementMetadata", &[]);
    xml.text("OriginatingAgencyIdentifier", &[], &t.originating_agency);
    xml.text("SubmissionAgencyIdentifier", &[], &t.transferring_agency);
    xml.close();
    xml.close();
    xml.open("ArchivalAgency", &[]);
    xml.text("Identifier", &[], &t.archival_agency);
    xml.close();
    xml.open("TransferringAgency", &[]);
    xml.text("Identifier", &[], &t.transferring_agency);
    xml.close();
    xml.finish()
}

/// The package: `manifest.xml` first, then every file at its path.
pub fn package(t: &Transfer) -> Result<Vec<u8>, InteropError> {
    let zip_error = |e: zip::result::ZipError| InteropError::Invalid(format!("Paquet ZIP : {e}"));
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    // PDFs are compressed already.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer
        .start_file("manifest.xml", deflated)
        .map_err(zip_error)?;
    writer.write_all(bordereau(t).as_bytes())?;
    let mut seen = std::collections::BTreeSet::new();
    for f in &t.files {
        if !seen.insert(f.path.as_str()) {
            return Err(InteropError::Invalid(format!(
                "Paquet SEDA : deux fichiers au même chemin « {} ».",
                f.path
            )));
        }
        let options = if f.media_type == "application/pdf" {
            stored
        } else {
            deflated
        };
        writer.start_file(&f.path, options).map_err(zip_error)?;
        writer.write_all(&f.bytes)?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// An archive unit the SAE reports, with the identifier it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedUnit {
    /// acta's identifier, as sent in OriginatingSystemId.
    pub system_id: String,
    /// The SAE's identifier (SystemId, or ArchivalAgencyArchiveUnitIdentifier).
    pub archival_id: String,
}

/// The SAE's answer to a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferReply {
    /// The transfer it answers (MessageRequestIdentifier).
    pub request: String,
    pub code: String,
    pub accepted: bool,
    pub identifier: String,
    pub units: Vec<ArchivedUnit>,
}

/// Whether a reply code accepts the transfer: Vitam answers OK (or WARNING, accepted with
/// remarks), as@lae the SEDA 1.0 code 000.
pub fn accepts(code: &str) -> bool {
    matches!(code.trim(), "OK" | "WARNING" | "000")
}

/// The texts of interest while reading a reply.
#[derive(Default)]
struct UnitReading {
    system_id: Option<String>,
    archival_id: Option<String>,
}

/// Reads an ArchiveTransferReply (SEDA 2.x, any namespace prefix).
pub fn read_reply(bytes: &[u8]) -> Result<TransferReply, InteropError> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(bytes).map_err(|_| {
        InteropError::Invalid("Réponse du SAE : le fichier n'est pas en UTF-8.".to_string())
    })?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut root_seen = false;
    let mut code = None;
    let mut request = None;
    let mut identifier = None;
    let mut units: Vec<UnitReading> = Vec::new();
    let mut done: Vec<ArchivedUnit> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_string();
                if path.is_empty() {
                    if name != "ArchiveTransferReply" {
                        return Err(InteropError::Invalid(format!(
                            "Réponse du SAE : l'élément racine est « {name} », pas ArchiveTransferReply."
                        )));
                    }
                    root_seen = true;
                }
                if name == "ArchiveUnit" {
                    units.push(UnitReading::default());
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                if path.pop().as_deref() == Some("ArchiveUnit")
                    && let Some(u) = units.pop()
                    && let (Some(system_id), Some(archival_id)) = (u.system_id, u.archival_id)
                {
                    done.push(ArchivedUnit {
                        system_id,
                        archival_id,
                    });
                }
            }
            Ok(Event::Text(t)) => {
                let value = t.xml10_content().trim().to_string();
                if value.is_empty() {
                    continue;
                }
                let last = path.last().map(String::as_str);
                let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
                match (last, path.len()) {
                    (Some("ReplyCode"), 2) => code = Some(value),
                    (Some("MessageRequestIdentifier"), 2) => request = Some(value),
                    (Some("MessageIdentifier"), 2) => identifier = Some(value),
                    (Some("OriginatingSystemId"), _) => {
                        if let Some(u) = units.last_mut() {
                            u.system_id = Some(value);
                        }
                    }
                    (Some("SystemId" | "ArchivalAgencyArchiveUnitIdentifier"), _)
                        if parent.is_some_and(|p| p == "ArchiveUnit" || p == "Content") =>
                    {
                        if let Some(u) = units.last_mut() {
                            u.archival_id = Some(value);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(InteropError::Invalid(format!(
                    "Réponse du SAE illisible : {e}"
                )));
            }
            _ => {}
        }
    }
    if !root_seen {
        return Err(InteropError::Invalid(
            "Réponse du SAE : pas d'élément ArchiveTransferReply.".to_string(),
        ));
    }
    let code = code
        .ok_or_else(|| InteropError::Invalid("Réponse du SAE : pas de ReplyCode.".to_string()))?;
    let request = request.ok_or_else(|| {
        InteropError::Invalid("Réponse du SAE : pas de MessageRequestIdentifier.".to_string())
    })?;
    Ok(TransferReply {
        accepted: accepts(&code),
        identifier: identifier.unwrap_or_default(),
        request,
        code,
        units: done,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_reply_gives_its_code_its_request_and_the_archival_identifiers() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ArchiveTransferReply xmlns="fr:gouv:culture:archivesdefrance:seda:v2.3">
  <Date>2026-12-06T10:00:00</Date>
  <MessageIdentifier>ATR-1</MessageIdentifier>
  <CodeListVersions><ReplyCodeListVersion>ReplyCodeListVersion0</ReplyCodeListVersion></CodeListVersions>
  <DataObjectPackage><DescriptiveMetadata>
    <ArchiveUnit id="AU1"><Content><DescriptionLevel>RecordGrp</DescriptionLevel><Title>Séance</Title><SystemId>aeaq-1</SystemId></Content>
      <ArchiveUnit id="AU2"><Content><DescriptionLevel>File</DescriptionLevel><Title>D</Title><OriginatingSystemId>2023-479</OriginatingSystemId><ArchivalAgencyArchiveUnitIdentifier>FRAD062_1</ArchivalAgencyArchiveUnitIdentifier></Content></ArchiveUnit>
    </ArchiveUnit>
  </DescriptiveMetadata><ManagementMetadata/></DataObjectPackage>
  <ReplyCode>OK</ReplyCode>
  <MessageRequestIdentifier>acta-1</MessageRequestIdentifier>
  <ArchivalAgency><Identifier>AD62</Identifier></ArchivalAgency>
  <TransferringAgency><Identifier>226200012</Identifier></TransferringAgency>
</ArchiveTransferReply>"#;
        let r = read_reply(xml.as_bytes()).unwrap();
        assert_eq!((r.code.as_str(), r.accepted), ("OK", true));
        assert_eq!(r.request, "acta-1");
        assert_eq!(
            r.units,
            vec![ArchivedUnit {
                system_id: "2023-479".into(),
                archival_id: "FRAD062_1".into()
            }]
        );
    }

    #[test]
    fn a_refusal_and_garbage_are_told_apart() {
        let refused = r#"<ArchiveTransferReply xmlns="fr:gouv:culture:archivesdefrance:seda:v2.3"><MessageIdentifier>x</MessageIdentifier><ReplyCode>KO</ReplyCode><MessageRequestIdentifier>acta-1</MessageRequestIdentifier></ArchiveTransferReply>"#;
        let r = read_reply(refused.as_bytes()).unwrap();
        assert!(!r.accepted);
        for bad in [
            "",
            "<a/>",
            "<ArchiveTransferReply>",
            "\u{0}\u{1}",
            "<ArchiveTransfer/>",
        ] {
            assert!(read_reply(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_package_holds_the_manifest_and_each_file_with_its_digest() {
        let t = Transfer {
            identifier: "acta-1".into(),
            comment: "c".into(),
            date: "2026-12-05T10:00:00".into(),
            archival_agreement: None,
            archival_agency: "AD62".into(),
            transferring_agency: "226200012".into(),
            originating_agency: "226200012".into(),
            files: vec![PackageFile {
                path: "content/a.pdf".into(),
                media_type: "application/pdf".into(),
                bytes: b"%PDF-1.7".to_vec(),
            }],
            root: Unit {
                level: "File",
                title: "T & <U>".into(),
                appraisal: Some(Appraisal {
                    rule: "APP".into(),
                    years: 10,
                    final_action: FinalAction::Keep,
                    start: date(2023, 11, 20),
                }),
                files: vec![0],
                ..Unit::default()
            },
        };
        let zip = package(&t).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        let mut manifest = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("manifest.xml").unwrap(), &mut manifest)
            .unwrap();
        assert!(manifest.contains(&sha512_hex(b"%PDF-1.7")));
        assert!(manifest.contains("T &amp; &lt;U&gt;"));
        assert!(archive.by_name("content/a.pdf").is_ok());
    }
}
