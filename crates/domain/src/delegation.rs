//! What the Conseil départemental delegates to the Commission permanente (CGCT L3211-2),
//! and the check that an item put to the Commission permanente falls within it.
//!
//! The council may delegate part of its powers, never the budget (L3312-1) nor the
//! budget-control matters of L1612-12 to L1612-15 (the compte administratif and the
//! related decisions): in ACTES terms, matière 7.1 "Décisions budgétaires". A Commission
//! permanente deciding outside its delegation makes an illegal act, so such an item is
//! refused before it reaches the vote.

use crate::deliberation::{Visa, VisaReference};
use crate::error::{DomainError, Errors, FieldError};
use crate::french::{format_date_long, format_date_numeric};
use crate::money::Amount;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The ACTES matière no delegation can cover: the budget and its control.
pub const NEVER_DELEGATED: &str = "7.1";

/// A delegation deliberation of the plenary assembly, as far as the check needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    /// "2021-257".
    pub number: String,
    /// The plenary sitting that adopted it: 1 July 2021.
    pub adopted_on: Date,
    /// « Délégation d’attributions à la Commission Permanente ».
    pub title: String,
    /// "Conseil départemental".
    pub delegating_body: String,
    /// In force from this date (usually the adoption) until `ends_on`, if any.
    pub in_force_from: Date,
    pub ends_on: Option<Date>,
    /// ACTES matières delegated, by family ("3") or by matière ("7.5").
    pub matters: Vec<String>,
    /// The largest single award the Commission permanente may decide, if capped.
    pub award_ceiling: Option<Amount>,
}

impl Delegation {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.number.trim().is_empty() {
            errors.push(FieldError::new(
                "numero",
                "Numéro : le numéro de la délibération de délégation est obligatoire.",
            ));
        }
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(
                "titre",
                "Titre : l'intitulé de la délibération de délégation est obligatoire.",
            ));
        }
        if self.matters.is_empty() {
            errors.push(FieldError::new(
                "matieres",
                "Matières : indiquez au moins une matière ACTES déléguée (par exemple 7.5).",
            ));
        }
        for (i, code) in self.matters.iter().enumerate() {
            let field = format!("matieres.{i}");
            let known = if code.contains('.') {
                crate::actes::validate_matter_code(&field, code).is_ok()
            } else {
                crate::actes::matter_family_label(code).is_some()
            };
            if !known {
                errors.push(FieldError::new(
                    field,
                    format!("Matières : « {code} » n'est pas une matière ACTES."),
                ));
            } else if code == NEVER_DELEGATED {
                errors.push(FieldError::new(
                    field,
                    "Matières : 7.1 Décisions budgétaires ne se délègue pas à la commission permanente (CGCT L3211-2 : le budget, L3312-1, et le compte administratif, L1612-12 à L1612-15).",
                ));
            }
        }
        if let Some(end) = self.ends_on
            && end < self.in_force_from
        {
            errors.push(FieldError::new(
                "fin",
                "Fin : la délégation ne peut pas finir avant d'entrer en vigueur.",
            ));
        }
        if self.in_force_from < self.adopted_on {
            errors.push(FieldError::new(
                "debut",
                "Début : la délégation n'entre pas en vigueur avant d'être adoptée.",
            ));
        }
        if self
            .award_ceiling
            .is_some_and(|c| c.is_zero() || c.is_negative())
        {
            errors.push(FieldError::new(
                "plafond",
                "Plafond : le plafond d'une attribution doit être positif.",
            ));
        }
        errors.into_result()
    }

    pub fn in_force_on(&self, date: Date) -> bool {
        self.in_force_from <= date && self.ends_on.is_none_or(|end| date <= end)
    }

    /// Whether the delegation covers an ACTES matière: listed itself or by its family,
    /// never the budget.
    pub fn covers(&self, matter: &str) -> bool {
        if matter == NEVER_DELEGATED || matter.starts_with("7.1.") {
            return false;
        }
        self.matters.iter().any(|m| {
            matter == m
                || matter
                    .strip_prefix(m.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// « la délibération n°2021-257 du Conseil départemental du 1er juillet 2021 « … » ».
    pub fn citation(&self) -> String {
        format!(
            "la délibération n°{} du {} du {} « {} »",
            self.number,
            self.delegating_body,
            format_date_long(self.adopted_on),
            self.title
        )
    }

    /// "depuis le 1er juillet 2021", "du 1er juillet 2021 au 30 juin 2028".
    pub fn in_force_label(&self) -> String {
        match self.ends_on {
            Some(end) => format!(
                "du {} au {}",
                format_date_long(self.in_force_from),
                format_date_long(end)
            ),
            None => format!("depuis le {}", format_date_long(self.in_force_from)),
        }
    }

    /// The visa a deliberation taken under this delegation carries, written as the
    /// Pas-de-Calais writes it.
    pub fn visa(&self) -> String {
        format!(
            "Vu la délibération n°{} du {} en date du {} « {} » ;",
            self.number,
            self.delegating_body,
            format_date_numeric(self.adopted_on),
            self.title
        )
    }

    /// Whether a visa already cites this delegation (typed by hand or loaded with the act).
    pub fn is_cited_by(&self, visa: &str) -> bool {
        let folded = crate::french::fold(visa);
        let number = crate::french::fold(&self.number);
        folded.contains("deliberation")
            && folded
                .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '/' || c == '_'))
                .any(|word| word.trim_start_matches('n').trim_start_matches('°') == number)
    }
}

/// What an item proposes to decide, as far as the delegation check is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemSubject {
    /// The deliberation's ACTES matière, once set.
    pub matter: Option<String>,
    /// The amounts of the awards it proposes.
    pub awards: Vec<Amount>,
    /// Whether it carries a budget decision.
    pub budget_decision: bool,
}

