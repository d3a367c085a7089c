//! Canned responses by typing `/` at the start of the reply box: the responses of the
//! ticket's department whose title or text holds what follows the slash, offered as a list
//! that the arrows move through and Enter (or Tab, or a click) takes; Escape puts it away.

use crate::{i18n::tr, protocol::CannedResponse};
use leptos::prelude::*;

/// How many responses the list offers at once.
const OFFERED: usize = 8;

/// The longest search after the slash (longer, it is a message that starts with a slash).
const MAX_QUERY_CHARS: usize = 40;

/// What the reply box's slash offers, and which of it is chosen.
#[derive(Clone, Copy)]
pub(crate) struct Slash {
    matches: Memo<Vec<CannedResponse>>,
    /// The chosen response's place in `matches`.
    active: RwSignal<usize>,
    /// The draft the list was put away for (it comes back once the draft changes).
    dismissed: RwSignal<Option<String>>,
    draft: RwSignal<String>,
}

/// What follows a slash that starts the draft, lowercased: the search; `None` for any other
/// draft.
pub(crate) fn slash_query(draft: &str) -> Option<String> {
    let rest = draft.strip_prefix('/')?;
    (!rest.contains('\n') && rest.chars().count() <= MAX_QUERY_CHARS).then(|| rest.to_lowercase())
}

/// The responses whose title or text holds `query`, titles first, at most [`OFFERED`].
pub(crate) fn slash_matches(all: &[CannedResponse], query: &str) -> Vec<CannedResponse> {
    let query = query.trim();
    let mut by_title: Vec<CannedResponse> = Vec::new();
    let mut by_text: Vec<CannedResponse> = Vec::new();
    for response in all {
        if response.title.to_lowercase().contains(query) {
            by_title.push(response.clone());
        } else if response.body.to_lowercase().contains(query) {
            by_text.push(response.clone());
        }
    }
    by_title.extend(by_text);
    by_title.truncate(OFFERED);
    by_title
}

impl Slash {
    /// The slash of a reply box holding `draft`, offering from `responses`.
    pub(crate) fn new(draft: RwSignal<String>, responses: Memo<Vec<CannedResponse>>) -> Self {
        let matches = Memo::new(move |_| {
            draft
                .with(|d| slash_query(d))
                .map_or_else(Vec::new, |query| {
                    responses.with(|all| slash_matches(all, &query))
                })
        });
        let active = RwSignal::new(0);
        // A new search starts at its first response.
        Effect::new(move |_| {
            matches.track();
            active.set(0);
        });
        Self {
            matches,
            active,
            dismissed: RwSignal::new(None),
            draft,
        }
    }

    /// Whether the list is offered now.
    pub(crate) fn open(self) -> bool {
        !self.matches.with(Vec::is_empty)
            && self
                .dismissed
                .with(|d| d.as_deref() != Some(self.draft.read().as_str()))
    }

    /// Handles a key pressed in the reply box while the list is offered; whether it did.
    /// `take` receives the chosen response.
    pub(crate) fn key(self, ev: &leptos::ev::KeyboardEvent, take: impl Fn(i64)) -> bool {
        if !self.open() {
            return false;
        }
        let n = self.matches.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => self.active.update(|a| *a = (*a + 1) % n),
            "ArrowUp" => self.active.update(|a| *a = (*a + n - 1) % n),
            "Enter" | "Tab" if !ev.shift_key() => {
                let chosen = self
                    .matches
                    .with_untracked(|m| m.get(self.active.get_untracked()).map(|c| c.id));
                if let Some(id) = chosen {
                    take(id);
                }
            }
            "Escape" => self.dismissed.set(Some(self.draft.get_untracked())),
            _ => return false,
        }
        ev.prevent_default();
        ev.stop_propagation();
        true
    }

    /// The id of the chosen option, for the reply box's `aria-activedescendant`.
    pub(crate) fn active_option(self, list_id: &str) -> Option<String> {
        self.open()
            .then(|| format!("{list_id}-{}", self.active.get()))
    }
}

/// The offered responses, under the reply box.
#[component]
pub(crate) fn SlashList(
    slash: Slash,
    list_id: String,
    #[prop(into)] take: Callback<i64>,
) -> impl IntoView {
    let id = list_id.clone();
    view! {
        <Show when=move || slash.open()>
            <ul class="slash" role="listbox" id=list_id.clone() aria-label=tr("canned-responses")>
                {
                    let id = id.clone();
                    move || {
                        slash
                            .matches
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, response)| {
                                let chosen = move || slash.active.get() == i;
                                let response_id = response.id;
                                view! {
                                    <li
                                        role="option"
                                        id=format!("{id}-{i}")
                                        aria-selected=move || if chosen() { "true" } else { "false" }
                                        class:active=chosen
                                        on:mousedown=move |ev| {
                                            // Keeps the focus in the reply box.
                                            ev.prevent_default();
                                            take.run(response_id);
                                        }
                                    >
                                        <span class="title">{response.title}</span>
                                        <span class="muted small">{response.body}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }
                }
            </ul>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::DepartmentId;

    fn response(id: i64, title: &str, body: &str) -> CannedResponse {
        CannedResponse {
            id,
            department_id: DepartmentId(1),
            title: title.into(),
            body: body.into(),
        }
    }

    #[test]
    fn only_a_leading_slash_on_one_short_line_searches() {
        assert_eq!(slash_query("/Ref"), Some("ref".into()));
        assert_eq!(slash_query("/"), Some(String::new()));
        assert_eq!(slash_query("hello /ref"), None);
        assert_eq!(slash_query("/path\nsecond line"), None);
        assert_eq!(slash_query(&format!("/{}", "x".repeat(41))), None);
    }

    #[test]
    fn titles_come_before_texts_and_the_list_is_short() {
        let all = vec![
            response(1, "Greeting", "Hello {member}, about your refund"),
            response(2, "Refund policy", "Refunds take five days"),
            response(3, "Goodbye", "Bye"),
        ];
        let found: Vec<i64> = slash_matches(&all, "refund").iter().map(|r| r.id).collect();
        assert_eq!(found, vec![2, 1]);
        assert_eq!(slash_matches(&all, "").len(), 3);
        assert!(slash_matches(&all, "missing").is_empty());
        let many: Vec<_> = (0..20).map(|i| response(i, "Same", "x")).collect();
        assert_eq!(slash_matches(&many, "same").len(), OFFERED);
    }
}
