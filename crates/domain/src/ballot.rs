//! Entering a vote three ways — per member, per group with exceptions, or totals only —
//! and checking it against who could vote at that item.

use crate::error::DomainError;
use crate::ids::Id;
use crate::people::{Member, PoliticalGroup};
use crate::presence::Presence;
use crate::vote::{GroupPosition, Tally, VoteChoice};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A vote as the assemblies service enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum VoteEntry {
    /// Every voter's choice, represented members included (their holder casts it).
    PerMember {
        ballots: Vec<(Id<Member>, VoteChoice)>,
    },
    /// "Groupe X pour, sauf A contre et B abstention".
    PerGroup {
        groups: Vec<(Id<PoliticalGroup>, VoteChoice)>,
        exceptions: Vec<(Id<Member>, VoteChoice)>,
    },
    /// "Pour : 44 voix (groupes …) Contre : 0 Abstention : 0".
    Totals {
        tally: Tally,
        groups: Vec<GroupPosition>,
    },
}

/// One member's vote; `cast_by` is the holder when it was cast by proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub member: Id<Member>,
    pub choice: VoteChoice,
    pub cast_by: Option<Id<Member>>,
}

/// What the vote is checked against.
pub struct VoteContext<'a> {
    pub presence: &'a Presence,
    /// Each member's political group, where known.
    pub groups_of: &'a HashMap<Id<Member>, Id<PoliticalGroup>>,
    /// Members who sit in a beneficiary's bodies (déport, L1111-6), with why.
    pub interested: &'a BTreeMap<Id<Member>, String>,
    pub describe: &'a dyn Fn(Id<Member>) -> String,
    pub describe_group: &'a dyn Fn(Id<PoliticalGroup>) -> String,
}

/// A vote checked and counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedVote {
    /// Empty when only totals were entered.
    pub ballots: Vec<Ballot>,
    pub tally: Tally,
    /// Groups named beside each count (unanimous groups, for per-member votes).
    pub groups: Vec<GroupPosition>,
    /// Suspicious but possible: explained in French, recorded with the vote.
    pub flags: Vec<String>,
}

