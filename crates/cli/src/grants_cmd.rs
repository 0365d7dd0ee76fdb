//! Budget lines and awards.

use crate::args::{AwardCommand, BudgetLineCommand};
use crate::print_json;
use acta_app::grants::{NewAward, NewBudgetLine};
use acta_app::{Acta, Actor, AppError};
use acta_domain::grant::AwardKind;
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
