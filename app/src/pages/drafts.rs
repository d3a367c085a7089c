//! The reply box's drafts, kept on the server: saved a moment after typing stops, one for a
//! reply and one for a hidden note (the note switch shows the other), restored when the
//! ticket is opened anywhere, and gone once sent.

use std::time::Duration;

use leptos::prelude::*;

use crate::{live::Live, protocol::TicketId};

/// How long typing must pause before the draft is saved.
const SAVE_AFTER: Duration = Duration::from_millis(600);

/// The drafts of one ticket's reply box: `text` is what the box shows (of the kind `hidden`
/// says), `other` the other kind's.
#[derive(Clone, Copy)]
pub(crate) struct DraftKeeper {
    live: Live,
    id: TicketId,
    text: RwSignal<String>,
    other: RwSignal<String>,
    hidden: RwSignal<bool>,
    /// Counts changes, so that only the last of a burst is saved.
    version: StoredValue<u64>,
}

impl DraftKeeper {
    pub(crate) fn new(
        live: Live,
        id: TicketId,
        text: RwSignal<String>,
        hidden: RwSignal<bool>,
    ) -> Self {
        let keeper = Self {
            live,
            id,
            text,
            other: RwSignal::new(String::new()),
            hidden,
            version: StoredValue::new(0),
        };
        // What the server kept, once the ticket is open, unless writing has begun here.
        Effect::new(move |_| {
            let Some(drafts) = live
                .drafts
                .with(|d| d.as_ref().filter(|(t, _)| *t == id).map(|(_, d)| d.clone()))
            else {
                return;
            };
            if !text.with_untracked(String::is_empty)
                || !keeper.other.with_untracked(String::is_empty)
            {
                return;
            }
            let (shown, other) = if hidden.get_untracked() {
                (drafts.note, drafts.reply)
            } else {
                (drafts.reply, drafts.note)
            };
            live.drafting(shown.trim().is_empty());
            text.set(shown);
            keeper.other.set(other);
        });
        // Switching between a reply and a note shows the other kind's draft.
        Effect::new(move |was: Option<bool>| {
            let now = hidden.get();
            if let Some(was) = was
                && was != now
            {
                keeper.switched(was);
            }
            now
        });
        keeper
    }

    /// The text changed (typed, quoted, inserted): saved once typing pauses.
    pub(crate) fn changed(self) {
        if self.live.editing.get_untracked().is_some() {
            return;
        }
        let version = self.version.get_value() + 1;
        self.version.set_value(version);
        set_timeout(
            move || {
                if self.version.get_value() == version {
                    let body = self.text.get_untracked();
                    self.live
                        .save_draft(self.id, self.hidden.get_untracked(), body);
                }
            },
            SAVE_AFTER,
        );
    }

    /// The box was sent (the server forgets its draft with the message): nothing pending
    /// is saved after.
    pub(crate) fn sent(self) {
        self.version.update_value(|v| *v += 1);
    }

    /// Between a reply and a note, each shows its own draft; what waits to be saved is
    /// saved now, under the kind it was written as.
    fn switched(self, was_note: bool) {
        self.version.update_value(|v| *v += 1);
        let text = self.text.get_untracked();
        self.live.save_draft(self.id, was_note, text.clone());
        self.text.set(self.other.get_untracked());
        self.other.set(text);
    }
}
