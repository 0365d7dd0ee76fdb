//! The public portal: server-rendered French pages that work without JavaScript. It shows
//! published acts only: numbered deliberations (with full text and PDF), imported
//! archives, search with the public audience and its facets, open-data files.

use crate::AppState;
use crate::extract::{PathParams, QueryParams};
use crate::pages::{Frame, pdf_file, portal_error, render, rendered};
use crate::reads::{PreviewReads, Reads};
use acta_app::AppError;
use acta_app::search::SearchInput;
use acta_docs::Format;
use acta_domain::french::format_date_long;
use acta_domain::keys::SittingKey;
use acta_search::Audience;
use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

/// Deliberations per page of a list.
const PER_PAGE: usize = 20;

/// A page number as typed in the address: anything else is the first page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub page: Option<String>,
}

impl PageQuery {
    pub fn number(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }
}

/// What the search form shows again.
#[derive(Default)]
pub struct SearchForm {
    pub q: String,
    pub annee: String,
    pub instance: String,
    pub matiere: String,
}

impl SearchForm {
    fn from(params: &SearchInput) -> SearchForm {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        SearchForm {
            q: params.text.clone(),
            annee: v(&params.year),
            instance: v(&params.body),
            matiere: v(&params.matter),
        }
    }
}

pub struct HomeRow {
    pub number: String,
    /// The sitting's public page ("/seances/2023-11-20").
    pub sitting: String,
    pub date: String,
    pub body: String,
    pub title: String,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
pub struct HomePage {
    pub frame: Frame,
    pub form: SearchForm,
    pub rows: Vec<HomeRow>,
    pub page: usize,
    pub previous: Option<usize>,
    pub next: Option<usize>,
}

pub async fn home(
    axum::extract::State(state): axum::extract::State<AppState>,
    QueryParams(query): QueryParams<PageQuery>,
    reads: Reads,
) -> Response {
    let page = query.number();
    let offset = (page - 1) * PER_PAGE;
    // One more than a page tells whether there is a next one.
    let mut latest = match reads
        .acta
        .published_deliberations(offset, PER_PAGE + 1)
        .await
    {
        Ok(list) => list,
        Err(e) => return portal_error(&state, e).await,
    };
    let more = latest.len() > PER_PAGE;
    latest.truncate(PER_PAGE);
    let page_view = HomePage {
        frame: state.portal_frame("Délibérations").await.read_from(&reads),
        form: SearchForm::default(),
        rows: latest
            .into_iter()
            .map(|d| HomeRow {
                sitting: format!("/seances/{}", d.date),
                date: format_date_long(d.date),
                outcome: d.outcome.unwrap_or_default(),
                number: d.number,
                body: d.body,
                title: d.title,
            })
            .collect(),
        page,
        previous: (page > 1).then(|| page - 1),
        next: more.then_some(page + 1),
    };
    render(StatusCode::OK, &page_view)
}

pub struct FacetValue {
    pub value: String,
    /// "12", or "environ 12" when the facets were counted on the first matches only.
    pub count: String,
    pub active: bool,
    /// The search with this value chosen, or removed when it is the active one.
    pub href: String,
}

pub struct FacetView {
    pub key: &'static str,
    pub label: &'static str,
    pub values: Vec<FacetValue>,
}

pub struct HitView {
    pub kind: &'static str,
    pub number: Option<String>,
    pub archive: bool,
    pub body: String,
    pub date: String,
    pub title: String,
    /// HTML-escaped by the index, matched words in `<b>`.
    pub excerpt: String,
}

pub struct ResultsView {
    pub heading: String,
    pub facets: Vec<FacetView>,
    /// Said above the facets when their counts are approximate.
    pub facets_note: Option<String>,
    pub hits: Vec<HitView>,
    pub first: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
pub struct SearchPage {
    pub frame: Frame,
    pub form: SearchForm,
    pub results: Option<ResultsView>,
}

/// The search's address with `changes` applied (a `None` value removes the parameter).
fn search_href(params: &SearchInput, changes: &[(&str, Option<&str>)]) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("q", params.text.clone())];
    for (key, value) in [
        ("annee", &params.year),
        ("instance", &params.body),
        ("matiere", &params.matter),
        ("beneficiaire", &params.beneficiary),
        ("type", &params.kind),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            pairs.push((key, v.to_string()));
        }
    }
    for (key, value) in changes {
        pairs.retain(|(k, _)| k != key);
        if let Some(v) = value {
            pairs.push((key, v.to_string()));
        }
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        query.append_pair(k, v);
    }
    format!("/recherche?{}", query.finish())
}

