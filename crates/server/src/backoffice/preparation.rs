//! Before the sitting, for staff: the validation circuits, the reports in preparation (the
//! dashboard, a report's page with its text, circuit, history and versions), and a
//! sitting's convocation with the proofs per member and the expected attendance.

use crate::AppState;
use crate::api_acts::Nothing;
use crate::api_staff::sitting;
use crate::extract::{PathParams, Staff};
use crate::pages::{Can, Frame, Typed, shown};
use crate::session::Visitor;
use crate::writes::{self, form, page_subject};
use acta_app::AppError;
use acta_app::convocations::ConvocationView;
use acta_app::input::{
    AgendaPlacement, CircuitInput, ConvocationInput, NewReportDraft, PostponeInput, ReasonInput,
    ReportTextInput, StepDecision,
};
use acta_app::members::ExpectedAttendanceView;
use acta_app::preparation::{CircuitView, Dashboard, ReportDraftView};
use acta_domain::circuit::LineChange;
use acta_domain::french::format_date_long;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use serde::Deserialize;

// ---- Circuits ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/circuits.html")]
pub struct CircuitsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub circuits: Vec<CircuitView>,
}

page_subject! {
    /// The circuits' list, where a circuit is created.
    Circuits(()): () => () = ();
    url = "/gestion/circuits".to_string();
    build = |s, v, e, typed| CircuitsPage {
        frame: Frame::staff(v, "Circuits de validation").refused(e),
        can: Can::of(v),
        typed,
        circuits: s.acta.circuits().await?,
    };
}

#[rustfmt::skip]
pub fn create_circuit(m: MethodFilter) -> MethodRouter<AppState> { form::<Circuits, _, _, _>(m, "circuits", |a, r, (), i: CircuitInput| async move { a.create_circuit(&r, &i).await }) }

// ---- Reports in preparation -------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/reports.html")]
pub struct ReportsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub dashboard: Dashboard,
    pub circuits: Vec<CircuitView>,
}

page_subject! {
    /// The reports in preparation: by state, by direction, the late ones; a new report.
    Reports(()): () => () = ();
    url = "/gestion/rapports".to_string();
    build = |s, v, e, typed| ReportsPage {
        frame: Frame::staff(v, "Rapports en préparation").refused(e),
        can: Can::of(v),
        typed,
        dashboard: s.acta.report_dashboard().await?,
        circuits: s.acta.circuits().await?,
    };
}

#[rustfmt::skip]
pub fn create_report(m: MethodFilter) -> MethodRouter<AppState> { writes::create::<Reports, _, _, _>(m, "rapports", |a, r, (), i: NewReportDraft| async move { a.create_report_draft(&r, &i).await }, |_, id| format!("/gestion/rapports/{id}")) }

#[derive(Template)]
#[template(path = "staff/report.html")]
pub struct ReportPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub base: String,
    pub report: ReportDraftView,
    /// The text as the form shows it: what was typed if refused, else the last version.
    pub visas: String,
    pub considerations: String,
    pub articles: String,
    pub budget: String,
    pub expose: String,
    pub title: String,
    /// A comparison asked for (from, to, lines).
    pub comparison: Option<(i64, i64, Vec<LineChange>)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CompareQuery {
    pub de: Option<i64>,
    pub a: Option<i64>,
}

async fn report_page(
    s: &AppState,
    v: &Visitor,
    id: i64,
    e: Option<&AppError>,
    typed: Typed,
    compare: CompareQuery,
) -> Response {
    let page = async {
        let report = s.acta.report_draft(id).await?;
        let comparison = match (compare.de, compare.a) {
            (Some(from), Some(to)) => Some((
                from,
                to,
                s.acta.compare_report_versions(id, from, to).await?,
            )),
            _ => None,
        };
        let refused_text = typed.form == "texte";
        let field = |name: &str, current: String| {
            if refused_text {
                typed.get(name).to_string()
            } else {
                current
            }
        };
        let t = &report.text;
        Ok(ReportPage {
            frame: Frame::staff(v, format!("Rapport en préparation : {}", report.title)).refused(e),
            can: Can::of(v),
            base: format!("/gestion/rapports/{id}"),
            title: field("titre", t.title.clone()),
            expose: field("expose", t.expose.clone()),
            visas: field("visas", t.visas.join("\n")),
            considerations: field("considerants", t.considerations.join("\n")),
            articles: field("articles", t.articles.join("\n")),
            budget: field("budget", t.budget.join("\n")),
            typed,
            report,
            comparison,
        })
    }
    .await;
    shown(v, e, page)
}

