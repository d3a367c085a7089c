//! The desk reporting on itself: whether it is ready to serve, and its metrics page.

use app::protocol::Readiness;

use super::Desk;
use crate::{files::Files, metrics::Page};

impl Desk {
    /// Whether the desk can serve: the database answers, its schema is this build's, files
    /// can be stored.
    pub async fn readiness(&self, files: &Files) -> Readiness {
        let database = self.store.ping().await;
        let migrations = database && matches!(self.store.migrations_current().await, Ok(true));
        let files = match files.writable().await {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "the file store cannot be written");
                false
            }
        };
        Readiness {
            ready: database && migrations && files,
            database,
            migrations,
            files,
        }
    }

    /// The metrics page, in the Prometheus text format.
    pub async fn metrics_page(&self) -> String {
        let mut page = Page::default();
        let activity = self.activity();
        page.gauge(
            "switchboard_sockets_open",
            "WebSocket connections open on this node.",
            activity.sockets.get(),
        );
        page.counter(
            "switchboard_events_total",
            "Ticket events committed and published by this node.",
            activity.events.get(),
        );
        page.histogram(
            "switchboard_command_seconds",
            "How long socket commands took, from read to answer.",
            &activity.commands,
        );
        page.histogram(
            "switchboard_commit_seconds",
            "How long write transactions took to commit durably.",
            self.store.commit_latency(),
        );
        let (dropped, resyncs) = self.hub.losses();
        page.counter(
            "switchboard_hub_dropped_total",
            "Messages not queued to a socket whose queue was full (it resumes from the store).",
            dropped,
        );
        page.counter(
            "switchboard_hub_resyncs_total",
            "Sockets sent back to the store to resume (a full queue, or another node lost).",
            resyncs,
        );
        let backlog = self.store.outbox_backlog().await.unwrap_or(-1);
        page.gauge(
            "switchboard_outbox_backlog",
            "Mails waiting to be handed to the relay (-1: the database did not answer).",
            backlog,
        );
        let (open, idle, max) = self.store.pool_use();
        page.gauges(
            "switchboard_db_connections",
            "Database connections of the pool: in use, idle, and the most it opens.",
            "state",
            &[
                ("in_use", i64::from(open.saturating_sub(idle))),
                ("idle", i64::from(idle)),
                ("max", i64::from(max)),
            ],
        );
        page.gauge(
            "switchboard_writers_waiting",
            "Writes waiting for their turn on SQLite's single writer.",
            i64::try_from(self.store.writers_waiting()).unwrap_or(i64::MAX),
        );
        page.into_text()
    }
}
