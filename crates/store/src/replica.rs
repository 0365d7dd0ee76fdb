//! Reading from a PostgreSQL streaming replica: opening one without writing to it, and
//! measuring how far behind the primary it is.

use crate::{Backend, DatabaseUrl, FIRST_COLLECTIVITY, Store, StoreError, migrate, tenancy};
use std::time::Duration;

/// How far a replica is behind its primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaLag {
    /// It streams from the primary and has replayed all it received, or it is no longer a
    /// replica (promoted, or the primary itself).
    CaughtUp,
    /// Its last replayed transaction committed this long ago on the primary, and it has
    /// more to replay or has stopped streaming.
    Behind(Duration),
    /// It has replayed nothing since it started and has more to replay: no bound holds.
    Unknown,
}

/// How long a replica may take to replay the schema the primary has just migrated.
const SCHEMA_WAIT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens a streaming replica of the database for reads: nothing is migrated or
    /// granted there (it replays the primary's schema and roles); the schema must be the
    /// one this program writes. PostgreSQL only.
    pub async fn open_replica(url: &DatabaseUrl) -> Result<Store, StoreError> {
        if url.backend() != Backend::Postgres {
            return Err(StoreError::Config(
                "Base de lecture : une réplique se lit sur PostgreSQL (postgres://…), pas sur un fichier SQLite."
                    .to_string(),
            ));
        }
        let pool = crate::connect(url).await?;
        wait_for_schema(&pool, url).await?;
        let tenant_role = tenancy::bypasses_row_security(&pool).await?;
        if tenant_role && !tenancy::tenant_role_ready(&pool).await? {
            return Err(StoreError::Config(format!(
                "Base de lecture « {} » : le rôle « {} » n'y est pas encore ; ouvrez d'abord la base principale (acta init).",
                url.redacted(),
                crate::TENANT_ROLE
            )));
        }
        Ok(Store {
            pool,
            backend: Backend::Postgres,
            url: url.clone(),
            collectivity: FIRST_COLLECTIVITY,
            tenant_role,
            replica: true,
        })
    }

    /// Whether this store reads a replica ([`Store::open_replica`]).
    pub fn is_replica(&self) -> bool {
        self.replica
    }

    /// How far this replica is behind its primary (a primary is never behind).
    pub async fn replica_lag(&self) -> Result<ReplicaLag, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(ReplicaLag::CaughtUp);
        }
        // Received and replayed positions are equal when nothing waits to be replayed;
        // that says "caught up" only while the replica streams (otherwise the primary may
        // have written what it has not received).
        let (in_recovery, replayed_all, age_ms): (bool, bool, Option<i64>) = sqlx::query_as(
            "SELECT pg_is_in_recovery(), \
                    COALESCE(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() \
                             AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'), false), \
                    CAST(EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000 AS BIGINT)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(lag_of(in_recovery, replayed_all, age_ms))
    }
}

/// The lag a replica's answers describe.
fn lag_of(in_recovery: bool, replayed_all: bool, age_ms: Option<i64>) -> ReplicaLag {
    if !in_recovery || replayed_all {
        return ReplicaLag::CaughtUp;
    }
    match age_ms {
        // A clock a little behind the primary's gives a negative age: no lag measured.
        Some(ms) => ReplicaLag::Behind(Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
        None => ReplicaLag::Unknown,
    }
}

/// Waits for the replica to have replayed this program's last migration (just run on the
/// primary, perhaps); refuses a database that is not acta's or is newer than this program.
async fn wait_for_schema(pool: &sqlx::AnyPool, url: &DatabaseUrl) -> Result<(), StoreError> {
    let expected = migrate::latest_version(Backend::Postgres);
    let started = std::time::Instant::now();
    loop {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
                .fetch_optional(pool)
                .await
                .ok()
                .flatten();
        let version = found.map_or(0, |(v,)| v);
        if version == expected {
            return Ok(());
        }
        // No acta schema at all is not one being replayed: no wait.
        if version == 0 || version > expected || started.elapsed() > SCHEMA_WAIT {
            return Err(StoreError::Config(format!(
                "Base de lecture « {} » : son schéma est à la version {version}, ce programme écrit la version {expected} ; \
                 est-ce bien une réplique de la base principale ?",
                url.redacted()
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lag_read_from_a_replica() {
        let ms = Duration::from_millis;
        let cases = [
            // (in recovery, replayed all it received while streaming, age of last replay)
            (false, false, None, ReplicaLag::CaughtUp),
            (false, false, Some(90_000), ReplicaLag::CaughtUp),
            (true, true, Some(90_000), ReplicaLag::CaughtUp),
            (true, false, Some(1_500), ReplicaLag::Behind(ms(1_500))),
            (true, false, Some(-20), ReplicaLag::Behind(ms(0))),
            (true, false, None, ReplicaLag::Unknown),
        ];
        for (in_recovery, replayed_all, age, expected) in cases {
            assert_eq!(
                lag_of(in_recovery, replayed_all, age),
                expected,
                "{in_recovery} {replayed_all} {age:?}"
            );
        }
    }
}
