//! An act's way to the prefecture through the collectivity's TdT (S²LOW), and the
//! prefecture's replies.
//!
//! Queuing an act records what will be sent (the signed deliberation and its annexes);
//! each run then moves every pending transmission one step: send, confirm a send that
//! went unanswered, read the acknowledgement, follow a cancellation; and takes the
//! prefecture's new documents. A send is never repeated blindly: before sending again an
//! act whose send went unanswered, the platform is asked whether it has it. A platform
//! that cannot be reached leaves the act queued, tried again later with a growing delay.
//! Every step is journaled with the platform's transaction number.

use crate::input::TdtSettingsInput;
use crate::signatures::{read_password, read_setting_file};
use crate::{Acta, Actor, AppError, lookup};
use acta_docs::{Format, Renderer};
use acta_domain::DomainError;
use acta_domain::actes::{act_identifier, matter_levels, prefecture_id};
use acta_domain::french::format_date_long;
use acta_domain::numbering::actes_number;
use acta_domain::signature::{SignatureState, SignedKind};
use acta_domain::transmission::{
    FollowUp, ReplyAnswer, ReplyKind, TdtSetting, TransmissionState, check_answerable, follow_up,
    retry_delay_seconds, transmitted_mention,
};
use acta_store::{PrefectureReply, TdtTransmission, Transmission, Tx};
use acta_tdt::{Answer, ClientSettings, NewAct, S2low, TdtError, Upload};
use serde::Serialize;
use std::time::Duration;

/// The setting that holds how acta reaches the TdT.
const TDT_SETTING: &str = "teletransmission";

/// A prefecture's reply as shown on the act.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReplyView {
    pub id: i64,
    /// "courrier-simple", "demande-de-pieces", "lettre-d-observations" or "defere".
    pub nature: String,
    pub nature_libelle: String,
    /// "4 décembre 2023".
    pub date_courrier: String,
    /// What a demande de pièces complémentaires asks for.
    pub description: Option<String>,
    /// The follow-up it calls for.
    pub suite: String,
    /// "3 janvier 2024", when the follow-up has a deadline.
    pub echeance: Option<String>,
    pub peut_repondre: bool,
    /// "Transmission de pièces complémentaires", once answered.
    pub reponse: Option<String>,
    pub repondu_le: Option<String>,
}

/// Where an act's transmission stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransmissionStatusView {
    pub deliberation: String,
    /// "a-envoyer", "envoi-a-confirmer", "deposee", "acquittee", "refusee",
    /// "annulation-demandee" or "annulee".
    pub etat: String,
    pub etat_libelle: String,
    /// The platform's transaction number, once known.
    pub transaction: Option<i64>,
    pub echecs: i64,
    pub prochain_essai: Option<String>,
    pub derniere_erreur: Option<String>,
    /// "Transmis le 24 novembre 2023 (accusé de réception 062-…-DE)", once acknowledged.
    pub mention: Option<String>,
    /// The act's identifier the acknowledgement gave.
    pub identifiant_acte: Option<String>,
    pub accuse_de_reception: bool,
    pub acte_tamponne: bool,
    pub courriers: Vec<ReplyView>,
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransmissionRun {
    pub envoyees: usize,
    pub acquittees: usize,
    pub annulees: usize,
    pub courriers_recus: usize,
    /// Still waiting (acknowledgement to come, platform to retry).
    pub en_attente: usize,
    /// One line per act the run touched, in French.
    pub lignes: Vec<String>,
}

/// The files of a transmission one may download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransmissionFile {
    /// The signed act as sent.
    Sent,
    /// The ARActe.
    Acknowledgement,
    /// The act as the platform stamped it.
    Stamped,
}

impl TransmissionFile {
    pub fn parse(code: &str) -> Result<TransmissionFile, AppError> {
        match code {
            "acte" => Ok(TransmissionFile::Sent),
            "accuse" => Ok(TransmissionFile::Acknowledgement),
            "tampon" => Ok(TransmissionFile::Stamped),
            other => Err(AppError::not_found(format!(
                "Fichier de transmission « {other} » : « acte », « accuse » ou « tampon »."
            ))),
        }
    }
}

