//! Dates and times as deliberations write them: "20 novembre 2023", "1er juillet 2021",
//! "06/11/2023", "l'an deux mille vingt-quatre, le douze mars", "18 h 30", "dix-huit heures".

use jiff::civil::{Date, Time};

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// The first date written in the text, in any of the forms above.
pub fn find_date(text: &str) -> Option<Date> {
    let folded = crate::lex::fold_keep_length(text);
    let words = words(&folded);
    numeric_date(&folded).or_else(|| spelled_date(&words))
}

/// Words of a folded text: letters and digits, split on spaces, punctuation and apostrophes
/// (hyphens are kept: "vingt-quatre").
fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// "06/11/2023", "6.11.2023", "06-11-2023"; a two-digit year is not read (ambiguous century).
fn numeric_date(folded: &str) -> Option<Date> {
    let bytes = folded.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if bytes[start].is_ascii_digit()
            && (start == 0 || !bytes[start - 1].is_ascii_digit())
            && let Some(date) = numeric_date_at(&folded[start..])
        {
            return Some(date);
        }
        start += 1;
    }
    None
}

fn numeric_date_at(text: &str) -> Option<Date> {
    let mut parts = Vec::new();
    let mut rest = text;
    for index in 0..3 {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return None;
        }
        rest = &rest[digits.len()..];
        parts.push(digits);
        if index < 2 {
            let separator = rest.chars().next()?;
            if !matches!(separator, '/' | '.' | '-') {
                return None;
            }
            rest = &rest[1..];
        }
    }
    if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let (d, m, y) = (&parts[0], &parts[1], &parts[2]);
    if d.len() > 2 || m.len() > 2 || y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// "20 novembre 2023", "1er juillet 2021", "vingt novembre deux mille vingt-trois", and
/// "l'an deux mille vingt-quatre, le douze mars" where the year comes first.
fn spelled_date(words: &[&str]) -> Option<Date> {
    for (index, word) in words.iter().enumerate() {
        let Some(month) = MONTHS.iter().position(|m| m == word) else {
            continue;
        };
        let day = day_before(&words[..index]);
        let year = year_after(&words[index + 1..]).or_else(|| year_of_an(&words[..index]));
        if let (Some(day), Some(year)) = (day, year) {
            let month = i8::try_from(month + 1).ok()?;
            if let Ok(date) = Date::new(year, month, day) {
                return Some(date);
            }
        }
    }
    None
}

fn day_before(words: &[&str]) -> Option<i8> {
    let last = *words.last()?;
    if let Ok(number) = last.strip_suffix("er").unwrap_or(last).parse::<i8>() {
        return Some(number);
    }
    if last == "premier" {
        return Some(1);
    }
    // "vingt et un", "trente et un", "vingt-deux": up to three words.
    for take in (1..=3).rev() {
        if words.len() >= take
            && let Some(n) = number_words(&words[words.len() - take..])
            && (1..=31).contains(&n)
        {
            return i8::try_from(n).ok();
        }
    }
    None
}

fn year_after(words: &[&str]) -> Option<i16> {
    let first = *words.first()?;
    if first.len() == 4
        && let Ok(year) = first.parse::<i16>()
    {
        return Some(year);
    }
    let spelled: Vec<&str> = words
        .iter()
        .take(6)
        .take_while(|w| is_number_word(w))
        .copied()
        .collect();
    year_from_words(&spelled)
}

/// "l'an deux mille vingt-quatre, le douze": the year told before the day.
fn year_of_an(words: &[&str]) -> Option<i16> {
    let an = words.iter().position(|w| *w == "an")?;
    let spelled: Vec<&str> = words[an + 1..]
        .iter()
        .take_while(|w| is_number_word(w))
        .copied()
        .collect();
    year_from_words(&spelled)
}

fn year_from_words(words: &[&str]) -> Option<i16> {
    let n = number_words(words)?;
    if (1800..=2200).contains(&n) {
        i16::try_from(n).ok()
    } else {
        None
    }
}

fn unit(word: &str) -> Option<u32> {
    Some(match word {
        "un" | "une" => 1,
        "deux" => 2,
        "trois" => 3,
        "quatre" => 4,
        "cinq" => 5,
        "six" => 6,
        "sept" => 7,
        "huit" => 8,
        "neuf" => 9,
        "dix" => 10,
        "onze" => 11,
        "douze" => 12,
        "treize" => 13,
        "quatorze" => 14,
        "quinze" => 15,
        "seize" => 16,
        "vingt" | "vingts" => 20,
        "trente" => 30,
        "quarante" => 40,
        "cinquante" => 50,
        "soixante" => 60,
        "cent" | "cents" => 100,
        "mille" | "mil" => 1000,
        _ => return None,
    })
}

fn is_number_word(word: &str) -> bool {
    word.split('-')
        .all(|part| part == "et" || unit(part).is_some())
}

