//! Transmission to the prefecture: the TdT's settings, the answer to a reply.

use super::non_blank;
use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::signature::PasswordSource;
use acta_domain::transmission::{ReplyDelays, TdtSetting};
use serde::{Deserialize, Serialize};

/// How acta reaches the TdT (S²LOW).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct TdtSettingsInput {
    /// Adresse de la plateforme (ex. https://s2low.exemple.fr).
    #[serde(rename = "adresse", alias = "url")]
    #[cfg_attr(feature = "cli", arg(long = "url"))]
    pub url: String,
    /// Chemin du certificat de connexion de la collectivité (PKCS#12) sur le serveur.
    #[serde(rename = "certificat", alias = "pkcs12")]
    #[cfg_attr(feature = "cli", arg(long = "pkcs12"))]
    pub pkcs12: String,
    /// Où lire son mot de passe : « env:VARIABLE » ou « file:/chemin ».
    #[serde(rename = "mot_de_passe_depuis", alias = "password_from")]
    #[cfg_attr(feature = "cli", arg(long = "password-from"))]
    pub password_from: String,
    /// Autorité du certificat de la plateforme (PEM), si elle n'est pas publique.
    #[serde(default, rename = "autorite_plateforme", alias = "platform_authority")]
    #[cfg_attr(feature = "cli", arg(long = "platform-authority"))]
    pub platform_authority: Option<String>,
    /// Identifiant demandé par certaines plateformes en plus du certificat.
    #[serde(default, rename = "identifiant", alias = "login")]
    #[cfg_attr(feature = "cli", arg(long = "login"))]
    pub login: Option<String>,
    /// Où lire le mot de passe de cet identifiant : « env:VARIABLE » ou « file:/chemin ».
    #[serde(
        default,
        rename = "mot_de_passe_identifiant_depuis",
        alias = "login_password_from"
    )]
    #[cfg_attr(feature = "cli", arg(long = "login-password-from"))]
    pub login_password_from: Option<String>,
    /// Délai d'attente d'une réponse de la plateforme, en secondes (60 par défaut).
    #[serde(default, rename = "delai_secondes", alias = "timeout")]
    #[cfg_attr(feature = "cli", arg(long = "timeout"))]
    pub timeout: Option<u64>,
    /// Jours laissés pour répondre à une demande de pièces (30 par défaut).
    #[serde(default, rename = "delai_pieces_jours")]
    #[cfg_attr(feature = "cli", arg(long = "pieces-days"))]
    pub pieces_days: Option<i64>,
    /// Jours laissés pour répondre à une lettre d'observations (60 par défaut).
    #[serde(default, rename = "delai_observations_jours")]
    #[cfg_attr(feature = "cli", arg(long = "observations-days"))]
    pub observations_days: Option<i64>,
    /// Jours laissés pour préparer la défense après un déféré (60 par défaut).
    #[serde(default, rename = "delai_defere_jours")]
    #[cfg_attr(feature = "cli", arg(long = "referral-days"))]
    pub referral_days: Option<i64>,
}

impl TdtSettingsInput {
    pub fn parse(&self) -> Result<TdtSetting, DomainError> {
        let mut errors = Errors::new();
        let password = errors.check(PasswordSource::parse(
            "mot_de_passe_depuis",
            &self.password_from,
        ));
        let login = match (non_blank(&self.login), non_blank(&self.login_password_from)) {
            (None, None) => Some(None),
            (Some(user), Some(source)) => errors
                .check(PasswordSource::parse(
                    "mot_de_passe_identifiant_depuis",
                    &source,
                ))
                .map(|s| Some((user, s))),
            (Some(_), None) => {
                errors.push(FieldError::new(
                    "mot_de_passe_identifiant_depuis",
                    "Identifiant de la plateforme : indiquez où lire son mot de passe (« env:VARIABLE » ou « file:/chemin »).",
                ));
                None
            }
            (None, Some(_)) => {
                errors.push(FieldError::new(
                    "identifiant",
                    "Identifiant de la plateforme : un mot de passe sans identifiant.",
                ));
                None
            }
        };
        errors.into_result()?;
        let (Some(password), Some(login)) = (password, login) else {
            return Err(DomainError::rule(
                "Configuration de la télétransmission illisible.",
            ));
        };
        let defaults = ReplyDelays::default();
        let setting = TdtSetting {
            url: self.url.trim().trim_end_matches('/').to_string(),
            pkcs12_path: self.pkcs12.trim().to_string(),
            password,
            platform_authority_path: non_blank(&self.platform_authority),
            login,
            timeout_seconds: self.timeout.unwrap_or(60),
            delays: ReplyDelays {
                pieces_request_days: self.pieces_days.unwrap_or(defaults.pieces_request_days),
                observations_days: self.observations_days.unwrap_or(defaults.observations_days),
                referral_days: self.referral_days.unwrap_or(defaults.referral_days),
            },
        };
        setting.validate()?;
        Ok(setting)
    }
}