fn platform_error(e: TdtError) -> AppError {
    match e {
        TdtError::Refused(_) => AppError::conflict(e.to_string()),
        TdtError::Settings(_) => AppError::Domain(DomainError::rule(e.to_string())),
        _ => AppError::Unavailable(format!(
            "{e} Rien n'est perdu : réessayez plus tard (« acta transmission run »)."
        )),
    }
}

fn reply_kind(kind: acta_tdt::ReplyKind) -> ReplyKind {
    match kind {
        acta_tdt::ReplyKind::Letter => ReplyKind::Letter,
        acta_tdt::ReplyKind::PiecesRequest => ReplyKind::PiecesRequest,
        acta_tdt::ReplyKind::Observations => ReplyKind::Observations,
        acta_tdt::ReplyKind::Referral => ReplyKind::Referral,
    }
}

fn reply_view(r: &PrefectureReply) -> ReplyView {
    ReplyView {
        id: r.id,
        nature: r.kind.code().to_string(),
        nature_libelle: r.kind.label().to_string(),
        date_courrier: format_date_long(r.letter_date),
        description: r.description.clone(),
        suite: r.task.clone(),
        echeance: r.deadline.map(format_date_long),
        peut_repondre: check_answerable(r.kind, r.answer.is_some()).is_ok(),
        reponse: r.answer.map(|a| a.label(r.kind).to_string()),
        repondu_le: r.answered_at.clone(),
    }
}

/// What is needed to send a deliberation.
struct Outgoing {
    act: NewAct,
    expected_act_id: String,
}

