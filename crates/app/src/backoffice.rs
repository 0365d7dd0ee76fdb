//! What the back office's forms offer to choose from: sittings, bodies, the members
//! called to a sitting with their roll call, groups, beneficiaries, and budget lines with
//! their credits. Read-only; every figure comes from the domain's rules.

use crate::grants::commitments;
use crate::{Acta, AppError, lookup};
use acta_domain::Amount;
use acta_domain::budget::{BudgetRow, budget_row};
use acta_domain::convention::ConventionStatus;
use acta_domain::grant::{AwardKind, AwardStatus};
use acta_domain::keys::SittingKey;
use acta_domain::people::Role;
use acta_domain::sitting::AttendanceStatus;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SittingEntry {
    pub id: i64,
    pub date: Date,
    pub body: String,
    pub items: i64,
}

/// A body that deliberates, as offered when creating a sitting.
#[derive(Debug, Clone, Serialize)]
pub struct BodyChoice {
    pub id: i64,
    pub name: String,
}

/// A member called to a sitting: in office with a vote in its body, or present without
/// one, with what the roll call says so far.
#[derive(Debug, Clone, Serialize)]
pub struct RollCallEntry {
    pub member_id: i64,
    pub name: String,
    pub group: Option<String>,
    pub voting: bool,
    /// Presides the sitting (or its body, when the sitting names no president).
    pub presides: bool,
    pub status: Option<AttendanceStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BeneficiaryChoice {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
}

/// An award proposed by an item's report.
#[derive(Debug, Clone, Serialize)]
pub struct ItemAward {
    pub beneficiary: String,
    pub amount: Amount,
    pub budget_line: String,
    pub kind: AwardKind,
    pub status: AwardStatus,
}

/// An award in the back office's list, with where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct AwardEntry {
    pub id: i64,
    pub beneficiary: String,
    pub amount: Amount,
    pub year: i16,
    pub status: AwardStatus,
    pub deliberation_number: Option<String>,
    pub convention: Option<ConventionStatus>,
}

/// A budget line with what is left on it now.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLineChoice {
    pub id: i64,
    pub year: i16,
    pub row: BudgetRow,
}

impl Acta {
    /// Every sitting, latest first.
    pub async fn sitting_entries(&self) -> Result<Vec<SittingEntry>, AppError> {
        let mut tx = self.read().await?;
        let bodies = tx.bodies().await?;
        let mut list: Vec<SittingEntry> = tx
            .sittings()
            .await?
            .into_iter()
            .map(|s| SittingEntry {
                id: s.id.get(),
                date: s.date,
                body: bodies
                    .iter()
                    .find(|b| b.id == s.body)
                    .map(|b| b.display_name())
                    .unwrap_or_default(),
                items: s.items,
            })
            .collect();
        list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
        Ok(list)
    }

