//! Conventions with beneficiaries: parties, clauses, amount and payment schedule.

use crate::beneficiary::{BankAccount, Beneficiary};
use crate::collectivity::Service;
use crate::deliberation::{Deliberation, Visa};
use crate::error::{DomainError, Errors, FieldError};
use crate::grant::Award;
use crate::ids::Id;
use crate::money::Amount;
use crate::people::{PersonName, Signatory};
use crate::text::RichText;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConventionStatus {
    Draft,
    Signed,
    InExecution,
    BalancePaid,
    Closed,
    Terminated,
}

impl ConventionStatus {
    pub const ALL: [ConventionStatus; 6] = [
        ConventionStatus::Draft,
        ConventionStatus::Signed,
        ConventionStatus::InExecution,
        ConventionStatus::BalancePaid,
        ConventionStatus::Closed,
        ConventionStatus::Terminated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConventionStatus::Draft => "draft",
            ConventionStatus::Signed => "signed",
            ConventionStatus::InExecution => "in_execution",
            ConventionStatus::BalancePaid => "balance_paid",
            ConventionStatus::Closed => "closed",
            ConventionStatus::Terminated => "terminated",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ConventionStatus::Draft => "projet",
            ConventionStatus::Signed => "signée",
            ConventionStatus::InExecution => "en exécution",
            ConventionStatus::BalancePaid => "solde versé",
            ConventionStatus::Closed => "close",
            ConventionStatus::Terminated => "résiliée",
        }
    }
}

/// When a document is due: "avant le 30 juin de l'année n+1" is `{ month: 6, day: 30,
/// years_after: 1 }`, counted from the convention's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRule {
    pub month: i8,
    pub day: i8,
    pub years_after: i16,
}

impl DueRule {
    pub fn due_date(self, convention_year: i16) -> Result<Date, DomainError> {
        let year = convention_year
            .checked_add(self.years_after)
            .ok_or_else(|| DomainError::rule("Échéance : année hors limites."))?;
        Date::new(year, self.month, self.day).map_err(|_| {
            DomainError::field(
                "echeance",
                format!(
                    "Échéance : le {}/{} n'existe pas en {year}.",
                    self.day, self.month
                ),
            )
        })
    }
}

/// What releases a tranche.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Trigger {
    /// "à la signature de la convention sur appel à versement".
    OnSignature { upon_request: bool },
    /// "sur présentation d'un rapport d'activités annuel …", due by a date.
    OnDocument {
        document: String,
        due: Option<DueRule>,
    },
    /// On a fixed date.
    OnDate { date: Date },
}

/// One payment of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tranche {
    pub amount: Amount,
    pub trigger: Trigger,
    /// The wording of the schedule line, when it says more than the trigger ("le solde").
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReimbursementKind {
    /// "remboursement total".
    Total,
    /// "remboursement partiel".
    Partial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReimbursementReason {
    /// "absence totale de comptabilité".
    NoAccounts,
    /// "utilisation injustifiée ou anormale de la participation".
    UnjustifiedUse,
    /// "ne valorise pas le partenariat du Département".
    PartnershipNotPromoted,
    /// "a cessé son activité (application de la règle du prorata temporis)".
    ActivityCeased,
    /// "le programme n'aura été réalisé que partiellement".
    PartialExecution,
}

impl ReimbursementReason {
    /// The grounds of a total reimbursement, as a decision names them.
    pub const TOTAL: [ReimbursementReason; 3] = [
        ReimbursementReason::NoAccounts,
        ReimbursementReason::UnjustifiedUse,
        ReimbursementReason::PartnershipNotPromoted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReimbursementReason::NoAccounts => "no_accounts",
            ReimbursementReason::UnjustifiedUse => "unjustified_use",
            ReimbursementReason::PartnershipNotPromoted => "partnership_not_promoted",
            ReimbursementReason::ActivityCeased => "activity_ceased",
            ReimbursementReason::PartialExecution => "partial_execution",
        }
    }

    /// As decisions and forms word it, lower case ("absence totale de comptabilité").
    pub fn label(self) -> &'static str {
        match self {
            ReimbursementReason::NoAccounts => "absence totale de comptabilité",
            ReimbursementReason::UnjustifiedUse => "utilisation injustifiée ou anormale de l'aide",
            ReimbursementReason::PartnershipNotPromoted => {
                "partenariat du Département non valorisé"
            }
            ReimbursementReason::ActivityCeased => "cessation d'activité",
            ReimbursementReason::PartialExecution => "programme réalisé partiellement",
        }
    }

    /// A total ground by its code; the refusal lists the codes.
    pub fn parse_total(field: &str, code: &str) -> Result<Self, crate::FieldError> {
        let code = code.trim();
        Self::TOTAL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| {
                crate::FieldError::new(
                    field,
                    format!(
                        "Motif : « {code} » (attendu : {}).",
                        Self::TOTAL.map(|r| r.code()).join(", ")
                    ),
                )
            })
    }

    /// The kind of reimbursement the seed's article 5 attaches to each case.
    pub fn kind(self) -> ReimbursementKind {
        match self {
            ReimbursementReason::NoAccounts
            | ReimbursementReason::UnjustifiedUse
            | ReimbursementReason::PartnershipNotPromoted => ReimbursementKind::Total,
            ReimbursementReason::ActivityCeased | ReimbursementReason::PartialExecution => {
                ReimbursementKind::Partial
            }
        }
    }
}

