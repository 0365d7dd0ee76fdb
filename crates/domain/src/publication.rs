//! Bringing an act to the knowledge of those concerned, and when it takes effect.
//!
//! Since 1 July 2022 (CGCT L3131-1): regulatory acts and decisions that are neither
//! regulatory nor individual take effect once **published** electronically, individual
//! decisions once **notified**, and, for the acts L3131-2 lists (deliberations among
//! them), once **transmitted** to the préfet as well. The online version states the
//! author's name and capacity and the date it was put online, and stays online at least
//! two months (R3131-2). Enforceability is computed from those facts, never typed.

use crate::error::{DomainError, FieldError};
use crate::french::format_date_long;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How an act is brought to the knowledge of those concerned (L3131-1 II and III).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KnownBy {
    /// Regulatory acts and decisions that are neither regulatory nor individual.
    Publication,
    /// Individual decisions, such as an award to a named beneficiary.
    Notification,
}

/// How a notification reached the person concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationMeans {
    Letter,
    Email,
    HandDelivery,
}

impl NotificationMeans {
    pub const ALL: [NotificationMeans; 3] = [
        NotificationMeans::Letter,
        NotificationMeans::Email,
        NotificationMeans::HandDelivery,
    ];

    /// The code stored and typed ("courrier").
    pub fn code(self) -> &'static str {
        match self {
            NotificationMeans::Letter => "courrier",
            NotificationMeans::Email => "courriel",
            NotificationMeans::HandDelivery => "remise-en-main-propre",
        }
    }

    /// "par courrier".
    pub fn label(self) -> &'static str {
        match self {
            NotificationMeans::Letter => "par courrier",
            NotificationMeans::Email => "par courriel",
            NotificationMeans::HandDelivery => "par remise en main propre",
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<NotificationMeans, FieldError> {
        let typed = input.trim();
        NotificationMeans::ALL
            .into_iter()
            .find(|m| m.code() == typed)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    format!(
                        "Moyen de notification : « {typed} » inconnu (courrier, courriel ou remise-en-main-propre)."
                    ),
                )
            })
    }
}

/// Who the online version names as the act's author (R3131-2): first name, surname and
/// capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// "Jean-Claude LEROY".
    pub name: String,
    /// "Président du Conseil départemental".
    pub capacity: String,
}

impl Author {
    /// The author from a signatory's block ("LE PRESIDENT DU CONSEIL DEPARTEMENTAL,"):
    /// the closing comma of the signature block is not part of the capacity.
    pub fn new(name: &str, capacity: &str) -> Result<Author, DomainError> {
        let name = name.trim();
        let capacity = capacity.trim().trim_end_matches([',', ' ']).trim();
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new(
                "auteur",
                "Auteur de l'acte : le prénom et le nom sont obligatoires (R3131-2).",
            ));
        }
        if capacity.is_empty() {
            errors.push(FieldError::new(
                "qualite",
                "Qualité de l'auteur : obligatoire (R3131-2).",
            ));
        }
        if errors.is_empty() {
            Ok(Author {
                name: name.to_string(),
                capacity: capacity.to_string(),
            })
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    /// "Auteur : Jean-Claude LEROY, LE PRESIDENT DU CONSEIL DEPARTEMENTAL".
    pub fn mention(&self) -> String {
        format!("Auteur : {}, {}", self.name, self.capacity)
    }
}

/// The shortest time an act stays online (R3131-2): two months.
pub const MINIMUM_MONTHS_ONLINE: i8 = 2;

/// The mentions the online version carries (R3131-2), in the order shown.
pub fn publication_mentions(author: &Author, published_on: Date, online_on: Date) -> Vec<String> {
    vec![
        author.mention(),
        format!("Publié le {}", format_date_long(published_on)),
        format!("Mis en ligne le {}", format_date_long(online_on)),
    ]
}

