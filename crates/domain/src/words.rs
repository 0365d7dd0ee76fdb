//! Amounts in words, as conventions write them: "120 000 € (cent vingt mille euros)".
//! Traditional spelling: hyphens below one hundred, "et" for 21 to 71, "quatre-vingts"
//! and "cents" plural only at the end (or before million and milliard, which are nouns),
//! "mille" invariable, "un million d'euros".

use crate::money::Amount;

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];

const TENS: [&str; 7] = [
    "",
    "dix",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
];

/// 0 to 99. `last`: nothing follows but a noun that lets "vingts" take its s.
fn below_hundred(n: u64, last: bool) -> String {
    let n = n % 100;
    match n {
        0..=16 => UNITS[n as usize].to_string(),
        17..=19 => format!("dix-{}", UNITS[(n - 10) as usize]),
        20..=69 => {
            let (t, u) = (n / 10, n % 10);
            match u {
                0 => TENS[t as usize].to_string(),
                1 => format!("{} et un", TENS[t as usize]),
                _ => format!("{}-{}", TENS[t as usize], UNITS[u as usize]),
            }
        }
        70..=79 => match n {
            71 => "soixante et onze".to_string(),
            _ => format!("soixante-{}", below_hundred(n - 60, false)),
        },
        80 => {
            if last {
                "quatre-vingts".to_string()
            } else {
                "quatre-vingt".to_string()
            }
        }
        _ => format!("quatre-vingt-{}", below_hundred(n - 80, false)),
    }
}

/// 0 to 999; empty for 0.
fn below_thousand(n: u64, last: bool) -> String {
    let (h, rest) = (n / 100, n % 100);
    let hundreds = match h {
        0 => String::new(),
        1 => "cent".to_string(),
        _ if rest == 0 && last => format!("{} cents", UNITS[h as usize]),
        _ => format!("{} cent", UNITS[h as usize]),
    };
    let rest_words = if rest == 0 {
        String::new()
    } else {
        below_hundred(rest, last)
    };
    match (hundreds.is_empty(), rest_words.is_empty()) {
        (true, _) => rest_words,
        (false, true) => hundreds,
        (false, false) => format!("{hundreds} {rest_words}"),
    }
}

/// A whole number in words ("cent vingt mille"); "zéro" for 0.
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return "zéro".to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let scales: [(u64, &str, &str); 3] = [
        (1_000_000_000_000, "billion", "billions"),
        (1_000_000_000, "milliard", "milliards"),
        (1_000_000, "million", "millions"),
    ];
    let mut rest = n;
    for (size, one, many) in scales {
        let count = rest / size;
        rest %= size;
        if count == 0 {
            continue;
        }
        if count == 1 {
            parts.push(format!("un {one}"));
        } else {
            // Million and milliard are nouns: "deux cents millions".
            parts.push(format!(
                "{} {many}",
                number_in_words_below_million(count, true)
            ));
        }
    }
    if rest > 0 {
        parts.push(number_in_words_below_million(rest, true));
    }
    parts.join(" ")
}

fn number_in_words_below_million(n: u64, last: bool) -> String {
    if n >= 1_000_000 {
        return number_in_words(n);
    }
    let (thousands, rest) = (n / 1000, n % 1000);
    let mut parts = Vec::new();
    match thousands {
        0 => {}
        1 => parts.push("mille".to_string()),
        // "Mille" is invariable and does not let "cent" or "vingt" take an s.
        t => parts.push(format!("{} mille", below_thousand(t, false))),
    }
    if rest > 0 {
        parts.push(below_thousand(rest, last));
    }
    parts.join(" ")
}

/// "cent vingt mille euros", "un million d'euros", "mille deux cent trente-quatre euros
/// et cinquante centimes", "cinquante centimes".
pub fn amount_in_words(amount: Amount) -> String {
    let (euros, cents) = amount.euros_and_centimes();
    let mut out = String::new();
    if amount.is_negative() {
        out.push_str("moins ");
    }
    if euros > 0 {
        let words = number_in_words(euros);
        let unit = if euros == 1 { "euro" } else { "euros" };
        let ends_with_noun = [
            "million",
            "millions",
            "milliard",
            "milliards",
            "billion",
            "billions",
        ]
        .iter()
        .any(|w| words.ends_with(w));
        if ends_with_noun {
            out.push_str(&format!("{words} d'{unit}"));
        } else {
            out.push_str(&format!("{words} {unit}"));
        }
    }
    if cents > 0 {
        if euros > 0 {
            out.push_str(" et ");
        }
        let unit = if cents == 1 { "centime" } else { "centimes" };
        out.push_str(&format!("{} {unit}", number_in_words(u64::from(cents))));
    }
    if euros == 0 && cents == 0 {
        out.push_str("zéro euro");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let cases = [
            (1, "un"),
            (16, "seize"),
            (17, "dix-sept"),
            (21, "vingt et un"),
            (32, "trente-deux"),
            (71, "soixante et onze"),
            (72, "soixante-douze"),
            (77, "soixante-dix-sept"),
            (80, "quatre-vingts"),
            (81, "quatre-vingt-un"),
            (91, "quatre-vingt-onze"),
            (99, "quatre-vingt-dix-neuf"),
            (100, "cent"),
            (101, "cent un"),
            (200, "deux cents"),
            (201, "deux cent un"),
            (280, "deux cent quatre-vingts"),
            (1000, "mille"),
            (1001, "mille un"),
            (2000, "deux mille"),
            (80_000, "quatre-vingt mille"),
            (120_000, "cent vingt mille"),
            (200_000, "deux cent mille"),
            (32_571, "trente-deux mille cinq cent soixante et onze"),
            (1_000_000, "un million"),
            (2_000_000, "deux millions"),
            (200_000_000, "deux cents millions"),
            (80_000_000, "quatre-vingts millions"),
            (1_500_000, "un million cinq cent mille"),
            (1_000_000_000, "un milliard"),
            (3_200_000_001, "trois milliards deux cents millions un"),
        ];
        for (n, words) in cases {
            assert_eq!(number_in_words(n), words, "{n}");
        }
    }

    #[test]
    fn amounts() {
        let cases = [
            (12_000_000, "cent vingt mille euros"),
            (100_000_000, "un million d'euros"),
            (200_000_000, "deux millions d'euros"),
            (150_000_000, "un million cinq cent mille euros"),
            (
                123_450,
                "mille deux cent trente-quatre euros et cinquante centimes",
            ),
            (100, "un euro"),
            (101, "un euro et un centime"),
            (50, "cinquante centimes"),
            (0, "zéro euro"),
            (2_000_000, "vingt mille euros"),
        ];
        for (c, words) in cases {
            assert_eq!(amount_in_words(Amount::from_centimes(c)), words, "{c}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_never_doubles_spaces(c in 0i64..1_000_000_000_000_000) {
            let w = amount_in_words(Amount::from_centimes(c));
            proptest::prop_assert!(!w.contains("  ") && !w.starts_with(' ') && !w.ends_with(' '));
        }
    }
}
