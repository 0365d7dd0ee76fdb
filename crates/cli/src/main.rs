//! `acta`: the command line. A thin adapter: it parses arguments, calls the application
//! layer and prints the result, in French for people or as JSON (`--json`) for machines.

mod args;
mod grants_cmd;
mod opendata_cmd;
mod print;
mod render_cmd;
mod sitting_cmd;

use acta_app::dataset::Dataset;
use acta_app::input::{AddressInput, BankAccountInput, BeneficiaryInput};
use acta_app::{Acta, Actor, AppError, DatabaseUrl};
use args::{
    BankAccountCommand, BenchCommand, BeneficiaryCommand, Cli, Command, JournalCommand, ShowCommand,
};
use clap::Parser;
use serde::Serialize;
use std::process::ExitCode;

// Typst allocates many small objects; mimalloc lays documents out markedly faster than the
// system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Erreur : impossible de démarrer : {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Erreur : {e}");
            for f in e.field_errors() {
                eprintln!("  - [{}] {}", f.field, f.message);
            }
            ExitCode::FAILURE
        }
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| AppError::File(format!("Sortie JSON impossible : {e}")))?;
    println!("{text}");
    Ok(())
}

async fn run(cli: Cli) -> Result<ExitCode, AppError> {
    let url = DatabaseUrl::parse(&cli.database)?;
    let actor = Actor::new(cli.actor.clone());
    match cli.command {
        Command::Init => {
            let acta = Acta::init(&url).await?;
            println!(
                "Base prête ({}) : {}",
                acta.backend().name(),
                url.redacted()
            );
            acta.close().await;
        }
        Command::Demo {
            synthetic: Some(count),
            json,
            ..
        } => {
            let dataset = acta_app::demo::synthetic_register(count)?;
            let acta = Acta::init(&url).await?;
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.set_message(format!("Chargement de {count} délibérations synthétiques…"));
            spinner.enable_steady_tick(std::time::Duration::from_millis(200));
            let summary = acta.load_dataset(&actor, &dataset).await;
            spinner.finish_and_clear();
            let summary = summary?;
            acta.close().await;
            if json {
                print_json(&summary)?;
            } else {
                println!(
                    "Registre synthétique chargé dans {} : {} séances, {} délibérations, {} attributions, {} conventions.",
                    url.redacted(),
                    summary.sittings,
                    summary.deliberations,
                    summary.awards,
                    summary.conventions
                );
            }
        }
        Command::Demo {
            referential_only: true,
            json,
            ..
        } => {
            let acta = Acta::init(&url).await?;
            let summary = acta.load_demo_referential(&actor).await?;
            acta.close().await;
            if json {
                print_json(&summary)?;
            } else {
                println!(
                    "Référentiel du cas de démonstration chargé : {} élus, {} instances, {} bénéficiaire(s). La séance du 20 novembre 2023 peut être tenue pas à pas (acta sitting create …).",
                    summary.members, summary.bodies, summary.beneficiaries
                );
            }
        }
        Command::Demo { json, .. } => {
            let acta = Acta::init(&url).await?;
            let already = acta.deliberation_view("2023-479").await.is_ok();
            let summary = if already {
                None
            } else {
                Some(acta.load_demo(&actor).await?)
            };
            let view = acta.deliberation_view("2023-479").await?;
            if json {
                print_json(&serde_json::json!({ "loaded": summary, "deliberation": view }))?;
            } else {
                match &summary {
                    Some(s) => println!(
                        "Cas de démonstration chargé dans {} : {} élus, {} séance, {} rapport, {} délibération, {} convention ({} entrées au journal).\n",
                        url.redacted(),
                        s.members,
                        s.sittings,
                        s.reports,
                        s.deliberations,
                        s.conventions,
                        s.journal_entries
                    ),
                    None => println!(
                        "Le cas de démonstration est déjà chargé dans {}.\n",
                        url.redacted()
                    ),
                }
                print::deliberation_summary(&view);
                println!(
                    "\nPour tout voir : acta show deliberation 2023-479 (ou --json), acta show sitting 2023-11-20, acta show convention 2023-479."
                );
            }
            acta.close().await;
        }
        Command::Load { file, json } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                AppError::File(format!("Fichier « {} » illisible : {e}", file.display()))
            })?;
            let dataset = Dataset::from_toml(&text)?;
            let acta = Acta::init(&url).await?;
            let summary = acta.load_dataset(&actor, &dataset).await?;
            if json {
                print_json(&summary)?;
            } else {
                println!(
                    "Jeu de données chargé : {} élus, {} séances, {} rapports, {} délibérations, {} bénéficiaires, {} conventions.",
                    summary.members,
                    summary.sittings,
                    summary.reports,
                    summary.deliberations,
                    summary.beneficiaries,
                    summary.conventions
                );
            }
            acta.close().await;
        }
        Command::Show(show) => {
            let acta = Acta::open(&url).await?;
            match show {
                ShowCommand::Deliberation { number, json } => {
                    let view = acta.deliberation_view(&number).await?;
                    if json {
                        print_json(&view)?;
                    } else {
                        print::deliberation(&view);
                    }
                }
                ShowCommand::Sitting { key, json } => {
                    let view = acta.sitting_view(&key).await?;
                    if json {
                        print_json(&view)?;
                    } else {
                        print::sitting(&view);
                    }
                }
                ShowCommand::Convention { key, json } => {
                    let view = acta.convention_view(&key).await?;
                    if json {
                        print_json(&view)?;
                    } else {
                        print::convention(&view);
                    }
                }
            }
            acta.close().await;
        }
        Command::Journal(JournalCommand::Verify { json }) => {
            let acta = Acta::open(&url).await?;
            let total = acta.journal_size().await?;
            let bar = print::progress(total, "Vérification du journal");
            let report = acta
                .verify_journal(|n| bar.set_position(u64::try_from(n).unwrap_or(0)))
                .await?;
            bar.finish_and_clear();
            acta.close().await;
            if json {
                print_json(&report)?;
            } else if let Some(brk) = &report.first_break {
                println!(
                    "Journal ALTÉRÉ : première entrée en cause n°{} : {}.",
                    brk.seq, brk.reason
                );
            } else {
                println!(
                    "Journal intact : {} entrées, chaînage vérifié.",
                    report.entries
                );
            }
            if !report.intact {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Journal(JournalCommand::List { limit, json }) => {
            let acta = Acta::open(&url).await?;
            let entries = acta.journal_recent(limit).await?;
            acta.close().await;
            if json {
                print_json(&entries)?;
            } else {
                print::journal(&entries);
            }
        }
        Command::Beneficiary(BeneficiaryCommand::Add(a)) => {
            let a = *a;
            let input = BeneficiaryInput {
                name: a.name,
                short_name: a.short_name,
                designation: a.designation,
                legal_status: a.legal_status,
                siret: a.siret,
                rna: a.rna,
                address: AddressInput {
                    street: a.street,
                    postal_code: a.postal_code,
                    city: a.city,
                },
                representative: None,
            };
            let acta = Acta::open(&url).await?;
            let id = acta.add_beneficiary(&actor, &input).await?;
            acta.close().await;
            if a.json {
                print_json(&serde_json::json!({ "id": id }))?;
            } else {
                println!("Bénéficiaire enregistré sous le n°{id}.");
            }
        }
        Command::Beneficiary(BeneficiaryCommand::List { json }) => {
            let acta = Acta::open(&url).await?;
            let list = acta.beneficiaries().await?;
            acta.close().await;
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
        Command::BankAccount(BankAccountCommand::Add(a)) => {
            let acta = Acta::open(&url).await?;
            let beneficiary = acta.find_beneficiary(&a.beneficiary).await?;
            let input = BankAccountInput {
                holder: a.holder,
                bank_name: a.bank,
                bank_address: a.bank_address,
                iban: a.iban,
                rib: a.rib,
            };
            let id = acta
                .add_bank_account(&actor, beneficiary.id, &input)
                .await?;
            acta.close().await;
            if a.json {
                print_json(&serde_json::json!({ "id": id }))?;
            } else {
                println!(
                    "Compte bancaire n°{id} enregistré pour {}.",
                    beneficiary.name
                );
            }
        }
        Command::Sitting(cmd) => {
            with(&url, |acta| async move {
                sitting_cmd::sitting(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Attendance(a) => {
            with(&url, |acta| async move {
                sitting_cmd::attendance(&acta, &actor, a).await
            })
            .await?
        }
        Command::Movement(m) => {
            with(&url, |acta| async move {
                sitting_cmd::movement(&acta, &actor, m).await
            })
            .await?
        }
        Command::Proxy(p) => {
            with(&url, |acta| async move {
                sitting_cmd::proxy(&acta, &actor, p).await
            })
            .await?
        }
        Command::Item(cmd) => {
            with(&url, |acta| async move {
                sitting_cmd::item(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Numbering(cmd) => {
            with(&url, |acta| async move {
                sitting_cmd::numbering(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Rules(cmd) => {
            with(&url, |acta| async move {
                sitting_cmd::rules(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Member(cmd) => {
            with(&url, |acta| async move {
                sitting_cmd::member(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Seat(cmd) => {
            with(&url, |acta| async move {
                sitting_cmd::seat(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::BudgetLine(cmd) => {
            with(&url, |acta| async move {
                grants_cmd::budget_line(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Award(cmd) => {
            with(&url, |acta| async move {
                grants_cmd::award(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::ConventionCmd(cmd) => {
            with(&url, |acta| async move {
                grants_cmd::convention(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Payment(cmd) => {
            with(&url, |acta| async move {
                grants_cmd::payment(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Document(cmd) => {
            with(&url, |acta| async move {
                grants_cmd::document(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Reimbursement(r) => {
            with(&url, |acta| async move {
                grants_cmd::reimbursement(&acta, &actor, r).await
            })
            .await?
        }
        Command::Bench(BenchCommand::Documents {
            reports,
            no_libreoffice,
            json,
        }) => bench_documents(reports, no_libreoffice, json).await?,
        Command::Bench(BenchCommand::Export {
            rows,
            runs,
            postgres,
            json,
        }) => bench_export(rows, runs, postgres.as_deref(), json).await?,
        Command::Collectivity(cmd) => {
            with(&url, |acta| async move {
                opendata_cmd::collectivity(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Export(cmd) => {
            with(&url, |acta| async move {
                opendata_cmd::export(&acta, cmd).await
            })
            .await?
        }
        Command::Import(cmd) => {
            with(&url, |acta| async move {
                opendata_cmd::import(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Actes(cmd) => {
            with(&url, |acta| async move {
                opendata_cmd::actes(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::OpenData(cmd) => {
            with(&url, |acta| async move {
                opendata_cmd::open_data(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Render(cmd) => {
            with(
                &url,
                |acta| async move { render_cmd::render(&acta, cmd).await },
            )
            .await?
        }
        Command::Grant { key, json } => {
            with(&url, |acta| async move {
                grants_cmd::grant(&acta, &key, json).await
            })
            .await?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The `soffice` command, when LibreOffice is installed.
fn find_soffice() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
}

async fn bench_documents(reports: usize, no_libreoffice: bool, json: bool) -> Result<(), AppError> {
    if cfg!(debug_assertions) {
        eprintln!("Attention : binaire de débogage ; mesurez avec cargo run --release.");
    }
    let dir =
        tempfile::tempdir().map_err(|e| AppError::File(format!("Dossier temporaire : {e}")))?;
    // ACTA_BENCH_KEEP keeps the work folder (database, HTML, LibreOffice's PDFs) to look at.
    let (workdir, _cleanup) = if std::env::var_os("ACTA_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        eprintln!("Dossier de travail conservé : {}", kept.display());
        (kept, None)
    } else {
        (dir.path().to_path_buf(), Some(dir))
    };
    let soffice = if no_libreoffice { None } else { find_soffice() };
    let bar = print::progress(0, "");
    let result =
        acta_app::bench::documents(&workdir, reports, soffice.as_deref(), &|step, n, total| {
            bar.set_message(step.to_string());
            bar.set_length(total as u64);
            bar.set_position(n as u64);
        })
        .await?;
    bar.finish_and_clear();
    if json {
        return print_json(&result);
    }
    println!(
        "{} documents ({} rapports × délibération, rapport, convention) en PDF/A : {:.2} s, {:.1} documents/s, mémoire maximale {:.0} Mio, {:.1} Mo de PDF.",
        result.documents,
        result.reports,
        result.pdf_seconds,
        result.documents_per_second,
        result.peak_memory_mib,
        result.pdf_bytes as f64 / 1e6
    );
    match (result.libreoffice_seconds, result.speedup_over_libreoffice) {
        (Some(lo), Some(ratio)) => println!(
            "LibreOffice (HTML → PDF, mêmes documents, par lots de 200 : limite d’arguments de soffice) : {lo:.2} s ; acta est {ratio:.1} fois plus rapide."
        ),
        _ => println!("LibreOffice absent (soffice) : pas de comparaison."),
    }
    Ok(())
}

async fn bench_export(
    rows: u64,
    runs: usize,
    postgres: Option<&str>,
    json: bool,
) -> Result<(), AppError> {
    if cfg!(debug_assertions) {
        eprintln!("Attention : binaire de débogage ; mesurez avec cargo run --release.");
    }
    let dir =
        tempfile::tempdir().map_err(|e| AppError::File(format!("Dossier temporaire : {e}")))?;
    // ACTA_BENCH_KEEP keeps the SQLite bench database to look at.
    let (workdir, _cleanup) = if std::env::var_os("ACTA_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        eprintln!("Dossier de travail conservé : {}", kept.display());
        (kept, None)
    } else {
        (dir.path().to_path_buf(), Some(dir))
    };
    let bar = print::progress(0, "");
    let result =
        acta_app::bench::export(&workdir, postgres, rows, runs.max(1), &|step, n, total| {
            bar.set_message(step.to_string());
            bar.set_length(total);
            bar.set_position(n);
        })
        .await;
    bar.finish_and_clear();
    let result = result?;
    if json {
        return print_json(&result);
    }
    println!(
        "{} : {} délibérations exportées en SCDL en {:.2} s (médiane de {}), soit {:.0} lignes/s ; lecture seule {:.2} s (export/lecture : {:.2}) ; {:.1} Mo de CSV ; mémoire maximale pendant l'export {:.0} Mio{}.",
        result.backend,
        result.rows,
        result.export_seconds,
        result.runs,
        result.rows_per_second,
        result.read_only_seconds,
        result.export_over_read_only,
        result.csv_bytes as f64 / 1e6,
        result.peak_memory_mib,
        if result.peak_reset {
            ""
        } else {
            " (pic du processus entier : remise à zéro impossible)"
        }
    );
    Ok(())
}

/// Opens the database, runs a command, closes it whatever the outcome.
async fn with<F, Fut>(url: &DatabaseUrl, command: F) -> Result<(), AppError>
where
    F: FnOnce(Acta) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let acta = Acta::open(url).await?;
    let result = command(acta.clone()).await;
    acta.close().await;
    result
}
