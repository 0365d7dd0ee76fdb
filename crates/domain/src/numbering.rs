//! Deliberation numbers: "2023-479" from a sequence per body and year, and the @ctes form
//! ("2023_479") the prefecture accepts (`^[0-9A-Z_]{1,15}$`).

use crate::error::FieldError;
use crate::rules::NumberingRules;

const TOKENS: [(&str, Piece<'static>); 3] = [
    ("{year}", Piece::Year),
    ("{seq}", Piece::Seq),
    ("{body}", Piece::Body),
];

/// One piece of a numbering pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Year,
    Seq,
    /// The body's code: "CD", "CP", "C1".
    Body,
}

fn pieces(pattern: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        let next = TOKENS
            .iter()
            .filter_map(|(token, piece)| rest.find(token).map(|i| (i, *token, piece.clone())))
            .min_by_key(|(i, _, _)| *i);
        match next {
            Some((0, token, piece)) => {
                out.push(piece);
                rest = &rest[token.len()..];
            }
            Some((i, _, _)) => {
                out.push(Piece::Text(&rest[..i]));
                rest = &rest[i..];
            }
            None => {
                out.push(Piece::Text(rest));
                rest = "";
            }
        }
    }
    out
}

/// Checks that a pattern holds `{seq}` once, `{year}` and `{body}` at most once each,
/// separated by text, that per-body sequences name the body (numbers are unique in the
/// collectivity, as @ctes requires), and that its numbers can go to the prefecture.
pub fn check_pattern(rules: &NumberingRules) -> Result<(), FieldError> {
    let p = pieces(&rules.pattern);
    let count = |piece: Piece<'_>| p.iter().filter(|x| **x == piece).count();
    let adjacent = p.windows(2).any(|w| {
        matches!(
            w,
            [
                Piece::Year | Piece::Seq | Piece::Body,
                Piece::Year | Piece::Seq | Piece::Body
            ]
        )
    });
    if count(Piece::Seq) != 1
        || count(Piece::Year) > 1
        || count(Piece::Body) > 1
        || adjacent
        || rules.min_digits > 9
    {
        return Err(FieldError::new(
            "numerotation.modele",
            format!(
                "Modèle de numérotation : « {} » doit contenir {{seq}} une fois, {{year}} et {{body}} au plus une fois, séparés par du texte (exemple : {{year}}-{{seq}}).",
                rules.pattern
            ),
        ));
    }
    if rules.per_body && count(Piece::Body) == 0 {
        return Err(FieldError::new(
            "numerotation.par_instance",
            format!(
                "Numérotation par instance : le modèle « {} » doit contenir {{body}}, sinon deux instances donneraient le même numéro (exemple : {{body}}-{{year}}-{{seq}}).",
                rules.pattern
            ),
        ));
    }
    let sample = format_number(rules, "C12", 2099, 99_999);
    actes_number(&sample).map(|_| ()).map_err(|e| {
        FieldError::new(
            "numerotation.modele",
            format!("Modèle de numérotation : {}", e.message),
        )
    })
}

/// "2023-479" for year 2023 and sequence 479 with the default pattern; `body` is the
/// body's code ("CP") for patterns that name it.
pub fn format_number(rules: &NumberingRules, body: &str, year: i16, seq: i64) -> String {
    let width = usize::try_from(rules.min_digits).unwrap_or(0);
    pieces(&rules.pattern)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_string(),
            Piece::Year => year.to_string(),
            Piece::Seq => format!("{seq:0width$}"),
            Piece::Body => body.to_string(),
        })
        .collect()
}

/// Reads back the year and sequence of a number made by `rules` ("2023-479" → 2023, 479).
pub fn parse_number(rules: &NumberingRules, number: &str) -> Option<(Option<i16>, i64)> {
    let parts = pieces(&rules.pattern);
    let mut rest = number;
    let mut year = None;
    let mut seq = None;
    for (i, piece) in parts.iter().enumerate() {
        match piece {
            Piece::Text(t) => rest = rest.strip_prefix(t)?,
            Piece::Year | Piece::Seq | Piece::Body => {
                // A field runs up to the next literal text, or to the end.
                let end = match parts.get(i + 1) {
                    Some(Piece::Text(t)) => rest.find(t)?,
                    _ => rest.len(),
                };
                let field = &rest[..end];
                if field.is_empty() {
                    return None;
                }
                match piece {
                    Piece::Body => {}
                    _ if !field.bytes().all(|b| b.is_ascii_digit()) => return None,
                    Piece::Year => year = Some(field.parse().ok()?),
                    _ => seq = Some(field.parse().ok()?),
                }
                rest = &rest[end..];
            }
        }
    }
    if rest.is_empty() {
        seq.map(|s| (year, s))
    } else {
        None
    }
}

