//! Conventions and their payment schedules.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::convention::{Convention, ConventionStatus, Tranche};
use acta_domain::deliberation::Deliberation;
use acta_domain::{Amount, Id, Stored};
use sqlx::any::AnyRow;

fn convention_from_row(
    row: &AnyRow,
    schedule: Vec<Tranche>,
) -> Result<Stored<Convention>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Convention {
            award: id(row, "award_id")?,
            deliberation: id(row, "deliberation_id")?,
            beneficiary: id(row, "beneficiary_id")?,
            title: get(row, "title")?,
            subject: get(row, "subject")?,
            year: i16_col(row, "year")?,
            amount: Amount::from_centimes(get(row, "amount")?),
            pole: opt_id(row, "pole_id")?,
            direction: opt_id(row, "direction_id")?,
            department_representative: json(row, "representative_json")?,
            visas: json(row, "visas_json")?,
            preamble: json(row, "preamble_json")?,
            object: json(row, "object_json")?,
            objectives_intro: get(row, "objectives_intro")?,
            objectives: json(row, "objectives_json")?,
            programme_intro: get(row, "programme_intro")?,
            programme: json(row, "programme_json")?,
            beneficiary_commitments: json(row, "commitments_json")?,
            schedule,
            bank_account: opt_id(row, "bank_account_id")?,
            paying_accountant: get(row, "paying_accountant")?,
            reimbursement_cases: json(row, "reimbursement_json")?,
            tacit_renewal: flag(row, "tacit_renewal")?,
            court: get(row, "court")?,
            communication: json(row, "communication_json")?,
            image_rights: json(row, "image_rights_json")?,
            signature_place: get(row, "signature_place")?,
            copies: u32_col(row, "copies")?,
            signatories: json(row, "signatories_json")?,
            status: code(row, "status", ConventionStatus::from_code)?,
            signed_on: opt_date(row, "signed_on")?,
            execution_end: opt_date(row, "execution_end")?,
        },
    ))
}

impl Tx {
    async fn write_schedule(
        &mut self,
        convention: i64,
        schedule: &[Tranche],
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM tranche WHERE convention_id = $1")
            .bind(convention)
            .execute(self.conn())
            .await?;
        for (i, t) in schedule.iter().enumerate() {
            sqlx::query(
                "INSERT INTO tranche (convention_id, position, amount, trigger_json, label) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(convention)
            .bind(i64::try_from(i + 1).unwrap_or(i64::MAX))
            .bind(t.amount.centimes())
            .bind(to_json(&t.trigger)?)
            .bind(t.label.clone())
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    async fn schedule(&mut self, convention: i64) -> Result<Vec<Tranche>, StoreError> {
        let rows = sqlx::query(
            "SELECT amount, trigger_json, label FROM tranche WHERE convention_id = $1 ORDER BY position",
        )
        .bind(convention)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Tranche {
                    amount: Amount::from_centimes(get(r, "amount")?),
                    trigger: json(r, "trigger_json")?,
                    label: get(r, "label")?,
                })
            })
            .collect()
    }

