//! Accounts and sessions through the application layer, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_app::accounts::NewAccount;
use acta_app::{Acta, Actor, AppError, FixedClock};
use acta_domain::account::{SESSION_SECONDS, StaffRole};
use acta_store::testing::TestDatabase;

fn at(seconds: i64) -> FixedClock {
    FixedClock(jiff::Timestamp::from_second(1_700_000_000 + seconds).unwrap())
}

fn new_account(login: &str, role: &str, password: &str) -> NewAccount {
    NewAccount {
        login: login.into(),
        name: "Mme Claire DUPONT".into(),
        role: role.into(),
        password: password.into(),
    }
}

fn fields(e: &AppError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.field.clone()).collect()
}

#[tokio::test]
async fn an_account_logs_in_holds_a_session_and_logs_out() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = Acta::with_store(db.store.clone()).with_clock(at(0));
        let admin = Actor::new("cli");
        let password = "Séance du 20 novembre";
        acta.create_account(&admin, &new_account("CDupont", "assemblees", password))
            .await
            .unwrap();

        // Every mistake of a form at once, each under its field.
        let bad = acta
            .create_account(&admin, &new_account("c dupont", "maire", "court"))
            .await
            .unwrap_err();
        assert_eq!(fields(&bad), ["identifiant", "role"], "{bad}");
        let short = acta
            .create_account(&admin, &new_account("autre", "elu", "court"))
            .await
            .unwrap_err();
        assert_eq!(fields(&short), ["mot_de_passe"]);
        let taken = acta
            .create_account(&admin, &new_account("cdupont", "elu", password))
            .await
            .unwrap_err();
        assert_eq!(
            taken.to_string(),
            "Identifiant : « cdupont » est déjà pris."
        );

        // Wrong password and unknown login are refused alike.
        for (login, pass) in [("cdupont", "mauvais mot de passe"), ("inconnu", password)] {
            let refused = acta.log_in(login, pass).await.unwrap_err();
            assert_eq!(
                refused.to_string(),
                "Identifiant ou mot de passe incorrect."
            );
        }

        let opened = acta.log_in(" CDUPONT ", password).await.unwrap();
        assert_eq!(opened.token.len(), 64);
        let holder = acta.session(&opened.token).await.unwrap().unwrap();
        assert_eq!(holder.account.login, "cdupont");
        assert_eq!(holder.account.role, StaffRole::AssembliesService);
        assert!(holder.csrf_matches(&opened.session.csrf_token));
        assert!(!holder.csrf_matches(&"0".repeat(64)));
        assert!(!holder.csrf_matches(""));
        assert_eq!(acta.session(&"0".repeat(64)).await.unwrap(), None);
        assert_eq!(acta.session("pas un jeton").await.unwrap(), None);

        // Neither the token nor the password is stored as given.
        assert_eq!(db.count("web_session").await.unwrap(), 1);
        let journal = acta.journal_recent(100).await.unwrap();
        let text = serde_json::to_string(&journal).unwrap();
        assert!(!text.contains("argon2"), "{text}");
        assert!(!text.contains(&opened.token));

        // A session ends after its lifetime.
        let later = Acta::with_store(db.store.clone()).with_clock(at(SESSION_SECONDS));
        assert_eq!(later.session(&opened.token).await.unwrap(), None);

        // A later log-in forgets the expired session.
        later.log_in("cdupont", password).await.unwrap();
        assert_eq!(db.count("web_session").await.unwrap(), 1);

        let current = acta.log_in("cdupont", password).await.unwrap();
        acta.log_out(&current.token).await.unwrap();
        assert_eq!(acta.session(&current.token).await.unwrap(), None);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_closed_account_or_a_new_password_ends_sessions() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = Acta::with_store(db.store.clone()).with_clock(at(0));
        let admin = Actor::new("cli");
        let password = "Commission permanente";
        acta.create_account(&admin, &new_account("finances", "finances", password))
            .await
            .unwrap();
        let first = acta.log_in("finances", password).await.unwrap();
        acta.set_account_active(&admin, "finances", false)
            .await
            .unwrap();
        assert_eq!(acta.session(&first.token).await.unwrap(), None);
        assert!(acta.log_in("finances", password).await.is_err());
        acta.set_account_active(&admin, "finances", true)
            .await
            .unwrap();

        let second = acta.log_in("finances", password).await.unwrap();
        acta.set_password(&admin, "finances", "Un autre mot de passe")
            .await
            .unwrap();
        assert_eq!(acta.session(&second.token).await.unwrap(), None);
        assert!(acta.log_in("finances", password).await.is_err());
        assert!(
            acta.log_in("finances", "Un autre mot de passe")
                .await
                .is_ok()
        );
        let accounts = acta.accounts().await.unwrap();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].role_label, "Finances");
        db.cleanup().await.unwrap();
    }
}

