//! Failed log-ins, per login and per client address (see `domain::throttle`). Each
//! failure, lock and lifted lock is journaled.

use super::{action, entity};
use crate::codec::*;
use crate::{Backend, StoreError, Tx};
use acta_domain::throttle::Failures;
use sqlx::any::AnyRow;

fn failures(row: &AnyRow) -> Result<Failures, StoreError> {
    let count: i64 = get(row, "count")?;
    Ok(Failures {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        last_at: get(row, "last_at")?,
        locked_until: get(row, "locked_until")?,
    })
}

impl Tx {
    /// The failures counted against a key ("identifiant:cdupont", "adresse:203.0.113.7").
    pub async fn login_failures(&mut self, key: &str) -> Result<Failures, StoreError> {
        let row =
            sqlx::query("SELECT count, last_at, locked_until FROM login_failure WHERE key = $1")
                .bind(key.to_string())
                .fetch_optional(self.conn())
                .await?;
        Ok(row.as_ref().map(failures).transpose()?.unwrap_or_default())
    }

    pub async fn put_login_failures(&mut self, key: &str, f: &Failures) -> Result<(), StoreError> {
        let before = self.login_failures(key).await?;
        // Failures are counted per collectivity (see `put_setting` for the two keys).
        sqlx::query(match self.backend() {
            Backend::Sqlite => {
                "INSERT INTO login_failure (key, count, last_at, locked_until) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (key) DO UPDATE SET count = $2, last_at = $3, locked_until = $4"
            }
            Backend::Postgres => {
                "INSERT INTO login_failure (key, count, last_at, locked_until) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (collectivity_id, key) DO UPDATE SET count = $2, last_at = $3, locked_until = $4"
            }
        })
        .bind(key.to_string())
        .bind(i64::from(f.count))
        .bind(f.last_at)
        .bind(f.locked_until)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::LOGIN_FAILURE,
            key,
            Some(&before),
            Some(f),
        )
        .await
    }

    /// Forgets the failures of a key (a successful log-in, a lock lifted).
    pub async fn clear_login_failures(&mut self, key: &str) -> Result<bool, StoreError> {
        let before = self.login_failures(key).await?;
        let done = sqlx::query("DELETE FROM login_failure WHERE key = $1")
            .bind(key.to_string())
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.record::<_, ()>(
            action::DELETE,
            entity::LOGIN_FAILURE,
            key,
            Some(&before),
            None,
        )
        .await?;
        Ok(true)
    }

    /// The keys locked at `now`.
    pub async fn locked_logins(&mut self, now: i64) -> Result<Vec<(String, Failures)>, StoreError> {
        let rows = sqlx::query(
            "SELECT key, count, last_at, locked_until FROM login_failure WHERE locked_until > $1 ORDER BY key",
        )
        .bind(now)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((get::<String>(r, "key")?, failures(r)?)))
            .collect()
    }
}
