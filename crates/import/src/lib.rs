//! acta's importer: the text of archived deliberations (as `pdftotext` extracts it from a PDF,
//! or a text file) into structured records. Pure: no IO. The file is decoded, cleaned,
//! cut into deliberations, and each field is read with a confidence and its source line;
//! a field the text does not state clearly stays empty.

pub mod clean;
pub mod dates;
pub mod decode;
pub mod evaluate;
pub mod extract;
pub mod lex;
pub mod lines;
pub mod money;
pub mod people;
pub mod record;
pub mod vote;

pub use record::*;

use std::collections::BTreeSet;

/// Reads a file's bytes: decodes them (repairing mis-decoded characters), then parses.
pub fn parse_bytes(bytes: &[u8]) -> ImportedFile {
    let decoded = decode::decode(bytes);
    let repaired: BTreeSet<usize> = decoded.repaired_lines.iter().copied().collect();
    let mut file = parse_with(&decoded.text, &repaired);
    if let Some(mixed) = decoded.mixed_warning {
        file.warnings.push(mixed);
    } else if !decoded.windows_1252_lines.is_empty() {
        file.warnings
            .push("Le texte n'était pas en UTF-8 : il a été lu en Windows-1252.".to_string());
    }
    if !repaired.is_empty() {
        file.warnings.push(format!(
            "{} ligne(s) aux caractères mal décodés (UTF-8 lu en Windows-1252) réparée(s) ; les champs qui en viennent sont de confiance basse.",
            repaired.len()
        ));
    }
    file
}

/// Parses text already decoded.
pub fn parse_text(text: &str) -> ImportedFile {
    parse_with(text, &BTreeSet::new())
}

fn parse_with(text: &str, repaired: &BTreeSet<usize>) -> ImportedFile {
    let lines = clean::clean(text);
    let text = extract::Text::new(&lines, repaired);
    let parts: Vec<ImportedDeliberation> = extract::segments(&text)
        .into_iter()
        .map(|range| extract::read_part(&text, range))
        .collect();
    let (deliberations, set_aside) = assemble(parts);
    let mut file = ImportedFile {
        deliberations,
        set_aside,
        warnings: Vec::new(),
    };
    for part in &file.set_aside {
        file.warnings.push(format!(
            "Lignes {} à {} mises de côté : {}.",
            part.first_line, part.last_line, part.reason
        ));
    }
    if file.deliberations.is_empty() {
        file.warnings
            .push("Aucune délibération reconnue dans ce fichier.".to_string());
    }
    file
}

