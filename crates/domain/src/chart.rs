//! The official M57 chart of accounts, Départements declination (M57_D), as published by
//! the DGFiP: which nature accounts and functional accounts exist, and which can take an
//! imputation. Embedded in the binary; parsed once.

use crate::budget::Imputation;
use crate::error::{DomainError, FieldError};
use std::collections::HashMap;
use std::sync::OnceLock;

const M57_D_2024: &str = include_str!("../data/M57_D_2024_planDeCompte.xml");

/// One account of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub code: String,
    pub label: String,
    /// The expense chapter ("DR"); empty for a heading that takes no expense.
    pub expense_chapter: Option<String>,
    pub parent: Option<String>,
}

impl Account {
    pub fn takes_expenses(&self) -> bool {
        self.expense_chapter.is_some()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// "M57_D 2024".
    pub name: String,
    pub nature: HashMap<String, Account>,
    pub functional: HashMap<String, Account>,
}

/// The M57_D chart (2024 edition, the one the reference holds; the 2022 and 2023 editions
/// agree on the accounts Départements use for grants).
pub fn m57_d() -> &'static Chart {
    static CHART: OnceLock<Chart> = OnceLock::new();
    CHART.get_or_init(|| parse(M57_D_2024))
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// Decodes the XML character references the file uses, reading C1 control codes as the
/// Windows-1252 characters they were meant to be (&#x92; is an apostrophe there).
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().map(cp1252),
            e if e.starts_with('#') => e[1..].parse().ok().map(cp1252),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn cp1252(code: u32) -> char {
    match code {
        0x92 => '’',
        0x96 => '–',
        0x97 => '—',
        0x9c => 'œ',
        c => char::from_u32(c).unwrap_or('\u{fffd}'),
    }
}

/// Reads the accounts of the chart's `<Nature>` and `<Fonction>` sections.
pub fn parse(xml: &str) -> Chart {
    let mut chart = Chart::default();
    if let Some(start) = xml.find("<Nomenclature ") {
        let tag = &xml[start..xml[start..].find('>').map_or(xml.len(), |e| start + e)];
        chart.name = format!(
            "{} {}",
            attribute(tag, "Declinaison").unwrap_or("M57"),
            attribute(tag, "Exer").unwrap_or("")
        );
    }
    for (section, target) in [("Nature", 0), ("Fonction", 1)] {
        let open = format!("<{section}>");
        let close = format!("</{section}>");
        let Some(begin) = xml.find(&open) else {
            continue;
        };
        let end = xml[begin..].find(&close).map_or(xml.len(), |e| begin + e);
        let body = &xml[begin..end];
        let Some(comptes) = body.find("<Comptes>") else {
            continue;
        };
        let mut stack: Vec<String> = Vec::new();
        let mut rest = &body[comptes..];
        while let Some(i) = rest.find('<') {
            rest = &rest[i..];
            let Some(close_at) = rest.find('>') else {
                break;
            };
            let tag = &rest[..=close_at];
            rest = &rest[close_at + 1..];
            if tag.starts_with("</Compte>") {
                stack.pop();
            } else if tag.starts_with("</Comptes>") {
                break;
            } else if tag.starts_with("<Compte ")
                && let Some(code) = attribute(tag, "Code")
            {
                let account = Account {
                    code: code.to_string(),
                    label: decode(attribute(tag, "Libelle").unwrap_or("")),
                    expense_chapter: attribute(tag, "DR")
                        .filter(|d| !d.is_empty())
                        .map(str::to_string),
                    parent: stack.last().cloned(),
                };
                let map = if target == 0 {
                    &mut chart.nature
                } else {
                    &mut chart.functional
                };
                map.insert(code.to_string(), account);
                if !tag.ends_with("/>") {
                    stack.push(code.to_string());
                }
            }
        }
    }
    chart
}

/// What an imputation means in the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImputationLabels {
    /// "Autres participations".
    pub nature: String,
    /// "Interventions économiques transversales".
    pub function: String,
}

impl Chart {
    fn children(&self, map: &HashMap<String, Account>, code: &str) -> Vec<String> {
        let mut list: Vec<&Account> = map
            .values()
            .filter(|a| a.parent.as_deref() == Some(code))
            .collect();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        list.iter()
            .map(|a| format!("{} {}", a.code, a.label))
            .collect()
    }