fn names(ctx: &VoteContext<'_>, members: impl IntoIterator<Item = Id<Member>>) -> String {
    members
        .into_iter()
        .map(|m| (ctx.describe)(m))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_voter(ctx: &VoteContext<'_>, member: Id<Member>) -> Result<(), DomainError> {
    if ctx.presence.can_vote(member) {
        Ok(())
    } else {
        Err(DomainError::rule(format!(
            "Vote refusé : {} n'est ni présent(e) ni représenté(e) au point {}.",
            (ctx.describe)(member),
            ctx.presence.position
        )))
    }
}

fn from_ballots(
    ctx: &VoteContext<'_>,
    choices: BTreeMap<Id<Member>, VoteChoice>,
) -> Result<ResolvedVote, DomainError> {
    let voters = ctx.presence.voters();
    let missing: Vec<Id<Member>> = voters
        .iter()
        .copied()
        .filter(|m| !choices.contains_key(m))
        .collect();
    if !missing.is_empty() {
        return Err(DomainError::rule(format!(
            "Vote incomplet : aucun choix pour {} (présents ou représentés). Indiquez « ne prend pas part au vote » pour qui ne vote pas.",
            names(ctx, missing)
        )));
    }
    let mut tally = Tally::default();
    let mut ballots = Vec::with_capacity(choices.len());
    for (&member, &choice) in &choices {
        tally.add(choice, 1)?;
        ballots.push(Ballot {
            member,
            choice,
            cast_by: ctx.presence.represented.get(&member).copied(),
        });
    }
    // A group is named beside a count when all its voters chose the same.
    let mut by_group: BTreeMap<Id<PoliticalGroup>, BTreeSet<VoteChoice>> = BTreeMap::new();
    for b in &ballots {
        if let Some(g) = ctx.groups_of.get(&b.member) {
            by_group.entry(*g).or_default().insert(b.choice);
        }
    }
    let groups = by_group
        .into_iter()
        .filter_map(|(group, set)| {
            (set.len() == 1)
                .then(|| set.into_iter().next())
                .flatten()
                .filter(|c| *c != VoteChoice::NotParticipating)
                .map(|choice| GroupPosition { group, choice })
        })
        .collect();
    let mut flags = Vec::new();
    for b in &ballots {
        if let Some(why) = ctx.interested.get(&b.member)
            && b.choice != VoteChoice::NotParticipating
        {
            flags.push(format!(
                "Déport : {} {why} et ne doit pas prendre part au vote d'une aide à cet organisme (article L1111-6 du CGCT) ; il ou elle est compté(e) « {} ».",
                (ctx.describe)(b.member),
                b.choice.label().to_lowercase()
            ));
        }
    }
    Ok(ResolvedVote {
        ballots,
        tally,
        groups,
        flags,
    })
}

fn collect_unique(
    ctx: &VoteContext<'_>,
    list: &[(Id<Member>, VoteChoice)],
) -> Result<BTreeMap<Id<Member>, VoteChoice>, DomainError> {
    let mut out = BTreeMap::new();
    for &(member, choice) in list {
        check_voter(ctx, member)?;
        if out.insert(member, choice).is_some() {
            return Err(DomainError::rule(format!(
                "Vote refusé : {} figure deux fois ; un élu ne vote qu'une fois.",
                (ctx.describe)(member)
            )));
        }
    }
    Ok(out)
}

/// Checks and counts a vote entry against the presence at the item.
pub fn resolve(entry: &VoteEntry, ctx: &VoteContext<'_>) -> Result<ResolvedVote, DomainError> {
    match entry {
        VoteEntry::PerMember { ballots } => {
            let choices = collect_unique(ctx, ballots)?;
            from_ballots(ctx, choices)
        }
        VoteEntry::PerGroup { groups, exceptions } => {
            let mut group_choice = BTreeMap::new();
            for &(g, c) in groups {
                if group_choice.insert(g, c).is_some() {
                    return Err(DomainError::rule(format!(
                        "Vote refusé : {} figure deux fois.",
                        (ctx.describe_group)(g)
                    )));
                }
            }
            let mut choices = collect_unique(ctx, exceptions)?;
            let mut unknown = Vec::new();
            for m in ctx.presence.voters() {
                if choices.contains_key(&m) {
                    continue;
                }
                match ctx.groups_of.get(&m).and_then(|g| group_choice.get(g)) {
                    Some(&c) => {
                        choices.insert(m, c);
                    }
                    None => unknown.push(m),
                }
            }
            if !unknown.is_empty() {
                return Err(DomainError::rule(format!(
                    "Vote incomplet : le groupe de {} n'a pas de position saisie (ou leur groupe n'est pas connu) ; saisissez leur vote comme exception.",
                    names(ctx, unknown)
                )));
            }
            let mut resolved = from_ballots(ctx, choices)?;
            // The groups as entered are what the act names.
            resolved.groups = groups
                .iter()
                .filter(|(_, c)| *c != VoteChoice::NotParticipating)
                .map(|&(group, choice)| GroupPosition { group, choice })
                .collect();
            Ok(resolved)
        }
        VoteEntry::Totals { tally, groups } => resolve_totals(ctx, tally, groups),
    }
}

fn resolve_totals(
    ctx: &VoteContext<'_>,
    tally: &Tally,
    groups: &[GroupPosition],
) -> Result<ResolvedVote, DomainError> {
    let p = ctx.presence;
    let counted = tally.total();
    if counted > u64::from(p.in_office) {
        return Err(DomainError::rule(format!(
            "Vote refusé : {counted} voix décomptées pour {} membres en exercice ayant voix délibérative.",
            p.in_office
        )));
    }
    let mut seen = BTreeSet::new();
    for g in groups {
        if !seen.insert(g.group) {
            return Err(DomainError::rule(format!(
                "Vote refusé : {} figure deux fois.",
                (ctx.describe_group)(g.group)
            )));
        }
    }
    let possible = u64::from(p.present_count()) + u64::from(p.represented_count());
    let mut flags = Vec::new();
    if counted > possible {
        let extra = counted - possible;
        flags.push(format!(
            "{counted} voix décomptées pour {} présent(s) et {} pouvoir(s) enregistré(s) : {extra} voix ne sont pas justifiées. Membres qui ont pu donner pouvoir : {}. Enregistrez ces pouvoirs ou corrigez le décompte.",
            p.present_count(),
            p.represented_count(),
            if p.absent.is_empty() {
                "aucun".to_string()
            } else {
                names(ctx, p.absent.iter().copied())
            }
        ));
    } else if counted < possible {
        flags.push(format!(
            "{counted} voix décomptées pour {possible} présents ou représentés : {} ne figurent dans aucun décompte (sortis de la salle, ou « ne prend pas part au vote » non saisi ?).",
            possible - counted
        ));
    }
    let interested_here: Vec<Id<Member>> = ctx
        .interested
        .keys()
        .copied()
        .filter(|m| p.can_vote(*m))
        .collect();
    if u64::try_from(interested_here.len()).unwrap_or(u64::MAX) > u64::from(tally.not_participating)
    {
        flags.push(format!(
            "Déport à vérifier : {} siège(nt) dans les instances du bénéficiaire ou a (ont) déclaré un intérêt, et ne doi(ven)t pas prendre part au vote (article L1111-6 du CGCT) ; le décompte n'indique que {} « ne prend pas part au vote ».",
            names(ctx, interested_here),
            tally.not_participating
        ));
    }
    Ok(ResolvedVote {
        ballots: Vec::new(),
        tally: *tally,
        groups: groups.to_vec(),
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::VoteChoice::*;

    fn m(n: i64) -> Id<Member> {
        Id::new(n)
    }
    fn g(n: i64) -> Id<PoliticalGroup> {
        Id::new(n)
    }

    struct Fixture {
        presence: Presence,
        groups_of: HashMap<Id<Member>, Id<PoliticalGroup>>,
        interested: BTreeMap<Id<Member>, String>,
    }

    /// Members 1-6 present (1-3 group 1, 4-5 group 2, 6 no group), 7 represented by 1,
    /// 8 absent; 8 in office.
    fn fixture() -> Fixture {
        let presence = Presence {
            position: 4,
            in_office: 8,
            present: (1..=6).map(m).collect(),
            represented: [(m(7), m(1))].into_iter().collect(),
            absent: [m(8)].into_iter().collect(),
            notes: vec![],
        };
        let groups_of = [(1, 1), (2, 1), (3, 1), (7, 1), (4, 2), (5, 2)]
            .into_iter()
            .map(|(a, b)| (m(a), g(b)))
            .collect();
        Fixture {
            presence,
            groups_of,
            interested: BTreeMap::new(),
        }
    }

    fn run(f: &Fixture, entry: &VoteEntry) -> Result<ResolvedVote, DomainError> {
        let describe = |id: Id<Member>| format!("M{id}");
        let describe_group = |id: Id<PoliticalGroup>| format!("G{id}");
        resolve(
            entry,
            &VoteContext {
                presence: &f.presence,
                groups_of: &f.groups_of,
                interested: &f.interested,
                describe: &describe,
                describe_group: &describe_group,
            },
        )
    }

    fn all(choice: VoteChoice) -> Vec<(Id<Member>, VoteChoice)> {
        [1, 2, 3, 4, 5, 6, 7]
            .into_iter()
            .map(|i| (m(i), choice))
            .collect()
    }

    #[test]
    fn per_member_counts_and_marks_proxy_ballots() {
        let mut ballots = all(For);
        ballots[3].1 = Against;
        ballots[5].1 = Abstention;
        let r = run(&fixture(), &VoteEntry::PerMember { ballots }).unwrap();
        assert_eq!(
            (r.tally.for_, r.tally.against, r.tally.abstention),
            (5, 1, 1)
        );
        let by_proxy = r.ballots.iter().find(|b| b.member == m(7)).unwrap();
        assert_eq!(by_proxy.cast_by, Some(m(1)));
        // Group 1 unanimous, group 2 split.
        assert_eq!(
            r.groups,
            vec![GroupPosition {
                group: g(1),
                choice: For
            }]
        );
    }

    #[test]
    fn impossible_records_are_refused() {
        let f = fixture();
        let cases: Vec<(VoteEntry, &str)> = vec![
            (
                VoteEntry::PerMember {
                    ballots: [all(For), vec![(m(2), Against)]].concat(),
                },
                "M2 figure deux fois",
            ),
            (
                VoteEntry::PerMember {
                    ballots: [all(For), vec![(m(8), For)]].concat(),
                },
                "M8 n'est ni présent(e) ni représenté(e) au point 4",
            ),
            (
                VoteEntry::PerMember {
                    ballots: all(For)[..6].to_vec(),
                },
                "aucun choix pour M7",
            ),
            (
                VoteEntry::Totals {
                    tally: Tally {
                        for_: 9,
                        ..Tally::default()
                    },
                    groups: vec![],
                },
                "9 voix décomptées pour 8 membres en exercice",
            ),
            (
                VoteEntry::PerGroup {
                    groups: vec![(g(1), For)],
                    exceptions: vec![],
                },
                "le groupe de M4, M5, M6 n'a pas de position",
            ),
        ];
        for (entry, text) in cases {
            let err = run(&f, &entry).unwrap_err().to_string();
            assert!(err.contains(text), "{err} / {text}");
        }
    }

    fn totals(for_: u32, against: u32, abstention: u32, not_participating: u32) -> VoteEntry {
        VoteEntry::Totals {
            tally: Tally {
                for_,
                against,
                abstention,
                not_participating,
            },
            groups: vec![],
        }
    }

    /// Counts that wrapped around u32 used to pass for a small total (the reliability
    /// issue: 4 294 967 295 + 1 + 42 = 42 with 42 present adopted the act).
    #[test]
    fn counts_beyond_the_members_in_office_are_refused_even_when_they_wrap() {
        let f = fixture();
        for (entry, counted) in [
            (totals(u32::MAX, 0, 1, 6), "4294967302 voix"),
            (totals(u32::MAX, 1, 0, 0), "4294967296 voix"),
            (
                totals(u32::MAX, u32::MAX, u32::MAX, u32::MAX),
                "17179869180 voix",
            ),
            (totals(0, 0, 0, u32::MAX), "4294967295 voix"),
            (totals(5, 4, 0, 0), "9 voix"),
        ] {
            let err = run(&f, &entry).unwrap_err().to_string();
            assert!(
                err.contains(counted) && err.contains("pour 8 membres en exercice"),
                "{err}"
            );
        }
        assert!(run(&f, &totals(4, 2, 1, 1)).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn a_total_is_accepted_exactly_when_it_fits_the_members_in_office(
            for_ in proptest::prop_oneof![0u32..12, proptest::num::u32::ANY],
            against in proptest::prop_oneof![0u32..12, proptest::num::u32::ANY],
            abstention in 0u32..12,
            not_participating in proptest::prop_oneof![0u32..12, proptest::num::u32::ANY],
        ) {
            let f = fixture();
            let sum = u64::from(for_) + u64::from(against) + u64::from(abstention)
                + u64::from(not_participating);
            let result = run(&f, &totals(for_, against, abstention, not_participating));
            proptest::prop_assert_eq!(result.is_ok(), sum <= 8);
        }
    }

    #[test]
    fn a_count_that_would_not_fit_is_refused_by_add() {
        let mut t = Tally {
            for_: u32::MAX,
            ..Tally::default()
        };
        assert!(t.add(For, 1).is_err());
        assert_eq!(t.for_, u32::MAX);
        t.add(Against, 2).unwrap();
        assert_eq!(
            (t.cast(), t.total()),
            (u64::from(u32::MAX) + 2, u64::from(u32::MAX) + 2)
        );
    }

    #[test]
    fn per_group_with_exceptions() {
        let entry = VoteEntry::PerGroup {
            groups: vec![(g(1), For), (g(2), Against)],
            exceptions: vec![(m(3), Against), (m(5), Abstention), (m(6), For)],
        };
        let r = run(&fixture(), &entry).unwrap();
        // Group 1: 1, 2, 7 for, 3 against; group 2: 4 against, 5 abstention; 6 for.
        assert_eq!(
            (r.tally.for_, r.tally.against, r.tally.abstention),
            (4, 2, 1)
        );
        assert_eq!(r.ballots.len(), 7);
        assert_eq!(r.groups.len(), 2);
    }

    #[test]
    fn totals_beyond_the_recorded_presence_are_flagged_not_refused() {
        let r = run(
            &fixture(),
            &VoteEntry::Totals {
                tally: Tally {
                    for_: 8,
                    ..Tally::default()
                },
                groups: vec![GroupPosition {
                    group: g(1),
                    choice: For,
                }],
            },
        )
        .unwrap();
        assert_eq!(r.flags.len(), 1);
        assert!(
            r.flags[0].contains("1 voix ne sont pas justifiées"),
            "{}",
            r.flags[0]
        );
        assert!(r.flags[0].contains("M8"), "{}", r.flags[0]);
    }

    #[test]
    fn an_interested_member_counted_as_voting_is_flagged() {
        let mut f = fixture();
        f.interested.insert(
            m(4),
            "siège au conseil d'administration de l'association".into(),
        );
        let r = run(&f, &VoteEntry::PerMember { ballots: all(For) }).unwrap();
        assert!(
            r.flags[0].starts_with("Déport : M4 siège au conseil"),
            "{:?}",
            r.flags
        );
        let mut ballots = all(For);
        ballots[3].1 = NotParticipating;
        assert!(
            run(&f, &VoteEntry::PerMember { ballots })
                .unwrap()
                .flags
                .is_empty()
        );
        let totals = VoteEntry::Totals {
            tally: Tally {
                for_: 7,
                ..Tally::default()
            },
            groups: vec![],
        };
        assert!(
            run(&f, &totals)
                .unwrap()
                .flags
                .iter()
                .any(|x| x.starts_with("Déport à vérifier"))
        );
    }
}
