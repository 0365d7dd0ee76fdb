//! From clean lines to deliberations: the file is cut where a new deliberation begins once the
//! previous one is decided, then each part is read field by field. The sitting's heading,
//! stated once at the top of a collection, is carried over to the deliberations after it.

use crate::clean::Line;
use crate::dates::{find_date, find_time};
use crate::lex::{
    after_colon, find, fold, fold_keep_length, has, is_upper_case, join_lines, push_line,
    trim_end_punctuation,
};
use crate::lines::{self, Attendance, kind};
use crate::money::{find_amounts, number_at};
use crate::people::{Entry, partial_presence, person, read_list};
use crate::record::*;
use crate::vote::read_vote;
use std::collections::BTreeSet;
use std::ops::Range;

/// The lines of a file and their folded forms.
pub struct Text<'a> {
    pub lines: &'a [Line],
    /// What each line is (`lines::kind` bits), tested once.
    pub kinds: Vec<u16>,
    /// Source lines whose characters were repaired: what is read there is less sure.
    pub repaired: &'a BTreeSet<usize>,
}

impl<'a> Text<'a> {
    pub fn new(lines: &'a [Line], repaired: &'a BTreeSet<usize>) -> Self {
        let kinds = lines
            .iter()
            .map(|l| lines::classify(&l.text, &l.folded))
            .collect();
        Text {
            lines,
            kinds,
            repaired,
        }
    }

    /// Whether line `i` is of this kind (`lines::kind`); false past the end.
    fn is(&self, i: usize, kind: u16) -> bool {
        self.kinds.get(i).is_some_and(|k| k & kind != 0)
    }

    fn text(&self, i: usize) -> &str {
        self.lines.get(i).map_or("", |l| l.text.as_str())
    }

    /// The folded line; empty past the end.
    fn f(&self, i: usize) -> &str {
        self.lines.get(i).map_or("", |l| l.folded.as_str())
    }

    fn source(&self, i: usize) -> usize {
        self.lines.get(i).map_or(0, |l| l.source)
    }

    fn extracted<T>(&self, value: T, base: Confidence, i: usize) -> Extracted<T> {
        let source = self.source(i);
        let confidence = if self.repaired.contains(&source) {
            Confidence::Low
        } else {
            base
        };
        Extracted::new(value, confidence, source)
    }

    /// A labelled line and the lines that continue it, up to a blank line or a line that
    /// opens something else. Returns the joined text and the range of lines.
    fn block(&self, i: usize, end: usize) -> (String, Range<usize>) {
        let mut j = i + 1;
        while j < end && !self.is(j, kind::OPENS) {
            // A sentence or list that ended, followed by a heading in capitals.
            let ended = self.text(j - 1).ends_with(['.', ';']);
            if ended && is_upper_case(self.text(j)) {
                break;
            }
            j += 1;
        }
        let text = join_lines((i..j).map(|k| self.text(k)));
        (text, i..j)
    }

    /// The line of a range that holds the needle, for an item of a list spread over lines.
    fn line_of(&self, range: &Range<usize>, needle: &str) -> usize {
        let needle = fold_keep_length(needle);
        let last_word = needle.rsplit(' ').next().unwrap_or(&needle);
        let whole_word = |line: &str| {
            line.split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .any(|w| w == last_word)
        };
        range
            .clone()
            .find(|k| self.f(*k).contains(&needle))
            .or_else(|| range.clone().find(|k| whole_word(self.f(*k))))
            .unwrap_or(range.start)
    }
}

/// Cuts the text into parts: a new part starts at a line that opens a deliberation once the
/// current part holds a decision. The upper-case title above a number goes with the number.
pub fn segments(text: &Text) -> Vec<Range<usize>> {
    let n = text.lines.len();
    let mut segments = Vec::new();
    let mut start = 0;
    let mut decided = false;
    for i in 0..n {
        if decided && text.is(i, kind::STARTS) {
            let cut = title_start(text, start, i);
            if cut > start {
                segments.push(start..cut);
                start = cut;
                decided = false;
            }
        }
        if text.is(i, kind::DECISION | kind::ARTICLE | kind::VOTE) {
            decided = true;
        }
    }
    if start < n {
        segments.push(start..n);
    }
    segments
}

/// The first line of the upper-case title block right above line `i` (blank lines between
/// the title and the number are allowed), or `i` when there is none.
fn title_start(text: &Text, floor: usize, i: usize) -> usize {
    let mut j = i;
    while j > floor && text.f(j - 1).is_empty() {
        j -= 1;
    }
    let mut first = i;
    let mut taken = 0;
    while j > floor && taken < 4 {
        let line = text.text(j - 1);
        if line.is_empty() || !is_upper_case(line) || text.is(j - 1, kind::SIGNATORY) {
            break;
        }
        j -= 1;
        first = j;
        taken += 1;
    }
    first
}

