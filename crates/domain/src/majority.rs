//! The result of a vote: majority of suffrages exprimés, the president's casting vote on a
//! tie (not in a secret ballot), special majorities, and items only taken note of.

use crate::error::DomainError;
use crate::sitting::ItemKind;
use crate::vote::{Outcome, Tally, VoteChoice};
use serde::{Deserialize, Serialize};

/// The majority an item needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum MajorityRule {
    /// More votes for than against (absolute majority of suffrages exprimés).
    #[default]
    Simple,
    /// At least `numerator / denominator` of suffrages exprimés (two thirds: 2/3).
    Qualified { numerator: u32, denominator: u32 },
}

impl MajorityRule {
    pub fn validate(self) -> Result<(), DomainError> {
        if let MajorityRule::Qualified {
            numerator,
            denominator,
        } = self
            && (denominator == 0 || numerator == 0 || numerator > denominator)
        {
            return Err(DomainError::field(
                "majorite",
                format!(
                    "Majorité : {numerator}/{denominator} n'est pas une fraction entre 0 et 1 (exemple : 2/3)."
                ),
            ));
        }
        Ok(())
    }

    pub fn label(self) -> String {
        match self {
            MajorityRule::Simple => "majorité des suffrages exprimés".to_string(),
            MajorityRule::Qualified {
                numerator: 2,
                denominator: 3,
            } => "majorité des deux tiers des suffrages exprimés".to_string(),
            MajorityRule::Qualified {
                numerator,
                denominator,
            } => format!("majorité de {numerator}/{denominator} des suffrages exprimés"),
        }
    }

