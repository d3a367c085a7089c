//! How much is too much: wrong passwords (a wait that doubles with each one past a free few,
//! forgiven after a quiet spell, never a lockout) and commands (a token bucket). Pure: the
//! time is passed in, so the rules are tested without waiting.

use std::{
    collections::HashMap,
    hash::Hash,
    net::IpAddr,
    time::{Duration, Instant},
};

/// The first wait once the free attempts are used up; each further failure doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// Most keys one table remembers; past it, those quiet longest are forgotten first.
const MAX_KEYS: usize = 50_000;

/// When sign-in attempts must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInPolicy {
    /// Wrong passwords for one account from one address before attempts wait.
    pub per_pair: u32,
    /// Wrong passwords for one account from any address before attempts wait.
    pub per_account: u32,
    /// Wrong passwords from one address, whatever the account, before attempts wait.
    pub per_address: u32,
    /// The longest wait for one address (alone or with an account).
    pub max_wait: Duration,
    /// The longest wait for an account tried from many addresses: what anyone who knows an
    /// email can make its owner wait, at most.
    pub max_account_wait: Duration,
}

/// Failures in a row for one key, and when the last was.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// One table of failures, by key.
#[derive(Debug)]
struct Table<K> {
    free: u32,
    max_wait: Duration,
    rows: HashMap<K, Failures>,
}

impl<K: Eq + Hash + Clone> Table<K> {
    fn new(free: u32, max_wait: Duration) -> Self {
        Self {
            free,
            max_wait,
            rows: HashMap::new(),
        }
    }

    /// The wait after `count` failures (none while free ones remain).
    fn wait_after(&self, count: u32) -> Duration {
        if count < self.free {
            return Duration::ZERO;
        }
        let doublings = (count - self.free).min(20);
        (FIRST_WAIT * 2u32.pow(doublings)).min(self.max_wait)
    }

    /// Failures are forgotten once this long has passed since the last.
    fn forget_after(&self) -> Duration {
        (self.max_wait * 2).max(Duration::from_secs(15 * 60))
    }

    fn remaining(&self, key: &K, now: Instant) -> Duration {
        let Some(row) = self.rows.get(key) else {
            return Duration::ZERO;
        };
        (row.last + self.wait_after(row.count)).saturating_duration_since(now)
    }

    fn failed(&mut self, key: K, now: Instant) {
        let forget = self.forget_after();
        if self.rows.len() >= MAX_KEYS && !self.rows.contains_key(&key) {
            self.rows
                .retain(|_, row| now.saturating_duration_since(row.last) < forget);
            if self.rows.len() >= MAX_KEYS {
                // Still full of recent failures: forget the oldest tenth.
                let mut lasts: Vec<Instant> = self.rows.values().map(|r| r.last).collect();
                lasts.sort_unstable();
                let cut = lasts[lasts.len() / 10];
                self.rows.retain(|_, row| row.last > cut);
            }
        }
        let row = self.rows.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.saturating_duration_since(row.last) >= forget {
            row.count = 0;
        }
        row.count = row.count.saturating_add(1);
        row.last = now;
    }

    fn forgive(&mut self, key: &K) {
        self.rows.remove(key);
    }
}

/// Wrong passwords by account and address, and how long the next attempt must wait.
#[derive(Debug)]
pub struct SignInGuard {
    pairs: Table<(String, IpAddr)>,
    accounts: Table<String>,
    addresses: Table<IpAddr>,
}

/// The account an email names, as attempts are counted (case and spaces aside).
fn account(email: &str) -> String {
    email.trim().to_lowercase()
}

impl SignInGuard {
    pub fn new(policy: SignInPolicy) -> Self {
        Self {
            pairs: Table::new(policy.per_pair, policy.max_wait),
            accounts: Table::new(policy.per_account, policy.max_account_wait),
            addresses: Table::new(policy.per_address, policy.max_wait),
        }
    }

    /// How long before `email` may be tried from `address` again; zero: now. While it is
    /// not zero, the password is not even checked.
    pub fn wait(&self, email: &str, address: IpAddr, now: Instant) -> Duration {
        let account = account(email);
        self.pairs
            .remaining(&(account.clone(), address), now)
            .max(self.accounts.remaining(&account, now))
            .max(self.addresses.remaining(&address, now))
    }

    /// A wrong password (or an unknown email) was given.
    pub fn failed(&mut self, email: &str, address: IpAddr, now: Instant) {
        let account = account(email);
        self.pairs.failed((account.clone(), address), now);
        self.accounts.failed(account, now);
        self.addresses.failed(address, now);
    }

    /// The right password: this account's failures are forgiven, and this address's.
    pub fn succeeded(&mut self, email: &str, address: IpAddr) {
        let account = account(email);
        self.pairs.forgive(&(account.clone(), address));
        self.accounts.forgive(&account);
        self.addresses.forgive(&address);
    }
}

