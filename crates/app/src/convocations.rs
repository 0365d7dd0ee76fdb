//! The convocation of a sitting: checked against the legal delay (or sent through the
//! emergency path with its reason), the agenda frozen, one message per member convened
//! through the Département's SMTP server with a personal link to the members' space, a
//! paper letter for a member without an address; each message's id, time, the server's
//! answer and the member's first opening kept as proof.

use crate::accounts::{random_token, token_hash};
use crate::input::preparation::{ConvocationInput, MailSettingsInput, MemberEmailInput};
use crate::signatures::read_password;
use crate::sittings::load_rules;
use crate::{Acta, Actor, AppError, lookup};
use acta_docs::{ConvocationLetter, Document, Format, Renderer};
use acta_domain::convocation::{
    MailSecurity, MailSetting, check_convocation, check_emergency_convocation, recipients,
};
use acta_domain::error::Errors;
use acta_domain::french::format_date_long;
use acta_domain::identifiers::EmailAddress;
use acta_domain::keys::SittingKey;
use acta_domain::people::Member;
use acta_domain::signature::PasswordSource;
use acta_domain::{DomainError, Id};
use acta_mail::{FileAttachment, Mail, MailError, Mailer, Security, SmtpSettings};
use acta_store::{Convocation, Delivery};
use serde::Serialize;
use std::time::Duration;

const MAIL_SETTING: &str = "courriel";

/// One member's convocation, as the assemblies service follows it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryView {
    pub member_id: i64,
    pub member: String,
    pub email: Option<String>,
    /// "en_attente", "acceptee", "refusee" or "papier".
    pub status: String,
    pub message_id: Option<String>,
    pub sent_at: Option<String>,
    pub server_reply: Option<String>,
    pub opened_at: Option<String>,
}

/// A sitting's convocation and what became of each message.
#[derive(Debug, Clone, Serialize)]
pub struct ConvocationView {
    pub sitting_id: i64,
    pub sent_on: jiff::civil::Date,
    pub sent_by: String,
    pub emergency_reason: Option<String>,
    pub deliveries: Vec<DeliveryView>,
    /// Members to whom a letter must be printed and posted.
    pub paper: Vec<String>,
}

impl MailSettingsInput {
    pub fn parse(&self) -> Result<MailSetting, DomainError> {
        let mut errors = Errors::new();
        let security = errors.check(MailSecurity::parse(
            "securite",
            self.security.as_deref().unwrap_or(""),
        ));
        let from = errors.check(EmailAddress::parse("expediteur", &self.from));
        let login = match (
            crate::input::non_blank(&self.login),
            crate::input::non_blank(&self.password_from),
        ) {
            (None, None) => Some(None),
            (Some(user), Some(source)) => errors
                .check(PasswordSource::parse("mot_de_passe_depuis", &source))
                .map(|s| Some((user, s))),
            (Some(_), None) => {
                errors.push(acta_domain::FieldError::new(
                    "mot_de_passe_depuis",
                    "Mot de passe : indiquez où lire celui de l'identifiant (env:VARIABLE ou file:/chemin).",
                ));
                None
            }
            (None, Some(_)) => {
                errors.push(acta_domain::FieldError::new(
                    "identifiant",
                    "Identifiant : un mot de passe sans identifiant ne sert à rien.",
                ));
                None
            }
        };
        errors.into_result()?;
        let (Some(security), Some(from), Some(login)) = (security, from, login) else {
            return Err(DomainError::rule("Paramètres du courriel incomplets."));
        };
        let setting = MailSetting {
            host: self.host.trim().to_string(),
            port: self.port,
            security,
            login,
            from,
            from_name: crate::input::non_blank(&self.from_name)
                .unwrap_or_else(|| "Service des assemblées".to_string()),
            public_url: self.public_url.trim().to_string(),
            timeout_seconds: 30,
        };
        setting.validate()?;
        Ok(setting)
    }
}

pub(crate) fn mail_error(e: MailError) -> AppError {
    match e {
        MailError::Invalid(m) => AppError::Domain(DomainError::rule(m)),
        MailError::Refused(m) | MailError::Connection(m) => AppError::Unavailable(m),
    }
}

