//! SCDL open data: the deliberations file (schema 2.1.5) and the subsidies file (2.1.1),
//! UTF-8, comma-separated, header in the schema's order. Rows are written as they come, so
//! a register of any size is exported in constant memory.

use crate::InteropError;
use serde::Serialize;
use std::io::Write;

pub const DELIBERATIONS_HEADER: [&str; 17] = [
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
];

pub const SUBSIDIES_HEADER: [&str; 16] = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
];

/// The vote of a deliberation as SCDL counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScdlVote {
    /// Members entitled to vote.
    pub effectif: u32,
    pub pour: u32,
    pub contre: u32,
    pub abstention: u32,
}

/// One line of the deliberations file, borrowed from what the export reads: a million
/// rows are written without copying their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliberationRow<'a> {
    pub coll_nom: &'a str,
    pub coll_siret: &'a str,
    pub delib_id: &'a str,
    pub delib_date: &'a str,
    pub matiere_code: &'a str,
    pub matiere_nom: &'a str,
    pub objet: &'a str,
    /// BUDGET_ANNEE with BUDGET_NOM: both or neither (a cohesive pair for Validata).
    pub budget: Option<(i64, &'a str)>,
    /// PREF_ID with PREF_DATE: both or neither.
    pub prefecture: Option<(&'a str, &'a str)>,
    /// None for an item the assembly only took note of.
    pub vote: Option<ScdlVote>,
    pub url: &'a str,
}

/// One line of the subsidies file (one per beneficiary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubsidyRow {
    pub nom_attribuant: String,
    pub id_attribuant: String,
    pub date_convention: String,
    pub reference_decision: String,
    pub nom_beneficiaire: String,
    pub id_beneficiaire: String,
    pub rna_beneficiaire: String,
    pub objet: String,
    /// "120000.00".
    pub montant: String,
    pub nature: String,
    pub conditions_versement: String,
    pub dates_periode_versement: String,
    pub notification_ue: bool,
    /// "1.00" for a single beneficiary.
    pub pourcentage: String,
}

/// Objet is at most 256 characters in the subsidies schema.
pub fn truncate_object(text: &str) -> String {
    let text = acta_domain::french::normalize_spaces(text);
    if text.chars().count() <= 256 {
        text
    } else {
        let mut cut: String = text.chars().take(255).collect();
        cut.push('…');
        cut
    }
}

pub struct DeliberationsWriter<W: Write> {
    csv: csv::Writer<W>,
    rows: u64,
    /// Reused for the numbers of each row.
    number: String,
}

impl<W: Write> DeliberationsWriter<W> {
    pub fn new(out: W) -> Result<Self, InteropError> {
        let mut csv = csv::WriterBuilder::new().from_writer(out);
        csv.write_record(DELIBERATIONS_HEADER)?;
        Ok(DeliberationsWriter {
            csv,
            rows: 0,
            number: String::new(),
        })
    }

    fn number(&mut self, n: Option<i64>) -> Result<(), InteropError> {
        use std::fmt::Write as _;
        self.number.clear();
        if let Some(n) = n {
            // Writing to a String cannot fail.
            let _ = write!(self.number, "{n}");
        }
        self.csv.write_field(&self.number)?;
        Ok(())
    }

