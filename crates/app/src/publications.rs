//! Bringing acts to the knowledge of those concerned: publication of deliberations on the
//! portal (with the mentions of R3131-2, the file frozen as published, a withdrawal that
//! keeps the act listed), notification of individual decisions, and the enforceability
//! computed from those facts and the prefecture's acknowledgement (domain::publication).

use crate::execution::find_award;
use crate::input::{NotificationInput, PublishInput, WithdrawalInput};
use crate::{Acta, Actor, AppError, lookup};
use acta_docs::{Format, Renderer};
use acta_domain::deliberation::Deliberation;
use acta_domain::french::format_date_long;
use acta_domain::grant::Award;
use acta_domain::keys::AwardKey;
use acta_domain::publication::{
    Author, Enforceability, Facts, KnownBy, TransmissionDuty, Withdrawal, check_notification_date,
    check_publication_date, enforceability, publication_mentions,
};
use acta_domain::signature::{SignatureState, SignedKind};
use acta_domain::{Id, Stored};
use acta_store::{Notification, Publication, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The setting that says whether a deliberation is published as soon as it is signed.
const SETTINGS_KEY: &str = "publication";

/// How the Département publishes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PublicationSettings {
    /// Publier chaque délibération dès sa dernière signature électronique.
    #[serde(default)]
    pub automatique: bool,
}

/// Whether, and since when, an act is enforceable, as every screen shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnforceabilityView {
    /// "executoire", "en-attente" or "retire".
    pub etat: String,
    /// "Exécutoire depuis le 27 novembre 2023 (…)." or what is missing.
    pub texte: String,
    pub depuis: Option<String>,
    /// What is still missing ("la publication"…).
    pub manque: Vec<String>,
}

impl From<&Enforceability> for EnforceabilityView {
    fn from(e: &Enforceability) -> Self {
        EnforceabilityView {
            etat: e.code().to_string(),
            texte: e.mention(),
            depuis: e.since().map(|d| d.to_string()),
            manque: e.missing().iter().map(|m| m.label().to_string()).collect(),
        }
    }
}

/// A deliberation's publication, with the mentions the portal prints.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PublicationView {
    pub numero: String,
    pub publie_le: String,
    pub mis_en_ligne_le: String,
    pub auteur: String,
    pub qualite: String,
    /// The mentions of R3131-2, in order ("Auteur : …", "Publié le …", "Mis en ligne le …").
    pub mentions: Vec<String>,
    /// Whether the file put online is the PDF signed in acta.
    pub signe: bool,
    /// SHA-256 of the file put online.
    pub empreinte: String,
    /// "Acte retiré le … : motif", once withdrawn.
    pub retrait: Option<String>,
    pub executoire: EnforceabilityView,
}

/// An award's notification to its beneficiary.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NotificationView {
    pub attribution: i64,
    pub beneficiaire: String,
    /// "Notifiée le 1er décembre 2023 par courrier", once notified.
    pub notification: Option<String>,
    pub notifiee_le: Option<String>,
    pub executoire: EnforceabilityView,
}

/// The deliberation an award belongs to: its own, or its report's.
pub(crate) async fn award_deliberation(
    tx: &mut Tx,
    award: &Award,
) -> Result<Option<Stored<Deliberation>>, AppError> {
    match crate::lookup::deliberation_of_award(tx, award).await? {
        Some(id) => Ok(tx.deliberation(id).await?),
        None => Ok(None),
    }
}

/// The acknowledgement date of a deliberation, once the prefecture received it.
async fn transmitted_on(
    tx: &mut Tx,
    deliberation: Id<Deliberation>,
) -> Result<Option<Date>, AppError> {
    Ok(tx.transmission(deliberation).await?.map(|t| t.received_on))
}

/// A deliberation's enforceability: transmitted (L3131-2 lists every deliberation) and
/// published.
pub(crate) async fn deliberation_enforceability(
    tx: &mut Tx,
    deliberation: Id<Deliberation>,
) -> Result<Enforceability, AppError> {
    let publication = tx.publication(deliberation.get()).await?;
    Ok(enforceability(&Facts {
        transmission: TransmissionDuty::Required(transmitted_on(tx, deliberation).await?),
        known_by: KnownBy::Publication,
        known_on: publication.as_ref().map(|p| p.published_on),
        withdrawn_on: publication.and_then(|p| p.withdrawn_on),
    }))
}

