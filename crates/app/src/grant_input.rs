//! Grant execution as staff type it, on the command line or in a form: a tranche of a
//! schedule in one line, and the ground of a reimbursement decision.

use crate::AppError;
use crate::execution::TrancheSpec;
use acta_domain::convention::{DueRule, ReimbursementReason, Trigger};
use acta_domain::french::{fold, parse_date};
use acta_domain::ledger::{Execution, ReimbursementGround};
use acta_domain::money::parse_percentage;
use acta_domain::{Amount, DomainError};
use serde::Deserialize;

impl TrancheSpec {
    /// Reads "100 000:signature", "100 000:signature:sur-demande",
    /// "20 000:document:rapport d'activités annuel:30/06+1", "50 %:date:2024-03-01".
    pub fn parse(raw: &str) -> Result<TrancheSpec, AppError> {
        let raw = raw.trim();
        let invalid = |why: &str| {
            AppError::Domain(DomainError::field(
                "tranche",
                format!(
                    "Tranche : « {raw} » {why} (exemples : « 100 000:signature », « 20 000:document:rapport d'activités annuel:30/06+1 », « 50 %:date:2024-03-01 »)."
                ),
            ))
        };
        let (amount, rest) = raw
            .split_once(':')
            .ok_or_else(|| invalid("n'a pas de déclencheur"))?;
        let (kind, detail) = rest.split_once(':').unwrap_or((rest, ""));
        let trigger = match fold(kind).as_str() {
            "signature" => Trigger::OnSignature {
                upon_request: matches!(
                    fold(detail).as_str(),
                    "sur-demande" | "sur demande" | "appel"
                ),
            },
            "document" => {
                let (document, due) = match detail.rsplit_once(':') {
                    Some((d, rule)) if rule.contains('/') && rule.contains('+') => (
                        d,
                        Some(due_rule(rule).ok_or_else(|| invalid("a une échéance illisible"))?),
                    ),
                    _ => (detail, None),
                };
                if document.trim().is_empty() {
                    return Err(invalid("ne dit pas quel document"));
                }
                Trigger::OnDocument {
                    document: document.trim().to_string(),
                    due,
                }
            }
            "date" => Trigger::OnDate {
                date: parse_date("tranche.date", detail)?,
            },
            _ => return Err(invalid("a un déclencheur inconnu")),
        };
        Ok(TrancheSpec {
            amount: amount.trim().to_string(),
            trigger,
            label: None,
        })
    }

    /// One tranche per non-blank line.
    pub fn parse_lines(text: &str) -> Result<Vec<TrancheSpec>, AppError> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(TrancheSpec::parse)
            .collect()
    }
}

/// "30/06+1": before 30 June of the following year.
fn due_rule(raw: &str) -> Option<DueRule> {
    let (day_month, years) = raw.trim().split_once('+')?;
    let (day, month) = day_month.split_once('/')?;
    Some(DueRule {
        day: day.trim().parse().ok()?,
        month: month.trim().parse().ok()?,
        years_after: years.trim().parse().ok()?,
    })
}

/// Why money is asked back, as entered: exactly one ground.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReimbursementInput {
    /// All of it: "no_accounts", "unjustified_use" or "partnership_not_promoted".
    pub total: Option<String>,
    /// Activity ceased on this date: prorata temporis.
    pub ceased_on: Option<String>,
    /// Programme carried out at this rate ("75 %").
    pub executed: Option<String>,
    /// Expenses accepted, against `planned`.
    pub accepted: Option<String>,
    pub planned: Option<String>,
}

