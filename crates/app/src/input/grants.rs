//! What staff type to run a grant: a budget line, an award, its convention and schedule,
//! the signature, documents received, payments, reimbursement decisions and amendments.
//! The command line, the back office's forms and the JSON API all fill these structs; the
//! doc comments of their fields are the French help and descriptions users read.

use super::de;
use crate::AppError;
use acta_domain::Amount;
use acta_domain::convention::{DueRule, Trigger};
use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::french::{fold, normalize_spaces, parse_date};
use acta_domain::ledger::{Payment, ReimbursementGround};
use serde::{Deserialize, Serialize};

/// A budget line as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct NewBudgetLine {
    /// Exercice budgétaire.
    #[serde(
        rename = "annee",
        alias = "year",
        alias = "ligne_annee",
        deserialize_with = "de::number"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "year"))]
    pub year: i16,
    /// Code opération, ex. C01-620A06.
    #[serde(rename = "operation", alias = "operation_code")]
    #[cfg_attr(feature = "cli", arg(long = "operation"))]
    pub operation_code: String,
    /// Libellé de la ligne.
    #[serde(rename = "libelle", alias = "label")]
    #[cfg_attr(feature = "cli", arg(long = "label"))]
    pub label: String,
    /// Imputation compte//fonctionnel, ex. 6568//9361.
    #[cfg_attr(feature = "cli", arg(long))]
    pub imputation: String,
    /// Crédits de paiement votés, ex. « 140 000,00 ».
    #[serde(rename = "vote", alias = "voted", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "voted"))]
    pub voted: String,
}

/// A tranche as entered: an amount ("100 000") or a share ("80 %"), and its trigger.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrancheSpec {
    /// Montant (« 100 000 ») ou part (« 80 % »).
    #[serde(alias = "montant", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    pub amount: String,
    /// Déclencheur du versement.
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub trigger: Trigger,
    #[serde(default, alias = "libelle")]
    pub label: Option<String>,
}

impl TrancheSpec {
    /// Reads "100 000:signature", "100 000:signature:sur-demande",
    /// "20 000:document:rapport d'activités annuel:30/06+1", "50 %:date:2024-03-01".
    pub fn parse(raw: &str) -> Result<TrancheSpec, AppError> {
        let raw = raw.trim();
        let invalid = |why: &str| {
            AppError::Domain(DomainError::field(
                "tranche",
                format!(
                    "Tranche : « {raw} » {why} (exemples : « 100 000:signature », « 20 000:document:rapport d'activités annuel:30/06+1 », « 50 %:date:2024-03-01 »)."
                ),
            ))
        };
        let (amount, rest) = raw
            .split_once(':')
            .ok_or_else(|| invalid("n'a pas de déclencheur"))?;
        let (kind, detail) = rest.split_once(':').unwrap_or((rest, ""));
        let trigger = match fold(kind).as_str() {
            "signature" => Trigger::OnSignature {
                upon_request: matches!(
                    fold(detail).as_str(),
                    "sur-demande" | "sur demande" | "appel"
                ),
            },
            "document" => {
                let (document, due) = match detail.rsplit_once(':') {
                    Some((d, rule)) if rule.contains('/') && rule.contains('+') => (
                        d,
                        Some(due_rule(rule).ok_or_else(|| invalid("a une échéance illisible"))?),
                    ),
                    _ => (detail, None),
                };
                if document.trim().is_empty() {
                    return Err(invalid("ne dit pas quel document"));
                }
                Trigger::OnDocument {
                    document: document.trim().to_string(),
                    due,
                }
            }
            "date" => Trigger::OnDate {
                date: parse_date("tranche.date", detail)?,
            },
            _ => return Err(invalid("a un déclencheur inconnu")),
        };
        Ok(TrancheSpec {
            amount: amount.trim().to_string(),
            trigger,
            label: None,
        })
    }

    /// One tranche per non-blank line.
    pub fn parse_lines<S: AsRef<str>>(lines: &[S]) -> Result<Vec<TrancheSpec>, AppError> {
        lines
            .iter()
            .flat_map(|l| l.as_ref().lines())
            .filter(|l| !l.trim().is_empty())
            .map(TrancheSpec::parse)
            .collect()
    }
}