    pub async fn deliberating_bodies(&self) -> Result<Vec<BodyChoice>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx
            .bodies()
            .await?
            .into_iter()
            .filter(|b| b.kind.deliberates())
            .map(|b| BodyChoice {
                id: b.id.get(),
                name: b.display_name(),
            })
            .collect())
    }

    /// The thematic commissions, whose opinion a report may carry.
    pub async fn thematic_commissions(&self) -> Result<Vec<BodyChoice>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx
            .bodies()
            .await?
            .into_iter()
            .filter(|b| !b.kind.deliberates())
            .map(|b| BodyChoice {
                id: b.id.get(),
                name: b.display_name(),
            })
            .collect())
    }

    /// The members called to a sitting in the order of a roll call: the president first,
    /// then voting members, each by surname.
    pub async fn roll_call(&self, sitting: &SittingKey) -> Result<Vec<RollCallEntry>, AppError> {
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let members = tx.members().await?;
        let groups = tx.groups().await?;
        let marked = tx.attendance(s.id).await?;
        let mut list = Vec::new();
        let mut keys = std::collections::HashMap::new();
        let mandates = tx.mandates_in(s.body).await?;
        let president = s.president.or_else(|| {
            mandates
                .iter()
                .find(|m| m.role == Role::President && m.active_on(s.date))
                .map(|m| m.member)
        });
        for mandate in mandates {
            if !mandate.active_on(s.date)
                || list
                    .iter()
                    .any(|e: &RollCallEntry| e.member_id == mandate.member.get())
            {
                continue;
            }
            let Some(member) = members.iter().find(|m| m.id == mandate.member) else {
                continue;
            };
            let presides = president == Some(member.id);
            keys.insert(
                member.id.get(),
                member.name.roll_call_key(presides, mandate.voting),
            );
            list.push(RollCallEntry {
                member_id: member.id.get(),
                name: member.name.with_civility(),
                group: member
                    .group
                    .and_then(|g| groups.iter().find(|x| x.id == g))
                    .map(|g| g.name.clone()),
                voting: mandate.voting,
                presides,
                status: marked
                    .iter()
                    .find(|a| a.member == member.id)
                    .map(|a| a.status),
            });
        }
        list.sort_by(|a, b| keys.get(&a.member_id).cmp(&keys.get(&b.member_id)));
        Ok(list)
    }

    pub async fn group_choices(&self) -> Result<Vec<GroupChoice>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx
            .groups()
            .await?
            .into_iter()
            .map(|g| GroupChoice {
                id: g.id.get(),
                name: g.data.name,
            })
            .collect())
    }

    pub async fn beneficiary_choices(&self) -> Result<Vec<BeneficiaryChoice>, AppError> {
        Ok(self
            .beneficiaries()
            .await?
            .into_iter()
            .map(|b| BeneficiaryChoice {
                id: b.id.get(),
                name: b.name.clone(),
                siret: b.siret.as_ref().map(|s| s.to_string()),
            })
            .collect())
    }

    /// The lines of a budget year with their credits available now.
    pub async fn budget_line_choices(&self, year: i16) -> Result<Vec<BudgetLineChoice>, AppError> {
        let mut tx = self.read().await?;
        let mut list = Vec::new();
        for line in tx.budget_lines(Some(year)).await? {
            let committed = commitments(&mut tx, line.id).await?;
            list.push(BudgetLineChoice {
                id: line.id.get(),
                year: line.year,
                row: budget_row(&line, &committed, None, Amount::ZERO)?,
            });
        }
        Ok(list)
    }

    /// The awards an agenda item's report proposes, in the order they were entered.
    pub async fn item_awards(
        &self,
        sitting: &SittingKey,
        position: u32,
    ) -> Result<Vec<ItemAward>, AppError> {
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let Some(item) = tx.agenda_item_at(s.id, position).await? else {
            return Err(AppError::not_found(format!(
                "Ordre du jour : la séance n'a pas de point n°{position}."
            )));
        };
        let mut list = Vec::new();
        for award in tx.awards_of_report(item.report).await? {
            let beneficiary = tx
                .beneficiary(award.beneficiary)
                .await?
                .map(|b| b.data.name.clone())
                .unwrap_or_default();
            let budget_line = tx
                .budget_line(award.budget_line)
                .await?
                .map(|l| l.data.operation_code.clone())
                .unwrap_or_default();
            list.push(ItemAward {
                beneficiary,
                amount: award.amount,
                budget_line,
                kind: award.kind,
                status: award.status,
            });
        }
        Ok(list)
    }

    /// The latest awards (at most `limit`), with their deliberation and convention.
    pub async fn award_entries(&self, limit: i64) -> Result<Vec<AwardEntry>, AppError> {
        let mut tx = self.read().await?;
        let mut list = Vec::new();
        for award in tx.awards_latest(0, limit).await? {
            let beneficiary = tx
                .beneficiary(award.beneficiary)
                .await?
                .map(|b| b.data.name.clone())
                .unwrap_or_default();
            let deliberation_number = match award.deliberation {
                Some(d) => tx
                    .deliberation(d)
                    .await?
                    .and_then(|d| d.data.number.clone()),
                None => None,
            };
            let convention = tx
                .convention_of_award(award.id)
                .await?
                .map(|c| c.data.status);
            list.push(AwardEntry {
                id: award.id.get(),
                beneficiary,
                amount: award.amount,
                year: award.year,
                status: award.status,
                deliberation_number,
                convention,
            });
        }
        Ok(list)
    }
}