    fn bind_convention<'q>(
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        c: &Convention,
    ) -> Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>, StoreError> {
        Ok(query
            .bind(c.award.get())
            .bind(c.deliberation.get())
            .bind(c.beneficiary.get())
            .bind(c.title.clone())
            .bind(c.subject.clone())
            .bind(i64::from(c.year))
            .bind(c.amount.centimes())
            .bind(c.pole.map(Id::get))
            .bind(c.direction.map(Id::get))
            .bind(to_json(&c.department_representative)?)
            .bind(to_json(&c.visas)?)
            .bind(to_json(&c.preamble)?)
            .bind(to_json(&c.object)?)
            .bind(c.objectives_intro.clone())
            .bind(to_json(&c.objectives)?)
            .bind(c.programme_intro.clone())
            .bind(to_json(&c.programme)?)
            .bind(to_json(&c.beneficiary_commitments)?)
            .bind(c.bank_account.map(Id::get))
            .bind(c.paying_accountant.clone())
            .bind(to_json(&c.reimbursement_cases)?)
            .bind(bool_int(c.tacit_renewal))
            .bind(c.court.clone())
            .bind(to_json(&c.communication)?)
            .bind(to_json(&c.image_rights)?)
            .bind(c.signature_place.clone())
            .bind(i64::from(c.copies))
            .bind(to_json(&c.signatories)?)
            .bind(c.status.code())
            .bind(c.signed_on.map(|d| d.to_string()))
            .bind(c.execution_end.map(|d| d.to_string())))
    }

    pub async fn insert_convention(
        &mut self,
        c: &Convention,
    ) -> Result<Id<Convention>, StoreError> {
        let query = Self::bind_convention(
            sqlx::query(
                "INSERT INTO convention (award_id, deliberation_id, beneficiary_id, title, subject, year, amount, pole_id, \
                 direction_id, representative_json, visas_json, preamble_json, object_json, objectives_intro, \
                 objectives_json, programme_intro, programme_json, commitments_json, bank_account_id, paying_accountant, \
                 reimbursement_json, tacit_renewal, court, communication_json, image_rights_json, signature_place, copies, \
                 signatories_json, status, signed_on, execution_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31) RETURNING id",
            ),
            c,
        )?;
        let id = self.insert_returning_id(query).await?;
        self.write_schedule(id, &c.schedule).await?;
        let stored = Stored::new(Id::new(id), c.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::CONVENTION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn update_convention(
        &mut self,
        id: Id<Convention>,
        c: &Convention,
    ) -> Result<(), StoreError> {
        let before = self.convention(id).await?;
        let query = Self::bind_convention(
            sqlx::query(
                "UPDATE convention SET award_id = $1, deliberation_id = $2, beneficiary_id = $3, title = $4, subject = $5, \
                 year = $6, amount = $7, pole_id = $8, direction_id = $9, representative_json = $10, visas_json = $11, \
                 preamble_json = $12, object_json = $13, objectives_intro = $14, objectives_json = $15, \
                 programme_intro = $16, programme_json = $17, commitments_json = $18, bank_account_id = $19, \
                 paying_accountant = $20, reimbursement_json = $21, tacit_renewal = $22, court = $23, \
                 communication_json = $24, image_rights_json = $25, signature_place = $26, copies = $27, \
                 signatories_json = $28, status = $29, signed_on = $30, execution_end = $31 WHERE id = $32",
            ),
            c,
        )?
        .bind(id.get());
        query.execute(self.conn()).await?;
        self.write_schedule(id.get(), &c.schedule).await?;
        let after = Stored::new(id, c.clone());
        self.record(
            action::UPDATE,
            entity::CONVENTION,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    pub async fn convention(
        &mut self,
        id: Id<Convention>,
    ) -> Result<Option<Stored<Convention>>, StoreError> {
        let row = sqlx::query("SELECT * FROM convention WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(row) => {
                let schedule = self.schedule(id.get()).await?;
                convention_from_row(&row, schedule).map(Some)
            }
            None => Ok(None),
        }
    }

    pub async fn convention_of_award(
        &mut self,
        award: Id<acta_domain::grant::Award>,
    ) -> Result<Option<Stored<Convention>>, StoreError> {
        let row = sqlx::query("SELECT id FROM convention WHERE award_id = $1")
            .bind(award.get())
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(r) => self.convention(id(&r, "id")?).await,
            None => Ok(None),
        }
    }

    pub async fn conventions_of_deliberation(
        &mut self,
        d: Id<Deliberation>,
    ) -> Result<Vec<Stored<Convention>>, StoreError> {
        let rows = sqlx::query("SELECT id FROM convention WHERE deliberation_id = $1 ORDER BY id")
            .bind(d.get())
            .fetch_all(self.conn())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(c) = self.convention(id(&r, "id")?).await? {
                out.push(c);
            }
        }
        Ok(out)
    }

    pub async fn convention_ids(&mut self) -> Result<Vec<Id<Convention>>, StoreError> {
        let rows = sqlx::query("SELECT id FROM convention ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(|r| id(r, "id")).collect()
    }
}
