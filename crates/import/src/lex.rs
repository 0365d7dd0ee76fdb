//! Small text helpers the extractors share: folded comparisons, labels tolerant of OCR
//! slips, case conversion of names written in capitals.

pub use acta_domain::french::fold;

/// Folds like [`fold`] (lower case, no accents, typographic apostrophe) but keeps one
/// character for one character and leaves spaces alone, so that a position found in the
/// folded text is the same character position in the original.
pub fn fold_keep_length(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                acta_domain::french::base_letter(c.to_lowercase().next().unwrap_or(c))
            }
        })
        .collect()
}

/// Where a short needle first occurs: a plain scan on the needle's first byte, cheaper than
/// the general substring search for the short lines and needles the importer compares.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let (&first, rest) = n.split_first()?;
    let mut from = 0;
    while from + n.len() <= h.len() {
        let at = from + memchr::memchr(first, &h[from..=h.len() - n.len()])?;
        // A byte loop: for needles this short it beats a call to memcmp.
        if h[at + 1..at + n.len()]
            .iter()
            .zip(rest)
            .all(|(a, b)| a == b)
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether a short needle occurs in the text (see [`find`]).
pub fn has(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// The original text from a byte position of its [`fold_keep_length`] form.
pub fn original_from<'a>(original: &'a str, folded: &str, folded_byte: usize) -> &'a str {
    let Some(prefix) = folded.get(..folded_byte) else {
        return "";
    };
    let chars = prefix.chars().count();
    original
        .char_indices()
        .nth(chars)
        .map_or("", |(byte, _)| &original[byte..])
}

/// The original text for a byte range of its [`fold_keep_length`] form.
pub fn original_range<'a>(original: &'a str, folded: &str, start: usize, end: usize) -> &'a str {
    let (Some(before), Some(inside)) = (folded.get(..start), folded.get(start..end.max(start)))
    else {
        return "";
    };
    let (skip, take) = (before.chars().count(), inside.chars().count());
    let mut bytes = original
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(original.len()));
    let Some(from) = bytes.nth(skip) else {
        return "";
    };
    let to = if take == 0 {
        Some(from)
    } else {
        bytes.nth(take - 1)
    };
    to.and_then(|to| original.get(from..to)).unwrap_or("")
}

/// The folded line starts with one of the labels, where a label of seven letters or more may
/// carry one wrong letter ("Arlicle", "Considerani"). Returns the folded text after the label.
pub fn strip_label<'a>(folded: &'a str, labels: &[&str]) -> Option<&'a str> {
    for label in labels {
        if let Some(rest) = folded.strip_prefix(label) {
            return Some(rest);
        }
    }
    let first_word_end = folded.find([' ', ':', '(']).unwrap_or(folded.len());
    let (word, rest) = folded.split_at(first_word_end);
    for label in labels {
        if !label.contains(' ') && label.len() >= 7 && one_letter_apart(word, label) {
            return Some(rest);
        }
    }
    None
}

/// Same length and exactly one different character: the usual OCR slip.
pub fn one_letter_apart(a: &str, b: &str) -> bool {
    if a.chars().count() != b.chars().count() {
        return false;
    }
    a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
}

/// Whether the text has letters and none of them is lower case.
pub fn is_upper_case(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// "PAS-DE-CALAIS" gives "Pas-de-Calais", "SAINT-OMER" gives "Saint-Omer", "BOULOGNE SUR MER"
/// gives "Boulogne sur Mer": capitals for words, small letters for particles.
pub fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut first_word = true;
    let flush = |word: &mut String, out: &mut String, first_word: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let particle = PARTICLES.contains(&lower.as_str()) && !*first_word;
        if particle {
            out.push_str(&lower);
        } else if let Some(rest) = lower
            .strip_prefix("d'")
            .or_else(|| lower.strip_prefix("l'"))
        {
            out.push_str(&lower[..2]);
            out.push_str(&capitalize(rest));
        } else {
            out.push_str(&capitalize(&lower));
        }
        word.clear();
        *first_word = false;
    };
    for c in text.chars() {
        if c == ' ' || c == '-' {
            flush(&mut word, &mut out, &mut first_word);
            out.push(c);
        } else {
            word.push(if c == '’' { '\'' } else { c });
        }
    }
    flush(&mut word, &mut out, &mut first_word);
    out
}

const PARTICLES: [&str; 13] = [
    "de", "du", "des", "la", "le", "les", "lès", "lez", "sur", "sous", "en", "et", "aux",
];

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins wrapped lines into one text: a line cut after a hyphen glued to a letter is joined
/// without a space ("MULOT-" + "FRISCOURT"), others with one.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        push_line(&mut out, line);
    }
    out
}

/// Appends one wrapped line to a text, as [`join_lines`] joins them.
pub fn push_line(out: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    let glued = out.ends_with('-') && out.chars().rev().nth(1).is_some_and(char::is_alphabetic);
    if !out.is_empty() && !glued {
        out.push(' ');
    }
    out.push_str(line);
}

/// Text without the punctuation that ends an enumeration: " ;", ",", ":" and spaces.
pub fn trim_end_punctuation(text: &str) -> &str {
    text.trim()
        .trim_end_matches([';', ',', ':', ' ', '.'])
        .trim_end()
}

/// The text after the first colon, or the whole text when there is none.
pub fn after_colon(text: &str) -> &str {
    text.split_once(':').map_or(text, |(_, rest)| rest).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_allow_one_ocr_slip_on_long_words() {
        assert_eq!(strip_label("arlicle 2 :", &["article"]), Some(" 2 :"));
        assert_eq!(
            strip_label("considerani que", &["considerant"]),
            Some(" que")
        );
        assert_eq!(strip_label("vu le code", &["vu "]), Some("le code"));
        assert_eq!(strip_label("va le code", &["vu "]), None);
    }

    #[test]
    fn title_cases_names_written_in_capitals() {
        assert_eq!(title_case("PAS-DE-CALAIS"), "Pas-de-Calais");
        assert_eq!(title_case("SAINT-OMER"), "Saint-Omer");
        assert_eq!(title_case("JEAN-CLAUDE"), "Jean-Claude");
        assert_eq!(title_case("BOULOGNE SUR MER"), "Boulogne sur Mer");
        assert_eq!(title_case("VILLENEUVE D'ASCQ"), "Villeneuve d'Ascq");
    }

    #[test]
    fn joins_wrapped_lines() {
        assert_eq!(
            join_lines(["Mme Maïté MULOT-", "FRISCOURT,"]),
            "Mme Maïté MULOT-FRISCOURT,"
        );
        assert_eq!(
            join_lines(["FRANCE -", "PARTICIPATION"]),
            "FRANCE - PARTICIPATION"
        );
        assert_eq!(
            join_lines(["M. Daniel", "", "MACIEJASZ"]),
            "M. Daniel MACIEJASZ"
        );
    }

    #[test]
    fn maps_folded_positions_back_to_the_original() {
        let original = "Secrétaire de séance : Mme Œuvre du Cœur";
        let folded = fold_keep_length(original);
        assert_eq!(folded.chars().count(), original.chars().count());
        let at = folded.find("mme").unwrap_or_default();
        assert_eq!(original_from(original, &folded, at), "Mme Œuvre du Cœur");
        let end = folded.find(" du").unwrap_or_default();
        assert_eq!(original_range(original, &folded, at, end), "Mme Œuvre");
    }
}
