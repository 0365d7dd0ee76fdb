//! Applications for grants (demandes de subvention), from the call for applications
//! (dispositif) to the decision: what an application must hold, the budget forecast of the
//! CERFA 12156 form, what an uploaded file really is, and the steps of its instruction.

use crate::error::{DomainError, Errors, FieldError};
use crate::french::format_date_long;
use crate::money::Amount;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A file type a dispositif may accept, known from the file's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    /// OpenDocument text (LibreOffice Writer).
    Odt,
    /// OpenDocument spreadsheet (LibreOffice Calc).
    Ods,
    /// Office Open XML text (Word).
    Docx,
    /// Office Open XML spreadsheet (Excel).
    Xlsx,
}

pub const ALL_FILE_TYPES: [FileType; 7] = [
    FileType::Pdf,
    FileType::Png,
    FileType::Jpeg,
    FileType::Odt,
    FileType::Ods,
    FileType::Docx,
    FileType::Xlsx,
];

impl FileType {
    pub fn code(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpeg",
            FileType::Odt => "odt",
            FileType::Ods => "ods",
            FileType::Docx => "docx",
            FileType::Xlsx => "xlsx",
        }
    }

    pub fn parse(field: &str, code: &str) -> Result<FileType, FieldError> {
        let code = code.trim().to_lowercase();
        let code = if code == "jpg" {
            "jpeg".to_string()
        } else {
            code
        };
        ALL_FILE_TYPES
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    format!(
                        "Types de fichiers : « {code} » n'est pas connu ; choisissez parmi {}.",
                        ALL_FILE_TYPES.map(|t| t.code()).join(", ")
                    ),
                )
            })
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "un document PDF",
            FileType::Png => "une image PNG",
            FileType::Jpeg => "une image JPEG",
            FileType::Odt => "un texte OpenDocument",
            FileType::Ods => "un tableur OpenDocument",
            FileType::Docx => "un document Word",
            FileType::Xlsx => "un classeur Excel",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file name endings that announce this type.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Odt => &["odt"],
            FileType::Ods => &["ods"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
        }
    }

    fn from_extension(name: &str) -> Option<FileType> {
        let (_, ext) = name.rsplit_once('.')?;
        let ext = ext.to_lowercase();
        ALL_FILE_TYPES
            .into_iter()
            .find(|t| t.extensions().contains(&ext.as_str()))
    }
}

/// What the bytes of a file are, whatever its name says. Office documents are ZIP
/// archives: OpenDocument stores its media type uncompressed as the first entry
/// (`mimetype`), Office Open XML names its parts `word/…` or `xl/…`.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let head = &bytes[..bytes.len().min(30 + 8 + 60)];
    if head.get(30..38) == Some(b"mimetype") {
        let rest = &head[38..];
        if contains(rest, b"application/vnd.oasis.opendocument.text") {
            return Some(FileType::Odt);
        }
        if contains(rest, b"application/vnd.oasis.opendocument.spreadsheet") {
            return Some(FileType::Ods);
        }
        return None;
    }
    // Office Open XML: the central directory at the end names every part.
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    if contains(tail, b"[Content_Types].xml") {
        if contains(tail, b"word/document.xml") {
            return Some(FileType::Docx);
        }
        if contains(tail, b"xl/workbook.xml") {
            return Some(FileType::Xlsx);
        }
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a dispositif accepts as files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRules {
    pub max_bytes: u64,
    pub allowed: Vec<FileType>,
}

/// The largest file a dispositif may allow: 20 Mo.
pub const MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

impl Default for UploadRules {
    fn default() -> Self {
        UploadRules {
            max_bytes: 10 * 1024 * 1024,
            allowed: vec![FileType::Pdf, FileType::Png, FileType::Jpeg],
        }
    }
}

fn megabytes(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        return format!("{} ko", bytes.div_ceil(1024));
    }
    let tenths = bytes.saturating_mul(10) / (1024 * 1024);
    if tenths.is_multiple_of(10) {
        format!("{} Mo", tenths / 10)
    } else {
        format!("{},{} Mo", tenths / 10, tenths % 10)
    }
}

