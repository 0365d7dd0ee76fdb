//! Staff accounts and their sessions: creating accounts, logging in and out, and finding
//! who holds a session. Passwords are hashed with Argon2id (a unique salt each, OWASP's
//! default cost); a session's token is only ever stored as its SHA-256.

use crate::{Acta, Actor, AppError};
use acta_domain::account::{Login, SESSION_SECONDS, StaffAccount, StaffRole, check_password};
use acta_domain::error::{DomainError, Errors};
use acta_domain::french::normalize_spaces;
use acta_domain::throttle::{self, ThrottlePolicy, Verdict, stricter};
use acta_store::StoredAccount;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A new account as entered (a refused form shows it again, never its password).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NewAccount {
    #[serde(rename = "identifiant", alias = "login")]
    pub login: String,
    #[serde(rename = "nom", alias = "name")]
    pub name: String,
    /// A role code ("assemblees").
    pub role: String,
    #[serde(rename = "mot_de_passe", alias = "password", skip_serializing)]
    pub password: String,
}

/// An account as shown: never its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountView {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: StaffRole,
    pub role_label: String,
    pub active: bool,
}

impl From<&StoredAccount> for AccountView {
    fn from(a: &StoredAccount) -> Self {
        AccountView {
            id: a.id,
            login: a.account.login.to_string(),
            name: a.account.name.clone(),
            role: a.account.role,
            role_label: a.account.role.label().to_string(),
            active: a.account.active,
        }
    }
}

/// A session just opened: the token goes into the cookie, and is not kept anywhere else.
#[derive(Debug, Clone)]
pub struct OpenedSession {
    pub token: String,
    pub session: SessionHolder,
}

/// Who holds a live session, and the token their forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionHolder {
    pub account: AccountView,
    pub csrf_token: String,
    /// Seconds since 1970, UTC.
    pub expires_at: i64,
}

impl SessionHolder {
    /// Whether a form's or header's token is the session's (compared in constant time).
    pub fn csrf_matches(&self, given: &str) -> bool {
        let (a, b) = (self.csrf_token.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// The login of the demonstration's administrator.
pub const DEMO_LOGIN: &str = "demo";

const LOGIN_REFUSED: &str = "Identifiant ou mot de passe incorrect.";

/// A login or an address locked after too many failed log-ins.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LockView {
    /// "identifiant:cdupont" or "adresse:203.0.113.7".
    pub cle: String,
    pub echecs: u32,
    /// The end of the lock (RFC 3339, UTC).
    pub jusqu_a: String,
}

/// The key of a login's failures, whatever its case and spaces (unknown logins too).
fn login_key(login: &str) -> String {
    format!("identifiant:{}", login.trim().to_lowercase())
}

/// The keys a log-in is counted against: its login, and its client's address when known.
fn throttle_keys(login: &str, client: Option<&str>) -> Vec<String> {
    let mut keys = vec![login_key(login)];
    if let Some(address) = client.map(str::trim).filter(|a| !a.is_empty()) {
        keys.push(format!("adresse:{address}"));
    }
    keys
}

/// 32 random bytes, in hexadecimal.
pub(crate) fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::File(format!("Générateur aléatoire indisponible : {e}")))?;
    Ok(hex::encode(bytes))
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashing costs tens of milliseconds on purpose: it runs off the async threads.
pub(crate) async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::File(format!("Calcul de l'empreinte interrompu : {e}")))?
    .map_err(|e| AppError::File(format!("Empreinte du mot de passe impossible : {e}")))
}

async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// The hash checked when the login is unknown, so that an unknown login takes as long to
/// refuse as a wrong password. Made once, from a password nobody knows.
async fn decoy_hash() -> Result<String, AppError> {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_try_init(|| async { hash_password(random_token()?).await })
        .await
        .cloned()
}