impl Acta {
    /// Records how acta reaches the TdT; the certificate is opened now, so that a wrong
    /// path or password is known at once.
    pub async fn configure_tdt(
        &self,
        actor: &Actor,
        input: &TdtSettingsInput,
    ) -> Result<(), AppError> {
        let setting = input.parse()?;
        client(&setting).await?;
        let mut tx = self.write(actor).await?;
        let value = serde_json::to_value(&setting).map_err(|e| AppError::File(e.to_string()))?;
        tx.put_setting(TDT_SETTING, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tdt_setting(&self) -> Result<TdtSetting, AppError> {
        let mut tx = self.read().await?;
        let value = tx.setting(TDT_SETTING).await?.ok_or_else(|| {
            AppError::conflict(
                "Télétransmission : la plateforme n'est pas configurée (« acta transmission configure »).",
            )
        })?;
        serde_json::from_value(value).map_err(|e| {
            AppError::File(format!(
                "Configuration de la télétransmission illisible ({e})."
            ))
        })
    }

    /// Queues a signed deliberation for transmission, with its annexes (the report and
    /// the conventions it approves).
    pub async fn queue_transmission(
        &self,
        actor: &Actor,
        renderer: &Renderer,
        number: &str,
    ) -> Result<TransmissionStatusView, AppError> {
        let config = renderer.config().clone();
        let (d, signed, existing, conventions) = {
            let mut tx = self.read().await?;
            let d = lookup::deliberation(&mut tx, number).await?;
            let signed = tx
                .latest_signed_document(SignedKind::Deliberation, d.id.get())
                .await?
                .filter(|s| s.state == SignatureState::Signed)
                .ok_or_else(|| {
                    AppError::conflict(format!(
                        "La délibération N°{} n'est pas signée : elle ne peut pas être transmise.",
                        number.trim()
                    ))
                })?;
            let existing = tx.tdt_transmission(d.id.get()).await?;
            let conventions = tx.conventions_of_deliberation(d.id).await?;
            (d, signed, existing, conventions)
        };
        if d.matter_code.is_none() {
            return Err(AppError::conflict(format!(
                "La délibération N°{} n'a pas de matière ACTES : la préfecture la demande.",
                number.trim()
            )));
        }
        if let Some(t) = &existing
            && t.state != TransmissionState::Refused
        {
            return Err(AppError::conflict(format!(
                "La délibération N°{} est déjà en transmission ({}).",
                number.trim(),
                t.state.label().to_lowercase()
            )));
        }
        let mut annexes = Vec::new();
        if d.report.is_some() {
            annexes.push(self.report_document(&config, number).await?);
        }
        for c in &conventions {
            annexes.push(self.convention_document(&config, &c.award.into()).await?);
        }
        let rendered = annexes
            .iter()
            .map(|doc| {
                renderer
                    .render(doc, Format::Pdf)
                    .map(|pdf| (format!("{}.pdf", doc.meta().file_stem), pdf))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let mut annex_files = Vec::new();
        for (name, pdf) in &rendered {
            annex_files.push(tx.insert_file(name, "application/pdf", pdf, &now).await?);
        }
        match existing {
            Some(previous) => {
                tx.update_tdt_transmission(&TdtTransmission {
                    state: TransmissionState::Queued,
                    failures: 0,
                    next_attempt_at: None,
                    last_error: None,
                    act_file: signed.file,
                    annex_files,
                    updated_at: now,
                    ..previous
                })
                .await?;
            }
            None => {
                tx.insert_tdt_transmission(&TdtTransmission {
                    id: 0,
                    deliberation: d.id.get(),
                    state: TransmissionState::Queued,
                    platform_id: None,
                    failures: 0,
                    next_attempt_at: None,
                    last_error: None,
                    act_file: signed.file,
                    annex_files,
                    acknowledgement_file: None,
                    stamped_file: None,
                    cancellation_id: None,
                    queued_at: now.clone(),
                    updated_at: now,
                })
                .await?;
            }
        }
        tx.commit().await?;
        self.transmission_status(number).await
    }

    /// Queues the act and runs at once: what "send" means to a user.
    pub async fn transmit(
        &self,
        actor: &Actor,
        renderer: &Renderer,
        number: &str,
    ) -> Result<TransmissionStatusView, AppError> {
        // Without a platform nothing is queued: the refusal says what to configure.
        self.tdt_setting().await?;
        self.queue_transmission(actor, renderer, number).await?;
        self.run_transmissions(actor).await?;
        self.transmission_status(number).await
    }

    /// Moves every pending transmission one step and takes the prefecture's new
    /// documents. One act's failure never stops the others.
    pub async fn run_transmissions(&self, actor: &Actor) -> Result<TransmissionRun, AppError> {
        let setting = self.tdt_setting().await?;
        let client = client(&setting).await?;
        let mut run = TransmissionRun::default();
        let pending = self.read().await?.pending_tdt_transmissions().await?;
        let now = self.now();
        for t in pending {
            let due = t
                .next_attempt_at
                .as_deref()
                .and_then(|at| at.parse::<jiff::Timestamp>().ok())
                .is_none_or(|at| at <= now);
            let number = self.deliberation_number(t.deliberation).await?;
            if !due {
                run.en_attente += 1;
                run.lignes.push(format!(
                    "Délibération N°{number} : prochain essai après {}.",
                    t.next_attempt_at.clone().unwrap_or_default()
                ));
                continue;
            }
            let line = self.step(actor, &client, t, &number, &mut run).await?;
            run.lignes.push(format!("Délibération N°{number} : {line}"));
        }
        self.take_prefecture_documents(actor, &client, &setting, &mut run)
            .await?;
        Ok(run)
    }

    async fn deliberation_number(&self, id: i64) -> Result<String, AppError> {
        let mut tx = self.read().await?;
        let d = tx
            .deliberation(acta_domain::Id::new(id))
            .await?
            .ok_or_else(|| AppError::not_found("Délibération introuvable."))?;
        Ok(d.number.clone().unwrap_or_default())
    }

    /// One step of one transmission; gives what happened, in French.
    async fn step(
        &self,
        actor: &Actor,
        client: &S2low,
        mut t: TdtTransmission,
        number: &str,
        run: &mut TransmissionRun,
    ) -> Result<String, AppError> {
        match t.state {
            TransmissionState::Queued => self.send(actor, client, t, number, run).await,
            TransmissionState::Unconfirmed => {
                let outgoing = self.outgoing(&t, number).await?;
                match client.find_by_number(&outgoing.act.number).await {
                    Ok(Some(found)) => {
                        t.state = TransmissionState::Posted;
                        t.platform_id = i64::try_from(found.id).ok();
                        self.save_success(actor, t).await?;
                        run.envoyees += 1;
                        Ok(format!(
                            "l'envoi resté sans réponse était bien arrivé (transaction {}) ; il n'est pas renvoyé.",
                            found.id
                        ))
                    }
                    Ok(None) => {
                        t.state = TransmissionState::Queued;
                        self.save_success(actor, t.clone()).await?;
                        self.send(actor, client, t, number, run).await
                    }
                    Err(e) => self.save_failure(actor, t, &e, run).await,
                }
            }
            TransmissionState::Posted => self.acknowledge(actor, client, t, number, run).await,
            TransmissionState::Cancelling => {
                let Some(cancellation) = t.cancellation_id.and_then(|c| u64::try_from(c).ok())
                else {
                    return Ok("annulation sans transaction : rien à suivre.".to_string());
                };
                match client.status(cancellation).await {
                    Ok(s) if s.code == 4 => {
                        t.state = TransmissionState::Cancelled;
                        self.save_success(actor, t).await?;
                        run.annulees += 1;
                        Ok("annulation reçue par la préfecture.".to_string())
                    }
                    Ok(s) if s.code == -1 || s.code == 6 => {
                        t.state = TransmissionState::Acknowledged;
                        t.last_error = Some(format!(
                            "Annulation refusée par la plateforme : {}",
                            String::from_utf8_lossy(&s.message).trim()
                        ));
                        self.save(actor, &t).await?;
                        Ok("annulation refusée par la plateforme.".to_string())
                    }
                    Ok(s) => {
                        run.en_attente += 1;
                        Ok(format!("annulation en cours ({}).", s.label()))
                    }
                    Err(e) => self.save_failure(actor, t, &e, run).await,
                }
            }
            other => Ok(format!("{} : rien à faire.", other.label())),
        }
    }

    /// What the platform needs to receive the act.
    async fn outgoing(&self, t: &TdtTransmission, number: &str) -> Result<Outgoing, AppError> {
        let mut tx = self.read().await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let code = d.matter_code.clone().unwrap_or_default();
        let actes = actes_number(number)?;
        let act = file_upload(&mut tx, t.act_file).await?;
        let mut annexes = Vec::new();
        for file in &t.annex_files {
            annexes.push((file_upload(&mut tx, *file).await?, "99_AU".to_string()));
        }
        Ok(Outgoing {
            expected_act_id: act_identifier(
                &collectivity.department_code_3(),
                collectivity.siren.as_str(),
                d.date,
                &actes,
            ),
            act: NewAct {
                nature_code: 1,
                number: actes,
                subject: d.title.clone(),
                decision_date: d.date,
                classification: matter_levels(&code).unwrap_or_default(),
                type_acte: "99_DE".to_string(),
                act,
                annexes,
            },
        })
    }

    async fn send(
        &self,
        actor: &Actor,
        client: &S2low,
        mut t: TdtTransmission,
        number: &str,
        run: &mut TransmissionRun,
    ) -> Result<String, AppError> {
        let outgoing = self.outgoing(&t, number).await?;
        // Written before the send: if acta stops while the request is out, the next run
        // asks the platform instead of sending again.
        t.state = TransmissionState::Unconfirmed;
        self.save(actor, &t).await?;
        match client.create(&outgoing.act).await {
            Ok(id) => {
                t.state = TransmissionState::Posted;
                t.platform_id = i64::try_from(id).ok();
                self.save_success(actor, t).await?;
                run.envoyees += 1;
                Ok(format!("envoyée à la plateforme (transaction {id})."))
            }
            Err(TdtError::Refused(reason)) if reason.contains("même numéro interne") => {
                // An earlier send arrived without acta knowing: find it.
                match client.find_by_number(&outgoing.act.number).await {
                    Ok(Some(found)) => {
                        t.state = TransmissionState::Posted;
                        t.platform_id = i64::try_from(found.id).ok();
                        self.save_success(actor, t).await?;
                        run.envoyees += 1;
                        Ok(format!(
                            "la plateforme l'avait déjà (transaction {}) ; elle n'est pas renvoyée.",
                            found.id
                        ))
                    }
                    Ok(None) => self.refuse(actor, t, reason).await,
                    Err(e) => self.save_failure(actor, t, &e, run).await,
                }
            }
            Err(TdtError::Refused(reason)) => self.refuse(actor, t, reason).await,
            Err(e) if e.may_have_arrived() => self.save_failure(actor, t, &e, run).await,
            Err(e) => {
                // Certainly not received: queued again.
                t.state = TransmissionState::Queued;
                self.save_failure(actor, t, &e, run).await
            }
        }
    }

    async fn refuse(
        &self,
        actor: &Actor,
        mut t: TdtTransmission,
        reason: String,
    ) -> Result<String, AppError> {
        t.state = TransmissionState::Refused;
        t.last_error = Some(format!("La plateforme refuse l'acte : {reason}"));
        t.next_attempt_at = None;
        self.save(actor, &t).await?;
        Ok(format!("refusée par la plateforme : {reason}"))
    }

    /// Reads the transaction's state; on the acknowledgement, keeps the ARActe and the
    /// stamped act and records the transmission.
    async fn acknowledge(
        &self,
        actor: &Actor,
        client: &S2low,
        mut t: TdtTransmission,
        number: &str,
        run: &mut TransmissionRun,
    ) -> Result<String, AppError> {
        let Some(platform_id) = t.platform_id.and_then(|p| u64::try_from(p).ok()) else {
            t.state = TransmissionState::Unconfirmed;
            self.save(actor, &t).await?;
            return Ok("transaction inconnue : elle sera recherchée.".to_string());
        };
        let status = match client.status(platform_id).await {
            Ok(s) => s,
            Err(e) => return self.save_failure(actor, t, &e, run).await,
        };
        match status.code {
            4 => {}
            -1 | 6 => {
                let reason = String::from_utf8_lossy(&status.message).trim().to_string();
                return self
                    .refuse(actor, t, format!("{} ({reason})", status.label()))
                    .await;
            }
            _ => {
                run.en_attente += 1;
                return Ok(format!(
                    "en attente de l'accusé de réception ({}).",
                    status.label()
                ));
            }
        }
        // An acknowledgement that cannot be read or is another act's is kept out, said,
        // and asked again at the next run; the other acts go on.
        let acknowledgement = match acta_interop::actes::parse_acknowledgement(&status.message) {
            Ok(a) => a,
            Err(e) => {
                let error = TdtError::Protocol(e.to_string());
                return self.save_failure(actor, t, &error, run).await;
            }
        };
        let outgoing = self.outgoing(&t, number).await?;
        if acknowledgement.act_id != outgoing.expected_act_id {
            let error = TdtError::Protocol(format!(
                "l'accusé de réception de la transaction {platform_id} porte l'identifiant {} et non {} ; rien n'est enregistré",
                acknowledgement.act_id, outgoing.expected_act_id
            ));
            return self.save_failure(actor, t, &error, run).await;
        }
        let stamped = match stamped_act(client, platform_id, &outgoing.act.act.name).await {
            Ok(s) => s,
            Err(e) => return self.save_failure(actor, t, &e, run).await,
        };
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        let ack_name = format!("{}-ARActe.xml", acknowledgement.act_id);
        t.acknowledgement_file = Some(
            tx.insert_file(&ack_name, "application/xml", &status.message, &now)
                .await?,
        );
        if let Some(bytes) = stamped {
            let name = format!("{}-tampon.pdf", acknowledgement.act_id);
            t.stamped_file = Some(
                tx.insert_file(&name, "application/pdf", &bytes, &now)
                    .await?,
            );
        }
        let deliberation = acta_domain::Id::new(t.deliberation);
        if tx.transmission(deliberation).await?.is_none() {
            tx.insert_transmission(
                deliberation,
                &Transmission {
                    act_id: acknowledgement.act_id.clone(),
                    prefecture_id: prefecture_id(&collectivity.department_code_3()),
                    received_on: acknowledgement.received_on,
                },
            )
            .await?;
        }
        t.state = TransmissionState::Acknowledged;
        t.failures = 0;
        t.next_attempt_at = None;
        t.last_error = None;
        t.updated_at = now;
        tx.update_tdt_transmission(&t).await?;
        tx.commit().await?;
        run.acquittees += 1;
        Ok(format!(
            "{}.",
            transmitted_mention(acknowledgement.received_on, &acknowledgement.act_id)
        ))
    }

    async fn save(&self, actor: &Actor, t: &TdtTransmission) -> Result<(), AppError> {
        let mut t = t.clone();
        t.updated_at = self.now().to_string();
        let mut tx = self.write(actor).await?;
        tx.update_tdt_transmission(&t).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_success(&self, actor: &Actor, mut t: TdtTransmission) -> Result<(), AppError> {
        t.failures = 0;
        t.next_attempt_at = None;
        t.last_error = None;
        self.save(actor, &t).await
    }

    /// Records a failed exchange and when to try again.
    async fn save_failure(
        &self,
        actor: &Actor,
        mut t: TdtTransmission,
        error: &TdtError,
        run: &mut TransmissionRun,
    ) -> Result<String, AppError> {
        t.failures += 1;
        let delay = retry_delay_seconds(u32::try_from(t.failures).unwrap_or(u32::MAX));
        let next = self
            .now()
            .checked_add(jiff::SignedDuration::from_secs(delay))
            .unwrap_or(self.now());
        t.next_attempt_at = Some(next.to_string());
        t.last_error = Some(error.to_string());
        self.save(actor, &t).await?;
        run.en_attente += 1;
        Ok(format!(
            "{error} ({} ; nouvel essai dans {} min).",
            t.state.label().to_lowercase(),
            delay / 60
        ))
    }

    /// Takes the prefecture's new documents, stores them with their follow-up and tells
    /// the platform they were taken.
    async fn take_prefecture_documents(
        &self,
        actor: &Actor,
        client: &S2low,
        setting: &TdtSetting,
        run: &mut TransmissionRun,
    ) -> Result<(), AppError> {
        let rows = match client.prefecture_documents().await {
            Ok(rows) => rows,
            Err(e) => {
                run.lignes
                    .push(format!("Courriers de la préfecture non relevés : {e}"));
                return Ok(());
            }
        };
        for row in rows {
            let (known, transmission) = {
                let mut tx = self.read().await?;
                let platform_id = i64::try_from(row.id).unwrap_or(i64::MAX);
                let related = i64::try_from(row.related_transaction).unwrap_or(i64::MAX);
                (
                    tx.prefecture_reply_by_platform_id(platform_id).await?,
                    tx.tdt_transmission_by_platform_id(related).await?,
                )
            };
            let Some(transmission) = transmission else {
                run.lignes.push(format!(
                    "Courrier {} de la préfecture : il concerne la transaction {}, qu'acta n'a pas envoyée ; laissé sur la plateforme.",
                    row.id, row.related_transaction
                ));
                continue;
            };
            if known.is_none() {
                let archive = match client.prefecture_document(row.id).await {
                    Ok(a) => a,
                    Err(e) => {
                        run.lignes.push(format!("Courrier {} : {e}", row.id));
                        continue;
                    }
                };
                let message = match acta_tdt::read_reply_archive(&archive) {
                    Ok(m) => m,
                    Err(e) => {
                        // Left unread on the platform: taken again at the next run.
                        run.lignes
                            .push(format!("Courrier {} illisible : {e}", row.id));
                        continue;
                    }
                };
                let kind = reply_kind(message.kind);
                let FollowUp { task, deadline } = follow_up(kind, message.date, &setting.delays);
                let now = self.now().to_string();
                let mut tx = self.write(actor).await?;
                let archive_file = tx
                    .insert_file(
                        &format!("{}-{}.tar.gz", message.act_id, row.id),
                        "application/gzip",
                        &archive,
                        &now,
                    )
                    .await?;
                let letter_file = match message.documents.first() {
                    Some((name, bytes)) => {
                        Some(tx.insert_file(name, "application/pdf", bytes, &now).await?)
                    }
                    None => None,
                };
                tx.insert_prefecture_reply(&PrefectureReply {
                    id: 0,
                    deliberation: transmission.deliberation,
                    platform_id: i64::try_from(row.id).unwrap_or(i64::MAX),
                    kind,
                    letter_date: message.date,
                    description: message.description.clone(),
                    archive_file,
                    letter_file,
                    task: task.clone(),
                    deadline,
                    answer: None,
                    answer_file: None,
                    answer_platform_id: None,
                    answered_at: None,
                    received_at: now,
                })
                .await?;
                tx.commit().await?;
                run.courriers_recus += 1;
                let number = self.deliberation_number(transmission.deliberation).await?;
                run.lignes.push(format!(
                    "Délibération N°{number} : {} du {} reçu. À faire : {task}{}",
                    kind.label(),
                    format_date_long(message.date),
                    deadline
                        .map(|d| format!(" (avant le {})", format_date_long(d)))
                        .unwrap_or_default()
                ));
            }
            if let Err(e) = client.mark_as_read(row.id).await {
                run.lignes.push(format!(
                    "Courrier {} gardé mais non marqué lu : {e}",
                    row.id
                ));
            }
        }
        Ok(())
    }

    /// Answers a demande de pièces complémentaires or a lettre d'observations through
    /// the TdT.
    pub async fn answer_prefecture(
        &self,
        actor: &Actor,
        number: &str,
        reply: i64,
        answer: &str,
        file_name: &str,
        pdf: &[u8],
    ) -> Result<TransmissionStatusView, AppError> {
        let answer = ReplyAnswer::parse("reponse", answer)?;
        if !pdf.starts_with(b"%PDF") {
            return Err(DomainError::field(
                "fichier",
                "Réponse à la préfecture : le fichier doit être un PDF.",
            )
            .into());
        }
        let stored = {
            let mut tx = self.read().await?;
            let d = lookup::deliberation(&mut tx, number).await?;
            tx.prefecture_reply(reply)
                .await?
                .filter(|r| r.deliberation == d.id.get())
                .ok_or_else(|| {
                    AppError::not_found(format!(
                        "La délibération N°{} n'a pas de courrier de la préfecture n°{reply}.",
                        number.trim()
                    ))
                })?
        };
        check_answerable(stored.kind, stored.answer.is_some())?;
        let setting = self.tdt_setting().await?;
        let client = client(&setting).await?;
        let upload = Upload::pdf(file_name, pdf.to_vec());
        let platform_answer = match answer {
            ReplyAnswer::Send => Answer::Send(upload),
            ReplyAnswer::Refuse => Answer::Refuse(upload),
        };
        let platform_id = u64::try_from(stored.platform_id).unwrap_or(0);
        let created = client
            .answer_document(platform_id, &platform_answer, "99_AU")
            .await
            .map_err(platform_error)?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let file = tx
            .insert_file(file_name, "application/pdf", pdf, &now)
            .await?;
        tx.answer_prefecture_reply(
            reply,
            answer,
            file,
            i64::try_from(created).unwrap_or(i64::MAX),
            &now,
        )
        .await?;
        tx.commit().await?;
        self.transmission_status(number).await
    }

    /// Cancels a transmitted act (the collectivity's own annulation, sent through the
    /// TdT); the next runs follow it until the prefecture acknowledges it.
    pub async fn cancel_transmission(
        &self,
        actor: &Actor,
        number: &str,
    ) -> Result<TransmissionStatusView, AppError> {
        let t = {
            let mut tx = self.read().await?;
            let d = lookup::deliberation(&mut tx, number).await?;
            tx.tdt_transmission(d.id.get()).await?
        };
        let Some(mut t) = t.filter(|t| t.state == TransmissionState::Acknowledged) else {
            return Err(AppError::conflict(format!(
                "La délibération N°{} n'a pas été transmise par la plateforme avec accusé de réception : rien à annuler.",
                number.trim()
            )));
        };
        let setting = self.tdt_setting().await?;
        let client = client(&setting).await?;
        let platform_id = t
            .platform_id
            .and_then(|p| u64::try_from(p).ok())
            .unwrap_or(0);
        let cancellation = client.cancel(platform_id).await.map_err(platform_error)?;
        t.state = TransmissionState::Cancelling;
        t.cancellation_id = i64::try_from(cancellation).ok();
        self.save_success(actor, t).await?;
        self.transmission_status(number).await
    }

    /// Where a deliberation's transmission stands, with the prefecture's replies.
    pub async fn transmission_status(
        &self,
        number: &str,
    ) -> Result<TransmissionStatusView, AppError> {
        let mut tx = self.read().await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let t = tx.tdt_transmission(d.id.get()).await?.ok_or_else(|| {
            AppError::not_found(format!(
                "La délibération N°{} n'a pas été confiée à la télétransmission.",
                number.trim()
            ))
        })?;
        let acknowledged = tx.transmission(d.id).await?;
        let replies = tx.prefecture_replies(d.id.get()).await?;
        Ok(TransmissionStatusView {
            deliberation: number.trim().to_string(),
            etat: t.state.code().to_string(),
            etat_libelle: t.state.label().to_string(),
            transaction: t.platform_id,
            echecs: t.failures,
            prochain_essai: t.next_attempt_at.clone(),
            derniere_erreur: t.last_error.clone(),
            mention: acknowledged
                .as_ref()
                .map(|a| transmitted_mention(a.received_on, &a.act_id)),
            identifiant_acte: acknowledged.map(|a| a.act_id),
            accuse_de_reception: t.acknowledgement_file.is_some(),
            acte_tamponne: t.stamped_file.is_some(),
            courriers: replies.iter().map(reply_view).collect(),
        })
    }

    /// A file of a transmission: (name, media type, bytes).
    pub async fn transmission_file(
        &self,
        number: &str,
        which: TransmissionFile,
    ) -> Result<(String, String, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let t = tx.tdt_transmission(d.id.get()).await?;
        let file = t.and_then(|t| match which {
            TransmissionFile::Sent => Some(t.act_file),
            TransmissionFile::Acknowledgement => t.acknowledgement_file,
            TransmissionFile::Stamped => t.stamped_file,
        });
        let file = file.ok_or_else(|| {
            AppError::not_found(format!(
                "La délibération N°{} n'a pas ce fichier de transmission.",
                number.trim()
            ))
        })?;
        stored_file(&mut tx, file).await
    }

    /// The letter of a prefecture's reply (its PDF, or its archive when it had none).
    pub async fn prefecture_letter(
        &self,
        number: &str,
        reply: i64,
    ) -> Result<(String, String, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let r = tx
            .prefecture_reply(reply)
            .await?
            .filter(|r| r.deliberation == d.id.get())
            .ok_or_else(|| AppError::not_found("Courrier de la préfecture introuvable."))?;
        stored_file(&mut tx, r.letter_file.unwrap_or(r.archive_file)).await
    }
}

async fn stored_file(tx: &mut Tx, id: i64) -> Result<(String, String, Vec<u8>), AppError> {
    let (meta, bytes) = tx
        .file_content(id)
        .await?
        .ok_or_else(|| AppError::not_found("Fichier introuvable."))?;
    Ok((meta.name, meta.media_type, bytes))
}

async fn file_upload(tx: &mut Tx, id: i64) -> Result<Upload, AppError> {
    let (name, media_type, bytes) = stored_file(tx, id).await?;
    Ok(Upload {
        name,
        media_type,
        bytes,
    })
}

/// The act as the platform stamped it, when it offers one.
async fn stamped_act(
    client: &S2low,
    transaction: u64,
    posted_name: &str,
) -> Result<Option<Vec<u8>>, TdtError> {
    let files = client.files(transaction).await?;
    let act = files
        .iter()
        .find(|f| f.posted_filename == posted_name)
        .or_else(|| files.iter().find(|f| f.media_type == "application/pdf"));
    match act {
        Some(f) => Ok(Some(client.download(f.id, true).await?)),
        None => Ok(None),
    }
}

/// A client for the configured platform: the certificate read with its password.
async fn client(setting: &TdtSetting) -> Result<S2low, AppError> {
    let pkcs12 = read_setting_file(
        "certificat",
        "Télétransmission, certificat de connexion",
        &setting.pkcs12_path,
    )
    .await?;
    let password =
        read_password("Certificat de connexion à la plateforme", &setting.password).await?;
    let platform_roots_pem = match &setting.platform_authority_path {
        Some(path) => Some(
            read_setting_file(
                "autorite_plateforme",
                "Télétransmission, autorité de la plateforme",
                path,
            )
            .await?,
        ),
        None => None,
    };
    let login = match &setting.login {
        Some((user, source)) => Some((
            user.clone(),
            read_password("Identifiant de la plateforme", source).await?,
        )),
        None => None,
    };
    S2low::new(&ClientSettings {
        base_url: setting.url.clone(),
        client_pkcs12: pkcs12,
        client_password: password,
        platform_roots_pem,
        login,
        timeout: Duration::from_secs(setting.timeout_seconds),
    })
    .map_err(platform_error)
}
