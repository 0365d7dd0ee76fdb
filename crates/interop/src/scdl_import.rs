//! Reading SCDL subsidies files as other collectivities really publish them: comma or
//! semicolon, UTF-8 with or without BOM or Windows-1252, decimal comma or point, amounts
//! with spaces, dates in three orders, quoted fields over several lines. Every row that
//! cannot be read is reported with its line and why; none is dropped silently.

use acta_domain::Amount;
use acta_domain::identifiers::{Rna, Siret};
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

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The line the row starts on, from 1 (the header is line 1).
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub encoding: &'static str,
    /// Set when the file mixes UTF-8 and Windows-1252 lines: which lines, in French.
    pub encoding_warning: Option<String>,
    pub delimiter: char,
    pub rows: u64,
    pub subsidies: Vec<ImportedSubsidy>,
    pub errors: Vec<RowError>,
}

const REQUIRED: [&str; 11] = [
    "nomattribuant",
    "idattribuant",
    "dateconvention",
    "nombeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsversement",
    "datesperiodeversement",
    "notificationue",
    "pourcentagesubvention",
];

const NATURES: [&str; 4] = [
    "aide en numéraire",
    "aide en nature",
    "aide en numéraire;aide en nature",
    "aide en nature;aide en numéraire",
];

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

/// Reads a whole file.
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
        .map(|h| h.trim().to_lowercase())
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Ce fichier n'est pas un fichier SCDL subventions : colonne(s) manquante(s) : {}.",
            missing.join(", ")
        ));
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let mut subsidies = Vec::new();
    let mut errors = Vec::new();
    let mut rows = 0u64;
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Err(e) => {
                rows += 1;
                errors.push(RowError {
                    line,
                    reason: format!("ligne illisible : {e}"),
                });
                continue;
            }
            Ok(true) => {}
        }
        let line = record.position().map_or(line, |p| p.line());
        rows += 1;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // A NUL byte or another control character: neither database may receive it.
        if record.iter().any(|f| {
            f.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            errors.push(RowError {
                line,
                reason: "caractère de contrôle (octet nul ou caractère invisible) dans la ligne"
                    .to_string(),
            });
            continue;
        }
        let get = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        match row(get, line) {
            Ok(s) => subsidies.push(s),
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    Ok(ImportOutcome {
        encoding,
        encoding_warning,
        delimiter: char::from(delimiter),
        rows,
        subsidies,
        errors,
    })
}

fn row<'a>(get: impl Fn(&str) -> &'a str, line: u64) -> Result<ImportedSubsidy, String> {
    let required = |name: &str, label: &str| {
        let v = get(name);
        if v.is_empty() {
            Err(format!("{label} : valeur obligatoire absente"))
        } else {
            Ok(v.to_string())
        }
    };
    // Domain messages capitalise the field's label; SCDL column names keep their case.
    let column_named = |column: &'static str| {
        move |e: acta_domain::FieldError| {
            let mut label = column.chars();
            let capitalised: String = label
                .next()
                .map(|c| c.to_uppercase().chain(label).collect())
                .unwrap_or_default();
            e.message.replacen(&capitalised, column, 1)
        }
    };
    let grantor_siret = Siret::parse("idAttribuant", &required("idattribuant", "idAttribuant")?)
        .map_err(column_named("idAttribuant"))?;
    let beneficiary_siret = optional(get("idbeneficiaire"))
        .map(|s| Siret::parse("idBeneficiaire", &s).map_err(column_named("idBeneficiaire")))
        .transpose()?;
    let beneficiary_rna = optional(get("rnabeneficiaire"))
        .map(|s| Rna::parse("rnaBeneficiaire", &s).map_err(column_named("rnaBeneficiaire")))
        .transpose()?;
    if beneficiary_siret.is_none() && beneficiary_rna.is_none() {
        return Err(
            "idBeneficiaire ou rnaBeneficiaire : l'un des deux est obligatoire".to_string(),
        );
    }
    let nature = required("nature", "nature")?
        .to_lowercase()
        .replace("numeraire", "numéraire");
    let nature = nature
        .split(';')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(";");
    if !NATURES.contains(&nature.as_str()) {
        return Err(format!(
            "nature : « {nature} » n'est pas une nature SCDL (aide en numéraire, aide en nature)"
        ));
    }
    let eu = match get("notificationue").to_lowercase().as_str() {
        "oui" | "true" | "vrai" | "1" => true,
        "non" | "false" | "faux" | "0" => false,
        other => return Err(format!("notificationUE : « {other} » (oui ou non attendu)")),
    };
    let terms = required("conditionsversement", "conditionsVersement")?;
    if terms.chars().count() > 256 {
        return Err("conditionsVersement : plus de 256 caractères".to_string());
    }
    let subsidy = SubsidyRecord {
        grantor_name: required("nomattribuant", "nomAttribuant")?,
        grantor_siret,
        convention_date: parse_any_date(
            "dateConvention",
            &required("dateconvention", "dateConvention")?,
        )?,
        decision_reference: optional(get("referencedecision")),
        beneficiary_name: required("nombeneficiaire", "nomBeneficiaire")?,
        beneficiary_siret,
        beneficiary_rna,
        object: required("objet", "objet")?,
        amount: parse_amount(&required("montant", "montant")?)?,
        nature,
        payment_terms: terms,
        payment_period: period(&required("datesperiodeversement", "datesPeriodeVersement")?)?,
        rae_id: optional(get("idrae")),
        eu_notified: eu,
        share_basis_points: parse_share(&required(
            "pourcentagesubvention",
            "pourcentageSubvention",
        )?)?,
        scheme: optional(get("dispositifaide")),
    };
    Ok(ImportedSubsidy { line, subsidy })
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
        assert_eq!(s.share_basis_points, 500);
        assert_eq!(s.payment_period, "2017-03-30/2017-05-24");
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
        assert_eq!(s.payment_period, "2023-12-01");
        assert_eq!(s.share_basis_points, 10_000);
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
    fn every_bad_row_is_reported_with_its_line_and_reason() {
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
A,21060004500392,2015-07-07,,B,52499120500013,,Objet,100,aide en numéraire,unique,2017-03-30,,non,1.5,\n"
        );
        let out = read(text.as_bytes()).unwrap();
        assert_eq!(out.encoding, "UTF-8");
        assert_eq!(out.rows, 9);
        assert_eq!(out.subsidies.len(), 1);
        let reasons: Vec<(u64, &str)> = out
            .errors
            .iter()
            .map(|e| (e.line, e.reason.as_str()))
            .collect();
        let expected = [
            (3, "clé de contrôle"),
            (4, "dateConvention"),
            (5, "l'un des deux est obligatoire"),
            (6, "n'est pas un montant"),
            (7, "n'est pas une nature SCDL"),
            (8, "notificationUE"),
            (9, "finit"),
            (10, "pourcentageSubvention"),
        ];
        assert_eq!(reasons.len(), expected.len(), "{reasons:?}");
        for ((line, reason), (l, r)) in reasons.iter().zip(expected) {
            assert_eq!(*line, l);
            assert!(reason.contains(r), "{line}: {reason}");
        }
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
