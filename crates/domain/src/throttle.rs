//! Log-in throttling: after a few failed log-ins on one login, or from one client address,
//! each new try waits longer; after many, the login or the address is locked for a while.
//! The counts are kept in the store (so that several servers share them); the rule is here.
//!
//! A refusal never says whether the login exists: unknown logins are counted like known
//! ones, and the words are the same.

use serde::{Deserialize, Serialize};

/// The limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottlePolicy {
    /// Failures allowed without waiting.
    pub free_failures: u32,
    /// The wait after the first failure beyond them, doubled at each further one (seconds).
    pub first_delay_seconds: i64,
    /// The longest wait between two tries (seconds).
    pub longest_delay_seconds: i64,
    /// Failures in a row that lock.
    pub lock_after: u32,
    /// How long a lock lasts (seconds).
    pub lock_seconds: i64,
    /// Failures older than this are forgotten (seconds).
    pub forget_after_seconds: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            free_failures: 5,
            first_delay_seconds: 1,
            longest_delay_seconds: 60,
            lock_after: 20,
            lock_seconds: 15 * 60,
            forget_after_seconds: 24 * 3600,
        }
    }
}

impl ThrottlePolicy {
    /// Registrations of organisations from one client address: three at once, then one an
    /// hour at the most (each sends a message to an address the visitor typed), and none
    /// for a day after ten.
    pub fn registrations() -> ThrottlePolicy {
        ThrottlePolicy {
            free_failures: 3,
            first_delay_seconds: 60,
            longest_delay_seconds: 3600,
            lock_after: 10,
            lock_seconds: 24 * 3600,
            forget_after_seconds: 24 * 3600,
        }
    }
}

/// The words of a registration refused for coming too often from one address.
pub fn registration_refusal(verdict: Verdict) -> Option<String> {
    match verdict {
        Verdict::Allowed => None,
        Verdict::Wait(seconds) => {
            let minutes = (seconds + 59) / 60;
            Some(format!(
                "Trop d'inscriptions depuis votre adresse : réessayez dans {minutes} minute{}.",
                if minutes > 1 { "s" } else { "" }
            ))
        }
        Verdict::Locked(_) => Some(
            "Inscriptions suspendues depuis votre adresse pour vingt-quatre heures : écrivez au Département pour inscrire d'autres organismes."
                .to_string(),
        ),
    }
}

/// The failures counted against a login or an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Failures {
    pub count: u32,
    /// Unix seconds of the last failure.
    pub last_at: i64,
    /// Unix seconds until which it is locked.
    pub locked_until: Option<i64>,
}

/// Whether a try may go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Too soon after the last failure: try again in that many seconds.
    Wait(i64),
    /// Locked until that instant (Unix seconds).
    Locked(i64),
}

impl Failures {
    /// The failures still counted at `now`.
    fn current(self, now: i64, policy: &ThrottlePolicy) -> Failures {
        let lock_over = self.locked_until.is_some_and(|until| until <= now);
        let forgotten = now.saturating_sub(self.last_at) >= policy.forget_after_seconds;
        if lock_over || (forgotten && self.locked_until.is_none()) {
            Failures::default()
        } else {
            self
        }
    }

    pub fn verdict(self, now: i64, policy: &ThrottlePolicy) -> Verdict {
        let f = self.current(now, policy);
        if let Some(until) = f.locked_until {
            return Verdict::Locked(until);
        }
        if f.count < policy.free_failures {
            return Verdict::Allowed;
        }
        let beyond = (f.count - policy.free_failures).min(30);
        let delay = policy
            .first_delay_seconds
            .saturating_mul(1_i64 << beyond)
            .min(policy.longest_delay_seconds);
        let ready_at = f.last_at.saturating_add(delay);
        if now >= ready_at {
            Verdict::Allowed
        } else {
            Verdict::Wait(ready_at - now)
        }
    }

    /// The failures once one more is counted at `now`; locks at the policy's count.
    pub fn after_failure(self, now: i64, policy: &ThrottlePolicy) -> Failures {
        let f = self.current(now, policy);
        let count = f.count.saturating_add(1);
        Failures {
            count,
            last_at: now,
            locked_until: (count >= policy.lock_after)
                .then(|| now.saturating_add(policy.lock_seconds))
                .or(f.locked_until),
        }
    }

    pub fn is_locked(self, now: i64, policy: &ThrottlePolicy) -> bool {
        matches!(self.verdict(now, policy), Verdict::Locked(_))
    }
}

/// The words of a throttled or locked try, the same whether the login exists or not.
pub fn refusal(verdict: Verdict, now: i64) -> Option<String> {
    match verdict {
        Verdict::Allowed => None,
        Verdict::Wait(seconds) => Some(format!(
            "Trop de tentatives de connexion : réessayez dans {seconds} seconde{}.",
            if seconds > 1 { "s" } else { "" }
        )),
        Verdict::Locked(until) => {
            let minutes = (until - now + 59) / 60;
            Some(format!(
                "Connexion bloquée après trop d'échecs : réessayez dans {minutes} minute{}, ou demandez à un administrateur de la débloquer.",
                if minutes > 1 { "s" } else { "" }
            ))
        }
    }
}

