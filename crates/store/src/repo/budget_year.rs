//! Budget decisions with their credit moves, and the council's delegations to the
//! Commission permanente. Journaled.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::budget::BudgetLine;
use acta_domain::collectivity::Body;
use acta_domain::credits::{AdoptedMove, BudgetDecision, CreditMove, DecisionStatus};
use acta_domain::delegation::Delegation;
use acta_domain::deliberation::Deliberation;
use acta_domain::report::Report;
use acta_domain::{Amount, Id, Stored};
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// A delegation as stored: the body it delegates to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDelegation {
    pub id: i64,
    pub body: Id<Body>,
    pub delegation: Delegation,
}

const ADOPTED: &str = "adoptee";

impl Tx {
    pub async fn insert_budget_decision(
        &mut self,
        d: &BudgetDecision,
    ) -> Result<Id<BudgetDecision>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO budget_decision (year, kind, rank, report_id, deliberation_id, status) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(i64::from(d.year))
                .bind(d.kind.code())
                .bind(d.rank.map(i64::from))
                .bind(d.report.get())
                .bind(d.deliberation.map(Id::get))
                .bind(d.status.code()),
            )
            .await?;
        for m in &d.moves {
            sqlx::query(
                "INSERT INTO credit_move (decision_id, budget_line_id, amount) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(m.line.get())
            .bind(m.amount.centimes())
            .execute(self.conn())
            .await?;
        }
        let stored = Stored::new(Id::new(id), d.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::BUDGET_DECISION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    async fn decision_from_row(
        &mut self,
        row: &AnyRow,
    ) -> Result<Stored<BudgetDecision>, StoreError> {
        let id: Id<BudgetDecision> = id(row, "id")?;
        let moves = sqlx::query(
            "SELECT budget_line_id, amount FROM credit_move WHERE decision_id = $1 ORDER BY id",
        )
        .bind(id.get())
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(|m| {
            Ok(CreditMove {
                line: crate::codec::id(m, "budget_line_id")?,
                amount: Amount::from_centimes(get(m, "amount")?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Stored::new(
            id,
            BudgetDecision {
                year: i16_col(row, "year")?,
                kind: code(row, "kind", acta_domain::credits::DecisionKind::from_code)?,
                rank: opt_u32(row, "rank")?,
                report: crate::codec::id(row, "report_id")?,
                deliberation: opt_id(row, "deliberation_id")?,
                status: code(row, "status", DecisionStatus::from_code)?,
                moves,
            },
        ))
    }

    pub async fn budget_decision(
        &mut self,
        id: Id<BudgetDecision>,
    ) -> Result<Option<Stored<BudgetDecision>>, StoreError> {
        let row = sqlx::query("SELECT * FROM budget_decision WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(row) => Ok(Some(self.decision_from_row(&row).await?)),
            None => Ok(None),
        }
    }

    async fn decisions_of_rows(
        &mut self,
        rows: Vec<AnyRow>,
    ) -> Result<Vec<Stored<BudgetDecision>>, StoreError> {
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.decision_from_row(row).await?);
        }
        Ok(out)
    }

    pub async fn budget_decisions_of_report(
        &mut self,
        report: Id<Report>,
    ) -> Result<Vec<Stored<BudgetDecision>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM budget_decision WHERE report_id = $1 ORDER BY id")
            .bind(report.get())
            .fetch_all(self.conn())
            .await?;
        self.decisions_of_rows(rows).await
    }

    pub async fn budget_decisions(
        &mut self,
        year: i16,
    ) -> Result<Vec<Stored<BudgetDecision>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM budget_decision WHERE year = $1 ORDER BY id")
            .bind(i64::from(year))
            .fetch_all(self.conn())
            .await?;
        self.decisions_of_rows(rows).await
    }

    /// Records the vote's outcome on a decision and the deliberation that carries it.
    pub async fn set_budget_decision_outcome(
        &mut self,
        id: Id<BudgetDecision>,
        status: DecisionStatus,
        deliberation: Id<Deliberation>,
    ) -> Result<(), StoreError> {
        let before = self.budget_decision(id).await?;
        sqlx::query("UPDATE budget_decision SET status = $1, deliberation_id = $2 WHERE id = $3")
            .bind(status.code())
            .bind(deliberation.get())
            .bind(id.get())
            .execute(self.conn())
            .await?;
        let after = self.budget_decision(id).await?;
        self.record(
            action::UPDATE,
            entity::BUDGET_DECISION,
            &id.to_string(),
            before.as_ref(),
            after.as_ref(),
        )
        .await
    }

    /// The articles of adopted decisions on the given lines, by line.
    pub(crate) async fn adopted_credit_moves(
        &mut self,
        year: Option<i16>,
        line: Option<Id<BudgetLine>>,
    ) -> Result<HashMap<i64, Vec<Amount>>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.budget_line_id, m.amount FROM credit_move m \
             JOIN budget_decision d ON d.id = m.decision_id \
             WHERE d.status = $1 AND ($2 IS NULL OR d.year = $2) AND ($3 IS NULL OR m.budget_line_id = $3) \
             ORDER BY m.id",
        )
        .bind(ADOPTED)
        .bind(year.map(i64::from))
        .bind(line.map(Id::get))
        .fetch_all(self.conn())
        .await?;
        let mut by_line: HashMap<i64, Vec<Amount>> = HashMap::new();
        for row in &rows {
            by_line
                .entry(get(row, "budget_line_id")?)
                .or_default()
                .push(Amount::from_centimes(get(row, "amount")?));
        }
        Ok(by_line)
    }

    /// What adopted decisions gave a line, with the deliberation that adopted each.
    pub async fn adopted_moves_on(
        &mut self,
        line: Id<BudgetLine>,
    ) -> Result<Vec<AdoptedMove>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.year, d.kind, d.rank, m.amount, dl.number, dl.date FROM credit_move m \
             JOIN budget_decision d ON d.id = m.decision_id \
             JOIN deliberation dl ON dl.id = d.deliberation_id \
             WHERE d.status = $1 AND m.budget_line_id = $2 ORDER BY dl.date, d.id",
        )
        .bind(ADOPTED)
        .bind(line.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AdoptedMove {
                    title: acta_domain::credits::decision_title(
                        code(row, "kind", acta_domain::credits::DecisionKind::from_code)?,
                        opt_u32(row, "rank")?,
                        i16_col(row, "year")?,
                    ),
                    deliberation: get(row, "number")?,
                    date: date(row, "date")?,
                    amount: Amount::from_centimes(get(row, "amount")?),
                })
            })
            .collect()
    }

    pub async fn insert_delegation(
        &mut self,
        body: Id<Body>,
        d: &Delegation,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO delegation (body_id, number, data_json) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(body.get())
                .bind(d.number.clone())
                .bind(to_json(d)?),
            )
            .await?;
        let stored = StoredDelegation {
            id,
            body,
            delegation: d.clone(),
        };
        self.record::<(), _>(
            action::CREATE,
            entity::DELEGATION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// The delegations recorded to a body (the Commission permanente), or to any body.
    pub async fn delegations(
        &mut self,
        body: Option<Id<Body>>,
    ) -> Result<Vec<StoredDelegation>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM delegation WHERE ($1 IS NULL OR body_id = $1) ORDER BY id")
                .bind(body.map(Id::get))
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredDelegation {
                    id: get(row, "id")?,
                    body: crate::codec::id(row, "body_id")?,
                    delegation: json(row, "data_json")?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// The orders for the accountant: every payment as a mandate, every reimbursement
    /// decision with something to recover as a titre; of one budget year, or all.
    pub async fn accountant_orders(
        &mut self,
        year: Option<i16>,
    ) -> Result<Vec<acta_domain::orders::Order>, StoreError> {
        use acta_domain::grant::AwardKind;
        use acta_domain::orders::{Order, OrderKind};
        let mandates = sqlx::query(
            "SELECT p.tranche, p.date, p.amount, p.reference, p.mandate_date, a.id AS award_id, a.year, a.kind, a.purpose, \
                    l.operation_code, l.nature_account, l.functional_chapter, l.function, \
                    b.name, b.siret, ba.holder, ba.iban, c.title AS convention_title, d.number AS deliberation_number \
             FROM payment p \
             JOIN award a ON a.id = p.award_id \
             JOIN budget_line l ON l.id = a.budget_line_id \
             JOIN beneficiary b ON b.id = a.beneficiary_id \
             LEFT JOIN bank_account ba ON ba.id = p.bank_account_id \
             LEFT JOIN convention c ON c.id = p.convention_id \
             LEFT JOIN deliberation d ON d.id = a.deliberation_id \
             WHERE ($1 IS NULL OR a.year = $1) ORDER BY p.date, p.id",
        )
        .bind(year.map(i64::from))
        .fetch_all(self.conn())
        .await?;
        let titles = sqlx::query(
            "SELECT r.decided_on, r.to_recover, r.receipt_title, r.explanation, a.id AS award_id, a.year, a.kind, \
                    l.operation_code, l.nature_account, l.functional_chapter, l.function, \
                    b.name, b.siret, c.title AS convention_title, d.number AS deliberation_number \
             FROM reimbursement_decision r \
             JOIN award a ON a.id = r.award_id \
             JOIN budget_line l ON l.id = a.budget_line_id \
             JOIN beneficiary b ON b.id = a.beneficiary_id \
             LEFT JOIN convention c ON c.award_id = a.id \
             LEFT JOIN deliberation d ON d.id = a.deliberation_id \
             WHERE ($1 IS NULL OR a.year = $1) ORDER BY r.decided_on, r.id",
        )
        .bind(year.map(i64::from))
        .fetch_all(self.conn())
        .await?;
        let kind = |row: &AnyRow| -> Result<AwardKind, StoreError> { enum_from(row, "kind") };
        let mut out = Vec::with_capacity(mandates.len() + titles.len());
        for row in &mandates {
            let amount = Amount::from_centimes(get(row, "amount")?);
            let tranche = u32_col(row, "tranche")?;
            let year = i16_col(row, "year")?;
            let purpose: String = get(row, "purpose")?;
            out.push(Order {
                kind: OrderKind::Mandat,
                exercice: year,
                operation: get(row, "operation_code")?,
                compte_nature: get(row, "nature_account")?,
                chapitre_fonctionnel: get(row, "functional_chapter")?,
                fonction: get(row, "function")?,
                tiers: get(row, "name")?,
                siret: get(row, "siret")?,
                titulaire_compte: get(row, "holder")?,
                iban: get(row, "iban")?,
                montant_centimes: amount.centimes(),
                montant: amount.format_decimal_point(),
                date: date(row, "date")?,
                date_mandat: opt_date(row, "mandate_date")?,
                reference: Some(get(row, "reference")?),
                tranche: Some(tranche),
                aide: get(row, "award_id")?,
                convention: get(row, "convention_title")?,
                deliberation: get(row, "deliberation_number")?,
                objet: acta_domain::orders::mandate_object(kind(row)?, year, tranche, &purpose),
            });
        }
        for row in &titles {
            let amount = Amount::from_centimes(get(row, "to_recover")?);
            if !acta_domain::orders::titre_due(amount) {
                continue;
            }
            let explanation: String = get(row, "explanation")?;
            out.push(Order {
                kind: OrderKind::Titre,
                exercice: i16_col(row, "year")?,
                operation: get(row, "operation_code")?,
                compte_nature: get(row, "nature_account")?,
                chapitre_fonctionnel: get(row, "functional_chapter")?,
                fonction: get(row, "function")?,
                tiers: get(row, "name")?,
                siret: get(row, "siret")?,
                titulaire_compte: None,
                iban: None,
                montant_centimes: amount.centimes(),
                montant: amount.format_decimal_point(),
                date: date(row, "decided_on")?,
                date_mandat: None,
                reference: get(row, "receipt_title")?,
                tranche: None,
                aide: get(row, "award_id")?,
                convention: get(row, "convention_title")?,
                deliberation: get(row, "deliberation_number")?,
                objet: acta_domain::orders::titre_object(kind(row)?, &explanation),
            });
        }
        Ok(out)
    }
}

/// An authorisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAuthorisation {
    pub id: i64,
    pub authorisation: acta_domain::programme::Authorisation,
}

