//! The collectivity, its bodies, its services and the territories a decision concerns.

use crate::error::{DomainError, Errors, FieldError};
use crate::french::{field_label, ordinal_feminine};
use crate::identifiers::{Siren, Siret};
use serde::{Deserialize, Serialize};

/// A postal address as printed in acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Building, street, PO box: "Hôtel du Département rue Ferdinand Buisson".
    pub street: String,
    pub postal_code: String,
    /// With its CEDEX mention when there is one: "Arras Cedex 9".
    pub city: String,
}

impl Address {
    pub fn validate(&self, field: &str) -> Result<(), FieldError> {
        if self.street.trim().is_empty() || self.city.trim().is_empty() {
            return Err(FieldError::new(
                format!("{field}.voie"),
                format!(
                    "{} : la voie et la ville sont obligatoires.",
                    field_label(field)
                ),
            ));
        }
        let pc = self.postal_code.trim();
        if pc.len() != 5 || !pc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                format!("{field}.code_postal"),
                format!(
                    "{} : le code postal « {pc} » doit compter 5 chiffres.",
                    field_label(field)
                ),
            ));
        }
        Ok(())
    }

    /// "rue Ferdinand Buisson 62018 Arras Cedex 9".
    pub fn one_line(&self) -> String {
        format!("{} {} {}", self.street, self.postal_code, self.city)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectivityKind {
    Departement,
    Region,
    Commune,
    Epci,
}

/// The collectivity that keeps this register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collectivity {
    /// "Département du Pas-de-Calais".
    pub name: String,
    /// As headers print it: "DEPARTEMENT DU PAS-DE-CALAIS".
    pub header_name: String,
    pub kind: CollectivityKind,
    /// Two or three characters: "62", "2A", "974".
    pub department_code: String,
    pub siren: Siren,
    /// The head office's SIRET, needed for open data; unknown until configured.
    pub siret: Option<Siret>,
    pub address: Address,
    /// Where acts are signed: "ARRAS".
    pub seat_city: String,
}

/// Checks a French department code: 01–95 (but not 20), 2A, 2B, 971–976.
pub fn validate_department_code(field: &str, code: &str) -> Result<(), FieldError> {
    let valid = match code {
        "2A" | "2B" => true,
        c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit()) => {
            matches!(c.parse::<u32>(), Ok(n) if (1..=95).contains(&n) && n != 20)
        }
        c if c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()) => {
            matches!(c.parse::<u32>(), Ok(n) if (971..=976).contains(&n))
        }
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "{} : « {code} » n'est pas un code de département (01 à 95, 2A, 2B, 971 à 976).",
                field_label(field)
            ),
        ))
    }
}

impl Collectivity {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new(
                "nom",
                "Nom : le nom de la collectivité est obligatoire.",
            ));
        }
        errors.check(validate_department_code(
            "code_departement",
            &self.department_code,
        ));
        errors.check(self.address.validate("adresse"));
        if let Some(siret) = &self.siret
            && siret.siren() != self.siren
        {
            errors.push(FieldError::new(
                "siret",
                format!(
                    "SIRET : « {siret} » n'appartient pas au SIREN {} de la collectivité.",
                    self.siren
                ),
            ));
        }
        errors.into_result()
    }

    /// The department code on three characters, as @ctes and SCDL want it: "062", "02A".
    pub fn department_code_3(&self) -> String {
        format!("{:0>3}", self.department_code)
    }
}

/// The kinds of assembly and commission a Département has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// Conseil départemental: the plenary assembly.
    Council,
    /// Commission permanente: acts by delegation of the council.
    PermanentCommission,
    /// Thematic commission: gives opinions, does not deliberate.
    ThematicCommission,
}

impl BodyKind {
    /// Whether the body adopts deliberations (thematic commissions only give opinions).
    pub fn deliberates(self) -> bool {
        !matches!(self, BodyKind::ThematicCommission)
    }

    pub fn label(self) -> &'static str {
        match self {
            BodyKind::Council => "Conseil départemental",
            BodyKind::PermanentCommission => "Commission permanente",
            BodyKind::ThematicCommission => "Commission thématique",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub kind: BodyKind,
    /// "Commission permanente", or for a thematic commission its theme: "Attractivité
    /// départementale et emploi".
    pub name: String,
    /// Number of a thematic commission (1 for "1ère commission").
    pub ordinal: Option<u32>,
}

impl Body {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::field(
                "nom",
                "Nom : le nom de l'instance est obligatoire.",
            ));
        }
        if self.kind == BodyKind::ThematicCommission && self.ordinal.is_none() {
            return Err(DomainError::field(
                "numero",
                "Numéro : une commission thématique porte un numéro (1 pour la 1ère commission).",
            ));
        }
        Ok(())
    }

    /// The short code numbering patterns use: "CD", "CP", "C1".
    pub fn code(&self) -> String {
        match self.kind {
            BodyKind::Council => "CD".to_string(),
            BodyKind::PermanentCommission => "CP".to_string(),
            BodyKind::ThematicCommission => format!("C{}", self.ordinal.unwrap_or(0)),
        }
    }

    /// "1ère commission – Attractivité départementale et emploi", "Commission permanente".
    pub fn display_name(&self) -> String {
        match (self.kind, self.ordinal) {
            (BodyKind::ThematicCommission, Some(n)) => {
                format!("{} commission – {}", ordinal_feminine(n), self.name)
            }
            _ => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Pole,
    Direction,
}

/// An administrative service that prepares reports: a pôle and its directions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub kind: ServiceKind,
    /// "Pôle Aménagement et Développement Territorial".
    pub name: String,
    /// The pôle a direction belongs to.
    pub parent: Option<crate::ids::Id<Service>>,
}

impl Service {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::field(
                "nom",
                "Nom : le nom du service est obligatoire.",
            ));
        }
        Ok(())
    }
}

/// Territories, cantons or EPCI concerned: all of them, or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeList {
    All,
    Named(Vec<String>),
}

/// The territorial scope printed on a report ("Territoire(s): Tous les territoires").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritorialScope {
    pub territories: ScopeList,
    pub cantons: ScopeList,
    pub epcis: ScopeList,
}

impl TerritorialScope {
    pub fn everywhere() -> Self {
        TerritorialScope {
            territories: ScopeList::All,
            cantons: ScopeList::All,
            epcis: ScopeList::All,
        }
    }

    pub fn territories_label(&self) -> String {
        scope_label(&self.territories, "Tous les territoires")
    }
    pub fn cantons_label(&self) -> String {
        scope_label(&self.cantons, "Tous les cantons")
    }
    pub fn epcis_label(&self) -> String {
        scope_label(&self.epcis, "Tous les EPCI")
    }
}

fn scope_label(list: &ScopeList, all: &str) -> String {
    match list {
        ScopeList::All => all.to_string(),
        ScopeList::Named(names) => names.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_codes() {
        for ok in ["62", "01", "2A", "2B", "974", "95"] {
            assert!(
                validate_department_code("code_departement", ok).is_ok(),
                "{ok}"
            );
        }
        for bad in ["20", "00", "96", "977", "6", "AB", ""] {
            let e = validate_department_code("code_departement", bad).unwrap_err();
            assert!(
                e.message.starts_with("Code du département"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn thematic_commission_name() {
        let b = Body {
            kind: BodyKind::ThematicCommission,
            name: "Attractivité départementale et emploi".into(),
            ordinal: Some(1),
        };
        assert_eq!(
            b.display_name(),
            "1ère commission – Attractivité départementale et emploi"
        );
    }
}
