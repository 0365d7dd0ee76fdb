//! Transmission to the prefecture through a tiers de télétransmission (TdT), and the
//! prefecture's replies: the states an act goes through, when a failed send is tried
//! again, and what each reply calls for.
//!
//! An act is enforceable once transmitted and published or notified (CGCT L3131-1); the
//! acknowledgement (ARActe) proves the transmission and its date.

use crate::error::DomainError;
use crate::french::format_date_long;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where an act's transmission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransmissionState {
    /// Waiting to be sent (first try, or a retry after the platform could not be reached).
    Queued,
    /// A send left without an answer: the platform may have it. Checked before any retry.
    Unconfirmed,
    /// The platform has the act (its transaction is known); the acknowledgement is awaited.
    Posted,
    /// The prefecture acknowledged it: transmitted.
    Acknowledged,
    /// The platform refused the act; a person must act (correct and send again).
    Refused,
    /// The collectivity asked to cancel the transmitted act; its acknowledgement is awaited.
    Cancelling,
    /// The cancellation was acknowledged.
    Cancelled,
}

impl TransmissionState {
    pub const ALL: [TransmissionState; 7] = [
        TransmissionState::Queued,
        TransmissionState::Unconfirmed,
        TransmissionState::Posted,
        TransmissionState::Acknowledged,
        TransmissionState::Refused,
        TransmissionState::Cancelling,
        TransmissionState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TransmissionState::Queued => "a-envoyer",
            TransmissionState::Unconfirmed => "envoi-a-confirmer",
            TransmissionState::Posted => "deposee",
            TransmissionState::Acknowledged => "acquittee",
            TransmissionState::Refused => "refusee",
            TransmissionState::Cancelling => "annulation-demandee",
            TransmissionState::Cancelled => "annulee",
        }
    }

    pub fn parse(code: &str) -> Option<TransmissionState> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TransmissionState::Queued => "À envoyer",
            TransmissionState::Unconfirmed => "Envoi à confirmer auprès de la plateforme",
            TransmissionState::Posted => {
                "Déposée sur la plateforme, en attente de l'accusé de réception"
            }
            TransmissionState::Acknowledged => "Transmise : accusé de réception reçu",
            TransmissionState::Refused => "Refusée par la plateforme",
            TransmissionState::Cancelling => "Annulation demandée",
            TransmissionState::Cancelled => "Annulée",
        }
    }

    /// Whether the next run has something to do with it.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            TransmissionState::Queued
                | TransmissionState::Unconfirmed
                | TransmissionState::Posted
                | TransmissionState::Cancelling
        )
    }
}

/// How long to wait before the next try after `failures` failed ones: one minute, doubled
/// each time, at most six hours. A platform down for a day is tried a dozen times.
pub fn retry_delay_seconds(failures: u32) -> i64 {
    const FIRST: i64 = 60;
    const MOST: i64 = 6 * 3600;
    let exponent = failures.saturating_sub(1).min(20);
    (FIRST << exponent).min(MOST)
}

/// What the prefecture sends about a transmitted act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyKind {
    /// Courrier simple.
    Letter,
    /// Demande de pièces complémentaires.
    PiecesRequest,
    /// Lettre d'observations (recours gracieux du préfet).
    Observations,
    /// Déféré au tribunal administratif.
    Referral,
}

impl ReplyKind {
    pub const ALL: [ReplyKind; 4] = [
        ReplyKind::Letter,
        ReplyKind::PiecesRequest,
        ReplyKind::Observations,
        ReplyKind::Referral,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReplyKind::Letter => "courrier-simple",
            ReplyKind::PiecesRequest => "demande-de-pieces",
            ReplyKind::Observations => "lettre-d-observations",
            ReplyKind::Referral => "defere",
        }
    }

    pub fn parse(code: &str) -> Option<ReplyKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReplyKind::Letter => "Courrier simple",
            ReplyKind::PiecesRequest => "Demande de pièces complémentaires",
            ReplyKind::Observations => "Lettre d'observations",
            ReplyKind::Referral => "Déféré au tribunal administratif",
        }
    }

    /// Whether the collectivity answers it through the TdT.
    pub fn can_be_answered(self) -> bool {
        matches!(self, ReplyKind::PiecesRequest | ReplyKind::Observations)
    }
}