impl Tx {
    pub async fn insert_authorisation(
        &mut self,
        a: &acta_domain::programme::Authorisation,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO authorisation (code, data_json) VALUES ($1, $2) RETURNING id",
                )
                .bind(a.code.clone())
                .bind(to_json(a)?),
            )
            .await?;
        let stored = StoredAuthorisation {
            id,
            authorisation: a.clone(),
        };
        self.record::<(), _>(
            action::CREATE,
            entity::AUTHORISATION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// A revision or a lapse: the authorisation as the new decision leaves it.
    pub async fn update_authorisation(
        &mut self,
        id: i64,
        a: &acta_domain::programme::Authorisation,
    ) -> Result<(), StoreError> {
        let before = self.authorisation_by_id(id).await?;
        sqlx::query("UPDATE authorisation SET data_json = $1 WHERE id = $2")
            .bind(to_json(a)?)
            .bind(id)
            .execute(self.conn())
            .await?;
        let after = StoredAuthorisation {
            id,
            authorisation: a.clone(),
        };
        self.record(
            action::UPDATE,
            entity::AUTHORISATION,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    async fn authorisation_by_id(
        &mut self,
        id: i64,
    ) -> Result<Option<StoredAuthorisation>, StoreError> {
        let row = sqlx::query("SELECT * FROM authorisation WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(StoredAuthorisation {
                id: get(&r, "id")?,
                authorisation: json(&r, "data_json")?,
            })
        })
        .transpose()
    }

    pub async fn authorisation(
        &mut self,
        code: &str,
    ) -> Result<Option<StoredAuthorisation>, StoreError> {
        let row = sqlx::query("SELECT * FROM authorisation WHERE code = $1")
            .bind(code.to_string())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(StoredAuthorisation {
                id: get(&r, "id")?,
                authorisation: json(&r, "data_json")?,
            })
        })
        .transpose()
    }

    pub async fn authorisations(&mut self) -> Result<Vec<StoredAuthorisation>, StoreError> {
        let rows = sqlx::query("SELECT * FROM authorisation ORDER BY code")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredAuthorisation {
                    id: get(r, "id")?,
                    authorisation: json(r, "data_json")?,
                })
            })
            .collect()
    }

    pub async fn insert_award_shares(
        &mut self,
        award: Id<acta_domain::grant::Award>,
        authorisation: i64,
        shares: &acta_domain::programme::Yearly,
    ) -> Result<(), StoreError> {
        for (year, amount) in shares {
            sqlx::query(
                "INSERT INTO award_share (award_id, authorisation_id, year, amount) VALUES ($1, $2, $3, $4)",
            )
            .bind(award.get())
            .bind(authorisation)
            .bind(i64::from(*year))
            .bind(amount.centimes())
            .execute(self.conn())
            .await?;
        }
        let recorded = serde_json::json!({ "aide": award.get(), "autorisation": authorisation, "parts": shares });
        self.record::<(), _>(
            action::CREATE,
            entity::AWARD_SHARE,
            &award.to_string(),
            None,
            Some(&recorded),
        )
        .await
    }

    /// The yearly shares of an award on an authorisation, if it is on one.
    pub async fn award_shares(
        &mut self,
        award: Id<acta_domain::grant::Award>,
    ) -> Result<Option<(i64, acta_domain::programme::Yearly)>, StoreError> {
        let rows = sqlx::query("SELECT * FROM award_share WHERE award_id = $1 ORDER BY year")
            .bind(award.get())
            .fetch_all(self.conn())
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let authorisation: i64 = get(first, "authorisation_id")?;
        let mut shares = acta_domain::programme::Yearly::new();
        for r in &rows {
            shares.insert(
                i16_col(r, "year")?,
                Amount::from_centimes(get(r, "amount")?),
            );
        }
        Ok(Some((authorisation, shares)))
    }

    /// The yearly shares of the awards of a budget line that are on an authorisation, by
    /// award id (an award without shares is absent).
    pub async fn award_shares_on_line(
        &mut self,
        line: Id<BudgetLine>,
    ) -> Result<HashMap<i64, acta_domain::programme::Yearly>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.award_id, s.year, s.amount FROM award_share s JOIN award a ON a.id = s.award_id \
             WHERE a.budget_line_id = $1",
        )
        .bind(line.get())
        .fetch_all(self.conn())
        .await?;
        let mut shares = HashMap::<i64, acta_domain::programme::Yearly>::new();
        for r in &rows {
            shares.entry(get(r, "award_id")?).or_default().insert(
                i16_col(r, "year")?,
                Amount::from_centimes(get(r, "amount")?),
            );
        }
        Ok(shares)
    }

    /// The yearly shares of the awards that still hold an authorisation's credits
    /// (proposed or adopted; rejected and cancelled awards release theirs).
    pub async fn shares_on_authorisation(
        &mut self,
        authorisation: i64,
    ) -> Result<Vec<acta_domain::programme::Yearly>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.award_id, s.year, s.amount, a.status FROM award_share s JOIN award a ON a.id = s.award_id \
             WHERE s.authorisation_id = $1 ORDER BY s.award_id, s.year",
        )
        .bind(authorisation)
        .fetch_all(self.conn())
        .await?;
        let mut by_award: std::collections::BTreeMap<i64, acta_domain::programme::Yearly> =
            std::collections::BTreeMap::new();
        for r in &rows {
            let status = code(r, "status", acta_domain::grant::AwardStatus::from_code)?;
            if !status.holds_credits() {
                continue;
            }
            by_award.entry(get(r, "award_id")?).or_default().insert(
                i16_col(r, "year")?,
                Amount::from_centimes(get(r, "amount")?),
            );
        }
        Ok(by_award.into_values().collect())
    }
}