/// Checks an uploaded file: not empty, not too large, its content a type the dispositif
/// accepts, and its name not announcing another type. Gives the type found.
pub fn check_upload(
    field: &str,
    name: &str,
    bytes: &[u8],
    rules: &UploadRules,
) -> Result<FileType, FieldError> {
    let name = name.trim();
    let refuse = |message: String| Err(FieldError::new(field, message));
    if name.is_empty() {
        return refuse("Fichier : choisissez un fichier à déposer.".into());
    }
    if bytes.is_empty() {
        return refuse(format!("Fichier : « {name} » est vide."));
    }
    let size = bytes.len() as u64;
    if size > rules.max_bytes {
        return refuse(format!(
            "Fichier : « {name} » pèse {} ; la limite est de {}.",
            megabytes(size),
            megabytes(rules.max_bytes)
        ));
    }
    let allowed = || {
        rules
            .allowed
            .iter()
            .map(|t| t.extensions()[0].to_uppercase())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(found) = sniff(bytes) else {
        return refuse(format!(
            "Fichier : le contenu de « {name} » n'est d'aucun type accepté ({}).",
            allowed()
        ));
    };
    match FileType::from_extension(name) {
        Some(announced) if announced == found => {}
        Some(announced) => {
            return refuse(format!(
                "Fichier : « {name} » se présente comme {} mais son contenu est {} ; il n'est pas enregistré.",
                announced.label(),
                found.label()
            ));
        }
        None => {
            return refuse(format!(
                "Fichier : le nom « {name} » doit finir par l'extension de son type (.{}).",
                found.extensions()[0]
            ));
        }
    }
    if !rules.allowed.contains(&found) {
        return refuse(format!(
            "Fichier : {} n'est pas accepté par ce dispositif ; types admis : {}.",
            found.label(),
            allowed()
        ));
    }
    Ok(found)
}

/// A piece an application must hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PieceKind {
    Statutes,
    BankDetails,
    /// The budget forecast: typed in the application (CERFA 12156), not uploaded.
    BudgetForecast,
    /// The previous year's compte rendu financier (CERFA 15059).
    FinancialReport,
    /// A document the dispositif names.
    Other(String),
}

impl PieceKind {
    /// "statuts", "rib", "budget_previsionnel", "compte_rendu_financier", "autre:Bilan".
    pub fn code(&self) -> String {
        match self {
            PieceKind::Statutes => "statuts".into(),
            PieceKind::BankDetails => "rib".into(),
            PieceKind::BudgetForecast => "budget_previsionnel".into(),
            PieceKind::FinancialReport => "compte_rendu_financier".into(),
            PieceKind::Other(label) => format!("autre:{label}"),
        }
    }

    pub fn label(&self) -> String {
        match self {
            PieceKind::Statutes => "Statuts".into(),
            PieceKind::BankDetails => "Relevé d'identité bancaire".into(),
            PieceKind::BudgetForecast => "Budget prévisionnel (CERFA 12156)".into(),
            PieceKind::FinancialReport => {
                "Compte rendu financier de l'année précédente (CERFA 15059)".into()
            }
            PieceKind::Other(label) => label.clone(),
        }
    }

    pub fn parse(field: &str, code: &str) -> Result<PieceKind, FieldError> {
        let code = code.trim();
        match code {
            "statuts" => Ok(PieceKind::Statutes),
            "rib" => Ok(PieceKind::BankDetails),
            "budget_previsionnel" => Ok(PieceKind::BudgetForecast),
            "compte_rendu_financier" => Ok(PieceKind::FinancialReport),
            _ => match code
                .strip_prefix("autre:")
                .map(crate::french::normalize_spaces)
            {
                Some(label) if !label.is_empty() && label.chars().count() <= 120 => {
                    Ok(PieceKind::Other(label))
                }
                _ => Err(FieldError::new(
                    field,
                    format!(
                        "Pièce : « {code} » n'est pas connue ; choisissez statuts, rib, budget_previsionnel, compte_rendu_financier ou autre:Libellé."
                    ),
                )),
            },
        }
    }

    /// Whether it is a file to upload (the budget forecast is typed).
    pub fn is_file(&self) -> bool {
        *self != PieceKind::BudgetForecast
    }
}

/// A call for applications configured by the Département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispositif {
    /// "Soutien aux associations d'aide aux artisans".
    pub name: String,
    /// Who may apply and for what.
    pub eligibility: String,
    pub opens_on: Date,
    pub closes_on: Date,
    pub pieces: Vec<PieceKind>,
    /// The most an application may ask for.
    pub cap: Option<Amount>,
    pub uploads: UploadRules,
    /// The instructing direction's name, as letters print it.
    pub direction: Option<String>,
    /// The instructing direction in the référentiel des services: its accounts instruct
    /// the dispositif's applications.
    #[serde(default)]
    pub direction_id: Option<i64>,
}

