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
