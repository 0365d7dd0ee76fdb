//! Conventions and the execution of grants: creation from an adopted deliberation,
//! signature, payments, documents received, reimbursement decisions, termination,
//! amendments with every version kept, closing, and overdue documents.

use crate::grants::check_line;
use crate::{Acta, Actor, AppError};
use acta_domain::beneficiary::BankAccount;
use acta_domain::budget::Commitment;
use acta_domain::collectivity::BodyKind;
use acta_domain::convention::{
    Convention, ConventionStatus, DepartmentRepresentative, Tranche, Trigger,
    standard_reimbursement_cases,
};
use acta_domain::deliberation::{Visa, VisaReference};
use acta_domain::error::{DomainError, Errors};
use acta_domain::french::{format_date_long, normalize_spaces};
use acta_domain::grant::{Award, AwardStatus};
use acta_domain::keys::AwardKey;
use acta_domain::ledger::{
    Amendment, ConventionFacts, DocumentReceipt, Ledger, OverdueDocument, Payment,
    ReimbursementDecision, ReimbursementGround, TrancheState, split_by_percentages,
};
use acta_domain::money::parse_percentage;
use acta_domain::people::Role;
use acta_domain::text::RichText;
use acta_domain::{Amount, Id, Stored};
use acta_store::Tx;
use jiff::civil::Date;
use serde::Serialize;

pub use crate::input::grants::{
    DocumentInput, NewAmendment, NewConvention, PaymentInput, ReimbursementInput, ScheduleInput,
    SignatureInput, TerminationInput, TrancheSpec,
};

/// The grant as it stands: figures computed by the ledger.
#[derive(Debug, Clone, Serialize)]
pub struct GrantExecution {
    pub award_id: i64,
    pub convention_id: Option<i64>,
    pub status: Option<ConventionStatus>,
    pub amount: Amount,
    pub paid: Amount,
    pub entitled: Amount,
    pub recovered: Amount,
    pub remaining_due: Amount,
    pub tranches: Vec<TrancheState>,
    pub payments: Vec<Payment>,
    pub receipts: Vec<DocumentReceipt>,
    pub decisions: Vec<ReimbursementDecision>,
    pub amendments: Vec<Amendment>,
}

impl GrantExecution {
    /// What happened to the grant, one French sentence each: payments, documents
    /// received, decisions, amendments — as the back office and the command line show it.
    pub fn history(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in &self.payments {
            out.push(format!(
                "Versement de {} le {} (tranche {}, mandat {}{})",
                p.amount,
                format_date_long(p.date),
                p.tranche,
                p.reference,
                p.mandate_date
                    .map(|d| format!(" du {}", format_date_long(d)))
                    .unwrap_or_default()
            ));
        }
        for r in &self.receipts {
            out.push(format!(
                "Reçu le {} pour la tranche {} : {}",
                format_date_long(r.received_on),
                r.tranche,
                r.description
            ));
        }
        for d in &self.decisions {
            out.push(format!(
                "Décision du {} : {}",
                format_date_long(d.decided_on),
                d.explanation
            ));
        }
        for a in &self.amendments {
            out.push(format!(
                "Avenant n°{} du {} : {}",
                a.number,
                format_date_long(a.signed_on),
                a.object
            ));
        }
        out
    }
}

/// An overdue document, with whom it is owed by.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueEntry {
    pub deliberation_number: Option<String>,
    pub beneficiary: String,
    pub convention_id: Option<i64>,
    #[serde(flatten)]
    pub overdue: OverdueDocument,
}

