//! Limits on abuse as the desk applies them: sign-in attempts by account and address (the
//! password is not even checked while an attempt must wait), and commands by person over all
//! their screens and HTTP writes. Each node counts for itself.

use std::{
    net::IpAddr,
    sync::{Mutex, MutexGuard},
    time::Instant,
};

use app::protocol::UserId;
use tracing::{info, instrument};

use super::{Desk, Error, Result};
use crate::{
    config::Limits,
    domain::throttle::{Bucket, Buckets, Rate, SignInGuard, SignInPolicy},
    passwords::DUMMY_HASH,
};

/// What the desk counts.
pub(super) struct Guard {
    sign_in: Mutex<SignInGuard>,
    people: Mutex<Buckets<UserId>>,
    /// Sign-ups asked for from each address: five at once, then one every ten minutes.
    sign_ups: Mutex<Buckets<std::net::IpAddr>>,
    socket: Rate,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Counters stay usable after a panic elsewhere; at worst a count is off by one.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Guard {
    pub(super) fn new(limits: &Limits) -> Self {
        let policy = SignInPolicy {
            per_pair: limits.sign_in_free,
            per_account: limits.sign_in_account_free,
            per_address: limits.sign_in_address_free,
            max_wait: std::time::Duration::from_secs(limits.sign_in_max_wait_secs),
            max_account_wait: std::time::Duration::from_secs(limits.sign_in_account_wait_secs),
        };
        let person = Rate {
            per_sec: limits.person_commands_per_sec,
            burst: limits.person_command_burst,
        };
        Self {
            sign_in: Mutex::new(SignInGuard::new(policy)),
            people: Mutex::new(Buckets::new(person)),
            sign_ups: Mutex::new(Buckets::new(Rate {
                per_sec: 1.0 / 600.0,
                burst: 5.0,
            })),
            socket: Rate {
                per_sec: limits.socket_commands_per_sec,
                burst: limits.socket_command_burst,
            },
        }
    }
}

/// One socket's own command budget.
#[derive(Debug)]
pub struct SocketRate {
    rate: Rate,
    bucket: Bucket,
}

impl Desk {
    /// The person with this email when the password is theirs, asked from `address`.
    /// Refused as throttled while this account or address must wait after wrong passwords;
    /// as busy when too many password checks are waiting already. Every check costs one
    /// password hash, whether or not the email is known, so timing tells nothing.
    #[instrument(skip_all)]
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Option<UserId>> {
        // Checked before anything else: a guesser who must wait costs no database work.
        let wait = lock(&self.guard.sign_in).wait(email, address, Instant::now());
        if !wait.is_zero() {
            return Err(Error::Throttled(wait));
        }
        let found = if email.chars().any(char::is_control) {
            // No account has such an address; the hash is still checked, for the timing.
            None
        } else {
            self.store.credentials(email).await?
        };
        let (id, hash) = match found {
            Some(c) => (Some(c.id), c.password_hash),
            None => (None, DUMMY_HASH.to_owned()),
        };
        let matches = self.check_password(email, hash, password, address).await?;
        Ok(id.filter(|_| matches))
    }

    /// Whether `password` is the one `hash` was made from, counted against `email` and
    /// `address`: refused as throttled while they must wait after wrong passwords, and the
    /// count forgiven by the right one.
    pub(super) async fn check_password(
        &self,
        email: &str,
        hash: String,
        password: &str,
        address: IpAddr,
    ) -> Result<bool> {
        let wait = lock(&self.guard.sign_in).wait(email, address, Instant::now());
        if !wait.is_zero() {
            return Err(Error::Throttled(wait));
        }
        let matches = self
            .passwords
            .verify(hash, password.to_owned())
            .await
            .map_err(|busy| Error::Busy(busy.0))?;
        let mut guard = lock(&self.guard.sign_in);
        if matches {
            guard.succeeded(email, address);
        } else {
            guard.failed(email, address, Instant::now());
            info!(%address, "wrong password");
        }
        Ok(matches)
    }

    /// Takes one of `user`'s command tokens (shared by all their screens and HTTP writes).
    pub fn person_may_act(&self, user: UserId) -> Result<()> {
        lock(&self.guard.people)
            .take(user, Instant::now())
            .map_err(Error::Throttled)
    }

    /// Takes one of `address`'s sign-ups, or says how long until it may ask again.
    pub(super) fn address_may_sign_up(&self, address: std::net::IpAddr) -> Result<()> {
        lock(&self.guard.sign_ups)
            .take(address, Instant::now())
            .map_err(Error::Throttled)
    }

    /// A new socket's own command budget, full.
    pub fn socket_rate(&self) -> SocketRate {
        SocketRate {
            rate: self.guard.socket,
            bucket: Bucket::full(self.guard.socket, Instant::now()),
        }
    }

    /// Takes a token of the socket's budget and of its person's.
    pub fn socket_may_act(&self, socket: &mut SocketRate, user: UserId) -> Result<()> {
        socket
            .bucket
            .take(socket.rate, Instant::now())
            .map_err(Error::Throttled)?;
        self.person_may_act(user)
    }
}
