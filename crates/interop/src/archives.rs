//! The archives export: one CSV row per imported deliberation, for the staff's spreadsheets
//! (the full records go out as JSON Lines from `app`). Columns in French.

use crate::InteropError;
use std::io::Write;

pub const ARCHIVES_HEADER: [&str; 17] = [
    "id",
    "fichier",
    "sha256",
    "position",
    "numero",
    "collectivite",
    "instance",
    "date_seance",
    "objet",
    "resultat",
    "unanimite",
    "pour",
    "contre",
    "abstentions",
    "beneficiaires",
    "montants",
    "avertissements",
];

/// One archived deliberation, flat; lists are joined with " | ".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveRow {
    pub id: i64,
    pub file: String,
    pub sha256: String,
    pub position: i64,
    pub number: String,
    pub collectivity: String,
    pub body: String,
    /// ISO date, or empty.
    pub sitting_date: String,
    pub title: String,
    /// "adoptée", "rejetée", "prend acte" or empty.
    pub outcome: String,
    pub unanimous: bool,
    pub vote_for: Option<u32>,
    pub vote_against: Option<u32>,
    pub vote_abstention: Option<u32>,
    pub beneficiaries: Vec<String>,
    /// "120000.00 EUR": the amount as written, in its currency, never converted.
    pub amounts: Vec<String>,
    pub warnings: Vec<String>,
}

pub struct ArchivesWriter<W: Write> {
    csv: csv::Writer<W>,
    rows: u64,
}

impl<W: Write> ArchivesWriter<W> {
    pub fn new(out: W) -> Result<Self, InteropError> {
        let mut csv = csv::WriterBuilder::new().from_writer(out);
        csv.write_record(ARCHIVES_HEADER)?;
        Ok(ArchivesWriter { csv, rows: 0 })
    }

    pub fn write(&mut self, r: &ArchiveRow) -> Result<(), InteropError> {
        let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        use crate::csv_cell::text;
        // The file's name only: where the server keeps it is nobody's business.
        let file = std::path::Path::new(&r.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.csv.write_record([
            r.id.to_string().as_str(),
            &text(&file),
            &r.sha256,
            &r.position.to_string(),
            &text(&r.number),
            &text(&r.collectivity),
            &text(&r.body),
            &r.sitting_date,
            &text(&r.title),
            &r.outcome,
            if r.unanimous { "oui" } else { "non" },
            &count(r.vote_for),
            &count(r.vote_against),
            &count(r.vote_abstention),
            &text(&r.beneficiaries.join(" | ")),
            &text(&r.amounts.join(" | ")),
            &text(&r.warnings.join(" | ")),
        ])?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<u64, InteropError> {
        self.csv.flush()?;
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_row_per_archive_with_lists_joined() {
        let mut out = Vec::new();
        let mut writer = ArchivesWriter::new(&mut out).expect("header");
        writer
            .write(&ArchiveRow {
                id: 1,
                file: "recueil.pdf".into(),
                number: "2023-479".into(),
                title: "PARTICIPATION, 2023".into(),
                outcome: "adoptée".into(),
                vote_for: Some(44),
                vote_against: Some(0),
                beneficiaries: vec!["CMA".into(), "Commune de Lens".into()],
                amounts: vec!["120000.00 EUR".into(), "15000.00 FRF".into()],
                ..Default::default()
            })
            .expect("row");
        assert_eq!(writer.finish().expect("flush"), 1);
        let text = String::from_utf8(out).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], ARCHIVES_HEADER.join(","));
        assert_eq!(
            lines[1],
            "1,recueil.pdf,,0,2023-479,,,,\"PARTICIPATION, 2023\",adoptée,non,44,0,,CMA | Commune de Lens,120000.00 EUR | 15000.00 FRF,"
        );
    }
}
