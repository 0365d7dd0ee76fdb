//! Exports, imports and the prefecture exchange.

use crate::args::{
    ActesCommand, CollectivityCommand, DocumentsConfigCommand, ExportCommand, ImportCommand,
    OpenDataCommand,
};
use crate::print::{Output, print_json};
use acta_app::documents_setup::Logo;
use acta_app::opendata::OpenDataSettings;
use acta_app::{Acta, Actor, AppError};
use std::io::Write as _;
use std::path::Path;

fn read(path: &Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(path).map_err(|e| {
        AppError::File(format!(
            "Fichier « {} » illisible : {}",
            path.display(),
            acta_domain::french::io_reason(&e)
        ))
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| {
        let e = acta_domain::french::io_reason(&e);
        AppError::File(format!(
            "Écriture de « {} » impossible : {e}",
            path.display()
        ))
    })
}

pub async fn collectivity(
    acta: &Acta,
    actor: &Actor,
    cmd: CollectivityCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        CollectivityCommand::SetSiret { siret } => {
            acta.set_collectivity_siret(actor, &siret).await?;
            println!("SIRET de la collectivité enregistré.");
        }
        CollectivityCommand::Host { host } => {
            match acta.set_portal_host(actor, host.as_deref()).await? {
                Some(host) => println!(
                    "Collectivité n° {} servie à l'adresse http://{host}/ (au prochain démarrage de « acta serve »).",
                    acta.collectivity_id()
                ),
                None => println!(
                    "Collectivité n° {} : plus de nom d'hôte propre.",
                    acta.collectivity_id()
                ),
            }
        }
        CollectivityCommand::Documents(cmd) => documents_config(acta, actor, cmd).await?,
        CollectivityCommand::List => {
            let all = acta.collectivities().await?;
            if json {
                return print_json(&all);
            }
            if all.is_empty() {
                println!("Aucune collectivité décrite dans cette base.");
            }
            for c in all {
                let host = c.host.as_deref().unwrap_or("(pas de nom d'hôte propre)");
                println!("{:>4}  {}  {host}", c.id, c.name);
            }
        }
    }
    Ok(())
}

async fn documents_config(
    acta: &Acta,
    actor: &Actor,
    cmd: DocumentsConfigCommand,
) -> Result<(), AppError> {
    match cmd {
        DocumentsConfigCommand::Show => {
            let setup = acta.documents_setup().await?;
            if !setup.own {
                println!("# Configuration intégrée (la collectivité n'a pas la sienne).");
            }
            print!("{}", setup.text);
        }
        DocumentsConfigCommand::Set { file } => {
            let text = String::from_utf8(read(&file)?).map_err(|_| {
                AppError::File(format!(
                    "Configuration « {} » : le fichier n'est pas en UTF-8.",
                    file.display()
                ))
            })?;
            let config = acta_docs::DocumentsConfig::from_toml(&text, &file.display().to_string())?;
            let logo = match config.header.logo.trim() {
                "" => None,
                path => Some(Logo {
                    name: std::path::Path::new(path)
                        .file_name()
                        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned()),
                    bytes: std::fs::read(path).map_err(|e| {
                        AppError::File(format!(
                            "header.logo : le logo « {path} » est illisible : {}",
                            acta_domain::french::io_reason(&e)
                        ))
                    })?,
                }),
            };
            acta.set_documents_config(actor, &text, logo).await?;
            println!(
                "Configuration des documents de la collectivité n° {} enregistrée (les serveurs la prennent à leur prochain démarrage).",
                acta.collectivity_id()
            );
        }
        DocumentsConfigCommand::Reset => {
            acta.reset_documents_config(actor).await?;
            println!(
                "Collectivité n° {} : configuration intégrée des documents rétablie.",
                acta.collectivity_id()
            );
        }
    }
    Ok(())
}