/// "30/06+1": before 30 June of the following year.
fn due_rule(raw: &str) -> Option<DueRule> {
    let (day_month, years) = raw.trim().split_once('+')?;
    let (day, month) = day_month.split_once('/')?;
    Some(DueRule {
        day: day.trim().parse().ok()?,
        month: month.trim().parse().ok()?,
        years_after: years.trim().parse().ok()?,
    })
}

/// A schedule as a client sends it: the tranches as typed, one per line
/// ("80 %:signature:sur-demande"), or already structured.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ScheduleInput {
    /// Les tranches, une par ligne.
    Lines(String),
    /// Les tranches, une par entrée.
    LineList(Vec<String>),
    /// Les tranches structurées.
    Tranches(Vec<TrancheSpec>),
}

impl Default for ScheduleInput {
    fn default() -> Self {
        ScheduleInput::Tranches(Vec::new())
    }
}

impl ScheduleInput {
    pub fn tranches(&self) -> Result<Vec<TrancheSpec>, AppError> {
        match self {
            ScheduleInput::Lines(text) => TrancheSpec::parse_lines(&[text]),
            ScheduleInput::LineList(lines) => TrancheSpec::parse_lines(lines),
            ScheduleInput::Tranches(list) => Ok(list.clone()),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            ScheduleInput::Lines(text) => text.trim().is_empty(),
            ScheduleInput::LineList(lines) => lines.iter().all(|l| l.trim().is_empty()),
            ScheduleInput::Tranches(list) => list.is_empty(),
        }
    }
}

/// A convention to draw up for an adopted award.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewConvention {
    /// Titre (par défaut « Convention d’objectifs et de partenariat ANNÉE »).
    #[serde(default, rename = "titre", alias = "title")]
    pub title: Option<String>,
    /// Échéancier : une tranche par ligne (« 80 %:signature:sur-demande »,
    /// « 20 000:document:rapport d'activités annuel:30/06+1 », « 50 %:date:2024-03-01 »).
    #[serde(rename = "echeancier", alias = "schedule")]
    pub schedule: ScheduleInput,
    /// Juridiction compétente, ex. « tribunal administratif de LILLE ».
    #[serde(rename = "tribunal", alias = "court")]
    pub court: String,
    /// Comptable assignataire.
    #[serde(default, rename = "comptable", alias = "paying_accountant")]
    pub paying_accountant: Option<String>,
    /// Lieu de signature.
    #[serde(default, rename = "lieu_signature", alias = "signature_place")]
    pub signature_place: Option<String>,
}

/// A date that something happened on: the convention's signature.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SignatureInput {
    /// Date de signature (AAAA-MM-JJ ou JJ/MM/AAAA).
    #[serde(alias = "date_signature")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
}

/// A document received from the beneficiary, which a tranche waits for.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct DocumentInput {
    /// Tranche concernée (1, 2…).
    #[serde(alias = "document_tranche", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub tranche: u32,
    /// Date de réception.
    #[serde(alias = "date_reception")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Le document (ex. « Rapport d'activités 2023 »).
    #[cfg_attr(feature = "cli", arg(long))]
    pub description: String,
}

impl DocumentInput {
    pub fn parse(&self) -> Result<(u32, jiff::civil::Date, String), DomainError> {
        let mut errors = Errors::new();
        let date = errors.check(parse_date("date", &self.date));
        let description = normalize_spaces(&self.description);
        if description.is_empty() {
            errors.push(FieldError::new(
                "description",
                "Document : précisez le document reçu.",
            ));
        }
        errors.into_result()?;
        let date = date.ok_or_else(|| DomainError::rule("Document incomplet."))?;
        Ok((self.tranche, date, description))
    }
}

