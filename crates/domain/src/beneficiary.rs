//! Beneficiaries of grants and their bank accounts.

use crate::collectivity::Address;
use crate::error::{DomainError, Errors, FieldError};
use crate::identifiers::{Iban, Rib, Rna, Siret};
use crate::ids::Id;
use crate::people::PersonName;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Who signs for the beneficiary, and in what capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub name: PersonName,
    /// "Présidente de la Délégation Départementale du Pas-de-Calais".
    pub capacity: String,
    /// "nommée en date du 02 Mai 2023".
    pub appointed_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beneficiary {
    /// "Chambre de Métiers et de l'Artisanat de région Hauts-de-France".
    pub name: String,
    /// The short name the texts use: "CMA de région Hauts-de-France".
    pub short_name: Option<String>,
    /// How the convention designates it: "CMA Hauts-de-France".
    pub designation: Option<String>,
    /// "établissement public organisme consulaire", "association loi 1901".
    pub legal_status: String,
    pub siret: Option<Siret>,
    pub rna: Option<Rna>,
    pub address: Address,
    pub representative: Option<Representative>,
}

impl Beneficiary {
    /// The name sentences use: the short name when there is one.
    pub fn usual_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new(
                "nom",
                "Nom : la raison sociale du bénéficiaire est obligatoire.",
            ));
        }
        if self.legal_status.trim().is_empty() {
            errors.push(FieldError::new(
                "statut",
                "Statut : le statut juridique du bénéficiaire est obligatoire.",
            ));
        }
        if self.siret.is_none() && self.rna.is_none() {
            errors.push(FieldError::new(
                "siret",
                "SIRET : un bénéficiaire est identifié par son SIRET ou, pour une association, par son numéro RNA.",
            ));
        }
        errors.check(self.address.validate("adresse"));
        if let Some(r) = &self.representative {
            errors.check(r.name.validate("representant"));
            if r.capacity.trim().is_empty() {
                errors.push(FieldError::new(
                    "representant.qualite",
                    "Qualité : la qualité du représentant est obligatoire.",
                ));
            }
        }
        errors.into_result()
    }
}

/// A bank account on file for a beneficiary. The IBAN is the reference; a French IBAN
/// carries a RIB, checked too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub beneficiary: Id<Beneficiary>,
    /// "CMA de région Hauts-de-France".
    pub holder: String,
    /// "Banque Populaire du Nord".
    pub bank_name: String,
    pub bank_address: Option<String>,
    pub iban: Iban,
}

impl BankAccount {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.holder.trim().is_empty() {
            errors.push(FieldError::new(
                "titulaire",
                "Titulaire : le titulaire du compte est obligatoire.",
            ));
        }
        if self.bank_name.trim().is_empty() {
            errors.push(FieldError::new(
                "banque",
                "Banque : le nom de la banque est obligatoire.",
            ));
        }
        errors.into_result()
    }

    pub fn rib(&self) -> Option<Rib> {
        self.iban.rib()
    }
}

/// A member who sits in a beneficiary's bodies (board, general assembly…): they must not
/// take part in granting it an aid (déport, article L1111-6 of the CGCT).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiarySeat {
    pub member: Id<crate::people::Member>,
    pub beneficiary: Id<Beneficiary>,
    /// "représentant du Département au conseil d'administration".
    pub capacity: String,
}
