//! The Département's own wording, header and standard clauses, read from a TOML file at
//! run time (the defaults are embedded).

use crate::DocsError;
use serde::{Deserialize, Serialize};

const DEFAULT: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderConfig {
    pub collectivity: String,
    pub lines: Vec<String>,
    pub logo: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    pub council_title: String,
    pub commission_title: String,
    pub council_subject: String,
    pub commission_subject: String,
    pub formula: String,
    pub decides: String,
    pub vote_intro: String,
    pub report_budget_intro: String,
    pub report_closing: String,
    pub conclusion_heading: String,
    pub preamble_heading: String,
    pub agreed: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clauses {
    pub article1_heading: String,
    pub article2_heading: String,
    pub article3_heading: String,
    pub article4_heading: String,
    pub article4: String,
    pub article5_heading: String,
    pub article5_intro: String,
    pub article5_payment: String,
    pub article5_rib: String,
    pub article5_breach: String,
    pub article5_total: String,
    pub article5_partial: String,
    pub article6_heading: String,
    pub article6: Vec<String>,
    pub article7_heading: String,
    pub article7: String,
    pub article8_heading: String,
    pub article8: Vec<String>,
    pub article9_heading: String,
    pub article10_heading: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentsConfig {
    pub header: HeaderConfig,
    pub wording: Wording,
    pub clauses: Clauses,
}

/// The placeholders the clauses may use.
pub const PLACEHOLDERS: [&str; 14] = [
    "departement",
    "beneficiaire",
    "montant",
    "montant_lettres",
    "versements",
    "comptable",
    "compte",
    "titulaire",
    "banque",
    "adresse_banque",
    "annee",
    "tribunal",
    "instance",
    "date",
];

/// Every "{name}" in a text.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

impl DocumentsConfig {
    /// The embedded configuration's text (comments included), to start one's own from.
    pub const EMBEDDED_TEXT: &str = DEFAULT;

    /// The embedded defaults: the Pas-de-Calais's wording of the seed case.
    pub fn embedded() -> Result<DocumentsConfig, DocsError> {
        Self::from_toml(DEFAULT, "configuration intégrée")
    }

    /// Reads a configuration file; every text is checked for unknown placeholders.
    pub fn from_toml(text: &str, origin: &str) -> Result<DocumentsConfig, DocsError> {
        let config: DocumentsConfig = toml::from_str(text).map_err(|e| DocsError::Config {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        config.check(origin)?;
        Ok(config)
    }

    /// Refuses unknown placeholders, naming the setting.
    pub fn check(&self, origin: &str) -> Result<(), DocsError> {
        let value = serde_json::to_value(self).map_err(|e| DocsError::Config {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        let mut problems = Vec::new();
        check_value("", &value, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DocsError::Config {
                origin: origin.to_string(),
                message: problems.join(" ; "),
            })
        }
    }
}

fn check_value(path: &str, v: &serde_json::Value, problems: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => {
            for p in placeholders(s) {
                if !PLACEHOLDERS.contains(&p) {
                    problems.push(format!(
                        "« {path} » utilise {{{p}}}, inconnu (connus : {})",
                        PLACEHOLDERS.join(", ")
                    ));
                }
            }
        }
        serde_json::Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                check_value(&format!("{path}[{i}]"), item, problems);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let key = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                check_value(&key, item, problems);
            }
        }
        _ => {}
    }
}

/// Fills "{name}" placeholders; a name without a value stays as written.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_defaults_read_and_check() {
        let c = DocumentsConfig::from_toml(DEFAULT, "défaut").unwrap();
        assert_eq!(c.wording.decides, "DECIDE :");
        assert_eq!(c.clauses.article6.len(), 3);
    }

    #[test]
    fn an_unknown_placeholder_is_refused_naming_the_setting() {
        let text = DEFAULT.replace("{tribunal}", "{juridiction}");
        let err = DocumentsConfig::from_toml(&text, "pas-de-calais.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("pas-de-calais.toml"), "{err}");
        assert!(err.contains("clauses.article8[1]"), "{err}");
        assert!(err.contains("{juridiction}"), "{err}");
    }

    #[test]
    fn fills() {
        assert_eq!(
            fill(
                "au {tribunal}.",
                &[("tribunal", "tribunal administratif de LILLE")]
            ),
            "au tribunal administratif de LILLE."
        );
    }
}
