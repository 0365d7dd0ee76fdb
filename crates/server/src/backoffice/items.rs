//! An agenda item: presence and quorum, the vote in three modes with the majority worked
//! out before closing, closing and numbering, the draft deliberation and the commission's
//! opinion, and the awards its report proposes with the budget line's credits.

use super::see_other;
use crate::AppState;
use crate::api_staff::sitting;
use crate::extract::{Fields, FormFields, PathParams, QueryParams, Staff};
use crate::pages::{Can, Choice, Frame, Typed, choices, shown};
use crate::session::Visitor;
use crate::writes::{form, page_subject};
use acta_app::AppError;
use acta_app::backoffice::{GroupChoice, ItemAward, RollCallEntry};
use acta_app::drafts::DraftView;
use acta_app::input::sittings::named_choices;
use acta_app::input::{
    AwardInput, BudgetDecisionInput, DraftInput, OpinionInput, VoteInput, VoteRequest,
};
use acta_app::minutes::DiscussionInput;
use acta_app::sittings::ItemReport;
use acta_domain::credits::DecisionKind;
use acta_domain::grant::AwardKind;
use acta_domain::item::VoteOptions;
use acta_domain::keys::SittingKey;
use acta_domain::vote::VoteChoice;
use acta_domain::{Amount, DomainError};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};

const CHOICES: [(&str, &str); 4] = [
    ("pour", "Pour"),
    ("contre", "Contre"),
    ("abstention", "Abstention"),
    ("npp", "Ne prend pas part au vote"),
];

// ---- Handlers ---------------------------------------------------------------------------

page_subject! {
    /// An agenda item, by its sitting's number and its position: its page holds the
    /// draft, the commission's opinion, the vote and the awards.
    Item((id, position)): (i64, u32) => (SittingKey, u32) = (sitting(id), position);
    url = format!("/gestion/seances/{id}/points/{position}");
    page = |s, v, e, t| item_page(s, v, (id, position), t, None, e);
}

#[rustfmt::skip]
pub fn edit_draft(m: MethodFilter) -> MethodRouter<AppState> { form::<Item, _, _, _>(m, "projet", |a, r, (k, p), i: DraftInput| async move { a.edit_draft(&r, &k, p, &i).await }) }
#[rustfmt::skip]
pub fn set_discussion(m: MethodFilter) -> MethodRouter<AppState> { form::<Item, _, _, _>(m, "discussions", |a, r, (k, p), i: DiscussionInput| async move { a.set_discussion(&r, &k, p, &i).await }) }
#[rustfmt::skip]
pub fn set_opinion(m: MethodFilter) -> MethodRouter<AppState> { form::<Item, _, _, _>(m, "avis", |a, r, (k, p), i: OpinionInput| async move { a.set_commission_opinion(&r, &k, p, &i).await }) }
#[rustfmt::skip]
pub fn propose_budget_decision(m: MethodFilter) -> MethodRouter<AppState> { form::<Item, _, _, _>(m, "decisions-budgetaires", |a, r, (k, p), i: BudgetDecisionInput| async move { a.propose_budget_decision(&r, &k, p, &i).await }) }
#[rustfmt::skip]
pub fn propose_award(m: MethodFilter) -> MethodRouter<AppState> { form::<Item, _, _, _>(m, "attributions", |a, r, (k, p), i: AwardInput| async move { a.propose_award(&r, &k, p, &i).await }) }

/// "Calculer" works the vote out and shows it; "Clore" closes and numbers.
pub async fn vote(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, position)): PathParams<(i64, u32)>,
    FormFields(fields): FormFields,
) -> Response {
    let key = sitting(id);
    let closing = fields.get("action").map(String::as_str) == Some("clore");
    let result = async {
        let roll = s.acta.roll_call(&key).await?;
        let groups = s.acta.group_choices().await?;
        let request = vote_request(&fields, &roll, &groups)?;
        let options = request.options()?;
        if closing {
            s.acta
                .close_item(
                    &staff.actor,
                    &key,
                    position,
                    request.vote.as_ref(),
                    &options,
                )
                .await
        } else {
            s.acta
                .preview_item(&key, position, request.vote.as_ref(), &options)
                .await
        }
    }
    .await;
    let typed = Typed::new(fields);
    match result {
        Ok(_) if closing => see_other(&format!("/gestion/seances/{id}/points/{position}")),
        Ok(report) => {
            item_page(
                &s,
                &staff.visitor,
                (id, position),
                typed,
                Some(report),
                None,
            )
            .await
        }
        Err(e) => item_page(&s, &staff.visitor, (id, position), typed, None, Some(&e)).await,
    }
}

