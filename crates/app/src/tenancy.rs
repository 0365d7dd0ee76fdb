//! Several collectivities on one database: the application bound to one of them, the
//! register of them all, and where each one's portal is served.

use crate::{Acta, Actor, AppError};
use acta_domain::host::HostName;
use acta_store::RegisteredCollectivity;
use std::path::{Path, PathBuf};

pub use acta_store::FIRST_COLLECTIVITY;

impl Acta {
    /// The same register, acting for collectivity `collectivity`: every use case then
    /// reads and writes that collectivity's data alone.
    pub fn for_collectivity(&self, collectivity: i64) -> Result<Acta, AppError> {
        Ok(Acta {
            store: self.store.for_collectivity(collectivity)?,
            clock: self.clock.clone(),
        })
    }

    /// The collectivity this application acts for.
    pub fn collectivity_id(&self) -> i64 {
        self.store.collectivity()
    }

    /// Every collectivity the database holds.
    pub async fn collectivities(&self) -> Result<Vec<RegisteredCollectivity>, AppError> {
        Ok(self.store.collectivities().await?)
    }

    /// The collectivities served at a host name of their own, with that name.
    pub async fn portal_hosts(&self) -> Result<Vec<(HostName, i64)>, AppError> {
        let mut hosts = Vec::new();
        for c in self.collectivities().await? {
            if let Some(host) = c.host {
                let host = host.parse().map_err(|_| {
                    AppError::File(format!(
                        "Collectivité n° {} : le nom d'hôte enregistré « {host} » est illisible.",
                        c.id
                    ))
                })?;
                hosts.push((host, c.id));
            }
        }
        Ok(hosts)
    }

    /// Serves this collectivity's portal and back office at `host` (or at no host name of
    /// its own, with `None`).
    pub async fn set_portal_host(
        &self,
        actor: &Actor,
        host: Option<&str>,
    ) -> Result<Option<HostName>, AppError> {
        let host: Option<HostName> = host.map(str::parse).transpose()?;
        let mut tx = self.write(actor).await?;
        match tx
            .set_collectivity_host(host.as_ref().map(HostName::as_str))
            .await
        {
            Ok(()) => {}
            Err(e) if e.is_unique_violation() => {
                let taken = host.as_ref().map(HostName::to_string).unwrap_or_default();
                return Err(AppError::conflict(format!(
                    "Nom d'hôte « {taken} » : une autre collectivité de cette base est déjà servie à cette adresse."
                )));
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(host)
    }
}

/// The search index folder of collectivity `collectivity`, from the deployment's one:
/// collectivity 1 keeps the folder as it is; each other one has its own beside it.
pub fn index_dir(base: &Path, collectivity: i64) -> PathBuf {
    beside(base, collectivity, "acta-index")
}

/// The folder where `acta serve` anchors collectivity `collectivity`'s journal, from the
/// one it is given: as it is for collectivity 1, beside it for each other one (an anchor
/// names no collectivity, so each keeps its own folder).
pub fn anchor_dir(base: &Path, collectivity: i64) -> PathBuf {
    beside(base, collectivity, "ancrages")
}

/// `base` for the first collectivity, else `base` named with "-collectivite-N".
fn beside(base: &Path, collectivity: i64, default_name: &str) -> PathBuf {
    if collectivity == FIRST_COLLECTIVITY {
        return base.to_path_buf();
    }
    let mut name = base
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| default_name.into());
    name.push(format!("-collectivite-{collectivity}"));
    base.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_collectivity_has_its_own_index_folder() {
        let base = Path::new("/srv/acta/acta.db.index");
        assert_eq!(index_dir(base, 1), base);
        assert_eq!(
            index_dir(base, 2),
            Path::new("/srv/acta/acta.db.index-collectivite-2")
        );
        assert_ne!(index_dir(base, 2), index_dir(base, 12));
    }

    #[test]
    fn each_collectivity_has_its_own_anchors_folder() {
        let base = Path::new("/srv/ancrages");
        assert_eq!(anchor_dir(base, 1), base);
        assert_eq!(
            anchor_dir(base, 3),
            Path::new("/srv/ancrages-collectivite-3")
        );
    }
}
