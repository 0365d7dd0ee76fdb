//! A grant after the vote, as its beneficiary follows it: the decision and its
//! notification, the convention to sign, the schedule with what each tranche waits for,
//! the documents it sends (the countersigned convention, the pieces a tranche waits for)
//! and staff's answer to them, the payments, reimbursement decisions and amendments. Also
//! the e-mails acta sends to an organisation's people.

use crate::applications::{organisation_of, recipient_lines, salutation, signer};
use crate::documents::{LetterParts, beneficiary_letter};
use crate::execution::{find_award, load_ledger, mark_convention_signed};
use crate::input::{GrantDocumentInput, ReviewInput};
use crate::{Acta, Actor, AppError};
use acta_docs::{Document, Format, Renderer};
use acta_domain::application::{
    SubmissionState, UploadRules, check_submission_review, check_upload,
};
use acta_domain::beneficiary::Beneficiary;
use acta_domain::convention::ConventionStatus;
use acta_domain::convocation::MailSetting;
use acta_domain::french::format_date_long;
use acta_domain::grant::{Award, AwardStatus};
use acta_domain::keys::AwardKey;
use acta_domain::ledger::{DocumentReceipt, TrancheWait};
use acta_domain::{Id, Stored};
use acta_mail::{FileAttachment, Mail, Mailer};
use acta_store::{ApplicationEvent, FileMeta, GrantSubmission, Tx};
use serde::Serialize;

