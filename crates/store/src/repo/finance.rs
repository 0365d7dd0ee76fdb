//! Budget lines, commitments, beneficiaries, bank accounts and awards.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::beneficiary::{BankAccount, Beneficiary};
use acta_domain::budget::{BudgetLine, Commitment, CommitmentSource, Imputation};
use acta_domain::collectivity::Address;
use acta_domain::deliberation::Deliberation;
use acta_domain::grant::{Award, AwardStatus};
use acta_domain::identifiers::{Iban, Rna, Siret};
use acta_domain::report::Report;
use acta_domain::{Amount, Id, Stored};
use sqlx::any::AnyRow;

fn line_from_row(row: &AnyRow) -> Result<Stored<BudgetLine>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        BudgetLine {
            year: i16_col(row, "year")?,
            operation_code: get(row, "operation_code")?,
            label: get(row, "label")?,
            imputation: Imputation {
                nature_account: get(row, "nature_account")?,
                functional_chapter: get(row, "functional_chapter")?,
                function: get(row, "function")?,
            },
            voted: Amount::from_centimes(get(row, "voted")?),
        },
    ))
}

/// A line with its credits now: those recorded with it plus the adopted decisions'.
fn credited(
    mut line: Stored<BudgetLine>,
    moves: &std::collections::HashMap<i64, Vec<Amount>>,
) -> Result<Stored<BudgetLine>, StoreError> {
    if let Some(adopted) = moves.get(&line.id.get()) {
        line.data.voted =
            acta_domain::credits::line_credits(line.data.voted, adopted.iter().copied()).map_err(
                |e| StoreError::corrupt(format!("budget_line {}", line.id), e.to_string()),
            )?;
    }
    Ok(line)
}

fn commitment_from_row(row: &AnyRow) -> Result<Stored<Commitment>, StoreError> {
    let source = match opt_id(row, "award_id")? {
        Some(award) => CommitmentSource::Award { award },
        None => CommitmentSource::Prior {
            label: get::<Option<String>>(row, "label")?.unwrap_or_default(),
        },
    };
    Ok(Stored::new(
        id(row, "id")?,
        Commitment {
            line: id(row, "budget_line_id")?,
            amount: Amount::from_centimes(get(row, "amount")?),
            source,
            active: flag(row, "active")?,
        },
    ))
}

fn beneficiary_from_row(row: &AnyRow) -> Result<Stored<Beneficiary>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Beneficiary {
            name: get(row, "name")?,
            short_name: get(row, "short_name")?,
            designation: get(row, "designation")?,
            legal_status: get(row, "legal_status")?,
            siret: opt_parsed(row, "siret", |s| Siret::parse("siret", s))?,
            rna: opt_parsed(row, "rna", |s| Rna::parse("rna", s))?,
            address: Address {
                street: get(row, "street")?,
                postal_code: get(row, "postal_code")?,
                city: get(row, "city")?,
            },
            representative: opt_json(row, "representative_json")?,
        },
    ))
}

fn account_from_row(row: &AnyRow) -> Result<Stored<BankAccount>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        BankAccount {
            beneficiary: id(row, "beneficiary_id")?,
            holder: get(row, "holder")?,
            bank_name: get(row, "bank_name")?,
            bank_address: get(row, "bank_address")?,
            iban: parsed(row, "iban", |s| Iban::parse("iban", s))?,
        },
    ))
}

fn award_from_row(row: &AnyRow) -> Result<Stored<Award>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Award {
            beneficiary: id(row, "beneficiary_id")?,
            report: opt_id(row, "report_id")?,
            deliberation: opt_id(row, "deliberation_id")?,
            budget_line: id(row, "budget_line_id")?,
            kind: enum_from(row, "kind")?,
            amount: Amount::from_centimes(get(row, "amount")?),
            year: i16_col(row, "year")?,
            purpose: get(row, "purpose")?,
            status: code(row, "status", AwardStatus::from_code)?,
        },
    ))
}

