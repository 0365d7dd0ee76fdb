//! Beneficiaries and their bank accounts, budget lines, awards, conventions, payments,
//! documents and reimbursements.

use crate::args::{
    AwardCommand, BankAccountCommand, BeneficiaryCommand, BudgetLineCommand, ConventionCommand,
    DocumentCommand, PaymentCommand, ReimbursementArgs,
};
use crate::print::{print_created, print_json, print_list};
use acta_app::input::{BeneficiaryInput, NewAmendment, NewConvention, ScheduleInput};
use acta_app::{Acta, Actor, AppError};
use acta_domain::keys::AwardKey;

pub async fn beneficiary(
    acta: &Acta,
    actor: &Actor,
    cmd: BeneficiaryCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        BeneficiaryCommand::Add(a) => {
            let a = *a;
            let id = acta
                .add_beneficiary(actor, &BeneficiaryInput::from(a.input))
                .await?;
            print_created(
                json,
                id,
                &format!("Bénéficiaire enregistré sous le n°{id}."),
            )?;
        }
        BeneficiaryCommand::Merge(input) => {
            acta.merge_beneficiaries(actor, &input).await?;
            println!(
                "Bénéficiaire « {} » fusionné dans « {} ».",
                input.duplicate.trim(),
                input.kept.trim()
            );
        }
        BeneficiaryCommand::List => {
            let list = acta.beneficiaries().await?;
            if json {
                print_json(&list)?;
            } else {
                for b in &list {
                    println!(
                        "n°{} {} — SIRET {}",
                        b.id,
                        b.name,
                        b.siret.as_ref().map_or("—".to_string(), |s| s.grouped())
                    );
                }
            }
        }
    }
    Ok(())
}

pub async fn bank_account(
    acta: &Acta,
    actor: &Actor,
    cmd: BankAccountCommand,
    json: bool,
) -> Result<(), AppError> {
    let BankAccountCommand::Add(a) = cmd;
    let beneficiary = acta.find_beneficiary(&a.beneficiary).await?;
    let id = acta
        .add_bank_account(actor, beneficiary.id, &a.input)
        .await?;
    print_created(
        json,
        id,
        &format!(
            "Compte bancaire n°{id} enregistré pour {}.",
            beneficiary.name
        ),
    )?;
    Ok(())
}

pub async fn budget_line(
    acta: &Acta,
    actor: &Actor,
    cmd: BudgetLineCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        BudgetLineCommand::Add { input } => {
            let id = acta.add_budget_line(actor, &input).await?;
            print_created(json, id, &format!("Ligne budgétaire n°{id} créée."))?;
        }
        BudgetLineCommand::Show { line, year } => {
            let line = acta.budget_line_history(&line, year).await?;
            if json {
                print_json(&line)?;
            } else {
                let row = &line.row;
                println!(
                    "{} {} {} : crédits {} ; engagés {} ; disponible {}",
                    row.operation_code,
                    row.imputation,
                    row.label,
                    row.voted.format_fr(),
                    line.committed.format_fr(),
                    row.available.format_fr()
                );
                for step in &line.history {
                    println!("  {}", crate::budget_cmd::history_line(step));
                }
            }
        }
    }
    Ok(())
}

pub async fn award(
    acta: &Acta,
    actor: &Actor,
    cmd: AwardCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        AwardCommand::Cancel { key } => {
            acta.cancel_award(actor, &key).await?;
            println!("Aide annulée : ses crédits sont libérés.");
        }
        AwardCommand::Propose {
            sitting,
            position,
            input,
        } => {
            let id = acta
                .propose_award(actor, &sitting, position, &input)
                .await?;
            print_created(
                json,
                id,
                &format!(
                    "Attribution n°{id} proposée ; elle sera engagée si la délibération est adoptée."
                ),
            )?;
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
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ConventionCommand::Create {
            key,
            tranches,
            court,
            title,
        } => {
            let id = acta
                .create_convention(
                    actor,
                    &key,
                    &NewConvention {
                        title,
                        schedule: ScheduleInput::LineList(tranches),
                        court,
                        ..Default::default()
                    },
                )
                .await?;
            print_created(
                json,
                id,
                &format!(
                    "Convention n°{id} rédigée (projet) ; à signer : acta convention sign {key} --date AAAA-MM-JJ."
                ),
            )?;
        }
        ConventionCommand::Sign { key, input } => {
            acta.sign_convention(actor, &key, &input).await?;
            println!("Convention signée le {}.", long_date(&input.date));
        }
        ConventionCommand::Amend {
            key,
            date,
            object,
            amount,
            tranches,
            execution_end,
        } => {
            let schedule = (!tranches.is_empty()).then_some(ScheduleInput::LineList(tranches));
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
        ConventionCommand::Terminate { key, input } => {
            let d = acta.terminate_convention(actor, &key, &input).await?;
            println!("Convention résiliée. {}", d.explanation);
        }
        ConventionCommand::Close { key } => {
            acta.close_convention(actor, &key).await?;
            println!("Convention close.");
        }
        ConventionCommand::Versions { key } => {
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

pub async fn payment(
    acta: &Acta,
    actor: &Actor,
    cmd: PaymentCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        PaymentCommand::Add { key, input } => {
            let e = acta.record_payment(actor, &key, &input).await?;
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

pub async fn document(
    acta: &Acta,
    actor: &Actor,
    cmd: DocumentCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        DocumentCommand::Receive { key, input } => {
            acta.receive_document(actor, &key, &input).await?;
            println!(
                "Document reçu le {} : la tranche n°{} peut être versée.",
                long_date(&input.date),
                input.tranche
            );
        }
        DocumentCommand::Overdue { date } => {
            let today = date.unwrap_or_else(|| acta.today().to_string());
            let list = acta.overdue_documents(&today).await?;
            let none = format!("Aucun document en retard au {today}.");
            print_list(json, &list, &none, |o| {
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
            })?;
        }
    }
    Ok(())
}

pub async fn reimbursement(
    acta: &Acta,
    actor: &Actor,
    r: ReimbursementArgs,
    json: bool,
) -> Result<(), AppError> {
    let d = acta.decide_reimbursement(actor, &r.key, &r.input).await?;
    if json {
        print_json(&d)?;
    } else {
        println!("{}", d.explanation);
    }
    Ok(())
}

pub async fn grant(acta: &Acta, key: &AwardKey, json: bool) -> Result<(), AppError> {
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
    for line in e.history() {
        println!("  {line}");
    }
    Ok(())
}
