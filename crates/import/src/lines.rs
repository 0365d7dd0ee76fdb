//! What a clean line is: a header, a label of the attendance, a visa, an article, a vote…
//! Each test reads the folded line (lower case, no accents).

use crate::lex::{find, fold, has, is_upper_case, strip_label, title_case};
use crate::record::CountKind;

/// The collectivity a heading names: "DEPARTEMENT DU PAS-DE-CALAIS" gives "Département du
/// Pas-de-Calais", "COMMUNE DE SAINT-OMER" gives "Commune de Saint-Omer".
pub fn collectivity(line: &str, folded: &str) -> Option<String> {
    let named = COLLECTIVITY_KINDS
        .iter()
        .any(|(p, _)| folded.starts_with(p));
    if !named || line.chars().count() > 90 || line.contains([';', ':']) {
        return None;
    }
    let words = folded.split(' ').count();
    if words > 10 {
        return None;
    }
    for (prefix, canonical) in COLLECTIVITY_KINDS {
        let Some(rest) = folded.strip_prefix(prefix) else {
            continue;
        };
        if !(rest.starts_with(' ') || rest.starts_with('\'')) {
            continue;
        }
        let original_rest = map_to_original(line, folded, prefix.len())?.trim();
        // The particle between the kind and the name: "du", "de la", "de l'", "d'", "des", "de".
        let mut name = original_rest;
        let mut particle = String::new();
        for p in ["de la ", "de l'", "de l’", "du ", "des ", "de ", "d'", "d’"] {
            if fold(name).starts_with(&fold(p)) {
                particle = p.replace('’', "'");
                name = skip_chars(name, p.chars().count()).trim_start();
                break;
            }
        }
        // "Région Hauts-de-France" has no particle.
        if name.is_empty() || name.contains(',') {
            return None;
        }
        let name = name.trim_end_matches(['.', ' ']);
        let name = if is_upper_case(name) {
            title_case(name)
        } else {
            name.to_string()
        };
        return Some(format!("{canonical} {particle}{name}"));
    }
    None
}

const COLLECTIVITY_KINDS: [(&str, &str); 13] = [
    ("departement", "Département"),
    ("commune", "Commune"),
    ("mairie", "Commune"),
    ("ville", "Ville"),
    ("region", "Région"),
    ("communaute d'agglomeration", "Communauté d'agglomération"),
    ("communaute d’agglomeration", "Communauté d'agglomération"),
    ("communaute de communes", "Communauté de communes"),
    ("communaute urbaine", "Communauté urbaine"),
    ("metropole", "Métropole"),
    ("syndicat mixte", "Syndicat mixte"),
    ("syndicat intercommunal", "Syndicat intercommunal"),
    ("conseil departemental", "Conseil départemental"),
];

/// The deliberative body a heading names, the first mentioned on the line.
pub fn body(folded: &str) -> Option<&'static str> {
    let named = ["conseil", "commission", "bureau", "comite"]
        .iter()
        .any(|w| has(folded, w));
    if !named {
        return None;
    }
    BODIES
        .iter()
        .filter_map(|(needle, name)| find(folded, needle).map(|at| (at, *name)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, name)| name)
}

const BODIES: [(&str, &str); 10] = [
    ("commission permanente", "Commission permanente"),
    ("conseil departemental", "Conseil départemental"),
    ("conseil municipal", "Conseil municipal"),
    ("conseil communautaire", "Conseil communautaire"),
    ("conseil regional", "Conseil régional"),
    ("conseil metropolitain", "Conseil métropolitain"),
    ("bureau communautaire", "Bureau communautaire"),
    ("conseil de la metropole", "Conseil métropolitain"),
    ("comite syndical", "Comité syndical"),
    ("bureau syndical", "Bureau syndical"),
];

