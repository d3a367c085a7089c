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
pub mod http;
pub mod hub;
pub mod presence;
pub mod service;
pub mod store;
pub mod ws;

use std::{future::Future, sync::Arc, time::Duration};

use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::{config::Settings, http::AppState, hub::Hub, service::Desk, store::Store};

/// Connects to the database, brings its schema up to date and assembles the shared state.
pub async fn prepare(settings: Settings) -> Result<AppState, store::Error> {
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
        },
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