pub(crate) async fn mailer(setting: &MailSetting) -> Result<Mailer, AppError> {
    let credentials = match &setting.login {
        Some((user, source)) => Some((
            user.clone(),
            read_password("Serveur de courriel", source).await?,
        )),
        None => None,
    };
    Mailer::new(&SmtpSettings {
        host: setting.host.clone(),
        port: setting.port,
        security: match setting.security {
            MailSecurity::StartTls => Security::StartTls,
            MailSecurity::Tls => Security::Tls,
            MailSecurity::None => Security::None,
        },
        credentials,
        timeout: Duration::from_secs(setting.timeout_seconds),
    })
    .map_err(mail_error)
}

/// What the convocation says to one member: the sitting, its agenda, and the emergency
/// when there is one; the message adds the personal link, the letter its closing.
struct Wording {
    salutation: String,
    body: Vec<String>,
    agenda: Vec<String>,
}

fn wording(
    member: &Member,
    body_name: &str,
    sitting: &acta_domain::sitting::Sitting,
    agenda: &[(u32, String)],
    emergency: Option<&str>,
) -> Wording {
    let when = match sitting.time {
        Some(t) => format!(
            "le {} à {} h {:02}",
            format_date_long(sitting.date),
            t.hour(),
            t.minute()
        ),
        None => format!("le {}", format_date_long(sitting.date)),
    };
    let place = sitting
        .place
        .as_deref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    let mut body = vec![format!(
        "J'ai l'honneur de vous convier à la réunion de la {body_name} qui se tiendra {when}{place}."
    )];
    if let Some(reason) = emergency {
        body.push(format!(
            "Cette convocation vous est adressée selon la procédure d'urgence : {reason}."
        ));
    }
    Wording {
        salutation: match member.name.civility {
            acta_domain::people::Civility::Madame => "Madame".to_string(),
            acta_domain::people::Civility::Monsieur => "Monsieur".to_string(),
        },
        body,
        agenda: agenda
            .iter()
            .map(|(position, title)| format!("{position}. {title}"))
            .collect(),
    }
}

impl Wording {
    /// The message's text, with the personal link.
    fn message(&self, member: &Member, link: &str) -> String {
        let mut text = format!(
            "{} {},\n\n{}\n\nOrdre du jour :\n",
            self.salutation,
            member.name.last_name.to_uppercase(),
            self.body.join("\n\n")
        );
        for line in &self.agenda {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&format!(
            "\nLes rapports sont à votre disposition dans votre espace personnel, où vous pouvez aussi indiquer votre présence ou donner pouvoir à un collègue :\n{link}\n\nCe lien vous est personnel. La lettre de convocation est jointe à ce message.\n"
        ));
        text
    }

    /// The letter, for the PDF attached to the message or printed and posted.
    fn letter(&self, member: &Member, by_post: bool) -> ConvocationLetter {
        ConvocationLetter {
            recipient: vec![format!(
                "{} {}",
                self.salutation,
                member.name.full()
            )],
            salutation: format!("{},", self.salutation),
            body: self.body.clone(),
            agenda: self.agenda.clone(),
            closing: vec![
                if by_post {
                    "Les rapports sont joints à ce courrier ; ils sont aussi consultables dans l'espace des élus d'acta, où vous pouvez indiquer votre présence ou donner pouvoir à un collègue.".to_string()
                } else {
                    "Les rapports sont consultables dans l'espace des élus d'acta, par le lien personnel de votre message, où vous pouvez indiquer votre présence ou donner pouvoir à un collègue.".to_string()
                },
                "Un élu empêché d'assister à une séance peut donner à un collègue pouvoir de voter en son nom ; un élu ne peut recevoir qu'un seul pouvoir (article L3121-16 du CGCT).".to_string(),
                format!(
                    "Je vous prie d'agréer, {}, l'expression de mes salutations distinguées.",
                    self.salutation
                ),
            ],
        }
    }
}

