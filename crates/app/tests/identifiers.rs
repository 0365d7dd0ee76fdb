//! A wrong SIRET, IBAN or RIB key is refused with a message naming the field, and nothing
//! is written — on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_app::input::{AddressInput, BankAccountInput, BeneficiaryInput};
use acta_app::{Acta, Actor, AppError};
use acta_store::testing::TestDatabase;

fn cma(siret: &str) -> BeneficiaryInput {
    BeneficiaryInput {
        name: "Chambre de Métiers et de l’Artisanat de région Hauts-de-France".into(),
        legal_status: "établissement public organisme consulaire".into(),
        siret: Some(siret.into()),
        address: AddressInput {
            street: "place des artisans - CS 12010".into(),
            postal_code: "59011".into(),
            city: "LILLE Cedex".into(),
        },
        ..Default::default()
    }
}

fn account(iban: Option<&str>, rib: Option<&str>) -> BankAccountInput {
    BankAccountInput {
        holder: "CMA de région Hauts-de-France".into(),
        bank_name: "Banque Populaire du Nord".into(),
        iban: iban.map(Into::into),
        rib: rib.map(Into::into),
        ..Default::default()
    }
}

fn field_error(err: &AppError) -> (String, String) {
    let list = err.field_errors();
    assert_eq!(list.len(), 1, "{err}");
    (list[0].field.clone(), list[0].message.clone())
}

#[tokio::test]
async fn wrong_identifiers_are_refused_by_field_and_nothing_is_written() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = Acta::with_store(db.store.clone());
        let actor = Actor::new("instructeur");

        let err = acta
            .add_beneficiary(&actor, &cma("130 023 740 00438"))
            .await
            .unwrap_err();
        let (field, message) = field_error(&err);
        assert_eq!(field, "siret");
        assert_eq!(
            message,
            "SIRET : « 130 023 740 00438 » est invalide : la clé de contrôle (Luhn) ne correspond pas."
        );
        assert_eq!(db.count("beneficiary").await.unwrap(), 0, "{}", db.name());
        assert_eq!(acta.journal_size().await.unwrap(), 0);

        let id = acta
            .add_beneficiary(&actor, &cma("130 023 740 00439"))
            .await
            .unwrap();
        assert_eq!(acta.journal_size().await.unwrap(), 1);

        let cases = [
            (
                account(Some("FR7713507001003076581216466"), None),
                "iban",
                "chiffres de contrôle",
            ),
            (
                account(None, Some("13507 00100 30765812164 67")),
                "rib",
                "la clé RIB devrait être 66, pas 67",
            ),
            (account(None, None), "iban", "donnez l'IBAN ou le RIB"),
            (
                account(
                    Some("FR1420041010050500013M02606"),
                    Some("13507 00100 30765812164 66"),
                ),
                "rib",
                "ne correspond pas au compte",
            ),
        ];
        for (input, expected_field, expected_text) in cases {
            let err = acta.add_bank_account(&actor, id, &input).await.unwrap_err();
            let (field, message) = field_error(&err);
            assert_eq!(field, expected_field, "{message}");
            assert!(message.contains(expected_text), "{message}");
        }
        assert_eq!(db.count("bank_account").await.unwrap(), 0);
        assert_eq!(acta.journal_size().await.unwrap(), 1);

        // The right RIB is accepted and its IBAN derived.
        acta.add_bank_account(
            &actor,
            id,
            &account(None, Some("13507 00100 30765812164 66")),
        )
        .await
        .unwrap();
        let accounts = acta.bank_accounts(id).await.unwrap();
        assert_eq!(accounts[0].iban.as_str(), "FR7613507001003076581216466");

        // The same SIRET twice is a conflict, not a second beneficiary.
        let err = acta
            .add_beneficiary(&actor, &cma("13002374000439"))
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)), "{err}");
        assert!(err.to_string().contains("130 023 740 00439"), "{err}");
        assert_eq!(db.count("beneficiary").await.unwrap(), 1);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn every_mistake_of_a_form_is_reported_at_once() {
    let mut input = cma("123");
    input.rna = Some("X12".into());
    input.address.postal_code = "5901".into();
    input.legal_status = " ".into();
    let err = match input.parse() {
        Err(e) => AppError::from(e),
        Ok(_) => panic!("accepted"),
    };
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["siret", "rna", "statut", "adresse.code_postal"]);
}
