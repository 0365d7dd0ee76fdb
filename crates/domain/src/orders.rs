//! Orders for the public accountant: each payment recorded in acta as the mandate proposal
//! the finance software takes (mandat), and each reimbursement decision as a receipt order
//! (titre de recette). The file's fields are documented in `schemas/ordres.schema.json`;
//! the CSV carries the same fields, in the same order, separated by semicolons.

use crate::money::Amount;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A mandate (expense) or a receipt order (titre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    Mandat,
    Titre,
}

/// One order, as the accountant's software reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    #[serde(rename = "type")]
    pub kind: OrderKind,
    /// Exercice budgétaire of the award.
    pub exercice: i16,
    /// Code opération of the budget line ("C01-620A06").
    pub operation: String,
    /// Compte par nature M57 ("6568").
    pub compte_nature: String,
    /// Chapitre fonctionnel ("936").
    pub chapitre_fonctionnel: String,
    /// Fonction ("61").
    pub fonction: String,
    /// The beneficiary (tiers).
    pub tiers: String,
    pub siret: Option<String>,
    /// The account paid (mandats) — none for a titre.
    pub titulaire_compte: Option<String>,
    pub iban: Option<String>,
    /// Amount in centimes, and the same in euros with a decimal point ("120000.00").
    pub montant_centimes: i64,
    pub montant: String,
    /// The payment's date, or the reimbursement decision's.
    pub date: Date,
    /// The date of the mandate the ordonnateur issued, when known.
    pub date_mandat: Option<Date>,
    /// The mandate's reference, or the titre's when issued.
    pub reference: Option<String>,
    /// The tranche a mandate pays.
    pub tranche: Option<u32>,
    /// acta's award number, the convention's title and the deliberation's number.
    pub aide: i64,
    pub convention: Option<String>,
    pub deliberation: Option<String>,
    /// "Participation 2023 — tranche 1 sur 2".
    pub objet: String,
}

impl Order {
    pub fn amount(&self) -> Amount {
        Amount::from_centimes(self.montant_centimes)
    }
}

/// A mandate's object: "Participation 2023, tranche 1 : <the award's purpose>".
pub fn mandate_object(
    kind: crate::grant::AwardKind,
    year: i16,
    tranche: u32,
    purpose: &str,
) -> String {
    format!("{} {year}, tranche {tranche} : {purpose}", kind.label())
}

/// A titre's object: "Reversement (Participation) : <the decision's explanation>".
pub fn titre_object(kind: crate::grant::AwardKind, explanation: &str) -> String {
    format!("Reversement ({}) : {explanation}", kind.label())
}

/// A reimbursement decision becomes a titre only when it leaves something to recover.
pub fn titre_due(to_recover: Amount) -> bool {
    to_recover.centimes() > 0
}

/// The CSV columns, in order: the JSON fields.
pub const CSV_COLUMNS: [&str; 20] = [
    "type",
    "exercice",
    "operation",
    "compte_nature",
    "chapitre_fonctionnel",
    "fonction",
    "tiers",
    "siret",
    "titulaire_compte",
    "iban",
    "montant_centimes",
    "montant",
    "date",
    "date_mandat",
    "reference",
    "tranche",
    "aide",
    "convention",
    "deliberation",
    "objet",
];

/// A CSV field: quoted when it holds the separator, a quote or a line break.
fn field(value: &str) -> String {
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The orders as CSV (semicolon-separated, UTF-8, one header line).
pub fn to_csv(orders: &[Order]) -> String {
    let mut out = CSV_COLUMNS.join(";");
    out.push_str("\r\n");
    for o in orders {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let cells = [
            match o.kind {
                OrderKind::Mandat => "mandat".to_string(),
                OrderKind::Titre => "titre".to_string(),
            },
            o.exercice.to_string(),
            o.operation.clone(),
            o.compte_nature.clone(),
            o.chapitre_fonctionnel.clone(),
            o.fonction.clone(),
            o.tiers.clone(),
            opt(&o.siret),
            opt(&o.titulaire_compte),
            opt(&o.iban),
            o.montant_centimes.to_string(),
            o.montant.clone(),
            o.date.to_string(),
            o.date_mandat.map(|d| d.to_string()).unwrap_or_default(),
            opt(&o.reference),
            o.tranche.map(|t| t.to_string()).unwrap_or_default(),
            o.aide.to_string(),
            opt(&o.convention),
            opt(&o.deliberation),
            o.objet.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(objet: &str) -> Order {
        Order {
            kind: OrderKind::Mandat,
            exercice: 2023,
            operation: "C01-620A06".into(),
            compte_nature: "6568".into(),
            chapitre_fonctionnel: "936".into(),
            fonction: "61".into(),
            tiers: "Chambre de Métiers et de l’Artisanat".into(),
            siret: Some("13002374000439".into()),
            titulaire_compte: Some("CMA".into()),
            iban: Some("FR7630006000011234567890189".into()),
            montant_centimes: 10_000_000,
            montant: Amount::from_centimes(10_000_000).format_decimal_point(),
            date: jiff::civil::date(2024, 1, 15),
            date_mandat: Some(jiff::civil::date(2024, 1, 10)),
            reference: Some("M-2024-1".into()),
            tranche: Some(1),
            aide: 1,
            convention: None,
            deliberation: Some("2023-479".into()),
            objet: objet.into(),
        }
    }

    #[test]
    fn the_csv_has_one_column_per_field_and_quotes_what_needs_it() {
        let csv = to_csv(&[order("Participation 2023; tranche \"1\"")]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0].split(';').count(), CSV_COLUMNS.len());
        assert_eq!(
            lines[1],
            "mandat;2023;C01-620A06;6568;936;61;Chambre de Métiers et de l’Artisanat;13002374000439;CMA;FR7630006000011234567890189;10000000;100000.00;2024-01-15;2024-01-10;M-2024-1;1;1;;2023-479;\"Participation 2023; tranche \"\"1\"\"\""
        );
        // The JSON names are the CSV's columns.
        let json = serde_json::to_value(order("x")).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut columns = CSV_COLUMNS.to_vec();
        columns.sort_unstable();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, columns);
    }
}
