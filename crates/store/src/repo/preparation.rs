//! Before the sitting: validation circuits, reports in preparation with their versions and
//! history, the convocation and its deliveries, members' replies, annotations and
//! declarations of interest, members' e-mail addresses and elected members' accounts.
//! Journaled.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::Id;
use acta_domain::circuit::{Circuit, Progress, ReportState, ReportText};
use acta_domain::convocation::Reply;
use acta_domain::identifiers::EmailAddress;
use acta_domain::people::Member;
use acta_domain::report::Report;
use acta_domain::sitting::{AgendaItem, Sitting};
use serde::Serialize;
use sqlx::any::AnyRow;

/// A report in preparation (projet de rapport).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDraft {
    pub id: i64,
    pub circuit: i64,
    pub direction: Option<i64>,
    /// The sitting it is meant for.
    pub sitting: Option<i64>,
    pub author: String,
    pub matter: Option<String>,
    pub text: ReportText,
    pub version: i64,
    pub progress: Progress,
    /// The sitting's report once on the agenda.
    pub report: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// One line of a report's history: who did what, when, on which step, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftEvent {
    pub at: String,
    pub by: String,
    /// "creation", "modification", "soumission", "validation", "renvoi", "inscription",
    /// "retrait", "invalidation".
    pub action: String,
    pub step: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftVersion {
    pub version: i64,
    pub text: ReportText,
    pub saved_by: String,
    pub saved_at: String,
}

/// A sitting's convocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Convocation {
    pub sitting: i64,
    pub sent_on: jiff::civil::Date,
    pub sent_at: String,
    pub sent_by: String,
    pub emergency_reason: Option<String>,
    pub letter_file: Option<i64>,
}

/// What became of the convocation sent to one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub sitting: i64,
    pub member: i64,
    pub email: Option<String>,
    /// SHA-256 of the member's personal link token (the token itself is only in the mail).
    pub token_hash: String,
    pub message_id: Option<String>,
    pub sent_at: Option<String>,
    /// "en_attente" (not yet handed to the server), "acceptee" (the SMTP server took it),
    /// "refusee" (it did not), "papier" (no address: a letter to print).
    pub status: String,
    pub server_reply: Option<String>,
    pub opened_at: Option<String>,
}

fn draft_from_row(r: &AnyRow) -> Result<ReportDraft, StoreError> {
    Ok(ReportDraft {
        id: get(r, "id")?,
        circuit: get(r, "circuit_id")?,
        direction: get(r, "direction_id")?,
        sitting: get(r, "sitting_id")?,
        author: get(r, "author")?,
        matter: get(r, "matter")?,
        text: json(r, "text_json")?,
        version: get(r, "version")?,
        progress: Progress {
            state: code(r, "state", ReportState::from_code)?,
            validated: json(r, "validated_json")?,
        },
        report: get(r, "report_id")?,
        created_at: get(r, "created_at")?,
        updated_at: get(r, "updated_at")?,
    })
}

fn delivery_from_row(r: &AnyRow) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: get(r, "id")?,
        sitting: get(r, "sitting_id")?,
        member: get(r, "member_id")?,
        email: get(r, "email")?,
        token_hash: get(r, "token_hash")?,
        message_id: get(r, "message_id")?,
        sent_at: get(r, "sent_at")?,
        status: get(r, "status")?,
        server_reply: get(r, "server_reply")?,
        opened_at: get(r, "opened_at")?,
    })
}

fn reply_code(reply: Reply) -> (&'static str, Option<i64>) {
    match reply {
        Reply::Present => ("present", None),
        Reply::Absent => ("absent", None),
        Reply::Proxy(holder) => ("pouvoir", Some(holder.get())),
    }
}

fn reply_from_row(r: &AnyRow) -> Result<Reply, StoreError> {
    let code: String = get(r, "reply")?;
    let holder: Option<i64> = get(r, "holder_id")?;
    match (code.as_str(), holder) {
        ("present", None) => Ok(Reply::Present),
        ("absent", None) => Ok(Reply::Absent),
        ("pouvoir", Some(h)) => Ok(Reply::Proxy(Id::new(h))),
        _ => Err(StoreError::corrupt("reply", format!("réponse « {code} »"))),
    }
}

