//! @ctes: the transmission of an act to the prefecture — its XML message (ISO-8859-1), the
//! act and its annexes named as the platforms name them, the envelope, and the .tar.gz; and
//! the reading of the prefecture's acknowledgement.

use crate::InteropError;
use crate::xml::Xml;
use jiff::civil::Date;
use std::io::Write;

pub const NAMESPACE: &str = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216";

/// The act to transmit.
#[derive(Debug, Clone)]
pub struct ActesAct {
    /// "062".
    pub department_code_3: String,
    /// "226200012".
    pub siren: String,
    pub decision_date: Date,
    /// The @ctes form of the number: "2023_479".
    pub number: String,
    /// 1 for deliberations.
    pub nature_code: u8,
    /// "DE".
    pub nature_abbreviation: String,
    /// [7, 5] for "7.5 Subventions".
    pub matter_levels: Vec<u32>,
    pub object: String,
    pub classification_date: Date,
    pub act_pdf: Vec<u8>,
    pub annexes: Vec<Vec<u8>>,
}

/// Who sends it: the collectivity's settings for the envelope.
#[derive(Debug, Clone, Default)]
pub struct ActesSender {
    pub arrondissement: String,
    /// The collectivity's nature code in the envelope (to confirm with the prefecture).
    pub nature: String,
    pub referent_name: String,
    pub referent_phone: String,
    pub referent_email: String,
    pub return_email: String,
}

/// The files of a transmission and their archive.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// "062-226200012-20231120-2023_479-DE": the act's identifier.
    pub act_id: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub archive_name: String,
    pub archive: Vec<u8>,
}

/// Encodes text as ISO-8859-1: typographic characters outside it become their plain
/// equivalents (’ → ', œ → oe, € → EUR…), anything else a character reference.
pub fn latin1(xml: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len());
    for c in xml.chars() {
        let plain = match c {
            '’' | '‘' => Some("'"),
            '“' | '”' => Some("\""),
            '–' | '—' => Some("-"),
            '…' => Some("..."),
            'œ' => Some("oe"),
            'Œ' => Some("OE"),
            '€' => Some("EUR"),
            '\u{202f}' | '\u{2009}' => Some(" "),
            _ => None,
        };
        match (plain, u32::from(c)) {
            (Some(p), _) => out.extend_from_slice(p.as_bytes()),
            (None, code) if code <= 0xff => out.push(u8::try_from(code).unwrap_or(b'?')),
            (None, code) => out.extend_from_slice(format!("&#x{code:x};").as_bytes()),
        }
    }
    out
}

