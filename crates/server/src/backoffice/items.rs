//! An agenda item: presence and quorum, the vote in three modes with the majority worked
//! out before closing, closing and numbering, and the awards its report proposes with the
//! budget line's credits.

use super::{
    Fields, csrf_input, field, may, number, options, refused_page, see_other, staff_page, text,
};
use crate::AppState;
use crate::session::Visitor;
use acta_app::AppError;
use acta_app::backoffice::{GroupChoice, RollCallEntry};
use acta_app::drafts::DraftInput;
use acta_app::grants::NewAward;
use acta_app::sittings::{ItemReport, VoteInput};
use acta_domain::grant::AwardKind;
use acta_domain::item::VoteOptions;
use acta_domain::text::escape_html as escape;
use acta_domain::vote::VoteChoice;
use acta_domain::{Amount, DomainError};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

const CHOICES: [(&str, &str); 4] = [
    ("pour", "Pour"),
    ("contre", "Contre"),
    ("abstention", "Abstention"),
    ("npp", "Ne prend pas part au vote"),
];

fn choice(fields: &Fields, name: &str, label: &str) -> Result<Option<VoteChoice>, AppError> {
    match field(fields, name) {
        None => Ok(None),
        Some(v) => Ok(Some(VoteChoice::parse_field(name, label, v)?)),
    }
}

/// A count typed in the totals mode: blank is zero.
fn count(fields: &Fields, name: &str, label: &str) -> Result<u32, AppError> {
    if field(fields, name).is_none() {
        return Ok(0);
    }
    number(fields, name, label)
}

/// The vote as the form states it, in the mode chosen; `None` before any entry.
fn vote_from(
    fields: &Fields,
    roll: &[RollCallEntry],
    groups: &[GroupChoice],
) -> Result<Option<VoteInput>, AppError> {
    let group_choices = |prefix: &str| -> Result<Vec<(String, String)>, AppError> {
        let mut out = Vec::new();
        for g in groups {
            if let Some(c) = choice(fields, &format!("{prefix}_{}", g.id), &g.name)? {
                out.push((g.name.clone(), c.code().to_string()));
            }
        }
        Ok(out)
    };
    Ok(match text(fields, "mode") {
        "" => None,
        "par_elu" => {
            let mut ballots = Vec::new();
            for m in roll {
                if let Some(c) = choice(fields, &format!("elu_{}", m.member_id), &m.name)? {
                    ballots.push((m.member_id.to_string(), c.code().to_string()));
                }
            }
            Some(VoteInput::PerMember { ballots })
        }
        "par_groupe" => {
            let mut exceptions = Vec::new();
            for line in text(fields, "sauf")
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                let Some((name, c)) = line.rsplit_once('=') else {
                    return Err(DomainError::field(
                        "sauf",
                        format!(
                            "Exceptions : « {} » doit s'écrire « Prénom NOM = contre ».",
                            line.trim()
                        ),
                    )
                    .into());
                };
                exceptions.push((name.trim().to_string(), c.trim().to_string()));
            }
            Some(VoteInput::PerGroup {
                groups: group_choices("groupe")?,
                exceptions,
            })
        }
        "totaux" => Some(VoteInput::Totals {
            for_: count(fields, "pour", "Pour")?,
            against: count(fields, "contre", "Contre")?,
            abstention: count(fields, "abstention", "Abstention")?,
            not_participating: count(fields, "npp", "Ne prend pas part au vote")?,
            groups: group_choices("position")?,
        }),
        other => {
            return Err(DomainError::field(
                "mode",
                format!("Mode de saisie : « {other} » n'existe pas."),
            )
            .into());
        }
    })
}

fn vote_options(fields: &Fields) -> Result<VoteOptions, AppError> {
    Ok(VoteOptions {
        secret: field(fields, "secret").is_some(),
        president_vote: choice(fields, "voix_president", "Voix du président")?,
    })
}