impl Dispositif {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new(
                "nom",
                "Nom : le nom du dispositif est obligatoire.",
            ));
        }
        if self.eligibility.trim().is_empty() {
            errors.push(FieldError::new(
                "eligibilite",
                "Éligibilité : dites qui peut déposer une demande et pour quoi.",
            ));
        }
        if self.closes_on < self.opens_on {
            errors.push(FieldError::new(
                "cloture",
                format!(
                    "Clôture : le {} précède l'ouverture du {}.",
                    format_date_long(self.closes_on),
                    format_date_long(self.opens_on)
                ),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for p in &self.pieces {
            if !seen.insert(p) {
                errors.push(FieldError::new(
                    "pieces",
                    format!("Pièces : « {} » est demandée deux fois.", p.label()),
                ));
            }
        }
        if let Some(cap) = self.cap
            && (cap.is_zero() || cap.is_negative())
        {
            errors.push(FieldError::new(
                "plafond",
                "Plafond : un montant positif est attendu.",
            ));
        }
        if self.uploads.max_bytes == 0 || self.uploads.max_bytes > MAX_UPLOAD_BYTES {
            errors.push(FieldError::new(
                "taille_max",
                format!(
                    "Taille maximale : entre 1 octet et {}.",
                    megabytes(MAX_UPLOAD_BYTES)
                ),
            ));
        }
        if self.uploads.allowed.is_empty() {
            errors.push(FieldError::new(
                "types",
                "Types de fichiers : au moins un type doit être accepté.",
            ));
        }
        errors.into_result()
    }

    /// Whether an account instructing for `direction` (none: every direction) sees this
    /// dispositif's applications.
    pub fn instructed_by(&self, direction: Option<i64>) -> bool {
        direction.is_none_or(|d| self.direction_id == Some(d))
    }

    /// Whether applications are taken on this day.
    pub fn is_open(&self, today: Date) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }

    /// The pieces to upload as files.
    pub fn file_pieces(&self) -> impl Iterator<Item = &PieceKind> {
        self.pieces.iter().filter(|p| p.is_file())
    }
}

/// Which side of the budget a line is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    Charges,
    Products,
}

/// The lines of the CERFA 12156 budget forecast: code (the accounts of the associations'
/// chart), label and side. Line 74 is split by funder, as on the form; "74-departement" is
/// what the applicant asks of the Département.
pub const BUDGET_LINES: [(&str, &str, Side); 22] = [
    ("60", "60 – Achats", Side::Charges),
    ("61", "61 – Services extérieurs", Side::Charges),
    ("62", "62 – Autres services extérieurs", Side::Charges),
    ("63", "63 – Impôts et taxes", Side::Charges),
    ("64", "64 – Charges de personnel", Side::Charges),
    (
        "65",
        "65 – Autres charges de gestion courante",
        Side::Charges,
    ),
    ("66", "66 – Charges financières", Side::Charges),
    ("67", "67 – Charges exceptionnelles", Side::Charges),
    ("68", "68 – Dotation aux amortissements", Side::Charges),
    (
        "86",
        "86 – Emplois des contributions volontaires en nature",
        Side::Charges,
    ),
    (
        "70",
        "70 – Vente de produits finis, prestations de services, marchandises",
        Side::Products,
    ),
    (
        "73",
        "73 – Dotations et produits de tarification",
        Side::Products,
    ),
    ("74-etat", "74 – Subvention de l'État", Side::Products),
    ("74-region", "74 – Subvention de la Région", Side::Products),
    (
        "74-departement",
        "74 – Subvention du Département",
        Side::Products,
    ),
    (
        "74-commune",
        "74 – Subvention des communes et intercommunalités",
        Side::Products,
    ),
    (
        "74-autres",
        "74 – Autres subventions et aides publiques",
        Side::Products,
    ),
    (
        "75",
        "75 – Autres produits de gestion courante",
        Side::Products,
    ),
    ("76", "76 – Produits financiers", Side::Products),
    ("77", "77 – Produits exceptionnels", Side::Products),
    (
        "78",
        "78 – Reprises sur amortissements et provisions",
        Side::Products,
    ),
    (
        "87",
        "87 – Contributions volontaires en nature",
        Side::Products,
    ),
];

/// The line of the forecast that says what is asked of the Département.
pub const DEPARTEMENT_LINE: &str = "74-departement";

/// A budget forecast as on the CERFA 12156 form: an amount per line, lines left out are
/// zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetForecast {
    pub lines: BTreeMap<String, Amount>,
}