/// The message to one member: the wording, the personal link of `token`, the letter.
fn message(
    setting: &MailSetting,
    member: &Member,
    to: String,
    words: &Wording,
    token: &str,
    (body_name, sitting): (&str, &acta_domain::sitting::Sitting),
    letter_pdf: Vec<u8>,
) -> Mail {
    Mail {
        from_name: setting.from_name.clone(),
        from: setting.from.as_str().to_string(),
        to_name: member.name.with_civility(),
        to,
        subject: format!(
            "Convocation – {body_name} du {}",
            format_date_long(sitting.date)
        ),
        body: words.message(member, &setting.member_link(token)),
        attachments: vec![FileAttachment {
            name: format!("convocation-{}.pdf", sitting.date),
            media_type: "application/pdf".to_string(),
            content: letter_pdf,
        }],
    }
}

/// The agenda as the convocation lists it.
async fn agenda_lines(
    tx: &mut acta_store::Tx,
    sitting: Id<acta_domain::sitting::Sitting>,
) -> Result<Vec<(u32, String)>, AppError> {
    let mut titles = Vec::new();
    for item in tx.agenda(sitting).await? {
        if tx.postponement(item.id).await?.is_some() {
            continue;
        }
        let title = tx
            .report(item.report)
            .await?
            .map(|r| format!("Rapport n°{} – {}", r.number, r.title))
            .unwrap_or_default();
        titles.push((item.position, title));
    }
    Ok(titles)
}