/// Presence, quorum, count and majority, as the rules worked them out.
fn evaluation(report: &ItemReport) -> String {
    let e = &report.evaluation;
    let mut out = format!(
        "<p>Présence au point {} : {} présent(s), {} représenté(s), {} absent(s) ou excusé(s), {} en exercice.</p>\n",
        e.presence.position,
        report.present.len(),
        report.represented.len(),
        report.absent.len(),
        e.presence.in_office
    );
    if !report.represented.is_empty() {
        out.push_str("<ul>");
        for (giver, holder) in &report.represented {
            out.push_str(&format!(
                "<li>{} représenté(e) par {}</li>",
                escape(giver),
                escape(holder)
            ));
        }
        out.push_str("</ul>\n");
    }
    for note in &e.presence.notes {
        out.push_str(&format!("<p>Remarque : {}</p>\n", escape(note)));
    }
    out.push_str(&format!(
        "<p><strong>Quorum :</strong> {}</p>\n",
        escape(&e.quorum.explanation)
    ));
    if let Some(v) = &e.vote {
        let groups = |c: VoteChoice| {
            let list: Vec<&str> = report
                .groups
                .iter()
                .filter(|(_, gc)| *gc == c)
                .map(|(g, _)| g.as_str())
                .collect();
            if list.is_empty() {
                String::new()
            } else {
                format!(" ({})", escape(&list.join(" ; ")))
            }
        };
        out.push_str(&format!(
            "<p><strong>Vote :</strong> Pour {}{} · Contre {}{} · Abstention {}{} · Ne prend pas part {}</p>\n",
            v.tally.for_,
            groups(VoteChoice::For),
            v.tally.against,
            groups(VoteChoice::Against),
            v.tally.abstention,
            groups(VoteChoice::Abstention),
            v.tally.not_participating
        ));
        if !v.flags.is_empty() {
            out.push_str("<div class=\"info\"><p>Alertes :</p><ul>");
            for f in &v.flags {
                out.push_str(&format!("<li>{}</li>", escape(f)));
            }
            out.push_str("</ul></div>\n");
        }
    }
    out.push_str(&format!(
        "<p><strong>Majorité :</strong> {}</p>\n",
        escape(&e.decision.explanation)
    ));
    if report.closed {
        out.push_str(&match &report.number {
            Some(n) => format!(
                "<p><strong>Résultat :</strong> {} — délibération N°{n}{} · <a href=\"/deliberations/{n}\">Voir la délibération</a> · <a href=\"/deliberations/{n}/pdf\">Télécharger le PDF</a></p>\n",
                e.decision.outcome.label(),
                report
                    .actes_number
                    .as_deref()
                    .map(|a| format!(" (@ctes : {})", escape(a)))
                    .unwrap_or_default(),
                n = escape(n),
            ),
            None => format!(
                "<p><strong>Résultat :</strong> {} (non numérotée)</p>\n",
                e.decision.outcome.label()
            ),
        });
    }
    out
}

