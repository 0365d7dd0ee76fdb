//! Budget lines and awards.

use crate::args::{
    AwardCommand, BudgetLineCommand, ConventionCommand, DocumentCommand, PaymentCommand,
    ReimbursementArgs,
};
use crate::print_json;
use acta_app::execution::{NewAmendment, NewConvention, TrancheSpec};
use acta_app::grants::{NewAward, NewBudgetLine};
use acta_app::{Acta, Actor, AppError};
use acta_domain::convention::{DueRule, ReimbursementReason, Trigger};
use acta_domain::grant::AwardKind;
use acta_domain::ledger::{Execution, ReimbursementGround};
use acta_domain::{Amount, DomainError};

fn kind(input: &str) -> Result<AwardKind, AppError> {
    match acta_domain::french::fold(input).as_str() {
        "participation" | "participation financiere" => Ok(AwardKind::Participation),
        "subsidy" | "subvention" => Ok(AwardKind::Subsidy),
        other => Err(AppError::Domain(DomainError::field(
            "nature",
            format!("Nature : « {other} » n'est ni « participation » ni « subvention »."),
        ))),
    }
}

pub async fn budget_line(
    acta: &Acta,
    actor: &Actor,
    cmd: BudgetLineCommand,
) -> Result<(), AppError> {
    match cmd {
        BudgetLineCommand::Add {
            year,
            operation,
            label,
            imputation,
            voted,
            json,
        } => {
            let id = acta
                .add_budget_line(
                    actor,
                    &NewBudgetLine {
                        year,
                        operation_code: operation,
                        label,
                        imputation,
                        voted,
                    },
                )
                .await?;
            if json {
                print_json(&serde_json::json!({ "id": id }))?;
            } else {
                println!("Ligne budgétaire n°{id} créée.");
            }
        }
        BudgetLineCommand::Show { line, year, json } => {
            let row = acta.budget_line_row(&line, year, Amount::ZERO).await?;
            if json {
                print_json(&row)?;
            } else {
                println!(
                    "{} {} {} : CP votés {} ; disponible {}",
                    row.operation_code,
                    row.imputation,
                    row.label,
                    row.voted.format_fr(),
                    row.available.format_fr()
                );
            }
        }
    }
    Ok(())
}

pub async fn award(acta: &Acta, actor: &Actor, cmd: AwardCommand) -> Result<(), AppError> {
    match cmd {
        AwardCommand::Cancel { key } => {
            acta.cancel_award(actor, &key).await?;
            println!("Aide annulée : ses crédits sont libérés.");
        }
        AwardCommand::Propose {
            sitting,
            position,
            beneficiary,
            budget_line,
            amount,
            year,
            kind: k,
            purpose,
            json,
        } => {
            let id = acta
                .propose_award(
                    actor,
                    &NewAward {
                        sitting,
                        position,
                        beneficiary,
                        budget_line,
                        amount,
                        year,
                        kind: kind(&k)?,
                        purpose,
                    },
                )
                .await?;
            if json {
                print_json(&serde_json::json!({ "id": id }))?;
            } else {
                println!(
                    "Attribution n°{id} proposée ; elle sera engagée si la délibération est adoptée."
                );
            }
        }
    }
    Ok(())
}

