//! What staff type about the budget's year: a budget decision proposed on an agenda item,
//! and a delegation of the council to the Commission permanente.

use super::{amount_field, date_field, de, non_blank, optional};
use acta_domain::Amount;
use acta_domain::credits::DecisionKind;
use acta_domain::delegation::Delegation;
use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::french::normalize_spaces;
use serde::{Deserialize, Serialize};

/// A budget decision (BP, BS, DM, virement) proposed by an item's report.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct BudgetDecisionInput {
    /// Nature : bp (budget primitif), bs (budget supplémentaire), dm (décision
    /// modificative) ou virement.
    #[serde(rename = "nature", alias = "kind")]
    #[cfg_attr(feature = "cli", arg(long = "kind"))]
    pub kind: String,
    /// Numéro de la décision modificative (1, 2, …).
    #[serde(
        rename = "numero",
        alias = "rank",
        default,
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "rank"))]
    pub rank: Option<String>,
    /// Exercice budgétaire.
    #[serde(rename = "annee", alias = "year", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "year"))]
    pub year: i16,
    /// Articles, un par ligne : « opération = montant », négatif pour retirer des crédits
    /// (ex. « C01-620A06 = 10 000 », « C01-620A06 = -40 000 »).
    #[serde(
        rename = "lignes",
        alias = "lines",
        default,
        deserialize_with = "de::lines"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "line"))]
    pub lines: Vec<String>,
}

/// A budget decision with the item that proposes it (`/api/decisions-budgetaires`).
pub type NewBudgetDecision = super::sittings::OnItem<BudgetDecisionInput>;

/// What a budget decision input says, checked: its kind, number and articles by
/// operation code.
pub struct ParsedDecision {
    pub kind: DecisionKind,
    pub rank: Option<u32>,
    pub lines: Vec<(String, Amount)>,
}

impl BudgetDecisionInput {
    pub fn parse(&self) -> Result<ParsedDecision, DomainError> {
        let mut errors = Errors::new();
        let kind = errors.check(DecisionKind::parse("nature", &self.kind));
        let rank = optional(&mut errors, &self.rank, |r| {
            r.trim().parse::<u32>().map_err(|_| {
                FieldError::new(
                    "numero",
                    format!("Numéro : « {} » n'est pas un numéro (1, 2, …).", r.trim()),
                )
            })
        });
        let mut lines = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let Some((code, amount)) = line.rsplit_once('=') else {
                errors.push(FieldError::new(
                    format!("lignes.{i}"),
                    format!("Lignes : « {line} » ; écrivez « opération = montant »."),
                ));
                continue;
            };
            let code = code.trim().to_uppercase();
            if code.is_empty() {
                errors.push(FieldError::new(
                    format!("lignes.{i}"),
                    format!("Lignes : « {line} » ne nomme pas d'opération."),
                ));
                continue;
            }
            if let Some(amount) = amount_field(&mut errors, &format!("lignes.{i}"), amount) {
                lines.push((code, amount));
            }
        }
        if self.lines.is_empty() {
            errors.push(FieldError::new(
                "lignes",
                "Lignes : indiquez au moins un article « opération = montant ».",
            ));
        }
        errors.into_result()?;
        let kind = kind.ok_or_else(|| DomainError::rule("Décision budgétaire incomplète."))?;
        Ok(ParsedDecision { kind, rank, lines })
    }
}

/// A delegation deliberation of the council to the Commission permanente.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct DelegationInput {
    /// Numéro de la délibération de délégation, ex. 2021-257.
    #[serde(rename = "numero", alias = "number")]
    #[cfg_attr(feature = "cli", arg(long = "number"))]
    pub number: String,
    /// Date de la séance du Conseil départemental qui l'a adoptée.
    #[serde(rename = "date", alias = "adopted_on")]
    #[cfg_attr(feature = "cli", arg(long = "date"))]
    pub adopted_on: String,
    /// Intitulé, ex. « Délégation d’attributions à la Commission Permanente ».
    #[serde(rename = "titre", alias = "title")]
    #[cfg_attr(feature = "cli", arg(long = "title"))]
    pub title: String,
    /// L'instance qui reçoit la délégation (la commission permanente) : nom ou numéro.
    #[serde(rename = "instance", alias = "body")]
    #[cfg_attr(feature = "cli", arg(long = "body"))]
    pub body: String,
    /// Matières ACTES déléguées, une par ligne : famille (« 3 ») ou matière (« 7.5 »).
    #[serde(
        rename = "matieres",
        alias = "matters",
        default,
        deserialize_with = "de::lines"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "matter"))]
    pub matters: Vec<String>,
    /// Plafond d'une attribution décidée par délégation, ex. « 500 000 ».
    #[serde(
        rename = "plafond",
        alias = "award_ceiling",
        default,
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "ceiling"))]
    pub award_ceiling: Option<String>,
    /// En vigueur à partir de (la date d'adoption par défaut).
    #[serde(
        rename = "debut",
        alias = "in_force_from",
        default,
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "from"))]
    pub in_force_from: Option<String>,
    /// Fin de la délégation (renouvellement de l'assemblée, nouvelle délibération).
    #[serde(
        rename = "fin",
        alias = "ends_on",
        default,
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "until"))]
    pub ends_on: Option<String>,
}

