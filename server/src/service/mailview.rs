//! A mail as it came, for staff who may see where it went: its headers and whole text, its
//! HTML sanitised, and the pictures it carries inline; and their verdict on it, spam or
//! not, which the filter learns at once. To anyone else it does not exist.

use app::protocol::{ClientMsgId, MailView, TicketId};
use tracing::instrument;

use super::{Desk, Result, incoming::no_such_mail};
use crate::{
    domain::{self, Viewer, spam},
    files::Files,
    mail::show::{self, Remote, Shown},
    store::{self, Learned, MailPlace},
};

/// Where inline picture `n` of mail `id` is served.
fn picture_url(id: i64, n: usize) -> String {
    format!("/api/mails/{id}/pictures/{n}")
}

impl Desk {
    /// Mail `id` when `viewer` may read it.
    async fn readable_mail(&self, viewer: &Viewer, id: i64) -> Result<MailPlace> {
        let place = match self.store.mail_place(id).await {
            Ok(place) => place,
            Err(store::Error::NotFound) => return Err(no_such_mail()),
            Err(err) => return Err(err.into()),
        };
        let ticket = match place.in_ticket() {
            Some(ticket) => match self.store.ticket(ticket).await {
                Ok(record) => Some(record.scope),
                Err(store::Error::NotFound) => return Err(no_such_mail()),
                Err(err) => return Err(err.into()),
            },
            None => None,
        };
        if domain::may_read_mail(viewer, place.department_id, ticket.as_ref()) {
            Ok(place)
        } else {
            Err(no_such_mail())
        }
    }

    /// Mail `place` read for showing (what was kept of it when its raw copy is gone or
    /// unreadable).
    async fn shown(&self, files: &Files, place: &MailPlace, remote: Remote) -> Result<Shown> {
        let raw = match &place.raw_file {
            Some(file) => Some(files.read(file).await?),
            None => None,
        };
        let id = place.id;
        let shown = raw.and_then(|raw| show::show(&raw, |n| picture_url(id, n), remote).ok());
        Ok(shown.unwrap_or_else(|| Shown {
            from: format!("{} <{}>", place.from_name, place.from_address),
            to: Vec::new(),
            cc: Vec::new(),
            sent_at: None,
            subject: place.subject.clone(),
            text: place.body.clone(),
            html: None,
            remote_images: 0,
            files: Vec::new(),
        }))
    }

    /// Mail `id` as it came, for `viewer`.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn mail_view(&self, viewer: &Viewer, files: &Files, id: i64) -> Result<MailView> {
        let place = self.readable_mail(viewer, id).await?;
        let shown = self.shown(files, &place, Remote::Blocked).await?;
        Ok(MailView {
            id,
            from: shown.from,
            to: shown.to,
            cc: shown.cc,
            sent_at: shown.sent_at,
            received_at: place.received_at,
            subject: shown.subject,
            text: shown.text,
            has_html: shown.html.is_some(),
            remote_images: shown.remote_images,
            files: shown.files,
            ticket_id: place.in_ticket(),
            reason: place.reason,
            spam: place.learned == Some(Learned::Spam),
        })
    }

    /// Staff mark mail `id` spam (`true`) or not spam: the filter learns it at once. Mail
    /// waiting in Incoming moves to the Spam folder or out of it; mail in a ticket stays
    /// where it is (the ticket is closed as any other).
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn judge_mail(&self, viewer: &Viewer, id: i64, is_spam: bool) -> Result<()> {
        let place = self.readable_mail(viewer, id).await?;
        if place.reason.is_some() {
            return self.mark_spam(viewer, id, is_spam).await;
        }
        let words = spam::words(&place.from_address, &place.subject, &place.body);
        let learned = if is_spam { Learned::Spam } else { Learned::Ham };
        Ok(self.store.learn_mail(id, &words, learned).await?)
    }

    /// The sanitised HTML of mail `id` (its text, escaped, when it has none), images from
    /// the internet kept only when `remote` says so.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn mail_html(
        &self,
        viewer: &Viewer,
        files: &Files,
        id: i64,
        remote: Remote,
    ) -> Result<String> {
        let place = self.readable_mail(viewer, id).await?;
        let shown = self.shown(files, &place, remote).await?;
        Ok(shown.html.unwrap_or_else(|| {
            format!(
                "<pre>{}</pre>",
                crate::mail::compose::escape_html(&shown.text)
            )
        }))
    }

    /// Inline picture `n` of mail `id`: its media type and bytes.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn mail_picture(
        &self,
        viewer: &Viewer,
        files: &Files,
        id: i64,
        n: usize,
    ) -> Result<(String, Vec<u8>)> {
        let place = self.readable_mail(viewer, id).await?;
        let raw = match &place.raw_file {
            Some(file) => files.read(file).await?,
            None => return Err(no_such_mail()),
        };
        show::picture(&raw, n).ok_or_else(no_such_mail)
    }

    /// The mail message `client_msg_id` of `ticket` came as, when `viewer` may read it.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn mail_of_message(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        client_msg_id: &ClientMsgId,
    ) -> Result<i64> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !domain::may_read_mail(viewer, record.scope.department_id, Some(&record.scope)) {
            return Err(no_such_mail());
        }
        let wanted = client_msg_id.as_str();
        let mails = self.store.ticket_mails(ticket).await?;
        mails
            .into_iter()
            .find(|(id, message_id)| {
                wanted == format!("incoming-{id}")
                    || wanted == super::mail::client_id(message_id).as_str()
            })
            .map(|(id, _)| id)
            .ok_or_else(no_such_mail)
    }
}
