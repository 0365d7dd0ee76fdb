//! An agenda item from presence to decision: quorum, the vote checked and counted, the
//! majority. Used to preview an item while it is being voted and to close it.

use crate::ballot::{ResolvedVote, VoteContext, VoteEntry, resolve};
use crate::deliberation::Deliberation;
use crate::error::DomainError;
use crate::ids::Id;
use crate::majority::{Decision, MajorityRule, decide};
use crate::people::Member;
use crate::presence::Presence;
use crate::quorum::{QuorumCheck, check};
use crate::sitting::{AgendaItem, ItemKind};
use crate::vote::{Outcome, VoteChoice};
use serde::{Deserialize, Serialize};

/// How the item is voted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteOptions {
    pub secret: bool,
    /// The president's own vote, for a tie when only totals are entered.
    pub president_vote: Option<VoteChoice>,
}

/// Everything known about an item at the moment of the vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemEvaluation {
    pub kind: ItemKind,
    pub majority: MajorityRule,
    pub presence: Presence,
    pub quorum: QuorumCheck,
    /// Absent for an item taken note of.
    pub vote: Option<ResolvedVote>,
    pub decision: Decision,
}

/// A closed vote, frozen: later changes to the sitting never rewrite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedVote {
    pub deliberation: Id<Deliberation>,
    pub item: Id<AgendaItem>,
    /// "per_member", "per_group", "totals" or "take_note".
    pub mode: String,
    pub secret: bool,
    pub president_vote: Option<VoteChoice>,
    pub evaluation: ItemEvaluation,
    /// RFC 3339.
    pub closed_at: String,
}

impl ClosedVote {
    pub fn outcome(&self) -> Outcome {
        self.evaluation.decision.outcome
    }
}

pub fn entry_mode(entry: Option<&VoteEntry>) -> &'static str {
    match entry {
        Some(VoteEntry::PerMember { .. }) => "per_member",
        Some(VoteEntry::PerGroup { .. }) => "per_group",
        Some(VoteEntry::Totals { .. }) => "totals",
        None => "take_note",
    }
}

/// Evaluates an item. A vote needs the quorum; an item taken note of needs no vote entry.
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    item_kind: ItemKind,
    majority: MajorityRule,
    presence: Presence,
    counts_proxies: bool,
    quorum_waived_because: Option<&str>,
    entry: Option<&VoteEntry>,
    options: &VoteOptions,
    president: Option<Id<Member>>,
    ctx: &VoteContext<'_>,
) -> Result<ItemEvaluation, DomainError> {
    let quorum = check(&presence, counts_proxies, quorum_waived_because);
    if !quorum.allows_vote() {
        return Err(DomainError::rule(format!(
            "Quorum : {}. L'affaire ne peut pas être délibérée ; elle pourra l'être à une séance reconvoquée au moins trois jours plus tard, quel que soit le nombre de présents.",
            quorum.explanation
        )));
    }
    match (item_kind, entry) {
        (ItemKind::TakeNote, Some(_)) => Err(DomainError::rule(
            "Vote refusé : l'assemblée prend seulement acte de ce point ; il n'y a pas de vote à saisir.",
        )),
        (ItemKind::TakeNote, None) => Ok(ItemEvaluation {
            kind: item_kind,
            majority,
            decision: decide(item_kind, majority, &Default::default(), false, None)?,
            presence,
            quorum,
            vote: None,
        }),
        (ItemKind::Vote, None) => Err(DomainError::rule(
            "Vote manquant : saisissez le vote par élu, par groupe ou en totaux.",
        )),
        (ItemKind::Vote, Some(entry)) => {
            let resolved = resolve(entry, ctx)?;
            if options.secret && !matches!(entry, VoteEntry::Totals { .. }) {
                return Err(DomainError::rule(
                    "Vote refusé : un scrutin secret ne se saisit qu'en totaux, sans nom.",
                ));
            }
            // The president's own ballot, when entered per member, settles a tie.
            let president_vote = options.president_vote.or_else(|| {
                president.and_then(|p| {
                    resolved
                        .ballots
                        .iter()
                        .find(|b| b.member == p)
                        .map(|b| b.choice)
                })
            });
            let decision = decide(
                item_kind,
                majority,
                &resolved.tally,
                options.secret,
                president_vote,
            )?;
            Ok(ItemEvaluation {
                kind: item_kind,
                majority,
                presence,
                quorum,
                vote: Some(resolved),
                decision,
            })
        }
    }
}
