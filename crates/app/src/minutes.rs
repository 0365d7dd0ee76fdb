//! A sitting's minutes after the sitting (CGCT L3121-13): the substance of the discussions
//! per item, their approval by an item of a later sitting, their signature by the
//! President and the secretary (app::signatures), and their publication within the week.

use crate::{Acta, Actor, AppError, lookup};
use acta_domain::french::{format_date_long, normalize_spaces};
use acta_domain::keys::SittingKey;
use acta_domain::publication::minutes_publication_warning;
use acta_domain::signature::{SignatureState, SignedKind};
use acta_domain::vote::Outcome;
use acta_domain::{DomainError, Id};
use acta_store::{MinutesPublication, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The substance of the discussions of an item, as the assemblies service types it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct DiscussionInput {
    /// Teneur des discussions (reprise au procès-verbal).
    #[serde(rename = "teneur", alias = "text")]
    #[cfg_attr(feature = "cli", arg(long = "text"))]
    pub text: String,
}

/// Where a sitting's minutes stand.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MinutesView {
    pub seance: String,
    /// "Approuvé le 18 décembre 2023", once the approving item is adopted.
    pub approbation: Option<String>,
    pub approuve_le: Option<String>,
    /// "à signer", "signé en partie", "signé", once prepared.
    pub signature: Option<String>,
    pub publie_le: Option<String>,
    /// What the week of L3121-13 calls for, if anything.
    pub alerte: Option<String>,
}

/// The date the minutes of `sitting` were approved: the sitting whose approving item was
/// adopted.
pub(crate) async fn approved_on(tx: &mut Tx, sitting: i64) -> Result<Option<Date>, AppError> {
    let mut found: Option<Date> = None;
    for report in tx.minutes_approvals(sitting).await? {
        let Some(d) = tx.deliberation_of_report(Id::new(report)).await? else {
            continue;
        };
        let adopted = d.number.is_some()
            && d.vote
                .as_ref()
                .is_some_and(|v| v.outcome == Outcome::Adopted);
        if adopted && let Some(s) = tx.sitting(d.sitting).await? {
            found = Some(found.map_or(s.date, |f| f.min(s.date)));
        }
    }
    Ok(found)
}

impl Acta {
    /// Sets the substance of the discussions of an item, for the minutes.
    pub async fn set_discussion(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        position: u32,
        input: &DiscussionInput,
    ) -> Result<(), AppError> {
        let text = input.text.trim().to_string();
        if normalize_spaces(&text).is_empty() {
            return Err(DomainError::field(
                "teneur",
                "Teneur des discussions : le texte est vide.",
            )
            .into());
        }
        let mut tx = self.write(actor).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let item = tx
            .agenda(s.id)
            .await?
            .into_iter()
            .find(|i| i.position == position)
            .ok_or_else(|| AppError::not_found(format!("Point n°{position} introuvable.")))?;
        tx.put_discussion(item.id.get(), &text).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The substance of the discussions of an item, if it was typed.
    pub async fn discussion(
        &self,
        sitting: &SittingKey,
        position: u32,
    ) -> Result<Option<String>, AppError> {
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        match tx
            .agenda(s.id)
            .await?
            .into_iter()
            .find(|i| i.position == position)
        {
            Some(item) => Ok(tx.discussion(item.id.get()).await?),
            None => Ok(None),
        }
    }

    /// Where a sitting's minutes stand: approved, signed, published, and the warning.
    pub async fn minutes_status(&self, key: &SittingKey) -> Result<MinutesView, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        let (sitting, body) = {
            let s = lookup::sitting(&mut tx, key).await?;
            lookup::sitting_and_body(&mut tx, s.id).await?
        };
        let approved = approved_on(&mut tx, sitting.id.get()).await?;
        let signature = tx
            .latest_signed_document(SignedKind::Minutes, sitting.id.get())
            .await?
            .map(|d| d.state.label().to_string());
        let published = tx
            .minutes_publication(sitting.id.get())
            .await?
            .map(|p| p.published_on);
        Ok(MinutesView {
            seance: format!(
                "{} du {}",
                body.display_name(),
                format_date_long(sitting.date)
            ),
            approbation: approved.map(|d| format!("Approuvé le {}", format_date_long(d))),
            approuve_le: approved.map(|d| d.to_string()),
            signature,
            publie_le: published.map(|d| d.to_string()),
            alerte: approved.and_then(|a| minutes_publication_warning(a, published, today)),
        })
    }

    /// Publishes the signed minutes on the portal, today.
    pub async fn publish_minutes(
        &self,
        actor: &Actor,
        key: &SittingKey,
    ) -> Result<MinutesView, AppError> {
        let today = self.today();
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let sitting = lookup::sitting(&mut tx, key).await?;
        if approved_on(&mut tx, sitting.id.get()).await?.is_none() {
            return Err(not_approved(sitting.date));
        }
        if let Some(p) = tx.minutes_publication(sitting.id.get()).await? {
            return Err(AppError::conflict(format!(
                "Le procès-verbal est publié depuis le {}.",
                format_date_long(p.published_on)
            )));
        }
        let file = tx
            .latest_signed_document(SignedKind::Minutes, sitting.id.get())
            .await?
            .filter(|d| d.state == SignatureState::Signed)
            .map(|d| d.file)
            .ok_or_else(|| {
                AppError::conflict(
                    "Le procès-verbal n'est pas signé par le Président et le secrétaire de séance : il est publié une fois signé.",
                )
            })?;
        tx.insert_minutes_publication(&MinutesPublication {
            sitting: sitting.id.get(),
            published_on: today,
            file,
            published_by: actor.0.clone(),
            published_at: now,
        })
        .await?;
        tx.commit().await?;
        self.minutes_status(key).await
    }

    /// The published minutes' PDF (signed), for the portal.
    pub async fn published_minutes(&self, key: &SittingKey) -> Result<(String, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let sitting = lookup::sitting(&mut tx, key).await?;
        let p = tx
            .minutes_publication(sitting.id.get())
            .await?
            .ok_or_else(|| {
                AppError::not_found("Le procès-verbal de cette séance n'est pas publié.")
            })?;
        tx.file_content(p.file)
            .await?
            .map(|(m, b)| (m.name, b))
            .ok_or_else(|| AppError::not_found("Fichier du procès-verbal introuvable."))
    }
}

/// Minutes are signed and published once approved (L3121-13).
pub(crate) fn not_approved(date: Date) -> AppError {
    AppError::conflict(format!(
        "Le procès-verbal de la séance du {} n'est pas encore approuvé : il l'est au début d'une séance suivante (L3121-13), puis signé et publié.",
        format_date_long(date)
    ))
}
