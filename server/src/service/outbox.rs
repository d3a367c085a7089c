//! Mail out, exactly once. A staff answer on a ticket that came by mail is written to the
//! outbox in the same transaction as the message itself; the sender claims it, talks to the
//! relay, and records — just before the data's final dot — that the relay is about to hold
//! it. A node killed before that point leaves a mail the relay drops, sent again once its
//! lease ends; killed after it, a mail counted sent and never sent twice. A refusal the
//! relay gives, or a bounce that comes back later, shows on the ticket.

use std::{sync::Arc, time::Duration};

use app::{
    i18n::{self, Lang},
    protocol::{EventKind, MailRelay, MailReplies, Seq, TicketId, UploadedFile},
};
use futures_util::TryStreamExt;
use password_hash::rand_core::{OsRng, RngCore};
use tokio::sync::Notify;
use tracing::{info, instrument, warn};

use super::{Desk, Result};
use crate::{
    clock::now,
    config::{Secret, SmtpSettings},
    domain::{TicketRecord, Viewer, hex, mail as rules},
    files::Files,
    mail::{
        compose::{self, Attachment, Outgoing},
        smtp::{self, Delivery, Failure, Relay},
    },
    store::{self, Claimed, EventDraft, OutMail},
};

/// An hour, in milliseconds.
const HOUR: i64 = 3_600_000;
/// How long a mail over the per-address limit waits before it is tried again.
const OVER_LIMIT_WAIT: i64 = 10 * 60_000;
/// How often the sender looks for due mail when nothing woke it.
const TICK: Duration = Duration::from_secs(1);

/// Where mail leaves through: the relay, the address answers come from when a department
/// has no mailbox, and where bounces go.
pub struct Route {
    relay: Relay,
    pub(super) from: String,
    bounces_to: Option<String>,
}

/// How mail leaves this desk.
pub struct MailOut {
    /// The settings file's relay, if it names one: used while none is set in `/admin`.
    configured: Option<Arc<Route>>,
    /// The relay in use now (`None`: mail out is not set up, and nothing is queued).
    route: std::sync::RwLock<Option<Arc<Route>>>,
    /// The name this desk gives itself to a relay set in `/admin`, when the settings give one.
    helo: Option<String>,
    step_timeout: Duration,
    lease_ms: i64,
    per_address_hour: i64,
    /// How long a digest waits for more answers (and for its member to read them).
    digest_wait_ms: i64,
    /// The language of mail to members who chose none: the desk's.
    language: Lang,
    /// Rung when a mail was queued, so that it goes at once.
    wake: Notify,
}

impl MailOut {
    /// Mail out tuned as `settings` say (the defaults without), through their relay when
    /// they name one (a relay set in `/admin` takes its place).
    pub fn new(settings: Option<&SmtpSettings>, language: Lang) -> Arc<Self> {
        let defaults = SmtpSettings::default();
        let configured = settings.filter(|s| !s.host.is_empty());
        let settings = settings.unwrap_or(&defaults);
        let helo = settings.helo.clone().filter(|h| !h.is_empty());
        let step_timeout = Duration::from_secs(settings.step_timeout_secs.max(1));
        let configured = configured.map(|settings| {
            Arc::new(route(
                MailRelay {
                    host: settings.host.clone(),
                    port: settings.port,
                    security: settings.security,
                    user: settings.user.clone().filter(|u| !u.is_empty()),
                    has_password: settings.password.is_some(),
                    from: settings.from.clone(),
                    bounces_to: settings.bounces_to.clone().filter(|b| !b.is_empty()),
                },
                settings.password.clone(),
                helo.as_deref(),
                step_timeout,
            ))
        });
        Arc::new(Self {
            route: std::sync::RwLock::new(configured.clone()),
            configured,
            helo,
            step_timeout,
            lease_ms: i64::try_from(settings.lease_secs.max(1))
                .unwrap_or(600)
                .saturating_mul(1000),
            per_address_hour: settings.per_address_hour.max(1),
            digest_wait_ms: i64::try_from(settings.digest_wait_secs)
                .unwrap_or(120)
                .saturating_mul(1000),
            language,
            wake: Notify::new(),
        })
    }