/// The deliberation's number on its own line: "(N°2023-479)", "Délibération n° 2024-012 :
/// …", "N° DEL-2024-05", "DCM n°2024/12". Returns the number and the text after it.
pub fn number(line: &str, folded: &str) -> Option<(String, String)> {
    if folded.starts_with("vu") || folded.starts_with("rapport") {
        return None;
    }
    // "1. Délibération n° …", "2) N° …": an item number of the agenda comes first.
    let item_number = folded
        .find(|c: char| !c.is_ascii_digit())
        .filter(|end| *end > 0 && *end <= 3)
        .and_then(|end| folded[end..].strip_prefix(['.', ')', '-']))
        .map(str::trim_start);
    let folded_start = item_number.unwrap_or(folded);
    let inner = folded_start.trim_start_matches(['(', '[', ' ']);
    let mut start = None;
    for prefix in NUMBER_PREFIXES {
        if let Some(rest) = inner.strip_prefix(prefix) {
            let mut rest = rest.trim_start();
            for mark in ["n°", "no ", "no.", "nº", "numero", "n °", "n.", "n "] {
                if let Some(r) = rest.strip_prefix(mark) {
                    rest = r.trim_start_matches([' ', ':']);
                    start = Some(folded.len() - rest.len());
                    break;
                }
            }
            if start.is_some() {
                break;
            }
        }
    }
    let start = start.or_else(|| {
        ["n°", "nº"]
            .iter()
            .find_map(|m| inner.strip_prefix(m))
            .map(|rest| folded.len() - rest.trim_start().len())
    });
    let Some(start) = start else {
        return year_sequence(line).or_else(|| coded_number(line));
    };
    let original = map_to_original(line, folded, start)?;
    let (token, consumed) = number_token(original);
    if !token.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let after = original
        .get(consumed..)
        .unwrap_or("")
        .trim_start_matches([')', ']', ' ', ':', '-', '–', '—', '.'])
        .trim();
    Some((repair_number(&token), after.to_string()))
}

/// A number of the year's sequence opening the line, without "n°": "2013-19 : Compte
/// administratif du budget général 2012", "2019_045 – Tarifs". Not a date ("2013-04-04").
fn year_sequence(line: &str) -> Option<(String, String)> {
    let t = line.trim_start();
    if !t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let year: u32 = t.get(..4)?.parse().ok()?;
    if !(1990..=2099).contains(&year) {
        return None;
    }
    // Paris: "2019 DAE 14 Subvention…", "2022 DFPE 6 : Subvention…" (year, direction, rank).
    if let Some(rest) = t[4..].strip_prefix(' ') {
        let letters = rest.find(|c: char| !c.is_ascii_uppercase()).unwrap_or(0);
        let after_code = rest[letters..].strip_prefix(' ')?;
        let digits = after_code
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_code.len());
        if !(2..=6).contains(&letters) || digits == 0 || digits > 4 {
            return None;
        }
        let after = after_code[digits..].trim_start();
        let after = after
            .strip_prefix([':', '–', '—', '-'])
            .unwrap_or(after)
            .trim();
        if !after.starts_with(|c: char| c.is_alphabetic()) {
            return None;
        }
        let end = 4 + 1 + letters + 1 + digits;
        return Some((t[..end].to_string(), after.to_string()));
    }
    let rest = t[4..].strip_prefix(['-', '/', '_'])?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 || digits > 4 {
        return None;
    }
    let after = rest[digits..].trim_start();
    let after = after.strip_prefix([':', '–', '—', '-'])?.trim();
    if !after.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    Some((t[..4 + 1 + digits].to_string(), after.to_string()))
}

/// A coded number opening the line, then a colon or a dash and the title: "DE_2019_045 :
/// Tarifs", "CM/19/045 – Voirie", "045/19 : Subvention". Letters, digits and one or two
/// separators, not a date.
fn coded_number(line: &str) -> Option<(String, String)> {
    let t = line.trim_start();
    // The first word, read as bytes: most lines end the test at their first space.
    let separator = |b: &u8| matches!(b, b'_' | b'/' | b'-');
    let token_end = t
        .bytes()
        .take(17)
        .position(|b| b.is_ascii_whitespace())
        .or((t.len() <= 16).then_some(t.len()))?;
    if !t.as_bytes()[..token_end].iter().any(separator) || !t.is_char_boundary(token_end) {
        return None;
    }
    let token = t[..token_end].trim_end_matches(':');
    let separators = token.bytes().filter(separator).count();
    let allowed = token
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || matches!(c, '_' | '/' | '-'));
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let date = separators == 2
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == '-');
    if !allowed || !(1..=2).contains(&separators) || digits < 2 || token.len() > 15 || date {
        return None;
    }
    let after = t[token.len()..].trim_start();
    let after = after.strip_prefix([':', '–', '—', '-'])?.trim();
    if !after.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    Some((token.to_string(), after.to_string()))
}