/// An award's enforceability: an individual decision, notified to its beneficiary, of a
/// deliberation transmitted to the prefecture.
pub(crate) async fn award_enforceability(
    tx: &mut Tx,
    award: &Stored<Award>,
) -> Result<Enforceability, AppError> {
    let deliberation = award_deliberation(tx, &award.data).await?;
    let (transmitted, withdrawn) = match &deliberation {
        Some(d) => (
            transmitted_on(tx, d.id).await?,
            tx.publication(d.id.get())
                .await?
                .and_then(|p| p.withdrawn_on),
        ),
        None => (None, None),
    };
    let notified = tx.notification(award.id.get()).await?;
    Ok(enforceability(&Facts {
        transmission: TransmissionDuty::Required(transmitted),
        known_by: KnownBy::Notification,
        known_on: notified.map(|n| n.notified_on),
        withdrawn_on: withdrawn,
    }))
}

/// The author the online version names: the act's first signatory, or else the sitting's
/// president.
async fn author_of(tx: &mut Tx, d: &Stored<Deliberation>) -> Result<Author, AppError> {
    if let Some(s) = d.signatories.first() {
        return Ok(Author::new(&s.name, &s.capacity)?);
    }
    let sitting = tx
        .sitting(d.sitting)
        .await?
        .ok_or_else(|| AppError::not_found("Séance de la délibération introuvable."))?;
    let president = match sitting.president {
        Some(p) => tx.member(p).await?.map(|m| m.name.full()),
        None => None,
    };
    Ok(Author::new(
        president.as_deref().unwrap_or(""),
        "Président du Conseil départemental",
    )?)
}

/// A publication as the screens show it.
async fn publication_view(
    tx: &mut Tx,
    number: &str,
    p: &Publication,
) -> Result<PublicationView, AppError> {
    let author = Author {
        name: p.author_name.clone(),
        capacity: p.author_capacity.clone(),
    };
    let sha256 = tx
        .file_meta(p.file)
        .await?
        .map(|m| m.sha256)
        .unwrap_or_default();
    let executoire = deliberation_enforceability(tx, Id::new(p.deliberation)).await?;
    Ok(PublicationView {
        numero: number.to_string(),
        publie_le: p.published_on.to_string(),
        mis_en_ligne_le: p.online_on.to_string(),
        auteur: p.author_name.clone(),
        qualite: p.author_capacity.clone(),
        mentions: publication_mentions(&author, p.published_on, p.online_on),
        signe: p.signed,
        empreinte: sha256,
        retrait: withdrawal_of(p).map(|w| w.mention()),
        executoire: (&executoire).into(),
    })
}

fn withdrawal_of(p: &Publication) -> Option<Withdrawal> {
    match (p.withdrawn_on, &p.withdrawal_reason) {
        (Some(on), Some(reason)) => Some(Withdrawal {
            on,
            reason: reason.clone(),
        }),
        _ => None,
    }
}

/// What a publication puts online: the PDF signed in acta, or a PDF/A rendered now for an
/// act signed outside acta. An act whose signature in acta is under way waits for it.
enum OnlineFile {
    Signed(i64),
    ToRender,
}

async fn online_file(
    tx: &mut Tx,
    d: Id<Deliberation>,
    number: &str,
) -> Result<OnlineFile, AppError> {
    match tx
        .latest_signed_document(SignedKind::Deliberation, d.get())
        .await?
    {
        Some(doc) if doc.state == SignatureState::Signed => Ok(OnlineFile::Signed(doc.file)),
        Some(doc) if doc.state != SignatureState::Replaced => Err(AppError::conflict(format!(
            "La délibération N°{number} est en cours de signature ({}) : elle sera publiée une fois signée.",
            doc.state.label()
        ))),
        _ => Ok(OnlineFile::ToRender),
    }
}

/// Records a publication in an open write transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_publication(
    tx: &mut Tx,
    actor: &Actor,
    d: &Stored<Deliberation>,
    published_on: Date,
    today: Date,
    now: &str,
    file: i64,
    signed: bool,
) -> Result<(), AppError> {
    let number = d.number.clone().unwrap_or_default();
    if let Some(p) = tx.publication(d.id.get()).await? {
        return Err(AppError::conflict(format!(
            "La délibération N°{number} est publiée depuis le {}.",
            format_date_long(p.published_on)
        )));
    }
    check_publication_date(d.date, published_on, today)?;
    let author = author_of(tx, d).await?;
    tx.insert_publication(&Publication {
        id: 0,
        deliberation: d.id.get(),
        published_on,
        online_on: today,
        author_name: author.name,
        author_capacity: author.capacity,
        file,
        signed,
        withdrawn_on: None,
        withdrawal_reason: None,
        published_by: actor.0.clone(),
        published_at: now.to_string(),
    })
    .await
    .map_err(crate::error::on_duplicate(format!(
        "La délibération N°{number} vient d'être publiée par ailleurs."
    )))?;
    Ok(())
}

