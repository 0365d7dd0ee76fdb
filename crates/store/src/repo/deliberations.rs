//! Deliberations and their votes.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::deliberation::Deliberation;
use acta_domain::report::Report;
use acta_domain::vote::{GroupPosition, Outcome, Tally, VoteChoice, VoteRecord};
use acta_domain::{Id, Stored};
use sqlx::any::AnyRow;

fn deliberation_from_row(
    row: &AnyRow,
    groups: Vec<GroupPosition>,
) -> Result<Stored<Deliberation>, StoreError> {
    let outcome: Option<String> = get(row, "outcome")?;
    let vote = match outcome {
        None => None,
        Some(code) => {
            let outcome = Outcome::from_code(&code)
                .ok_or_else(|| StoreError::corrupt("deliberation.outcome", code.clone()))?;
            let count = |column: &str| -> Result<u32, StoreError> {
                Ok(opt_u32(row, column)?.unwrap_or(0))
            };
            Some(VoteRecord {
                tally: Tally {
                    for_: count("vote_for")?,
                    against: count("vote_against")?,
                    abstention: count("vote_abstention")?,
                    not_participating: count("vote_not_taking_part")?,
                },
                groups,
                secret: get::<Option<i64>>(row, "vote_secret")?.unwrap_or(0) != 0,
                outcome,
            })
        }
    };
    Ok(Stored::new(
        id(row, "id")?,
        Deliberation {
            sitting: id(row, "sitting_id")?,
            report: opt_id(row, "report_id")?,
            number: get(row, "number")?,
            title: get(row, "title")?,
            matter_code: get(row, "matter_code")?,
            visas: json(row, "visas_json")?,
            considerations: json(row, "considerations_json")?,
            articles: json(row, "articles_json")?,
            vote,
            place: get(row, "place")?,
            date: date(row, "date")?,
            signatories: json(row, "signatories_json")?,
        },
    ))
}

