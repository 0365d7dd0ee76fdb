//! The beneficiary's side of a grant: organisations' accounts and their confirmation,
//! dispositifs, applications with their pieces, requests and history, and the documents a
//! beneficiary sends after the vote. Journaled.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::account::StaffAccount;
use acta_domain::application::{
    Application, ApplicationState, Dispositif, Instruction, SubmissionState,
};
use acta_domain::beneficiary::MergePlan;
use acta_domain::identifiers::EmailAddress;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDispositif {
    pub id: i64,
    pub dispositif: Dispositif,
    pub created_at: String,
}

/// An application for a grant, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantApplication {
    pub id: i64,
    pub dispositif: i64,
    pub beneficiary: i64,
    pub application: Application,
    pub receipt_number: Option<String>,
    pub submitted_at: Option<String>,
    pub receipt_file: Option<i64>,
    pub instruction: Option<Instruction>,
    pub award: Option<i64>,
    /// Why it was refused, or granted in part.
    pub decision_reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationPiece {
    pub id: i64,
    pub application: i64,
    /// The piece's code (`PieceKind::code`).
    pub piece: String,
    pub file: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PieceRequest {
    pub id: i64,
    pub application: i64,
    pub piece: String,
    pub message: String,
    pub due_on: Date,
    pub requested_by: String,
    pub requested_at: String,
    pub answered_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationEvent {
    pub at: String,
    pub by: String,
    pub action: String,
    pub detail: Option<String>,
}

/// A document sent by a beneficiary after the vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantSubmission {
    pub id: i64,
    pub award: i64,
    /// "convention" (countersigned) or "piece" (for a tranche).
    pub purpose: String,
    pub tranche: Option<u32>,
    pub description: String,
    pub file: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub state: SubmissionState,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub reason: Option<String>,
}

/// A person of an organisation, as its colleagues see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationPerson {
    pub account: i64,
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    pub active: bool,
}

fn application_from_row(r: &AnyRow) -> Result<GrantApplication, StoreError> {
    let mut application: Application = json(r, "data_json")?;
    application.state = code(r, "state", ApplicationState::parse)?;
    Ok(GrantApplication {
        id: get(r, "id")?,
        dispositif: get(r, "dispositif_id")?,
        beneficiary: get(r, "beneficiary_id")?,
        application,
        receipt_number: get(r, "receipt_number")?,
        submitted_at: get(r, "submitted_at")?,
        receipt_file: get(r, "receipt_file")?,
        instruction: opt_json(r, "instruction_json")?,
        award: get(r, "award_id")?,
        decision_reason: get(r, "decision_reason")?,
        created_by: get(r, "created_by")?,
        created_at: get(r, "created_at")?,
    })
}

fn submission_from_row(r: &AnyRow) -> Result<GrantSubmission, StoreError> {
    Ok(GrantSubmission {
        id: get(r, "id")?,
        award: get(r, "award_id")?,
        purpose: get(r, "purpose")?,
        tranche: opt_u32(r, "tranche")?,
        description: get(r, "description")?,
        file: get(r, "file_id")?,
        uploaded_by: get(r, "uploaded_by")?,
        uploaded_at: get(r, "uploaded_at")?,
        state: code(r, "state", SubmissionState::parse)?,
        reviewed_by: get(r, "reviewed_by")?,
        reviewed_at: get(r, "reviewed_at")?,
        reason: get(r, "reason")?,
    })
}

fn request_from_row(r: &AnyRow) -> Result<PieceRequest, StoreError> {
    Ok(PieceRequest {
        id: get(r, "id")?,
        application: get(r, "application_id")?,
        piece: get(r, "piece")?,
        message: get(r, "message")?,
        due_on: date(r, "due_on")?,
        requested_by: get(r, "requested_by")?,
        requested_at: get(r, "requested_at")?,
        answered_at: get(r, "answered_at")?,
    })
}

impl Tx {
    // Organisations' accounts.

