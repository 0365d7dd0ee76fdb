//! Deliberations: the acts a deliberating body adopts.

use crate::error::{DomainError, Errors, FieldError};
use crate::ids::Id;
use crate::people::Signatory;
use crate::report::Report;
use crate::sitting::Sitting;
use crate::text::RichText;
use crate::vote::{Outcome, VoteRecord};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What a visa refers to, when it can be identified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VisaReference {
    /// "Vu le Code Général des Collectivités Territoriales et, notamment, ses articles …".
    Code { code: String, articles: Vec<String> },
    /// A law, decree, pact or earlier deliberation: "Vu la délibération n°2021-257 …".
    Act {
        act_type: String,
        number: Option<String>,
        date: Option<Date>,
        title: Option<String>,
    },
    /// "Vu le rapport du Président du Conseil départemental, ci-annexé".
    Report,
    /// "Vu l'avis de la 1ère commission … rendu lors de sa réunion en date du 06/11/2023".
    CommissionOpinion { commission: String, date: Date },
}

/// One "Vu …" line: its text as printed and what it cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visa {
    pub text: String,
    pub reference: Option<VisaReference>,
}

/// "Article 1 : D'attribuer …". `budget_table` marks the article that prints the budget
/// imputation table after its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub number: u32,
    pub body: RichText,
    #[serde(default)]
    pub budget_table: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliberation {
    pub sitting: Id<Sitting>,
    pub report: Option<Id<Report>>,
    /// "2023-479"; given when the item is adopted.
    pub number: Option<String>,
    pub title: String,
    /// ACTES matière, level 2 ("7.5" for subsidies).
    pub matter_code: Option<String>,
    pub visas: Vec<Visa>,
    /// "Considérant …" lines.
    pub considerations: Vec<String>,
    pub articles: Vec<Article>,
    pub vote: Option<VoteRecord>,
    /// Where and when it was signed ("ARRAS, le 20 novembre 2023").
    pub place: String,
    pub date: Date,
    pub signatories: Vec<Signatory>,
}

impl Deliberation {
    /// Whether the public may see the act (and its report and conventions): once it is
    /// numbered, that is decided; before, it is a draft.
    pub fn is_public(&self) -> bool {
        self.number.is_some()
    }

    /// Sets or corrects the ACTES matière. Once the act has been sent to the prefecture, the
    /// matière is the one transmitted: changing it here would make the register and the
    /// prefecture's record disagree.
    pub fn set_matter(&mut self, code: &str, transmitted: bool) -> Result<(), DomainError> {
        if transmitted {
            return Err(DomainError::rule(
                "Matière : la délibération a été transmise au contrôle de légalité avec sa matière ; elle ne peut plus être modifiée ici.",
            ));
        }
        let code = code.trim();
        if code.is_empty() {
            return Err(DomainError::field(
                "matiere",
                "Matière : la matière ACTES est obligatoire (par exemple 7.5 Subventions).",
            ));
        }
        crate::actes::validate_matter_code("matiere", code)?;
        self.matter_code = Some(code.to_string());
        Ok(())
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(
                "titre",
                "Titre : le titre de la délibération est obligatoire.",
            ));
        }
        if self.place.trim().is_empty() {
            errors.push(FieldError::new(
                "lieu",
                "Lieu : le lieu de signature est obligatoire.",
            ));
        }
        for (i, a) in self.articles.iter().enumerate() {
            let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if a.number != expected {
                errors.push(FieldError::new(
                    format!("articles.{i}.numero"),
                    format!(
                        "Numéro : l'article {} devrait porter le numéro {expected}.",
                        a.number
                    ),
                ));
            }
        }
        for (i, v) in self.visas.iter().enumerate() {
            if v.text.trim().is_empty() {
                errors.push(FieldError::new(
                    format!("visas.{i}"),
                    "Visa : un visa vide n'a pas de sens.",
                ));
            }
        }
        if let Some(code) = &self.matter_code {
            errors.check(crate::actes::validate_matter_code("matiere", code));
        }
        for (i, s) in self.signatories.iter().enumerate() {
            errors.check(s.validate(&format!("signataires.{i}")));
        }
        errors.into_result()
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.vote.as_ref().map(|v| v.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Deliberation {
        Deliberation {
            sitting: Id::new(1),
            report: None,
            number: None,
            title: "SUBVENTION".to_string(),
            matter_code: None,
            visas: Vec::new(),
            considerations: Vec::new(),
            articles: Vec::new(),
            vote: None,
            place: "ARRAS".to_string(),
            date: jiff::civil::date(2023, 11, 20),
            signatories: Vec::new(),
        }
    }

    #[test]
    fn the_matter_is_set_until_the_act_is_transmitted() {
        // (code typed, transmitted, matière kept or the start of the message)
        let cases: [(&str, bool, Result<&str, &str>); 6] = [
            ("7.5", false, Ok("7.5")),
            (" 8.1 ", false, Ok("8.1")),
            ("9.4", false, Ok("9.4")),
            ("12.3", false, Err("Matière : « 12.3 »")),
            (
                "  ",
                false,
                Err("Matière : la matière ACTES est obligatoire"),
            ),
            (
                "7.5",
                true,
                Err("Matière : la délibération a été transmise"),
            ),
        ];
        for (code, transmitted, expected) in cases {
            let mut d = draft();
            let result = d.set_matter(code, transmitted);
            match expected {
                Ok(kept) => {
                    assert!(result.is_ok(), "{code}: {result:?}");
                    assert_eq!(d.matter_code.as_deref(), Some(kept));
                }
                Err(start) => {
                    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
                    assert!(message.starts_with(start), "{code}: {message}");
                    assert_eq!(d.matter_code, None, "{code}: nothing changed");
                }
            }
        }
    }
}