const NUMBER_PREFIXES: [&str; 8] = [
    "deliberation",
    "delib.",
    "delib",
    "dcm",
    "dcp",
    "dcc",
    "extrait",
    "acte",
];

fn skip_chars(text: &str, count: usize) -> &str {
    text.char_indices()
        .nth(count)
        .map_or("", |(byte, _)| &text[byte..])
}

pub fn map_to_original<'a>(line: &'a str, folded: &str, folded_byte: usize) -> Option<&'a str> {
    folded.get(..folded_byte)?;
    Some(crate::lex::original_from(line, folded, folded_byte))
}

/// "2023-479", "CP 2024-05-12", "DEL 2024 045": letters, digits and separators, where a
/// space is kept only between two parts that carry digits.
/// Returns the number and the bytes of `text` it was read from.
fn number_token(text: &str) -> (String, usize) {
    let mut out = String::new();
    let mut consumed = 0;
    let mut word_start = 0;
    for word in text.split(' ') {
        let this_word = word_start;
        word_start += word.len() + 1;
        let clean: String = word
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
            .collect();
        let clean = clean.trim_end_matches('.').to_string();
        let continues = clean.len() == word.trim_end_matches(['.', ')', ':', ',']).len();
        let separator_only = !clean.is_empty() && clean.chars().all(|c| matches!(c, '-' | '/'));
        if clean.is_empty() {
            break;
        }
        if !out.is_empty() {
            let joins =
                out.ends_with(['-', '/']) || separator_only || clean.starts_with(['-', '/']);
            let digits = clean.chars().any(|c| c.is_ascii_digit())
                && out.chars().any(|c| c.is_ascii_digit());
            let code_prefix = !out.chars().any(|c| c.is_ascii_digit())
                && out.len() <= 4
                && out.chars().all(|c| c.is_ascii_uppercase());
            let after_bare_separator = out.ends_with(" -") || out.ends_with(" /");
            if after_bare_separator && !clean.chars().any(|c| c.is_ascii_digit()) {
                break;
            }
            if joins {
            } else if (digits && clean.chars().all(|c| c.is_ascii_digit()))
                || (code_prefix && clean.chars().any(|c| c.is_ascii_digit()))
            {
                out.push(' ');
            } else {
                break;
            }
        }
        if separator_only && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&clean);
        consumed = this_word + clean.len();
        if !continues {
            break;
        }
    }
    let trimmed = out.trim_end_matches(['-', '/', ' ']);
    // "2024 - 012" is one number; the spaces around its hyphen are dropped.
    (
        trimmed.replace(" - ", "-").replace(" / ", "/"),
        consumed.min(text.len()),
    )
}

/// OCR reads a zero as "O" and a one as "l" inside numbers: "2O23-479" gives "2023-479".
fn repair_number(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    let digit_near = |i: usize| {
        (i > 0 && chars[i - 1].is_ascii_digit())
            || chars.get(i + 1).is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            'O' | 'o' if digit_near(i) => '0',
            'l' | 'I' if digit_near(i) => '1',
            c => *c,
        })
        .collect()
}

/// "RAPPORT N°20": the President's report.
pub fn report_number(folded: &str) -> Option<String> {
    let rest = folded.strip_prefix("rapport")?.trim_start();
    let rest = ["n°", "no ", "nº", "numero"]
        .iter()
        .find_map(|m| rest.strip_prefix(m))?
        .trim_start();
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!number.is_empty() && number.chars().any(|c| c.is_ascii_digit())).then_some(number)
}

/// "Objet : …" gives the subject after the colon.
pub fn subject<'a>(line: &'a str, folded: &str) -> Option<&'a str> {
    let rest = strip_label(folded, &["objet"])?;
    let rest = rest.trim_start();
    if !rest.starts_with(':') && !rest.starts_with('-') && !rest.starts_with('–') {
        return None;
    }
    line.split_once([':', '-', '–']).map(|(_, s)| s.trim())
}

pub fn is_visa(folded: &str) -> bool {
    folded == "vu"
        || ["vu ", "vu,", "vu:", "vus ", "vu la ", "vu le "]
            .iter()
            .any(|p| folded.starts_with(p))
}

