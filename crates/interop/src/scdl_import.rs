//! Reading SCDL subsidies files as other collectivities really publish them: comma or
//! semicolon, UTF-8 with or without BOM or Windows-1252, decimal comma or point, amounts
//! with spaces, dates in three orders, quoted fields over several lines. Every row that
//! cannot be read is reported with its line and why; none is dropped silently.

use acta_domain::Amount;
use acta_domain::identifiers::{Rna, Siret, SiretCell};
use acta_domain::subsidy::SubsidyRecord;
use jiff::civil::Date;
use serde::Serialize;

/// A subsidy read from a file, with the line its row starts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedSubsidy {
    pub line: u64,
    #[serde(flatten)]
    pub subsidy: SubsidyRecord,
}

/// A row that could not be read: it does not identify a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The line the row starts on, from 1 (the header is line 1).
    pub line: u64,
    pub reason: String,
}

/// A cell of an imported row that was left out or read with a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellWarning {
    pub line: u64,
    /// The SCDL column ("idBeneficiaire").
    pub column: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub encoding: &'static str,
    /// Set when the file mixes UTF-8 and Windows-1252 lines: which lines, in French.
    pub encoding_warning: Option<String>,
    pub delimiter: char,
    /// Which version of the format the header is: "SCDL 2.x", "SCDL 1.x (format réglementaire
    /// de 2017)" or the older column names.
    pub format: &'static str,
    /// The SCDL columns the file does not have (their fields are left empty).
    pub missing_columns: Vec<&'static str>,
    pub rows: u64,
    pub subsidies: Vec<ImportedSubsidy>,
    pub warnings: Vec<CellWarning>,
    pub errors: Vec<RowError>,
}

/// The SCDL columns, each with the other names files give it: the normalised header
/// (lower case, no accents, spaces or underscores) of the 2.x and 1.x formats, and of the
/// files published before the 2017 arrêté (COLL_NOM, ATTRIB_NOM…).
const COLUMNS: [(&str, &[&str]); 16] = [
    ("nomAttribuant", &["nomattribuant", "collnom"]),
    ("idAttribuant", &["idattribuant", "collsiret"]),
    ("dateConvention", &["dateconvention", "actedate"]),
    ("referenceDecision", &["referencedecision", "acteref"]),
    ("nomBeneficiaire", &["nombeneficiaire", "attribnom"]),
    ("idBeneficiaire", &["idbeneficiaire", "attribsiret"]),
    ("rnaBeneficiaire", &["rnabeneficiaire"]),
    ("objet", &["objet", "subobj"]),
    ("montant", &["montant", "submontant"]),
    ("nature", &["nature"]),
    ("conditionsVersement", &["conditionsversement"]),
    ("datesPeriodeVersement", &["datesperiodeversement"]),
    ("idRAE", &["idrae"]),
    (
        "notificationUE",
        &["notificationue", "notificationalacommissioneuropeenne"],
    ),
    ("pourcentageSubvention", &["pourcentagesubvention"]),
    ("dispositifAide", &["dispositifaide"]),
];

/// The older names, which tell a file from before the SCDL.
const OLDER_NAMES: [&str; 5] = [
    "collnom",
    "collsiret",
    "actedate",
    "attribnom",
    "submontant",
];

/// Columns only SCDL 2.1 and later have.
const SCDL_2_ONLY: [&str; 2] = ["rnaBeneficiaire", "dispositifAide"];

const NATURES: [&str; 4] = [
    "aide en numéraire",
    "aide en nature",
    "aide en numéraire;aide en nature",
    "aide en nature;aide en numéraire",
];

/// "Nom Bénéficiaire", "pourcentage subvention", "COLL_NOM" → "nombeneficiaire",
/// "pourcentagesubvention", "collnom".
fn normalised(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\'' | '’'))
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

/// Where each SCDL column is in the header, by its position in `COLUMNS`.
struct Header {
    positions: [Option<usize>; 16],
    format: &'static str,
}

