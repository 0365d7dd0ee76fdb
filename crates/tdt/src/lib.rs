//! acta's client for a *tiers de télétransmission* (TdT): S²LOW's HTTP API, the platform
//! most French collectivities use to send their acts to the prefecture.
//!
//! The client only speaks the protocol: it sends an act, reads a transaction's status and
//! files, lists the prefecture's documents, answers them and cancels an act. When to send,
//! when to retry and what an answer means for the act is the application's business.
//!
//! The API answers in plain text ("OK\n…" or "KO\n…", ISO-8859-1) or JSON, as S²LOW's
//! source (`public.ssl/modules/actes/`) writes it.

mod client;
mod error;
mod replies;

pub use client::{
    Answer, ClientSettings, ListedAct, NewAct, PrefectureDocumentRow, RemoteFile, S2low,
    TransactionStatus, Upload, status_label,
};
pub use error::TdtError;
pub use replies::{PrefectureMessage, ReplyKind, read_reply_archive};