/// Reads every field of one part.
pub fn read_part(text: &Text, range: Range<usize>) -> ImportedDeliberation {
    let mut d = ImportedDeliberation {
        first_line: text.source(range.start),
        last_line: text.source(range.end.saturating_sub(1)),
        ..Default::default()
    };
    let decision = (range.start..range.end)
        .find(|i| text.is(*i, kind::DECISION))
        .or_else(|| (range.start..range.end).find(|i| text.is(*i, kind::ARTICLE)))
        // "Le procès-verbal est adopté à l'unanimité": a vote without a decision formula.
        .or_else(|| {
            (range.start..range.end)
                .find(|i| text.is(*i, kind::VOTE) && !text.is(*i, kind::ATTENDANCE))
        })
        .unwrap_or(range.end);
    let number_line = (range.start..decision).find_map(|i| {
        lines::number(text.text(i), text.f(i)).map(|(number, after)| (i, number, after))
    });
    heading(text, range.start..decision, &mut d);
    attendance(text, range.start..decision, &mut d);
    if let Some((i, number, after)) = &number_line {
        d.number = Some(text.extracted(number.clone(), Confidence::High, *i));
        if !after.is_empty() {
            let (title, _) = continued(text, *i, after, decision);
            d.title = Some(text.extracted(title, Confidence::High, *i));
        }
    }
    title(
        text,
        range.start..decision,
        number_line.as_ref().map(|n| n.0),
        &mut d,
    );
    if d.title.is_none() && d.report_number.is_some() {
        report_title(text, range.start..decision, &mut d);
    }
    recitals(text, range.start..decision, &mut d);
    let decision_end = decision_and_vote(text, decision..range.end, &mut d);
    closing(text, decision_end..range.end, &mut d);
    d
}

/// A line's text after its label, continued on the following lines, up to a line that
/// opens the act's text ("Le conseil municipal, réuni…", "Vu…", "Monsieur le Maire expose").
fn continued(text: &Text, i: usize, first: &str, end: usize) -> (String, Range<usize>) {
    let (_, block) = text.block(i, end);
    let range = block.start
        ..(block.start + 1..block.end)
            .find(|k| opens_the_text(text.f(*k)))
            .unwrap_or(block.end);
    let joined = join_lines(
        std::iter::once(first).chain((range.start + 1..range.end).map(|k| text.text(k))),
    );
    (joined, range)
}

/// The first words of an act's text after its title.
fn opens_the_text(folded: &str) -> bool {
    [
        "le conseil ",
        "la commission ",
        "le bureau ",
        "l'assemblee ",
        "monsieur le ",
        "madame la ",
        "madame le ",
        "m. le ",
        "mme la ",
        "mme le ",
    ]
    .iter()
    .any(|start| folded.starts_with(start))
}

/// Collectivity, body, sitting date and time, president and secretary.
fn heading(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let has_arrondissement = range
        .clone()
        .take(12)
        .any(|i| text.f(i).starts_with("arrondissement"));
    for i in range {
        let (line, folded) = (text.text(i), text.f(i));
        if folded.is_empty() {
            continue;
        }
        if let Some(name) = lines::collectivity(line, folded) {
            // A commune's extract is headed by its département and arrondissement: the
            // commune is the author.
            let communal = name.starts_with("Commune") || name.starts_with("Ville");
            let replaces = d.collectivity.as_ref().is_some_and(|c| {
                communal && (c.value.starts_with("Département") || c.value.starts_with("Région"))
            }) && has_arrondissement;
            if d.collectivity.is_none() || replaces {
                d.collectivity = Some(text.extracted(name, Confidence::High, i));
            }
        }
        if d.body.is_none()
            && !text.is(i, kind::VISA | kind::CONSIDERANT)
            && let Some(body) = lines::body(folded)
        {
            d.body = Some(text.extracted(body.to_string(), Confidence::High, i));
        }
        if d.report_number.is_none()
            && let Some(number) = lines::report_number(folded)
        {
            d.report_number = Some(text.extracted(number, Confidence::High, i));
        }
        let next = text.f(i + 1);
        // "reuni" also finds "réunion", "s'est réuni", "se sont réunis".
        let mentions_sitting = ["reuni", "seance", "session", "l'an "]
            .iter()
            .any(|w| has(folded, w) || has(next, w));
        // "Date de convocation : …" is not the sitting's date.
        let convocation_only = has(folded, "convocation") && !has(folded, "reuni");
        let body_heading = lines::body(folded).is_some()
            && has(folded, " du ")
            && (is_upper_case(line) || BODY_WORDS.iter().any(|w| folded.starts_with(w)));
        let sitting_line =
            (mentions_sitting && !text.is(i, kind::VISA) && !convocation_only) || body_heading;
        if sitting_line {
            let (joined, _) = text.block(i, i + 3);
            if d.sitting_date.is_none()
                && let Some(date) = find_date(&joined)
            {
                d.sitting_date = Some(text.extracted(date, Confidence::High, i));
            }
            if d.sitting_time.is_none()
                && let Some(time) = find_time(&joined)
            {
                d.sitting_time = Some(text.extracted(time, Confidence::High, i));
            }
        }
        if d.president.is_none() && has(folded, "presid") {
            let (joined, _) = text.block(i, (i + 3).min(text.lines.len()));
            let joined_folded = fold_keep_length(&joined);
            for marker in [
                "sous la presidence de ",
                "presidence de ",
                "presidence :",
                "preside par ",
                "president de seance :",
                "presidente de seance :",
            ] {
                if let Some(at) = find(&joined_folded, marker) {
                    let after = lines::map_to_original(&joined, &joined_folded, at + marker.len())
                        .unwrap_or("");
                    let name = after.split(',').next().unwrap_or("");
                    if let Some(p) = person(name.trim_start_matches([':', ' ']), None) {
                        d.president = Some(text.extracted(p, Confidence::High, i));
                        break;
                    }
                }
            }
        }
        if d.secretary.is_none() && has(folded, "secretaire") {
            d.secretary = secretary(line, folded).map(|p| text.extracted(p, Confidence::High, i));
        }
    }
}