impl Acta {
    pub async fn configure_mail(
        &self,
        actor: &Actor,
        input: &MailSettingsInput,
    ) -> Result<(), AppError> {
        let setting = input.parse()?;
        // The password source must be readable now, not at the first convocation.
        mailer(&setting).await?;
        let value = serde_json::to_value(&setting).map_err(|e| AppError::File(e.to_string()))?;
        let mut tx = self.write(actor).await?;
        tx.put_setting(MAIL_SETTING, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn mail_setting(&self) -> Result<MailSetting, AppError> {
        let mut tx = self.read().await?;
        let value = tx.setting(MAIL_SETTING).await?.ok_or_else(|| {
            AppError::conflict(
                "Courriel : le serveur d'envoi n'est pas configuré (« acta convocation configure »).",
            )
        })?;
        serde_json::from_value(value)
            .map_err(|e| AppError::File(format!("Paramètres du courriel illisibles : {e}")))
    }

    pub async fn set_member_email(
        &self,
        actor: &Actor,
        input: &MemberEmailInput,
    ) -> Result<(), AppError> {
        let email = input.email()?;
        let mut tx = self.write(actor).await?;
        let m = lookup::member(&mut tx, &input.member).await?;
        tx.set_member_email(m.id, email.as_ref()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Convenes a sitting: checks the delay (or the emergency path), freezes the agenda,
    /// records one delivery per member convened, then hands each message (its letter in
    /// PDF attached) to the SMTP server and keeps its answer. A message the server could
    /// not take stays to resend (`resend_convocation`); nothing is sent twice.
    pub async fn convene(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        input: &ConvocationInput,
        renderer: &Renderer,
    ) -> Result<ConvocationView, AppError> {
        let setting = self.mail_setting().await?;
        let mailer = mailer(&setting).await?;
        let today = self.today();
        let mut tx = self.write(actor).await?;
        let rules = load_rules(&mut tx).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        if tx.convocation(s.id).await?.is_some() {
            return Err(AppError::conflict(format!(
                "Convocation : la séance du {} est déjà convoquée ; seuls les envois en échec se renvoient.",
                format_date_long(s.date)
            )));
        }
        let body = tx
            .body(s.body)
            .await?
            .ok_or_else(|| AppError::not_found("Instance de la séance introuvable."))?;
        let emergency = match check_convocation(&rules, body.kind, today, s.date) {
            Ok(()) => None,
            Err(late) if crate::input::non_blank(&input.emergency).is_none() => {
                return Err(late.into());
            }
            Err(_) => Some(check_emergency_convocation(
                &rules,
                today,
                s.date,
                input.emergency.as_deref(),
            )?),
        };
        let titles = agenda_lines(&mut tx, s.id).await?;
        if titles.is_empty() {
            return Err(DomainError::rule(
                "Convocation : l'ordre du jour est vide ; inscrivez d'abord les rapports.",
            )
            .into());
        }
        let mandates: Vec<_> = tx
            .mandates_in(s.body)
            .await?
            .into_iter()
            .map(|m| m.data)
            .collect();
        let convened = recipients(&mandates, &s, &rules);
        tx.insert_convocation(&Convocation {
            sitting: s.id.get(),
            sent_on: today,
            sent_at: self.now().to_string(),
            sent_by: actor.0.clone(),
            emergency_reason: emergency.clone(),
            letter_file: None,
        })
        .await?;
        let body_name = body.display_name();
        let mut outgoing = Vec::new();
        for member_id in convened {
            let Some(member) = tx.member(member_id).await? else {
                continue;
            };
            let email = tx.member_email(member_id).await?;
            let token = random_token()?;
            let delivery = Delivery {
                id: 0,
                sitting: s.id.get(),
                member: member_id.get(),
                email: email.clone(),
                token_hash: token_hash(&token),
                message_id: None,
                sent_at: None,
                status: if email.is_some() {
                    "en_attente"
                } else {
                    "papier"
                }
                .to_string(),
                server_reply: None,
                opened_at: None,
            };
            let id = tx.insert_delivery(&delivery).await?;
            if let Some(to) = email {
                let words = wording(&member.data, &body_name, &s, &titles, emergency.as_deref());
                let doc = crate::documents::convocation_doc(
                    &mut tx,
                    renderer.config(),
                    &s,
                    &body_name,
                    today,
                    vec![words.letter(&member.data, false)],
                )
                .await?;
                // Laid out after the commit: rendering must not hold the write lock.
                let mail = message(
                    &setting,
                    &member.data,
                    to,
                    &words,
                    &token,
                    (&body_name, &s),
                    Vec::new(),
                );
                outgoing.push((Delivery { id, ..delivery }, mail, doc));
            }
        }
        tx.commit().await?;
        // Each message is handed over after the convocation is recorded, and its answer
        // kept at once: a failure midway leaves the others' proofs and the rest to resend.
        for (delivery, mut mail, doc) in outgoing {
            let pdf = renderer.render(&Document::Convocation(doc), Format::Pdf)?;
            if let Some(letter) = mail.attachments.first_mut() {
                letter.content = pdf;
            }
            self.hand_over(actor, &mailer, delivery, &mail).await?;
        }
        self.convocation(sitting).await
    }

    async fn hand_over(
        &self,
        actor: &Actor,
        mailer: &Mailer,
        mut delivery: Delivery,
        mail: &Mail,
    ) -> Result<(), AppError> {
        let result = mailer.send(mail).await;
        delivery.sent_at = Some(self.now().to_string());
        match result {
            Ok(sent) => {
                delivery.status = "acceptee".to_string();
                delivery.message_id = Some(sent.message_id);
                delivery.server_reply = Some(sent.server_reply);
            }
            Err(MailError::Refused(reply)) => {
                delivery.status = "refusee".to_string();
                delivery.server_reply = Some(reply);
            }
            Err(e) => {
                delivery.status = "en_attente".to_string();
                delivery.server_reply = Some(e.to_string());
            }
        }
        let mut tx = self.write(actor).await?;
        tx.update_delivery(&delivery).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends again the messages that did not reach the server (a new personal link each:
    /// the old one was never delivered).
    pub async fn resend_convocation(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        renderer: &Renderer,
    ) -> Result<ConvocationView, AppError> {
        let setting = self.mail_setting().await?;
        let mailer = mailer(&setting).await?;
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let convocation = tx.convocation(s.id).await?.ok_or_else(|| {
            AppError::conflict("Convocation : la séance n'est pas encore convoquée.")
        })?;
        let body = tx
            .body(s.body)
            .await?
            .ok_or_else(|| AppError::not_found("Instance de la séance introuvable."))?;
        let body_name = body.display_name();
        let titles = agenda_lines(&mut tx, s.id).await?;
        let mut todo = Vec::new();
        for d in tx.deliveries(s.id).await? {
            if !matches!(d.status.as_str(), "en_attente" | "refusee") {
                continue;
            }
            let Some(member) = tx.member(Id::<Member>::new(d.member)).await? else {
                continue;
            };
            // The address may have been corrected since.
            let Some(to) = tx.member_email(member.id).await? else {
                continue;
            };
            let words = wording(
                &member.data,
                &body_name,
                &s,
                &titles,
                convocation.emergency_reason.as_deref(),
            );
            let doc = crate::documents::convocation_doc(
                &mut tx,
                renderer.config(),
                &s,
                &body_name,
                convocation.sent_on,
                vec![words.letter(&member.data, false)],
            )
            .await?;
            todo.push((d, member, to, words, doc));
        }
        drop(tx);
        for (mut d, member, to, words, doc) in todo {
            let pdf = renderer.render(&Document::Convocation(doc), Format::Pdf)?;
            let token = random_token()?;
            d.token_hash = token_hash(&token);
            d.email = Some(to.clone());
            let mut tx = self.write(actor).await?;
            tx.replace_delivery_token(d.id, &d.token_hash, &to).await?;
            tx.commit().await?;
            let mail = message(
                &setting,
                &member.data,
                to,
                &words,
                &token,
                (&body_name, &s),
                pdf,
            );
            self.hand_over(actor, &mailer, d, &mail).await?;
        }
        self.convocation(sitting).await
    }

    /// The letters to print and post, one per member convened without an address (a PDF
    /// with one letter per page), or None when every member has an address.
    pub async fn paper_convocations(
        &self,
        sitting: &SittingKey,
        renderer: &Renderer,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let convocation = tx.convocation(s.id).await?.ok_or_else(|| {
            AppError::not_found(format!(
                "Convocation : la séance du {} n'est pas encore convoquée.",
                format_date_long(s.date)
            ))
        })?;
        let body = tx
            .body(s.body)
            .await?
            .ok_or_else(|| AppError::not_found("Instance de la séance introuvable."))?;
        let body_name = body.display_name();
        let titles = agenda_lines(&mut tx, s.id).await?;
        let mut letters = Vec::new();
        let mut members = Vec::new();
        for d in tx.deliveries(s.id).await? {
            if d.status != "papier" {
                continue;
            }
            if let Some(m) = tx.member(Id::<Member>::new(d.member)).await? {
                members.push(m);
            }
        }
        members.sort_by_key(|m| m.name.sort_key());
        for m in &members {
            let words = wording(
                &m.data,
                &body_name,
                &s,
                &titles,
                convocation.emergency_reason.as_deref(),
            );
            letters.push(words.letter(&m.data, true));
        }
        if letters.is_empty() {
            return Ok(None);
        }
        let doc = crate::documents::convocation_doc(
            &mut tx,
            renderer.config(),
            &s,
            &body_name,
            convocation.sent_on,
            letters,
        )
        .await?;
        Ok(Some(
            renderer.render(&Document::Convocation(doc), Format::Pdf)?,
        ))
    }

    pub async fn convocation(&self, sitting: &SittingKey) -> Result<ConvocationView, AppError> {
        let mut tx = self.read().await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let c = tx.convocation(s.id).await?.ok_or_else(|| {
            AppError::not_found(format!(
                "Convocation : la séance du {} n'est pas encore convoquée.",
                format_date_long(s.date)
            ))
        })?;
        let mut deliveries = Vec::new();
        for d in tx.deliveries(s.id).await? {
            let name = tx
                .member(Id::new(d.member))
                .await?
                .map(|m| m.name.with_civility())
                .unwrap_or_else(|| format!("élu n°{}", d.member));
            deliveries.push(DeliveryView {
                member_id: d.member,
                member: name,
                email: d.email,
                status: d.status,
                message_id: d.message_id,
                sent_at: d.sent_at,
                server_reply: d.server_reply,
                opened_at: d.opened_at,
            });
        }
        deliveries.sort_by(|a, b| a.member.cmp(&b.member));
        Ok(ConvocationView {
            sitting_id: s.id.get(),
            sent_on: c.sent_on,
            sent_by: c.sent_by,
            emergency_reason: c.emergency_reason,
            paper: deliveries
                .iter()
                .filter(|d| d.status == "papier")
                .map(|d| d.member.clone())
                .collect(),
            deliveries,
        })
    }
}