pub fn is_considerant(folded: &str) -> bool {
    strip_label(folded, &["considerant", "attendu que"]).is_some()
}

/// "Après en avoir délibéré", "DECIDE :", "DÉLIBÈRE", "Le Conseil municipal, … décide".
pub fn is_decision(folded: &str) -> bool {
    let compact = folded.trim_start_matches(['-', ' ']);
    // Every form below has one of these (or an OCR slip of "decide" at the start).
    let possible = has(compact, "delib")
        || has(compact, "decid")
        || has(compact, "arrete")
        || has(compact, "approuve")
        || compact.len() < 12;
    if !possible {
        return false;
    }
    has(compact, "apres en avoir delibere")
        || has(compact, "apres avoir delibere")
        || ["decide", "delibere", "decident", "arrete :", "approuve :"]
            .iter()
            .any(|w| {
                compact.starts_with(w)
                    && !compact[w.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
        || (has(compact, " decide") && compact.trim_end().ends_with(':'))
        || strip_label(compact, &["decide"]).is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// "Article 1 :", "ARTICLE 1er –", "Article   2   :", "Art. 3 -", "Article unique".
/// Returns the article's number and the folded text after it.
pub fn article(folded: &str) -> Option<(String, &str)> {
    let rest = strip_label(folded, &["article", "art."])?;
    let rest = rest.trim_start();
    if let Some(tail) = rest.strip_prefix("unique") {
        return Some(("unique".to_string(), tail));
    }
    if let Some(tail) = rest.strip_prefix("premier") {
        return Some(("1".to_string(), tail));
    }
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if number.is_empty() || number.len() > 3 {
        return None;
    }
    let mut tail = &rest[number.len()..];
    tail = tail.strip_prefix("er").unwrap_or(tail);
    let tail = tail.trim_start();
    let (number, tail) = match tail.strip_prefix("bis") {
        Some(t) => (format!("{number} bis"), t),
        None => (number, tail),
    };
    // "Article 1 de la présente délibération" in a sentence is not a heading.
    let heading = tail.is_empty()
        || tail.starts_with([':', '-', '–', '—', '.', ')'])
        || tail.starts_with(char::is_uppercase);
    heading.then_some((number, tail))
}

/// The vote starts: "Pour : 44 voix", "Dans les conditions de vote ci-dessous", "Vote :",
/// "Adopté à l'unanimité", "(Adopté)".
pub fn is_vote(folded: &str) -> bool {
    let f = folded.trim_start_matches(['(', '-', ' ']);
    let announced = |w: &str| {
        f.strip_prefix(w).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with(':') || rest.starts_with(|c: char| c.is_ascii_digit())
        })
    };
    [
        "pour",
        "contre",
        "abstention",
        "abstentions",
        "abstention(s)",
        "votes pour",
        "vote",
    ]
    .iter()
    .any(|w| announced(w))
        || [
            "dans les conditions de vote",
            "votes :",
            "resultat du vote",
            "adopte",
            "rejete",
            "ne prend pas part",
            "ne prennent pas part",
            "n'a pas pris part",
            "n'ont pas pris part",
            "a l'unanimite",
            "unanimite",
            "prend acte",
            "prennent acte",
            "donne acte",
        ]
        .iter()
        .any(|w| f.starts_with(w))
        || (has(f, "adopt") || has(f, "approuve a"))
            && [
                "est adopte",
                "sont adoptes",
                "adopte a l'unanimite",
                "approuve a l'unanimite",
            ]
            .iter()
            .any(|w| has(f, w))
        || council_decides(f)
}

/// The assembly deciding in one sentence, without the decision formula ("après en avoir
/// délibéré, à l'unanimité, DÉCIDE :"): "Le Conseil municipal à l'unanimité approuve le
/// compte-rendu…", "Appelé à se prononcer, le Conseil donne son accord…". Tested on every
/// line: only a line that opens with the assembly is searched.
fn council_decides(f: &str) -> bool {
    let opens = f.starts_with("le conseil") || f.starts_with("appele a se prononcer");
    if !opens || has(f, "delibere") {
        return false;
    }
    has(f, "donne son accord")
        || has(f, "emet un avis favorable")
        || has(f, "unanimite")
            && !f.trim_end().ends_with(':')
            && [
                "approuve",
                "adopte",
                "decide",
                "accepte",
                "autorise",
                "emet un avis",
            ]
            .iter()
            .any(|w| has(f, w))
}

/// Closing lines: "Fait à …", "Pour extrait conforme", a line of dots, a signatory's capacity.
pub fn is_closing(folded: &str) -> bool {
    [
        "fait a ",
        "fait et delibere",
        "ainsi fait",
        "pour extrait conforme",
        "pour copie conforme",
        "certifie ",
        "acte rendu executoire",
        "...",
        "…",
        "la seance est levee",
    ]
    .iter()
    .any(|p| folded.starts_with(p))
        || signatory_role(folded)
        || place_and_date_line(folded)
}

/// "ARRAS, le 20 novembre 2023": a place, a comma and a date.
pub fn place_and_date_line(folded: &str) -> bool {
    let Some(at) = find(folded, ", le ") else {
        return false;
    };
    let (place, rest) = (&folded[..at], &folded[at + 5..]);
    let words = place.split(' ').count();
    words <= 5
        && !place.is_empty()
        && crate::dates::find_date(rest).is_some()
        && !place.starts_with("vu")
}

/// A signatory's capacity: "LE PRESIDENT DU CONSEIL DEPARTEMENTAL,", "Le Maire,", "Pour le
/// Président du Conseil départemental,", "La Directrice générale des services,".
pub fn signatory_role(folded: &str) -> bool {
    let f = folded.trim_start_matches(['-', ' ']);
    let starts = [
        "le president",
        "la presidente",
        "le maire",
        "la maire",
        "pour le president",
        "pour la presidente",
        "pour le maire",
        "pour la maire",
        "le vice-president",
        "la vice-presidente",
        "le secretaire de seance",
        "la secretaire de seance",
        "le directeur",
        "la directrice",
        "le premier adjoint",
        "la premiere adjointe",
        "l'adjoint",
        "l'adjointe",
        "le conseiller delegue",
        "la conseillere deleguee",
    ];
    starts.iter().any(|s| f.starts_with(s)) && f.chars().count() < 110 && !has(f, " a ete ")
}

/// The attendance list a line opens, and the folded text after its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    Present,
    Excused,
    Absent,
    Proxies,
    PresentWithoutVote,
    ExcusedWithoutVote,
}

pub fn attendance(folded: &str) -> Option<(Attendance, &str)> {
    let f = folded.trim_start_matches(['-', ' ', '•']);
    let (label, rest) = match f.find(':') {
        Some(label_end) => (&f[..label_end], &f[label_end + 1..]),
        // "ETAIENT ABSENTS", "ETAIT REPRESENTEE": a heading without a colon.
        None if f.starts_with("etai") && f.split_whitespace().count() <= 3 => (f, ""),
        None => return None,
    };
    if label.split(' ').count() > 10 {
        return None;
    }
    let kind = if has(label, "sans voix deliberative") {
        if has(label, "excus") {
            Attendance::ExcusedWithoutVote
        } else {
            Attendance::PresentWithoutVote
        }
    } else if has(label, "pouvoir")
        || has(label, "procuration")
        || has(label, "represente")
        || has(label, "delegation")
    {
        Attendance::Proxies
    } else if has(label, "excus") {
        Attendance::Excused
    } else if has(label, "absent") {
        Attendance::Absent
    } else if has(label, "present") {
        Attendance::Present
    } else {
        return None;
    };
    Some((kind, rest))
}

/// What a line is, computed once per line: each test below, as a bit.
pub mod kind {
    pub const VISA: u16 = 1;
    pub const CONSIDERANT: u16 = 1 << 1;
    pub const DECISION: u16 = 1 << 2;
    pub const ARTICLE: u16 = 1 << 3;
    pub const VOTE: u16 = 1 << 4;
    pub const CLOSING: u16 = 1 << 5;
    pub const ATTENDANCE: u16 = 1 << 6;
    pub const NUMBER: u16 = 1 << 7;
    pub const SUBJECT: u16 = 1 << 8;
    pub const STARTS: u16 = 1 << 9;
    pub const OPENS: u16 = 1 << 10;
    pub const SIGNATORY: u16 = 1 << 11;
}

/// An agenda item's heading in minutes and web pages: "2 - MODIFICATION DES HORAIRES DE
/// TRAVAIL DU SERVICE TECHNIQUE", "1 – APPROBATION DU COMPTE-RENDU": its title. Not a
/// line of a table ("1) ASSOCIATION X : 500 €"): no amount, no colon, three words at least.
pub fn agenda_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let digits = t.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = t[digits..].trim_start();
    let rest = rest
        .strip_prefix(['–', '—', '-', '.', ')'])?
        .trim_start_matches(['–', '—', '-', ' ']);
    let words = rest.split_whitespace().count();
    let plain = !rest.contains(['€', ':']);
    (words >= 3 && plain && is_upper_case(rest)).then_some(rest.trim())
}