/// Words a heading naming the body starts with: "Conseil municipal du 7 avril 2022".
const BODY_WORDS: [&str; 5] = ["conseil", "commission", "bureau", "comite", "seance"];

/// "Secrétaire : Mme Maryse DELASSUS", "Secrétaire de séance : …", "M. X a été désigné(e)
/// secrétaire de séance".
fn secretary(line: &str, folded: &str) -> Option<Person> {
    if folded.starts_with("secretaire") && folded.contains(':') {
        return person(after_colon(line), None);
    }
    for marker in [
        " a ete designe",
        " est designe",
        " a ete elu",
        " est elu",
        " a ete nomme",
        " est nomme",
    ] {
        if let Some(at) = find(folded, marker)
            && folded[at..].contains("secretaire")
        {
            let before = lines::map_to_original(line, folded, 0).unwrap_or(line);
            let name: String = before.chars().take(folded[..at].chars().count()).collect();
            return person(&name, None);
        }
    }
    None
}

/// The attendance lists, proxies and partial presences.
fn attendance(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    counts(text, range.clone(), d);
    let end = range.end;
    let mut i = range.start;
    while i < end {
        let folded = text.f(i);
        if text.is(i, kind::ATTENDANCE)
            && let Some((kind, rest)) = lines::attendance(folded)
        {
            let (_, block) = text.block(i, end);
            let (listed, names) = if !rest.trim().is_empty() {
                let joined = list_text(text, block.clone());
                (after_colon(&joined).to_string(), block.clone())
            } else {
                // The heading alone on its line, the names under it.
                name_column(text, i + 1, end)
            };
            for entry in read_list(&listed) {
                add_entry(text, d, kind, entry, &names);
            }
            i = names.end.max(block.end).max(i + 1);
            continue;
        }
        // "M. X a quitté la séance à 11 h 50", "Mme Y est arrivée à partir du rapport n°15".
        if (has(folded, "seance") || has(folded, "arrive"))
            && let Some(at) = [
                "a quitte la seance",
                "quitte la seance",
                "est arrive",
                "a rejoint la seance",
            ]
            .iter()
            .find_map(|m| find(folded, m))
            && let Some(member) = person(
                &text
                    .text(i)
                    .chars()
                    .take(folded[..at].chars().count())
                    .collect::<String>(),
                None,
            )
            && let Some((from, until)) = partial_presence(&folded[at..])
        {
            d.partial.push(text.extracted(
                PartialPresence {
                    member,
                    from,
                    until,
                },
                Confidence::Medium,
                i,
            ));
        }
        i += 1;
    }
}

/// The names set out in a column under an attendance heading, after a blank line and maybe
/// in groups ("ETAIENT PRÉSENTS :", then one name a line): up to the next heading, sentence
/// or labelled line. "MM" before a name (the plural civility) is dropped; a name repeated is
/// taken once.
fn name_column(text: &Text, from: usize, end: usize) -> (String, Range<usize>) {
    let mut names: Vec<&str> = Vec::new();
    let mut last = from;
    let mut blanks = 0;
    for k in from..end {
        let line = text.text(k).trim();
        if line.is_empty() {
            blanks += 1;
            if blanks > 1 && !names.is_empty() {
                break;
            }
            continue;
        }
        blanks = 0;
        let labelled = text.is(
            k,
            kind::ATTENDANCE
                | kind::VISA
                | kind::CONSIDERANT
                | kind::DECISION
                | kind::ARTICLE
                | kind::VOTE
                | kind::NUMBER
                | kind::SUBJECT
                | kind::CLOSING,
        );
        let heading = !line.chars().any(char::is_lowercase);
        let sentence = line.split_whitespace().count() > 6 && !line.contains(',');
        if labelled || heading || sentence {
            break;
        }
        let name = line
            .strip_prefix("MM ")
            .or_else(|| line.strip_prefix("MM. "))
            .unwrap_or(line);
        if !names.contains(&name) {
            names.push(name);
        }
        last = k + 1;
    }
    (names.join(", "), from..last.max(from))
}

/// The lines of a list joined; a line that starts with a civility after a line that did not
/// end with a comma starts a new item (lists written one name per line).
fn list_text(text: &Text, block: Range<usize>) -> String {
    let mut out = String::new();
    for k in block {
        let line = text.text(k);
        if line.is_empty() {
            continue;
        }
        let folded = text.f(k);
        let new_item = ["m. ", "mme ", "monsieur ", "madame ", "mm. ", "mmes "]
            .iter()
            .any(|c| folded.starts_with(c));
        let last_word = fold_keep_length(out.rsplit(' ').next().unwrap_or(""));
        let unfinished = matches!(last_word.as_str(), "a" | "par" | "de" | "pouvoir" | "et");
        if !out.is_empty() && new_item && !unfinished && !out.ends_with([',', ';', ':']) {
            out.push(',');
        }
        push_line(&mut out, line);
    }
    out
}

