//! Who is asking: signing in, the person behind a session, whether a session still lives.

use app::protocol::{DepartmentId, UserId};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    auth::{self, StoreSessions},
    clock::now,
    domain::Viewer,
    store,
};

impl Desk {
    /// The person with this email when the password is theirs. Every attempt costs one
    /// password hash, whether or not the email is known, so timing tells nothing.
    #[instrument(skip_all)]
    pub async fn check_credentials(&self, email: &str, password: &str) -> Result<Option<UserId>> {
        Ok(auth::check_credentials(&self.store, email, password).await?)
    }

    /// The person `id` as permissions see them now; `None` when they no longer exist.
    pub async fn viewer(&self, id: UserId) -> Result<Option<Viewer>> {
        match self.store.viewer(id).await {
            Ok(viewer) => Ok(Some(viewer)),
            Err(store::Error::NotFound) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Whether the session `id` still exists (a logout anywhere ends it).
    pub async fn session_exists(&self, id: &str) -> Result<bool> {
        Ok(self.store.session_load(id, now()).await?.is_some())
    }

    /// Sessions as tower-sessions keeps them, in this desk's store.
    pub fn sessions(&self) -> StoreSessions {
        StoreSessions::new(self.store.clone())
    }

    /// Every department's id (moderators and administrators watch them all).
    pub async fn all_departments(&self) -> Result<Vec<DepartmentId>> {
        Ok(self
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect())
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        self.store.ping().await
    }
}
