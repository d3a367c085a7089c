//! Takes that lapse: a ticket whose member has waited too long on its holder — since the
//! take, or since her last message — goes back to the queue by itself, flagged, so that a
//! member never waits on someone who went home.

use app::protocol::{EventKind, TicketId};
use tracing::{info, instrument};

use super::{Desk, Result};
use crate::{clock::now, store::EventDraft};

/// Most lapsed takes returned in one sweep (the next sweep takes the rest).
const PER_SWEEP: i64 = 100;

impl Desk {
    /// Returns to the queue every take whose member has waited `timeout_ms` unanswered;
    /// how many.
    #[instrument(skip_all)]
    pub async fn lapse_takes(&self, timeout_ms: i64) -> Result<usize> {
        let now = now();
        let held = self.store.held_since(now - timeout_ms, PER_SWEEP).await?;
        let mut lapsed = 0;
        for (ticket, _, wait) in held {
            if wait.lapsed(now, timeout_ms) && self.lapse(ticket, timeout_ms).await? {
                lapsed += 1;
            }
        }
        if lapsed > 0 {
            info!(lapsed, "unanswered takes returned to the queue");
        }
        Ok(lapsed)
    }

    /// Under the ticket's lock, checks again (its holder may have just answered) and
    /// returns it to the queue; whether it did.
    async fn lapse(&self, ticket: TicketId, timeout_ms: i64) -> Result<bool> {
        let mut w = self.store.begin_write().await?;
        let (holder, _status) = w.lock_ticket(ticket).await?;
        let (Some(holder), Some((_, wait))) = (holder, w.held(ticket).await?) else {
            return Ok(false);
        };
        let now = now();
        let Some(since) = wait.waiting_since().filter(|s| now - s >= timeout_ms) else {
            return Ok(false);
        };
        w.set_lapsed(ticket, now).await?;
        let lapsed = EventDraft {
            author: holder,
            kind: EventKind::Lapsed {
                minutes: ((now - since) / 60_000).max(1),
            },
            client_msg_id: None,
            ref_public_seq: None,
        };
        let event = w.append_event(ticket, lapsed, now).await?;
        w.commit().await?;
        self.publish(vec![event], None).await;
        Ok(true)
    }
}