/// The date of a hit ("2023-11-20") written the French way.
fn french_date(iso: &str) -> String {
    iso.parse::<jiff::civil::Date>()
        .map(format_date_long)
        .unwrap_or_else(|_| iso.to_string())
}

fn results_view(params: &SearchInput, page: usize, r: acta_search::SearchResults) -> ResultsView {
    let facet = |key: &'static str,
                 label: &'static str,
                 current: &Option<String>,
                 counts: &[acta_search::FacetCount]| {
        let current = current.as_deref().map(str::trim).unwrap_or("");
        FacetView {
            key,
            label,
            values: counts
                .iter()
                .map(|c| {
                    let active = c.value == current;
                    FacetValue {
                        href: search_href(
                            params,
                            &[(key, (!active).then_some(c.value.as_str())), ("page", None)],
                        ),
                        value: c.value.clone(),
                        count: acta_app::search::facet_count(&r, c.count),
                        active,
                    }
                })
                .collect(),
        }
    };
    let facets: Vec<FacetView> = [
        facet("annee", "Année", &params.year, &r.facets.years),
        facet("instance", "Instance", &params.body, &r.facets.bodies),
        facet("matiere", "Matière", &params.matter, &r.facets.matters),
        facet(
            "beneficiaire",
            "Bénéficiaire",
            &params.beneficiary,
            &r.facets.beneficiaries,
        ),
    ]
    .into_iter()
    .filter(|f| !f.values.is_empty())
    .collect();
    let first = (page - 1) * PER_PAGE + 1;
    let page_href = |p: usize| search_href(params, &[("page", Some(&p.to_string()))]);
    ResultsView {
        heading: acta_app::search::count_phrase(&r, "résultat", "résultats"),
        facets,
        facets_note: acta_app::search::facets_note(&r),
        previous: (page > 1).then(|| page_href(page - 1)),
        next: (r.total > page * PER_PAGE).then(|| page_href(page + 1)),
        first,
        hits: r
            .hits
            .into_iter()
            .map(|hit| HitView {
                kind: hit.kind.label(),
                archive: hit.kind == acta_search::ActKind::Archive,
                number: hit.number,
                body: hit.body,
                date: french_date(&hit.date),
                title: hit.title,
                excerpt: hit.excerpt_html,
            })
            .collect(),
    }
}

