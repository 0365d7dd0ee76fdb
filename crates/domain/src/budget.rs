//! Budget lines, their imputation and the credits they still have.

use crate::error::{DomainError, Errors, FieldError};
use crate::ids::Id;
use crate::money::Amount;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an expense is charged: an M57 account by nature and a functional chapter and
/// function. Printed as the Département prints it: "6568//9361" (nature account, then the
/// functional chapter's two first digits and the function).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Imputation {
    /// "6568": Autres participations.
    pub nature_account: String,
    /// "936": Action économique (fonctionnement).
    pub functional_chapter: String,
    /// "61": Interventions économiques transversales.
    pub function: String,
}

impl Imputation {
    pub fn new(
        nature_account: &str,
        functional_chapter: &str,
        function: &str,
    ) -> Result<Self, DomainError> {
        let imputation = Imputation {
            nature_account: nature_account.trim().to_string(),
            functional_chapter: functional_chapter.trim().to_string(),
            function: function.trim().to_string(),
        };
        imputation.validate()?;
        Ok(imputation)
    }

    /// Reads "6568//9361".
    pub fn parse(field: &str, input: &str) -> Result<Self, DomainError> {
        let invalid = || {
            DomainError::field(
                field,
                format!(
                    "Imputation : « {} » ne suit pas la forme compte//fonctionnel (exemple : 6568//9361).",
                    input.trim()
                ),
            )
        };
        let (nature, functional) = input.trim().split_once("//").ok_or_else(invalid)?;
        if functional.len() < 4 || !functional.is_ascii() {
            return Err(invalid());
        }
        let (chapter, function) = (&functional[..3], &functional[2..]);
        Imputation::new(nature, chapter, function)
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let mut errors = Errors::new();
        if !digits(&self.nature_account) || !(2..=7).contains(&self.nature_account.len()) {
            errors.push(FieldError::new(
                "compte_nature",
                format!(
                    "Compte par nature : « {} » doit compter de 2 à 7 chiffres (exemple : 6568).",
                    self.nature_account
                ),
            ));
        }
        let chapter_ok = digits(&self.functional_chapter)
            && self.functional_chapter.len() == 3
            && self.functional_chapter.starts_with('9');
        if !chapter_ok {
            errors.push(FieldError::new(
                "chapitre_fonctionnel",
                format!(
                    "Chapitre fonctionnel : « {} » doit compter 3 chiffres et commencer par 9 (exemple : 936).",
                    self.functional_chapter
                ),
            ));
        }
        if !digits(&self.function) {
            errors.push(FieldError::new(
                "fonction",
                format!(
                    "Fonction : « {} » doit être un code de fonction en chiffres (exemple : 61).",
                    self.function
                ),
            ));
        } else if chapter_ok && self.function.as_bytes()[0] != self.functional_chapter.as_bytes()[2]
        {
            errors.push(FieldError::new(
                "fonction",
                format!(
                    "Fonction : la fonction {} n'appartient pas au chapitre {} (elle devrait commencer par {}).",
                    self.function,
                    self.functional_chapter,
                    &self.functional_chapter[2..]
                ),
            ));
        }
        errors.into_result()
    }
}

impl fmt::Display for Imputation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = self.functional_chapter.get(..2).unwrap_or("");
        write!(f, "{}//{prefix}{}", self.nature_account, self.function)
    }
}

/// A line of the voted budget: an operation with its imputation and its payment credits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// Budget year.
    pub year: i16,
    /// "C01-620A06".
    pub operation_code: String,
    /// "PARTENARIAT - ARTISANAT".
    pub label: String,
    pub imputation: Imputation,
    /// Crédits de paiement voted for the year.
    pub voted: Amount,
}

impl BudgetLine {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        let code = self.operation_code.trim();
        let code_ok = !code.is_empty()
            && code.len() <= 20
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !code_ok {
            errors.push(FieldError::new(
                "code_operation",
                format!(
                    "Code opération : « {code} » doit compter 1 à 20 caractères parmi A-Z, 0-9, - et _ (exemple : C01-620A06)."
                ),
            ));
        }
        if self.label.trim().is_empty() {
            errors.push(FieldError::new(
                "libelle",
                "Libellé : le libellé de l'opération est obligatoire.",
            ));
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
        if self.voted.is_negative() {
            errors.push(FieldError::new(
                "cp_votes",
                "Crédits de paiement votés : le montant ne peut pas être négatif.",
            ));
        }
        match self.imputation.validate() {
            Err(DomainError::Invalid(list)) => {
                for e in list {
                    errors.push(e);
                }
            }
            // Well formed: it must also exist in the official chart and take expenses.
            _ => {
                if let Err(DomainError::Invalid(list)) =
                    crate::chart::m57_d().check_expense(&self.imputation)
                {
                    for e in list {
                        errors.push(e);
                    }
                }
            }
        }
        errors.into_result()
    }
}

