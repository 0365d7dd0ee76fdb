//! Electronic signatures: a signer's setting, who signs a prepared document.

use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::signature::{PasswordSource, SignerRole, SignerSetting};
use serde::{Deserialize, Serialize};

/// A person able to sign in acta, with their certificate.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SignerInput {
    /// Nom, tel que les actes l'impriment (ex. « Jean-Claude LEROY »).
    #[serde(rename = "nom", alias = "name")]
    #[cfg_attr(feature = "cli", arg(long = "name"))]
    pub name: String,
    /// Qualité : president, secretaire, delegataire ou beneficiaire.
    #[serde(rename = "qualite", alias = "role")]
    #[cfg_attr(feature = "cli", arg(long = "role"))]
    pub role: String,
    /// Chemin du fichier PKCS#12 (.p12 ou .pfx) sur le serveur.
    #[serde(rename = "certificat", alias = "pkcs12")]
    #[cfg_attr(feature = "cli", arg(long = "pkcs12"))]
    pub pkcs12: String,
    /// Où lire le mot de passe du certificat : « env:VARIABLE » ou « file:/chemin » (jamais
    /// le mot de passe lui-même).
    #[serde(rename = "mot_de_passe_depuis", alias = "password_from")]
    #[cfg_attr(feature = "cli", arg(long = "password-from"))]
    pub password_from: String,
}

impl SignerInput {
    pub fn parse(&self) -> Result<SignerSetting, DomainError> {
        let mut errors = Errors::new();
        let name = acta_domain::french::normalize_spaces(&self.name);
        if name.is_empty() {
            errors.push(FieldError::new(
                "nom",
                "Nom : le nom du signataire, tel que les actes l'impriment, est obligatoire.",
            ));
        }
        let role = errors.check(SignerRole::parse("qualite", &self.role));
        if self.pkcs12.trim().is_empty() {
            errors.push(FieldError::new(
                "certificat",
                "Certificat : le chemin du fichier PKCS#12 (.p12 ou .pfx) est obligatoire.",
            ));
        }
        let password = errors.check(PasswordSource::parse(
            "mot_de_passe_depuis",
            &self.password_from,
        ));
        errors.into_result()?;
        let (Some(role), Some(password)) = (role, password) else {
            return Err(DomainError::rule("Signataire illisible."));
        };
        let setting = SignerSetting {
            name,
            role,
            pkcs12_path: self.pkcs12.trim().to_string(),
            password,
        };
        setting.validate()?;
        Ok(setting)
    }
}

/// Who signs a deliberation (by default the President, or the act's first signatory).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct PrepareInput {
    /// Pour une délibération : le signataire, parmi ceux que l'acte nomme.
    #[serde(default, rename = "signataire", alias = "signer")]
    #[cfg_attr(feature = "cli", arg(long = "signer"))]
    pub signer: Option<String>,
}

/// Who signs now.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SignInput {
    /// Le signataire, tel que le document l'imprime (ex. « Jean-Claude LEROY »).
    #[serde(rename = "signataire", alias = "signer")]
    #[cfg_attr(feature = "cli", arg(long = "signer"))]
    pub signer: String,
}
