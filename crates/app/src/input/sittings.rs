//! What the assemblies service types to hold a sitting: the sitting, the roll call,
//! proxies and movements, agenda items, the draft deliberation, the commission's opinion,
//! awards proposed at an item, and the vote. The command line, the back office's forms and
//! the JSON API fill these structs; their fields' doc comments are the French help users
//! read.

use super::de;
use acta_domain::grant::AwardKind;
use acta_domain::item::VoteOptions;
use acta_domain::keys::SittingKey;
use acta_domain::sitting::{AttendanceStatus, MovementKind};
use acta_domain::vote::VoteChoice;
use acta_domain::{DomainError, FieldError};
use serde::{Deserialize, Serialize};

/// A sitting to create.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct NewSitting {
    /// Instance : cd, cp, son nom ou son numéro.
    #[serde(rename = "instance", alias = "body")]
    #[cfg_attr(feature = "cli", arg(long = "body"))]
    pub body: String,
    /// Date (AAAA-MM-JJ ou JJ/MM/AAAA).
    #[serde(deserialize_with = "de::text")]
    // A date is documented as a string: a number is refused by the date parser anyway.
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Heure d'ouverture (HH:MM).
    #[serde(default, rename = "heure", alias = "time")]
    #[cfg_attr(feature = "cli", arg(long = "time"))]
    pub time: Option<String>,
    /// Lieu.
    #[serde(default, rename = "lieu", alias = "place")]
    #[cfg_attr(feature = "cli", arg(long = "place"))]
    pub place: Option<String>,
    /// Président de séance (« Prénom NOM »).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub president: Option<String>,
    /// Secrétaire de séance (« Prénom NOM »).
    #[serde(default, rename = "secretaire", alias = "secretary")]
    #[cfg_attr(feature = "cli", arg(long = "secretary"))]
    pub secretary: Option<String>,
    /// Séance sans quorum que celle-ci reconvoque (numéro ou date).
    #[serde(default, rename = "reconvoque", alias = "reconvenes")]
    #[cfg_attr(feature = "cli", arg(long = "reconvenes"))]
    pub reconvenes: Option<String>,
}

/// Several members marked with one status.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttendanceInput {
    /// present, excused, absent, present_without_vote, excused_without_vote (ou comme on
    /// l'écrit : « excusé », « sans_voix »).
    pub statut: String,
    /// Les élus, par « Prénom NOM » ou numéro.
    pub membres: Vec<String>,
}

impl AttendanceInput {
    pub fn status(&self) -> Result<AttendanceStatus, DomainError> {
        match AttendanceStatus::from_code(self.statut.trim()) {
            Some(s) => Ok(s),
            None => AttendanceStatus::parse("statut", &self.statut),
        }
    }
}

/// A proxy, or its reassignment from an item on.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ProxyInput {
    /// Qui donne pouvoir (« Prénom NOM » ou numéro).
    #[serde(rename = "donneur", alias = "giver")]
    #[cfg_attr(feature = "cli", arg(long = "giver"))]
    pub giver: String,
    /// Qui le reçoit.
    #[serde(rename = "porteur", alias = "holder")]
    #[cfg_attr(feature = "cli", arg(long = "holder"))]
    pub holder: String,
    /// À partir de quel point (1 : toute la séance) ; sert à réattribuer un pouvoir.
    #[serde(
        default = "first_item",
        rename = "a_partir_du_point",
        alias = "from_item",
        deserialize_with = "de::number"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "from-item", default_value_t = 1))]
    pub from_item: u32,
}

fn first_item() -> u32 {
    1
}

/// A member arriving or leaving during the sitting.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MovementInput {
    /// L'élu (« Prénom NOM » ou numéro).
    #[serde(rename = "elu", alias = "member")]
    pub member: String,
    /// « arrivee » ou « depart ».
    #[serde(rename = "sens", alias = "kind")]
    pub kind: String,
    /// À partir de quel point le mouvement compte.
    #[serde(
        default = "first_item",
        rename = "a_partir_du_point",
        alias = "from_item",
        deserialize_with = "de::number"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    pub from_item: u32,
}

impl MovementInput {
    pub fn kind(&self) -> Result<MovementKind, DomainError> {
        MovementKind::parse("sens", &self.kind)
    }
}

