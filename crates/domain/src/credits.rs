//! Budget decisions and the credits they give budget lines over the year.
//!
//! A line's credits are not one voted figure: the budget primitif opens them, a budget
//! supplémentaire or a décision modificative adds or takes some away, a virement moves
//! them between lines. Each decision is an act voted in a sitting; only adopted decisions
//! count. What a line may still commit is its credits minus what is already committed,
//! and no decision may take a line below that.

use crate::budget::BudgetLine;
use crate::error::{DomainError, Errors, FieldError};
use crate::ids::Id;
use crate::money::Amount;
use crate::report::Report;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The kinds of budget decision of a Département's year (M57, CGCT L3312-1 and following).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Budget primitif: opens the year's credits.
    Primitive,
    /// Budget supplémentaire: takes up the previous year's results.
    Supplementary,
    /// Décision modificative n°…: changes credits during the year.
    Amending,
    /// Virement de crédits: moves credits between lines, the total unchanged.
    Transfer,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Primitive,
        DecisionKind::Supplementary,
        DecisionKind::Amending,
        DecisionKind::Transfer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::Primitive => "bp",
            DecisionKind::Supplementary => "bs",
            DecisionKind::Amending => "dm",
            DecisionKind::Transfer => "virement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Reads "BP", "bs", "DM", "virement" as staff type them.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        Self::from_code(&input.trim().to_lowercase()).ok_or_else(|| {
            FieldError::new(
                field,
                format!(
                    "Nature de la décision : « {} » n'en est pas une (bp, bs, dm ou virement).",
                    input.trim()
                ),
            )
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Primitive => "Budget primitif",
            DecisionKind::Supplementary => "Budget supplémentaire",
            DecisionKind::Amending => "Décision modificative",
            DecisionKind::Transfer => "Virement de crédits",
        }
    }
}

/// Where a budget decision stands: proposed by a report, then adopted or rejected by the
/// vote on its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    Proposed,
    Adopted,
    Rejected,
}

impl DecisionStatus {
    pub fn code(self) -> &'static str {
        match self {
            DecisionStatus::Proposed => "proposee",
            DecisionStatus::Adopted => "adoptee",
            DecisionStatus::Rejected => "rejetee",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            DecisionStatus::Proposed,
            DecisionStatus::Adopted,
            DecisionStatus::Rejected,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionStatus::Proposed => "proposée",
            DecisionStatus::Adopted => "adoptée",
            DecisionStatus::Rejected => "rejetée",
        }
    }
}

/// One article of a budget decision: credits added to (positive) or taken from (negative)
/// a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditMove {
    pub line: Id<BudgetLine>,
    pub amount: Amount,
}

/// "Budget primitif 2023", "Décision modificative n°2 de 2023".
pub fn decision_title(kind: DecisionKind, rank: Option<u32>, year: i16) -> String {
    match (kind, rank) {
        (DecisionKind::Amending, Some(n)) => format!("Décision modificative n°{n} de {year}"),
        (kind, _) => format!("{} {year}", kind.label()),
    }
}

/// A budget decision, proposed by the report of an agenda item and voted with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetDecision {
    pub year: i16,
    pub kind: DecisionKind,
    /// The n of "Décision modificative n°n"; none for the other kinds.
    pub rank: Option<u32>,
    pub report: Id<Report>,
    /// The deliberation that adopts (or rejects) it, once voted.
    pub deliberation: Option<Id<crate::deliberation::Deliberation>>,
    pub status: DecisionStatus,
    pub moves: Vec<CreditMove>,
}

impl BudgetDecision {
    /// "Budget primitif 2023", "Décision modificative n°2 de 2023".
    pub fn title(&self) -> String {
        decision_title(self.kind, self.rank, self.year)
    }

