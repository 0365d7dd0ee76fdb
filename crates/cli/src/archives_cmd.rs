//! `acta import archives`, `acta show archive`, `acta export archives`: archived
//! deliberations read from PDF or text files.

use crate::print;
use crate::print::print_json;
use acta_app::archives::{ArchiveFormat, ArchiveImport, ArchiveView};
use acta_app::{Acta, Actor, AppError};
use acta_import::{Confidence, Extracted, Moment, Outcome, Person, Position};
use std::path::PathBuf;

pub async fn import(
    acta: &Acta,
    actor: &Actor,
    paths: &[PathBuf],
    details: bool,
    json: bool,
) -> Result<(), AppError> {
    let bar = print::progress(0, "Import des archives");
    let report = acta
        .import_archives(actor, paths, &|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await?;
    bar.finish_and_clear();
    if json {
        return print_json(&report);
    }
    summary(&report, details);
    Ok(())
}

fn summary(report: &ArchiveImport, details: bool) {
    println!(
        "{} fichier(s) lu(s) : {} importé(s), {} déjà importé(s), {} illisible(s), {} ignoré(s) ; {} délibération(s) trouvée(s), {} champ(s) renseigné(s), {} avertissement(s).",
        report.files_read,
        report.files_imported,
        report.files_already_imported,
        report.files_unreadable,
        report.files_skipped,
        report.deliberations,
        report.fields,
        report.warnings
    );
    for file in &report.files {
        let noteworthy = file.status != "importé" || !file.warnings.is_empty();
        if !details && !noteworthy {
            continue;
        }
        println!(
            "  {} : {}, {} délibération(s), {} champ(s)",
            file.file, file.status, file.deliberations, file.fields
        );
        for warning in &file.warnings {
            println!("    ⚠ {warning}");
        }
    }
}

pub fn show(archives: &[ArchiveView], json: bool) -> Result<(), AppError> {
    if json {
        return print_json(&archives);
    }
    for (i, a) in archives.iter().enumerate() {
        if i > 0 {
            println!();
        }
        show_one(a);
    }
    Ok(())
}

fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "",
        Confidence::Medium => " (confiance moyenne)",
        Confidence::Low => " (confiance basse)",
    }
}

fn line<T>(label: &str, value: &Option<Extracted<T>>, show: impl Fn(&T) -> String) {
    if let Some(v) = value {
        println!(
            "{label} : {}{}  [l. {}]",
            show(&v.value),
            confidence(v.confidence),
            v.line
        );
    }
}

fn person(p: &Person) -> String {
    match p.civility {
        Some(acta_import::Civility::Monsieur) => format!("M. {}", p.name),
        Some(acta_import::Civility::Madame) => format!("Mme {}", p.name),
        None => p.name.clone(),
    }
}

fn people(label: &str, list: &[Extracted<Person>]) {
    if !list.is_empty() {
        let names: Vec<String> = list.iter().map(|p| person(&p.value)).collect();
        println!("{label} ({}) : {}", list.len(), names.join(", "));
    }
}

fn moment(m: &Option<Moment>) -> String {
    match m {
        Some(Moment::Item(n)) => format!("point n°{n}"),
        Some(Moment::Time(t)) => format!("{} h {:02}", t.hour(), t.minute()),
        None => String::new(),
    }
}