/// A new agenda item: a report and the draft of its deliberation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct NewItem {
    /// Numéro du rapport.
    #[serde(
        rename = "rapport",
        alias = "report_number",
        deserialize_with = "de::number"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "report"))]
    pub report_number: u32,
    /// Objet du rapport.
    #[serde(rename = "titre", alias = "title")]
    #[cfg_attr(feature = "cli", arg(long = "title"))]
    pub title: String,
    /// L'assemblée prend seulement acte (pas de vote).
    #[serde(
        default,
        rename = "prendre_acte",
        alias = "take_note",
        deserialize_with = "de::flag"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::flag_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "take-note"))]
    pub take_note: bool,
    /// Majorité requise : simple (par défaut) ou une fraction, ex. 2/3.
    #[serde(default, rename = "majorite", alias = "majority")]
    #[cfg_attr(feature = "cli", arg(long = "majority"))]
    pub majority: Option<String>,
    /// Matière ACTES (obligatoire), ex. 7.5 pour une subvention.
    #[serde(default, rename = "matiere", alias = "matter")]
    #[cfg_attr(feature = "cli", arg(long = "matter"))]
    pub matter: Option<String>,
    /// Ce point approuve le procès-verbal d'une séance précédente (sa date ou son numéro).
    #[serde(
        default,
        rename = "approuve_proces_verbal_de",
        alias = "approves_minutes_of"
    )]
    #[cfg_attr(feature = "cli", arg(long = "approves-minutes-of"))]
    pub approves_minutes_of: Option<String>,
    /// Motif de l'urgence, pour inscrire un point après l'envoi de la convocation.
    #[serde(default, rename = "urgence", alias = "emergency")]
    #[cfg_attr(feature = "cli", arg(long = "emergency"))]
    pub emergency: Option<String>,
}

/// A draft as staff type it: one visa, considérant or article per line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftInput {
    /// Visas, un par ligne.
    #[serde(default)]
    pub visas: String,
    /// Considérants, un par ligne.
    #[serde(default, rename = "considerants", alias = "considerations")]
    pub considerations: String,
    /// Articles, un par ligne, dans l'ordre (« Article 1 : » est facultatif).
    #[serde(default)]
    pub articles: String,
    /// Numéro de l'article suivi du tableau d'imputation budgétaire.
    #[serde(
        default,
        rename = "article_tableau",
        alias = "budget_table_article",
        deserialize_with = "de::opt_number"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_number_schema")
    )]
    pub budget_table_article: Option<u32>,
}

/// The thematic commission's opinion on an item's report.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OpinionInput {
    /// La commission thématique (nom ou numéro).
    pub commission: String,
    /// favorable, défavorable ou réservé.
    pub avis: String,
    /// Date de la réunion de la commission.
    #[serde(rename = "date", alias = "date_avis")]
    pub date: String,
}

/// An award proposed by the report of an agenda item.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct AwardInput {
    /// Bénéficiaire : numéro ou SIRET.
    #[serde(
        rename = "beneficiaire",
        alias = "beneficiary",
        deserialize_with = "de::text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "beneficiary"))]
    pub beneficiary: String,
    /// Ligne budgétaire : code opération (C01-620A06) ou numéro.
    #[serde(rename = "ligne", alias = "budget_line", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "budget-line"))]
    pub budget_line: String,
    /// Montant, ex. « 120 000 ».
    #[serde(rename = "montant", alias = "amount", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "amount"))]
    pub amount: String,
    /// Exercice budgétaire.
    #[serde(rename = "annee", alias = "year", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "year"))]
    pub year: i16,
    /// participation ou subsidy (subvention).
    #[serde(rename = "nature", alias = "kind")]
    #[cfg_attr(feature = "cli", arg(long = "kind", default_value = "subsidy"))]
    pub kind: String,
    /// Objet de l'aide.
    #[serde(rename = "objet", alias = "purpose")]
    #[cfg_attr(feature = "cli", arg(long = "purpose"))]
    pub purpose: String,
    /// Autorisation de programme ou d'engagement (code), pour une aide pluriannuelle.
    #[serde(
        rename = "autorisation",
        alias = "authorisation",
        default,
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "authorisation"))]
    pub authorisation: Option<String>,
    /// Échéancier de l'aide sur l'autorisation, une ligne « année = montant » par année
    /// (par défaut : tout sur l'exercice de l'aide).
    #[serde(
        rename = "echeancier",
        alias = "shares",
        default,
        deserialize_with = "de::lines"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "share"))]
    pub shares: Vec<String>,
}