    /// Checks that an expense can be imputed on the nature account and the functional
    /// account: both exist and are not headings, and the functional account belongs to
    /// the functional chapter.
    pub fn check_expense(&self, imputation: &Imputation) -> Result<ImputationLabels, DomainError> {
        let nature_code = &imputation.nature_account;
        let nature = self.nature.get(nature_code).ok_or_else(|| {
            FieldError::new(
                "compte_nature",
                format!(
                    "Compte par nature : {nature_code} n'existe pas dans le plan de comptes {}.",
                    self.name
                ),
            )
        })?;
        if !nature.takes_expenses() {
            let children = self.children(&self.nature, nature_code);
            return Err(FieldError::new(
                "compte_nature",
                if children.is_empty() {
                    format!(
                        "Compte par nature : {nature_code} « {} » ne reçoit pas de dépense dans le plan de comptes {}.",
                        nature.label, self.name
                    )
                } else {
                    format!(
                        "Compte par nature : {nature_code} « {} » est un compte de regroupement du plan {} ; imputez sur l'un de ses comptes : {}.",
                        nature.label,
                        self.name,
                        children.join(", ")
                    )
                },
            )
            .into());
        }
        let functional_code = format!(
            "{}{}",
            imputation.functional_chapter.get(..2).unwrap_or(""),
            imputation.function
        );
        let functional = self.functional.get(&functional_code).ok_or_else(|| {
            FieldError::new(
                "fonction",
                format!(
                    "Fonction : le compte fonctionnel {functional_code} n'existe pas dans le plan de comptes {}.",
                    self.name
                ),
            )
        })?;
        match &functional.expense_chapter {
            None => {
                let children = self.children(&self.functional, &functional_code);
                Err(FieldError::new(
                    "fonction",
                    format!(
                        "Fonction : {functional_code} « {} » est un regroupement ; précisez la fonction : {}.",
                        functional.label,
                        children.join(", ")
                    ),
                )
                .into())
            }
            Some(chapter) if *chapter != imputation.functional_chapter => Err(FieldError::new(
                "chapitre_fonctionnel",
                format!(
                    "Chapitre fonctionnel : le compte {functional_code} relève du chapitre {chapter}, pas du {}.",
                    imputation.functional_chapter
                ),
            )
            .into()),
            Some(_) => Ok(ImputationLabels {
                nature: nature.label.clone(),
                function: functional.label.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(nature: &str, chapter: &str, function: &str) -> Result<ImputationLabels, DomainError> {
        m57_d().check_expense(&Imputation::new(nature, chapter, function).unwrap())
    }

    #[test]
    fn the_chart_is_read() {
        let chart = m57_d();
        assert_eq!(chart.name, "M57_D 2024");
        assert!(chart.nature.len() > 1000, "{}", chart.nature.len());
        assert_eq!(chart.nature["6568"].expense_chapter.as_deref(), Some("65"));
        assert_eq!(chart.nature["65748"].parent.as_deref(), Some("6574"));
        assert_eq!(
            chart.functional["9361"].expense_chapter.as_deref(),
            Some("936")
        );
        assert!(chart.nature["73951"].label.contains("taxe d’habitation"));
    }

    #[test]
    fn table() {
        let seed = check("6568", "936", "61").unwrap();
        assert_eq!(seed.nature, "Autres participations");
        assert_eq!(seed.function, "Interventions économiques transversales");
        assert_eq!(check("65748", "932", "221").unwrap().function, "Collèges");

        let heading = check("6574", "936", "61").unwrap_err().to_string();
        assert!(heading.starts_with("Compte par nature : 6574 « Subventions de fonctionnement aux personnes, aux associations et aux autres organismes de droit privé » est un compte de regroupement du plan M57_D 2024"), "{heading}");
        assert!(
            heading.contains("65748 Autres personnes de droit privé"),
            "{heading}"
        );
        assert!(
            check("6599", "936", "61")
                .unwrap_err()
                .to_string()
                .contains("n'existe pas")
        );
        assert!(
            check("6568", "936", "63")
                .unwrap_err()
                .to_string()
                .contains("regroupement")
        );
        assert!(
            check("6568", "936", "69")
                .unwrap_err()
                .to_string()
                .contains("n'existe pas")
        );
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode("a &amp; b &#x96; c&#39;d &bogus"),
            "a & b – c'd &bogus"
        );
    }
}
