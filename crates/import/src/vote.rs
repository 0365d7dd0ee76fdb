//! The vote: "Pour : 44 voix (Groupe A ; Groupe B) Contre : 0 voix Abstention : 0 voix
//! (Adopté)", "Adopté à l'unanimité", "Pour 25, contre 3 (M. X, Mme Y), abstentions 2",
//! "Ne prend pas part au vote : M. Z", "Le conseil prend acte".

use crate::dates::number_words;
use crate::lex::{find, fold_keep_length, has, trim_end_punctuation};
use crate::people::person;
use crate::record::{Outcome, Position, Stance, Vote};

const POSITIONS: [(&str, Position); 16] = [
    ("ne prend pas part au vote", Position::NotVoting),
    ("ne prennent pas part au vote", Position::NotVoting),
    ("n'a pas pris part au vote", Position::NotVoting),
    ("n'ont pas pris part au vote", Position::NotVoting),
    ("ne participe pas au vote", Position::NotVoting),
    ("ne participent pas au vote", Position::NotVoting),
    ("non-participation", Position::NotVoting),
    ("votes pour", Position::For),
    ("vote pour", Position::For),
    ("pour", Position::For),
    ("votes contre", Position::Against),
    ("vote contre", Position::Against),
    ("contre", Position::Against),
    ("abstentions", Position::Abstention),
    ("abstention", Position::Abstention),
    ("abstention(s)", Position::Abstention),
];

/// Reads the vote from the text of the vote area (lines joined); `None` when it states
/// nothing about the vote.
pub fn read_vote(text: &str) -> Option<Vote> {
    let folded = fold_keep_length(text);
    let starts = stance_starts(&folded);
    let mut stances: Vec<Stance> = Vec::new();
    for (index, (position, content_start)) in starts.iter().enumerate() {
        let end = starts
            .get(index + 1)
            .map_or(folded.len(), |(_, next)| keyword_start(&folded, *next));
        let content = crate::lex::original_range(text, &folded, *content_start, end);
        let stance = read_stance(*position, content);
        if !stances.iter().any(|s| s.position == stance.position) {
            stances.push(stance);
        }
    }
    if stances.is_empty() {
        stances = inline_counts(&folded);
    }
    let unanimous = has(&folded, "unanimite");
    let outcome = outcome(&folded).or(if unanimous {
        Some(Outcome::Adopted)
    } else {
        None
    });
    if stances.is_empty() && !unanimous && outcome.is_none() {
        return None;
    }
    Some(Vote {
        stances,
        unanimous,
        outcome,
    })
}

/// "par 12 voix pour, 2 voix contre et 1 abstention": counts written before their position.
fn inline_counts(folded: &str) -> Vec<Stance> {
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut stances: Vec<Stance> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Ok(count) = word.parse::<u32>() else {
            continue;
        };
        let mut next = i + 1;
        if words.get(next) == Some(&"voix") {
            next += 1;
        }
        let said_voix = next > i + 1;
        let position = match words.get(next).copied() {
            Some("pour") if said_voix => Position::For,
            Some("contre") if said_voix => Position::Against,
            Some("abstention" | "abstentions") => Position::Abstention,
            _ => continue,
        };
        if !stances.iter().any(|s| s.position == position) {
            stances.push(Stance {
                position,
                count: Some(count),
                groups: Vec::new(),
                members: Vec::new(),
            });
        }
    }
    stances
}

/// "(Adopté)", "ADOPTE", "adoptée à la majorité", "rejeté", "prend acte", "le Conseil donne
/// son accord".
pub fn outcome(folded: &str) -> Option<Outcome> {
    let found = [
        ("rejete", Outcome::Rejected),
        ("n'est pas adopte", Outcome::Rejected),
        ("non adopte", Outcome::Rejected),
        ("prend acte", Outcome::Noted),
        ("prennent acte", Outcome::Noted),
        ("pris acte", Outcome::Noted),
        ("donne acte", Outcome::Noted),
        ("adopte", Outcome::Adopted),
        ("donne son accord", Outcome::Adopted),
        ("emet un avis favorable", Outcome::Adopted),
    ];
    found
        .iter()
        .filter_map(|(word, outcome)| find(folded, word).map(|at| (at, *word, *outcome)))
        // "n'est pas adopté" contains "adopte": the longer, negative form wins.
        .min_by_key(|(at, word, _)| (*at, usize::MAX - word.len()))
        .map(|(_, _, outcome)| outcome)
}