/// A date at which an act is made known: not before the decision, not after today.
fn check_known_on(
    field: &str,
    what: &str,
    decided_on: Date,
    on: Date,
    today: Date,
) -> Result<(), DomainError> {
    if on < decided_on {
        return Err(DomainError::field(
            field,
            format!(
                "{what} : le {} précède la décision du {}.",
                format_date_long(on),
                format_date_long(decided_on)
            ),
        ));
    }
    if on > today {
        return Err(DomainError::field(
            field,
            format!(
                "{what} : le {} est dans le futur (nous sommes le {}).",
                format_date_long(on),
                format_date_long(today)
            ),
        ));
    }
    Ok(())
}

/// The publication date of an act decided on `decided_on`.
pub fn check_publication_date(
    decided_on: Date,
    published_on: Date,
    today: Date,
) -> Result<(), DomainError> {
    check_known_on(
        "date",
        "Date de publication",
        decided_on,
        published_on,
        today,
    )
}

/// The notification date of an individual decision taken on `decided_on`.
pub fn check_notification_date(
    decided_on: Date,
    notified_on: Date,
    today: Date,
) -> Result<(), DomainError> {
    check_known_on(
        "date",
        "Date de notification",
        decided_on,
        notified_on,
        today,
    )
}

/// Why and when a published act was withdrawn: it stays listed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub on: Date,
    pub reason: String,
}

impl Withdrawal {
    pub fn new(
        published_on: Date,
        on: Date,
        reason: &str,
        today: Date,
    ) -> Result<Withdrawal, DomainError> {
        let reason = crate::french::normalize_spaces(reason);
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError::new(
                "motif",
                "Motif du retrait : obligatoire, il reste affiché avec l'acte.",
            ));
        }
        if let Err(DomainError::Invalid(e)) =
            check_known_on("date", "Date du retrait", published_on, on, today)
        {
            errors.extend(e);
        }
        if errors.is_empty() {
            Ok(Withdrawal { on, reason })
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    /// "Acte retiré le 3 janvier 2024 : annulé par le tribunal administratif."
    pub fn mention(&self) -> String {
        format!(
            "Acte retiré le {} : {}",
            format_date_long(self.on),
            self.reason
        )
    }
}

/// Whether the act must reach the préfet before it takes effect (L3131-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransmissionDuty {
    /// The act is one L3131-2 lists; the date is the acknowledgement's, once received.
    Required(Option<Date>),
    /// Not listed by L3131-2: takes effect once made known.
    NotRequired,
}

/// What enforceability is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub transmission: TransmissionDuty,
    pub known_by: KnownBy,
    /// The publication or notification date, once it happened.
    pub known_on: Option<Date>,
    /// The date the act was withdrawn, if it was.
    pub withdrawn_on: Option<Date>,
}

/// What an act still lacks before it takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Missing {
    Transmission,
    Publication,
    Notification,
}

impl Missing {
    pub fn label(self) -> &'static str {
        match self {
            Missing::Transmission => "la transmission en préfecture",
            Missing::Publication => "la publication",
            Missing::Notification => "la notification",
        }
    }
}

/// Whether, and since when, an act is enforceable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enforceability {
    /// Enforceable from the later of the dates the law requires.
    Since {
        date: Date,
        transmitted_on: Option<Date>,
        known_by: KnownBy,
        known_on: Date,
    },
    /// Not yet: what is missing, in the order it usually comes.
    Pending(Vec<Missing>),
    /// Withdrawn: no longer in force.
    Withdrawn { on: Date },
}

/// The rule of L3131-1: the later of the acknowledgement of transmission (when L3131-2
/// requires it) and the publication or notification.
pub fn enforceability(facts: &Facts) -> Enforceability {
    if let Some(on) = facts.withdrawn_on {
        return Enforceability::Withdrawn { on };
    }
    let mut missing = Vec::new();
    let transmitted_on = match facts.transmission {
        TransmissionDuty::Required(None) => {
            missing.push(Missing::Transmission);
            None
        }
        TransmissionDuty::Required(Some(date)) => Some(date),
        TransmissionDuty::NotRequired => None,
    };
    let Some(known_on) = facts.known_on else {
        missing.push(match facts.known_by {
            KnownBy::Publication => Missing::Publication,
            KnownBy::Notification => Missing::Notification,
        });
        return Enforceability::Pending(missing);
    };
    if !missing.is_empty() {
        return Enforceability::Pending(missing);
    }
    Enforceability::Since {
        date: transmitted_on.map_or(known_on, |t| t.max(known_on)),
        transmitted_on,
        known_by: facts.known_by,
        known_on,
    }
}