    /// The decision's own coherence, before any line is looked at: at least one article,
    /// no line twice, no empty article; a budget primitif only opens credits, a virement
    /// moves them without changing the total, a décision modificative carries its number.
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.moves.is_empty() {
            errors.push(FieldError::new(
                "lignes",
                "Lignes : la décision ne modifie aucune ligne budgétaire.",
            ));
        }
        let mut seen = HashSet::new();
        for (i, m) in self.moves.iter().enumerate() {
            if !seen.insert(m.line) {
                errors.push(FieldError::new(
                    format!("lignes.{i}"),
                    "Lignes : une même ligne figure deux fois dans la décision ; additionnez les montants.",
                ));
            }
            if m.amount.is_zero() {
                errors.push(FieldError::new(
                    format!("lignes.{i}"),
                    "Lignes : un article de décision ne peut pas porter sur 0 €.",
                ));
            }
            if self.kind == DecisionKind::Primitive && m.amount.is_negative() {
                errors.push(FieldError::new(
                    format!("lignes.{i}"),
                    "Lignes : le budget primitif ouvre des crédits ; il ne peut pas en retirer.",
                ));
            }
        }
        if self.kind == DecisionKind::Transfer
            && Amount::checked_sum(self.moves.iter().map(|m| m.amount)) != Some(Amount::ZERO)
        {
            errors.push(FieldError::new(
                "lignes",
                "Lignes : un virement de crédits déplace des crédits entre lignes ; le total des montants doit être nul.",
            ));
        }
        match (self.kind, self.rank) {
            (DecisionKind::Amending, None | Some(0)) => errors.push(FieldError::new(
                "numero",
                "Numéro : une décision modificative porte un numéro (1, 2, …).",
            )),
            (DecisionKind::Amending, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(FieldError::new(
                "numero",
                "Numéro : seules les décisions modificatives sont numérotées.",
            )),
        }
        if !(1900..=2200).contains(&self.year) {
            errors.push(FieldError::new(
                "annee",
                format!(
                    "Année : {} n'est pas un exercice budgétaire plausible.",
                    self.year
                ),
            ));
        }
        errors.into_result()
    }
}

/// A line as a decision finds it: its credits now and what it already owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineBalance {
    pub line: Id<BudgetLine>,
    pub operation_code: String,
    pub imputation: String,
    pub year: i16,
    pub credits: Amount,
    /// Active commitments plus the proposals waiting for their vote.
    pub committed: Amount,
}

impl LineBalance {
    /// A line as the store gives it (its credits now), its commitments and the proposals
    /// still waiting for their vote on it.
    pub fn of(
        id: Id<BudgetLine>,
        line: &BudgetLine,
        commitments: &[crate::budget::Commitment],
        pending: Amount,
    ) -> Result<LineBalance, DomainError> {
        let committed = crate::budget::committed(commitments, None)?
            .checked_add(pending)
            .ok_or_else(|| {
                DomainError::rule("Les engagements de la ligne dépassent la capacité de calcul.")
            })?;
        Ok(LineBalance {
            line: id,
            operation_code: line.operation_code.clone(),
            imputation: line.imputation.to_string(),
            year: line.year,
            credits: line.voted,
            committed,
        })
    }
}

/// Checks a decision against the lines it changes: each must belong to the decision's
/// year and keep at least what it has committed. Every shortfall is named.
pub fn check_decision(decision: &BudgetDecision, lines: &[LineBalance]) -> Result<(), DomainError> {
    decision.validate()?;
    let mut errors = Errors::new();
    for (i, m) in decision.moves.iter().enumerate() {
        let Some(line) = lines.iter().find(|l| l.line == m.line) else {
            errors.push(FieldError::new(
                format!("lignes.{i}"),
                format!("Lignes : la ligne n°{} est introuvable.", m.line),
            ));
            continue;
        };
        if line.year != decision.year {
            errors.push(FieldError::new(
                format!("lignes.{i}"),
                format!(
                    "Lignes : l'opération {} appartient au budget {}, pas à celui de {}.",
                    line.operation_code, line.year, decision.year
                ),
            ));
            continue;
        }
        let after = line.credits.checked_add(m.amount).ok_or_else(|| {
            DomainError::rule("Les crédits de la ligne dépassent la capacité de calcul.")
        })?;
        if after < line.committed {
            let shortfall = line.committed.checked_sub(after).unwrap_or(Amount::ZERO);
            errors.push(FieldError::new(
                format!("lignes.{i}"),
                format!(
                    "{} : l'opération {} ({}) passerait à {} de crédits pour {} déjà engagés ou proposés ; il manque {}.",
                    decision.title(),
                    line.operation_code,
                    line.imputation,
                    after.format_euros_fr(),
                    line.committed.format_euros_fr(),
                    shortfall.format_euros_fr()
                ),
            ));
        }
    }
    errors.into_result()
}

