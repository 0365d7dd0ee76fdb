//! The budget's year: budget decisions proposed on an agenda item and voted with it, the
//! credits they give lines (with each line's history), and the delegations of the council
//! that bound what the Commission permanente may decide.

use crate::grants::{commitments, find_budget_line, pending_proposals};
use crate::input::budget_year::{BudgetDecisionInput, DelegationInput};
use crate::{Acta, Actor, AppError, lookup};
use acta_domain::budget::{BudgetRow, budget_row};
use acta_domain::collectivity::{Body, BodyKind};
use acta_domain::credits::{
    BudgetDecision, CreditMove, CreditStep, DecisionStatus, LineBalance, check_decision,
    credit_history,
};
use acta_domain::delegation::{Delegation, ItemSubject, Stage, check_item, with_delegation_visa};
use acta_domain::deliberation::Deliberation;
use acta_domain::error::DomainError;
use acta_domain::keys::SittingKey;
use acta_domain::report::Report;
use acta_domain::sitting::Sitting;
use acta_domain::vote::Outcome;
use acta_domain::{Amount, Id, Stored};
use acta_store::Tx;
use serde::Serialize;

/// A line's figures now and how its credits came to be.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLineHistory {
    pub id: i64,
    pub year: i16,
    /// Flattened: the JSON keeps the figures of `acta budget-line show --json` as they were.
    #[serde(flatten)]
    pub row: BudgetRow,
    pub committed: Amount,
    pub history: Vec<CreditStep>,
}

/// A budget decision as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetDecisionEntry {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub deliberation: Option<String>,
    /// Each article: operation code and amount.
    pub lines: Vec<(String, Amount)>,
}

/// A delegation as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct DelegationEntry {
    pub id: i64,
    pub body: String,
    pub delegation: Delegation,
    pub citation: String,
    pub visa: String,
    /// "depuis le 1er juillet 2021", "du … au …".
    pub in_force: String,
}

