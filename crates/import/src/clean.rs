//! From extracted text to clean lines: pages split on form feeds, two-column pages read one
//! column after the other, page marks, @ctes stamps, repeated page headers and web-page
//! chrome dropped, words hyphenated at a line end rejoined, spaces collapsed. Each line
//! keeps the number it had in the source, so that every field can say where it came from.

use crate::lex::fold_keep_length;
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Spaces collapsed, trimmed; empty for a blank line.
    pub text: String,
    /// The text folded one character for one (`lex::fold_keep_length`): what the tests read.
    pub folded: String,
    /// 1-based line number in the source text.
    pub source: usize,
}

/// Cleans the whole text. Blank lines are kept: they separate paragraphs.
pub fn clean(text: &str) -> Vec<Line> {
    let mut pages: Vec<Vec<(Cow<'_, str>, usize)>> = vec![Vec::new()];
    for (index, raw) in text.split('\n').enumerate() {
        let mut parts = raw.split('\u{c}');
        if let Some(first) = parts.next()
            && let Some(page) = pages.last_mut()
        {
            if first.len() < RUN_ON {
                page.push((raw_spaces(first), index + 1));
            } else {
                page.extend(split_run_on((raw_spaces(first), index + 1)));
            }
        }
        for part in parts {
            pages.push(vec![(raw_spaces(part), index + 1)]);
        }
    }
    let mut boilerplate = repeated_page_edges(&pages);
    let mut lines = Vec::with_capacity(text.len() / 40);
    for page in &pages {
        for (text, source) in read_columns(page)
            .into_iter()
            .flat_map(split_headings)
            .flatten()
        {
            let collapsed = collapse(&text);
            // A running header is read once, where it first appears: it may name the body.
            let found = if boilerplate.is_empty() {
                None
            } else {
                boilerplate.get_mut(&collapsed)
            };
            let repeated = match found {
                Some(seen) if *seen == usize::MAX => true,
                Some(seen) => {
                    *seen = usize::MAX;
                    false
                }
                None => false,
            };
            let folded = fold_keep_length(&collapsed);
            let line = if repeated || is_noise(&folded) {
                Line {
                    text: String::new(),
                    folded: String::new(),
                    source,
                }
            } else {
                let length = collapsed.len();
                let joined = join_spaced_letters(collapsed);
                let folded = if joined.len() == length {
                    folded
                } else {
                    fold_keep_length(&joined)
                };
                Line {
                    text: joined,
                    folded,
                    source,
                }
            };
            lines.push(line);
        }
    }
    rejoin_hyphenated(&mut lines);
    lines
}

/// Tabs, no-break spaces and control characters become plain spaces; positions are kept
/// for the column detection.
fn raw_spaces(line: &str) -> Cow<'_, str> {
    if line.bytes().all(|b| (b' '..0x7f).contains(&b)) {
        return Cow::Borrowed(line.trim_end());
    }
    let replaced: String = line
        .chars()
        .map(|c| match c {
            '\t' | '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' | '\r' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    Cow::Owned(replaced.trim_end().to_string())
}

/// Whether the text has `n` spaces in a row: a byte loop, as spaces are too frequent for a
/// search that jumps from one to the next.
fn space_run(text: &str, n: usize) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        if b == b' ' {
            run += 1;
            if run >= n {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

fn collapse(line: &str) -> String {
    let trimmed = line.trim_matches(' ');
    if !space_run(trimmed, 2) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(line.len());
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Lines repeated at the top or bottom of at least two pages (a running header, a footer):
/// they interrupt the text and belong to no deliberation.
fn repeated_page_edges(pages: &[Vec<(Cow<'_, str>, usize)>]) -> HashMap<String, usize> {
    if pages.len() < 3 {
        return HashMap::new();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let filled = |(text, _): &&(Cow<'_, str>, usize)| !text.trim().is_empty();
        let first = page.iter().filter(|l| filled(l)).take(2);
        let last = page.iter().rev().filter(|l| filled(l)).take(2);
        let mut seen: Vec<String> = Vec::new();
        for (text, _) in first.chain(last) {
            let line = collapse(text);
            if !seen.contains(&line) {
                seen.push(line);
            }
        }
        for line in seen {
            *counts.entry(line).or_default() += 1;
        }
    }
    let threshold = (pages.len() / 2).max(2);
    counts.retain(|line, count| *count >= threshold && line.chars().count() < 120);
    counts
}

/// Page numbers, the prefecture's stamp, and the menus of a web page saved as text.
fn is_noise(folded: &str) -> bool {
    if folded.is_empty() {
        return false;
    }
    is_page_mark(folded)
        || ACTES_STAMPS.iter().any(|p| folded.starts_with(p))
        || (folded.chars().count() <= 40 && WEB_CHROME.contains(&folded))
        || (folded.starts_with("accueil >") || folded.starts_with("vous etes ici"))
        || (crate::lex::has(folded, "cookies") && crate::lex::has(folded, "site"))
        || folded.starts_with("©")
        || crate::lex::has(folded, "tous droits reserves")
}

const ACTES_STAMPS: [&str; 6] = [
    "envoye en prefecture le",
    "recu en prefecture le",
    "publie le ",
    "affiche le ",
    "id : ",
    "accuse de reception en prefecture",
];

const WEB_CHROME: [&str; 27] = [
    "accueil",
    "menu",
    "fermer",
    "rechercher",
    "recherche",
    "se connecter",
    "connexion",
    "mon compte",
    "partager",
    "imprimer",
    "retour",
    "retour en haut",
    "haut de page",
    "aller au contenu",
    "aller au menu",
    "mentions legales",
    "plan du site",
    "accessibilite",
    "accessibilite : non conforme",
    "nous contacter",
    "contact",
    "suivez-nous",
    "newsletter",
    "facebook",
    "twitter",
    "linkedin",
    "telecharger le pdf",
];

/// "1 / 2", "Page 3", "Page 3 sur 12", "Page 3/12", "- 4 -".
fn is_page_mark(folded: &str) -> bool {
    let rest = folded.strip_prefix("page").unwrap_or(folded).trim();
    let rest = rest.trim_matches(|c: char| c == '-' || c == ' ');
    if rest.is_empty() {
        return false;
    }
    let mut parts = rest
        .splitn(2, [' ', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let Some(first) = parts.next() else {
        return false;
    };
    let numeric = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if !numeric(first) {
        return false;
    }
    match parts.next() {
        None => folded.starts_with("page") || folded.starts_with('-'),
        Some(tail) => {
            let tail = tail
                .trim_start_matches("sur")
                .trim_start_matches('/')
                .trim();
            numeric(tail)
        }
    }
}

/// "D E C I D E" as OCR or letter-spaced titles give it becomes "DECIDE".
fn join_spaced_letters(line: String) -> String {
    let b = line.as_bytes();
    if b.len() < 7 || b[1] != b' ' || b[3] != b' ' {
        return line;
    }
    let words: Vec<&str> = line.split(' ').collect();
    if words.len() >= 4 && words.iter().all(|w| w.chars().count() == 1) {
        return words.concat();
    }
    line
}

/// Words cut at a line end ("collec-" / "tivités") are rejoined; hyphens of compound words
/// ("Hauts-" / "de-France", "Pas-de-" / "Calais") stay.
fn rejoin_hyphenated(lines: &mut [Line]) {
    for i in 0..lines.len().saturating_sub(1) {
        let Some(stem) = cut_word(&lines[i].text) else {
            continue;
        };
        let next = &lines[i + 1].text;
        let Some(first) = next.split(' ').next() else {
            continue;
        };
        let starts_lower = first.chars().next().is_some_and(char::is_lowercase);
        let stem_lower = stem.chars().next().is_some_and(char::is_lowercase);
        let particle = COMPOUND_PARTS.contains(&first.trim_end_matches([',', '.', ';']));
        if !starts_lower || !stem_lower || particle {
            continue;
        }
        let first = first.to_string();
        let rest = next[first.len()..].trim_start().to_string();
        let joined = format!("{}{}", lines[i].text.trim_end_matches('-'), first);
        lines[i].folded = fold_keep_length(&joined);
        lines[i].text = joined;
        lines[i + 1].folded = fold_keep_length(&rest);
        lines[i + 1].text = rest;
    }
}

/// The last word of a line ending in a hyphen after a letter: "collec-" gives "collec".
fn cut_word(line: &str) -> Option<&str> {
    let body = line.strip_suffix('-')?;
    let word = body.rsplit(' ').next()?;
    let last = word.chars().last()?;
    (last.is_alphabetic() && !word.contains('-')).then_some(word)
}

const COMPOUND_PARTS: [&str; 16] = [
    "de", "du", "des", "la", "le", "les", "lès", "lez", "sur", "sous", "en", "et", "aux", "au",
    "ci", "là",
];

/// Two columns laid side by side by `pdftotext -layout` are read as the left column, then
/// the right one. A block of consecutive lines is in two columns when, on at least three of
/// its lines, a run of three spaces or more ends at the same position, no line crosses that
/// position with a word, and both sides hold prose rather than a short cell (a table's
/// amounts stay on their row).
fn read_columns<'a>(page: &'a [(Cow<'a, str>, usize)]) -> Vec<(Cow<'a, str>, usize)> {
    let mut out = Vec::with_capacity(page.len());
    let mut start = 0;
    while start < page.len() {
        let blank = |i: usize| page[i].0.trim().is_empty();
        if blank(start) {
            out.push((Cow::Borrowed(page[start].0.as_ref()), page[start].1));
            start += 1;
            continue;
        }
        let mut end = start;
        while end < page.len() && !blank(end) {
            end += 1;
        }
        let block = &page[start..end];
        match gutter(block) {
            Some(column) => {
                let mut right = Vec::new();
                for (text, source) in block {
                    let (l, r) = split_at_char(text, column);
                    out.push((Cow::Borrowed(l), *source));
                    if !r.trim().is_empty() {
                        right.push((Cow::Borrowed(r), *source));
                    }
                }
                // Text flows from the foot of the left column to the head of the right one.
                out.extend(right);
            }
            None => out.extend(block.iter().map(|(t, s)| (Cow::Borrowed(t.as_ref()), *s))),
        }
        start = end;
    }
    out
}

/// A line this long (bytes) may be a page transcribed as one line.
const RUN_ON: usize = 400;

/// Labels that start a line of an act; a transcription that ran the lines together is cut
/// before each.
const LINE_LABELS: [&str; 16] = [
    "Présents :",
    "Présents:",
    "Procurations :",
    "Procuration :",
    "Pouvoirs :",
    "Absents :",
    "Absents excusés :",
    "Excusés :",
    "Secrétaire de séance",
    "Observation sur le PV",
    "Considérant",
    "Vu le ",
    "Vu la ",
    "Vu l'",
    "Après avoir pris connaissance",
    "Après en avoir délibéré",
];

/// A page that came as one long line (a web site's transcription of a PDF) is cut before
/// each label that starts a line ("Présents :", "Considérant", "Vu le…") and before an
/// agenda item's number ("1)Approbation…"), so that each part is read as the line it was.
fn split_run_on((text, source): (Cow<'_, str>, usize)) -> Parts<'_> {
    if text.len() < RUN_ON {
        return Parts::Whole(Some((text, source)));
    }
    let mut cuts: Vec<usize> = LINE_LABELS
        .iter()
        .flat_map(|label| text.match_indices(label).map(|(at, _)| at))
        .filter(|at| *at > 0 && text[..*at].ends_with(' '))
        .collect();
    // " 1)Approbation", " 12) Tarifs": one or two digits and a parenthesis after a space.
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices(')') {
        let digits = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let start = at - digits;
        if (1..=2).contains(&digits) && start > 0 && bytes[start - 1] == b' ' {
            cuts.push(start);
        }
    }
    if cuts.is_empty() {
        return Parts::Whole(Some((text, source)));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for at in cuts.into_iter().chain(std::iter::once(text.len())) {
        let part = text[from..at].trim();
        if !part.is_empty() {
            parts.push((Cow::Owned(part.to_string()), source));
        }
        from = at;
    }
    Parts::Cut(parts.into_iter())
}

/// A line, or the parts a run-on line was cut into: no allocation for the ordinary line.
enum Parts<'a> {
    Whole(Option<(Cow<'a, str>, usize)>),
    Cut(std::vec::IntoIter<(Cow<'a, str>, usize)>),
}

impl<'a> Iterator for Parts<'a> {
    type Item = (Cow<'a, str>, usize);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Parts::Whole(line) => line.take(),
            Parts::Cut(parts) => parts.next(),
        }
    }
}

/// "DÉPARTEMENT DU PAS-DE-CALAIS        RÉPUBLIQUE FRANÇAISE": two headings side by side, in
/// capitals and without figures, separated by a wide gap, are two lines.
fn split_headings<'a>((text, source): (Cow<'a, str>, usize)) -> [Option<(Cow<'a, str>, usize)>; 2] {
    let trimmed = text.trim_start();
    if !space_run(trimmed, 6) {
        return [Some((text, source)), None];
    }
    if let Some(at) = crate::lex::find(trimmed, "      ") {
        let (left, right) = (trimmed[..at].trim(), trimmed[at..].trim());
        let heading = |s: &str| {
            crate::lex::is_upper_case(s) && !s.chars().any(|c| c.is_ascii_digit()) && s.len() > 3
        };
        if heading(left) && heading(right) {
            return [
                Some((Cow::Owned(left.to_string()), source)),
                Some((Cow::Owned(right.to_string()), source)),
            ];
        }
    }
    [Some((text, source)), None]
}

fn split_at_char(text: &str, column: usize) -> (&str, &str) {
    match text.char_indices().nth(column) {
        Some((byte, _)) => text.split_at(byte),
        None => (text, ""),
    }
}

/// The character column where the right column starts, if the block has one.
fn gutter(block: &[(Cow<'_, str>, usize)]) -> Option<usize> {
    let gaps = block
        .iter()
        .filter(|(text, _)| space_run(text.trim_start(), 3))
        .count();
    if block.len() < 3 || gaps < 3 {
        return None;
    }
    let rows: Vec<Vec<char>> = block.iter().map(|(t, _)| t.chars().collect()).collect();
    let mut starts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for row in &rows {
        let first = row.iter().position(|c| *c != ' ').unwrap_or(row.len());
        let mut run = 0;
        for (i, c) in row.iter().enumerate().skip(first) {
            if *c == ' ' {
                run += 1;
            } else {
                if run >= 3 {
                    *starts.entry(i).or_default() += 1;
                }
                run = 0;
            }
        }
    }
    let (column, count) = starts
        .iter()
        .max_by_key(|(column, count)| (**count, usize::MAX - **column))?;
    let (column, count) = (*column, *count);
    if count < 3 || count * 10 < rows.len() * 3 {
        return None;
    }
    let crossing = rows
        .iter()
        .filter(|row| {
            let before = row.get(column.wrapping_sub(1)).is_some_and(|c| *c != ' ');
            let at = row.get(column).is_some_and(|c| *c != ' ');
            before && at
        })
        .count();
    if crossing * 10 > rows.len() {
        return None;
    }
    let sides: Vec<(usize, usize)> = rows
        .iter()
        .filter(|row| row.len() > column && row.get(column).is_some_and(|c| *c != ' '))
        .map(|row| {
            let left = row[..column]
                .iter()
                .collect::<String>()
                .trim()
                .chars()
                .count();
            let right = row[column..]
                .iter()
                .collect::<String>()
                .trim()
                .chars()
                .count();
            (left, right)
        })
        .filter(|(left, _)| *left > 0)
        .collect();
    if sides.is_empty() {
        return None;
    }
    let average =
        |f: fn(&(usize, usize)) -> usize| sides.iter().map(f).sum::<usize>() / sides.len();
    let prose = average(|s| s.0) >= 15 && average(|s| s.1) >= 15;
    prose.then_some(column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_transcribed_as_one_line_is_cut_before_its_labels() {
        let line = format!(
            "{} Présents : DUPONT Jean, DURAND Anne. Procurations : MARTIN Luc (pouvoir à J. DUPONT) Secrétaire de séance : Anne DURAND 1)Approbation du budget : Considérant que le Conseil doit délibérer",
            "COMPTE RENDU Extrait des délibérations du Conseil Municipal du 25 juin 2015 "
                .repeat(5)
        );
        let lines: Vec<String> = clean(&line).into_iter().map(|l| l.text).collect();
        let starts: Vec<&str> = lines
            .iter()
            .map(|l| l.split_whitespace().next().unwrap_or(""))
            .collect();
        assert_eq!(
            starts,
            [
                "COMPTE",
                "Présents",
                "Procurations",
                "Secrétaire",
                "1)Approbation",
                "Considérant"
            ]
        );
        // A line of ordinary length is left whole.
        assert_eq!(clean("Présents : A. Procurations : B.").len(), 1);
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect()
    }

    #[test]
    fn drops_page_marks_stamps_and_chrome() {
        let lines = clean(
            "Accueil\nMenu\nVu le code ;\n1 / 2\nPage 2 sur 3\n- 3 -\nEnvoyé en préfecture le 21/11/2023\nArticle 1",
        );
        assert_eq!(texts(&lines), vec!["Vu le code ;", "Article 1"]);
        assert_eq!(lines[2].source, 3);
    }

    #[test]
    fn rejoins_cut_words_but_not_compound_names() {
        let lines =
            clean("des collec-\ntivités de la région Hauts-\nde-France et du Pas-de-\nCalais");
        assert_eq!(
            texts(&lines),
            vec![
                "des collectivités",
                "de la région Hauts-",
                "de-France et du Pas-de-",
                "Calais"
            ]
        );
    }

    #[test]
    fn reads_two_columns_one_after_the_other() {
        let page = "\
Vu le code général des           Considérant que la commune
collectivités territoriales ;    souhaite soutenir les
Vu le budget primitif 2024 ;     associations sportives ;
Vu l'avis de la commission       Considérant la demande
des finances du 3 mars ;         du club reçue le 2 février ;
Vu le rapport du maire ;         Après en avoir délibéré,";
        let lines = clean(page);
        assert_eq!(
            texts(&lines),
            vec![
                "Vu le code général des",
                "collectivités territoriales ;",
                "Vu le budget primitif 2024 ;",
                "Vu l'avis de la commission",
                "des finances du 3 mars ;",
                "Vu le rapport du maire ;",
                "Considérant que la commune",
                "souhaite soutenir les",
                "associations sportives ;",
                "Considérant la demande",
                "du club reçue le 2 février ;",
                "Après en avoir délibéré,",
            ]
        );
    }

    #[test]
    fn drops_running_headers_of_pages() {
        let text = "Commune de Lens - Conseil municipal\nVu a ;\n\u{c}Commune de Lens - Conseil municipal\nVu b ;\n\u{c}Commune de Lens - Conseil municipal\nVu c ;";
        assert_eq!(
            texts(&clean(text)),
            vec![
                "Commune de Lens - Conseil municipal",
                "Vu a ;",
                "Vu b ;",
                "Vu c ;"
            ]
        );
    }

    #[test]
    fn joins_letter_spaced_words() {
        assert_eq!(texts(&clean("D E C I D E :")), vec!["DECIDE:"]);
        assert_eq!(texts(&clean("M. A B")), vec!["M. A B"]);
        assert_eq!(texts(&clean("D E C I D E")), vec!["DECIDE"]);
    }
}