    /// The relay in use now.
    pub(super) fn route(&self) -> Option<Arc<Route>> {
        self.route.read().map(|r| r.clone()).unwrap_or_default()
    }

    /// The language of mail to members who chose none.
    pub(super) fn language(&self) -> Lang {
        self.language
    }

    /// The settings file's relay, as `host:port`.
    pub fn configured(&self) -> Option<String> {
        self.configured
            .as_ref()
            .map(|r| format!("{}:{}", r.relay.host, r.relay.port))
    }
}

/// A route through `relay`, signing in with `password`.
fn route(
    relay: MailRelay,
    password: Option<Secret>,
    helo: Option<&str>,
    step_timeout: Duration,
) -> Route {
    let domain = relay.from.rsplit_once('@').map(|(_, d)| d.to_owned());
    Route {
        relay: Relay {
            host: relay.host,
            port: relay.port,
            security: relay.security,
            user: relay.user,
            password,
            helo: helo
                .map(str::to_owned)
                .or(domain)
                .unwrap_or_else(|| "localhost".into()),
            step_timeout,
        },
        from: relay.from,
        bounces_to: relay.bounces_to,
    }
}

impl Route {
    /// The address a mail goes from: `own` (a mailbox's), else the desk's; `None` with
    /// neither.
    pub(super) fn sender(&self, own: Option<String>) -> Option<String> {
        own.or_else(|| (!self.from.is_empty()).then(|| self.from.clone()))
    }

    /// Sends `mail` to `to` at once, outside the outbox: a mail that belongs to no ticket
    /// and is worth nothing once its moment has passed (a sign-up's link). The reason when
    /// the relay would not take it.
    pub(super) async fn send_now(
        &self,
        to: &str,
        mail: &Outgoing<'_>,
    ) -> std::result::Result<(), String> {
        let data = compose::compose(mail);
        let sender = self.bounces_to.as_deref().unwrap_or(&self.from);
        match smtp::deliver(&self.relay, sender, to, &data, || async { true }).await {
            Ok(_) | Err(Failure::Unconfirmed(_)) => Ok(()),
            Err(Failure::Temporary(why) | Failure::Permanent(why)) => Err(why),
        }
    }
}

/// How often a node looks again at the relay set in `/admin` (another node may change it).
const ROUTE_CHECK_MS: i64 = 10_000;

/// A Message-ID of ours: the ticket, something no one can guess, and our domain.
pub(super) fn message_id(ticket: TicketId, from: &str) -> String {
    let mut random = [0u8; 12];
    OsRng.fill_bytes(&mut random);
    let domain = from
        .rsplit_once('@')
        .map_or("switchboard.invalid", |(_, d)| d);
    format!("sb.{}.{}@{domain}", ticket.0, hex(&random))
}