/// Builds a schedule from amounts or shares; shares split the amount exactly.
pub fn schedule_from(specs: &[TrancheSpec], amount: Amount) -> Result<Vec<Tranche>, AppError> {
    if specs.is_empty() {
        return Err(DomainError::field(
            "echeancier",
            "Échéancier : au moins une tranche est nécessaire.",
        )
        .into());
    }
    let shares: Vec<bool> = specs
        .iter()
        .map(|s| s.amount.trim().ends_with('%'))
        .collect();
    let amounts: Vec<Amount> = if shares.iter().all(|s| *s) {
        let mut errors = Errors::new();
        let bp: Vec<u32> = specs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                errors.check(parse_percentage(&format!("echeancier.{i}.part"), &s.amount))
            })
            .collect();
        errors.into_result()?;
        split_by_percentages(amount, &bp)?
    } else if shares.iter().any(|s| *s) {
        return Err(DomainError::field(
            "echeancier",
            "Échéancier : donnez toutes les tranches en montants ou toutes en pourcentages.",
        )
        .into());
    } else {
        let mut errors = Errors::new();
        let list: Vec<Amount> = specs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                errors.check(Amount::parse_fr(
                    &format!("echeancier.{i}.montant"),
                    &s.amount,
                ))
            })
            .collect();
        errors.into_result()?;
        list
    };
    let schedule: Vec<Tranche> = specs
        .iter()
        .zip(amounts)
        .map(|(s, amount)| Tranche {
            amount,
            trigger: s.trigger.clone(),
            label: s
                .label
                .as_deref()
                .map(normalize_spaces)
                .filter(|l| !l.is_empty()),
        })
        .collect();
    acta_domain::convention::schedule_matches_amount(&schedule, amount)?;
    Ok(schedule)
}