/// A numbered heading in ordinary case, "1)Approbation des Comptes de Gestion 2014 :",
/// "3. Tarifs de la cantine": trusted only right above an act's recitals.
pub fn numbered_heading(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let digits = t.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = t[digits..].strip_prefix([')', '.', '°'])?.trim_start();
    let starts_upper = rest.chars().next().is_some_and(char::is_uppercase);
    (starts_upper && rest.split_whitespace().count() >= 2).then_some(rest)
}

/// The counts a line states, each "label : number": "Nombre de conseillers en exercice : 15 –
/// présents : 11 – votants : 13", "Qui ont pris part à la délibération : 21". A label
/// followed by names ("Présents : M. …") states no count.
pub fn stated_counts(folded: &str) -> Vec<(CountKind, u32)> {
    let mut counts = Vec::new();
    if memchr::memchr(b':', folded.as_bytes()).is_none() {
        return counts;
    }
    for piece in folded.split(['–', '—', ';', '/']) {
        let Some((label, value)) = piece.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_end_matches(['.', ',', ' ']);
        let Ok(value) = value.parse::<u32>() else {
            continue;
        };
        let label = label.trim();
        let kind = if label.contains("afferent") {
            CountKind::Seats
        } else if label.contains("en exercice") {
            CountKind::InOffice
        } else if label.contains("represent")
            || label.contains("pouvoir")
            || label.contains("procuration")
        {
            CountKind::Represented
        } else if label.contains("present") {
            CountKind::Present
        } else if label.contains("votant") || label.contains("pris part") {
            CountKind::Voting
        } else {
            continue;
        };
        counts.push((kind, value));
    }
    counts
}

