//! Applications for grants, from the organisation's registration to the award proposal:
//! organisations register (their first person's address confirmed by a link), apply to a
//! dispositif with their budget forecast and pieces, get a dated acknowledgement; the
//! instructing direction asks for missing pieces, gives its opinion and proposes the award
//! to a sitting. A person of an organisation reaches its own files only: every read and
//! write here starts from the organisation of the acting account.

use crate::accounts::{hash_password, random_token, token_hash};
use crate::documents::{LetterParts, beneficiary_letter};
use crate::input::applications::budget_lines_for_editing;
use crate::input::{
    ApplicationInput, AwardInput, DispositifInput, HolderInput, InstructionInput, MergeInput,
    PieceRequestInput, ProposalInput, RegistrationInput,
};
use crate::{Acta, Actor, AppError};
use acta_docs::{Document, Format, Renderer};
use acta_domain::account::{Login, StaffAccount, StaffRole, check_password};
use acta_domain::application::{
    Application, ApplicationState, BUDGET_LINES, Dispositif, PieceKind, Side, check_instruction,
    check_piece_request, check_submission, check_upload, receipt_number,
};
use acta_domain::beneficiary::Beneficiary;
use acta_domain::error::Errors;
use acta_domain::french::{format_date_long, normalize_spaces};
use acta_domain::grant::AwardStatus;
use acta_domain::identifiers::EmailAddress;
use acta_domain::keys::{AwardKey, SittingKey};
use acta_domain::throttle::{ThrottlePolicy, registration_refusal};
use acta_domain::{DomainError, Id, Stored};
use acta_store::{
    ApplicationEvent, ApplicationPiece, FileMeta, GrantApplication, OrganisationPerson,
    PieceRequest, StoredDispositif, Tx,
};
use serde::Serialize;

/// What a person of an organisation is told after registering.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    pub beneficiary_id: i64,
    pub login: String,
    pub email: String,
    /// What the mail server said of the confirmation message.
    pub mail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DispositifView {
    pub id: i64,
    pub name: String,
    pub eligibility: String,
    pub opens_on: String,
    pub closes_on: String,
    pub open: bool,
    /// (code, label) of each piece required.
    pub pieces: Vec<(String, String)>,
    pub cap: Option<String>,
    pub max_size: String,
    pub types: Vec<String>,
    pub direction: Option<String>,
}

fn dispositif_view(d: &StoredDispositif, today: jiff::civil::Date) -> DispositifView {
    let x = &d.dispositif;
    DispositifView {
        id: d.id,
        name: x.name.clone(),
        eligibility: x.eligibility.clone(),
        opens_on: format_date_long(x.opens_on),
        closes_on: format_date_long(x.closes_on),
        open: x.is_open(today),
        pieces: x.pieces.iter().map(|p| (p.code(), p.label())).collect(),
        cap: x.cap.map(|c| c.format_euros_fr()),
        max_size: format!("{} Mo", x.uploads.max_bytes / (1024 * 1024)),
        types: x
            .uploads
            .allowed
            .iter()
            .map(|t| t.extensions()[0].to_uppercase())
            .collect(),
        direction: x.direction.clone(),
    }
}

/// An application in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationSummary {
    pub id: i64,
    pub organisation: String,
    pub dispositif: String,
    pub purpose: String,
    pub requested: String,
    pub state: String,
    pub state_label: String,
    pub receipt_number: Option<String>,
    pub award_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub stored_at: String,
}

/// A piece of an application and the file sent for it, if any.
#[derive(Debug, Clone, Serialize)]
pub struct PieceView {
    pub code: String,
    pub label: String,
    /// Typed in the application rather than uploaded (the budget forecast).
    pub typed: bool,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    pub piece: String,
    pub message: String,
    pub due_on: String,
    pub answered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetRowView {
    pub code: String,
    pub label: String,
    pub amount: String,
    pub charges: bool,
}

/// An application as its organisation and the instructing direction see it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub id: i64,
    pub organisation: String,
    pub organisation_id: i64,
    pub dispositif: DispositifView,
    pub purpose: String,
    pub description: String,
    pub requested: String,
    /// The amount as typed back in a form ("15 000").
    pub requested_input: String,
    pub budget: Vec<BudgetRowView>,
    pub charges_total: String,
    pub products_total: String,
    /// Every line of the form, for editing.
    pub budget_input: Vec<String>,
    pub state: String,
    pub state_label: String,
    /// Whether the organisation may still change it or send pieces.
    pub editable: bool,
    pub receipt_number: Option<String>,
    pub submitted_on: Option<String>,
    pub pieces: Vec<PieceView>,
    pub requests: Vec<RequestView>,
    pub opinion: Option<String>,
    pub proposed: Option<String>,
    pub decision_reason: Option<String>,
    pub award_id: Option<i64>,
    pub history: Vec<ApplicationEvent>,
    /// The paragraph of the report that proposes the award, drawn from the instruction.
    pub report_paragraph: Option<String>,
    pub receipt_file: Option<i64>,
    /// The letter notifying the decision (grant or refusal).
    pub decision_letter: Option<FileView>,
    /// What may be done with it now.
    pub next: NextSteps,
}

/// The steps an application's state allows now, for the pages to offer (each use case
/// checks its own again).
#[derive(Debug, Clone, Serialize)]
pub struct NextSteps {
    /// The organisation changes and submits its draft.
    pub edit_draft: bool,
    /// The organisation follows the grant it was given.
    pub follow_grant: bool,
    pub request_piece: bool,
    pub instruct: bool,
    pub propose: bool,
    pub notify: bool,
}

/// An organisation's own space: who it is, its people, applications and grants.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationHome {
    pub id: i64,
    pub name: String,
    pub identifier: String,
    pub representative: Option<String>,
    pub people: Vec<OrganisationPerson>,
    pub applications: Vec<ApplicationSummary>,
    pub grants: Vec<crate::grant_space::GrantSummary>,
    pub dispositifs: Vec<DispositifView>,
}

