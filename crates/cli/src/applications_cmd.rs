//! Grant applications from the command line, for staff: dispositifs, the applications to
//! instruct, and the documents beneficiaries sent after the vote. Organisations themselves
//! use the beneficiaries' portal.

use crate::args::{ApplicationCommand, DispositifCommand, GrantDocumentCommand};
use crate::print::print_json;
use acta_app::applications::ApplicationView;
use acta_app::{Acta, Actor, AppError};

fn print_application(a: &ApplicationView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(a);
    }
    println!("Demande n°{} : {} — {}", a.id, a.organisation, a.purpose);
    println!(
        "Dispositif « {} » ; {} demandés ; état : {}{}",
        a.dispositif.name,
        a.requested,
        a.state_label,
        a.receipt_number
            .as_deref()
            .map(|n| format!(" (récépissé n°{n})"))
            .unwrap_or_default()
    );
    for p in &a.pieces {
        let files: Vec<String> = p
            .files
            .iter()
            .map(|f| format!("{} (SHA-256 {})", f.name, f.sha256))
            .collect();
        println!(
            "  {} : {}",
            p.label,
            if p.typed {
                "remplie dans la demande".to_string()
            } else if files.is_empty() {
                "manquante".to_string()
            } else {
                files.join(", ")
            }
        );
    }
    for r in &a.requests {
        println!(
            "  Pièce demandée : {} avant le {}{}",
            r.piece,
            r.due_on,
            if r.answered { " (reçue)" } else { "" }
        );
    }
    if let Some(o) = &a.opinion {
        println!("{o}");
    }
    if let Some(p) = &a.report_paragraph {
        println!("Paragraphe du rapport : {p}");
    }
    for e in &a.history {
        println!(
            "  {} {} {}{}",
            e.at,
            e.by,
            e.action,
            e.detail
                .as_deref()
                .map(|d| format!(" : {d}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

pub async fn dispositif(
    acta: &Acta,
    actor: &Actor,
    cmd: DispositifCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        DispositifCommand::Add(input) => {
            let id = acta.create_dispositif(actor, &input).await?;
            println!("Dispositif créé sous le n°{id}.");
        }
        DispositifCommand::List => {
            let list = acta.dispositifs().await?;
            if json {
                return print_json(&list);
            }
            for d in &list {
                println!(
                    "n°{} {} — du {} au {}{}",
                    d.id,
                    d.name,
                    d.opens_on,
                    d.closes_on,
                    if d.open { " (ouvert)" } else { "" }
                );
            }
        }
    }
    Ok(())
}

pub async fn application(
    acta: &Acta,
    actor: &Actor,
    cmd: ApplicationCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ApplicationCommand::List => {
            let list = acta.applications_to_instruct(actor).await?;
            if json {
                return print_json(&list);
            }
            for a in &list {
                println!(
                    "n°{} {} — {} — {} — {}",
                    a.id,
                    a.receipt_number.as_deref().unwrap_or("—"),
                    a.organisation,
                    a.purpose,
                    a.state_label
                );
            }
        }
        ApplicationCommand::Show { id } => {
            print_application(&acta.application(actor, id).await?, json)?;
        }
        ApplicationCommand::RequestPiece { id, input } => {
            acta.request_piece(actor, id, &input).await?;
            println!("Pièce demandée au demandeur.");
        }
        ApplicationCommand::Instruct { id, input } => {
            let view = acta
                .instruct_application(actor, id, &input, &acta.documents_renderer().await?)
                .await?;
            println!("Demande n°{id} : {}.", view.state_label.to_lowercase());
        }
        ApplicationCommand::Propose { id, input } => {
            let award = acta.propose_application(actor, id, &input).await?;
            println!("Attribution #{award} proposée.");
        }
        ApplicationCommand::Notify { id } => {
            let view = acta
                .notify_application_decision(actor, id, &acta.documents_renderer().await?)
                .await?;
            println!(
                "Décision notifiée : demande {}.",
                view.state_label.to_lowercase()
            );
        }
    }
    Ok(())
}

pub async fn grant_document(
    acta: &Acta,
    actor: &Actor,
    cmd: GrantDocumentCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        GrantDocumentCommand::List => {
            let list = acta.pending_grant_documents().await?;
            if json {
                return print_json(&list);
            }
            for d in &list {
                println!(
                    "n°{} {} — aide #{}{} — {} : {} ({})",
                    d.id,
                    d.organisation,
                    d.award_id,
                    d.tranche
                        .map(|t| format!(", tranche {t}"))
                        .unwrap_or_default(),
                    d.purpose,
                    d.description,
                    d.file.name
                );
            }
        }
        GrantDocumentCommand::Review { id, input } => {
            let view = acta.review_grant_document(actor, id, &input).await?;
            println!("Document n°{id} : {}.", view.state_label.to_lowercase());
        }
    }
    Ok(())
}
