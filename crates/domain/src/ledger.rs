//! The execution of a grant: which tranches are released, payments, documents received,
//! reimbursement decisions (titres de recette) and amendments. Every amount is computed
//! here from the facts; nothing paid can exceed a tranche or the award, and a
//! reimbursement never exceeds what was paid.

use crate::convention::{
    Convention, ConventionStatus, ReimbursementReason, Tranche, Trigger, schedule_matches_amount,
};
use crate::error::{DomainError, FieldError};
use crate::french::format_date_long;
use crate::money::{Amount, BasisPoints, format_percentage};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Above this annual amount, a subsidy needs a convention (loi 2000-321 art. 10, décret
/// 2001-495 art. 1).
pub const CONVENTION_THRESHOLD: Amount = Amount::from_centimes(2_300_000);

/// A payment (mandatement) on a tranche.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Position of the tranche, from 1.
    pub tranche: u32,
    pub date: Date,
    pub amount: Amount,
    /// The mandat's reference.
    pub reference: String,
    /// The date of the mandat (payment order) the ordonnateur issued, before the payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_date: Option<Date>,
}

/// A document received (activity report, accounts…) that releases a tranche.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentReceipt {
    pub tranche: u32,
    pub received_on: Date,
    pub description: String,
}

/// How much of the programme was carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum Execution {
    Percentage {
        basis_points: BasisPoints,
    },
    /// Expenses accepted against the expenses planned in the application.
    AcceptedExpenses {
        accepted: Amount,
        planned: Amount,
    },
}

/// Why the grant is reduced, as the convention's article 5 lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "ground")]
pub enum ReimbursementGround {
    /// No accounts, unjustified or abnormal use, partnership not promoted: all of it.
    Total { reason: ReimbursementReason },
    /// Activity ceased: prorata temporis over the convention's year.
    ActivityCeased { ceased_on: Date },
    /// Programme partly carried out: prorata of execution.
    PartialExecution { execution: Execution },
    /// Terminated without reimbursement: what is still due is cancelled.
    Termination { reason: String },
}

impl ReimbursementGround {
    /// The one ground staff typed: a total ground's code, a date of cessation, a rate of
    /// execution, or the expenses accepted against those planned. Refuses none or several.
    pub fn from_typed(
        total: Option<&str>,
        ceased_on: Option<&str>,
        executed: Option<&str>,
        accepted: Option<&str>,
        planned: Option<&str>,
    ) -> Result<ReimbursementGround, crate::DomainError> {
        let chosen = [total, ceased_on, executed, accepted]
            .iter()
            .filter(|x| x.is_some())
            .count();
        if chosen != 1 {
            return Err(crate::DomainError::rule(
                "Reversement : choisissez un seul motif : remboursement total, cessation d'activité, taux d'exécution, ou dépenses retenues avec les dépenses prévues.",
            ));
        }
        if let Some(code) = total {
            return Ok(ReimbursementGround::Total {
                reason: ReimbursementReason::parse_total("total", code)?,
            });
        }
        if let Some(d) = ceased_on {
            return Ok(ReimbursementGround::ActivityCeased {
                ceased_on: crate::french::parse_date("date_cessation", d)?,
            });
        }
        if let Some(p) = executed {
            return Ok(ReimbursementGround::PartialExecution {
                execution: Execution::Percentage {
                    basis_points: crate::money::parse_percentage("taux_execution", p)?,
                },
            });
        }
        Ok(ReimbursementGround::PartialExecution {
            execution: Execution::AcceptedExpenses {
                accepted: Amount::parse_fr("depenses_retenues", accepted.unwrap_or(""))?,
                planned: Amount::parse_fr("depenses_prevues", planned.unwrap_or(""))?,
            },
        })
    }
}

/// A decision on what the beneficiary keeps and gives back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReimbursementDecision {
    pub decided_on: Date,
    pub ground: ReimbursementGround,
    /// What the beneficiary is entitled to in the end.
    pub entitled: Amount,
    pub paid: Amount,
    /// The titre de recette: paid beyond the entitlement.
    pub to_recover: Amount,
    /// Payments still due that are cancelled.
    pub cancelled_due: Amount,
    pub explanation: String,
}

/// What a payment needs to know of the convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionFacts {
    pub status: ConventionStatus,
    pub signed_on: Option<Date>,
}

/// A grant and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub amount: Amount,
    pub schedule: Vec<Tranche>,
    /// The year the grant is for (the convention's period).
    pub year: i16,
    /// Date of the deliberation that awarded it.
    pub decided_on: Date,
    pub convention: Option<ConventionFacts>,
    /// Everything adopted for the beneficiary this year, for the convention threshold.
    pub annual_total: Amount,
    pub has_bank_account: bool,
    pub payments: Vec<Payment>,
    pub receipts: Vec<DocumentReceipt>,
    pub decisions: Vec<ReimbursementDecision>,
}

/// What stands between a tranche and its payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TrancheWait {
    /// Paid or cancelled in full.
    Settled,
    /// Every condition is met: the Département may pay it.
    Payable,
    /// The first condition not met, in French.
    Waiting(String),
}

/// One tranche as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrancheState {
    pub position: u32,
    pub scheduled: Amount,
    pub paid: Amount,
    pub cancelled: Amount,
    pub remaining: Amount,
    pub document_due: Option<Date>,
    pub document_received: Option<Date>,
}

