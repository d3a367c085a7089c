//! Mail fetched over IMAP. Each mailbox connected to an IMAP server is read by one node at a
//! time (a lease in the store, renewed while it reads): it takes every mail it has not taken
//! yet — the first time, the unseen ones — the same way a piped mail is taken, marks it seen,
//! and records how far it got; then waits for news with `IDLE` where the server offers it,
//! else looks again every few seconds. A node that dies mid-mail leaves it to be fetched
//! again, and taken once (by its Message-ID).

use std::{collections::HashSet, time::Duration};

use app::protocol::MailboxId;
use bytes::Bytes;
use tokio::task::JoinSet;
use tracing::{info, instrument, warn};

use super::{Desk, mailboxes::sealed_for};
use crate::{
    clock::now,
    files::Files,
    mail::imap::{Account, ImapError, Session},
};

/// How long a node holds a mailbox before it must renew its lease.
const LEASE_MS: i64 = 60_000;
/// How long one `IDLE`, or one wait between looks without it, lasts.
const WAIT: Duration = Duration::from_secs(20);
/// How long a mailbox that failed waits before it is tried again.
const RETRY: Duration = Duration::from_secs(30);
/// How often nodes look for mailboxes nobody reads.
const SWEEP: Duration = Duration::from_secs(5);
/// Longest wait for one step of the conversation.
const STEP: Duration = Duration::from_secs(60);

/// Why reading a mailbox stopped.
enum Stop {
    /// It is no longer read over IMAP, or another node reads it now.
    Released,
    /// Its settings changed: connect again at once.
    Changed,
    /// Something failed (said to administrators on the mailbox).
    Failed(String),
}

impl From<ImapError> for Stop {
    fn from(err: ImapError) -> Self {
        Stop::Failed(err.to_string())
    }
}

impl From<super::Error> for Stop {
    fn from(err: super::Error) -> Self {
        Stop::Failed(format!("the desk could not take the mail: {err}"))
    }
}

impl From<crate::store::Error> for Stop {
    fn from(err: crate::store::Error) -> Self {
        Stop::Failed(format!("the desk's database: {err}"))
    }
}

impl Desk {
    /// A mailbox was connected or disconnected: the readers look again at once.
    pub(super) fn imap_changed(&self) {
        self.imap_changes.send_modify(|n| *n += 1);
    }

    /// Renews this node's lease on `id`; false when it lost it.
    async fn renew(&self, id: MailboxId, lease: &mut i64) -> bool {
        let at = now();
        match self
            .store
            .lease_imap(id, at, Some(*lease), at + LEASE_MS)
            .await
        {
            Ok(Some(until)) => {
                *lease = until;
                true
            }
            _ => false,
        }
    }