/// One case of reimbursement listed in the convention, with its wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReimbursementCase {
    pub reason: ReimbursementReason,
    pub text: String,
}

/// One shared objective of article 2: "1) Sensibiliser et accompagner …" and its actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedObjective {
    pub title: String,
    pub actions: Vec<String>,
}

/// One axis of the beneficiary's action programme (article 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeAxis {
    pub title: String,
    pub body: RichText,
}

/// Who signs for the Département, and by what authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRepresentative {
    pub name: PersonName,
    /// "Président du Conseil départemental".
    pub capacity: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Convention {
    pub award: Id<Award>,
    /// The deliberation that approved it and authorised its signature.
    pub deliberation: Id<Deliberation>,
    pub beneficiary: Id<Beneficiary>,
    /// "Convention d'objectifs et de partenariat 2023".
    pub title: String,
    /// The "Objet :" line of the header.
    pub subject: String,
    /// The year it is concluded for.
    pub year: i16,
    pub amount: Amount,
    pub pole: Option<Id<Service>>,
    pub direction: Option<Id<Service>>,
    pub department_representative: DepartmentRepresentative,
    pub visas: Vec<Visa>,
    pub preamble: RichText,
    /// Article 1.
    pub object: RichText,
    /// Article 2: introduction and objectives.
    pub objectives_intro: String,
    pub objectives: Vec<SharedObjective>,
    /// Article 3: introduction, axes, then the beneficiary's other commitments.
    pub programme_intro: String,
    pub programme: Vec<ProgrammeAxis>,
    pub beneficiary_commitments: Vec<String>,
    /// Article 5: the schedule and the account to pay.
    pub schedule: Vec<Tranche>,
    pub bank_account: Option<Id<BankAccount>>,
    /// "Monsieur le Payeur départemental du Pas-de-Calais (comptable assignataire de la
    /// dépense)".
    pub paying_accountant: String,
    pub reimbursement_cases: Vec<ReimbursementCase>,
    /// Article 6: no tacit renewal; execution may continue for the financial clearance.
    pub tacit_renewal: bool,
    /// Article 8: "tribunal administratif de LILLE".
    pub court: String,
    /// Article 9.
    pub communication: RichText,
    /// Article 10.
    pub image_rights: RichText,
    /// "A Arras, le …", "En 2 exemplaires".
    pub signature_place: String,
    pub copies: u32,
    pub signatories: Vec<Signatory>,
    pub status: ConventionStatus,
    pub signed_on: Option<Date>,
    /// Execution may continue past the year for the financial clearance (article 6); an
    /// amendment can set when it ends.
    #[serde(default)]
    pub execution_end: Option<Date>,
}