/// Every test of a line at once.
pub fn classify(line: &str, folded: &str) -> u16 {
    use kind::*;
    if folded.is_empty() {
        return OPENS;
    }
    let bit = |on: bool, bit: u16| if on { bit } else { 0 };
    let numbered = number(line, folded).is_some();
    let subject_line = subject(line, folded).is_some();
    let k = bit(is_visa(folded), VISA)
        | bit(is_considerant(folded), CONSIDERANT)
        | bit(is_decision(folded), DECISION)
        | bit(article(folded).is_some(), ARTICLE)
        | bit(is_vote(folded), VOTE)
        | bit(signatory_role(folded), SIGNATORY)
        | bit(is_closing(folded), CLOSING)
        | bit(attendance(folded).is_some(), ATTENDANCE)
        | bit(numbered, NUMBER)
        | bit(subject_line, SUBJECT);
    let starts = numbered
        || subject_line
        || agenda_item(line).is_some()
        || collectivity(line, folded).is_some()
        || report_number(folded).is_some()
        || folded.starts_with("extrait du registre")
        || folded.starts_with("seance du ")
        || folded.starts_with("reunion du ")
        || folded.starts_with("proces-verbal")
        || (folded.starts_with("deliberation d") && is_upper_case(line));
    let opens = k
        & (VISA
            | CONSIDERANT
            | DECISION
            | ARTICLE
            | VOTE
            | CLOSING
            | ATTENDANCE
            | NUMBER
            | SUBJECT)
        != 0
        || folded.starts_with("secretaire")
        || folded.starts_with("presidence")
        || folded.starts_with("sous la presidence");
    k | bit(starts, STARTS) | bit(opens, OPENS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(line: &str) -> (String, String) {
        (line.to_string(), crate::lex::fold_keep_length(line))
    }

    #[test]
    fn stated_counts_are_read_apart_from_the_lists_of_names() {
        use CountKind::*;
        let table: [(&str, &[(CountKind, u32)]); 7] = [
            ("Nombre de membres en exercice : 19", &[(InOffice, 19)]),
            (
                "Nombre de conseillers en exercice : 15 – présents : 11 – votants : 13",
                &[(InOffice, 15), (Present, 11), (Voting, 13)],
            ),
            ("Qui ont pris part à la délibération : 21", &[(Voting, 21)]),
            (
                "Nombre de membres afférents au Conseil municipal : 23",
                &[(Seats, 23)],
            ),
            (
                "Représentés : 4 ; Présents : 25",
                &[(Represented, 4), (Present, 25)],
            ),
            ("Présents : M. Jean DUPONT, Mme Anne MARTIN", &[]),
            ("Pour : 25", &[]),
        ];
        for (line, expected) in table {
            let (_, folded) = f(line);
            assert_eq!(stated_counts(&folded), expected, "{line}");
        }
    }

    #[test]
    fn agenda_item_headings_are_told_from_table_rows() {
        let table = [
            (
                "2 -  MODIFICATION DES HORAIRES DE TRAVAIL  DU SERVICE TECHNIQUE",
                Some("MODIFICATION DES HORAIRES DE TRAVAIL  DU SERVICE TECHNIQUE"),
            ),
            (
                "1 – APPROBATION DU COMPTE-RENDU DE LA SEANCE DU 26 AVRIL 2017",
                Some("APPROBATION DU COMPTE-RENDU DE LA SEANCE DU 26 AVRIL 2017"),
            ),
            (
                "12. TARIFS DE LA CANTINE SCOLAIRE",
                Some("TARIFS DE LA CANTINE SCOLAIRE"),
            ),
            ("1) ASSOCIATION SPORTIVE DE ROQUES : 500 €", None),
            ("3 - Subvention au club de football", None),
            ("2024 - BUDGET PRIMITIF DE LA COMMUNE", None),
            ("1 - OUI", None),
        ];
        for (line, title) in table {
            assert_eq!(agenda_item(line), title, "{line}");
        }
    }

    #[test]
    fn numbers_without_a_label_open_the_line() {
        let number_of = |line: &str| {
            let (_, folded) = f(line);
            number(line, &folded)
        };
        let table = [
            (
                "2013-19 : Compte administratif 2012",
                Some(("2013-19", "Compte administratif 2012")),
            ),
            (
                "2019 DAE 14 Subvention à l'association",
                Some(("2019 DAE 14", "Subvention à l'association")),
            ),
            (
                "2022 DFPE 6 : Subvention, avenant n° 1",
                Some(("2022 DFPE 6", "Subvention, avenant n° 1")),
            ),
            (
                "DE_2019_045 : Tarifs de la cantine",
                Some(("DE_2019_045", "Tarifs de la cantine")),
            ),
            (
                "CM/19/045 – Voirie communale",
                Some(("CM/19/045", "Voirie communale")),
            ),
            (
                "045/19 : Subvention au club",
                Some(("045/19", "Subvention au club")),
            ),
            ("20/11/2023 : séance", None),
            ("2023-11-20 : séance", None),
            ("2024 - BUDGET PRIMITIF", None),
            ("A/B : texte", None),
        ];
        for (line, expected) in table {
            let found = number_of(line);
            let found = found.as_ref().map(|(n, a)| (n.as_str(), a.as_str()));
            assert_eq!(found, expected, "{line}");
        }
    }

    #[test]
    fn numbered_headings_in_ordinary_case() {
        for (line, title) in [
            (
                "1)Approbation des Comptes de Gestion 2014 :",
                Some("Approbation des Comptes de Gestion 2014 :"),
            ),
            ("3. Tarifs de la cantine", Some("Tarifs de la cantine")),
            ("12) d'approuver le projet", None),
            ("2024. Budget primitif", None),
            ("4) Voirie", None),
        ] {
            assert_eq!(numbered_heading(line), title, "{line}");
        }
    }

    #[test]
    fn a_unanimous_decision_on_one_line_is_a_vote_not_the_decision_formula() {
        for (line, vote) in [
            (
                "Le Conseil municipal à l'unanimité approuve le compte-rendu de la séance.",
                true,
            ),
            (
                "Le Conseil municipal, à l’unanimité, donne son accord au projet.",
                true,
            ),
            (
                "Le Conseil municipal, après en avoir délibéré, à l'unanimité, DÉCIDE :",
                false,
            ),
            (
                "Après en avoir délibéré, le Conseil municipal, à l'unanimité, décide de verser",
                false,
            ),
        ] {
            let (_, folded) = f(line);
            assert_eq!(is_vote(&folded), vote, "{line}");
        }
    }

    #[test]
    fn reads_collectivities_from_headings() {
        let cases = [
            (
                "DEPARTEMENT DU PAS-DE-CALAIS",
                Some("Département du Pas-de-Calais"),
            ),
            ("COMMUNE DE SAINT-OMER", Some("Commune de Saint-Omer")),
            ("Région Hauts-de-France", Some("Région Hauts-de-France")),
            (
                "COMMUNAUTE D'AGGLOMERATION DU BOULONNAIS",
                Some("Communauté d'agglomération du Boulonnais"),
            ),
            ("Département du Pas-de-Calais, dont le siège est", None),
            ("Vu le code", None),
        ];
        for (line, expected) in cases {
            let (l, fo) = f(line);
            assert_eq!(collectivity(&l, &fo).as_deref(), expected, "{line}");
        }
    }

    #[test]
    fn reads_numbers_in_their_forms() {
        let cases = [
            ("(N°2023-479)", Some(("2023-479", ""))),
            (
                "Délibération n° 2024-012 : Subvention au club",
                Some(("2024-012", "Subvention au club")),
            ),
            ("DELIBERATION N° CP 2024-05-12", Some(("CP 2024-05-12", ""))),
            ("N° 2O24-O45 – Tarifs", Some(("2024-045", "Tarifs"))),
            ("DCM n°2024/12", Some(("2024/12", ""))),
            ("Vu la délibération n°2021-257 du Conseil", None),
            ("RAPPORT N°20", None),
            ("Délibération du Conseil municipal", None),
        ];
        for (line, expected) in cases {
            let (l, fo) = f(line);
            let got = number(&l, &fo);
            assert_eq!(
                got.as_ref().map(|(n, a)| (n.as_str(), a.as_str())),
                expected,
                "{line}"
            );
        }
    }

    #[test]
    fn reads_article_headings_not_references() {
        assert_eq!(article("article 1 :").map(|a| a.0), Some("1".into()));
        assert_eq!(article("article 1er -").map(|a| a.0), Some("1".into()));
        assert_eq!(article("article   2   :").map(|a| a.0), Some("2".into()));
        assert_eq!(article("arlicle 3 :").map(|a| a.0), Some("3".into()));
        assert_eq!(
            article("article unique :").map(|a| a.0),
            Some("unique".into())
        );
        assert_eq!(article("article 1 de la presente deliberation"), None);
    }

    #[test]
    fn tells_attendance_labels_apart() {
        let cases = [
            ("etaient presents : m. x", Attendance::Present),
            ("excuse(s) : m. x", Attendance::Excused),
            (
                "excuse(s) sans voix deliberative : m. x",
                Attendance::ExcusedWithoutVote,
            ),
            (
                "assistant egalement sans voix deliberative : m. x",
                Attendance::PresentWithoutVote,
            ),
            (
                "absents excuses ayant donne pouvoir : a a b",
                Attendance::Proxies,
            ),
            ("absent(s) : m. y", Attendance::Absent),
            ("pouvoirs : a a b", Attendance::Proxies),
        ];
        for (line, expected) in cases {
            assert_eq!(attendance(line).map(|a| a.0), Some(expected), "{line}");
        }
        assert_eq!(attendance("pour : 44 voix"), None);
    }

    #[test]
    fn recognises_decisions_votes_and_closings() {
        assert!(is_decision("apres en avoir delibere,"));
        assert!(is_decision("decide :"));
        assert!(is_decision("le conseil municipal, a l'unanimite, decide :"));
        assert!(!is_decision("decidement"));
        assert!(is_vote("pour : 44 voix (groupe"));
        assert!(is_vote("(adopte)"));
        assert!(!is_vote("pour le president du conseil departemental,"));
        assert!(is_closing("arras, le 20 novembre 2023"));
        assert!(is_closing("le president du conseil departemental,"));
        assert!(!is_closing("vu le code, le 20 novembre 2023"));
    }
}
