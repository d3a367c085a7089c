//! Files: an upload recorded for its uploader, cancelled by them, and fetched by whoever may
//! see it (decided in `domain::audience`).

use app::protocol::UploadedFile;
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, FileScope, Viewer},
    files::is_id,
    store::{self, FileRecord},
};

impl Desk {
    /// Records a stored upload as `viewer`'s, not yet sent with any message.
    #[instrument(skip_all)]
    pub async fn record_upload(&self, viewer: &Viewer, file: &UploadedFile) -> Result<()> {
        Ok(self.store.record_upload(file, viewer.id, now()).await?)
    }

    /// The uploader takes back a file not sent with anything; `FileNotFound` for any other.
    #[instrument(skip_all)]
    pub async fn cancel_upload(&self, viewer: &Viewer, id: &str) -> Result<()> {
        if is_id(id) && self.store.forget_upload(id, viewer.id).await? {
            Ok(())
        } else {
            Err(domain::Error::FileNotFound.into())
        }
    }

    /// File `id` when `viewer` may fetch it (or its preview); `FileNotFound` otherwise, which
    /// does not confirm that it exists — to someone signed out no more than to anyone else.
    #[instrument(skip_all)]
    pub async fn readable_file(&self, viewer: Option<&Viewer>, id: &str) -> Result<FileRecord> {
        let not_found = || domain::Error::FileNotFound.into();
        if viewer.is_none() || !is_id(id) {
            return Err(not_found());
        }
        let record = match self.store.file(id).await {
            Ok(record) => record,
            Err(store::Error::NotFound) => return Err(not_found()),
            Err(err) => return Err(err.into()),
        };
        let ticket = match record.ticket {
            None => None,
            Some(ticket) => match self.store.ticket(ticket).await {
                Ok(ticket) => Some(ticket.scope),
                Err(store::Error::NotFound) => return Err(not_found()),
                Err(err) => return Err(err.into()),
            },
        };
        let scope = FileScope {
            uploader: record.uploader,
            ticket,
            hidden: record.hidden,
        };
        if domain::may_fetch_file(viewer, &scope) {
            Ok(record)
        } else {
            Err(not_found())
        }
    }
}