impl Enforceability {
    /// The date the act took effect, if it did and still is in force.
    pub fn since(&self) -> Option<Date> {
        match self {
            Enforceability::Since { date, .. } => Some(*date),
            _ => None,
        }
    }

    /// What every screen shows: "Exécutoire depuis le 24 novembre 2023 (…)." or what is
    /// missing.
    pub fn mention(&self) -> String {
        match self {
            Enforceability::Since {
                date,
                transmitted_on,
                known_by,
                known_on,
            } => {
                let known = match known_by {
                    KnownBy::Publication => "publié",
                    KnownBy::Notification => "notifié",
                };
                let mut grounds = Vec::new();
                if let Some(t) = transmitted_on {
                    grounds.push(format!(
                        "transmis en préfecture le {}",
                        format_date_long(*t)
                    ));
                }
                grounds.push(format!("{known} le {}", format_date_long(*known_on)));
                format!(
                    "Exécutoire depuis le {} ({}).",
                    format_date_long(*date),
                    grounds.join(", ")
                )
            }
            Enforceability::Pending(missing) => {
                let labels: Vec<&str> = missing.iter().map(|m| m.label()).collect();
                format!(
                    "Non exécutoire : il manque {}.",
                    crate::french::join_and(&labels)
                )
            }
            Enforceability::Withdrawn { on } => {
                format!(
                    "Retiré le {} : n'est plus exécutoire.",
                    format_date_long(*on)
                )
            }
        }
    }

    /// A short code for machines ("executoire", "en-attente", "retire").
    pub fn code(&self) -> &'static str {
        match self {
            Enforceability::Since { .. } => "executoire",
            Enforceability::Pending(_) => "en-attente",
            Enforceability::Withdrawn { .. } => "retire",
        }
    }

    /// What is still missing (empty once enforceable or withdrawn).
    pub fn missing(&self) -> &[Missing] {
        match self {
            Enforceability::Pending(m) => m,
            _ => &[],
        }
    }
}

/// The minutes of a sitting are published within the week after the sitting that
/// approved them (L3121-13): the last day allowed.
pub fn minutes_publication_deadline(approved_on: Date) -> Date {
    approved_on.saturating_add(jiff::Span::new().days(7))
}

/// Checks that an item may put a sitting's minutes to the vote: `(same body, date of the
/// sitting whose minutes are approved, date of the approving sitting)`; `already` is the
/// date they were approved, if they were.
pub fn check_minutes_approval(
    (same_body, approved_sitting, approving_sitting): (bool, Date, Date),
    already: Option<Date>,
) -> Result<(), DomainError> {
    const FIELD: &str = "approuve_proces_verbal_de";
    if !same_body {
        return Err(DomainError::field(
            FIELD,
            "Procès-verbal : il est approuvé par l'instance qui a tenu la séance.",
        ));
    }
    if approved_sitting >= approving_sitting {
        return Err(DomainError::field(
            FIELD,
            format!(
                "Procès-verbal : la séance du {} ne précède pas celle du {} ; il est approuvé à une séance suivante (L3121-13).",
                format_date_long(approved_sitting),
                format_date_long(approving_sitting)
            ),
        ));
    }
    if let Some(on) = already {
        return Err(DomainError::field(
            FIELD,
            format!(
                "Procès-verbal de la séance du {} : il a été approuvé le {}.",
                format_date_long(approved_sitting),
                format_date_long(on)
            ),
        ));
    }
    Ok(())
}