/// A payment (mandatement) on a tranche.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct PaymentInput {
    /// Tranche payée (1, 2…).
    #[serde(alias = "versement_tranche", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub tranche: u32,
    /// Date du versement.
    #[serde(alias = "date_versement")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Montant versé, ex. « 100 000 » ou « 100 000,00 ».
    #[serde(rename = "montant", alias = "amount", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "amount"))]
    pub amount: String,
    /// Numéro du mandat.
    #[cfg_attr(feature = "cli", arg(long))]
    pub reference: String,
    /// Date du mandat émis par l'ordonnateur (au plus tard le jour du versement).
    #[serde(
        default,
        rename = "date_mandat",
        alias = "mandate_date",
        deserialize_with = "de::opt_text"
    )]
    // A date is documented as a string: a number is refused by the date parser anyway.
    #[cfg_attr(feature = "cli", arg(long = "mandate-date"))]
    pub mandate_date: Option<String>,
}

impl PaymentInput {
    /// The payment, every field checked; all mistakes at once.
    pub fn parse(&self) -> Result<Payment, DomainError> {
        let mut errors = Errors::new();
        let date = errors.check(parse_date("date", &self.date));
        let amount = errors.check(Amount::parse_fr("montant", &self.amount));
        let mandate_date = super::optional(&mut errors, &self.mandate_date, |v| {
            parse_date("date_mandat", v)
        });
        let reference = normalize_spaces(&self.reference);
        if reference.is_empty() {
            errors.push(FieldError::new(
                "reference",
                "Référence : le numéro de mandat est obligatoire.",
            ));
        }
        errors.into_result()?;
        let (Some(date), Some(amount)) = (date, amount) else {
            return Err(DomainError::rule("Versement incomplet."));
        };
        Ok(Payment {
            tranche: self.tranche,
            date,
            amount,
            reference,
            mandate_date,
        })
    }
}

/// A reimbursement decision (titre de recette): its date and exactly one ground.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReimbursementInput {
    /// Date de la décision.
    #[serde(alias = "date_decision")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Remboursement total : no_accounts (absence de comptabilité), unjustified_use
    /// (utilisation injustifiée) ou partnership_not_promoted (partenariat non valorisé).
    #[serde(default, deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub total: Option<String>,
    /// Activité cessée à cette date : prorata temporis.
    #[serde(default, alias = "date_cessation", deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub ceased_on: Option<String>,
    /// Programme réalisé à ce pourcentage, ex. « 75 % ».
    #[serde(default, alias = "taux_execution", deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub executed: Option<String>,
    /// Dépenses retenues (avec les dépenses prévues).
    #[serde(
        default,
        alias = "depenses_retenues",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long, requires = "planned"))]
    pub accepted: Option<String>,
    /// Dépenses prévues.
    #[serde(default, alias = "depenses_prevues", deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub planned: Option<String>,
    /// Numéro du titre de recette.
    #[serde(
        default,
        rename = "titre_recette",
        alias = "title",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "title"))]
    pub receipt_title: Option<String>,
}

impl ReimbursementInput {
    /// The one ground given; the domain reads a total ground's code.
    pub fn ground(&self) -> Result<ReimbursementGround, AppError> {
        Ok(ReimbursementGround::from_typed(
            given(&self.total),
            given(&self.ceased_on),
            given(&self.executed),
            given(&self.accepted),
            given(&self.planned),
        )?)
    }
}

/// A field that was filled in, trimmed.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The termination (résiliation) of a convention: what is still due is cancelled.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct TerminationInput {
    /// Date de la résiliation.
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Motif de la résiliation.
    #[serde(rename = "motif", alias = "reason")]
    #[cfg_attr(feature = "cli", arg(long = "reason"))]
    pub reason: String,
}

/// An amendment as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewAmendment {
    /// Date de signature de l'avenant.
    #[serde(rename = "date", alias = "signed_on", alias = "date_avenant")]
    pub signed_on: String,
    /// Objet de l'avenant.
    #[serde(rename = "objet", alias = "object")]
    pub object: String,
    /// Nouveau montant (facultatif).
    #[serde(
        default,
        rename = "montant",
        alias = "amount",
        alias = "avenant_montant",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    pub amount: Option<String>,
    /// Nouvel échéancier (facultatif), une tranche par ligne.
    #[serde(
        default,
        rename = "echeancier",
        alias = "schedule",
        alias = "avenant_echeancier"
    )]
    pub schedule: Option<ScheduleInput>,
    /// Nouvelle fin de la période d'exécution (facultatif).
    #[serde(
        default,
        rename = "fin_execution",
        alias = "execution_end",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    pub execution_end: Option<String>,
}

