//! What organisations and instructing directions type about applications for grants:
//! registration, colleagues, dispositifs, applications and their budget, the direction's
//! requests, instruction and proposal, and staff's review of documents sent after the vote.

use super::{BeneficiaryForm, BeneficiaryInput, de, non_blank, optional};
use acta_domain::Amount;
use acta_domain::application::{
    BUDGET_LINES, BudgetForecast, Dispositif, FileType, Instruction, PieceKind, UploadRules,
};
use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::french::{normalize_spaces, parse_date};
use acta_domain::identifiers::EmailAddress;
use acta_domain::people::PersonName;
use serde::{Deserialize, Serialize};

/// The first person of an organisation, or a colleague: who they are and how they log in.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct HolderInput {
    /// Nom et prénom de la personne.
    #[serde(rename = "nom_personne", alias = "person_name")]
    #[cfg_attr(feature = "cli", arg(long = "person-name"))]
    pub person_name: String,
    /// Adresse électronique (un lien de confirmation y est envoyé).
    #[serde(rename = "courriel", alias = "email")]
    #[cfg_attr(feature = "cli", arg(long = "email"))]
    pub email: String,
    /// Identifiant de connexion.
    #[serde(rename = "identifiant", alias = "login")]
    #[cfg_attr(feature = "cli", arg(long = "login"))]
    pub login: String,
    /// Mot de passe (12 caractères au moins).
    #[serde(rename = "mot_de_passe", alias = "password", skip_serializing)]
    #[cfg_attr(feature = "cli", arg(long = "password"))]
    pub password: String,
}

impl HolderInput {
    pub fn email(&self) -> Result<EmailAddress, FieldError> {
        EmailAddress::parse("courriel", &self.email)
    }

    pub fn check(&self, errors: &mut Errors) {
        if normalize_spaces(&self.person_name).is_empty() {
            errors.push(FieldError::new(
                "nom_personne",
                "Nom : dites qui ouvre le compte.",
            ));
        }
        errors.check(self.email());
    }
}

/// An organisation registering on the beneficiaries' portal, with its first person.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct RegistrationInput {
    /// The organisation, as a beneficiary is entered (name, status, SIRET or RNA, address).
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub organisation: BeneficiaryForm,
    /// Civilité du représentant légal : Madame ou Monsieur.
    #[serde(rename = "civilite", alias = "civility")]
    #[cfg_attr(feature = "cli", arg(long = "civility"))]
    pub civility: String,
    /// Représentant légal : prénom et nom.
    #[serde(rename = "representant", alias = "representative")]
    #[cfg_attr(feature = "cli", arg(long = "representative"))]
    pub representative: String,
    /// Qualité du représentant légal (Présidente, Directeur…).
    #[serde(rename = "qualite", alias = "capacity")]
    #[cfg_attr(feature = "cli", arg(long = "capacity"))]
    pub capacity: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub person: HolderInput,
}

impl RegistrationInput {
    /// The organisation as a beneficiary, its representative read from "Prénom NOM".
    pub fn beneficiary(&self) -> Result<acta_domain::beneficiary::Beneficiary, DomainError> {
        let mut errors = Errors::new();
        let input = BeneficiaryInput::from(self.organisation.clone());
        let mut beneficiary = match input.parse() {
            Ok(b) => Some(b),
            Err(DomainError::Invalid(list)) => {
                list.into_iter().for_each(|e| errors.push(e));
                None
            }
            Err(e) => return Err(e),
        };
        let civility = errors.check(acta_domain::people::Civility::parse(
            "civilite",
            &self.civility,
        ));
        let representative = normalize_spaces(&self.representative);
        let capacity = normalize_spaces(&self.capacity);
        if representative.is_empty() {
            errors.push(FieldError::new(
                "representant",
                "Représentant légal : son nom est obligatoire.",
            ));
        }
        if capacity.is_empty() {
            errors.push(FieldError::new(
                "qualite",
                "Qualité : dites à quel titre le représentant légal engage l'organisme.",
            ));
        }
        self.person.check(&mut errors);
        errors.into_result()?;
        if let (Some(b), Some(civility)) = (beneficiary.as_mut(), civility) {
            let (first, last) = match representative.rsplit_once(' ') {
                Some((f, l)) => (f.to_string(), l.to_string()),
                None => (String::new(), representative.clone()),
            };
            b.representative = Some(acta_domain::beneficiary::Representative {
                name: PersonName {
                    civility,
                    first_name: first,
                    last_name: last,
                },
                capacity,
                appointed_on: None,
            });
        }
        beneficiary.ok_or_else(|| DomainError::rule("Inscription incomplète."))
    }
}

