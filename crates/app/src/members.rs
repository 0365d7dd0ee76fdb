//! The elected members' space: a member, logged in with their own account (role `elu`,
//! linked to the member it speaks for), sees the sittings they are convened to, reads the
//! agenda and reports, keeps private notes on each report, replies to the convocation
//! (present, absent, proxy to a colleague, under the one-proxy rule) and declares an
//! interest on an item, which then flags their vote. The assemblies service sees the
//! attendance and quorum the replies let it expect.

use crate::accounts::token_hash;
use crate::input::preparation::{AnnotationInput, InterestInput, ReplyInput};
use crate::sittings::load_rules;
use crate::{Acta, Actor, AppError, lookup};
use acta_domain::account::{Login, StaffRole};
use acta_domain::convocation::{
    Reply, ReplyKind, check_interest_reason, check_reply, expected_attendance,
};
use acta_domain::french::format_date_long;
use acta_domain::keys::SittingKey;
use acta_domain::people::Member;
use acta_domain::quorum::QuorumCheck;
use acta_domain::sitting::Sitting;
use acta_domain::{DomainError, Id, Stored};
use acta_store::Tx;
use jiff::civil::{Date, Time};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// A sitting in a member's list.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSittingSummary {
    pub sitting_id: i64,
    pub date: Date,
    pub body: String,
    pub reply: Option<String>,
}

/// An agenda item as a member reads it.
#[derive(Debug, Clone, Serialize)]
pub struct MemberItem {
    pub position: u32,
    pub report_number: u32,
    pub title: String,
    /// The report's text, paragraph by paragraph.
    pub report: Vec<String>,
    /// The draft deliberation's articles.
    pub articles: Vec<String>,
    /// The member's own note, seen by no one else.
    pub annotation: Option<String>,
    /// The interest the member declared on it.
    pub interest: Option<String>,
    /// Added after the convocation, through the emergency path.
    pub emergency: Option<String>,
}

/// A sitting in the members' space.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSitting {
    pub sitting_id: i64,
    pub body: String,
    pub date: Date,
    pub time: Option<Time>,
    pub place: Option<String>,
    pub emergency_reason: Option<String>,
    pub items: Vec<MemberItem>,
    /// "Présent", "Absent" or "Pouvoir à M. …".
    pub reply: Option<String>,
    /// Colleagues with a deliberative vote, to whom a proxy may go (id, name).
    pub colleagues: Vec<(i64, String)>,
    /// Whether replies are still taken (until the sitting's day).
    pub open: bool,
}

/// The attendance and quorum the replies let the assemblies service expect.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectedAttendanceView {
    pub sitting_id: i64,
    pub present: Vec<String>,
    /// Member → the colleague holding their proxy, counted (the holder comes).
    pub represented: Vec<(String, String)>,
    /// Every proxy announced (giver, holder), counted or not yet.
    pub proxies: Vec<(String, String)>,
    pub absent: Vec<String>,
    pub no_reply: Vec<String>,
    pub quorum: QuorumCheck,
    pub notes: Vec<String>,
}

/// The member an account speaks for.
async fn member_of(tx: &mut Tx, actor: &Actor) -> Result<Stored<Member>, AppError> {
    let unlinked = || {
        AppError::Domain(DomainError::rule(
            "Espace des élus : ce compte n'est lié à aucun élu (« acta account link-member »).",
        ))
    };
    let login = Login::parse(&actor.0).map_err(|_| unlinked())?;
    let account = tx.account_by_login(&login).await?.ok_or_else(unlinked)?;
    let member = tx.account_member(account.id).await?.ok_or_else(unlinked)?;
    tx.member(Id::new(member)).await?.ok_or_else(unlinked)
}