/// A document expected and not received in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueDocument {
    pub tranche: u32,
    pub document: String,
    pub due: Date,
    pub days_late: i32,
    pub amount_waiting: Amount,
}

fn euros(a: Amount) -> String {
    a.format_euros_fr()
}

/// Splits an amount by shares in basis points (summing to 100 %); each tranche is rounded
/// down to the centime and the last takes the remainder, so the tranches add up exactly.
pub fn split_by_percentages(
    amount: Amount,
    shares: &[BasisPoints],
) -> Result<Vec<Amount>, DomainError> {
    let total: u32 = shares.iter().sum();
    if shares.is_empty() || total != 10_000 {
        return Err(DomainError::field(
            "echeancier",
            format!(
                "Échéancier : les pourcentages totalisent {} au lieu de 100 %.",
                format_percentage(total)
            ),
        ));
    }
    let mut out = Vec::with_capacity(shares.len());
    let mut given = Amount::ZERO;
    for (i, &share) in shares.iter().enumerate() {
        let part = if i + 1 == shares.len() {
            amount
                .checked_sub(given)
                .ok_or_else(|| DomainError::rule("Montants hors limites."))?
        } else {
            amount
                .prorata_floor(i64::from(share), 10_000)
                .ok_or_else(|| DomainError::rule("Montants hors limites."))?
        };
        given = given
            .checked_add(part)
            .ok_or_else(|| DomainError::rule("Montants hors limites."))?;
        out.push(part);
    }
    Ok(out)
}

fn period(year: i16) -> Result<(Date, Date), DomainError> {
    let start = Date::new(year, 1, 1).map_err(|_| DomainError::rule("Année hors limites."))?;
    let end = Date::new(year, 12, 31).map_err(|_| DomainError::rule("Année hors limites."))?;
    Ok((start, end))
}

fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|s| s.get_days()).unwrap_or(0)
}

impl Ledger {
    pub fn paid(&self) -> Amount {
        self.payments.iter().map(|p| p.amount).sum()
    }

    /// What the beneficiary may receive in all: the amount, or less after a decision.
    pub fn entitled(&self) -> Amount {
        self.decisions
            .last()
            .map_or(self.amount, |d| d.entitled.min(self.amount))
    }

    pub fn recovered(&self) -> Amount {
        self.decisions.iter().map(|d| d.to_recover).sum()
    }

    /// Still to pay: the entitlement less what was paid.
    pub fn remaining_due(&self) -> Amount {
        let left = self.entitled().checked_sub(self.paid()).unwrap_or_default();
        if left.is_negative() {
            Amount::ZERO
        } else {
            left
        }
    }

    fn received(&self, tranche: u32) -> Option<Date> {
        self.receipts
            .iter()
            .filter(|r| r.tranche == tranche)
            .map(|r| r.received_on)
            .min()
    }