/// Reads "100 000:signature", "20 000:document:rapport d'activités annuel:30/06+1",
/// "50 %:date:2024-03-01".
pub fn tranche_spec(raw: &str) -> Result<TrancheSpec, AppError> {
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
    let trigger = match acta_domain::french::fold(kind).as_str() {
        "signature" => Trigger::OnSignature {
            upon_request: matches!(
                acta_domain::french::fold(detail).as_str(),
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
            date: acta_domain::french::parse_date("tranche.date", detail)?,
        },
        _ => return Err(invalid("a un déclencheur inconnu")),
    };
    Ok(TrancheSpec {
        amount: amount.trim().to_string(),
        trigger,
        label: None,
    })
}

/// "2023-12-01" as "1er décembre 2023" (the input is already checked by then).
fn long_date(input: &str) -> String {
    acta_domain::french::parse_date("date", input)
        .map(acta_domain::french::format_date_long)
        .unwrap_or_else(|_| input.to_string())
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

pub async fn convention(
    acta: &Acta,
    actor: &Actor,
    cmd: ConventionCommand,
) -> Result<(), AppError> {
    match cmd {
        ConventionCommand::Create {
            key,
            tranches,
            court,
            title,
            json,
        } => {
            let schedule = tranches
                .iter()
                .map(|t| tranche_spec(t))
                .collect::<Result<Vec<_>, _>>()?;
            let id = acta
                .create_convention(
                    actor,
                    &key,
                    &NewConvention {
                        title,
                        schedule,
                        court,
                        ..Default::default()
                    },
                )
                .await?;
            if json {
                print_json(&serde_json::json!({ "id": id }))?;
            } else {
                println!(
                    "Convention n°{id} rédigée (projet) ; à signer : acta convention sign {key} --date AAAA-MM-JJ."
                );
            }
        }
        ConventionCommand::Sign { key, date } => {
            acta.sign_convention(actor, &key, &date).await?;
            println!("Convention signée le {}.", long_date(&date));
        }
        ConventionCommand::Amend {
            key,
            date,
            object,
            amount,
            tranches,
            execution_end,
        } => {
            let schedule = if tranches.is_empty() {
                None
            } else {
                Some(
                    tranches
                        .iter()
                        .map(|t| tranche_spec(t))
                        .collect::<Result<Vec<_>, _>>()?,
                )
            };
            let n = acta
                .amend_convention(
                    actor,
                    &key,
                    &NewAmendment {
                        signed_on: date,
                        object,
                        amount,
                        schedule,
                        execution_end,
                    },
                )
                .await?;
            println!(
                "Avenant n°{n} enregistré ; la version précédente reste consultable (acta convention versions {key})."
            );
        }
        ConventionCommand::Terminate { key, date, reason } => {
            let d = acta
                .decide_reimbursement(
                    actor,
                    &key,
                    ReimbursementGround::Termination { reason },
                    &date,
                    None,
                )
                .await?;
            println!("Convention résiliée. {}", d.explanation);
        }
        ConventionCommand::Close { key } => {
            acta.close_convention(actor, &key).await?;
            println!("Convention close.");
        }
        ConventionCommand::Versions { key, json } => {
            let versions = acta.convention_versions(&key).await?;
            if json {
                print_json(&versions)?;
            } else {
                for v in &versions {
                    println!(
                        "Version {}{} : {} — {} tranche(s) — {}",
                        v.version,
                        if v.amendment.is_some() {
                            format!(" (avenant n°{})", v.version - 1)
                        } else {
                            " (originale)".to_string()
                        },
                        v.convention.amount.format_euros_fr(),
                        v.convention.schedule.len(),
                        v.recorded_at
                    );
                }
            }
        }
    }
    Ok(())
}

pub async fn payment(acta: &Acta, actor: &Actor, cmd: PaymentCommand) -> Result<(), AppError> {
    match cmd {
        PaymentCommand::Add {
            key,
            tranche,
            date,
            amount,
            reference,
            json,
        } => {
            let e = acta
                .record_payment(actor, &key, tranche, &date, &amount, &reference)
                .await?;
            if json {
                print_json(&e)?;
            } else {
                println!(
                    "Versement enregistré. Versé {} sur {} ; reste à verser {}.",
                    e.paid.format_euros_fr(),
                    e.entitled.format_euros_fr(),
                    e.remaining_due.format_euros_fr()
                );
            }
        }
    }
    Ok(())
}

pub async fn document(acta: &Acta, actor: &Actor, cmd: DocumentCommand) -> Result<(), AppError> {
    match cmd {
        DocumentCommand::Receive {
            key,
            tranche,
            date,
            description,
        } => {
            acta.receive_document(actor, &key, tranche, &date, &description)
                .await?;
            println!(
                "Document reçu le {} : la tranche n°{tranche} peut être versée.",
                long_date(&date)
            );
        }
        DocumentCommand::Overdue { date, json } => {
            let today = date.unwrap_or_else(|| acta.today().to_string());
            let list = acta.overdue_documents(&today).await?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                println!("Aucun document en retard au {today}.");
            } else {
                for o in &list {
                    println!(
                        "{} — délibération N°{} — tranche n°{} : {} attendu avant le {} ({} jours de retard) ; {} en attente.",
                        o.beneficiary,
                        o.deliberation_number.as_deref().unwrap_or("—"),
                        o.overdue.tranche,
                        o.overdue.document,
                        acta_domain::french::format_date_long(o.overdue.due),
                        o.overdue.days_late,
                        o.overdue.amount_waiting.format_euros_fr()
                    );
                }
            }
        }
    }
    Ok(())
}

pub async fn reimbursement(
    acta: &Acta,
    actor: &Actor,
    r: ReimbursementArgs,
) -> Result<(), AppError> {
    let chosen = [
        r.total.is_some(),
        r.ceased_on.is_some(),
        r.executed.is_some(),
        r.accepted.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if chosen != 1 {
        return Err(AppError::Domain(DomainError::rule(
            "Reversement : choisissez un motif : --total, --ceased-on, --executed ou --accepted avec --planned.",
        )));
    }
    let ground = if let Some(reason) = &r.total {
        let reason = match reason.as_str() {
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
        ReimbursementGround::Total { reason }
    } else if let Some(d) = &r.ceased_on {
        ReimbursementGround::ActivityCeased {
            ceased_on: acta_domain::french::parse_date("date_cessation", d)?,
        }
    } else if let Some(p) = &r.executed {
        ReimbursementGround::PartialExecution {
            execution: Execution::Percentage {
                basis_points: acta_domain::money::parse_percentage("taux_execution", p)?,
            },
        }
    } else {
        ReimbursementGround::PartialExecution {
            execution: Execution::AcceptedExpenses {
                accepted: Amount::parse_fr(
                    "depenses_retenues",
                    r.accepted.as_deref().unwrap_or(""),
                )?,
                planned: Amount::parse_fr("depenses_prevues", r.planned.as_deref().unwrap_or(""))?,
            },
        }
    };
    let d = acta
        .decide_reimbursement(actor, &r.key, ground, &r.date, r.title.as_deref())
        .await?;
    if r.json {
        print_json(&d)?;
    } else {
        println!("{}", d.explanation);
    }
    Ok(())
}

pub async fn grant(acta: &Acta, key: &str, json: bool) -> Result<(), AppError> {
    let e = acta.grant_execution(key).await?;
    if json {
        return print_json(&e);
    }
    println!(
        "Aide n°{} : {} — versé {} — dû en tout {} — reversé {} — reste à verser {}",
        e.award_id,
        e.amount.format_euros_fr(),
        e.paid.format_euros_fr(),
        e.entitled.format_euros_fr(),
        e.recovered.format_euros_fr(),
        e.remaining_due.format_euros_fr()
    );
    for t in &e.tranches {
        println!(
            "  Tranche n°{} : prévu {}, versé {}, annulé {}, reste {}{}",
            t.position,
            t.scheduled.format_euros_fr(),
            t.paid.format_euros_fr(),
            t.cancelled.format_euros_fr(),
            t.remaining.format_euros_fr(),
            t.document_due
                .map(|d| format!(
                    " ; document attendu avant le {}{}",
                    acta_domain::french::format_date_long(d),
                    if t.document_received.is_some() {
                        " (reçu)"
                    } else {
                        ""
                    }
                ))
                .unwrap_or_default()
        );
    }
    for p in &e.payments {
        println!(
            "  Versement du {} : {} (tranche n°{}, mandat {})",
            p.date,
            p.amount.format_euros_fr(),
            p.tranche,
            p.reference
        );
    }
    for d in &e.decisions {
        println!(
            "  Décision du {} : {}",
            acta_domain::french::format_date_long(d.decided_on),
            d.explanation
        );
    }
    for a in &e.amendments {
        println!(
            "  Avenant n°{} du {} : {}",
            a.number,
            acta_domain::french::format_date_long(a.signed_on),
            a.object
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tranche_specs() {
        let t = tranche_spec("100 000:signature:sur-demande").unwrap();
        assert_eq!(t.amount, "100 000");
        assert_eq!(t.trigger, Trigger::OnSignature { upon_request: true });
        let t = tranche_spec("20 000:document:rapport d'activités annuel:30/06+1").unwrap();
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
        let t = tranche_spec("50 %:date:2024-03-01").unwrap();
        assert_eq!(t.amount, "50 %");
        for bad in [
            "100 000",
            "100 000:virement",
            "10:document:",
            "10:date:2024-13-01",
        ] {
            assert!(tranche_spec(bad).is_err(), "{bad}");
        }
    }
}
