//! What is indexed: one act (a deliberation, a report, a convention, an imported archive)
//! as plain text and the values it is filtered by.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActKind {
    Deliberation,
    Report,
    Convention,
    Archive,
}

impl ActKind {
    pub fn code(self) -> &'static str {
        match self {
            ActKind::Deliberation => "deliberation",
            ActKind::Report => "rapport",
            ActKind::Convention => "convention",
            ActKind::Archive => "archive",
        }
    }

    pub fn from_code(code: &str) -> Option<ActKind> {
        [
            ActKind::Deliberation,
            ActKind::Report,
            ActKind::Convention,
            ActKind::Archive,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActKind::Deliberation => "Délibération",
            ActKind::Report => "Rapport",
            ActKind::Convention => "Convention",
            ActKind::Archive => "Acte archivé",
        }
    }
}

/// A beneficiary named by an act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedBeneficiary {
    pub name: String,
    /// Digits only.
    pub siret: Option<String>,
}

/// One act, ready to index. `key` is unique ("deliberation:12"): indexing an act again
/// replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActDocument {
    pub key: String,
    pub kind: ActKind,
    /// The deliberation number ("2023-479"), when the act has one.
    pub number: Option<String>,
    pub title: String,
    /// Every other text of the act, in reading order.
    pub text: String,
    pub visas: Vec<String>,
    pub beneficiaries: Vec<IndexedBeneficiary>,
    /// "Commission permanente".
    pub body: String,
    /// ISO date of the sitting or of the act.
    pub date: String,
    pub year: i32,
    /// ACTES matière code ("7.5") and its label.
    pub matter: Option<(String, String)>,
    /// The amount the act awards, in centimes.
    pub amount_centimes: Option<i64>,
    /// Whether the public may see it: numbered and decided, not a draft.
    pub published: bool,
}
