//! What happens to a grant after its vote: payments, documents received, reimbursement
//! decisions, amendments, convention versions, and commitment changes.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::beneficiary::BankAccount;
use acta_domain::budget::Commitment;
use acta_domain::convention::Convention;
use acta_domain::grant::Award;
use acta_domain::ledger::{Amendment, DocumentReceipt, Payment, ReimbursementDecision};
use acta_domain::{Amount, Id, Stored};
use serde::Serialize;

/// A payment with what it was paid under and to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRecord {
    pub award: Id<Award>,
    pub convention: Option<Id<Convention>>,
    pub bank_account: Option<Id<BankAccount>>,
    #[serde(flatten)]
    pub payment: Payment,
}

/// One version of a convention: the original, then one per amendment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConventionVersion {
    pub version: u32,
    pub amendment: Option<Id<Amendment>>,
    pub recorded_at: String,
    pub convention: Convention,
}

impl Tx {
    pub async fn insert_payment(&mut self, p: &PaymentRecord) -> Result<Id<Payment>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO payment (award_id, convention_id, tranche, date, amount, reference, bank_account_id, mandate_date) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(p.award.get())
                .bind(p.convention.map(Id::get))
                .bind(i64::from(p.payment.tranche))
                .bind(p.payment.date.to_string())
                .bind(p.payment.amount.centimes())
                .bind(p.payment.reference.clone())
                .bind(p.bank_account.map(Id::get))
                .bind(p.payment.mandate_date.map(|d| d.to_string())),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::PAYMENT,
            &id.to_string(),
            None,
            Some(p),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn payments_of(
        &mut self,
        award: Id<Award>,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM payment WHERE award_id = $1 ORDER BY date, id")
            .bind(award.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PaymentRecord {
                    award: id(r, "award_id")?,
                    convention: opt_id(r, "convention_id")?,
                    bank_account: opt_id(r, "bank_account_id")?,
                    payment: Payment {
                        tranche: u32_col(r, "tranche")?,
                        date: date(r, "date")?,
                        amount: Amount::from_centimes(get(r, "amount")?),
                        reference: get(r, "reference")?,
                        mandate_date: opt_date(r, "mandate_date")?,
                    },
                })
            })
            .collect()
    }

    pub async fn insert_receipt(
        &mut self,
        award: Id<Award>,
        d: &DocumentReceipt,
    ) -> Result<(), StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO document_receipt (award_id, tranche, received_on, description) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(award.get())
                .bind(i64::from(d.tranche))
                .bind(d.received_on.to_string())
                .bind(d.description.clone()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::DOCUMENT_RECEIPT,
            &id.to_string(),
            None,
            Some(d),
        )
        .await
    }

    pub async fn receipts_of(
        &mut self,
        award: Id<Award>,
    ) -> Result<Vec<DocumentReceipt>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM document_receipt WHERE award_id = $1 ORDER BY received_on, id",
        )
        .bind(award.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DocumentReceipt {
                    tranche: u32_col(r, "tranche")?,
                    received_on: date(r, "received_on")?,
                    description: get(r, "description")?,
                })
            })
            .collect()
    }

    pub async fn insert_decision(
        &mut self,
        award: Id<Award>,
        d: &ReimbursementDecision,
        receipt_title: Option<&str>,
    ) -> Result<(), StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO reimbursement_decision (award_id, decided_on, ground_json, entitled, paid, to_recover, \
                     cancelled_due, explanation, receipt_title) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(award.get())
                .bind(d.decided_on.to_string())
                .bind(to_json(&d.ground)?)
                .bind(d.entitled.centimes())
                .bind(d.paid.centimes())
                .bind(d.to_recover.centimes())
                .bind(d.cancelled_due.centimes())
                .bind(d.explanation.clone())
                .bind(receipt_title.map(str::to_string)),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::REIMBURSEMENT,
            &id.to_string(),
            None,
            Some(d),
        )
        .await
    }

    pub async fn decisions_of(
        &mut self,
        award: Id<Award>,
    ) -> Result<Vec<(ReimbursementDecision, Option<String>)>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM reimbursement_decision WHERE award_id = $1 ORDER BY id")
                .bind(award.get())
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    ReimbursementDecision {
                        decided_on: date(r, "decided_on")?,
                        ground: json(r, "ground_json")?,
                        entitled: Amount::from_centimes(get(r, "entitled")?),
                        paid: Amount::from_centimes(get(r, "paid")?),
                        to_recover: Amount::from_centimes(get(r, "to_recover")?),
                        cancelled_due: Amount::from_centimes(get(r, "cancelled_due")?),
                        explanation: get(r, "explanation")?,
                    },
                    get(r, "receipt_title")?,
                ))
            })
            .collect()
    }

    pub async fn insert_amendment(
        &mut self,
        convention: Id<Convention>,
        a: &Amendment,
    ) -> Result<Id<Amendment>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO amendment (convention_id, number, signed_on, object, changes_json) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(convention.get())
                .bind(i64::from(a.number))
                .bind(a.signed_on.to_string())
                .bind(a.object.clone())
                .bind(to_json(a)?),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::AMENDMENT,
            &id.to_string(),
            None,
            Some(a),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn amendments_of(
        &mut self,
        convention: Id<Convention>,
    ) -> Result<Vec<Stored<Amendment>>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, changes_json FROM amendment WHERE convention_id = $1 ORDER BY number",
        )
        .bind(convention.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok(Stored::new(id(r, "id")?, json(r, "changes_json")?)))
            .collect()
    }

    pub async fn insert_convention_version(
        &mut self,
        convention: Id<Convention>,
        version: u32,
        amendment: Option<Id<Amendment>>,
        recorded_at: &str,
        snapshot: &Convention,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO convention_version (convention_id, version, amendment_id, recorded_at, snapshot_json) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(convention.get())
        .bind(i64::from(version))
        .bind(amendment.map(Id::get))
        .bind(recorded_at.to_string())
        .bind(to_json(snapshot)?)
        .execute(self.conn())
        .await?;
        let key = format!("{convention}/{version}");
        self.record::<(), _>(
            action::CREATE,
            entity::CONVENTION_VERSION,
            &key,
            None,
            Some(snapshot),
        )
        .await
    }

    pub async fn convention_versions(
        &mut self,
        convention: Id<Convention>,
    ) -> Result<Vec<ConventionVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM convention_version WHERE convention_id = $1 ORDER BY version",
        )
        .bind(convention.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ConventionVersion {
                    version: u32_col(r, "version")?,
                    amendment: opt_id(r, "amendment_id")?,
                    recorded_at: get(r, "recorded_at")?,
                    convention: json(r, "snapshot_json")?,
                })
            })
            .collect()
    }

    pub async fn commitment_of_award(
        &mut self,
        award: Id<Award>,
    ) -> Result<Option<Stored<Commitment>>, StoreError> {
        let row = sqlx::query("SELECT budget_line_id FROM commitment WHERE award_id = $1")
            .bind(award.get())
            .fetch_optional(self.conn())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let line = id(&row, "budget_line_id")?;
        Ok(self.commitments_on(line).await?.into_iter().find(|c| {
            matches!(c.source, acta_domain::budget::CommitmentSource::Award { award: a } if a == award)
        }))
    }

    /// Changes a commitment's amount or releases it.
    pub async fn update_commitment(
        &mut self,
        id: Id<Commitment>,
        c: &Commitment,
    ) -> Result<(), StoreError> {
        let before = self
            .commitments_on(c.line)
            .await?
            .into_iter()
            .find(|x| x.id == id);
        sqlx::query("UPDATE commitment SET amount = $1, active = $2 WHERE id = $3")
            .bind(c.amount.centimes())
            .bind(bool_int(c.active))
            .bind(id.get())
            .execute(self.conn())
            .await?;
        let after = Stored::new(id, c.clone());
        self.record(
            action::UPDATE,
            entity::COMMITMENT,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    /// Every award with a convention, for lists (overdue documents).
    pub async fn awards_with_status(&mut self, status: &str) -> Result<Vec<Id<Award>>, StoreError> {
        let rows = sqlx::query("SELECT id FROM award WHERE status = $1 ORDER BY id")
            .bind(status.to_string())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(|r| id(r, "id")).collect()
    }
}
