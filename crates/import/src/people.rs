//! Names in attendance lists: "M. Jean-Claude LEROY", "Mme Maïté MULOT-FRISCOURT (pouvoir à
//! M. Bruno COUSEIN)", "MM. Dupont, Durand", "X a donné pouvoir à Y", "(jusqu'à 11 h 50)".

use crate::dates::find_time;
use crate::lex::{find, fold_keep_length, is_upper_case, title_case, trim_end_punctuation};
use crate::record::{Civility, Moment, PartialPresence, Person, Proxy};

/// One entry of a list, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Member(Person),
    Proxy(Proxy),
    Partial(PartialPresence),
}

/// Reads a list of members: items separated by commas, semicolons or a last " et ".
/// Items that are not names (counts, "les membres suivants") are skipped.
pub fn read_list(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut plural_civility = None;
    for item in split_items(text) {
        let item = trim_end_punctuation(item);
        let folded = fold_keep_length(item);
        let (plural, rest) = strip_plural_civility(item, &folded);
        if plural.is_some() {
            plural_civility = plural;
        }
        if let Some(entry) = read_entry(rest, plural_civility) {
            entries.push(entry);
        }
    }
    entries
}

/// Splits on commas and semicolons outside parentheses, and on " et " before a civility.
fn split_items(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            // "CAULE – GRANDGIRARD - QUENET": dashes with a space on each side separate
            // names (a hyphen inside a name has none).
            '–' | '—' | '-'
                if depth == 0
                    && text[..i].ends_with(' ')
                    && text[i + c.len_utf8()..].starts_with(' ') =>
            {
                items.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
        .into_iter()
        .flat_map(split_on_and)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

fn split_on_and(item: &str) -> Vec<&str> {
    for civility in [
        " et M. ",
        " et Mme ",
        " et MM. ",
        " et Mmes ",
        " et Monsieur ",
        " et Madame ",
    ] {
        if let Some(at) = item.find(civility)
            && !item[..at].contains('(')
        {
            return vec![&item[..at], &item[at + 4..]];
        }
    }
    vec![item]
}

fn strip_plural_civility<'a>(item: &'a str, folded: &str) -> (Option<Civility>, &'a str) {
    for (prefix, civility) in [
        ("mm. ", Civility::Monsieur),
        ("mrs ", Civility::Monsieur),
        ("messieurs ", Civility::Monsieur),
        ("mmes ", Civility::Madame),
        ("mesdames ", Civility::Madame),
    ] {
        if folded.starts_with(prefix) {
            return (
                Some(civility),
                skip_chars(item, prefix.chars().count()).trim_start(),
            );
        }
    }
    (None, item)
}

fn read_entry(item: &str, default_civility: Option<Civility>) -> Option<Entry> {
    let (name_part, remark) = match item.find('(') {
        Some(open) => {
            let close = item[open..].find(')').map_or(item.len(), |c| open + c);
            (item[..open].trim(), Some(item[open + 1..close].trim()))
        }
        None => (item, None),
    };
    let folded = fold_keep_length(name_part);
    // "X a donné pouvoir à Y", "X donne procuration à Y", "X représenté(e) par Y", "X à Y".
    let linked = find(&folded, " a ").is_some() || find(&folded, " par ").is_some();
    for marker in [
        " a donne pouvoir a ",
        " donne pouvoir a ",
        " a donne procuration a ",
        " donne procuration a ",
        " pouvoir a ",
        " procuration a ",
        " represente par ",
        " representee par ",
        " represente(e) par ",
        " par ",
        " a ",
    ] {
        if !linked {
            break;
        }
        if let Some(at) = find(&folded, marker) {
            let giver = person(
                crate::lex::original_range(name_part, &folded, 0, at),
                default_civility,
            )?;
            let holder = person(
                crate::lex::original_from(name_part, &folded, at + marker.len()),
                None,
            )?;
            return Some(Entry::Proxy(Proxy { giver, holder }));
        }
    }
    let member = person(name_part, default_civility)?;
    let Some(remark) = remark else {
        return Some(Entry::Member(member));
    };
    let remark_folded = fold_keep_length(remark);
    for marker in [
        "pouvoir a ",
        "delegation de vote a ",
        "procuration a ",
        "represente par ",
        "representee par ",
    ] {
        if let Some(at) = find(&remark_folded, marker) {
            let holder = person(
                crate::lex::original_from(remark, &remark_folded, at + marker.len()),
                None,
            )?;
            return Some(Entry::Proxy(Proxy {
                giver: member,
                holder,
            }));
        }
    }
    match partial_presence(&remark_folded) {
        Some((from, until)) => Some(Entry::Partial(PartialPresence {
            member,
            from,
            until,
        })),
        None => Some(Entry::Member(member)),
    }
}

fn skip_chars(text: &str, count: usize) -> &str {
    text.char_indices()
        .nth(count)
        .map_or("", |(byte, _)| &text[byte..])
}

/// "à partir du rapport n°15", "jusqu'à 11 h 50", "arrivé(e) à 10 h 15", "départ à 12 h",
/// "jusqu'au rapport n°12", "a quitté la séance à 11 h 50".
pub fn partial_presence(remark: &str) -> Option<(Option<Moment>, Option<Moment>)> {
    let from_markers = [
        "a partir d",
        "arrive",
        "arrivee",
        "a rejoint",
        "rejoint la seance",
    ];
    let until_markers = [
        "jusqu'",
        "depart",
        "a quitte",
        "quitte la seance",
        "est parti",
    ];
    let from = from_markers
        .iter()
        .find_map(|m| find(remark, m).map(|at| &remark[at..]))
        .and_then(moment);
    let until = until_markers
        .iter()
        .find_map(|m| find(remark, m).map(|at| &remark[at..]))
        .and_then(moment);
    if from.is_none() && until.is_none() {
        None
    } else {
        Some((from, until))
    }
}

/// "rapport n°15", "délibération n° 5", "point 7" or a time.
fn moment(text: &str) -> Option<Moment> {
    for marker in [
        "rapport",
        "deliberation",
        "point",
        "question",
        "dossier",
        "affaire",
    ] {
        if let Some(at) = find(text, marker) {
            let after = &text[at + marker.len()..];
            let number: String = after
                .trim_start_matches([' ', 'n', '°', 'o', 'º', '.', ':'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if number.chars().any(|c| c.is_ascii_digit()) {
                return Some(Moment::Item(number));
            }
        }
    }
    find_time(text).map(Moment::Time)
}

const ROLE_WORDS: [&str; 12] = [
    "maire",
    "adjoint",
    "adjointe",
    "conseiller",
    "conseillere",
    "president",
    "presidente",
    "vice-president",
    "vice-presidente",
    "delegue",
    "deleguee",
    "secretaire",
];

/// A person from "M. Jean-Claude LEROY", "Monsieur JEAN-CLAUDE LEROY", "Jean Dupont":
/// `None` when the text does not look like a name.
pub fn person(text: &str, default_civility: Option<Civility>) -> Option<Person> {
    let collapsed = acta_domain::french::normalize_spaces(text);
    let text = trim_end_punctuation(&collapsed);
    let text = text.trim_start_matches(['-', '–', '•', '*', ' ']);
    let folded = fold_keep_length(text);
    let mut civility = default_civility;
    let mut name = text;
    for (prefix, c) in [
        ("monsieur ", Civility::Monsieur),
        ("madame ", Civility::Madame),
        ("mademoiselle ", Civility::Madame),
        ("mme. ", Civility::Madame),
        ("mme ", Civility::Madame),
        ("mlle ", Civility::Madame),
        ("mr. ", Civility::Monsieur),
        ("mr ", Civility::Monsieur),
        ("m. ", Civility::Monsieur),
        ("m ", Civility::Monsieur),
    ] {
        if folded.starts_with(prefix) {
            civility = Some(c);
            name = skip_chars(text, prefix.chars().count()).trim();
            break;
        }
    }
    // "Jean DUPONT, Maire": the capacity is not part of the name.
    let name = name.split(" - ").next().unwrap_or(name).trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    let first_folded = fold_keep_length(words[0]);
    if ROLE_WORDS.contains(&first_folded.as_str()) || NOT_NAMES.iter().any(|w| first_folded == *w) {
        return None;
    }
    let looks_like_name = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || PARTICLES.contains(&w.to_lowercase().as_str())
    }) && words.iter().all(|w| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
            // A full stop only after an initial: "J.-C.", not "GEORGET. FONDS".
            && (!w.ends_with('.') || w.chars().filter(|c| c.is_alphabetic()).count() <= 2)
    });
    if !looks_like_name || (civility.is_none() && words.len() < 2) {
        return None;
    }
    Some(Person {
        civility,
        name: normalise_name(&words),
    })
}