impl ReimbursementInput {
    pub fn ground(&self) -> Result<ReimbursementGround, AppError> {
        let chosen = [
            given(&self.total),
            given(&self.ceased_on),
            given(&self.executed),
            given(&self.accepted),
        ]
        .iter()
        .filter(|x| x.is_some())
        .count();
        if chosen != 1 {
            return Err(AppError::Domain(DomainError::rule(
                "Reversement : choisissez un seul motif : remboursement total, cessation d'activité, taux d'exécution, ou dépenses retenues avec les dépenses prévues.",
            )));
        }
        if let Some(reason) = given(&self.total) {
            let reason = match reason {
                "no_accounts" => ReimbursementReason::NoAccounts,
                "unjustified_use" => ReimbursementReason::UnjustifiedUse,
                "partnership_not_promoted" => ReimbursementReason::PartnershipNotPromoted,
                other => {
                    return Err(AppError::Domain(DomainError::field(
                        "total",
                        format!(
                            "Motif : « {other} » (attendu : no_accounts, unjustified_use ou partnership_not_promoted)."
                        ),
                    )));
                }
            };
            return Ok(ReimbursementGround::Total { reason });
        }
        if let Some(d) = given(&self.ceased_on) {
            return Ok(ReimbursementGround::ActivityCeased {
                ceased_on: parse_date("date_cessation", d)?,
            });
        }
        if let Some(p) = given(&self.executed) {
            return Ok(ReimbursementGround::PartialExecution {
                execution: Execution::Percentage {
                    basis_points: parse_percentage("taux_execution", p)?,
                },
            });
        }
        Ok(ReimbursementGround::PartialExecution {
            execution: Execution::AcceptedExpenses {
                accepted: Amount::parse_fr(
                    "depenses_retenues",
                    given(&self.accepted).unwrap_or(""),
                )?,
                planned: Amount::parse_fr("depenses_prevues", given(&self.planned).unwrap_or(""))?,
            },
        })
    }
}

/// A field that was filled in, trimmed.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tranche_specs() {
        let t = TrancheSpec::parse("100 000:signature:sur-demande").unwrap();
        assert_eq!(t.amount, "100 000");
        assert_eq!(t.trigger, Trigger::OnSignature { upon_request: true });
        let t = TrancheSpec::parse("20 000:document:rapport d'activités annuel:30/06+1").unwrap();
        assert_eq!(
            t.trigger,
            Trigger::OnDocument {
                document: "rapport d'activités annuel".into(),
                due: Some(DueRule {
                    month: 6,
                    day: 30,
                    years_after: 1
                })
            }
        );
        let t = TrancheSpec::parse("50 %:date:2024-03-01").unwrap();
        assert_eq!(t.amount, "50 %");
        for bad in [
            "100 000",
            "100 000:virement",
            "10:document:",
            "10:date:2024-13-01",
            "10:document:rapport:31/02+x",
        ] {
            assert!(TrancheSpec::parse(bad).is_err(), "{bad}");
        }
        let lines =
            TrancheSpec::parse_lines("80 %:signature\n\n 20 %:document:compte rendu\n").unwrap();
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn one_reimbursement_ground_at_a_time() {
        let input = |total: &str, ceased: &str, executed: &str, accepted: &str, planned: &str| {
            let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
            ReimbursementInput {
                total: some(total),
                ceased_on: some(ceased),
                executed: some(executed),
                accepted: some(accepted),
                planned: some(planned),
            }
            .ground()
        };
        assert!(matches!(
            input("no_accounts", "", "", "", ""),
            Ok(ReimbursementGround::Total {
                reason: ReimbursementReason::NoAccounts
            })
        ));
        assert!(matches!(
            input("", "2024-03-31", "", "", ""),
            Ok(ReimbursementGround::ActivityCeased { .. })
        ));
        assert!(matches!(
            input("", "", "75 %", "", ""),
            Ok(ReimbursementGround::PartialExecution { .. })
        ));
        assert!(matches!(
            input("", "", "", "90 000", "120 000"),
            Ok(ReimbursementGround::PartialExecution { .. })
        ));
        assert!(input("", "", "", "", "").is_err(), "no ground");
        assert!(
            input("no_accounts", "2024-03-31", "", "", "").is_err(),
            "two grounds"
        );
        assert!(input("autre", "", "", "", "").is_err());
        assert!(
            input("", "", "", "90 000", "").is_err(),
            "planned is needed"
        );
    }
}
