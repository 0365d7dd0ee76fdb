//! Beneficiaries of grants and their bank accounts.

use crate::collectivity::Address;
use crate::error::{DomainError, Errors, FieldError};
use crate::identifiers::{Iban, Rib, Rna, Siret};
use crate::ids::{Id, Stored};
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
/// What merging a duplicate beneficiary into the one kept does with what both have: a
/// bank account of the duplicate whose IBAN the kept one already has is replaced by the
/// kept one's row (in conventions and payments), the others move; a seat of a member who
/// already sits for the kept one stays behind, the others move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergePlan {
    pub accounts_moved: Vec<Id<BankAccount>>,
    /// (the duplicate's row, the kept one's row with the same IBAN).
    pub accounts_replaced: Vec<(Id<BankAccount>, Id<BankAccount>)>,
    pub seats_moved: Vec<Id<BeneficiarySeat>>,
}

pub fn merge_plan(
    duplicate_accounts: &[Stored<BankAccount>],
    kept_accounts: &[Stored<BankAccount>],
    duplicate_seats: &[Stored<BeneficiarySeat>],
    kept_seats: &[Stored<BeneficiarySeat>],
) -> MergePlan {
    let mut plan = MergePlan::default();
    for a in duplicate_accounts {
        match kept_accounts.iter().find(|k| k.iban == a.iban) {
            Some(k) => plan.accounts_replaced.push((a.id, k.id)),
            None => plan.accounts_moved.push(a.id),
        }
    }
    for s in duplicate_seats {
        if !kept_seats.iter().any(|k| k.member == s.member) {
            plan.seats_moved.push(s.id);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: i64, beneficiary: i64, iban: &str) -> Stored<BankAccount> {
        Stored::new(
            Id::new(id),
            BankAccount {
                beneficiary: Id::new(beneficiary),
                holder: "Association".into(),
                bank_name: "Banque".into(),
                bank_address: None,
                iban: Iban::parse("iban", iban).unwrap(),
            },
        )
    }

    fn seat(id: i64, member: i64, beneficiary: i64) -> Stored<BeneficiarySeat> {
        Stored::new(
            Id::new(id),
            BeneficiarySeat {
                member: Id::new(member),
                beneficiary: Id::new(beneficiary),
                capacity: "administratrice".into(),
            },
        )
    }

    #[test]
    fn a_merge_keeps_one_account_per_iban_and_one_seat_per_member() {
        let shared = "FR7630006000011234567890189";
        let own = "FR1420041010050500013M02606";
        let plan = merge_plan(
            &[account(3, 2, shared), account(4, 2, own)],
            &[account(1, 1, shared)],
            &[seat(7, 10, 2), seat(8, 11, 2)],
            &[seat(5, 10, 1)],
        );
        assert_eq!(
            plan,
            MergePlan {
                accounts_moved: vec![Id::new(4)],
                accounts_replaced: vec![(Id::new(3), Id::new(1))],
                seats_moved: vec![Id::new(8)],
            }
        );
        assert_eq!(merge_plan(&[], &[], &[], &[]), MergePlan::default());
    }
}