impl NewAmendment {
    /// The new schedule, when one was given and is not blank.
    pub fn schedule(&self) -> Result<Option<Vec<TrancheSpec>>, AppError> {
        match &self.schedule {
            Some(s) if !s.is_empty() => s.tranches().map(Some),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acta_domain::convention::ReimbursementReason;

    #[test]
    fn tranche_specs() {
        let t = TrancheSpec::parse("100 000:signature:sur-demande").unwrap();
        assert_eq!(t.amount, "100 000");
        assert_eq!(t.trigger, Trigger::OnSignature { upon_request: true });
        let t = TrancheSpec::parse("20 000:document:rapport d'activités annuel:30/06+1").unwrap();
        assert_eq!(
            t.trigger,
            Trigger::OnDocument {
                document: "rapport d'activités annuel".into(),
                due: Some(DueRule {
                    month: 6,
                    day: 30,
                    years_after: 1
                })
            }
        );
        let t = TrancheSpec::parse("50 %:date:2024-03-01").unwrap();
        assert_eq!(t.amount, "50 %");
        for bad in [
            "100 000",
            "100 000:virement",
            "10:document:",
            "10:date:2024-13-01",
            "10:document:rapport:31/02+x",
        ] {
            assert!(TrancheSpec::parse(bad).is_err(), "{bad}");
        }
        let lines =
            TrancheSpec::parse_lines(&["80 %:signature\n\n 20 %:document:compte rendu\n"]).unwrap();
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn one_reimbursement_ground_at_a_time() {
        let input = |total: &str, ceased: &str, executed: &str, accepted: &str, planned: &str| {
            let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
            ReimbursementInput {
                date: "2024-09-01".into(),
                total: some(total),
                ceased_on: some(ceased),
                executed: some(executed),
                accepted: some(accepted),
                planned: some(planned),
                receipt_title: None,
            }
            .ground()
        };
        assert!(matches!(
            input("no_accounts", "", "", "", ""),
            Ok(ReimbursementGround::Total {
                reason: ReimbursementReason::NoAccounts
            })
        ));
        assert!(matches!(
            input("", "2024-03-31", "", "", ""),
            Ok(ReimbursementGround::ActivityCeased { .. })
        ));
        assert!(matches!(
            input("", "", "75 %", "", ""),
            Ok(ReimbursementGround::PartialExecution { .. })
        ));
        assert!(matches!(
            input("", "", "", "90 000", "120 000"),
            Ok(ReimbursementGround::PartialExecution { .. })
        ));
        assert!(input("", "", "", "", "").is_err(), "no ground");
        assert!(
            input("no_accounts", "2024-03-31", "", "", "").is_err(),
            "two grounds"
        );
        assert!(input("autre", "", "", "", "").is_err());
        assert!(
            input("", "", "", "90 000", "").is_err(),
            "planned is needed"
        );
    }

    #[test]
    fn a_payment_reports_every_mistake_at_once() {
        let err = PaymentInput {
            tranche: 1,
            date: "31/02/2024".into(),
            amount: "cent".into(),
            reference: " ".into(),
            mandate_date: Some("hier".into()),
        }
        .parse()
        .unwrap_err();
        let DomainError::Invalid(list) = err else {
            panic!("field errors expected")
        };
        let fields: Vec<&str> = list.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["date", "montant", "date_mandat", "reference"]);
    }

    #[test]
    fn forms_and_json_fill_the_same_payment() {
        let form: PaymentInput = serde_json::from_value(serde_json::json!({
            "versement_tranche": "1", "date_versement": "2023-12-15",
            "montant": "100 000", "reference": "M-1"
        }))
        .unwrap();
        let json: PaymentInput = serde_json::from_value(serde_json::json!({
            "tranche": 1, "date": "2023-12-15", "montant": "100 000", "reference": "M-1"
        }))
        .unwrap();
        assert_eq!(form.parse().unwrap(), json.parse().unwrap());
    }
}
