//! `acta publication`: publishing deliberations on the portal, withdrawing them, notifying
//! individual decisions, and what makes an act enforceable.

use crate::args::{ActNumber, ArchiveCommand, MinutesCommand, PublicationCommand};
use crate::print::print_json;
use acta_app::publications::{NotificationView, PublicationSettings, PublicationView};
use acta_app::{Acta, Actor, AppError};
use acta_domain::DomainError;
use acta_domain::keys::AwardKey;

fn print_publication(view: &PublicationView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!("Délibération N°{} publiée sur le portail.", view.numero);
    for mention in &view.mentions {
        println!("  {mention}");
    }
    if let Some(w) = &view.retrait {
        println!("  {w}");
    }
    println!("  {}", view.executoire.texte);
    Ok(())
}

fn print_notification(view: &NotificationView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!(
        "Attribution n°{} à {} : {}",
        view.attribution,
        view.beneficiaire,
        view.notification.as_deref().unwrap_or("non notifiée")
    );
    println!("  {}", view.executoire.texte);
    Ok(())
}

fn yes_no(typed: &str) -> Result<bool, AppError> {
    match typed.trim() {
        "oui" | "yes" | "true" => Ok(true),
        "non" | "no" | "false" => Ok(false),
        other => Err(DomainError::field(
            "automatique",
            format!("Publication automatique : « {other} » ; répondez oui ou non."),
        )
        .into()),
    }
}

pub async fn publication(
    acta: &Acta,
    actor: &Actor,
    cmd: PublicationCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        PublicationCommand::Publish { number, input } => {
            let view = acta
                .publish_deliberation(actor, &acta.documents_renderer().await?, &number, &input)
                .await?;
            print_publication(&view, json)
        }
        PublicationCommand::Withdraw { number, input } => print_publication(
            &acta.withdraw_publication(actor, &number, &input).await?,
            json,
        ),
        PublicationCommand::Status(ActNumber { number }) => {
            match acta.publication(&number).await? {
                Some(view) => print_publication(&view, json),
                None => {
                    let view = acta.deliberation_view(&number).await?;
                    if json {
                        return print_json(&view.enforceability);
                    }
                    println!("Délibération N°{} : non publiée.", number.trim());
                    println!("  {}", view.enforceability.texte);
                    Ok(())
                }
            }
        }
        PublicationCommand::Notify { key, input } => {
            let key = AwardKey::parse("aide", &key)?;
            print_notification(&acta.notify_award(actor, &key, &input).await?, json)
        }
        PublicationCommand::Automatic { enabled } => {
            let automatique = yes_no(&enabled)?;
            acta.set_publication_settings(actor, &PublicationSettings { automatique })
                .await?;
            println!(
                "{}",
                if automatique {
                    "Chaque délibération sera publiée dès sa dernière signature."
                } else {
                    "Les délibérations seront publiées une à une (acta publication publish)."
                }
            );
            Ok(())
        }
    }
}

/// `acta archive`: the SEDA transfer of a sitting and the SAE's reply.
pub async fn archive(
    acta: &Acta,
    actor: &Actor,
    cmd: ArchiveCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ArchiveCommand::Configure {
            service,
            agreement,
            rule,
            years,
            final_action,
        } => {
            let settings = acta_app::archiving::ArchivingSettings {
                service_archives: service,
                accord: agreement,
                regle: rule,
                duree_ans: years,
                sort_final: final_action,
            };
            acta.set_archiving_settings(actor, &settings).await?;
            println!(
                "Archivage configuré : service {}, règle {} ({} an(s), {}).",
                settings.service_archives, settings.regle, settings.duree_ans, settings.sort_final
            );
            Ok(())
        }
        ArchiveCommand::Build { sitting, out } => {
            let key = acta_domain::keys::SittingKey::parse("seance", &sitting)?;
            let package = acta
                .build_archive_package(actor, &acta.documents_renderer().await?, &key)
                .await?;
            std::fs::write(&out, &package.zip).map_err(|e| {
                AppError::File(format!(
                    "Écriture de « {} » impossible : {e}",
                    out.display()
                ))
            })?;
            if json {
                return print_json(&package);
            }
            println!(
                "Paquet de versement {} écrit dans {} : {}, {} délibération(s), {} fichier(s), SHA-256 {}.",
                package.identifiant,
                out.display(),
                package.perimetre,
                package.actes.len(),
                package.fichiers,
                package.empreinte
            );
            Ok(())
        }
        ArchiveCommand::Reply { file } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                AppError::File(format!(
                    "Lecture de « {} » impossible : {e}",
                    file.display()
                ))
            })?;
            let reply = acta.record_archive_reply(actor, &bytes).await?;
            if json {
                return print_json(&reply);
            }
            println!(
                "Versement {} : {} (code {}).",
                reply.identifiant,
                if reply.accepte { "accepté" } else { "refusé" },
                reply.code
            );
            for (number, id) in &reply.actes {
                match id {
                    Some(id) => println!("  Délibération N°{number} archivée : {id}"),
                    None => println!("  Délibération N°{number} non archivée"),
                }
            }
            Ok(())
        }
    }
}

fn print_minutes(view: &acta_app::minutes::MinutesView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!("Procès-verbal — {}", view.seance);
    println!(
        "  {}",
        view.approbation
            .as_deref()
            .unwrap_or("Non approuvé (à mettre aux voix lors d'une séance suivante).")
    );
    if let Some(s) = &view.signature {
        println!("  Signature : {s}");
    }
    if let Some(p) = &view.publie_le {
        println!("  Publié le {p}");
    }
    if let Some(w) = &view.alerte {
        println!("  {w}");
    }
    Ok(())
}

/// `acta minutes`: the discussions, the approval's status, the publication.
pub async fn minutes(
    acta: &Acta,
    actor: &Actor,
    cmd: MinutesCommand,
    json: bool,
) -> Result<(), AppError> {
    let key = |s: &str| acta_domain::keys::SittingKey::parse("seance", s);
    match cmd {
        MinutesCommand::Discussion {
            sitting,
            position,
            input,
        } => {
            acta.set_discussion(actor, &key(&sitting)?, position, &input)
                .await?;
            println!("Teneur des discussions du point {position} enregistrée.");
            Ok(())
        }
        MinutesCommand::Status { sitting } => {
            print_minutes(&acta.minutes_status(&key(&sitting)?).await?, json)
        }
        MinutesCommand::Publish { sitting } => {
            print_minutes(&acta.publish_minutes(actor, &key(&sitting)?).await?, json)
        }
    }
}
