//! The ACTES classification of matières (levels 1 and 2, national), as the prefecture
//! exchange and the SCDL open data use it.

use crate::error::FieldError;

/// Level-1 matières with their level-2 count and label.
const LEVEL_ONE: [(u32, &str, u32); 9] = [
    (1, "Commande publique", 7),
    (2, "Urbanisme", 3),
    (3, "Domaine et patrimoine", 6),
    (4, "Fonction publique", 5),
    (5, "Institutions et vie politique", 8),
    (6, "Libertés publiques et pouvoirs de police", 5),
    (7, "Finances locales", 10),
    (8, "Domaines de compétences par thèmes", 9),
    (9, "Autres domaines de compétences", 4),
];

const LEVEL_TWO: [(&str, &str); 57] = [
    ("1.1", "Marchés publics"),
    ("1.2", "Délégation de service public"),
    ("1.3", "Conventions de mandat"),
    ("1.4", "Autres types de contrats"),
    ("1.5", "Transactions /protocole d'accord transactionnel"),
    ("1.6", "Actes relatifs à la maîtrise d'œuvre"),
    ("1.7", "Actes spéciaux et divers"),
    ("2.1", "Documents d'urbanisme"),
    (
        "2.2",
        "Actes relatifs au droit d'occupation ou d'utilisation des sols",
    ),
    ("2.3", "Droit de préemption urbain"),
    ("3.1", "Acquisitions"),
    ("3.2", "Aliénations"),
    ("3.3", "Locations"),
    ("3.4", "Limites territoriales"),
    ("3.5", "Autres actes de gestion du domaine public"),
    ("3.6", "Autres actes de gestion du domaine privé"),
    ("4.1", "Personnel titulaires et stagiaires de la F.P.T."),
    ("4.2", "Personnel contractuel"),
    ("4.3", "Fonction publique hospitalière"),
    ("4.4", "Autres catégories de personnels"),
    ("4.5", "Régime indemnitaire"),
    ("5.1", "Élection exécutif"),
    ("5.2", "Fonctionnement des assemblées"),
    ("5.3", "Désignation de représentants"),
    ("5.4", "Délégation de fonctions"),
    ("5.5", "Délégation de signature"),
    ("5.6", "Exercice des mandats locaux"),
    ("5.7", "Intercommunalité"),
    ("5.8", "Décision d'ester en justice"),
    ("6.1", "Police municipale"),
    ("6.2", "Pouvoir du président du conseil général"),
    ("6.3", "Pouvoir du président du conseil régional"),
    ("6.4", "Autres actes réglementaires"),
    (
        "6.5",
        "Actes pris au nom de l'État et soumis au contrôle hiérarchique",
    ),
    ("7.1", "Décisions budgétaires"),
    ("7.2", "Fiscalité"),
    ("7.3", "Emprunts"),
    ("7.4", "Interventions économiques"),
    ("7.5", "Subventions"),
    ("7.6", "Contributions budgétaires"),
    ("7.7", "Avances"),
    ("7.8", "Fonds de concours"),
    ("7.9", "Prise de participation (SEM, etc...)"),
    ("7.10", "Divers"),
    ("8.1", "Enseignement"),
    ("8.2", "Aide sociale"),
    ("8.3", "Voirie"),
    ("8.4", "Aménagement du territoire"),
    ("8.5", "Politique de la ville-habitat-logement"),
    ("8.6", "Emploi-formation professionnelle"),
    ("8.7", "Transports"),
    ("8.8", "Environnement"),
    ("8.9", "Culture"),
    ("9.1", "Autres domaines de compétences des communes"),
    ("9.2", "Autres domaines de compétences des départements"),
    ("9.3", "Autres domaines de compétences des régions"),
    ("9.4", "Vœux et motions"),
];

/// The label of a level-2 matière ("7.5" → "Subventions").
pub fn matter_label(code: &str) -> Option<&'static str> {
    LEVEL_TWO.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The label of the level-1 matière a code belongs to ("7.5" → "Finances locales").
