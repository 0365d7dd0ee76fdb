//! The published register as lists: the latest numbered deliberations first.

use crate::{Acta, AppError};
use jiff::civil::Date;
use serde::Serialize;

/// One line of a list of deliberations.
#[derive(Debug, Clone, Serialize)]
pub struct DeliberationSummary {
    pub number: String,
    pub date: Date,
    pub title: String,
    pub body: String,
    /// "Adopté", "Rejeté"…
    pub outcome: Option<String>,
}

impl Acta {
    /// The latest published deliberations (numbered ones), newest first, after skipping
    /// `offset` of them.
    pub async fn published_deliberations(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<DeliberationSummary>, AppError> {
        let page = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let numbers = self
            .read()
            .await?
            .published_numbers(page(offset), page(limit))
            .await?;
        let mut out = Vec::with_capacity(numbers.len());
        for number in numbers {
            let view = self.deliberation_view(&number).await?;
            out.push(DeliberationSummary {
                number,
                date: view.date,
                title: view.title,
                body: view.body.name,
                outcome: view.vote.map(|v| v.outcome_label),
            });
        }
        Ok(out)
    }
}

impl Acta {
    /// The collectivity's name, as the portal's header shows it; `None` before the
    /// referential is loaded.
    pub async fn collectivity_name(&self) -> Result<Option<String>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx.collectivity().await?.map(|c| c.name))
    }
}