/// A line's credits against an amount being typed: a fragment the award form shows.
pub async fn credits(
    State(s): State<AppState>,
    QueryParams(fields): QueryParams<Fields>,
) -> Response {
    let text = |name: &str| fields.get(name).map(|v| v.trim()).unwrap_or("");
    let result = async {
        let year: i16 = text("annee").parse().map_err(|_| {
            DomainError::field(
                "annee",
                format!("Exercice : « {} » n'est pas une année.", text("annee")),
            )
        })?;
        let amount = match text("montant") {
            "" => Amount::ZERO,
            m => Amount::parse_fr("montant", m)?,
        };
        s.acta.budget_line_row(text("ligne"), year, amount).await
    }
    .await;
    let fragment = match result {
        Ok(row) => format!(
            "Crédits votés {} · disponible {} · cette attribution {} · solde après {}",
            row.voted, row.available, row.proposed, row.balance
        ),
        Err(e) => e.to_string(),
    };
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        fragment,
    )
        .into_response()
}

/// The vote as the form states it, in the mode chosen; the choice of each member and
/// group is a field named after its number.
fn vote_request(
    fields: &Fields,
    roll: &[RollCallEntry],
    groups: &[GroupChoice],
) -> Result<VoteRequest, AppError> {
    let text = |name: &str| fields.get(name).map(|v| v.trim()).unwrap_or("");
    let choice = |name: &str, label: &str| -> Result<Option<String>, AppError> {
        match text(name) {
            "" => Ok(None),
            v => Ok(Some(
                VoteChoice::parse_field(name, label, v)?.code().to_string(),
            )),
        }
    };
    let group_choices = |prefix: &str| -> Result<Vec<(String, String)>, AppError> {
        let mut out = Vec::new();
        for g in groups {
            if let Some(c) = choice(&format!("{prefix}_{}", g.id), &g.name)? {
                out.push((g.name.clone(), c));
            }
        }
        Ok(out)
    };
    let count = |name: &str, label: &str| -> Result<u32, AppError> {
        match text(name) {
            "" => Ok(0),
            v => v.parse().map_err(|_| {
                DomainError::field(
                    name,
                    format!("{label} : « {v} » n'est pas un nombre entier."),
                )
                .into()
            }),
        }
    };
    let vote = match text("mode") {
        "" => None,
        "par_elu" => {
            let mut ballots = Vec::new();
            for m in roll {
                if let Some(c) = choice(&format!("elu_{}", m.member_id), &m.name)? {
                    ballots.push((m.member_id.to_string(), c));
                }
            }
            Some(VoteInput::PerMember { ballots })
        }
        "par_groupe" => Some(VoteInput::PerGroup {
            groups: group_choices("groupe")?,
            exceptions: named_choices("sauf", text("sauf"))?,
        }),
        "totaux" => Some(VoteInput::Totals {
            for_: count("pour", "Pour")?,
            against: count("contre", "Contre")?,
            abstention: count("abstention", "Abstention")?,
            not_participating: count("npp", "Ne prend pas part au vote")?,
            groups: group_choices("position")?,
        }),
        other => {
            return Err(DomainError::field(
                "mode",
                format!("Mode de saisie : « {other} » n'existe pas."),
            )
            .into());
        }
    };
    Ok(VoteRequest {
        vote,
        secret: !text("secret").is_empty(),
        voix_president: Some(text("voix_president").to_string()).filter(|v| !v.is_empty()),
    })
}

// ---- The page ---------------------------------------------------------------------------

/// A select of the vote form: who, the field, its accessible name and its choices.
pub struct VoteRow {
    pub who: String,
    pub name: String,
    pub label: String,
    pub choices: Vec<Choice>,
}

