//! The public portal: server-rendered French HTML that works without JavaScript. It shows
//! published acts only: numbered deliberations (with full text and PDF), imported
//! archives, search with the public audience, open-data files.

use crate::AppState;
use crate::api::SearchParams;
use crate::html::{self, NavLink};
use acta_app::AppError;
use acta_domain::french::format_date_long;
use acta_domain::text::escape_html as escape;
use acta_search::Audience;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// A page of the portal: header, navigation, main content, nothing fetched from outside.
fn page(title: &str, main: &str) -> Html<String> {
    Html(html::document(
        title,
        "Actes publiés",
        &[
            NavLink("/", "Accueil"),
            NavLink("/recherche", "Recherche"),
            NavLink("/donnees", "Données ouvertes"),
            NavLink("/gestion", "Espace agents"),
        ],
        "",
        main,
        false,
    ))
}

/// An error as a French page with its status.
fn error_page(e: AppError) -> Response {
    let (status, _) = crate::problem::status_of(&e);
    let title = if status == StatusCode::NOT_FOUND {
        "Page introuvable"
    } else {
        "Demande impossible"
    };
    (
        status,
        page(title, &format!("<p>{}</p>", escape(&e.to_string()))),
    )
        .into_response()
}

fn search_form(params: &SearchParams) -> String {
    let value = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
    format!(
        r#"<form action="/recherche" method="get" role="search">
<p><label for="q">Rechercher dans les actes</label>
<input id="q" name="q" type="search" value="{q}" size="40"></p>
<p><label for="annee">Année</label><input id="annee" name="annee" type="number" value="{annee}"></p>
<p><label for="instance">Instance</label><input id="instance" name="instance" value="{instance}"></p>
<p><label for="matiere">Matière ACTES (ex. 7.5)</label><input id="matiere" name="matiere" value="{matiere}"></p>
<p><button type="submit">Rechercher</button></p>
</form>"#,
        q = escape(&params.q),
        annee = value(&params.annee),
        instance = value(&params.instance),
        matiere = value(&params.matiere),
    )
}

fn deliberation_link(number: &str) -> String {
    let n = escape(number);
    format!(r#"<a href="/deliberations/{n}">N°{n}</a> (<a href="/deliberations/{n}/pdf">PDF</a>)"#)
}

pub async fn home(State(state): State<AppState>) -> Response {
    let latest = match state.acta.published_deliberations(0, 20).await {
        Ok(list) => list,
        Err(e) => return error_page(e),
    };
    let mut rows = String::new();
    for d in &latest {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            deliberation_link(&d.number),
            escape(&format_date_long(d.date)),
            escape(&d.body),
            escape(&d.title),
            escape(d.outcome.as_deref().unwrap_or("")),
        ));
    }
    let table = if latest.is_empty() {
        "<p>Aucune délibération publiée.</p>".to_string()
    } else {
        format!(
            "<table><caption>Dernières délibérations publiées</caption>\n<thead><tr><th scope=\"col\">Numéro</th><th scope=\"col\">Séance</th><th scope=\"col\">Instance</th><th scope=\"col\">Objet</th><th scope=\"col\">Résultat</th></tr></thead>\n<tbody>\n{rows}</tbody></table>"
        )
    };
    page(
        "Délibérations",
        &format!(
            "{}\n<h2>Dernières délibérations</h2>\n{table}",
            search_form(&SearchParams::default())
        ),
    )
    .into_response()
}

pub async fn search(State(state): State<AppState>, Query(params): Query<SearchParams>) -> Response {
    let mut main = search_form(&params);
    let searched = !params.q.trim().is_empty()
        || params
            .annee
            .as_deref()
            .is_some_and(|y| !y.trim().is_empty())
        || params.instance.is_some()
        || params.matiere.is_some();
    if searched {
        let results = match params.input().and_then(|input| input.parse()) {
            Ok(query) => {
                state
                    .acta
                    .search(&state.index, &query, Audience::Public)
                    .await
            }
            Err(e) => Err(e),
        };
        let results = match results {
            Ok((results, _)) => results,
            Err(e) => return error_page(e),
        };
        main.push_str(&format!(
            "<h2>{} résultat{}</h2>\n<ol>\n",
            results.total,
            if results.total > 1 { "s" } else { "" }
        ));
        for hit in &results.hits {
            let link = match (&hit.number, hit.kind) {
                (Some(n), acta_search::ActKind::Archive) => format!(
                    "<a href=\"/api/archives/{0}\">{1} N°{0}</a>",
                    escape(n),
                    hit.kind.label()
                ),
                (Some(n), _) => format!("{} — {}", hit.kind.label(), deliberation_link(n)),
                (None, _) => hit.kind.label().to_string(),
            };
            main.push_str(&format!(
                "<li><p>{link}, {} — {}</p><p><strong>{}</strong></p><p class=\"extrait\">{}</p></li>\n",
                escape(&hit.body),
                escape(&hit.date),
                escape(&hit.title),
                hit.excerpt_html,
            ));
        }
        main.push_str("</ol>");
    }
    page("Recherche", &main).into_response()
}

