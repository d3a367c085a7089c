//! What every transport holds: the desk's use cases, the file store, the settings and the
//! page renderer's options. One `Clone` struct of cheap handles; each part locks for itself.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{
    config::{Cidr, Settings},
    files::Files,
    service::Desk,
};

/// Everything a request handler or a socket can reach; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub desk: Desk,
    pub files: Files,
    pub settings: Arc<Settings>,
    /// The reverse proxies whose `X-Forwarded-For` is believed (`settings.trusted_proxies`).
    pub proxies: Arc<Vec<Cidr>>,
    /// Set when the server stops: every socket closes with `1001` so clients reconnect at
    /// once (to this server restarted, or another node).
    pub going_away: tokio::sync::watch::Sender<bool>,
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