/// A field of the vote's totals.
pub struct CountField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// The choices of the award form.
#[derive(Default)]
pub struct AwardForm {
    pub beneficiaries: Vec<Choice>,
    pub lines: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub year: i16,
}

#[derive(Template)]
#[template(path = "staff/item.html")]
pub struct ItemPage {
    pub frame: Frame,
    /// The substance of the discussions, for the minutes.
    pub discussion: String,
    pub can: Can,
    pub typed: Typed,
    pub base: String,
    pub sitting_id: i64,
    pub report: ItemReport,
    pub vote_line: String,
    pub draft: DraftView,
    pub opinion_line: String,
    pub draft_editable: bool,
    pub visas: String,
    pub considerations: String,
    pub articles: String,
    pub table_article: String,
    pub commissions: Vec<Choice>,
    pub opinions: Vec<Choice>,
    pub show_vote: bool,
    pub modes: Vec<Choice>,
    pub counts: Vec<CountField>,
    pub positions: Vec<VoteRow>,
    pub group_votes: Vec<VoteRow>,
    pub member_votes: Vec<VoteRow>,
    pub president: Vec<Choice>,
    pub awards: Vec<ItemAward>,
    pub show_award_form: bool,
    pub beneficiaries: Vec<Choice>,
    pub budget_lines: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub award_year: i16,
    /// The budget decisions the report proposes, and their form (for finance staff).
    pub budget_decisions: Vec<acta_app::budget_year::BudgetDecisionEntry>,
    pub show_budget_form: bool,
    pub decision_kinds: Vec<Choice>,
}

fn vote_choices(selected: &str) -> Vec<Choice> {
    let mut list = vec![(String::new(), "—".to_string())];
    list.extend(CHOICES.iter().map(|(v, l)| (v.to_string(), l.to_string())));
    choices(list, selected)
}