pub async fn search(
    axum::extract::State(state): axum::extract::State<AppState>,
    QueryParams(mut params): QueryParams<SearchInput>,
    reads: Reads,
) -> Response {
    let searched = !params.text.trim().is_empty()
        || [
            &params.year,
            &params.body,
            &params.matter,
            &params.beneficiary,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    params.limit = Some(PER_PAGE);
    let page = params.page.unwrap_or(1).clamp(1, 100_000);
    let results = if searched {
        let found = match params.parse() {
            Ok(query) => {
                reads
                    .acta
                    .search(&state.index, &query, Audience::Public)
                    .await
            }
            Err(e) => Err(e),
        };
        match found {
            Ok((r, _)) => Some(results_view(&params, page, r)),
            Err(e) => return portal_error(&state, e).await,
        }
    } else {
        None
    };
    let page_view = SearchPage {
        frame: state.portal_frame("Recherche").await.read_from(&reads),
        form: SearchForm::from(&params),
        results,
    };
    render(StatusCode::OK, &page_view)
}

pub async fn deliberation(
    axum::extract::State(state): axum::extract::State<AppState>,
    PathParams(number): PathParams<String>,
    PreviewReads { reads, staff }: PreviewReads,
) -> Response {
    // The public sees published acts only (a number that is not one may be an archive);
    // signed-in staff get a preview of an unpublished act, marked as such.
    let publication = match reads.acta.publication(&number).await {
        Ok(Some(p)) => Some(p),
        Ok(None) if staff => None,
        Ok(None) => {
            let message = format!("La délibération N°{} n'est pas publiée.", number.trim());
            return archived(&state, &reads, &number, message).await;
        }
        Err(AppError::NotFound(message)) => {
            return archived(&state, &reads, &number, message).await;
        }
        Err(e) => return portal_error(&state, e).await,
    };
    let doc = match reads
        .acta
        .deliberation_document(&state.config, &number)
        .await
    {
        Ok(doc) => doc,
        Err(e) => return portal_error(&state, e).await,
    };
    match rendered(&state, doc, Format::Html).await {
        Ok(html) => {
            let page = Html(with_navigation(
                String::from_utf8_lossy(&html).into_owned(),
                &number,
                publication.as_ref(),
            ));
            if publication.is_some() {
                page.into_response()
            } else {
                ([(header::CACHE_CONTROL, "private, no-store")], page).into_response()
            }
        }
        Err(e) => portal_error(&state, e).await,
    }
}

/// The document's own page with, at the top of its body, the portal's links and the
/// mentions of its publication (R3131-2) and enforceability; without a publication, the
/// notice that only staff see this preview.
fn with_navigation(
    mut html: String,
    number: &str,
    p: Option<&acta_app::publications::PublicationView>,
) -> String {
    use acta_domain::text::escape_html;
    let number = escape_html(number.trim());
    let (pdf, aside) = match p {
        Some(p) => {
            let mut mentions: Vec<String> = p.mentions.iter().map(|m| escape_html(m)).collect();
            if let Some(w) = &p.retrait {
                mentions.push(format!("<strong>{}</strong>", escape_html(w)));
            }
            mentions.push(escape_html(&p.executoire.texte));
            (
                format!(
                    " · <a href=\"/deliberations/{number}/pdf\">Télécharger le PDF{}</a>",
                    if p.signe { " signé" } else { "" }
                ),
                mentions.join("<br>"),
            )
        }
        None => (
            format!(" · <a href=\"/deliberations/{number}/pdf\">Aperçu PDF</a>"),
            format!(
                "<strong>Aperçu réservé aux agents : cette délibération n'est pas publiée.</strong> <a href=\"/gestion/deliberations/{number}\">Signature, transmission et publication</a>"
            ),
        ),
    };
    let nav = format!(
        "<nav aria-label=\"Portail\"><p><a href=\"/\">Accueil</a> · <a href=\"/recherche\">Recherche</a>{pdf}</p></nav><aside aria-label=\"Publication\" class=\"publication\"><p>{aside}</p></aside>"
    );
    if let Some(start) = html.find("<body")
        && let Some(end) = html[start..].find('>')
    {
        html.insert_str(start + end + 1, &nav);
    }
    html
}

pub struct ArchivedView {
    pub title: String,
    pub source: String,
    pub body: String,
    pub date: String,
    pub visas: Vec<String>,
    pub articles: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "portal/archived.html")]
pub struct ArchivedPage {
    pub frame: Frame,
    pub acts: Vec<ArchivedView>,
}

