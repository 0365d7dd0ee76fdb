//! Reads that tolerate a little lag (the portal, the search, the open data) may go to a
//! PostgreSQL streaming replica, so that a sitting's crowd of readers does not load the
//! primary. The lag is bounded: the replica is read only while it is known to be at most
//! `bound` behind; otherwise, or when it does not answer, the primary is. Writes always go
//! to the primary.

use crate::{Acta, AppError, DatabaseUrl};
use acta_store::{ReplicaLag, Store};
use std::time::{Duration, Instant};

/// The lag is measured again after this long (one query on the replica), or sooner when
/// the bound could have been passed since.
const MEASURE_EVERY: Duration = Duration::from_secs(1);

/// A replica that takes longer than this to say how far behind it is, is not read.
const MEASURE_TIMEOUT: Duration = Duration::from_millis(500);

/// Where a read went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadSource {
    /// The primary: no lag.
    Primary,
    /// The replica, at most `lag` behind the primary.
    Replica { lag: Duration },
}

impl ReadSource {
    /// The line a portal page shows about it (none for the primary).
    pub fn notice(self) -> Option<String> {
        match self {
            ReadSource::Primary => None,
            ReadSource::Replica { lag } if lag < Duration::from_secs(1) => {
                Some("Page lue sur une copie de la base, à jour à moins d'une seconde près.".into())
            }
            ReadSource::Replica { lag } => Some(format!(
                "Page lue sur une copie de la base, à jour à {} s près.",
                lag.as_millis().div_ceil(1000)
            )),
        }
    }
}

/// Chooses where to read from what the replica said of itself `since` ago: the replica
/// while what it may lag now (what it said, plus the time since) is within `bound`.
pub fn choose(measured: Option<ReplicaLag>, since: Duration, bound: Duration) -> ReadSource {
    let lag = match measured {
        Some(ReplicaLag::CaughtUp) => since,
        Some(ReplicaLag::Behind(lag)) => lag.saturating_add(since),
        Some(ReplicaLag::Unknown) | None => return ReadSource::Primary,
    };
    if lag <= bound {
        ReadSource::Replica { lag }
    } else {
        ReadSource::Primary
    }
}

/// A read's application: the primary's or the replica's, and which.
pub struct Reading {
    pub acta: Acta,
    pub source: ReadSource,
}

/// The primary and its replica, for one collectivity.
pub struct ReadSide {
    primary: Acta,
    replica: Acta,
    bound: Duration,
    /// The replica's last answer about its lag (none: it did not answer), and when.
    measured: tokio::sync::Mutex<Option<(Instant, Option<ReplicaLag>)>>,
}

impl ReadSide {
    /// Reads of `primary`'s collectivity go to the replica at `url` while it is at most
    /// `bound` behind.
    pub async fn open(
        primary: &Acta,
        url: &DatabaseUrl,
        bound: Duration,
    ) -> Result<ReadSide, AppError> {
        let store = Store::open_replica(url).await?;
        ReadSide::over(primary, &store, bound)
    }

    /// The same replica, for the collectivity of `primary` (another one of the database).
    pub fn for_collectivity(&self, primary: &Acta) -> Result<ReadSide, AppError> {
        ReadSide::over(primary, self.replica.store(), self.bound)
    }

    fn over(primary: &Acta, replica: &Store, bound: Duration) -> Result<ReadSide, AppError> {
        let store = replica.for_collectivity(primary.collectivity_id())?;
        Ok(ReadSide {
            primary: primary.clone(),
            replica: Acta {
                store,
                clock: primary.clock.clone(),
            },
            bound,
            measured: tokio::sync::Mutex::new(None),
        })
    }

    pub fn bound(&self) -> Duration {
        self.bound
    }

    /// Where the next read goes, measuring the replica's lag when the last measure is too
    /// old to keep within the bound.
    pub async fn pick(&self) -> Reading {
        let mut measured = self.measured.lock().await;
        let stale = match *measured {
            None => true,
            // Measured long ago, or the time since could have carried a replica that was
            // within the bound past it.
            Some((at, lag)) => {
                let since = at.elapsed();
                since >= MEASURE_EVERY
                    || (choose(lag, Duration::ZERO, self.bound) != ReadSource::Primary
                        && choose(lag, since, self.bound) == ReadSource::Primary)
            }
        };
        if stale {
            // Dated from the question, not the answer: the lag it gives held then.
            let asked = Instant::now();
            let lag = tokio::time::timeout(MEASURE_TIMEOUT, self.replica.store().replica_lag())
                .await
                .ok()
                .and_then(Result::ok);
            *measured = Some((asked, lag));
        }
        let source = match *measured {
            Some((at, lag)) => choose(lag, at.elapsed(), self.bound),
            None => ReadSource::Primary,
        };
        drop(measured);
        let acta = match source {
            ReadSource::Primary => self.primary.clone(),
            ReadSource::Replica { .. } => self.replica.clone(),
        };
        Reading { acta, source }
    }
}

impl Acta {
    /// Whether this application reads a replica (see [`ReadSide`]).
    pub fn reads_replica(&self) -> bool {
        self.store.is_replica()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replica_is_read_while_within_the_bound() {
        let s = Duration::from_secs;
        let ms = Duration::from_millis;
        let bound = s(5);
        let replica = |lag| ReadSource::Replica { lag };
        let cases = [
            (Some(ReplicaLag::CaughtUp), ms(0), replica(ms(0))),
            (Some(ReplicaLag::CaughtUp), ms(400), replica(ms(400))),
            (Some(ReplicaLag::Behind(s(2))), ms(500), replica(ms(2_500))),
            (Some(ReplicaLag::Behind(s(5))), ms(0), replica(s(5))),
            (Some(ReplicaLag::Behind(s(5))), ms(1), ReadSource::Primary),
            (Some(ReplicaLag::Behind(s(60))), ms(0), ReadSource::Primary),
            (Some(ReplicaLag::Unknown), ms(0), ReadSource::Primary),
            (None, ms(0), ReadSource::Primary),
        ];
        for (measured, since, expected) in cases {
            assert_eq!(
                choose(measured, since, bound),
                expected,
                "{measured:?} {since:?}"
            );
        }
    }

    #[test]
    fn a_page_read_on_the_replica_says_how_fresh_it_is() {
        assert_eq!(ReadSource::Primary.notice(), None);
        assert_eq!(
            ReadSource::Replica {
                lag: Duration::from_millis(300)
            }
            .notice()
            .as_deref(),
            Some("Page lue sur une copie de la base, à jour à moins d'une seconde près.")
        );
        assert_eq!(
            ReadSource::Replica {
                lag: Duration::from_millis(2_100)
            }
            .notice()
            .as_deref(),
            Some("Page lue sur une copie de la base, à jour à 3 s près.")
        );
    }
}