impl ActesAct {
    /// "062-226200012-20231120-2023_479-DE".
    pub fn id(&self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.department_code_3,
            self.siren,
            self.decision_date.strftime("%Y%m%d"),
            self.number,
            self.nature_abbreviation
        )
    }

    fn file(&self, index: usize, extension: &str) -> String {
        format!("{}-1-1_{index}.{extension}", self.id())
    }

    /// The act's message (actes:Acte), as UTF-8 text before encoding.
    pub fn message(&self) -> String {
        let mut x = Xml::new("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        let date = self.decision_date.to_string();
        let nature = self.nature_code.to_string();
        x.open(
            "actes:Acte",
            &[
                ("xmlns:actes", NAMESPACE),
                ("xmlns:insee", "http://xml.insee.fr/schema"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", &format!("{NAMESPACE} actesv1_1.xsd")),
                ("actes:Date", &date),
                ("actes:NumeroInterne", &self.number),
                ("actes:CodeNatureActe", &nature),
            ],
        );
        for (i, level) in self.matter_levels.iter().enumerate() {
            x.empty(
                &format!("actes:CodeMatiere{}", i + 1),
                &[("actes:CodeMatiere", &level.to_string())],
            );
        }
        x.text("actes:Objet", &[], &self.object);
        x.text(
            "actes:ClassificationDateVersion",
            &[],
            &self.classification_date.to_string(),
        );
        x.open("actes:Document", &[]);
        x.text("actes:NomFichier", &[], &self.file(1, "pdf"));
        x.close();
        x.open(
            "actes:Annexes",
            &[("actes:Nombre", &self.annexes.len().to_string())],
        );
        for i in 0..self.annexes.len() {
            x.open("actes:Annexe", &[]);
            x.text("actes:NomFichier", &[], &self.file(i + 2, "pdf"));
            x.close();
        }
        x.close();
        x.text("actes:DocumentPapier", &[], "N");
        x.finish()
    }

    /// The envelope (actes:EnveloppeCLMISILL) listing the message.
    pub fn envelope(&self, sender: &ActesSender) -> String {
        let mut x = Xml::new("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        x.open(
            "actes:EnveloppeCLMISILL",
            &[
                ("xmlns:actes", NAMESPACE),
                ("xmlns:insee", "http://xml.insee.fr/schema"),
            ],
        );
        x.open("actes:Emetteur", &[]);
        x.empty(
            "actes:IDCL",
            &[
                ("insee:SIREN", &self.siren),
                ("actes:Departement", &self.department_code_3),
                ("actes:Arrondissement", &sender.arrondissement),
                ("actes:Nature", &sender.nature),
            ],
        );
        x.open("actes:Referent", &[]);
        x.text("actes:Nom", &[], &sender.referent_name);
        x.text("actes:Telephone", &[], &sender.referent_phone);
        x.text("actes:Email", &[], &sender.referent_email);
        x.close();
        x.close();
        x.open("actes:AdressesRetour", &[]);
        x.text("actes:Email", &[], &sender.return_email);
        x.close();
        x.open("actes:FormulairesEnvoyes", &[]);
        x.open("actes:Formulaire", &[]);
        x.text("actes:NomFichier", &[], &self.file(0, "xml"));
        x.close();
        x.close();
        x.finish()
    }
}

/// Builds every file of the transmission and the .tar.gz that carries them.
pub fn bundle(act: &ActesAct, sender: &ActesSender, sent_on: Date) -> Result<Bundle, InteropError> {
    if act.number.is_empty()
        || act.number.len() > 15
        || !act
            .number
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || b == b'_')
    {
        return Err(InteropError::Invalid(format!(
            "@ctes : le numéro « {} » doit compter 1 à 15 caractères parmi 0-9, A-Z et _.",
            act.number
        )));
    }
    if act.matter_levels.is_empty() || act.matter_levels.len() > 5 {
        return Err(InteropError::Invalid(
            "@ctes : la classification (matière) est obligatoire, sur 1 à 5 niveaux.".to_string(),
        ));
    }
    let mut files = vec![
        (act.file(0, "xml"), latin1(&act.message())),
        (act.file(1, "pdf"), act.act_pdf.clone()),
    ];
    for (i, annex) in act.annexes.iter().enumerate() {
        files.push((act.file(i + 2, "pdf"), annex.clone()));
    }
    files.push((
        format!("EACT--{}--{}-1.xml", act.siren, sent_on.strftime("%Y%m%d")),
        latin1(&act.envelope(sender)),
    ));
    let size: usize = files.iter().map(|(_, b)| b.len()).sum();
    if size > 150 * 1024 * 1024 {
        return Err(InteropError::Invalid(
            "@ctes : l'acte et ses annexes dépassent 150 Mo.".to_string(),
        ));
    }
    let mtime = u64::try_from(
        act.decision_date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0),
    )
    .unwrap_or(0);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    {
        let mut tar = tar::Builder::new(&mut gz);
        for (name, bytes) in &files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(mtime);
            header.set_cksum();
            tar.append_data(&mut header, name, bytes.as_slice())?;
        }
        tar.finish()?;
    }
    gz.flush()?;
    let archive = gz.finish()?;
    Ok(Bundle {
        act_id: act.id(),
        archive_name: format!("{}-1-1.tar.gz", act.id()),
        files,
        archive,
    })
}

/// The prefecture's acknowledgement: the act's identifier and its date of reception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub act_id: String,
    pub received_on: Date,
}