/// The vote form, filled with what was typed.
fn vote_form(
    visitor: &Visitor,
    base: &str,
    f: &Fields,
    roll: &[RollCallEntry],
    groups: &[GroupChoice],
) -> String {
    let mode = match text(f, "mode") {
        "" => "totaux",
        m => m,
    };
    let radio = |value: &str, label: &str| {
        format!(
            "<p><input type=\"radio\" id=\"mode_{value}\" name=\"mode\" value=\"{value}\"{}> <label class=\"inline\" for=\"mode_{value}\">{label}</label></p>",
            if mode == value { " checked" } else { "" }
        )
    };
    let select = |name: String, label: &str| {
        let mut choices = vec![(String::new(), "—".to_string())];
        choices.extend(CHOICES.iter().map(|(v, l)| (v.to_string(), l.to_string())));
        format!(
            "<select id=\"{name}\" name=\"{name}\" aria-label=\"{}\">{}</select>",
            escape(label),
            options(choices, text(f, &name))
        )
    };
    let number_input = |name: &str, label: &str| {
        format!(
            "<p><label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" type=\"number\" min=\"0\" value=\"{}\"></p>",
            escape(text(f, name))
        )
    };
    let members: String = roll
        .iter()
        .filter(|m| m.voting)
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(&m.name),
                select(
                    format!("elu_{}", m.member_id),
                    &format!("Vote de {}", m.name)
                )
            )
        })
        .collect();
    let group_rows = |prefix: &str| -> String {
        groups
            .iter()
            .map(|g| {
                format!(
                    "<tr><td>{}</td><td>{}</td></tr>",
                    escape(&g.name),
                    select(
                        format!("{prefix}_{}", g.id),
                        &format!("Position du {}", g.name)
                    )
                )
            })
            .collect()
    };
    format!(
        r#"<form id="vote" method="post" action="{base}/cloture" data-apercu="evaluation">{csrf}
<fieldset><legend>Mode de saisie du vote</legend>
{r_totals}{r_groups}{r_members}
</fieldset>
<fieldset><legend>Totaux (avec la position des groupes)</legend>
{pour}{contre}{abstention}{npp}
<table><caption>Position des groupes</caption><thead><tr><th scope="col">Groupe</th><th scope="col">Position</th></tr></thead><tbody>{positions}</tbody></table>
</fieldset>
<fieldset><legend>Par groupe, avec les exceptions</legend>
<table><caption>Vote des groupes</caption><thead><tr><th scope="col">Groupe</th><th scope="col">Vote</th></tr></thead><tbody>{group_votes}</tbody></table>
<p><label for="sauf">Exceptions, une par ligne (Prénom NOM = contre)</label><textarea id="sauf" name="sauf" rows="3" cols="50">{sauf}</textarea></p>
</fieldset>
<fieldset><legend>Par élu</legend>
<table><caption>Vote de chaque élu</caption><thead><tr><th scope="col">Élu</th><th scope="col">Vote</th></tr></thead><tbody>{members}</tbody></table>
</fieldset>
<p><input type="checkbox" id="secret" name="secret" value="1"{secret}> <label class="inline" for="secret">Scrutin secret</label></p>
<p><label for="voix_president">Voix du président (pour départager une égalité en totaux)</label>{president}</p>
<p><button type="submit" name="action" value="calculer">Calculer le résultat</button>
<button type="submit" name="action" value="clore">Clore le point et numéroter</button></p>
</form>"#,
        csrf = csrf_input(visitor),
        r_totals = radio("totaux", "Totaux"),
        r_groups = radio("par_groupe", "Par groupe avec exceptions"),
        r_members = radio("par_elu", "Par élu"),
        pour = number_input("pour", "Pour"),
        contre = number_input("contre", "Contre"),
        abstention = number_input("abstention", "Abstention"),
        npp = number_input("npp", "Ne prend pas part au vote"),
        positions = group_rows("position"),
        group_votes = group_rows("groupe"),
        sauf = escape(text(f, "sauf")),
        secret = if field(f, "secret").is_some() {
            " checked"
        } else {
            ""
        },
        president = select("voix_president".to_string(), "Voix du président"),
    )
}

/// The award form, with each line's available credits.
async fn award_form(
    state: &AppState,
    visitor: &Visitor,
    base: &str,
    year: i16,
    f: &Fields,
) -> Result<String, AppError> {
    let beneficiaries = state.acta.beneficiary_choices().await?;
    let year = match field(f, "annee").and_then(|y| y.parse().ok()) {
        Some(y) => y,
        None => year,
    };
    let lines = state.acta.budget_line_choices(year).await?;
    let beneficiary_options = options(
        beneficiaries.iter().map(|b| {
            (
                b.id.to_string(),
                match &b.siret {
                    Some(s) => format!("{} (SIRET {s})", b.name),
                    None => b.name.clone(),
                },
            )
        }),
        text(f, "beneficiaire"),
    );
    let line_options = options(
        lines.iter().map(|l| {
            (
                l.id.to_string(),
                format!(
                    "{} — {} — disponible {}",
                    l.row.operation_code, l.row.label, l.row.available
                ),
            )
        }),
        text(f, "ligne"),
    );
    let kind = options(
        AwardKind::ALL
            .into_iter()
            .map(|k| (k.code().to_string(), k.label().to_string())),
        text(f, "nature"),
    );
    Ok(format!(
        r#"<h2>Proposer une attribution</h2>
<form id="attribution" method="post" action="{base}/attributions" data-credits="credits">{csrf}
<p><label for="beneficiaire">Bénéficiaire</label><select id="beneficiaire" name="beneficiaire">{beneficiary_options}</select></p>
<p><label for="annee">Exercice</label><input id="annee" name="annee" type="number" value="{year}"></p>
<p><label for="ligne">Ligne budgétaire</label><select id="ligne" name="ligne">{line_options}</select></p>
<p><label for="montant">Montant (€)</label><input id="montant" name="montant" required value="{amount}"></p>
<p id="credits" aria-live="polite"></p>
<p><label for="nature">Nature</label><select id="nature" name="nature">{kind}</select></p>
<p><label for="objet">Objet (pour…)</label><input id="objet" name="objet" size="60" required value="{purpose}"></p>
<p><button type="submit">Proposer l'attribution</button></p>
</form>"#,
        csrf = csrf_input(visitor),
        amount = escape(text(f, "montant")),
        purpose = escape(text(f, "objet")),
    ))
}