pub async fn deliberation(State(state): State<AppState>, Path(number): Path<String>) -> Response {
    let doc = match state
        .acta
        .deliberation_document(&state.config, &number)
        .await
    {
        Ok(doc) => doc,
        Err(AppError::NotFound(message)) => return archived(&state, &number, message).await,
        Err(e) => return error_page(e),
    };
    let renderer = state.renderer.clone();
    let rendered = tokio::task::spawn_blocking(move || renderer.html(&doc)).await;
    match rendered {
        Ok(Ok(html)) => Html(with_navigation(html, &number)).into_response(),
        Ok(Err(e)) => error_page(e.into()),
        Err(e) => error_page(AppError::File(e.to_string())),
    }
}

/// The document's own page with the portal's links at the top of its body.
fn with_navigation(mut html: String, number: &str) -> String {
    let nav = format!(
        "<nav aria-label=\"Portail\"><p><a href=\"/\">Accueil</a> · <a href=\"/recherche\">Recherche</a> · <a href=\"/deliberations/{}/pdf\">Télécharger le PDF</a></p></nav>",
        escape(number)
    );
    if let Some(start) = html.find("<body")
        && let Some(end) = html[start..].find('>')
    {
        html.insert_str(start + end + 1, &nav);
    }
    html
}

/// A number of the imported archives: what the importer read, with the source file.
async fn archived(state: &AppState, number: &str, not_found: String) -> Response {
    let archives = match state.acta.archived_acts(number).await {
        Ok(a) if !a.is_empty() => a,
        Ok(_) => return error_page(AppError::NotFound(not_found)),
        Err(e) => return error_page(e),
    };
    let mut main = String::new();
    for a in &archives {
        let r = &a.record;
        let text = |v: &Option<acta_import::Extracted<String>>| {
            v.as_ref().map(|x| escape(&x.value)).unwrap_or_default()
        };
        main.push_str(&format!(
            "<section><h2>{}</h2><p>Délibération archivée, importée de « {} ». {} — {}</p>\n",
            text(&r.title),
            escape(&a.source_file),
            text(&r.body),
            r.sitting_date
                .as_ref()
                .map(|d| escape(&format_date_long(d.value)))
                .unwrap_or_default(),
        ));
        for v in &r.visas {
            main.push_str(&format!("<p>{}</p>\n", escape(&v.value)));
        }
        for article in &r.articles {
            main.push_str(&format!(
                "<h3>Article {}</h3><p>{}</p>\n",
                escape(&article.value.number),
                escape(&article.value.text)
            ));
        }
        main.push_str("</section>\n");
    }
    page(&format!("Délibération N°{number}"), &main).into_response()
}

pub async fn deliberation_pdf(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Response {
    let doc = match state
        .acta
        .deliberation_document(&state.config, &number)
        .await
    {
        Ok(doc) => doc,
        Err(e) => return error_page(e),
    };
    let renderer = state.renderer.clone();
    match tokio::task::spawn_blocking(move || renderer.pdf(&doc)).await {
        Ok(Ok(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "inline; filename=\"deliberation-{}.pdf\"",
                        number.replace(['"', '/', '\\'], "-")
                    ),
                ),
            ],
            pdf,
        )
            .into_response(),
        Ok(Err(e)) => error_page(e.into()),
        Err(e) => error_page(AppError::File(e.to_string())),
    }
}

pub async fn open_data() -> Response {
    page(
        "Données ouvertes",
        r#"<ul>
<li><a href="/donnees/deliberations.csv">Délibérations (SCDL 2.1.5, CSV)</a></li>
<li><a href="/donnees/archives.csv">Délibérations archivées importées (CSV)</a></li>
<li><a href="/api/openapi.json">Description de l'API (OpenAPI 3)</a></li>
</ul>"#,
    )
    .into_response()
}

fn csv(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub async fn scdl_deliberations(State(state): State<AppState>) -> Response {
    let mut out = Vec::new();
    match state.acta.export_scdl_deliberations(&mut out).await {
        Ok(_) => csv("deliberations.csv", out),
        Err(e) => error_page(e),
    }
}

pub async fn archives_csv(State(state): State<AppState>) -> Response {
    let mut out = Vec::new();
    match state
        .acta
        .export_archives(&mut out, acta_app::archives::ArchiveFormat::Csv)
        .await
    {
        Ok(_) => csv("archives.csv", out),
        Err(e) => error_page(e),
    }
}
