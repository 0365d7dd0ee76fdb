//! `acta render`: official documents to files.

use crate::args::{RenderCommand, RenderOptions};
use crate::print;
use acta_app::documents::render_all;
use acta_app::{Acta, AppError};
use acta_docs::{DocumentsConfig, Format, Renderer};

fn formats(options: &RenderOptions) -> Result<Vec<Format>, AppError> {
    options
        .format
        .split(',')
        .map(|f| {
            Format::parse(f).ok_or_else(|| {
                AppError::File(format!("Format : « {} » n'est ni pdf ni html.", f.trim()))
            })
        })
        .collect()
}

/// The configuration given with --config, else the collectivity's own (or the embedded one).
async fn renderer(acta: &Acta, options: &RenderOptions) -> Result<Renderer, AppError> {
    let (config, logo) = match &options.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                let e = acta_domain::french::io_reason(&e);
                AppError::File(format!(
                    "Configuration « {} » illisible : {e}",
                    path.display()
                ))
            })?;
            let config = DocumentsConfig::from_toml(&text, &path.display().to_string())?;
            return Ok(Renderer::new(config, options.templates.as_deref())?);
        }
        None => {
            let setup = acta.documents_setup().await?;
            (setup.config, setup.logo)
        }
    };
    Ok(Renderer::with_logo(
        config,
        options.templates.as_deref(),
        logo,
    )?)
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| {
        let e = acta_domain::french::io_reason(&e);
        AppError::File(format!(
            "Écriture de « {} » impossible : {e}",
            path.display()
        ))
    })
}

pub async fn render(acta: &Acta, cmd: RenderCommand) -> Result<(), AppError> {
    let (options, single) = match &cmd {
        RenderCommand::Deliberation { options, .. }
        | RenderCommand::Report { options, .. }
        | RenderCommand::Convention { options, .. } => (options, true),
        RenderCommand::Sitting { options, .. } => (options, false),
    };
    let renderer = renderer(acta, options).await?;
    let formats = formats(options)?;
    let config = renderer.config().clone();
    let docs = match &cmd {
        RenderCommand::Deliberation { number, .. } => {
            vec![acta.deliberation_document(&config, number).await?]
        }
        RenderCommand::Report { number, .. } => vec![acta.report_document(&config, number).await?],
        RenderCommand::Convention { key, .. } => {
            vec![acta.convention_document(&config, key).await?]
        }
        RenderCommand::Sitting { key, .. } => acta.sitting_documents(&config, key).await?,
    };
    if single {
        let [format] = formats.as_slice() else {
            return Err(AppError::File(
                "Format : un seul format pour un document (pdf ou html).".into(),
            ));
        };
        let files = render_all(&renderer, &docs, &[*format], &|_| {})?;
        for (_, bytes) in files {
            write(&options.out, &bytes)?;
        }
        println!("Document écrit : {}", options.out.display());
        return Ok(());
    }
    std::fs::create_dir_all(&options.out).map_err(|e| {
        let e = acta_domain::french::io_reason(&e);
        AppError::File(format!(
            "Dossier « {} » impossible à créer : {e}",
            options.out.display()
        ))
    })?;
    let total = docs.len() * formats.len();
    let bar = print::progress(i64::try_from(total).unwrap_or(0), "Édition des documents");
    let started = std::time::Instant::now();
    let files = render_all(&renderer, &docs, &formats, &|n| bar.set_position(n as u64))?;
    bar.finish_and_clear();
    for (name, bytes) in &files {
        write(&options.out.join(name), bytes)?;
    }
    println!(
        "{} documents écrits dans {} en {:.1} s.",
        files.len(),
        options.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
