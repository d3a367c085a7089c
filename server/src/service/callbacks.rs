//! Calling back callers who gave up waiting: each abandoned call keeps a callback (one per
//! number within a window); the oldest due one is offered to a free agent — online, not away,
//! not on a call, not calling back — who takes it within a minute or it goes to another; the
//! telephony system is asked to dial (or the agent dials the number shown); the outcome is
//! kept, and a callback not reached is offered again later, up to the last try.

use std::sync::Arc;

use app::protocol::{Availability, Callback, CallbackOutcome, CallbackState, EventKind, UserId};
use tracing::{instrument, warn};

use super::{Desk, Result, write::draft};
use crate::{
    clock::now,
    domain::{
        self, Reason, StoredEvent, Viewer,
        calls::{self as rules, CallRecord, CallbackRecord},
    },
    hub::{HubMsg, Topic},
    phone::ami,
    store::{self, CallbackUpdate, NewCallback},
};

const MINUTE: i64 = 60_000;
/// Most due callbacks looked at in one round of offers.
const OFFERED_AT_ONCE: i64 = 50;

fn refused(key: &'static str) -> super::Error {
    domain::Error::State(Reason::new(key)).into()
}

impl Desk {
    fn max_tries(&self) -> i64 {
        self.phone.callback_tries.max(1)
    }

    /// Keeps a callback for the caller of `call`, who gave up waiting — unless their number
    /// has one open or made within the window.
    pub(super) async fn keep_callback(&self, call: &CallRecord) -> Result<()> {
        let now = now();
        let since = now - self.phone.callback_window_mins.max(0) * MINUTE;
        if self.store.callback_kept(&call.call.caller, since).await? {
            return Ok(());
        }
        let mut w = self.store.begin_write().await?;
        let kept = w
            .insert_callback(&NewCallback {
                number: &call.call.caller,
                scope: call.scope,
                call_id: &call.call.id,
                at: now,
            })
            .await;
        match kept {
            Ok(_) => w.commit().await?,
            // The same abandon reported twice at once: kept by the other report.
            Err(store::Error::Conflict(_)) => return Ok(()),
            Err(err) => return Err(err.into()),
        }
        self.offer_callbacks(true).await
    }

    /// Offers due callbacks, oldest first, to free agents who may see them; takes back offers
    /// not taken in time. Safe on every node at once: each offer is claimed in the store.
    /// `tell` says the count of waiting callbacks changed whatever this round does.
    pub async fn offer_callbacks(&self, tell: bool) -> Result<()> {
        let now = now();
        let max = self.max_tries();
        let expired = self
            .store
            .expire_offers(now - self.phone.callback_offer_secs.max(1) * 1000, now)
            .await?;
        let mut changed = tell || !expired.is_empty();
        for id in expired {
            self.publish_callback(id).await?;
        }
        let due = self.store.due_callbacks(now, OFFERED_AT_ONCE, max).await?;
        let mut free = if due.is_empty() {
            Vec::new()
        } else {
            self.free_agents().await?
        };
        for record in due {
            let Some(at) = free
                .iter()
                .position(|agent| domain::may_call_back(agent, true, &record.scope))
            else {
                continue;
            };
            let agent = free.remove(at);
            if self
                .store
                .offer_callback(record.callback.id, agent.id, now)
                .await?
            {
                self.publish_callback(record.callback.id).await?;
                changed = true;
            }
        }
        if changed {
            let count = self.store.callbacks_waiting().await?;
            self.hub
                .publish(Topic::Calls, HubMsg::CallbacksWaiting(count));
        }
        Ok(())
    }

    /// Agents online (not away) on some node, with no call on their screen and no callback.
    async fn free_agents(&self) -> Result<Vec<Viewer>> {
        let online: Vec<UserId> = self
            .staff
            .all()
            .into_iter()
            .filter(|s| s.availability == Availability::Online)
            .map(|s| s.person.id)
            .collect();
        let on_calls: Vec<UserId> = self
            .store
            .open_calls()
            .await?
            .iter()
            .filter(|c| c.call.awaits_end())
            .filter_map(|c| c.call.agent.as_ref().map(|a| a.id))
            .collect();
        let calling_back = self.store.agents_calling_back().await?;
        let mut free = Vec::new();
        for id in self.store.agents().await? {
            if online.contains(&id) && !on_calls.contains(&id) && !calling_back.contains(&id) {
                free.extend(self.viewer(id).await?);
            }
        }
        Ok(free)
    }

    /// Tells the calls screens, on every node, that callback `id` changed; the callback.
    async fn publish_callback(&self, id: i64) -> Result<Callback> {
        let record = self
            .store
            .callback(id, self.max_tries())
            .await?
            .ok_or(store::Error::NotFound)?;
        let callback = record.callback.clone();
        self.hub
            .publish(Topic::Calls, HubMsg::Callback(Arc::new(record)));
        Ok(callback)
    }