/// The organisation the acting account speaks for.
pub(crate) async fn organisation_of(
    tx: &mut Tx,
    actor: &Actor,
) -> Result<Stored<Beneficiary>, AppError> {
    let unlinked = || {
        AppError::Domain(DomainError::rule(
            "Espace des bénéficiaires : ce compte ne parle pour aucun organisme.",
        ))
    };
    let login = Login::parse(&actor.0).map_err(|_| unlinked())?;
    let account = tx.account_by_login(&login).await?.ok_or_else(unlinked)?;
    let (beneficiary, _) = tx
        .account_beneficiary(account.id)
        .await?
        .ok_or_else(unlinked)?;
    tx.beneficiary(Id::new(beneficiary))
        .await?
        .ok_or_else(unlinked)
}

fn unknown_application(id: i64) -> AppError {
    AppError::not_found(format!("Demande n°{id} introuvable dans votre espace."))
}

/// An application of the acting organisation; any other is unknown to it.
async fn own_application(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(Stored<Beneficiary>, GrantApplication), AppError> {
    let organisation = organisation_of(tx, actor).await?;
    let a = tx
        .application(id)
        .await?
        .filter(|a| a.beneficiary == organisation.id.get())
        .ok_or_else(|| unknown_application(id))?;
    Ok((organisation, a))
}

/// The direction a staff account instructs for; none (every direction) for an account
/// without one, or an actor without an account (the command line's).
async fn direction_of(tx: &mut Tx, actor: &Actor) -> Result<Option<i64>, AppError> {
    let Ok(login) = Login::parse(&actor.0) else {
        return Ok(None);
    };
    match tx.account_by_login(&login).await? {
        Some(account) => Ok(tx.account_service(account.id).await?),
        None => Ok(None),
    }
}

/// An application the acting staff member instructs: one of their direction's
/// dispositifs, when their account has a direction.
async fn staff_application(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<GrantApplication, AppError> {
    let missing = || AppError::not_found(format!("Demande de subvention n°{id} introuvable."));
    let a = tx.application(id).await?.ok_or_else(missing)?;
    let direction = direction_of(tx, actor).await?;
    let d = dispositif_of(tx, a.dispositif).await?;
    if d.dispositif.instructed_by(direction) {
        Ok(a)
    } else {
        Err(AppError::not_found(format!(
            "Demande de subvention n°{id} : elle relève d'une autre direction."
        )))
    }
}

async fn dispositif_of(tx: &mut Tx, id: i64) -> Result<StoredDispositif, AppError> {
    tx.dispositif(id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Dispositif n°{id} introuvable.")))
}

/// The pieces already sent for an application, by kind.
fn uploaded_kinds(pieces: &[ApplicationPiece]) -> Vec<PieceKind> {
    pieces
        .iter()
        .filter_map(|p| PieceKind::parse("piece", &p.piece).ok())
        .collect()
}

fn event(at: String, actor: &Actor, action: &str, detail: Option<String>) -> ApplicationEvent {
    ApplicationEvent {
        at,
        by: actor.0.clone(),
        action: action.to_string(),
        detail,
    }
}

fn summary(a: &GrantApplication, organisation: &str, dispositif: &str) -> ApplicationSummary {
    ApplicationSummary {
        id: a.id,
        organisation: organisation.to_string(),
        dispositif: dispositif.to_string(),
        purpose: a.application.purpose.clone(),
        requested: a.application.requested.format_euros_fr(),
        state: a.application.state.code().to_string(),
        state_label: a.application.state.label().to_string(),
        receipt_number: a.receipt_number.clone(),
        award_id: a.award,
    }
}

/// The application's state once its award is decided: the assembly's vote decides.
async fn follow_award(tx: &mut Tx, a: &mut GrantApplication) -> Result<(), AppError> {
    if a.application.state != ApplicationState::Proposed {
        return Ok(());
    }
    let Some(award) = a.award else { return Ok(()) };
    match tx.award(Id::new(award)).await?.map(|aw| aw.status) {
        Some(AwardStatus::Adopted) => a.application.state = ApplicationState::Granted,
        Some(AwardStatus::Rejected) | Some(AwardStatus::Cancelled) => {
            a.application.state = ApplicationState::Refused
        }
        _ => {}
    }
    Ok(())
}

async fn application_view(
    tx: &mut Tx,
    mut a: GrantApplication,
    today: jiff::civil::Date,
) -> Result<ApplicationView, AppError> {
    follow_award(tx, &mut a).await?;
    let d = dispositif_of(tx, a.dispositif).await?;
    let organisation = tx
        .beneficiary(Id::new(a.beneficiary))
        .await?
        .ok_or_else(|| AppError::not_found("Organisme introuvable."))?;
    let pieces = tx.application_pieces(a.id).await?;
    let mut files: Vec<(String, FileView)> = Vec::new();
    for p in &pieces {
        if let Some(meta) = tx.file_meta(p.file).await? {
            files.push((p.piece.clone(), file_view(&meta)));
        }
    }
    let requests = tx.piece_requests(a.id).await?;
    let mut kinds: Vec<PieceKind> = d.dispositif.pieces.clone();
    for r in &requests {
        if let Ok(k) = PieceKind::parse("piece", &r.piece)
            && !kinds.contains(&k)
        {
            kinds.push(k);
        }
    }
    let piece_views = kinds
        .iter()
        .map(|k| PieceView {
            code: k.code(),
            label: k.label(),
            typed: !k.is_file(),
            files: files
                .iter()
                .filter(|(code, _)| *code == k.code())
                .map(|(_, f)| f.clone())
                .collect(),
        })
        .collect();
    let budget = &a.application.budget;
    let budget_rows = BUDGET_LINES
        .iter()
        .filter(|(code, _, _)| !budget.amount(code).is_zero())
        .map(|(code, label, side)| BudgetRowView {
            code: code.to_string(),
            label: label.to_string(),
            amount: budget.amount(code).format_euros_fr(),
            charges: *side == Side::Charges,
        })
        .collect();
    let total = |side| {
        budget
            .total(side)
            .map(|a| a.format_euros_fr())
            .unwrap_or_default()
    };
    let report_paragraph = a.instruction.as_ref().filter(|i| i.favourable).map(|i| {
        format!(
            "Par une demande déposée le {} (récépissé n°{}), {} sollicite le soutien du Département au titre du dispositif « {} » pour « {} », à hauteur de {}. Après instruction, la direction émet un avis favorable ({}) et propose d'attribuer {}.",
            a.submitted_at
                .as_deref()
                .and_then(|s| s.get(..10))
                .and_then(|s| s.parse().ok())
                .map(format_date_long)
                .unwrap_or_default(),
            a.receipt_number.clone().unwrap_or_default(),
            organisation.name,
            d.dispositif.name,
            a.application.purpose,
            a.application.requested.format_euros_fr(),
            i.opinion,
            i.proposed.unwrap_or_default().format_euros_fr()
        )
    });
    let state = a.application.state;
    let decision_letter = files
        .iter()
        .rfind(|(code, _)| code == crate::grant_space::DECISION_PIECE)
        .map(|(_, f)| f.clone());
    let next = NextSteps {
        edit_draft: state == ApplicationState::Draft,
        follow_grant: state == ApplicationState::Granted && a.award.is_some(),
        request_piece: state.takes_piece_requests(),
        instruct: state.awaits_instruction(),
        propose: state.awaits_proposal(),
        notify: state.has_decision_to_notify() && a.award.is_some() && decision_letter.is_none(),
    };
    Ok(ApplicationView {
        id: a.id,
        organisation: organisation.name.clone(),
        organisation_id: a.beneficiary,
        dispositif: dispositif_view(&d, today),
        purpose: a.application.purpose.clone(),
        description: a.application.description.clone(),
        requested: a.application.requested.format_euros_fr(),
        requested_input: a.application.requested.format_fr(),
        budget: budget_rows,
        charges_total: total(Side::Charges),
        products_total: total(Side::Products),
        budget_input: budget_lines_for_editing(budget),
        state: a.application.state.code().to_string(),
        state_label: a.application.state.label().to_string(),
        editable: a.application.check_editable().is_ok(),
        receipt_number: a.receipt_number.clone(),
        submitted_on: a
            .submitted_at
            .as_deref()
            .and_then(|s| s.get(..10))
            .and_then(|s| s.parse().ok())
            .map(format_date_long),
        pieces: piece_views,
        requests: requests
            .iter()
            .map(|r| RequestView {
                piece: PieceKind::parse("piece", &r.piece)
                    .map(|k| k.label())
                    .unwrap_or_else(|_| r.piece.clone()),
                message: r.message.clone(),
                due_on: format_date_long(r.due_on),
                answered: r.answered_at.is_some(),
            })
            .collect(),
        opinion: a.instruction.as_ref().map(|i| {
            format!(
                "{} : {}",
                if i.favourable {
                    "Avis favorable"
                } else {
                    "Avis défavorable"
                },
                i.opinion
            )
        }),
        proposed: a
            .instruction
            .as_ref()
            .and_then(|i| i.proposed)
            .map(|p| p.format_euros_fr()),
        decision_reason: a.decision_reason.clone(),
        award_id: a.award,
        history: tx.application_events(a.id).await?,
        report_paragraph,
        receipt_file: a.receipt_file,
        decision_letter,
        next,
    })
}

pub(crate) fn file_view(meta: &FileMeta) -> FileView {
    FileView {
        id: meta.id,
        name: meta.name.clone(),
        size: meta.size,
        sha256: meta.sha256.clone(),
        stored_at: meta.stored_at.clone(),
    }
}

/// The address block of a letter to an organisation.
pub(crate) fn recipient_lines(b: &Beneficiary) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(r) = &b.representative {
        lines.push(r.name.with_civility());
        lines.push(r.capacity.clone());
    }
    lines.push(b.name.clone());
    lines.push(b.address.street.clone());
    lines.push(format!("{} {}", b.address.postal_code, b.address.city));
    lines
}

pub(crate) fn salutation(b: &Beneficiary) -> String {
    match &b.representative {
        Some(r) => match r.name.civility {
            acta_domain::people::Civility::Madame => "Madame,".to_string(),
            acta_domain::people::Civility::Monsieur => "Monsieur,".to_string(),
        },
        None => "Madame, Monsieur,".to_string(),
    }
}

pub(crate) fn signer(d: &Dispositif) -> Vec<String> {
    let mut lines = vec!["Pour le Président du Conseil départemental,".to_string()];
    lines.push(
        d.direction
            .clone()
            .unwrap_or_else(|| "La direction instructrice".to_string()),
    );
    lines
}

impl Acta {
    /// An organisation registers with its first person. The account opens when the address
    /// is confirmed through the link sent to it. Registrations from one client address are
    /// spaced (`ThrottlePolicy::registrations`): each sends a message to an address typed
    /// by a visitor nobody knows yet.
    pub async fn register_organisation(
        &self,
        input: &RegistrationInput,
        client: Option<&str>,
    ) -> Result<Registered, AppError> {
        let mut errors = Errors::new();
        let beneficiary = match input.beneficiary() {
            Ok(b) => Some(b),
            Err(DomainError::Invalid(list)) => {
                list.into_iter().for_each(|e| errors.push(e));
                None
            }
            Err(e) => return Err(e.into()),
        };
        let login = errors.check(Login::parse(&input.person.login));
        if let Some(login) = &login {
            errors.check(check_password(&input.person.password, login));
        }
        errors.into_result()?;
        let (Some(beneficiary), Some(login)) = (beneficiary, login) else {
            return Err(DomainError::rule("Inscription incomplète.").into());
        };
        let email = input.person.email()?;
        let setting = self.mail_setting().await.map_err(|_| {
            AppError::conflict(
                "Inscription impossible pour le moment : le Département n'a pas configuré l'envoi des courriels.",
            )
        })?;
        let throttle_key = client.map(|c| format!("inscription:{c}"));
        let policy = ThrottlePolicy::registrations();
        let now = self.now().as_second();
        if let Some(key) = &throttle_key {
            let verdict = self
                .read()
                .await?
                .login_failures(key)
                .await?
                .verdict(now, &policy);
            if let Some(message) = registration_refusal(verdict) {
                return Err(DomainError::rule(message).into());
            }
        }
        let hash = hash_password(input.person.password.clone()).await?;
        let token = random_token()?;
        let actor = Actor::new(format!("inscription:{}", login.as_str()));
        let mut tx = self.write(&actor).await?;
        if let Some(key) = &throttle_key {
            let after = tx.login_failures(key).await?.after_failure(now, &policy);
            tx.put_login_failures(key, &after).await?;
        }
        if let Some(siret) = &beneficiary.siret
            && tx.beneficiary_by_siret(siret).await?.is_some()
        {
            return Err(AppError::conflict(format!(
                "SIRET : l'organisme au SIRET {} est déjà inscrit ; demandez à l'une de ses personnes de vous ajouter, ou au Département.",
                siret.grouped()
            )));
        }
        let id = tx
            .insert_beneficiary(&beneficiary)
            .await
            .map_err(crate::error::on_duplicate(
                "Cet organisme (SIRET ou RNA) est déjà inscrit ; demandez à l'une de ses personnes de vous ajouter.",
            ))?;
        let account = self
            .open_person_account(&mut tx, id.get(), &input.person, &login, &hash, &token)
            .await?;
        tx.commit().await?;
        let mail = self
            .send_confirmation(&setting, &beneficiary.name, &input.person, &email, &token)
            .await;
        let _ = account;
        Ok(Registered {
            beneficiary_id: id.get(),
            login: login.to_string(),
            email: email.as_str().to_string(),
            mail,
        })
    }

    async fn open_person_account(
        &self,
        tx: &mut Tx,
        beneficiary: i64,
        person: &HolderInput,
        login: &Login,
        hash: &str,
        token: &str,
    ) -> Result<i64, AppError> {
        let email = person.email()?;
        let account = StaffAccount {
            login: login.clone(),
            name: normalize_spaces(&person.person_name),
            role: StaffRole::Beneficiary,
            active: false,
        };
        let id = tx
            .insert_beneficiary_account(&account, hash, beneficiary, &email)
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Identifiant : « {login} » est déjà pris."
            )))?;
        tx.insert_confirmation(id, &token_hash(token), &self.now().to_string())
            .await?;
        Ok(id)
    }

    async fn send_confirmation(
        &self,
        setting: &acta_domain::convocation::MailSetting,
        organisation: &str,
        person: &HolderInput,
        email: &EmailAddress,
        token: &str,
    ) -> String {
        let link = setting.link(&format!("/beneficiaires/confirmation/{token}"));
        let body = format!(
            "Bonjour,\n\nUn compte a été ouvert pour vous sur l'espace des bénéficiaires du Département, au nom de {organisation}.\n\nPour confirmer votre adresse et activer le compte, suivez ce lien :\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : le compte restera fermé.\n"
        );
        let mail = crate::grant_space::message(
            setting,
            &normalize_spaces(&person.person_name),
            email.as_str(),
            "Confirmez votre adresse – espace des bénéficiaires",
            body,
            &[],
        );
        match crate::convocations::mailer(setting).await {
            Ok(mailer) => crate::grant_space::hand_over(&mailer, &mail).await,
            Err(e) => format!("courriel non envoyé à {} : {e}", mail.to),
        }
    }

    /// Opens the account whose confirmation link this is. Gives its login.
    pub async fn confirm_account(&self, token: &str) -> Result<String, AppError> {
        let unknown =
            || AppError::not_found("Ce lien de confirmation n'est pas valable (ou plus).");
        let token = token.trim();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(unknown());
        }
        let mut tx = self.write(&Actor::new("confirmation")).await?;
        let (account, confirmed) = tx
            .confirmation_by_token(&token_hash(token))
            .await?
            .ok_or_else(unknown)?;
        let stored = tx.account(account).await?.ok_or_else(unknown)?;
        if confirmed.is_none() {
            tx.mark_confirmed(account, &self.now().to_string()).await?;
            let mut a = stored.account.clone();
            a.active = true;
            tx.update_account(account, &a).await?;
        }
        tx.commit().await?;
        Ok(stored.account.login.to_string())
    }

    /// A person of an organisation opens an account for a colleague, who confirms it.
    pub async fn add_colleague(
        &self,
        actor: &Actor,
        person: &HolderInput,
    ) -> Result<Registered, AppError> {
        let mut errors = Errors::new();
        person.check(&mut errors);
        let login = errors.check(Login::parse(&person.login));
        if let Some(login) = &login {
            errors.check(check_password(&person.password, login));
        }
        errors.into_result()?;
        let Some(login) = login else {
            return Err(DomainError::rule("Compte incomplet.").into());
        };
        let email = person.email()?;
        let setting = self.mail_setting().await?;
        let hash = hash_password(person.password.clone()).await?;
        let token = random_token()?;
        let mut tx = self.write(actor).await?;
        let organisation = organisation_of(&mut tx, actor).await?;
        self.open_person_account(
            &mut tx,
            organisation.id.get(),
            person,
            &login,
            &hash,
            &token,
        )
        .await?;
        tx.commit().await?;
        let mail = self
            .send_confirmation(&setting, &organisation.name, person, &email, &token)
            .await;
        Ok(Registered {
            beneficiary_id: organisation.id.get(),
            login: login.to_string(),
            email: email.as_str().to_string(),
            mail,
        })
    }

    /// Ties a staff account to the direction it instructs for (none: every direction).
    pub async fn link_account_direction(
        &self,
        actor: &Actor,
        login: &str,
        direction: Option<&str>,
    ) -> Result<(), AppError> {
        let login = Login::parse(login)?;
        let mut tx = self.write(actor).await?;
        let account = tx.account_by_login(&login).await?.ok_or_else(|| {
            AppError::not_found(format!("Compte : aucun compte « {} ».", login.as_str()))
        })?;
        if !account.account.role.is_created_by_staff() {
            return Err(DomainError::field(
                "role",
                format!(
                    "Rôle : « {} » est un compte {} ; seul un compte d'agent instruit pour une direction.",
                    login.as_str(),
                    account.account.role.code()
                ),
            )
            .into());
        }
        let service =
            crate::preparation::direction(&mut tx, &direction.map(str::to_string)).await?;
        tx.set_account_service(account.id, service.map(Id::get))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Staff merge a duplicate organisation into the one kept: grants, bank accounts,
    /// people and applications move; the duplicate stays, marked.
    pub async fn merge_beneficiaries(
        &self,
        actor: &Actor,
        input: &MergeInput,
    ) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let from = crate::beneficiaries::find_beneficiary_in(&mut tx, &input.duplicate).await?;
        let into = crate::beneficiaries::find_beneficiary_in(&mut tx, &input.kept).await?;
        if from.id == into.id {
            return Err(DomainError::field(
                "conserve",
                "Fusion : le doublon et le bénéficiaire conservé sont le même.",
            )
            .into());
        }
        for b in [&from, &into] {
            if let Some(other) = tx.merged_into(b.id.get()).await? {
                return Err(AppError::conflict(format!(
                    "Fusion : {} (n°{}) est déjà fusionné dans le n°{other}.",
                    b.name, b.id
                )));
            }
        }
        let plan = acta_domain::beneficiary::merge_plan(
            &tx.bank_accounts_of(from.id).await?,
            &tx.bank_accounts_of(into.id).await?,
            &tx.seats_in(from.id).await?,
            &tx.seats_in(into.id).await?,
        );
        tx.merge_beneficiary(from.id.get(), into.id.get(), &plan)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn organisation_home(&self, actor: &Actor) -> Result<OrganisationHome, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        let organisation = organisation_of(&mut tx, actor).await?;
        let b = organisation.id.get();
        let mut applications = Vec::new();
        for mut a in tx.applications_of_beneficiary(b).await? {
            follow_award(&mut tx, &mut a).await?;
            let d = dispositif_of(&mut tx, a.dispositif).await?;
            applications.push(summary(&a, &organisation.name, &d.dispositif.name));
        }
        let grants = crate::grant_space::grant_summaries(&mut tx, organisation.id).await?;
        let dispositifs = tx
            .dispositifs()
            .await?
            .iter()
            .map(|d| dispositif_view(d, today))
            .filter(|d| d.open)
            .collect();
        Ok(OrganisationHome {
            id: b,
            name: organisation.name.clone(),
            identifier: organisation
                .siret
                .as_ref()
                .map(|s| format!("SIRET {}", s.grouped()))
                .or_else(|| {
                    organisation
                        .rna
                        .as_ref()
                        .map(|r| format!("RNA {}", r.as_str()))
                })
                .unwrap_or_default(),
            representative: organisation
                .representative
                .as_ref()
                .map(|r| format!("{}, {}", r.name.with_civility(), r.capacity)),
            people: tx.people_of_beneficiary(b).await?,
            applications,
            grants,
            dispositifs,
        })
    }

    // Dispositifs.

    pub async fn create_dispositif(
        &self,
        actor: &Actor,
        input: &DispositifInput,
    ) -> Result<i64, AppError> {
        let mut d = input.parse()?;
        let mut tx = self.write(actor).await?;
        if let Some(service) = crate::preparation::direction(&mut tx, &input.direction).await? {
            // The name as the référentiel spells it, for the letters.
            d.direction = tx
                .services()
                .await?
                .into_iter()
                .find(|s| s.id == service)
                .map(|s| s.name.clone());
            d.direction_id = Some(service.get());
        }
        let id = tx
            .insert_dispositif(&d, &self.now().to_string())
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Nom : un dispositif s'appelle déjà « {} ».",
                d.name
            )))?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn dispositifs(&self) -> Result<Vec<DispositifView>, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        Ok(tx
            .dispositifs()
            .await?
            .iter()
            .map(|d| dispositif_view(d, today))
            .collect())
    }

    pub async fn dispositif(&self, id: i64) -> Result<DispositifView, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        Ok(dispositif_view(&dispositif_of(&mut tx, id).await?, today))
    }

    // The organisation's applications.

    /// Starts an application (a draft) to an open dispositif.
    pub async fn start_application(
        &self,
        actor: &Actor,
        dispositif: i64,
        input: &ApplicationInput,
    ) -> Result<i64, AppError> {
        let (purpose, description, requested, budget) = input.parse()?;
        let application = Application {
            purpose,
            description,
            requested,
            budget,
            state: ApplicationState::Draft,
        };
        application.validate()?;
        let today = self.today();
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let organisation = organisation_of(&mut tx, actor).await?;
        let d = dispositif_of(&mut tx, dispositif).await?;
        if !d.dispositif.is_open(today) {
            return Err(AppError::conflict(format!(
                "Dispositif « {} » : les demandes sont reçues du {} au {}.",
                d.dispositif.name,
                format_date_long(d.dispositif.opens_on),
                format_date_long(d.dispositif.closes_on)
            )));
        }
        let id = tx
            .insert_application(&GrantApplication {
                id: 0,
                dispositif: d.id,
                beneficiary: organisation.id.get(),
                application,
                receipt_number: None,
                submitted_at: None,
                receipt_file: None,
                instruction: None,
                award: None,
                decision_reason: None,
                created_by: actor.0.clone(),
                created_at: now.clone(),
            })
            .await?;
        tx.insert_application_event(id, &event(now, actor, "creation", None))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn edit_application(
        &self,
        actor: &Actor,
        id: i64,
        input: &ApplicationInput,
    ) -> Result<(), AppError> {
        let (purpose, description, requested, budget) = input.parse()?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let (_, mut a) = own_application(&mut tx, actor, id).await?;
        if a.application.state != ApplicationState::Draft {
            return Err(DomainError::rule(format!(
                "Demande {} : elle ne se modifie plus ; envoyez les pièces demandées.",
                a.application.state.label().to_lowercase()
            ))
            .into());
        }
        a.application = Application {
            purpose,
            description,
            requested,
            budget,
            state: a.application.state,
        };
        a.application.validate()?;
        tx.update_application(&a).await?;
        tx.insert_application_event(id, &event(now, actor, "modification", None))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a piece of an application: checked for size and type from its content, kept
    /// with its SHA-256. A piece the direction asked for puts the application back into
    /// instruction once every requested piece is there.
    pub async fn upload_piece(
        &self,
        actor: &Actor,
        id: i64,
        piece: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<(), AppError> {
        let kind = PieceKind::parse("piece", piece)?;
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let (_, mut a) = own_application(&mut tx, actor, id).await?;
        a.application.check_editable()?;
        let d = dispositif_of(&mut tx, a.dispositif).await?;
        let requests = tx.piece_requests(id).await?;
        let requested: Vec<&PieceRequest> = requests
            .iter()
            .filter(|r| r.answered_at.is_none() && r.piece == kind.code())
            .collect();
        if !kind.is_file() {
            return Err(DomainError::field(
                "piece",
                "Pièce : le budget prévisionnel se remplit dans la demande, il ne s'envoie pas en fichier.",
            )
            .into());
        }
        if !d.dispositif.pieces.contains(&kind) && requested.is_empty() {
            return Err(DomainError::field(
                "piece",
                format!(
                    "Pièce : « {} » n'est pas demandée par ce dispositif.",
                    kind.label()
                ),
            )
            .into());
        }
        if a.application.state == ApplicationState::PieceRequested && requested.is_empty() {
            return Err(DomainError::field(
                "piece",
                format!(
                    "Pièce : la direction n'a pas demandé « {} » ; seules les pièces demandées s'ajoutent à une demande déposée.",
                    kind.label()
                ),
            )
            .into());
        }
        let file_type = check_upload("fichier", name, bytes, &d.dispositif.uploads)?;
        let file = tx
            .insert_file(name.trim(), file_type.media_type(), bytes, &now)
            .await?;
        tx.insert_application_piece(&ApplicationPiece {
            id: 0,
            application: id,
            piece: kind.code(),
            file,
            uploaded_by: actor.0.clone(),
            uploaded_at: now.clone(),
        })
        .await?;
        let answered: Vec<i64> = requested.iter().map(|r| r.id).collect();
        for r in &answered {
            tx.answer_piece_request(*r, &now).await?;
        }
        tx.insert_application_event(
            id,
            &event(
                now.clone(),
                actor,
                "piece",
                Some(format!("{} : {}", kind.label(), name.trim())),
            ),
        )
        .await?;
        if a.application.state == ApplicationState::PieceRequested
            && requests
                .iter()
                .all(|r| r.answered_at.is_some() || answered.contains(&r.id))
        {
            a.application.state = ApplicationState::Submitted;
            tx.update_application(&a).await?;
            tx.insert_application_event(
                id,
                &event(
                    now,
                    actor,
                    "complete",
                    Some("Pièces demandées reçues".into()),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Submits an application: complete, it gets its acknowledgement number and date, the
    /// récépissé (PDF) is kept and sent to the organisation's people.
    pub async fn submit_application(
        &self,
        actor: &Actor,
        id: i64,
        renderer: &Renderer,
    ) -> Result<ApplicationView, AppError> {
        let today = self.today();
        let now = self.now().to_string();
        let year = today.year();
        let mut tx = self.write(actor).await?;
        let (organisation, mut a) = own_application(&mut tx, actor, id).await?;
        let d = dispositif_of(&mut tx, a.dispositif).await?;
        let pieces = tx.application_pieces(id).await?;
        check_submission(
            &a.application,
            &d.dispositif,
            &uploaded_kinds(&pieces),
            today,
        )?;
        let rank = tx
            .receipts_in_year(year)
            .await?
            .checked_add(1)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                DomainError::rule("Récépissé : la numérotation de l'année est épuisée.")
            })?;
        let number = receipt_number(year, rank);
        a.application.state = ApplicationState::Submitted;
        a.receipt_number = Some(number.clone());
        a.submitted_at = Some(now.clone());
        tx.update_application(&a).await?;
        tx.insert_application_event(
            id,
            &event(
                now.clone(),
                actor,
                "depot",
                Some(format!("Récépissé n°{number}")),
            ),
        )
        .await?;
        let mut facts = vec![
            ("Numéro de la demande".to_string(), number.clone()),
            ("Déposée le".to_string(), format_date_long(today)),
            ("Organisme".to_string(), organisation.name.clone()),
            ("Dispositif".to_string(), d.dispositif.name.clone()),
            ("Objet".to_string(), a.application.purpose.clone()),
            (
                "Montant demandé".to_string(),
                a.application.requested.format_euros_fr(),
            ),
        ];
        for p in &pieces {
            if let Some(meta) = tx.file_meta(p.file).await? {
                let label = PieceKind::parse("piece", &p.piece)
                    .map(|k| k.label())
                    .unwrap_or_default();
                facts.push((
                    label,
                    format!(
                        "{} (SHA-256 {})",
                        meta.name,
                        meta.sha256.get(..16).unwrap_or(&meta.sha256)
                    ),
                ));
            }
        }
        let letter = beneficiary_letter(
            &mut tx,
            renderer.config(),
            LetterParts {
                recipient: recipient_lines(&organisation),
                title: "Récépissé de dépôt d'une demande de subvention".into(),
                object: format!("Objet : {} – demande n°{number}", a.application.purpose),
                salutation: salutation(&organisation),
                body: vec![format!(
                    "Le Département accuse réception de votre demande de subvention, déposée complète le {} au titre du dispositif « {} ». Elle est transmise pour instruction{}.",
                    format_date_long(today),
                    d.dispositif.name,
                    d.dispositif
                        .direction
                        .as_ref()
                        .map(|x| format!(" à la {x}"))
                        .unwrap_or_default()
                )],
                facts,
                closing: vec![
                    "Ce récépissé ne vaut pas décision d'attribution : la subvention ne peut être accordée que par une délibération du Département, qui vous sera notifiée.".into(),
                ],
                signer: signer(&d.dispositif),
                date: today,
                file_stem: format!("recepisse-{number}"),
            },
        )
        .await?;
        tx.commit().await?;
        // Laid out after the commit: rendering never holds the write lock.
        let pdf = renderer.render(&Document::Letter(letter), Format::Pdf)?;
        let mut tx = self.write(actor).await?;
        let file = tx
            .insert_file(
                &format!("recepisse-{number}.pdf"),
                "application/pdf",
                &pdf,
                &now,
            )
            .await?;
        a.receipt_file = Some(file);
        tx.update_application(&a).await?;
        tx.commit().await?;
        self.mail_organisation(
            actor,
            organisation.id.get(),
            Some(id),
            &format!("Récépissé de votre demande de subvention n°{number}"),
            format!(
                "Bonjour,\n\nVotre demande « {} » au titre du dispositif « {} » est déposée le {} sous le numéro {number}. Le récépissé est joint à ce message.\n",
                a.application.purpose,
                d.dispositif.name,
                format_date_long(today)
            ),
            vec![(format!("recepisse-{number}.pdf"), pdf)],
        )
        .await?;
        let mut tx = self.read().await?;
        application_view(&mut tx, a, today).await
    }

    pub async fn my_application(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<ApplicationView, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        let (_, a) = own_application(&mut tx, actor, id).await?;
        application_view(&mut tx, a, today).await
    }

    /// A file of one of the organisation's applications (a piece, or its récépissé).
    pub async fn my_application_file(
        &self,
        actor: &Actor,
        id: i64,
        file: i64,
    ) -> Result<(FileMeta, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let (_, a) = own_application(&mut tx, actor, id).await?;
        application_file_in(&mut tx, &a, file).await
    }

    // The instructing direction.

    /// Every submitted application, the latest first.
    pub async fn applications_to_instruct(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ApplicationSummary>, AppError> {
        let mut tx = self.read().await?;
        let direction = direction_of(&mut tx, actor).await?;
        let mut out = Vec::new();
        for mut a in tx.submitted_applications().await? {
            let d = dispositif_of(&mut tx, a.dispositif).await?;
            if !d.dispositif.instructed_by(direction) {
                continue;
            }
            follow_award(&mut tx, &mut a).await?;
            let organisation = tx
                .beneficiary(Id::new(a.beneficiary))
                .await?
                .map(|b| b.name.clone())
                .unwrap_or_default();
            out.push(summary(&a, &organisation, &d.dispositif.name));
        }
        out.reverse();
        Ok(out)
    }

    pub async fn application(&self, actor: &Actor, id: i64) -> Result<ApplicationView, AppError> {
        let today = self.today();
        let mut tx = self.read().await?;
        let a = staff_application(&mut tx, actor, id).await?;
        application_view(&mut tx, a, today).await
    }

    pub async fn application_file(
        &self,
        actor: &Actor,
        id: i64,
        file: i64,
    ) -> Result<(FileMeta, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let a = staff_application(&mut tx, actor, id).await?;
        application_file_in(&mut tx, &a, file).await
    }

    /// Asks the applicant for a missing piece, by a deadline; they are told by e-mail.
    pub async fn request_piece(
        &self,
        actor: &Actor,
        id: i64,
        input: &PieceRequestInput,
    ) -> Result<(), AppError> {
        let (piece, message, due_on) = input.parse()?;
        let today = self.today();
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let mut a = staff_application(&mut tx, actor, id).await?;
        check_piece_request(a.application.state, &message, due_on, today)?;
        if !piece.is_file() {
            return Err(DomainError::field(
                "piece",
                "Pièce : le budget prévisionnel fait partie de la demande ; demandez une pièce à envoyer.",
            )
            .into());
        }
        tx.insert_piece_request(&PieceRequest {
            id: 0,
            application: id,
            piece: piece.code(),
            message: message.clone(),
            due_on,
            requested_by: actor.0.clone(),
            requested_at: now.clone(),
            answered_at: None,
        })
        .await?;
        a.application.state = ApplicationState::PieceRequested;
        tx.update_application(&a).await?;
        tx.insert_application_event(
            id,
            &event(
                now,
                actor,
                "demande_piece",
                Some(format!(
                    "{} avant le {} : {message}",
                    piece.label(),
                    format_date_long(due_on)
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        self.mail_organisation(
            actor,
            a.beneficiary,
            Some(id),
            &format!(
                "Demande de subvention n°{} : pièce à fournir",
                a.receipt_number.clone().unwrap_or_default()
            ),
            format!(
                "Bonjour,\n\nPour instruire votre demande « {} », la direction a besoin de la pièce suivante : {}.\n\n{message}\n\nMerci de la déposer dans votre espace avant le {}.\n",
                a.application.purpose,
                piece.label(),
                format_date_long(due_on)
            ),
            Vec::new(),
        )
        .await?;
        Ok(())
    }

    /// The direction's opinion. A favourable one proposes an amount; an unfavourable one
    /// refuses the application, and the applicant is notified with its reasons.
    pub async fn instruct_application(
        &self,
        actor: &Actor,
        id: i64,
        input: &InstructionInput,
        renderer: &Renderer,
    ) -> Result<ApplicationView, AppError> {
        let instruction = input.parse()?;
        let today = self.today();
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let mut a = staff_application(&mut tx, actor, id).await?;
        let d = dispositif_of(&mut tx, a.dispositif).await?;
        let open = tx
            .piece_requests(id)
            .await?
            .iter()
            .filter(|r| r.answered_at.is_none())
            .count();
        check_instruction(
            a.application.state,
            open,
            &instruction,
            a.application.requested,
            d.dispositif.cap,
        )?;
        a.application.state = if instruction.favourable {
            ApplicationState::Instructed
        } else {
            ApplicationState::Refused
        };
        if !instruction.favourable {
            a.decision_reason = Some(instruction.opinion.clone());
        }
        a.instruction = Some(instruction.clone());
        tx.update_application(&a).await?;
        tx.insert_application_event(
            id,
            &event(
                now,
                actor,
                "instruction",
                Some(match instruction.proposed {
                    Some(p) => format!("Avis favorable, {} proposés", p.format_euros_fr()),
                    None => "Avis défavorable".to_string(),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        if !instruction.favourable {
            self.send_refusal(actor, id, &instruction.opinion, renderer)
                .await?;
        }
        let mut tx = self.read().await?;
        let a = staff_application(&mut tx, actor, id).await?;
        application_view(&mut tx, a, today).await
    }

    /// Proposes the award of an instructed application to a sitting's agenda item, on a
    /// budget line: the award is the one `acta award propose` records, for the amount the
    /// direction proposed.
    pub async fn propose_application(
        &self,
        actor: &Actor,
        id: i64,
        input: &ProposalInput,
    ) -> Result<i64, AppError> {
        let sitting = SittingKey::parse("seance", &input.sitting)?;
        let now = self.now().to_string();
        // The award and the application's step in one transaction: never one without the
        // other.
        let mut tx = self.write(actor).await?;
        let mut a = staff_application(&mut tx, actor, id).await?;
        if !a.application.state.awaits_proposal() {
            return Err(DomainError::rule(format!(
                "Proposition : la demande est {} ; seule une demande instruite favorablement se propose.",
                a.application.state.label().to_lowercase()
            ))
            .into());
        }
        let proposed = a
            .instruction
            .as_ref()
            .and_then(|i| i.proposed)
            .ok_or_else(|| DomainError::rule("Proposition : aucun montant n'est proposé."))?;
        let award = crate::grants::propose_award_in(
            &mut tx,
            &sitting,
            input.item,
            &AwardInput {
                beneficiary: a.beneficiary.to_string(),
                budget_line: input.budget_line.clone(),
                amount: proposed.format_fr(),
                year: input.year,
                kind: if input.kind.trim().is_empty() {
                    "subsidy".to_string()
                } else {
                    input.kind.clone()
                },
                purpose: a.application.purpose.clone(),
                ..Default::default()
            },
        )
        .await?;
        a.application.state = ApplicationState::Proposed;
        a.award = Some(award.get());
        tx.update_application(&a).await?;
        tx.insert_application_event(
            id,
            &event(
                now,
                actor,
                "proposition",
                Some(format!(
                    "Attribution #{award} de {} proposée à la séance {}, point {}",
                    proposed.format_euros_fr(),
                    input.sitting.trim(),
                    input.item
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(award.get())
    }

    /// Notifies the assembly's decision on a proposed application: a letter (PDF) and an
    /// e-mail to the organisation; a granted award's notification is recorded (the date
    /// from which an individual decision is enforceable).
    pub async fn notify_application_decision(
        &self,
        actor: &Actor,
        id: i64,
        renderer: &Renderer,
    ) -> Result<ApplicationView, AppError> {
        let today = self.today();
        let a = {
            let mut tx = self.read().await?;
            let mut a = staff_application(&mut tx, actor, id).await?;
            follow_award(&mut tx, &mut a).await?;
            a
        };
        let award = a.award.ok_or_else(|| {
            AppError::conflict(
                "Notification : aucune attribution n'est proposée pour cette demande.",
            )
        })?;
        match a.application.state {
            ApplicationState::Granted => {
                self.notify_award(
                    actor,
                    &AwardKey::Id(Id::new(award)),
                    &crate::input::NotificationInput {
                        date: today.to_string(),
                        means: "courriel".into(),
                    },
                )
                .await?;
                self.send_grant_letter(actor, id, award, renderer).await?;
            }
            ApplicationState::Refused => {
                let reason = "L'assemblée départementale n'a pas adopté l'attribution proposée.";
                let mut tx = self.write(actor).await?;
                let mut stored = staff_application(&mut tx, actor, id).await?;
                stored.application.state = ApplicationState::Refused;
                stored.decision_reason = Some(reason.into());
                tx.update_application(&stored).await?;
                tx.commit().await?;
                self.send_refusal(actor, id, reason, renderer).await?;
            }
            other => {
                return Err(AppError::conflict(format!(
                    "Notification : la demande est {} ; l'assemblée n'a pas encore décidé.",
                    other.label().to_lowercase()
                )));
            }
        }
        let mut tx = self.read().await?;
        let a = staff_application(&mut tx, actor, id).await?;
        application_view(&mut tx, a, today).await
    }
}

/// A file of an application: one of its pieces, or its récépissé; nothing else.
async fn application_file_in(
    tx: &mut Tx,
    a: &GrantApplication,
    file: i64,
) -> Result<(FileMeta, Vec<u8>), AppError> {
    let belongs = a.receipt_file == Some(file)
        || tx
            .application_pieces(a.id)
            .await?
            .iter()
            .any(|p| p.file == file);
    let missing =
        || AppError::not_found(format!("Fichier n°{file} introuvable pour cette demande."));
    if !belongs {
        return Err(missing());
    }
    tx.file_content(file).await?.ok_or_else(missing)
}
