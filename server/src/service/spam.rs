//! The spam filter at work: a mail that would open a ticket, or wait in Incoming as a
//! stranger's, is judged by the model; above the threshold it goes to the Spam folder
//! instead (kept 30 days, never in a queue). Mail that reaches a ticket is learned as good;
//! staff marking a mail spam, or not spam, teaches the model at once.

use app::protocol::IncomingReason;
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{Viewer, spam},
    files::Files,
    mail::Inbound,
    store::{self, Learned},
};

/// How long spam is kept before it is removed.
pub const SPAM_KEPT_MS: i64 = 30 * 24 * 3_600_000;

impl Desk {
    /// Whether the model takes `inbound` for spam (never while it has not learned enough).
    pub(super) async fn is_spam(&self, inbound: &Inbound) -> Result<bool> {
        let words = spam::words(&inbound.from_address, &inbound.subject, &inbound.text);
        let (known, learned) = self.store.spam_counts(&words).await?;
        Ok(spam::spam_probability(&known, learned).is_some_and(|p| p >= spam::THRESHOLD))
    }

    /// Mail `id` (as `inbound`) reached a ticket: the model learns it as good mail.
    pub(super) async fn learn_good(&self, id: i64, inbound: &Inbound) -> Result<()> {
        let words = spam::words(&inbound.from_address, &inbound.subject, &inbound.text);
        Ok(self.store.learn_mail(id, &words, Learned::Ham).await?)
    }

    /// Staff mark waiting mail `id` spam (`true`) or not spam: the model learns it at once;
    /// spam goes to the Spam folder, and what is not waits to be sorted.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn mark_spam(&self, viewer: &Viewer, id: i64, is_spam: bool) -> Result<()> {
        let (mail, _) = self.sortable(viewer, id).await?;
        let words = spam::words(&mail.from_address, &mail.subject, &mail.body);
        let (learned, reason) = if is_spam {
            (Learned::Spam, IncomingReason::Spam)
        } else {
            (Learned::Ham, IncomingReason::Held)
        };
        self.store.learn_mail(id, &words, learned).await?;
        match self.store.set_incoming_reason(id, reason.as_str()).await {
            Ok(()) => Ok(()),
            Err(store::Error::NotFound) => Err(super::incoming::no_such_mail()),
            Err(err) => Err(err.into()),
        }
    }

    /// Removes spam older than 30 days, with its raw copies; how many.
    #[instrument(skip_all)]
    pub async fn remove_old_spam(&self, files: &Files) -> Result<usize> {
        let raw = self.store.remove_old_spam(now() - SPAM_KEPT_MS).await?;
        for file in &raw {
            let _ = files.delete(file).await;
        }
        Ok(raw.len())
    }
}