/// A sitting the member is convened to; any other is unknown to them.
async fn convened_sitting(
    tx: &mut Tx,
    member: &Stored<Member>,
    sitting: i64,
) -> Result<Stored<Sitting>, AppError> {
    let missing =
        || AppError::not_found(format!("Séance n°{sitting} introuvable dans votre espace."));
    let s = tx.sitting(Id::new(sitting)).await?.ok_or_else(missing)?;
    if tx.delivery_of(s.id, member.id).await?.is_some() {
        Ok(s)
    } else {
        Err(missing())
    }
}

async fn names(tx: &mut Tx) -> Result<HashMap<Id<Member>, String>, AppError> {
    Ok(tx
        .members()
        .await?
        .into_iter()
        .map(|m| (m.id, m.name.with_civility()))
        .collect())
}

async fn voting_members(
    tx: &mut Tx,
    s: &Stored<Sitting>,
) -> Result<BTreeSet<Id<Member>>, AppError> {
    Ok(tx
        .mandates_in(s.body)
        .await?
        .into_iter()
        .filter(|m| m.voting && m.active_on(s.date))
        .map(|m| m.member)
        .collect())
}

fn reply_label(reply: Reply, names: &HashMap<Id<Member>, String>) -> String {
    match reply {
        Reply::Proxy(holder) => format!(
            "Pouvoir à {}",
            names
                .get(&holder)
                .cloned()
                .unwrap_or_else(|| format!("élu n°{holder}"))
        ),
        other => other.label().to_string(),
    }
}