/// An amount reserved on a budget line. `source` tells where it comes from: an award
/// adopted in acta, or commitments made before the line was recorded here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub line: Id<BudgetLine>,
    pub amount: Amount,
    pub source: CommitmentSource,
    /// False once released (rejection, cancellation).
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CommitmentSource {
    Award {
        award: Id<crate::grant::Award>,
    },
    /// Commitments made outside acta, known only by their total ("Engagements antérieurs").
    Prior {
        label: String,
    },
}

/// One row of the budget table of a report or deliberation (CP, Disponible, Proposition,
/// Solde), computed from the line and its commitments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetRow {
    pub operation_code: String,
    pub imputation: String,
    pub label: String,
    pub voted: Amount,
    pub available: Amount,
    pub proposed: Amount,
    pub balance: Amount,
}

/// What a line has committed: every active commitment except those of the award in
/// `excluding` (the proposal being priced must not count against itself).
pub fn committed(
    commitments: &[Commitment],
    excluding: Option<Id<crate::grant::Award>>,
) -> Result<Amount, DomainError> {
    Amount::checked_sum(
        commitments
            .iter()
            .filter(|c| c.active)
            .filter(|c| match (&c.source, excluding) {
                (CommitmentSource::Award { award }, Some(ex)) => *award != ex,
                _ => true,
            })
            .map(|c| c.amount),
    )
    .ok_or_else(|| DomainError::rule("Le total des engagements dépasse la capacité de calcul."))
}

/// The credits still available on a line: its credits minus what it has committed.
pub fn available(
    line: &BudgetLine,
    commitments: &[Commitment],
    excluding: Option<Id<crate::grant::Award>>,
) -> Result<Amount, DomainError> {
    line.voted
        .checked_sub(committed(commitments, excluding)?)
        .ok_or_else(|| DomainError::rule("Le disponible dépasse la capacité de calcul."))
}

/// Prices a proposal against a line: the row printed in reports.
pub fn budget_row(
    line: &BudgetLine,
    commitments: &[Commitment],
    award: Option<Id<crate::grant::Award>>,
    proposed: Amount,
) -> Result<BudgetRow, DomainError> {
    let available = available(line, commitments, award)?;
    let balance = available
        .checked_sub(proposed)
        .ok_or_else(|| DomainError::rule("Le solde dépasse la capacité de calcul."))?;
    Ok(BudgetRow {
        operation_code: line.operation_code.clone(),
        imputation: line.imputation.to_string(),
        label: line.label.clone(),
        voted: line.voted,
        available,
        proposed,
        balance,
    })
}