impl Desk {
    /// The mail that a message `author` writes in `record` sends its member, complete but for
    /// the message itself; `None` when it sends none (see [`rules::mailed`]) or mail out is
    /// not set up.
    pub(super) async fn reply_mail(
        &self,
        record: &TicketRecord,
        author: &Viewer,
        hidden: bool,
    ) -> Result<Option<OutMail>> {
        let Some(out) = &self.mail_out else {
            return Ok(None);
        };
        let Some(route) = out.route() else {
            return Ok(None);
        };
        if hidden || !author.role.is_staff() {
            return Ok(None);
        }
        let ticket = record.scope.id;
        let (member_address, member_name, language, prefers) =
            self.store.mail_contact(record.scope.member_id).await?;
        let summary = &record.summary;
        let Some(mailing) = rules::mailing(
            summary.channel,
            summary.answer_by,
            author.role,
            hidden,
            prefers,
        ) else {
            return Ok(None);
        };
        let digest = mailing == rules::Mailing::Digest;
        let language = language.unwrap_or(out.language);
        let Some(from) = route.sender(self.store.reply_address(ticket).await?) else {
            return Ok(None);
        };
        let (mut references, theirs) = self.store.mail_ids(ticket).await?;
        // The first and the newest ones carry a thread; a long one is not carried whole.
        if references.len() > 10 {
            references.drain(1..references.len() - 9);
        }
        let in_reply_to = theirs.or_else(|| references.last().cloned());
        let subject = if digest {
            i18n::text(
                language,
                "mail-digest-subject",
                &[
                    ("subject", record.summary.subject.clone().into()),
                    ("ticket", ticket.0.to_string().into()),
                ],
            )
        } else if rules::ticket_in_subject(&record.summary.subject) == Some(ticket) {
            record.summary.subject.clone()
        } else {
            i18n::text(
                language,
                "mail-reply-subject",
                &[
                    ("subject", record.summary.subject.clone().into()),
                    ("ticket", ticket.0.to_string().into()),
                ],
            )
        };
        Ok(Some(OutMail {
            ticket,
            seq: Seq(0),
            message_id: message_id(ticket, &from),
            in_reply_to,
            references,
            from_address: from,
            from_name: record.summary.department.name.clone(),
            to_address: member_address,
            to_name: member_name,
            subject,
            body: String::new(),
            files: Vec::new(),
            language,
            // A digest is the desk writing by itself; an answer is a person's.
            automatic: digest,
            digest,
        }))
    }

    /// Takes up the relay set in `/admin` (or, when none is, the settings file's).
    pub(super) async fn reroute(&self) -> Result<()> {
        let Some(out) = &self.mail_out else {
            return Ok(());
        };
        let route = match self.store.mail_relay().await? {
            Some((relay, sealed)) => {
                let password = match (sealed, &self.sealer) {
                    (Some(sealed), Some(sealer)) => {
                        match sealer.open(&sealed, super::relay::SEALED_FOR) {
                            Ok(password) => Some(password),
                            Err(err) => {
                                warn!(error = %err, "the relay's password cannot be opened");
                                None
                            }
                        }
                    }
                    _ => None,
                };
                Some(Arc::new(route(
                    relay,
                    password,
                    out.helo.as_deref(),
                    out.step_timeout,
                )))
            }
            None => out.configured.clone(),
        };
        if let Ok(mut current) = out.route.write() {
            *current = route;
        }
        Ok(())
    }

    /// When a mail of this kind is due, queued `now`: an answer at once, a digest after the
    /// wait that lets a burst of answers go as one (and a member in the widget read them).
    pub(super) fn mail_due(&self, mail: &OutMail, now: i64) -> i64 {
        match &self.mail_out {
            Some(out) if mail.digest => now + out.digest_wait_ms,
            _ => now,
        }
    }

    /// Wakes the sender: a mail was queued.
    pub(super) fn mail_queued(&self) {
        if let Some(out) = &self.mail_out {
            out.wake.notify_one();
        }
    }

    /// Sends the mail due, one at a time, until none is; how many were tried.
    #[instrument(skip_all)]
    pub async fn send_due_mail(&self, files: &Files) -> Result<usize> {
        let Some(out) = self.mail_out.clone() else {
            return Ok(0);
        };
        let Some(route) = out.route() else {
            return Ok(0);
        };
        if !self.store.mail_waiting(now()).await? {
            return Ok(0);
        }
        let (again, settled) = self.store.recover_mail(now()).await?;
        if again + settled > 0 {
            info!(again, settled, "mail held by a stopped sender recovered");
        }
        let mut tried = 0;
        loop {
            let at = now();
            let Some(claimed) = self.store.claim_mail(at, at + out.lease_ms).await? else {
                return Ok(tried);
            };
            tried += 1;
            self.send_one(&out, &route, files, claimed).await?;
        }
    }

