//! The orders the accountant takes: every payment as a mandate proposal and every
//! reimbursement decision as a receipt order (titre), in CSV or in JSON. The JSON follows
//! `crates/domain/schemas/ordres.schema.json`, which documents every field.

use crate::{Acta, AppError, lookup};
use acta_domain::orders::{Order, to_csv};
use serde::Serialize;

/// The JSON file: who orders, for which year, and the orders.
#[derive(Debug, Clone, Serialize)]
pub struct OrdersFile {
    pub collectivite: String,
    pub siren: String,
    /// The budget year exported, or none for every year.
    pub exercice: Option<i16>,
    pub ordres: Vec<Order>,
}

impl Acta {
    pub async fn accountant_orders(&self, year: Option<i16>) -> Result<OrdersFile, AppError> {
        let mut tx = self.read().await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        Ok(OrdersFile {
            collectivite: collectivity.name.clone(),
            siren: collectivity.siren.as_str().to_string(),
            exercice: year,
            ordres: tx.accountant_orders(year).await?,
        })
    }

    /// The orders as CSV (semicolon-separated, the JSON's fields as columns).
    pub async fn accountant_orders_csv(&self, year: Option<i16>) -> Result<String, AppError> {
        Ok(to_csv(&self.accountant_orders(year).await?.ordres))
    }
}