    /// The callbacks on `viewer`'s screen, and how many wait.
    pub(super) async fn callbacks_of(&self, viewer: &Viewer) -> Result<(Vec<Callback>, i64)> {
        let mine = self
            .store
            .callbacks_of(viewer.id, self.max_tries())
            .await?
            .iter()
            .filter_map(|record| domain::callback_for(viewer, true, record))
            .collect();
        Ok((mine, self.store.callbacks_waiting().await?))
    }

    /// The callback `id` as its agent may act on it in `state`.
    async fn callback_in(
        &self,
        viewer: &Viewer,
        id: i64,
        state: CallbackState,
    ) -> Result<CallbackRecord> {
        self.require_agent(viewer).await?;
        let record = self
            .store
            .callback(id, self.max_tries())
            .await?
            .ok_or(store::Error::NotFound)?;
        if domain::callback_for(viewer, true, &record).is_none() {
            return Err(refused("state-not-your-callback"));
        }
        if record.callback.state != state {
            return Err(refused("state-callback-moved-on"));
        }
        Ok(record)
    }

    /// One write of a callback moving on, with its event in the request; `None` when it had
    /// moved on meanwhile.
    async fn move_callback(
        &self,
        viewer: &Viewer,
        record: &CallbackRecord,
        to: &CallbackUpdate,
        event: EventKind,
    ) -> Result<Option<StoredEvent>> {
        let now = now();
        let mut w = self.store.begin_write().await?;
        if !w
            .update_callback(record.callback.id, record.callback.state, to, now)
            .await?
        {
            return Ok(None);
        }
        w.lock_ticket(record.scope.id).await?;
        let event = w
            .append_event(record.scope.id, draft(viewer, event), now)
            .await?;
        w.commit().await?;
        Ok(Some(event))
    }

    /// The agent takes the callback offered to them: the telephony system is asked to ring
    /// them and dial the number (without one configured, they dial it themselves).
    #[instrument(skip_all, fields(user_id = %viewer.id, callback = id))]
    pub async fn accept_callback(&self, viewer: &Viewer, id: i64) -> Result<Callback> {
        let record = self.callback_in(viewer, id, CallbackState::Offered).await?;
        let attempt = record.callback.attempts + 1;
        let dialing = CallbackUpdate {
            state: CallbackState::Dialing,
            attempts: attempt,
            due_at: record.callback.due_at,
            agent: Some(viewer.id),
            dialed: false,
            outcome: None,
        };
        let event = EventKind::CalledBack {
            number: record.callback.number.clone(),
            attempt,
            outcome: None,
        };
        let Some(event) = self.move_callback(viewer, &record, &dialing, event).await? else {
            return Err(refused("state-callback-moved-on"));
        };
        self.publish(vec![event], None).await;
        let count = self.store.callbacks_waiting().await?;
        self.hub
            .publish(Topic::Calls, HubMsg::CallbacksWaiting(count));
        if let Some(settings) = &self.phone.ami {
            let extension = self
                .store
                .extension_of(viewer.id)
                .await?
                .unwrap_or_default();
            let tag = record.callback.id.to_string();
            match ami::originate(settings, &extension, &record.callback.number, &tag).await {
                Ok(()) => {
                    let mut w = self.store.begin_write().await?;
                    let dialed = CallbackUpdate {
                        dialed: true,
                        ..dialing
                    };
                    w.update_callback(id, CallbackState::Dialing, &dialed, now())
                        .await?;
                    w.commit().await?;
                }
                // The agent dials the number shown instead.
                Err(err) => warn!(error = %err, "the telephony system could not dial"),
            }
        }
        self.publish_callback(id).await
    }

    /// The agent says how calling back went: done, given up, or offered again later.
    #[instrument(skip_all, fields(user_id = %viewer.id, callback = id))]
    pub async fn record_callback(
        &self,
        viewer: &Viewer,
        id: i64,
        outcome: CallbackOutcome,
    ) -> Result<Callback> {
        let record = self.callback_in(viewer, id, CallbackState::Dialing).await?;
        let callback = &record.callback;
        let retry = self.phone.callback_retry_mins.max(0) * MINUTE;
        let (state, delay) =
            rules::after_outcome(outcome, callback.attempts, self.max_tries(), retry);
        let attempts = if outcome == CallbackOutcome::RetryLater {
            // Asked for later: that try does not count against the caller.
            callback.attempts - 1
        } else {
            callback.attempts
        };
        let next = CallbackUpdate {
            state,
            attempts,
            due_at: delay.map_or(callback.due_at, |d| now() + d),
            agent: (state != CallbackState::Waiting).then_some(viewer.id),
            dialed: false,
            outcome: Some(outcome),
        };
        let event = EventKind::CalledBack {
            number: callback.number.clone(),
            attempt: callback.attempts,
            outcome: Some(outcome),
        };
        let Some(event) = self.move_callback(viewer, &record, &next, event).await? else {
            return Err(refused("state-callback-moved-on"));
        };
        self.publish(vec![event], None).await;
        let callback = self.publish_callback(id).await?;
        // The agent is free again: the next callback may be theirs.
        self.offer_callbacks(true).await?;
        Ok(callback)
    }
}
