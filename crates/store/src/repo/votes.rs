//! Closed votes, their ballots, and deliberation numbering sequences.

use super::{action, entity};
use crate::codec::*;
use crate::{Backend, StoreError, Tx};
use acta_domain::ballot::{Ballot, ResolvedVote};
use acta_domain::deliberation::Deliberation;
use acta_domain::item::{ClosedVote, ItemEvaluation};
use acta_domain::sitting::{AgendaItem, ItemKind};
use acta_domain::vote::{GroupPosition, Tally, VoteChoice};
use acta_domain::{Id, Stored};
use sqlx::any::AnyRow;

fn vote_from_row(row: &AnyRow, ballots: Vec<Ballot>) -> Result<Stored<ClosedVote>, StoreError> {
    let mode: String = get(row, "mode")?;
    let take_note = mode == "take_note";
    let vote = if take_note {
        None
    } else {
        let stored: StoredVote = json(row, "flags_json")?;
        Some(ResolvedVote {
            ballots,
            tally: Tally {
                for_: u32_col(row, "vote_for")?,
                against: u32_col(row, "vote_against")?,
                abstention: u32_col(row, "vote_abstention")?,
                not_participating: u32_col(row, "vote_not_taking_part")?,
            },
            groups: stored.groups,
            flags: stored.flags,
        })
    };
    let evaluation = ItemEvaluation {
        kind: if take_note {
            ItemKind::TakeNote
        } else {
            ItemKind::Vote
        },
        majority: json(row, "majority_json")?,
        presence: json(row, "presence_json")?,
        quorum: json(row, "quorum_json")?,
        vote,
        decision: json(row, "decision_json")?,
    };
    Ok(Stored::new(
        id(row, "id")?,
        ClosedVote {
            deliberation: id(row, "deliberation_id")?,
            item: id(row, "agenda_item_id")?,
            mode,
            secret: flag(row, "secret")?,
            president_vote: get::<Option<String>>(row, "president_vote")?
                .map(|c| {
                    VoteChoice::from_code(&c)
                        .ok_or_else(|| StoreError::corrupt("vote.president_vote", c.clone()))
                })
                .transpose()?,
            evaluation,
            closed_at: get(row, "closed_at")?,
        },
    ))
}

/// Groups and flags of a vote, kept together in one JSON column.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredVote {
    groups: Vec<GroupPosition>,
    flags: Vec<String>,
}

impl Tx {
    /// Records a closed vote and its ballots. A vote is written once and never updated.
    pub async fn insert_vote(&mut self, v: &ClosedVote) -> Result<Id<ClosedVote>, StoreError> {
        let e = &v.evaluation;
        let (tally, groups, flags, ballots) = match &e.vote {
            Some(r) => (
                r.tally,
                r.groups.clone(),
                r.flags.clone(),
                r.ballots.clone(),
            ),
            None => (Default::default(), Vec::new(), Vec::new(), Vec::new()),
        };
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO vote (deliberation_id, agenda_item_id, mode, secret, majority_json, president_vote, \
                     presence_json, quorum_json, decision_json, flags_json, vote_for, vote_against, vote_abstention, \
                     vote_not_taking_part, outcome, closed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
                )
                .bind(v.deliberation.get())
                .bind(v.item.get())
                .bind(v.mode.clone())
                .bind(bool_int(v.secret))
                .bind(to_json(&e.majority)?)
                .bind(v.president_vote.map(|c| c.code()))
                .bind(to_json(&e.presence)?)
                .bind(to_json(&e.quorum)?)
                .bind(to_json(&e.decision)?)
                .bind(to_json(&StoredVote { groups, flags })?)
                .bind(i64::from(tally.for_))
                .bind(i64::from(tally.against))
                .bind(i64::from(tally.abstention))
                .bind(i64::from(tally.not_participating))
                .bind(e.decision.outcome.code())
                .bind(v.closed_at.clone()),
            )
            .await?;
        // Frozen with the vote, and kept on the deliberation for the published register.
        sqlx::query("UPDATE deliberation SET vote_in_office = $1 WHERE id = $2")
            .bind(i64::from(e.presence.in_office))
            .bind(v.deliberation.get())
            .execute(self.conn())
            .await?;
        for b in &ballots {
            sqlx::query(
                "INSERT INTO ballot (vote_id, member_id, choice, cast_by) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(b.member.get())
            .bind(b.choice.code())
            .bind(b.cast_by.map(Id::get))
            .execute(self.conn())
            .await?;
        }
        let stored = Stored::new(Id::new(id), v.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::VOTE,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    async fn ballots(&mut self, vote: i64) -> Result<Vec<Ballot>, StoreError> {
        let rows = sqlx::query(
            "SELECT member_id, choice, cast_by FROM ballot WHERE vote_id = $1 ORDER BY member_id",
        )
        .bind(vote)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Ballot {
                    member: id(r, "member_id")?,
                    choice: code(r, "choice", VoteChoice::from_code)?,
                    cast_by: opt_id(r, "cast_by")?,
                })
            })
            .collect()
    }

    async fn vote_where(
        &mut self,
        column: &'static str,
        value: i64,
    ) -> Result<Option<Stored<ClosedVote>>, StoreError> {
        let sql = format!("SELECT * FROM vote WHERE {column} = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_optional(self.conn())
            .await?;
        match row {
            Some(row) => {
                let ballots = self.ballots(get(&row, "id")?).await?;
                vote_from_row(&row, ballots).map(Some)
            }
            None => Ok(None),
        }
    }

    pub async fn vote_of_item(
        &mut self,
        item: Id<AgendaItem>,
    ) -> Result<Option<Stored<ClosedVote>>, StoreError> {
        self.vote_where("agenda_item_id", item.get()).await
    }

    pub async fn vote_of_deliberation(
        &mut self,
        d: Id<Deliberation>,
    ) -> Result<Option<Stored<ClosedVote>>, StoreError> {
        self.vote_where("deliberation_id", d.get()).await
    }

    /// The last number given in a numbering scope (0 when none).
    pub async fn numbering_last(&mut self, scope: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT last_value FROM numbering WHERE scope = $1")
            .bind(scope.to_string())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| get::<i64>(&r, "last_value"))
            .transpose()
            .map(|v| v.unwrap_or(0))
    }

    /// Sets the last number of a scope (the next one given is `last + 1`).
    pub async fn set_numbering_last(&mut self, scope: &str, last: i64) -> Result<(), StoreError> {
        let before = self.numbering_last(scope).await?;
        // Each collectivity numbers on its own (see `put_setting` for the two keys).
        sqlx::query(match self.backend() {
            Backend::Sqlite => {
                "INSERT INTO numbering (scope, last_value) VALUES ($1, $2) \
                 ON CONFLICT (scope) DO UPDATE SET last_value = $2"
            }
            Backend::Postgres => {
                "INSERT INTO numbering (scope, last_value) VALUES ($1, $2) \
                 ON CONFLICT (collectivity_id, scope) DO UPDATE SET last_value = $2"
            }
        })
        .bind(scope.to_string())
        .bind(last)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::NUMBERING,
            scope,
            Some(&before),
            Some(&last),
        )
        .await
    }
}
