//! What staff and elected members type before the sitting: circuits, reports in
//! preparation and the decisions of their steps, the agenda placement, the mail server,
//! the convocation, members' addresses, and the members' own replies, notes and interests.

use super::{de, non_blank};
use acta_domain::circuit::{Circuit, ReportText, Step};
use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::identifiers::EmailAddress;
use serde::{Deserialize, Serialize};

/// A validation circuit: its name and its steps, in order.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct CircuitInput {
    /// Nom du circuit (ex. « Subventions de fonctionnement »).
    #[serde(rename = "nom", alias = "name")]
    #[cfg_attr(feature = "cli", arg(long = "name"))]
    pub name: String,
    /// Étapes « rang:libellé:valideur[:portée] », une par ligne ou en liste : valideur
    /// role=finances ou compte=identifiant ; portée texte, budget ou tout (par défaut) ;
    /// deux étapes de même rang se font en parallèle.
    #[serde(rename = "etapes", alias = "steps", deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "step", required = true))]
    pub steps: Vec<String>,
}

impl CircuitInput {
    pub fn parse(&self) -> Result<Circuit, DomainError> {
        let mut errors = Errors::new();
        let steps: Vec<Step> = self
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| errors.check(Step::parse(&format!("etapes.{i}"), s)))
            .collect();
        errors.into_result()?;
        let circuit = Circuit {
            name: acta_domain::french::normalize_spaces(&self.name),
            steps,
        };
        circuit.validate()?;
        Ok(circuit)
    }
}

/// The text of a report in preparation: its exposé, the draft deliberation and its budget
/// imputation; each list one item per line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReportTextInput {
    /// Titre du rapport.
    #[serde(rename = "titre", alias = "title")]
    #[cfg_attr(feature = "cli", arg(long = "title"))]
    pub title: String,
    /// Exposé du rapport (un paragraphe par ligne).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "expose", default_value = ""))]
    pub expose: String,
    /// Visas du projet de délibération, un par ligne.
    #[serde(default, deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "visa"))]
    pub visas: Vec<String>,
    /// Considérants, un par ligne.
    #[serde(default, rename = "considerants", deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "consideration"))]
    pub considerations: Vec<String>,
    /// Articles, un par ligne.
    #[serde(default, deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "article"))]
    pub articles: Vec<String>,
    /// Imputation budgétaire, une ligne par imputation (vérifiée par les finances).
    #[serde(default, deserialize_with = "de::lines")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::lines_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "budget"))]
    pub budget: Vec<String>,
}

impl ReportTextInput {
    pub fn parse(&self) -> Result<ReportText, DomainError> {
        let clean = |lines: &[String]| -> Vec<String> {
            lines
                .iter()
                .map(|l| acta_domain::french::normalize_spaces(l))
                .filter(|l| !l.is_empty())
                .collect()
        };
        let text = ReportText {
            title: acta_domain::french::normalize_spaces(&self.title),
            expose: self
                .expose
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            visas: clean(&self.visas),
            considerations: clean(&self.considerations),
            articles: clean(&self.articles),
            budget: clean(&self.budget),
        };
        text.validate()?;
        Ok(text)
    }
}

/// A new report in preparation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct NewReportDraft {
    /// Circuit de validation (son nom).
    #[cfg_attr(feature = "cli", arg(long = "circuit"))]
    pub circuit: String,
    /// Direction qui rédige (son nom), si elle est au référentiel.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "direction"))]
    pub direction: Option<String>,
    /// Séance visée (numéro ou date).
    #[serde(
        default,
        rename = "seance",
        alias = "sitting",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "sitting"))]
    pub sitting: Option<String>,
    /// Matière ACTES (ex. 7.5).
    #[serde(
        default,
        rename = "matiere",
        alias = "matter",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "matter"))]
    pub matter: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub text: ReportTextInput,
}

/// A step's decision: which step (when the account may act for several), and the reason
/// of a sending back.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct StepDecision {
    /// Libellé de l'étape, si le compte peut en valider plusieurs.
    #[serde(default, rename = "etape", alias = "step")]
    #[cfg_attr(feature = "cli", arg(long = "step"))]
    pub step: Option<String>,
    /// Motif (obligatoire pour un renvoi).
    #[serde(default, rename = "motif", alias = "reason")]
    #[cfg_attr(feature = "cli", arg(long = "reason"))]
    pub reason: Option<String>,
}

/// A ready report put on a sitting's agenda.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct AgendaPlacement {
    /// Séance (numéro ou date) ; par défaut celle que vise le rapport.
    #[serde(
        default,
        rename = "seance",
        alias = "sitting",
        deserialize_with = "de::opt_text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "sitting"))]
    pub sitting: Option<String>,
    /// Numéro du rapport dans la séance ; par défaut le suivant.
    #[serde(
        default,
        rename = "numero_rapport",
        alias = "report_number",
        deserialize_with = "de::opt_number"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "report-number"))]
    pub report_number: Option<u32>,
    /// Majorité requise : simple (par défaut), absolue, deux_tiers…
    #[serde(default, rename = "majorite", alias = "majority")]
    #[cfg_attr(feature = "cli", arg(long = "majority"))]
    pub majority: Option<String>,
    /// Motif de l'urgence, pour une inscription après la date limite ou la convocation.
    #[serde(default, rename = "urgence", alias = "emergency")]
    #[cfg_attr(feature = "cli", arg(long = "emergency"))]
    pub emergency: Option<String>,
}