/// What a part of a file is, once read.
#[derive(Debug, PartialEq, Eq)]
enum PartKind {
    /// Numbered, or voted with articles or visas.
    Deliberation,
    /// The marks of a deliberation (two of: an object, visas, considérants, a decision)
    /// without all of it: kept, with what is missing named.
    Partial(Vec<&'static str>),
    /// Clearly another document (an annexed convention, a report, a table of contents):
    /// why, in French.
    SetAside(&'static str),
    /// The sitting's heading and attendance: carried to the deliberations after it.
    Heading,
}

fn kind_of(part: &ImportedDeliberation) -> PartKind {
    if part.number.is_some() || (part.vote.is_some() && has_text(part)) {
        return PartKind::Deliberation;
    }
    if let Some(reason) = part.title.as_ref().and_then(|t| other_document(&t.value)) {
        return PartKind::SetAside(reason);
    }
    let decided = part.vote.is_some() || !part.articles.is_empty();
    let marks = [
        part.title.is_some(),
        !part.visas.is_empty(),
        !part.considerants.is_empty(),
        decided,
    ];
    // A vote that says how it went is a decision taken, even without its text.
    let voted = part.vote.as_ref().is_some_and(|v| {
        v.value.outcome.is_some() || v.value.unanimous || !v.value.stances.is_empty()
    });
    if marks.iter().filter(|m| **m).count() < 2 && !voted {
        return PartKind::Heading;
    }
    let mut missing = vec!["numéro"];
    if !decided {
        missing.push("décision (articles ou vote)");
    }
    if part.title.is_none() {
        missing.push("objet");
    }
    PartKind::Partial(missing)
}

/// Articles or visas: what a vote decides on.
fn has_text(part: &ImportedDeliberation) -> bool {
    !part.articles.is_empty() || !part.visas.is_empty()
}

/// A title that names another kind of document than a deliberation.
fn other_document(title: &str) -> Option<&'static str> {
    let folded = lex::fold(title);
    let kinds = [
        ("convention", "une convention (annexe d'une délibération)"),
        ("avenant", "un avenant (annexe d'une délibération)"),
        ("annexe", "une annexe"),
        ("rapport", "un rapport, pas une délibération"),
        ("sommaire", "un sommaire"),
        ("table des matieres", "une table des matières"),
        ("ordre du jour", "un ordre du jour"),
    ];
    kinds
        .iter()
        .find(|(start, _)| folded.starts_with(start))
        .map(|(_, reason)| *reason)
}

/// Keeps the parts that are deliberations, whole or partial (never dropping what was read),
/// gives each the sitting's heading when it does not repeat it, and the number of the
/// President's report found elsewhere in the file under the same title; sets aside, with
/// why, the parts that are other documents.
fn assemble(parts: Vec<ImportedDeliberation>) -> (Vec<ImportedDeliberation>, Vec<SetAside>) {
    let mut context = ImportedDeliberation::default();
    let mut kept: Vec<ImportedDeliberation> = Vec::new();
    let mut set_aside = Vec::new();
    let mut reports: Vec<(String, Extracted<String>)> = Vec::new();
    for mut part in parts {
        let kind = kind_of(&part);
        if matches!(kind, PartKind::Heading | PartKind::SetAside(_))
            && let (Some(report), Some(title)) = (&part.report_number, &part.title)
        {
            reports.push((lex::fold(&title.value), report.clone()));
        }
        match kind {
            PartKind::Deliberation => {}
            PartKind::Partial(missing) => part.warnings.push(format!(
                "Délibération incomplète : {} absent(s) du texte ; ce qui a été lu est gardé.",
                missing.join(", ")
            )),
            PartKind::SetAside(reason) => {
                set_aside.push(SetAside {
                    first_line: part.first_line,
                    last_line: part.last_line,
                    reason: reason.to_string(),
                });
                continue;
            }
            PartKind::Heading => {
                update_context(&mut context, &part);
                continue;
            }
        }
        inherit(&mut part, &context);
        update_context(&mut context, &part);
        kept.push(part);
    }
    for deliberation in &mut kept {
        if deliberation.report_number.is_some() {
            continue;
        }
        let Some(title) = &deliberation.title else {
            continue;
        };
        let folded = lex::fold(&title.value);
        if let Some((_, report)) = reports.iter().find(|(t, _)| *t == folded) {
            deliberation.report_number = Some(report.clone());
        }
    }
    (kept, set_aside)
}

fn update_context(context: &mut ImportedDeliberation, part: &ImportedDeliberation) {
    carry_heading(context, part, true, false);
}

/// Carried-over values keep their source line and drop to medium confidence.
fn inherit(part: &mut ImportedDeliberation, context: &ImportedDeliberation) {
    carry_heading(part, context, false, true);
}

/// Copies the sitting's heading (collectivity, body, date, time, president, secretary) and
/// its attendance lists, as one, from `from` into `to`: what `from` states and, unless
/// `replace`, `to` does not. With `lower`, a copied value drops to medium confidence.
fn carry_heading(
    to: &mut ImportedDeliberation,
    from: &ImportedDeliberation,
    replace: bool,
    lower: bool,
) {
    fn value<T: Clone>(v: &Extracted<T>, lower: bool) -> Extracted<T> {
        let confidence = if lower {
            v.confidence.min(Confidence::Medium)
        } else {
            v.confidence
        };
        Extracted::new(v.value.clone(), confidence, v.line)
    }
    fn one<T: Clone>(
        to: &mut Option<Extracted<T>>,
        from: &Option<Extracted<T>>,
        replace: bool,
        lower: bool,
    ) {
        if let Some(v) = from
            && (replace || to.is_none())
        {
            *to = Some(value(v, lower));
        }
    }
    fn all<T: Clone>(to: &mut Vec<Extracted<T>>, from: &[Extracted<T>], lower: bool) {
        *to = from.iter().map(|v| value(v, lower)).collect();
    }
    one(&mut to.collectivity, &from.collectivity, replace, lower);
    one(&mut to.body, &from.body, replace, lower);
    one(&mut to.sitting_date, &from.sitting_date, replace, lower);
    one(&mut to.sitting_time, &from.sitting_time, replace, lower);
    one(&mut to.president, &from.president, replace, lower);
    one(&mut to.secretary, &from.secretary, replace, lower);
    if !from.counts.is_empty() && (replace || to.counts.is_empty()) {
        all(&mut to.counts, &from.counts, lower);
    }
    if !from.present.is_empty() && (replace || to.present.is_empty()) {
        all(&mut to.present, &from.present, lower);
        all(&mut to.excused, &from.excused, lower);
        all(&mut to.absent, &from.absent, lower);
        all(&mut to.represented, &from.represented, lower);
        all(&mut to.partial, &from.partial, lower);
        all(
            &mut to.present_without_vote,
            &from.present_without_vote,
            lower,
        );
        all(
            &mut to.excused_without_vote,
            &from.excused_without_vote,
            lower,
        );
    }
}