fn add_entry(
    text: &Text,
    d: &mut ImportedDeliberation,
    kind: Attendance,
    entry: Entry,
    block: &Range<usize>,
) {
    match entry {
        Entry::Proxy(proxy) => {
            let line = text.line_of(block, &proxy.giver.name);
            d.represented
                .push(text.extracted(proxy, Confidence::High, line));
        }
        Entry::Partial(partial) => {
            let line = text.line_of(block, &partial.member.name);
            if kind == Attendance::Present {
                d.present
                    .push(text.extracted(partial.member.clone(), Confidence::High, line));
            }
            d.partial
                .push(text.extracted(partial, Confidence::High, line));
        }
        Entry::Member(member) => {
            let line = text.line_of(block, &member.name);
            let value = text.extracted(member, Confidence::High, line);
            match kind {
                Attendance::Present => d.present.push(value),
                Attendance::Excused => d.excused.push(value),
                Attendance::Absent => d.absent.push(value),
                Attendance::PresentWithoutVote => d.present_without_vote.push(value),
                Attendance::ExcusedWithoutVote => d.excused_without_vote.push(value),
                // A name without a holder under "Pouvoirs": nothing to record.
                Attendance::Proxies => {}
            }
        }
    }
}

/// The counts the heading states, the first of each kind.
fn counts(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    for i in range {
        for (kind, value) in lines::stated_counts(text.f(i)) {
            if !d.counts.iter().any(|c| c.value.kind == kind) {
                let count = StatedCount { kind, value };
                d.counts.push(text.extracted(count, Confidence::High, i));
            }
        }
    }
}

/// The title: "Objet : …" first, else the upper-case block above the number.
fn title(
    text: &Text,
    range: Range<usize>,
    number_line: Option<usize>,
    d: &mut ImportedDeliberation,
) {
    if d.title.is_some() {
        return;
    }
    for i in range.clone() {
        if let Some(subject) = lines::subject(text.text(i), text.f(i)) {
            let (title, _) = continued(text, i, subject, range.end);
            d.title = Some(text.extracted(title, Confidence::High, i));
            return;
        }
    }
    let Some(number_line) = number_line else {
        heading_title(text, range, d);
        return;
    };
    let start = title_start(text, range.start, number_line);
    if start < number_line {
        let title = join_lines((start..number_line).map(|k| text.text(k)));
        if !title.is_empty() {
            d.title = Some(text.extracted(title, Confidence::Medium, start));
        }
    } else if let Some(next) = (number_line + 1..range.end).find(|k| !text.f(*k).is_empty())
        && is_upper_case(text.text(next))
        && !text.is(next, kind::OPENS)
    {
        // "DELIBERATION N° 2024-12" followed by the title on its own line.
        let (title, _) = text.block(next, range.end);
        d.title = Some(text.extracted(title, Confidence::Medium, next));
    }
}

/// Without a number or an "Objet :" line (a web page, an act whose number is at the foot):
/// the upper-case block right above the first visa or considérant, or above the decision,
/// unless it names the collectivity, the body or the sitting. A guess: low confidence.
fn heading_title(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let first = (range.start..range.end)
        .find(|k| text.is(*k, kind::VISA | kind::CONSIDERANT))
        .unwrap_or(range.end);
    if let Some((i, item)) = (range.start..first)
        .rev()
        .find_map(|k| lines::agenda_item(text.text(k)).map(|item| (k, item)))
    {
        d.title = Some(text.extracted(item.to_string(), Confidence::Medium, i));
        return;
    }
    // "1)Approbation des Comptes de Gestion 2014 :" right above the first considérant.
    if let Some(i) = (range.start..first).rev().find(|k| !text.f(*k).is_empty())
        && first < range.end
        && let Some(item) = lines::numbered_heading(text.text(i))
    {
        let item = item.trim_end_matches([':', ' ']);
        d.title = Some(text.extracted(item.to_string(), Confidence::Low, i));
        return;
    }
    let start = title_start(text, range.start, first);
    if start == first {
        return;
    }
    let names_the_sitting = (start..first).any(|k| {
        let (line, folded) = (text.text(k), text.f(k));
        lines::collectivity(line, folded).is_some()
            || lines::body(folded).is_some()
            || find_date(line).is_some()
    });
    if !names_the_sitting {
        let title = join_lines((start..first).map(|k| text.text(k)));
        d.title = Some(text.extracted(title, Confidence::Low, start));
    }
}

/// A report's title: the first upper-case block after its heading that names neither the
/// collectivity, the body nor the sitting.
fn report_title(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let Some(report_line) = d.report_number.as_ref().map(|r| r.line) else {
        return;
    };
    let mut i = range.start;
    while i < range.end && text.source(i) <= report_line {
        i += 1;
    }
    while i < range.end {
        let (line, folded) = (text.text(i), text.f(i));
        let heading = lines::collectivity(line, folded).is_some()
            || lines::body(folded).is_some()
            || find_date(line).is_some();
        if !line.is_empty() && is_upper_case(line) && !heading {
            let mut end = i;
            while end < range.end && !text.text(end).is_empty() && is_upper_case(text.text(end)) {
                end += 1;
            }
            let title = join_lines((i..end).map(|k| text.text(k)));
            d.title = Some(text.extracted(title, Confidence::Medium, i));
            return;
        }
        i += 1;
    }
}

/// Visas and considérants.
fn recitals(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let mut i = range.start;
    while i < range.end {
        let visa = text.is(i, kind::VISA);
        if visa || text.is(i, kind::CONSIDERANT) {
            let (joined, block) = text.block(i, range.end);
            let value = text.extracted(
                trim_end_punctuation(&joined).to_string(),
                Confidence::High,
                i,
            );
            if visa {
                d.visas.push(value);
            } else {
                d.considerants.push(value);
            }
            i = block.end.max(i + 1);
        } else {
            i += 1;
        }
    }
}

