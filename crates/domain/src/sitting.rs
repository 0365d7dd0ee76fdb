//! Sittings (séances) of a body, their agenda and who attended.

use crate::collectivity::Body;
use crate::error::DomainError;
use crate::ids::Id;
use crate::people::Member;
use crate::report::Report;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sitting {
    pub body: Id<Body>,
    pub date: Date,
    /// Opening time, when known.
    pub time: Option<Time>,
    /// Where the sitting is held, when known.
    pub place: Option<String>,
    /// Who presides ("PRESIDENCE DE MONSIEUR JEAN-CLAUDE LEROY").
    pub president: Option<Id<Member>>,
    /// The secretary of the sitting ("Secrétaire : Mme Maryse DELASSUS").
    pub secretary: Option<Id<Member>>,
    /// The sitting whose quorum failed and which this one reconvenes on the same agenda.
    pub reconvenes: Option<Id<Sitting>>,
}

impl Sitting {
    pub fn validate(&self) -> Result<(), DomainError> {
        if let (Some(p), Some(s)) = (self.president, self.secretary)
            && p == s
        {
            return Err(DomainError::field(
                "secretaire",
                "Secrétaire : le président de séance ne peut pas en être aussi le secrétaire.",
            ));
        }
        if let Some(place) = &self.place
            && place.trim().is_empty()
        {
            return Err(DomainError::field(
                "lieu",
                "Lieu : laisser vide plutôt qu'un lieu blanc.",
            ));
        }
        Ok(())
    }
}

/// The first year a sitting may bear: the conseils généraux date from 1871 (their archives
/// go back that far); nothing earlier is a Département's sitting.
pub const EARLIEST_SITTING_YEAR: i16 = 1871;
/// How far ahead a sitting may be planned, in years.
pub const SITTING_YEARS_AHEAD: i16 = 5;

/// Checks a new sitting's date is plausible (not year 0, not 9999) and that its body holds
/// no other sitting that day.
pub fn check_new_sitting_date(
    date: jiff::civil::Date,
    today: jiff::civil::Date,
    same_day_same_body: bool,
) -> Result<(), DomainError> {
    let latest = today.year().saturating_add(SITTING_YEARS_AHEAD);
    if date.year() < EARLIEST_SITTING_YEAR || date.year() > latest {
        return Err(DomainError::field(
            "date",
            format!(
                "Date : le {} n'est pas une date de séance plausible (entre {EARLIEST_SITTING_YEAR} et {latest}).",
                crate::french::format_date_long(date)
            ),
        ));
    }
    if same_day_same_body {
        return Err(DomainError::field(
            "date",
            format!(
                "Date : cette instance tient déjà une séance le {}.",
                crate::french::format_date_long(date)
            ),
        ));
    }
    Ok(())
}

/// How a member stands at a sitting, in the categories acts print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    /// "Étaient présents".
    Present,
    /// "Excusé(s)".
    Excused,
    /// "Absent(s)".
    Absent,
    /// "Assistant également sans voix délibérative".
    PresentWithoutVote,
    /// "Excusé(s) sans voix délibérative".
    ExcusedWithoutVote,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 5] = [
        AttendanceStatus::Present,
        AttendanceStatus::Excused,
        AttendanceStatus::Absent,
        AttendanceStatus::PresentWithoutVote,
        AttendanceStatus::ExcusedWithoutVote,
    ];

    /// The heading of the attendance list this status belongs to.
    pub fn heading(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "Étaient présents",
            AttendanceStatus::Excused => "Excusé(s)",
            AttendanceStatus::Absent => "Absent(s)",
            AttendanceStatus::PresentWithoutVote => "Assistant également sans voix délibérative",
            AttendanceStatus::ExcusedWithoutVote => "Excusé(s) sans voix délibérative",
        }
    }

    /// Whether a member in this status sits with a deliberative vote.
    pub fn has_vote(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Present | AttendanceStatus::Excused | AttendanceStatus::Absent
        )
    }

    /// Whether the member is physically in the room.
    pub fn in_room(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Present | AttendanceStatus::PresentWithoutVote
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Excused => "excused",
            AttendanceStatus::Absent => "absent",
            AttendanceStatus::PresentWithoutVote => "present_without_vote",
            AttendanceStatus::ExcusedWithoutVote => "excused_without_vote",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Reads what staff type on the command line or in a form.
    pub fn parse(field: &str, input: &str) -> Result<Self, DomainError> {
        let normalized = input.trim().to_lowercase().replace(['-', ' '], "_");
        let status = match normalized.as_str() {
            "present" | "présent" | "presente" | "présente" => Some(AttendanceStatus::Present),
            "excuse" | "excusé" | "excusee" | "excusée" => Some(AttendanceStatus::Excused),
            "absent" | "absente" => Some(AttendanceStatus::Absent),
            "present_without_vote" | "sans_voix" | "present_sans_voix" | "présent_sans_voix" => {
                Some(AttendanceStatus::PresentWithoutVote)
            }
            "excused_without_vote" | "excuse_sans_voix" | "excusé_sans_voix" => {
                Some(AttendanceStatus::ExcusedWithoutVote)
            }
            _ => None,
        };
        status.ok_or_else(|| {
            DomainError::field(
                field,
                format!(
                    "Présence : « {} » n'est pas reconnu (present, excuse, absent, sans_voix, excuse_sans_voix).",
                    input.trim()
                ),
            )
        })
    }
}