impl Tx {
    async fn write_vote_groups(
        &mut self,
        deliberation: i64,
        vote: Option<&VoteRecord>,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM vote_group_position WHERE deliberation_id = $1")
            .bind(deliberation)
            .execute(self.conn())
            .await?;
        for (i, g) in vote
            .map(|v| v.groups.as_slice())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            sqlx::query(
                "INSERT INTO vote_group_position (deliberation_id, position, group_id, choice) VALUES ($1, $2, $3, $4)",
            )
            .bind(deliberation)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(g.group.get())
            .bind(g.choice.code())
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    async fn vote_groups(&mut self, deliberation: i64) -> Result<Vec<GroupPosition>, StoreError> {
        let rows = sqlx::query(
            "SELECT group_id, choice FROM vote_group_position WHERE deliberation_id = $1 ORDER BY position",
        )
        .bind(deliberation)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(GroupPosition {
                    group: id(r, "group_id")?,
                    choice: code(r, "choice", VoteChoice::from_code)?,
                })
            })
            .collect()
    }

    pub async fn insert_deliberation(
        &mut self,
        d: &Deliberation,
    ) -> Result<Id<Deliberation>, StoreError> {
        let v = d.vote.as_ref();
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO deliberation (sitting_id, report_id, number, title, matter_code, visas_json, \
                     considerations_json, articles_json, place, date, signatories_json, outcome, vote_for, \
                     vote_against, vote_abstention, vote_not_taking_part, vote_secret) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                )
                .bind(d.sitting.get())
                .bind(d.report.map(Id::get))
                .bind(d.number.clone())
                .bind(d.title.clone())
                .bind(d.matter_code.clone())
                .bind(to_json(&d.visas)?)
                .bind(to_json(&d.considerations)?)
                .bind(to_json(&d.articles)?)
                .bind(d.place.clone())
                .bind(d.date.to_string())
                .bind(to_json(&d.signatories)?)
                .bind(v.map(|v| v.outcome.code()))
                .bind(v.map(|v| i64::from(v.tally.for_)))
                .bind(v.map(|v| i64::from(v.tally.against)))
                .bind(v.map(|v| i64::from(v.tally.abstention)))
                .bind(v.map(|v| i64::from(v.tally.not_participating)))
                .bind(v.map(|v| bool_int(v.secret))),
            )
            .await?;
        self.write_vote_groups(id, v).await?;
        let stored = Stored::new(Id::new(id), d.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::DELIBERATION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    /// Replaces a deliberation's content, number and vote.
    pub async fn update_deliberation(
        &mut self,
        id: Id<Deliberation>,
        d: &Deliberation,
    ) -> Result<(), StoreError> {
        let before = self.deliberation(id).await?;
        let v = d.vote.as_ref();
        sqlx::query(
            "UPDATE deliberation SET sitting_id = $1, report_id = $2, number = $3, title = $4, matter_code = $5, \
             visas_json = $6, considerations_json = $7, articles_json = $8, place = $9, date = $10, \
             signatories_json = $11, outcome = $12, vote_for = $13, vote_against = $14, vote_abstention = $15, \
             vote_not_taking_part = $16, vote_secret = $17 WHERE id = $18",
        )
        .bind(d.sitting.get())
        .bind(d.report.map(Id::get))
        .bind(d.number.clone())
        .bind(d.title.clone())
        .bind(d.matter_code.clone())
        .bind(to_json(&d.visas)?)
        .bind(to_json(&d.considerations)?)
        .bind(to_json(&d.articles)?)
        .bind(d.place.clone())
        .bind(d.date.to_string())
        .bind(to_json(&d.signatories)?)
        .bind(v.map(|v| v.outcome.code()))
        .bind(v.map(|v| i64::from(v.tally.for_)))
        .bind(v.map(|v| i64::from(v.tally.against)))
        .bind(v.map(|v| i64::from(v.tally.abstention)))
        .bind(v.map(|v| i64::from(v.tally.not_participating)))
        .bind(v.map(|v| bool_int(v.secret)))
        .bind(id.get())
        .execute(self.conn())
        .await?;
        self.write_vote_groups(id.get(), v).await?;
        let after = Stored::new(id, d.clone());
        self.record(
            action::UPDATE,
            entity::DELIBERATION,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    pub async fn deliberation(
        &mut self,
        id: Id<Deliberation>,
    ) -> Result<Option<Stored<Deliberation>>, StoreError> {
        let row = sqlx::query("SELECT * FROM deliberation WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(row) => {
                let groups = self.vote_groups(id.get()).await?;
                deliberation_from_row(&row, groups).map(Some)
            }
            None => Ok(None),
        }
    }

    pub async fn deliberation_by_number(
        &mut self,
        number: &str,
    ) -> Result<Option<Stored<Deliberation>>, StoreError> {
        let row = sqlx::query("SELECT id FROM deliberation WHERE number = $1")
            .bind(number.to_string())
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(r) => self.deliberation(id(&r, "id")?).await,
            None => Ok(None),
        }
    }

    pub async fn deliberation_of_report(
        &mut self,
        report: Id<Report>,
    ) -> Result<Option<Stored<Deliberation>>, StoreError> {
        let row = sqlx::query("SELECT id FROM deliberation WHERE report_id = $1")
            .bind(report.get())
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(r) => self.deliberation(id(&r, "id")?).await,
            None => Ok(None),
        }
    }

    /// Numbers and titles of every deliberation, by date.
    pub async fn deliberation_index(
        &mut self,
    ) -> Result<Vec<(Id<Deliberation>, Option<String>, String)>, StoreError> {
        let rows = sqlx::query("SELECT id, number, date FROM deliberation ORDER BY date, id")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((id(r, "id")?, get(r, "number")?, get(r, "date")?)))
            .collect()
    }

    /// A page of the numbered deliberations' numbers, newest first (date, then id), read
    /// from the publication index without scanning the register.
    pub async fn published_numbers(
        &mut self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.number FROM deliberation d JOIN publication p ON p.deliberation = d.id \
             WHERE d.number IS NOT NULL ORDER BY d.date DESC, d.id DESC LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(|r| get(r, "number")).collect()
    }
}