/// Articles, beneficiaries, imputations and the vote. Returns where the closing starts.
fn decision_and_vote(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) -> usize {
    let vote_start = (range.start..range.end)
        .find(|i| text.is(*i, kind::VOTE) && !text.is(*i, kind::ARTICLE))
        .unwrap_or(range.end);
    let decision_end = (range.start..vote_start)
        .find(|i| text.is(*i, kind::CLOSING))
        .unwrap_or(vote_start);
    articles(text, range.start..decision_end, d);
    let decision_text: Vec<(usize, String)> = if d.articles.is_empty() {
        paragraphs(text, range.start..decision_end)
    } else {
        d.articles
            .iter()
            .map(|a| (source_index(text, a.line), a.value.text.clone()))
            .collect()
    };
    for (i, paragraph) in &decision_text {
        for (beneficiary, money) in beneficiaries(paragraph) {
            if money.currency != Currency::Euro {
                d.warnings.push(format!(
                    "Ligne {} : montant en {} conservé sans conversion.",
                    text.source(*i),
                    currency_name(&money.currency)
                ));
            }
            d.beneficiaries.push(text.extracted(
                BeneficiaryAmount {
                    beneficiary,
                    amount: money,
                },
                Confidence::Medium,
                *i,
            ));
        }
    }
    beneficiary_table(text, range.start..decision_end, d);
    imputations(text, range.start..decision_end, d);
    // The vote: from the decision line (", à l'unanimité, DÉCIDE") to the closing lines.
    let closing = (vote_start..range.end)
        .find(|i| text.is(*i, kind::CLOSING) && !text.is(*i, kind::VOTE))
        .unwrap_or(range.end);
    let mut vote_lines: Vec<usize> = Vec::new();
    if range.start < range.end && text.is(range.start, kind::DECISION) {
        vote_lines.push(range.start);
    }
    vote_lines.extend(vote_start..closing);
    let vote_text = join_lines(vote_lines.iter().map(|k| text.text(*k)));
    if let Some(vote) = read_vote(&vote_text) {
        let line = vote_lines
            .iter()
            .copied()
            .find(|k| text.is(*k, kind::VOTE))
            .or(vote_lines.first().copied());
        if let Some(line) = line {
            let confidence = if vote.stances.is_empty() {
                Confidence::Medium
            } else {
                Confidence::High
            };
            d.vote = Some(text.extracted(vote, confidence, line));
        }
    }
    if vote_start < range.end {
        closing
    } else {
        decision_end
    }
}