/// The stricter of two verdicts (the login's and the address's).
pub fn stricter(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Locked(x), Verdict::Locked(y)) => Verdict::Locked(x.max(y)),
        (Verdict::Locked(x), _) | (_, Verdict::Locked(x)) => Verdict::Locked(x),
        (Verdict::Wait(x), Verdict::Wait(y)) => Verdict::Wait(x.max(y)),
        (Verdict::Wait(x), _) | (_, Verdict::Wait(x)) => Verdict::Wait(x),
        _ => Verdict::Allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: ThrottlePolicy = ThrottlePolicy {
        free_failures: 5,
        first_delay_seconds: 1,
        longest_delay_seconds: 60,
        lock_after: 20,
        lock_seconds: 900,
        forget_after_seconds: 86_400,
    };

    /// `n` failures, one per second from t = 0, as a patient attacker would make them.
    fn failures(n: u32) -> Failures {
        let mut f = Failures::default();
        let mut now = 0;
        for _ in 0..n {
            while let Verdict::Wait(s) = f.verdict(now, &P) {
                now += s;
            }
            f = f.after_failure(now, &P);
            now += 1;
        }
        f
    }

    #[test]
    fn the_first_failures_are_free_then_waits_grow_then_it_locks() {
        let table = [
            (0, Verdict::Allowed),
            (4, Verdict::Allowed),
            (5, Verdict::Wait(1)),
            (6, Verdict::Wait(2)),
            (8, Verdict::Wait(8)),
            (12, Verdict::Wait(60)),
        ];
        for (n, expected) in table {
            let f = failures(n);
            assert_eq!(f.verdict(f.last_at, &P), expected, "{n}");
        }
        let locked = failures(20);
        assert_eq!(
            locked.verdict(locked.last_at, &P),
            Verdict::Locked(locked.last_at + 900)
        );
        // The lock ends by itself.
        assert_eq!(locked.verdict(locked.last_at + 900, &P), Verdict::Allowed);
    }

    #[test]
    fn old_failures_are_forgotten_but_not_a_running_lock() {
        let f = failures(7);
        assert_eq!(f.verdict(f.last_at + 86_400, &P), Verdict::Allowed);
        assert_eq!(f.after_failure(f.last_at + 86_400, &P).count, 1);
    }

    #[test]
    fn the_words_do_not_tell_whether_the_login_exists() {
        assert_eq!(refusal(Verdict::Allowed, 0), None);
        assert_eq!(
            refusal(Verdict::Wait(1), 0).unwrap(),
            "Trop de tentatives de connexion : réessayez dans 1 seconde."
        );
        assert!(
            refusal(Verdict::Locked(900), 0)
                .unwrap()
                .contains("15 minutes")
        );
        assert_eq!(
            stricter(Verdict::Wait(3), Verdict::Locked(5)),
            Verdict::Locked(5)
        );
        assert_eq!(
            stricter(Verdict::Wait(3), Verdict::Wait(9)),
            Verdict::Wait(9)
        );
        assert_eq!(
            stricter(Verdict::Allowed, Verdict::Allowed),
            Verdict::Allowed
        );
    }

    proptest! {
        #[test]
        fn no_count_or_instant_panics_and_locks_hold_until_their_end(
            count in 0u32..u32::MAX, last in -1_000_000_000i64..4_000_000_000, now in -1_000_000_000i64..4_000_000_000,
        ) {
            let f = Failures { count, last_at: last, locked_until: None };
            let _ = f.verdict(now, &P);
            let after = f.after_failure(now, &P);
            prop_assert!(after.count >= 1);
            if let Some(until) = after.locked_until {
                prop_assert!(after.is_locked(now, &P) || until <= now);
            }
        }
    }

    #[test]
    fn registrations_from_one_address_are_spaced_then_suspended() {
        let policy = ThrottlePolicy::registrations();
        let mut f = Failures::default();
        let mut now = 1_000_000;
        for _ in 0..3 {
            assert_eq!(f.verdict(now, &policy), Verdict::Allowed);
            f = f.after_failure(now, &policy);
        }
        let wait = f.verdict(now, &policy);
        assert_eq!(wait, Verdict::Wait(60));
        assert_eq!(
            registration_refusal(wait).as_deref(),
            Some("Trop d'inscriptions depuis votre adresse : réessayez dans 1 minute.")
        );
        for _ in 3..10 {
            now += 3600;
            assert_eq!(f.verdict(now, &policy), Verdict::Allowed);
            f = f.after_failure(now, &policy);
        }
        let locked = f.verdict(now + 3600, &policy);
        assert!(matches!(locked, Verdict::Locked(_)));
        assert!(registration_refusal(locked).is_some_and(|m| m.contains("vingt-quatre heures")));
        assert_eq!(registration_refusal(Verdict::Allowed), None);
    }
}
