//! Grants after the vote: beneficiaries and their bank details, budget lines, the awards
//! and each one's convention, schedule, documents received, payments, reimbursements and
//! amendments, the documents overdue, and the files to download.

use crate::AppState;
use crate::api_staff::award as award_key;
use crate::extract::{PathParams, QueryParams, Staff};
use crate::pages::{Can, Choice, Frame, Typed, choices, render_after, shown, staff_error};
use crate::portal::{PageQuery, csv};
use crate::session::Visitor;
use crate::writes::{self, form, page_subject};
use acta_app::AppError;
use acta_app::backoffice::{AwardEntry, BeneficiaryChoice, BudgetLineChoice};
use acta_app::execution::GrantExecution;
use acta_app::input::{
    BankAccountInput, BeneficiaryForm, BeneficiaryInput, DocumentInput, NewAmendment,
    NewBudgetLine, NewConvention, NotificationInput, PaymentInput, ReimbursementInput,
    SignatureInput,
};
use acta_app::views::ConventionView;
use acta_domain::beneficiary::BankAccount;
use acta_domain::convention::{ConventionStatus, ReimbursementReason};
use acta_domain::french::format_date_long;
use acta_domain::keys::AwardKey;
use acta_domain::{Id, Stored};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};
use serde::Deserialize;

// ---- Beneficiaries ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/beneficiaries.html")]
pub struct BeneficiariesPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub list: Vec<BeneficiaryChoice>,
}

page_subject! {
    /// The beneficiaries' list, where a beneficiary is registered.
    Beneficiaries(()): () => () = ();
    url = "/gestion/beneficiaires".to_string();
    build = |s, v, e, typed| BeneficiariesPage {
        frame: Frame::staff(v, "Bénéficiaires").refused(e),
        can: Can::of(v),
        typed,
        list: s.acta.beneficiary_choices().await?,
    };
}

#[rustfmt::skip]
pub fn add_beneficiary(m: MethodFilter) -> MethodRouter<AppState> { writes::create::<Beneficiaries, _, _, _>(m, "beneficiaires", |a, r, (), i: BeneficiaryForm| async move { a.add_beneficiary(&r, &BeneficiaryInput::from(i)).await }, |_, id| format!("/gestion/beneficiaires/{id}")) }

#[derive(Template)]
#[template(path = "staff/beneficiary.html")]
pub struct BeneficiaryPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub id: i64,
    pub b: acta_domain::beneficiary::Beneficiary,
    pub siret: String,
    pub accounts: Vec<Stored<BankAccount>>,
}

async fn beneficiary_page(
    s: &AppState,
    visitor: &Visitor,
    id: i64,
    error: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let b = s.acta.find_beneficiary(&id.to_string()).await?;
        let accounts = s.acta.bank_accounts(b.id).await?;
        let (b, accounts) = (b, accounts);
        let page = BeneficiaryPage {
            frame: Frame::staff(visitor, b.name.clone()).refused(error),
            can: Can::of(visitor),
            typed,
            id,
            siret: b
                .siret
                .as_ref()
                .map(|s| s.grouped())
                .unwrap_or_else(|| "—".into()),
            b: b.data,
            accounts,
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}

// ---- Budget lines ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/budget.html")]
pub struct BudgetPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub year: i16,
    pub line_year: String,
    pub lines: Vec<BudgetLineChoice>,
}

async fn budget_page(
    s: &AppState,
    visitor: &Visitor,
    year: i16,
    error: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let lines = s.acta.budget_line_choices(year).await?;
        let line_year = match typed.get("annee") {
            "" => year.to_string(),
            y => y.to_string(),
        };
        let page = BudgetPage {
            frame: Frame::staff(visitor, format!("Budget {year}")).refused(error),
            can: Can::of(visitor),
            typed,
            year,
            line_year,
            lines,
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}

/// The year a budget page shows: as asked, else this year.
#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub annee: Option<String>,
}

impl YearQuery {
    /// The year asked, strictly: absent, or digits; anything else is refused (the API's
    /// answer), not replaced by this year.
    pub fn year(&self) -> Result<Option<i16>, AppError> {
        match self
            .annee
            .as_deref()
            .map(str::trim)
            .filter(|y| !y.is_empty())
        {
            None => Ok(None),
            Some(y) => y.parse().map(Some).map_err(|_| {
                acta_domain::DomainError::field(
                    "annee",
                    format!("Exercice : « {y} » n'est pas une année (ex. 2024)."),
                )
                .into()
            }),
        }
    }

    /// The year asked, else `default` (this year): the back office's pages.
    pub fn year_or(&self, default: i16) -> i16 {
        self.annee
            .as_deref()
            .and_then(|y| y.trim().parse().ok())
            .unwrap_or(default)
    }
}

