//! What the stand-in platform keeps and the rules it applies, after S²LOW's
//! `actes_transac_*.php` pages and `ActesTransaction` class: one authority, its
//! transactions (acts, the prefecture's documents, the authority's answers and
//! cancellations), their states and files.

use jiff::civil::Date;
use std::time::Duration;

/// S²LOW's transaction types.
pub const TYPE_ACT: u64 = 1;
pub const TYPE_CANCELLATION: u64 = 6;

/// The authority the collectivity's certificate belongs to.
#[derive(Debug, Clone)]
pub struct Authority {
    pub siren: String,
    /// "062" for the Pas-de-Calais.
    pub department_code_3: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct StoredFile {
    pub id: u64,
    pub name: String,
    pub posted_filename: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Transaction {
    pub id: u64,
    pub kind: u64,
    pub related: Option<u64>,
    pub number: String,
    pub subject: String,
    pub nature_code: u64,
    pub decision_date: Date,
    pub classification: Vec<String>,
    /// Its states in order; the last is the current one.
    pub statuses: Vec<i32>,
    /// The message of the acknowledgement state (ARActe), once reached.
    pub acknowledgement: Option<Vec<u8>>,
    /// The "IDActe" the acknowledgement gave.
    pub unique_id: Option<String>,
    pub files: Vec<u64>,
    /// For the prefecture's documents: the archive, and whether it was taken.
    pub archive: Option<Vec<u8>>,
    pub read: bool,
    /// For an answer: 3 refusal, 4 pieces or justification.
    pub answer_kind: Option<u64>,
}

impl Transaction {
    pub fn status(&self) -> i32 {
        self.statuses.last().copied().unwrap_or(1)
    }
}

/// How the stand-in misbehaves or answers, set by the test.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Refuse every connection, as a platform that is down.
    pub down: bool,
    /// Answer the next send this late (after recording it).
    pub next_create_delay: Option<Duration>,
    /// The date the prefecture receives acts (default: today).
    pub reception_date: Option<Date>,
    /// A login and password asked on top of the certificate.
    pub login: Option<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Platform {
    pub authority: Option<Authority>,
    pub transactions: Vec<Transaction>,
    pub files: Vec<StoredFile>,
    pub script: Script,
    /// Every request received, "METHOD page", for the tests to count.
    pub requests: Vec<String>,
}

/// The @ctes namespace of the messages.
const ACTES_NS: &str = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216";

/// `ActesTransaction::NUMBER_REGEXP`: /^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$/.
pub fn number_is_valid(number: &str) -> bool {
    let bytes = number.as_bytes();
    let allowed_edge = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    let allowed_inside = |b: &u8| allowed_edge(b) || *b == b'_';
    match bytes {
        [] => false,
        [only] => allowed_edge(only),
        [first, middle @ .., last] => {
            bytes.len() <= 15
                && allowed_edge(first)
                && allowed_edge(last)
                && middle.iter().all(allowed_inside)
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The nature's two-letter code in an @ctes act identifier.
fn nature_abbreviation(code: u64) -> &'static str {
    match code {
        1 => "DE",
        2 => "AR",
        3 => "AI",
        4 => "CC",
        5 => "BF",
        _ => "AU",
    }
}

/// The bytes as ISO-8859-1 (the messages' declared encoding); other characters become "?".
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// A one-page PDF, the prefecture's letter.
pub fn letter_pdf(text: &str) -> Vec<u8> {
    let content = format!(
        "BT /F1 11 Tf 72 760 Td ({}) Tj ET",
        text.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend(latin1(object));
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

impl Platform {
    pub fn authority(&self) -> Authority {
        self.authority.clone().unwrap_or(Authority {
            siren: "000000000".to_string(),
            department_code_3: "000".to_string(),
            name: "Collectivité".to_string(),
        })
    }

    fn next_transaction_id(&self) -> u64 {
        self.transactions.iter().map(|t| t.id).max().unwrap_or(0) + 1
    }

    pub fn store_file(
        &mut self,
        name: &str,
        posted: &str,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> u64 {
        let id = self.files.iter().map(|f| f.id).max().unwrap_or(0) + 1;
        self.files.push(StoredFile {
            id,
            name: name.to_string(),
            posted_filename: posted.to_string(),
            media_type: media_type.to_string(),
            bytes,
        });
        id
    }

    pub fn transaction(&self, id: u64) -> Option<&Transaction> {
        self.transactions.iter().find(|t| t.id == id)
    }

    fn transaction_mut(&mut self, id: u64) -> Option<&mut Transaction> {
        self.transactions.iter_mut().find(|t| t.id == id)
    }

    /// `isUnique`: no other transaction of the authority has the number.
    pub fn number_taken(&self, number: &str) -> bool {
        self.transactions
            .iter()
            .any(|t| t.kind == TYPE_ACT && t.number == number)
    }

    /// Records a new act, state 1 (Posté).
    pub fn post_act(&mut self, mut act: Transaction) -> u64 {
        act.id = self.next_transaction_id();
        act.kind = TYPE_ACT;
        act.statuses = vec![1];
        let id = act.id;
        self.transactions.push(act);
        id
    }

    /// The act identifier the prefecture gives ("062-226200012-20231120-2023_479-DE").
    fn act_identifier(&self, t: &Transaction) -> String {
        let a = self.authority();
        format!(
            "{}-{}-{}-{}-{}",
            a.department_code_3,
            a.siren,
            t.decision_date.strftime("%Y%m%d"),
            t.number,
            nature_abbreviation(t.nature_code)
        )
    }

    /// The state of a transaction as it is read. The platform moves on by itself between
    /// two readings: posted acts are transmitted, transmitted ones acknowledged.
    pub fn read_status(&mut self, id: u64, today: Date) -> Option<(i32, Vec<u8>)> {
        let reception = self.script.reception_date.unwrap_or(today);
        let current = self.transaction(id)?.clone();
        let advanced = match current.status() {
            1 | 2 => Some(3),
            3 => Some(4),
            _ => None,
        };
        if let Some(next) = advanced {
            let ack = (next == 4).then(|| self.acknowledgement(&current, reception));
            let unique_id = self.act_identifier(&current);
            let t = self.transaction_mut(id)?;
            t.statuses.push(next);
            if let Some(ack) = ack {
                t.acknowledgement = Some(ack);
                t.unique_id = Some(unique_id);
            }
        }
        let t = self.transaction(id)?;
        let message = if t.status() == 4 {
            t.acknowledgement.clone().unwrap_or_default()
        } else {
            Vec::new()
        };
        Some((t.status(), message))
    }

    /// The ARActe (or, for a cancellation, the ARAnnulation) of a transaction.
    fn acknowledgement(&self, t: &Transaction, reception: Date) -> Vec<u8> {
        if t.kind == TYPE_CANCELLATION {
            let act_id = t.unique_id.clone().unwrap_or_default();
            return latin1(&format!(
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:ARAnnulation xmlns:actes=\"{ACTES_NS}\" actes:IDActe=\"{}\" actes:DateReception=\"{reception}\"/>\n",
                escape(&act_id)
            ));
        }
        let mut matters = String::new();
        for (i, level) in t.classification.iter().enumerate() {
            if !level.is_empty() {
                matters.push_str(&format!(
                    "<actes:CodeMatiere{} actes:CodeMatiere=\"{}\"/>",
                    i + 1,
                    escape(level)
                ));
            }
        }
        latin1(&format!(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:ARActe xmlns:actes=\"{ACTES_NS}\" actes:IDActe=\"{}\" actes:DateReception=\"{reception}\"><actes:ActeRecu actes:CodeNatureActe=\"{}\" actes:Date=\"{}\" actes:NumeroInterne=\"{}\">{matters}<actes:Objet>{}</actes:Objet></actes:ActeRecu></actes:ARActe>\n",
            escape(&self.act_identifier(t)),
            t.nature_code,
            t.decision_date,
            escape(&t.number),
            escape(&t.subject)
        ))
    }

    /// The prefecture sends a document about an act: a new transaction of its type,
    /// state 7 (Document reçu), with its archive.
    pub fn receive_from_prefecture(
        &mut self,
        act: u64,
        kind: u64,
        letter_date: Date,
        description: Option<&str>,
    ) -> Option<u64> {
        let related = self.transaction(act)?.clone();
        let act_id = related.unique_id.clone()?;
        let root = match kind {
            2 => "CourrierSimple",
            3 => "DemandePieceComplementaire",
            4 => "LettreObservations",
            5 => "DefereTA",
            _ => return None,
        };
        let id = self.next_transaction_id();
        let pdf_name = format!("{act_id}-{kind}-1_1.pdf");
        let xml_name = format!("{act_id}-{kind}-1_0.xml");
        let description = description
            .map(|d| {
                format!(
                    "<actes:DescriptionPieces>{}</actes:DescriptionPieces>",
                    escape(d)
                )
            })
            .unwrap_or_default();
        let xml = latin1(&format!(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:{root} xmlns:actes=\"{ACTES_NS}\" actes:IDActe=\"{}\" actes:DateCourrierPref=\"{letter_date}\">{description}<actes:Document><actes:NomFichier>{pdf_name}</actes:NomFichier></actes:Document></actes:{root}>\n",
            escape(&act_id)
        ));
        let letter = letter_pdf(&format!(
            "Prefecture - {root} - acte {act_id} - {letter_date}"
        ));
        let archive = tar_gz(&[(xml_name.as_str(), &xml), (pdf_name.as_str(), &letter)])?;
        self.transactions.push(Transaction {
            id,
            kind,
            related: Some(act),
            number: related.number.clone(),
            subject: related.subject.clone(),
            nature_code: related.nature_code,
            decision_date: letter_date,
            classification: related.classification.clone(),
            statuses: vec![7],
            acknowledgement: None,
            unique_id: Some(act_id),
            files: Vec::new(),
            archive: Some(archive),
            read: false,
            answer_kind: None,
        });
        Some(id)
    }

    /// The authority answers a prefecture document (pieces, justification, refusal).
    pub fn answer(
        &mut self,
        document: u64,
        answer_kind: Option<u64>,
        file: u64,
    ) -> Result<u64, String> {
        let related = self
            .transaction(document)
            .cloned()
            .ok_or_else(|| "Erreur d'initialisation de la transaction de référence.".to_string())?;
        if !(2..=4).contains(&related.kind) {
            return Err("Ce type de transaction n'appelle pas de réponse.".to_string());
        }
        let id = self.next_transaction_id();
        self.transactions.push(Transaction {
            id,
            kind: related.kind,
            related: Some(document),
            files: vec![file],
            statuses: vec![1],
            archive: None,
            read: true,
            answer_kind,
            ..related
        });
        Ok(id)
    }

    /// `actes_transac_cancel.php`: only an acknowledged act, only once.
    pub fn cancel(&mut self, act: u64) -> Result<u64, String> {
        let related = self
            .transaction(act)
            .cloned()
            .ok_or_else(|| "Erreur d'initialisation de la transaction.".to_string())?;
        if related.kind != TYPE_ACT {
            return Err("Ce type de transaction ne peut pas être annulé.".to_string());
        }
        if self
            .transactions
            .iter()
            .any(|t| t.kind == TYPE_CANCELLATION && t.related == Some(act) && t.status() != -1)
        {
            return Err(
                "Une demande d'annulation est déjà en cours pour cette transaction.".to_string(),
            );
        }
        if related.status() != 4 {
            return Err(
                "Impossible d'annuler une transaction qui n'est pas en état « Acquittement reçu »."
                    .to_string(),
            );
        }
        let id = self.next_transaction_id();
        self.transactions.push(Transaction {
            id,
            kind: TYPE_CANCELLATION,
            related: Some(act),
            statuses: vec![1],
            acknowledgement: None,
            files: Vec::new(),
            archive: None,
            read: true,
            answer_kind: None,
            ..related
        });
        Ok(id)
    }

    /// The platform's stamp on an acknowledged act: the received PDF with the
    /// reception's mention appended as a comment (S²LOW draws it on the first page; the
    /// stand-in only needs a different file that names the reception).
    pub fn stamped(&self, file: &StoredFile, transaction: &Transaction) -> Vec<u8> {
        let mut bytes = file.bytes.clone();
        let mention = format!(
            "\n% Reçu en préfecture, acte {}\n",
            transaction.unique_id.clone().unwrap_or_default()
        );
        bytes.extend(latin1(&mention));
        bytes
    }
}

fn tar_gz(files: &[(&str, &[u8])]) -> Option<Vec<u8>> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *bytes).ok()?;
    }
    builder.into_inner().ok()?.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_platforms_rule() {
        for ok in ["2023_479", "A", "1", "ABCDEFGHIJKLMN1"] {
            assert!(number_is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "_1",
            "1_",
            "2023-479",
            "a1",
            "ABCDEFGHIJKLMNOP",
            "2023 479",
        ] {
            assert!(!number_is_valid(bad), "{bad}");
        }
    }
}
