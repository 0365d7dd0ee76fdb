//! `acta`: the command line. A thin adapter: it parses arguments, calls the application
//! layer and prints the result, in French for people or as JSON (`--json`) for machines.

mod account_cmd;
mod archives_cmd;
mod args;
mod bench_cmd;
mod grants_cmd;
mod opendata_cmd;
mod print;
mod render_cmd;
mod search_cmd;
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

/// `acta … | head` closes the pipe early: stop quietly, as shell tools do, rather than
/// report a failure to print.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
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
    let index = search_cmd::index_dir(cli.index.as_deref(), &url);
    // Any command may have written: an existing search index follows it afterwards.
    let follows_writes = !matches!(
        cli.command,
        Command::Search(_) | Command::Reindex { .. } | Command::Bench(_) | Command::Serve { .. }
    );
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
                    match acta.deliberation_view(&number).await {
                        Ok(view) if json => print_json(&view)?,
                        Ok(view) => print::deliberation(&view),
                        // A number of the archives, imported from their texts.
                        Err(AppError::NotFound(message)) => {
                            let archives = acta.archived_acts(&number).await?;
                            if archives.is_empty() {
                                return Err(AppError::NotFound(message));
                            }
                            archives_cmd::show(&archives, json)?;
                        }
                        Err(e) => return Err(e),
                    }
                }
                ShowCommand::Archive { key, json } => {
                    let archives = acta.archived_acts(&key).await?;
                    if archives.is_empty() {
                        return Err(AppError::not_found(format!(
                            "Aucune délibération archivée « {} ».",
                            key.trim()
                        )));
                    }
                    archives_cmd::show(&archives, json)?;
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
        }) => bench_cmd::documents(reports, no_libreoffice, json).await?,
        Command::Bench(BenchCommand::Export {
            rows,
            runs,
            postgres,
            json,
        }) => bench_cmd::export(rows, runs, postgres.as_deref(), json).await?,
        Command::Bench(BenchCommand::Search {
            acts,
            runs,
            postgres,
            json,
        }) => bench_cmd::search(acts, runs, postgres.as_deref(), json).await?,
        Command::Bench(BenchCommand::Import(args)) => bench_cmd::import(&args).await?,
        Command::Bench(BenchCommand::Web(args)) => bench_cmd::web(&args).await?,
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
        Command::Search(args) => {
            let dir = index.clone();
            with(&url, |acta| async move {
                search_cmd::search(&acta, &dir, args).await
            })
            .await?
        }
        Command::Serve {
            addr,
            demo,
            secure_cookies,
        } => serve(&url, &actor, index.clone(), &addr, demo, secure_cookies).await?,
        Command::Account(cmd) => {
            with(&url, |acta| async move {
                account_cmd::account(&acta, &actor, cmd).await
            })
            .await?
        }
        Command::Reindex { json } => {
            let dir = index.clone();
            with(&url, |acta| async move {
                search_cmd::reindex(&acta, &dir, json).await
            })
            .await?
        }
    }
    if follows_writes && index.exists() {
        let acta = Acta::open(&url).await?;
        search_cmd::follow_writes(&acta, &index).await;
        acta.close().await;
    }
    Ok(ExitCode::SUCCESS)
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

/// `acta serve`: the portal and the API, until the process is stopped.
async fn serve(
    url: &DatabaseUrl,
    actor: &Actor,
    index: std::path::PathBuf,
    addr: &str,
    demo: bool,
    secure_cookies: bool,
) -> Result<(), AppError> {
    let addr: std::net::SocketAddr = addr.parse().map_err(|_| {
        AppError::File(format!(
            "Adresse d'écoute « {addr} » invalide (ex. 127.0.0.1:8080)."
        ))
    })?;
    let acta = Acta::init(url).await?;
    if demo && acta.is_empty().await? {
        let summary = acta.load_demo(actor).await?;
        println!("Démo chargée : {} délibération(s).", summary.deliberations);
    }
    if demo {
        let password = acta.reset_demo_account(actor).await?;
        println!(
            "Espace agents : http://{addr}/gestion — identifiant « {} », mot de passe « {password} » (neuf à chaque démarrage).",
            acta_app::accounts::DEMO_LOGIN
        );
    }
    acta.sync_search_index(&index, &|_, _| {}).await?;
    let state = acta_server::AppState::new(acta, index)?.with_secure_cookies(secure_cookies);
    println!("Portail et API : http://{addr}/ (arrêt : Ctrl+C)");
    acta_server::serve(state, addr)
        .await
        .map_err(|e| AppError::File(format!("Serveur ({addr}) : {e}")))
}