pub fn matter_family_label(code: &str) -> Option<&'static str> {
    let first: u32 = code.split('.').next()?.parse().ok()?;
    LEVEL_ONE
        .iter()
        .find(|(n, _, _)| *n == first)
        .map(|(_, l, _)| *l)
}

/// Checks a level-2 code against the national nomenclature ("7.5", "7.10").
pub fn validate_matter_code(field: &str, code: &str) -> Result<(), FieldError> {
    let valid = code.split_once('.').is_some_and(|(a, b)| {
        let (Ok(one), Ok(two)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            return false;
        };
        LEVEL_ONE
            .iter()
            .any(|(n, _, count)| *n == one && (1..=*count).contains(&two))
            && !b.starts_with('0')
    });
    if valid {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "Matière : « {code} » n'est pas une matière de la nomenclature ACTES (de 1.1 à 9.4, par exemple 7.5 Subventions)."
            ),
        ))
    }
}

/// The matière as SCDL's DELIB_MATIERE_NOM wants it: level-1 and level-2 labels, lower
/// case with their accents, without commas or parentheses ("finances locales/subventions").
pub fn scdl_matter_name(code: &str) -> Option<String> {
    let clean = |s: &str| {
        let lowered: String = s
            .chars()
            .filter(|c| !matches!(c, ',' | '(' | ')'))
            .flat_map(char::to_lowercase)
            .collect();
        crate::french::normalize_spaces(&lowered)
    };
    Some(format!(
        "{}/{}",
        clean(matter_family_label(code)?),
        clean(matter_label(code)?)
    ))
}

/// The levels of a matière code for the @ctes message ("7.5" → [7, 5]).
pub fn matter_levels(code: &str) -> Option<Vec<u32>> {
    validate_matter_code("matiere", code).ok()?;
    code.split('.').map(|p| p.parse().ok()).collect()
}

/// The identifier @ctes gives an act: "062-226200012-20231120-2023_479-DE".
pub fn act_identifier(
    department_code_3: &str,
    siren: &str,
    date: jiff::civil::Date,
    actes_number: &str,
) -> String {
    format!(
        "{department_code_3}-{siren}-{}-{actes_number}-DE",
        date.strftime("%Y%m%d")
    )
}

/// The prefecture that controls a département's acts: "PREF062".
pub fn prefecture_id(department_code_3: &str) -> String {
    format!("PREF{department_code_3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for ok in ["7.5", "7.10", "1.1", "9.4", "8.9"] {
            assert!(validate_matter_code("matiere", ok).is_ok(), "{ok}");
            assert!(matter_label(ok).is_some());
        }
        for bad in ["7.11", "0.1", "10.1", "7", "7.05", "a.b", ""] {
            assert!(validate_matter_code("matiere", bad).is_err(), "{bad}");
        }
        assert_eq!(matter_family_label("7.5"), Some("Finances locales"));
        assert_eq!(
            scdl_matter_name("7.5").as_deref(),
            Some("finances locales/subventions")
        );
        assert_eq!(
            scdl_matter_name("7.9").as_deref(),
            Some("finances locales/prise de participation sem etc...")
        );
        assert_eq!(
            scdl_matter_name("8.4").as_deref(),
            Some("domaines de compétences par thèmes/aménagement du territoire")
        );
        assert_eq!(matter_levels("7.10"), Some(vec![7, 10]));
        assert_eq!(
            act_identifier(
                "062",
                "226200012",
                jiff::civil::date(2023, 11, 20),
                "2023_479"
            ),
            "062-226200012-20231120-2023_479-DE"
        );
        assert_eq!(prefecture_id("062"), "PREF062");
        assert_eq!(matter_label("7.5"), Some("Subventions"));
    }

    #[test]
    fn table_is_consistent() {
        let total: u32 = LEVEL_ONE.iter().map(|(_, _, c)| c).sum();
        assert_eq!(total as usize, LEVEL_TWO.len());
        for (code, _) in LEVEL_TWO {
            assert!(validate_matter_code("matiere", code).is_ok(), "{code}");
        }
    }
}
