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
    let mut file = ImportedFile {
        deliberations: assemble(parts),
        warnings: Vec::new(),
    };
    if file.deliberations.is_empty() {
        file.warnings
            .push("Aucune délibération reconnue dans ce fichier.".to_string());
    }
    file
}

/// Keeps the parts that are deliberations, gives each the sitting's heading when it does not
/// repeat it, and the number of the President's report found elsewhere in the file under
/// the same title.
fn assemble(parts: Vec<ImportedDeliberation>) -> Vec<ImportedDeliberation> {
    let mut context = ImportedDeliberation::default();
    let mut kept: Vec<ImportedDeliberation> = Vec::new();
    let mut reports: Vec<(String, Extracted<String>)> = Vec::new();
    for mut part in parts {
        let is_deliberation = part.number.is_some()
            || (part.vote.is_some() && (!part.articles.is_empty() || !part.visas.is_empty()));
        if !is_deliberation {
            if let (Some(report), Some(title)) = (&part.report_number, &part.title) {
                reports.push((lex::fold(&title.value), report.clone()));
            }
            update_context(&mut context, &part);
            continue;
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
    kept
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