    /// Each tranche: scheduled, paid, cancelled (from the last tranche back, when the
    /// entitlement was reduced) and remaining.
    pub fn tranches(&self) -> Vec<TrancheState> {
        let mut states: Vec<TrancheState> = self
            .schedule
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let paid: Amount = self
                    .payments
                    .iter()
                    .filter(|p| p.tranche == position)
                    .map(|p| p.amount)
                    .sum();
                let remaining = t.amount.checked_sub(paid).unwrap_or_default();
                TrancheState {
                    position,
                    scheduled: t.amount,
                    paid,
                    cancelled: Amount::ZERO,
                    remaining: if remaining.is_negative() {
                        Amount::ZERO
                    } else {
                        remaining
                    },
                    document_due: match &t.trigger {
                        Trigger::OnDocument {
                            due: Some(rule), ..
                        } => rule.due_date(self.year).ok(),
                        _ => None,
                    },
                    document_received: self.received(position),
                }
            })
            .collect();
        let open: Amount = states.iter().map(|s| s.remaining).sum();
        let mut excess = open.checked_sub(self.remaining_due()).unwrap_or_default();
        for s in states.iter_mut().rev() {
            if excess.centimes() <= 0 {
                break;
            }
            let cut = s.remaining.min(excess);
            s.cancelled = cut;
            s.remaining = s.remaining.checked_sub(cut).unwrap_or_default();
            excess = excess.checked_sub(cut).unwrap_or_default();
        }
        states
    }

    /// Checks a payment of `amount` on tranche `position` on `date`.
    /// What a tranche waits for on `today`, as the beneficiary reads it: nothing left to
    /// pay, payable now, or the first condition not yet met (the same rules as
    /// [`Ledger::check_payment`], asked for what remains of the tranche).
    pub fn waiting_for(&self, position: u32, today: Date) -> TrancheWait {
        let Some(state) = self.tranches().into_iter().find(|t| t.position == position) else {
            return TrancheWait::Settled;
        };
        if state.remaining.is_zero() {
            return TrancheWait::Settled;
        }
        let probe = Payment {
            tranche: position,
            date: today,
            amount: state.remaining,
            reference: String::new(),
            mandate_date: None,
        };
        match self.check_payment(&probe) {
            Ok(()) => TrancheWait::Payable,
            Err(e) => {
                let text = e.to_string();
                let text = text
                    .strip_prefix("Versement refusé : ")
                    .unwrap_or(&text)
                    .to_string();
                TrancheWait::Waiting(text)
            }
        }
    }

    pub fn check_payment(&self, payment: &Payment) -> Result<(), DomainError> {
        let (position, date, amount) = (payment.tranche, payment.date, payment.amount);
        if amount.centimes() <= 0 {
            return Err(FieldError::new("montant", "Montant : un versement est positif.").into());
        }
        if !self.has_bank_account {
            return Err(DomainError::rule(
                "Versement refusé : aucun compte bancaire (RIB) n'est enregistré pour le bénéficiaire ; le versement ne peut intervenir qu'après la production d'un relevé d'identité bancaire.",
            ));
        }
        if date < self.decided_on {
            return Err(DomainError::rule(format!(
                "Versement refusé : il précède la délibération du {}.",
                format_date_long(self.decided_on)
            )));
        }
        if let Some(mandate) = payment.mandate_date {
            if mandate > date {
                return Err(FieldError::new(
                    "date_mandat",
                    format!(
                        "Date du mandat : le mandat du {} suit le versement du {} ; il le précède.",
                        format_date_long(mandate),
                        format_date_long(date)
                    ),
                )
                .into());
            }
            if mandate < self.decided_on {
                return Err(FieldError::new(
                    "date_mandat",
                    format!(
                        "Date du mandat : le mandat du {} précède la délibération du {}.",
                        format_date_long(mandate),
                        format_date_long(self.decided_on)
                    ),
                )
                .into());
            }
        }
        if self.annual_total > CONVENTION_THRESHOLD {
            match &self.convention {
                Some(c) if c.signed_on.is_some_and(|s| s <= date) => {}
                Some(_) | None => {
                    return Err(DomainError::rule(format!(
                        "Versement refusé : le bénéficiaire reçoit {} en {}, au-delà de 23 000 € par an ; une convention signée est obligatoire avant tout versement (loi n° 2000-321, article 10).",
                        euros(self.annual_total),
                        self.year
                    )));
                }
            }
        }
        if let Some(c) = &self.convention {
            match c.status {
                ConventionStatus::Signed | ConventionStatus::InExecution => {}
                ConventionStatus::Draft => {
                    return Err(DomainError::rule(
                        "Versement refusé : la convention n'est pas signée.",
                    ));
                }
                other => {
                    return Err(DomainError::rule(format!(
                        "Versement refusé : la convention est à l'état « {} ».",
                        other.label()
                    )));
                }
            }
        }
        let index = usize::try_from(position).unwrap_or(0);
        let Some(tranche) = index.checked_sub(1).and_then(|i| self.schedule.get(i)) else {
            return Err(FieldError::new(
                "tranche",
                format!(
                    "Tranche : l'échéancier compte {} tranche(s), pas de tranche n°{position}.",
                    self.schedule.len()
                ),
            )
            .into());
        };
        match &tranche.trigger {
            Trigger::OnSignature { upon_request } => {
                if *upon_request && self.received(position).is_none_or(|r| r > date) {
                    return Err(DomainError::rule(format!(
                        "Versement refusé : la tranche n°{position} est versée sur appel à versement du bénéficiaire ; enregistrez d'abord sa demande (document reçu)."
                    )));
                }
                let signed_by_then = self
                    .convention
                    .as_ref()
                    .and_then(|c| c.signed_on)
                    .is_some_and(|s| s <= date);
                if self.convention.is_some() && !signed_by_then {
                    return Err(DomainError::rule(format!(
                        "Versement refusé : la tranche n°{position} est due à la signature de la convention, qui n'est pas signée à cette date."
                    )));
                }
            }
            Trigger::OnDocument { document, .. } => {
                if self.received(position).is_none_or(|r| r > date) {
                    return Err(DomainError::rule(format!(
                        "Versement refusé : la tranche n°{position} attend la réception du {document}."
                    )));
                }
            }
            Trigger::OnDate { date: due } => {
                if date < *due {
                    return Err(DomainError::rule(format!(
                        "Versement refusé : la tranche n°{position} est payable à partir du {}.",
                        format_date_long(*due)
                    )));
                }
            }
        }
        let state = &self.tranches()[index - 1];
        if amount > state.remaining {
            return Err(DomainError::rule(format!(
                "Versement refusé : {} dépasse ce qui reste sur la tranche n°{position} ({} prévus, {} versés{}, reste {}).",
                euros(amount),
                euros(state.scheduled),
                euros(state.paid),
                if state.cancelled.is_zero() {
                    String::new()
                } else {
                    format!(", {} annulés", euros(state.cancelled))
                },
                euros(state.remaining)
            )));
        }
        Ok(())
    }

    /// Checks that a document can be recorded for a tranche: the document it waits for,
    /// or the beneficiary's request for payment ("appel à versement").
    pub fn check_receipt(&self, position: u32) -> Result<(), DomainError> {
        let index = usize::try_from(position).unwrap_or(0);
        match index.checked_sub(1).and_then(|i| self.schedule.get(i)) {
            Some(Tranche {
                trigger: Trigger::OnDocument { .. } | Trigger::OnSignature { upon_request: true },
                ..
            }) => Ok(()),
            Some(_) => Err(DomainError::rule(format!(
                "Document : la tranche n°{position} n'attend pas de document."
            ))),
            None => Err(FieldError::new(
                "tranche",
                format!("Tranche : pas de tranche n°{position}."),
            )
            .into()),
        }
    }

    /// Documents awaited past their due date, for tranches still to pay.
    pub fn overdue_documents(&self, today: Date) -> Vec<OverdueDocument> {
        if matches!(
            self.convention.as_ref().map(|c| c.status),
            Some(ConventionStatus::Closed | ConventionStatus::Terminated | ConventionStatus::Draft)
        ) {
            return Vec::new();
        }
        self.tranches()
            .into_iter()
            .zip(&self.schedule)
            .filter_map(
                |(state, tranche)| match (&tranche.trigger, state.document_due) {
                    (Trigger::OnDocument { document, .. }, Some(due))
                        if due < today
                            && state.document_received.is_none()
                            && !state.remaining.is_zero() =>
                    {
                        Some(OverdueDocument {
                            tranche: state.position,
                            document: document.clone(),
                            due,
                            days_late: days_between(due, today),
                            amount_waiting: state.remaining,
                        })
                    }
                    _ => None,
                },
            )
            .collect()
    }

    /// Computes a reimbursement decision: what the beneficiary keeps, what it gives back,
    /// and what is no longer due, explained in French.
    pub fn decide(
        &self,
        ground: ReimbursementGround,
        decided_on: Date,
    ) -> Result<ReimbursementDecision, DomainError> {
        if !self.decisions.is_empty() {
            return Err(DomainError::rule(
                "Reversement : une décision a déjà réglé cette aide ; elle est définitive.",
            ));
        }
        if let Some(c) = &self.convention
            && c.status == ConventionStatus::Draft
        {
            return Err(DomainError::rule(
                "Reversement : la convention n'est pas signée ; il n'y a rien à reverser.",
            ));
        }
        let amount = self.amount;
        let paid = self.paid();
        let (entitled, reason) = match &ground {
            ReimbursementGround::Total { reason } => {
                if reason.kind() != crate::convention::ReimbursementKind::Total {
                    return Err(DomainError::rule(
                        "Reversement : ce motif appelle un remboursement partiel (cessation d'activité ou exécution partielle).",
                    ));
                }
                (
                    Amount::ZERO,
                    format!("remboursement total ({})", reason.label()),
                )
            }
            ReimbursementGround::ActivityCeased { ceased_on } => {
                let (start, end) = period(self.year)?;
                if *ceased_on > end {
                    return Err(DomainError::field(
                        "date_cessation",
                        format!(
                            "Date de cessation : le {} est après la période de la convention ({}) ; pas de prorata.",
                            format_date_long(*ceased_on),
                            self.year
                        ),
                    ));
                }
                let period_days = days_between(start, end) + 1;
                let active = if *ceased_on < start {
                    0
                } else {
                    days_between(start, *ceased_on) + 1
                };
                let entitled = amount
                    .prorata_floor(i64::from(active), i64::from(period_days))
                    .ok_or_else(|| DomainError::rule("Montants hors limites."))?;
                (
                    entitled,
                    format!(
                        "activité cessée le {} : {active} jours d'activité sur {period_days} ({}) ; aide due au prorata temporis : {} × {active}/{period_days} = {}",
                        format_date_long(*ceased_on),
                        self.year,
                        euros(amount),
                        euros(entitled)
                    ),
                )
            }
            ReimbursementGround::PartialExecution { execution } => match execution {
                Execution::Percentage { basis_points } => {
                    if *basis_points > 10_000 {
                        return Err(DomainError::field(
                            "taux_execution",
                            "Taux d'exécution : au plus 100 %.",
                        ));
                    }
                    let entitled = amount
                        .prorata_floor(i64::from(*basis_points), 10_000)
                        .ok_or_else(|| DomainError::rule("Montants hors limites."))?;
                    (
                        entitled,
                        format!(
                            "programme réalisé à {} : aide due au prorata de l'exécution : {} × {} = {}",
                            format_percentage(*basis_points),
                            euros(amount),
                            format_percentage(*basis_points),
                            euros(entitled)
                        ),
                    )
                }
                Execution::AcceptedExpenses { accepted, planned } => {
                    if planned.centimes() <= 0 || accepted.is_negative() {
                        return Err(DomainError::field(
                            "depenses_prevues",
                            "Dépenses prévues : un montant positif est nécessaire pour calculer le prorata.",
                        ));
                    }
                    let capped = (*accepted).min(*planned);
                    let entitled = amount
                        .prorata_floor(capped.centimes(), planned.centimes())
                        .ok_or_else(|| DomainError::rule("Montants hors limites."))?;
                    (
                        entitled,
                        format!(
                            "dépenses retenues {} sur {} prévues : aide due au prorata de l'exécution : {} × {}/{} = {}",
                            euros(*accepted),
                            euros(*planned),
                            euros(amount),
                            capped.format_fr(),
                            planned.format_fr(),
                            euros(entitled)
                        ),
                    )
                }
            },
            ReimbursementGround::Termination { reason } => {
                if reason.trim().is_empty() {
                    return Err(DomainError::field(
                        "motif",
                        "Motif : la résiliation doit être motivée.",
                    ));
                }
                (
                    paid.min(amount),
                    format!(
                        "résiliation ({}) : l'aide est arrêtée à ce qui a été versé",
                        reason.trim()
                    ),
                )
            }
        };
        let to_recover = paid.checked_sub(entitled).unwrap_or_default();
        let to_recover = if to_recover.is_negative() {
            Amount::ZERO
        } else {
            to_recover
        };
        let cancelled_due = self
            .remaining_due()
            .checked_sub(
                entitled
                    .checked_sub(paid)
                    .unwrap_or_default()
                    .max(Amount::ZERO),
            )
            .unwrap_or_default()
            .max(Amount::ZERO);
        let explanation = format!(
            "{} ; versé : {} ; à reverser (titre de recette) : {} ; reste à verser annulé : {}.",
            capitalize(&reason),
            euros(paid),
            euros(to_recover),
            euros(cancelled_due)
        );
        Ok(ReimbursementDecision {
            decided_on,
            ground,
            entitled,
            paid,
            to_recover,
            cancelled_due,
            explanation,
        })
    }

    /// The convention's status once the ledger moved (a payment, a decision).
    pub fn status_after(&self, current: ConventionStatus) -> ConventionStatus {
        let settled = self.remaining_due().is_zero();
        match (current, self.decisions.last().map(|d| &d.ground)) {
            (ConventionStatus::Closed, _) => ConventionStatus::Closed,
            (
                _,
                Some(
                    ReimbursementGround::Total { .. }
                    | ReimbursementGround::ActivityCeased { .. }
                    | ReimbursementGround::Termination { .. },
                ),
            ) => ConventionStatus::Terminated,
            (ConventionStatus::Signed | ConventionStatus::InExecution, _)
                if settled && !self.paid().is_zero() =>
            {
                ConventionStatus::BalancePaid
            }
            (ConventionStatus::Signed, _) if !self.paid().is_zero() => {
                ConventionStatus::InExecution
            }
            (other, _) => other,
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The change an amendment (avenant) makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    /// 1 for "Avenant n°1".
    pub number: u32,
    pub signed_on: Date,
    pub object: String,
    pub amount: Option<Amount>,
    pub schedule: Option<Vec<Tranche>>,
    pub execution_end: Option<Date>,
}

/// The convention as the amendment leaves it. An amendment changes a signed convention;
/// it cannot go below what was paid, on the whole or on any tranche.
pub fn amend(
    convention: &Convention,
    ledger: &Ledger,
    amendment: &Amendment,
) -> Result<Convention, DomainError> {
    if !matches!(
        convention.status,
        ConventionStatus::Signed | ConventionStatus::InExecution
    ) {
        return Err(DomainError::rule(format!(
            "Avenant refusé : la convention est {} ; seul une convention signée en cours se modifie par avenant.",
            convention.status.label()
        )));
    }
    if amendment.object.trim().is_empty() {
        return Err(
            FieldError::new("objet", "Objet : l'objet de l'avenant est obligatoire.").into(),
        );
    }
    if convention
        .signed_on
        .is_some_and(|s| amendment.signed_on < s)
    {
        return Err(FieldError::new(
            "date_signature",
            "Date signature : un avenant ne peut précéder la convention qu'il modifie.",
        )
        .into());
    }
    if amendment.amount.is_none()
        && amendment.schedule.is_none()
        && amendment.execution_end.is_none()
    {
        return Err(DomainError::rule(
            "Avenant refusé : il ne change ni le montant, ni l'échéancier, ni les dates.",
        ));
    }
    let mut next = convention.clone();
    if let Some(amount) = amendment.amount {
        if amount < ledger.paid() {
            return Err(DomainError::rule(format!(
                "Avenant refusé : le nouveau montant ({}) est inférieur à ce qui a été versé ({}).",
                euros(amount),
                euros(ledger.paid())
            )));
        }
        if amendment.schedule.is_none() && amount != convention.amount {
            return Err(FieldError::new(
                "echeancier",
                "Échéancier : un avenant qui change le montant donne le nouvel échéancier.",
            )
            .into());
        }
        next.amount = amount;
    }
    if let Some(schedule) = &amendment.schedule {
        schedule_matches_amount(schedule, next.amount)?;
        for state in ledger.tranches() {
            let index = usize::try_from(state.position).unwrap_or(usize::MAX) - 1;
            let kept = schedule.get(index).map_or(Amount::ZERO, |t| t.amount);
            if kept < state.paid {
                return Err(DomainError::rule(format!(
                    "Avenant refusé : la tranche n°{} a déjà reçu {} ; elle ne peut pas prévoir moins.",
                    state.position,
                    euros(state.paid)
                )));
            }
        }
        next.schedule = schedule.clone();
    }
    if let Some(end) = amendment.execution_end {
        next.execution_end = Some(end);
    }
    next.validate()?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convention::DueRule;
    use jiff::civil::date;

    fn seed_schedule() -> Vec<Tranche> {
        vec![
            Tranche {
                amount: Amount::from_euros(100_000).unwrap(),
                trigger: Trigger::OnSignature { upon_request: true },
                label: None,
            },
            Tranche {
                amount: Amount::from_euros(20_000).unwrap(),
                trigger: Trigger::OnDocument {
                    document: "rapport d'activités annuel".into(),
                    due: Some(DueRule {
                        month: 6,
                        day: 30,
                        years_after: 1,
                    }),
                },
                label: Some("le solde".into()),
            },
        ]
    }

    fn seed_ledger() -> Ledger {
        Ledger {
            amount: Amount::from_euros(120_000).unwrap(),
            schedule: seed_schedule(),
            year: 2023,
            decided_on: date(2023, 11, 20),
            convention: Some(ConventionFacts {
                status: ConventionStatus::Signed,
                signed_on: Some(date(2023, 12, 1)),
            }),
            annual_total: Amount::from_euros(120_000).unwrap(),
            has_bank_account: true,
            payments: vec![],
            // The beneficiary's request for the first tranche ("appel à versement").
            receipts: vec![DocumentReceipt {
                tranche: 1,
                received_on: date(2023, 12, 2),
                description: "appel à versement".into(),
            }],
            decisions: vec![],
        }
    }

    fn request(l: &mut Ledger) {
        l.receipts.push(DocumentReceipt {
            tranche: 1,
            received_on: date(2023, 12, 2),
            description: "appel à versement".into(),
        });
    }

    fn pay(l: &mut Ledger, tranche: u32, d: Date, euros: i64) -> Result<(), DomainError> {
        let amount = Amount::from_euros(euros).unwrap();
        l.check_payment(&Payment {
            tranche,
            date: d,
            amount,
            reference: String::new(),
            mandate_date: None,
        })?;
        l.payments.push(Payment {
            tranche,
            date: d,
            amount,
            reference: format!("M{}", l.payments.len() + 1),
            mandate_date: None,
        });
        Ok(())
    }

    #[test]
    fn each_tranche_says_what_it_waits_for() {
        let mut l = seed_ledger();
        let today = date(2023, 12, 10);
        assert_eq!(l.waiting_for(1, today), TrancheWait::Payable);
        match l.waiting_for(2, today) {
            TrancheWait::Waiting(text) => {
                assert!(
                    text.starts_with("la tranche n°2 attend la réception du"),
                    "{text}"
                )
            }
            other => panic!("{other:?}"),
        }
        pay(&mut l, 1, today, 100_000).unwrap();
        assert_eq!(l.waiting_for(1, today), TrancheWait::Settled);
        l.receipts.push(DocumentReceipt {
            tranche: 2,
            received_on: date(2024, 6, 1),
            description: "rapport d'activités".into(),
        });
        assert_eq!(l.waiting_for(2, date(2024, 6, 2)), TrancheWait::Payable);
        assert_eq!(l.waiting_for(9, today), TrancheWait::Settled);
    }

    #[test]
    fn a_mandate_comes_between_the_deliberation_and_the_payment() {
        let l = seed_ledger();
        let payment = |mandate: Option<Date>| Payment {
            tranche: 1,
            date: date(2023, 12, 15),
            amount: Amount::from_euros(100_000).unwrap(),
            reference: "M-1".into(),
            mandate_date: mandate,
        };
        for (mandate, refused) in [
            (None, None),
            (Some(date(2023, 12, 10)), None),
            (Some(date(2023, 12, 15)), None),
            (
                Some(date(2023, 12, 16)),
                Some("suit le versement du 15 décembre 2023"),
            ),
            (
                Some(date(2023, 11, 1)),
                Some("précède la délibération du 20 novembre 2023"),
            ),
        ] {
            match (l.check_payment(&payment(mandate)), refused) {
                (Ok(()), None) => {}
                (Err(e), Some(text)) => assert!(e.to_string().contains(text), "{e}"),
                (other, _) => panic!("{mandate:?}: {other:?}"),
            }
        }
    }

    fn plain(s: &str) -> String {
        s.replace(['\u{202f}', '\u{a0}'], " ")
    }

    #[test]
    fn the_seed_schedule_is_paid_as_its_article_5_says() {
        let mut l = seed_ledger();
        l.convention = Some(ConventionFacts {
            status: ConventionStatus::Draft,
            signed_on: None,
        });
        let err = pay(&mut l, 1, date(2023, 11, 25), 100_000).unwrap_err();
        assert!(
            err.to_string()
                .contains("au-delà de 23 000 € par an ; une convention signée est obligatoire"),
            "{err}"
        );
        // "à la signature de la convention sur appel à versement": the request first.
        l = seed_ledger();
        l.receipts.clear();
        let err = pay(&mut l, 1, date(2023, 12, 5), 100_000).unwrap_err();
        assert!(err.to_string().contains("sur appel à versement"), "{err}");
        l = seed_ledger();
        l.has_bank_account = false;
        assert!(
            pay(&mut l, 1, date(2023, 12, 5), 100_000)
                .unwrap_err()
                .to_string()
                .contains("relevé d'identité bancaire")
        );
        l = seed_ledger();
        pay(&mut l, 1, date(2023, 12, 5), 100_000).unwrap();
        assert_eq!(
            l.status_after(ConventionStatus::Signed),
            ConventionStatus::InExecution
        );
        let err = pay(&mut l, 2, date(2024, 5, 2), 20_000).unwrap_err();
        assert!(
            err.to_string()
                .contains("attend la réception du rapport d'activités annuel"),
            "{err}"
        );
        assert!(l.overdue_documents(date(2024, 6, 30)).is_empty());
        let overdue = l.overdue_documents(date(2024, 7, 15));
        assert_eq!(overdue.len(), 1);
        assert_eq!(
            (overdue[0].due, overdue[0].days_late),
            (date(2024, 6, 30), 15)
        );
        l.receipts.push(DocumentReceipt {
            tranche: 2,
            received_on: date(2024, 6, 12),
            description: "rapport 2023".into(),
        });
        assert!(pay(&mut l, 2, date(2024, 6, 20), 20_001).is_err());
        pay(&mut l, 2, date(2024, 6, 20), 20_000).unwrap();
        assert_eq!(
            l.status_after(ConventionStatus::InExecution),
            ConventionStatus::BalancePaid
        );
        assert!(pay(&mut l, 2, date(2024, 6, 21), 1).is_err());
    }

    #[test]
    fn activity_ceased_on_30_september_prorata_temporis() {
        let mut l = seed_ledger();
        pay(&mut l, 1, date(2023, 12, 5), 100_000).unwrap();
        let d = l
            .decide(
                ReimbursementGround::ActivityCeased {
                    ceased_on: date(2023, 9, 30),
                },
                date(2024, 2, 1),
            )
            .unwrap();
        // 1 January to 30 September 2023: 273 days of 365. 120 000 × 273 / 365 = 89 753,42.
        assert_eq!(d.entitled, Amount::from_centimes(8_975_342));
        assert_eq!(d.to_recover, Amount::from_centimes(1_024_658));
        assert_eq!(d.cancelled_due, Amount::from_euros(20_000).unwrap());
        assert_eq!(
            plain(&d.explanation),
            "Activité cessée le 30 septembre 2023 : 273 jours d'activité sur 365 (2023) ; aide due au prorata temporis : 120 000 € × 273/365 = 89 753,42 € ; versé : 100 000 € ; à reverser (titre de recette) : 10 246,58 € ; reste à verser annulé : 20 000 €."
        );
        l.decisions.push(d);
        assert_eq!(
            l.status_after(ConventionStatus::InExecution),
            ConventionStatus::Terminated
        );
        assert!(l.tranches()[1].cancelled == Amount::from_euros(20_000).unwrap());
        assert!(pay(&mut l, 2, date(2024, 6, 20), 1).is_err());
        assert!(
            l.decide(
                ReimbursementGround::Termination { reason: "x".into() },
                date(2024, 3, 1)
            )
            .is_err()
        );
    }

    #[test]
    fn programme_carried_out_at_75_percent() {
        // Paid 100 000 of 120 000: entitled 90 000, 10 000 to give back, 20 000 cancelled.
        let mut l = seed_ledger();
        pay(&mut l, 1, date(2023, 12, 5), 100_000).unwrap();
        let d = l
            .decide(
                ReimbursementGround::PartialExecution {
                    execution: Execution::Percentage {
                        basis_points: 7_500,
                    },
                },
                date(2024, 7, 1),
            )
            .unwrap();
        assert_eq!(
            (d.entitled, d.to_recover, d.cancelled_due),
            (
                Amount::from_euros(90_000).unwrap(),
                Amount::from_euros(10_000).unwrap(),
                Amount::from_euros(20_000).unwrap()
            )
        );
        // Paid only 50 000: nothing to give back, 40 000 still due, 30 000 cancelled.
        let mut l = seed_ledger();
        request(&mut l);
        pay(&mut l, 1, date(2023, 12, 5), 50_000).unwrap();
        let d = l
            .decide(
                ReimbursementGround::PartialExecution {
                    execution: Execution::Percentage {
                        basis_points: 7_500,
                    },
                },
                date(2024, 7, 1),
            )
            .unwrap();
        assert_eq!(
            (d.entitled, d.to_recover, d.cancelled_due),
            (
                Amount::from_euros(90_000).unwrap(),
                Amount::ZERO,
                Amount::from_euros(30_000).unwrap()
            )
        );
        l.decisions.push(d);
        assert_eq!(l.remaining_due(), Amount::from_euros(40_000).unwrap());
        let t = l.tranches();
        assert_eq!(
            (t[0].remaining, t[1].remaining, t[1].cancelled),
            (
                Amount::from_euros(40_000).unwrap(),
                Amount::ZERO,
                Amount::from_euros(20_000).unwrap()
            )
        );
        // Accepted expenses: 96 543,21 of 128 000 planned.
        let mut l = seed_ledger();
        pay(&mut l, 1, date(2023, 12, 5), 100_000).unwrap();
        let d = l
            .decide(
                ReimbursementGround::PartialExecution {
                    execution: Execution::AcceptedExpenses {
                        accepted: Amount::from_centimes(9_654_321),
                        planned: Amount::from_euros(128_000).unwrap(),
                    },
                },
                date(2024, 7, 1),
            )
            .unwrap();
        // 120 000 × 96 543,21 / 128 000 = 90 509,259… → 90 509,25.
        assert_eq!(d.entitled, Amount::from_centimes(9_050_925));
        assert_eq!(d.to_recover, Amount::from_centimes(949_075));
    }

    #[test]
    fn total_reimbursement_gives_back_everything_paid() {
        let mut l = seed_ledger();
        pay(&mut l, 1, date(2023, 12, 5), 100_000).unwrap();
        let d = l
            .decide(
                ReimbursementGround::Total {
                    reason: ReimbursementReason::NoAccounts,
                },
                date(2024, 9, 1),
            )
            .unwrap();
        assert_eq!(
            (d.entitled, d.to_recover, d.cancelled_due),
            (
                Amount::ZERO,
                Amount::from_euros(100_000).unwrap(),
                Amount::from_euros(20_000).unwrap()
            )
        );
        assert!(
            d.explanation
                .starts_with("Remboursement total (absence totale de comptabilité)")
        );
        assert!(
            l.decide(
                ReimbursementGround::Total {
                    reason: ReimbursementReason::ActivityCeased
                },
                date(2024, 9, 1)
            )
            .is_err()
        );
    }

    #[test]
    fn percentages_split_exactly() {
        let a = Amount::from_centimes(10_000_001);
        let parts = split_by_percentages(a, &[3_333, 3_333, 3_334]).unwrap();
        assert_eq!(
            parts,
            vec![
                Amount::from_centimes(3_333_000),
                Amount::from_centimes(3_333_000),
                Amount::from_centimes(3_334_001)
            ]
        );
        assert!(
            split_by_percentages(a, &[5_000, 4_000])
                .unwrap_err()
                .to_string()
                .contains("90\u{a0}%")
        );
    }

    proptest::proptest! {
        #[test]
        fn split_always_adds_up(centimes in 1i64..10_000_000_000, cuts in proptest::collection::vec(1u32..5_000, 0..6)) {
            let mut shares = Vec::new();
            let mut left = 10_000u32;
            for c in cuts {
                if c < left { shares.push(c); left -= c; }
            }
            shares.push(left);
            let a = Amount::from_centimes(centimes);
            let parts = split_by_percentages(a, &shares).unwrap();
            proptest::prop_assert_eq!(Amount::checked_sum(parts.iter().copied()), Some(a));
            proptest::prop_assert!(parts.iter().all(|p| !p.is_negative()));
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Pay { tranche: u32, day: i8, cents: i64 },
        Receive { tranche: u32, day: i8 },
        Decide(u8, u32),
        Amend { extra: i64 },
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            (1u32..4, 1i8..28, 1i64..9_000_000).prop_map(|(tranche, day, cents)| Op::Pay {
                tranche,
                day,
                cents
            }),
            (1u32..4, 1i8..28).prop_map(|(tranche, day)| Op::Receive { tranche, day }),
            (0u8..4, 0u32..=10_000).prop_map(|(k, bp)| Op::Decide(k, bp)),
            (-5_000_000i64..5_000_000).prop_map(|extra| Op::Amend { extra }),
        ]
    }

    proptest::proptest! {
        /// Whatever happens to a grant: tranches add up to its amount, payments never
        /// exceed a tranche or the award, a reimbursement never exceeds what was paid.
        #[test]
        fn a_grant_never_pays_more_than_it_owes(ops in proptest::collection::vec(op(), 0..40)) {
            let mut l = seed_ledger();
            let mut convention_amount = l.amount;
            for (i, o) in ops.into_iter().enumerate() {
                let month = i8::try_from(1 + i % 12).unwrap();
                let year = 2024 + i16::try_from(i / 12).unwrap();
                match o {
                    Op::Pay { tranche, day, cents } => {
                        let d = date(year, month, day);
                        let amount = Amount::from_centimes(cents);
                        if l.check_payment(&Payment { tranche, date: d, amount, reference: String::new(), mandate_date: None }).is_ok() {
                            l.payments.push(Payment { tranche, date: d, amount, reference: String::new(), mandate_date: None });
                        }
                    }
                    Op::Receive { tranche, day } => {
                        if l.check_receipt(tranche).is_ok() {
                            l.receipts.push(DocumentReceipt { tranche, received_on: date(year, month, day), description: String::new() });
                        }
                    }
                    Op::Decide(kind, bp) => {
                        let ground = match kind {
                            0 => ReimbursementGround::Total { reason: ReimbursementReason::UnjustifiedUse },
                            1 => ReimbursementGround::ActivityCeased { ceased_on: date(2023, 1, 1).checked_add(jiff::Span::new().days(i64::from(bp % 365))).unwrap() },
                            2 => ReimbursementGround::PartialExecution { execution: Execution::Percentage { basis_points: bp } },
                            _ => ReimbursementGround::Termination { reason: "résiliation".into() },
                        };
                        if let Ok(d) = l.decide(ground, date(year, month, 1)) {
                            proptest::prop_assert!(d.to_recover <= d.paid);
                            proptest::prop_assert!(!d.to_recover.is_negative() && !d.cancelled_due.is_negative());
                            l.decisions.push(d);
                        }
                    }
                    Op::Amend { extra } => {
                        if l.decisions.is_empty() {
                            let new_amount = Amount::from_centimes(convention_amount.centimes() + extra);
                            let first = l.tranches()[0].paid.max(Amount::from_centimes(1));
                            let second = new_amount.checked_sub(first).unwrap();
                            if second.centimes() > 0 && new_amount >= l.paid() && second >= l.tranches()[1].paid {
                                let mut schedule = seed_schedule();
                                schedule[0].amount = first;
                                schedule[1].amount = second;
                                l.schedule = schedule;
                                l.amount = new_amount;
                                convention_amount = new_amount;
                            }
                        }
                    }
                }
                let tranche_total = Amount::checked_sum(l.schedule.iter().map(|t| t.amount)).unwrap();
                proptest::prop_assert_eq!(tranche_total, l.amount);
                proptest::prop_assert!(l.paid() <= l.amount);
                for t in l.tranches() {
                    proptest::prop_assert!(t.paid <= t.scheduled);
                    proptest::prop_assert_eq!(t.paid.checked_add(t.cancelled).unwrap().checked_add(t.remaining).unwrap(), t.scheduled);
                }
                proptest::prop_assert!(l.recovered() <= l.paid());
                // What the beneficiary keeps never exceeds what it is entitled to.
                proptest::prop_assert!(l.paid().checked_sub(l.recovered()).unwrap() <= l.entitled());
            }
        }
    }
}
