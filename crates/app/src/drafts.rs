//! Reports and deliberations before the vote: the draft's visas, considérants and
//! articles, and the thematic commission's opinion. A decided act is frozen.

use crate::{Acta, Actor, AppError, lookup};
use acta_domain::deliberation::{Deliberation, DraftText};
use acta_domain::keys::SittingKey;
use acta_domain::report::{CommissionOpinion, Opinion, Report, check_opinion};
use acta_domain::{DomainError, Stored};
use acta_store::Tx;
use serde::Serialize;

pub use crate::input::sittings::{DraftInput, OpinionInput};

/// A draft as the form shows it again.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DraftView {
    pub visas: Vec<String>,
    pub considerations: Vec<String>,
    pub articles: Vec<String>,
    pub budget_table_article: Option<u32>,
    /// The thematic commission, its opinion ("favorable") and date, when given.
    pub opinion: Option<(String, String, jiff::civil::Date)>,
    pub decided: bool,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// The report and draft deliberation of an agenda item.
async fn item_texts(
    tx: &mut Tx,
    sitting: &SittingKey,
    position: u32,
) -> Result<(jiff::civil::Date, Stored<Report>, Stored<Deliberation>), AppError> {
    let s = lookup::sitting(tx, sitting).await?;
    let item = tx.agenda_item_at(s.id, position).await?.ok_or_else(|| {
        AppError::not_found(format!(
            "Ordre du jour : la séance n'a pas de point n°{position}."
        ))
    })?;
    let report = tx
        .report(item.report)
        .await?
        .ok_or_else(|| AppError::not_found("Rapport du point introuvable."))?;
    let deliberation = tx.deliberation_of_report(report.id).await?.ok_or_else(|| {
        AppError::not_found(format!(
            "Le rapport N°{} n'a pas de projet de délibération.",
            report.number
        ))
    })?;
    Ok((s.date, report, deliberation))
}

impl Acta {
    pub async fn draft(&self, sitting: &SittingKey, position: u32) -> Result<DraftView, AppError> {
        let mut tx = self.read().await?;
        let (_, report, d) = item_texts(&mut tx, sitting, position).await?;
        let opinion = match &report.commission_opinion {
            Some(o) => {
                let body = tx.body(o.commission).await?;
                Some((
                    body.map(|b| b.display_name()).unwrap_or_default(),
                    o.opinion.label().to_string(),
                    o.date,
                ))
            }
            None => None,
        };
        Ok(DraftView {
            visas: d.visas.iter().map(|v| v.text.clone()).collect(),
            considerations: d.considerations.clone(),
            articles: d
                .articles
                .iter()
                .map(|a| a.body.plain_lines().join(" "))
                .collect(),
            budget_table_article: d.articles.iter().find(|a| a.budget_table).map(|a| a.number),
            opinion,
            decided: d.vote.is_some(),
        })
    }

    /// Replaces the draft deliberation's text of an item not yet voted.
    pub async fn edit_draft(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        position: u32,
        input: &DraftInput,
    ) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let (_, _, stored) = item_texts(&mut tx, sitting, position).await?;
        let mut d = stored.data.clone();
        d.set_draft_text(DraftText {
            visas: lines(&input.visas),
            considerations: lines(&input.considerations),
            articles: lines(&input.articles),
            budget_table_article: input.budget_table_article,
        })?;
        // The delegation a Commission permanente item is taken under stays cited, whatever
        // the visas typed; an item outside it is refused at the vote, not here.
        let s = lookup::sitting(&mut tx, sitting).await?;
        if let Some(report) = d.report {
            let body = crate::budget_year::sitting_body(&mut tx, &s).await?;
            let delegation = match crate::budget_year::check_delegation(
                &mut tx,
                &s,
                &body,
                report,
                d.matter_code.clone(),
                None,
                acta_domain::delegation::Stage::Agenda,
            )
            .await
            {
                Ok(found) => found,
                Err(AppError::Domain(_)) => None,
                Err(other) => return Err(other),
            };
            crate::budget_year::cite_delegation(&mut d, delegation.as_ref());
        }
        tx.update_deliberation(stored.id, &d).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the thematic commission's opinion on an item's report.
    pub async fn set_commission_opinion(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        position: u32,
        input: &OpinionInput,
    ) -> Result<(), AppError> {
        let opinion = Opinion::parse("avis", &input.avis)?;
        let date = acta_domain::french::parse_date("date", &input.date)?;
        let mut tx = self.write(actor).await?;
        let (sitting_date, stored, d) = item_texts(&mut tx, sitting, position).await?;
        if d.vote.is_some() {
            return Err(DomainError::rule(
                "Avis de commission : le point est voté ; le rapport ne change plus.",
            )
            .into());
        }
        let body = lookup::body(&mut tx, &input.commission).await?;
        check_opinion(body.kind, date, sitting_date)?;
        let mut report = stored.data.clone();
        report.commission_opinion = Some(CommissionOpinion {
            commission: body.id,
            opinion,
            date,
        });
        tx.update_report(stored.id, &report).await?;
        tx.commit().await?;
        Ok(())
    }
}