    /// Reads "simple", "2/3", "3/5".
    pub fn parse(input: &str) -> Result<MajorityRule, DomainError> {
        let t = input.trim();
        if t.is_empty() || t == "simple" {
            return Ok(MajorityRule::Simple);
        }
        let parsed = t.split_once('/').and_then(|(a, b)| {
            Some(MajorityRule::Qualified {
                numerator: a.trim().parse().ok()?,
                denominator: b.trim().parse().ok()?,
            })
        });
        match parsed {
            Some(rule) => rule.validate().map(|_| rule),
            None => Err(DomainError::field(
                "majorite",
                format!("Majorité : « {t} » n'est ni « simple » ni une fraction (exemple : 2/3)."),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub casting_vote_used: bool,
    /// "Suffrages exprimés : 44 (44 pour, 0 contre), majorité requise 23 : adopté."
    pub explanation: String,
}

fn votes(n: u64) -> String {
    format!("{n}")
}

/// Decides an item. `president_vote` is needed only on a tie in a public ballot; when it
/// is unknown there, the decision is refused with the question to ask.
pub fn decide(
    kind: ItemKind,
    rule: MajorityRule,
    tally: &Tally,
    secret: bool,
    president_vote: Option<VoteChoice>,
) -> Result<Decision, DomainError> {
    if kind == ItemKind::TakeNote {
        return Ok(Decision {
            outcome: Outcome::TakenNote,
            casting_vote_used: false,
            explanation: "L'assemblée prend acte : pas de vote.".to_string(),
        });
    }
    rule.validate()?;
    let cast = tally.cast();
    let counts = format!(
        "{} ({} pour, {} contre)",
        votes(cast),
        tally.for_,
        tally.against
    );
    if cast == 0 {
        return Ok(Decision {
            outcome: Outcome::Rejected,
            casting_vote_used: false,
            explanation: format!(
                "Aucun suffrage exprimé ({} abstention(s)) : la proposition n'obtient pas la majorité, rejeté.",
                tally.abstention
            ),
        });
    }
    match rule {
        MajorityRule::Qualified {
            numerator,
            denominator,
        } => {
            // cast < 2^33 and numerator < 2^32: the products fit in u128 whatever was typed.
            let needed =
                (u128::from(cast) * u128::from(numerator)).div_ceil(u128::from(denominator));
            let adopted = u128::from(tally.for_) * u128::from(denominator)
                >= u128::from(cast) * u128::from(numerator);
            Ok(Decision {
                outcome: if adopted {
                    Outcome::Adopted
                } else {
                    Outcome::Rejected
                },
                casting_vote_used: false,
                explanation: format!(
                    "Suffrages exprimés : {counts} ; {} : {needed} voix pour requises : {}.",
                    rule.label(),
                    if adopted { "adopté" } else { "rejeté" }
                ),
            })
        }
        MajorityRule::Simple if tally.for_ != tally.against => {
            let adopted = tally.for_ > tally.against;
            Ok(Decision {
                outcome: if adopted {
                    Outcome::Adopted
                } else {
                    Outcome::Rejected
                },
                casting_vote_used: false,
                explanation: format!(
                    "Suffrages exprimés : {counts}, majorité requise {} : {}.",
                    cast / 2 + 1,
                    if adopted { "adopté" } else { "rejeté" }
                ),
            })
        }
        MajorityRule::Simple if secret => Ok(Decision {
            outcome: Outcome::Rejected,
            casting_vote_used: false,
            explanation: format!(
                "Partage égal des voix ({counts}) au scrutin secret : pas de voix prépondérante, rejeté."
            ),
        }),
        MajorityRule::Simple => match president_vote {
            Some(VoteChoice::For) => Ok(Decision {
                outcome: Outcome::Adopted,
                casting_vote_used: true,
                explanation: format!(
                    "Partage égal des voix ({counts}) : la voix du président, pour, est prépondérante (article L3121-15 du CGCT) : adopté."
                ),
            }),
            Some(VoteChoice::Against) => Ok(Decision {
                outcome: Outcome::Rejected,
                casting_vote_used: true,
                explanation: format!(
                    "Partage égal des voix ({counts}) : la voix du président, contre, est prépondérante (article L3121-15 du CGCT) : rejeté."
                ),
            }),
            Some(_) => Ok(Decision {
                outcome: Outcome::Rejected,
                casting_vote_used: false,
                explanation: format!(
                    "Partage égal des voix ({counts}) : le président ne s'étant pas prononcé, sa voix ne peut départager ; la proposition n'obtient pas la majorité : rejeté."
                ),
            }),
            None => Err(DomainError::field(
                "vote_president",
                format!(
                    "Vote du président : partage égal des voix ({counts}) ; indiquez comment le président a voté, sa voix est prépondérante."
                ),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(f: u32, a: u32, abs: u32) -> Tally {
        Tally {
            for_: f,
            against: a,
            abstention: abs,
            not_participating: 0,
        }
    }

    /// Rule, tally, secret, president's vote, outcome, casting vote used, explanation.
    type Case = (
        MajorityRule,
        Tally,
        bool,
        Option<VoteChoice>,
        Outcome,
        bool,
        &'static str,
    );

    #[test]
    fn table() {
        use MajorityRule::*;
        use Outcome::*;
        let two_thirds = Qualified {
            numerator: 2,
            denominator: 3,
        };
        let cases: [Case; 9] = [
            (
                Simple,
                tally(44, 0, 0),
                false,
                None,
                Adopted,
                false,
                "Suffrages exprimés : 44 (44 pour, 0 contre), majorité requise 23 : adopté.",
            ),
            (
                Simple,
                tally(10, 12, 20),
                false,
                None,
                Rejected,
                false,
                "Suffrages exprimés : 22 (10 pour, 12 contre), majorité requise 12 : rejeté.",
            ),
            (
                Simple,
                tally(10, 10, 3),
                false,
                Some(VoteChoice::For),
                Adopted,
                true,
                "la voix du président, pour, est prépondérante",
            ),
            (
                Simple,
                tally(10, 10, 3),
                false,
                Some(VoteChoice::Against),
                Rejected,
                true,
                "la voix du président, contre, est prépondérante",
            ),
            (
                Simple,
                tally(10, 10, 3),
                false,
                Some(VoteChoice::Abstention),
                Rejected,
                false,
                "le président ne s'étant pas prononcé",
            ),
            (
                Simple,
                tally(10, 10, 0),
                true,
                Some(VoteChoice::For),
                Rejected,
                false,
                "au scrutin secret : pas de voix prépondérante, rejeté.",
            ),
            (
                Simple,
                tally(0, 0, 12),
                false,
                None,
                Rejected,
                false,
                "Aucun suffrage exprimé (12 abstention(s))",
            ),
            (
                two_thirds,
                tally(20, 10, 5),
                false,
                None,
                Adopted,
                false,
                "majorité des deux tiers des suffrages exprimés : 20 voix pour requises : adopté.",
            ),
            (
                two_thirds,
                tally(19, 11, 0),
                false,
                None,
                Rejected,
                false,
                "20 voix pour requises : rejeté.",
            ),
        ];
        for (rule, t, secret, president, outcome, casting, text) in cases {
            let d = decide(ItemKind::Vote, rule, &t, secret, president).unwrap();
            assert_eq!(d.outcome, outcome, "{text}");
            assert_eq!(d.casting_vote_used, casting, "{text}");
            assert!(d.explanation.contains(text), "{} / {text}", d.explanation);
        }
    }

    #[test]
    fn a_public_tie_needs_the_presidents_vote() {
        let err = decide(
            ItemKind::Vote,
            MajorityRule::Simple,
            &tally(5, 5, 0),
            false,
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("indiquez comment le président a voté")
        );
    }

    #[test]
    fn taking_note_has_no_vote() {
        let d = decide(
            ItemKind::TakeNote,
            MajorityRule::Simple,
            &Tally::default(),
            false,
            None,
        )
        .unwrap();
        assert_eq!(d.outcome, Outcome::TakenNote);
    }

    #[test]
    fn majority_rules_parse() {
        assert_eq!(
            MajorityRule::parse("2/3").unwrap(),
            MajorityRule::Qualified {
                numerator: 2,
                denominator: 3
            }
        );
        assert_eq!(MajorityRule::parse("simple").unwrap(), MajorityRule::Simple);
        assert!(MajorityRule::parse("3/2").is_err());
        assert!(MajorityRule::parse("deux tiers").is_err());
    }

    proptest::proptest! {
        #[test]
        fn simple_majority_and_casting_vote(f in 0u32..100, a in 0u32..100, abs in 0u32..50, secret: bool, president in proptest::option::of(0usize..4)) {
            let president = president.map(|i| VoteChoice::ALL[i]);
            let t = tally(f, a, abs);
            match decide(ItemKind::Vote, MajorityRule::Simple, &t, secret, president) {
                Ok(d) => {
                    let casting_for = f == a && f > 0 && !secret && president == Some(VoteChoice::For);
                    let expected = if f > a || casting_for {
                        Outcome::Adopted
                    } else {
                        Outcome::Rejected
                    };
                    proptest::prop_assert_eq!(d.outcome, expected);
                    proptest::prop_assert_eq!(d.casting_vote_used, f == a && f > 0 && !secret && matches!(president, Some(VoteChoice::For | VoteChoice::Against)));
                }
                Err(_) => proptest::prop_assert!(f == a && f > 0 && !secret && president.is_none()),
            }
        }

        #[test]
        fn qualified_majority_never_adopts_below_its_fraction(f in 0u32..100, a in 0u32..100, n in 1u32..5, extra in 0u32..5) {
            let d = n + extra;
            let rule = MajorityRule::Qualified { numerator: n, denominator: d };
            let r = decide(ItemKind::Vote, rule, &tally(f, a, 0), false, None).unwrap();
            let adopted = r.outcome == Outcome::Adopted;
            proptest::prop_assert_eq!(adopted, f + a > 0 && u64::from(f) * u64::from(d) >= u64::from(f + a) * u64::from(n));
        }
    }
}