    async fn send_one(
        &self,
        out: &MailOut,
        route: &Route,
        files: &Files,
        claimed: Claimed,
    ) -> Result<()> {
        let Claimed {
            id,
            attempts,
            mut mail,
        } = claimed;
        if mail.digest && !self.fill_digest(id, &mut mail).await? {
            return Ok(());
        }
        let recent = self
            .store
            .mail_to_since(&mail.to_address, now() - HOUR)
            .await?;
        if recent > out.per_address_hour {
            warn!(
                mail = id,
                "too many mails to one address this hour: this one waits"
            );
            self.store
                .postpone_mail(
                    id,
                    now() + OVER_LIMIT_WAIT,
                    "too many mails to this address",
                )
                .await?;
            return Ok(());
        }
        let attachments = match read_files(files, &mail.files).await {
            Ok(attachments) => attachments,
            Err(why) => {
                self.retry_or_fail(id, attempts, &mail, &why).await?;
                return Ok(());
            }
        };
        let text = text_of(&mail);
        let footer = footer_of(&mail);
        let html = compose::html_of(&mail.body, &footer);
        let data = compose::compose(&Outgoing {
            from_name: &mail.from_name,
            from_address: &mail.from_address,
            to_name: &mail.to_name,
            to_address: &mail.to_address,
            subject: &mail.subject,
            message_id: &mail.message_id,
            in_reply_to: mail.in_reply_to.as_deref(),
            references: &mail.references,
            date_ms: now(),
            text: &text,
            html: &html,
            automatic: mail.automatic,
            attachments: &attachments,
        });
        let sender = route.bounces_to.as_deref().unwrap_or(&mail.from_address);
        let store = &self.store;
        let delivered = smtp::deliver(&route.relay, sender, &mail.to_address, &data, || async {
            store.mark_committing(id, now()).await.unwrap_or(false)
        })
        .await;
        match delivered {
            Ok(Delivery::Accepted) => {
                self.store.mark_sent(id, now(), None).await?;
            }
            // The lease ran out meanwhile: whoever holds the mail now sends it.
            Ok(Delivery::Withheld) => {}
            Err(Failure::Unconfirmed(why)) => {
                warn!(mail = id, %why, "the relay's answer to a mail never came: counted sent");
                self.store
                    .mark_sent(id, now(), Some(&format!("unconfirmed: {why}")))
                    .await?;
            }
            Err(Failure::Temporary(why)) => self.retry_or_fail(id, attempts, &mail, &why).await?,
            Err(Failure::Permanent(why)) => self.undelivered(id, &mail, &why).await?,
        }
        Ok(())
    }

    /// Makes digest `id`'s text from the answers its member has not had — not read in the
    /// widget (unless they want every answer by mail), not in an earlier digest; false when
    /// there are none (the member read them, or changed their mind): then it is not sent.
    async fn fill_digest(&self, id: i64, mail: &mut OutMail) -> Result<bool> {
        let (_, _, _, prefers) = self
            .store
            .mail_contact(self.store.ticket(mail.ticket).await?.scope.member_id)
            .await?;
        let mut after = self.store.digested_to(mail.ticket).await?;
        if prefers == MailReplies::Away {
            after = after.max(self.store.member_read(mail.ticket).await?);
        }
        let answers = if prefers == MailReplies::Never {
            Vec::new()
        } else {
            self.store.answers_after(mail.ticket, after).await?
        };
        let Some(last) = answers.last().and_then(|a| a.public_seq) else {
            self.store
                .mark_sent(id, now(), Some("nothing to send: read in the widget"))
                .await?;
            return Ok(false);
        };
        let mut text = Vec::new();
        let mut files = Vec::new();
        for answer in &answers {
            if let EventKind::Message {
                body, attachments, ..
            } = &answer.kind
            {
                let who = answer.author.as_ref().map_or("", |a| a.name.as_str());
                text.push(format!("{who}:\n{}", body.trim_end()));
                files.extend(attachments.iter().cloned());
            }
        }
        mail.body = text.join("\n\n");
        mail.files = files;
        mail.seq = last;
        self.store
            .fill_digest(id, &mail.body, &mail.files, last)
            .await?;
        Ok(true)
    }

