//! Sittings: the list, a new sitting, and a sitting's page with its roll call, proxies,
//! movements and agenda.

use super::see_other;
use crate::AppState;
use crate::api_staff::sitting;
use crate::extract::{FormFields, PathParams, Staff};
use crate::pages::{Can, Choice, Frame, Typed, choices, shown};
use crate::session::Visitor;
use crate::writes::{self, form, page_subject};
use acta_app::AppError;
use acta_app::input::{MovementInput, NewItem, NewSitting, ProxyInput};
use acta_app::views::SittingView;
use acta_domain::DomainError;
use acta_domain::french::format_date_long;
use acta_domain::keys::SittingKey;
use acta_domain::sitting::AttendanceStatus;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

/// The statuses a roll call offers, with the label of a form's option.
const STATUSES: [(AttendanceStatus, &str); 5] = [
    (AttendanceStatus::Present, "Présent"),
    (AttendanceStatus::Excused, "Excusé"),
    (AttendanceStatus::Absent, "Absent"),
    (
        AttendanceStatus::PresentWithoutVote,
        "Présent sans voix délibérative",
    ),
    (
        AttendanceStatus::ExcusedWithoutVote,
        "Excusé sans voix délibérative",
    ),
];

// ---- Handlers ---------------------------------------------------------------------------

page_subject! {
    /// The sittings' list, where a new sitting is created.
    Sittings(()): () => () = ();
    url = "/gestion/seances".to_string();
    page = |s, v, e, t| dashboard(s, v, e, t);
}

/// Publishes the signed minutes on the portal.
#[rustfmt::skip]
pub fn publish_minutes(m: MethodFilter) -> MethodRouter<AppState> { form::<Sitting, _, _, _>(m, "proces-verbal", |a, r, k, _: crate::api_acts::Nothing| async move { a.publish_minutes(&r, &k).await }) }

#[rustfmt::skip]
pub fn create(m: MethodFilter) -> MethodRouter<AppState> { writes::create::<Sittings, _, _, _>(m, "seances", |a, r, (), i: NewSitting| async move { a.create_sitting(&r, &i).await }, |_, id| format!("/gestion/seances/{id}")) }

pub async fn roll_call(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
    FormFields(fields): FormFields,
) -> Response {
    let result = async {
        let roll = s.acta.roll_call(&sitting(id)).await?;
        let marks = roll_call_marks(&fields, &roll)?;
        s.acta
            .record_roll_call(&staff.actor, &sitting(id), &marks)
            .await
    }
    .await;
    answer(&s, &staff.visitor, id, result.map(|_| ()), Typed::default()).await
}

page_subject! {
    /// A sitting, by the number its address gives: its page holds the roll call, proxies,
    /// movements and agenda.
    Sitting(id): i64 => SittingKey = sitting(id);
    url = format!("/gestion/seances/{id}");
    page = |s, v, e, t| sitting_page(s, v, id, e, t);
}

#[rustfmt::skip]
pub fn proxy(m: MethodFilter) -> MethodRouter<AppState> { form::<Sitting, _, _, _>(m, "pouvoirs", |a, r, k, i: ProxyInput| async move { a.give_proxy(&r, &k, &i).await }) }
#[rustfmt::skip]
pub fn movement(m: MethodFilter) -> MethodRouter<AppState> { form::<Sitting, _, _, _>(m, "mouvements", |a, r, k, i: MovementInput| async move { a.record_movement(&r, &k, &i).await }) }

#[rustfmt::skip]
pub fn add_item(m: MethodFilter) -> MethodRouter<AppState> { writes::create::<Sitting, _, _, _>(m, "points", |a, r, k, i: NewItem| async move { a.add_item(&r, &k, &i).await }, |id, position| format!("/gestion/seances/{id}/points/{position}")) }

/// Back to the sitting's page, or the page again with the refusal.
async fn answer(
    s: &AppState,
    visitor: &Visitor,
    id: i64,
    result: Result<(), AppError>,
    typed: Typed,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/gestion/seances/{id}")),
        Err(e) => sitting_page(s, visitor, id, Some(&e), typed).await,
    }
}

/// The roll call's form: one `statut_<member>` per member; "mark the others present"
/// fills those not yet marked.
fn roll_call_marks(
    fields: &crate::extract::Fields,
    roll: &[acta_app::backoffice::RollCallEntry],
) -> Result<Vec<(String, AttendanceStatus)>, AppError> {
    let everyone_else = fields
        .get("tous_presents")
        .is_some_and(|v| !v.trim().is_empty());
    let mut marks = Vec::new();
    for m in roll {
        let name = format!("statut_{}", m.member_id);
        let status = match fields
            .get(&name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            Some(code) => Some(AttendanceStatus::from_code(code).ok_or_else(|| {
                DomainError::field(
                    name.clone(),
                    format!("Présence de {} : « {code} » n'est pas un statut.", m.name),
                )
            })?),
            None if everyone_else && m.status.is_none() => Some(if m.voting {
                AttendanceStatus::Present
            } else {
                AttendanceStatus::PresentWithoutVote
            }),
            None => None,
        };
        if let Some(status) = status {
            marks.push((m.member_id.to_string(), status));
        }
    }
    Ok(marks)
}