pub async fn budget(
    State(s): State<AppState>,
    staff: Staff,
    QueryParams(query): QueryParams<YearQuery>,
) -> Response {
    let year = query.year_or(s.acta.today().year());
    budget_page(&s, &staff.visitor, year, None, Typed::default()).await
}

page_subject! {
    /// The budget of this year, where a budget line is created.
    Budget(()): () => () = ();
    url = "/gestion/budget".to_string();
    page = |s, v, e, t| budget_page(s, v, s.acta.today().year(), e, t);
}

#[rustfmt::skip]
pub fn add_budget_line(m: MethodFilter) -> MethodRouter<AppState> { writes::create::<Budget, _, _, _>(m, "budget", |a, r, (), i: NewBudgetLine| async move { a.add_budget_line(&r, &i).await.map(|_| i.year) }, |_, year| format!("/gestion/budget?annee={year}")) }

// ---- Awards and their execution ---------------------------------------------------------

/// Awards per page of the list.
const AWARDS_PER_PAGE: usize = 50;

pub struct PageLink {
    pub number: usize,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "staff/awards.html")]
pub struct AwardsPage {
    pub frame: Frame,
    pub list: Vec<AwardEntry>,
    pub pages: Vec<PageLink>,
}

pub async fn awards(
    State(s): State<AppState>,
    staff: Staff,
    QueryParams(query): QueryParams<PageQuery>,
) -> Response {
    let page = async {
        let list = s.acta.award_entries(100_000).await?;
        let count = list.len().div_ceil(AWARDS_PER_PAGE).max(1);
        let current = query.number().min(count);
        let page = AwardsPage {
            frame: Frame::staff(&staff.visitor, "Aides"),
            list: list
                .into_iter()
                .skip((current - 1) * AWARDS_PER_PAGE)
                .take(AWARDS_PER_PAGE)
                .collect(),
            pages: (1..=count)
                .map(|number| PageLink {
                    number,
                    current: number == current,
                })
                .collect(),
        };
        Ok(page)
    }
    .await;
    shown(&staff.visitor, None, page)
}

pub struct TrancheRow {
    pub position: u32,
    pub scheduled: String,
    pub paid: String,
    pub cancelled: String,
    pub remaining: String,
    pub due: String,
    pub received: String,
}

#[derive(Template)]
#[template(path = "staff/award.html")]
pub struct AwardPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub base: String,
    pub e: GrantExecution,
    pub convention: Option<ConventionView>,
    pub signed_on: Option<String>,
    pub tranches: Vec<TrancheRow>,
    /// Payments, documents received, decisions and amendments, in French sentences.
    pub history: Vec<String>,
    pub show_convention_form: bool,
    pub show_signature_form: bool,
    /// The convention is signed: documents, payments, decisions and amendments follow.
    pub signed: bool,
    pub reasons: Vec<Choice>,
    /// The notification to the beneficiary and the award's enforceability.
    pub notification: acta_app::publications::NotificationView,
    pub means: Vec<Choice>,
    pub show_notification_form: bool,
}

fn date_or_dash(d: Option<jiff::civil::Date>) -> String {
    d.map(format_date_long).unwrap_or_else(|| "—".into())
}

