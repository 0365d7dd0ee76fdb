//! What the importer extracts from one deliberation. Every field carries how sure the parser
//! is and the line of the source text it was read from; a field the text does not state
//! clearly stays empty rather than guessed.

use acta_domain::money::Amount;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

/// How the value was found: `High` when a label of the text announces it ("Secrétaire :"),
/// `Medium` when its place in the text implies it (an upper-case title before the number),
/// `Low` when the line had to be repaired (OCR noise, mis-decoded characters) or the value
/// was carried over from the sitting's heading shared by several deliberations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// A value with its confidence and the 1-based line of the source text it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extracted<T> {
    pub value: T,
    pub confidence: Confidence,
    pub line: usize,
}

impl<T> Extracted<T> {
    pub fn new(value: T, confidence: Confidence, line: usize) -> Self {
        Extracted {
            value,
            confidence,
            line,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Civility {
    #[serde(rename = "M.")]
    Monsieur,
    #[serde(rename = "Mme")]
    Madame,
}

/// A person as the text names them: "M. Jean-Claude LEROY" gives the civility and the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub civility: Option<Civility>,
    pub name: String,
}

/// "X a donné pouvoir à Y": X is represented by Y.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    pub giver: Person,
    pub holder: Person,
}

/// When a member arrived or left during the sitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// "à partir du rapport n°15": the item's number as written.
    Item(String),
    /// "jusqu'à 11 h 50".
    Time(Time),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialPresence {
    pub member: Person,
    pub from: Option<Moment>,
    pub until: Option<Moment>,
}

/// The currency an amount is written in. Francs and other currencies are kept as written:
/// the importer never converts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Currency {
    Euro,
    Franc,
    Other(String),
}

/// An amount in hundredths of its currency, as written in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Amount,
    pub currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryAmount {
    pub beneficiary: String,
    pub amount: Money,
}

/// A budget imputation: "C01-620A06 6568//9361" or "chapitre 65, nature 6574, fonction 33".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Imputation {
    pub operation: Option<String>,
    pub chapter: Option<String>,
    pub nature: Option<String>,
    pub function: Option<String>,
    pub label: Option<String>,
    pub amount: Option<Money>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    For,
    Against,
    Abstention,
    NotVoting,
}

/// One position of the vote: its count, and the groups or members the text lists under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stance {
    pub position: Position,
    pub count: Option<u32>,
    pub groups: Vec<String>,
    pub members: Vec<Person>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Adopted,
    Rejected,
    /// "prend acte": the assembly takes note, nothing is voted.
    Noted,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vote {
    pub stances: Vec<Stance>,
    pub unanimous: bool,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// "1", "1er" is read as "1", "2 bis" stays "2 bis".
    pub number: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    /// The capacity as written: "LE PRESIDENT DU CONSEIL DEPARTEMENTAL", "Le Maire".
    pub role: String,
    pub name: String,
}

/// What a stated count counts: "Nombre de conseillers en exercice : 15 – présents : 11 –
/// votants : 13".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountKind {
    /// "Membres afférents au conseil": the seats the law gives the assembly.
    Seats,
    /// "En exercice".
    InOffice,
    /// "Présents".
    Present,
    /// "Représentés", "pouvoirs", "procurations".
    Represented,
    /// "Votants", "qui ont pris part au vote".
    Voting,
}

impl CountKind {
    /// The key of the labelled set ("count.in_office").
    pub fn key(self) -> &'static str {
        match self {
            CountKind::Seats => "seats",
            CountKind::InOffice => "in_office",
            CountKind::Present => "present",
            CountKind::Represented => "represented",
            CountKind::Voting => "voting",
        }
    }
}

/// A count the text states, kept apart from the lists of names (which may disagree with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedCount {
    pub kind: CountKind,
    pub value: u32,
}

/// One deliberation found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportedDeliberation {
    pub collectivity: Option<Extracted<String>>,
    pub body: Option<Extracted<String>>,
    pub sitting_date: Option<Extracted<Date>>,
    pub sitting_time: Option<Extracted<Time>>,
    pub president: Option<Extracted<Person>>,
    pub secretary: Option<Extracted<Person>>,
    pub present: Vec<Extracted<Person>>,
    pub excused: Vec<Extracted<Person>>,
    pub absent: Vec<Extracted<Person>>,
    pub represented: Vec<Extracted<Proxy>>,
    pub partial: Vec<Extracted<PartialPresence>>,
    /// "Assistant également sans voix délibérative".
    pub present_without_vote: Vec<Extracted<Person>>,
    /// "Excusé(s) sans voix délibérative".
    pub excused_without_vote: Vec<Extracted<Person>>,
    /// The counts the text states (members in office, present, represented, voting).
    #[serde(default)]
    pub counts: Vec<Extracted<StatedCount>>,
    pub number: Option<Extracted<String>>,
    /// The President's report the deliberation answers, when the file holds it ("RAPPORT N°20").
    pub report_number: Option<Extracted<String>>,
    pub title: Option<Extracted<String>>,
    pub visas: Vec<Extracted<String>>,
    pub considerants: Vec<Extracted<String>>,
    pub articles: Vec<Extracted<Article>>,
    pub beneficiaries: Vec<Extracted<BeneficiaryAmount>>,
    pub imputations: Vec<Extracted<Imputation>>,
    pub vote: Option<Extracted<Vote>>,
    pub signatories: Vec<Extracted<Signatory>>,
    pub place: Option<Extracted<String>>,
    pub signed_on: Option<Extracted<Date>>,
    /// Lines the importer flagged (repaired characters, amounts in another currency…), in French.
    pub warnings: Vec<String>,
    /// The 1-based lines of the source this deliberation spans.
    pub first_line: usize,
    pub last_line: usize,
}

/// A part of a file that is another document than a deliberation (an annexed convention,
/// a report, a table of contents): not imported, and said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    pub first_line: usize,
    pub last_line: usize,
    /// What it is, in French.
    pub reason: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportedFile {
    pub deliberations: Vec<ImportedDeliberation>,
    /// The parts left out because they are other documents, with why.
    #[serde(default)]
    pub set_aside: Vec<SetAside>,
    /// Warnings about the whole file (mis-decoded text repaired, nothing found…), in French.
    pub warnings: Vec<String>,
}

impl ImportedDeliberation {
    /// How many fields hold a value: the summary counts them.
    pub fn field_count(&self) -> usize {
        let singles = [
            self.collectivity.is_some(),
            self.body.is_some(),
            self.sitting_date.is_some(),
            self.sitting_time.is_some(),
            self.president.is_some(),
            self.secretary.is_some(),
            self.number.is_some(),
            self.report_number.is_some(),
            self.title.is_some(),
            self.vote.is_some(),
            self.place.is_some(),
            self.signed_on.is_some(),
        ]
        .iter()
        .filter(|present| **present)
        .count();
        singles
            + self.present.len()
            + self.excused.len()
            + self.absent.len()
            + self.represented.len()
            + self.partial.len()
            + self.present_without_vote.len()
            + self.excused_without_vote.len()
            + self.counts.len()
            + self.visas.len()
            + self.considerants.len()
            + self.articles.len()
            + self.beneficiaries.len()
            + self.imputations.len()
            + self.signatories.len()
    }
}