impl Header {
    fn read(headers: &[String]) -> Result<Header, String> {
        let names: Vec<String> = headers.iter().map(|h| normalised(h)).collect();
        let mut positions = [None; 16];
        for (slot, (_, aliases)) in positions.iter_mut().zip(COLUMNS) {
            *slot = names.iter().position(|n| aliases.contains(&n.as_str()));
        }
        let header = Header {
            positions,
            format: "",
        };
        let has = |column: &str| header.position(column).is_some();
        let identifies = (has("nomAttribuant") || has("idAttribuant"))
            && (has("nomBeneficiaire") || has("idBeneficiaire") || has("rnaBeneficiaire"))
            && has("montant")
            && has("dateConvention");
        if !identifies {
            let wanted = [
                "nomAttribuant",
                "nomBeneficiaire",
                "montant",
                "dateConvention",
            ];
            let missing: Vec<&str> = wanted.into_iter().filter(|c| !has(c)).collect();
            return Err(format!(
                "Ce fichier n'est pas un fichier SCDL subventions : colonne(s) manquante(s) : {}.",
                missing.join(", ")
            ));
        }
        let format = if names.iter().any(|n| OLDER_NAMES.contains(&n.as_str())) {
            "format antérieur à l'arrêté du 17 novembre 2017 (COLL_NOM, ATTRIB_NOM…)"
        } else if SCDL_2_ONLY.iter().any(|c| has(c)) {
            "SCDL 2.x"
        } else {
            "SCDL 1.x (format réglementaire de 2017)"
        };
        Ok(Header { format, ..header })
    }

    fn position(&self, column: &str) -> Option<usize> {
        COLUMNS
            .iter()
            .position(|(name, _)| *name == column)
            .and_then(|i| self.positions[i])
    }

    fn missing(&self) -> Vec<&'static str> {
        COLUMNS
            .iter()
            .zip(self.positions)
            .filter(|(_, at)| at.is_none())
            .map(|((name, _), _)| *name)
            .collect()
    }
}

/// Decodes the bytes line by line: UTF-8 (BOM removed) where valid, Windows-1252
/// elsewhere; the encoding named, and a warning when the file mixes both.
pub fn decode(bytes: &[u8]) -> (String, &'static str, Option<String>) {
    let decoded = acta_domain::encoding::decode_lines(bytes);
    let encoding = decoded.encoding();
    let warning = decoded.mixed_warning();
    (decoded.text, encoding, warning)
}

/// The separator of the header line: the one of comma or semicolon found more often
/// outside quotes.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let (mut commas, mut semicolons) = (0, 0);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// Reads "2023-11-20", "20/11/2023" or "2023/11/20".
pub fn parse_any_date(field: &str, input: &str) -> Result<Date, String> {
    let t = input.trim();
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    let ymd = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => Some((*y, *m, *d)),
        [d, m, y] if y.len() == 4 => Some((*y, *m, *d)),
        _ => None,
    };
    let parsed =
        ymd.and_then(|(y, m, d)| Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok());
    parsed.ok_or_else(|| {
        format!("{field} : « {t} » n'est pas une date (AAAA-MM-JJ, JJ/MM/AAAA ou AAAA/MM/JJ)")
    })
}

/// Reads amounts with a decimal comma or point and spaces between thousands.
fn parse_amount(input: &str) -> Result<Amount, String> {
    let t = input.trim();
    // "1,234.56": commas between thousands, a point for decimals.
    let normalized = if t.contains('.') && t.contains(',') {
        t.replace(',', "")
    } else {
        t.to_string()
    };
    Amount::parse_fr("montant", &normalized)
        .map_err(|e| e.message)
        .and_then(|a| {
            if a.is_negative() {
                Err(format!("montant : « {t} » est négatif"))
            } else {
                Ok(a)
            }
        })
}

/// "0.45", "0,45", "45 %", "1" → basis points (45 % → 4 500).
fn parse_share(input: &str) -> Result<u32, String> {
    let t = input.trim();
    let invalid = || format!("pourcentageSubvention : « {t} » n'est pas une part entre 0,01 et 1");
    if let Some(percent) = t.strip_suffix('%') {
        return acta_domain::money::parse_percentage("pourcentage", percent)
            .map_err(|_| invalid())
            .and_then(|bp| if bp == 0 { Err(invalid()) } else { Ok(bp) });
    }
    let as_amount = Amount::parse_fr("part", t).map_err(|_| invalid())?;
    // A share read as an amount: 0,45 is 45 centimes; 1 is 100 centimes.
    let bp = u32::try_from(as_amount.centimes() * 100).map_err(|_| invalid())?;
    if (1..=10_000).contains(&bp) {
        Ok(bp)
    } else {
        Err(invalid())
    }
}

