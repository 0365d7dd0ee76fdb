//! Budget decisions and the council's delegations to the Commission permanente.

use crate::args::{AuthorisationCommand, BudgetDecisionCommand, DelegationCommand};
use crate::print::{print_created, print_json, print_list};
use acta_app::budget_year::AuthorisationView;
use acta_app::{Acta, Actor, AppError};
use acta_domain::credits::CreditStep;
use acta_domain::french::format_date_long;

/// "Budget primitif 2023 (délibération N°2023-1 du 30 janvier 2023) : +140 000,00 → 140 000,00".
pub fn history_line(step: &CreditStep) -> String {
    let source = match (&step.deliberation, step.date) {
        (Some(n), Some(d)) => format!(" (délibération N°{n} du {})", format_date_long(d)),
        (None, Some(d)) => format!(" (du {})", format_date_long(d)),
        _ => String::new(),
    };
    let sign = if step.amount.is_negative() { "" } else { "+" };
    format!(
        "{}{source} : {sign}{} → {}",
        step.label,
        step.amount.format_fr(),
        step.credits_after.format_fr()
    )
}

pub async fn decision(
    acta: &Acta,
    actor: &Actor,
    cmd: BudgetDecisionCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        BudgetDecisionCommand::Propose {
            sitting,
            position,
            input,
        } => {
            let id = acta
                .propose_budget_decision(actor, &sitting, position, &input)
                .await?;
            print_created(
                json,
                id,
                &format!("Décision budgétaire n°{id} proposée au point n°{position}."),
            )?;
        }
        BudgetDecisionCommand::List { year } => {
            let list = acta.budget_decisions(year).await?;
            let none = format!("Aucune décision budgétaire pour {year}.");
            print_list(json, &list, &none, |d| {
                let number = d
                    .deliberation
                    .as_deref()
                    .map(|n| format!(", délibération N°{n}"))
                    .unwrap_or_default();
                println!("{} : {}{number}", d.title, d.status);
                for (code, amount) in &d.lines {
                    println!("  {code} : {}", amount.format_fr());
                }
            })?;
        }
    }
    Ok(())
}

pub async fn delegation(
    acta: &Acta,
    actor: &Actor,
    cmd: DelegationCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        DelegationCommand::Add { input } => {
            let id = acta.add_delegation(actor, &input).await?;
            print_created(json, id, &format!("Délégation n°{id} enregistrée."))?;
        }
        DelegationCommand::List => {
            let list = acta.delegations().await?;
            print_list(json, &list, "Aucune délégation enregistrée.", |d| {
                let ceiling = d
                    .delegation
                    .award_ceiling
                    .map(|c| format!(" ; plafond par attribution {}", c.format_euros_fr()))
                    .unwrap_or_default();
                println!(
                    "{} à la {} : matières {}{ceiling}",
                    d.citation,
                    d.body.to_lowercase(),
                    d.delegation.matters.join(", ")
                );
            })?;
        }
    }
    Ok(())
}

fn print_authorisation(view: &AuthorisationView) {
    let a = &view.authorisation;
    println!(
        "{} {} — {} ({}) : {} ; engagé {} ; reste {}",
        view.kind,
        a.code,
        a.label,
        view.status,
        a.amount.format_fr(),
        view.balance.committed.format_fr(),
        view.balance.remaining.format_fr()
    );
    for y in &view.balance.years {
        println!(
            "  CP {} : {} ; tirés {} ; disponibles {}",
            y.year,
            y.credits.format_fr(),
            y.drawn.format_fr(),
            y.left.format_fr()
        );
    }
}

pub async fn authorisation(
    acta: &Acta,
    actor: &Actor,
    cmd: AuthorisationCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        AuthorisationCommand::Add { input } => {
            let id = acta.add_authorisation(actor, &input).await?;
            print_created(json, id, &format!("Autorisation n°{id} enregistrée."))?;
        }
        AuthorisationCommand::Revise { code, input } => {
            let view = acta.revise_authorisation(actor, &code, &input).await?;
            if json {
                print_json(&view)?;
            } else {
                print_authorisation(&view);
            }
        }
        AuthorisationCommand::Lapse { code } => {
            acta.lapse_authorisation(actor, &code).await?;
            println!("Autorisation {code} caduque : plus rien ne s'y engage.");
        }
        AuthorisationCommand::Show { code } => {
            let view = acta.authorisation(&code).await?;
            if json {
                print_json(&view)?;
            } else {
                print_authorisation(&view);
            }
        }
        AuthorisationCommand::List => {
            let list = acta.authorisations().await?;
            let none = "Aucune autorisation enregistrée.";
            print_list(json, &list, none, print_authorisation)?;
        }
    }
    Ok(())
}