/// The delays, in days from the prefecture's letter, that the follow-up of each reply is
/// given. They are the Département's settings: the law sets the prefect's own delays
/// (two months to refer an act to the court, L3132-1), not the collectivity's answer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyDelays {
    pub pieces_request_days: i64,
    pub observations_days: i64,
    pub referral_days: i64,
}

impl Default for ReplyDelays {
    fn default() -> Self {
        ReplyDelays {
            pieces_request_days: 30,
            observations_days: 60,
            referral_days: 60,
        }
    }
}

/// The task a reply calls for, and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub task: String,
    pub deadline: Option<Date>,
}

/// What a reply calls for.
pub fn follow_up(kind: ReplyKind, letter_date: Date, delays: &ReplyDelays) -> FollowUp {
    let after = |days: i64| letter_date.checked_add(jiff::Span::new().days(days)).ok();
    match kind {
        ReplyKind::Letter => FollowUp {
            task: "Prendre connaissance du courrier de la préfecture.".to_string(),
            deadline: None,
        },
        ReplyKind::PiecesRequest => FollowUp {
            task: "Transmettre les pièces demandées par la préfecture, ou refuser explicitement de les transmettre.".to_string(),
            deadline: after(delays.pieces_request_days),
        },
        ReplyKind::Observations => FollowUp {
            task: "Répondre à la lettre d'observations : justifier l'acte, le retirer ou le modifier.".to_string(),
            deadline: after(delays.observations_days),
        },
        ReplyKind::Referral => FollowUp {
            task: "Préparer la défense devant le tribunal administratif (mémoire en défense).".to_string(),
            deadline: after(delays.referral_days),
        },
    }
}

/// The collectivity's answer to a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyAnswer {
    /// The pieces asked for, or the letter justifying the act.
    Send,
    /// An explicit refusal.
    Refuse,
}

impl ReplyAnswer {
    pub fn code(self) -> &'static str {
        match self {
            ReplyAnswer::Send => "envoi",
            ReplyAnswer::Refuse => "refus",
        }
    }

    pub fn parse(field: &str, code: &str) -> Result<ReplyAnswer, DomainError> {
        match code.trim() {
            "envoi" => Ok(ReplyAnswer::Send),
            "refus" => Ok(ReplyAnswer::Refuse),
            other => Err(DomainError::field(
                field,
                format!(
                    "Réponse : « {other} » n'est pas une réponse ; « envoi » (pièces ou justification) ou « refus »."
                ),
            )),
        }
    }

    pub fn label(self, kind: ReplyKind) -> &'static str {
        match (kind, self) {
            (ReplyKind::PiecesRequest, ReplyAnswer::Send) => {
                "Transmission de pièces complémentaires"
            }
            (ReplyKind::PiecesRequest, ReplyAnswer::Refuse) => {
                "Refus explicite d'envoi de pièces complémentaires"
            }
            (_, ReplyAnswer::Send) => "Lettre de justification de l'acte",
            (_, ReplyAnswer::Refuse) => "Rejet explicite de la lettre d'observations",
        }
    }
}

/// Checks an answer is possible: the reply calls for one and has none yet.
pub fn check_answerable(kind: ReplyKind, already_answered: bool) -> Result<(), DomainError> {
    if !kind.can_be_answered() {
        return Err(DomainError::rule(format!(
            "{} : ce document de la préfecture n'appelle pas de réponse par la plateforme.",
            kind.label()
        )));
    }
    if already_answered {
        return Err(DomainError::rule(format!(
            "{} : une réponse a déjà été envoyée.",
            kind.label()
        )));
    }
    Ok(())
}

/// "Transmis le 24 novembre 2023 (accusé de réception 062-226200012-20231120-2023_479-DE)".
pub fn transmitted_mention(received_on: Date, act_id: &str) -> String {
    format!(
        "Transmis le {} (accusé de réception {act_id})",
        format_date_long(received_on)
    )
}