impl Tx {
    pub async fn insert_budget_line(
        &mut self,
        l: &BudgetLine,
    ) -> Result<Id<BudgetLine>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO budget_line (year, operation_code, label, nature_account, functional_chapter, function, voted) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(i64::from(l.year))
                .bind(l.operation_code.clone())
                .bind(l.label.clone())
                .bind(l.imputation.nature_account.clone())
                .bind(l.imputation.functional_chapter.clone())
                .bind(l.imputation.function.clone())
                .bind(l.voted.centimes()),
            )
            .await?;
        let stored = Stored::new(Id::new(id), l.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::BUDGET_LINE,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn budget_line(
        &mut self,
        id: Id<BudgetLine>,
    ) -> Result<Option<Stored<BudgetLine>>, StoreError> {
        let row = sqlx::query("SELECT * FROM budget_line WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        let Some(line) = row.as_ref().map(line_from_row).transpose()? else {
            return Ok(None);
        };
        let moves = self.adopted_credit_moves(None, Some(id)).await?;
        Ok(Some(credited(line, &moves)?))
    }

    /// The credits recorded with the line itself, before any budget decision.
    pub async fn budget_line_opening(
        &mut self,
        id: Id<BudgetLine>,
    ) -> Result<Option<Amount>, StoreError> {
        let row = sqlx::query("SELECT voted FROM budget_line WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| get(&r, "voted").map(Amount::from_centimes))
            .transpose()
    }

    pub async fn budget_lines(
        &mut self,
        year: Option<i16>,
    ) -> Result<Vec<Stored<BudgetLine>>, StoreError> {
        let rows = match year {
            Some(y) => {
                sqlx::query("SELECT * FROM budget_line WHERE year = $1 ORDER BY operation_code, id")
                    .bind(i64::from(y))
                    .fetch_all(self.conn())
                    .await?
            }
            None => {
                sqlx::query("SELECT * FROM budget_line ORDER BY year, operation_code, id")
                    .fetch_all(self.conn())
                    .await?
            }
        };
        let moves = self.adopted_credit_moves(year, None).await?;
        rows.iter()
            .map(|row| credited(line_from_row(row)?, &moves))
            .collect()
    }

    pub async fn insert_commitment(
        &mut self,
        c: &Commitment,
    ) -> Result<Id<Commitment>, StoreError> {
        let (award, label) = match &c.source {
            CommitmentSource::Award { award } => (Some(award.get()), None),
            CommitmentSource::Prior { label } => (None, Some(label.clone())),
        };
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO commitment (budget_line_id, amount, award_id, label, active) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(c.line.get())
                .bind(c.amount.centimes())
                .bind(award)
                .bind(label)
                .bind(bool_int(c.active)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), c.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::COMMITMENT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn commitments_on(
        &mut self,
        line: Id<BudgetLine>,
    ) -> Result<Vec<Stored<Commitment>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM commitment WHERE budget_line_id = $1 ORDER BY id")
            .bind(line.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(commitment_from_row).collect()
    }

    pub async fn insert_beneficiary(
        &mut self,
        b: &Beneficiary,
    ) -> Result<Id<Beneficiary>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO beneficiary (name, short_name, designation, legal_status, siret, rna, street, postal_code, city, representative_json) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(b.name.clone())
                .bind(b.short_name.clone())
                .bind(b.designation.clone())
                .bind(b.legal_status.clone())
                .bind(b.siret.as_ref().map(|s| s.as_str().to_string()))
                .bind(b.rna.as_ref().map(|s| s.as_str().to_string()))
                .bind(b.address.street.clone())
                .bind(b.address.postal_code.clone())
                .bind(b.address.city.clone())
                .bind(b.representative.as_ref().map(to_json).transpose()?),
            )
            .await?;
        let stored = Stored::new(Id::new(id), b.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::BENEFICIARY,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn beneficiary(
        &mut self,
        id: Id<Beneficiary>,
    ) -> Result<Option<Stored<Beneficiary>>, StoreError> {
        let row = sqlx::query("SELECT * FROM beneficiary WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(beneficiary_from_row).transpose()
    }

    pub async fn beneficiary_by_siret(
        &mut self,
        siret: &Siret,
    ) -> Result<Option<Stored<Beneficiary>>, StoreError> {
        let row = sqlx::query("SELECT * FROM beneficiary WHERE siret = $1")
            .bind(siret.as_str().to_string())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(beneficiary_from_row).transpose()
    }

    pub async fn beneficiaries(&mut self) -> Result<Vec<Stored<Beneficiary>>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM beneficiary WHERE merged_into IS NULL ORDER BY name, id")
                .fetch_all(self.conn())
                .await?;
        rows.iter().map(beneficiary_from_row).collect()
    }

    pub async fn insert_bank_account(
        &mut self,
        a: &BankAccount,
    ) -> Result<Id<BankAccount>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO bank_account (beneficiary_id, holder, bank_name, bank_address, iban) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(a.beneficiary.get())
                .bind(a.holder.clone())
                .bind(a.bank_name.clone())
                .bind(a.bank_address.clone())
                .bind(a.iban.as_str().to_string()),
            )
            .await?;
        let stored = Stored::new(Id::new(id), a.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::BANK_ACCOUNT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn bank_account(
        &mut self,
        id: Id<BankAccount>,
    ) -> Result<Option<Stored<BankAccount>>, StoreError> {
        let row = sqlx::query("SELECT * FROM bank_account WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    pub async fn bank_accounts_of(
        &mut self,
        b: Id<Beneficiary>,
    ) -> Result<Vec<Stored<BankAccount>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM bank_account WHERE beneficiary_id = $1 ORDER BY id")
            .bind(b.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    pub async fn insert_award(&mut self, a: &Award) -> Result<Id<Award>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO award (beneficiary_id, report_id, deliberation_id, budget_line_id, kind, amount, year, purpose, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(a.beneficiary.get())
                .bind(a.report.map(Id::get))
                .bind(a.deliberation.map(Id::get))
                .bind(a.budget_line.get())
                .bind(enum_code(&a.kind)?)
                .bind(a.amount.centimes())
                .bind(i64::from(a.year))
                .bind(a.purpose.clone())
                .bind(a.status.code()),
            )
            .await?;
        let stored = Stored::new(Id::new(id), a.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::AWARD,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn update_award(&mut self, id: Id<Award>, a: &Award) -> Result<(), StoreError> {
        let before = self.award(id).await?;
        sqlx::query(
            "UPDATE award SET beneficiary_id = $1, report_id = $2, deliberation_id = $3, budget_line_id = $4, \
             kind = $5, amount = $6, year = $7, purpose = $8, status = $9 WHERE id = $10",
        )
        .bind(a.beneficiary.get())
        .bind(a.report.map(Id::get))
        .bind(a.deliberation.map(Id::get))
        .bind(a.budget_line.get())
        .bind(enum_code(&a.kind)?)
        .bind(a.amount.centimes())
        .bind(i64::from(a.year))
        .bind(a.purpose.clone())
        .bind(a.status.code())
        .bind(id.get())
        .execute(self.conn())
        .await?;
        let after = Stored::new(id, a.clone());
        self.record(
            action::UPDATE,
            entity::AWARD,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    pub async fn award(&mut self, id: Id<Award>) -> Result<Option<Stored<Award>>, StoreError> {
        let row = sqlx::query("SELECT * FROM award WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(award_from_row).transpose()
    }

    pub async fn awards_of_deliberation(
        &mut self,
        d: Id<Deliberation>,
    ) -> Result<Vec<Stored<Award>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM award WHERE deliberation_id = $1 ORDER BY id")
            .bind(d.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(award_from_row).collect()
    }

    pub async fn awards_of_beneficiary(
        &mut self,
        b: Id<Beneficiary>,
    ) -> Result<Vec<Stored<Award>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM award WHERE beneficiary_id = $1 ORDER BY id")
            .bind(b.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(award_from_row).collect()
    }

    pub async fn awards_on_line(
        &mut self,
        line: Id<BudgetLine>,
    ) -> Result<Vec<Stored<Award>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM award WHERE budget_line_id = $1 ORDER BY id")
            .bind(line.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(award_from_row).collect()
    }

    pub async fn awards_of_report(
        &mut self,
        r: Id<Report>,
    ) -> Result<Vec<Stored<Award>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM award WHERE report_id = $1 ORDER BY id")
            .bind(r.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(award_from_row).collect()
    }

    /// A page of awards, latest first: the back office's list.
    pub async fn awards_latest(
        &mut self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Stored<Award>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM award ORDER BY id DESC LIMIT $1 OFFSET $2")
            .bind(limit)
            .bind(offset)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(award_from_row).collect()
    }
}
