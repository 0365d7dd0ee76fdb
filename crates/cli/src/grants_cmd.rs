//! Budget lines and awards.

use crate::args::{
    AwardCommand, BudgetLineCommand, ConventionCommand, DocumentCommand, PaymentCommand,
    ReimbursementArgs,
};
use crate::print_json;
use acta_app::execution::{NewAmendment, NewConvention, TrancheSpec};
use acta_app::grant_input::ReimbursementInput;
use acta_app::grants::{NewAward, NewBudgetLine};
use acta_app::{Acta, Actor, AppError};
use acta_domain::grant::AwardKind;
use acta_domain::ledger::ReimbursementGround;
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

/// "2023-12-01" as "1er décembre 2023" (the input is already checked by then).
fn long_date(input: &str) -> String {
    acta_domain::french::parse_date("date", input)
        .map(acta_domain::french::format_date_long)
        .unwrap_or_else(|_| input.to_string())
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
                .map(|t| TrancheSpec::parse(t))
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
                        .map(|t| TrancheSpec::parse(t))
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
    let ground = ReimbursementInput {
        total: r.total.clone(),
        ceased_on: r.ceased_on.clone(),
        executed: r.executed.clone(),
        accepted: r.accepted.clone(),
        planned: r.planned.clone(),
    }
    .ground()?;
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