fn show_one(a: &ArchiveView) {
    let r = &a.record;
    let number = r
        .number
        .as_ref()
        .map_or("sans numéro", |n| n.value.as_str());
    println!("Délibération archivée N°{number} (acte archivé #{})", a.id);
    println!(
        "Source : {} (délibération {} du fichier, lignes {} à {}), SHA-256 {}",
        a.source_file,
        a.position + 1,
        r.first_line,
        r.last_line,
        a.source_sha256
    );
    line("Collectivité", &r.collectivity, String::clone);
    line("Instance", &r.body, String::clone);
    line("Séance", &r.sitting_date, |d| {
        acta_domain::french::format_date_long(*d)
    });
    line("Heure", &r.sitting_time, |t| {
        format!("{} h {:02}", t.hour(), t.minute())
    });
    line("Présidence", &r.president, person);
    line("Secrétaire", &r.secretary, person);
    people("Présents", &r.present);
    people("Excusés", &r.excused);
    people("Absents", &r.absent);
    for p in &r.represented {
        println!(
            "Pouvoir : {} à {}",
            person(&p.value.giver),
            person(&p.value.holder)
        );
    }
    for p in &r.partial {
        let from = moment(&p.value.from);
        let until = moment(&p.value.until);
        let mut when = Vec::new();
        if !from.is_empty() {
            when.push(format!("à partir du {from}"));
        }
        if !until.is_empty() {
            when.push(format!("jusqu'à {until}"));
        }
        println!(
            "Présence partielle : {} ({})",
            person(&p.value.member),
            when.join(", ")
        );
    }
    people("Sans voix délibérative, présents", &r.present_without_vote);
    people("Sans voix délibérative, excusés", &r.excused_without_vote);
    line("Rapport", &r.report_number, |n| format!("N°{n}"));
    line("Objet", &r.title, String::clone);
    for v in &r.visas {
        println!("  {}", v.value);
    }
    for c in &r.considerants {
        println!("  {}", c.value);
    }
    for article in &r.articles {
        println!("Article {} : {}", article.value.number, article.value.text);
    }
    for b in &r.beneficiaries {
        let m = &b.value.amount;
        let amount = match &m.currency {
            acta_import::Currency::Euro => m.amount.format_euros_fr(),
            acta_import::Currency::Franc => {
                format!("{} F (francs, non converti)", m.amount.format_fr())
            }
            acta_import::Currency::Other(code) => {
                format!("{} {code} (non converti)", m.amount.format_fr())
            }
        };
        println!("Bénéficiaire : {} — {amount}", b.value.beneficiary);
    }
    for i in &r.imputations {
        let i = &i.value;
        let parts: Vec<String> = [
            i.operation.as_ref().map(|o| format!("opération {o}")),
            i.chapter.as_ref().map(|c| format!("chapitre {c}")),
            i.nature.as_ref().map(|n| format!("nature {n}")),
            i.function.as_ref().map(|f| format!("fonction {f}")),
            i.label.clone(),
            i.amount.as_ref().map(|a| a.amount.format_euros_fr()),
        ]
        .into_iter()
        .flatten()
        .collect();
        println!("Imputation : {}", parts.join(", "));
    }
    if let Some(vote) = &r.vote {
        let v = &vote.value;
        let mut parts = Vec::new();
        for s in &v.stances {
            let label = match s.position {
                Position::For => "pour",
                Position::Against => "contre",
                Position::Abstention => "abstention(s)",
                Position::NotVoting => "ne prend pas part au vote",
            };
            let mut part = match s.count {
                Some(n) => format!("{label} {n}"),
                None => label.to_string(),
            };
            let named: Vec<String> = s
                .groups
                .iter()
                .cloned()
                .chain(s.members.iter().map(person))
                .collect();
            if !named.is_empty() {
                part.push_str(&format!(" ({})", named.join(" ; ")));
            }
            parts.push(part);
        }
        if v.unanimous {
            parts.push("à l'unanimité".to_string());
        }
        let outcome = match v.outcome {
            Some(Outcome::Adopted) => "adoptée",
            Some(Outcome::Rejected) => "rejetée",
            Some(Outcome::Noted) => "l'assemblée prend acte",
            None => "résultat non indiqué",
        };
        println!(
            "Vote : {} — {outcome}{}",
            parts.join(", "),
            confidence(vote.confidence)
        );
    }
    for s in &r.signatories {
        println!("Signataire : {}, {}", s.value.role, s.value.name);
    }
    line("Lieu", &r.place, String::clone);
    line("Date de signature", &r.signed_on, |d| {
        acta_domain::french::format_date_long(*d)
    });
    for w in &r.warnings {
        println!("⚠ {w}");
    }
}

pub async fn export(acta: &Acta, out: &Option<PathBuf>, format: &str) -> Result<u64, AppError> {
    let format = match format.trim().to_lowercase().as_str() {
        "csv" => ArchiveFormat::Csv,
        "jsonl" | "json" => ArchiveFormat::JsonLines,
        other => {
            return Err(AppError::File(format!(
                "Format « {other} » inconnu : csv ou jsonl."
            )));
        }
    };
    let target = crate::print::Output::open(out)?;
    let n = acta.export_archives(target.writer()?, format).await?;
    target.finish()?;
    Ok(n)
}
