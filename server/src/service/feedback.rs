//! The feedback form: its fields checked against what the desk offers and what the member
//! has, and the mail that confirms it came.

use app::{
    i18n::{self, Lang},
    protocol::{
        AnswerBy, DepartmentId, FeedbackFields, FeedbackForm, OptionKind, OptionRef, Seq, TicketId,
        UserId,
    },
};

use super::{Desk, Result, outbox::message_id};
use crate::{
    domain::{self, Reason},
    store::OutMail,
};

/// Where a form's confirmation goes, and in which language: all of its mail but the ticket.
pub(super) struct Confirmation {
    from: String,
    to_address: String,
    to_name: String,
    language: Lang,
}

impl Confirmation {
    /// The mail confirming `ticket` (`subject`, its first message `seq` saying `body`) came.
    pub(super) fn mail(
        self,
        ticket: TicketId,
        seq: Seq,
        subject: &str,
        department: &str,
        answer_by: AnswerBy,
    ) -> OutMail {
        let lang = self.language;
        let ticket_arg = ticket.0.to_string();
        let how = answer_by.as_str();
        OutMail {
            ticket,
            seq,
            message_id: message_id(ticket, &self.from),
            in_reply_to: None,
            references: Vec::new(),
            from_address: self.from,
            from_name: department.to_owned(),
            to_address: self.to_address,
            subject: i18n::text(
                lang,
                "mail-form-received-subject",
                &[
                    ("subject", subject.into()),
                    ("ticket", ticket_arg.clone().into()),
                ],
            ),
            body: i18n::text(
                lang,
                "mail-form-received",
                &[
                    ("name", self.to_name.clone().into()),
                    ("subject", subject.into()),
                    ("ticket", ticket_arg.into()),
                    ("how", how.into()),
                ],
            ),
            to_name: self.to_name,
            files: Vec::new(),
            language: lang,
            automatic: true,
            digest: false,
        }
    }
}

fn invalid(field: &'static str, reason: Reason) -> super::Error {
    domain::Error::Invalid { field, reason }.into()
}

impl Desk {
    /// The form `member` filled in, each field checked: a service of their own, a category
    /// and a criticality among those offered, and an address to mail when they want mail.
    pub(super) async fn feedback_form(
        &self,
        member: UserId,
        fields: &FeedbackFields,
    ) -> Result<FeedbackForm> {
        let service = match &fields.service {
            None => None,
            Some(id) => Some(
                self.store
                    .member_services(member)
                    .await?
                    .into_iter()
                    .find(|s| &s.id == id)
                    .ok_or_else(|| invalid("service", Reason::new("invalid-not-your-service")))?,
            ),
        };
        let offered = self.store.ticket_options(false).await?;
        let pick = |kind: OptionKind, field: &'static str, id: Option<app::protocol::OptionId>| {
            id.map(|id| {
                offered
                    .iter()
                    .find(|o| o.id == id && o.kind == kind)
                    .map(|o| OptionRef {
                        id: o.id,
                        label: o.label.clone(),
                    })
                    .ok_or_else(|| {
                        invalid(
                            field,
                            Reason::new("invalid-no-such-option")
                                .with("kind", kind.key())
                                .with("id", id.0),
                        )
                    })
            })
            .transpose()
        };
        let category = pick(OptionKind::Category, "category", fields.category)?;
        let criticality = pick(OptionKind::Criticality, "criticality", fields.criticality)?;
        self.check_answer_by(member, fields.answer_by).await?;
        Ok(FeedbackForm {
            service,
            category,
            criticality,
            answer_by: fields.answer_by,
        })
    }

    /// Where the confirmation of `member`'s form to `department` goes, from the
    /// department's mailbox (else the desk's address); `None` when mail out is not set up.
    pub(super) async fn confirmation(
        &self,
        member: UserId,
        department: DepartmentId,
    ) -> Result<Option<Confirmation>> {
        let Some(out) = &self.mail_out else {
            return Ok(None);
        };
        let Some(route) = out.route() else {
            return Ok(None);
        };
        let Some(from) = route.sender(self.store.department_address(department).await?) else {
            return Ok(None);
        };
        let (to_address, to_name, language, _) = self.store.mail_contact(member).await?;
        Ok(Some(Confirmation {
            from,
            to_address,
            to_name,
            language: language.unwrap_or(out.language()),
        }))
    }
}
