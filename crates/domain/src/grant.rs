//! Awards: what a deliberation grants to a beneficiary, on which budget line.

use crate::beneficiary::Beneficiary;
use crate::budget::BudgetLine;
use crate::deliberation::Deliberation;
use crate::error::{DomainError, Errors, FieldError};
use crate::ids::Id;
use crate::money::Amount;
use crate::report::Report;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    /// "participation financière".
    Participation,
    /// "subvention".
    Subsidy,
}

impl AwardKind {
    pub fn label(self) -> &'static str {
        match self {
            AwardKind::Participation => "participation financière",
            AwardKind::Subsidy => "subvention",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    /// Proposed in a report, not yet voted.
    Proposed,
    Adopted,
    Rejected,
    Cancelled,
}

impl AwardStatus {
    pub fn code(self) -> &'static str {
        match self {
            AwardStatus::Proposed => "proposed",
            AwardStatus::Adopted => "adopted",
            AwardStatus::Rejected => "rejected",
            AwardStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            AwardStatus::Proposed,
            AwardStatus::Adopted,
            AwardStatus::Rejected,
            AwardStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AwardStatus::Proposed => "proposée",
            AwardStatus::Adopted => "attribuée",
            AwardStatus::Rejected => "rejetée",
            AwardStatus::Cancelled => "annulée",
        }
    }
}

/// "D'attribuer à la Chambre de Métiers … la participation financière de 120 000 € au titre
/// de l'année 2023".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub beneficiary: Id<Beneficiary>,
    pub report: Option<Id<Report>>,
    pub deliberation: Option<Id<Deliberation>>,
    pub budget_line: Id<BudgetLine>,
    pub kind: AwardKind,
    pub amount: Amount,
    /// The year the award is for ("au titre de l'année 2023").
    pub year: i16,
    /// "la réalisation du programme d'actions tel que décrit au rapport …".
    pub purpose: String,
    pub status: AwardStatus,
}

impl Award {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.amount.centimes() <= 0 {
            errors.push(FieldError::new(
                "montant",
                "Montant : le montant attribué doit être positif.",
            ));
        }
        if self.purpose.trim().is_empty() {
            errors.push(FieldError::new(
                "objet",
                "Objet : l'objet de l'aide est obligatoire.",
            ));
        }
        errors.into_result()
    }
}