fn period(input: &str) -> Result<String, String> {
    let t = input.trim();
    let mut dates = Vec::new();
    // "2017-03-14/2018-03-14", "14/03/2017-14/03/2018", "2017-03-14_2018-03-14"…
    let candidates: Vec<String> = if t.matches('/').count() == 1 && t.len() == 21 {
        t.split('/').map(str::to_string).collect()
    } else if let Some((a, b)) = t.split_once('_') {
        vec![a.to_string(), b.to_string()]
    } else if t.len() == 21 && t.as_bytes().get(10) == Some(&b'-') {
        vec![t[..10].to_string(), t[11..].to_string()]
    } else {
        vec![t.to_string()]
    };
    for c in &candidates {
        dates.push(parse_any_date("datesPeriodeVersement", c)?);
    }
    match dates.as_slice() {
        [d] => Ok(d.to_string()),
        [a, b] if a <= b => Ok(format!("{a}/{b}")),
        [a, b] => Err(format!(
            "datesPeriodeVersement : la période finit ({b}) avant de commencer ({a})"
        )),
        _ => Err(format!("datesPeriodeVersement : « {t} » illisible")),
    }
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Reads a whole file: every row that identifies a grant is kept, its unreadable cells
/// left empty with a warning; a row that does not is refused with its line and why.
pub fn read(bytes: &[u8]) -> Result<ImportOutcome, String> {
    let (text, encoding, encoding_warning) = decode(bytes);
    // The csv reader counts a CRLF's "\n" into the next record's position: with plain
    // line feeds the reported lines are the ones a text editor shows.
    let text = text.replace("\r\n", "\n");
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("En-tête illisible : {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let header = Header::read(&headers)?;
    let mut outcome = ImportOutcome {
        encoding,
        encoding_warning,
        delimiter: char::from(delimiter),
        format: header.format,
        missing_columns: header.missing(),
        rows: 0,
        subsidies: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Err(e) => {
                outcome.rows += 1;
                outcome.errors.push(RowError {
                    line,
                    reason: format!("ligne illisible : {e}"),
                });
                continue;
            }
            Ok(true) => {}
        }
        let line = record.position().map_or(line, |p| p.line());
        outcome.rows += 1;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // A NUL byte or another control character: neither database may receive it.
        if record.iter().any(|f| {
            f.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            outcome.errors.push(RowError {
                line,
                reason: "caractère de contrôle (octet nul ou caractère invisible) dans la ligne"
                    .to_string(),
            });
            continue;
        }
        let cells = Cells {
            header: &header,
            record: &record,
            line,
        };
        let warned_before = outcome.warnings.len();
        match cells.subsidy(&mut outcome.warnings) {
            Ok(subsidy) => outcome.subsidies.push(ImportedSubsidy { line, subsidy }),
            Err(reason) => {
                // A refused row is said once, by why it is refused.
                outcome.warnings.truncate(warned_before);
                outcome.errors.push(RowError { line, reason });
            }
        }
    }
    Ok(outcome)
}

/// One row's cells, by SCDL column.
struct Cells<'a> {
    header: &'a Header,
    record: &'a csv::StringRecord,
    line: u64,
}

impl Cells<'_> {
    /// The cell of `column`, trimmed; empty when the file has no such column.
    fn get(&self, column: &str) -> &str {
        self.header
            .position(column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
            .trim()
    }

    fn text(&self, column: &str) -> Option<String> {
        optional(self.get(column))
    }

    /// The subsidy the row gives, its unreadable optional cells left empty with a warning
    /// each; an error when it does not say who gives, who receives, how much and when.
    fn subsidy(&self, warnings: &mut Vec<CellWarning>) -> Result<SubsidyRecord, String> {
        let mut warn = |column: &'static str, message: String| {
            warnings.push(CellWarning {
                line: self.line,
                column,
                message,
            });
        };
        let grantor_siret = self.siret("idAttribuant", &mut warn);
        let grantor_name = self.text("nomAttribuant");
        if grantor_name.is_none() && grantor_siret.is_none() {
            return Err(
                "nomAttribuant et idAttribuant : l'attribuant n'est pas identifié".to_string(),
            );
        }
        let beneficiary_siret = self.siret("idBeneficiaire", &mut warn);
        let beneficiary_rna = self.text("rnaBeneficiaire").and_then(|r| {
            Rna::parse("rnaBeneficiaire", &r)
                .map_err(|e| {
                    warn(
                        "rnaBeneficiaire",
                        format!("{} ; il n'est pas repris.", e.message),
                    )
                })
                .ok()
        });
        let beneficiary_name = self.text("nomBeneficiaire");
        if beneficiary_name.is_none() && beneficiary_siret.is_none() && beneficiary_rna.is_none() {
            return Err(
                "nomBeneficiaire, idBeneficiaire et rnaBeneficiaire : le bénéficiaire n'est pas identifié"
                    .to_string(),
            );
        }
        if self.text("idBeneficiaire").is_none() && self.text("rnaBeneficiaire").is_none() {
            warn(
                "idBeneficiaire",
                "idBeneficiaire et rnaBeneficiaire : vides ; le bénéficiaire n'est connu que par \
                 son nom."
                    .to_string(),
            );
        }
        let amount = match self.text("montant") {
            None => return Err("montant : valeur absente".to_string()),
            Some(text) => {
                let amount = parse_amount(&text)?;
                if text.contains(',') && !text.contains('.') {
                    warn(
                        "montant",
                        format!(
                            "montant : « {text} » est écrit avec une virgule décimale (réglage \
                             d'un tableur) ; le SCDL attend un point ; lu {} €.",
                            amount.format_fr()
                        ),
                    );
                }
                amount
            }
        };
        let convention_date = match self.text("dateConvention") {
            None => return Err("dateConvention : valeur absente".to_string()),
            Some(text) => parse_any_date("dateConvention", &text)?,
        };
        // The cells the SCDL requires but that do not identify the grant: an empty one is
        // said once, an unreadable one is left out with why.
        let mut required = |column: &'static str| {
            let text = self.text(column);
            if text.is_none() && self.header.position(column).is_some() {
                warn(
                    column,
                    format!("{column} : cellule vide, alors que le SCDL l'exige."),
                );
            }
            text
        };
        let object = required("objet").unwrap_or_default();
        let nature_text = required("nature");
        let terms_text = required("conditionsVersement");
        let period_text = required("datesPeriodeVersement");
        let eu_text = required("notificationUE");
        let share_text = required("pourcentageSubvention");
        // Over the SCDL's 256 characters, the terms are kept whole and said.
        if let Some(t) = &terms_text
            && t.chars().count() > 256
        {
            warn(
                "conditionsVersement",
                "conditionsVersement : plus de 256 caractères (limite du SCDL) ; le texte est gardé en entier."
                    .to_string(),
            );
        }
        let nature = keep(&mut warn, "nature", nature_text.map(|n| nature(&n)));
        let payment_terms = terms_text;
        let period = period_text.map(|p| period(&p));
        let payment_period = keep(&mut warn, "datesPeriodeVersement", period);
        let eu = eu_text.map(|e| eu_notification(&e));
        let eu_notified = keep(&mut warn, "notificationUE", eu);
        let share = share_text.map(|s| parse_share(&s));
        let share_basis_points = keep(&mut warn, "pourcentageSubvention", share);
        Ok(SubsidyRecord {
            grantor_name: grantor_name.unwrap_or_default(),
            grantor_siret,
            convention_date,
            decision_reference: self.text("referenceDecision"),
            beneficiary_name: beneficiary_name.unwrap_or_default(),
            beneficiary_siret,
            beneficiary_rna,
            object,
            amount,
            nature,
            payment_terms,
            payment_period,
            rae_id: self.text("idRAE"),
            eu_notified,
            share_basis_points,
            scheme: self.text("dispositifAide"),
        })
    }

    /// A SIRET cell: the SIRET (read back if a spreadsheet stored it as a number), or none
    /// with a warning saying why.
    fn siret(
        &self,
        column: &'static str,
        warn: &mut impl FnMut(&'static str, String),
    ) -> Option<Siret> {
        let text = self.text(column)?;
        match Siret::from_cell(column, &text) {
            SiretCell::Valid(siret) => Some(siret),
            SiretCell::Restored(siret, note) => {
                warn(column, note);
                Some(siret)
            }
            SiretCell::Refused(reason) => {
                let reason = column_named(column, reason);
                let reason = reason.trim_end_matches('.');
                warn(column, format!("{reason} ; il n'est pas repris."));
                None
            }
        }
    }
}

