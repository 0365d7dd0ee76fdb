//! `acta search` and `acta reindex`, and the index kept in step after each command.

use crate::args::SearchArgs;
use crate::print::{self, print_json};
use acta_app::search::IndexSync;
use acta_app::{Acta, AppError, DatabaseUrl};
use acta_domain::Amount;
use acta_domain::french::{format_date_long, parse_date};
use acta_search::{Audience, FacetCount};
use std::path::{Path, PathBuf};

/// Where the index lives: given, or next to the SQLite file, or `acta-index` for
/// PostgreSQL.
pub fn index_dir(given: Option<&Path>, url: &DatabaseUrl) -> PathBuf {
    match (given, url.sqlite_path()) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(path)) => PathBuf::from(format!("{path}.index")),
        (None, None) => PathBuf::from("acta-index"),
    }
}

/// After a command that may have written: an existing index follows the register. The
/// command itself has succeeded; a failure here is only reported.
pub async fn follow_writes(acta: &Acta, dir: &Path) {
    if !dir.exists() {
        return;
    }
    if let Err(e) = acta.sync_search_index(dir, &|_, _| {}).await {
        eprintln!(
            "Attention : l'index de recherche n'a pas suivi : {e} (acta reindex le reconstruit)."
        );
    }
}

fn sync_line(sync: &IndexSync) -> Option<String> {
    match sync.action {
        "à jour" => None,
        action => Some(format!(
            "Index de recherche {action} ({} actes).",
            sync.acts
        )),
    }
}

pub async fn reindex(acta: &Acta, dir: &Path, json: bool) -> Result<(), AppError> {
    let bar = print::progress(0, "Indexation");
    let sync = acta
        .rebuild_search_index(dir, &|n, total| {
            bar.set_length(total as u64);
            bar.set_position(n as u64);
        })
        .await;
    bar.finish_and_clear();
    let sync = sync?;
    if json {
        return print_json(&sync);
    }
    println!(
        "Index de recherche reconstruit dans {} : {} actes.",
        dir.display(),
        sync.acts
    );
    Ok(())
}

/// The excerpt for a terminal: tags to «…», entities decoded.
fn terminal_excerpt(html: &str) -> String {
    html.replace("<b>", "«")
        .replace("</b>", "»")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn facet_line(label: &str, list: &[FacetCount]) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let items: Vec<String> = list
        .iter()
        .take(8)
        .map(|f| format!("{} ({})", f.value, f.count))
        .collect();
    Some(format!("  {label} : {}", items.join(", ")))
}

pub async fn search(acta: &Acta, dir: &Path, args: SearchArgs) -> Result<(), AppError> {
    let query = args.input.parse()?;
    let audience = if args.input.drafts {
        Audience::Staff
    } else {
        Audience::Public
    };
    let (results, sync) = acta.search(dir, &query, audience).await?;
    if args.json {
        return print_json(&serde_json::json!({ "index": sync, "results": results }));
    }
    if let Some(line) = sync_line(&sync) {
        eprintln!("{line}");
    }
    let wanted = if args.input.text.trim().is_empty() {
        String::new()
    } else {
        format!(" pour « {} »", args.input.text.trim())
    };
    match results.total {
        0 => println!("Aucun acte trouvé{wanted}."),
        1 => println!("1 acte trouvé{wanted}."),
        n => println!("{n} actes trouvés{wanted}."),
    }
    for (i, hit) in results.hits.iter().enumerate() {
        let mut head = format!("{}. {}", i + 1, hit.kind.label());
        match (&hit.number, hit.kind) {
            (Some(n), acta_search::ActKind::Deliberation) => head.push_str(&format!(" N°{n}")),
            (Some(n), _) => head.push_str(&format!(" (délibération N°{n})")),
            (None, _) => {}
        }
        if !hit.body.is_empty() {
            head.push_str(&format!(" — {}", hit.body));
        }
        if let Ok(date) = parse_date("date", &hit.date) {
            head.push_str(&format!(", {}", format_date_long(date)));
        }
        if let Some(a) = hit.amount_centimes {
            head.push_str(&format!(
                " — {}",
                Amount::from_centimes(a).format_euros_fr()
            ));
        }
        println!("\n{head}\n   {}", hit.title);
        let excerpt = terminal_excerpt(&hit.excerpt_html);
        if !excerpt.is_empty() {
            println!("   … {excerpt} …");
        }
    }
    let facets = [
        facet_line("Années", &results.facets.years),
        facet_line("Instances", &results.facets.bodies),
        facet_line("Matières", &results.facets.matters),
        facet_line("Bénéficiaires", &results.facets.beneficiaries),
        facet_line("Types", &results.facets.kinds),
    ];
    if results.total > 0 {
        println!("\nAffiner :");
        for line in facets.into_iter().flatten() {
            println!("{line}");
        }
    }
    Ok(())
}
