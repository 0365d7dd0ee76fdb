//! Vote choices, tallies and outcomes as acts record them.

use crate::ids::Id;
use crate::people::PoliticalGroup;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteChoice {
    /// "Pour".
    For,
    /// "Contre".
    Against,
    /// "Abstention".
    Abstention,
    /// "Ne prend pas part au vote".
    NotParticipating,
}

impl VoteChoice {
    pub const ALL: [VoteChoice; 4] = [
        VoteChoice::For,
        VoteChoice::Against,
        VoteChoice::Abstention,
        VoteChoice::NotParticipating,
    ];

    pub fn label(self) -> &'static str {
        match self {
            VoteChoice::For => "Pour",
            VoteChoice::Against => "Contre",
            VoteChoice::Abstention => "Abstention",
            VoteChoice::NotParticipating => "Ne prend pas part au vote",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            VoteChoice::For => "for",
            VoteChoice::Against => "against",
            VoteChoice::Abstention => "abstention",
            VoteChoice::NotParticipating => "not_participating",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Reads "pour", "contre", "abstention", "npp" as staff type them.
    /// A choice typed in a field; the refusal names the field by its label.
    pub fn parse_field(field: &str, label: &str, input: &str) -> Result<Self, crate::DomainError> {
        Self::parse(input).ok_or_else(|| {
            crate::DomainError::field(
                field,
                format!(
                    "{label} : « {} » n'est pas un choix (pour, contre, abstention, npp).",
                    input.trim()
                ),
            )
        })
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input.trim().to_lowercase().as_str() {
            "pour" | "for" | "p" => Some(VoteChoice::For),
            "contre" | "against" | "c" => Some(VoteChoice::Against),
            "abstention" | "abs" | "a" => Some(VoteChoice::Abstention),
            "npp" | "ne prend pas part" | "ne prend pas part au vote" | "not_participating" => {
                Some(VoteChoice::NotParticipating)
            }
            _ => None,
        }
    }
}

/// Counted votes. `not_participating` are members present who declared they do not take
/// part; they count neither as cast votes nor as abstentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    #[serde(rename = "for")]
    pub for_: u32,
    pub against: u32,
    pub abstention: u32,
    pub not_participating: u32,
}

impl Tally {
    /// Adds `n` votes to a choice; a count that would not fit is refused, never wrapped.
    pub fn add(&mut self, choice: VoteChoice, n: u32) -> Result<(), crate::DomainError> {
        let slot = match choice {
            VoteChoice::For => &mut self.for_,
            VoteChoice::Against => &mut self.against,
            VoteChoice::Abstention => &mut self.abstention,
            VoteChoice::NotParticipating => &mut self.not_participating,
        };
        *slot = slot.checked_add(n).ok_or_else(|| {
            crate::DomainError::rule(format!(
                "Vote refusé : le décompte « {} » dépasse le nombre de voix possible.",
                choice.label().to_lowercase()
            ))
        })?;
        Ok(())
    }

    pub fn get(&self, choice: VoteChoice) -> u32 {
        match choice {
            VoteChoice::For => self.for_,
            VoteChoice::Against => self.against,
            VoteChoice::Abstention => self.abstention,
            VoteChoice::NotParticipating => self.not_participating,
        }
    }

    // Sums are taken in u64: four u32 counts cannot overflow it, so a typed count of
    // 4 294 967 295 is compared with the members in office instead of wrapping to a small
    // total that looks possible.

    /// Suffrages exprimés: for + against.
    pub fn cast(&self) -> u64 {
        u64::from(self.for_) + u64::from(self.against)
    }

    /// Members who took part in the vote (SCDL's VOTE_REEL): for + against + abstention.
    pub fn voters(&self) -> u64 {
        self.cast() + u64::from(self.abstention)
    }

    /// Everyone counted, including those who did not take part.
    pub fn total(&self) -> u64 {
        self.voters() + u64::from(self.not_participating)
    }
}

/// How a political group voted, as acts list groups beside a count ("Pour : 44 voix
/// (Groupe Socialiste, Républicain et Citoyen ; …)").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPosition {
    pub group: Id<PoliticalGroup>,
    pub choice: VoteChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// "(Adopté)".
    Adopted,
    /// "(Rejeté)".
    Rejected,
    /// The assembly takes note ("prend acte"): no vote.
    TakenNote,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Adopted => "Adopté",
            Outcome::Rejected => "Rejeté",
            Outcome::TakenNote => "Prend acte",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Adopted => "adopted",
            Outcome::Rejected => "rejected",
            Outcome::TakenNote => "taken_note",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Outcome::Adopted, Outcome::Rejected, Outcome::TakenNote]
            .into_iter()
            .find(|o| o.code() == code)
    }
}

/// The vote of a deliberation as its act states it: totals, the groups named beside each
/// count, and the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRecord {
    pub tally: Tally,
    pub groups: Vec<GroupPosition>,
    pub secret: bool,
    pub outcome: Outcome,
}

impl VoteRecord {
    pub fn groups_with(&self, choice: VoteChoice) -> impl Iterator<Item = Id<PoliticalGroup>> + '_ {
        self.groups
            .iter()
            .filter(move |g| g.choice == choice)
            .map(|g| g.group)
    }
}