/// How far the check can go: on the agenda a matière may still be missing (checked at the
/// vote); at the vote everything must be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Agenda,
    Vote,
}

/// Checks an item put to the Commission permanente on `date` against the delegations of
/// the council. Returns the delegation it is taken under (for the visa), or a French
/// message saying why the Commission permanente cannot decide it.
pub fn check_item<'a>(
    subject: &ItemSubject,
    date: Date,
    delegations: &'a [Delegation],
    stage: Stage,
) -> Result<Option<&'a Delegation>, DomainError> {
    let in_force: Vec<&Delegation> = delegations.iter().filter(|d| d.in_force_on(date)).collect();
    if subject.budget_decision || subject.matter.as_deref() == Some(NEVER_DELEGATED) {
        return Err(DomainError::rule(
            "Délégation : le budget et les décisions budgétaires ne se délèguent pas (CGCT L3211-2) ; ce point relève du Conseil départemental, pas de la commission permanente.",
        ));
    }
    if in_force.is_empty() {
        return Err(DomainError::rule(format!(
            "Délégation : aucune délégation du Conseil départemental à la commission permanente n'est en vigueur le {} ; la commission permanente ne peut pas décider ce point.",
            format_date_long(date)
        )));
    }
    let candidates: Vec<&Delegation> = match subject.matter.as_deref() {
        Some(matter) => {
            let covering: Vec<&Delegation> = in_force
                .iter()
                .copied()
                .filter(|d| d.covers(matter))
                .collect();
            if covering.is_empty() {
                let label = crate::actes::matter_label(matter)
                    .map(|l| format!(" {l}"))
                    .unwrap_or_default();
                return Err(DomainError::rule(format!(
                    "Délégation : la matière {matter}{label} n'est pas déléguée à la commission permanente par {} ; ce point relève du Conseil départemental.",
                    cite_all(&in_force)
                )));
            }
            covering
        }
        None if stage == Stage::Vote => {
            return Err(DomainError::field(
                "matiere",
                "Matière : indiquez la matière ACTES du point ; sans elle, la délégation de la commission permanente ne peut pas être vérifiée.",
            ));
        }
        None => in_force,
    };
    let largest = subject.awards.iter().copied().max();
    let within = candidates
        .iter()
        .copied()
        .find(|d| match (d.award_ceiling, largest) {
            (Some(ceiling), Some(amount)) => amount <= ceiling,
            _ => true,
        });
    match (within, largest) {
        (Some(d), _) => Ok(if subject.matter.is_some() {
            Some(d)
        } else {
            None
        }),
        (None, Some(amount)) => Err(DomainError::rule(format!(
            "Délégation : l'attribution de {} dépasse le plafond que {} délègue à la commission permanente ({}) ; ce point relève du Conseil départemental.",
            amount.format_euros_fr(),
            cite_all(&candidates),
            candidates
                .iter()
                .filter_map(|d| d.award_ceiling)
                .max()
                .map(|c| c.format_euros_fr())
                .unwrap_or_default()
        ))),
        (None, None) => Ok(None),
    }
}

fn cite_all(delegations: &[&Delegation]) -> String {
    let cited: Vec<String> = delegations.iter().map(|d| d.citation()).collect();
    let parts: Vec<&str> = cited.iter().map(String::as_str).collect();
    crate::french::join_and(&parts)
}

