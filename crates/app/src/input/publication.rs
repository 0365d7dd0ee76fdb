//! Publication of acts, their withdrawal, notification of individual decisions.

use super::{date_field, non_blank};
use acta_domain::error::{DomainError, Errors};
use acta_domain::publication::NotificationMeans;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// When an act is published (today when empty).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    /// Date de publication (AAAA-MM-JJ ou JJ/MM/AAAA) ; aujourd'hui si elle est vide.
    #[serde(default, alias = "date_publication")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: Option<String>,
}

impl PublishInput {
    /// The date typed, if any.
    pub fn parse(&self) -> Result<Option<Date>, DomainError> {
        let mut errors = Errors::new();
        let date = non_blank(&self.date).and_then(|d| date_field(&mut errors, "date", &d));
        errors.into_result()?;
        Ok(date)
    }
}

/// Why and when a published act is withdrawn.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct WithdrawalInput {
    /// Date du retrait (AAAA-MM-JJ ou JJ/MM/AAAA).
    #[serde(alias = "date_retrait")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Motif, affiché avec l'acte (ex. « Annulé par le tribunal administratif »).
    #[serde(rename = "motif", alias = "reason")]
    #[cfg_attr(feature = "cli", arg(long = "reason"))]
    pub reason: String,
}

impl WithdrawalInput {
    pub fn parse(&self) -> Result<(Date, String), DomainError> {
        let mut errors = Errors::new();
        let date = date_field(&mut errors, "date", &self.date);
        errors.into_result()?;
        date.map(|d| (d, self.reason.clone()))
            .ok_or_else(|| DomainError::field("date", "Date du retrait : obligatoire."))
    }
}

/// When and how an individual decision was notified to its beneficiary.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct NotificationInput {
    /// Date de notification (AAAA-MM-JJ ou JJ/MM/AAAA) : réception du courrier ou du courriel.
    #[serde(alias = "date_notification")]
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: String,
    /// Moyen : courrier, courriel ou remise-en-main-propre.
    #[serde(rename = "moyen", alias = "means")]
    #[cfg_attr(feature = "cli", arg(long = "means"))]
    pub means: String,
}

impl NotificationInput {
    pub fn parse(&self) -> Result<(Date, NotificationMeans), DomainError> {
        let mut errors = Errors::new();
        let date = date_field(&mut errors, "date", &self.date);
        let means = errors.check(NotificationMeans::parse("moyen", &self.means));
        errors.into_result()?;
        match (date, means) {
            (Some(d), Some(m)) => Ok((d, m)),
            _ => Err(DomainError::field(
                "date",
                "Notification : saisie incomplète.",
            )),
        }
    }
}
