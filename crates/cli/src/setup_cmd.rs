//! Commands that create the database or serve it: init, demo, load, serve.

use crate::Context;
use crate::args::{ServeAnchoring, ServeReplica};
use crate::print::{self, print_json};
use acta_app::dataset::Dataset;
use acta_app::replica::ReadSide;
use acta_app::{Acta, AppError};
use std::path::Path;

pub async fn init(ctx: &Context) -> Result<(), AppError> {
    let acta = ctx.init().await?;
    println!(
        "Base prête ({}) : {}",
        acta.backend().name(),
        ctx.url.redacted()
    );
    acta.close().await;
    Ok(())
}

pub async fn demo(
    ctx: &Context,
    referential_only: bool,
    synthetic: Option<usize>,
    json: bool,
) -> Result<(), AppError> {
    let acta = ctx.init().await?;
    let result = if let Some(count) = synthetic {
        synthetic_register(&acta, ctx, count, json).await
    } else if referential_only {
        referential(&acta, ctx, json).await
    } else {
        seed(&acta, ctx, json).await
    };
    acta.close().await;
    result
}

async fn synthetic_register(
    acta: &Acta,
    ctx: &Context,
    count: usize,
    json: bool,
) -> Result<(), AppError> {
    let dataset = acta_bench::synthetic_register::synthetic_register(count)?;
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(format!("Chargement de {count} délibérations synthétiques…"));
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let summary = acta.load_dataset(&ctx.actor, &dataset).await;
    spinner.finish_and_clear();
    let summary = summary?;
    if json {
        return print_json(&summary);
    }
    println!(
        "Registre synthétique chargé dans {} : {} séances, {} délibérations, {} attributions, {} conventions.",
        ctx.url.redacted(),
        summary.sittings,
        summary.deliberations,
        summary.awards,
        summary.conventions
    );
    Ok(())
}

async fn referential(acta: &Acta, ctx: &Context, json: bool) -> Result<(), AppError> {
    let summary = acta.load_demo_referential(&ctx.actor).await?;
    if json {
        return print_json(&summary);
    }
    println!(
        "Référentiel du cas de démonstration chargé : {} élus, {} instances, {} bénéficiaire(s). La séance du 20 novembre 2023 peut être tenue pas à pas (acta sitting create …).",
        summary.members, summary.bodies, summary.beneficiaries
    );
    Ok(())
}

async fn seed(acta: &Acta, ctx: &Context, json: bool) -> Result<(), AppError> {
    let already = acta.deliberation_view("2023-479").await.is_ok();
    let summary = if already {
        None
    } else {
        Some(acta.load_demo(&ctx.actor).await?)
    };
    acta.publish_demo(&ctx.actor, &acta.documents_renderer().await?)
        .await?;
    let view = acta.deliberation_view("2023-479").await?;
    if json {
        return print_json(&serde_json::json!({ "loaded": summary, "deliberation": view }));
    }
    match &summary {
        Some(s) => println!(
            "Cas de démonstration chargé dans {} : {} élus, {} séance, {} rapport, {} délibération, {} convention ({} entrées au journal).\n",
            ctx.url.redacted(),
            s.members,
            s.sittings,
            s.reports,
            s.deliberations,
            s.conventions,
            s.journal_entries
        ),
        None => println!(
            "Le cas de démonstration est déjà chargé dans {}.\n",
            ctx.url.redacted()
        ),
    }
    print::deliberation_summary(&view);
    println!(
        "\nPour tout voir : acta show deliberation 2023-479 (ou --json), acta show sitting 2023-11-20, acta show convention 2023-479."
    );
    Ok(())
}

pub async fn load(ctx: &Context, file: &Path, json: bool) -> Result<(), AppError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        AppError::File(format!(
            "Fichier « {} » illisible : {}",
            file.display(),
            acta_domain::french::io_reason(&e)
        ))
    })?;
    let dataset = Dataset::from_toml(&text)?;
    let acta = ctx.init().await?;
    let summary = acta.load_dataset(&ctx.actor, &dataset).await;
    acta.close().await;
    let summary = summary?;
    if json {
        return print_json(&summary);
    }
    println!(
        "Jeu de données chargé : {} élus, {} séances, {} rapports, {} délibérations, {} bénéficiaires, {} conventions.",
        summary.members,
        summary.sittings,
        summary.reports,
        summary.deliberations,
        summary.beneficiaries,
        summary.conventions
    );
    Ok(())
}