/// A number of the imported archives: what the importer read, with the source file.
async fn archived(state: &AppState, reads: &Reads, number: &str, not_found: String) -> Response {
    let archives = match reads.acta.archived_acts(number).await {
        Ok(a) if !a.is_empty() => a,
        Ok(_) => return portal_error(state, AppError::NotFound(not_found)).await,
        Err(e) => return portal_error(state, e).await,
    };
    let text = |v: &Option<acta_import::Extracted<String>>| {
        v.as_ref().map(|x| x.value.clone()).unwrap_or_default()
    };
    let acts = archives
        .iter()
        .map(|a| {
            let r = &a.record;
            ArchivedView {
                title: text(&r.title),
                source: a.source_file.clone(),
                body: text(&r.body),
                date: r
                    .sitting_date
                    .as_ref()
                    .map(|d| format_date_long(d.value))
                    .unwrap_or_default(),
                visas: r.visas.iter().map(|v| v.value.clone()).collect(),
                articles: r
                    .articles
                    .iter()
                    .map(|a| (a.value.number.clone(), a.value.text.clone()))
                    .collect(),
            }
        })
        .collect();
    let page = ArchivedPage {
        frame: state
            .portal_frame(format!("Délibération N°{number}"))
            .await
            .read_from(reads),
        acts,
    };
    render(StatusCode::OK, &page)
}

pub async fn deliberation_pdf(
    axum::extract::State(state): axum::extract::State<AppState>,
    PathParams(number): PathParams<String>,
    PreviewReads { reads, staff }: PreviewReads,
) -> Response {
    // The file frozen when the act was published, never rendered again; signed-in staff
    // get the PDF of an unpublished act rendered for them, not to be kept by caches.
    match reads.acta.published_file(&number).await {
        Ok((name, bytes)) => pdf_file("inline", &name, bytes),
        Err(AppError::NotFound(_)) if staff => {
            let pdf = async {
                let doc = reads
                    .acta
                    .deliberation_document(&state.config, &number)
                    .await?;
                rendered(&state, doc, Format::Pdf).await
            }
            .await;
            match pdf {
                Ok(bytes) => (
                    [(header::CACHE_CONTROL, "private, no-store")],
                    pdf_file("inline", &format!("deliberation-{number}.pdf"), bytes),
                )
                    .into_response(),
                Err(e) => portal_error(&state, e).await,
            }
        }
        Err(e) => portal_error(&state, e).await,
    }
}

#[derive(Template)]
#[template(path = "portal/sitting.html")]
pub struct SittingPage {
    pub frame: Frame,
    pub sitting: acta_app::publications::PublishedSitting,
}

/// The sitting a portal address names ("/seances/{key}": its number or its date); an
/// address that names none gets the portal's own error page.
pub struct PortalSitting(pub SittingKey);

impl FromRequestParts<AppState> for PortalSitting {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let PathParams(key) = PathParams::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match key.parse::<SittingKey>() {
            Ok(key) => Ok(PortalSitting(key)),
            Err(e) => Err(portal_error(state, AppError::from(e)).await),
        }
    }
}

/// A sitting's published (signed) minutes.
pub async fn minutes_pdf(
    State(state): State<AppState>,
    PortalSitting(key): PortalSitting,
    reads: Reads,
) -> Response {
    match reads.acta.published_minutes(&key).await {
        Ok((name, bytes)) => pdf_file("inline", &name, bytes),
        Err(e) => portal_error(&state, e).await,
    }
}

/// A sitting's published acts.
pub async fn sitting(
    State(state): State<AppState>,
    PortalSitting(key): PortalSitting,
    reads: Reads,
) -> Response {
    match reads.acta.published_sitting(&key).await {
        Ok(sitting) => {
            let page = SittingPage {
                frame: state
                    .portal_frame(sitting.titre.clone())
                    .await
                    .read_from(&reads),
                sitting,
            };
            render(StatusCode::OK, &page)
        }
        Err(e) => portal_error(&state, e).await,
    }
}

#[derive(Template)]
#[template(path = "portal/open_data.html")]
pub struct OpenDataPage {
    pub frame: Frame,
}

pub async fn open_data(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let page = OpenDataPage {
        frame: state.portal_frame("Données ouvertes").await,
    };
    render(StatusCode::OK, &page)
}

/// A CSV file to download.
pub fn csv(name: &str, bytes: Vec<u8>) -> Response {
    crate::pages::file("attachment", name, "text/csv; charset=utf-8", bytes)
}

