//! Elected members, political groups, mandates in bodies, and signatories.

use crate::collectivity::Body;
use crate::error::{DomainError, Errors, FieldError};
use crate::ids::Id;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Civility {
    /// "M."
    Monsieur,
    /// "Mme"
    Madame,
}

impl Civility {
    /// "M." or "Mme", as attendance lists print them.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Civility::Monsieur => "M.",
            Civility::Madame => "Mme",
        }
    }

    /// "monsieur" or "madame", as a sentence does ("représenté par monsieur …").
    pub fn word(self) -> &'static str {
        match self {
            Civility::Monsieur => "monsieur",
            Civility::Madame => "madame",
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Civility, FieldError> {
        match input.trim().to_lowercase().as_str() {
            "m." | "m" | "monsieur" | "mr" => Ok(Civility::Monsieur),
            "mme" | "madame" | "mme." => Ok(Civility::Madame),
            other => Err(FieldError::new(
                field,
                format!("Civilité : « {other} » n'est pas reconnue (M. ou Mme)."),
            )),
        }
    }
}

/// A person's name as acts print it: first name as written, surname in capitals.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName {
    pub civility: Civility,
    pub first_name: String,
    pub last_name: String,
}

impl PersonName {
    /// The order of a roll call, as the assemblies service reads it out: whoever presides
    /// first, then the members with a deliberative vote, each by surname then first name
    /// (accents and case ignored).
    pub fn roll_call_key(&self, presides: bool, voting: bool) -> (bool, bool, String, String) {
        (
            !presides,
            !voting,
            crate::french::fold(&self.last_name),
            crate::french::fold(&self.first_name),
        )
    }

    pub fn validate(&self, field: &str) -> Result<(), FieldError> {
        if self.first_name.trim().is_empty() || self.last_name.trim().is_empty() {
            return Err(FieldError::new(
                field,
                format!(
                    "{} : le prénom et le nom sont obligatoires.",
                    crate::french::field_label(field)
                ),
            ));
        }
        Ok(())
    }

    /// "Jean-Claude LEROY".
    pub fn full(&self) -> String {
        format!("{} {}", self.first_name, self.last_name.to_uppercase())
    }

    /// "M. Jean-Claude LEROY".
    pub fn with_civility(&self) -> String {
        format!("{} {}", self.civility.abbreviation(), self.full())
    }

    /// Surname then first name, folded, to sort lists.
    pub fn sort_key(&self) -> String {
        format!("{} {}", self.last_name, self.first_name).to_lowercase()
    }
}

/// A political group of the assembly ("Groupe Socialiste, Républicain et Citoyen"), or the
/// pseudo-group of members who belong to none ("Non-inscrit").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliticalGroup {
    pub name: String,
    /// True for "Non-inscrit": members counted together without forming a group.
    pub unaffiliated: bool,
}

impl PoliticalGroup {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::field(
                "nom",
                "Nom : le nom du groupe politique est obligatoire.",
            ));
        }
        Ok(())
    }
}

/// An elected member (conseiller départemental).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: PersonName,
    /// Unknown when the sources do not say it (the seed names groups, not their members).
    pub group: Option<Id<PoliticalGroup>>,
}

impl Member {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        errors.check(self.name.validate("nom"));
        errors.into_result()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum Role {
    President,
    /// Vice-president, with its rank when known (1 for "1er vice-président").
    VicePresident {
        rank: Option<u32>,
    },
    Member,
}

impl Role {
    pub fn label(self) -> String {
        match self {
            Role::President => "Président".to_string(),
            Role::VicePresident { rank: Some(1) } => "1er vice-président".to_string(),
            Role::VicePresident { rank: Some(n) } => format!("{n}e vice-président"),
            Role::VicePresident { rank: None } => "Vice-président".to_string(),
            Role::Member => "Membre".to_string(),
        }
    }
}

/// A member's seat in a body for a period. `voting` is false for councillors who attend a
/// body without deliberative vote ("assistant sans voix délibérative").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mandate {
    pub member: Id<Member>,
    pub body: Id<Body>,
    #[serde(flatten)]
    pub role: Role,
    pub voting: bool,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

impl Mandate {
    pub fn validate(&self) -> Result<(), DomainError> {
        if let (Some(start), Some(end)) = (self.start, self.end)
            && end < start
        {
            return Err(DomainError::field(
                "date_fin",
                "Date fin : la fin du mandat précède son début.",
            ));
        }
        if !self.voting && self.role != Role::Member {
            return Err(DomainError::field(
                "voix_deliberative",
                "Voix délibérative : un président ou un vice-président a voix délibérative.",
            ));
        }
        Ok(())
    }

    /// Whether the mandate runs on `date` (unknown bounds are taken as open).
    pub fn active_on(&self, date: Date) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
}

/// A signature block of an act, as printed:
/// "Pour le Président du Conseil départemental, / La Directrice générale des services, /
/// Signé / Maryline VINCLAIRE".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    /// "Pour le Président du Conseil départemental," when signing by delegation.
    pub on_behalf_of: Option<String>,
    /// "LE PRESIDENT DU CONSEIL DEPARTEMENTAL," or "La Directrice générale des services,".
    pub capacity: String,
    /// "Jean-Claude LEROY".
    pub name: String,
    /// Whether the act shows the mention "Signé" (signed electronically or on paper).
    pub signed: bool,
}

impl Signatory {
    pub fn validate(&self, field: &str) -> Result<(), FieldError> {
        if self.capacity.trim().is_empty() || self.name.trim().is_empty() {
            return Err(FieldError::new(
                field,
                "Signataire : la qualité et le nom sont obligatoires.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_print_as_acts_do() {
        let n = PersonName {
            civility: Civility::Madame,
            first_name: "Mireille".into(),
            last_name: "Hingrez-Céréda".into(),
        };
        assert_eq!(n.with_civility(), "Mme Mireille HINGREZ-CÉRÉDA");
        assert_eq!(Civility::parse("civilite", "M."), Ok(Civility::Monsieur));
        assert!(Civility::parse("civilite", "Dr").is_err());
    }
}
