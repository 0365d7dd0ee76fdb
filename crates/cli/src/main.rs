//! `acta`: the command line. A thin adapter: it parses arguments into the application's
//! input structs, calls the application layer and prints the result, in French for people
//! or as JSON (`--json`) for machines. `run` opens the database once and hands each
//! command family to its module.

mod account_cmd;
mod applications_cmd;
mod archives_cmd;
mod args;
mod budget_cmd;

mod grants_cmd;
mod opendata_cmd;
mod preparation_cmd;
mod print;
mod publication_cmd;
mod render_cmd;
mod search_cmd;
mod setup_cmd;
mod show_cmd;
mod sitting_cmd;
mod transmission_cmd;

use acta_app::{Acta, Actor, AppError, DatabaseUrl};
use args::{Cli, Command};
use clap::Parser;
use std::path::PathBuf;
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
            std::process::exit(0);
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

/// What every command family needs: the database, who acts, the search index.
pub struct Context {
    pub url: DatabaseUrl,
    pub actor: Actor,
    /// The search index folder of the collectivity acted for.
    pub index: PathBuf,
    /// The deployment's index folder, each collectivity's being derived from it.
    pub index_base: PathBuf,
    pub collectivity: i64,
    /// `--json`: machine output instead of French sentences.
    pub json: bool,
}

impl Context {
    /// Creates the database if needed, acting for the collectivity asked for.
    pub async fn init(&self) -> Result<Acta, AppError> {
        Acta::init(&self.url)
            .await?
            .for_collectivity(self.collectivity)
    }

    /// Opens the existing database, acting for the collectivity asked for.
    pub async fn open(&self) -> Result<Acta, AppError> {
        Acta::open(&self.url)
            .await?
            .for_collectivity(self.collectivity)
    }
}

async fn run(cli: Cli) -> Result<ExitCode, AppError> {
    let url = DatabaseUrl::parse(&cli.database)?;
    let index_base = search_cmd::index_dir(cli.index.as_deref(), &url);
    let ctx = Context {
        index: acta_app::tenancy::index_dir(&index_base, cli.collectivity),
        index_base,
        collectivity: cli.collectivity,
        json: cli.json,
        actor: Actor::new(cli.actor),
        url,
    };
    let done = |r: Result<(), AppError>| r.map(|()| ExitCode::SUCCESS);
    match cli.command {
        // Commands that create the database, serve it, or need none.
        Command::Init => done(setup_cmd::init(&ctx).await),
        Command::Demo {
            referential_only,
            synthetic,
        } => done(setup_cmd::demo(&ctx, referential_only, synthetic, ctx.json).await),
        Command::Load { file } => done(setup_cmd::load(&ctx, &file, ctx.json).await),
        Command::Serve {
            addr,
            demo,
            secure_cookies,
            anchoring,
            replica,
        } => done(setup_cmd::serve(&ctx, &addr, demo, secure_cookies, anchoring, replica).await),
        Command::Bench(cmd) => done(acta_bench::cli::run(cmd, ctx.json).await),
        Command::Restore { dir } => done(setup_cmd::restore(&ctx, &dir, ctx.json).await),
        // Everything else works on an existing database, opened once.
        command => {
            let acta = ctx.open().await?;
            // Any command may have written: an existing search index follows it.
            let follows_writes = !matches!(
                command,
                Command::Search(_) | Command::Reindex | Command::Backup { .. }
            );
            let result = dispatch(&acta, &ctx, command).await;
            if result.is_ok() && follows_writes && ctx.index.exists() {
                search_cmd::follow_writes(&acta, &ctx.index).await;
            }
            acta.close().await;
            result
        }
    }
}