impl DelegationInput {
    /// The delegation, given the delegating body's name ("Conseil départemental").
    pub fn parse(&self, delegating_body: &str) -> Result<Delegation, DomainError> {
        let mut errors = Errors::new();
        let adopted_on = date_field(&mut errors, "date", &self.adopted_on);
        let from = optional(&mut errors, &self.in_force_from, |d| {
            acta_domain::french::parse_date("debut", d)
        });
        let ends_on = optional(&mut errors, &self.ends_on, |d| {
            acta_domain::french::parse_date("fin", d)
        });
        let award_ceiling = optional(&mut errors, &self.award_ceiling, |a| {
            Amount::parse_fr("plafond", a)
        });
        let matters: Vec<String> = self
            .matters
            .iter()
            .flat_map(|m| m.split([',', ';']))
            .map(|m| m.split_whitespace().next().unwrap_or("").to_string())
            .filter(|m| !m.is_empty())
            .collect();
        errors.into_result()?;
        let adopted_on = adopted_on.ok_or_else(|| DomainError::rule("Délégation incomplète."))?;
        let delegation = Delegation {
            number: self.number.trim().to_string(),
            adopted_on,
            title: normalize_spaces(&self.title),
            delegating_body: delegating_body.to_string(),
            in_force_from: from.unwrap_or(adopted_on),
            ends_on,
            matters,
            award_ceiling,
        };
        delegation.validate()?;
        Ok(delegation)
    }

    /// The body named, trimmed; empty means the Commission permanente.
    pub fn body_name(&self) -> Option<String> {
        non_blank(&Some(self.body.clone()))
    }
}

/// A programme or commitment authorisation (AP/AE) with its échéancier.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct AuthorisationInput {
    /// Code de l'autorisation, ex. AP-2023-01.
    #[cfg_attr(feature = "cli", arg(long = "code"))]
    pub code: String,
    /// ap (autorisation de programme) ou ae (autorisation d'engagement).
    #[serde(rename = "nature", alias = "kind")]
    #[cfg_attr(feature = "cli", arg(long = "kind", default_value = "ap"))]
    pub kind: String,
    /// Libellé.
    #[serde(rename = "libelle", alias = "label")]
    #[cfg_attr(feature = "cli", arg(long = "label"))]
    pub label: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub envelope: EnvelopeInput,
}

/// The envelope and its échéancier: what an authorisation votes, or a revision changes.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct EnvelopeInput {
    /// Montant de l'autorisation, ex. « 300 000 ».
    #[serde(rename = "montant", alias = "amount", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "amount"))]
    pub amount: String,
    /// Échéancier des crédits de paiement, une ligne « année = montant » par année.
    #[serde(
        rename = "echeancier",
        alias = "schedule",
        default,
        deserialize_with = "de::lines"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "year-credits"))]
    pub schedule: Vec<String>,
}

impl EnvelopeInput {
    pub fn parse(&self) -> Result<(Amount, acta_domain::programme::Yearly), DomainError> {
        let mut errors = Errors::new();
        let amount = amount_field(&mut errors, "montant", &self.amount);
        let schedule = errors.absorb(acta_domain::programme::parse_yearly(
            "echeancier",
            &self.schedule,
        ))?;
        errors.into_result()?;
        match (amount, schedule) {
            (Some(a), Some(s)) => Ok((a, s)),
            _ => Err(DomainError::rule("Autorisation incomplète.")),
        }
    }
}

impl AuthorisationInput {
    pub fn parse(&self) -> Result<acta_domain::programme::Authorisation, DomainError> {
        let mut errors = Errors::new();
        let kind = errors.check(acta_domain::programme::AuthorisationKind::parse(
            "nature", &self.kind,
        ));
        let envelope = errors.absorb(self.envelope.parse())?;
        errors.into_result()?;
        let (Some(kind), Some((amount, schedule))) = (kind, envelope) else {
            return Err(DomainError::rule("Autorisation incomplète."));
        };
        let a = acta_domain::programme::Authorisation {
            code: self.code.trim().to_uppercase(),
            kind,
            label: normalize_spaces(&self.label),
            amount,
            schedule,
            status: acta_domain::programme::AuthorisationStatus::Open,
        };
        a.validate()?;
        Ok(a)
    }
}
