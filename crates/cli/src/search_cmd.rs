//! `acta search` and `acta reindex`, and the index kept in step after each command.

use crate::args::SearchArgs;
use crate::print::{self, print_json};
use acta_app::search::{IndexSync, count_phrase, facet_count, facets_note};
use acta_app::{Acta, AppError, DatabaseUrl};
use acta_domain::Amount;
use acta_domain::french::{format_date_long, parse_date};
use acta_search::{Audience, FacetCount, SearchResults};
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

fn facet_line(results: &SearchResults, label: &str, list: &[FacetCount]) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let items: Vec<String> = list
        .iter()
        .take(8)
        .map(|f| format!("{} ({})", f.value, facet_count(results, f.count)))
        .collect();
    Some(format!("  {label} : {}", items.join(", ")))
}

pub async fn search(acta: &Acta, dir: &Path, args: SearchArgs, json: bool) -> Result<(), AppError> {
    let query = args.input.parse()?;
    let audience = if args.input.drafts {
        Audience::Staff
    } else {
        Audience::Public
    };
    let (results, sync) = acta.search(dir, &query, audience).await?;
    if json {
        return print_json(&serde_json::json!({ "index": sync, "results": results }));
    }
    if let Some(line) = sync_line(&sync) {
        eprintln!("{line}");
    }
    print!("{}", results_text(&results, args.input.text.trim()));
    Ok(())
}

/// The results as the terminal shows them: the count, each hit, then the facets to refine
/// with (counts marked "environ" when approximate).
fn results_text(results: &SearchResults, text: &str) -> String {
    let wanted = if text.is_empty() {
        String::new()
    } else {
        format!(" pour « {text} »")
    };
    let mut out = String::new();
    match results.total {
        0 => out.push_str(&format!("Aucun acte trouvé{wanted}.\n")),
        _ => out.push_str(&format!(
            "{}{wanted}.\n",
            count_phrase(results, "acte trouvé", "actes trouvés")
        )),
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
        out.push_str(&format!("\n{head}\n   {}\n", hit.title));
        let excerpt = terminal_excerpt(&hit.excerpt_html);
        if !excerpt.is_empty() {
            out.push_str(&format!("   … {excerpt} …\n"));
        }
    }
    let facets = [
        facet_line(results, "Années", &results.facets.years),
        facet_line(results, "Instances", &results.facets.bodies),
        facet_line(results, "Matières", &results.facets.matters),
        facet_line(results, "Bénéficiaires", &results.facets.beneficiaries),
        facet_line(results, "Types", &results.facets.kinds),
    ];
    if results.total > 0 {
        out.push_str("\nAffiner :\n");
        if let Some(note) = facets_note(results) {
            out.push_str(&format!("  {note}\n"));
        }
        for line in facets.into_iter().flatten() {
            out.push_str(&format!("{line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(total: usize, exact: bool) -> SearchResults {
        SearchResults {
            total,
            total_exact: exact,
            hits: Vec::new(),
            facets: acta_search::Facets {
                years: vec![FacetCount {
                    value: "2023".into(),
                    count: 9_000,
                }],
                ..Default::default()
            },
            facets_exact: exact,
            matched_by: "texte",
        }
    }

    #[test]
    fn counts_beyond_the_bound_are_labelled_approximate_in_the_terminal() {
        let text = results_text(&results(acta_search::COUNT_BOUND, false), "collèges");
        assert!(
            text.starts_with("Plus de 10\u{202f}000 actes trouvés pour « collèges »."),
            "{text}"
        );
        assert!(
            text.contains("Décomptes approximatifs, établis sur les 10\u{202f}000 premiers"),
            "{text}"
        );
        assert!(
            text.contains("Années : 2023 (environ 9\u{202f}000)"),
            "{text}"
        );

        let exact = results_text(&results(9_500, true), "");
        assert!(exact.starts_with("9\u{202f}500 actes trouvés."), "{exact}");
        assert!(exact.contains("Années : 2023 (9\u{202f}000)"), "{exact}");
        assert!(!exact.contains("environ") && !exact.contains("approximatifs"));
        assert!(results_text(&results(1, true), "").starts_with("1 acte trouvé."));
    }
}