/// Reads an actes:ARActe message (ISO-8859-1 or UTF-8).
pub fn parse_acknowledgement(bytes: &[u8]) -> Result<Acknowledgement, InteropError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "ARActe" =>
            {
                let mut id = None;
                let mut date = None;
                for attr in e.attributes().flatten() {
                    let value = attr.value.to_string();
                    match attr.key.local_name().as_ref() {
                        "IDActe" => id = Some(value),
                        "DateReception" => date = Some(value),
                        _ => {}
                    }
                }
                let (Some(act_id), Some(date)) = (id, date) else {
                    return Err(InteropError::Invalid(
                        "Accusé de réception : IDActe ou DateReception manque.".to_string(),
                    ));
                };
                let received_on = date.trim().parse().map_err(|_| {
                    InteropError::Invalid(format!(
                        "Accusé de réception : date « {date} » illisible."
                    ))
                })?;
                return Ok(Acknowledgement {
                    act_id,
                    received_on,
                });
            }
            Ok(quick_xml::events::Event::Eof) => {
                return Err(InteropError::Invalid(
                    "Accusé de réception : pas d'élément actes:ARActe.".to_string(),
                ));
            }
            Err(e) => {
                return Err(InteropError::Invalid(format!(
                    "Accusé de réception illisible : {e}"
                )));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn act() -> ActesAct {
        ActesAct {
            department_code_3: "062".into(),
            siren: "226200012".into(),
            decision_date: date(2023, 11, 20),
            number: "2023_479".into(),
            nature_code: 1,
            nature_abbreviation: "DE".into(),
            matter_levels: vec![7, 5],
            object: "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT – PARTICIPATION 2023 “test” œuvre".into(),
            classification_date: date(2023, 1, 1),
            act_pdf: b"%PDF-act".to_vec(),
            annexes: vec![b"%PDF-report".to_vec(), b"%PDF-convention".to_vec()],
        }
    }

    #[test]
    fn files_are_named_as_the_platforms_name_them() {
        let b = bundle(&act(), &ActesSender::default(), date(2023, 11, 22)).unwrap();
        let names: Vec<&str> = b.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "062-226200012-20231120-2023_479-DE-1-1_0.xml",
                "062-226200012-20231120-2023_479-DE-1-1_1.pdf",
                "062-226200012-20231120-2023_479-DE-1-1_2.pdf",
                "062-226200012-20231120-2023_479-DE-1-1_3.pdf",
                "EACT--226200012--20231122-1.xml",
            ]
        );
        assert_eq!(b.act_id, "062-226200012-20231120-2023_479-DE");
        assert_eq!(
            b.archive_name,
            "062-226200012-20231120-2023_479-DE-1-1.tar.gz"
        );
    }

    #[test]
    fn the_message_is_latin1_and_carries_the_classification() {
        let bytes = latin1(&act().message());
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "É is one byte in ISO-8859-1"
        );
        let text: String = bytes.iter().map(|b| char::from(*b)).collect();
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
        assert!(text.contains("actes:NumeroInterne=\"2023_479\""));
        assert!(text.contains("actes:CodeNatureActe=\"1\""));
        assert!(text.contains("<actes:CodeMatiere1 actes:CodeMatiere=\"7\"/>"));
        assert!(text.contains("<actes:CodeMatiere2 actes:CodeMatiere=\"5\"/>"));
        assert!(text.contains("<actes:Objet>CHAMBRE DE MÉTIERS ET DE L'ARTISANAT - PARTICIPATION 2023 \"test\" oeuvre</actes:Objet>"));
        assert!(text.contains("<actes:Annexes actes:Nombre=\"2\">"));
    }

    #[test]
    fn numbers_outside_actes_rules_are_refused() {
        let mut a = act();
        a.number = "2023-479".into();
        assert!(bundle(&a, &ActesSender::default(), date(2023, 11, 22)).is_err());
    }

    #[test]
    fn reads_the_acknowledgement() {
        let xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:ARActe xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\" actes:IDActe=\"062-226200012-20231120-2023_479-DE\" actes:DateReception=\"2023-11-24\"><actes:ActeRecu/></actes:ARActe>";
        let ack = parse_acknowledgement(xml.as_bytes()).unwrap();
        assert_eq!(ack.act_id, "062-226200012-20231120-2023_479-DE");
        assert_eq!(ack.received_on, date(2023, 11, 24));
        assert!(parse_acknowledgement(b"<x/>").is_err());
        assert!(parse_acknowledgement(b"\xff\xfe<<<").is_err());
    }
}