impl Acta {
    /// Records a budget decision proposed by an item's report. Refused at the Commission
    /// permanente (the budget is never delegated) and when it would take a line below
    /// what it has committed.
    pub async fn propose_budget_decision(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        position: u32,
        input: &BudgetDecisionInput,
    ) -> Result<Id<BudgetDecision>, AppError> {
        let parsed = input.parse()?;
        let mut tx = self.write(actor).await?;
        let sitting = lookup::sitting(&mut tx, sitting).await?;
        let item = tx
            .agenda_item_at(sitting.id, position)
            .await?
            .ok_or_else(|| {
                AppError::not_found(format!("Ordre du jour : pas de point n°{position}."))
            })?;
        if tx.vote_of_item(item.id).await?.is_some() {
            return Err(AppError::conflict(format!(
                "Le point n°{position} est déjà voté : on ne lui ajoute plus de décision budgétaire."
            )));
        }
        let body = sitting_body(&mut tx, &sitting).await?;
        if body.kind == BodyKind::PermanentCommission {
            let subject = ItemSubject {
                budget_decision: true,
                ..ItemSubject::default()
            };
            check_item(&subject, sitting.date, &[], Stage::Agenda)?;
        }
        let mut moves = Vec::with_capacity(parsed.lines.len());
        let mut balances = Vec::with_capacity(parsed.lines.len());
        for (code, amount) in &parsed.lines {
            let line = find_budget_line(&mut tx, code, input.year).await?;
            balances.push(balance(&mut tx, &line).await?);
            moves.push(CreditMove {
                line: line.id,
                amount: *amount,
            });
        }
        let decision = BudgetDecision {
            year: input.year,
            kind: parsed.kind,
            rank: parsed.rank,
            report: item.report,
            deliberation: None,
            status: DecisionStatus::Proposed,
            moves,
        };
        check_decision(&decision, &balances)?;
        let id = tx.insert_budget_decision(&decision).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The budget decisions of a year, in the order they were proposed.
    pub async fn budget_decisions(&self, year: i16) -> Result<Vec<BudgetDecisionEntry>, AppError> {
        let mut tx = self.read().await?;
        let mut list = Vec::new();
        for d in tx.budget_decisions(year).await? {
            list.push(decision_entry(&mut tx, d).await?);
        }
        Ok(list)
    }

    /// The budget decisions an agenda item's report proposes.
    pub async fn item_budget_decisions(
        &self,
        sitting: &SittingKey,
        position: u32,
    ) -> Result<Vec<BudgetDecisionEntry>, AppError> {
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let item = tx.agenda_item_at(s.id, position).await?.ok_or_else(|| {
            AppError::not_found(format!("Ordre du jour : pas de point n°{position}."))
        })?;
        let mut list = Vec::new();
        for d in tx.budget_decisions_of_report(item.report).await? {
            list.push(decision_entry(&mut tx, d).await?);
        }
        Ok(list)
    }

    /// A line's figures now and the history of its credits.
    pub async fn budget_line_history(
        &self,
        key: &str,
        year: i16,
    ) -> Result<BudgetLineHistory, AppError> {
        let mut tx = self.read().await?;
        let line = find_budget_line(&mut tx, key, year).await?;
        let committed = commitments(&mut tx, line.id).await?;
        let row = budget_row(&line, &committed, None, Amount::ZERO)?;
        let opening = tx
            .budget_line_opening(line.id)
            .await?
            .unwrap_or(Amount::ZERO);
        let adopted = tx.adopted_moves_on(line.id).await?;
        Ok(BudgetLineHistory {
            id: line.id.get(),
            year: line.year,
            committed: acta_domain::budget::committed(&committed, None)?,
            row,
            history: credit_history(opening, adopted)?,
        })
    }

    /// Records a delegation of the council to a body (the Commission permanente).
    pub async fn add_delegation(
        &self,
        actor: &Actor,
        input: &DelegationInput,
    ) -> Result<i64, AppError> {
        let mut tx = self.write(actor).await?;
        let id = add_delegation_in(&mut tx, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The delegations recorded, oldest first.
    pub async fn delegations(&self) -> Result<Vec<DelegationEntry>, AppError> {
        let mut tx = self.read().await?;
        let bodies = tx.bodies().await?;
        Ok(tx
            .delegations(None)
            .await?
            .into_iter()
            .map(|d| DelegationEntry {
                id: d.id,
                body: bodies
                    .iter()
                    .find(|b| b.id == d.body)
                    .map(|b| b.name.clone())
                    .unwrap_or_default(),
                citation: d.delegation.citation(),
                visa: d.delegation.visa(),
                in_force: d.delegation.in_force_label(),
                delegation: d.delegation,
            })
            .collect())
    }
}

/// Records a delegation inside an open transaction (the form, the API, a dataset).
pub(crate) async fn add_delegation_in(
    tx: &mut Tx,
    input: &DelegationInput,
) -> Result<i64, AppError> {
    let council = tx
        .bodies()
        .await?
        .into_iter()
        .find(|b| b.kind == BodyKind::Council)
        .map_or_else(|| "Conseil départemental".to_string(), |b| b.data.name);
    let delegation = input.parse(&council)?;
    let body = lookup::body(tx, input.body_name().as_deref().unwrap_or("cp")).await?;
    if body.kind != BodyKind::PermanentCommission {
        return Err(DomainError::field(
            "instance",
            format!(
                "Instance : {} ne reçoit pas de délégation du Conseil départemental ; seule la commission permanente en reçoit (CGCT L3211-2).",
                body.name
            ),
        )
        .into());
    }
    tx.insert_delegation(body.id, &delegation)
        .await
        .map_err(crate::error::on_duplicate(format!(
            "Délégation : la délibération n°{} est déjà enregistrée.",
            delegation.number
        )))
}

async fn decision_entry(
    tx: &mut Tx,
    d: Stored<BudgetDecision>,
) -> Result<BudgetDecisionEntry, AppError> {
    let deliberation = match d.deliberation {
        Some(id) => tx.deliberation(id).await?.and_then(|d| d.data.number),
        None => None,
    };
    let mut lines = Vec::with_capacity(d.moves.len());
    for m in &d.moves {
        let code = tx
            .budget_line(m.line)
            .await?
            .map(|l| l.data.operation_code)
            .unwrap_or_default();
        lines.push((code, m.amount));
    }
    Ok(BudgetDecisionEntry {
        id: d.id.get(),
        title: d.title(),
        status: d.status.label().to_string(),
        deliberation,
        lines,
    })
}

pub(crate) async fn sitting_body(
    tx: &mut Tx,
    sitting: &Stored<Sitting>,
) -> Result<Stored<Body>, AppError> {
    tx.body(sitting.body)
        .await?
        .ok_or_else(|| AppError::not_found("Instance de la séance introuvable."))
}

/// A line as a decision finds it: credits now, committed and promised.
async fn balance(
    tx: &mut Tx,
    line: &Stored<acta_domain::budget::BudgetLine>,
) -> Result<LineBalance, AppError> {
    let committed = commitments(tx, line.id).await?;
    let pending = pending_proposals(tx, line.id, None).await?;
    Ok(LineBalance::of(line.id, line, &committed, pending)?)
}

/// Checks an item of the Commission permanente against the council's delegations in force
/// on the sitting's date, `extra_award` being an award about to be proposed. Returns the
/// delegation the item is taken under. Items of other bodies pass; so do the Commission
/// permanente's while no delegation is recorded, except budget decisions, which the law
/// never lets it take.
pub(crate) async fn check_delegation(
    tx: &mut Tx,
    sitting: &Stored<Sitting>,
    body: &Stored<Body>,
    report: Id<Report>,
    matter: Option<String>,
    extra_award: Option<Amount>,
    stage: Stage,
) -> Result<Option<Delegation>, AppError> {
    if body.kind != BodyKind::PermanentCommission {
        return Ok(None);
    }
    let mut awards: Vec<Amount> = tx
        .awards_of_report(report)
        .await?
        .into_iter()
        .map(|a| a.amount)
        .collect();
    awards.extend(extra_award);
    let subject = ItemSubject {
        matter,
        awards,
        budget_decision: !tx.budget_decisions_of_report(report).await?.is_empty(),
    };
    let delegations: Vec<Delegation> = tx
        .delegations(Some(body.id))
        .await?
        .into_iter()
        .map(|d| d.delegation)
        .collect();
    if delegations.is_empty() && !subject.budget_decision {
        return Ok(None);
    }
    Ok(check_item(&subject, sitting.date, &delegations, stage)?.cloned())
}

/// Adds the delegation's visa to a deliberation of the Commission permanente, unless it
/// already cites it.
pub(crate) fn cite_delegation(deliberation: &mut Deliberation, delegation: Option<&Delegation>) {
    if let Some(d) = delegation
        && let Some(visas) = with_delegation_visa(&deliberation.visas, d)
    {
        deliberation.visas = visas;
    }
}

/// Applies the vote to the item's budget decisions: adopted, their articles count in the
/// lines' credits (checked again, commitments may have moved since the proposal);
/// rejected, they never will.
pub(crate) async fn apply_vote_to_budget_decisions(
    tx: &mut Tx,
    report: Id<Report>,
    deliberation: Id<Deliberation>,
    outcome: Outcome,
) -> Result<(), AppError> {
    for decision in tx.budget_decisions_of_report(report).await? {
        let status = match outcome {
            Outcome::Adopted => {
                let mut balances = Vec::with_capacity(decision.moves.len());
                for m in &decision.moves {
                    let line = tx.budget_line(m.line).await?.ok_or_else(|| {
                        AppError::not_found(format!("Ligne budgétaire n°{} introuvable.", m.line))
                    })?;
                    balances.push(balance(tx, &line).await?);
                }
                check_decision(&decision, &balances)?;
                DecisionStatus::Adopted
            }
            Outcome::Rejected => DecisionStatus::Rejected,
            Outcome::TakenNote => continue,
        };
        tx.set_budget_decision_outcome(decision.id, status, deliberation)
            .await?;
    }
    Ok(())
}

/// An authorisation with what its awards commit and draw each year.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorisationView {
    pub id: i64,
    pub authorisation: acta_domain::programme::Authorisation,
    pub kind: String,
    pub status: String,
    pub balance: acta_domain::programme::AuthorisationBalance,
}

impl Acta {
    pub async fn add_authorisation(
        &self,
        actor: &Actor,
        input: &crate::input::budget_year::AuthorisationInput,
    ) -> Result<i64, AppError> {
        let authorisation = input.parse()?;
        let mut tx = self.write(actor).await?;
        let id =
            tx.insert_authorisation(&authorisation)
                .await
                .map_err(crate::error::on_duplicate(format!(
                    "Autorisation : le code {} existe déjà.",
                    authorisation.code
                )))?;
        tx.commit().await?;
        Ok(id)
    }

    /// A revision of the envelope and its échéancier, never below what awards draw.
    pub async fn revise_authorisation(
        &self,
        actor: &Actor,
        code: &str,
        input: &crate::input::budget_year::EnvelopeInput,
    ) -> Result<AuthorisationView, AppError> {
        let (amount, schedule) = input.parse()?;
        let mut tx = self.write(actor).await?;
        let stored = find_authorisation(&mut tx, code).await?;
        let mut revised = stored.authorisation.clone();
        revised.amount = amount;
        revised.schedule = schedule;
        let shares = tx.shares_on_authorisation(stored.id).await?;
        acta_domain::programme::check_revision(&revised, &shares)?;
        tx.update_authorisation(stored.id, &revised).await?;
        let view = authorisation_view(&mut tx, stored.id, revised).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The lapse (caducité) of an authorisation: nothing more is committed on it.
    pub async fn lapse_authorisation(&self, actor: &Actor, code: &str) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let stored = find_authorisation(&mut tx, code).await?;
        let mut lapsed = stored.authorisation.clone();
        lapsed.status = acta_domain::programme::AuthorisationStatus::Lapsed;
        tx.update_authorisation(stored.id, &lapsed).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn authorisations(&self) -> Result<Vec<AuthorisationView>, AppError> {
        let mut tx = self.read().await?;
        let mut list = Vec::new();
        for a in tx.authorisations().await? {
            list.push(authorisation_view(&mut tx, a.id, a.authorisation).await?);
        }
        Ok(list)
    }

    pub async fn authorisation(&self, code: &str) -> Result<AuthorisationView, AppError> {
        let mut tx = self.read().await?;
        let stored = find_authorisation(&mut tx, code).await?;
        authorisation_view(&mut tx, stored.id, stored.authorisation).await
    }
}

async fn find_authorisation(
    tx: &mut Tx,
    code: &str,
) -> Result<acta_store::StoredAuthorisation, AppError> {
    let code = code.trim().to_uppercase();
    tx.authorisation(&code).await?.ok_or_else(|| {
        AppError::not_found(format!("Autorisation : aucune autorisation « {code} »."))
    })
}

async fn authorisation_view(
    tx: &mut Tx,
    id: i64,
    authorisation: acta_domain::programme::Authorisation,
) -> Result<AuthorisationView, AppError> {
    let shares = tx.shares_on_authorisation(id).await?;
    let balance = acta_domain::programme::balance(&authorisation, &shares)?;
    Ok(AuthorisationView {
        id,
        kind: authorisation.kind.label().to_string(),
        status: authorisation.status.label().to_string(),
        authorisation,
        balance,
    })
}

/// An award's authorisation and yearly shares as typed (all in the award's year when
/// none are typed); none when the award is on no authorisation.
pub(crate) fn typed_shares(
    input: &crate::input::AwardInput,
    amount: Amount,
) -> Result<Option<(String, acta_domain::programme::Yearly)>, AppError> {
    let Some(code) = crate::input::non_blank(&input.authorisation) else {
        return Ok(None);
    };
    let shares = if input.shares.is_empty() {
        std::iter::once((input.year, amount)).collect()
    } else {
        acta_domain::programme::parse_yearly("echeancier", &input.shares)?
    };
    Ok(Some((code, shares)))
}

/// Puts a new award on an authorisation: its yearly shares checked against the envelope
/// and each year's credits left, then recorded.
pub(crate) async fn place_on_authorisation(
    tx: &mut Tx,
    award: Id<acta_domain::grant::Award>,
    code: &str,
    shares: &acta_domain::programme::Yearly,
    amount: Amount,
) -> Result<(), AppError> {
    let stored = find_authorisation(tx, code).await?;
    let others = tx.shares_on_authorisation(stored.id).await?;
    acta_domain::programme::check_award(&stored.authorisation, &others, shares, amount)?;
    tx.insert_award_shares(award, stored.id, shares).await?;
    Ok(())
}

/// What an award holds on its budget line: its own year's share when it is on an
/// authorisation (the other years draw their own credits), else its whole amount.
pub(crate) async fn line_share(
    tx: &mut Tx,
    award: &Stored<acta_domain::grant::Award>,
) -> Result<Amount, AppError> {
    let shares = tx.award_shares(award.id).await?;
    Ok(acta_domain::programme::share_on_line(
        award.amount,
        award.year,
        shares.as_ref().map(|(_, s)| s),
    ))
}