impl Convention {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(
                "titre",
                "Titre : le titre de la convention est obligatoire.",
            ));
        }
        if self.amount.centimes() <= 0 {
            errors.push(FieldError::new(
                "montant",
                "Montant : le montant de la convention doit être positif.",
            ));
        }
        if self.court.trim().is_empty() {
            errors.push(FieldError::new(
                "tribunal",
                "Tribunal : la juridiction compétente est obligatoire.",
            ));
        }
        if self.copies == 0 {
            errors.push(FieldError::new(
                "exemplaires",
                "Exemplaires : au moins un exemplaire.",
            ));
        }
        if self.tacit_renewal {
            errors.push(FieldError::new(
                "tacite_reconduction",
                "Tacite reconduction : une convention annuelle ne se reconduit pas tacitement.",
            ));
        }
        if let Err(e) = schedule_matches_amount(&self.schedule, self.amount) {
            errors.push(FieldError::new("echeancier", e.to_string()));
        }
        for (i, t) in self.schedule.iter().enumerate() {
            if let Trigger::OnDocument {
                due: Some(rule), ..
            } = &t.trigger
                && let Err(e) = rule.due_date(self.year)
            {
                errors.push(FieldError::new(
                    format!("echeancier.{i}.echeance"),
                    e.to_string(),
                ));
            }
        }
        if let (ConventionStatus::Draft, Some(_)) = (self.status, self.signed_on) {
            errors.push(FieldError::new(
                "date_signature",
                "Date signature : un projet de convention n'a pas de date de signature.",
            ));
        }
        errors.into_result()
    }

    /// The date by which each document-triggered tranche's document is due.
    pub fn document_due_dates(&self) -> Vec<(usize, Date)> {
        self.schedule
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match &t.trigger {
                Trigger::OnDocument {
                    due: Some(rule), ..
                } => rule.due_date(self.year).ok().map(|d| (i, d)),
                _ => None,
            })
            .collect()
    }
}

/// Tranches must add up exactly to the amount, each being positive.
pub fn schedule_matches_amount(schedule: &[Tranche], amount: Amount) -> Result<(), DomainError> {
    if schedule.is_empty() {
        return Err(DomainError::rule(
            "Échéancier : au moins une tranche est nécessaire.",
        ));
    }
    if let Some(t) = schedule.iter().find(|t| t.amount.centimes() <= 0) {
        return Err(DomainError::rule(format!(
            "Échéancier : une tranche de {} n'est pas un versement.",
            t.amount.format_euros_fr()
        )));
    }
    let total = Amount::checked_sum(schedule.iter().map(|t| t.amount))
        .ok_or_else(|| DomainError::rule("Échéancier : total hors limites."))?;
    if total != amount {
        return Err(DomainError::rule(format!(
            "Échéancier : les tranches totalisent {} au lieu de {}.",
            total.format_euros_fr(),
            amount.format_euros_fr()
        )));
    }
    Ok(())
}

impl Trigger {
    /// The trigger as the schedule states it, with the due date computed for the
    /// convention's year.
    pub fn describe(&self, convention_year: i16) -> String {
        match self {
            Trigger::OnSignature { upon_request: true } => {
                "à la signature de la convention sur appel à versement".to_string()
            }
            Trigger::OnSignature {
                upon_request: false,
            } => "à la signature de la convention".to_string(),
            Trigger::OnDocument { document, due } => {
                let due = due
                    .and_then(|rule| rule.due_date(convention_year).ok())
                    .map(|d| {
                        format!(
                            " (à adresser avant le {})",
                            crate::french::format_date_long(d)
                        )
                    })
                    .unwrap_or_default();
                format!("sur présentation d'un {document}{due}")
            }
            Trigger::OnDate { date } => format!("le {}", crate::french::format_date_long(*date)),
        }
    }
}

/// The reimbursement cases of the seed's article 5, worded for a beneficiary: the standard
/// clauses a new convention starts with.
pub fn standard_reimbursement_cases(beneficiary: &str) -> Vec<ReimbursementCase> {
    vec![
        ReimbursementCase {
            reason: ReimbursementReason::NoAccounts,
            text: format!("dès lors qu’il sera établi l’absence totale de comptabilité au niveau de {beneficiary} ;"),
        },
        ReimbursementCase {
            reason: ReimbursementReason::UnjustifiedUse,
            text: "dès lors que les pièces produites révèleraient une utilisation injustifiée ou anormale de la participation départementale ;".to_string(),
        },
        ReimbursementCase {
            reason: ReimbursementReason::PartnershipNotPromoted,
            text: format!("ou dès lors qu’il sera établi que {beneficiary} ne valorise pas le partenariat du Département tel que défini dans les conventions."),
        },
        ReimbursementCase {
            reason: ReimbursementReason::ActivityCeased,
            text: format!("dès lors qu’il aura été porté à la connaissance du Département que {beneficiary} a cessé son activité (application de la règle du prorata temporis) ;"),
        },
        ReimbursementCase {
            reason: ReimbursementReason::PartialExecution,
            text: "dès lors que le programme n’aura été réalisé que partiellement.".to_string(),
        },
    ]
}

