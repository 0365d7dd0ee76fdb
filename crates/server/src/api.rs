//! The JSON API: the same reads as the portal. Errors are problem details in French.

use crate::AppState;
use crate::extract::{PathParams, QueryParams};
use crate::problem::Problem;
use acta_app::search::SearchInput;
use acta_search::Audience;
use axum::Json;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

type ApiResult<T> = Result<Json<T>, Problem>;

#[derive(Debug, Deserialize, Default)]
pub struct Page {
    #[serde(default)]
    pub offset: usize,
    pub limit: Option<usize>,
}

/// At most this many items per page.
pub const MAX_LIMIT: usize = 200;

pub async fn deliberations(
    State(state): State<AppState>,
    QueryParams(page): QueryParams<Page>,
) -> ApiResult<Vec<acta_app::listing::DeliberationSummary>> {
    let limit = page.limit.unwrap_or(50).min(MAX_LIMIT);
    Ok(Json(
        state
            .acta
            .published_deliberations(page.offset, limit)
            .await?,
    ))
}

/// A deliberation's view, served from the cache while no write has happened since it was
/// read (see `cache`).
pub async fn deliberation(
    State(state): State<AppState>,
    PathParams(number): PathParams<String>,
) -> Result<Response, Problem> {
    let seq = state.acta.journal_size().await?;
    let json = match state.views.get(seq, &number) {
        Some(json) => json,
        None => {
            let view = state.acta.deliberation_view(&number).await?;
            let json = axum::body::Bytes::from(
                serde_json::to_vec(&view)
                    .map_err(|e| Problem::from(acta_app::AppError::File(format!("JSON : {e}"))))?,
            );
            state.views.put(seq, &number, json.clone());
            json
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

pub async fn archives(
    State(state): State<AppState>,
    PathParams(number): PathParams<String>,
) -> ApiResult<Vec<acta_app::archives::ArchiveView>> {
    let found = state.acta.archived_acts(&number).await?;
    if found.is_empty() {
        return Err(Problem::not_found(format!(
            "Aucune délibération archivée ne porte le numéro « {} ».",
            number.trim()
        )));
    }
    Ok(Json(found))
}

/// Search parameters, in French as the portal's form sends them.
#[derive(Debug, Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    /// Kept as typed: the portal's form sends an empty year when none is chosen.
    pub annee: Option<String>,
    pub instance: Option<String>,
    pub matiere: Option<String>,
    pub beneficiaire: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub limite: Option<usize>,
    /// The portal's page of results.
    pub page: Option<String>,
}

impl SearchParams {
    /// The search as the application reads it. Anonymous requests never ask for drafts.
    pub fn input(&self) -> Result<SearchInput, acta_app::AppError> {
        let present = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let year = match present(&self.annee) {
            None => None,
            Some(y) => Some(y.trim().parse::<i32>().map_err(|_| {
                acta_domain::DomainError::field(
                    "annee",
                    format!("Année : « {} » n'est pas une année.", y.trim()),
                )
            })?),
        };
        Ok(SearchInput {
            text: self.q.clone(),
            year,
            body: present(&self.instance),
            matter: present(&self.matiere),
            beneficiary: present(&self.beneficiaire),
            kind: present(&self.kind),
            min: present(&self.min),
            max: present(&self.max),
            drafts: false,
            limit: self.limite.unwrap_or(20).clamp(1, MAX_LIMIT),
            offset: 0,
        })
    }
}

pub async fn search(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<SearchParams>,
) -> ApiResult<acta_search::SearchResults> {
    let query = params.input()?.parse()?;
    let (results, _) = state
        .acta
        .search(&state.index, &query, Audience::Public)
        .await?;
    Ok(Json(results))
}

pub async fn not_found(uri: Uri) -> Problem {
    Problem::not_found(format!("Aucune page à l'adresse « {} ».", uri.path()))
}
