//! Staff accounts and web sessions. Accounts are journaled without their password hash;
//! sessions are not journaled: they change nothing in the register.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::account::{Login, StaffAccount, StaffRole};
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub id: i64,
    pub account: StaffAccount,
    /// Argon2id, as a PHC string.
    pub password_hash: String,
}

/// A live session: its account and the token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub account: StoredAccount,
    pub csrf_token: String,
    /// Seconds since 1970, UTC.
    pub expires_at: i64,
}

fn role(row: &AnyRow) -> Result<StaffRole, StoreError> {
    let code: String = get(row, "role")?;
    StaffRole::from_code(&code).ok_or_else(|| StoreError::corrupt("role", code))
}

fn account(row: &AnyRow) -> Result<StoredAccount, StoreError> {
    let login: String = get(row, "login")?;
    Ok(StoredAccount {
        id: get(row, "id")?,
        account: StaffAccount {
            login: Login::parse(&login).map_err(|_| StoreError::corrupt("login", login))?,
            name: get(row, "name")?,
            role: role(row)?,
            active: flag(row, "active")?,
        },
        password_hash: get(row, "password_hash")?,
    })
}

/// "SELECT <every column> FROM account <tail>", as a static string.
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT id, login, name, role, active, password_hash FROM account ",
            $tail
        )
    };
}

impl Tx {
    pub async fn insert_account(
        &mut self,
        a: &StaffAccount,
        password_hash: &str,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO account (login, name, role, active, password_hash) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(a.login.as_str().to_string())
                .bind(a.name.clone())
                .bind(a.role.code())
                .bind(i64::from(a.active))
                .bind(password_hash.to_string()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::ACCOUNT,
            &id.to_string(),
            None,
            Some(a),
        )
        .await?;
        Ok(id)
    }

    /// Changes an account's name, role or activity; the password stays.
    pub async fn update_account(&mut self, id: i64, a: &StaffAccount) -> Result<(), StoreError> {
        let before = self.account(id).await?.map(|s| s.account);
        sqlx::query("UPDATE account SET name = $1, role = $2, active = $3 WHERE id = $4")
            .bind(a.name.clone())
            .bind(a.role.code())
            .bind(i64::from(a.active))
            .bind(id)
            .execute(self.conn())
            .await?;
        self.record(
            action::UPDATE,
            entity::ACCOUNT,
            &id.to_string(),
            before.as_ref(),
            Some(a),
        )
        .await
    }

    /// Replaces the password hash. The journal says that it changed, not what it is.
    pub async fn set_password_hash(&mut self, id: i64, hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
            .bind(hash.to_string())
            .bind(id)
            .execute(self.conn())
            .await?;
        self.record::<(), _>(
            action::UPDATE,
            entity::ACCOUNT,
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "mot_de_passe": "changé" })),
        )
        .await
    }

    pub async fn account(&mut self, id: i64) -> Result<Option<StoredAccount>, StoreError> {
        let row = sqlx::query(select!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(account).transpose()
    }

    pub async fn account_by_login(
        &mut self,
        login: &Login,
    ) -> Result<Option<StoredAccount>, StoreError> {
        let row = sqlx::query(select!("WHERE login = $1"))
            .bind(login.as_str().to_string())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(account).transpose()
    }

    pub async fn accounts(&mut self) -> Result<Vec<StoredAccount>, StoreError> {
        let rows = sqlx::query(select!("ORDER BY login"))
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(account).collect()
    }

    pub async fn insert_session(
        &mut self,
        token_sha256: &str,
        account: i64,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO web_session (token_sha256, account, csrf_token, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_sha256.to_string())
        .bind(account)
        .bind(csrf_token.to_string())
        .bind(expires_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Forgets the sessions that have expired.
    pub async fn delete_expired_sessions(&mut self, now: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_session WHERE expires_at <= $1")
            .bind(now)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// The session with this token hash, if it has not expired at `now`.
    pub async fn live_session(
        &mut self,
        token_sha256: &str,
        now: i64,
    ) -> Result<Option<StoredSession>, StoreError> {
        let row = sqlx::query(
            "SELECT a.id, a.login, a.name, a.role, a.active, a.password_hash, \
             s.csrf_token, s.expires_at FROM web_session s JOIN account a ON a.id = s.account \
             WHERE s.token_sha256 = $1 AND s.expires_at > $2",
        )
        .bind(token_sha256.to_string())
        .bind(now)
        .fetch_optional(self.conn())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredSession {
            account: account(&row)?,
            csrf_token: get(&row, "csrf_token")?,
            expires_at: get(&row, "expires_at")?,
        }))
    }

    pub async fn delete_session(&mut self, token_sha256: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_session WHERE token_sha256 = $1")
            .bind(token_sha256.to_string())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Ends every session of an account (deactivated, password changed) and every expired
    /// session.
    pub async fn delete_sessions_of(&mut self, account: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_session WHERE account = $1 OR expires_at <= $2")
            .bind(account)
            .bind(now)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
