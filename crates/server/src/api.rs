//! The JSON API: the same reads as the portal. Errors are problem details in French.

use crate::AppState;
use crate::extract::{PathParams, QueryParams};
use crate::problem::Problem;
use crate::reads::Reads;
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
/// Beyond this many, a list is read by search, not by paging.
pub const MAX_OFFSET: usize = 1_000_000;

/// The JSON answer kept under `key`, served from the view cache while no write has
/// happened since it was made (see `cache`); else made by `make`, and kept.
async fn cached<T, F>(
    state: &AppState,
    reads: &Reads,
    key: &str,
    make: impl FnOnce() -> F,
) -> Result<Response, Problem>
where
    T: serde::Serialize,
    F: std::future::Future<Output = Result<T, acta_app::AppError>>,
{
    let seq = reads.acta.journal_size().await?;
    let json = match state.views.get(seq, key) {
        Some(json) => json,
        None => {
            let value = make().await?;
            let json = axum::body::Bytes::from(
                serde_json::to_vec(&value)
                    .map_err(|e| Problem::from(acta_app::AppError::File(format!("JSON : {e}"))))?,
            );
            state.views.put(seq, key, json.clone());
            json
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Keys of the cached lists and searches start with a character no deliberation number
/// holds (the numbers' own keys).
const LIST_KEY: char = '\u{1}';

/// The published deliberations, a page at a time; cached between writes.
pub async fn deliberations(
    State(state): State<AppState>,
    QueryParams(page): QueryParams<Page>,
    reads: Reads,
) -> Result<Response, Problem> {
    let limit = page.limit.unwrap_or(50);
    if limit > MAX_LIMIT || page.offset > MAX_OFFSET {
        return Err(Problem::new(
            axum::http::StatusCode::BAD_REQUEST,
            "Paramètres invalides",
            format!(
                "Une page compte au plus {MAX_LIMIT} délibérations (limit) et commence au plus loin à la {MAX_OFFSET}e (offset)."
            ),
        ));
    }
    let key = format!(
        "{LIST_KEY}deliberations?offset={}&limit={limit}",
        page.offset
    );
    cached(&state, &reads, &key, || {
        reads.acta.published_deliberations(page.offset, limit)
    })
    .await
}

/// A deliberation's view, served from the cache while no write has happened since it was
/// read (see `cache`).
pub async fn deliberation(
    State(state): State<AppState>,
    PathParams(number): PathParams<String>,
    reads: Reads,
) -> Result<Response, Problem> {
    // The public sees published acts only.
    reads.acta.require_published(&number).await?;
    cached(&state, &reads, &number, || {
        reads.acta.deliberation_view(&number)
    })
    .await
}

pub async fn archives(
    PathParams(number): PathParams<String>,
    reads: Reads,
) -> ApiResult<Vec<acta_app::archives::ArchiveView>> {
    let found = reads.acta.archived_acts(&number).await?;
    if found.is_empty() {
        return Err(Problem::not_found(format!(
            "Aucune délibération archivée ne porte le numéro « {} ».",
            number.trim()
        )));
    }
    Ok(Json(found))
}

/// A search as the public gets it; cached between writes (the index follows the register,
/// so the same search at the same journal entry finds the same acts).
pub async fn search(
    State(state): State<AppState>,
    QueryParams(input): QueryParams<SearchInput>,
    reads: Reads,
) -> Result<Response, Problem> {
    // The public audience never gets drafts, whatever it asks.
    let query = input.parse()?;
    let key = format!("{LIST_KEY}search?{query:?}");
    cached(&state, &reads, &key, || async {
        let (results, _) = reads
            .acta
            .search(&state.index, &query, Audience::Public)
            .await?;
        Ok(results)
    })
    .await
}

pub async fn not_found(uri: Uri) -> Problem {
    Problem::not_found(format!("Aucune page à l'adresse « {} ».", uri.path()))
}