/// One member's attendance at a sitting, as recorded at the roll call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub sitting: Id<Sitting>,
    pub member: Id<Member>,
    pub status: AttendanceStatus,
}

/// A proxy (pouvoir): the giver, unable to attend, delegates their vote to the holder for
/// one sitting, from the item at `from_position` on (1: the whole sitting). Giving a new
/// proxy later in the sitting reassigns the vote (when the first holder leaves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    pub sitting: Id<Sitting>,
    pub giver: Id<Member>,
    pub holder: Id<Member>,
    pub from_position: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// "à partir du rapport n°15".
    Arrives,
    /// "jusqu'au rapport n°12": gone from the next item.
    Leaves,
}

impl MovementKind {
    /// "arrivee" or "depart": what forms, the API and `parse` read.
    pub fn code(self) -> &'static str {
        match self {
            MovementKind::Arrives => "arrivee",
            MovementKind::Leaves => "depart",
        }
    }

    /// "arrivee" or "depart", as forms and the API send it.
    pub fn parse(field: &str, input: &str) -> Result<Self, DomainError> {
        match input.trim() {
            "arrivee" | "arrivée" => Ok(MovementKind::Arrives),
            "depart" | "départ" => Ok(MovementKind::Leaves),
            other => Err(DomainError::field(
                field,
                format!("Mouvement : « {other} » n'est ni une arrivée ni un départ."),
            )),
        }
    }
}

/// A member arriving or leaving during the sitting, effective from the item at
/// `from_position`: a member who leaves after item 12 has `Leaves` from 13.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movement {
    pub sitting: Id<Sitting>,
    pub member: Id<Member>,
    pub kind: MovementKind,
    pub from_position: u32,
}

/// Whether the assembly votes on an item or only takes note of it ("prend acte").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    #[default]
    Vote,
    TakeNote,
}

/// An item on a sitting's agenda: one report, voted (with its majority rule) or taken
/// note of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub sitting: Id<Sitting>,
    /// Order on the agenda, from 1.
    pub position: u32,
    pub report: Id<Report>,
    #[serde(default)]
    pub kind: ItemKind,
    #[serde(default)]
    pub majority: crate::majority::MajorityRule,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_sittings_date_is_plausible_and_unique_for_its_body() {
        let today = jiff::civil::date(2026, 12, 4);
        let table = [
            (jiff::civil::date(2023, 11, 20), false, true),
            (jiff::civil::date(1871, 8, 1), false, true),
            (jiff::civil::date(2031, 12, 31), false, true),
            (jiff::civil::date(2032, 1, 1), false, false),
            (jiff::civil::date(1870, 12, 31), false, false),
            (jiff::civil::date(9999, 12, 31), false, false),
            (jiff::civil::date(0, 1, 1), false, false),
            (jiff::civil::date(2023, 11, 20), true, false),
        ];
        for (date, taken, ok) in table {
            assert_eq!(
                check_new_sitting_date(date, today, taken).is_ok(),
                ok,
                "{date}"
            );
        }
    }
}
