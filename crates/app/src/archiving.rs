//! Archiving a sitting's acts in the electronic archiving system (SAE): the SEDA 2.3
//! ArchiveTransfer package (acta_interop::seda) with each deliberation's signed PDF, its
//! report and conventions, the prefecture's acknowledgement, stamped act and letters, and
//! the sitting's minutes; then the SAE's reply, which records each act's archival
//! identifier. Archived acts stay readable in acta.

use crate::{Acta, Actor, AppError, lookup};
use acta_docs::{Document, Format, Renderer};
use acta_domain::actes::matter_label;
use acta_domain::french::format_date_long;
use acta_domain::keys::{AwardKey, SittingKey};
use acta_domain::signature::{SignatureState, SignedKind};
use acta_domain::{DomainError, Id};
use acta_interop::seda::{self, Appraisal, FinalAction, PackageFile, Transfer, Unit};
use acta_store::{ArchiveTransfer, Tx};
use serde::{Deserialize, Serialize};

const SETTINGS_KEY: &str = "archivage";

/// How the Département archives: its archives service and the rule of its tableau de
/// gestion for deliberations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArchivingSettings {
    /// Identifiant du service d'archives dans le SAE (ex. « FRAD062 »).
    pub service_archives: String,
    /// Accord de versement conclu avec lui, s'il y en a un.
    #[serde(default)]
    pub accord: Option<String>,
    /// Code de la règle de sort final du tableau de gestion (ex. « DELIBERATIONS »).
    pub regle: String,
    /// Durée d'utilité administrative, en années.
    pub duree_ans: u32,
    /// « conserver » (conservation définitive) ou « eliminer ».
    pub sort_final: String,
}

impl ArchivingSettings {
    fn final_action(&self) -> Result<FinalAction, DomainError> {
        match self.sort_final.trim() {
            "conserver" => Ok(FinalAction::Keep),
            "eliminer" => Ok(FinalAction::Destroy),
            other => Err(DomainError::field(
                "sort_final",
                format!("Sort final : « {other} » inconnu (conserver ou eliminer)."),
            )),
        }
    }

    fn validate(&self) -> Result<(), DomainError> {
        let mut errors = acta_domain::error::Errors::new();
        if self.service_archives.trim().is_empty() {
            errors.push(acta_domain::FieldError::new(
                "service_archives",
                "Service d'archives : son identifiant dans le SAE est obligatoire.",
            ));
        }
        if self.regle.trim().is_empty() {
            errors.push(acta_domain::FieldError::new(
                "regle",
                "Règle de sort final : le code du tableau de gestion est obligatoire.",
            ));
        }
        if let Err(DomainError::Invalid(e)) = self.final_action() {
            for f in e {
                errors.push(f);
            }
        }
        errors.into_result()
    }
}

/// A package built: where it goes and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct ArchivePackage {
    pub identifiant: String,
    pub perimetre: String,
    pub actes: Vec<String>,
    pub fichiers: usize,
    pub empreinte: String,
    #[serde(skip)]
    pub zip: Vec<u8>,
}

/// What the SAE answered.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveReplyView {
    pub identifiant: String,
    pub code: String,
    pub accepte: bool,
    /// Each act with its archival identifier.
    pub actes: Vec<(String, Option<String>)>,
}

/// A deliberation's archiving, as the act shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArchivingView {
    pub versement: String,
    /// "envoye", "accepte" or "refuse".
    pub etat: String,
    pub identifiant_archives: Option<String>,
    /// "Archivée au SAE (FRAD062_1) le …", "Versement refusé…", "Versée, réponse attendue".
    pub texte: String,
}

async fn file_bytes(tx: &mut Tx, id: i64) -> Result<(String, String, Vec<u8>), AppError> {
    tx.file_content(id)
        .await?
        .map(|(m, b)| (m.name, m.media_type, b))
        .ok_or_else(|| AppError::not_found(format!("Fichier n°{id} introuvable.")))
}

/// The signed version of a document, when acta signed it in full.
async fn signed_file(tx: &mut Tx, kind: SignedKind, subject: i64) -> Result<Option<i64>, AppError> {
    Ok(tx
        .latest_signed_document(kind, subject)
        .await?
        .filter(|d| d.state == SignatureState::Signed)
        .map(|d| d.file))
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "application/xml" | "text/xml" => "xml",
        "application/zip" => "zip",
        "application/x-gzip" | "application/gzip" => "tar.gz",
        _ => "bin",
    }
}

