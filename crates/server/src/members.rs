//! The elected members' space (`/elus`): the sittings a member is convened to, a sitting's
//! agenda and reports with the member's private notes, the reply to the convocation and
//! declarations of interest; the personal link of the convocation message opens here.

use crate::AppState;
use crate::backoffice::see_other;
use crate::extract::{PathParams, Staff};
use crate::pages::{Frame, NavLink, Typed};
use crate::session::Visitor;
use crate::writes::{Page, form, page_subject};
use acta_app::AppError;
use acta_app::input::{AnnotationInput, InterestInput, ReplyInput};
use acta_app::members::{MemberSitting, MemberSittingSummary};
use acta_domain::french::format_date_long;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

/// The frame of the members' space: its own navigation.
fn frame(visitor: &Visitor, title: impl Into<String>) -> Frame {
    let mut f = Frame::staff(visitor, title);
    f.site = "acta — espace des élus".to_string();
    f.nav = vec![
        NavLink {
            href: "/elus",
            label: "Mes séances",
        },
        NavLink {
            href: "/",
            label: "Portail public",
        },
    ];
    f
}

#[derive(Template)]
#[template(path = "members/sittings.html")]
pub struct SittingsPage {
    pub frame: Frame,
    pub sittings: Vec<MemberSittingSummary>,
}

page_subject! {
    /// The member's sittings.
    MemberSittings(()): () => () = ();
    url = "/elus".to_string();
    build = |s, v, e, _| SittingsPage {
        frame: frame(v, "Mes séances").refused(e),
        sittings: s.acta.member_sittings(&v.actor()).await?,
    };
}

#[derive(Template)]
#[template(path = "members/sitting.html")]
pub struct SittingPage {
    pub frame: Frame,
    pub typed: Typed,
    pub base: String,
    pub sitting: MemberSitting,
    pub when: String,
}

page_subject! {
    /// A sitting in the member's space.
    MemberSittingPage(id): i64 => i64 = id;
    url = format!("/elus/seances/{id}");
    build = |s, v, e, typed| {
        let sitting = s.acta.member_sitting(&v.actor(), id).await?;
        SittingPage {
            frame: frame(
                v,
                format!("{} du {}", sitting.body, format_date_long(sitting.date)),
            )
            .refused(e),
            typed,
            base: format!("/elus/seances/{id}"),
            when: match sitting.time {
                Some(t) => format!(
                    "Le {} à {} h {:02}",
                    format_date_long(sitting.date),
                    t.hour(),
                    t.minute()
                ),
                None => format!("Le {}", format_date_long(sitting.date)),
            },
            sitting,
        }
    };
}

/// The personal link of a convocation: records the first opening, then shows the sitting.
pub async fn open_link(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(token): PathParams<String>,
) -> Response {
    match s.acta.open_convocation(&staff.actor, &token).await {
        Ok(sitting) => see_other(&format!("/elus/seances/{sitting}")),
        Err(e) => MemberSittings::page(&s, &staff.visitor, (), Some(&e), Typed::default()).await,
    }
}

#[rustfmt::skip]
pub fn reply(m: MethodFilter) -> MethodRouter<AppState> { form::<MemberSittingPage, _, _, _>(m, "reponse", |a, r, id, i: ReplyInput| async move { a.reply_to_convocation(&r, id, &i).await }) }

/// An item of a sitting in the member's space: the sitting and the item's position.
pub struct MemberItem;

impl crate::writes::Subject for MemberItem {
    type Path = (i64, u32);
    type Key = (i64, u32);
    fn key(path: &(i64, u32)) -> (i64, u32) {
        *path
    }
}

impl crate::writes::Page for MemberItem {
    fn url(path: &(i64, u32)) -> String {
        format!("/elus/seances/{}#point-{}", path.0, path.1)
    }
    async fn page(
        s: &AppState,
        v: &Visitor,
        path: (i64, u32),
        e: Option<&AppError>,
        t: Typed,
    ) -> Response {
        MemberSittingPage::page(s, v, path.0, e, t).await
    }
}

#[rustfmt::skip]
pub fn annotate(m: MethodFilter) -> MethodRouter<AppState> { form::<MemberItem, _, _, _>(m, "note", |a, r, (id, p), i: AnnotationInput| async move { a.annotate_report(&r, id, p, &i).await }) }
#[rustfmt::skip]
pub fn declare_interest(m: MethodFilter) -> MethodRouter<AppState> { form::<MemberItem, _, _, _>(m, "interet", |a, r, (id, p), i: InterestInput| async move { a.declare_interest(&r, id, p, &i).await }) }