impl AwardInput {
    pub fn kind(&self) -> Result<AwardKind, FieldError> {
        AwardKind::parse(&self.kind).ok_or_else(|| {
            FieldError::new(
                "nature",
                format!(
                    "Nature : « {} » n'est ni une participation ni une subvention.",
                    self.kind.trim()
                ),
            )
        })
    }
}

/// What an agenda item's report proposes (an award, a budget decision) with the item, as
/// the API takes it: the back office and the command line name the item in the address or
/// as arguments instead.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OnItem<T> {
    /// La séance : numéro ou date.
    #[serde(rename = "seance", alias = "sitting")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub sitting: SittingKey,
    /// Le point de l'ordre du jour.
    #[serde(rename = "point", alias = "position", deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    pub position: u32,
    #[serde(flatten)]
    pub input: T,
}

/// An award with the item that proposes it (`/api/attributions`).
pub type NewAward = OnItem<AwardInput>;

/// A vote as entered, members and groups by name.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum VoteInput {
    /// Par élu : [« Prénom NOM », « pour »]…
    PerMember { ballots: Vec<(String, String)> },
    /// Par groupe, avec les exceptions.
    PerGroup {
        groups: Vec<(String, String)>,
        #[serde(default)]
        exceptions: Vec<(String, String)>,
    },
    /// Totaux, avec la position des groupes cités.
    Totals {
        #[serde(rename = "for")]
        for_: u32,
        against: u32,
        abstention: u32,
        not_participating: u32,
        #[serde(default)]
        groups: Vec<(String, String)>,
    },
}

/// A vote and its options, to preview or close an item.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VoteRequest {
    /// Le vote ; sans lui, l'aperçu montre la présence et le quorum.
    #[serde(default)]
    pub vote: Option<VoteInput>,
    /// Scrutin secret (totaux seulement ; pas de voix prépondérante).
    #[serde(default, deserialize_with = "de::flag")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::flag_schema")
    )]
    pub secret: bool,
    /// Vote du président, pour départager une égalité : pour, contre, abstention, npp.
    #[serde(default)]
    pub voix_president: Option<String>,
}

impl VoteRequest {
    pub fn options(&self) -> Result<VoteOptions, DomainError> {
        let president_vote = match self
            .voix_president
            .as_deref()
            .filter(|v| !v.trim().is_empty())
        {
            None => None,
            Some(v) => Some(VoteChoice::parse_field(
                "voix_president",
                "Voix du président",
                v,
            )?),
        };
        Ok(VoteOptions {
            secret: self.secret,
            president_vote,
        })
    }
}

/// A position in a list of lines "Prénom NOM = contre" (the vote's exceptions).
pub fn named_choices(field: &str, text: &str) -> Result<Vec<(String, String)>, FieldError> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((name, choice)) = line.rsplit_once('=') else {
            return Err(FieldError::new(
                field,
                format!(
                    "Exceptions : « {} » doit s'écrire « Prénom NOM = contre ».",
                    line.trim()
                ),
            ));
        };
        out.push((name.trim().to_string(), choice.trim().to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_keeps_its_english_names_and_forms_their_french_ones() {
        let api: NewItem = serde_json::from_value(serde_json::json!({
            "report_number": 20, "title": "T", "take_note": false, "matter": "7.5"
        }))
        .unwrap();
        let form: NewItem = serde_json::from_value(serde_json::json!({
            "rapport": "20", "titre": "T", "matiere": "7.5"
        }))
        .unwrap();
        assert_eq!(api.report_number, form.report_number);
        assert_eq!(api.matter, form.matter);
        let award: NewAward = serde_json::from_value(serde_json::json!({
            "sitting": "2023-11-20", "position": 1, "beneficiary": "13002374000439",
            "budget_line": "C01-620A06", "amount": "120 000", "year": 2023,
            "kind": "participation", "purpose": "P"
        }))
        .unwrap();
        assert_eq!(award.input.kind().unwrap(), AwardKind::Participation);
        assert!(
            serde_json::from_value::<NewItem>(
                serde_json::json!({"rapport": "vingt", "titre": "T"})
            )
            .unwrap_err()
            .to_string()
            .contains("« vingt » n'est pas un nombre entier")
        );
    }

    #[test]
    fn exceptions_are_read_line_by_line() {
        assert_eq!(
            named_choices("sauf", "Anne ALPHA = contre\n\nBruno BETA=abstention").unwrap(),
            [
                ("Anne ALPHA".to_string(), "contre".to_string()),
                ("Bruno BETA".to_string(), "abstention".to_string())
            ]
        );
        assert!(named_choices("sauf", "Anne ALPHA contre").is_err());
    }
}
