//! Reads that may go to a replica ([`acta_app::replica`]): the extractor handlers take
//! for them, and the response headers that say where a read went and how far behind it
//! may be (`Acta-Read-From: replica` or `primary`, `Acta-Read-Lag-Ms`).

use crate::AppState;
use acta_app::Acta;
use acta_app::replica::ReadSource;
use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderValue;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

/// Where a request's reads went, filled by [`Reads`], read by [`label`].
#[derive(Clone, Default)]
struct ReadSlot(Arc<Mutex<Option<ReadSource>>>);

impl ReadSlot {
    fn fill(&self, source: ReadSource) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(source);
        }
    }
}

/// The application a lag-tolerant read uses: the replica's when the server has one
/// within its bound, else the primary's. `source` is none without a replica.
pub struct Reads {
    pub acta: Acta,
    pub source: Option<ReadSource>,
    slot: Option<ReadSlot>,
}

impl Reads {
    /// The primary's instead, for signed-in staff: they read what they have just written.
    pub fn for_staff(self, state: &AppState, staff: bool) -> Reads {
        if !staff || self.source.is_none() {
            return self;
        }
        if let Some(slot) = &self.slot {
            slot.fill(ReadSource::Primary);
        }
        Reads {
            acta: state.acta.clone(),
            source: Some(ReadSource::Primary),
            slot: self.slot,
        }
    }

    /// The line a portal page shows about where it was read.
    pub fn notice(&self) -> Option<String> {
        self.source.and_then(ReadSource::notice)
    }
}

impl FromRequestParts<AppState> for Reads {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let Some(side) = &state.read_side else {
            return Ok(Reads {
                acta: state.acta.clone(),
                source: None,
                slot: None,
            });
        };
        let reading = side.pick().await;
        let slot = parts.extensions.get::<ReadSlot>().cloned();
        if let Some(slot) = &slot {
            slot.fill(reading.source);
        }
        Ok(Reads {
            acta: reading.acta,
            source: Some(reading.source),
            slot,
        })
    }
}

/// Says in the response's headers where the handler's reads went, when it read through
/// [`Reads`] on a server with a replica.
pub async fn label(mut request: Request, next: Next) -> Response {
    let slot = ReadSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let source = slot.0.lock().ok().and_then(|s| *s);
    let headers = response.headers_mut();
    match source {
        Some(ReadSource::Replica { lag }) => {
            headers.insert("acta-read-from", HeaderValue::from_static("replica"));
            headers.insert(
                "acta-read-lag-ms",
                HeaderValue::from(u64::try_from(lag.as_millis()).unwrap_or(u64::MAX)),
            );
        }
        Some(ReadSource::Primary) => {
            headers.insert("acta-read-from", HeaderValue::from_static("primary"));
        }
        None => {}
    }
    response
}

/// The reads of a page signed-in staff may preview (an act not published yet): on the
/// primary for them (`Reads::for_staff`), as any reader's for the public.
pub struct PreviewReads {
    pub reads: Reads,
    /// Whether the visitor is signed in.
    pub staff: bool,
}

impl FromRequestParts<AppState> for PreviewReads {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let staff = parts
            .extensions
            .get::<crate::session::Visitor>()
            .is_some_and(|v| v.0.is_some());
        let reads = Reads::from_request_parts(parts, state).await?;
        Ok(PreviewReads {
            reads: reads.for_staff(state, staff),
            staff,
        })
    }
}