impl BudgetForecast {
    pub fn line_label(code: &str) -> Option<&'static str> {
        BUDGET_LINES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, l, _)| *l)
    }

    pub fn amount(&self, code: &str) -> Amount {
        self.lines.get(code).copied().unwrap_or(Amount::ZERO)
    }

    pub fn total(&self, side: Side) -> Option<Amount> {
        Amount::checked_sum(
            BUDGET_LINES
                .iter()
                .filter(|(_, _, s)| *s == side)
                .map(|(c, _, _)| self.amount(c)),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.lines.values().all(|a| a.is_zero())
    }

    /// Refuses an unknown line or a negative amount.
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        for (code, amount) in &self.lines {
            if Self::line_label(code).is_none() {
                errors.push(FieldError::new(
                    format!("budget.{code}"),
                    format!("Budget prévisionnel : la ligne « {code} » n'existe pas sur le formulaire CERFA 12156."),
                ));
            } else if amount.is_negative() {
                errors.push(FieldError::new(
                    format!("budget.{code}"),
                    format!(
                        "Budget prévisionnel : la ligne « {} » ne peut pas être négative.",
                        Self::line_label(code).unwrap_or(code)
                    ),
                ));
            }
        }
        if self.total(Side::Charges).is_none() || self.total(Side::Products).is_none() {
            errors.push(FieldError::new(
                "budget",
                "Budget prévisionnel : les montants sont trop grands.",
            ));
        }
        errors.into_result()
    }

    /// What the form requires at submission: balanced totals, and the Département's line
    /// equal to the amount asked.
    pub fn check_for(&self, requested: Amount) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.is_empty() {
            errors.push(FieldError::new(
                "budget",
                "Budget prévisionnel : il est à remplir.",
            ));
            return errors;
        }
        let (charges, products) = (self.total(Side::Charges), self.total(Side::Products));
        if let (Some(c), Some(p)) = (charges, products)
            && c != p
        {
            errors.push(FieldError::new(
                "budget",
                format!(
                    "Budget prévisionnel : il n'est pas équilibré (charges {}, produits {}).",
                    c.format_euros_fr(),
                    p.format_euros_fr()
                ),
            ));
        }
        let asked = self.amount(DEPARTEMENT_LINE);
        if asked != requested {
            errors.push(FieldError::new(
                format!("budget.{DEPARTEMENT_LINE}"),
                format!(
                    "Budget prévisionnel : la subvention du Département y est de {}, la demande de {}.",
                    asked.format_euros_fr(),
                    requested.format_euros_fr()
                ),
            ));
        }
        errors
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationState {
    /// Being written by the applicant.
    Draft,
    /// Submitted, with its acknowledgement.
    Submitted,
    /// The direction asked for a missing piece.
    PieceRequested,
    /// Instructed: opinion and proposed amount given.
    Instructed,
    /// An award is proposed to a sitting.
    Proposed,
    /// The assembly granted it (in full or in part).
    Granted,
    /// Refused, by the direction or the assembly.
    Refused,
}

pub const ALL_APPLICATION_STATES: [ApplicationState; 7] = [
    ApplicationState::Draft,
    ApplicationState::Submitted,
    ApplicationState::PieceRequested,
    ApplicationState::Instructed,
    ApplicationState::Proposed,
    ApplicationState::Granted,
    ApplicationState::Refused,
];

impl ApplicationState {
    pub fn code(self) -> &'static str {
        match self {
            ApplicationState::Draft => "brouillon",
            ApplicationState::Submitted => "deposee",
            ApplicationState::PieceRequested => "piece_demandee",
            ApplicationState::Instructed => "instruite",
            ApplicationState::Proposed => "proposee",
            ApplicationState::Granted => "accordee",
            ApplicationState::Refused => "refusee",
        }
    }

    pub fn parse(code: &str) -> Option<ApplicationState> {
        ALL_APPLICATION_STATES
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Whether the direction may still ask for a missing piece.
    pub fn takes_piece_requests(self) -> bool {
        matches!(
            self,
            ApplicationState::Submitted | ApplicationState::PieceRequested
        )
    }

    /// Whether the direction's opinion is awaited (every piece asked for is there).
    pub fn awaits_instruction(self) -> bool {
        self == ApplicationState::Submitted
    }

    /// Whether a favourable opinion waits to be proposed to a sitting.
    pub fn awaits_proposal(self) -> bool {
        self == ApplicationState::Instructed
    }

    /// Whether a decision on a proposed award may be notified (the vote decides which).
    pub fn has_decision_to_notify(self) -> bool {
        matches!(
            self,
            ApplicationState::Proposed | ApplicationState::Granted | ApplicationState::Refused
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationState::Draft => "Brouillon",
            ApplicationState::Submitted => "Déposée",
            ApplicationState::PieceRequested => "Pièce demandée",
            ApplicationState::Instructed => "Instruite",
            ApplicationState::Proposed => "Proposée au vote",
            ApplicationState::Granted => "Accordée",
            ApplicationState::Refused => "Refusée",
        }
    }
}

/// An application for a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// What the grant is for ("Actions en faveur de l'artisanat 2024").
    pub purpose: String,
    /// The project, as the applicant describes it.
    pub description: String,
    pub requested: Amount,
    pub budget: BudgetForecast,
    pub state: ApplicationState,
}