/// How acta reaches the collectivity's TdT (S²LOW): the platform's address, the
/// connection certificate and where its password is read, the platform's own authority
/// when it is not a public one, the login some platforms add, and how long an exchange
/// may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TdtSetting {
    pub url: String,
    pub pkcs12_path: String,
    pub password: crate::signature::PasswordSource,
    pub platform_authority_path: Option<String>,
    pub login: Option<(String, crate::signature::PasswordSource)>,
    pub timeout_seconds: u64,
    pub delays: ReplyDelays,
}

impl TdtSetting {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = crate::error::Errors::new();
        let url = self.url.trim();
        let host = url.strip_prefix("https://").unwrap_or_default();
        if host.is_empty() || host.contains(char::is_whitespace) {
            errors.push(crate::error::FieldError::new(
                "adresse",
                format!("Adresse de la plateforme : « {url} » n'est pas une adresse https:// (ex. https://s2low.exemple.fr)."),
            ));
        }
        if self.pkcs12_path.trim().is_empty() {
            errors.push(crate::error::FieldError::new(
                "certificat",
                "Certificat de connexion : le chemin du fichier PKCS#12 (.p12 ou .pfx) est obligatoire.",
            ));
        }
        if !(1..=600).contains(&self.timeout_seconds) {
            errors.push(crate::error::FieldError::new(
                "delai_secondes",
                "Délai d'attente : entre 1 et 600 secondes.",
            ));
        }
        for (field, days) in [
            ("delai_pieces_jours", self.delays.pieces_request_days),
            ("delai_observations_jours", self.delays.observations_days),
            ("delai_defere_jours", self.delays.referral_days),
        ] {
            if !(1..=365).contains(&days) {
                errors.push(crate::error::FieldError::new(
                    field,
                    format!("Délai de suite : {days} jours ; entre 1 et 365."),
                ));
            }
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn codes_read_back() {
        for s in TransmissionState::ALL {
            assert_eq!(TransmissionState::parse(s.code()), Some(s));
        }
        for k in ReplyKind::ALL {
            assert_eq!(ReplyKind::parse(k.code()), Some(k));
        }
        assert_eq!(TransmissionState::parse("envoyee"), None);
    }

    #[test]
    fn retries_back_off_to_six_hours() {
        let table = [
            (0, 60),
            (1, 60),
            (2, 120),
            (3, 240),
            (8, 7680),
            (9, 15360),
            (10, 21600),
            (100, 21600),
        ];
        for (failures, seconds) in table {
            assert_eq!(retry_delay_seconds(failures), seconds, "{failures}");
        }
    }

    proptest! {
        #[test]
        fn retry_delays_never_shrink(n in 0u32..10_000) {
            prop_assert!(retry_delay_seconds(n + 1) >= retry_delay_seconds(n));
            prop_assert!(retry_delay_seconds(n) <= 21600);
        }
    }

    #[test]
    fn each_reply_calls_for_its_follow_up() {
        let delays = ReplyDelays::default();
        let on = date(2023, 12, 4);
        let table = [
            (ReplyKind::Letter, None),
            (ReplyKind::PiecesRequest, Some(date(2024, 1, 3))),
            (ReplyKind::Observations, Some(date(2024, 2, 2))),
            (ReplyKind::Referral, Some(date(2024, 2, 2))),
        ];
        for (kind, deadline) in table {
            assert_eq!(follow_up(kind, on, &delays).deadline, deadline, "{kind:?}");
        }
        assert!(
            follow_up(ReplyKind::Referral, on, &delays)
                .task
                .contains("tribunal administratif")
        );
    }

    #[test]
    fn only_requests_and_observations_are_answered_once() {
        assert!(check_answerable(ReplyKind::PiecesRequest, false).is_ok());
        assert!(check_answerable(ReplyKind::Observations, false).is_ok());
        assert!(check_answerable(ReplyKind::PiecesRequest, true).is_err());
        assert!(check_answerable(ReplyKind::Referral, false).is_err());
        assert!(check_answerable(ReplyKind::Letter, false).is_err());
        assert!(ReplyAnswer::parse("reponse", "oui").is_err());
    }

    #[test]
    fn the_mention_names_the_date_and_the_acknowledgement() {
        assert_eq!(
            transmitted_mention(date(2023, 11, 24), "062-226200012-20231120-2023_479-DE"),
            "Transmis le 24 novembre 2023 (accusé de réception 062-226200012-20231120-2023_479-DE)"
        );
    }
}