/// `acta serve`: the portal and the API, until the process is stopped.
pub async fn serve(
    ctx: &Context,
    addr: &str,
    demo: bool,
    secure_cookies: bool,
    anchoring: ServeAnchoring,
    replica: ServeReplica,
) -> Result<(), AppError> {
    let addr: std::net::SocketAddr = addr.parse().map_err(|_| {
        AppError::File(format!(
            "Adresse d'écoute « {addr} » invalide (ex. 127.0.0.1:8080)."
        ))
    })?;
    let acta = ctx.init().await?;
    if demo && acta.is_empty().await? {
        let summary = acta.load_demo(&ctx.actor).await?;
        acta.publish_demo(&ctx.actor, &acta.documents_renderer().await?)
            .await?;
        println!(
            "Démo chargée et publiée sur le portail : {} délibération(s).",
            summary.deliberations
        );
    }
    if demo {
        let password = acta.reset_demo_account(&ctx.actor).await?;
        println!(
            "Espace agents : http://{addr}/gestion — identifiant « {} », mot de passe « {password} » (neuf à chaque démarrage).",
            acta_app::accounts::DEMO_LOGIN
        );
    }
    acta.sync_search_index(&ctx.index, &|_, _| {}).await?;
    let read_side = match &replica.read_database {
        Some(url) => {
            let url = acta_app::DatabaseUrl::parse(url)?;
            let bound = std::time::Duration::from_secs(replica.max_read_lag);
            let side = ReadSide::open(&acta, &url, bound).await?;
            println!(
                "Lectures du portail, de la recherche et des données ouvertes sur la réplique {} (retard toléré : {} s).",
                url.redacted(),
                replica.max_read_lag
            );
            Some(side)
        }
        None => None,
    };
    let hosts = other_collectivities(&acta, ctx, secure_cookies, read_side.as_ref()).await?;
    if let (Some(key), Some(dir)) = (&anchoring.anchor_key, &anchoring.anchor_dir) {
        let key = acta_app::anchors::load_key(key)?;
        let every = std::time::Duration::from_secs(anchoring.anchor_every * 60);
        // Every collectivity served, each in its own folder (an anchor names none).
        let served = std::iter::once(&acta).chain(hosts.iter().map(|(_, state)| &state.acta));
        for tenant in served {
            let dir = acta_app::tenancy::anchor_dir(dir, tenant.collectivity_id());
            // A first anchor now, so that a wrong folder is known at start, not an hour
            // later.
            tenant.anchor_journal(&key, &dir).await?;
            if tenant.collectivity_id() != acta.collectivity_id() {
                println!(
                    "Collectivité n° {} : journal ancré dans {}",
                    tenant.collectivity_id(),
                    dir.display()
                );
            }
            tokio::spawn(anchor_on_schedule(tenant.clone(), key.clone(), dir, every));
        }
    }
    let renderer = acta.documents_renderer().await?;
    let mut state = acta_server::AppState::new(acta, ctx.index.clone())?
        .with_renderer(renderer)
        .with_secure_cookies(secure_cookies);
    if let Some(side) = read_side {
        state = state.with_read_side(side);
    }
    println!("Portail et API : http://{addr}/ (arrêt : Ctrl+C)");
    let app = acta_server::hosts::router_by_host(state, hosts);
    acta_server::serve(app, addr).await.map_err(|e| {
        AppError::File(format!(
            "Serveur ({addr}) : {}",
            acta_domain::french::io_reason(&e)
        ))
    })
}

/// The other collectivities of the database served at a host name of their own, each
/// with its own search index brought up to date.
async fn other_collectivities(
    acta: &Acta,
    ctx: &Context,
    secure_cookies: bool,
    read_side: Option<&ReadSide>,
) -> Result<Vec<(acta_domain::host::HostName, acta_server::AppState)>, AppError> {
    let mut served = Vec::new();
    for (host, id) in acta.portal_hosts().await? {
        // The collectivity started for answers at every host already, with its own index.
        if id == acta.collectivity_id() {
            continue;
        }
        let tenant = acta.for_collectivity(id)?;
        let index = acta_app::tenancy::index_dir(&ctx.index_base, id);
        tenant.sync_search_index(&index, &|_, _| {}).await?;
        println!("Collectivité n° {id} : http://{host}/");
        let renderer = tenant.documents_renderer().await?;
        let mut state = acta_server::AppState::new(tenant.clone(), index)?
            .with_renderer(renderer)
            .with_secure_cookies(secure_cookies);
        if let Some(side) = read_side {
            state = state.with_read_side(side.for_collectivity(&tenant)?);
        }
        served.push((host, state));
    }
    Ok(served)
}

/// Anchors the journal at every tick where it moved; a failure is reported and the next
/// tick tries again (the server keeps serving).
async fn anchor_on_schedule(
    acta: Acta,
    key: acta_domain::anchor::AnchorKey,
    dir: std::path::PathBuf,
    every: std::time::Duration,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        if let Err(e) = acta.anchor_journal(&key, &dir).await {
            eprintln!("Ancrage du journal impossible : {e}");
        }
    }
}

pub async fn backup(acta: &Acta, ctx: &Context, dir: &Path, json: bool) -> Result<(), AppError> {
    let report = acta.backup(dir, Some(&ctx.index)).await?;
    if json {
        return print_json(&report);
    }
    println!(
        "Sauvegarde écrite dans {} : base {}, {} fichier(s), {} octets{}.",
        report.folder.display(),
        report.backend,
        report.files,
        report.bytes,
        if report.search_index {
            ", index de recherche compris"
        } else {
            ""
        }
    );
    println!(
        "Journal de la copie vérifié : {} entrées, tête {}.",
        report.journal_entries, report.journal_head
    );
    Ok(())
}

pub async fn restore(ctx: &Context, dir: &Path, json: bool) -> Result<(), AppError> {
    let report = acta_app::backup::restore(&ctx.url, dir, &ctx.index).await?;
    if json {
        return print_json(&report);
    }
    println!(
        "Sauvegarde restaurée dans {} : {} fichier(s) vérifiés{}.",
        ctx.url.redacted(),
        report.files,
        if report.search_index {
            ", index de recherche remis en place"
        } else {
            ""
        }
    );
    println!(
        "Journal restauré vérifié : {} entrées, tête {} (celle du manifeste).",
        report.journal_entries, report.journal_head
    );
    Ok(())
}
