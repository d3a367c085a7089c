//! Reads: who one is, a ticket one may see, lists, search and a ticket's events.

use app::protocol::{Me, SearchHit, Seq, TicketFilter, TicketId, TicketSummary, limits};
use tracing::instrument;

use crate::{
    domain::{self, Numbering, StoredEvent, TicketRecord, TicketScope, Viewer},
    store,
};

use super::{Desk, EVENT_PAGE, LIST_LIMIT, Result};

impl Desk {
    /// Who `viewer` is and what they may do, with the desk's file limits.
    pub async fn me(&self, viewer: &Viewer) -> Result<Me> {
        let mut me = self.store.me(viewer).await?;
        me.file_limits = self.file_limits.clone();
        Ok(me)
    }

    /// The language `viewer` chose to read the desk in, if they chose one.
    pub async fn language(&self, viewer: &Viewer) -> Result<Option<app::i18n::Lang>> {
        Ok(self.store.language(viewer.id).await?)
    }

    /// A ticket `viewer` may see; `TicketNotFound` otherwise, so that nobody learns whether
    /// someone else's ticket exists.
    #[instrument(skip_all, fields(ticket_id = %id))]
    pub async fn visible_ticket(&self, viewer: &Viewer, id: TicketId) -> Result<TicketRecord> {
        match self.store.ticket(id).await {
            Ok(ticket) if domain::can_view(viewer, &ticket.scope) => Ok(ticket),
            Ok(_) | Err(store::Error::NotFound) => Err(domain::Error::TicketNotFound.into()),
            Err(other) => Err(other.into()),
        }
    }

    /// The tickets `viewer`'s list shows: a member's inbox, or staff's board as `filter`
    /// selects (members' lists ignore it).
    #[instrument(skip_all)]
    pub async fn list(&self, viewer: &Viewer, filter: &TicketFilter) -> Result<Vec<TicketSummary>> {
        let records = self
            .store
            .tickets_for(viewer, filter.state, LIST_LIMIT)
            .await?;
        let staff = viewer.role.is_staff();
        let mut list: Vec<TicketSummary> = records
            .iter()
            .filter_map(|t| domain::summary_for(viewer, t))
            .filter(|t| !staff || filter.admits(t))
            .collect();
        if staff && !list.is_empty() {
            let ids: Vec<TicketId> = list.iter().map(|t| t.id).collect();
            let seen = self.store.staff_reads(viewer.id, &ids).await?;
            for t in &mut list {
                t.seen_at = seen.get(&t.id).copied();
            }
        }
        Ok(list)
    }

    /// Full-text search over the subjects, messages and (for staff) notes `viewer` may see.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn search(&self, viewer: &Viewer, query: &str) -> Result<Vec<SearchHit>> {
        let terms = domain::search_terms(query)?;
        Ok(self
            .store
            .search(viewer, &terms, limits::SEARCH_HITS as i64)
            .await?)
    }

    /// Events of a visible ticket after `since`, in `viewer`'s numbering.
    #[instrument(skip_all, fields(ticket_id = %scope.id))]
    pub async fn events_after(
        &self,
        viewer: &Viewer,
        scope: TicketScope,
        since: Seq,
    ) -> Result<Vec<StoredEvent>> {
        Ok(self
            .store
            .events_after(scope, Numbering::of(viewer), since, EVENT_PAGE)
            .await?)
    }

    /// Every staff-visible event of a ticket after `since`, read page by page: for the rules
    /// that need a ticket's whole tail (splitting, finding a message's last edit).
    pub(super) async fn history_after(
        &self,
        scope: TicketScope,
        since: Seq,
    ) -> Result<Vec<StoredEvent>> {
        let mut events = Vec::new();
        let mut last = since;
        loop {
            let page = self
                .store
                .events_after(scope, Numbering::Staff, last, EVENT_PAGE)
                .await?;
            let full = page.len() as i64 == EVENT_PAGE;
            last = page.last().map_or(last, |e| e.seq);
            events.extend(page);
            if !full {
                return Ok(events);
            }
        }
    }
}