/// Where each stance keyword's content starts, outside parentheses, when the keyword begins
/// a word and is followed by a colon or a number.
fn stance_starts(folded: &str) -> Vec<(Position, usize)> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if depth == 0 && word_start && folded.is_char_boundary(i) {
            let rest = &folded[i..];
            if let Some((keyword, position)) = POSITIONS.iter().find(|(k, _)| rest.starts_with(k)) {
                let after = &rest[keyword.len()..];
                let trimmed = after.trim_start();
                // "Pour : 44" anywhere; "Pour 25" only where a list of counts starts, not
                // inside a sentence ("une subvention de 95 000 € pour 2024").
                let previous = folded[..i].trim_end().chars().last();
                let listed = previous
                    .is_none_or(|c| matches!(c, ':' | '.' | ',' | ';' | '–' | '-' | '(' | ')'));
                let announces = trimmed.starts_with(':')
                    || (listed
                        && (trimmed.starts_with(|c: char| c.is_ascii_digit())
                            || starts_with_number_word(trimmed)));
                let word_end = !after.starts_with(|c: char| c.is_alphanumeric());
                if announces && word_end {
                    let content = i + keyword.len() + (after.len() - trimmed.len());
                    starts.push((*position, content));
                    i = content;
                    continue;
                }
            }
        }
        i += 1;
    }
    starts
}

fn starts_with_number_word(text: &str) -> bool {
    let word: &str = text.split([' ', ',', ';', '(']).next().unwrap_or("");
    word == "zero" || number_words(&[word]).is_some()
}

/// The byte where the keyword whose content starts at `content` begins: the content start
/// minus the keyword, found again by scanning back over letters, spaces and colons.
fn keyword_start(folded: &str, content: usize) -> usize {
    let before = &folded[..content];
    for (keyword, _) in POSITIONS {
        let trimmed = before.trim_end();
        if let Some(start) = trimmed.strip_suffix(keyword) {
            return start.len();
        }
    }
    content
}

fn read_stance(position: Position, content: &str) -> Stance {
    let content = content.trim_start_matches([':', ' ']);
    let folded = fold_keep_length(content);
    let count_word: String = folded
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let count = count_word
        .parse::<u32>()
        .ok()
        .or_else(|| (count_word == "zero" || count_word == "aucune").then_some(0))
        .or_else(|| number_words(&[count_word.as_str()]));
    let listed = match content.find('(') {
        Some(open) => first_parenthesis(&content[open..]),
        None if count.is_none() => first_sentence(content),
        None => "",
    };
    let separator = if listed.contains(';') { ';' } else { ',' };
    let mut groups = Vec::new();
    let mut members = Vec::new();
    let mut last_was_group = false;
    for item in listed.split(separator) {
        let item = trim_end_punctuation(item);
        let item_folded = fold_keep_length(item);
        if item.is_empty() || OUTCOME_WORDS.iter().any(|w| item_folded.starts_with(w)) {
            continue;
        }
        let group = ["groupe", "non-inscrit", "non inscrit", "liste "]
            .iter()
            .any(|w| item_folded.starts_with(w));
        let civility = ["m. ", "mme ", "monsieur ", "madame "]
            .iter()
            .any(|w| item_folded.starts_with(w));
        if group {
            groups.push(item.to_string());
            last_was_group = true;
        } else if last_was_group && !civility && separator == ',' {
            // "Groupe Socialiste, Républicain et Citoyen": a comma inside a group's name.
            if let Some(previous) = groups.last_mut() {
                previous.push_str(", ");
                previous.push_str(item.trim());
            }
        } else if let Some(member) = person(item, None) {
            members.push(member);
            last_was_group = false;
        }
    }
    Stance {
        position,
        count,
        groups,
        members,
    }
}