// ---- Pages ------------------------------------------------------------------------------

pub struct SittingRow {
    pub id: i64,
    pub date: String,
    pub body: String,
    pub items: i64,
}

#[derive(Template)]
#[template(path = "staff/sittings.html")]
pub struct SittingsPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub sittings: Vec<SittingRow>,
    pub bodies: Vec<Choice>,
    pub members: Vec<String>,
}

async fn dashboard(
    s: &AppState,
    visitor: &Visitor,
    error: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let (sittings, bodies, members) = (
            s.acta.sitting_entries().await?,
            s.acta.deliberating_bodies().await?,
            s.acta.members().await?,
        );
        let page = SittingsPage {
            frame: Frame::staff(visitor, "Séances").refused(error),
            can: Can::of(visitor),
            bodies: choices(
                bodies.iter().map(|b| (b.id.to_string(), b.name.clone())),
                typed.get("instance"),
            ),
            typed,
            sittings: sittings
                .into_iter()
                .map(|e| SittingRow {
                    id: e.id,
                    date: format_date_long(e.date),
                    body: e.body,
                    items: e.items,
                })
                .collect(),
            members: members.iter().map(|m| m.name.full()).collect(),
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}

pub struct AgendaRow {
    pub position: u32,
    pub report_number: u32,
    pub title: String,
    /// "Adopté", "Rejeté", or "à voter".
    pub result: String,
    pub number: Option<String>,
}

pub struct RollRow {
    pub id: i64,
    pub name: String,
    pub group: String,
    pub voting: bool,
    /// The status, as a label (read-only pages).
    pub status: &'static str,
    pub statuses: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "staff/sitting.html")]
pub struct SittingPage {
    pub frame: Frame,
    pub can: Can,
    pub typed: Typed,
    pub base: String,
    pub view: SittingView,
    pub president: String,
    pub secretary: String,
    pub agenda: Vec<AgendaRow>,
    pub may_mark: bool,
    pub roll: Vec<RollRow>,
    pub voters: Vec<Choice>,
    /// The minutes' approval, signature, publication and the week's warning.
    pub minutes: acta_app::minutes::MinutesView,
}

/// A sitting's page; `error` shows a refused form again above it.
async fn sitting_page(
    s: &AppState,
    visitor: &Visitor,
    id: i64,
    error: Option<&AppError>,
    typed: Typed,
) -> Response {
    let page = async {
        let key = sitting(id);
        let (view, roll) = (
            s.acta.sitting_view(&key).await?,
            s.acta.roll_call(&key).await?,
        );
        let can = Can::of(visitor);
        let may_mark = can.post("/gestion/seances/{id}/presences");
        let person = |p: &Option<String>| p.clone().unwrap_or_else(|| "non renseigné".into());
        let page = SittingPage {
            frame: Frame::staff(
                visitor,
                format!("{} du {}", view.body.name, format_date_long(view.date)),
            )
            .refused(error),
            typed,
            base: format!("/gestion/seances/{id}"),
            president: person(&view.president),
            secretary: person(&view.secretary),
            agenda: view
                .agenda
                .iter()
                .map(|item| AgendaRow {
                    position: item.position,
                    report_number: item.report_number,
                    title: item.title.clone(),
                    result: item
                        .outcome
                        .map_or_else(|| "à voter".to_string(), |o| o.label().to_string()),
                    number: item.deliberation_number.clone(),
                })
                .collect(),
            may_mark,
            minutes: s.acta.minutes_status(&key).await?,
            voters: choices(
                roll.iter()
                    .filter(|m| m.voting)
                    .map(|m| (m.member_id.to_string(), m.name.clone())),
                "",
            ),
            roll: roll
                .iter()
                .map(|m| {
                    let current = m.status.map(|s| s.code()).unwrap_or("");
                    let mut options = vec![(String::new(), "Non saisi".to_string())];
                    options.extend(
                        STATUSES
                            .iter()
                            .map(|(s, l)| (s.code().to_string(), l.to_string())),
                    );
                    RollRow {
                        id: m.member_id,
                        name: m.name.clone(),
                        group: m.group.clone().unwrap_or_default(),
                        voting: m.voting,
                        status: STATUSES
                            .iter()
                            .find(|(s, _)| Some(*s) == m.status)
                            .map_or("Non saisi", |(_, l)| l),
                        statuses: choices(options, current),
                    }
                })
                .collect(),
            view,
            can,
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}