    /// Opens an account for a person of a beneficiary; inactive until the address is
    /// confirmed.
    pub async fn insert_beneficiary_account(
        &mut self,
        a: &StaffAccount,
        password_hash: &str,
        beneficiary: i64,
        email: &EmailAddress,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO account (login, name, role, active, password_hash, beneficiary_id, email) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(a.login.as_str().to_string())
                .bind(a.name.clone())
                .bind(a.role.code())
                .bind(i64::from(a.active))
                .bind(password_hash.to_string())
                .bind(beneficiary)
                .bind(email.as_str().to_string()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::ACCOUNT,
            &id.to_string(),
            None,
            Some(&serde_json::json!({
                "compte": a,
                "beneficiaire": beneficiary,
                "courriel": email.as_str(),
            })),
        )
        .await?;
        Ok(id)
    }

    /// The beneficiary an account speaks for, and its address.
    pub async fn account_beneficiary(
        &mut self,
        account: i64,
    ) -> Result<Option<(i64, Option<String>)>, StoreError> {
        let row = sqlx::query("SELECT beneficiary_id, email FROM account WHERE id = $1")
            .bind(account)
            .fetch_optional(self.conn())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let beneficiary: Option<i64> = get(&row, "beneficiary_id")?;
        Ok(beneficiary.map(|b| (b, get::<Option<String>>(&row, "email").ok().flatten())))
    }

    /// The direction a staff account instructs for.
    pub async fn set_account_service(
        &mut self,
        account: i64,
        service: Option<i64>,
    ) -> Result<(), StoreError> {
        let before = self.account_service(account).await?;
        sqlx::query("UPDATE account SET service_id = $1 WHERE id = $2")
            .bind(service)
            .bind(account)
            .execute(self.conn())
            .await?;
        self.record(
            action::UPDATE,
            entity::ACCOUNT_SERVICE,
            &account.to_string(),
            before.as_ref(),
            service.as_ref(),
        )
        .await
    }

    pub async fn account_service(&mut self, account: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT service_id FROM account WHERE id = $1")
            .bind(account)
            .fetch_optional(self.conn())
            .await?;
        Ok(row
            .map(|r| get::<Option<i64>>(&r, "service_id"))
            .transpose()?
            .flatten())
    }

