//! The seed case: Commission permanente of the Pas-de-Calais, 20 November 2023,
//! deliberation N°2023-479, as a dataset embedded in the binary.

use crate::dataset::{Dataset, LoadSummary};
use crate::input::PublishInput;
use crate::{Acta, Actor, AppError};
use acta_docs::Renderer;

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

    /// Publishes the seed's numbered deliberations on the portal, dated today: the seed
    /// does not say when the Pas-de-Calais published them, and this portal puts them
    /// online now. Already published ones are left as they are.
    pub async fn publish_demo(
        &self,
        actor: &Actor,
        renderer: &Renderer,
    ) -> Result<usize, AppError> {
        let mut published = 0;
        for number in self.deliberation_numbers().await? {
            if self.publication(&number).await?.is_none() {
                self.publish_deliberation(actor, renderer, &number, &PublishInput::default())
                    .await?;
                published += 1;
            }
        }
        Ok(published)
    }

    /// Whether nothing has been loaded yet: no collectivity is recorded.
    pub async fn is_empty(&self) -> Result<bool, AppError> {
        Ok(self.read().await?.collectivity().await?.is_none())
    }

    /// Loads the seed's standing data only (members, bodies, budget line, beneficiary),
    /// to hold its sitting again step by step.
    pub async fn load_demo_referential(&self, actor: &Actor) -> Result<LoadSummary, AppError> {
        let dataset = seed_dataset()?.referential();
        self.load_dataset(actor, &dataset).await
    }
}
