//! The API before the sitting: circuits, reports in preparation and their steps, the
//! convocation and the expected attendance, and the elected members' own space. The same
//! use cases and input structs as the back office's forms.

use crate::AppState;
use crate::api_acts::Nothing;
use crate::api_staff::sitting;
use crate::backoffice::preparation::{Convocation, ReportDraft};
use crate::extract::{PathParams, Staff};
use crate::members::{MemberItem, MemberSittingPage};
use crate::problem::Problem;
use crate::writes::{Register, json};
use acta_app::convocations::ConvocationView;
use acta_app::input::{
    AgendaPlacement, AnnotationInput, CircuitInput, ConvocationInput, InterestInput,
    MailSettingsInput, MemberEmailInput, NewReportDraft, PostponeInput, ReasonInput, ReplyInput,
    ReportTextInput, StepDecision,
};
use acta_app::members::{ExpectedAttendanceView, MemberSitting, MemberSittingSummary};
use acta_app::preparation::{CircuitView, Dashboard, EditOutcome, ReportDraftView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodFilter, MethodRouter};

type Answer<T> = Result<Json<T>, Problem>;

fn created(id: i64) -> (StatusCode, Json<crate::api_staff::Created>) {
    (StatusCode::CREATED, Json(crate::api_staff::Created { id }))
}

fn done(_: ()) -> StatusCode {
    StatusCode::NO_CONTENT
}

pub async fn circuits(State(s): State<AppState>) -> Answer<Vec<CircuitView>> {
    Ok(Json(s.acta.circuits().await?))
}

pub async fn reports(State(s): State<AppState>) -> Answer<Dashboard> {
    Ok(Json(s.acta.report_dashboard().await?))
}

pub async fn report(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<ReportDraftView> {
    Ok(Json(s.acta.report_draft(id).await?))
}

pub async fn convocation(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<ConvocationView> {
    Ok(Json(s.acta.convocation(&sitting(id)).await?))
}

pub async fn expected(
    State(s): State<AppState>,
    PathParams(id): PathParams<i64>,
) -> Answer<ExpectedAttendanceView> {
    Ok(Json(s.acta.expected_attendance(&sitting(id)).await?))
}

pub async fn member_sittings(
    State(s): State<AppState>,
    staff: Staff,
) -> Answer<Vec<MemberSittingSummary>> {
    Ok(Json(s.acta.member_sittings(&staff.actor).await?))
}

pub async fn member_sitting(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Answer<MemberSitting> {
    Ok(Json(s.acta.member_sitting(&staff.actor, id).await?))
}

#[rustfmt::skip]
mod writes {
    use super::*;
    pub fn create_circuit(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: CircuitInput| async move { a.create_circuit(&r, &i).await.map(created) }) }
    pub fn create_report(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: NewReportDraft| async move { a.create_report_draft(&r, &i).await.map(created) }) }
    pub fn edit_text(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, i: ReportTextInput| async move { a.edit_report_draft(&r, id, &i).await.map(Json::<EditOutcome>) }) }
    pub fn submit(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, _: Nothing| async move { a.submit_report_draft(&r, id).await.map(Json) }) }
    pub fn validate(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, i: StepDecision| async move { a.validate_report_step(&r, id, &i).await.map(Json) }) }
    pub fn send_back(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, i: StepDecision| async move { a.send_back_report(&r, id, &i).await.map(Json) }) }
    pub fn withdraw(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, i: ReasonInput| async move { a.withdraw_report_draft(&r, id, &i).await.map(Json) }) }
    pub fn place(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, i: AgendaPlacement| async move { a.place_report_on_agenda(&r, id, &i).await.map(|position| Json(crate::api_staff::ItemCreated { position })) }) }
    pub fn postpone(m: MethodFilter) -> MethodRouter<AppState> { json::<ReportDraft, _, _, _>(m, |a, r, id, i: PostponeInput| async move { a.postpone_report(&r, id, &i).await.map(|position| Json(crate::api_staff::ItemCreated { position })) }) }
    pub fn convene(m: MethodFilter) -> MethodRouter<AppState> { json::<Convocation, _, _, _>(m, |a, r, k, i: ConvocationInput| async move { a.convene(&r, &k, &i, &a.renderer).await.map(Json) }) }
    pub fn resend(m: MethodFilter) -> MethodRouter<AppState> { json::<Convocation, _, _, _>(m, |a, r, k, _: Nothing| async move { a.resend_convocation(&r, &k, &a.renderer).await.map(Json) }) }
    pub fn configure_mail(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: MailSettingsInput| async move { a.configure_mail(&r, &i).await.map(done) }) }
    pub fn member_email(m: MethodFilter) -> MethodRouter<AppState> { json::<Register, _, _, _>(m, |a, r, (), i: MemberEmailInput| async move { a.set_member_email(&r, &i).await.map(done) }) }
    pub fn reply(m: MethodFilter) -> MethodRouter<AppState> { json::<MemberSittingPage, _, _, _>(m, |a, r, id, i: ReplyInput| async move { a.reply_to_convocation(&r, id, &i).await.map(done) }) }
    pub fn annotate(m: MethodFilter) -> MethodRouter<AppState> { json::<MemberItem, _, _, _>(m, |a, r, (id, p), i: AnnotationInput| async move { a.annotate_report(&r, id, p, &i).await.map(done) }) }
    pub fn declare_interest(m: MethodFilter) -> MethodRouter<AppState> { json::<MemberItem, _, _, _>(m, |a, r, (id, p), i: InterestInput| async move { a.declare_interest(&r, id, p, &i).await.map(done) }) }
}
pub use writes::*;
