//! `acta signer`, `acta signature`, `acta verify` and `acta transmission`: an act's life
//! after the vote, from its signature to the prefecture's replies.

use crate::args::{ActNumber, SignatureCommand, SignerCommand, TransmissionCommand};
use crate::print::print_json;
use acta_app::signatures::{SignTarget, SignatureView, VerificationView};
use acta_app::transmissions::{TransmissionFile, TransmissionRun, TransmissionStatusView};
use acta_app::{Acta, Actor, AppError};
use std::path::Path;
use std::process::ExitCode;

fn read(path: &Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(path)
        .map_err(|e| AppError::File(format!("Fichier « {} » illisible : {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| {
        AppError::File(format!(
            "Écriture de « {} » impossible : {e}",
            path.display()
        ))
    })?;
    println!("{} écrit ({} octets).", path.display(), bytes.len());
    Ok(())
}

fn print_signature(view: &SignatureView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!(
        "{} — version {} : {}",
        view.objet, view.version, view.etat_libelle
    );
    for s in &view.signataires {
        match &s.signe_le {
            Some(at) => println!("  {} ({}) : signé {at}", s.nom, s.qualite),
            None => println!("  {} ({}) : à signer", s.nom, s.qualite),
        }
    }
    println!("  Empreinte SHA-256 : {}", view.empreinte);
    Ok(())
}

pub async fn signer(
    acta: &Acta,
    actor: &Actor,
    cmd: SignerCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        SignerCommand::Add { input } => {
            acta.add_signer(actor, &input).await?;
            println!(
                "Signataire enregistré : {} ({}).",
                input.name.trim(),
                input.role.trim()
            );
        }
        SignerCommand::List => {
            let signers = acta.signers().await?;
            if json {
                return print_json(&signers);
            }
            for s in &signers {
                println!(
                    "{} — {} — {} (mot de passe : {}){}",
                    s.nom,
                    s.qualite_libelle,
                    s.certificat,
                    s.mot_de_passe_depuis,
                    if s.actif { "" } else { " — inactif" }
                );
            }
        }
        SignerCommand::Trust { file } => {
            let pem = String::from_utf8(read(&file)?).map_err(|_| {
                AppError::File(format!("« {} » n'est pas un fichier PEM.", file.display()))
            })?;
            let n = acta.set_trusted_authorities(actor, &pem).await?;
            println!("{n} autorité(s) de certification reconnue(s).");
        }
    }
    Ok(())
}

pub async fn signature(
    acta: &Acta,
    actor: &Actor,
    cmd: SignatureCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        SignatureCommand::Prepare { document, input } => {
            let target = SignTarget::parse(&document.kind, &document.key)?;
            let view = acta
                .prepare_signature(actor, &acta.documents_renderer().await?, &target, &input)
                .await?;
            print_signature(&view, json)
        }
        SignatureCommand::Sign { document, input } => {
            let target = SignTarget::parse(&document.kind, &document.key)?;
            let view = acta.sign_document(actor, &target, &input).await?;
            print_signature(&view, json)
        }
        SignatureCommand::Countersign { key, file } => {
            let view = acta
                .countersign_convention(actor, &key, &read(&file)?)
                .await?;
            print_signature(&view, json)
        }
        SignatureCommand::Status { document } => {
            let target = SignTarget::parse(&document.kind, &document.key)?;
            match acta.signature_status(&target).await? {
                Some(view) => print_signature(&view, json),
                None => Err(AppError::not_found(
                    "Ce document n'a pas été préparé pour signature (« acta signature prepare »).",
                )),
            }
        }
        SignatureCommand::Pdf { document, out } => {
            let target = SignTarget::parse(&document.kind, &document.key)?;
            let (_, pdf) = acta.signature_pdf(&target).await?;
            write(&out, &pdf)
        }
    }
}