    /// One connection to mailbox `id`'s server: reads what is new, then waits for more,
    /// until something stops it.
    #[instrument(skip_all, fields(mailbox = id.0))]
    async fn read_imap(&self, files: &Files, id: MailboxId, max: u64, lease: &mut i64) -> Stop {
        let Ok(Some(account)) = self.store.imap_account(id).await else {
            return Stop::Released;
        };
        let Some(sealer) = &self.sealer else {
            return Stop::Failed("the desk has no secret key to open the password with".into());
        };
        let Ok(password) = sealer.open(&account.sealed, &sealed_for(id)) else {
            return Stop::Failed(
                "the password was kept with another secret key: set it again".into(),
            );
        };
        let settings = account.settings.clone();
        let server = Account {
            host: settings.host.clone(),
            port: settings.port,
            security: settings.security,
            user: settings.user.clone(),
            password,
            folder: settings.folder.clone(),
            step_timeout: STEP,
        };
        let mut session = match Session::open(&server).await {
            Ok(session) => session,
            Err(err) => return err.into(),
        };
        let mut changes = self.imap_changes.subscribe();
        let stop = async {
            let selected = session.select(&server.folder).await?;
            let validity = i64::from(selected.uid_validity);
            // A folder whose UIDs were renumbered is read afresh (mail taken before is
            // recognised by its Message-ID); a folder never read starts with the unseen.
            let mut last = match account.uid_validity {
                Some(v) if v == validity => Some(account.last_uid),
                _ => None,
            };
            self.store.imap_checked(id, now(), None).await?;
            loop {
                let uids = match last {
                    Some(last) => {
                        session
                            .uids_after(u32::try_from(last).unwrap_or(u32::MAX))
                            .await?
                    }
                    None => session.unseen().await?,
                };
                for uid in uids {
                    if let Some((raw, size)) = session.fetch(uid, max).await? {
                        let cut = (size > max).then_some("larger than the limit for a mail");
                        self.hand_in(files, &account.name, Bytes::from(raw), cut)
                            .await?;
                    }
                    session.mark_seen(uid).await?;
                    last = Some(i64::from(uid));
                    self.store
                        .imap_read_to(id, validity, i64::from(uid))
                        .await?;
                }
                if last.is_none() {
                    last = Some(0);
                    self.store.imap_read_to(id, validity, 0).await?;
                }
                if !self.renew(id, lease).await {
                    return Ok::<Stop, Stop>(Stop::Released);
                }
                match self.store.imap_account(id).await? {
                    Some(now_set)
                        if now_set.settings.host == settings.host
                            && now_set.settings.user == settings.user
                            && now_set.settings.folder == settings.folder
                            && now_set.settings.port == settings.port
                            && now_set.sealed == account.sealed => {}
                    Some(_) => return Ok(Stop::Changed),
                    None => return Ok(Stop::Released),
                }
                // Waiting ends early when an administrator changes a mailbox: the session,
                // perhaps cut mid-IDLE, is then not used again.
                let wait = async {
                    if session.can_idle() {
                        session.idle(WAIT).await.map(|_| ())
                    } else {
                        tokio::time::sleep(WAIT.min(Duration::from_secs(5))).await;
                        Ok(())
                    }
                };
                tokio::select! {
                    waited = wait => waited?,
                    _ = changes.changed() => return Ok(Stop::Changed),
                }
            }
        }
        .await;
        let stop = stop.unwrap_or_else(|stop| stop);
        if !matches!(stop, Stop::Changed) {
            session.close().await;
        }
        stop
    }

    /// Reads mailbox `id` for as long as this node holds it.
    async fn keep_reading(&self, files: Files, id: MailboxId, max: u64) {
        let at = now();
        let Ok(Some(mut lease)) = self.store.lease_imap(id, at, None, at + LEASE_MS).await else {
            return;
        };
        info!(mailbox = id.0, "reading a mailbox over IMAP");
        let mut changes = self.imap_changes.subscribe();
        loop {
            match self.read_imap(&files, id, max, &mut lease).await {
                Stop::Released => break,
                Stop::Changed => continue,
                Stop::Failed(problem) => {
                    warn!(mailbox = id.0, %problem, "reading a mailbox over IMAP failed");
                    let _ = self.store.imap_checked(id, now(), Some(&problem)).await;
                    // Waits, holding the mailbox, then tries again — at once when an
                    // administrator changes a mailbox.
                    tokio::select! {
                        () = tokio::time::sleep(RETRY) => {}
                        _ = changes.changed() => {}
                    }
                    if !self.renew(id, &mut lease).await {
                        break;
                    }
                }
            }
        }
        let _ = self.store.release_imap(id, lease).await;
    }
}

/// Every few seconds, or at once when a mailbox is connected: starts reading each mailbox
/// connected over IMAP that no node reads.
pub(super) async fn imap_intake(desk: Desk, files: Files, max: u64) {
    let mut readers = JoinSet::new();
    let mut reading: HashSet<MailboxId> = HashSet::new();
    let mut changes = desk.imap_changes.subscribe();
    loop {
        while let Some(done) = readers.try_join_next() {
            if let Ok(id) = done {
                reading.remove(&id);
            }
        }
        match desk.store.unread_imap_mailboxes(now()).await {
            Ok(ids) => {
                for id in ids {
                    if reading.insert(id) {
                        let (desk, files) = (desk.clone(), files.clone());
                        readers.spawn(async move {
                            desk.keep_reading(files, id, max).await;
                            id
                        });
                    }
                }
            }
            Err(err) => warn!(error = %err, "cannot list the mailboxes read over IMAP"),
        }
        tokio::select! {
            _ = changes.changed() => {}
            () = tokio::time::sleep(SWEEP) => {}
        }
    }
}