/// Where the publication of approved minutes stands against the week L3121-13 allows.
pub fn minutes_publication_warning(
    approved_on: Date,
    published_on: Option<Date>,
    today: Date,
) -> Option<String> {
    let deadline = minutes_publication_deadline(approved_on);
    match published_on {
        Some(p) if p > deadline => Some(format!(
            "Procès-verbal publié le {}, après le délai d'une semaine suivant son approbation (au plus tard le {}, L3121-13).",
            format_date_long(p),
            format_date_long(deadline)
        )),
        Some(_) => None,
        None if today > deadline => Some(format!(
            "Procès-verbal approuvé le {} et non publié : le délai d'une semaine (L3121-13) a expiré le {}.",
            format_date_long(approved_on),
            format_date_long(deadline)
        )),
        None => Some(format!(
            "Procès-verbal approuvé le {} : à signer et publier au plus tard le {}.",
            format_date_long(approved_on),
            format_date_long(deadline)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn facts(transmitted: Option<Date>, known: Option<Date>) -> Facts {
        Facts {
            transmission: TransmissionDuty::Required(transmitted),
            known_by: KnownBy::Publication,
            known_on: known,
            withdrawn_on: None,
        }
    }

    #[test]
    fn enforceability_table() {
        let t = date(2023, 11, 24);
        let p = date(2023, 11, 27);
        let cases: Vec<(Facts, &str)> = vec![
            (
                facts(Some(t), Some(p)),
                "Exécutoire depuis le 27 novembre 2023 (transmis en préfecture le 24 novembre 2023, publié le 27 novembre 2023).",
            ),
            (
                facts(Some(p), Some(t)),
                "Exécutoire depuis le 27 novembre 2023 (transmis en préfecture le 27 novembre 2023, publié le 24 novembre 2023).",
            ),
            (
                facts(Some(t), None),
                "Non exécutoire : il manque la publication.",
            ),
            (
                facts(None, Some(p)),
                "Non exécutoire : il manque la transmission en préfecture.",
            ),
            (
                facts(None, None),
                "Non exécutoire : il manque la transmission en préfecture et la publication.",
            ),
            (
                Facts {
                    known_by: KnownBy::Notification,
                    ..facts(Some(t), None)
                },
                "Non exécutoire : il manque la notification.",
            ),
            (
                Facts {
                    known_by: KnownBy::Notification,
                    ..facts(Some(t), Some(p))
                },
                "Exécutoire depuis le 27 novembre 2023 (transmis en préfecture le 24 novembre 2023, notifié le 27 novembre 2023).",
            ),
            (
                Facts {
                    transmission: TransmissionDuty::NotRequired,
                    ..facts(None, Some(t))
                },
                "Exécutoire depuis le 24 novembre 2023 (publié le 24 novembre 2023).",
            ),
            (
                Facts {
                    withdrawn_on: Some(date(2024, 1, 3)),
                    ..facts(Some(t), Some(p))
                },
                "Retiré le 3 janvier 2024 : n'est plus exécutoire.",
            ),
        ];
        for (f, expected) in cases {
            assert_eq!(enforceability(&f).mention(), expected, "{f:?}");
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i32..4000).prop_map(|d| date(2020, 1, 1).saturating_add(jiff::Span::new().days(d)))
    }

    proptest! {
        #[test]
        fn enforceable_exactly_from_the_later_date(
            t in proptest::option::of(any_date()),
            k in proptest::option::of(any_date()),
        ) {
            let e = enforceability(&facts(t, k));
            match (t, k) {
                (Some(t), Some(k)) => {
                    prop_assert_eq!(e.since(), Some(t.max(k)));
                    prop_assert!(e.since() >= Some(t) && e.since() >= Some(k));
                }
                _ => {
                    prop_assert_eq!(e.since(), None);
                    prop_assert_eq!(e.missing().len(), usize::from(t.is_none()) + usize::from(k.is_none()));
                }
            }
        }
    }

    #[test]
    fn publication_dates_are_after_the_decision_and_not_in_the_future() {
        let decided = date(2023, 11, 20);
        let today = date(2023, 12, 1);
        assert!(check_publication_date(decided, date(2023, 11, 20), today).is_ok());
        let before = check_publication_date(decided, date(2023, 11, 19), today).unwrap_err();
        assert_eq!(
            before.to_string(),
            "Date de publication : le 19 novembre 2023 précède la décision du 20 novembre 2023."
        );
        let future = check_notification_date(decided, date(2023, 12, 2), today).unwrap_err();
        assert_eq!(
            future.to_string(),
            "Date de notification : le 2 décembre 2023 est dans le futur (nous sommes le 1er décembre 2023)."
        );
    }

    #[test]
    fn an_author_needs_a_name_and_a_capacity_without_the_signature_comma() {
        let a = Author::new(
            "Jean-Claude LEROY",
            "LE PRESIDENT DU CONSEIL DEPARTEMENTAL,",
        )
        .unwrap();
        assert_eq!(
            a.mention(),
            "Auteur : Jean-Claude LEROY, LE PRESIDENT DU CONSEIL DEPARTEMENTAL"
        );
        let e = Author::new(" ", "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Auteur de l'acte : le prénom et le nom sont obligatoires (R3131-2). ; Qualité de l'auteur : obligatoire (R3131-2)."
        );
    }

    #[test]
    fn a_withdrawal_needs_a_reason_and_a_date_after_publication() {
        let published = date(2023, 11, 27);
        let today = date(2024, 2, 1);
        let w = Withdrawal::new(
            published,
            date(2024, 1, 3),
            "  annulé par  le tribunal administratif ",
            today,
        )
        .unwrap();
        assert_eq!(
            w.mention(),
            "Acte retiré le 3 janvier 2024 : annulé par le tribunal administratif"
        );
        assert!(Withdrawal::new(published, date(2023, 11, 1), "x", today).is_err());
        assert!(Withdrawal::new(published, date(2024, 1, 3), " ", today).is_err());
    }

    #[test]
    fn notification_means_parse_their_codes() {
        for m in NotificationMeans::ALL {
            assert_eq!(NotificationMeans::parse("moyen", m.code()), Ok(m));
        }
        assert_eq!(
            NotificationMeans::parse("moyen", "pigeon")
                .unwrap_err()
                .field,
            "moyen"
        );
    }

    #[test]
    fn minutes_are_published_within_the_week() {
        let approved = date(2023, 12, 18);
        assert_eq!(minutes_publication_deadline(approved), date(2023, 12, 25));
        let cases = [
            (Some(date(2023, 12, 20)), date(2024, 1, 5), None),
            (
                Some(date(2023, 12, 26)),
                date(2024, 1, 5),
                Some(
                    "Procès-verbal publié le 26 décembre 2023, après le délai d'une semaine suivant son approbation (au plus tard le 25 décembre 2023, L3121-13).",
                ),
            ),
            (
                None,
                date(2023, 12, 26),
                Some(
                    "Procès-verbal approuvé le 18 décembre 2023 et non publié : le délai d'une semaine (L3121-13) a expiré le 25 décembre 2023.",
                ),
            ),
            (
                None,
                date(2023, 12, 25),
                Some(
                    "Procès-verbal approuvé le 18 décembre 2023 : à signer et publier au plus tard le 25 décembre 2023.",
                ),
            ),
        ];
        for (published, today, expected) in cases {
            assert_eq!(
                minutes_publication_warning(approved, published, today).as_deref(),
                expected
            );
        }
    }

    #[test]
    fn minutes_are_approved_once_by_a_later_sitting_of_the_same_body() {
        let nov = date(2023, 11, 20);
        let dec = date(2023, 12, 18);
        assert!(check_minutes_approval((true, nov, dec), None).is_ok());
        assert!(check_minutes_approval((false, nov, dec), None).is_err());
        assert!(check_minutes_approval((true, dec, nov), None).is_err());
        assert!(check_minutes_approval((true, nov, nov), None).is_err());
        assert!(check_minutes_approval((true, nov, dec), Some(dec)).is_err());
    }
}
