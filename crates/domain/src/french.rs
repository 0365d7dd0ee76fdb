//! French wording shared by every text acta shows: spaces, field labels, dates, ordinals.

use crate::error::FieldError;
use jiff::civil::Date;

/// U+00A0, before ":" ";" "!" "?" and "€", and inside « ».
pub const NBSP: char = '\u{a0}';
/// U+202F, between groups of thousands.
pub const NARROW_NBSP: char = '\u{202f}';

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The French name of a field, from its machine name (the last segment of a path such as
/// `beneficiaire.siret`). Unknown names are shown with a capital and spaces.
pub fn field_label(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let known = match last {
        "siren" => Some("SIREN"),
        "siret" => Some("SIRET"),
        "rna" => Some("Numéro RNA"),
        "iban" => Some("IBAN"),
        "rib" => Some("RIB"),
        "bic" => Some("BIC"),
        "montant" => Some("Montant"),
        "date" => Some("Date"),
        "nom" => Some("Nom"),
        "prenom" => Some("Prénom"),
        "civilite" => Some("Civilité"),
        "numero" => Some("Numéro"),
        "code_departement" => Some("Code du département"),
        "compte_nature" => Some("Compte par nature"),
        "chapitre_fonctionnel" => Some("Chapitre fonctionnel"),
        "fonction" => Some("Fonction"),
        "code_operation" => Some("Code opération"),
        "cp_votes" => Some("Crédits de paiement votés"),
        "annee" => Some("Année"),
        "rapport" => Some("Numéro du rapport"),
        "tranche" => Some("Tranche"),
        "a_partir_du_point" => Some("À partir du point"),
        "article_tableau" => Some("Tableau d'imputation"),
        "point" => Some("Point"),
        _ => None,
    };
    match known {
        Some(label) => label.to_string(),
        None => {
            let spaced = last.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

/// What went wrong with a file or a connection, in French: the operating system's own
/// message is English ("No such file or directory (os error 2)").
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let reason = match error.kind() {
        K::NotFound => "introuvable",
        K::PermissionDenied => "accès refusé (droits du fichier ou du dossier)",
        K::AlreadyExists => "existe déjà",
        K::IsADirectory => "c'est un dossier, pas un fichier",
        K::NotADirectory => "un élément du chemin n'est pas un dossier",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::ReadOnlyFilesystem => "le système de fichiers est en lecture seule",
        K::StorageFull | K::QuotaExceeded => "plus de place sur le disque",
        K::FileTooLarge => "fichier trop volumineux",
        K::InvalidData => "contenu illisible (données invalides)",
        K::InvalidInput | K::InvalidFilename => "chemin ou valeur invalide",
        K::UnexpectedEof => "fin de fichier inattendue (fichier tronqué ?)",
        K::BrokenPipe => "la sortie a été fermée",
        K::ConnectionRefused => "connexion refusée",
        K::ConnectionReset | K::ConnectionAborted => "connexion interrompue",
        K::TimedOut => "délai dépassé",
        K::AddrInUse => "adresse déjà utilisée (un autre programme écoute déjà ?)",
        K::AddrNotAvailable => "adresse indisponible sur cette machine",
        K::Interrupted => "opération interrompue",
        K::OutOfMemory => "mémoire insuffisante",
        K::ResourceBusy | K::ExecutableFileBusy => "ressource occupée",
        K::CrossesDevices => "déplacement impossible entre deux disques",
        K::TooManyLinks => "trop de liens",
        _ => return format!("erreur du système ({})", error.kind()),
    };
    reason.to_string()
}

/// "20 novembre 2023", and "1er juillet 2021" for the first day of a month.
pub fn format_date_long(date: Date) -> String {
    let day = if date.day() == 1 {
        "1er".to_string()
    } else {
        date.day().to_string()
    };
    format!("{day} {} {}", month_name(date), date.year())
}

/// "a", "a et b", "a, b et c".
pub fn join_and(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} et {last}", init.join(", ")),
    }
}

/// "20/11/2023", as dates are written inside visas.
pub fn format_date_numeric(date: Date) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

pub fn month_name(date: Date) -> &'static str {
    let index = usize::try_from(date.month() - 1).unwrap_or(0);
    MONTHS.get(index).copied().unwrap_or("")
}

