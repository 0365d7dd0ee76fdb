//! What a document says, ready to lay out: every text already worded and formatted in
//! French by the application. The Typst (PDF) and askama (HTML) templates only place it.

use acta_domain::text::RichText;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Deliberation,
    Report,
    Convention,
    Minutes,
    Register,
    Convocation,
    Letter,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Deliberation => "délibération",
            DocumentKind::Report => "rapport",
            DocumentKind::Convention => "convention",
            DocumentKind::Minutes => "procès-verbal",
            DocumentKind::Register => "registre",
            DocumentKind::Convocation => "convocation",
            DocumentKind::Letter => "courrier",
        }
    }

    pub fn template(self) -> &'static str {
        match self {
            DocumentKind::Deliberation => "deliberation.typ",
            DocumentKind::Report => "report.typ",
            DocumentKind::Convention => "convention.typ",
            DocumentKind::Minutes => "minutes.typ",
            DocumentKind::Register => "register.typ",
            DocumentKind::Convocation => "convocation.typ",
            DocumentKind::Letter => "letter.typ",
        }
    }
}

/// Document metadata: the PDF's title and author, its date, and a file name.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub kind: DocumentKind,
    /// "Délibération N°2023-479 — CHAMBRE DE MÉTIERS …".
    pub title: String,
    /// "Département du Pas-de-Calais".
    pub author: String,
    /// ISO date of the act, also the PDF's creation date (so that outputs are stable).
    pub date: String,
    /// "deliberation-2023-479".
    pub file_stem: String,
}

/// The Département's header, from the configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// "DEPARTEMENT DU PAS-DE-CALAIS".
    pub collectivity: String,
    /// More lines under it (services, address), as configured.
    pub lines: Vec<String>,
    /// A logo, as the file's bytes would be too heavy for the model: its path.
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttendanceGroup {
    /// "Étaient présents".
    pub heading: String,
    /// "M. Jean-Claude LEROY, Mme …".
    pub names: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// For screen readers and the HTML caption.
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns holding figures, aligned right.
    pub numeric: Vec<bool>,
}