/// The inside of the parenthesis the text opens with, up to its matching close (or the end).
fn first_parenthesis(text: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &text[1..i];
                }
            }
            _ => {}
        }
    }
    text.get(1..).unwrap_or("")
}

/// The text up to the first full stop that ends a sentence: "M. Luc MOREL. Adoptée" gives
/// "M. Luc MOREL"; the stops of "M." and "Mme." do not count.
fn first_sentence(text: &str) -> &str {
    let mut search = 0;
    while let Some(at) = text[search..].find(". ") {
        let stop = search + at;
        let word = text[..stop].rsplit(' ').next().unwrap_or("");
        if !matches!(word, "M" | "MM" | "Mme" | "Mmes" | "Mr" | "St" | "Ste")
            && word.chars().count() > 1
        {
            return &text[..stop];
        }
        search = stop + 2;
    }
    text
}

const OUTCOME_WORDS: [&str; 3] = ["adopte", "rejete", "voix"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Civility, Person};

    #[test]
    fn reads_the_seed_vote_by_group() {
        let vote = read_vote(
            "Pour : 44 voix (Groupe Socialiste, Républicain et Citoyen ; Groupe Communiste et Républicain ; Groupe Union pour le Pas-de-Calais ; Groupe Rassemblement National ; Non-inscrit) Contre : 0 voix Abstention : 0 voix (Adopté)",
        )
        .expect("a vote");
        assert_eq!(vote.outcome, Some(Outcome::Adopted));
        assert!(!vote.unanimous);
        assert_eq!(vote.stances.len(), 3);
        assert_eq!(vote.stances[0].count, Some(44));
        assert_eq!(
            vote.stances[0].groups,
            vec![
                "Groupe Socialiste, Républicain et Citoyen",
                "Groupe Communiste et Républicain",
                "Groupe Union pour le Pas-de-Calais",
                "Groupe Rassemblement National",
                "Non-inscrit"
            ]
        );
        assert_eq!(vote.stances[1].position, Position::Against);
        assert_eq!(vote.stances[1].count, Some(0));
        assert_eq!(vote.stances[2].count, Some(0));
    }

    #[test]
    fn reads_counts_members_and_outcomes() {
        let vote = read_vote("Votes : Pour 25, contre 3 (M. Paul DURAND, Mme Anne PETIT), abstentions : 2. Ne prend pas part au vote : M. Luc MOREL. Adoptée à la majorité.")
            .expect("a vote");
        assert_eq!(vote.outcome, Some(Outcome::Adopted));
        let counts: Vec<_> = vote.stances.iter().map(|s| (s.position, s.count)).collect();
        assert_eq!(
            counts,
            vec![
                (Position::For, Some(25)),
                (Position::Against, Some(3)),
                (Position::Abstention, Some(2)),
                (Position::NotVoting, None)
            ]
        );
        assert_eq!(vote.stances[1].members.len(), 2);
        assert_eq!(
            vote.stances[3].members,
            vec![Person {
                civility: Some(Civility::Monsieur),
                name: "Luc MOREL".into()
            }]
        );
    }

    #[test]
    fn reads_unanimity_rejection_and_taking_note() {
        let unanimous =
            read_vote("Adopté à l'unanimité des membres présents et représentés.").expect("vote");
        assert!(unanimous.unanimous);
        assert_eq!(unanimous.outcome, Some(Outcome::Adopted));
        assert_eq!(
            read_vote("La délibération n'est pas adoptée.").and_then(|v| v.outcome),
            Some(Outcome::Rejected)
        );
        assert_eq!(
            read_vote("Le conseil municipal prend acte du rapport.").and_then(|v| v.outcome),
            Some(Outcome::Noted)
        );
        assert_eq!(
            read_vote("Pour le Président du Conseil départemental,"),
            None
        );
    }
}