/// The draft deliberation's text and the commission's opinion, as forms while the item
/// is not voted, as text afterwards.
async fn draft_section(
    state: &AppState,
    visitor: &Visitor,
    base: &str,
    key: &str,
    position: u32,
    f: &Fields,
) -> Result<String, AppError> {
    let draft = state.acta.draft(key, position).await?;
    let mut out = String::from("<h2>Projet de délibération</h2>\n");
    out.push_str(&match &draft.opinion {
        Some((commission, opinion, date)) => format!(
            "<p>Avis {} de la {} du {}.</p>\n",
            escape(opinion),
            escape(commission),
            escape(&acta_domain::french::format_date_long(*date))
        ),
        None => "<p>Pas d'avis de commission enregistré.</p>\n".to_string(),
    });
    let editable = !draft.decided && may(visitor, "/gestion/seances/{id}/points/{position}/projet");
    if !editable {
        for (label, list) in [
            ("Visas", &draft.visas),
            ("Considérants", &draft.considerations),
        ] {
            if !list.is_empty() {
                out.push_str(&format!("<h3>{label}</h3><ul>"));
                for line in list.iter() {
                    out.push_str(&format!("<li>{}</li>", escape(line)));
                }
                out.push_str("</ul>\n");
            }
        }
        for (i, a) in draft.articles.iter().enumerate() {
            out.push_str(&format!(
                "<p><strong>Article {} :</strong> {}</p>\n",
                i + 1,
                escape(a)
            ));
        }
        return Ok(out);
    }
    // What was typed, when a refused form comes back; the stored draft otherwise.
    let typed = |name: &str, stored: &[String]| match f.get(name) {
        Some(v) => v.clone(),
        None => stored.join("\n"),
    };
    let table = match f.get("article_tableau") {
        Some(v) => v.clone(),
        None => draft
            .budget_table_article
            .map(|n| n.to_string())
            .unwrap_or_default(),
    };
    out.push_str(&format!(
        r#"<form method="post" action="{base}/projet">{csrf}
<p><label for="visas">Visas, un par ligne</label><textarea id="visas" name="visas" rows="6" cols="80">{visas}</textarea></p>
<p><label for="considerants">Considérants, un par ligne</label><textarea id="considerants" name="considerants" rows="3" cols="80">{considerations}</textarea></p>
<p><label for="articles">Articles, un par ligne, dans l'ordre (« Article 1 : » est facultatif)</label><textarea id="articles" name="articles" rows="6" cols="80">{articles}</textarea></p>
<p><label for="article_tableau">Article suivi du tableau d'imputation budgétaire (numéro, facultatif)</label><input id="article_tableau" name="article_tableau" type="number" min="1" value="{table}"></p>
<p><button type="submit">Enregistrer le projet</button></p>
</form>
"#,
        csrf = super::csrf_input(visitor),
        visas = escape(&typed("visas", &draft.visas)),
        considerations = escape(&typed("considerants", &draft.considerations)),
        articles = escape(&typed("articles", &draft.articles)),
        table = escape(&table),
    ));
    if may(visitor, "/gestion/seances/{id}/points/{position}/avis") {
        let commissions = state.acta.thematic_commissions().await?;
        let commission_options = options(
            commissions
                .iter()
                .map(|c| (c.id.to_string(), c.name.clone())),
            text(f, "commission"),
        );
        let opinion_options = options(
            [
                ("favorable", "Favorable"),
                ("defavorable", "Défavorable"),
                ("reserve", "Réservé"),
            ]
            .map(|(v, l)| (v.to_string(), l.to_string())),
            text(f, "avis"),
        );
        let fields = format!(
            "<p><label for=\"commission\">Commission thématique</label><select id=\"commission\" name=\"commission\">{commission_options}</select></p>\n<p><label for=\"avis\">Avis</label><select id=\"avis\" name=\"avis\">{opinion_options}</select></p>\n{}",
            super::input(
                "date_avis",
                "Date de la réunion de la commission (AAAA-MM-JJ)",
                text(f, "date_avis"),
                " required"
            ),
        );
        out.push_str(&super::form(
            visitor,
            &format!("{base}/avis"),
            "Avis de la commission",
            &fields,
            "Enregistrer l'avis",
        ));
    }
    Ok(out)
}

