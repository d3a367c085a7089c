//! The desk's work in the background: screens that fell silent swept away, unsent uploads
//! and expired sessions removed, and, on PostgreSQL, the bus to the other nodes.

use std::{sync::Arc, time::Duration};

use tokio::task::JoinHandle;
use tracing::{info, warn};

use super::Desk;
use crate::{
    clock::now,
    config::Settings,
    files::Files,
    hub::{self, HubMsg, Topic, bus},
    store::{Backend, Store},
};

impl Desk {
    /// Starts every background task; abort the handles to stop them.
    pub fn start_background(&self, files: Files, settings: &Settings) -> Vec<JoinHandle<()>> {
        let mut tasks = vec![
            tokio::spawn(purge_sessions(self.store.clone())),
            tokio::spawn(sweep_uploads(
                self.store.clone(),
                files.clone(),
                settings.upload_ttl_hours,
            )),
            tokio::spawn(super::outbox::sender(self.clone(), files.clone())),
            tokio::spawn(remove_old_spam(self.clone(), files.clone())),
            tokio::spawn(super::imap::imap_intake(
                self.clone(),
                files,
                settings.max_mail_bytes,
            )),
            tokio::spawn(sweep_presence(self.clone(), settings.presence_ttl_secs)),
            tokio::spawn(offer_callbacks(self.clone())),
        ];
        if let Some(addr) = settings.phone.agi_addr {
            match std::net::TcpListener::bind(addr).and_then(|l| {
                l.set_nonblocking(true)?;
                tokio::net::TcpListener::from_std(l)
            }) {
                Ok(listener) => {
                    info!(%addr, "the voice menu listens (FastAGI)");
                    tasks.push(tokio::spawn(super::voice::serve(self.clone(), listener)));
                }
                Err(err) => warn!(%addr, error = %err, "the voice menu cannot listen"),
            }
        }
        if settings.take_timeout_secs > 0 {
            tasks.push(tokio::spawn(lapse_takes(
                self.clone(),
                settings.take_timeout_secs,
            )));
        }
        // Several nodes share a PostgreSQL database: their hubs meet on its bus.
        if self.store.backend() == Backend::Postgres {
            let node = bus::Node {
                hub: self.hub.clone(),
                presence: self.presence.clone(),
                staff: self.staff.clone(),
                store: self.store.clone(),
            };
            tasks.extend(bus::start(
                node,
                settings.database_url().expose().to_owned(),
            ));
        }
        tasks
    }

    /// Closes the store's connections once the server has stopped.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// Which database the desk runs on.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }
}

/// Every half second: screens silent for longer than the time-to-live leave, typing signals
/// run out, and whoever follows those tickets hears of it.
async fn sweep_presence(desk: Desk, ttl_secs: u64) {
    let ttl_ms = i64::try_from(ttl_secs.max(1).saturating_mul(1000)).unwrap_or(i64::MAX);
    let mut every = tokio::time::interval(Duration::from_millis(500));
    let mut ticks: u64 = 0;
    loop {
        every.tick().await;
        ticks += 1;
        let changed = desk.presence.sweep(now(), ttl_ms);
        desk.publish_presence(changed);
        desk.publish_availability(desk.staff.sweep(now(), ttl_ms));
        // Every 5 s, the other nodes hear again of this node's screens, so that a node that
        // dies is forgotten after the time-to-live.
        if ticks.is_multiple_of(10) {
            for snapshot in desk.presence.local_all(now()) {
                let topic = hub::Topic::Ticket(snapshot.scope.id);
                desk.hub
                    .publish_remote(topic, HubMsg::Presence(Arc::new(snapshot)));
            }
            let local = desk.staff.local();
            desk.hub.publish_remote(
                Topic::Everyone,
                HubMsg::Availability(Arc::new((Vec::new(), local))),
            );
        }
    }
}

/// Returns unanswered takes to the queue once their member has waited `timeout_secs`,
/// looking four times per timeout (at most every 30 s).
async fn lapse_takes(desk: Desk, timeout_secs: u64) {
    let timeout_ms = i64::try_from(timeout_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let period = Duration::from_millis((timeout_secs.saturating_mul(250)).clamp(250, 30_000));
    let mut every = tokio::time::interval(period);
    loop {
        every.tick().await;
        if let Err(err) = desk.lapse_takes(timeout_ms).await {
            warn!(error = %err, "could not return unanswered takes to the queue");
        }
    }
}

/// Every ten minutes, removes the uploads never attached to a message within `ttl_hours`.
async fn sweep_uploads(store: Store, files: Files, ttl_hours: u64) {
    let ttl_ms = i64::try_from(ttl_hours.saturating_mul(3_600_000)).unwrap_or(i64::MAX);
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        match store.forget_stale_uploads(now() - ttl_ms).await {
            Ok(ids) => {
                for id in &ids {
                    if let Err(err) = files.delete(id).await {
                        warn!(error = %err, "could not remove an unattached upload");
                    }
                }
                if !ids.is_empty() {
                    info!(removed = ids.len(), "unattached uploads removed");
                }
            }
            Err(err) => warn!(error = %err, "could not look for unattached uploads"),
        }
    }
}

/// Removes expired sessions every hour.
async fn purge_sessions(store: Store) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        match store.session_purge(now()).await {
            Ok(n) if n > 0 => info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(err) => warn!(error = %err, "could not remove expired sessions"),
        }
        // Used widget tokens and unconfirmed sign-ups are kept only until they expire.
        if let Err(err) = store.purge_widget_tokens(now()).await {
            warn!(error = %err, "could not forget expired widget tokens");
        }
        if let Err(err) = store.purge_sign_ups(now()).await {
            warn!(error = %err, "could not forget expired sign-ups");
        }
    }
}

/// Every hour: spam older than 30 days goes, with its raw copies.
async fn remove_old_spam(desk: Desk, files: Files) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        match desk.remove_old_spam(&files).await {
            Ok(0) => {}
            Ok(removed) => info!(removed, "old spam removed"),
            Err(err) => warn!(error = %err, "removing old spam failed"),
        }
    }
}

/// Offers due callbacks to agents who became free, and takes back offers not taken in time.
async fn offer_callbacks(desk: Desk) {
    let mut tick = tokio::time::interval(Duration::from_secs(3));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(err) = desk.offer_callbacks(false).await {
            warn!(error = %err, "callbacks could not be offered");
        }
    }
}