/// A signature block, line by line ("Pour le Président du Conseil départemental,", "La
/// Directrice générale des services,", "Signé", "Maryline VINCLAIRE").
#[derive(Debug, Clone, Serialize)]
pub struct SignatureBlock {
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// "Article 1 :", "Article 5 : Modalités financières", "1 – L'important rôle …".
    pub heading: String,
    pub body: RichText,
    pub table: Option<Table>,
    /// Text after the table.
    pub after: RichText,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliberationDoc {
    pub meta: Meta,
    pub header: Header,
    /// "DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL".
    pub body_title: String,
    /// "REUNION DU 20 NOVEMBRE 2023".
    pub sitting_line: String,
    /// "PRESIDENCE DE MONSIEUR JEAN-CLAUDE LEROY".
    pub presidency: String,
    /// "Secrétaire : Mme Maryse DELASSUS".
    pub secretary: Option<String>,
    pub attendance: Vec<AttendanceGroup>,
    pub title: String,
    /// "(N°2023-479)".
    pub number_line: String,
    /// "La Commission Permanente du Conseil départemental du Pas-de-Calais,".
    pub subject_line: String,
    pub visas: Vec<String>,
    pub considerations: Vec<String>,
    /// "Après en avoir délibéré,".
    pub formula: String,
    /// "DECIDE :".
    pub decides: String,
    pub articles: Vec<Article>,
    /// "Dans les conditions de vote ci-dessous :".
    pub vote_intro: Option<String>,
    /// "Pour : 44 voix (…)", "Contre : 0 voix", "Abstention : 0 voix".
    pub vote_lines: Vec<String>,
    /// "(Adopté)".
    pub outcome: Option<String>,
    /// "ARRAS, le 20 novembre 2023".
    pub place_date: String,
    pub signatures: Vec<SignatureBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub meta: Meta,
    pub header: Header,
    pub pole: Option<String>,
    /// "RAPPORT N°20".
    pub report_line: String,
    /// "Territoire(s): Tous les territoires", …
    pub scope_lines: Vec<String>,
    /// "COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL".
    pub body_line: String,
    pub sitting_line: String,
    pub title: String,
    pub sections: Vec<Article>,
    /// "Conclusion :".
    pub conclusion_heading: String,
    pub conclusion: RichText,
    /// "La dépense serait imputée au budget départemental comme suit :".
    pub budget_intro: Option<String>,
    pub budget: Option<Table>,
    /// "La 1ère Commission - … a émis un avis favorable sur ce rapport lors de sa réunion du 06/11/2023."
    pub opinion: Option<String>,
    /// "Je vous prie de bien vouloir en délibérer."
    pub closing: String,
    pub signature: Option<SignatureBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConventionDoc {
    pub meta: Meta,
    pub header: Header,
    /// "Pôle …", "Direction …".
    pub services: Vec<String>,
    /// "Objet : Convention d'objectifs et de partenariat 2023 entre …".
    pub object_line: String,
    /// Party paragraphs: "Entre le Département …", "ci-après désigné par « le Département »
    /// d'une part,", "Et", "La Chambre …", "ci-après désigné « CMA Hauts-de-France » d'autre
    /// part."
    pub parties: Vec<String>,
    pub visas: Vec<String>,
    /// "CONVENTION", "2023".
    pub title_lines: Vec<String>,
    pub approval: Option<String>,
    pub preamble_heading: String,
    pub preamble: RichText,
    /// "Ceci exposé, il a été convenu ce qui suit :".
    pub agreed: String,
    pub articles: Vec<Article>,
    /// "A Arras, le".
    pub place_line: String,
    /// "En 2 exemplaires".
    pub copies_line: String,
    pub signatures: Vec<SignatureBlock>,
}

/// One item of the minutes.
#[derive(Debug, Clone, Serialize)]
pub struct MinutesItem {
    /// "1. Rapport N°20 — CHAMBRE DE MÉTIERS …".
    pub heading: String,
    /// Presence, quorum, count, result, number.
    pub lines: Vec<String>,
    /// For public ballots entered per member: "Pour : M. …, Mme …".
    pub voters: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MinutesDoc {
    pub meta: Meta,
    pub header: Header,
    /// "PROCÈS-VERBAL DE LA COMMISSION PERMANENTE".
    pub title: String,
    /// "Réunion du 20 novembre 2023 …", president, secretary.
    pub opening: Vec<String>,
    pub attendance: Vec<AttendanceGroup>,
    pub quorum: String,
    pub agenda: Vec<String>,
    pub items: Vec<MinutesItem>,
    pub signatures: Vec<SignatureBlock>,
}

/// One page of the register of deliberations.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterDoc {
    pub meta: Meta,
    pub header: Header,
    /// "REGISTRE DES DÉLIBÉRATIONS — COMMISSION PERMANENTE".
    pub title: String,
    /// Label and value pairs: "Numéro", "N°2023-479"; "Séance", "20 novembre 2023"…
    pub fields: Vec<(String, String)>,
    pub signatures: Vec<SignatureBlock>,
}

/// One member's convocation letter.
#[derive(Debug, Clone, Serialize)]
pub struct ConvocationLetter {
    /// The address block: "Madame Maryse DELASSUS", "Conseillère départementale".
    pub recipient: Vec<String>,
    /// "Madame,".
    pub salutation: String,
    /// The paragraphs before the agenda.
    pub body: Vec<String>,
    /// "1. Rapport n°20 – CHAMBRE DE MÉTIERS …".
    pub agenda: Vec<String>,
    /// The paragraphs after it (where the reports are, the proxy).
    pub closing: Vec<String>,
}

/// The convocation letters of a sitting: one for a member's message, or the batch to
/// print for the members without an address.
#[derive(Debug, Clone, Serialize)]
pub struct ConvocationDoc {
    pub meta: Meta,
    pub header: Header,
    /// "Arras, le 1er novembre 2023".
    pub place_date: String,
    /// "CONVOCATION — COMMISSION PERMANENTE DU 20 NOVEMBRE 2023".
    pub title: String,
    pub letters: Vec<ConvocationLetter>,
    pub signatures: Vec<SignatureBlock>,
}

/// A letter to a beneficiary: the acknowledgement of an application (récépissé), the
/// notification of a decision.
#[derive(Debug, Clone, Serialize)]
pub struct LetterDoc {
    pub meta: Meta,
    pub header: Header,
    /// The address block.
    pub recipient: Vec<String>,
    /// "Arras, le 2 février 2024".
    pub place_date: String,
    /// "RÉCÉPISSÉ DE DÉPÔT D'UNE DEMANDE DE SUBVENTION".
    pub title: String,
    /// "Objet : …".
    pub object: String,
    pub salutation: String,
    pub body: Vec<String>,
    /// Label and value lines ("Numéro de la demande", "2024-00001").
    pub facts: Vec<(String, String)>,
    pub closing: Vec<String>,
    pub signatures: Vec<SignatureBlock>,
}

/// Any document acta renders.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Document {
    Deliberation(DeliberationDoc),
    Report(ReportDoc),
    Convention(ConventionDoc),
    Minutes(MinutesDoc),
    Register(RegisterDoc),
    Convocation(ConvocationDoc),
    Letter(LetterDoc),
}

impl Document {
    pub fn meta(&self) -> &Meta {
        match self {
            Document::Deliberation(d) => &d.meta,
            Document::Report(d) => &d.meta,
            Document::Convention(d) => &d.meta,
            Document::Minutes(d) => &d.meta,
            Document::Register(d) => &d.meta,
            Document::Convocation(d) => &d.meta,
            Document::Letter(d) => &d.meta,
        }
    }