/// What the builder collects before rendering.
struct Collected {
    files: Vec<PackageFile>,
    units: Vec<Unit>,
    numbers: Vec<(i64, String)>,
}

impl Acta {
    pub async fn archiving_settings(&self) -> Result<Option<ArchivingSettings>, AppError> {
        let mut tx = self.read().await?;
        match tx.setting(SETTINGS_KEY).await? {
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| AppError::File(format!("Paramètres d'archivage illisibles : {e}"))),
            None => Ok(None),
        }
    }

    pub async fn set_archiving_settings(
        &self,
        actor: &Actor,
        s: &ArchivingSettings,
    ) -> Result<(), AppError> {
        s.validate()?;
        let value = serde_json::to_value(s).map_err(|e| AppError::File(e.to_string()))?;
        let mut tx = self.write(actor).await?;
        tx.put_setting(SETTINGS_KEY, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Builds the SEDA 2.3 package of a sitting's numbered acts and records the transfer.
    pub async fn build_archive_package(
        &self,
        actor: &Actor,
        renderer: &Renderer,
        key: &SittingKey,
    ) -> Result<ArchivePackage, AppError> {
        let settings = self.archiving_settings().await?.ok_or_else(|| {
            AppError::conflict(
                "Archivage : le service d'archives et la règle du tableau de gestion ne sont pas configurés (acta archive configure …).",
            )
        })?;
        let final_action = settings.final_action()?;
        let config = renderer.config().clone();
        let sitting = self.sitting_view(key).await?;
        let scope = format!(
            "{} du {}",
            sitting.body.name,
            format_date_long(sitting.date)
        );
        let siren = {
            let mut tx = self.read().await?;
            let c = lookup::collectivity(&mut tx).await?;
            c.siren.as_str().to_string()
        };
        let mut collected = Collected {
            files: Vec::new(),
            units: Vec::new(),
            numbers: Vec::new(),
        };
        let render = |document: &Document| -> Result<Vec<u8>, AppError> {
            Ok(renderer.render(document, Format::Pdf)?)
        };
        for entry in &sitting.agenda {
            let Some(number) = entry.deliberation_number.clone() else {
                continue;
            };
            let add = |files: &mut Vec<PackageFile>, path: String, media: &str, bytes: Vec<u8>| {
                files.push(PackageFile {
                    path,
                    media_type: media.to_string(),
                    bytes,
                });
                files.len() - 1
            };
            let dir = format!("content/{number}");
            let (d, signed, published, transmission, replies, conventions) = {
                let mut tx = self.read().await?;
                let d = lookup::deliberation(&mut tx, &number).await?;
                let signed = signed_file(&mut tx, SignedKind::Deliberation, d.id.get()).await?;
                let published = tx.publication(d.id.get()).await?.map(|p| p.file);
                let transmission = tx.tdt_transmission(d.id.get()).await?;
                let replies = tx.prefecture_replies(d.id.get()).await?;
                let mut conventions = Vec::new();
                for c in tx.conventions_of_deliberation(d.id).await? {
                    let award = AwardKey::Id(c.award);
                    let signed = signed_file(&mut tx, SignedKind::Convention, c.id.get()).await?;
                    conventions.push((c.id.get(), award, signed));
                }
                (d, signed, published, transmission, replies, conventions)
            };
            // The act: signed in acta, else as published, else rendered now.
            let act = match signed.or(published) {
                Some(id) => {
                    let mut tx = self.read().await?;
                    file_bytes(&mut tx, id).await?.2
                }
                None => render(&self.deliberation_document(&config, &number).await?)?,
            };
            let act_index = add(
                &mut collected.files,
                format!("{dir}/deliberation.pdf"),
                "application/pdf",
                act,
            );
            let mut items = vec![item("Délibération", "Délibération", act_index)];
            if d.report.is_some() {
                let report = render(&self.report_document(&config, &number).await?)?;
                let i = add(
                    &mut collected.files,
                    format!("{dir}/rapport.pdf"),
                    "application/pdf",
                    report,
                );
                items.push(item("Rapport du Président", "Rapport", i));
            }
            for (id, award, signed) in conventions {
                let bytes = match signed {
                    Some(file) => {
                        let mut tx = self.read().await?;
                        file_bytes(&mut tx, file).await?.2
                    }
                    None => render(&self.convention_document(&config, &award).await?)?,
                };
                let i = add(
                    &mut collected.files,
                    format!("{dir}/convention-{id}.pdf"),
                    "application/pdf",
                    bytes,
                );
                items.push(item("Convention", "Convention", i));
            }
            if let Some(t) = &transmission {
                let mut tx = self.read().await?;
                for (file, name, title) in [
                    (
                        t.acknowledgement_file,
                        "accuse-de-reception",
                        "Accusé de réception de la préfecture (ARActe)",
                    ),
                    (
                        t.stamped_file,
                        "acte-tamponne",
                        "Acte tamponné par la plateforme de télétransmission",
                    ),
                ] {
                    if let Some(id) = file {
                        let (_, media, bytes) = file_bytes(&mut tx, id).await?;
                        let i = add(
                            &mut collected.files,
                            format!("{dir}/{name}.{}", extension(&media)),
                            &media,
                            bytes,
                        );
                        items.push(item(title, "Pièce de transmission", i));
                    }
                }
                for r in &replies {
                    for (file, suffix) in [(r.letter_file, "courrier"), (r.answer_file, "reponse")]
                    {
                        if let Some(id) = file {
                            let (_, media, bytes) = file_bytes(&mut tx, id).await?;
                            let i = add(
                                &mut collected.files,
                                format!("{dir}/prefecture-{}-{suffix}.{}", r.id, extension(&media)),
                                &media,
                                bytes,
                            );
                            items.push(item(
                                &format!(
                                    "Courrier de la préfecture n°{} ({})",
                                    r.id,
                                    r.kind.label()
                                ),
                                "Courrier",
                                i,
                            ));
                        }
                    }
                }
            }
            collected.units.push(Unit {
                level: "File",
                title: format!("Délibération N°{number} — {}", d.title),
                description: Some(format!(
                    "{} du {}.",
                    sitting.body.name,
                    format_date_long(sitting.date)
                )),
                document_type: Some("Délibération".to_string()),
                system_id: Some(number.clone()),
                keywords: d
                    .matter_code
                    .iter()
                    .map(|c| match matter_label(c) {
                        Some(l) => format!("{c} {l}"),
                        None => c.clone(),
                    })
                    .collect(),
                start: Some(d.date),
                end: Some(d.date),
                children: items,
                ..Unit::default()
            });
            collected.numbers.push((d.id.get(), number));
        }
        if collected.numbers.is_empty() {
            return Err(AppError::conflict(format!(
                "{scope} : aucune délibération numérotée à archiver."
            )));
        }
        let minutes_signed = {
            let mut tx = self.read().await?;
            match signed_file(&mut tx, SignedKind::Minutes, sitting.id).await? {
                Some(id) => Some(file_bytes(&mut tx, id).await?.2),
                None => None,
            }
        };
        let minutes = match minutes_signed {
            Some(b) => b,
            None => render(&self.minutes_document(&config, key).await?)?,
        };
        collected.files.push(PackageFile {
            path: "content/proces-verbal.pdf".to_string(),
            media_type: "application/pdf".to_string(),
            bytes: minutes,
        });
        collected.units.push(item(
            "Procès-verbal de la séance",
            "Procès-verbal",
            collected.files.len() - 1,
        ));
        let count = {
            let mut tx = self.read().await?;
            tx.archive_transfer_count().await?
        };
        let identifier = format!("acta-{siren}-{}-{}", sitting.date, count + 1);
        let now = self.now();
        let transfer = Transfer {
            identifier: identifier.clone(),
            comment: format!("Versement des actes de la séance : {scope}"),
            date: now
                .in_tz("Europe/Paris")
                .map(|z| {
                    z.datetime()
                        .round(jiff::Unit::Second)
                        .unwrap_or(z.datetime())
                        .to_string()
                })
                .unwrap_or_else(|_| now.to_string()),
            archival_agreement: settings.accord.clone().filter(|a| !a.trim().is_empty()),
            archival_agency: settings.service_archives.clone(),
            transferring_agency: siren.clone(),
            originating_agency: siren,
            files: collected.files,
            root: Unit {
                level: "RecordGrp",
                title: scope.clone(),
                document_type: Some("Séance".to_string()),
                start: Some(sitting.date),
                end: Some(sitting.date),
                appraisal: Some(Appraisal {
                    rule: settings.regle.clone(),
                    years: settings.duree_ans,
                    final_action,
                    start: sitting.date,
                }),
                children: collected.units,
                ..Unit::default()
            },
        };
        let zip = seda::package(&transfer).map_err(|e| AppError::File(e.to_string()))?;
        let sha256 = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&zip))
        };
        let mut tx = self.write(actor).await?;
        let ids: Vec<i64> = collected.numbers.iter().map(|(id, _)| *id).collect();
        tx.insert_archive_transfer(
            &ArchiveTransfer {
                id: 0,
                identifier: identifier.clone(),
                scope: scope.clone(),
                sha256: sha256.clone(),
                size: i64::try_from(zip.len()).unwrap_or(i64::MAX),
                state: "envoye".to_string(),
                reply_code: None,
                reply_file: None,
                built_at: now.to_string(),
                replied_at: None,
            },
            &ids,
        )
        .await?;
        tx.commit().await?;
        Ok(ArchivePackage {
            identifiant: identifier,
            perimetre: scope,
            actes: collected.numbers.into_iter().map(|(_, n)| n).collect(),
            fichiers: transfer.files.len(),
            empreinte: sha256,
            zip,
        })
    }

    /// Reads the SAE's ArchiveTransferReply and records it: accepted, each act gets its
    /// archival identifier; refused, the code is kept and the acts may be sent again.
    pub async fn record_archive_reply(
        &self,
        actor: &Actor,
        reply: &[u8],
    ) -> Result<ArchiveReplyView, AppError> {
        let r = seda::read_reply(reply)
            .map_err(|e| AppError::Domain(DomainError::field("reponse", e.to_string())))?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let transfer = tx.archive_transfer(&r.request).await?.ok_or_else(|| {
            AppError::not_found(format!(
                "Réponse du SAE : aucun versement « {} » n'a été préparé par acta.",
                r.request
            ))
        })?;
        if transfer.state != "envoye" {
            return Err(AppError::conflict(format!(
                "Le versement « {} » a déjà reçu sa réponse ({}).",
                transfer.identifier,
                transfer.reply_code.unwrap_or_default()
            )));
        }
        let acts = tx.archive_transfer_acts(transfer.id).await?;
        let mut archival_ids = Vec::new();
        let mut shown = Vec::new();
        for (id, number) in &acts {
            let number = number.clone().unwrap_or_default();
            let archival = if r.accepted {
                r.units
                    .iter()
                    .find(|u| u.system_id == number)
                    // Only what the SAE says: no identifier is made up for an act it omits.
                    .map(|u| u.archival_id.clone())
            } else {
                None
            };
            if let Some(a) = &archival {
                archival_ids.push((*id, a.clone()));
            }
            shown.push((number, archival));
        }
        let file = tx
            .insert_file(
                &format!("{}-ATR.xml", transfer.identifier),
                "application/xml",
                reply,
                &now,
            )
            .await?;
        let state = if r.accepted { "accepte" } else { "refuse" };
        tx.record_archive_reply(&transfer, state, &r.code, file, &now, &archival_ids)
            .await?;
        tx.commit().await?;
        Ok(ArchiveReplyView {
            identifiant: transfer.identifier,
            code: r.code,
            accepte: r.accepted,
            actes: shown,
        })
    }
}