/// One step of a line's credits: what a decision gave or took, and the credits after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditStep {
    /// "Budget primitif 2023", or "Crédits inscrits à la création de la ligne".
    pub label: String,
    /// The adopting deliberation's number, when the decision is an act of the register.
    pub deliberation: Option<String>,
    pub date: Option<Date>,
    pub amount: Amount,
    pub credits_after: Amount,
}

/// What a decision gave a line, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptedMove {
    pub title: String,
    pub deliberation: Option<String>,
    pub date: Date,
    pub amount: Amount,
}

/// Credits recorded with the line itself (before acta held the year's decisions).
pub const OPENING_LABEL: &str = "Crédits inscrits à la création de la ligne";

/// A line's credits: those recorded with it plus every adopted decision's article.
pub fn line_credits(
    opening: Amount,
    adopted: impl IntoIterator<Item = Amount>,
) -> Result<Amount, DomainError> {
    Amount::checked_sum(std::iter::once(opening).chain(adopted)).ok_or_else(|| {
        DomainError::rule("Les crédits de la ligne dépassent la capacité de calcul.")
    })
}

/// The history of a line's credits, oldest first, in the order the decisions were
/// adopted; the last step's `credits_after` is `line_credits`.
pub fn credit_history(
    opening: Amount,
    mut adopted: Vec<AdoptedMove>,
) -> Result<Vec<CreditStep>, DomainError> {
    adopted.sort_by_key(|m| m.date);
    let mut steps = Vec::with_capacity(adopted.len() + 1);
    let mut credits = opening;
    if !opening.is_zero() || adopted.is_empty() {
        steps.push(CreditStep {
            label: OPENING_LABEL.to_string(),
            deliberation: None,
            date: None,
            amount: opening,
            credits_after: opening,
        });
    }
    for m in adopted {
        credits = line_credits(credits, [m.amount])?;
        steps.push(CreditStep {
            label: m.title,
            deliberation: m.deliberation,
            date: Some(m.date),
            amount: m.amount,
            credits_after: credits,
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euros(n: i64) -> Amount {
        Amount::from_centimes(n * 100)
    }

    fn decision(kind: DecisionKind, rank: Option<u32>, moves: &[(i64, i64)]) -> BudgetDecision {
        BudgetDecision {
            year: 2023,
            kind,
            rank,
            report: Id::new(1),
            deliberation: None,
            status: DecisionStatus::Proposed,
            moves: moves
                .iter()
                .map(|&(line, amount)| CreditMove {
                    line: Id::new(line),
                    amount: euros(amount),
                })
                .collect(),
        }
    }

    fn balance(line: i64, credits: i64, committed: i64) -> LineBalance {
        LineBalance {
            line: Id::new(line),
            operation_code: format!("OP{line}"),
            imputation: "6568//9361".into(),
            year: 2023,
            credits: euros(credits),
            committed: euros(committed),
        }
    }

    #[test]
    fn kinds_read_back_from_their_codes_and_typed_forms() {
        for kind in DecisionKind::ALL {
            assert_eq!(DecisionKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(
            DecisionKind::parse("nature", " DM ").ok(),
            Some(DecisionKind::Amending)
        );
        let refused = DecisionKind::parse("nature", "CA").unwrap_err();
        assert!(refused.to_string().contains("« CA »"), "{refused}");
    }

    #[test]
    fn a_decision_is_coherent_before_it_touches_a_line() {
        // (kind, rank, moves, the field refused or None)
        type Case<'a> = (DecisionKind, Option<u32>, &'a [(i64, i64)], Option<&'a str>);
        let cases: [Case; 9] = [
            (DecisionKind::Primitive, None, &[(1, 140_000)], None),
            (DecisionKind::Primitive, None, &[(1, -10)], Some("lignes.0")),
            (DecisionKind::Amending, Some(1), &[(1, -40_000)], None),
            (DecisionKind::Amending, None, &[(1, 10)], Some("numero")),
            (
                DecisionKind::Supplementary,
                Some(1),
                &[(1, 10)],
                Some("numero"),
            ),
            (DecisionKind::Transfer, None, &[(1, -500), (2, 500)], None),
            (
                DecisionKind::Transfer,
                None,
                &[(1, -500), (2, 400)],
                Some("lignes"),
            ),
            (
                DecisionKind::Amending,
                Some(2),
                &[(1, 5), (1, 5)],
                Some("lignes.1"),
            ),
            (DecisionKind::Amending, Some(2), &[], Some("lignes")),
        ];
        for (kind, rank, moves, refused) in cases {
            let result = decision(kind, rank, moves).validate();
            match refused {
                None => assert!(result.is_ok(), "{kind:?} {moves:?}: {result:?}"),
                Some(field) => match result {
                    Err(DomainError::Invalid(list)) => {
                        assert!(list.iter().any(|e| e.field == field), "{list:?}")
                    }
                    other => panic!("{kind:?} {moves:?}: {other:?}"),
                },
            }
        }
    }

    #[test]
    fn a_decision_cannot_take_a_line_below_what_it_committed() {
        // The seed's line: 140 000 from the BP, 10 000 from DM 1, 120 000 committed.
        let line = balance(1, 150_000, 120_000);
        let take_40 = decision(DecisionKind::Amending, Some(2), &[(1, -40_000)]);
        let message = check_decision(&take_40, std::slice::from_ref(&line))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message.replace(['\u{202f}', '\u{a0}'], " "),
            "Décision modificative n°2 de 2023 : l'opération OP1 (6568//9361) passerait à 110 000 € de crédits pour 120 000 € déjà engagés ou proposés ; il manque 10 000 €."
        );
        let take_30 = decision(DecisionKind::Amending, Some(2), &[(1, -30_000)]);
        assert!(check_decision(&take_30, std::slice::from_ref(&line)).is_ok());
        let other_year = LineBalance { year: 2024, ..line };
        let refused = check_decision(&take_30, &[other_year]).unwrap_err();
        assert!(refused.to_string().contains("budget 2024"), "{refused}");
    }

    #[test]
    fn the_history_adds_up_to_the_credits() {
        let date = |m, d| jiff::civil::date(2023, m, d);
        let adopted = vec![
            AdoptedMove {
                title: "Décision modificative n°1 de 2023".into(),
                deliberation: Some("2023-300".into()),
                date: date(6, 26),
                amount: euros(10_000),
            },
            AdoptedMove {
                title: "Budget primitif 2023".into(),
                deliberation: Some("2023-12".into()),
                date: date(1, 30),
                amount: euros(140_000),
            },
        ];
        let steps = credit_history(Amount::ZERO, adopted).unwrap();
        let seen: Vec<(&str, i64)> = steps
            .iter()
            .map(|s| (s.label.as_str(), s.credits_after.centimes() / 100))
            .collect();
        assert_eq!(
            seen,
            [
                ("Budget primitif 2023", 140_000),
                ("Décision modificative n°1 de 2023", 150_000)
            ]
        );
        assert_eq!(
            line_credits(Amount::ZERO, [euros(140_000), euros(10_000)]).unwrap(),
            euros(150_000)
        );
        let empty = credit_history(euros(5), Vec::new()).unwrap();
        assert_eq!(empty[0].label, OPENING_LABEL);
    }

    proptest::proptest! {
        /// Whatever decisions are accepted one after the other, a line never holds less
        /// than what it committed.
        #[test]
        fn accepted_decisions_keep_every_commitment_covered(
            committed in 0i64..1_000_000,
            amounts in proptest::collection::vec(-500_000i64..500_000, 0..40),
        ) {
            let mut line = balance(1, committed, committed);
            for (n, amount) in amounts.into_iter().enumerate() {
                if amount == 0 { continue; }
                let d = decision(DecisionKind::Amending, Some(u32::try_from(n + 1).unwrap_or(1)), &[(1, amount)]);
                if check_decision(&d, std::slice::from_ref(&line)).is_ok() {
                    line.credits = line_credits(line.credits, [euros(amount)]).unwrap();
                }
                proptest::prop_assert!(line.credits >= line.committed);
            }
        }
    }
}
