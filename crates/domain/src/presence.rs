//! Who is present, represented or absent at a given agenda item, from the roll call, the
//! arrivals and departures, and the proxies.

use crate::error::{DomainError, FieldError};
use crate::ids::Id;
use crate::people::Member;
use crate::sitting::{AttendanceStatus, Movement, MovementKind, Proxy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What is recorded about a sitting's attendance.
#[derive(Debug, Clone, Default)]
pub struct AttendanceRecord {
    /// Members in office with a deliberative vote in the body on the sitting's date.
    pub voting_members: BTreeSet<Id<Member>>,
    /// Roll call at the opening.
    pub roll_call: HashMap<Id<Member>, AttendanceStatus>,
    /// Arrivals and departures, in the order they were recorded.
    pub movements: Vec<Movement>,
    /// Proxies, in the order they were recorded.
    pub proxies: Vec<Proxy>,
}

/// The attendance at one item, frozen into a vote when the item is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub position: u32,
    /// Members in office with a deliberative vote.
    pub in_office: u32,
    pub present: BTreeSet<Id<Member>>,
    /// Represented member → the member holding their proxy.
    pub represented: BTreeMap<Id<Member>, Id<Member>>,
    /// Neither present nor represented.
    pub absent: BTreeSet<Id<Member>>,
    /// Why a proxy is not used, and other remarks, in French.
    pub notes: Vec<String>,
}

impl Presence {
    /// Members who may vote: present, or represented by a present holder.
    pub fn voters(&self) -> BTreeSet<Id<Member>> {
        self.present
            .iter()
            .chain(self.represented.keys())
            .copied()
            .collect()
    }

    pub fn present_count(&self) -> u32 {
        u32::try_from(self.present.len()).unwrap_or(u32::MAX)
    }

    pub fn represented_count(&self) -> u32 {
        u32::try_from(self.represented.len()).unwrap_or(u32::MAX)
    }

    pub fn can_vote(&self, member: Id<Member>) -> bool {
        self.present.contains(&member) || self.represented.contains_key(&member)
    }
}

impl AttendanceRecord {
    /// Whether the member is in the room at the item (voting or not).
    pub fn in_room(&self, member: Id<Member>, position: u32) -> bool {
        let mut here = self.roll_call.get(&member).is_some_and(|s| s.in_room());
        let mut moves: Vec<&Movement> = self
            .movements
            .iter()
            .filter(|m| m.member == member && m.from_position <= position)
            .collect();
        // Later items' movements override earlier ones; recording order breaks ties.
        moves.sort_by_key(|m| m.from_position);
        for m in moves {
            here = m.kind == MovementKind::Arrives;
        }
        here
    }

    /// The proxy a member's vote follows at an item: the latest one given for it.
    pub fn proxy_of(&self, giver: Id<Member>, position: u32) -> Option<&Proxy> {
        self.proxies
            .iter()
            .enumerate()
            .filter(|(_, p)| p.giver == giver && p.from_position <= position)
            .max_by_key(|(i, p)| (p.from_position, *i))
            .map(|(_, p)| p)
    }

    /// Presence at the item in position `position` (from 1).
    pub fn presence_at(&self, position: u32, describe: impl Fn(Id<Member>) -> String) -> Presence {
        let mut present = BTreeSet::new();
        let mut represented = BTreeMap::new();
        let mut absent = BTreeSet::new();
        let mut notes = Vec::new();
        for &m in &self.voting_members {
            if self.in_room(m, position) {
                present.insert(m);
            }
        }
        for &m in &self.voting_members {
            if present.contains(&m) {
                if let Some(p) = self.proxy_of(m, position) {
                    notes.push(format!(
                        "Le pouvoir de {} à {} n'est pas utilisé : {} est présent(e).",
                        describe(m),
                        describe(p.holder),
                        describe(m)
                    ));
                }
                continue;
            }
            match self.proxy_of(m, position) {
                Some(p) if present.contains(&p.holder) => {
                    represented.insert(m, p.holder);
                }
                Some(p) => {
                    notes.push(format!(
                        "Le pouvoir de {} tombe : son mandataire {} n'est pas présent(e).",
                        describe(m),
                        describe(p.holder)
                    ));
                    absent.insert(m);
                }
                None => {
                    absent.insert(m);
                }
            }
        }
        Presence {
            position,
            in_office: u32::try_from(self.voting_members.len()).unwrap_or(u32::MAX),
            present,
            represented,
            absent,
            notes,
        }
    }

