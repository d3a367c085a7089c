//! The desk by keyboard: a skip link, and single keys for what people do most — `j`/`k`
//! (or the arrows in the list) through the tickets, `Enter` opens, `t` takes, `r` replies,
//! `n` turns the reply into a hidden note, `/` searches, `?` shows them all.

use leptos::prelude::*;

use crate::i18n::{locale, t, tr};
use crate::live::Live;

/// The keys and what they do, as the cheat sheet lists them (staff's only where marked).
const KEYS: &[(&str, &str, bool)] = &[
    ("j / ↓", "key-next", false),
    ("k / ↑", "key-previous", false),
    ("Enter", "key-open", false),
    ("t", "key-take", true),
    ("r", "key-reply", false),
    ("n", "key-note", true),
    ("/", "key-search", false),
    ("?", "key-help", false),
    ("Esc", "key-close", false),
];

/// Skips the top bar: to the list of tickets.
#[component]
pub(crate) fn SkipLink() -> impl IntoView {
    // The router would take the address's fragment for a page change: the focus moves here.
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(heading) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("list-title"))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = heading.focus();
            }
        }
    };
    view! { <a class="skip" href="#list-title" on:click=skip>{tr("skip-to-list")}</a> }
}

/// Listens for the desk's keys on the whole page and shows the cheat sheet on `?`.
#[component]
pub(crate) fn DeskKeys(live: Live, staff: bool) -> impl IntoView {
    let help = RwSignal::new(false);
    let lang = locale();
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            on_key(live, staff, help, &ev);
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = live;
    let close: NodeRef<leptos::html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let (true, Some(button)) = (help.get(), close.get()) {
            let _ = button.focus();
        }
    });
    view! {
        <Show when=move || help.get()>
            <div class="keys-backdrop" on:click=move |_| help.set(false)></div>
            <section class="keys" role="dialog" aria-modal="true" aria-labelledby="keys-title">
                <div class="notify-head">
                    <h2 id="keys-title">{tr("keys-title")}</h2>
                    <button type="button" class="link" node_ref=close on:click=move |_| help.set(false)>
                        {tr("close")}
                    </button>
                </div>
                <dl class="keys-list">
                    {KEYS
                        .iter()
                        .filter(|(_, _, staff_only)| staff || !staff_only)
                        .map(|(key, what, _)| {
                            view! {
                                <dt><kbd>{*key}</kbd></dt>
                                <dd>{move || t!(lang.get(), what)}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
            </section>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
fn on_key(live: Live, staff: bool, help: RwSignal<bool>, ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let key = ev.key();
    if key == "Escape" && help.get_untracked() {
        help.set(false);
        return;
    }
    let active = document.active_element();
    let typing = active.as_ref().is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.get_attribute("contenteditable").is_some()
    });
    let in_list = active
        .as_ref()
        .is_some_and(|el| el.matches(".list-pane a.ticket").unwrap_or(false));
    if typing {
        return;
    }
    let focus = |selector: &str| {
        document
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|el| el.focus().is_ok())
            .unwrap_or(false)
    };
    let reply = ".detail-pane .composer textarea:not([disabled])";
    let handled = match key.as_str() {
        "j" | "k" => move_in_list(&document, key == "j"),
        "ArrowDown" | "ArrowUp" if in_list => move_in_list(&document, key == "ArrowDown"),
        "/" => focus(".list-pane .filter input"),
        "?" => {
            help.update(|h| *h = !*h);
            true
        }
        "r" => focus(reply),
        "t" if staff => {
            let free = live.open.with_untracked(|o| {
                o.as_ref()
                    .and_then(|o| o.summary.as_ref())
                    .filter(|s| s.assignee.is_none())
                    .map(|s| s.id)
            });
            if let Some(id) = free {
                live.take(id);
                focus(reply);
            }
            free.is_some()
        }
        "n" if staff => {
            let toggled = document
                .query_selector(".detail-pane .composer .note-toggle input")
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                .map(|el| el.click())
                .is_some();
            toggled && focus(reply)
        }
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}

/// Moves the focus to the next (or previous) ticket of the list, from the focused one or
/// the open one; the first (or last) when neither.
#[cfg(feature = "hydrate")]
fn move_in_list(document: &web_sys::Document, forward: bool) -> bool {
    use wasm_bindgen::JsCast;
    let Ok(rows) = document.query_selector_all(".list-pane ul.tickets a.ticket") else {
        return false;
    };
    let rows: Vec<web_sys::HtmlElement> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    if rows.is_empty() {
        return false;
    }
    let active = document.active_element();
    let at = rows
        .iter()
        .position(|r| {
            active
                .as_ref()
                .is_some_and(|a| a == r.unchecked_ref::<web_sys::Element>())
        })
        .or_else(|| {
            rows.iter()
                .position(|r| r.get_attribute("aria-current").is_some())
        });
    let next = match (at, forward) {
        (None, true) => 0,
        (None, false) => rows.len() - 1,
        (Some(i), true) => (i + 1).min(rows.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    rows[next].focus().is_ok()
}
