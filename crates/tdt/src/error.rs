//! What can go wrong talking to a TdT, in the terms that decide what to do next.

/// An exchange that failed. The distinction that matters is whether the platform may have
/// received the request: only then must the caller check before sending again.
#[derive(Debug, thiserror::Error)]
pub enum TdtError {
    /// The platform could not be reached (no connection, TLS refused): nothing was sent.
    #[error("La plateforme de télétransmission est injoignable : {0}")]
    Unreachable(String),
    /// The request left but no answer came in time: it may have been received.
    #[error("La plateforme de télétransmission n'a pas répondu à temps : {0}")]
    NoAnswer(String),
    /// The platform answered "KO" with its reason.
    #[error("La plateforme de télétransmission refuse : {0}")]
    Refused(String),
    /// An answer the client cannot read.
    #[error("Réponse illisible de la plateforme de télétransmission : {0}")]
    Protocol(String),
    /// The client's own settings (certificate, address) are wrong.
    #[error("Configuration de la télétransmission : {0}")]
    Settings(String),
}

impl TdtError {
    /// Whether the request may have reached the platform (a retry must check first).
    pub fn may_have_arrived(&self) -> bool {
        matches!(self, TdtError::NoAnswer(_))
    }

    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, TdtError::Unreachable(_) | TdtError::NoAnswer(_))
    }
}

impl From<reqwest::Error> for TdtError {
    fn from(e: reqwest::Error) -> TdtError {
        let text = describe(&e);
        if e.is_timeout() {
            TdtError::NoAnswer(text)
        } else if e.is_connect() {
            TdtError::Unreachable(text)
        } else if e.is_request() || e.is_body() {
            // The connection broke while the request or its answer was in flight.
            TdtError::NoAnswer(text)
        } else {
            TdtError::Protocol(text)
        }
    }
}

/// The error and its causes on one line (reqwest hides the cause in its source chain).
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(" : ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
