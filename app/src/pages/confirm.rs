//! A question asked before an act that is not easily taken back (a transfer, a split).

use crate::i18n::tr;
use leptos::{html, prelude::*};

/// The question, the act's button (focused at once, so Enter confirms) and *Cancel*;
/// Escape cancels too. Nothing happens until the act's button is pressed.
#[component]
pub(crate) fn Confirm(
    question: String,
    act: String,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let button: NodeRef<html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(button) = button.get() {
            let _ = button.focus();
        }
    });
    let escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            on_cancel.run(());
        }
    };
    let label = question.clone();
    view! {
        <span class="confirm" role="group" aria-label=label>
            <span class="small">{question}</span>
            <button
                type="button"
                class="primary"
                node_ref=button
                on:click=move |_| on_confirm.run(())
                on:keydown=escape
            >
                {act}
            </button>
            <button type="button" on:click=move |_| on_cancel.run(()) on:keydown=escape>
                {tr("cancel")}
            </button>
        </span>
    }
}