impl Acta {
    /// Links an `elu` account to the member it speaks for.
    pub async fn link_account_member(
        &self,
        actor: &Actor,
        login: &str,
        member: &str,
    ) -> Result<(), AppError> {
        let login = Login::parse(login)?;
        let mut tx = self.write(actor).await?;
        let account = tx.account_by_login(&login).await?.ok_or_else(|| {
            AppError::not_found(format!("Compte : aucun compte « {} ».", login.as_str()))
        })?;
        if account.account.role != StaffRole::ElectedMember {
            return Err(DomainError::field(
                "role",
                format!(
                    "Rôle : seul un compte « elu » parle pour un élu ; « {} » est « {} ».",
                    login.as_str(),
                    account.account.role.code()
                ),
            )
            .into());
        }
        let m = lookup::member(&mut tx, member).await?;
        tx.set_account_member(account.id, Some(m.id))
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Compte : {} a déjà un compte.",
                m.name.with_civility()
            )))?;
        tx.commit().await?;
        Ok(())
    }

    /// The member opens their personal link: the first opening is recorded as the proof
    /// that they had the documents. Returns the sitting.
    pub async fn open_convocation(&self, actor: &Actor, token: &str) -> Result<i64, AppError> {
        let mut tx = self.write(actor).await?;
        let member = member_of(&mut tx, actor).await?;
        let unknown = || {
            AppError::not_found("Ce lien de convocation n'est pas le vôtre, ou n'est plus valable.")
        };
        let mut delivery = tx
            .delivery_by_token(&token_hash(token.trim()))
            .await?
            .ok_or_else(unknown)?;
        if delivery.member != member.id.get() {
            return Err(unknown());
        }
        if delivery.opened_at.is_none() {
            delivery.opened_at = Some(self.now().to_string());
            tx.update_delivery(&delivery).await?;
        }
        tx.commit().await?;
        Ok(delivery.sitting)
    }

    pub async fn member_sittings(
        &self,
        actor: &Actor,
    ) -> Result<Vec<MemberSittingSummary>, AppError> {
        let mut tx = self.read().await?;
        let member = member_of(&mut tx, actor).await?;
        let names = names(&mut tx).await?;
        let mut out = Vec::new();
        for summary in tx.sittings().await? {
            let s = summary.id;
            if tx.delivery_of(s, member.id).await?.is_none() {
                continue;
            }
            let Some(sitting) = tx.sitting(s).await? else {
                continue;
            };
            let body = tx
                .body(sitting.body)
                .await?
                .map(|b| b.display_name())
                .unwrap_or_default();
            let reply = tx
                .attendance_replies(s)
                .await?
                .into_iter()
                .find(|(m, _)| *m == member.id)
                .map(|(_, r)| reply_label(r, &names));
            out.push(MemberSittingSummary {
                sitting_id: s.get(),
                date: sitting.date,
                body,
                reply,
            });
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.date));
        Ok(out)
    }

    pub async fn member_sitting(
        &self,
        actor: &Actor,
        sitting: i64,
    ) -> Result<MemberSitting, AppError> {
        let mut tx = self.read().await?;
        let member = member_of(&mut tx, actor).await?;
        let s = convened_sitting(&mut tx, &member, sitting).await?;
        let names = names(&mut tx).await?;
        let body = tx
            .body(s.body)
            .await?
            .map(|b| b.display_name())
            .unwrap_or_default();
        let convocation = tx.convocation(s.id).await?;
        let mut items = Vec::new();
        for item in tx.agenda(s.id).await? {
            let Some(report) = tx.report(item.report).await? else {
                continue;
            };
            let articles = match tx.deliberation_of_report(report.id).await? {
                Some(d) => d
                    .articles
                    .iter()
                    .map(|a| format!("Article {} : {}", a.number, a.body.plain_lines().join(" ")))
                    .collect(),
                None => Vec::new(),
            };
            let text = report
                .sections
                .iter()
                .flat_map(|sec| sec.body.plain_lines())
                .collect();
            let interest = tx
                .interests(report.id)
                .await?
                .into_iter()
                .find(|(m, _)| *m == member.id)
                .map(|(_, r)| r);
            items.push(MemberItem {
                position: item.position,
                report_number: report.number,
                title: report.title.clone(),
                report: text,
                articles,
                annotation: tx.annotation(report.id, member.id).await?,
                interest,
                emergency: tx.agenda_emergency(item.id).await?,
            });
        }
        let reply = tx
            .attendance_replies(s.id)
            .await?
            .into_iter()
            .find(|(m, _)| *m == member.id)
            .map(|(_, r)| reply_label(r, &names));
        let mut colleagues: Vec<(i64, String)> = voting_members(&mut tx, &s)
            .await?
            .into_iter()
            .filter(|m| *m != member.id)
            .map(|m| (m.get(), names.get(&m).cloned().unwrap_or_default()))
            .collect();
        colleagues.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(MemberSitting {
            sitting_id: s.id.get(),
            body,
            date: s.date,
            time: s.time,
            place: s.place.clone(),
            emergency_reason: convocation.and_then(|c| c.emergency_reason),
            items,
            reply,
            colleagues,
            open: self.today() <= s.date,
        })
    }

    /// The member's reply to the convocation; a new reply replaces the previous one.
    pub async fn reply_to_convocation(
        &self,
        actor: &Actor,
        sitting: i64,
        input: &ReplyInput,
    ) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let member = member_of(&mut tx, actor).await?;
        let s = convened_sitting(&mut tx, &member, sitting).await?;
        if self.today() > s.date {
            return Err(DomainError::rule(format!(
                "Réponse : la séance du {} est passée.",
                format_date_long(s.date)
            ))
            .into());
        }
        let reply = match ReplyKind::parse("reponse", &input.reply)? {
            ReplyKind::Present => Reply::Present,
            ReplyKind::Absent => Reply::Absent,
            ReplyKind::Proxy => {
                let holder = crate::input::non_blank(&input.holder).ok_or_else(|| {
                    DomainError::field(
                        "mandataire",
                        "Mandataire : choisissez le collègue à qui vous donnez pouvoir.",
                    )
                })?;
                Reply::Proxy(lookup::member(&mut tx, &holder).await?.id)
            }
        };
        let voting = voting_members(&mut tx, &s).await?;
        let replies = tx.attendance_replies(s.id).await?;
        let names = names(&mut tx).await?;
        let describe = |id: Id<Member>| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("élu n°{id}"))
        };
        check_reply(s.id, &voting, &replies, member.id, reply, describe)?;
        tx.put_attendance_reply(s.id, member.id, reply, &self.now().to_string())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The member's private note on an item's report (an empty text removes it).
    pub async fn annotate_report(
        &self,
        actor: &Actor,
        sitting: i64,
        position: u32,
        input: &AnnotationInput,
    ) -> Result<(), AppError> {
        acta_domain::free_text::check_free_text("texte", &input.text)?;
        let mut tx = self.write(actor).await?;
        let member = member_of(&mut tx, actor).await?;
        let s = convened_sitting(&mut tx, &member, sitting).await?;
        let item = item_at(&mut tx, &s, position).await?;
        tx.put_annotation(
            item.report,
            member.id,
            input.text.trim(),
            &self.now().to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The member declares an interest on an item: the vote will flag them.
    pub async fn declare_interest(
        &self,
        actor: &Actor,
        sitting: i64,
        position: u32,
        input: &InterestInput,
    ) -> Result<(), AppError> {
        let reason = check_interest_reason(&input.reason)?;
        acta_domain::free_text::check_free_text("motif", &reason)?;
        let mut tx = self.write(actor).await?;
        let member = member_of(&mut tx, actor).await?;
        let s = convened_sitting(&mut tx, &member, sitting).await?;
        let item = item_at(&mut tx, &s, position).await?;
        if tx.vote_of_item(item.id).await?.is_some() {
            return Err(
                DomainError::rule("Déclaration d'intérêt : le point est déjà voté.").into(),
            );
        }
        tx.insert_interest(item.report, member.id, &reason, &self.now().to_string())
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Déclaration d'intérêt : vous avez déjà déclaré un intérêt sur le point {position}."
            )))?;
        tx.commit().await?;
        Ok(())
    }

    /// The attendance and quorum the members' replies let one expect.
    pub async fn expected_attendance(
        &self,
        sitting: &SittingKey,
    ) -> Result<ExpectedAttendanceView, AppError> {
        let mut tx = self.read().await?;
        let rules = load_rules(&mut tx).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let body = tx
            .body(s.body)
            .await?
            .ok_or_else(|| AppError::not_found("Instance de la séance introuvable."))?;
        let voting = voting_members(&mut tx, &s).await?;
        let replies = tx.attendance_replies(s.id).await?;
        let names = names(&mut tx).await?;
        let describe = |id: Id<Member>| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("élu n°{id}"))
        };
        let e = expected_attendance(
            s.id,
            &voting,
            &replies,
            rules.quorum_counts_proxies(body.kind),
            describe,
        );
        let sorted = |set: &BTreeSet<Id<Member>>| {
            let mut v: Vec<String> = set.iter().map(|m| describe(*m)).collect();
            v.sort();
            v
        };
        Ok(ExpectedAttendanceView {
            sitting_id: s.id.get(),
            present: sorted(&e.presence.present),
            represented: e
                .presence
                .represented
                .iter()
                .map(|(giver, holder)| (describe(*giver), describe(*holder)))
                .collect(),
            proxies: replies
                .iter()
                .filter_map(|(giver, r)| match r {
                    Reply::Proxy(holder) => Some((describe(*giver), describe(*holder))),
                    _ => None,
                })
                .collect(),
            absent: sorted(&e.presence.absent.difference(&e.no_reply).copied().collect()),
            no_reply: sorted(&e.no_reply),
            quorum: e.quorum,
            notes: e.presence.notes,
        })
    }
}

async fn item_at(
    tx: &mut Tx,
    s: &Stored<Sitting>,
    position: u32,
) -> Result<Stored<acta_domain::sitting::AgendaItem>, AppError> {
    tx.agenda_item_at(s.id, position).await?.ok_or_else(|| {
        AppError::not_found(format!(
            "Ordre du jour : la séance du {} n'a pas de point n°{position}.",
            format_date_long(s.date)
        ))
    })
}
