//! Before the sitting from the command line: circuits, reports in preparation, the
//! convocation, and the elected members' own space (for the account given with --as).

use crate::args::{CircuitCommand, ConvocationCommand, MemberSpaceCommand, ReportCommand};
use crate::print::print_json;
use acta_app::convocations::ConvocationView;
use acta_app::input::{AnnotationInput, InterestInput};
use acta_app::preparation::ReportDraftView;
use acta_app::{Acta, Actor, AppError};
use acta_domain::circuit::LineChange;
use acta_domain::keys::SittingKey;

fn sitting(key: &str) -> Result<SittingKey, AppError> {
    Ok(SittingKey::parse("seance", key)?)
}

fn print_report(view: &ReportDraftView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!("Rapport en préparation n°{} : {}", view.id, view.title);
    println!("État : {} (version {})", view.state_label, view.version);
    println!("Circuit : {}", view.circuit);
    for s in &view.steps {
        println!(
            "  {}. {} — {} ({}) : {}",
            s.stage, s.label, s.validator, s.covers, s.status
        );
    }
    if let (Some(date), Some(deadline)) = (view.sitting_date, view.deadline) {
        println!(
            "Séance visée : {date} ; dépôt au plus tard le {deadline}{}",
            if view.late { " (en retard)" } else { "" }
        );
    }
    if let Some(p) = view.position {
        println!("Inscrit à l'ordre du jour : point {p}");
    }
    for e in &view.history {
        println!(
            "  {} {} {}{}{}",
            e.at,
            e.by,
            e.action,
            e.step
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default(),
            e.reason
                .as_deref()
                .map(|r| format!(" : {r}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

fn print_convocation(view: &ConvocationView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!(
        "Convocation envoyée le {} par {}{}",
        view.sent_on,
        view.sent_by,
        view.emergency_reason
            .as_deref()
            .map(|r| format!(", procédure d'urgence : {r}"))
            .unwrap_or_default()
    );
    for d in &view.deliveries {
        println!(
            "  {} — {} — {}{}{}",
            d.member,
            d.email.as_deref().unwrap_or("sans adresse"),
            d.status,
            d.message_id
                .as_deref()
                .map(|m| format!(" — {m}"))
                .unwrap_or_default(),
            d.opened_at
                .as_deref()
                .map(|o| format!(" — ouvert le {o}"))
                .unwrap_or_default()
        );
    }
    if !view.paper.is_empty() {
        println!("Courrier papier à imprimer : {}", view.paper.join(", "));
    }
    Ok(())
}

pub async fn circuit(
    acta: &Acta,
    actor: &Actor,
    cmd: CircuitCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        CircuitCommand::Add(input) => {
            let id = acta.create_circuit(actor, &input).await?;
            println!("Circuit n°{id} « {} » créé.", input.name.trim());
        }
        CircuitCommand::List => {
            let list = acta.circuits().await?;
            if json {
                print_json(&list)?;
            } else {
                for c in &list {
                    println!("n°{} {}", c.id, c.name);
                    for s in &c.steps {
                        println!("  {s}");
                    }
                }
            }
        }
    }
    Ok(())
}

pub async fn report(
    acta: &Acta,
    actor: &Actor,
    cmd: ReportCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ReportCommand::New { input } => {
            let id = acta.create_report_draft(actor, &input).await?;
            print_report(&acta.report_draft(id).await?, json)?;
        }
        ReportCommand::Edit { id, input } => {
            let outcome = acta.edit_report_draft(actor, id, &input).await?;
            if json {
                print_json(&outcome)?;
            } else {
                println!(
                    "Version {} enregistrée ; état : {}.",
                    outcome.version,
                    outcome.state.label()
                );
                if !outcome.invalidated.is_empty() {
                    println!(
                        "Validations à refaire : {}.",
                        outcome.invalidated.join(", ")
                    );
                }
            }
        }
        ReportCommand::Submit(r) => {
            print_report(&acta.submit_report_draft(actor, r.id).await?, json)?
        }
        ReportCommand::Validate { id, decision } => {
            print_report(
                &acta.validate_report_step(actor, id, &decision).await?,
                json,
            )?;
        }
        ReportCommand::SendBack { id, decision } => {
            print_report(&acta.send_back_report(actor, id, &decision).await?, json)?;
        }
        ReportCommand::Withdraw { id, input } => {
            print_report(&acta.withdraw_report_draft(actor, id, &input).await?, json)?;
        }
        ReportCommand::Place { id, input } => {
            let position = acta.place_report_on_agenda(actor, id, &input).await?;
            println!("Rapport inscrit à l'ordre du jour, point {position}.");
        }
        ReportCommand::Postpone { id, input } => {
            let position = acta.postpone_report(actor, id, &input).await?;
            println!(
                "Point reporté : il devient le point {position} de la séance {}.",
                input.sitting.trim()
            );
        }
        ReportCommand::Show(r) => print_report(&acta.report_draft(r.id).await?, json)?,
        ReportCommand::Compare { id, from, to } => {
            for line in acta.compare_report_versions(id, from, to).await? {
                match line {
                    LineChange::Same(l) => println!("  {l}"),
                    LineChange::Removed(l) => println!("- {l}"),
                    LineChange::Added(l) => println!("+ {l}"),
                }
            }
        }
        ReportCommand::List => {
            let d = acta.report_dashboard().await?;
            if json {
                print_json(&d)?;
            } else {
                for (state, n) in &d.by_state {
                    println!("{state} : {n}");
                }
                for (direction, n) in &d.by_direction {
                    println!("{direction} : {n}");
                }
                for r in &d.reports {
                    println!(
                        "n°{} {} — {}{}",
                        r.id,
                        r.title,
                        r.state_label,
                        if r.late { " (en retard)" } else { "" }
                    );
                }
            }
        }
    }
    Ok(())
}

pub async fn convocation(
    acta: &Acta,
    actor: &Actor,
    cmd: ConvocationCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ConvocationCommand::Configure { input } => {
            acta.configure_mail(actor, &input).await?;
            println!(
                "Serveur de courriel enregistré : {}:{}.",
                input.host.trim(),
                input.port
            );
        }
        ConvocationCommand::Send { sitting: s, input } => {
            let view = acta
                .convene(
                    actor,
                    &sitting(&s.sitting)?,
                    &input,
                    &acta.documents_renderer().await?,
                )
                .await?;
            print_convocation(&view, json)?;
        }
        ConvocationCommand::Resend(s) => {
            let renderer = acta.documents_renderer().await?;
            print_convocation(
                &acta
                    .resend_convocation(actor, &sitting(&s.sitting)?, &renderer)
                    .await?,
                json,
            )?;
        }
        ConvocationCommand::Status(s) => {
            print_convocation(&acta.convocation(&sitting(&s.sitting)?).await?, json)?;
        }
        ConvocationCommand::Letters { sitting: key, out } => {
            let renderer = acta.documents_renderer().await?;
            match acta.paper_convocations(&sitting(&key)?, &renderer).await? {
                Some(pdf) => {
                    std::fs::write(&out, pdf).map_err(|e| {
                        AppError::File(format!(
                            "{} : {}",
                            out.display(),
                            acta_domain::french::io_reason(&e)
                        ))
                    })?;
                    println!("Convocations à imprimer : {}.", out.display());
                }
                None => {
                    println!("Chaque élu convoqué a une adresse électronique : rien à imprimer.")
                }
            }
        }
        ConvocationCommand::Expected(s) => {
            let e = acta.expected_attendance(&sitting(&s.sitting)?).await?;
            if json {
                print_json(&e)?;
            } else {
                println!("{}", e.quorum.explanation);
                for (giver, holder) in &e.proxies {
                    println!("  {giver} donne pouvoir à {holder}");
                }
                println!("Sans réponse : {}", e.no_reply.len());
            }
        }
    }
    Ok(())
}

pub async fn member_space(
    acta: &Acta,
    actor: &Actor,
    cmd: MemberSpaceCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        MemberSpaceCommand::Sittings => {
            let list = acta.member_sittings(actor).await?;
            if json {
                print_json(&list)?;
            } else {
                for s in &list {
                    println!(
                        "n°{} {} — {} — {}",
                        s.sitting_id,
                        s.date,
                        s.body,
                        s.reply.as_deref().unwrap_or("pas de réponse")
                    );
                }
            }
        }
        MemberSpaceCommand::Sitting { id } => {
            let s = acta.member_sitting(actor, id).await?;
            if json {
                print_json(&s)?;
            } else {
                println!("{} du {}", s.body, s.date);
                for i in &s.items {
                    println!(
                        "{}. Rapport n°{} – {}",
                        i.position, i.report_number, i.title
                    );
                    if let Some(n) = &i.annotation {
                        println!("   Ma note : {n}");
                    }
                }
            }
        }
        MemberSpaceCommand::Open { token } => {
            let s = acta.open_convocation(actor, &token).await?;
            println!("Convocation ouverte : séance n°{s}.");
        }
        MemberSpaceCommand::Reply { id, input } => {
            acta.reply_to_convocation(actor, id, &input).await?;
            println!("Réponse enregistrée.");
        }
        MemberSpaceCommand::Note { id, position, text } => {
            acta.annotate_report(actor, id, position, &AnnotationInput { text })
                .await?;
            println!("Note enregistrée.");
        }
        MemberSpaceCommand::Interest {
            id,
            position,
            reason,
        } => {
            acta.declare_interest(actor, id, position, &InterestInput { reason })
                .await?;
            println!("Intérêt déclaré sur le point {position}.");
        }
    }
    Ok(())
}