/// A call for applications (dispositif).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct DispositifInput {
    /// Nom du dispositif.
    #[serde(rename = "nom", alias = "name")]
    #[cfg_attr(feature = "cli", arg(long = "name"))]
    pub name: String,
    /// Qui peut déposer une demande et pour quoi.
    #[serde(rename = "eligibilite", alias = "eligibility")]
    #[cfg_attr(feature = "cli", arg(long = "eligibility"))]
    pub eligibility: String,
    /// Date d'ouverture des dépôts.
    #[serde(rename = "ouverture", alias = "opens_on")]
    #[cfg_attr(feature = "cli", arg(long = "opens"))]
    pub opens_on: String,
    /// Date de clôture des dépôts.
    #[serde(rename = "cloture", alias = "closes_on")]
    #[cfg_attr(feature = "cli", arg(long = "closes"))]
    pub closes_on: String,
    /// Pièces exigées, une par ligne : statuts, rib, budget_previsionnel,
    /// compte_rendu_financier, autre:Libellé.
    #[serde(rename = "pieces", default, deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "piece"))]
    pub pieces: Vec<String>,
    /// Plafond d'une demande, ex. « 20 000 ».
    #[serde(
        rename = "plafond",
        alias = "cap",
        default,
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "cap"))]
    pub cap: Option<String>,
    /// Taille maximale d'un fichier, en Mo (10 par défaut, 20 au plus).
    #[serde(rename = "taille_max_mo", default, deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "max-mb"))]
    pub max_megabytes: Option<String>,
    /// Types de fichiers acceptés, un par ligne (pdf, png, jpeg, odt, ods, docx, xlsx ;
    /// pdf, png et jpeg par défaut).
    #[serde(rename = "types", default, deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "type"))]
    pub types: Vec<String>,
    /// Direction instructrice.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "direction"))]
    pub direction: Option<String>,
}

impl DispositifInput {
    pub fn parse(&self) -> Result<Dispositif, DomainError> {
        let mut errors = Errors::new();
        let opens_on = errors.check(parse_date("ouverture", &self.opens_on));
        let closes_on = errors.check(parse_date("cloture", &self.closes_on));
        let pieces: Vec<PieceKind> = self
            .pieces
            .iter()
            .filter_map(|p| errors.check(PieceKind::parse("pieces", p)))
            .collect();
        let cap = optional(&mut errors, &self.cap, |v| Amount::parse_fr("plafond", v));
        let max_bytes = optional(&mut errors, &self.max_megabytes, |v| {
            v.trim()
                .parse::<u64>()
                .ok()
                .filter(|mb| (1..=20).contains(mb))
                .map(|mb| mb * 1024 * 1024)
                .ok_or_else(|| {
                    FieldError::new(
                        "taille_max_mo",
                        format!(
                            "Taille maximale : « {} » ; un nombre de Mo de 1 à 20 est attendu.",
                            v.trim()
                        ),
                    )
                })
        });
        let allowed: Vec<FileType> = self
            .types
            .iter()
            .filter_map(|t| errors.check(FileType::parse("types", t)))
            .collect();
        errors.into_result()?;
        let (Some(opens_on), Some(closes_on)) = (opens_on, closes_on) else {
            return Err(DomainError::rule("Dispositif incomplet."));
        };
        let defaults = UploadRules::default();
        let dispositif = Dispositif {
            name: normalize_spaces(&self.name),
            eligibility: self.eligibility.trim().to_string(),
            opens_on,
            closes_on,
            pieces,
            cap,
            uploads: UploadRules {
                max_bytes: max_bytes.unwrap_or(defaults.max_bytes),
                allowed: if allowed.is_empty() {
                    defaults.allowed
                } else {
                    allowed
                },
            },
            direction: non_blank(&self.direction),
            direction_id: None,
        };
        dispositif.validate()?;
        Ok(dispositif)
    }
}

/// An application: what the grant is for, how much, and the budget forecast.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ApplicationInput {
    /// Objet de la demande.
    #[serde(rename = "objet", alias = "purpose")]
    #[cfg_attr(feature = "cli", arg(long = "purpose"))]
    pub purpose: String,
    /// Présentation du projet.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "description", default_value = ""))]
    pub description: String,
    /// Montant demandé au Département, ex. « 15 000 ».
    #[serde(rename = "montant", alias = "amount", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "amount"))]
    pub amount: String,
    /// Budget prévisionnel (CERFA 12156), une ligne « code = montant » par ligne du
    /// formulaire (ex. « 64 = 30 000 », « 74-departement = 15 000 »).
    #[serde(default, deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "budget"))]
    pub budget: Vec<String>,
}