impl ConventionStatus {
    /// Draft → signed: the date must not precede the deliberation that approved it.
    pub fn sign(self, signed_on: Date, approved_on: Date) -> Result<ConventionStatus, DomainError> {
        if self != ConventionStatus::Draft {
            return Err(DomainError::rule(format!(
                "Signature refusée : la convention est déjà {}.",
                self.label()
            )));
        }
        if signed_on < approved_on {
            return Err(DomainError::field(
                "date_signature",
                format!(
                    "Date signature : le {} précède la délibération qui autorise la signature ({}).",
                    crate::french::format_date_long(signed_on),
                    crate::french::format_date_long(approved_on)
                ),
            ));
        }
        Ok(ConventionStatus::Signed)
    }

    /// Balance paid or terminated → closed.
    pub fn close(
        self,
        remaining_due: crate::money::Amount,
    ) -> Result<ConventionStatus, DomainError> {
        match self {
            ConventionStatus::BalancePaid | ConventionStatus::Terminated => {
                Ok(ConventionStatus::Closed)
            }
            ConventionStatus::Closed => Err(DomainError::rule("La convention est déjà close.")),
            other => Err(DomainError::rule(format!(
                "Clôture refusée : la convention est {} et il reste {} à verser ; soldez-la ou résiliez-la d'abord.",
                other.label(),
                remaining_due.format_euros_fr()
            ))),
        }
    }
}

/// How and when a convention pays, as SCDL's subsidies file states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentTerms {
    /// "unique" or "échelonné".
    pub conditions: &'static str,
    /// "2023-12-01" or "2023-12-01/2024-06-30".
    pub period: String,
}

impl Convention {
    /// One tranche is "unique", several "échelonné"; the period runs from the first date
    /// a tranche can be paid (signature, a fixed date) to the last (a document's due date,
    /// a fixed date).
    pub fn payment_terms(&self, decided_on: Date) -> PaymentTerms {
        let start = self.signed_on.unwrap_or(decided_on);
        let dates: Vec<Date> = self
            .schedule
            .iter()
            .map(|t| match &t.trigger {
                Trigger::OnSignature { .. } => start,
                Trigger::OnDocument { due, .. } => due
                    .and_then(|r| r.due_date(self.year).ok())
                    .unwrap_or(start),
                Trigger::OnDate { date } => *date,
            })
            .collect();
        let first = dates.iter().copied().min().unwrap_or(start).max(start);
        let last = dates.iter().copied().max().unwrap_or(start).max(first);
        PaymentTerms {
            conditions: if self.schedule.len() > 1 {
                "échelonné"
            } else {
                "unique"
            },
            period: if first == last {
                first.to_string()
            } else {
                format!("{first}/{last}")
            },
        }
    }
}

/// A convention is signed on a day that has come: a signature dated in the future (the
/// seed's convention "signed" on 31 December 9999) is a typing mistake.
pub fn check_signature_date(
    signed_on: jiff::civil::Date,
    today: jiff::civil::Date,
) -> Result<(), crate::error::DomainError> {
    if signed_on > today {
        return Err(crate::error::DomainError::field(
            "date",
            format!(
                "Date de signature : le {} n'est pas encore arrivé.",
                crate::french::format_date_long(signed_on)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod signature_date_tests {
    use super::*;

    #[test]
    fn a_convention_is_not_signed_in_the_future() {
        let today = jiff::civil::date(2026, 12, 4);
        assert!(check_signature_date(jiff::civil::date(2023, 12, 1), today).is_ok());
        assert!(check_signature_date(today, today).is_ok());
        let err = check_signature_date(jiff::civil::date(9999, 12, 31), today).unwrap_err();
        assert!(err.to_string().contains("n'est pas encore arrivé"), "{err}");
    }
}