impl Application {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.purpose.trim().is_empty() {
            errors.push(FieldError::new(
                "objet",
                "Objet : dites pour quoi la subvention est demandée.",
            ));
        }
        if self.requested.is_negative() || self.requested.is_zero() {
            errors.push(FieldError::new(
                "montant",
                "Montant demandé : un montant positif est attendu.",
            ));
        }
        if let Err(DomainError::Invalid(list)) = self.budget.validate() {
            list.into_iter().for_each(|e| errors.push(e));
        }
        errors.into_result()
    }

    /// Refused unless the application is still the applicant's to change.
    pub fn check_editable(&self) -> Result<(), DomainError> {
        match self.state {
            ApplicationState::Draft | ApplicationState::PieceRequested => Ok(()),
            other => Err(DomainError::rule(format!(
                "Demande {} : elle ne se modifie plus.",
                other.label().to_lowercase()
            ))),
        }
    }
}

/// Checks that an application may be submitted on `today`: the dispositif open, the amount
/// within its cap, every piece there and the budget as the form requires. Every missing
/// thing is listed at once.
pub fn check_submission(
    application: &Application,
    dispositif: &Dispositif,
    uploaded: &[PieceKind],
    today: Date,
) -> Result<(), DomainError> {
    if application.state != ApplicationState::Draft {
        return Err(DomainError::rule(format!(
            "Demande {} : elle est déjà déposée.",
            application.state.label().to_lowercase()
        )));
    }
    let mut errors = Errors::new();
    if !dispositif.is_open(today) {
        errors.push(FieldError::new(
            "dispositif",
            format!(
                "Dispositif : les demandes sont reçues du {} au {} ; nous sommes le {}.",
                format_date_long(dispositif.opens_on),
                format_date_long(dispositif.closes_on),
                format_date_long(today)
            ),
        ));
    }
    if let Err(DomainError::Invalid(list)) = application.validate() {
        list.into_iter().for_each(|e| errors.push(e));
    }
    if let Some(cap) = dispositif.cap
        && application.requested > cap
    {
        errors.push(FieldError::new(
            "montant",
            format!(
                "Montant demandé : {} dépasse le plafond du dispositif ({}).",
                application.requested.format_euros_fr(),
                cap.format_euros_fr()
            ),
        ));
    }
    for piece in &dispositif.pieces {
        if *piece == PieceKind::BudgetForecast {
            for e in application.budget.check_for(application.requested) {
                errors.push(e);
            }
        } else if !uploaded.contains(piece) {
            errors.push(FieldError::new(
                format!("pieces.{}", piece.code()),
                format!("{} : pièce manquante.", piece.label()),
            ));
        }
    }
    errors.into_result()
}

/// The acknowledgement's number: the year of submission and the rank in it.
pub fn receipt_number(year: i16, rank: u32) -> String {
    format!("{year}-{rank:05}")
}

/// Checks a request for a missing piece: on a submitted application, with a reason and a
/// deadline after today.
pub fn check_piece_request(
    state: ApplicationState,
    message: &str,
    due_on: Date,
    today: Date,
) -> Result<(), DomainError> {
    if !state.takes_piece_requests() {
        return Err(DomainError::rule(format!(
            "Demande {} : on ne demande de pièce qu'à une demande déposée et non encore instruite.",
            state.label().to_lowercase()
        )));
    }
    let mut errors = Errors::new();
    if message.trim().is_empty() {
        errors.push(FieldError::new(
            "message",
            "Message : dites au demandeur ce qui manque.",
        ));
    }
    if due_on <= today {
        errors.push(FieldError::new(
            "echeance",
            format!(
                "Échéance : le {} n'est pas après aujourd'hui.",
                format_date_long(due_on)
            ),
        ));
    }
    errors.into_result()
}

/// The direction's instruction: its opinion and, when favourable, the amount it proposes
/// (never more than asked, nor than the cap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    pub favourable: bool,
    pub opinion: String,
    pub proposed: Option<Amount>,
}

pub fn check_instruction(
    state: ApplicationState,
    open_requests: usize,
    instruction: &Instruction,
    requested: Amount,
    cap: Option<Amount>,
) -> Result<(), DomainError> {
    if !state.awaits_instruction() {
        return Err(DomainError::rule(if open_requests > 0 {
            "Instruction : une pièce demandée n'a pas encore été reçue.".to_string()
        } else {
            format!(
                "Instruction : la demande est {} ; seule une demande déposée s'instruit.",
                state.label().to_lowercase()
            )
        }));
    }
    let mut errors = Errors::new();
    if instruction.opinion.trim().is_empty() {
        errors.push(FieldError::new(
            "avis",
            "Avis : motivez l'avis de la direction.",
        ));
    }
    match (instruction.favourable, instruction.proposed) {
        (true, None) => errors.push(FieldError::new(
            "montant_propose",
            "Montant proposé : un avis favorable propose un montant.",
        )),
        (true, Some(p)) if p.is_zero() || p.is_negative() => errors.push(FieldError::new(
            "montant_propose",
            "Montant proposé : un montant positif est attendu.",
        )),
        (true, Some(p)) if p > requested => errors.push(FieldError::new(
            "montant_propose",
            format!(
                "Montant proposé : {} dépasse la demande ({}).",
                p.format_euros_fr(),
                requested.format_euros_fr()
            ),
        )),
        (true, Some(p)) if cap.is_some_and(|c| p > c) => errors.push(FieldError::new(
            "montant_propose",
            "Montant proposé : il dépasse le plafond du dispositif.",
        )),
        (false, Some(_)) => errors.push(FieldError::new(
            "montant_propose",
            "Montant proposé : un avis défavorable ne propose pas de montant.",
        )),
        _ => {}
    }
    errors.into_result()
}

