//! The seed case: Commission permanente of the Pas-de-Calais, 20 November 2023,
//! deliberation N°2023-479, as a dataset embedded in the binary.

use crate::dataset::{Dataset, LoadSummary};
use crate::{Acta, Actor, AppError};

/// The seed, transcribed fact by fact from `shared/seed/`. Where the text is silent (which
/// member sits in which group, proxies, the sitting's time and place) the file says nothing.
pub const SEED_DATASET: &str = include_str!("../data/seed-pas-de-calais-2023-479.toml");

pub fn seed_dataset() -> Result<Dataset, AppError> {
    Dataset::from_toml(SEED_DATASET)
}

impl Acta {
    /// Loads the seed case into an empty database.
    pub async fn load_demo(&self, actor: &Actor) -> Result<LoadSummary, AppError> {
        let dataset = seed_dataset()?;
        self.load_dataset(actor, &dataset).await
    }

    /// Loads the seed's standing data only (members, bodies, budget line, beneficiary),
    /// to hold its sitting again step by step.
    pub async fn load_demo_referential(&self, actor: &Actor) -> Result<LoadSummary, AppError> {
        let dataset = seed_dataset()?.referential();
        self.load_dataset(actor, &dataset).await
    }
}

/// The seed's sitting with `reports` items: the seed's report, deliberation, award and
/// convention repeated with their own numbers, for benchmarks.
pub fn synthetic_sitting(reports: usize) -> Result<Dataset, AppError> {
    let mut d = seed_dataset()?;
    let report = d.reports[0].clone();
    let deliberation = d.deliberations[0].clone();
    let award = d.awards[0].clone();
    let convention = d.conventions[0].clone();
    let per_award: i64 = 120_000;
    d.budget_lines[0].voted = format!(
        "{},00",
        per_award * i64::try_from(reports).unwrap_or(0) + 20_000
    );
    d.reports.clear();
    d.deliberations.clear();
    d.awards.clear();
    d.conventions.clear();
    for i in 0..reports {
        let key = format!("r{i}");
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        d.reports.push(crate::dataset::ReportInput {
            key: key.clone(),
            number,
            ..report.clone()
        });
        d.deliberations.push(crate::dataset::DeliberationInput {
            report: key.clone(),
            number: Some(format!("2023-{}", 1000 + i)),
            ..deliberation.clone()
        });
        d.awards.push(crate::dataset::AwardInput {
            key: format!("a{i}"),
            report: key,
            ..award.clone()
        });
        d.conventions.push(crate::dataset::ConventionInput {
            award: format!("a{i}"),
            ..convention.clone()
        });
    }
    Ok(d)
}
