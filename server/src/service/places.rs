//! Where members stand: their new tickets' places in line with an estimate of the wait,
//! and how they want a ticket answered.

use std::collections::HashMap;

use app::protocol::{AnswerBy, DepartmentId, QueuePlace, Role, TicketId, UserId};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    clock::now,
    domain::{self, Reason, Viewer, calls::deliverable, places},
};

impl Desk {
    /// Where `viewer`'s tickets that wait for their first answer stand in their
    /// departments' lines (a member's; nobody else waits in line).
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn queue_places(&self, viewer: &Viewer) -> Result<Vec<QueuePlace>> {
        if viewer.role != Role::Member {
            return Ok(Vec::new());
        }
        let waiting = self.store.waiting_of(viewer.id).await?;
        let now = now();
        let mut took: HashMap<DepartmentId, Vec<i64>> = HashMap::new();
        let mut out = Vec::with_capacity(waiting.len());
        for w in waiting {
            if let std::collections::hash_map::Entry::Vacant(entry) = took.entry(w.department) {
                let since = now - places::WINDOW_MS;
                let times = self
                    .store
                    .first_answer_times(w.department, since, places::SAMPLES)
                    .await?;
                entry.insert(times);
            }
            let estimate_mins = match (w.place, took.get(&w.department)) {
                (1.., Some(times)) => places::estimate_mins(times, now - w.created_at),
                _ => None,
            };
            out.push(QueuePlace {
                ticket_id: w.ticket,
                department_id: w.department,
                place: w.place,
                estimate_mins,
            });
        }
        Ok(out)
    }

    /// Refuses an answer by mail (`answer_by`) for `member` when they have no address mail
    /// can be written to.
    pub(super) async fn check_answer_by(&self, member: UserId, answer_by: AnswerBy) -> Result<()> {
        if answer_by.mails() {
            let (address, ..) = self.store.mail_contact(member).await?;
            if !deliverable(&address) {
                return Err(domain::Error::Invalid {
                    field: "answer_by",
                    reason: Reason::new("invalid-no-mail-address"),
                }
                .into());
            }
        }
        Ok(())
    }

    /// The member of `ticket` chooses how it is answered: `email` mails them every answer
    /// at once as well (it takes an address they can be written to).
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn set_answer_by(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        answer_by: AnswerBy,
    ) -> Result<()> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !domain::audience::may_choose_answer(viewer, &record.scope) {
            return Err(domain::Error::MemberOnly.into());
        }
        self.check_answer_by(viewer.id, answer_by).await?;
        if record.summary.answer_by != Some(answer_by) {
            self.store.set_answer_by(ticket, answer_by).await?;
            self.publish_ticket(ticket, None).await;
        }
        Ok(())
    }
}