    /// Checks a new proxy against those recorded: between two voting members, not to
    /// oneself, and a member holds at most one delegation at any item (L3121-16).
    pub fn check_new_proxy(
        &self,
        proxy: &Proxy,
        last_position: u32,
        describe: impl Fn(Id<Member>) -> String,
    ) -> Result<(), DomainError> {
        if proxy.giver == proxy.holder {
            return Err(DomainError::field(
                "mandataire",
                "Mandataire : un élu ne peut pas se donner pouvoir à lui-même.",
            ));
        }
        if proxy.from_position == 0 {
            return Err(DomainError::field(
                "a_partir_du_point",
                "À partir du point : les points de l'ordre du jour commencent à 1.",
            ));
        }
        for (field, who) in [("mandant", proxy.giver), ("mandataire", proxy.holder)] {
            if !self.voting_members.contains(&who) {
                return Err(DomainError::Invalid(vec![FieldError::new(
                    field,
                    format!(
                        "{} : {} n'a pas voix délibérative dans cette instance.",
                        if field == "mandant" {
                            "Mandant"
                        } else {
                            "Mandataire"
                        },
                        describe(who)
                    ),
                )]));
            }
        }
        let mut with_new = self.clone();
        with_new.proxies.push(proxy.clone());
        let last = last_position.max(proxy.from_position);
        for position in proxy.from_position..=last {
            let givers: Vec<Id<Member>> = with_new
                .voting_members
                .iter()
                .copied()
                .filter(|&g| {
                    with_new
                        .proxy_of(g, position)
                        .is_some_and(|p| p.holder == proxy.holder)
                })
                .collect();
            if givers.len() > 1 {
                return Err(DomainError::rule(format!(
                    "Pouvoir refusé : {} détient déjà le pouvoir de {} au point {position} ; un élu ne peut détenir qu'une délégation (article L3121-16 du CGCT).",
                    describe(proxy.holder),
                    givers
                        .iter()
                        .filter(|&&g| g != proxy.giver)
                        .map(|&g| describe(g))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sitting::Sitting;

    fn m(n: i64) -> Id<Member> {
        Id::new(n)
    }

    fn sitting() -> Id<Sitting> {
        Id::new(1)
    }

    fn name(id: Id<Member>) -> String {
        format!("M{id}")
    }

    fn record(present: &[i64], excused: &[i64]) -> AttendanceRecord {
        let mut r = AttendanceRecord::default();
        for &p in present {
            r.voting_members.insert(m(p));
            r.roll_call.insert(m(p), AttendanceStatus::Present);
        }
        for &e in excused {
            r.voting_members.insert(m(e));
            r.roll_call.insert(m(e), AttendanceStatus::Excused);
        }
        r
    }

    fn proxy(giver: i64, holder: i64, from: u32) -> Proxy {
        Proxy {
            sitting: sitting(),
            giver: m(giver),
            holder: m(holder),
            from_position: from,
        }
    }

    fn movement(member: i64, kind: MovementKind, from: u32) -> Movement {
        Movement {
            sitting: sitting(),
            member: m(member),
            kind,
            from_position: from,
        }
    }

    #[test]
    fn a_member_who_leaves_after_item_12_does_not_vote_on_item_13() {
        let mut r = record(&[1, 2, 3], &[]);
        r.movements.push(movement(2, MovementKind::Leaves, 13));
        assert!(r.presence_at(12, name).can_vote(m(2)));
        let at13 = r.presence_at(13, name);
        assert!(!at13.can_vote(m(2)));
        assert!(at13.absent.contains(&m(2)));
    }

    #[test]
    fn a_member_who_arrives_from_item_15_votes_from_item_15() {
        let mut r = record(&[1], &[2]);
        r.roll_call.insert(m(2), AttendanceStatus::Absent);
        r.movements.push(movement(2, MovementKind::Arrives, 15));
        assert!(!r.presence_at(14, name).can_vote(m(2)));
        assert!(r.presence_at(15, name).present.contains(&m(2)));
    }

    #[test]
    fn proxies_follow_their_holder_and_can_be_reassigned() {
        let mut r = record(&[1, 2, 3], &[4]);
        r.proxies.push(proxy(4, 2, 1));
        assert_eq!(r.presence_at(1, name).represented.get(&m(4)), Some(&m(2)));
        // The holder leaves after item 5: the represented vote leaves too…
        r.movements.push(movement(2, MovementKind::Leaves, 6));
        let at6 = r.presence_at(6, name);
        assert!(at6.absent.contains(&m(4)));
        assert!(at6.notes[0].contains("tombe"), "{:?}", at6.notes);
        // …unless the proxy is reassigned.
        r.proxies.push(proxy(4, 3, 6));
        assert_eq!(r.presence_at(6, name).represented.get(&m(4)), Some(&m(3)));
        assert_eq!(r.presence_at(5, name).represented.get(&m(4)), Some(&m(2)));
    }

    #[test]
    fn a_proxy_from_a_present_member_is_not_used() {
        let mut r = record(&[1, 2], &[]);
        r.proxies.push(proxy(1, 2, 1));
        let p = r.presence_at(1, name);
        assert!(p.represented.is_empty());
        assert!(p.notes[0].contains("n'est pas utilisé"));
    }

    #[test]
    fn a_member_holds_at_most_one_delegation() {
        let mut r = record(&[1, 2], &[3, 4]);
        r.proxies.push(proxy(3, 1, 1));
        let err = r.check_new_proxy(&proxy(4, 1, 1), 10, name).unwrap_err();
        assert!(err.to_string().contains("L3121-16"), "{err}");
        // Once the first proxy is reassigned, the holder is free again.
        r.proxies.push(proxy(3, 2, 5));
        assert!(r.check_new_proxy(&proxy(4, 1, 5), 10, name).is_ok());
        assert!(r.check_new_proxy(&proxy(4, 1, 4), 10, name).is_err());
        assert!(r.check_new_proxy(&proxy(1, 1, 1), 10, name).is_err());
        assert!(r.check_new_proxy(&proxy(9, 1, 1), 10, name).is_err());
    }

    fn arbitrary_sitting() -> impl proptest::strategy::Strategy<Value = (AttendanceRecord, u32)> {
        use proptest::prelude::*;
        let statuses = prop_oneof![
            Just(AttendanceStatus::Present),
            Just(AttendanceStatus::Excused),
            Just(AttendanceStatus::Absent),
        ];
        (
            proptest::collection::vec(statuses, 1..40),
            proptest::collection::vec((0usize..40, any::<bool>(), 1u32..12), 0..20),
            proptest::collection::vec((0usize..40, 0usize..40, 1u32..12), 0..20),
            1u32..12,
        )
            .prop_map(|(roll, moves, proxies, position)| {
                let n = roll.len();
                let mut r = AttendanceRecord::default();
                for (i, status) in roll.into_iter().enumerate() {
                    let id = m(i as i64 + 1);
                    r.voting_members.insert(id);
                    r.roll_call.insert(id, status);
                }
                for (who, arrives, from) in moves {
                    r.movements.push(movement(
                        (who % n) as i64 + 1,
                        if arrives {
                            MovementKind::Arrives
                        } else {
                            MovementKind::Leaves
                        },
                        from,
                    ));
                }
                // Only proxies the rules accept are recorded.
                for (giver, holder, from) in proxies {
                    let p = proxy((giver % n) as i64 + 1, (holder % n) as i64 + 1, from);
                    if r.check_new_proxy(&p, 12, name).is_ok() {
                        r.proxies.push(p);
                    }
                }
                (r, position)
            })
    }

    proptest::proptest! {
        #[test]
        fn every_member_in_office_is_exactly_once_present_represented_or_absent((r, position) in arbitrary_sitting()) {
            let p = r.presence_at(position, name);
            proptest::prop_assert_eq!(p.in_office as usize, r.voting_members.len());
            proptest::prop_assert_eq!(p.present.len() + p.represented.len() + p.absent.len(), r.voting_members.len());
            for giver in p.represented.keys() {
                proptest::prop_assert!(!p.present.contains(giver) && !p.absent.contains(giver));
            }
            for member in &p.present {
                proptest::prop_assert!(!p.absent.contains(member));
            }
            // Holders are present, and hold one delegation at most.
            let mut holders = std::collections::BTreeSet::new();
            for holder in p.represented.values() {
                proptest::prop_assert!(p.present.contains(holder));
                proptest::prop_assert!(holders.insert(*holder), "two delegations held by {:?}", holder);
            }
            // The quorum follows from the presence, whatever the sitting.
            let q = crate::quorum::check(&p, true, None);
            proptest::prop_assert_eq!(q.reached, 2 * (p.present.len() + p.represented.len()) > r.voting_members.len());
            let q = crate::quorum::check(&p, false, None);
            proptest::prop_assert_eq!(q.reached, 2 * p.present.len() > r.voting_members.len());
        }
    }
}