/// A number written in French words ("deux mille vingt-trois", "quatre-vingt-dix-neuf",
/// "soixante et onze"); `None` when a word is not a number word.
pub fn number_words(words: &[&str]) -> Option<u32> {
    let mut total: u32 = 0;
    let mut current: u32 = 0;
    let mut any = false;
    for part in words.iter().flat_map(|w| w.split('-')) {
        if part == "et" || part.is_empty() {
            continue;
        }
        let value = unit(part)?;
        any = true;
        match value {
            100 => current = current.max(1).saturating_mul(100),
            1000 => {
                total = total.saturating_add(current.max(1).saturating_mul(1000));
                current = 0;
            }
            // "quatre-vingt": four twenties.
            20 if current % 100 == 4 => current = current - 4 + 80,
            v => current = current.saturating_add(v),
        }
    }
    any.then_some(total.saturating_add(current))
}

/// The first time of day in the text: "18 h 30", "18h30", "10 H", "9 heures 15",
/// "dix-huit heures trente".
pub fn find_time(text: &str) -> Option<Time> {
    let folded = crate::lex::fold_keep_length(text);
    let words = words(&folded);
    for (index, word) in words.iter().enumerate() {
        // "18h30" is one word.
        if let Some((h, m)) = word.split_once('h')
            && !h.is_empty()
            && h.chars().all(|c| c.is_ascii_digit())
            && m.chars().all(|c| c.is_ascii_digit())
        {
            if let Some(time) = time_of(h.parse().ok(), minutes(m)) {
                return Some(time);
            }
            continue;
        }
        if !matches!(*word, "h" | "heure" | "heures") {
            continue;
        }
        let hour = words[..index].last().and_then(|w| {
            w.parse::<u32>()
                .ok()
                .or_else(|| spelled_hour(&words[..index]))
        });
        let Some(hour) = hour else {
            continue;
        };
        let minute = words.get(index + 1).and_then(|w| {
            w.parse::<u32>()
                .ok()
                .filter(|_| w.len() == 2)
                .or_else(|| number_words(&[w]).filter(|n| *n < 60))
        });
        if let Some(time) = time_of(Some(hour), Some(minute.unwrap_or(0))) {
            return Some(time);
        }
    }
    None
}

/// An hour written in words, ending the words given: "dix-huit", "vingt et une" (three
/// words at most; "une" for "un", as hours are feminine).
fn spelled_hour(before: &[&str]) -> Option<u32> {
    (1..=3.min(before.len())).rev().find_map(|n| {
        let words: Vec<&str> = before[before.len() - n..]
            .iter()
            .map(|w| if *w == "une" { "un" } else { w })
            .collect();
        if n > 1 && words[n - 2] != "et" {
            return None;
        }
        number_words(&words).filter(|h| *h <= 24)
    })
}

fn minutes(text: &str) -> Option<u32> {
    if text.is_empty() {
        Some(0)
    } else if text.len() == 2 {
        text.parse().ok()
    } else {
        None
    }
}

fn time_of(hour: Option<u32>, minute: Option<u32>) -> Option<Time> {
    let (hour, minute) = (hour?, minute?);
    if hour > 23 || minute > 59 {
        return None;
    }
    Time::new(i8::try_from(hour).ok()?, i8::try_from(minute).ok()?, 0, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn reads_dates_in_their_usual_forms() {
        let cases = [
            ("REUNION DU 20 NOVEMBRE 2023", date(2023, 11, 20)),
            ("en date du 01/07/2021 « Délégation »", date(2021, 7, 1)),
            ("Séance du 1er mars 2024", date(2024, 3, 1)),
            ("le 3 février 2022 à 18h", date(2022, 2, 3)),
            (
                "L'an deux mille vingt-quatre, le douze mars, à dix-huit heures",
                date(2024, 3, 12),
            ),
            (
                "le vingt et un juin deux mille vingt-trois",
                date(2023, 6, 21),
            ),
            (
                "l'an mil neuf cent quatre-vingt-dix-neuf, le trente et un décembre",
                date(1999, 12, 31),
            ),
            ("Arras, le 6.11.2023", date(2023, 11, 6)),
        ];
        for (text, expected) in cases {
            assert_eq!(find_date(text), Some(expected), "{text}");
        }
        for text in [
            "le 31 février 2023",
            "le 12/13/2023",
            "du 5 mars",
            "2023-479",
        ] {
            assert_eq!(find_date(text), None, "{text}");
        }
    }

    #[test]
    fn reads_times() {
        let cases = [
            ("à 18 h 30", time(18, 30, 0, 0)),
            ("à 18h30", time(18, 30, 0, 0)),
            ("à 10 H", time(10, 0, 0, 0)),
            ("à 9 heures 15", time(9, 15, 0, 0)),
            ("à dix-huit heures trente", time(18, 30, 0, 0)),
            (
                "le premier décembre à vingt et une heures",
                time(21, 0, 0, 0),
            ),
            ("à une heure", time(1, 0, 0, 0)),
            ("jusqu'à 11 h 50", time(11, 50, 0, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(find_time(text), Some(expected), "{text}");
        }
        assert_eq!(find_time("25 h 00"), None);
        assert_eq!(find_time("le rapport n°15"), None);
    }

    #[test]
    fn reads_numbers_in_words() {
        assert_eq!(number_words(&["quatre-vingt-dix-neuf"]), Some(99));
        assert_eq!(number_words(&["soixante", "et", "onze"]), Some(71));
        assert_eq!(number_words(&["deux", "mille", "vingt-trois"]), Some(2023));
        assert_eq!(number_words(&["deux", "cents"]), Some(200));
        assert_eq!(number_words(&["chat"]), None);
    }
}
