//! Switchboard: a self-hosted, real-time support desk in one binary.
//!
//! Transports (`http`, `ws`, `cli`) call use cases (`service`), which check the rules
//! (`domain`), commit through the `store`, keep files in `files` and publish on the `hub`.
//! Nothing below imports anything above. See the README's architecture section.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod diagnostics;
pub mod domain;
pub mod files;
pub mod http;
pub mod hub;
pub mod mail;
pub mod metrics;
pub mod passwords;
pub mod phone;
pub mod secrets;
pub mod service;
pub mod state;
pub mod store;
pub mod ws;

use std::{future::Future, sync::Arc};

use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::{config::Settings, service::Desk, state::AppState, store::Store};

/// Preparing the server failed.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("cannot open the database: {0}")]
    Store(#[from] store::Error),
    #[error("cannot open the file store: {0}")]
    Files(#[from] files::Error),
    #[error("trusted_proxies: {0:?} is not an address or a block of addresses")]
    Proxy(String),
}

/// Connects to the database, brings its schema up to date, opens the file store and
/// assembles the shared state.
pub async fn prepare(settings: Settings) -> Result<AppState, PrepareError> {
    // TLS to S3, mail relays and hooks is signed with ring (the process's one provider).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let proxies = settings.trusted_proxies().map_err(PrepareError::Proxy)?;
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
        .site_pkg_dir(match settings.bundle_version() {
            Some(version) => format!("pkg/{version}"),
            None => "pkg".to_owned(),
        })
        .site_addr(settings.addr)
        .env(Env::PROD)
        .build();
    let file_limits = app::protocol::FileLimits {
        max_file_bytes: settings.max_file_bytes,
        max_message_bytes: settings.max_message_bytes,
    };
    let mut desk = Desk::new(store, file_limits, &settings.limits)
        .with_house_rules(settings.file_types.clone(), settings.language)
        .with_phone(settings.phone.clone())
        .with_diagnostics(settings.diagnostics.clone());
    // Without a key (a data directory it cannot write, say), mailboxes cannot be connected
    // over IMAP; everything else works.
    match secrets::Sealer::load(settings.secret_key.as_ref(), &settings.data_dir) {
        Ok(sealer) => desk = desk.with_sealer(sealer),
        Err(err) => warn!(error = %err, "no secret key: mailboxes cannot be read over IMAP"),
    }
    // Mail out through the settings file's relay, or one an administrator sets in /admin.
    desk = desk.with_mail_out(service::MailOut::new(
        settings.smtp.as_ref(),
        settings.language,
    ));
    Ok(AppState {
        desk,
        files,
        settings: Arc::new(settings),
        proxies: Arc::new(proxies),
        going_away: tokio::sync::watch::Sender::new(false),
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
    let desk = state.desk.clone();
    let mut background = desk.start_background(state.files.clone(), &state.settings);
    if let Some(addr) = state.settings.metrics_addr {
        background.push(tokio::spawn(http::metrics::serve_apart(
            addr,
            state.clone(),
        )));
    }
    if let Ok(addr) = listener.local_addr() {
        info!(%addr, backend = ?desk.backend(), "serving Switchboard");
    }
    let going_away = state.going_away.clone();
    // Quiet connections are let go, but never before a socket's heartbeat would speak.
    let quiet = std::time::Duration::from_secs(
        state
            .settings
            .idle_timeout_secs
            .max(state.settings.heartbeat_secs.saturating_mul(4))
            .max(1),
    );
    let app = http::router(state).into_make_service_with_connect_info::<http::idle::Peer>();
    let listener = http::idle::IdleListener::new(listener, quiet);
    let stopping = {
        let going_away = going_away.clone();
        async move {
            shutdown.await;
            going_away.send_replace(true);
        }
    };
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(stopping)
        .await;
    // The sockets are closing with `1001`; give them a moment to say so.
    let waiting = async {
        while going_away.receiver_count() > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), waiting).await;
    for task in background {
        task.abort();
    }
    desk.close().await;
    result
}