    pub fn write(&mut self, r: &DeliberationRow<'_>) -> Result<(), InteropError> {
        use crate::csv_cell::text;
        for field in [
            text(r.coll_nom),
            r.coll_siret.into(),
            text(r.delib_id),
            r.delib_date.into(),
            r.matiere_code.into(),
            text(r.matiere_nom),
            text(r.objet),
        ] {
            self.csv.write_field(field.as_bytes())?;
        }
        self.number(r.budget.map(|(year, _)| year))?;
        self.csv
            .write_field(text(r.budget.map_or("", |(_, name)| name)).as_bytes())?;
        self.csv
            .write_field(r.prefecture.map_or("", |(id, _)| id))?;
        self.csv
            .write_field(r.prefecture.map_or("", |(_, date)| date))?;
        let count = |f: fn(&ScdlVote) -> i64| r.vote.as_ref().map(f);
        self.number(count(|v| i64::from(v.effectif)))?;
        self.number(count(|v| {
            i64::from(v.pour) + i64::from(v.contre) + i64::from(v.abstention)
        }))?;
        self.number(count(|v| i64::from(v.pour)))?;
        self.number(count(|v| i64::from(v.contre)))?;
        self.number(count(|v| i64::from(v.abstention)))?;
        self.csv.write_field(r.url)?;
        self.csv.write_record(None::<&[u8]>)?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<u64, InteropError> {
        self.csv.flush()?;
        Ok(self.rows)
    }
}

pub fn write_subsidies<W: Write>(out: W, rows: &[SubsidyRow]) -> Result<u64, InteropError> {
    let mut csv = csv::WriterBuilder::new().from_writer(out);
    csv.write_record(SUBSIDIES_HEADER)?;
    for r in rows {
        use crate::csv_cell::text;
        csv.write_record([
            &*text(&r.nom_attribuant),
            &r.id_attribuant,
            &r.date_convention,
            &text(&r.reference_decision),
            &text(&r.nom_beneficiaire),
            &r.id_beneficiaire,
            &r.rna_beneficiaire,
            &text(&truncate_object(&r.objet)),
            &r.montant,
            &text(&r.nature),
            &text(&r.conditions_versement),
            &text(&r.dates_periode_versement),
            "",
            if r.notification_ue { "oui" } else { "non" },
            &r.pourcentage,
            "",
        ])?;
    }
    csv.flush()?;
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deliberation_row_keeps_cohesive_columns_together() {
        let mut out = Vec::new();
        let mut w = DeliberationsWriter::new(&mut out).unwrap();
        w.write(&DeliberationRow {
            coll_nom: "Département du Pas-de-Calais",
            coll_siret: "22620001200012",
            delib_id: "2023-479",
            delib_date: "2023-11-20",
            matiere_code: "7.5",
            matiere_nom: "finances locales/subventions",
            objet: "CHAMBRE DE MÉTIERS, PARTICIPATION 2023",
            budget: Some((2023, "Budget principal")),
            prefecture: None,
            vote: Some(ScdlVote {
                effectif: 44,
                pour: 44,
                contre: 0,
                abstention: 0,
            }),
            url: "",
        })
        .unwrap();
        assert_eq!(w.finish().unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], DELIBERATIONS_HEADER.join(","));
        assert_eq!(
            lines[1],
            "Département du Pas-de-Calais,22620001200012,2023-479,2023-11-20,7.5,finances locales/subventions,\"CHAMBRE DE MÉTIERS, PARTICIPATION 2023\",2023,Budget principal,,,44,44,44,0,0,"
        );
    }

    #[test]
    fn hostile_names_and_objects_come_out_as_text_not_formulas() {
        let row = SubsidyRow {
            nom_attribuant: "Département du Pas-de-Calais".into(),
            id_attribuant: "22620001200012".into(),
            date_convention: "2023-12-01".into(),
            reference_decision: "2023-479".into(),
            nom_beneficiaire: "=HYPERLINK(\"http://exemple.invalid\",\"Cliquez\")".into(),
            id_beneficiaire: "13002374000439".into(),
            rna_beneficiaire: String::new(),
            objet: "=cmd|' /C calc'!A0".into(),
            montant: "120000.00".into(),
            nature: "aide en numéraire".into(),
            conditions_versement: "@SUM(A1)".into(),
            dates_periode_versement: String::new(),
            notification_ue: false,
            pourcentage: "1.00".into(),
        };
        let mut out = Vec::new();
        write_subsidies(&mut out, &[row]).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(
            &record[4],
            "'=HYPERLINK(\"http://exemple.invalid\",\"Cliquez\")"
        );
        assert_eq!(&record[7], "'=cmd|' /C calc'!A0");
        assert_eq!(&record[10], "'@SUM(A1)");
        // Typed columns are untouched.
        assert_eq!(&record[8], "120000.00");
        assert_eq!(&record[2], "2023-12-01");
    }

    #[test]
    fn objects_are_cut_at_256_characters() {
        let long = "a".repeat(300);
        assert_eq!(truncate_object(&long).chars().count(), 256);
        assert_eq!(truncate_object("  court  "), "court");
    }
}