/// Refuses a proposal larger than what the line still has available, counting the other
/// proposals on the line that wait for their vote (`pending`): two reports of one sitting
/// cannot promise the same credits twice.
pub fn check_proposal(
    line: &BudgetLine,
    commitments: &[Commitment],
    award: Option<Id<crate::grant::Award>>,
    pending: Amount,
    proposed: Amount,
) -> Result<BudgetRow, DomainError> {
    let row = budget_row(line, commitments, award, proposed)?;
    let left = row
        .balance
        .checked_sub(pending)
        .ok_or_else(|| DomainError::rule("Le solde dépasse la capacité de calcul."))?;
    if left.is_negative() {
        let pending_note = if pending.is_zero() {
            String::new()
        } else {
            format!(
                ", dont {} déjà proposés par d'autres rapports en attente de vote",
                pending.format_euros_fr()
            )
        };
        return Err(DomainError::rule(format!(
            "Crédits insuffisants sur l'opération {} ({}) : disponible {}{pending_note} ; proposition {}.",
            line.operation_code,
            line.imputation,
            row.available.format_euros_fr(),
            proposed.format_euros_fr()
        )));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imputation_prints_as_the_departement_does() {
        let i = Imputation::parse("imputation", "6568//9361").unwrap();
        assert_eq!(i.nature_account, "6568");
        assert_eq!(i.functional_chapter, "936");
        assert_eq!(i.function, "61");
        assert_eq!(i.to_string(), "6568//9361");
        let college = Imputation::new("65748", "932", "221").unwrap();
        assert_eq!(college.to_string(), "65748//93221");
    }

    #[test]
    fn imputation_errors_name_the_field() {
        let cases = [
            ("6568/9361", "imputation"),
            ("65A8//9361", "compte_nature"),
            ("6568//8361", "chapitre_fonctionnel"),
            ("6568//93", "imputation"),
        ];
        for (input, field) in cases {
            match Imputation::parse("imputation", input) {
                Err(DomainError::Invalid(list)) => {
                    assert_eq!(list[0].field, field, "{input}: {list:?}")
                }
                other => panic!("{input}: {other:?}"),
            }
        }
        assert!(Imputation::new("6568", "936", "21").is_err());
    }

    #[test]
    fn the_seed_budget_row_is_computed() {
        let line = BudgetLine {
            year: 2023,
            operation_code: "C01-620A06".into(),
            label: "PARTENARIAT - ARTISANAT".into(),
            imputation: Imputation::parse("imputation", "6568//9361").unwrap(),
            voted: Amount::from_euros(140_000).unwrap(),
        };
        let award = Id::new(1);
        let commitments = vec![
            Commitment {
                line: Id::new(1),
                amount: Amount::from_euros(20_000).unwrap(),
                source: CommitmentSource::Prior {
                    label: "Engagements antérieurs".into(),
                },
                active: true,
            },
            Commitment {
                line: Id::new(1),
                amount: Amount::from_euros(120_000).unwrap(),
                source: CommitmentSource::Award { award },
                active: true,
            },
        ];
        let row = budget_row(
            &line,
            &commitments,
            Some(award),
            Amount::from_euros(120_000).unwrap(),
        )
        .unwrap();
        assert_eq!(
            [row.voted, row.available, row.proposed, row.balance]
                .map(|a| a.format_fr().replace('\u{202f}', " ")),
            ["140 000,00", "120 000,00", "120 000,00", "0,00"]
        );
        assert_eq!(available(&line, &commitments, None).unwrap(), Amount::ZERO);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Propose(i64),
        Adopt(usize),
        Reject(usize),
        Cancel(usize),
        Amend(usize, i64),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            (1i64..6_000_000).prop_map(Op::Propose),
            (0usize..8).prop_map(Op::Adopt),
            (0usize..8).prop_map(Op::Reject),
            (0usize..8).prop_map(Op::Cancel),
            (0usize..8, -3_000_000i64..3_000_000).prop_map(|(i, d)| Op::Amend(i, d)),
        ]
    }

    proptest::proptest! {
        /// Proposals, adoptions, rejections, cancellations and amendments in any order never
        /// take a line below zero: each goes through `check_proposal` as the application does.
        #[test]
        fn available_credits_never_go_negative(ops in proptest::collection::vec(op(), 0..60)) {
            let line = BudgetLine {
                year: 2026,
                operation_code: "OP".into(),
                label: "L".into(),
                imputation: Imputation::parse("imputation", "6568//9361").unwrap(),
                voted: Amount::from_centimes(10_000_000),
            };
            let mut pending: Vec<(Id<crate::grant::Award>, Amount)> = Vec::new();
            let mut commitments: Vec<Commitment> = Vec::new();
            let mut next = 0i64;
            for o in ops {
                match o {
                    Op::Propose(c) => {
                        let amount = Amount::from_centimes(c);
                        let promised: Amount = pending.iter().map(|(_, a)| *a).sum();
                        if check_proposal(&line, &commitments, None, promised, amount).is_ok() {
                            next += 1;
                            pending.push((Id::new(next), amount));
                        }
                    }
                    Op::Adopt(i) if i < pending.len() => {
                        let (award, amount) = pending[i];
                        let others: Amount = pending.iter().filter(|(a, _)| *a != award).map(|(_, a)| *a).sum();
                        if check_proposal(&line, &commitments, Some(award), others, amount).is_ok() {
                            pending.remove(i);
                            commitments.push(Commitment { line: Id::new(1), amount, source: CommitmentSource::Award { award }, active: true });
                        }
                    }
                    Op::Reject(i) if i < pending.len() => {
                        pending.remove(i);
                    }
                    Op::Cancel(i) if i < commitments.len() => commitments[i].active = false,
                    Op::Amend(i, delta) if i < commitments.len() && commitments[i].active => {
                        let new_amount = Amount::from_centimes(commitments[i].amount.centimes() + delta);
                        let CommitmentSource::Award { award } = commitments[i].source.clone() else { continue };
                        let promised: Amount = pending.iter().map(|(_, a)| *a).sum();
                        if new_amount.centimes() > 0 && check_proposal(&line, &commitments, Some(award), promised, new_amount).is_ok() {
                            commitments[i].amount = new_amount;
                        }
                    }
                    _ => {}
                }
                let left = available(&line, &commitments, None).unwrap();
                proptest::prop_assert!(!left.is_negative(), "available {left:?}");
                let promised: Amount = pending.iter().map(|(_, a)| *a).sum();
                proptest::prop_assert!(left >= promised, "promised {promised:?} beyond available {left:?}");
            }
        }
    }
}