    pub async fn people_of_beneficiary(
        &mut self,
        beneficiary: i64,
    ) -> Result<Vec<OrganisationPerson>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, login, name, email, active FROM account WHERE beneficiary_id = $1 ORDER BY id",
        )
        .bind(beneficiary)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OrganisationPerson {
                    account: get(r, "id")?,
                    login: get(r, "login")?,
                    name: get(r, "name")?,
                    email: get(r, "email")?,
                    active: flag(r, "active")?,
                })
            })
            .collect()
    }

    pub async fn insert_confirmation(
        &mut self,
        account: i64,
        token_hash: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO account_confirmation (account_id, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(account)
        .bind(token_hash.to_string())
        .bind(at.to_string())
        .execute(self.conn())
        .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::ACCOUNT_CONFIRMATION,
            &account.to_string(),
            None,
            Some(&serde_json::json!({ "cree_le": at })),
        )
        .await
    }

    /// The account a confirmation token opens, and when it was confirmed if it was.
    pub async fn confirmation_by_token(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<(i64, Option<String>)>, StoreError> {
        let row = sqlx::query(
            "SELECT account_id, confirmed_at FROM account_confirmation WHERE token_hash = $1",
        )
        .bind(token_hash.to_string())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok((get(&r, "account_id")?, get(&r, "confirmed_at")?)))
            .transpose()
    }

    pub async fn mark_confirmed(&mut self, account: i64, at: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE account_confirmation SET confirmed_at = $1 WHERE account_id = $2")
            .bind(at.to_string())
            .bind(account)
            .execute(self.conn())
            .await?;
        self.record::<(), _>(
            action::UPDATE,
            entity::ACCOUNT_CONFIRMATION,
            &account.to_string(),
            None,
            Some(&serde_json::json!({ "confirme_le": at })),
        )
        .await
    }

    /// Merges a duplicate beneficiary into the one kept as the plan says (what both
    /// have, decided by `beneficiary::merge_plan`), moves the rest of what is the
    /// duplicate's (awards, conventions, accounts of its people, applications) and marks
    /// it merged.
    pub async fn merge_beneficiary(
        &mut self,
        from: i64,
        into: i64,
        plan: &MergePlan,
    ) -> Result<(), StoreError> {
        for (duplicate, kept) in &plan.accounts_replaced {
            for sql in [
                "UPDATE convention SET bank_account_id = $1 WHERE bank_account_id = $2",
                "UPDATE payment SET bank_account_id = $1 WHERE bank_account_id = $2",
            ] {
                sqlx::query(sql)
                    .bind(kept.get())
                    .bind(duplicate.get())
                    .execute(self.conn())
                    .await?;
            }
        }
        for account in &plan.accounts_moved {
            sqlx::query("UPDATE bank_account SET beneficiary_id = $1 WHERE id = $2")
                .bind(into)
                .bind(account.get())
                .execute(self.conn())
                .await?;
        }
        for seat in &plan.seats_moved {
            sqlx::query("UPDATE beneficiary_seat SET beneficiary_id = $1 WHERE id = $2")
                .bind(into)
                .bind(seat.get())
                .execute(self.conn())
                .await?;
        }
        for sql in [
            "UPDATE award SET beneficiary_id = $1 WHERE beneficiary_id = $2",
            "UPDATE convention SET beneficiary_id = $1 WHERE beneficiary_id = $2",
            "UPDATE account SET beneficiary_id = $1 WHERE beneficiary_id = $2",
            "UPDATE grant_application SET beneficiary_id = $1 WHERE beneficiary_id = $2",
            "UPDATE beneficiary SET merged_into = $1 WHERE id = $2",
        ] {
            sqlx::query(sql)
                .bind(into)
                .bind(from)
                .execute(self.conn())
                .await?;
        }
        self.record::<(), _>(
            action::UPDATE,
            entity::BENEFICIARY,
            &from.to_string(),
            None,
            Some(&serde_json::json!({ "fusionne_dans": into, "reprise": plan })),
        )
        .await
    }

    pub async fn merged_into(&mut self, beneficiary: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT merged_into FROM beneficiary WHERE id = $1")
            .bind(beneficiary)
            .fetch_optional(self.conn())
            .await?;
        Ok(row
            .map(|r| get::<Option<i64>>(&r, "merged_into"))
            .transpose()?
            .flatten())
    }

    // Dispositifs.

    pub async fn insert_dispositif(&mut self, d: &Dispositif, at: &str) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO dispositif (name, data_json, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(d.name.clone())
                .bind(to_json(d)?)
                .bind(at.to_string()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::DISPOSITIF,
            &id.to_string(),
            None,
            Some(d),
        )
        .await?;
        Ok(id)
    }

    pub async fn dispositif(&mut self, id: i64) -> Result<Option<StoredDispositif>, StoreError> {
        let row = sqlx::query("SELECT * FROM dispositif WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(StoredDispositif {
                id: get(&r, "id")?,
                dispositif: json(&r, "data_json")?,
                created_at: get(&r, "created_at")?,
            })
        })
        .transpose()
    }

    pub async fn dispositifs(&mut self) -> Result<Vec<StoredDispositif>, StoreError> {
        let rows = sqlx::query("SELECT * FROM dispositif ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredDispositif {
                    id: get(r, "id")?,
                    dispositif: json(r, "data_json")?,
                    created_at: get(r, "created_at")?,
                })
            })
            .collect()
    }

    // Applications.

    pub async fn insert_application(&mut self, a: &GrantApplication) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO grant_application (dispositif_id, beneficiary_id, data_json, state, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(a.dispositif)
                .bind(a.beneficiary)
                .bind(to_json(&a.application)?)
                .bind(a.application.state.code())
                .bind(a.created_by.clone())
                .bind(a.created_at.clone()),
            )
            .await?;
        let stored = GrantApplication { id, ..a.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::APPLICATION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    /// Replaces what changes in an application: its content and state, its
    /// acknowledgement, instruction, award and decision.
    pub async fn update_application(&mut self, a: &GrantApplication) -> Result<(), StoreError> {
        let before = self.application(a.id).await?;
        sqlx::query(
            "UPDATE grant_application SET data_json = $1, state = $2, receipt_number = $3, submitted_at = $4, \
             receipt_file = $5, instruction_json = $6, award_id = $7, decision_reason = $8 WHERE id = $9",
        )
        .bind(to_json(&a.application)?)
        .bind(a.application.state.code())
        .bind(a.receipt_number.clone())
        .bind(a.submitted_at.clone())
        .bind(a.receipt_file)
        .bind(a.instruction.as_ref().map(to_json).transpose()?)
        .bind(a.award)
        .bind(a.decision_reason.clone())
        .bind(a.id)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::APPLICATION,
            &a.id.to_string(),
            before.as_ref(),
            Some(a),
        )
        .await
    }

    pub async fn application(&mut self, id: i64) -> Result<Option<GrantApplication>, StoreError> {
        let row = sqlx::query("SELECT * FROM grant_application WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(application_from_row).transpose()
    }

    pub async fn application_of_award(
        &mut self,
        award: i64,
    ) -> Result<Option<GrantApplication>, StoreError> {
        let row = sqlx::query("SELECT * FROM grant_application WHERE award_id = $1")
            .bind(award)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(application_from_row).transpose()
    }

    pub async fn applications_of_beneficiary(
        &mut self,
        beneficiary: i64,
    ) -> Result<Vec<GrantApplication>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM grant_application WHERE beneficiary_id = $1 ORDER BY id")
                .bind(beneficiary)
                .fetch_all(self.conn())
                .await?;
        rows.iter().map(application_from_row).collect()
    }

    /// Every application but the drafts, the instructing directions' list.
    pub async fn submitted_applications(&mut self) -> Result<Vec<GrantApplication>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM grant_application WHERE state <> 'brouillon' ORDER BY submitted_at, id",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(application_from_row).collect()
    }

    /// How many applications got an acknowledgement in a year ("2024-…").
    pub async fn receipts_in_year(&mut self, year: i16) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM grant_application WHERE receipt_number LIKE $1")
                .bind(format!("{year}-%"))
                .fetch_one(self.conn())
                .await?;
        get(&row, "n")
    }

    pub async fn insert_application_piece(
        &mut self,
        p: &ApplicationPiece,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO application_piece (application_id, piece, file_id, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(p.application)
                .bind(p.piece.clone())
                .bind(p.file)
                .bind(p.uploaded_by.clone())
                .bind(p.uploaded_at.clone()),
            )
            .await?;
        let stored = ApplicationPiece { id, ..p.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::APPLICATION_PIECE,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    pub async fn application_pieces(
        &mut self,
        application: i64,
    ) -> Result<Vec<ApplicationPiece>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM application_piece WHERE application_id = $1 ORDER BY id")
                .bind(application)
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(ApplicationPiece {
                    id: get(r, "id")?,
                    application: get(r, "application_id")?,
                    piece: get(r, "piece")?,
                    file: get(r, "file_id")?,
                    uploaded_by: get(r, "uploaded_by")?,
                    uploaded_at: get(r, "uploaded_at")?,
                })
            })
            .collect()
    }

    pub async fn insert_piece_request(&mut self, p: &PieceRequest) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO piece_request (application_id, piece, message, due_on, requested_by, requested_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(p.application)
                .bind(p.piece.clone())
                .bind(p.message.clone())
                .bind(p.due_on.to_string())
                .bind(p.requested_by.clone())
                .bind(p.requested_at.clone()),
            )
            .await?;
        let stored = PieceRequest { id, ..p.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::PIECE_REQUEST,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    pub async fn piece_requests(
        &mut self,
        application: i64,
    ) -> Result<Vec<PieceRequest>, StoreError> {
        let rows = sqlx::query("SELECT * FROM piece_request WHERE application_id = $1 ORDER BY id")
            .bind(application)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(request_from_row).collect()
    }

    pub async fn answer_piece_request(&mut self, id: i64, at: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE piece_request SET answered_at = $1 WHERE id = $2")
            .bind(at.to_string())
            .bind(id)
            .execute(self.conn())
            .await?;
        self.record::<(), _>(
            action::UPDATE,
            entity::PIECE_REQUEST,
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "recue_le": at })),
        )
        .await
    }

    pub async fn insert_application_event(
        &mut self,
        application: i64,
        e: &ApplicationEvent,
    ) -> Result<(), StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO application_event (application_id, at, by_login, action, detail) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(application)
                .bind(e.at.clone())
                .bind(e.by.clone())
                .bind(e.action.clone())
                .bind(e.detail.clone()),
            )
            .await?;
        self.record::<(), _>(
            action::CREATE,
            entity::APPLICATION_EVENT,
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "demande": application, "etape": e })),
        )
        .await
    }

    pub async fn application_events(
        &mut self,
        application: i64,
    ) -> Result<Vec<ApplicationEvent>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM application_event WHERE application_id = $1 ORDER BY id")
                .bind(application)
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(ApplicationEvent {
                    at: get(r, "at")?,
                    by: get(r, "by_login")?,
                    action: get(r, "action")?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }

    // Documents sent after the vote.

    pub async fn insert_grant_submission(
        &mut self,
        s: &GrantSubmission,
    ) -> Result<i64, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO grant_submission (award_id, purpose, tranche, description, file_id, uploaded_by, uploaded_at, state) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(s.award)
                .bind(s.purpose.clone())
                .bind(s.tranche.map(i64::from))
                .bind(s.description.clone())
                .bind(s.file)
                .bind(s.uploaded_by.clone())
                .bind(s.uploaded_at.clone())
                .bind(s.state.code()),
            )
            .await?;
        let stored = GrantSubmission { id, ..s.clone() };
        self.record::<(), _>(
            action::CREATE,
            entity::GRANT_SUBMISSION,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(id)
    }

    pub async fn update_grant_submission(&mut self, s: &GrantSubmission) -> Result<(), StoreError> {
        let before = self.grant_submission(s.id).await?;
        sqlx::query(
            "UPDATE grant_submission SET state = $1, reviewed_by = $2, reviewed_at = $3, reason = $4 WHERE id = $5",
        )
        .bind(s.state.code())
        .bind(s.reviewed_by.clone())
        .bind(s.reviewed_at.clone())
        .bind(s.reason.clone())
        .bind(s.id)
        .execute(self.conn())
        .await?;
        self.record(
            action::UPDATE,
            entity::GRANT_SUBMISSION,
            &s.id.to_string(),
            before.as_ref(),
            Some(s),
        )
        .await
    }

    pub async fn grant_submission(
        &mut self,
        id: i64,
    ) -> Result<Option<GrantSubmission>, StoreError> {
        let row = sqlx::query("SELECT * FROM grant_submission WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(submission_from_row).transpose()
    }

    pub async fn grant_submissions(
        &mut self,
        award: i64,
    ) -> Result<Vec<GrantSubmission>, StoreError> {
        let rows = sqlx::query("SELECT * FROM grant_submission WHERE award_id = $1 ORDER BY id")
            .bind(award)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(submission_from_row).collect()
    }

    /// Documents waiting for staff, every grant.
    pub async fn pending_grant_submissions(&mut self) -> Result<Vec<GrantSubmission>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM grant_submission WHERE state = 'en_attente' ORDER BY uploaded_at, id",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(submission_from_row).collect()
    }
}