/// The item's page. `preview` is the vote being typed, already worked out; `error` a
/// refused form, shown again with what was typed.
async fn item_page(
    s: &AppState,
    visitor: &Visitor,
    (id, position): (i64, u32),
    typed: Typed,
    preview: Option<ItemReport>,
    error: Option<&AppError>,
) -> Response {
    let page = async {
        let key = sitting(id);
        let report = match preview {
            Some(r) => r,
            None => {
                s.acta
                    .preview_item(&key, position, None, &VoteOptions::default())
                    .await?
            }
        };
        let (report, roll, groups, awards, sitting_view, draft, commissions) = (
            report,
            s.acta.roll_call(&key).await?,
            s.acta.group_choices().await?,
            s.acta.item_awards(&key, position).await?,
            s.acta.sitting_view(&key).await?,
            s.acta.draft(&key, position).await?,
            s.acta.thematic_commissions().await?,
        );
        let can = Can::of(visitor);
        let draft_editable =
            !draft.decided && can.post("/gestion/seances/{id}/points/{position}/projet");
        // What was typed, when a refused form comes back; the stored draft otherwise.
        let typed_or = |name: &str, stored: &[String]| match typed.fields.get(name) {
            Some(v) => v.clone(),
            None => stored.join("\n"),
        };
        let award_form =
            if !report.closed && can.post("/gestion/seances/{id}/points/{position}/attributions") {
                let year = typed
                    .get("annee")
                    .parse()
                    .unwrap_or_else(|_| sitting_view.date.year());
                let (beneficiaries, lines) = (
                    s.acta.beneficiary_choices().await?,
                    s.acta.budget_line_choices(year).await?,
                );
                Some(AwardForm {
                    beneficiaries: choices(
                        beneficiaries.iter().map(|b| {
                            (
                                b.id.to_string(),
                                match &b.siret {
                                    Some(siret) => format!("{} (SIRET {siret})", b.name),
                                    None => b.name.clone(),
                                },
                            )
                        }),
                        typed.get("beneficiaire"),
                    ),
                    lines: choices(
                        lines.iter().map(|l| {
                            (
                                l.id.to_string(),
                                format!(
                                    "{} — {} — disponible {}",
                                    l.row.operation_code, l.row.label, l.row.available
                                ),
                            )
                        }),
                        typed.get("ligne"),
                    ),
                    kinds: choices(
                        AwardKind::ALL
                            .into_iter()
                            .map(|k| (k.code().to_string(), k.label().to_string())),
                        typed.get("nature"),
                    ),
                    year,
                })
            } else {
                None
            };
        let show_award_form = award_form.is_some();
        let show_budget_form = !report.closed
            && can.post("/gestion/seances/{id}/points/{position}/decisions-budgetaires");
        let decision_kinds = choices(
            DecisionKind::ALL
                .into_iter()
                .map(|k| (k.code().to_string(), k.label().to_string())),
            typed.form_get("decisions-budgetaires", "nature"),
        );
        let form = award_form.unwrap_or_default();
        let mode = match typed.get("mode") {
            "" => "totaux",
            m => m,
        };
        let group_rows = |prefix: &str| -> Vec<VoteRow> {
            groups
                .iter()
                .map(|g| {
                    let name = format!("{prefix}_{}", g.id);
                    VoteRow {
                        who: g.name.clone(),
                        label: format!("Position du {}", g.name),
                        choices: vote_choices(typed.get(&name)),
                        name,
                    }
                })
                .collect()
        };
        let discussion = s
            .acta
            .discussion(&sitting(id), position)
            .await?
            .unwrap_or_default();
        let page = ItemPage {
            discussion,
            frame: Frame::staff(
                visitor,
                format!("Point {position} — Rapport N°{}", report.report_number),
            )
            .refused(error),
            base: format!("/gestion/seances/{id}/points/{position}"),
            sitting_id: id,
            vote_line: report.vote_line(),
            opinion_line: match &draft.opinion {
                Some((commission, opinion, date)) => format!(
                    "Avis {opinion} de la {commission} du {}.",
                    acta_domain::french::format_date_long(*date)
                ),
                None => "Pas d'avis de commission enregistré.".to_string(),
            },
            draft_editable,
            visas: typed_or("visas", &draft.visas),
            considerations: typed_or("considerants", &draft.considerations),
            articles: typed_or("articles", &draft.articles),
            table_article: match typed.fields.get("article_tableau") {
                Some(v) => v.clone(),
                None => draft
                    .budget_table_article
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            },
            commissions: choices(
                commissions
                    .iter()
                    .map(|c| (c.id.to_string(), c.name.clone())),
                typed.get("commission"),
            ),
            opinions: choices(
                [
                    ("favorable", "Favorable"),
                    ("defavorable", "Défavorable"),
                    ("reserve", "Réservé"),
                ]
                .map(|(v, l)| (v.to_string(), l.to_string())),
                typed.get("avis"),
            ),
            show_vote: !report.closed
                && can.post("/gestion/seances/{id}/points/{position}/cloture"),
            modes: choices(
                [
                    ("totaux", "Totaux"),
                    ("par_groupe", "Par groupe avec exceptions"),
                    ("par_elu", "Par élu"),
                ]
                .map(|(v, l)| (v.to_string(), l.to_string())),
                mode,
            ),
            counts: [
                ("pour", "Pour"),
                ("contre", "Contre"),
                ("abstention", "Abstention"),
                ("npp", "Ne prend pas part au vote"),
            ]
            .map(|(name, label)| CountField {
                name,
                label,
                value: typed.get(name).to_string(),
            })
            .into_iter()
            .collect(),
            positions: group_rows("position"),
            group_votes: group_rows("groupe"),
            member_votes: roll
                .iter()
                .filter(|m| m.voting)
                .map(|m| {
                    let name = format!("elu_{}", m.member_id);
                    VoteRow {
                        who: m.name.clone(),
                        label: format!("Vote de {}", m.name),
                        choices: vote_choices(typed.get(&name)),
                        name,
                    }
                })
                .collect(),
            president: vote_choices(typed.get("voix_president")),
            show_award_form,
            beneficiaries: form.beneficiaries,
            budget_lines: form.lines,
            kinds: form.kinds,
            award_year: form.year,
            budget_decisions: s.acta.item_budget_decisions(&key, position).await?,
            show_budget_form,
            decision_kinds,
            awards,
            draft,
            report,
            typed,
            can,
        };
        Ok(page)
    }
    .await;
    shown(visitor, error, page)
}