/// An award by its number, or the one award of a deliberation ("2023-479").
pub(crate) async fn find_award(tx: &mut Tx, key: &AwardKey) -> Result<Stored<Award>, AppError> {
    match key {
        AwardKey::Id(id) => tx
            .award(*id)
            .await?
            .ok_or_else(|| AppError::not_found(format!("Aide : aucune attribution n°{id}."))),
        AwardKey::Deliberation(number) => {
            let d = tx.deliberation_by_number(number.as_str()).await?.ok_or_else(|| {
                AppError::not_found(format!(
                    "Aide : aucune délibération ne porte le numéro « {number} » (une attribution s'écrit #12)."
                ))
            })?;
            let mut awards = tx.awards_of_deliberation(d.id).await?;
            match awards.len() {
                1 => Ok(awards.remove(0)),
                0 => Err(AppError::not_found(format!(
                    "La délibération {number} n'attribue aucune aide."
                ))),
                n => Err(AppError::conflict(format!(
                    "La délibération {number} attribue {n} aides ; donnez le numéro de l'attribution ({}).",
                    awards
                        .iter()
                        .map(|a| format!("#{}", a.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
    }
}

/// Everything the ledger needs about an award.
/// Records that an aid's convention is signed (by hand or by its last electronic
/// signature), which lets its payments start.
pub(crate) async fn mark_convention_signed(
    tx: &mut Tx,
    award: &Stored<Award>,
    signed_on: Date,
) -> Result<(), AppError> {
    let (ledger, convention, _) = load_ledger(tx, award).await?;
    let c = convention.ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
    let mut updated = c.data.clone();
    updated.status = c.status.sign(signed_on, ledger.decided_on)?;
    updated.signed_on = Some(signed_on);
    updated.validate()?;
    tx.update_convention(c.id, &updated).await?;
    Ok(())
}

pub(crate) async fn load_ledger(
    tx: &mut Tx,
    award: &Stored<Award>,
) -> Result<(Ledger, Option<Stored<Convention>>, Option<Id<BankAccount>>), AppError> {
    let decided_on = match award.deliberation {
        Some(d) => tx.deliberation(d).await?.map(|d| d.date),
        None => None,
    }
    .ok_or_else(|| AppError::conflict("Cette aide n'a pas encore de délibération."))?;
    let convention = tx.convention_of_award(award.id).await?;
    let accounts = tx.bank_accounts_of(award.beneficiary).await?;
    let bank_account = convention
        .as_ref()
        .and_then(|c| c.bank_account)
        .or_else(|| accounts.first().map(|a| a.id));
    let annual_total = Amount::checked_sum(
        tx.awards_of_beneficiary(award.beneficiary)
            .await?
            .into_iter()
            .filter(|a| a.year == award.year && a.status == AwardStatus::Adopted)
            .map(|a| a.amount),
    )
    .ok_or_else(|| AppError::Domain(DomainError::rule("Montants hors limites.")))?;
    let (amount, schedule) = match &convention {
        Some(c) => (c.amount, c.schedule.clone()),
        // Without a convention the award is paid in one tranche from its deliberation.
        None => (
            award.amount,
            vec![Tranche {
                amount: award.amount,
                trigger: Trigger::OnDate { date: decided_on },
                label: None,
            }],
        ),
    };
    let ledger = Ledger {
        amount,
        schedule,
        year: convention.as_ref().map_or(award.year, |c| c.year),
        decided_on,
        convention: convention.as_ref().map(|c| ConventionFacts {
            status: c.status,
            signed_on: c.signed_on,
        }),
        annual_total,
        has_bank_account: !accounts.is_empty(),
        payments: tx
            .payments_of(award.id)
            .await?
            .into_iter()
            .map(|p| p.payment)
            .collect(),
        receipts: tx.receipts_of(award.id).await?,
        decisions: tx
            .decisions_of(award.id)
            .await?
            .into_iter()
            .map(|(d, _)| d)
            .collect(),
    };
    Ok((ledger, convention, bank_account))
}

fn date(field: &str, input: &str) -> Result<Date, AppError> {
    Ok(acta_domain::french::parse_date(field, input)?)
}

/// Moves the convention's status after the ledger changed.
async fn follow_status(
    tx: &mut Tx,
    convention: Option<Stored<Convention>>,
    ledger: &Ledger,
) -> Result<(), AppError> {
    if let Some(c) = convention {
        let next = ledger.status_after(c.status);
        if next != c.status {
            let mut updated = c.data.clone();
            updated.status = next;
            tx.update_convention(c.id, &updated).await?;
        }
    }
    Ok(())
}

/// Sets the award's commitment to what is or will be paid.
async fn follow_commitment(
    tx: &mut Tx,
    award: &Stored<Award>,
    amount: Amount,
) -> Result<(), AppError> {
    let Some(c) = tx.commitment_of_award(award.id).await? else {
        return Ok(());
    };
    if c.amount != amount {
        let line = tx
            .budget_line(c.line)
            .await?
            .ok_or_else(|| AppError::not_found("Ligne budgétaire introuvable."))?;
        if amount > c.amount {
            check_line(tx, &line, Some(award.id), amount).await?;
        }
        let updated = Commitment {
            amount,
            ..c.data.clone()
        };
        tx.update_commitment(c.id, &updated).await?;
    }
    Ok(())
}

/// The figures of a grant, computed by its ledger.
pub(crate) async fn execution_of(
    tx: &mut Tx,
    award: &Stored<Award>,
) -> Result<GrantExecution, AppError> {
    let (ledger, convention, _) = load_ledger(tx, award).await?;
    let amendments = match &convention {
        Some(c) => tx
            .amendments_of(c.id)
            .await?
            .into_iter()
            .map(|a| a.data)
            .collect(),
        None => Vec::new(),
    };
    Ok(GrantExecution {
        award_id: award.id.get(),
        convention_id: convention.as_ref().map(|c| c.id.get()),
        status: convention.as_ref().map(|c| c.status),
        amount: ledger.amount,
        paid: ledger.paid(),
        entitled: ledger.entitled(),
        recovered: ledger.recovered(),
        remaining_due: ledger.remaining_due(),
        tranches: ledger.tranches(),
        payments: ledger.payments.clone(),
        receipts: ledger.receipts.clone(),
        decisions: ledger.decisions.clone(),
        amendments,
    })
}

impl Acta {
    /// Draws up the convention of an adopted award: a draft with its schedule, the
    /// standard reimbursement clauses, the bank account on file and the Département's
    /// signatory (the President of the Council).
    pub async fn create_convention(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &NewConvention,
    ) -> Result<Id<Convention>, AppError> {
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        if award.status != AwardStatus::Adopted {
            return Err(AppError::conflict(format!(
                "Convention refusée : l'aide est {} ; une convention suit une délibération adoptée.",
                award.status.label()
            )));
        }
        if tx.convention_of_award(award.id).await?.is_some() {
            return Err(AppError::conflict(
                "Cette aide a déjà sa convention ; modifiez-la par avenant.",
            ));
        }
        let Some(deliberation_id) = award.deliberation else {
            return Err(AppError::conflict("Cette aide n'a pas de délibération."));
        };
        let deliberation = tx
            .deliberation(deliberation_id)
            .await?
            .ok_or_else(|| AppError::not_found("Délibération introuvable."))?;
        let beneficiary = tx
            .beneficiary(award.beneficiary)
            .await?
            .ok_or_else(|| AppError::not_found("Bénéficiaire introuvable."))?;
        let collectivity = crate::lookup::collectivity(&mut tx).await?;
        let mut president = None;
        for body in tx
            .bodies()
            .await?
            .into_iter()
            .filter(|b| b.kind == BodyKind::Council)
        {
            for m in tx.mandates_in(body.id).await? {
                if m.role == Role::President && m.active_on(deliberation.date) {
                    president = tx.member(m.member).await?;
                }
            }
        }
        let president = president.ok_or_else(|| {
            AppError::conflict("Convention : aucun président du Conseil départemental n'est enregistré pour signer.")
        })?;
        let body = match tx.sitting(deliberation.sitting).await? {
            Some(s) => tx.body(s.body).await?.map(|b| b.display_name()),
            None => None,
        }
        .unwrap_or_default();
        let schedule = schedule_from(&input.schedule.tranches()?, award.amount)?;
        if let Some((_, shares)) = tx.award_shares(award.id).await? {
            let dated: Vec<(Date, Amount)> = schedule
                .iter()
                .filter_map(|t| match t.trigger {
                    acta_domain::convention::Trigger::OnDate { date } => Some((date, t.amount)),
                    _ => None,
                })
                .collect();
            acta_domain::programme::check_tranche_years(&shares, &dated)?;
        }
        let year = award.year;
        let title = input
            .title
            .as_deref()
            .map(normalize_spaces)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("Convention d’objectifs et de partenariat {year}"));
        let approval = format!(
            "Vu : la délibération {} de la {body}, en date du {}, approuvant la convention.",
            deliberation
                .number
                .as_deref()
                .map(|n| format!("n°{n}"))
                .unwrap_or_default(),
            format_date_long(deliberation.date)
        );
        let convention = Convention {
            award: award.id,
            deliberation: deliberation.id,
            beneficiary: beneficiary.id,
            subject: format!(
                "{title} entre le {} et {}",
                collectivity.name, beneficiary.name
            ),
            title,
            year,
            amount: award.amount,
            pole: None,
            direction: None,
            department_representative: DepartmentRepresentative {
                capacity: match president.name.civility {
                    acta_domain::people::Civility::Madame => "Présidente du Conseil départemental",
                    acta_domain::people::Civility::Monsieur => "Président du Conseil départemental",
                }
                .to_string(),
                name: president.name.clone(),
            },
            visas: vec![Visa {
                text: normalize_spaces(&approval),
                reference: Some(VisaReference::Act {
                    act_type: format!("délibération de la {body}"),
                    number: deliberation.number.clone(),
                    date: Some(deliberation.date),
                    title: None,
                }),
            }],
            preamble: RichText::default(),
            object: RichText::paragraph(format!(
                "La présente convention a pour objet {} au titre de l’année {year}.",
                award.purpose
            )),
            objectives_intro: String::new(),
            objectives: Vec::new(),
            programme_intro: String::new(),
            programme: Vec::new(),
            beneficiary_commitments: Vec::new(),
            schedule,
            bank_account: tx
                .bank_accounts_of(beneficiary.id)
                .await?
                .first()
                .map(|a| a.id),
            paying_accountant: input.paying_accountant.clone().unwrap_or_else(|| {
                "Monsieur le Payeur départemental (comptable assignataire de la dépense)"
                    .to_string()
            }),
            reimbursement_cases: standard_reimbursement_cases(beneficiary.usual_name()),
            tacit_renewal: false,
            court: normalize_spaces(&input.court),
            communication: RichText::default(),
            image_rights: RichText::default(),
            signature_place: input.signature_place.clone().unwrap_or_else(|| {
                collectivity
                    .address
                    .city
                    .split(" Cedex")
                    .next()
                    .unwrap_or("")
                    .to_string()
            }),
            copies: 2,
            signatories: Vec::new(),
            status: ConventionStatus::Draft,
            signed_on: None,
            execution_end: None,
        };
        convention.validate()?;
        let id = tx.insert_convention(&convention).await?;
        tx.insert_convention_version(id, 1, None, &self.now().to_string(), &convention)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn sign_convention(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &SignatureInput,
    ) -> Result<(), AppError> {
        let signed_on = date("date", &input.date)?;
        acta_domain::convention::check_signature_date(signed_on, self.today())?;
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        mark_convention_signed(&mut tx, &award, signed_on).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a payment (mandatement) on a tranche.
    pub async fn record_payment(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &PaymentInput,
    ) -> Result<GrantExecution, AppError> {
        let payment = input.parse()?;
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        if award.status != AwardStatus::Adopted {
            return Err(AppError::conflict(format!(
                "Versement refusé : l'aide est {}.",
                award.status.label()
            )));
        }
        let (mut ledger, convention, bank_account) = load_ledger(&mut tx, &award).await?;
        ledger.check_payment(&payment)?;
        // On an authorisation, a year pays no more than the award's share of that year's
        // payment credits.
        if let Some((_, shares)) = tx.award_shares(award.id).await? {
            let year = payment.date.year();
            let paid = Amount::checked_sum(
                ledger
                    .payments
                    .iter()
                    .filter(|p| p.date.year() == year)
                    .map(|p| p.amount),
            )
            .ok_or_else(|| {
                DomainError::rule("Le total des versements dépasse la capacité de calcul.")
            })?;
            acta_domain::programme::check_payment_year(&shares, year, paid, payment.amount)?;
        }
        tx.insert_payment(&acta_store::PaymentRecord {
            award: award.id,
            convention: convention.as_ref().map(|c| c.id),
            bank_account,
            payment: payment.clone(),
        })
        .await?;
        ledger.payments.push(payment);
        follow_status(&mut tx, convention, &ledger).await?;
        tx.commit().await?;
        self.grant_execution(award_key).await
    }

    pub async fn receive_document(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &DocumentInput,
    ) -> Result<(), AppError> {
        let (tranche, received_on, description) = input.parse()?;
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        let (ledger, _, _) = load_ledger(&mut tx, &award).await?;
        ledger.check_receipt(tranche)?;
        tx.insert_receipt(
            award.id,
            &DocumentReceipt {
                tranche,
                received_on,
                description,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Decides a reimbursement (or terminates): computes what the beneficiary keeps and
    /// gives back, cancels what is no longer due, and releases those credits.
    pub async fn decide_reimbursement(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &ReimbursementInput,
    ) -> Result<ReimbursementDecision, AppError> {
        let ground = input.ground()?;
        let decided_on = date("date", &input.date)?;
        self.decide(
            actor,
            award_key,
            ground,
            decided_on,
            input.receipt_title.as_deref(),
        )
        .await
    }

    /// Terminates a convention: what is still due is cancelled, nothing is asked back.
    pub async fn terminate_convention(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &TerminationInput,
    ) -> Result<ReimbursementDecision, AppError> {
        let decided_on = date("date", &input.date)?;
        let reason = normalize_spaces(&input.reason);
        if reason.is_empty() {
            return Err(DomainError::field(
                "motif",
                "Motif : dites pourquoi la convention est résiliée.",
            )
            .into());
        }
        self.decide(
            actor,
            award_key,
            ReimbursementGround::Termination { reason },
            decided_on,
            None,
        )
        .await
    }

    async fn decide(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        ground: ReimbursementGround,
        decided_on: Date,
        receipt_title: Option<&str>,
    ) -> Result<ReimbursementDecision, AppError> {
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        let (mut ledger, convention, _) = load_ledger(&mut tx, &award).await?;
        let decision = ledger.decide(ground, decided_on)?;
        tx.insert_decision(
            award.id,
            &decision,
            receipt_title.map(str::trim).filter(|t| !t.is_empty()),
        )
        .await?;
        let still_committed = ledger
            .amount
            .checked_sub(decision.cancelled_due)
            .unwrap_or_default();
        ledger.decisions.push(decision.clone());
        follow_status(&mut tx, convention, &ledger).await?;
        follow_commitment(&mut tx, &award, still_committed).await?;
        tx.commit().await?;
        Ok(decision)
    }

    pub async fn close_convention(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
    ) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        let (ledger, convention, _) = load_ledger(&mut tx, &award).await?;
        let c =
            convention.ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
        let mut updated = c.data.clone();
        updated.status = c.status.close(ledger.remaining_due())?;
        tx.update_convention(c.id, &updated).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an amendment: the convention is replaced by its amended version, the
    /// earlier one kept, and the commitment follows the new amount.
    pub async fn amend_convention(
        &self,
        actor: &Actor,
        award_key: &AwardKey,
        input: &NewAmendment,
    ) -> Result<u32, AppError> {
        let mut errors = Errors::new();
        let signed_on = errors.check(acta_domain::french::parse_date("date", &input.signed_on));
        let amount = crate::input::optional(&mut errors, &input.amount, |v| {
            Amount::parse_fr("montant", v)
        });
        let execution_end = crate::input::optional(&mut errors, &input.execution_end, |v| {
            acta_domain::french::parse_date("fin_execution", v)
        });
        errors.into_result()?;
        let Some(signed_on) = signed_on else {
            return Err(DomainError::rule("Avenant incomplet.").into());
        };
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        let (ledger, convention, _) = load_ledger(&mut tx, &award).await?;
        let c =
            convention.ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
        let new_amount = amount.unwrap_or(c.amount);
        let schedule = match input.schedule()? {
            Some(specs) => Some(schedule_from(&specs, new_amount)?),
            None => None,
        };
        let number = u32::try_from(tx.amendments_of(c.id).await?.len() + 1).unwrap_or(u32::MAX);
        let amendment = Amendment {
            number,
            signed_on,
            object: normalize_spaces(&input.object),
            amount,
            schedule,
            execution_end,
        };
        let amended = acta_domain::ledger::amend(&c, &ledger, &amendment)?;
        let amendment_id = tx.insert_amendment(c.id, &amendment).await?;
        tx.update_convention(c.id, &amended).await?;
        let version =
            u32::try_from(tx.convention_versions(c.id).await?.len() + 1).unwrap_or(u32::MAX);
        tx.insert_convention_version(
            c.id,
            version,
            Some(amendment_id),
            &self.now().to_string(),
            &amended,
        )
        .await?;
        follow_commitment(&mut tx, &award, amended.amount).await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Cancels an award not yet paid: its credits are released and a draft convention
    /// is terminated.
    pub async fn cancel_award(&self, actor: &Actor, award_key: &AwardKey) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, award_key).await?;
        if matches!(award.status, AwardStatus::Cancelled | AwardStatus::Rejected) {
            return Err(AppError::conflict(format!(
                "L'aide est déjà {}.",
                award.status.label()
            )));
        }
        if !tx.payments_of(award.id).await?.is_empty() {
            return Err(AppError::conflict(
                "Annulation refusée : des versements ont eu lieu ; décidez un reversement ou résiliez la convention.",
            ));
        }
        if let Some(c) = tx.convention_of_award(award.id).await? {
            if c.status != ConventionStatus::Draft {
                return Err(AppError::conflict(
                    "Annulation refusée : la convention est signée ; résiliez-la (acta convention terminate).",
                ));
            }
            let mut updated = c.data.clone();
            updated.status = ConventionStatus::Terminated;
            tx.update_convention(c.id, &updated).await?;
        }
        let mut updated = award.data.clone();
        updated.status = AwardStatus::Cancelled;
        tx.update_award(award.id, &updated).await?;
        if let Some(c) = tx.commitment_of_award(award.id).await? {
            tx.update_commitment(
                c.id,
                &Commitment {
                    active: false,
                    ..c.data.clone()
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The figures of a grant now.
    pub async fn grant_execution(&self, award_key: &AwardKey) -> Result<GrantExecution, AppError> {
        let mut tx = self.read().await?;
        let award = find_award(&mut tx, award_key).await?;
        execution_of(&mut tx, &award).await
    }

    /// Every version of a grant's convention, the first being the original.
    pub async fn convention_versions(
        &self,
        award_key: &AwardKey,
    ) -> Result<Vec<acta_store::ConventionVersion>, AppError> {
        let mut tx = self.read().await?;
        let award = find_award(&mut tx, award_key).await?;
        let c = tx
            .convention_of_award(award.id)
            .await?
            .ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
        Ok(tx.convention_versions(c.id).await?)
    }

    /// Documents past due, for every adopted grant.
    pub async fn overdue_documents(&self, today: &str) -> Result<Vec<OverdueEntry>, AppError> {
        let today = date("date", today)?;
        let mut tx = self.read().await?;
        let mut out = Vec::new();
        for id in tx.awards_with_status(AwardStatus::Adopted.code()).await? {
            let Some(award) = tx.award(id).await? else {
                continue;
            };
            let (ledger, convention, _) = load_ledger(&mut tx, &award).await?;
            let overdue = ledger.overdue_documents(today);
            if overdue.is_empty() {
                continue;
            }
            let beneficiary = tx
                .beneficiary(award.beneficiary)
                .await?
                .map(|b| b.name.clone())
                .unwrap_or_default();
            let number = match award.deliberation {
                Some(d) => tx.deliberation(d).await?.and_then(|d| d.number.clone()),
                None => None,
            };
            for o in overdue {
                out.push(OverdueEntry {
                    deliberation_number: number.clone(),
                    beneficiary: beneficiary.clone(),
                    convention_id: convention.as_ref().map(|c| c.id.get()),
                    overdue: o,
                });
            }
        }
        Ok(out)
    }
}