/// One function per command family.
async fn dispatch(acta: &Acta, ctx: &Context, command: Command) -> Result<ExitCode, AppError> {
    let actor = &ctx.actor;
    let json = ctx.json;
    let done = |r: Result<(), AppError>| r.map(|()| ExitCode::SUCCESS);
    match command {
        Command::Show(cmd) => done(show_cmd::show(acta, cmd, json).await),
        Command::Journal(cmd) => show_cmd::journal(acta, cmd, json).await,
        Command::Beneficiary(cmd) => done(grants_cmd::beneficiary(acta, actor, cmd, json).await),
        Command::BankAccount(cmd) => done(grants_cmd::bank_account(acta, actor, cmd, json).await),
        Command::Sitting(cmd) => done(sitting_cmd::sitting(acta, actor, cmd, json).await),
        Command::Attendance(a) => done(sitting_cmd::attendance(acta, actor, a).await),
        Command::Movement(m) => done(sitting_cmd::movement(acta, actor, m).await),
        Command::Proxy(p) => done(sitting_cmd::proxy(acta, actor, p).await),
        Command::Item(cmd) => done(sitting_cmd::item(acta, actor, cmd, json).await),
        Command::Numbering(cmd) => done(sitting_cmd::numbering(acta, actor, cmd).await),
        Command::Rules(cmd) => done(sitting_cmd::rules(acta, actor, cmd, json).await),
        Command::Member(cmd) => done(sitting_cmd::member(acta, actor, cmd, json).await),
        Command::Seat(cmd) => done(sitting_cmd::seat(acta, actor, cmd).await),
        Command::BudgetLine(cmd) => done(grants_cmd::budget_line(acta, actor, cmd, json).await),
        Command::BudgetDecision(cmd) => done(budget_cmd::decision(acta, actor, cmd, json).await),
        Command::Delegation(cmd) => done(budget_cmd::delegation(acta, actor, cmd, json).await),
        Command::Authorisation(cmd) => {
            done(budget_cmd::authorisation(acta, actor, cmd, json).await)
        }
        Command::Award(cmd) => done(grants_cmd::award(acta, actor, cmd, json).await),
        Command::ConventionCmd(cmd) => done(grants_cmd::convention(acta, actor, cmd, json).await),
        Command::Payment(cmd) => done(grants_cmd::payment(acta, actor, cmd, json).await),
        Command::Document(cmd) => done(grants_cmd::document(acta, actor, cmd, json).await),
        Command::Reimbursement(r) => done(grants_cmd::reimbursement(acta, actor, r, json).await),
        Command::Grant { key } => done(grants_cmd::grant(acta, &key, json).await),
        Command::Collectivity(cmd) => {
            done(opendata_cmd::collectivity(acta, actor, cmd, json).await)
        }
        Command::Export(cmd) => done(opendata_cmd::export(acta, cmd).await),
        Command::Import(cmd) => done(opendata_cmd::import(acta, actor, cmd, json).await),
        Command::Actes(cmd) => done(opendata_cmd::actes(acta, actor, cmd).await),
        Command::OpenData(cmd) => done(opendata_cmd::open_data(acta, actor, cmd, json).await),
        Command::Signer(cmd) => done(transmission_cmd::signer(acta, actor, cmd, json).await),
        Command::Signature(cmd) => done(transmission_cmd::signature(acta, actor, cmd, json).await),
        Command::Verify { file } => transmission_cmd::verify(acta, &file, json).await,
        Command::Transmission(cmd) => {
            done(transmission_cmd::transmission(acta, actor, cmd, json).await)
        }
        Command::Minutes(cmd) => done(publication_cmd::minutes(acta, actor, cmd, json).await),
        Command::Archive(cmd) => done(publication_cmd::archive(acta, actor, cmd, json).await),
        Command::Publication(cmd) => {
            done(publication_cmd::publication(acta, actor, cmd, json).await)
        }
        Command::Render(cmd) => done(render_cmd::render(acta, cmd).await),
        Command::Search(args) => done(search_cmd::search(acta, &ctx.index, args, json).await),
        Command::Reindex => done(search_cmd::reindex(acta, &ctx.index, json).await),
        Command::Backup { dir } => done(setup_cmd::backup(acta, ctx, &dir, json).await),
        Command::Account(cmd) => done(account_cmd::account(acta, actor, cmd, json).await),
        Command::Circuit(cmd) => done(preparation_cmd::circuit(acta, actor, cmd, json).await),
        Command::Report(cmd) => done(preparation_cmd::report(acta, actor, cmd, json).await),
        Command::Convocation(cmd) => {
            done(preparation_cmd::convocation(acta, actor, cmd, json).await)
        }
        Command::MemberSpace(cmd) => {
            done(preparation_cmd::member_space(acta, actor, cmd, json).await)
        }
        Command::Dispositif(cmd) => {
            done(applications_cmd::dispositif(acta, actor, cmd, json).await)
        }
        Command::Application(cmd) => {
            done(applications_cmd::application(acta, actor, cmd, json).await)
        }
        Command::GrantDocument(cmd) => {
            done(applications_cmd::grant_document(acta, actor, cmd, json).await)
        }
        Command::Init
        | Command::Demo { .. }
        | Command::Load { .. }
        | Command::Serve { .. }
        | Command::Restore { .. }
        | Command::Bench(_) => Err(AppError::File(
            "Commande traitée avant l'ouverture de la base.".to_string(),
        )),
    }
}