/// Where a document sent by a beneficiary after the vote stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubmissionState {
    Pending,
    Accepted,
    Refused,
}

impl SubmissionState {
    pub fn code(self) -> &'static str {
        match self {
            SubmissionState::Pending => "en_attente",
            SubmissionState::Accepted => "acceptee",
            SubmissionState::Refused => "refusee",
        }
    }

    pub fn parse(code: &str) -> Option<SubmissionState> {
        [
            SubmissionState::Pending,
            SubmissionState::Accepted,
            SubmissionState::Refused,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SubmissionState::Pending => "En attente d'examen",
            SubmissionState::Accepted => "Acceptée",
            SubmissionState::Refused => "Refusée",
        }
    }
}

/// Staff's answer to a document sent after the vote: only a pending one is decided, and a
/// refusal says why.
pub fn check_submission_review(
    state: SubmissionState,
    accept: bool,
    reason: &str,
) -> Result<(), DomainError> {
    if state != SubmissionState::Pending {
        return Err(DomainError::rule(format!(
            "Pièce déjà examinée ({}).",
            state.label().to_lowercase()
        )));
    }
    if !accept && reason.trim().is_empty() {
        return Err(DomainError::field(
            "motif",
            "Motif : dites au bénéficiaire pourquoi la pièce est refusée.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn zip_with(first_entry: &[u8], rest: &[u8]) -> Vec<u8> {
        let mut v = b"PK\x03\x04".to_vec();
        v.resize(30, 0);
        v.extend_from_slice(first_entry);
        v.extend_from_slice(rest);
        v
    }

    #[test]
    fn file_types_are_read_from_the_content() {
        let odt = zip_with(b"mimetype", b"application/vnd.oasis.opendocument.text");
        let ods = zip_with(
            b"mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        );
        let docx = zip_with(b"[Content_Types].xml", b"....word/document.xml....");
        let xlsx = zip_with(b"[Content_Types].xml", b"....xl/workbook.xml....");
        let cases: &[(&[u8], Option<FileType>)] = &[
            (b"%PDF-1.7\n...", Some(FileType::Pdf)),
            (b"\x89PNG\r\n\x1a\n....", Some(FileType::Png)),
            (&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], Some(FileType::Jpeg)),
            (&odt, Some(FileType::Odt)),
            (&ods, Some(FileType::Ods)),
            (&docx, Some(FileType::Docx)),
            (&xlsx, Some(FileType::Xlsx)),
            (b"PK\x03\x04", None),
            (b"<html>%PDF-", None),
            (b"MZ\x90\x00", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                sniff(bytes),
                *expected,
                "{:?}",
                &bytes[..bytes.len().min(8)]
            );
        }
    }

    #[test]
    fn uploads_are_refused_with_the_reason_in_french() {
        let rules = UploadRules {
            max_bytes: 1024,
            allowed: vec![FileType::Pdf, FileType::Png],
        };
        let pdf = b"%PDF-1.7 statuts".to_vec();
        let png = b"\x89PNG\r\n\x1a\n....".to_vec();
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
        let big = {
            let mut b = b"%PDF-".to_vec();
            b.resize(3 * 1024 * 1024 / 2, b' ');
            b
        };
        let cases: &[(&str, &[u8], Result<FileType, &str>)] = &[
            ("statuts.pdf", &pdf, Ok(FileType::Pdf)),
            ("STATUTS.PDF", &pdf, Ok(FileType::Pdf)),
            ("logo.png", &png, Ok(FileType::Png)),
            (
                "statuts.pdf",
                &png,
                Err("se présente comme un document PDF mais son contenu est une image PNG"),
            ),
            (
                "statuts",
                &pdf,
                Err("doit finir par l'extension de son type (.pdf)"),
            ),
            (
                "photo.jpg",
                &jpeg,
                Err("une image JPEG n'est pas accepté par ce dispositif ; types admis : PDF, PNG"),
            ),
            (
                "virus.pdf",
                b"MZ\x90\x00",
                Err("n'est d'aucun type accepté (PDF, PNG)"),
            ),
            ("vide.pdf", b"", Err("« vide.pdf » est vide")),
            ("gros.pdf", &big, Err("pèse 1,5 Mo ; la limite est de 1 ko")),
            ("", &pdf, Err("choisissez un fichier")),
        ];
        for (name, bytes, expected) in cases {
            let got = check_upload("fichier", name, bytes, &rules);
            match (got, expected) {
                (Ok(t), Ok(e)) => assert_eq!(t, *e, "{name}"),
                (Err(err), Err(part)) => {
                    assert_eq!(err.field, "fichier");
                    assert!(err.message.contains(part), "{name}: {}", err.message);
                }
                (got, expected) => panic!("{name}: {got:?} instead of {expected:?}"),
            }
        }
    }

    #[test]
    fn sniffing_never_panics_on_any_prefix() {
        let odt = zip_with(b"mimetype", b"application/vnd.oasis.opendocument.text");
        for n in 0..odt.len() {
            let _ = sniff(&odt[..n]);
        }
    }

    fn dispositif() -> Dispositif {
        Dispositif {
            name: "Soutien à l'artisanat".into(),
            eligibility: "Associations du Pas-de-Calais".into(),
            opens_on: date(2023, 1, 1),
            closes_on: date(2023, 3, 31),
            pieces: vec![
                PieceKind::Statutes,
                PieceKind::BankDetails,
                PieceKind::BudgetForecast,
            ],
            cap: Some(Amount::from_centimes(2_000_000)),
            uploads: UploadRules::default(),
            direction: None,
            direction_id: None,
        }
    }

    fn euros(e: i64) -> Amount {
        Amount::from_centimes(e * 100)
    }

    fn application(requested: i64, budget: &[(&str, i64)]) -> Application {
        Application {
            purpose: "Actions 2023".into(),
            description: String::new(),
            requested: euros(requested),
            budget: BudgetForecast {
                lines: budget
                    .iter()
                    .map(|(c, a)| (c.to_string(), euros(*a)))
                    .collect(),
            },
            state: ApplicationState::Draft,
        }
    }

    #[test]
    fn submission_lists_everything_missing_at_once() {
        let balanced = [("64", 30_000), ("74-departement", 15_000), ("70", 15_000)];
        let d = dispositif();
        let all = [PieceKind::Statutes, PieceKind::BankDetails];
        let cases: &[(Application, &[PieceKind], Date, &[&str])] = &[
            (application(15_000, &balanced), &all, date(2023, 2, 1), &[]),
            (
                application(15_000, &balanced),
                &[PieceKind::Statutes],
                date(2023, 2, 1),
                &["pieces.rib"],
            ),
            (
                application(15_000, &balanced),
                &all,
                date(2023, 4, 1),
                &["dispositif"],
            ),
            (
                application(15_000, &[("64", 30_000), ("74-departement", 15_000)]),
                &all,
                date(2023, 2, 1),
                &["budget"],
            ),
            (
                application(12_000, &balanced),
                &all,
                date(2023, 2, 1),
                &["budget.74-departement"],
            ),
            (
                application(25_000, &[("64", 25_000), ("74-departement", 25_000)]),
                &[],
                date(2023, 2, 1),
                &["montant", "pieces.statuts", "pieces.rib"],
            ),
            (
                application(15_000, &[]),
                &all,
                date(2023, 2, 1),
                &["budget"],
            ),
        ];
        for (app, uploaded, today, expected) in cases {
            let got = check_submission(app, &d, uploaded, *today);
            let fields: Vec<String> = match got {
                Ok(()) => vec![],
                Err(DomainError::Invalid(list)) => list.into_iter().map(|e| e.field).collect(),
                Err(other) => panic!("{other:?}"),
            };
            assert_eq!(fields, *expected, "{app:?} {today}");
        }
    }

    #[test]
    fn a_direction_sees_its_own_dispositifs_and_an_account_without_one_sees_all() {
        let mut d = dispositif();
        assert!(d.instructed_by(None));
        assert!(!d.instructed_by(Some(3)), "a dispositif without direction");
        d.direction_id = Some(3);
        let cases = [(None, true), (Some(3), true), (Some(4), false)];
        for (direction, seen) in cases {
            assert_eq!(d.instructed_by(direction), seen, "{direction:?}");
        }
    }

    #[test]
    fn a_submitted_application_is_not_submitted_again() {
        let mut app = application(1, &[]);
        app.state = ApplicationState::Submitted;
        let err = check_submission(&app, &dispositif(), &[], date(2023, 2, 1)).unwrap_err();
        assert!(err.to_string().contains("déjà déposée"));
    }

    #[test]
    fn instruction_rules() {
        use ApplicationState::*;
        let fav = |p: Option<i64>| Instruction {
            favourable: true,
            opinion: "Projet cohérent".into(),
            proposed: p.map(euros),
        };
        let cap = Some(euros(20_000));
        let cases: &[(ApplicationState, usize, Instruction, Option<&str>)] = &[
            (Submitted, 0, fav(Some(15_000)), None),
            (Submitted, 0, fav(Some(18_000)), None),
            (Submitted, 0, fav(None), Some("montant_propose")),
            (Submitted, 0, fav(Some(19_000)), Some("montant_propose")),
            (PieceRequested, 1, fav(Some(15_000)), Some("pièce demandée")),
            (Draft, 0, fav(Some(15_000)), Some("brouillon")),
            (
                Submitted,
                0,
                Instruction {
                    favourable: false,
                    opinion: " ".into(),
                    proposed: None,
                },
                Some("avis"),
            ),
            (
                Submitted,
                0,
                Instruction {
                    favourable: false,
                    opinion: "Hors du champ du dispositif".into(),
                    proposed: None,
                },
                None,
            ),
        ];
        for (state, open, instruction, expected) in cases {
            let got = check_instruction(*state, *open, instruction, euros(18_000), cap);
            match (got, expected) {
                (Ok(()), None) => {}
                (Err(DomainError::Invalid(list)), Some(field)) => {
                    assert_eq!(list[0].field, *field)
                }
                (Err(e), Some(part)) => assert!(e.to_string().contains(part), "{e}"),
                (got, expected) => panic!("{state:?}: {got:?} instead of {expected:?}"),
            }
        }
    }

    #[test]
    fn piece_requests_need_a_message_and_a_later_deadline() {
        let today = date(2023, 5, 2);
        assert!(
            check_piece_request(ApplicationState::Submitted, "RIB", date(2023, 5, 20), today)
                .is_ok()
        );
        assert!(check_piece_request(ApplicationState::Submitted, "RIB", today, today).is_err());
        assert!(
            check_piece_request(ApplicationState::Submitted, " ", date(2023, 6, 1), today).is_err()
        );
        assert!(
            check_piece_request(ApplicationState::Instructed, "RIB", date(2023, 6, 1), today)
                .is_err()
        );
    }

    #[test]
    fn piece_codes_round_trip() {
        for p in [
            PieceKind::Statutes,
            PieceKind::BankDetails,
            PieceKind::BudgetForecast,
            PieceKind::FinancialReport,
            PieceKind::Other("Rapport d'activité".into()),
        ] {
            assert_eq!(PieceKind::parse("p", &p.code()), Ok(p));
        }
        assert!(PieceKind::parse("p", "autre:").is_err());
        assert!(PieceKind::parse("p", "photo").is_err());
    }

    #[test]
    fn reviews_need_a_reason_to_refuse() {
        assert!(check_submission_review(SubmissionState::Pending, true, "").is_ok());
        assert!(check_submission_review(SubmissionState::Pending, false, "").is_err());
        assert!(check_submission_review(SubmissionState::Accepted, true, "").is_err());
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_and_no_name_make_the_upload_check_panic(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            head in proptest::sample::select(vec![&b"%PDF-"[..], b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b""]),
            name in ".{0,20}",
        ) {
            let mut data = head.to_vec();
            data.extend(bytes);
            let rules = UploadRules { max_bytes: 150, allowed: ALL_FILE_TYPES.to_vec() };
            if let Ok(found) = check_upload("fichier", &name, &data, &rules) {
                // Accepted: what the content is, and what the name says.
                proptest::prop_assert_eq!(sniff(&data), Some(found));
                proptest::prop_assert_eq!(FileType::from_extension(name.trim()), Some(found));
                proptest::prop_assert!(data.len() <= 150);
            }
        }

        #[test]
        fn a_balanced_forecast_is_accepted_for_its_departement_line(
            charges in proptest::collection::vec(0i64..1_000_000, 10),
            others in 0i64..1_000_000,
        ) {
            let codes = ["60", "61", "62", "63", "64", "65", "66", "67", "68", "86"];
            let mut budget = BudgetForecast::default();
            let mut total = 0;
            for (code, c) in codes.iter().zip(&charges) {
                budget.lines.insert(code.to_string(), Amount::from_centimes(*c));
                total += c;
            }
            let others = others.min(total);
            budget.lines.insert("70".into(), Amount::from_centimes(others));
            let asked = Amount::from_centimes(total - others);
            budget.lines.insert(DEPARTEMENT_LINE.into(), asked);
            proptest::prop_assert!(budget.validate().is_ok());
            let errors = budget.check_for(asked);
            proptest::prop_assert!(errors.is_empty() || total == 0, "{:?}", errors);
        }
    }
}