/// A CSV file written by an export, or the error page.
async fn exported_csv<T>(
    state: &AppState,
    name: &str,
    written: Result<T, acta_app::AppError>,
    out: Vec<u8>,
) -> Response {
    match written {
        Ok(_) => csv(name, out),
        Err(e) => portal_error(state, e).await,
    }
}

pub async fn scdl_deliberations(State(state): State<AppState>, reads: Reads) -> Response {
    let mut out = Vec::new();
    let written = reads.acta.export_scdl_deliberations(&mut out).await;
    exported_csv(&state, "deliberations.csv", written, out).await
}

/// The SCDL subsidies file, public beside the deliberations (décret 2017-779).
pub async fn scdl_subsidies(State(state): State<AppState>, reads: Reads) -> Response {
    let mut out = Vec::new();
    let written = reads.acta.export_scdl_subsidies(&mut out).await;
    exported_csv(&state, "subventions.csv", written, out).await
}

/// The open-data catalogue in DCAT-AP (JSON-LD), with this server's own address.
pub async fn catalogue(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    reads: Reads,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.secure_cookies {
        "https"
    } else {
        "http"
    };
    match reads
        .acta
        .open_data_catalogue(&format!("{scheme}://{host}"))
        .await
    {
        Ok(value) => (
            [(header::CONTENT_TYPE, "application/ld+json")],
            value.to_string(),
        )
            .into_response(),
        Err(e) => portal_error(&state, e).await,
    }
}

pub async fn archives_csv(State(state): State<AppState>, reads: Reads) -> Response {
    let mut out = Vec::new();
    let csv = acta_app::archives::ArchiveFormat::Csv;
    let written = reads.acta.export_archives(&mut out, csv).await;
    exported_csv(&state, "archives.csv", written, out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facet_link_keeps_the_search_and_toggles_its_value() {
        let params = SearchInput {
            text: "chambre des métiers".into(),
            year: Some("2023".into()),
            ..SearchInput::default()
        };
        assert_eq!(
            search_href(&params, &[("matiere", Some("7.5"))]),
            "/recherche?q=chambre+des+m%C3%A9tiers&annee=2023&matiere=7.5"
        );
        assert_eq!(
            search_href(&params, &[("annee", None)]),
            "/recherche?q=chambre+des+m%C3%A9tiers"
        );
    }

    fn results(total: usize, exact: bool) -> acta_search::SearchResults {
        acta_search::SearchResults {
            total,
            total_exact: exact,
            hits: Vec::new(),
            facets: acta_search::Facets {
                years: vec![acta_search::FacetCount {
                    value: "2023".into(),
                    count: 9_000,
                }],
                ..Default::default()
            },
            facets_exact: exact,
            matched_by: "texte",
        }
    }

    #[test]
    fn counts_beyond_the_bound_are_labelled_approximate_on_the_page() {
        let params = SearchInput::default();
        let view = results_view(&params, 1, results(acta_search::COUNT_BOUND, false));
        assert_eq!(view.heading, "Plus de 10\u{202f}000 résultats");
        assert_eq!(view.facets[0].values[0].count, "environ 9\u{202f}000");
        assert_eq!(
            view.facets_note.as_deref(),
            Some("Décomptes approximatifs, établis sur les 10\u{202f}000 premiers résultats.")
        );

        let exact = results_view(&params, 1, results(9_500, true));
        assert_eq!(exact.heading, "9\u{202f}500 résultats");
        assert_eq!(exact.facets[0].values[0].count, "9\u{202f}000");
        assert_eq!(exact.facets_note, None);
        assert_eq!(
            results_view(&params, 1, results(1, true)).heading,
            "1 résultat"
        );
        assert_eq!(
            results_view(&params, 1, results(0, true)).heading,
            "0 résultat"
        );
    }

    #[test]
    fn page_numbers_that_are_not_are_the_first_page() {
        for (typed, page) in [(None, 1), (Some("3"), 3), (Some("-1"), 1), (Some("x"), 1)] {
            let q = PageQuery {
                page: typed.map(str::to_string),
            };
            assert_eq!(q.number(), page, "{typed:?}");
        }
    }
}