/// The visas with the delegation's cited after the code's visas, unless one already cites
/// it (typed by hand or loaded with the act); `None` when nothing changes.
pub fn with_delegation_visa(visas: &[Visa], delegation: &Delegation) -> Option<Vec<Visa>> {
    if visas.iter().any(|v| delegation.is_cited_by(&v.text)) {
        return None;
    }
    let after_codes = visas
        .iter()
        .take_while(|v| crate::french::fold(&v.text).contains("code"))
        .count();
    let mut out = visas.to_vec();
    out.insert(
        after_codes,
        Visa {
            text: delegation.visa(),
            reference: Some(VisaReference::Act {
                act_type: "délibération".to_string(),
                number: Some(delegation.number.clone()),
                date: Some(delegation.adopted_on),
                title: Some(delegation.title.clone()),
            }),
        },
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_delegation() -> Delegation {
        Delegation {
            number: "2021-257".into(),
            adopted_on: jiff::civil::date(2021, 7, 1),
            title: "Délégation d’attributions à la Commission Permanente".into(),
            delegating_body: "Conseil départemental".into(),
            in_force_from: jiff::civil::date(2021, 7, 1),
            ends_on: None,
            matters: vec!["3".into(), "7.5".into(), "8".into()],
            award_ceiling: Some(Amount::from_centimes(50_000_000)),
        }
    }

    fn subject(matter: Option<&str>, awards: &[i64], budget: bool) -> ItemSubject {
        ItemSubject {
            matter: matter.map(str::to_string),
            awards: awards
                .iter()
                .map(|&e| Amount::from_centimes(e * 100))
                .collect(),
            budget_decision: budget,
        }
    }

    #[test]
    fn the_seed_award_is_within_the_delegation_and_its_visa_is_the_seeds() {
        let d = seed_delegation();
        let delegations = [d.clone()];
        let date = jiff::civil::date(2023, 11, 20);
        let found = check_item(
            &subject(Some("7.5"), &[120_000], false),
            date,
            &delegations,
            Stage::Vote,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            found.visa(),
            "Vu la délibération n°2021-257 du Conseil départemental en date du 01/07/2021 « Délégation d’attributions à la Commission Permanente » ;"
        );
        assert!(d.is_cited_by(&found.visa()));
        assert!(!d.is_cited_by("Vu la délibération n°2021-2570 du Conseil départemental ;"));
    }

    #[test]
    fn items_outside_the_delegation_are_refused_with_the_reason() {
        let delegations = [seed_delegation()];
        let date = jiff::civil::date(2023, 11, 20);
        // (subject, stage, accepted or a piece of the message)
        let cases = [
            (
                subject(Some("7.5"), &[120_000], false),
                Stage::Vote,
                Ok(true),
            ),
            (subject(Some("3.1"), &[], false), Stage::Vote, Ok(true)),
            (subject(Some("8.2"), &[], false), Stage::Vote, Ok(true)),
            (subject(None, &[120_000], false), Stage::Agenda, Ok(false)),
            (
                subject(None, &[], false),
                Stage::Vote,
                Err("Matière : indiquez"),
            ),
            (
                subject(Some("7.1"), &[], false),
                Stage::Vote,
                Err("CGCT L3211-2"),
            ),
            (
                subject(Some("7.5"), &[], true),
                Stage::Agenda,
                Err("CGCT L3211-2"),
            ),
            (
                subject(Some("7.2"), &[], false),
                Stage::Vote,
                Err("la matière 7.2 Fiscalité n'est pas déléguée"),
            ),
            (
                subject(Some("7.5"), &[600_000], false),
                Stage::Vote,
                Err("dépasse le plafond"),
            ),
        ];
        for (s, stage, expected) in cases {
            let result = check_item(&s, date, &delegations, stage);
            match expected {
                Ok(cited) => assert_eq!(
                    result.as_ref().map(|d| d.is_some()).ok(),
                    Some(cited),
                    "{s:?}: {result:?}"
                ),
                Err(piece) => {
                    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
                    assert!(message.contains(piece), "{s:?}: {message}");
                }
            }
        }
        let before = check_item(
            &subject(Some("7.5"), &[1], false),
            jiff::civil::date(2021, 6, 30),
            &delegations,
            Stage::Vote,
        )
        .unwrap_err();
        assert!(before.to_string().contains("30 juin 2021"), "{before}");
    }

    #[test]
    fn the_budget_is_never_delegated() {
        let mut d = seed_delegation();
        d.matters = vec!["7".into()];
        assert!(d.validate().is_ok());
        assert!(d.covers("7.5"));
        assert!(!d.covers("7.1"));
        d.matters = vec!["7.1".into()];
        let refused = d.validate().unwrap_err().to_string();
        assert!(refused.contains("L3211-2"), "{refused}");
        d.matters = vec!["12.9".into()];
        assert!(d.validate().is_err());
    }

    #[test]
    fn the_visa_goes_after_the_codes_once() {
        let d = seed_delegation();
        let visas: Vec<Visa> = [
            "Vu le Code Général des Collectivités Territoriales ;",
            "Vu le rapport du Président du Conseil départemental, ci-annexé ;",
        ]
        .map(|text| Visa {
            text: text.to_string(),
            reference: None,
        })
        .to_vec();
        let with = with_delegation_visa(&visas, &d).unwrap();
        assert_eq!(with.len(), 3);
        assert!(with[1].text.starts_with("Vu la délibération n°2021-257"));
        assert!(matches!(
            &with[1].reference,
            Some(VisaReference::Act { number: Some(n), .. }) if n == "2021-257"
        ));
        assert_eq!(with_delegation_visa(&with, &d), None);
    }
}