    async fn retry_or_fail(&self, id: i64, attempts: i64, mail: &OutMail, why: &str) -> Result<()> {
        match rules::retry_after_ms(attempts) {
            Some(wait) => {
                warn!(mail = id, attempts, %why, "mail not sent yet: tried again later");
                self.store.postpone_mail(id, now() + wait, why).await?;
                Ok(())
            }
            None => self.undelivered(id, mail, why).await,
        }
    }

    /// Mail `id` will never be delivered: the ticket says so to staff, under the message.
    pub(super) async fn undelivered(&self, id: i64, mail: &OutMail, why: &str) -> Result<()> {
        if !self.store.fail_mail(id, now(), why).await? {
            return Ok(());
        }
        self.note_undelivered(mail.ticket, mail.seq, mail.digest, &mail.to_address, why)
            .await?;
        Ok(())
    }

    /// Adds "not delivered" to `ticket` for its message `seq` (of a digest: the member's
    /// number of its last answer, named to staff by theirs); the event's number.
    pub(super) async fn note_undelivered(
        &self,
        ticket: TicketId,
        seq: Seq,
        digest: bool,
        to: &str,
        why: &str,
    ) -> Result<Seq> {
        let seq = if digest {
            self.store.staff_seq(ticket, seq).await?.unwrap_or(seq)
        } else {
            seq
        };
        let author = match self.store.event_at(ticket, seq).await {
            Ok(message) => message.author,
            Err(store::Error::NotFound) => None,
            Err(err) => return Err(err.into()),
        };
        let author = match author {
            Some(author) => author,
            None => self.store.ticket(ticket).await?.summary.member.clone(),
        };
        let mut w = self.store.begin_write().await?;
        w.lock_ticket(ticket).await?;
        let event = EventDraft {
            author,
            kind: EventKind::Undelivered {
                message_seq: seq,
                to: to.to_owned(),
                reason: why.chars().take(500).collect(),
            },
            client_msg_id: None,
            ref_public_seq: None,
        };
        let event = w.append_event(ticket, event, now()).await?;
        w.commit().await?;
        let at = event.seq;
        self.publish(vec![event], None).await;
        Ok(at)
    }
}

/// The files of a mail, read whole from the store.
async fn read_files(files: &Files, list: &[UploadedFile]) -> Result<Vec<Attachment>, String> {
    let mut out = Vec::with_capacity(list.len());
    for file in list {
        let stream = files
            .get(&file.id, file.size)
            .await
            .map_err(|e| format!("reading file {}: {e}", file.id))?;
        let chunks: Vec<bytes::Bytes> = stream
            .try_collect()
            .await
            .map_err(|e| format!("reading file {}: {e}", file.id))?;
        out.push(Attachment {
            name: file.name.clone(),
            content_type: file.content_type.clone(),
            bytes: chunks.concat(),
        });
    }
    Ok(out)
}

fn footer_of(mail: &OutMail) -> String {
    i18n::text(
        mail.language,
        "mail-reply-footer",
        &[
            ("department", mail.from_name.clone().into()),
            ("ticket", mail.ticket.0.to_string().into()),
        ],
    )
}

/// The plain text of a mail: the message, then who and how to answer.
fn text_of(mail: &OutMail) -> String {
    format!("{}\n\n-- \n{}\n", mail.body.trim_end(), footer_of(mail))
}

/// Every second, or at once when woken: sends what is due.
pub(super) async fn sender(desk: Desk, files: Files) {
    let Some(out) = desk.mail_out.clone() else {
        return;
    };
    let mut route_checked = 0;
    loop {
        if now() - route_checked >= ROUTE_CHECK_MS {
            route_checked = now();
            if let Err(err) = desk.reroute().await {
                warn!(error = %err, "could not read the relay set in /admin");
            }
        }
        if let Err(err) = desk.send_due_mail(&files).await {
            warn!(error = %err, "sending mail failed; trying again shortly");
        }
        tokio::select! {
            () = out.wake.notified() => {}
            () = tokio::time::sleep(TICK) => {}
        }
    }
}