impl Tx {
    // Members' addresses and accounts.

    pub async fn set_member_email(
        &mut self,
        member: Id<Member>,
        email: Option<&EmailAddress>,
    ) -> Result<(), StoreError> {
        let before = self.member_email(member).await?;
        let after = email.map(|e| e.as_str().to_string());
        sqlx::query("UPDATE member SET email = $1 WHERE id = $2")
            .bind(after.clone())
            .bind(member.get())
            .execute(self.conn())
            .await?;
        self.record(
            action::UPDATE,
            entity::MEMBER_EMAIL,
            &member.to_string(),
            before.as_ref(),
            after.as_ref(),
        )
        .await
    }

    pub async fn member_email(&mut self, member: Id<Member>) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT email FROM member WHERE id = $1")
            .bind(member.get())
            .fetch_optional(self.conn())
            .await?;
        Ok(row
            .map(|r| get::<Option<String>>(&r, "email"))
            .transpose()?
            .flatten())
    }

    /// Links an elected member's account to the member it speaks for.
    pub async fn set_account_member(
        &mut self,
        account: i64,
        member: Option<Id<Member>>,
    ) -> Result<(), StoreError> {
        let before = self.account_member(account).await?;
        sqlx::query("UPDATE account SET member_id = $1 WHERE id = $2")
            .bind(member.map(Id::get))
            .bind(account)
            .execute(self.conn())
            .await?;
        self.record(
            action::UPDATE,
            entity::ACCOUNT_MEMBER,
            &account.to_string(),
            before.as_ref(),
            member.map(Id::get).as_ref(),
        )
        .await
    }

    pub async fn account_member(&mut self, account: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT member_id FROM account WHERE id = $1")
            .bind(account)
            .fetch_optional(self.conn())
            .await?;
        Ok(row
            .map(|r| get::<Option<i64>>(&r, "member_id"))
            .transpose()?
            .flatten())
    }

    // Circuits.

    pub async fn insert_circuit(&mut self, c: &Circuit) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query("INSERT INTO circuit (name, steps_json) VALUES ($1, $2) RETURNING id")
                    .bind(c.name.clone())
                    .bind(to_json(&c.steps)?),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::CIRCUIT,
            &id.to_string(),
            None,
            Some(c),
        )
        .await?;
        Ok(id)
    }

    pub async fn circuits(&mut self) -> Result<Vec<(i64, Circuit)>, StoreError> {
        let rows = sqlx::query("SELECT * FROM circuit ORDER BY name")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    get(r, "id")?,
                    Circuit {
                        name: get(r, "name")?,
                        steps: json(r, "steps_json")?,
                    },
                ))
            })
            .collect()
    }

    // Reports in preparation.

    pub async fn insert_report_draft(&mut self, d: &ReportDraft) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO report_draft (circuit_id, direction_id, sitting_id, author, matter, text_json, version, state, \
                     validated_json, report_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(d.circuit)
                .bind(d.direction)
                .bind(d.sitting)
                .bind(d.author.clone())
                .bind(d.matter.clone())
                .bind(to_json(&d.text)?)
                .bind(d.version)
                .bind(d.progress.state.code())
                .bind(to_json(&d.progress.validated)?)
                .bind(d.report)
                .bind(d.created_at.clone())
                .bind(d.updated_at.clone()),
            )
            .await?;
        let stored = ReportDraft { id, ..d.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::REPORT_DRAFT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Replaces what changes in a report in preparation: its target sitting, matter, text,
    /// version, state, validations and report.
    pub async fn update_report_draft(&mut self, d: &ReportDraft) -> Result<(), StoreError> {
        let before = self.report_draft(d.id).await?;
        sqlx::query(
            "UPDATE report_draft SET sitting_id = $1, matter = $2, text_json = $3, version = $4, state = $5, \
             validated_json = $6, report_id = $7, updated_at = $8, direction_id = $9 WHERE id = $10",
        )
        .bind(d.sitting)
        .bind(d.matter.clone())
        .bind(to_json(&d.text)?)
        .bind(d.version)
        .bind(d.progress.state.code())
        .bind(to_json(&d.progress.validated)?)
        .bind(d.report)
        .bind(d.updated_at.clone())
        .bind(d.direction)
        .bind(d.id)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::REPORT_DRAFT,
            &d.id.to_string(),
            before.as_ref(),
            Some(d),
        )
        .await
    }

    pub async fn report_draft(&mut self, id: i64) -> Result<Option<ReportDraft>, StoreError> {
        let row = sqlx::query("SELECT * FROM report_draft WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    pub async fn report_draft_of_report(
        &mut self,
        report: Id<Report>,
    ) -> Result<Option<ReportDraft>, StoreError> {
        let row = sqlx::query("SELECT * FROM report_draft WHERE report_id = $1")
            .bind(report.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    pub async fn report_drafts(&mut self) -> Result<Vec<ReportDraft>, StoreError> {
        let rows = sqlx::query("SELECT * FROM report_draft ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(draft_from_row).collect()
    }

    pub async fn insert_draft_version(
        &mut self,
        draft: i64,
        v: &DraftVersion,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO report_draft_version (draft_id, version, text_json, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(draft)
        .bind(v.version)
        .bind(to_json(&v.text)?)
        .bind(v.saved_by.clone())
        .bind(v.saved_at.clone())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::REPORT_DRAFT_VERSION,
            &format!("{draft}/{}", v.version),
            None,
            Some(v),
        )
        .await
    }

    pub async fn draft_versions(&mut self, draft: i64) -> Result<Vec<DraftVersion>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM report_draft_version WHERE draft_id = $1 ORDER BY version")
                .bind(draft)
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(DraftVersion {
                    version: get(r, "version")?,
                    text: json(r, "text_json")?,
                    saved_by: get(r, "saved_by")?,
                    saved_at: get(r, "saved_at")?,
                })
            })
            .collect()
    }

    pub async fn insert_draft_event(
        &mut self,
        draft: i64,
        e: &DraftEvent,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO report_draft_event (draft_id, at, by_login, action, step, reason) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(draft)
        .bind(e.at.clone())
        .bind(e.by.clone())
        .bind(e.action.clone())
        .bind(e.step.clone())
        .bind(e.reason.clone())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::REPORT_DRAFT_EVENT,
            &draft.to_string(),
            None,
            Some(e),
        )
        .await
    }

    pub async fn draft_events(&mut self, draft: i64) -> Result<Vec<DraftEvent>, StoreError> {
        let rows = sqlx::query("SELECT * FROM report_draft_event WHERE draft_id = $1 ORDER BY id")
            .bind(draft)
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DraftEvent {
                    at: get(r, "at")?,
                    by: get(r, "by_login")?,
                    action: get(r, "action")?,
                    step: get(r, "step")?,
                    reason: get(r, "reason")?,
                })
            })
            .collect()
    }

    // The agenda's late additions.

    pub async fn insert_agenda_emergency(
        &mut self,
        item: Id<AgendaItem>,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO agenda_emergency (item_id, reason) VALUES ($1, $2)")
            .bind(item.get())
            .bind(reason.to_string())
            .execute(self.conn())
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::AGENDA_EMERGENCY,
            &item.to_string(),
            None,
            Some(reason),
        )
        .await
    }

    pub async fn agenda_emergency(
        &mut self,
        item: Id<AgendaItem>,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT reason FROM agenda_emergency WHERE item_id = $1")
            .bind(item.get())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| get(&r, "reason")).transpose()
    }

    /// Records that an item goes to a later sitting.
    pub async fn insert_postponement(
        &mut self,
        item: Id<AgendaItem>,
        to: Id<Sitting>,
        reason: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO agenda_postponement (item_id, to_sitting_id, reason, postponed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(item.get())
        .bind(to.get())
        .bind(reason.to_string())
        .bind(at.to_string())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::AGENDA_POSTPONEMENT,
            &item.to_string(),
            None,
            Some(&(to.get(), reason)),
        )
        .await
    }

    /// The sitting an item was postponed to, and why.
    pub async fn postponement(
        &mut self,
        item: Id<AgendaItem>,
    ) -> Result<Option<(Id<Sitting>, String)>, StoreError> {
        let row =
            sqlx::query("SELECT to_sitting_id, reason FROM agenda_postponement WHERE item_id = $1")
                .bind(item.get())
                .fetch_optional(self.conn())
                .await?;
        row.map(|r| Ok((id(&r, "to_sitting_id")?, get(&r, "reason")?)))
            .transpose()
    }

    // The convocation.

    pub async fn insert_convocation(&mut self, c: &Convocation) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO convocation (sitting_id, sent_on, sent_at, sent_by, emergency_reason, letter_file) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(c.sitting)
        .bind(c.sent_on.to_string())
        .bind(c.sent_at.clone())
        .bind(c.sent_by.clone())
        .bind(c.emergency_reason.clone())
        .bind(c.letter_file)
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::CONVOCATION,
            &c.sitting.to_string(),
            None,
            Some(c),
        )
        .await
    }

    pub async fn convocation(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Option<Convocation>, StoreError> {
        let row = sqlx::query("SELECT * FROM convocation WHERE sitting_id = $1")
            .bind(sitting.get())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(Convocation {
                sitting: get(&r, "sitting_id")?,
                sent_on: date(&r, "sent_on")?,
                sent_at: get(&r, "sent_at")?,
                sent_by: get(&r, "sent_by")?,
                emergency_reason: get(&r, "emergency_reason")?,
                letter_file: get(&r, "letter_file")?,
            })
        })
        .transpose()
    }

    pub async fn insert_delivery(&mut self, d: &Delivery) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO convocation_delivery (sitting_id, member_id, email, token_hash, message_id, sent_at, status, server_reply, opened_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(d.sitting)
                .bind(d.member)
                .bind(d.email.clone())
                .bind(d.token_hash.clone())
                .bind(d.message_id.clone())
                .bind(d.sent_at.clone())
                .bind(d.status.clone())
                .bind(d.server_reply.clone())
                .bind(d.opened_at.clone()),
            )
            .await?;
        let stored = Delivery { id, ..d.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::CONVOCATION_DELIVERY,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Records what the SMTP server answered for one message, and when.
    pub async fn update_delivery(&mut self, d: &Delivery) -> Result<(), StoreError> {
        let before = self.delivery_by_token(&d.token_hash).await?;
        sqlx::query(
            "UPDATE convocation_delivery SET message_id = $1, sent_at = $2, status = $3, server_reply = $4, opened_at = $5 WHERE id = $6",
        )
        .bind(d.message_id.clone())
        .bind(d.sent_at.clone())
        .bind(d.status.clone())
        .bind(d.server_reply.clone())
        .bind(d.opened_at.clone())
        .bind(d.id)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::CONVOCATION_DELIVERY,
            &d.id.to_string(),
            before.as_ref(),
            Some(d),
        )
        .await
    }

    /// A new personal link (and the address it goes to) for a message sent again.
    pub async fn replace_delivery_token(
        &mut self,
        id: i64,
        token_hash: &str,
        email: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE convocation_delivery SET token_hash = $1, email = $2 WHERE id = $3")
            .bind(token_hash.to_string())
            .bind(email.to_string())
            .bind(id)
            .execute(self.conn())
            .await?;
        self.record::<(), _>(
            action::UPDATE,
            entity::CONVOCATION_DELIVERY,
            &id.to_string(),
            None,
            Some(&email),
        )
        .await
    }

    pub async fn deliveries(&mut self, sitting: Id<Sitting>) -> Result<Vec<Delivery>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM convocation_delivery WHERE sitting_id = $1 ORDER BY id")
                .bind(sitting.get())
                .fetch_all(self.conn())
                .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// The convocation sent to one member for a sitting, if any.
    pub async fn delivery_of(
        &mut self,
        sitting: Id<Sitting>,
        member: Id<Member>,
    ) -> Result<Option<Delivery>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM convocation_delivery WHERE sitting_id = $1 AND member_id = $2",
        )
        .bind(sitting.get())
        .bind(member.get())
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(delivery_from_row).transpose()
    }

    pub async fn delivery_by_token(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<Delivery>, StoreError> {
        let row = sqlx::query("SELECT * FROM convocation_delivery WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(delivery_from_row).transpose()
    }

    // Members' replies, annotations and interests.

    pub async fn put_attendance_reply(
        &mut self,
        sitting: Id<Sitting>,
        member: Id<Member>,
        reply: Reply,
        at: &str,
    ) -> Result<(), StoreError> {
        let key = format!("{sitting}/{member}");
        let before: Option<Reply> = self
            .attendance_replies(sitting)
            .await?
            .into_iter()
            .find(|(m, _)| *m == member)
            .map(|(_, r)| r);
        sqlx::query("DELETE FROM attendance_reply WHERE sitting_id = $1 AND member_id = $2")
            .bind(sitting.get())
            .bind(member.get())
            .execute(self.conn())
            .await?;
        let (code, holder) = reply_code(reply);
        sqlx::query(
            "INSERT INTO attendance_reply (sitting_id, member_id, reply, holder_id, replied_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sitting.get())
        .bind(member.get())
        .bind(code)
        .bind(holder)
        .bind(at.to_string())
        .execute(self.conn())
        .await?;
        self.record(
            if before.is_some() {
                action::UPDATE
            } else {
                action::CREATE
            },
            entity::ATTENDANCE_REPLY,
            &key,
            before.as_ref(),
            Some(&reply),
        )
        .await
    }

    pub async fn attendance_replies(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Vec<(Id<Member>, Reply)>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM attendance_reply WHERE sitting_id = $1 ORDER BY replied_at, member_id",
        )
        .bind(sitting.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((id(r, "member_id")?, reply_from_row(r)?)))
            .collect()
    }

    /// Sets a member's private annotation on a report (an empty text removes it).
    pub async fn put_annotation(
        &mut self,
        report: Id<Report>,
        member: Id<Member>,
        text: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        let before = self.annotation(report, member).await?;
        sqlx::query("DELETE FROM report_annotation WHERE report_id = $1 AND member_id = $2")
            .bind(report.get())
            .bind(member.get())
            .execute(self.conn())
            .await?;
        if !text.is_empty() {
            sqlx::query(
                "INSERT INTO report_annotation (report_id, member_id, text, updated_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(report.get())
            .bind(member.get())
            .bind(text.to_string())
            .bind(at.to_string())
            .execute(self.conn())
            .await?;
        }
        // The journal proves when a note changed, never what it says: it is the member's.
        self.record::<(), ()>(
            match (before.is_some(), text.is_empty()) {
                (false, _) => action::CREATE,
                (true, true) => action::DELETE,
                (true, false) => action::UPDATE,
            },
            entity::ANNOTATION,
            &format!("{report}/{member}"),
            None,
            None,
        )
        .await
    }

    pub async fn annotation(
        &mut self,
        report: Id<Report>,
        member: Id<Member>,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT text FROM report_annotation WHERE report_id = $1 AND member_id = $2",
        )
        .bind(report.get())
        .bind(member.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| get(&r, "text")).transpose()
    }

    pub async fn insert_interest(
        &mut self,
        report: Id<Report>,
        member: Id<Member>,
        reason: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO interest_declaration (report_id, member_id, reason, declared_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(report.get())
        .bind(member.get())
        .bind(reason.to_string())
        .bind(at.to_string())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::INTEREST,
            &format!("{report}/{member}"),
            None,
            Some(reason),
        )
        .await
    }

    /// The interests declared on a report: member and reason.
    pub async fn interests(
        &mut self,
        report: Id<Report>,
    ) -> Result<Vec<(Id<Member>, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT member_id, reason FROM interest_declaration WHERE report_id = $1 ORDER BY member_id",
        )
        .bind(report.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((id(r, "member_id")?, get(r, "reason")?)))
            .collect()
    }
}