/// A grant in an organisation's list.
#[derive(Debug, Clone, Serialize)]
pub struct GrantSummary {
    pub award_id: i64,
    pub purpose: String,
    pub amount: String,
    pub deliberation: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrancheView {
    pub position: u32,
    pub amount: String,
    /// When it is due, as the convention says it.
    pub condition: String,
    pub paid: String,
    pub remaining: String,
    /// "Versée", "Payable", or what it waits for.
    pub waiting_for: String,
    pub payable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionView {
    pub id: i64,
    pub award_id: i64,
    pub organisation: String,
    pub purpose: String,
    pub tranche: Option<u32>,
    pub description: String,
    pub file: crate::applications::FileView,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub state: String,
    pub state_label: String,
    pub reason: Option<String>,
}

/// A grant as its beneficiary sees it.
#[derive(Debug, Clone, Serialize)]
pub struct GrantView {
    pub award_id: i64,
    pub organisation: String,
    pub purpose: String,
    pub amount: String,
    pub status: String,
    pub deliberation: Option<String>,
    pub decided_on: Option<String>,
    pub notification: Option<String>,
    /// The convention's state, when there is one.
    pub convention: Option<String>,
    pub convention_signed: bool,
    pub tranches: Vec<TrancheView>,
    pub payments: Vec<String>,
    pub decisions: Vec<String>,
    pub amendments: Vec<String>,
    pub submissions: Vec<SubmissionView>,
    /// The letter notifying the decision.
    pub letter_file: Option<i64>,
    pub application_id: Option<i64>,
    /// Whether the grant still takes documents (adopted, not cancelled).
    pub accepts_documents: bool,
}

/// Files a beneficiary sends after the vote: PDF only, 10 Mo at most.
fn grant_upload_rules() -> UploadRules {
    UploadRules::default()
}

pub(crate) async fn grant_summaries(
    tx: &mut Tx,
    organisation: Id<Beneficiary>,
) -> Result<Vec<GrantSummary>, AppError> {
    let mut out = Vec::new();
    for award in tx.awards_of_beneficiary(organisation).await? {
        if !matches!(award.status, AwardStatus::Adopted | AwardStatus::Cancelled) {
            continue;
        }
        out.push(GrantSummary {
            award_id: award.id.get(),
            purpose: award.purpose.clone(),
            amount: award.amount.format_euros_fr(),
            deliberation: deliberation_number(tx, &award).await?,
            status: award.status.label().to_string(),
        });
    }
    Ok(out)
}

async fn deliberation_number(
    tx: &mut Tx,
    award: &Stored<Award>,
) -> Result<Option<String>, AppError> {
    Ok(
        match crate::publications::award_deliberation(tx, &award.data).await? {
            Some(d) => d.number.clone(),
            None => None,
        },
    )
}

/// A grant of the acting organisation, decided by the assembly; any other is unknown.
async fn own_grant(
    tx: &mut Tx,
    actor: &Actor,
    award: i64,
) -> Result<(Stored<Beneficiary>, Stored<Award>), AppError> {
    let organisation = organisation_of(tx, actor).await?;
    let unknown = || AppError::not_found(format!("Aide n°{award} introuvable dans votre espace."));
    let a = tx
        .award(Id::new(award))
        .await?
        .filter(|a| {
            a.beneficiary == organisation.id
                && matches!(a.status, AwardStatus::Adopted | AwardStatus::Cancelled)
        })
        .ok_or_else(unknown)?;
    Ok((organisation, a))
}

async fn submission_view(tx: &mut Tx, s: &GrantSubmission) -> Result<SubmissionView, AppError> {
    let meta = tx
        .file_meta(s.file)
        .await?
        .ok_or_else(|| AppError::not_found("Fichier introuvable."))?;
    let organisation = match tx.award(Id::new(s.award)).await? {
        Some(a) => tx
            .beneficiary(a.beneficiary)
            .await?
            .map(|b| b.name.clone())
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(SubmissionView {
        id: s.id,
        award_id: s.award,
        organisation,
        purpose: if s.purpose == "convention" {
            "Convention contresignée".into()
        } else {
            "Pièce".into()
        },
        tranche: s.tranche,
        description: s.description.clone(),
        file: crate::applications::file_view(&meta),
        uploaded_by: s.uploaded_by.clone(),
        uploaded_at: s.uploaded_at.clone(),
        state: s.state.code().to_string(),
        state_label: s.state.label().to_string(),
        reason: s.reason.clone(),
    })
}

async fn grant_view(
    tx: &mut Tx,
    organisation: &Stored<Beneficiary>,
    award: &Stored<Award>,
    today: jiff::civil::Date,
) -> Result<GrantView, AppError> {
    let deliberation = crate::publications::award_deliberation(tx, &award.data).await?;
    let notification = tx.notification(award.id.get()).await?.map(|n| {
        format!(
            "Notifiée le {} ({})",
            format_date_long(n.notified_on),
            n.means.label()
        )
    });
    let application = tx.application_of_award(award.id.get()).await?;
    let mut tranches = Vec::new();
    let mut payments = Vec::new();
    let mut decisions = Vec::new();
    let mut amendments = Vec::new();
    let mut convention = None;
    let mut convention_signed = false;
    if award.status == AwardStatus::Adopted
        && let Ok((ledger, c, _)) = load_ledger(tx, award).await
    {
        if let Some(c) = &c {
            convention_signed = c.signed_on.is_some();
            convention = Some(match c.signed_on {
                Some(d) => format!("{}, signée le {}", c.status.label(), format_date_long(d)),
                None => c.status.label().to_string(),
            });
            for a in tx.amendments_of(c.id).await? {
                amendments.push(format!(
                    "Avenant n°{} signé le {} : {}",
                    a.number,
                    format_date_long(a.signed_on),
                    a.object
                ));
            }
        }
        for (state, t) in ledger.tranches().iter().zip(&ledger.schedule) {
            let wait = ledger.waiting_for(state.position, today);
            tranches.push(TrancheView {
                position: state.position,
                amount: state.scheduled.format_euros_fr(),
                condition: t
                    .label
                    .clone()
                    .unwrap_or_else(|| t.trigger.describe(ledger.year)),
                paid: state.paid.format_euros_fr(),
                remaining: state.remaining.format_euros_fr(),
                payable: wait == TrancheWait::Payable,
                waiting_for: match wait {
                    TrancheWait::Settled if state.paid.is_zero() => "Annulée".to_string(),
                    TrancheWait::Settled => "Versée".to_string(),
                    TrancheWait::Payable => "Payable : le Département peut la verser".to_string(),
                    TrancheWait::Waiting(what) => format!("En attente : {what}"),
                },
            });
        }
        for p in &ledger.payments {
            payments.push(format!(
                "{} versés le {} (tranche {})",
                p.amount.format_euros_fr(),
                format_date_long(p.date),
                p.tranche
            ));
        }
        for d in &ledger.decisions {
            decisions.push(format!(
                "Décision du {} : {}",
                format_date_long(d.decided_on),
                d.explanation
            ));
        }
    }
    let mut submissions = Vec::new();
    for s in tx.grant_submissions(award.id.get()).await? {
        submissions.push(submission_view(tx, &s).await?);
    }
    Ok(GrantView {
        award_id: award.id.get(),
        organisation: organisation.name.clone(),
        purpose: award.purpose.clone(),
        amount: award.amount.format_euros_fr(),
        status: award.status.label().to_string(),
        deliberation: deliberation.as_ref().and_then(|d| d.number.clone()),
        decided_on: deliberation.as_ref().map(|d| format_date_long(d.date)),
        notification,
        convention,
        convention_signed,
        tranches,
        payments,
        decisions,
        amendments,
        submissions,
        letter_file: match &application {
            Some(a) => tx
                .application_pieces(a.id)
                .await?
                .iter()
                .rfind(|p| p.piece == DECISION_PIECE)
                .map(|p| p.file),
            None => None,
        },
        application_id: application.map(|a| a.id),
        accepts_documents: award.status == AwardStatus::Adopted,
    })
}

impl Acta {
    pub async fn my_grant(&self, actor: &Actor, award: i64) -> Result<GrantView, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        let (organisation, a) = own_grant(&mut tx, actor, award).await?;
        grant_view(&mut tx, &organisation, &a, today).await
    }

    /// The convention of one of the organisation's grants, to lay out.
    pub async fn my_convention_document(
        &self,
        actor: &Actor,
        award: i64,
        config: &acta_docs::DocumentsConfig,
    ) -> Result<Document, AppError> {
        {
            let mut tx = self.read().await?;
            own_grant(&mut tx, actor, award).await?;
        }
        self.convention_document(config, &AwardKey::Id(Id::new(award)))
            .await
    }

    /// The convention of one of the organisation's grants, laid out to be signed (PDF).
    pub async fn my_convention(
        &self,
        actor: &Actor,
        award: i64,
        renderer: &Renderer,
    ) -> Result<Vec<u8>, AppError> {
        let doc = self
            .my_convention_document(actor, award, renderer.config())
            .await?;
        Ok(renderer.render(&doc, Format::Pdf)?)
    }

    /// A file the organisation sent for one of its grants.
    pub async fn my_grant_file(
        &self,
        actor: &Actor,
        award: i64,
        file: i64,
    ) -> Result<(FileMeta, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let (_, a) = own_grant(&mut tx, actor, award).await?;
        grant_file_in(&mut tx, a.id.get(), file).await
    }

    pub async fn grant_file(&self, award: i64, file: i64) -> Result<(FileMeta, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        grant_file_in(&mut tx, award, file).await
    }

    /// The organisation sends a document for a grant: its countersigned convention, or a
    /// piece a tranche waits for. It counts once staff accept it.
    pub async fn send_grant_document(
        &self,
        actor: &Actor,
        award: i64,
        input: &GrantDocumentInput,
        name: &str,
        bytes: &[u8],
    ) -> Result<i64, AppError> {
        let (purpose, tranche, description) = input.parse()?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let (_, a) = own_grant(&mut tx, actor, award).await?;
        if a.status != AwardStatus::Adopted {
            return Err(AppError::conflict(format!(
                "Aide {} : elle n'attend plus de document.",
                a.status.label().to_lowercase()
            )));
        }
        let (ledger, convention, _) = load_ledger(&mut tx, &a).await?;
        match (purpose.as_str(), tranche) {
            ("convention", _) => match &convention {
                None => {
                    return Err(AppError::conflict(
                        "Convention : le Département n'a pas encore établi la convention de cette aide.",
                    ));
                }
                Some(c) if c.status != ConventionStatus::Draft => {
                    return Err(AppError::conflict("Convention : elle est déjà signée."));
                }
                Some(_) => {}
            },
            (_, Some(t)) => ledger.check_receipt(t)?,
            _ => {}
        }
        let file_type = check_upload("fichier", name, bytes, &grant_upload_rules())?;
        let file = tx
            .insert_file(name.trim(), file_type.media_type(), bytes, &now)
            .await?;
        let id = tx
            .insert_grant_submission(&GrantSubmission {
                id: 0,
                award: a.id.get(),
                purpose,
                tranche,
                description,
                file,
                uploaded_by: actor.0.clone(),
                uploaded_at: now,
                state: SubmissionState::Pending,
                reviewed_by: None,
                reviewed_at: None,
                reason: None,
            })
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Documents sent by beneficiaries and not yet examined.
    pub async fn pending_grant_documents(&self) -> Result<Vec<SubmissionView>, AppError> {
        let mut tx = self.read().await?;
        let mut out = Vec::new();
        for s in tx.pending_grant_submissions().await? {
            out.push(submission_view(&mut tx, &s).await?);
        }
        Ok(out)
    }

    /// Staff accept or refuse a document. An accepted countersigned convention is signed
    /// (on the day it was received); an accepted piece is the document its tranche
    /// waits for in the ledger. The organisation is told by e-mail.
    pub async fn review_grant_document(
        &self,
        actor: &Actor,
        submission: i64,
        input: &ReviewInput,
    ) -> Result<SubmissionView, AppError> {
        let accept = input.accept()?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let mut s = tx
            .grant_submission(submission)
            .await?
            .ok_or_else(|| AppError::not_found(format!("Pièce n°{submission} introuvable.")))?;
        check_submission_review(s.state, accept, &input.reason)?;
        let award = find_award(&mut tx, &AwardKey::Id(Id::new(s.award))).await?;
        let received_on: jiff::civil::Date = s
            .uploaded_at
            .get(..10)
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| self.today());
        if accept {
            if s.purpose == "convention" {
                mark_convention_signed(&mut tx, &award, received_on).await?;
            } else if let Some(t) = s.tranche {
                let (ledger, _, _) = load_ledger(&mut tx, &award).await?;
                ledger.check_receipt(t)?;
                tx.insert_receipt(
                    award.id,
                    &DocumentReceipt {
                        tranche: t,
                        received_on,
                        description: s.description.clone(),
                    },
                )
                .await?;
            }
        }
        s.state = if accept {
            SubmissionState::Accepted
        } else {
            SubmissionState::Refused
        };
        s.reviewed_by = Some(actor.0.clone());
        s.reviewed_at = Some(now);
        s.reason = (!accept).then(|| input.reason.trim().to_string());
        tx.update_grant_submission(&s).await?;
        let view = submission_view(&mut tx, &s).await?;
        tx.commit().await?;
        let subject = format!(
            "{} : {}",
            view.description,
            if accept { "acceptée" } else { "refusée" }
        );
        let body = if accept {
            format!(
                "Bonjour,\n\nLe document « {} » envoyé pour l'aide « {} » est accepté.\n",
                view.description, award.purpose
            )
        } else {
            format!(
                "Bonjour,\n\nLe document « {} » envoyé pour l'aide « {} » n'est pas accepté : {}\n\nVous pouvez en déposer un nouveau dans votre espace.\n",
                view.description,
                award.purpose,
                input.reason.trim()
            )
        };
        let application = {
            let mut tx = self.read().await?;
            tx.application_of_award(award.id.get()).await?.map(|a| a.id)
        };
        self.mail_organisation(
            actor,
            award.beneficiary.get(),
            application,
            &subject,
            body,
            Vec::new(),
        )
        .await?;
        Ok(view)
    }

    /// Writes to every active person of an organisation; what the server said of each
    /// message goes into the application's history when there is one. A mail server
    /// that is down does not undo what was decided: the history says it.
    pub(crate) async fn mail_organisation(
        &self,
        actor: &Actor,
        beneficiary: i64,
        application: Option<i64>,
        subject: &str,
        body: String,
        attachments: Vec<(String, Vec<u8>)>,
    ) -> Result<(), AppError> {
        let people = {
            let mut tx = self.read().await?;
            tx.people_of_beneficiary(beneficiary).await?
        };
        // One connection setting for every message of the batch.
        let sender = match self.mail_setting().await {
            Ok(s) => crate::convocations::mailer(&s)
                .await
                .map(|m| (s, m))
                .map_err(|e| e.to_string()),
            Err(_) => Err("l'envoi n'est pas configuré".to_string()),
        };
        let mut outcomes = Vec::new();
        for p in people.iter().filter(|p| p.active) {
            let Some(to) = &p.email else { continue };
            let outcome = match &sender {
                Ok((setting, mailer)) => {
                    let mail = message(setting, &p.name, to, subject, body.clone(), &attachments);
                    hand_over(mailer, &mail).await
                }
                Err(why) => format!("courriel non envoyé à {to} : {why}"),
            };
            outcomes.push(outcome);
        }
        if let Some(id) = application
            && !outcomes.is_empty()
        {
            let mut tx = self.write(actor).await?;
            for o in outcomes {
                tx.insert_application_event(
                    id,
                    &ApplicationEvent {
                        at: self.now().to_string(),
                        by: actor.0.clone(),
                        action: "courriel".into(),
                        detail: Some(format!("« {subject} » : {o}")),
                    },
                )
                .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// The letter refusing an application, with its reasons, kept and sent.
    pub(crate) async fn send_refusal(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        renderer: &Renderer,
    ) -> Result<(), AppError> {
        let today = self.today();
        let (letter, organisation, purpose, number) = {
            let mut tx = self.read().await?;
            let a = tx
                .application(id)
                .await?
                .ok_or_else(|| AppError::not_found("Demande introuvable."))?;
            let d = tx
                .dispositif(a.dispositif)
                .await?
                .ok_or_else(|| AppError::not_found("Dispositif introuvable."))?;
            let b = tx
                .beneficiary(Id::new(a.beneficiary))
                .await?
                .ok_or_else(|| AppError::not_found("Organisme introuvable."))?;
            let number = a.receipt_number.clone().unwrap_or_default();
            let letter = beneficiary_letter(
                &mut tx,
                renderer.config(),
                LetterParts {
                    recipient: recipient_lines(&b),
                    title: "Notification d'une décision de refus de subvention".into(),
                    object: format!("Objet : votre demande n°{number} – {}", a.application.purpose),
                    salutation: salutation(&b),
                    body: vec![
                        format!(
                            "Votre demande de subvention au titre du dispositif « {} », d'un montant de {}, ne peut recevoir de suite favorable.",
                            d.dispositif.name,
                            a.application.requested.format_euros_fr()
                        ),
                        format!("Motifs : {reason}"),
                    ],
                    facts: vec![("Numéro de la demande".into(), number.clone())],
                    closing: vec![
                        "Cette décision peut faire l'objet d'un recours gracieux auprès du Président du Conseil départemental ou d'un recours contentieux devant le tribunal administratif dans un délai de deux mois à compter de sa notification.".into(),
                    ],
                    signer: signer(&d.dispositif),
                    date: today,
                    file_stem: format!("refus-{number}"),
                },
            )
            .await?;
            (letter, a.beneficiary, a.application.purpose.clone(), number)
        };
        let pdf = renderer.render(&Document::Letter(letter), Format::Pdf)?;
        self.keep_decision_letter(actor, id, &format!("refus-{number}.pdf"), &pdf)
            .await?;
        self.mail_organisation(
            actor,
            organisation,
            Some(id),
            &format!("Votre demande de subvention n°{number}"),
            format!(
                "Bonjour,\n\nVotre demande « {purpose} » n'a pas reçu de suite favorable. La lettre de notification, jointe, en donne les motifs et les voies de recours.\n"
            ),
            vec![(format!("refus-{number}.pdf"), pdf)],
        )
        .await
    }

    /// The letter notifying a granted award: amount, deliberation, what comes next.
    pub(crate) async fn send_grant_letter(
        &self,
        actor: &Actor,
        id: i64,
        award: i64,
        renderer: &Renderer,
    ) -> Result<(), AppError> {
        let today = self.today();
        let (letter, organisation, number, purpose) = {
            let mut tx = self.read().await?;
            let a = tx
                .application(id)
                .await?
                .ok_or_else(|| AppError::not_found("Demande introuvable."))?;
            let d = tx
                .dispositif(a.dispositif)
                .await?
                .ok_or_else(|| AppError::not_found("Dispositif introuvable."))?;
            let b = tx
                .beneficiary(Id::new(a.beneficiary))
                .await?
                .ok_or_else(|| AppError::not_found("Organisme introuvable."))?;
            let aw = find_award(&mut tx, &AwardKey::Id(Id::new(award))).await?;
            let deliberation = crate::publications::award_deliberation(&mut tx, &aw.data)
                .await?
                .ok_or_else(|| AppError::conflict("Cette aide n'a pas de délibération."))?;
            let body_name = match tx.sitting(deliberation.sitting).await? {
                Some(s) => tx
                    .body(s.body)
                    .await?
                    .map(|b| b.display_name())
                    .unwrap_or_default(),
                None => String::new(),
            };
            let number = a.receipt_number.clone().unwrap_or_default();
            let partial = aw.amount < a.application.requested;
            let mut body = vec![format!(
                "Par délibération n°{} du {}, la {} a attribué à {} une subvention de {} pour « {} ».",
                deliberation.number.clone().unwrap_or_default(),
                format_date_long(deliberation.date),
                body_name,
                b.name,
                aw.amount.format_euros_fr(),
                aw.purpose
            )];
            if partial {
                body.push(format!(
                    "Ce montant est inférieur aux {} demandés : {}",
                    a.application.requested.format_euros_fr(),
                    a.instruction
                        .as_ref()
                        .map(|i| i.opinion.clone())
                        .unwrap_or_default()
                ));
            }
            body.push("La convention qui fixe les conditions de versement est à signer dans votre espace ; chaque tranche y indique ce qu'elle attend.".into());
            let letter = beneficiary_letter(
                &mut tx,
                renderer.config(),
                LetterParts {
                    recipient: recipient_lines(&b),
                    title: "Notification d'une subvention".into(),
                    object: format!(
                        "Objet : votre demande n°{number} – {}",
                        a.application.purpose
                    ),
                    salutation: salutation(&b),
                    body,
                    facts: vec![
                        ("Numéro de la demande".into(), number.clone()),
                        ("Montant attribué".into(), aw.amount.format_euros_fr()),
                    ],
                    closing: vec![],
                    signer: signer(&d.dispositif),
                    date: today,
                    file_stem: format!("notification-{number}"),
                },
            )
            .await?;
            (letter, a.beneficiary, number, a.application.purpose.clone())
        };
        let pdf = renderer.render(&Document::Letter(letter), Format::Pdf)?;
        self.keep_decision_letter(actor, id, &format!("notification-{number}.pdf"), &pdf)
            .await?;
        self.mail_organisation(
            actor,
            organisation,
            Some(id),
            &format!("Subvention accordée – demande n°{number}"),
            format!(
                "Bonjour,\n\nLe Département vous accorde une subvention pour « {purpose} ». La lettre de notification est jointe ; la convention vous attend dans votre espace.\n"
            ),
            vec![(format!("notification-{number}.pdf"), pdf)],
        )
        .await
    }

    /// Keeps a decision letter as a piece of the application ("decision").
    async fn keep_decision_letter(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
        pdf: &[u8],
    ) -> Result<(), AppError> {
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let file = tx.insert_file(name, "application/pdf", pdf, &now).await?;
        tx.insert_application_piece(&acta_store::ApplicationPiece {
            id: 0,
            application: id,
            piece: DECISION_PIECE.to_string(),
            file,
            uploaded_by: actor.0.clone(),
            uploaded_at: now.clone(),
        })
        .await?;
        tx.insert_application_event(
            id,
            &ApplicationEvent {
                at: now,
                by: actor.0.clone(),
                action: "notification".into(),
                detail: Some(name.to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A message to one person of an organisation, with its attachments (PDF letters).
pub(crate) fn message(
    setting: &MailSetting,
    to_name: &str,
    to: &str,
    subject: &str,
    body: String,
    attachments: &[(String, Vec<u8>)],
) -> Mail {
    Mail {
        from_name: setting.from_name.clone(),
        from: setting.from.as_str().to_string(),
        to_name: to_name.to_string(),
        to: to.to_string(),
        subject: subject.to_string(),
        body,
        attachments: attachments
            .iter()
            .map(|(name, content)| FileAttachment {
                media_type: if name.ends_with(".pdf") {
                    "application/pdf".into()
                } else {
                    "application/octet-stream".into()
                },
                name: name.clone(),
                content: content.clone(),
            })
            .collect(),
    }
}

/// Hands a message to the SMTP server; gives what happened, in French, for the history.
pub(crate) async fn hand_over(mailer: &Mailer, mail: &Mail) -> String {
    match mailer.send(mail).await {
        Ok(sent) => format!("courriel remis pour {} ({})", mail.to, sent.server_reply),
        Err(e) => format!("courriel non remis pour {} : {e}", mail.to),
    }
}

/// The piece code under which a decision letter is kept with its application.
pub const DECISION_PIECE: &str = "autre:Lettre de notification de la décision";

/// A file sent for a grant; nothing else.
async fn grant_file_in(
    tx: &mut Tx,
    award: i64,
    file: i64,
) -> Result<(FileMeta, Vec<u8>), AppError> {
    let missing = || AppError::not_found(format!("Fichier n°{file} introuvable pour cette aide."));
    let belongs = tx
        .grant_submissions(award)
        .await?
        .iter()
        .any(|s| s.file == file);
    if !belongs {
        return Err(missing());
    }
    tx.file_content(file).await?.ok_or_else(missing)
}