fn print_verification(view: &VerificationView) {
    println!("{}", view.verdict);
    for s in &view.signatures {
        println!(
            "  {} — certificat {} (n° {}), émis par {}{}",
            s.signataire,
            s.certificat,
            s.numero_de_serie,
            s.emetteur,
            s.signe_le
                .as_ref()
                .map(|at| format!(", signé {at}"))
                .unwrap_or_default()
        );
        if let Some(problem) = &s.probleme {
            println!("    Problème : {problem}");
        }
    }
}

/// Exits 0 when every signature is valid, 4 when the file is refused.
pub async fn verify(acta: &Acta, file: &Path, json: bool) -> Result<ExitCode, AppError> {
    let view = acta.verify_pdf(&read(file)?).await?;
    if json {
        print_json(&view)?;
    } else {
        print_verification(&view);
    }
    Ok(if view.valide {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}

fn print_status(view: &TransmissionStatusView, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(view);
    }
    println!(
        "Délibération N°{} : {}",
        view.deliberation, view.etat_libelle
    );
    if let Some(t) = view.transaction {
        println!("  Transaction sur la plateforme : {t}");
    }
    if let Some(m) = &view.mention {
        println!("  {m}");
    }
    if let Some(e) = &view.derniere_erreur {
        println!("  Dernière erreur ({} échec(s)) : {e}", view.echecs);
    }
    if let Some(at) = &view.prochain_essai {
        println!("  Prochain essai après {at}");
    }
    for r in &view.courriers {
        println!(
            "  Courrier n°{} : {} du {}{}",
            r.id,
            r.nature_libelle,
            r.date_courrier,
            r.description
                .as_ref()
                .map(|d| format!(" — {d}"))
                .unwrap_or_default()
        );
        match (&r.reponse, &r.echeance) {
            (Some(answer), _) => println!("    Réponse : {answer}"),
            (None, Some(deadline)) => println!("    À faire avant le {deadline} : {}", r.suite),
            (None, None) => println!("    À faire : {}", r.suite),
        }
    }
    Ok(())
}

fn print_run(run: &TransmissionRun, json: bool) -> Result<(), AppError> {
    if json {
        return print_json(run);
    }
    for line in &run.lignes {
        println!("{line}");
    }
    println!(
        "{} envoyée(s), {} acquittée(s), {} annulée(s), {} courrier(s) reçu(s), {} en attente.",
        run.envoyees, run.acquittees, run.annulees, run.courriers_recus, run.en_attente
    );
    Ok(())
}

pub async fn transmission(
    acta: &Acta,
    actor: &Actor,
    cmd: TransmissionCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        TransmissionCommand::Configure { input } => {
            acta.configure_tdt(actor, &input).await?;
            println!(
                "Plateforme de télétransmission configurée : {} (certificat ouvert avec succès).",
                input.url.trim()
            );
            Ok(())
        }
        TransmissionCommand::Send(ActNumber { number }) => {
            let view = acta
                .transmit(actor, &acta.documents_renderer().await?, &number)
                .await?;
            print_status(&view, json)
        }
        TransmissionCommand::Run => {
            let run = acta.run_transmissions(actor).await?;
            print_run(&run, json)
        }
        TransmissionCommand::Status(ActNumber { number }) => {
            print_status(&acta.transmission_status(&number).await?, json)
        }
        TransmissionCommand::Answer {
            number,
            reply,
            answer,
            file,
        } => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "reponse.pdf".to_string());
            let view = acta
                .answer_prefecture(actor, &number, reply, &answer, &name, &read(&file)?)
                .await?;
            print_status(&view, json)
        }
        TransmissionCommand::Cancel(ActNumber { number }) => {
            let view = acta.cancel_transmission(actor, &number).await?;
            print_status(&view, json)
        }
        TransmissionCommand::File { number, which, out } => {
            let which = TransmissionFile::parse(&which)?;
            let (_, _, bytes) = acta.transmission_file(&number, which).await?;
            write(&out, &bytes)
        }
        TransmissionCommand::Letter { number, reply, out } => {
            let (_, _, bytes) = acta.prefecture_letter(&number, reply).await?;
            write(&out, &bytes)
        }
    }
}
