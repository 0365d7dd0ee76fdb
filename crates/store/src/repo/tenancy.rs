//! The register of the collectivities a database holds, and where each one's portal is
//! served.

use super::{action, entity};
use crate::codec::*;
use crate::{Store, StoreError, Tx};
use serde::Serialize;

/// A collectivity of the database, as the register lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredCollectivity {
    pub id: i64,
    pub name: String,
    /// The host name its portal and back office answer at, if one is set.
    pub host: Option<String>,
}

impl Store {
    /// Every collectivity described in the database, by number. The register is public
    /// (names, host names), so it is read without being bound to one of them.
    pub async fn collectivities(&self) -> Result<Vec<RegisteredCollectivity>, StoreError> {
        let rows = sqlx::query("SELECT id, name, host FROM collectivity ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RegisteredCollectivity {
                    id: get(r, "id")?,
                    name: get(r, "name")?,
                    host: get(r, "host")?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// Sets (or, with `None`, clears) the host name this collectivity is served at.
    pub async fn set_collectivity_host(&mut self, host: Option<&str>) -> Result<(), StoreError> {
        let id = self.collectivity_id();
        let before: Option<Option<String>> =
            sqlx::query_as::<_, (Option<String>,)>("SELECT host FROM collectivity WHERE id = $1")
                .bind(id)
                .fetch_optional(self.conn())
                .await?
                .map(|row| row.0);
        let Some(before) = before else {
            return Err(StoreError::Config(format!(
                "Collectivité n° {id} : elle n'est pas encore décrite (chargez d'abord son jeu de données)."
            )));
        };
        sqlx::query("UPDATE collectivity SET host = $1 WHERE id = $2")
            .bind(host.map(str::to_string))
            .bind(id)
            .execute(self.conn())
            .await?;
        self.record(
            action::UPDATE,
            entity::COLLECTIVITY_HOST,
            &id.to_string(),
            Some(&before),
            Some(&host),
        )
        .await
    }
}
