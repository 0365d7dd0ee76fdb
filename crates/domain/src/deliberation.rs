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