/// Reads a calendar date written "2023-11-20" or "20/11/2023".
pub fn parse_date(field: &str, input: &str) -> Result<Date, FieldError> {
    let trimmed = input.trim();
    let invalid = || {
        FieldError::new(
            field,
            format!(
                "{} : « {trimmed} » n'est pas une date valide (attendu : AAAA-MM-JJ ou JJ/MM/AAAA).",
                field_label(field)
            ),
        )
    };
    let parts: Vec<&str> = if trimmed.contains('/') {
        let mut p: Vec<&str> = trimmed.split('/').collect();
        p.reverse();
        p
    } else {
        trimmed.split('-').collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(invalid());
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(invalid());
    }
    let year: i16 = y.parse().map_err(|_| invalid())?;
    let month: i8 = m.parse().map_err(|_| invalid())?;
    let day: i8 = d.parse().map_err(|_| invalid())?;
    Date::new(year, month, day).map_err(|_| invalid())
}

/// "1ère", "2e", "3e": the ordinal of a thematic commission as the Département writes it.
pub fn ordinal_feminine(n: u32) -> String {
    if n == 1 {
        "1ère".to_string()
    } else {
        format!("{n}e")
    }
}

/// Replaces the spaces that French typography wants unbreakable: before ":" ";" "!" "?"
/// and inside « ».
pub fn typographic_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 {
            chars.get(i - 1).copied()
        } else {
            None
        };
        let is_space = c == ' ';
        if is_space && (matches!(next, Some(':' | ';' | '!' | '?' | '»')) || prev == Some('«')) {
            out.push(NBSP);
        } else {
            out.push(c);
        }
    }
    out
}

/// Collapses runs of whitespace into single spaces and trims: text copied from PDFs
/// carries double spaces that mean nothing.
pub fn normalize_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_are_told_in_french() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&missing), "introuvable");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(io_reason(&denied).starts_with("accès refusé"));
        let other = std::io::Error::other("boom");
        assert!(io_reason(&other).starts_with("erreur du système"));
    }
    use jiff::civil::date;

    #[test]
    fn long_dates() {
        let cases = [
            (date(2023, 11, 20), "20 novembre 2023"),
            (date(2021, 7, 1), "1er juillet 2021"),
            (date(2024, 6, 30), "30 juin 2024"),
            (date(2023, 8, 2), "2 août 2023"),
            (date(2023, 2, 1), "1er février 2023"),
        ];
        for (d, expected) in cases {
            assert_eq!(format_date_long(d), expected);
        }
        assert_eq!(format_date_numeric(date(2021, 7, 1)), "01/07/2021");
    }

    #[test]
    fn parses_dates_both_ways() {
        assert_eq!(parse_date("date", "2023-11-20"), Ok(date(2023, 11, 20)));
        assert_eq!(parse_date("date", "06/11/2023"), Ok(date(2023, 11, 6)));
        assert_eq!(parse_date("date", " 1/7/2021 "), Ok(date(2021, 7, 1)));
        for bad in ["2023-02-30", "20231120", "", "a/b/c", "2023-11-20-1"] {
            let e = parse_date("date_signature", bad).unwrap_err();
            assert!(e.message.starts_with("Date signature"), "{}", e.message);
        }
    }

    #[test]
    fn ordinals_and_spaces() {
        assert_eq!(ordinal_feminine(1), "1ère");
        assert_eq!(ordinal_feminine(4), "4e");
        assert_eq!(
            typographic_spaces("Pour : « En partenariat » ;"),
            "Pour\u{a0}: «\u{a0}En partenariat\u{a0}»\u{a0};"
        );
        assert_eq!(
            normalize_spaces("  Vu  le Code\n général "),
            "Vu le Code général"
        );
    }

    #[test]
    fn labels() {
        assert_eq!(field_label("beneficiaire.siret"), "SIRET");
        assert_eq!(field_label("date_signature"), "Date signature");
    }
}

/// Folds a name for lookups: lower case, accents removed, spaces collapsed, so that
/// "Maïté MULOT-FRISCOURT" and "maite mulot-friscourt" match.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in normalize_spaces(text).chars().flat_map(char::to_lowercase) {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            other => out.push(base_letter(other)),
        }
    }
    out
}

/// A lower-case letter without its accent ("é" → "e"), and the typographic apostrophe as
/// a straight one; other characters unchanged. One character for one: ligatures stay.
pub fn base_letter(lower: char) -> char {
    match lower {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ÿ' => 'y',
        '’' => '\'',
        other => other,
    }
}

/// The French name of a month, from 1 to 12 ("" outside).
pub fn month_name_of(month: usize) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod fold_tests {
    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(
            super::fold("  Maïté   MULOT-FRISCOURT "),
            "maite mulot-friscourt"
        );
        assert_eq!(super::fold("Œuvre d’Arras"), "oeuvre d'arras");
    }
}