/// A token bucket: `rate` tokens a second up to `burst`; each command takes one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_sec: f64,
    pub burst: f64,
}

/// The tokens one sender has.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn full(rate: Rate, now: Instant) -> Self {
        Self {
            tokens: rate.burst,
            at: now,
        }
    }

    /// Takes a token, or says how long until one is there.
    pub fn take(&mut self, rate: Rate, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate.per_sec).min(rate.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else if rate.per_sec <= 0.0 {
            Err(Duration::from_secs(60))
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate.per_sec))
        }
    }

    /// Whether it has filled up again (so it can be forgotten).
    pub fn is_full(&self, rate: Rate, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens + elapsed * rate.per_sec >= rate.burst
    }
}

/// A bucket per sender, forgetting those that filled up again.
#[derive(Debug)]
pub struct Buckets<K> {
    rate: Rate,
    buckets: HashMap<K, Bucket>,
}

impl<K: Eq + Hash> Buckets<K> {
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            buckets: HashMap::new(),
        }
    }

    /// Takes a token from `key`'s bucket, or says how long until one is there.
    pub fn take(&mut self, key: K, now: Instant) -> Result<(), Duration> {
        let rate = self.rate;
        if self.buckets.len() >= MAX_KEYS {
            self.buckets.retain(|_, b| !b.is_full(rate, now));
        }
        self.buckets
            .entry(key)
            .or_insert_with(|| Bucket::full(rate, now))
            .take(rate, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: SignInPolicy = SignInPolicy {
        per_pair: 5,
        per_account: 20,
        per_address: 50,
        max_wait: Duration::from_secs(900),
        max_account_wait: Duration::from_secs(60),
    };

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn wrong_passwords_wait_longer_each_time_and_the_right_one_gets_in_after_the_wait() {
        let start = Instant::now();
        let mut guard = SignInGuard::new(POLICY);
        for n in 0..5 {
            assert_eq!(
                guard.wait("anna@x.example", ip(1), start),
                Duration::ZERO,
                "{n}"
            );
            guard.failed("Anna@X.example ", ip(1), start);
        }
        assert_eq!(
            guard.wait("anna@x.example", ip(1), start),
            Duration::from_secs(1)
        );
        let later = start + Duration::from_secs(1);
        assert_eq!(guard.wait("anna@x.example", ip(1), later), Duration::ZERO);
        guard.failed("anna@x.example", ip(1), later);
        assert_eq!(
            guard.wait("anna@x.example", ip(1), later),
            Duration::from_secs(2)
        );
        // Another address is not held up by this one's guessing, nor is another account.
        assert_eq!(guard.wait("anna@x.example", ip(2), later), Duration::ZERO);
        assert_eq!(guard.wait("boris@x.example", ip(1), later), Duration::ZERO);
        // After the wait, the right password gets in and forgives.
        guard.succeeded("anna@x.example", ip(1));
        assert_eq!(guard.wait("anna@x.example", ip(1), later), Duration::ZERO);
    }

    #[test]
    fn waits_are_capped_and_forgotten_so_nobody_is_locked_out_for_good() {
        let start = Instant::now();
        let mut guard = SignInGuard::new(POLICY);
        // Many addresses guessing one account hold it up for a minute at most.
        for n in 0..200u8 {
            guard.failed("anna@x.example", ip(n), start);
        }
        let wait = guard.wait("anna@x.example", ip(250), start);
        assert_eq!(wait, Duration::from_secs(60));
        // One address guessing for long waits at most the cap, and is forgiven after a
        // quiet spell.
        for _ in 0..40 {
            guard.failed("boris@x.example", ip(9), start);
        }
        assert_eq!(
            guard.wait("boris@x.example", ip(9), start),
            Duration::from_secs(900)
        );
        let quiet = start + Duration::from_secs(1800);
        assert_eq!(guard.wait("boris@x.example", ip(9), quiet), Duration::ZERO);
        guard.failed("boris@x.example", ip(9), quiet);
        assert_eq!(
            guard.wait("boris@x.example", ip(9), quiet),
            Duration::ZERO,
            "counting anew"
        );
    }

    #[test]
    fn buckets_allow_a_burst_then_the_rate() {
        let rate = Rate {
            per_sec: 10.0,
            burst: 3.0,
        };
        let start = Instant::now();
        let mut buckets = Buckets::new(rate);
        for _ in 0..3 {
            assert_eq!(buckets.take("a", start), Ok(()));
        }
        let wait = buckets.take("a", start).expect_err("empty");
        assert!(
            wait > Duration::from_millis(90) && wait <= Duration::from_millis(100),
            "{wait:?}"
        );
        assert_eq!(buckets.take("b", start), Ok(()), "each sender its own");
        assert_eq!(
            buckets.take("a", start + Duration::from_millis(100)),
            Ok(())
        );
    }
}