async fn award_page(
    s: &AppState,
    visitor: &Visitor,
    id: i64,
    error: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let execution = s.acta.grant_execution(&award_key(id)).await?;
        let convention = s.acta.convention_view(&award_key(id)).await.ok();
        let can = Can::of(visitor);
        let status = convention.as_ref().map(|c| c.status);
        let draft = status == Some(ConventionStatus::Draft);
        let mut reasons = vec![(String::new(), "— (pas de remboursement total)".to_string())];
        reasons.extend(ReimbursementReason::TOTAL.map(|r| {
            let label = r.label();
            let mut chars = label.chars();
            let capitalized: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            (r.code().to_string(), capitalized)
        }));
        let selected_reason = typed.form_get("reversements", "total").to_string();
        let notification = s.acta.notification(&award_key(id)).await?;
        let means = acta_domain::publication::NotificationMeans::ALL
            .map(|m| (m.code().to_string(), m.label().to_string()))
            .to_vec();
        let selected_means = typed.form_get("notification", "moyen").to_string();
        let page = AwardPage {
            show_notification_form: notification.notification.is_none()
                && can.post("/gestion/aides/{id}/notification"),
            means: choices(means, &selected_means),
            notification,
            frame: Frame::staff(visitor, format!("Aide n°{id}")).refused(error),
            base: format!("/gestion/aides/{id}"),
            signed_on: convention
                .as_ref()
                .and_then(|c| c.signed_on)
                .map(format_date_long),
            tranches: execution
                .tranches
                .iter()
                .map(|t| TrancheRow {
                    position: t.position,
                    scheduled: t.scheduled.to_string(),
                    paid: t.paid.to_string(),
                    cancelled: t.cancelled.to_string(),
                    remaining: t.remaining.to_string(),
                    due: date_or_dash(t.document_due),
                    received: date_or_dash(t.document_received),
                })
                .collect(),
            history: execution.history(),
            show_convention_form: convention.is_none()
                && can.post("/gestion/aides/{id}/convention"),
            show_signature_form: draft && can.post("/gestion/aides/{id}/signature"),
            signed: convention.is_some() && !draft,
            reasons: choices(reasons, &selected_reason),
            e: execution,
            convention,
            typed,
            can,
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}

page_subject! {
    /// An aid, by the number its address gives: its page holds the convention's forms.
    Aid(id): i64 => AwardKey = award_key(id);
    url = format!("/gestion/aides/{id}");
    page = |s, v, e, t| award_page(s, v, id, e, t);
}

page_subject! {
    /// A beneficiary, by the number its address gives: its page holds the bank accounts.
    Beneficiary(id): i64 => Id<acta_domain::beneficiary::Beneficiary> = Id::new(id);
    url = format!("/gestion/beneficiaires/{id}");
    page = |s, v, e, t| beneficiary_page(s, v, id, e, t);
}

// The aid's forms and the bank account's, one line each (see `writes::form`).

#[rustfmt::skip]
pub fn create_convention(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "convention", |a, r, k, i: NewConvention| async move { a.create_convention(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn sign(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "signature", |a, r, k, i: SignatureInput| async move { a.sign_convention(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn notify(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "notification", |a, r, k, i: NotificationInput| async move { a.notify_award(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn receive_document(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "documents", |a, r, k, i: DocumentInput| async move { a.receive_document(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn record_payment(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "versements", |a, r, k, i: PaymentInput| async move { a.record_payment(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn decide_reimbursement(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "reversements", |a, r, k, i: ReimbursementInput| async move { a.decide_reimbursement(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn amend(m: MethodFilter) -> MethodRouter<AppState> { form::<Aid, _, _, _>(m, "avenants", |a, r, k, i: NewAmendment| async move { a.amend_convention(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn add_bank_account(m: MethodFilter) -> MethodRouter<AppState> { form::<Beneficiary, _, _, _>(m, "comptes", |a, r, k, i: BankAccountInput| async move { a.add_bank_account(&r, k, &i).await }) }

/// The convention as the documents render it, in PDF.
pub async fn convention_pdf(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Response {
    let document = s.acta.convention_document(&s.config, &award_key(id)).await;
    let name = format!("convention-aide-{id}.pdf");
    crate::pages::pdf_download(&s, &staff.visitor, &name, document).await
}

// ---- Overdue documents and exports --------------------------------------------------------

pub struct OverdueRow {
    pub deliberation: String,
    pub beneficiary: String,
    pub document: String,
    pub tranche: u32,
    pub due: String,
    pub days_late: i32,
    pub waiting: String,
}

#[derive(Template)]
#[template(path = "staff/overdue.html")]
pub struct OverduePage {
    pub frame: Frame,
    pub today: String,
    pub list: Vec<OverdueRow>,
}

pub async fn overdue(State(s): State<AppState>, staff: Staff) -> Response {
    let page = async {
        let today = s.acta.today();
        let list = s.acta.overdue_documents(&today.to_string()).await?;
        let page = OverduePage {
            frame: Frame::staff(&staff.visitor, "Documents en retard"),
            today: format_date_long(today),
            list: list
                .into_iter()
                .map(|o| OverdueRow {
                    deliberation: o.deliberation_number.unwrap_or_else(|| "—".into()),
                    beneficiary: o.beneficiary,
                    document: o.overdue.document,
                    tranche: o.overdue.tranche,
                    due: format_date_long(o.overdue.due),
                    days_late: o.overdue.days_late,
                    waiting: o.overdue.amount_waiting.to_string(),
                })
                .collect(),
        };
        Ok(page)
    }
    .await;
    shown(&staff.visitor, None, page)
}

#[derive(Template)]
#[template(path = "staff/exports.html")]
pub struct ExportsPage {
    pub frame: Frame,
    pub can: Can,
}

pub async fn exports(staff: Staff) -> Response {
    render_after(
        None,
        &ExportsPage {
            frame: Frame::staff(&staff.visitor, "Exports"),
            can: Can::of(&staff.visitor),
        },
    )
}

pub async fn subsidies_csv(State(s): State<AppState>, staff: Staff) -> Response {
    let mut out = Vec::new();
    match s.acta.export_scdl_subsidies(&mut out).await {
        Ok(_) => csv("subventions.csv", out),
        Err(e) => staff_error(&staff.visitor, e),
    }
}