impl Acta {
    /// Creates an account; the actor is an administrator (or the command line).
    pub async fn create_account(&self, actor: &Actor, input: &NewAccount) -> Result<i64, AppError> {
        let mut errors = Errors::new();
        let login = errors.check(Login::parse(&input.login));
        let role = match StaffRole::parse_account_role(&input.role) {
            Ok(r) => Some(r),
            Err(DomainError::Invalid(list)) => {
                list.into_iter().for_each(|e| errors.push(e));
                None
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(login) = &login {
            errors.check(check_password(&input.password, login));
        }
        errors.into_result()?;
        let (Some(login), Some(role)) = (login, role) else {
            return Err(AppError::File("Compte incomplet.".into()));
        };
        let account = StaffAccount {
            login,
            name: normalize_spaces(&input.name),
            role,
            active: true,
        };
        account.validate()?;
        let hash = hash_password(input.password.clone()).await?;
        let mut tx = self.write(actor).await?;
        let id = tx
            .insert_account(&account, &hash)
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Identifiant : « {} » est déjà pris.",
                account.login
            )))?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces an account's password and ends its sessions.
    pub async fn set_password(
        &self,
        actor: &Actor,
        login: &str,
        password: &str,
    ) -> Result<(), AppError> {
        let login = Login::parse(login)?;
        check_password(password, &login)?;
        let hash = hash_password(password.to_string()).await?;
        let mut tx = self.write(actor).await?;
        let account = account_named(&mut tx, &login).await?;
        tx.set_password_hash(account.id, &hash).await?;
        tx.delete_sessions_of(account.id, self.now().as_second())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens or closes an account; closing it ends its sessions.
    pub async fn set_account_active(
        &self,
        actor: &Actor,
        login: &str,
        active: bool,
    ) -> Result<(), AppError> {
        let login = Login::parse(login)?;
        let mut tx = self.write(actor).await?;
        let stored = account_named(&mut tx, &login).await?;
        let mut account = stored.account.clone();
        account.active = active;
        tx.update_account(stored.id, &account).await?;
        if !active {
            tx.delete_sessions_of(stored.id, self.now().as_second())
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn accounts(&self) -> Result<Vec<AccountView>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx.accounts().await?.iter().map(AccountView::from).collect())
    }

    /// Checks a login and password and opens a session. Every refusal reads the same, so
    /// that nobody learns which logins exist.
    pub async fn log_in(&self, login: &str, password: &str) -> Result<OpenedSession, AppError> {
        self.log_in_from(login, password, None).await
    }

    /// As [`Acta::log_in`], from a client address: failures are counted against the login
    /// and the address, and a try too soon after them, or on a locked one, is refused
    /// before the password is even checked.
    pub async fn log_in_from(
        &self,
        login: &str,
        password: &str,
        client: Option<&str>,
    ) -> Result<OpenedSession, AppError> {
        let refused = || AppError::Domain(DomainError::rule(LOGIN_REFUSED));
        let keys = throttle_keys(login, client);
        let now = self.now().as_second();
        let policy = ThrottlePolicy::default();
        let verdict = {
            let mut tx = self.read().await?;
            let mut verdict = Verdict::Allowed;
            for key in &keys {
                verdict = stricter(verdict, tx.login_failures(key).await?.verdict(now, &policy));
            }
            verdict
        };
        if let Some(message) = throttle::refusal(verdict, now) {
            return Err(AppError::Domain(DomainError::rule(message)));
        }
        let stored = match Login::parse(login) {
            Ok(login) => self.read().await?.account_by_login(&login).await?,
            Err(_) => None,
        };
        let hash = match &stored {
            Some(a) => a.password_hash.clone(),
            None => decoy_hash().await?,
        };
        let matches = password_matches(password.to_string(), hash).await;
        let Some(stored) = stored.filter(|a| matches && a.account.active) else {
            // Counted in one write: concurrent failures are all counted.
            let mut tx = self.write(&Actor::new("connexion")).await?;
            for key in &keys {
                let after = tx.login_failures(key).await?.after_failure(now, &policy);
                tx.put_login_failures(key, &after).await?;
            }
            tx.commit().await?;
            return Err(refused());
        };
        let token = random_token()?;
        let csrf_token = random_token()?;
        let now = self.now().as_second();
        let expires_at = now + SESSION_SECONDS;
        let mut tx = self
            .write(&Actor::new(stored.account.login.to_string()))
            .await?;
        // Expired sessions are forgotten as new ones open: the table stays small.
        tx.delete_expired_sessions(now).await?;
        for key in &keys {
            tx.clear_login_failures(key).await?;
        }
        tx.insert_session(&token_hash(&token), stored.id, &csrf_token, expires_at)
            .await?;
        tx.commit().await?;
        Ok(OpenedSession {
            token,
            session: SessionHolder {
                account: AccountView::from(&stored),
                csrf_token,
                expires_at,
            },
        })
    }

    /// Who holds the session with this token, if it is live and its account active.
    pub async fn session(&self, token: &str) -> Result<Option<SessionHolder>, AppError> {
        // A token is 64 hexadecimal digits: anything else is not looked up.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let mut tx = self.read().await?;
        let found = tx
            .live_session(&token_hash(token), self.now().as_second())
            .await?;
        Ok(found
            .filter(|s| s.account.account.active)
            .map(|s| SessionHolder {
                account: AccountView::from(&s.account),
                csrf_token: s.csrf_token,
                expires_at: s.expires_at,
            }))
    }

    /// The demonstration's administrator, "demo", with a new random password each time
    /// (returned, to be shown once): a demo database never keeps a known password.
    pub async fn reset_demo_account(&self, actor: &Actor) -> Result<String, AppError> {
        let password = random_token()?[..20].to_string();
        let exists = self
            .read()
            .await?
            .account_by_login(&Login::parse(DEMO_LOGIN)?)
            .await?
            .is_some();
        if exists {
            self.set_password(actor, DEMO_LOGIN, &password).await?;
            self.set_account_active(actor, DEMO_LOGIN, true).await?;
        } else {
            self.create_account(
                actor,
                &NewAccount {
                    login: DEMO_LOGIN.to_string(),
                    name: "Compte de démonstration".to_string(),
                    role: StaffRole::Administrator.code().to_string(),
                    password: password.clone(),
                },
            )
            .await?;
        }
        Ok(password)
    }

    /// The logins and addresses locked now.
    pub async fn locked_logins(&self) -> Result<Vec<LockView>, AppError> {
        let now = self.now().as_second();
        let locked = self.read().await?.locked_logins(now).await?;
        Ok(locked
            .into_iter()
            .map(|(key, f)| LockView {
                cle: key,
                echecs: f.count,
                jusqu_a: f
                    .locked_until
                    .and_then(|t| jiff::Timestamp::from_second(t).ok())
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            })
            .collect())
    }

    /// Lifts a lock (and forgets the failures) of a login or an address, as an
    /// administrator: `key` is a login, or "adresse:…".
    pub async fn unlock(&self, actor: &Actor, key: &str) -> Result<(), AppError> {
        let key = match key.trim() {
            k if k.starts_with("adresse:")
                || k.starts_with("identifiant:")
                || k.starts_with("inscription:") =>
            {
                k.to_string()
            }
            k => login_key(k),
        };
        let mut tx = self.write(actor).await?;
        if !tx.clear_login_failures(&key).await? {
            return Err(AppError::not_found(format!(
                "Aucun échec de connexion n'est compté pour « {key} »."
            )));
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn log_out(&self, token: &str) -> Result<(), AppError> {
        let holder = self.session(token).await?;
        let Some(holder) = holder else { return Ok(()) };
        let mut tx = self.write(&Actor::new(holder.account.login)).await?;
        tx.delete_session(&token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn account_named(tx: &mut acta_store::Tx, login: &Login) -> Result<StoredAccount, AppError> {
    tx.account_by_login(login)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Compte : aucun compte « {login} ».")))
}
