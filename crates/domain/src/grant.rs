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
    pub const ALL: [AwardKind; 2] = [AwardKind::Participation, AwardKind::Subsidy];

    /// As stored and sent by forms ("participation", "subsidy").
    pub fn code(self) -> &'static str {
        match self {
            AwardKind::Participation => "participation",
            AwardKind::Subsidy => "subsidy",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// A kind by its code or as staff write it ("subvention", "participation financière").
    pub fn parse(typed: &str) -> Option<Self> {
        Self::from_code(typed).or_else(|| {
            let folded = crate::french::fold(typed);
            Self::ALL
                .into_iter()
                .find(|k| crate::french::fold(k.label()) == folded || folded == k.code())
                .or(match folded.as_str() {
                    "participation" => Some(AwardKind::Participation),
                    _ => None,
                })
        })
    }

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
    /// Whether the award still holds credits (its line's, its authorisation's): proposed or
    /// adopted; a rejected or cancelled award has released them.
    pub fn holds_credits(self) -> bool {
        matches!(self, AwardStatus::Proposed | AwardStatus::Adopted)
    }

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

/// The budget year a deliberation's decision weighs on (SCDL's BUDGET_ANNEE): the earliest
/// year of the awards it adopted; none when it adopted none.
pub fn budget_year<'a>(awards: impl IntoIterator<Item = &'a Award>) -> Option<i16> {
    awards
        .into_iter()
        .filter(|a| a.status == AwardStatus::Adopted)
        .map(|a| a.year)
        .min()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn award_kinds_read_back_from_their_codes() {
        for kind in AwardKind::ALL {
            assert_eq!(AwardKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(AwardKind::from_code(" subsidy "), Some(AwardKind::Subsidy));
        assert_eq!(AwardKind::from_code("don"), None);
    }

    fn award(year: i16, status: AwardStatus) -> Award {
        Award {
            beneficiary: Id::new(1),
            report: None,
            deliberation: None,
            budget_line: Id::new(1),
            kind: AwardKind::Participation,
            amount: Amount::from_centimes(100),
            year,
            purpose: "objet".to_string(),
            status,
        }
    }

    #[test]
    fn the_budget_year_is_the_earliest_adopted_awards() {
        use AwardStatus::*;
        type Case = (&'static [(i16, AwardStatus)], Option<i16>);
        let cases: [Case; 5] = [
            (&[], None),
            (&[(2023, Adopted)], Some(2023)),
            (&[(2024, Adopted), (2023, Adopted)], Some(2023)),
            (&[(2022, Rejected), (2024, Adopted)], Some(2024)),
            (&[(2023, Proposed), (2023, Rejected)], None),
        ];
        for (awards, expected) in cases {
            let list: Vec<Award> = awards.iter().map(|(y, s)| award(*y, *s)).collect();
            assert_eq!(budget_year(&list), expected, "{awards:?}");
        }
    }
}