pub async fn edit_draft(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let budget_table_article = match field(&fields, "article_tableau") {
            Some(_) => Some(number(&fields, "article_tableau", "Tableau d'imputation")?),
            None => None,
        };
        let input = DraftInput {
            visas: text(&fields, "visas").to_string(),
            considerations: text(&fields, "considerants").to_string(),
            articles: text(&fields, "articles").to_string(),
            budget_table_article,
        };
        state
            .acta
            .edit_draft(&super::actor(&visitor), &id.to_string(), position, &input)
            .await
    }
    .await;
    match result {
        Ok(()) => see_other(&format!("/gestion/seances/{id}/points/{position}")),
        Err(e) => item_page(&state, &visitor, (id, position), &fields, None, Some(&e)).await,
    }
}

pub async fn set_opinion(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = state
        .acta
        .set_commission_opinion(
            &super::actor(&visitor),
            &id.to_string(),
            position,
            text(&fields, "commission"),
            text(&fields, "avis"),
            text(&fields, "date_avis"),
        )
        .await;
    match result {
        Ok(()) => see_other(&format!("/gestion/seances/{id}/points/{position}")),
        Err(e) => item_page(&state, &visitor, (id, position), &fields, None, Some(&e)).await,
    }
}

/// The item's page. `preview` is the vote being typed, already worked out; `error` a
/// refused form, shown again with what was typed.
async fn item_page(
    state: &AppState,
    visitor: &Visitor,
    (id, position): (i64, u32),
    fields: &Fields,
    preview: Option<ItemReport>,
    error: Option<&AppError>,
) -> Response {
    let key = id.to_string();
    let loaded = async {
        let report = match preview {
            Some(r) => r,
            None => {
                state
                    .acta
                    .preview_item(&key, position, None, &VoteOptions::default())
                    .await?
            }
        };
        let roll = state.acta.roll_call(&key).await?;
        let groups = state.acta.group_choices().await?;
        let awards = state.acta.item_awards(&key, position).await?;
        let sitting = state.acta.sitting_view(&key).await?;
        Ok::<_, AppError>((report, roll, groups, awards, sitting))
    }
    .await;
    let (report, roll, groups, awards, sitting) = match loaded {
        Ok(l) => l,
        Err(e) => return super::error_page(visitor, e),
    };
    let base = format!("/gestion/seances/{id}/points/{position}");
    let title = format!("Point {position} — Rapport N°{}", report.report_number);
    let mut main = format!(
        "<p><a href=\"/gestion/seances/{id}\">Retour à la séance</a></p>\n<p><strong>{}</strong></p>\n<section id=\"evaluation\" aria-live=\"polite\">\n<h2>Présence, quorum et majorité</h2>\n{}</section>\n",
        escape(&report.title),
        evaluation(&report)
    );
    match draft_section(state, visitor, &base, &key, position, fields).await {
        Ok(section) => main.push_str(&section),
        Err(e) => return super::error_page(visitor, e),
    }
    if !report.closed && may(visitor, "/gestion/seances/{id}/points/{position}/cloture") {
        main.push_str("<h2>Vote</h2>\n");
        main.push_str(&vote_form(visitor, &base, fields, &roll, &groups));
    }
    main.push_str("<h2>Attributions proposées</h2>\n");
    if awards.is_empty() {
        main.push_str("<p>Aucune attribution.</p>\n");
    } else {
        main.push_str("<table><caption>Attributions du rapport</caption><thead><tr><th scope=\"col\">Bénéficiaire</th><th scope=\"col\">Montant</th><th scope=\"col\">Ligne</th><th scope=\"col\">Nature</th><th scope=\"col\">État</th></tr></thead><tbody>");
        for a in &awards {
            main.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.beneficiary),
                escape(&a.amount.to_string()),
                escape(&a.budget_line),
                a.kind.label(),
                a.status.label()
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    if !report.closed
        && may(
            visitor,
            "/gestion/seances/{id}/points/{position}/attributions",
        )
    {
        match award_form(state, visitor, &base, sitting.date.year(), fields).await {
            Ok(form) => main.push_str(&form),
            Err(e) => return super::error_page(visitor, e),
        }
    }
    match error {
        Some(e) => refused_page(visitor, &title, e, &main),
        None => staff_page(visitor, &title, &main).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
) -> Response {
    item_page(&state, &visitor, (id, position), &Fields::new(), None, None).await
}

/// "Calculer" works the vote out and shows it; "Clore" closes and numbers.
pub async fn vote(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    Form(fields): Form<Fields>,
) -> Response {
    let key = id.to_string();
    let closing = text(&fields, "action") == "clore";
    let result = async {
        let roll = state.acta.roll_call(&key).await?;
        let groups = state.acta.group_choices().await?;
        let vote = vote_from(&fields, &roll, &groups)?;
        let options = vote_options(&fields)?;
        if closing {
            state
                .acta
                .close_item(
                    &super::actor(&visitor),
                    &key,
                    position,
                    vote.as_ref(),
                    &options,
                )
                .await
        } else {
            state
                .acta
                .preview_item(&key, position, vote.as_ref(), &options)
                .await
        }
    }
    .await;
    match result {
        Ok(_) if closing => see_other(&format!("/gestion/seances/{id}/points/{position}")),
        Ok(report) => {
            item_page(
                &state,
                &visitor,
                (id, position),
                &fields,
                Some(report),
                None,
            )
            .await
        }
        Err(e) => item_page(&state, &visitor, (id, position), &fields, None, Some(&e)).await,
    }
}

pub async fn propose_award(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, position)): Path<(i64, u32)>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let kind = AwardKind::from_code(text(&fields, "nature")).ok_or_else(|| {
            DomainError::field(
                "nature",
                format!(
                    "Nature : « {} » n'est ni une participation ni une subvention.",
                    text(&fields, "nature")
                ),
            )
        })?;
        let input = NewAward {
            sitting: id.to_string(),
            position,
            beneficiary: text(&fields, "beneficiaire").to_string(),
            budget_line: text(&fields, "ligne").to_string(),
            amount: text(&fields, "montant").to_string(),
            year: number(&fields, "annee", "Exercice")?,
            kind,
            purpose: text(&fields, "objet").to_string(),
        };
        state
            .acta
            .propose_award(&super::actor(&visitor), &input)
            .await
    }
    .await;
    match result {
        Ok(_) => see_other(&format!("/gestion/seances/{id}/points/{position}")),
        Err(e) => item_page(&state, &visitor, (id, position), &fields, None, Some(&e)).await,
    }
}

/// A line's credits against an amount being typed: a fragment the award form shows.
pub async fn credits(State(state): State<AppState>, Query(fields): Query<Fields>) -> Response {
    let result = async {
        let year: i16 = number(&fields, "annee", "Exercice")?;
        let amount = match field(&fields, "montant") {
            Some(m) => Amount::parse_fr("montant", m)?,
            None => Amount::ZERO,
        };
        state
            .acta
            .budget_line_row(text(&fields, "ligne"), year, amount)
            .await
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
