//! Beneficiaries and their bank accounts.

use crate::error::on_duplicate;
use crate::input::{BankAccountInput, BeneficiaryInput};
use crate::{Acta, Actor, AppError};
use acta_domain::beneficiary::{BankAccount, Beneficiary};
use acta_domain::identifiers::Siret;
use acta_domain::{Id, Stored};
use acta_store::Tx;

/// Records a beneficiary inside an open transaction.
pub(crate) async fn add_beneficiary_in(
    tx: &mut Tx,
    input: &BeneficiaryInput,
) -> Result<Id<Beneficiary>, AppError> {
    let beneficiary = input.parse()?;
    if let Some(siret) = &beneficiary.siret
        && let Some(existing) = tx.beneficiary_by_siret(siret).await?
    {
        return Err(AppError::conflict(format!(
            "SIRET : un bénéficiaire porte déjà le SIRET {} ({}, n°{}).",
            siret.grouped(),
            existing.name,
            existing.id
        )));
    }
    tx.insert_beneficiary(&beneficiary)
        .await
        .map_err(on_duplicate(
            "Ce bénéficiaire (SIRET ou RNA) est déjà enregistré.",
        ))
}

pub(crate) async fn add_bank_account_in(
    tx: &mut Tx,
    beneficiary: Id<Beneficiary>,
    input: &BankAccountInput,
) -> Result<Id<BankAccount>, AppError> {
    if tx.beneficiary(beneficiary).await?.is_none() {
        return Err(AppError::not_found(format!(
            "Bénéficiaire : aucun bénéficiaire n°{beneficiary}."
        )));
    }
    let account = input.parse(beneficiary)?;
    tx.insert_bank_account(&account).await.map_err(on_duplicate(
        "IBAN : ce compte est déjà enregistré pour ce bénéficiaire.",
    ))
}

pub(crate) async fn find_beneficiary_in(
    tx: &mut Tx,
    key: &str,
) -> Result<Stored<Beneficiary>, AppError> {
    let found = if let Ok(siret) = Siret::parse("siret", key) {
        tx.beneficiary_by_siret(&siret).await?
    } else if let Ok(n) = key.trim().parse::<i64>() {
        tx.beneficiary(Id::new(n)).await?
    } else {
        None
    };
    found.ok_or_else(|| {
        AppError::not_found(format!(
            "Bénéficiaire : aucun bénéficiaire « {} » (numéro ou SIRET attendu).",
            key.trim()
        ))
    })
}

impl Acta {
    pub async fn add_beneficiary(
        &self,
        actor: &Actor,
        input: &BeneficiaryInput,
    ) -> Result<Id<Beneficiary>, AppError> {
        // Parse before opening the transaction: bad input never takes the write lock.
        input.parse()?;
        let mut tx = self.write(actor).await?;
        let id = add_beneficiary_in(&mut tx, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_bank_account(
        &self,
        actor: &Actor,
        beneficiary: Id<Beneficiary>,
        input: &BankAccountInput,
    ) -> Result<Id<BankAccount>, AppError> {
        input.parse(beneficiary)?;
        let mut tx = self.write(actor).await?;
        let id = add_bank_account_in(&mut tx, beneficiary, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn beneficiaries(&self) -> Result<Vec<Stored<Beneficiary>>, AppError> {
        Ok(self.read().await?.beneficiaries().await?)
    }

    /// A beneficiary by its number or its SIRET.
    pub async fn find_beneficiary(&self, key: &str) -> Result<Stored<Beneficiary>, AppError> {
        let mut tx = self.read().await?;
        find_beneficiary_in(&mut tx, key).await
    }

    pub async fn bank_accounts(
        &self,
        beneficiary: Id<Beneficiary>,
    ) -> Result<Vec<Stored<BankAccount>>, AppError> {
        Ok(self.read().await?.bank_accounts_of(beneficiary).await?)
    }
}