/// Reads "64 = 30 000" or "64 – Charges de personnel = 30 000": the code is the first word.
fn budget_line(errors: &mut Errors, line: &str) -> Option<(String, Amount)> {
    let Some((label, amount)) = line.rsplit_once('=') else {
        errors.push(FieldError::new(
            "budget",
            format!("Budget prévisionnel : « {line} » ; écrivez « code = montant »."),
        ));
        return None;
    };
    let code = label.split_whitespace().next().unwrap_or("").to_lowercase();
    let field = format!("budget.{code}");
    if !BUDGET_LINES.iter().any(|(c, _, _)| *c == code) {
        errors.push(FieldError::new(
            "budget",
            format!(
                "Budget prévisionnel : la ligne « {} » n'existe pas sur le formulaire CERFA 12156.",
                label.trim()
            ),
        ));
        return None;
    }
    let amount = amount.trim();
    if amount.is_empty() {
        return Some((code, Amount::ZERO));
    }
    errors
        .check(Amount::parse_fr(&field, amount))
        .map(|a| (code, a))
}

impl ApplicationInput {
    pub fn parse(&self) -> Result<(String, String, Amount, BudgetForecast), DomainError> {
        let mut errors = Errors::new();
        let amount = errors.check(Amount::parse_fr("montant", &self.amount));
        let mut budget = BudgetForecast::default();
        for line in &self.budget {
            if let Some((code, a)) = budget_line(&mut errors, line)
                && budget.lines.insert(code.clone(), a).is_some()
            {
                errors.push(FieldError::new(
                    "budget",
                    format!("Budget prévisionnel : la ligne « {code} » est donnée deux fois."),
                ));
            }
        }
        budget.lines.retain(|_, a| !a.is_zero());
        errors.into_result()?;
        let amount = amount.ok_or_else(|| DomainError::rule("Montant illisible."))?;
        Ok((
            normalize_spaces(&self.purpose),
            self.description.trim().to_string(),
            amount,
            budget,
        ))
    }
}

/// The budget forecast as lines to edit: every line of the form, filled or not.
pub fn budget_lines_for_editing(budget: &BudgetForecast) -> Vec<String> {
    BUDGET_LINES
        .iter()
        .map(|(code, label, _)| {
            let amount = budget.amount(code);
            let value = if amount.is_zero() {
                String::new()
            } else {
                amount.format_fr()
            };
            format!(
                "{code} ({}) = {value}",
                label.split(" – ").nth(1).unwrap_or(label)
            )
        })
        .collect()
}

/// The piece a file is sent for; the file itself is the form's part « fichier ».
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PieceUploadInput {
    /// La pièce : statuts, rib, compte_rendu_financier ou autre:Libellé.
    pub piece: String,
}

/// The direction asks the applicant for a missing piece.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct PieceRequestInput {
    /// La pièce : statuts, rib, compte_rendu_financier, autre:Libellé.
    #[serde(rename = "piece")]
    #[cfg_attr(feature = "cli", arg(long = "piece"))]
    pub piece: String,
    /// Ce qui manque, pour le demandeur.
    #[serde(rename = "message")]
    #[cfg_attr(feature = "cli", arg(long = "message"))]
    pub message: String,
    /// Date limite de réponse.
    #[serde(rename = "echeance", alias = "due_on")]
    #[cfg_attr(feature = "cli", arg(long = "due"))]
    pub due_on: String,
}

impl PieceRequestInput {
    pub fn parse(&self) -> Result<(PieceKind, String, jiff::civil::Date), DomainError> {
        let mut errors = Errors::new();
        let piece = errors.check(PieceKind::parse("piece", &self.piece));
        let due = errors.check(parse_date("echeance", &self.due_on));
        errors.into_result()?;
        match (piece, due) {
            (Some(p), Some(d)) => Ok((p, self.message.trim().to_string(), d)),
            _ => Err(DomainError::rule("Demande de pièce incomplète.")),
        }
    }
}

/// The direction's opinion on an application.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct InstructionInput {
    /// favorable ou defavorable.
    #[serde(rename = "avis", alias = "opinion")]
    #[cfg_attr(feature = "cli", arg(long = "opinion"))]
    pub opinion: String,
    /// Motivation de l'avis (communiquée au demandeur en cas de refus).
    #[serde(rename = "motivation", alias = "reasons")]
    #[cfg_attr(feature = "cli", arg(long = "reasons"))]
    pub reasons: String,
    /// Montant proposé (avis favorable), ex. « 15 000 ».
    #[serde(rename = "montant_propose", default, deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "proposed"))]
    pub proposed: Option<String>,
}

