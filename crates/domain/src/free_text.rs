//! Limits on what a user may type into a free-text field: a length fitting the field (a
//! name is not ten thousand characters long), and no character that reverses the writing
//! direction (U+202A–U+202E, U+2066–U+2069), which can make a name or a file name read
//! differently from what it is. Control characters are refused earlier, at the edge.

use crate::error::{DomainError, FieldError};
use crate::french::field_label;

/// Names of people, organisations, places and the like.
pub const SHORT_TEXT_MAX: usize = 300;
/// Titles and objects: a report's title runs to a few lines.
pub const TITLE_TEXT_MAX: usize = 2_000;
/// Anything else: an exposé, a draft deliberation, a discussion's content.
pub const LONG_TEXT_MAX: usize = 200_000;

const SHORT_FIELDS: &[&str] = &[
    "name",
    "nom",
    "short_name",
    "sigle",
    "designation",
    "legal_status",
    "forme_juridique",
    "first_name",
    "prenom",
    "last_name",
    "capacity",
    "qualite",
    "street",
    "rue",
    "adresse",
    "city",
    "commune",
    "ville",
    "postal_code",
    "code_postal",
    "login",
    "identifiant",
    "place",
    "lieu",
    "email",
    "courriel",
    "phone",
    "telephone",
    "bic",
    "holder",
    "titulaire",
    "role",
    "signatory",
    "signataire",
    "civility",
    "civilite",
];

const TITLE_FIELDS: &[&str] = &["title", "titre", "object", "objet", "subject", "intitule"];

/// The longest text the field may hold, decided by its last name segment
/// ("representant.nom" → "nom").
pub fn max_chars(field: &str) -> usize {
    let last = field
        .rsplit(['.', '['])
        .next()
        .unwrap_or(field)
        .trim_end_matches(']');
    if SHORT_FIELDS.contains(&last) {
        SHORT_TEXT_MAX
    } else if TITLE_FIELDS.contains(&last) {
        TITLE_TEXT_MAX
    } else {
        LONG_TEXT_MAX
    }
}

fn reverses_direction(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks one field's text.
pub fn check_free_text(field: &str, value: &str) -> Result<(), FieldError> {
    let label = field_label(field);
    if let Some(c) = value.chars().find(|c| reverses_direction(*c)) {
        return Err(FieldError::new(
            field,
            format!(
                "{label} : le caractère U+{:04X} (inversion du sens d'écriture) est refusé : il ferait lire le texte autrement qu'il n'est écrit.",
                u32::from(c)
            ),
        ));
    }
    let max = max_chars(field);
    // Counting stops past the limit: a hostile field is never walked to its end.
    let count = value.chars().take(max + 1).count();
    if count > max {
        return Err(FieldError::new(
            field,
            format!("{label} : le texte dépasse {max} caractères."),
        ));
    }
    Ok(())
}

/// Checks every (field, text) pair; all the faults at once.
pub fn check_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), DomainError> {
    let faults: Vec<FieldError> = fields
        .into_iter()
        .filter_map(|(field, value)| check_free_text(field, value).err())
        .collect();
    if faults.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(faults))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_field_has_its_limit() {
        let table: &[(&str, usize, bool)] = &[
            ("name", 300, true),
            ("name", 301, false),
            ("representant.nom", 301, false),
            ("titre", 2_000, true),
            ("titre", 2_001, false),
            ("expose", 10_000, true),
            ("expose", 200_001, false),
            ("points[3].objet", 1_500, true),
        ];
        for (field, length, accepted) in table {
            let text = "é".repeat(*length);
            assert_eq!(
                check_free_text(field, &text).is_ok(),
                *accepted,
                "{field} with {length} characters"
            );
        }
    }

    #[test]
    fn direction_overrides_are_refused_and_named() {
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let err = check_free_text("name", &format!("facture{c}fdp.exe")).unwrap_err();
            assert!(err.message.contains("sens d'écriture"), "{}", err.message);
            assert_eq!(err.field, "name");
        }
        // Arabic or Hebrew text itself is welcome: only the invisible overrides are refused.
        assert!(check_free_text("name", "جمعية الصداقة — שלום").is_ok());
    }

    #[test]
    fn every_fault_is_reported_at_once() {
        let long = "x".repeat(400);
        let Err(DomainError::Invalid(faults)) = check_fields([
            ("nom", long.as_str()),
            ("ville", "Arras\u{202E}"),
            ("objet", "ok"),
        ]) else {
            panic!("refused")
        };
        assert_eq!(faults.len(), 2);
    }
}
