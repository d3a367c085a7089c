//! Password hashes (argon2id, ~19 MiB of memory each) computed on a small pool of threads of
//! their own, so a burst of sign-ins can neither starve the server nor take its host's
//! memory: at most `workers` hashes run at once, the rest wait their turn in order, and when
//! `queue` are already waiting the next one is refused at once as busy (the caller answers
//! `503` with `Retry-After`).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
        mpsc,
    },
    time::Duration,
};

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use tokio::sync::oneshot;

/// About how long one hash takes on one core; what a busy answer's wait is reckoned from.
const HASH_TIME: Duration = Duration::from_millis(60);

/// A valid argon2id hash of a random password, checked against when an email is unknown, so
/// that timing does not reveal who has an account.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2yC0lbgk8Oa0sMx0cJmv1QmIRHbUnsYY7zH4bqC4bEw";

/// What is stored for an account made without a password (a member made from a mail): it
/// matches no password, so it cannot sign in until one is set for it.
pub const NO_PASSWORD: &str = "!";

/// The pool was full: retry after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy(pub Duration);

type Job = Box<dyn FnOnce() + Send>;

/// The hashing pool; cheap to clone. Its threads end when the last clone is dropped.
#[derive(Clone)]
pub struct Passwords {
    jobs: mpsc::SyncSender<Job>,
    /// Jobs handed over and not finished yet (running or waiting).
    pending: Arc<AtomicUsize>,
    workers: usize,
    limit: usize,
}

impl Passwords {
    /// A pool of `workers` threads (0: one per core) with room for `queue` waiting jobs.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = if workers == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            workers
        };
        let limit = workers + queue.max(1);
        // Room for every job the counter lets in: handing one over never blocks.
        let (jobs, inbox) = mpsc::sync_channel::<Job>(limit);
        let inbox = Arc::new(Mutex::new(inbox));
        for n in 0..workers {
            let inbox = inbox.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || {
                    loop {
                        // One waiting thread takes the next job in order; the lock is
                        // released before the job runs.
                        let job = match inbox.lock() {
                            Ok(inbox) => inbox.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "could not start a password thread");
            }
        }
        Self {
            jobs,
            pending: Arc::default(),
            workers,
            limit,
        }
    }

    /// Whether `password` is the one `hash` was made from. A hash that cannot be read
    /// matches nothing.
    pub async fn verify(&self, hash: String, password: String) -> Result<bool, Busy> {
        self.run(move || match PasswordHash::new(&hash) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            // No password (or a damaged one): checked against the decoy all the same, so that
            // the time taken tells nothing, and refused.
            Err(_) => {
                if let Ok(decoy) = PasswordHash::new(DUMMY_HASH) {
                    let _ = Argon2::default().verify_password(password.as_bytes(), &decoy);
                }
                false
            }
        })
        .await
    }

    /// A hash of `password` for storage (a fresh salt); `None` if hashing failed.
    pub async fn hash(&self, password: String) -> Result<Option<String>, Busy> {
        self.run(move || hash_password(&password).ok()).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let waiting = self.pending.fetch_add(1, Ordering::SeqCst);
        if waiting >= self.limit {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            return Err(self.busy(waiting));
        }
        let (done, result) = oneshot::channel();
        let pending = self.pending.clone();
        let job: Job = Box::new(move || {
            let result = work();
            // Counted out before the answer, so whoever hears it finds the room free.
            pending.fetch_sub(1, Ordering::SeqCst);
            let _ = done.send(result);
        });
        if self.jobs.try_send(job).is_err() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            return Err(self.busy(waiting));
        }
        // A job whose thread died answers nothing: treated as busy rather than a match.
        result.await.map_err(|_| self.busy(waiting))
    }

    /// How long until `waiting` jobs ahead have been worked through.
    fn busy(&self, waiting: usize) -> Busy {
        let rounds = u32::try_from(waiting.div_ceil(self.workers).max(1)).unwrap_or(u32::MAX);
        Busy((HASH_TIME * rounds).max(Duration::from_secs(1)))
    }
}

/// Makes the allocator give large blocks back to the system when they are freed. glibc
/// otherwise raises its threshold for mapping blocks on their own after the first large
/// free, and then keeps every password hash's 19 MiB in its heaps for good: sixteen sign-ins
/// at once would leave the process hundreds of MiB larger. Call once, first thing.
pub fn give_back_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// Blocks from this size up are mapped on their own and unmapped when freed
        /// (glibc's own starting value, now fixed).
        const MMAP_THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: `mallopt` only changes the allocator's tuning; it takes its own lock and
        // is called before any other thread starts.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        }
    }
}

/// Hashes a password for storage (argon2id, a fresh salt), on the calling thread.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_a_full_queue_is_refused_at_once() {
        let pool = Passwords::new(1, 1);
        let hash = pool
            .hash("correct horse".into())
            .await
            .expect("not busy")
            .expect("hashed");
        assert_eq!(
            pool.verify(hash.clone(), "correct horse".into()).await,
            Ok(true)
        );
        assert_eq!(pool.verify(hash.clone(), "wrong".into()).await, Ok(false));
        assert_eq!(pool.verify("garbage".into(), "x".into()).await, Ok(false));

        // One running and one waiting fill it; the rest are refused without waiting.
        let checks: Vec<_> = (0..6)
            .map(|_| {
                let pool = pool.clone();
                let hash = hash.clone();
                tokio::spawn(async move { pool.verify(hash, "correct horse".into()).await })
            })
            .collect();
        let mut accepted = 0;
        let mut refused = 0;
        for check in checks {
            match check.await.expect("joined") {
                Ok(true) => accepted += 1,
                Ok(false) => panic!("the right password was refused"),
                Err(Busy(wait)) => {
                    assert!(wait >= Duration::from_secs(1));
                    refused += 1;
                }
            }
        }
        assert_eq!((accepted, refused), (2, 4));
    }
}
