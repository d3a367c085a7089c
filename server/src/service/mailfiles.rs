//! The files a mail carries — attachments and inline pictures — taken in through the same
//! path as the widget's uploads: the same size limit and accepted types told from the bytes,
//! previews for pictures, recorded as the member's, seen by whoever may see the ticket.
//! What cannot be taken is named in the message; the raw mail keeps it all the same.

use app::{
    i18n::{self, Lang},
    protocol::UploadedFile,
};
use bytes::Bytes;
use futures_util::stream;

use super::{Desk, Result};
use crate::{domain::Viewer, files::Files, mail::MailFile};

impl Desk {
    /// Stores `attached` as files `member` sent; their ids, and a line for the message
    /// naming each file that could not be taken, and why (in `lang`).
    pub(super) async fn keep_mail_files(
        &self,
        files: &Files,
        member: &Viewer,
        attached: &[MailFile],
        lang: Lang,
    ) -> Result<(Vec<String>, Vec<String>)> {
        let max = self.file_limits.max_file_bytes;
        let mut ids = Vec::new();
        let mut left = Vec::new();
        let mut total = 0u64;
        for file in attached {
            let size = file.bytes.len() as u64;
            let refused = |key: &'static str| {
                i18n::text(
                    lang,
                    key,
                    &[
                        ("name", file.name.clone().into()),
                        ("mb", (max / (1024 * 1024)).to_string().into()),
                    ],
                )
            };
            total += size;
            if total > self.file_limits.max_message_bytes {
                left.push(refused("mail-file-too-many"));
                continue;
            }
            let mut body = stream::iter([Ok::<Bytes, std::convert::Infallible>(Bytes::from(
                file.bytes.clone(),
            ))]);
            let stored = match files
                .put(&mut body, max, |t| {
                    crate::config::accepts_file_type(&self.file_types, t)
                })
                .await
            {
                Ok(stored) => stored,
                Err(crate::files::Error::TooLarge(_)) => {
                    left.push(refused("mail-file-too-large"));
                    continue;
                }
                Err(crate::files::Error::Refused(_) | crate::files::Error::Empty) => {
                    left.push(refused("mail-file-refused"));
                    continue;
                }
                Err(err) => return Err(err.into()),
            };
            // A picture that cannot be previewed is kept all the same, without one.
            let picture = files.make_preview(&stored).await.unwrap_or_default();
            let uploaded = UploadedFile {
                id: stored.id,
                name: file.name.clone(),
                size: stored.size,
                content_type: stored.content_type.into(),
                sha256: stored.sha256,
                picture,
            };
            self.record_upload(member, &uploaded).await?;
            ids.push(uploaded.id);
        }
        Ok((ids, left))
    }
}