impl InstructionInput {
    pub fn parse(&self) -> Result<Instruction, DomainError> {
        let mut errors = Errors::new();
        let favourable = match self.opinion.trim() {
            "favorable" => Some(true),
            "defavorable" | "défavorable" => Some(false),
            other => {
                errors.push(FieldError::new(
                    "avis",
                    format!("Avis : « {other} » ; favorable ou defavorable est attendu."),
                ));
                None
            }
        };
        let proposed = optional(&mut errors, &self.proposed, |v| {
            Amount::parse_fr("montant_propose", v)
        });
        errors.into_result()?;
        Ok(Instruction {
            favourable: favourable.unwrap_or(false),
            opinion: self.reasons.trim().to_string(),
            proposed,
        })
    }
}

/// Where an instructed application goes: the agenda item whose report proposes it, and
/// the budget line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ProposalInput {
    /// La séance : numéro ou date.
    #[serde(rename = "seance", alias = "sitting", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "sitting"))]
    pub sitting: String,
    /// Le point de l'ordre du jour.
    #[serde(rename = "point", alias = "item", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "item"))]
    pub item: u32,
    /// Ligne budgétaire : code opération ou numéro.
    #[serde(rename = "ligne", alias = "budget_line", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "budget-line"))]
    pub budget_line: String,
    /// Exercice budgétaire.
    #[serde(rename = "annee", alias = "year", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "year"))]
    pub year: i16,
    /// participation ou subsidy (subvention, par défaut).
    #[serde(rename = "nature", alias = "kind", default)]
    #[cfg_attr(feature = "cli", arg(long = "kind", default_value = "subsidy"))]
    pub kind: String,
}

/// Staff's decision on a document sent by a beneficiary.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReviewInput {
    /// accepter ou refuser.
    #[serde(rename = "decision")]
    #[cfg_attr(feature = "cli", arg(long = "decision"))]
    pub decision: String,
    /// Motif d'un refus.
    #[serde(rename = "motif", alias = "reason", default)]
    #[cfg_attr(feature = "cli", arg(long = "reason", default_value = ""))]
    pub reason: String,
}

impl ReviewInput {
    pub fn accept(&self) -> Result<bool, FieldError> {
        match self.decision.trim() {
            "accepter" => Ok(true),
            "refuser" => Ok(false),
            other => Err(FieldError::new(
                "decision",
                format!("Décision : « {other} » ; accepter ou refuser est attendu."),
            )),
        }
    }
}

/// What a beneficiary sends after the vote, besides the file itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct GrantDocumentInput {
    /// convention (contresignée) ou piece (pour une tranche).
    #[serde(rename = "objet", alias = "purpose")]
    #[cfg_attr(feature = "cli", arg(long = "purpose"))]
    pub purpose: String,
    /// Tranche que la pièce permet de verser.
    #[serde(default, deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "tranche"))]
    pub tranche: Option<String>,
    /// Ce qu'est le document (« rapport d'activités 2024 »).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "description", default_value = ""))]
    pub description: String,
}

impl GrantDocumentInput {
    pub fn parse(&self) -> Result<(String, Option<u32>, String), DomainError> {
        let mut errors = Errors::new();
        let purpose = self.purpose.trim().to_string();
        if purpose != "convention" && purpose != "piece" {
            errors.push(FieldError::new(
                "objet",
                format!("Objet : « {purpose} » ; convention ou piece est attendu."),
            ));
        }
        let tranche = optional(&mut errors, &self.tranche, |v| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    FieldError::new(
                        "tranche",
                        format!("Tranche : « {} » n'est pas un numéro.", v.trim()),
                    )
                })
        });
        if purpose == "piece" && tranche.is_none() && errors.is_empty() {
            errors.push(FieldError::new(
                "tranche",
                "Tranche : dites quelle tranche la pièce permet de verser.",
            ));
        }
        let description = normalize_spaces(&self.description);
        if purpose == "piece" && description.is_empty() {
            errors.push(FieldError::new(
                "description",
                "Description : dites ce qu'est la pièce.",
            ));
        }
        errors.into_result()?;
        let description = if purpose == "convention" && description.is_empty() {
            "convention contresignée".to_string()
        } else {
            description
        };
        Ok((purpose, tranche, description))
    }
}

/// Merging a duplicate organisation into the one kept.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct MergeInput {
    /// Le bénéficiaire en double (numéro ou SIRET).
    #[serde(rename = "doublon", alias = "duplicate", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "duplicate"))]
    pub duplicate: String,
    /// Le bénéficiaire conservé (numéro ou SIRET).
    #[serde(rename = "conserve", alias = "kept", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "into"))]
    pub kept: String,
}
