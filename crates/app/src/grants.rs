//! Budget lines and the awards reports propose.

use crate::{Acta, Actor, AppError, lookup};
use acta_domain::budget::{BudgetLine, Commitment, Imputation, budget_row, check_proposal};
use acta_domain::error::{DomainError, Errors};
use acta_domain::french::normalize_spaces;
use acta_domain::grant::{Award, AwardStatus};
use acta_domain::keys::SittingKey;
use acta_domain::{Amount, Id, Stored};
use acta_store::Tx;

pub use crate::input::grants::NewBudgetLine;
pub use crate::input::sittings::{AwardInput, NewAward};

/// A line by number, or by operation code for a year.
pub(crate) async fn find_budget_line(
    tx: &mut Tx,
    key: &str,
    year: i16,
) -> Result<Stored<BudgetLine>, AppError> {
    let key = key.trim();
    if let Ok(n) = key.parse::<i64>()
        && let Some(line) = tx.budget_line(Id::new(n)).await?
    {
        return Ok(line);
    }
    let mut found: Vec<Stored<BudgetLine>> = tx
        .budget_lines(Some(year))
        .await?
        .into_iter()
        .filter(|l| l.operation_code.eq_ignore_ascii_case(key))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(AppError::not_found(format!(
            "Ligne budgétaire : aucune opération « {key} » au budget {year}."
        ))),
        n => Err(AppError::conflict(format!(
            "Ligne budgétaire : {n} lignes portent l'opération « {key} » en {year} ; donnez leur numéro ({}).",
            found
                .iter()
                .map(|l| l.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(crate) async fn commitments(
    tx: &mut Tx,
    line: Id<BudgetLine>,
) -> Result<Vec<Commitment>, AppError> {
    Ok(tx
        .commitments_on(line)
        .await?
        .into_iter()
        .map(|c| c.data)
        .collect())
}

/// What other proposals waiting for their vote already promise on a line.
pub(crate) async fn pending_proposals(
    tx: &mut Tx,
    line: Id<BudgetLine>,
    except: Option<Id<Award>>,
) -> Result<Amount, AppError> {
    // Two queries for the whole line, whatever its number of awards: the check runs for
    // every proposal, and one query per award made loading a register quadratic.
    let shares = tx.award_shares_on_line(line).await?;
    let amounts = tx
        .awards_on_line(line)
        .await?
        .into_iter()
        .filter(|a| a.status == AwardStatus::Proposed && Some(a.id) != except)
        .map(|a| acta_domain::programme::share_on_line(a.amount, a.year, shares.get(&a.id.get())));
    Amount::checked_sum(amounts)
        .ok_or_else(|| AppError::Domain(DomainError::rule("Total des propositions hors limites.")))
}

/// Checks a proposal against a line's credits, committed and promised.
pub(crate) async fn check_line(
    tx: &mut Tx,
    line: &Stored<BudgetLine>,
    award: Option<Id<Award>>,
    amount: Amount,
) -> Result<(), AppError> {
    let committed = commitments(tx, line.id).await?;
    let pending = pending_proposals(tx, line.id, award).await?;
    check_proposal(line, &committed, award, pending, amount)?;
    Ok(())
}

impl Acta {
    pub async fn add_budget_line(
        &self,
        actor: &Actor,
        input: &NewBudgetLine,
    ) -> Result<Id<BudgetLine>, AppError> {
        let mut errors = Errors::new();
        let voted = errors.check(Amount::parse_fr("cp_votes", &input.voted));
        let imputation = match Imputation::parse("imputation", &input.imputation) {
            Ok(i) => Some(i),
            Err(DomainError::Invalid(list)) => {
                for e in list {
                    errors.push(e);
                }
                None
            }
            Err(e) => return Err(e.into()),
        };
        errors.into_result()?;
        let (Some(voted), Some(imputation)) = (voted, imputation) else {
            return Err(AppError::Domain(DomainError::rule(
                "Ligne budgétaire incomplète.",
            )));
        };
        let line = BudgetLine {
            year: input.year,
            operation_code: input.operation_code.trim().to_uppercase(),
            label: normalize_spaces(&input.label),
            imputation,
            voted,
        };
        line.validate()?;
        let mut tx = self.write(actor).await?;
        let id = tx
            .insert_budget_line(&line)
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Ligne budgétaire : l'opération {} ({}) existe déjà au budget {}.",
                line.operation_code, line.imputation, line.year
            )))?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records an award proposed by an item's report; refused when the line has not
    /// enough credits left.
    pub async fn propose_award(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        position: u32,
        input: &AwardInput,
    ) -> Result<Id<Award>, AppError> {
        // Bad input never takes the write lock.
        parse_award(input)?;
        let mut tx = self.write(actor).await?;
        let id = propose_award_in(&mut tx, sitting, position, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The figures of a line now: CP voted, available, and what a proposal would leave.
    pub async fn budget_line_row(
        &self,
        key: &str,
        year: i16,
        proposed: Amount,
    ) -> Result<acta_domain::budget::BudgetRow, AppError> {
        let mut tx = self.read().await?;
        let line = find_budget_line(&mut tx, key, year).await?;
        let committed = commitments(&mut tx, line.id).await?;
        Ok(budget_row(&line, &committed, None, proposed)?)
    }
}

/// The amount and kind an award input gives, every mistake at once.
fn parse_award(input: &AwardInput) -> Result<(Amount, acta_domain::grant::AwardKind), AppError> {
    let mut errors = Errors::new();
    let amount = errors.check(Amount::parse_fr("montant", &input.amount));
    let kind = errors.check(input.kind());
    errors.into_result()?;
    match (amount, kind) {
        (Some(amount), Some(kind)) => Ok((amount, kind)),
        _ => Err(DomainError::rule("Attribution incomplète.").into()),
    }
}

/// Records an award proposed by an item's report inside an open transaction; refused
/// when the line has not enough credits left.
pub(crate) async fn propose_award_in(
    tx: &mut Tx,
    sitting: &SittingKey,
    position: u32,
    input: &AwardInput,
) -> Result<Id<Award>, AppError> {
    let (amount, kind) = parse_award(input)?;
    let sitting = lookup::sitting(tx, sitting).await?;
    let item = tx
        .agenda_item_at(sitting.id, position)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!("Ordre du jour : pas de point n°{position}."))
        })?;
    if tx.vote_of_item(item.id).await?.is_some() {
        return Err(AppError::conflict(format!(
            "Le point n°{position} est déjà voté : on ne lui ajoute plus d'attribution."
        )));
    }
    let beneficiary = crate::beneficiaries::find_beneficiary_in(tx, &input.beneficiary).await?;
    let line = find_budget_line(tx, &input.budget_line, input.year).await?;
    let deliberation = tx.deliberation_of_report(item.report).await?;
    let body = crate::budget_year::sitting_body(tx, &sitting).await?;
    crate::budget_year::check_delegation(
        tx,
        &sitting,
        &body,
        item.report,
        deliberation.as_ref().and_then(|d| d.matter_code.clone()),
        Some(amount),
        acta_domain::delegation::Stage::Agenda,
    )
    .await?;
    let deliberation = deliberation.map(|d| d.id);
    let award = Award {
        beneficiary: beneficiary.id,
        report: Some(item.report),
        deliberation,
        budget_line: line.id,
        kind,
        amount,
        year: input.year,
        purpose: normalize_spaces(&input.purpose),
        status: AwardStatus::Proposed,
    };
    award.validate()?;
    // On an authorisation, the line of the award's year carries that year's share only.
    let shares = crate::budget_year::typed_shares(input, amount)?;
    let line_amount = match &shares {
        Some((_, yearly)) => yearly.get(&input.year).copied().unwrap_or(Amount::ZERO),
        None => amount,
    };
    check_line(tx, &line, None, line_amount).await?;
    let id = tx.insert_award(&award).await?;
    if let Some((code, yearly)) = &shares {
        crate::budget_year::place_on_authorisation(tx, id, code, yearly, amount).await?;
    }
    Ok(id)
}
