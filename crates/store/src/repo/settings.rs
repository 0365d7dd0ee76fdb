//! Settings (JSON values by key) and members' seats in beneficiaries.

use super::{action, entity};
use crate::codec::*;
use crate::{Backend, StoreError, Tx};
use acta_domain::beneficiary::{Beneficiary, BeneficiarySeat};
use acta_domain::{Id, Stored};

impl Tx {
    pub async fn setting(&mut self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let row = sqlx::query("SELECT value_json FROM setting WHERE key = $1")
            .bind(key.to_string())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| json::<serde_json::Value>(&r, "value_json"))
            .transpose()
    }

    pub async fn put_setting(
        &mut self,
        key: &str,
        value: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let before = self.setting(key).await?;
        // A key is unique within a collectivity: with the collectivity on PostgreSQL, which
        // holds several; by itself on SQLite, which holds one.
        sqlx::query(match self.backend() {
            Backend::Sqlite => {
                "INSERT INTO setting (key, value_json) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value_json = $2"
            }
            Backend::Postgres => {
                "INSERT INTO setting (key, value_json) VALUES ($1, $2) \
                 ON CONFLICT (collectivity_id, key) DO UPDATE SET value_json = $2"
            }
        })
        .bind(key.to_string())
        .bind(to_json(value)?)
        .execute(self.conn())
        .await?;
        let act = if before.is_some() {
            action::UPDATE
        } else {
            action::CREATE
        };
        self.record(act, entity::SETTING, key, before.as_ref(), Some(value))
            .await
    }

    /// Removes a setting (journaled); nothing happens when there is none.
    pub async fn delete_setting(&mut self, key: &str) -> Result<(), StoreError> {
        let Some(before) = self.setting(key).await? else {
            return Ok(());
        };
        sqlx::query("DELETE FROM setting WHERE key = $1")
            .bind(key.to_string())
            .execute(self.conn())
            .await?;
        self.record::<_, serde_json::Value>(
            action::DELETE,
            entity::SETTING,
            key,
            Some(&before),
            None,
        )
        .await
    }

    pub async fn insert_beneficiary_seat(
        &mut self,
        s: &BeneficiarySeat,
    ) -> Result<Id<BeneficiarySeat>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO beneficiary_seat (member_id, beneficiary_id, capacity) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(s.member.get())
                .bind(s.beneficiary.get())
                .bind(s.capacity.clone()),
            )
            .await?;
        let stored = Stored::new(Id::new(id), s.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::BENEFICIARY_SEAT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn seats_in(
        &mut self,
        beneficiary: Id<Beneficiary>,
    ) -> Result<Vec<Stored<BeneficiarySeat>>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM beneficiary_seat WHERE beneficiary_id = $1 ORDER BY id")
                .bind(beneficiary.get())
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Stored::new(
                    id(r, "id")?,
                    BeneficiarySeat {
                        member: id(r, "member_id")?,
                        beneficiary: id(r, "beneficiary_id")?,
                        capacity: get(r, "capacity")?,
                    },
                ))
            })
            .collect()
    }
}
