//! The President's report (rapport) on an agenda item.

use crate::collectivity::{Body, Service, TerritorialScope};
use crate::error::{DomainError, Errors, FieldError};
use crate::ids::Id;
use crate::people::Signatory;
use crate::sitting::Sitting;
use crate::text::RichText;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A numbered section of a report ("1 – L'important rôle de la Chambre …").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub number: u32,
    pub heading: String,
    pub body: RichText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Opinion {
    Favorable,
    Unfavorable,
    /// "avis réservé".
    Reserved,
}

impl Opinion {
    /// "favorable", "défavorable" or "réservé" (accents optional).
    pub fn parse(field: &str, input: &str) -> Result<Self, DomainError> {
        match input.trim() {
            "favorable" => Ok(Opinion::Favorable),
            "defavorable" | "défavorable" => Ok(Opinion::Unfavorable),
            "reserve" | "réservé" => Ok(Opinion::Reserved),
            other => Err(DomainError::field(
                field,
                format!("Avis : « {other} » (favorable, défavorable ou réservé)."),
            )),
        }
    }

    /// "favorable", "défavorable", "réservé", as in "a émis un avis favorable".
    pub fn label(self) -> &'static str {
        match self {
            Opinion::Favorable => "favorable",
            Opinion::Unfavorable => "défavorable",
            Opinion::Reserved => "réservé",
        }
    }
}

/// The thematic commission's opinion on a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionOpinion {
    pub commission: Id<Body>,
    pub opinion: Opinion,
    pub date: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub sitting: Id<Sitting>,
    /// "RAPPORT N°20".
    pub number: u32,
    pub title: String,
    pub pole: Option<Id<Service>>,
    pub direction: Option<Id<Service>>,
    pub scope: TerritorialScope,
    pub sections: Vec<Section>,
    /// "Il convient de statuer sur cette affaire et, le cas échéant : …".
    pub conclusion: RichText,
    pub commission_opinion: Option<CommissionOpinion>,
    pub signatory: Option<Signatory>,
}

/// Checks a thematic commission's opinion on a report: given by a thematic commission,
/// before the sitting that decides.
pub fn check_opinion(
    commission_kind: crate::collectivity::BodyKind,
    opinion_date: Date,
    sitting_date: Date,
) -> Result<(), DomainError> {
    let mut errors = Errors::new();
    if commission_kind != crate::collectivity::BodyKind::ThematicCommission {
        errors.push(FieldError::new(
            "commission",
            "Commission : l'avis est celui d'une commission thématique.",
        ));
    }
    if opinion_date > sitting_date {
        errors.push(FieldError::new(
            "date_avis",
            "Date de l'avis : la commission se prononce avant la séance qui délibère.",
        ));
    }
    errors.into_result()
}

impl Report {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.number == 0 {
            errors.push(FieldError::new(
                "numero",
                "Numéro : le numéro du rapport commence à 1.",
            ));
        }
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(
                "titre",
                "Titre : le titre du rapport est obligatoire.",
            ));
        }
        for (i, s) in self.sections.iter().enumerate() {
            let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if s.number != expected {
                errors.push(FieldError::new(
                    format!("sections.{i}.numero"),
                    format!(
                        "Numéro : la section {} devrait porter le numéro {expected}.",
                        s.number
                    ),
                ));
            }
        }
        if let Some(signatory) = &self.signatory {
            errors.check(signatory.validate("signataire"));
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sitting::MovementKind;
    use crate::vote::VoteChoice;

    #[test]
    fn typed_opinions_movements_and_choices_are_read_or_refused_by_field() {
        for (typed, opinion) in [
            ("favorable", Some(Opinion::Favorable)),
            ("défavorable", Some(Opinion::Unfavorable)),
            ("reserve", Some(Opinion::Reserved)),
            ("peut-être", None),
        ] {
            assert_eq!(Opinion::parse("avis", typed).ok(), opinion, "{typed}");
        }
        assert_eq!(
            MovementKind::parse("sens", "depart").ok(),
            Some(MovementKind::Leaves)
        );
        assert_eq!(
            MovementKind::parse("sens", " arrivee ").ok(),
            Some(MovementKind::Arrives)
        );
        let refused = MovementKind::parse("sens", "ailleurs").unwrap_err();
        assert!(matches!(&refused, DomainError::Invalid(e) if e[0].field == "sens"));
        let refused =
            VoteChoice::parse_field("voix_president", "Voix du président", "oui").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Voix du président : « oui » n'est pas un choix (pour, contre, abstention, npp)."
        );
    }
}