const NOT_NAMES: [&str; 8] = [
    "les", "le", "la", "membres", "groupe", "pour", "contre", "nombre",
];
const PARTICLES: [&str; 6] = ["de", "du", "des", "d'", "le", "la"];

/// A name written wholly in capitals gets capitalised first names: "JEAN-CLAUDE LEROY" gives
/// "Jean-Claude LEROY". The last word is taken as the surname.
fn normalise_name(words: &[&str]) -> String {
    if words.len() >= 2 && words.iter().all(|w| is_upper_case(w)) {
        let (surname, first_names) = words.split_last().unwrap_or((&"", &[]));
        let mut out: Vec<String> = first_names.iter().map(|w| title_case(w)).collect();
        out.push((*surname).to_string());
        return out.join(" ");
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    #[test]
    fn names_separated_by_spaced_dashes_share_their_plural_civility() {
        let read = read_list("Mmes CAULE – GRANDGIRARD – PEIRETTI GARNIER - Mrs PLANTIER – HIGON");
        let names: Vec<(Option<Civility>, String)> = read
            .into_iter()
            .map(|e| match e {
                Entry::Member(p) => (p.civility, p.name),
                other => panic!("{other:?}"),
            })
            .collect();
        let madame = Some(Civility::Madame);
        let monsieur = Some(Civility::Monsieur);
        assert_eq!(
            names,
            [
                (madame, "CAULE".to_string()),
                (madame, "GRANDGIRARD".to_string()),
                // Two words in capitals: the first is read as a first name.
                (madame, "Peiretti GARNIER".to_string()),
                (monsieur, "PLANTIER".to_string()),
                (monsieur, "HIGON".to_string()),
            ]
        );
        // A hyphen inside a name is not a separator.
        assert_eq!(
            read_list("Mme Marie-Claude MUSSO - M. Jean-Luc AVENA").len(),
            2
        );
    }

    fn m(civility: Option<Civility>, name: &str) -> Person {
        Person {
            civility,
            name: name.into(),
        }
    }

    #[test]
    fn reads_names_with_civilities() {
        let entries = read_list(
            "M. Jean-Claude LEROY, Mme Mireille HINGREZ-CÉRÉDA, M. Laurent DUPORGE, MM. Dupont, Durand et Mme Martin.",
        );
        assert_eq!(
            entries,
            vec![
                Entry::Member(m(Some(Civility::Monsieur), "Jean-Claude LEROY")),
                Entry::Member(m(Some(Civility::Madame), "Mireille HINGREZ-CÉRÉDA")),
                Entry::Member(m(Some(Civility::Monsieur), "Laurent DUPORGE")),
                Entry::Member(m(Some(Civility::Monsieur), "Dupont")),
                Entry::Member(m(Some(Civility::Monsieur), "Durand")),
                Entry::Member(m(Some(Civility::Madame), "Martin")),
            ]
        );
    }

    #[test]
    fn reads_proxies_in_their_forms() {
        let cases = [
            "Mme Anne PETIT (pouvoir à M. Paul DURAND)",
            "Mme Anne PETIT a donné pouvoir à M. Paul DURAND",
            "Mme Anne PETIT (délégation de vote à M. Paul DURAND)",
            "Mme Anne PETIT à M. Paul DURAND",
            "Mme Anne PETIT représentée par M. Paul DURAND",
        ];
        for text in cases {
            assert_eq!(
                read_list(text),
                vec![Entry::Proxy(Proxy {
                    giver: m(Some(Civility::Madame), "Anne PETIT"),
                    holder: m(Some(Civility::Monsieur), "Paul DURAND"),
                })],
                "{text}"
            );
        }
    }

    #[test]
    fn reads_partial_presence() {
        let entries =
            read_list("M. Luc MOREL (à partir du rapport n°15), Mme Eva ROUX (jusqu'à 11 h 50)");
        assert_eq!(
            entries,
            vec![
                Entry::Partial(PartialPresence {
                    member: m(Some(Civility::Monsieur), "Luc MOREL"),
                    from: Some(Moment::Item("15".into())),
                    until: None,
                }),
                Entry::Partial(PartialPresence {
                    member: m(Some(Civility::Madame), "Eva ROUX"),
                    from: None,
                    until: Some(Moment::Time(time(11, 50, 0, 0))),
                }),
            ]
        );
    }

    #[test]
    fn skips_what_is_not_a_name() {
        assert_eq!(read_list("42, les membres suivants, Maire adjoint"), vec![]);
        assert_eq!(
            person("MONSIEUR JEAN-CLAUDE LEROY", None),
            Some(m(Some(Civility::Monsieur), "Jean-Claude LEROY"))
        );
    }
}