/// The paragraphs of a range (lines between blank lines, joined), with their first line.
fn paragraphs(text: &Text, range: Range<usize>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for i in range.start..=range.end {
        let blank = i == range.end || text.f(i).is_empty();
        match (blank, start) {
            (false, None) => start = Some(i),
            (true, Some(first)) => {
                out.push((first, join_lines((first..i).map(|k| text.text(k)))));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn source_index(text: &Text, source: usize) -> usize {
    text.lines
        .iter()
        .position(|l| l.source == source)
        .unwrap_or(0)
}

fn currency_name(currency: &Currency) -> String {
    match currency {
        Currency::Euro => "euros".to_string(),
        Currency::Franc => "francs".to_string(),
        Currency::Other(code) => code.clone(),
    }
}

/// "Article 1 : …" up to the next article; paragraphs are kept apart by a line break, and a
/// budget table ends the article's text.
fn articles(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let starts: Vec<(usize, String)> = range
        .clone()
        .filter(|i| text.is(*i, kind::ARTICLE))
        .filter_map(|i| lines::article(text.f(i)).map(|(n, _)| (i, n)))
        .collect();
    for (index, (i, number)) in starts.iter().enumerate() {
        let end = starts.get(index + 1).map_or(range.end, |(next, _)| *next);
        let heading = text.text(*i);
        let first = article_heading_rest(heading);
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        if !first.is_empty() {
            current.push(first);
        }
        for k in i + 1..end {
            let folded = text.f(k);
            if is_table_heading(folded) {
                break;
            }
            if folded.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(join_lines(current.drain(..)));
                }
            } else {
                current.push(text.text(k));
            }
        }
        if !current.is_empty() {
            paragraphs.push(join_lines(current));
        }
        d.articles.push(text.extracted(
            Article {
                number: number.clone(),
                text: paragraphs.join("\n"),
            },
            Confidence::High,
            *i,
        ));
    }
}

/// The text of an article's heading line after "Article 1 :", when the text starts there.
fn article_heading_rest(heading: &str) -> &str {
    let mut rest = heading;
    // Skip the word "Article" and its number.
    for _ in 0..2 {
        rest = rest.trim_start();
        rest = rest.split_once(' ').map_or("", |(_, r)| r);
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("er ").unwrap_or(rest).trim_start();
    rest.trim_start_matches([':', '-', '–', '—', '.', ' '])
        .trim()
}

fn is_table_heading(folded: &str) -> bool {
    [
        "code operation",
        "imputation",
        "beneficiaire",
        "chapitre nature",
        "libelle",
    ]
    .iter()
    .any(|w| folded.starts_with(w))
}

/// Beneficiaries and amounts in a sentence: "attribuer à X, la participation de 120 000 €",
/// "une subvention de 1 500 € à l'association X", "verser à X la somme de 2 000 F".
pub fn beneficiaries(paragraph: &str) -> Vec<(String, Money)> {
    let mut found = Vec::new();
    let folded = fold_keep_length(paragraph);
    for clause_range in clauses(&folded) {
        let clause_f = &folded[clause_range.clone()];
        // Folding keeps figures and currency signs: clauses without an amount are skipped
        // before their original text is looked up.
        if find_amounts(clause_f).is_empty() {
            continue;
        }
        let Some(clause) = original_slice(paragraph, &folded, clause_range.clone()) else {
            continue;
        };
        let amounts = find_amounts(clause);
        let Some(first) = amounts.first() else {
            continue;
        };
        let mut name = None;
        for verb in [
            "attribuer a ",
            "accorder a ",
            "verser a ",
            "allouer a ",
            "octroyer a ",
            "attribuer au ",
            "accorder au ",
            "verser au ",
            "attribue a ",
            "accorde a ",
            "alloue a ",
        ] {
            if let Some(at) = clause_f.find(verb) {
                let start = at + verb.len() - if verb.ends_with("au ") { 3 } else { 0 };
                name = beneficiary_at(clause, clause_f, start, true);
                if name.is_some() {
                    break;
                }
            }
        }
        if name.is_none() {
            let after_amount = char_offset(clause, first.end);
            let tail_f: String = clause_f.chars().skip(after_amount).collect();
            for marker in [
                " a ",
                " au profit de ",
                " en faveur de ",
                " au benefice de ",
                " attribuee a ",
                " versee a ",
                " au ",
            ] {
                if let Some(rest) = tail_f
                    .trim_start_matches([',', ' '])
                    .strip_prefix(marker.trim_start())
                {
                    let start_chars =
                        after_amount + (tail_f.chars().count() - rest.chars().count());
                    let start = clause_f
                        .char_indices()
                        .nth(start_chars)
                        .map_or(clause_f.len(), |(b, _)| b);
                    let start = if marker == " au " {
                        start.saturating_sub(3)
                    } else {
                        start
                    };
                    name = beneficiary_at(clause, clause_f, start, false);
                    if name.is_some() {
                        break;
                    }
                }
            }
        }
        if let Some(name) = name {
            found.push((name, first.money.clone()));
        }
    }
    found
}

/// Clauses of a folded paragraph: split on ";", line breaks and sentence stops.
fn clauses(folded: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = folded.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let stop = *b == b';'
            || *b == b'\n'
            || (*b == b'.'
                && bytes.get(i + 1) == Some(&b' ')
                && i > 0
                && bytes[i - 1].is_ascii_lowercase()
                && (i < 2 || bytes[i - 2].is_ascii_lowercase()));
        if stop {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..folded.len());
    out
}

fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

fn original_slice<'a>(original: &'a str, folded: &str, range: Range<usize>) -> Option<&'a str> {
    folded.get(range.clone())?;
    Some(crate::lex::original_range(
        original,
        folded,
        range.start,
        range.end,
    ))
}

/// The beneficiary's name starting at a folded byte of the clause: up to ", la participation",
/// " une subvention", " pour ", " au titre"… The leading article is dropped.
fn beneficiary_at(
    clause: &str,
    clause_f: &str,
    start: usize,
    before_amount: bool,
) -> Option<String> {
    let rest_f = clause_f.get(start..)?;
    let ends: &[&str] = if before_amount {
        &[
            ", ",
            " une ",
            " un ",
            " la somme",
            " la participation",
            " la subvention",
            " l'aide",
            " le montant",
            " d'un montant",
            " pour un montant",
            " pour ",
        ]
    } else {
        &[
            ", ",
            " pour ",
            " au titre",
            " dans le cadre",
            " afin ",
            " en vue ",
            " sous reserve",
            " selon ",
            " conformement",
        ]
    };
    let mut depth = 0usize;
    let mut end = rest_f.len();
    for (i, c) in rest_f.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && i > 2 && ends.iter().any(|e| rest_f[i..].starts_with(e)) {
            end = i;
            break;
        }
    }
    let name = original_slice(clause, clause_f, start..start + end)?;
    let name = trim_end_punctuation(name);
    let folded_name = fold_keep_length(name);
    let mut name = name;
    for article in ["la ", "le ", "les ", "l'", "l’", "au ", "aux "] {
        if folded_name.starts_with(&fold_keep_length(article)) {
            name = name.get(article.len()..)?.trim_start();
            break;
        }
    }
    let words = name.split_whitespace().count();
    let first_word = fold_keep_length(name.split_whitespace().next().unwrap_or(""));
    if NOT_BENEFICIARIES.contains(&first_word.as_str()) {
        return None;
    }
    if name.is_empty()
        || words > 16
        || name.chars().next().is_some_and(|c| c.is_ascii_digit())
        || !find_amounts(name).is_empty()
    {
        return None;
    }
    let mut chars = name.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// What follows "… € au" without being a beneficiary: "au titre de", "au budget".
const NOT_BENEFICIARIES: [&str; 12] = [
    "titre",
    "budget",
    "chapitre",
    "compte",
    "programme",
    "cours",
    "plus",
    "moins",
    "total",
    "maximum",
    "taux",
    "prorata",
];

/// A table under a heading with "Bénéficiaire": each row ending with an amount.
fn beneficiary_table(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let Some(heading) = range
        .clone()
        .find(|i| text.f(*i).starts_with("beneficiaire"))
    else {
        return;
    };
    for i in heading + 1..range.end {
        let line = text.text(i);
        if line.is_empty() {
            continue;
        }
        let folded = text.f(i);
        if folded.starts_with("total") {
            break;
        }
        let amounts = find_amounts(line);
        let Some(last) = amounts.last() else {
            continue;
        };
        let name =
            trim_end_punctuation(line[..last.start].trim_end_matches(['|', ' ', ':', '-', '–']));
        if name.is_empty() || name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        d.beneficiaries.push(text.extracted(
            BeneficiaryAmount {
                beneficiary: name.to_string(),
                amount: last.money.clone(),
            },
            Confidence::Medium,
            i,
        ));
    }
}

/// Budget imputations: rows of a table "Code Opération | Imputation | Libellé | CP | Dépense"
/// and sentences "chapitre 65, nature 6574, fonction 33".
fn imputations(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let has_code = |i: usize| has(text.f(i), "//") && text.f(i).split(' ').any(is_imputation_code);
    let headings: Vec<&str> = range
        .clone()
        .take_while(|i| !has_code(*i))
        .flat_map(|i| text.f(i).split(' '))
        .filter(|w| AMOUNT_COLUMNS.contains(w))
        .collect();
    let mut i = range.start;
    while i < range.end {
        if !has_code(i) {
            i += 1;
            continue;
        }
        let words: Vec<&str> = text.text(i).split(' ').collect();
        let Some(code_at) = words.iter().position(|w| is_imputation_code(w)) else {
            i += 1;
            continue;
        };
        let mut imputation = Imputation::default();
        if code_at > 0 && is_operation_code(words[code_at - 1]) {
            imputation.operation = Some(words[code_at - 1].to_string());
        }
        if let Ok(parsed) = acta_domain::budget::Imputation::parse("imputation", words[code_at]) {
            imputation.nature = Some(parsed.nature_account);
            imputation.chapter = Some(parsed.functional_chapter);
            imputation.function = Some(parsed.function);
        }
        // The label and the amounts follow, on the same line or on the next ones.
        let mut label_parts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        let mut rest: Vec<String> = vec![words[code_at + 1..].join(" ")];
        let mut k = i + 1;
        while k < range.end && numbers.is_empty() && k < i + 6 {
            let line = text.text(k);
            if !line.is_empty() {
                if text.f(k).split(' ').any(is_imputation_code) {
                    break;
                }
                rest.push(line.to_string());
            }
            k += 1;
            let (label, found) = split_numbers(&rest.join(" "));
            if !found.is_empty() {
                label_parts = vec![label];
                numbers = found;
            }
        }
        if numbers.is_empty() {
            let (label, found) = split_numbers(&rest.join(" "));
            label_parts = vec![label];
            numbers = found;
        }
        let label = join_lines(label_parts.iter().map(String::as_str));
        if !label.is_empty() {
            imputation.label = Some(label);
        }
        let column = headings
            .iter()
            .position(|h| matches!(*h, "depense" | "montant" | "proposition"));
        let amount = match column {
            Some(c) if numbers.len() == headings.len() => numbers.get(c).copied(),
            _ => numbers.last().copied(),
        };
        imputation.amount = amount.map(|centimes| Money {
            amount: acta_domain::money::Amount::from_centimes(centimes),
            currency: Currency::Euro,
        });
        d.imputations
            .push(text.extracted(imputation, Confidence::Medium, i));
        i = k.max(i + 1);
    }
    if d.imputations.is_empty() {
        sentence_imputation(text, range, d);
    }
}

const AMOUNT_COLUMNS: [&str; 6] = [
    "cp",
    "disponible",
    "proposition",
    "depense",
    "solde",
    "montant",
];

/// "6568//9361": an M57 nature account and a functional code.
fn is_imputation_code(word: &str) -> bool {
    word.split_once("//").is_some_and(|(a, b)| {
        (2..=7).contains(&a.len())
            && b.len() >= 3
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

/// "C01-620A06": a letter, digits, a hyphen and an alphanumeric code.
fn is_operation_code(word: &str) -> bool {
    let Some((head, tail)) = word.split_once('-') else {
        return false;
    };
    head.len() >= 2
        && head.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && head.chars().skip(1).all(|c| c.is_ascii_digit())
        && tail.len() >= 3
        && tail.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Splits "PARTENARIAT - ARTISANAT 140 000,00 120 000,00" into the label and the amounts.
fn split_numbers(text: &str) -> (String, Vec<i64>) {
    let mut numbers = Vec::new();
    let mut label_end = text.len();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || bytes[i - 1] == b' ');
        if starts && let Some((units, cents, end)) = number_at(text, i) {
            let has_cents = text[i..end].contains(',');
            if has_cents
                && let Some(centimes) = units.checked_mul(100).and_then(|u| u.checked_add(cents))
            {
                if numbers.is_empty() {
                    label_end = i;
                }
                numbers.push(centimes);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    (
        text[..label_end]
            .trim()
            .trim_end_matches(['€', ' '])
            .to_string(),
        numbers,
    )
}

/// "imputée au chapitre 65, article 6574, fonction 33 du budget".
fn sentence_imputation(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    for i in range {
        let folded = text.f(i);
        if !has(folded, "chapitre") {
            continue;
        }
        let joined = fold(&text.block(i, i + 3).0);
        let code_after = |marker: &str, min: usize| {
            joined.match_indices(marker).find_map(|(at, _)| {
                let rest = joined[at + marker.len()..].trim_start_matches([' ', ':', 'n', '°']);
                let code: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                (code.len() >= min).then_some(code)
            })
        };
        let imputation = Imputation {
            chapter: code_after("chapitre", 2),
            nature: code_after("nature", 3)
                .or_else(|| code_after("compte", 3))
                .or_else(|| code_after("article", 3)),
            function: code_after("fonction", 1),
            ..Default::default()
        };
        if imputation.chapter.is_some() {
            d.imputations
                .push(text.extracted(imputation, Confidence::Medium, i));
            return;
        }
    }
}

/// Signatories, place and date of signature.
fn closing(text: &Text, range: Range<usize>, d: &mut ImportedDeliberation) {
    let mut i = range.start;
    while i < range.end {
        let (line, folded) = (text.text(i), text.f(i));
        if d.signed_on.is_none()
            && (lines::place_and_date_line(folded)
                || folded.starts_with("fait ")
                || folded.starts_with("ainsi fait"))
        {
            place_and_date(text, i, d);
        }
        if lines::signatory_role(folded) {
            let mut roles = vec![trim_end_punctuation(line).to_string()];
            // "Le Maire, Jean DUPONT" on one line.
            if let Some((role, name)) = line.split_once(',')
                && let Some(p) = person(name, None)
            {
                d.signatories.push(text.extracted(
                    Signatory {
                        role: role.trim().to_string(),
                        name: p.name,
                    },
                    Confidence::High,
                    i,
                ));
                i += 1;
                continue;
            }
            let mut k = i + 1;
            let mut name = None;
            while k < range.end && k < i + 8 {
                let (next, next_f) = (text.text(k), text.f(k));
                k += 1;
                if next_f.is_empty() || SIGNED.iter().any(|s| next_f.starts_with(s)) {
                    continue;
                }
                if lines::signatory_role(next_f) && name.is_none() {
                    roles.push(trim_end_punctuation(next).to_string());
                    continue;
                }
                name = person(next, None);
                break;
            }
            if let Some(p) = name {
                d.signatories.push(text.extracted(
                    Signatory {
                        role: roles.join(", "),
                        name: p.name,
                    },
                    Confidence::High,
                    i,
                ));
                i = k;
                continue;
            }
        }
        i += 1;
    }
}

const SIGNED: [&str; 6] = ["signe", "(signe", "[signe", "#signature", "signature", "…"];

/// "ARRAS, le 20 novembre 2023", "Fait à Saint-Omer, le 12 mars 2024", "Fait et délibéré à
/// Lens, les jour, mois et an susdits".
fn place_and_date(text: &Text, i: usize, d: &mut ImportedDeliberation) {
    let line = text.text(i);
    let folded = text.f(i);
    let mut place_part = line.split(',').next().unwrap_or("").trim();
    let place_folded = fold_keep_length(place_part);
    for prefix in [
        "fait et delibere a ",
        "fait et delibere en ",
        "fait a ",
        "fait en ",
    ] {
        if place_folded.starts_with(prefix) {
            place_part = crate::lex::original_from(place_part, &place_folded, prefix.len());
            break;
        }
    }
    if fold(place_part).starts_with("fait ") {
        place_part = "";
    }
    let place = trim_end_punctuation(place_part);
    let date = find_date(line);
    let susdits = has(folded, "susdit") || has(folded, "que dessus");
    if date.is_none() && !susdits {
        return;
    }
    if !place.is_empty() && place.split(' ').count() <= 5 {
        let place = if is_upper_case(place) {
            crate::lex::title_case(place)
        } else {
            place.to_string()
        };
        d.place = Some(text.extracted(place, Confidence::High, i));
    }
    match date {
        Some(date) => d.signed_on = Some(text.extracted(date, Confidence::High, i)),
        None => {
            if let Some(sitting) = &d.sitting_date {
                d.signed_on = Some(Extracted::new(
                    sitting.value,
                    Confidence::Medium,
                    text.source(i),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_beneficiaries_in_sentences() {
        let cases = [
            (
                "D’attribuer à la Chambre de Métiers et de l’Artisanat (CMA) de région Hauts-de-France, la participation financière de 120 000 € au titre de l’année 2023, pour la réalisation",
                "Chambre de Métiers et de l’Artisanat (CMA) de région Hauts-de-France",
                12_000_000,
            ),
            (
                "D'accorder une subvention de 1 500 € à l'association Les Amis du Livre pour son festival.",
                "Association Les Amis du Livre",
                150_000,
            ),
            (
                "de verser au Club Athlétique Lensois la somme de 2 000 euros ;",
                "Club Athlétique Lensois",
                200_000,
            ),
        ];
        for (text, name, centimes) in cases {
            let found = beneficiaries(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].0, name);
            assert_eq!(found[0].1.amount.centimes(), centimes);
        }
        assert!(beneficiaries("Les crédits de 40 000 € HT sont inscrits.").is_empty());
    }

    #[test]
    fn reads_table_rows_of_imputations() {
        assert!(is_imputation_code("6568//9361"));
        assert!(is_operation_code("C01-620A06"));
        assert!(!is_operation_code("Hauts-de-France"));
        let (label, numbers) = split_numbers("PARTENARIAT - ARTISANAT 140 000,00 120 000,00");
        assert_eq!(label, "PARTENARIAT - ARTISANAT");
        assert_eq!(numbers, vec![14_000_000, 12_000_000]);
    }
}