/// A document's archive unit.
fn item(title: &str, document_type: &str, file: usize) -> Unit {
    Unit {
        level: "Item",
        title: title.to_string(),
        document_type: Some(document_type.to_string()),
        files: vec![file],
        ..Unit::default()
    }
}

/// A deliberation's archiving, for the views.
pub(crate) async fn archiving_of(
    tx: &mut Tx,
    deliberation: Id<acta_domain::deliberation::Deliberation>,
) -> Result<Option<ArchivingView>, AppError> {
    Ok(tx.act_archiving(deliberation.get()).await?.map(|a| {
        let texte = match (a.state.as_str(), &a.archival_id) {
            ("accepte", Some(id)) => format!(
                "Archivée au SAE (identifiant {id}) le {}.",
                a.replied_at
                    .as_deref()
                    .and_then(|t| t.get(..10))
                    .and_then(|d| d.parse().ok())
                    .map(format_date_long)
                    .unwrap_or_default()
            ),
            ("accepte", None) => "Archivée au SAE.".to_string(),
            ("refuse", _) => format!("Versement {} refusé par le SAE.", a.transfer),
            _ => format!("Versée au SAE ({}) : réponse attendue.", a.transfer),
        };
        ArchivingView {
            versement: a.transfer,
            etat: a.state,
            identifiant_archives: a.archival_id,
            texte,
        }
    }))
}