    /// The signature blocks the document prints (none for a report: its signatory is
    /// printed in its closing lines).
    pub fn signature_blocks_mut(&mut self) -> &mut [SignatureBlock] {
        match self {
            Document::Deliberation(d) => &mut d.signatures,
            Document::Convention(d) => &mut d.signatures,
            Document::Minutes(d) => &mut d.signatures,
            Document::Register(d) => &mut d.signatures,
            Document::Convocation(d) => &mut d.signatures,
            Document::Letter(d) => &mut d.signatures,
            Document::Report(_) => &mut [],
        }
    }
}

impl SignatureBlock {
    /// The signer's name: the block's last line.
    pub fn signer(&self) -> Option<&str> {
        self.lines.last().map(String::as_str)
    }

    /// Prints the mention of an electronic signature just above the signer's name, in place
    /// of a plain "Signé".
    pub fn sign_electronically(&mut self, mention: String) {
        self.lines
            .retain(|l| !matches!(l.trim(), "Signé" | "SIGNE" | "Signe"));
        let at = self.lines.len().saturating_sub(1);
        self.lines.insert(at, mention);
    }
}

fn missing(doc: &Meta, field: &str) -> crate::DocsError {
    crate::DocsError::Data {
        document: if doc.title.trim().is_empty() {
            format!("{} sans titre", doc.kind.label())
        } else {
            doc.title.clone()
        },
        message: format!("le champ « {field} » est vide"),
    }
}

fn require(meta: &Meta, checks: &[(&str, bool)]) -> Result<(), crate::DocsError> {
    for (field, ok) in checks {
        if !ok {
            return Err(missing(meta, field));
        }
    }
    Ok(())
}

/// Checks that a document has what its template prints, naming the field that is empty.
pub fn check(doc: &Document) -> Result<(), crate::DocsError> {
    let meta = doc.meta();
    let filled = |s: &str| !s.trim().is_empty();
    require(
        meta,
        &[
            ("titre", filled(&meta.title)),
            ("auteur", filled(&meta.author)),
            (
                "date",
                acta_domain::french::parse_date("date", &meta.date).is_ok(),
            ),
            ("fichier", filled(&meta.file_stem)),
        ],
    )?;
    match doc {
        Document::Deliberation(d) => require(
            meta,
            &[
                ("en-tête", filled(&d.header.collectivity)),
                ("titre de la délibération", filled(&d.title)),
                ("numéro", filled(&d.number_line)),
                ("articles", !d.articles.is_empty()),
                ("lieu et date", filled(&d.place_date)),
                ("signataires", !d.signatures.is_empty()),
            ],
        ),
        Document::Report(d) => require(
            meta,
            &[
                ("en-tête", filled(&d.header.collectivity)),
                ("numéro du rapport", filled(&d.report_line)),
                ("titre du rapport", filled(&d.title)),
            ],
        ),
        Document::Convention(d) => require(
            meta,
            &[
                ("objet", filled(&d.object_line)),
                ("parties", !d.parties.is_empty()),
                ("articles", !d.articles.is_empty()),
                ("signataires", !d.signatures.is_empty()),
            ],
        ),
        Document::Minutes(d) => require(
            meta,
            &[
                ("titre du procès-verbal", filled(&d.title)),
                ("quorum", filled(&d.quorum)),
            ],
        ),
        Document::Register(d) => require(meta, &[("mentions du registre", !d.fields.is_empty())]),
        Document::Convocation(d) => require(
            meta,
            &[
                ("destinataires", !d.letters.is_empty()),
                (
                    "ordre du jour",
                    d.letters.iter().all(|l| !l.agenda.is_empty()),
                ),
                ("signataires", !d.signatures.is_empty()),
            ],
        ),
        Document::Letter(d) => require(
            meta,
            &[
                ("destinataire", !d.recipient.is_empty()),
                ("objet", filled(&d.object)),
                ("signataires", !d.signatures.is_empty()),
            ],
        ),
    }
}