/// The number as @ctes wants it: upper case, every character outside 0-9 A-Z _ becomes
/// "_", at most 15 characters.
pub fn actes_number(number: &str) -> Result<String, FieldError> {
    let converted: String = number
        .trim()
        .chars()
        .map(|c| {
            let c = c.to_ascii_uppercase();
            if c.is_ascii_digit() || c.is_ascii_uppercase() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if converted.is_empty() || converted.chars().count() > 15 {
        return Err(FieldError::new(
            "numero",
            format!(
                "Numéro : « {} » donne « {converted} » pour @ctes, qui exige 1 à 15 caractères parmi 0-9, A-Z et _.",
                number.trim()
            ),
        ));
    }
    Ok(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(pattern: &str, min_digits: u32) -> NumberingRules {
        NumberingRules {
            pattern: pattern.to_string(),
            min_digits,
            per_body: pattern.contains("{body}"),
            ..NumberingRules::default()
        }
    }

    #[test]
    fn formats_and_parses() {
        let cases = [
            ("{year}-{seq}", 0, 2023, 479, "2023-479", "2023_479"),
            ("{year}-{seq}", 4, 2023, 47, "2023-0047", "2023_0047"),
            ("CP{year}/{seq}", 0, 2024, 1, "CP2024/1", "CP2024_1"),
            ("D{seq}", 0, 2024, 12, "D12", "D12"),
            ("{body}-{year}-{seq}", 0, 2024, 7, "CP-2024-7", "CP_2024_7"),
        ];
        for (pattern, digits, year, seq, number, actes) in cases {
            let r = rules(pattern, digits);
            assert!(check_pattern(&r).is_ok(), "{pattern}");
            assert_eq!(format_number(&r, "CP", year, seq), number);
            assert_eq!(actes_number(number).unwrap(), actes);
            let (y, s) = parse_number(&r, number).unwrap();
            assert_eq!(s, seq);
            if pattern.contains("{year}") {
                assert_eq!(y, Some(year));
            }
        }
        assert_eq!(parse_number(&rules("{year}-{seq}", 0), "2023-47a"), None);
        assert_eq!(parse_number(&rules("{year}-{seq}", 0), "X2023-47"), None);
    }

    #[test]
    fn refuses_patterns_that_cannot_work() {
        for bad in [
            "{year}",
            "{seq}{year}",
            "{seq}-{seq}",
            "Délibération du conseil {year}-{seq}",
            "{body}{seq}",
        ] {
            assert!(check_pattern(&rules(bad, 0)).is_err(), "{bad}");
        }
        // Per-body sequences must name the body, or two bodies would share numbers.
        let shared = NumberingRules {
            per_body: true,
            ..NumberingRules::default()
        };
        assert!(
            check_pattern(&shared)
                .unwrap_err()
                .message
                .contains("{body}")
        );
        let e = actes_number("2023-479-COMMISSION-PERMANENTE").unwrap_err();
        assert!(e.message.contains("1 à 15 caractères"), "{}", e.message);
    }

    proptest::proptest! {
        #[test]
        fn every_number_reads_back_and_is_valid_for_actes(year in 1990i16..2100, seq in 1i64..100_000, digits in 0u32..6) {
            let r = rules("{year}-{seq}", digits);
            let n = format_number(&r, "CP", year, seq);
            proptest::prop_assert_eq!(parse_number(&r, &n), Some((Some(year), seq)));
            let a = actes_number(&n).unwrap();
            proptest::prop_assert!(a.len() <= 15 && a.chars().all(|c| c.is_ascii_digit() || c == '_'));
        }
    }
}