/// A report on the agenda goes to a later sitting (reporté).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct PostponeInput {
    /// La séance où le point est reporté (date ou numéro).
    #[serde(rename = "seance", alias = "sitting", deserialize_with = "de::text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "sitting"))]
    pub sitting: String,
    /// Motif du report (mentionné au procès-verbal).
    #[serde(rename = "motif", alias = "reason")]
    #[cfg_attr(feature = "cli", arg(long = "reason"))]
    pub reason: String,
    /// Motif de l'urgence, si la séance d'arrivée est déjà convoquée ou sa date limite passée.
    #[serde(default, rename = "urgence", alias = "emergency")]
    #[cfg_attr(feature = "cli", arg(long = "emergency"))]
    pub emergency: Option<String>,
}

/// A reason, alone (withdrawing a report).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReasonInput {
    /// Motif.
    #[serde(rename = "motif", alias = "reason")]
    #[cfg_attr(feature = "cli", arg(long = "reason"))]
    pub reason: String,
}

/// The convocation of a sitting.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ConvocationInput {
    /// Motif de l'urgence, pour convoquer hors du délai ordinaire (un jour franc au moins).
    #[serde(default, rename = "urgence", alias = "emergency")]
    #[cfg_attr(feature = "cli", arg(long = "emergency"))]
    pub emergency: Option<String>,
}

/// A member's e-mail address (empty: none, the convocation then goes by post).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct MemberEmailInput {
    /// L'élu (« Prénom NOM » ou numéro).
    #[serde(rename = "elu", alias = "member")]
    #[cfg_attr(feature = "cli", arg(long = "member"))]
    pub member: String,
    /// Son adresse électronique.
    #[serde(default, rename = "courriel", alias = "email")]
    #[cfg_attr(feature = "cli", arg(long = "email"))]
    pub email: Option<String>,
}

impl MemberEmailInput {
    pub fn email(&self) -> Result<Option<EmailAddress>, FieldError> {
        non_blank(&self.email)
            .map(|e| EmailAddress::parse("courriel", &e))
            .transpose()
    }
}

/// The Département's mail server, through which convocations go.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct MailSettingsInput {
    /// Serveur SMTP (nom ou adresse).
    #[serde(rename = "serveur", alias = "host")]
    #[cfg_attr(feature = "cli", arg(long = "host"))]
    pub host: String,
    /// Port (587 avec STARTTLS, 465 avec TLS).
    #[serde(deserialize_with = "de::number")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::number_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "port"))]
    pub port: u16,
    /// starttls (par défaut), tls, ou aucune (relais local seulement).
    #[serde(default, rename = "securite", alias = "security")]
    #[cfg_attr(feature = "cli", arg(long = "security"))]
    pub security: Option<String>,
    /// Identifiant, si le serveur demande une authentification.
    #[serde(default, rename = "identifiant", alias = "login")]
    #[cfg_attr(feature = "cli", arg(long = "login"))]
    pub login: Option<String>,
    /// Où lire son mot de passe : « env:VARIABLE » ou « file:/chemin ».
    #[serde(default, rename = "mot_de_passe_depuis", alias = "password_from")]
    #[cfg_attr(feature = "cli", arg(long = "password-from"))]
    pub password_from: Option<String>,
    /// Adresse de l'expéditeur (ex. assemblees@pasdecalais.fr).
    #[serde(rename = "expediteur", alias = "from")]
    #[cfg_attr(feature = "cli", arg(long = "from"))]
    pub from: String,
    /// Nom de l'expéditeur (ex. « Département du Pas-de-Calais – Service des assemblées »).
    #[serde(default, rename = "nom_expediteur", alias = "from_name")]
    #[cfg_attr(feature = "cli", arg(long = "from-name"))]
    pub from_name: Option<String>,
    /// Adresse du serveur acta vue des élus, pour leur lien personnel (ex.
    /// https://acta.pasdecalais.fr).
    #[serde(rename = "adresse_acta", alias = "public_url")]
    #[cfg_attr(feature = "cli", arg(long = "public-url"))]
    pub public_url: String,
}

/// A member's reply to the convocation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ReplyInput {
    /// present, absent ou pouvoir.
    #[serde(rename = "reponse", alias = "reply")]
    #[cfg_attr(feature = "cli", arg(long = "reply"))]
    pub reply: String,
    /// Pour un pouvoir : le collègue qui le reçoit (« Prénom NOM » ou numéro).
    #[serde(default, rename = "mandataire", alias = "holder")]
    #[cfg_attr(feature = "cli", arg(long = "holder"))]
    pub holder: Option<String>,
}

/// A member's private note on a report (empty: removed).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AnnotationInput {
    /// Note personnelle, visible de vous seul.
    #[serde(default, rename = "texte", alias = "text")]
    pub text: String,
}

/// A member declares an interest on an item.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InterestInput {
    /// Nature de l'intérêt (ex. membre du conseil d'administration du bénéficiaire).
    #[serde(rename = "motif", alias = "reason")]
    pub reason: String,
}