impl Acta {
    pub async fn publication_settings(&self) -> Result<PublicationSettings, AppError> {
        let mut tx = self.read().await?;
        publication_settings(&mut tx).await
    }

    pub async fn set_publication_settings(
        &self,
        actor: &Actor,
        s: &PublicationSettings,
    ) -> Result<(), AppError> {
        let value = serde_json::to_value(s).map_err(|e| AppError::File(e.to_string()))?;
        let mut tx = self.write(actor).await?;
        tx.put_setting(SETTINGS_KEY, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a numbered deliberation on the portal: the signed PDF (or, for an act
    /// signed outside acta, its PDF/A rendered now) is frozen and shown with its mentions.
    pub async fn publish_deliberation(
        &self,
        actor: &Actor,
        renderer: &Renderer,
        number: &str,
        input: &PublishInput,
    ) -> Result<PublicationView, AppError> {
        let today = self.today();
        let published_on = input.parse()?.unwrap_or(today);
        let (d, file) = {
            let mut tx = self.read().await?;
            let d = lookup::deliberation(&mut tx, number).await?;
            let file = online_file(&mut tx, d.id, number).await?;
            (d, file)
        };
        let number = d.number.clone().unwrap_or_else(|| number.to_string());
        let rendered = match file {
            OnlineFile::Signed(_) => None,
            OnlineFile::ToRender => {
                let document = self
                    .deliberation_document(renderer.config(), &number)
                    .await?;
                let name = format!("{}.pdf", document.meta().file_stem);
                Some((name, renderer.render(&document, Format::Pdf)?))
            }
        };
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let (file, signed) = match (file, rendered) {
            (OnlineFile::Signed(id), _) => (id, true),
            (OnlineFile::ToRender, Some((name, pdf))) => (
                tx.insert_file(&name, "application/pdf", &pdf, &now).await?,
                false,
            ),
            (OnlineFile::ToRender, None) => {
                return Err(AppError::File("PDF à publier non produit.".into()));
            }
        };
        record_publication(&mut tx, actor, &d, published_on, today, &now, file, signed).await?;
        tx.commit().await?;
        self.publication(&number)
            .await?
            .ok_or_else(|| AppError::not_found("Publication introuvable après son enregistrement."))
    }

    /// A deliberation's publication, if it was published.
    pub async fn publication(&self, number: &str) -> Result<Option<PublicationView>, AppError> {
        let mut tx = self.read().await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let number = d.number.clone().unwrap_or_else(|| number.to_string());
        match tx.publication(d.id.get()).await? {
            Some(p) => Ok(Some(publication_view(&mut tx, &number, &p).await?)),
            None => Ok(None),
        }
    }

    /// Records that a published act was withdrawn (by a later deliberation, or annulled):
    /// it stays on the portal, with the reason.
    pub async fn withdraw_publication(
        &self,
        actor: &Actor,
        number: &str,
        input: &WithdrawalInput,
    ) -> Result<PublicationView, AppError> {
        let (on, reason) = input.parse()?;
        let today = self.today();
        let mut tx = self.write(actor).await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let p = tx.publication(d.id.get()).await?.ok_or_else(|| {
            AppError::conflict(format!(
                "La délibération N°{number} n'est pas publiée : il n'y a rien à retirer."
            ))
        })?;
        if let Some(w) = withdrawal_of(&p) {
            return Err(AppError::conflict(format!("{}.", w.mention())));
        }
        let w = Withdrawal::new(p.published_on, on, &reason, today)?;
        tx.withdraw_publication(d.id.get(), w.on, &w.reason).await?;
        tx.commit().await?;
        self.publication(number)
            .await?
            .ok_or_else(|| AppError::not_found("Publication introuvable après le retrait."))
    }

    /// The file put online for a published deliberation: its name and bytes.
    pub async fn published_file(&self, number: &str) -> Result<(String, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let p = tx
            .publication(d.id.get())
            .await?
            .ok_or_else(|| not_published(number))?;
        tx.file_content(p.file)
            .await?
            .map(|(meta, bytes)| (meta.name, bytes))
            .ok_or_else(|| AppError::not_found("Fichier publié introuvable."))
    }

    /// Fails with "not found" unless the deliberation is published: the public sees
    /// published acts only.
    pub async fn require_published(&self, number: &str) -> Result<(), AppError> {
        let mut tx = self.read().await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        match tx.publication(d.id.get()).await? {
            Some(_) => Ok(()),
            None => Err(not_published(number)),
        }
    }

    /// Records the notification of an award (an individual decision) to its beneficiary.
    pub async fn notify_award(
        &self,
        actor: &Actor,
        key: &AwardKey,
        input: &NotificationInput,
    ) -> Result<NotificationView, AppError> {
        let (on, means) = input.parse()?;
        let today = self.today();
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let award = find_award(&mut tx, key).await?;
        let d = award_deliberation(&mut tx, &award.data)
            .await?
            .filter(|d| d.number.is_some())
            .ok_or_else(|| {
                AppError::conflict(
                    "Cette attribution n'est pas encore décidée : une délibération numérotée doit l'adopter avant sa notification.",
                )
            })?;
        if let Some(n) = tx.notification(award.id.get()).await? {
            return Err(AppError::conflict(format!(
                "Cette attribution a été notifiée le {} {}.",
                format_date_long(n.notified_on),
                n.means.label()
            )));
        }
        check_notification_date(d.date, on, today)?;
        tx.insert_notification(&Notification {
            id: 0,
            award: award.id.get(),
            notified_on: on,
            means,
            recorded_by: actor.0.clone(),
            recorded_at: now,
        })
        .await
        .map_err(crate::error::on_duplicate(
            "Cette attribution vient d'être notifiée par ailleurs.",
        ))?;
        tx.commit().await?;
        self.notification(key).await
    }

    /// An award's notification and enforceability.
    pub async fn notification(&self, key: &AwardKey) -> Result<NotificationView, AppError> {
        let mut tx = self.read().await?;
        let award = find_award(&mut tx, key).await?;
        notification_view(&mut tx, &award).await
    }
}

pub(crate) async fn notification_view(
    tx: &mut Tx,
    award: &Stored<Award>,
) -> Result<NotificationView, AppError> {
    let beneficiary = tx
        .beneficiary(award.beneficiary)
        .await?
        .map(|b| b.name.clone())
        .unwrap_or_default();
    let n = tx.notification(award.id.get()).await?;
    let e = award_enforceability(tx, award).await?;
    Ok(NotificationView {
        attribution: award.id.get(),
        beneficiaire: beneficiary,
        notification: n.as_ref().map(|n| {
            format!(
                "Notifiée le {} {}",
                format_date_long(n.notified_on),
                n.means.label()
            )
        }),
        notifiee_le: n.map(|n| n.notified_on.to_string()),
        executoire: (&e).into(),
    })
}

pub(crate) async fn publication_settings(tx: &mut Tx) -> Result<PublicationSettings, AppError> {
    match tx.setting(SETTINGS_KEY).await? {
        Some(v) => serde_json::from_value(v)
            .map_err(|e| AppError::File(format!("Paramètres de publication illisibles : {e}"))),
        None => Ok(PublicationSettings::default()),
    }
}

fn not_published(number: &str) -> AppError {
    AppError::not_found(format!(
        "La délibération N°{} n'est pas publiée.",
        number.trim()
    ))
}

/// The publication of a deliberation, for the views.
pub(crate) async fn publication_of(
    tx: &mut Tx,
    d: &Stored<Deliberation>,
) -> Result<Option<PublicationView>, AppError> {
    let number = d.number.clone().unwrap_or_default();
    match tx.publication(d.id.get()).await? {
        Some(p) => Ok(Some(publication_view(tx, &number, &p).await?)),
        None => Ok(None),
    }
}

/// A sitting as the public portal lists it: its published acts only.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedSitting {
    /// "Commission permanente du 20 novembre 2023".
    pub titre: String,
    pub date: Date,
    pub actes: Vec<PublishedAct>,
    /// The key of its published minutes' PDF ("2023-11-20"), once published.
    pub proces_verbal: Option<String>,
}

/// One published act of a sitting.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedAct {
    pub numero: String,
    pub titre: String,
    /// "Adopté"…
    pub resultat: Option<String>,
    pub publication: PublicationView,
}

impl Acta {
    /// A sitting's published acts, in the order of its agenda.
    pub async fn published_sitting(
        &self,
        key: &acta_domain::keys::SittingKey,
    ) -> Result<PublishedSitting, AppError> {
        let sitting = self.sitting_view(key).await?;
        let mut actes = Vec::new();
        for entry in &sitting.agenda {
            let Some(number) = &entry.deliberation_number else {
                continue;
            };
            if let Some(publication) = self.publication(number).await? {
                actes.push(PublishedAct {
                    numero: number.clone(),
                    titre: entry.title.clone(),
                    resultat: entry.outcome.map(|o| o.label().to_string()),
                    publication,
                });
            }
        }
        let minutes = self.minutes_status(key).await?;
        Ok(PublishedSitting {
            proces_verbal: minutes.publie_le.map(|_| key.to_string()),
            titre: format!(
                "{} du {}",
                sitting.body.name,
                format_date_long(sitting.date)
            ),
            date: sitting.date,
            actes,
        })
    }
}
