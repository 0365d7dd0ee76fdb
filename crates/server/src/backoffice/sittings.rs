//! Sittings: the list, a new sitting, and a sitting's page with its roll call, proxies,
//! movements and agenda.

use super::{
    Fields, csrf_input, field, may, number, options, refused_page, see_other, staff_page, text,
};
use crate::AppState;
use crate::session::Visitor;
use acta_app::AppError;
use acta_app::sittings::{NewItem, NewSitting};
use acta_domain::DomainError;
use acta_domain::french::format_date_long;
use acta_domain::sitting::{AttendanceStatus, MovementKind};
use acta_domain::text::escape_html as escape;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

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

/// The members' names, offered while typing a president or a secretary.
async fn member_list(state: &AppState) -> Result<String, AppError> {
    let members = state.acta.members().await?;
    Ok(format!(
        "<datalist id=\"elus\">{}</datalist>",
        members
            .iter()
            .map(|m| format!("<option value=\"{}\">", escape(&m.name.full())))
            .collect::<String>()
    ))
}

async fn dashboard(
    state: &AppState,
    visitor: &Visitor,
    error: Option<(&AppError, &Fields)>,
) -> Response {
    let (sittings, bodies, members) = match (
        state.acta.sitting_entries().await,
        state.acta.deliberating_bodies().await,
        member_list(state).await,
    ) {
        (Ok(s), Ok(b), Ok(m)) => (s, b, m),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return super::error_page(visitor, e),
    };
    let mut main = String::new();
    if sittings.is_empty() {
        main.push_str("<p>Aucune séance enregistrée.</p>");
    } else {
        main.push_str("<table><caption>Séances</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Instance</th><th scope=\"col\">Points</th></tr></thead><tbody>\n");
        for s in &sittings {
            main.push_str(&format!(
                "<tr><td><a href=\"/gestion/seances/{}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
                s.id,
                escape(&format_date_long(s.date)),
                escape(&s.body),
                s.items
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    if may(visitor, "/gestion/seances") {
        let empty = Fields::new();
        let f = error.map_or(&empty, |(_, f)| f);
        let body_options = options(
            bodies.iter().map(|b| (b.id.to_string(), b.name.clone())),
            text(f, "instance"),
        );
        main.push_str(&format!(
            r#"<h2>Nouvelle séance</h2>
<form method="post" action="/gestion/seances">{csrf}
<p><label for="instance">Instance</label><select id="instance" name="instance">{body_options}</select></p>
<p><label for="date">Date</label><input id="date" name="date" type="date" required value="{date}"></p>
<p><label for="heure">Heure</label><input id="heure" name="heure" type="time" value="{heure}"></p>
<p><label for="lieu">Lieu</label><input id="lieu" name="lieu" size="40" value="{lieu}"></p>
<p><label for="president">Président de séance (Prénom NOM)</label><input id="president" name="president" list="elus" size="40" value="{president}"></p>
<p><label for="secretaire">Secrétaire de séance (Prénom NOM)</label><input id="secretaire" name="secretaire" list="elus" size="40" value="{secretaire}"></p>
{members}
<p><button type="submit">Créer la séance</button></p>
</form>"#,
            csrf = csrf_input(visitor),
            date = escape(super::date_value(text(f, "date"))),
            heure = escape(super::time_value(text(f, "heure"))),
            lieu = escape(text(f, "lieu")),
            president = escape(text(f, "president")),
            secretaire = escape(text(f, "secretaire")),
        ));
    }
    match error {
        Some((e, _)) => refused_page(visitor, "Séances", e, &main),
        None => staff_page(visitor, "Séances", &main).into_response(),
    }
}

pub async fn index(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    dashboard(&state, &visitor, None).await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(fields): Form<Fields>,
) -> Response {
    let input = NewSitting {
        body: text(&fields, "instance").to_string(),
        date: text(&fields, "date").to_string(),
        time: field(&fields, "heure").map(str::to_string),
        place: field(&fields, "lieu").map(str::to_string),
        president: field(&fields, "president").map(str::to_string),
        secretary: field(&fields, "secretaire").map(str::to_string),
        reconvenes: None,
    };
    match state
        .acta
        .create_sitting(&super::actor(&visitor), &input)
        .await
    {
        Ok(id) => see_other(&format!("/gestion/seances/{id}")),
        Err(e) => dashboard(&state, &visitor, Some((&e, &fields))).await,
    }
}

/// A sitting's page; `error` shows a refused form again above it.
async fn sitting_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: Option<&AppError>,
) -> Response {
    let key = id.to_string();
    let (view, roll) = match (
        state.acta.sitting_view(&key).await,
        state.acta.roll_call(&key).await,
    ) {
        (Ok(v), Ok(r)) => (v, r),
        (Err(e), _) | (_, Err(e)) => return super::error_page(visitor, e),
    };
    let title = format!("{} du {}", view.body.name, format_date_long(view.date));
    let person = |p: &Option<String>| {
        p.as_deref()
            .map(escape)
            .unwrap_or_else(|| "non renseigné".into())
    };
    let mut main = format!(
        "<p>Président : {} · Secrétaire : {}{}{}</p>\n<p>{} présent(s), {} excusé(s), {} absent(s), {} pouvoir(s)</p>\n",
        person(&view.president),
        person(&view.secretary),
        view.time
            .as_deref()
            .map(|t| format!(" · Heure : {}", escape(t)))
            .unwrap_or_default(),
        view.place
            .as_deref()
            .map(|p| format!(" · Lieu : {}", escape(p)))
            .unwrap_or_default(),
        view.counts.present,
        view.counts.excused,
        view.counts.absent,
        view.counts.proxies,
    );
    let base = format!("/gestion/seances/{id}");
    let csrf = csrf_input(visitor);

    // The agenda.
    main.push_str("<h2>Ordre du jour</h2>\n");
    if view.agenda.is_empty() {
        main.push_str("<p>Aucun rapport inscrit.</p>\n");
    } else {
        main.push_str("<table><caption>Points de l'ordre du jour</caption><thead><tr><th scope=\"col\">Point</th><th scope=\"col\">Rapport</th><th scope=\"col\">Objet</th><th scope=\"col\">Résultat</th></tr></thead><tbody>\n");
        for item in &view.agenda {
            let result = match (&item.deliberation_number, item.outcome) {
                (Some(n), Some(o)) => format!(
                    "{} — <a href=\"/deliberations/{n}\">délibération N°{n}</a>",
                    o.label(),
                    n = escape(n)
                ),
                (None, Some(o)) => o.label().to_string(),
                _ => "à voter".to_string(),
            };
            main.push_str(&format!(
                "<tr><td><a href=\"{base}/points/{p}\">Point {p}</a></td><td>N°{}</td><td>{}</td><td>{result}</td></tr>\n",
                item.report_number,
                escape(&item.title),
                p = item.position,
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    if may(visitor, "/gestion/seances/{id}/points") {
        main.push_str(&format!(
            r#"<h3>Inscrire un rapport</h3>
<form method="post" action="{base}/points">{csrf}
<p><label for="rapport">Numéro du rapport</label><input id="rapport" name="rapport" type="number" min="1" required></p>
<p><label for="titre">Objet</label><input id="titre" name="titre" size="60" required></p>
<p><label for="matiere">Matière ACTES (ex. 7.5)</label><input id="matiere" name="matiere" required></p>
<p><label for="majorite">Majorité requise (simple, ou une fraction comme 2/3)</label><input id="majorite" name="majorite" value="simple"></p>
<p><input id="prendre_acte" name="prendre_acte" type="checkbox" value="1"> <label class="inline" for="prendre_acte">L'assemblée prend acte (pas de vote)</label></p>
<p><button type="submit">Inscrire le rapport</button></p>
</form>
"#
        ));
    }

    // The roll call.
    main.push_str("<h2>Appel</h2>\n");
    let may_mark = may(visitor, "/gestion/seances/{id}/presences");
    let mut rows = String::new();
    for m in &roll {
        let current = m.status.map(|s| s.code()).unwrap_or("");
        let cell = if may_mark {
            let mut choices = vec![(String::new(), "Non saisi".to_string())];
            choices.extend(
                STATUSES
                    .iter()
                    .map(|(s, l)| (s.code().to_string(), l.to_string())),
            );
            format!(
                "<select id=\"statut_{id}\" name=\"statut_{id}\" aria-label=\"Présence de {name}\">{}</select>",
                options(choices, current),
                id = m.member_id,
                name = escape(&m.name),
            )
        } else {
            STATUSES
                .iter()
                .find(|(s, _)| Some(*s) == m.status)
                .map_or("Non saisi", |(_, l)| l)
                .to_string()
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{cell}</td></tr>\n",
            escape(&m.name),
            escape(m.group.as_deref().unwrap_or("")),
            if m.voting { "oui" } else { "non" },
        ));
    }
    let table = format!(
        "<table><caption>Élus appelés à siéger</caption><thead><tr><th scope=\"col\">Élu</th><th scope=\"col\">Groupe</th><th scope=\"col\">Voix délibérative</th><th scope=\"col\">Présence</th></tr></thead><tbody>\n{rows}</tbody></table>\n"
    );
    if may_mark {
        main.push_str(&format!(
            r#"<form method="post" action="{base}/presences">{csrf}
<p><input id="tous_presents" name="tous_presents" type="checkbox" value="1"> <label class="inline" for="tous_presents">Marquer présents les élus non saisis</label></p>
{table}<p><button type="submit">Enregistrer l'appel</button></p>
</form>
"#
        ));
    } else {
        main.push_str(&table);
    }

    // Proxies and movements.
    if !view.attendance.proxies.is_empty() {
        main.push_str("<h3>Pouvoirs</h3><ul>");
        for p in &view.attendance.proxies {
            main.push_str(&format!(
                "<li>{} a donné pouvoir à {}</li>",
                escape(&p.giver),
                escape(&p.holder)
            ));
        }
        main.push_str("</ul>\n");
    }
    if may(visitor, "/gestion/seances/{id}/pouvoirs") {
        let voting: Vec<(String, String)> = roll
            .iter()
            .filter(|m| m.voting)
            .map(|m| (m.member_id.to_string(), m.name.clone()))
            .collect();
        let members = options(voting.clone(), "");
        main.push_str(&format!(
            r#"<h3>Donner un pouvoir</h3>
<form method="post" action="{base}/pouvoirs">{csrf}
<p><label for="donneur">Élu qui donne pouvoir</label><select id="donneur" name="donneur">{members}</select></p>
<p><label for="porteur">Élu qui le reçoit</label><select id="porteur" name="porteur">{members}</select></p>
<p><label for="pouvoir_point">À partir du point</label><input id="pouvoir_point" name="a_partir_du_point" type="number" min="1" value="1"></p>
<p><button type="submit">Enregistrer le pouvoir</button></p>
</form>
<h3>Arrivée ou départ en cours de séance</h3>
<form method="post" action="{base}/mouvements">{csrf}
<p><label for="elu">Élu</label><select id="elu" name="elu">{members}</select></p>
<p><label for="sens">Mouvement</label><select id="sens" name="sens"><option value="arrivee">Arrive</option><option value="depart">Quitte la séance</option></select></p>
<p><label for="mouvement_point">À partir du point</label><input id="mouvement_point" name="a_partir_du_point" type="number" min="1" value="1"></p>
<p><button type="submit">Enregistrer le mouvement</button></p>
</form>
"#
        ));
    }
    match error {
        Some(e) => refused_page(visitor, &title, e, &main),
        None => staff_page(visitor, &title, &main).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Response {
    sitting_page(&state, &visitor, id, None).await
}

/// Runs a form's use case; back to the sitting's page either way.
async fn answer(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/gestion/seances/{id}")),
        Err(e) => sitting_page(state, visitor, id, Some(&e)).await,
    }
}

pub async fn roll_call(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let everyone_else = field(&fields, "tous_presents").is_some();
        let roll = state.acta.roll_call(&id.to_string()).await?;
        let mut marks = Vec::new();
        for m in &roll {
            let name = format!("statut_{}", m.member_id);
            let status = match field(&fields, &name) {
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
        state
            .acta
            .record_roll_call(&super::actor(&visitor), &id.to_string(), &marks)
            .await
            .map(|_| ())
    }
    .await;
    answer(&state, &visitor, id, result).await
}

pub async fn proxy(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let from: u32 = number(&fields, "a_partir_du_point", "À partir du point")?;
        state
            .acta
            .give_proxy(
                &super::actor(&visitor),
                &id.to_string(),
                text(&fields, "donneur"),
                text(&fields, "porteur"),
                from,
            )
            .await
    }
    .await;
    answer(&state, &visitor, id, result).await
}

pub async fn movement(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let from: u32 = number(&fields, "a_partir_du_point", "À partir du point")?;
        let kind = MovementKind::parse("sens", text(&fields, "sens"))?;
        state
            .acta
            .record_movement(
                &super::actor(&visitor),
                &id.to_string(),
                text(&fields, "elu"),
                kind,
                from,
            )
            .await
    }
    .await;
    answer(&state, &visitor, id, result).await
}

pub async fn add_item(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let input = NewItem {
            report_number: number(&fields, "rapport", "Numéro du rapport")?,
            title: text(&fields, "titre").to_string(),
            take_note: field(&fields, "prendre_acte").is_some(),
            majority: field(&fields, "majorite").map(str::to_string),
            matter: field(&fields, "matiere").map(str::to_string),
        };
        state
            .acta
            .add_item(&super::actor(&visitor), &id.to_string(), &input)
            .await
    }
    .await;
    match result {
        Ok(position) => see_other(&format!("/gestion/seances/{id}/points/{position}")),
        Err(e) => sitting_page(&state, &visitor, id, Some(&e)).await,
    }
}