/// Domain messages capitalise the field's label; SCDL column names keep their case.
fn column_named(column: &str, message: String) -> String {
    let mut label = column.chars();
    let capitalised: String = label
        .next()
        .map(|c| c.to_uppercase().chain(label).collect())
        .unwrap_or_default();
    message.replacen(&capitalised, column, 1)
}

/// A cell's value when it could be read; else none, and a warning saying why.
fn keep<T>(
    warn: &mut impl FnMut(&'static str, String),
    column: &'static str,
    read: Option<Result<T, String>>,
) -> Option<T> {
    match read? {
        Ok(value) => Some(value),
        Err(message) => {
            warn(column, format!("{message} ; la valeur n'est pas reprise."));
            None
        }
    }
}

/// "oui", "Non", "vrai", "0"…
fn eu_notification(input: &str) -> Result<bool, String> {
    match input.to_lowercase().as_str() {
        "oui" | "true" | "vrai" | "1" => Ok(true),
        "non" | "false" | "faux" | "0" => Ok(false),
        other => Err(format!("notificationUE : « {other} » (oui ou non attendu)")),
    }
}

/// "Aide en numeraire", "aide en nature ; aide en numéraire" → the SCDL's spelling.
fn nature(input: &str) -> Result<String, String> {
    let nature = input
        .to_lowercase()
        .replace("numeraire", "numéraire")
        .split(';')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(";");
    if NATURES.contains(&nature.as_str()) {
        Ok(nature)
    } else {
        Err(format!(
            "nature : « {nature} » n'est pas une nature SCDL (aide en numéraire, aide en nature)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICIAL: &str = "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide\n\
ANTIBES,21060004500392,2015-07-07,CONV N° 2074-15 2015-06-19,CEA DU PERSONNEL DE LA VILLE D'ANTIBES JUAN-LES-PINS ,52499120500013,W333216789,Fonctionnement,99786.57,aide en numéraire,échelonné,2017-03-30/2017-05-24,,non,0.05,\n\
ANTIBES,21060004500392,2013-10-04,CONV N° 2994-13,ANTIBES RALLYE ASSOCIATION,,W322216459,Fonctionnement,33000,aide en numéraire,unique,2017-03-09/2017-07-31,,non,0.1,\n";

    #[test]
    fn reads_the_official_example() {
        let out = read(OFFICIAL.as_bytes()).unwrap();
        assert_eq!(
            (out.rows, out.subsidies.len(), out.errors.len()),
            (2, 2, 0),
            "{:?}",
            out.errors
        );
        let s = &out.subsidies[0].subsidy;
        assert_eq!(s.amount, Amount::from_centimes(9_978_657));
        assert_eq!(s.share_basis_points, Some(500));
        assert_eq!(s.payment_period.as_deref(), Some("2017-03-30/2017-05-24"));
        assert_eq!(out.subsidies[1].line, 3);
        assert!(out.subsidies[1].subsidy.beneficiary_siret.is_none());
    }

    #[test]
    fn a_row_with_a_nul_byte_is_refused_and_the_others_read() {
        let with_nul = OFFICIAL.replacen("Fonctionnement", "Fonction\u{0}nement", 1);
        let out = read(with_nul.as_bytes()).unwrap();
        assert_eq!((out.rows, out.subsidies.len()), (2, 1));
        assert_eq!(out.errors[0].line, 2);
        assert!(out.errors[0].reason.contains("caractère de contrôle"));
    }

    #[test]
    fn reads_semicolons_windows_1252_commas_spaces_and_other_date_orders() {
        let text = "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;notificationUE;pourcentageSubvention;dispositifAide\r\n\
Département du Pas-de-Calais;22620001200012;01/12/2023;2023-479;Chambre de Métiers;13002374000439;;\"Programme d'actions\n2023, deux axes\";120 000,00;aide en numéraire;échelonné;2023/12/01;;non;1;\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let out = read(&bytes).unwrap();
        assert_eq!(out.encoding, "Windows-1252");
        assert_eq!(out.delimiter, ';');
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let s = &out.subsidies[0].subsidy;
        assert_eq!(s.grantor_name, "Département du Pas-de-Calais");
        assert_eq!(s.convention_date.to_string(), "2023-12-01");
        assert_eq!(s.amount, Amount::from_euros(120_000).unwrap());
        assert_eq!(s.object, "Programme d'actions\n2023, deux axes");
        assert_eq!(s.payment_period.as_deref(), Some("2023-12-01"));
        assert_eq!(s.share_basis_points, Some(10_000));
    }

    #[test]
    fn one_windows_1252_line_does_not_garble_the_utf8_rows_and_is_named() {
        let header = "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide\n";
        let row = "Département de l'Hérault,21060004500392,2015-07-07,,Société d'études,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n";
        let mut bytes = format!("{header}{}", row.repeat(1000)).into_bytes();
        bytes.extend_from_slice(b"D\xe9partement de l'H\xe9rault,21060004500392,2015-07-07,,Caf\xe9,52499120500013,,Objet,100,aide en num\xe9raire,unique,2017-03-30,,non,1,\n");
        let out = read(&bytes).unwrap();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.subsidies.len(), 1001);
        assert!(
            out.subsidies
                .iter()
                .all(|s| s.subsidy.grantor_name == "Département de l'Hérault")
        );
        assert_eq!(out.subsidies[1000].subsidy.beneficiary_name, "Café");
        assert_eq!(out.encoding, "mixte (UTF-8 et Windows-1252)");
        let warning = out.encoding_warning.unwrap();
        assert!(warning.contains("ligne(s) 1002"), "{warning}");
    }

    #[test]
    fn a_row_is_refused_only_when_it_does_not_identify_a_grant() {
        let bom = "\u{feff}";
        let text = format!(
            "{bom}nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide\n\
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500393,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500392,2017-30-05,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500392,2015-07-07,,B,,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,cent euros,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,100,subvention,unique,2017-03-30,,non,1,\n\
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,peut-être,1,\n\
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2018-03-30/2017-03-30,,non,1,\n\
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1.5,\n\
,,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500392,2015-07-07,,,,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n\
A,21060004500392,,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1,\n"
        );
        let out = read(text.as_bytes()).unwrap();
        assert_eq!(out.encoding, "UTF-8");
        assert_eq!(out.format, "SCDL 2.x");
        assert!(out.missing_columns.is_empty());
        assert_eq!(out.rows, 12);
        let refused: Vec<(u64, &str)> = out
            .errors
            .iter()
            .map(|e| (e.line, e.reason.as_str()))
            .collect();
        let expected = [
            (4, "dateConvention"),
            (6, "n'est pas un montant"),
            (11, "l'attribuant n'est pas identifié"),
            (12, "le bénéficiaire n'est pas identifié"),
            (13, "dateConvention : valeur absente"),
        ];
        assert_eq!(refused.len(), expected.len(), "{refused:?}");
        for ((line, reason), (l, r)) in refused.iter().zip(expected) {
            assert_eq!(*line, l);
            assert!(reason.contains(r), "{line}: {reason}");
        }
        assert_eq!(out.subsidies.len(), 7);
        let warned: Vec<(u64, &str, &str)> = out
            .warnings
            .iter()
            .map(|w| (w.line, w.column, w.message.as_str()))
            .collect();
        let expected = [
            (3, "idAttribuant", "clé de contrôle"),
            (5, "idBeneficiaire", "n'est connu que par son nom"),
            (7, "nature", "n'est pas une nature SCDL"),
            (8, "notificationUE", "oui ou non attendu"),
            (9, "datesPeriodeVersement", "finit"),
            (10, "pourcentageSubvention", "entre 0,01 et 1"),
        ];
        assert_eq!(warned.len(), expected.len(), "{warned:?}");
        for ((line, column, message), (l, c, m)) in warned.iter().zip(expected) {
            assert_eq!((*line, *column), (l, c));
            assert!(message.contains(m), "{line}: {message}");
            let said = message.contains("n'est pas repris") || message.ends_with("nom.");
            assert!(said, "{message}");
        }
        // What could not be read is left empty; the rest of the row is kept.
        let at = |line: u64| {
            &out.subsidies
                .iter()
                .find(|s| s.line == line)
                .unwrap()
                .subsidy
        };
        assert_eq!(at(3).grantor_siret, None);
        assert_eq!(at(3).grantor_name, "A");
        assert_eq!(at(7).nature, None);
        assert_eq!(at(8).eu_notified, None);
        assert_eq!(at(9).payment_period, None);
        assert_eq!(at(10).share_basis_points, None);
        assert_eq!(at(10).nature.as_deref(), Some("aide en numéraire"));
    }

    #[test]
    fn a_refused_row_is_said_by_its_refusal_alone() {
        let text = "nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,idBeneficiaire,objet,montant\n\
A,2.18601946E+13,,B,52499120500013,Objet,100\n";
        let out = read(text.as_bytes()).unwrap();
        assert_eq!((out.subsidies.len(), out.errors.len()), (0, 1));
        assert!(out.errors[0].reason.contains("dateConvention"));
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn scdl_1_files_and_older_column_names_are_read() {
        // SCDL 1.x: the 14 columns of the 2017 arrêté, headers in any case and spacing.
        let v1 = "NomAttribuant;idattribuant;dateConvention;referenceDecision;idBeneficiaire;Nom Bénéficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;notificationUE;pourcentage subvention\n\
COMMUNE DE ROQUES;21310458100011;2017-04-13;DELIB 06FIN;44137080600016;TENNIS CLUB;SUBVENTION 2017;2400.0;Aide en numéraire;;;;non;1.0\n";
        let out = read(v1.as_bytes()).unwrap();
        assert_eq!(out.format, "SCDL 1.x (format réglementaire de 2017)");
        assert_eq!(out.missing_columns, ["rnaBeneficiaire", "dispositifAide"]);
        assert!(out.errors.is_empty(), "{out:?}");
        let empty: Vec<&str> = out.warnings.iter().map(|w| w.column).collect();
        assert_eq!(empty, ["conditionsVersement", "datesPeriodeVersement"]);
        assert!(
            out.warnings[0]
                .message
                .contains("cellule vide, alors que le SCDL l'exige")
        );
        let s = &out.subsidies[0].subsidy;
        assert_eq!(s.beneficiary_name, "TENNIS CLUB");
        assert_eq!(s.nature.as_deref(), Some("aide en numéraire"));
        assert_eq!(
            (s.payment_terms.clone(), s.payment_period.clone()),
            (None, None)
        );
        assert_eq!(s.share_basis_points, Some(10_000));
        // The names used before the SCDL, with a SIRET a spreadsheet stored as a number.
        let older = "ANNEE;COLL_NOM;COLL_SIRET;COLL_TYPE;ACTE_DATE;ACTE_REF;ATTRIB_NOM;ATTRIB_SIRET;SUB_OBJ;SUB_MONTANT;Notification à la commission Européenne\n\
2017;Ville de Poitiers;21860194600013.0;COM;2016-12-05;2016-0391;LE CLUB;2.18601946E+13;Festival;10000.0;NON\n";
        let out = read(older.as_bytes()).unwrap();
        assert!(out.format.starts_with("format antérieur"), "{}", out.format);
        assert!(out.missing_columns.contains(&"nature"));
        let s = &out.subsidies[0].subsidy;
        assert_eq!(s.grantor_siret.as_ref().unwrap().as_str(), "21860194600013");
        assert_eq!(s.beneficiary_siret, None);
        assert_eq!(s.eu_notified, Some(false));
        assert_eq!(s.amount, Amount::from_euros(10_000).unwrap());
        let columns: Vec<&str> = out.warnings.iter().map(|w| w.column).collect();
        assert_eq!(
            columns,
            ["idAttribuant", "idBeneficiaire"],
            "{:?}",
            out.warnings
        );
        assert!(out.warnings[1].message.contains("notation scientifique"));
    }

    #[test]
    fn a_file_without_the_scdl_columns_is_refused() {
        let err = read(b"a,b,c\n1,2,3\n").unwrap_err();
        assert!(err.contains("colonne(s) manquante(s)"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = read(&bytes);
            let mut with_header = OFFICIAL.as_bytes().to_vec();
            with_header.extend(&bytes);
            let _ = read(&with_header);
        }
    }
}
