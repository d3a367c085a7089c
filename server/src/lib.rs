//! Switchboard: a self-hosted, real-time support desk in one binary.
//!
//! Transports (`http`, `ws`) call use cases (`service`), which check the rules (`domain`),
//! commit through the `store` and publish on the `hub`. See the README's architecture section.

pub mod admin;
pub mod auth;
pub mod availability;
pub mod bus;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod http;
pub mod hub;
pub mod presence;
pub mod preview;
pub mod service;
pub mod store;
pub mod ws;

use std::{future::Future, sync::Arc, time::Duration};

use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::{config::Settings, http::AppState, hub::Hub, service::Desk, store::Store};

/// Preparing the server failed.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("cannot open the database: {0}")]
    Store(#[from] store::Error),
    #[error("cannot open the file store: {0}")]
    Files(#[from] files::Error),
}

/// Connects to the database, brings its schema up to date, opens the file store and
/// assembles the shared state.
pub async fn prepare(settings: Settings) -> Result<AppState, PrepareError> {
    if settings.database_url.is_none() {
        // The embedded default keeps its database under the data directory.
        if let Err(err) = std::fs::create_dir_all(&settings.data_dir) {
            warn!(error = %err, dir = %settings.data_dir.display(), "cannot create the data directory");
        }
    }
    let store = Store::connect(
        settings.database_url().expose(),
        settings.database_max_connections,
    )
    .await?;
    store.migrate().await?;
    let files = files::Files::open(&settings).await?;
    let leptos = LeptosOptions::builder()
        .output_name("switchboard")
        .site_root(settings.site_dir().to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(settings.addr)
        .env(Env::PROD)
        .build();
    Ok(AppState {
        desk: Desk {
            store,
            hub: Hub::new(),
            presence: presence::Presence::default(),
            staff: availability::Staff::default(),
            file_limits: app::protocol::FileLimits {
                max_file_bytes: settings.max_file_bytes,
                max_message_bytes: settings.max_message_bytes,
            },
        },
        files,
        settings: Arc::new(settings),
        leptos,
    })
}

/// Serves on an already bound `listener` until `shutdown` completes, then finishes the
/// requests in flight. Tests start the server through here on `127.0.0.1:0`.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.desk.store.clone();
    let purge = tokio::spawn(purge_sessions(store.clone()));
    let uploads = tokio::spawn(sweep_uploads(
        store.clone(),
        state.files.clone(),
        state.settings.upload_ttl_hours,
    ));
    let sweep = tokio::spawn(sweep_presence(
        state.desk.clone(),
        state.settings.presence_ttl_secs,
    ));
    // Several nodes share a PostgreSQL database: their hubs meet on its bus.
    let bus = if store.backend() == store::Backend::Postgres {
        bus::start(
            state.desk.clone(),
            state.settings.database_url().expose().to_owned(),
        )
    } else {
        Vec::new()
    };
    if let Ok(addr) = listener.local_addr() {
        info!(%addr, backend = ?store.backend(), "serving Switchboard");
    }
    let app = http::router(state);
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    purge.abort();
    uploads.abort();
    sweep.abort();
    for task in bus {
        task.abort();
    }
    store.close().await;
    result
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
        let changed = desk.presence.sweep(service::now(), ttl_ms);
        desk.publish_presence(changed);
        desk.publish_availability(desk.staff.sweep(service::now(), ttl_ms));
        // Every 5 s, the other nodes hear again of this node's screens, so that a node that
        // dies is forgotten after the time-to-live.
        if ticks.is_multiple_of(10) {
            for snapshot in desk.presence.local_all(service::now()) {
                let topic = hub::Topic::Ticket(snapshot.scope.id);
                desk.hub
                    .publish_remote(topic, hub::HubMsg::Presence(Arc::new(snapshot)));
            }
            let local = desk.staff.local();
            desk.hub.publish_remote(
                hub::Topic::Everyone,
                hub::HubMsg::Availability(Arc::new((Vec::new(), local))),
            );
        }
    }
}

/// Every ten minutes, removes the uploads never attached to a message within `ttl_hours`.
async fn sweep_uploads(store: Store, files: files::Files, ttl_hours: u64) {
    let ttl_ms = i64::try_from(ttl_hours.saturating_mul(3_600_000)).unwrap_or(i64::MAX);
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        match store.forget_stale_uploads(service::now() - ttl_ms).await {
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
        match store.session_purge(service::now()).await {
            Ok(n) if n > 0 => info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(err) => warn!(error = %err, "could not remove expired sessions"),
        }
    }
}
