//! Reading the register: a deliberation, a sitting, a convention, an archived act; the
//! journal and its verification.

use crate::archives_cmd;
use crate::args::{ActNumber, JournalCommand, ShowCommand};
use crate::print::{self, print_json};
use acta_app::{Acta, AppError};
use std::process::ExitCode;

pub async fn show(acta: &Acta, cmd: ShowCommand, json: bool) -> Result<(), AppError> {
    match cmd {
        ShowCommand::Deliberation(ActNumber { number }) => {
            match acta.deliberation_view(&number).await {
                Ok(view) if json => print_json(&view),
                Ok(view) => {
                    print::deliberation(&view);
                    Ok(())
                }
                // A number of the archives, imported from their texts.
                Err(AppError::NotFound(message)) => {
                    let archives = acta.archived_acts(&number).await?;
                    if archives.is_empty() {
                        return Err(AppError::NotFound(message));
                    }
                    archives_cmd::show(&archives, json)
                }
                Err(e) => Err(e),
            }
        }
        ShowCommand::Archive { key } => {
            let archives = acta.archived_acts(&key).await?;
            if archives.is_empty() {
                return Err(AppError::not_found(format!(
                    "Aucune délibération archivée « {} ».",
                    key.trim()
                )));
            }
            archives_cmd::show(&archives, json)
        }
        ShowCommand::Sitting { key } => {
            let view = acta.sitting_view(&key).await?;
            if json {
                return print_json(&view);
            }
            print::sitting(&view);
            Ok(())
        }
        ShowCommand::Convention { key } => {
            let view = acta.convention_view(&key).await?;
            if json {
                return print_json(&view);
            }
            print::convention(&view);
            Ok(())
        }
    }
}

/// Status 3 when the chain is broken, so that scripts can tell.
pub async fn journal(acta: &Acta, cmd: JournalCommand, json: bool) -> Result<ExitCode, AppError> {
    match cmd {
        JournalCommand::Verify {
            anchors,
            public_key,
        } => {
            let total = acta.journal_size().await?;
            let bar = print::progress(total, "Vérification du journal");
            let progress = |n| bar.set_position(u64::try_from(n).unwrap_or(0));
            let report = match &anchors {
                Some(dir) => {
                    let trusted = public_key
                        .as_deref()
                        .map(acta_app::anchors::read_public_key)
                        .transpose()?;
                    acta.verify_journal_with_anchors(dir, trusted.as_deref(), progress)
                        .await?
                }
                None => acta.verify_journal(progress).await?,
            };
            bar.finish_and_clear();
            if json {
                print_json(&report)?;
            } else if let Some(brk) = &report.first_break {
                println!(
                    "Journal ALTÉRÉ : première entrée en cause n°{} : {}.",
                    brk.seq, brk.reason
                );
            } else if let Some(checked) = &report.anchors {
                println!(
                    "Journal intact : {} entrées, chaînage vérifié, et conforme à {} ancrage(s) signés par la clé {} (dernier : entrée n°{}).",
                    report.entries, checked.anchors, checked.key, checked.last_anchored_entry
                );
            } else {
                println!(
                    "Journal intact : {} entrées, chaînage vérifié.",
                    report.entries
                );
            }
            Ok(if report.intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            })
        }
        JournalCommand::Key { out } => {
            let public = acta_app::anchors::generate_key(&out)?;
            println!(
                "Clé d'ancrage créée : {} (à garder hors de la base, lisible de son seul propriétaire).\nClé publique : {public}\n  écrite dans {}",
                out.display(),
                acta_app::anchors::public_key_path(&out).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        JournalCommand::Anchor { key, dir } => {
            let key = acta_app::anchors::load_key(&key)?;
            let done = acta.anchor_journal(&key, &dir).await?;
            if json {
                print_json(&done)?;
            } else {
                match &done.file {
                    Some(file) => println!(
                        "Journal ancré à l'entrée n°{} : {}",
                        done.anchor.seq,
                        file.display()
                    ),
                    None => println!(
                        "Déjà ancré : la tête du journal (entrée n°{}) n'a pas changé depuis le dernier ancrage.",
                        done.anchor.seq
                    ),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        JournalCommand::List { limit } => {
            let entries = acta.journal_recent(limit).await?;
            if json {
                print_json(&entries)?;
            } else {
                print::journal(&entries);
            }
            Ok(ExitCode::SUCCESS)
        }
        JournalCommand::History { entity, id } => {
            let entries = acta.journal_of(&entity, &id).await?;
            if json {
                print_json(&entries)?;
            } else if entries.is_empty() {
                println!("Le journal ne contient aucune entrée pour {entity} n°{id}.");
            } else {
                print::record_history(&entries);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
