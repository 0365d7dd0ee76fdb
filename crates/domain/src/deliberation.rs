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

/// A draft's text as staff write it: one visa, considérant or article per entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftText {
    pub visas: Vec<String>,
    pub considerations: Vec<String>,
    pub articles: Vec<String>,
    /// The article followed by the budget imputation table.
    pub budget_table_article: Option<u32>,
}

/// "Article 2 : D'autoriser …" typed whole: the heading is the number's, not the text's.
fn strip_article_heading(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("Article ")
        .or_else(|| text.strip_prefix("ARTICLE "))
    else {
        return text;
    };
    let after_number = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    if after_number.len() == rest.len() {
        return text;
    }
    let after_number = after_number.trim_start();
    match after_number
        .strip_prefix(':')
        .or_else(|| after_number.strip_prefix('–'))
        .or_else(|| after_number.strip_prefix('-'))
    {
        Some(body) => body.trim_start(),
        None => text,
    }
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

    /// Replaces the draft's visas, considérants and articles. A decided act is frozen: its
    /// text is the one that was voted.
    pub fn set_draft_text(&mut self, draft: DraftText) -> Result<(), DomainError> {
        if self.vote.is_some() {
            return Err(DomainError::rule(format!(
                "Projet : la délibération{} est votée ; son texte ne change plus.",
                self.number
                    .as_deref()
                    .map(|n| format!(" N°{n}"))
                    .unwrap_or_default()
            )));
        }
        let lines = |list: Vec<String>| -> Vec<String> {
            list.iter()
                .map(|l| crate::french::normalize_spaces(l))
                .filter(|l| !l.is_empty())
                .collect()
        };
        let articles: Vec<String> = lines(draft.articles)
            .iter()
            .map(|a| strip_article_heading(a).to_string())
            .collect();
        let count = u32::try_from(articles.len()).unwrap_or(u32::MAX);
        if let Some(n) = draft.budget_table_article
            && !(1..=count).contains(&n)
        {
            return Err(DomainError::field(
                "article_tableau",
                format!(
                    "Tableau d'imputation : l'article {n} n'existe pas (le projet en a {count})."
                ),
            ));
        }
        self.visas = lines(draft.visas)
            .into_iter()
            .map(|text| Visa {
                text,
                reference: None,
            })
            .collect();
        self.considerations = lines(draft.considerations);
        self.articles = articles
            .into_iter()
            .zip(1..)
            .map(|(text, number)| Article {
                number,
                body: RichText::paragraph(text),
                budget_table: draft.budget_table_article == Some(number),
            })
            .collect();
        self.validate()
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

    #[test]
    fn a_draft_text_is_numbered_and_frozen_once_voted() {
        let mut d = draft();
        d.set_draft_text(DraftText {
            visas: vec![
                "Vu le Code Général des Collectivités Territoriales ;".into(),
                "  ".into(),
            ],
            considerations: vec![],
            articles: vec![
                "Article 1 : D'attribuer à la CMA la participation de 120 000 €.".into(),
                "D'autoriser le Président à signer la convention.".into(),
                "ARTICLE 3 – La dépense est imputée comme suit :".into(),
            ],
            budget_table_article: Some(3),
        })
        .unwrap();
        assert_eq!(d.visas.len(), 1, "blank lines are dropped");
        let texts: Vec<(u32, String, bool)> = d
            .articles
            .iter()
            .map(|a| (a.number, a.body.plain_lines().join(" "), a.budget_table))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    1,
                    "D'attribuer à la CMA la participation de 120 000 €.".to_string(),
                    false
                ),
                (
                    2,
                    "D'autoriser le Président à signer la convention.".to_string(),
                    false
                ),
                (3, "La dépense est imputée comme suit :".to_string(), true),
            ]
        );
        let too_far = d.set_draft_text(DraftText {
            articles: vec!["Un seul article.".into()],
            budget_table_article: Some(2),
            ..DraftText::default()
        });
        assert!(
            matches!(too_far, Err(DomainError::Invalid(ref e)) if e[0].field == "article_tableau")
        );
        d.vote = Some(VoteRecord {
            tally: crate::vote::Tally::default(),
            groups: Vec::new(),
            secret: false,
            outcome: Outcome::Adopted,
        });
        d.number = Some("2023-479".into());
        let frozen = d.set_draft_text(DraftText::default()).unwrap_err();
        assert_eq!(
            frozen.to_string(),
            "Projet : la délibération N°2023-479 est votée ; son texte ne change plus."
        );
        assert_eq!(d.articles.len(), 3);
    }

    #[test]
    fn article_headings_typed_with_the_text_are_dropped() {
        for (typed, text) in [
            ("Article 1 : D'attribuer", "D'attribuer"),
            ("Article 12 - De prendre acte", "De prendre acte"),
            (
                "Article premier : D'attribuer",
                "Article premier : D'attribuer",
            ),
            ("Articles 1 et 2", "Articles 1 et 2"),
            ("D'attribuer", "D'attribuer"),
            ("Article 2", "Article 2"),
        ] {
            assert_eq!(strip_article_heading(typed), text, "{typed}");
        }
    }
}