/// A clock the test moves forward.
#[derive(Clone)]
struct Moving(std::sync::Arc<std::sync::atomic::AtomicI64>);

impl acta_app::Clock for Moving {
    fn now(&self) -> jiff::Timestamp {
        let seconds = self.0.load(std::sync::atomic::Ordering::SeqCst);
        jiff::Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }
}

#[tokio::test]
async fn wrong_passwords_are_throttled_then_locked_and_the_lock_ends_by_itself_or_by_an_administrator()
 {
    use std::sync::atomic::Ordering;
    for db in TestDatabase::all().await.unwrap() {
        let time = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let acta = Acta::with_store(db.store.clone()).with_clock(Moving(time.clone()));
        let admin = Actor::new("cli");
        let password = "Séance du 20 novembre";
        acta.create_account(&admin, &new_account("cdupont", "assemblees", password))
            .await
            .unwrap();
        let from = Some("203.0.113.7");

        // Thirty wrong passwords in a row, one a second: the first five are only refused,
        // the next ones must wait longer and longer, then the login is locked.
        let mut waits = 0;
        let mut locked = None;
        for _ in 0..30 {
            let err = acta
                .log_in_from("cdupont", "mauvais mot de passe", from)
                .await
                .unwrap_err()
                .to_string();
            if err.starts_with("Trop de tentatives") {
                waits += 1;
            } else if err.starts_with("Connexion bloquée") {
                locked = Some(err.clone());
            } else {
                assert_eq!(err, "Identifiant ou mot de passe incorrect.");
            }
            time.fetch_add(1, Ordering::SeqCst);
        }
        assert!(waits > 5, "{waits} throttled tries ({})", db.name());
        // Patient tries (waiting as told) are still counted until the lock.
        for _ in 0..40 {
            if locked.is_some() {
                break;
            }
            match acta
                .log_in_from("cdupont", "mauvais mot de passe", from)
                .await
            {
                Err(e) if e.to_string().starts_with("Connexion bloquée") => {
                    locked = Some(e.to_string())
                }
                _ => {}
            }
            time.fetch_add(61, Ordering::SeqCst);
        }
        let locked = locked.expect("the login is locked");
        assert!(locked.contains("demandez à un administrateur"), "{locked}");
        // The right password during the lock is refused, in the same words.
        let err = acta
            .log_in_from("cdupont", password, from)
            .await
            .unwrap_err();
        assert!(err.to_string().starts_with("Connexion bloquée"), "{err}");
        // An unknown login is counted and refused alike: nothing tells it apart.
        let unknown = acta.log_in_from("inconnu", "x", None).await.unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "Identifiant ou mot de passe incorrect."
        );

        // The administrator sees the lock and lifts it.
        let locks = acta.locked_logins().await.unwrap();
        assert!(
            locks.iter().any(|l| l.cle == "identifiant:cdupont"),
            "{locks:?}"
        );
        assert!(
            locks.iter().any(|l| l.cle == "adresse:203.0.113.7"),
            "{locks:?}"
        );
        acta.unlock(&admin, "cdupont").await.unwrap();
        acta.unlock(&admin, "adresse:203.0.113.7").await.unwrap();
        acta.log_in_from("cdupont", password, from).await.unwrap();
        assert!(acta.unlock(&admin, "cdupont").await.is_err());

        // Locked again, it ends by itself after fifteen minutes.
        for _ in 0..200 {
            if acta
                .log_in_from("cdupont", "faux", None)
                .await
                .is_err_and(|e| e.to_string().starts_with("Connexion bloquée"))
            {
                break;
            }
            time.fetch_add(61, Ordering::SeqCst);
        }
        assert!(acta.log_in_from("cdupont", password, None).await.is_err());
        time.fetch_add(15 * 60, Ordering::SeqCst);
        acta.log_in_from("cdupont", password, None).await.unwrap();

        // Every failure and lift is in the journal.
        let journal = acta
            .journal_of("echec_connexion", "identifiant:cdupont")
            .await
            .unwrap();
        assert!(journal.len() > 20, "{}", journal.len());
        assert!(journal.iter().any(|e| e.action == "suppression"));
        db.cleanup().await.unwrap();
    }
}