pub async fn export(acta: &Acta, cmd: ExportCommand) -> Result<(), AppError> {
    match cmd {
        ExportCommand::ScdlDeliberations { out } => {
            let target = Output::open(&out)?;
            let n = acta.export_scdl_deliberations(target.writer()?).await?;
            target.finish()?;
            if out.is_some() {
                println!(
                    "{n} {} (SCDL 2.1.5).",
                    if n > 1 {
                        "délibérations exportées"
                    } else {
                        "délibération exportée"
                    }
                );
            }
        }
        ExportCommand::Archives { out, format } => {
            let n = crate::archives_cmd::export(acta, &out, &format).await?;
            if out.is_some() {
                println!("{n} délibération(s) archivée(s) exportée(s).");
            }
        }
        ExportCommand::Ordres { year, format, out } => {
            let text = match format.as_str() {
                "csv" => acta.accountant_orders_csv(year).await?,
                "json" => serde_json::to_string_pretty(&acta.accountant_orders(year).await?)
                    .map_err(|e| AppError::File(format!("Ordres : JSON impossible : {e}")))?,
                other => {
                    return Err(AppError::File(format!(
                        "Format : « {other} » n'est pas proposé (csv ou json)."
                    )));
                }
            };
            let target = Output::open(&out)?;
            target
                .writer()?
                .write_all(text.as_bytes())
                .map_err(|e| AppError::File(acta_domain::french::io_reason(&e)))?;
            target.finish()?;
        }
        ExportCommand::ScdlSubventions { out } => {
            let target = Output::open(&out)?;
            let n = acta.export_scdl_subsidies(target.writer()?).await?;
            target.finish()?;
            if out.is_some() {
                println!(
                    "{n} {} (SCDL 2.1.1).",
                    if n > 1 {
                        "subventions exportées"
                    } else {
                        "subvention exportée"
                    }
                );
            }
        }
        ExportCommand::Actes { number, out, date } => {
            let sent_on = match date {
                Some(d) => acta_domain::french::parse_date("date", &d)?,
                None => acta.today(),
            };
            let renderer = acta.documents_renderer().await?;
            let bundle = acta.actes_bundle(&renderer, &number, sent_on).await?;
            std::fs::create_dir_all(&out).map_err(|e| {
                AppError::File(format!(
                    "Dossier « {} » : {}",
                    out.display(),
                    acta_domain::french::io_reason(&e)
                ))
            })?;
            for (name, bytes) in &bundle.files {
                write(&out.join(name), bytes)?;
            }
            write(&out.join(&bundle.archive_name), &bundle.archive)?;
            println!(
                "Transmission @ctes de l'acte {} : {} fichiers et l'archive {} dans {}.",
                bundle.act_id,
                bundle.files.len(),
                bundle.archive_name,
                out.display()
            );
        }
        ExportCommand::Akn { number, out } => {
            let xml = acta.akoma_ntoso(&number).await?;
            Output::open(&out)?.write_all(xml.as_bytes())?;
        }
        ExportCommand::Popolo { sitting, out } => {
            let data = acta.popolo(&sitting).await?;
            let text =
                serde_json::to_string_pretty(&data).map_err(|e| AppError::File(e.to_string()))?;
            Output::open(&out)?.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

pub async fn import(
    acta: &Acta,
    actor: &Actor,
    cmd: ImportCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ImportCommand::Archives { paths, details } => {
            crate::archives_cmd::import(acta, actor, &paths, details, json).await?
        }
        ImportCommand::ScdlSubventions { file } => {
            let bytes = read(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let report = acta.import_scdl_subsidies(actor, &name, &bytes).await?;
            if json {
                return print_json(&report);
            }
            print_import_report(&report);
        }
    }
    Ok(())
}

pub async fn actes(acta: &Acta, actor: &Actor, cmd: ActesCommand) -> Result<(), AppError> {
    match cmd {
        ActesCommand::Matter { number, code } => {
            acta.set_deliberation_matter(actor, &number, &code).await?;
            println!(
                "Délibération N°{} : matière ACTES {} ({}).",
                number.trim(),
                code.trim(),
                acta_domain::actes::matter_label(code.trim()).unwrap_or("")
            );
        }
        ActesCommand::Ack {
            number,
            file,
            id,
            date,
        } => {
            let (id, date) = match (file, id, date) {
                (Some(path), _, _) => {
                    let ack = acta_interop::actes::parse_acknowledgement(&read(&path)?)?;
                    (ack.act_id, ack.received_on.to_string())
                }
                (None, Some(id), Some(date)) => (id, date),
                _ => {
                    return Err(AppError::File(
                        "Accusé de réception : donnez --file ou --id avec --date.".to_string(),
                    ));
                }
            };
            let t = acta
                .record_acknowledgement(actor, &number, &id, &date)
                .await?;
            println!(
                "Délibération N°{number} reçue en préfecture ({}) le {} : transmise.",
                t.prefecture_id,
                acta_domain::french::format_date_long(t.received_on)
            );
        }
    }
    Ok(())
}

pub async fn open_data(
    acta: &Acta,
    actor: &Actor,
    cmd: OpenDataCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        OpenDataCommand::Show => {
            let s = acta.open_data_settings().await?;
            if json {
                print_json(&s)?;
            } else {
                print!(
                    "{}",
                    toml::to_string(&s).map_err(|e| AppError::File(e.to_string()))?
                );
            }
        }
        OpenDataCommand::Set { file } => {
            let text = String::from_utf8_lossy(&read(&file)?).into_owned();
            let s: OpenDataSettings = toml::from_str(&text)
                .map_err(|e| AppError::File(format!("Paramètres illisibles : {e}")))?;
            acta.set_open_data_settings(actor, &s).await?;
            println!("Paramètres des données ouvertes enregistrés.");
        }
    }
    Ok(())
}

/// The import's summary, then what was left out of the rows kept and the rows refused,
/// line by line.
fn print_import_report(report: &acta_app::opendata::ImportReport) {
    println!(
        "{} : {} ({}, séparateur « {} »), {} ligne(s) lue(s).",
        report.file, report.format, report.encoding, report.delimiter, report.rows
    );
    println!(
        "{} subvention(s) importée(s) pour {}, dont {} avec avertissement(s) ; {} ligne(s) refusée(s).",
        report.imported, report.amount, report.imported_with_warnings, report.refused
    );
    if !report.missing_columns.is_empty() {
        println!(
            "  Colonnes absentes (laissées vides) : {}.",
            report.missing_columns.join(", ")
        );
    }
    if let Some(warning) = &report.encoding_warning {
        println!("  ⚠ {warning}");
    }
    for w in &report.warnings {
        println!("  ligne {} ⚠ {}", w.line, w.message);
    }
    for e in &report.errors {
        println!("  ligne {} refusée : {}", e.line, e.reason);
    }
}
