//! Quorum: the absolute majority of members in office, counted per body type.

use crate::presence::Presence;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuorumCheck {
    pub in_office: u32,
    pub present: u32,
    pub represented: u32,
    /// Whether represented members count (Commission permanente) or not (Conseil).
    pub counts_proxies: bool,
    /// More than half of the members in office.
    pub required: u32,
    pub counted: u32,
    pub reached: bool,
    /// The sitting reconvened after a quorum failure deliberates whatever the number.
    pub waived: bool,
    /// "22 présents sur 44 en exercice, quorum 23 : non atteint".
    pub explanation: String,
}

/// More than half of `in_office`: 23 for 44, 23 for 45.
pub fn required(in_office: u32) -> u32 {
    in_office / 2 + 1
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n > 1 {
        format!("{n} {many}")
    } else {
        format!("{n} {one}")
    }
}

/// Checks the quorum at an item. `waived_because` explains why a reconvened sitting
/// deliberates without quorum.
pub fn check(
    presence: &Presence,
    counts_proxies: bool,
    waived_because: Option<&str>,
) -> QuorumCheck {
    let present = presence.present_count();
    let represented = presence.represented_count();
    let counted = if counts_proxies {
        present + represented
    } else {
        present
    };
    let required = required(presence.in_office);
    let reached = counted >= required;
    let who = if counts_proxies && represented > 0 {
        format!(
            "{} et {}",
            plural(present, "présent", "présents"),
            plural(represented, "représenté", "représentés")
        )
    } else if counts_proxies {
        format!("{} ou représentés", plural(present, "présent", "présents"))
    } else {
        plural(present, "présent", "présents")
    };
    let mut explanation = format!(
        "{who} sur {} en exercice, quorum {required} : {}",
        presence.in_office,
        if reached { "atteint" } else { "non atteint" }
    );
    if !counts_proxies && represented > 0 {
        explanation.push_str(&format!(
            " (les {} ne comptent pas pour le quorum)",
            plural(represented, "pouvoir", "pouvoirs")
        ));
    }
    let waived = !reached && waived_because.is_some();
    if let Some(reason) = waived_because.filter(|_| !reached) {
        explanation.push_str(&format!(" ; {reason}"));
    }
    QuorumCheck {
        in_office: presence.in_office,
        present,
        represented,
        counts_proxies,
        required,
        counted,
        reached,
        waived,
        explanation,
    }
}

impl QuorumCheck {
    /// Whether the item may be voted.
    pub fn allows_vote(&self) -> bool {
        self.reached || self.waived
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Id;
    use std::collections::{BTreeMap, BTreeSet};

    fn presence(in_office: u32, present: u32, represented: u32) -> Presence {
        let present_set: BTreeSet<_> = (1..=i64::from(present)).map(Id::new).collect();
        let represented_map: BTreeMap<_, _> = (0..i64::from(represented))
            .map(|i| (Id::new(1000 + i), Id::new(1 + i)))
            .collect();
        Presence {
            position: 1,
            in_office,
            present: present_set,
            represented: represented_map,
            absent: BTreeSet::new(),
            notes: vec![],
        }
    }

    #[test]
    fn table() {
        let cases = [
            (
                44,
                22,
                0,
                false,
                false,
                "22 présents sur 44 en exercice, quorum 23 : non atteint",
            ),
            (
                44,
                23,
                0,
                false,
                true,
                "23 présents sur 44 en exercice, quorum 23 : atteint",
            ),
            (
                44,
                21,
                2,
                true,
                true,
                "21 présents et 2 représentés sur 44 en exercice, quorum 23 : atteint",
            ),
            (
                44,
                21,
                2,
                false,
                false,
                "21 présents sur 44 en exercice, quorum 23 : non atteint (les 2 pouvoirs ne comptent pas pour le quorum)",
            ),
            (
                45,
                23,
                0,
                false,
                true,
                "23 présents sur 45 en exercice, quorum 23 : atteint",
            ),
            (
                44,
                42,
                0,
                true,
                true,
                "42 présents ou représentés sur 44 en exercice, quorum 23 : atteint",
            ),
            (
                3,
                1,
                0,
                false,
                false,
                "1 présent sur 3 en exercice, quorum 2 : non atteint",
            ),
        ];
        for (in_office, present, represented, proxies, reached, text) in cases {
            let q = check(&presence(in_office, present, represented), proxies, None);
            assert_eq!(q.reached, reached, "{text}");
            assert_eq!(q.explanation, text);
        }
    }

    #[test]
    fn a_reconvened_sitting_deliberates_whatever_the_number() {
        let q = check(
            &presence(44, 10, 0),
            false,
            Some(
                "séance reconvoquée après défaut de quorum : délibère quel que soit le nombre de présents",
            ),
        );
        assert!(!q.reached && q.waived && q.allows_vote());
        assert!(
            q.explanation
                .ends_with("quel que soit le nombre de présents")
        );
    }

    proptest::proptest! {
        #[test]
        fn quorum_is_more_than_half(in_office in 1u32..200, present_share in 0u32..=100, represented_share in 0u32..=100, proxies: bool) {
            let present = in_office * present_share / 100;
            let represented = (in_office - present) * represented_share / 100;
            let q = check(&presence(in_office, present, represented), proxies, None);
            let counted = if proxies { present + represented } else { present };
            proptest::prop_assert_eq!(q.reached, 2 * counted > in_office);
            proptest::prop_assert!(!q.waived);
        }
    }
}