page_subject! {
    /// A report in preparation, by its number.
    ReportDraft(id): i64 => i64 = id;
    url = format!("/gestion/rapports/{id}");
    page = |s, v, e, t| report_page(s, v, id, e, t, CompareQuery::default());
}

/// A report's page, with a comparison of two versions when asked (`?de=1&a=3`).
pub async fn show_report(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    Query(compare): Query<CompareQuery>,
) -> Response {
    report_page(&s, &staff.visitor, id, None, Typed::default(), compare).await
}

#[rustfmt::skip]
pub fn edit_text(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "texte", |a, r, id, i: ReportTextInput| async move { a.edit_report_draft(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn submit(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "soumission", |a, r, id, _: Nothing| async move { a.submit_report_draft(&r, id).await }) }
#[rustfmt::skip]
pub fn validate(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "validation", |a, r, id, i: StepDecision| async move { a.validate_report_step(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn send_back(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "renvoi", |a, r, id, i: StepDecision| async move { a.send_back_report(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn withdraw(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "retrait", |a, r, id, i: ReasonInput| async move { a.withdraw_report_draft(&r, id, &i).await }) }
#[rustfmt::skip]
pub fn place(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "inscription", |a, r, id, i: AgendaPlacement| async move { a.place_report_on_agenda(&r, id, &i).await }) }

#[rustfmt::skip]
pub fn postpone(m: MethodFilter) -> MethodRouter<AppState> { form::<ReportDraft, _, _, _>(m, "report-seance", |a, r, id, i: PostponeInput| async move { a.postpone_report(&r, id, &i).await }) }

// ---- The convocation --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/convocation.html")]
pub struct ConvocationPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub base: String,
    pub sitting_id: i64,
    pub convocation: Option<ConvocationView>,
    pub expected: ExpectedAttendanceView,
}

async fn convocation_page(
    s: &AppState,
    v: &Visitor,
    id: i64,
    e: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let key = sitting(id);
        let view = s.acta.sitting_view(&key).await?;
        let convocation = match s.acta.convocation(&key).await {
            Ok(c) => Some(c),
            Err(AppError::NotFound(_)) => None,
            Err(other) => return Err(other),
        };
        Ok(ConvocationPage {
            frame: Frame::staff(
                v,
                format!(
                    "Convocation : {} du {}",
                    view.body.name,
                    format_date_long(view.date)
                ),
            )
            .refused(e),
            can: Can::of(v),
            typed,
            base: format!("/gestion/seances/{id}/convocation"),
            sitting_id: id,
            convocation,
            expected: s.acta.expected_attendance(&key).await?,
        })
    }
    .await;
    shown(v, e, page)
}

page_subject! {
    /// A sitting's convocation: the sending, each member's proof, the expected attendance.
    Convocation(id): i64 => acta_domain::keys::SittingKey = sitting(id);
    url = format!("/gestion/seances/{id}/convocation");
    page = |s, v, e, t| convocation_page(s, v, id, e, t);
}

#[rustfmt::skip]
pub fn convene(m: MethodFilter) -> MethodRouter<AppState> { form::<Convocation, _, _, _>(m, "convocation", |a, r, k, i: ConvocationInput| async move { a.convene(&r, &k, &i, &a.renderer).await }) }
#[rustfmt::skip]
pub fn resend(m: MethodFilter) -> MethodRouter<AppState> { form::<Convocation, _, _, _>(m, "renvoi", |a, r, k, _: Nothing| async move { a.resend_convocation(&r, &k, &a.renderer).await }) }

/// The letters to print for the members convened without an address, in PDF.
pub async fn paper_letters(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Response {
    match s.acta.paper_convocations(&sitting(id), &s.renderer).await {
        Ok(Some(pdf)) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"convocations-papier-{id}.pdf\""),
                ),
            ],
            pdf,
        )
            .into_response(),
        Ok(None) => convocation_page(
            &s,
            &staff.visitor,
            id,
            Some(&AppError::not_found(
                "Courriers : chaque élu convoqué a une adresse électronique ; il n'y a rien à imprimer.",
            )),
            Typed::default(),
        )
        .await,
        Err(e) => convocation_page(&s, &staff.visitor, id, Some(&e), Typed::default()).await,
    }
}
