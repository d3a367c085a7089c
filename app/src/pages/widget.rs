//! The member's desk inside a host site's widget: it tells the host page how many answers
//! are unread (for the launcher), hears when the panel is shown or hidden (answers count as
//! read only while it is shown), takes a subject the host wants a new conversation to start
//! with, and closes the panel on Esc. It talks to the host page's origin alone and takes
//! messages from its parent window at that origin alone.

use leptos::prelude::*;

use crate::{WidgetFrame, i18n::locale, live::Live};

/// How many answers wait unread in the member's conversations.
fn unread(live: Live) -> i64 {
    live.tickets
        .with(|list| list.iter().map(|t| t.unread).sum())
}

#[component]
pub(crate) fn WidgetBridge(live: Live, frame: WidgetFrame) -> impl IntoView {
    let lang = locale();
    // What the launcher says, in the member's language: "Support, 2 unread answers".
    let label = move || {
        let count = unread(live);
        if count == 0 {
            crate::i18n::t!(lang.get(), "widget-launcher")
        } else {
            crate::i18n::t!(lang.get(), "widget-launcher-unread", count = count)
        }
    };
    #[cfg(feature = "hydrate")]
    host::listen(live, frame.origin.clone());
    Effect::new(move |_| {
        let (count, label) = (unread(live), label());
        #[cfg(feature = "hydrate")]
        host::tell(&frame.origin, "switchboard:unread", Some((count, label)));
        #[cfg(not(feature = "hydrate"))]
        let _ = (count, label, &frame);
    });
}

#[cfg(feature = "hydrate")]
mod host {
    use leptos::prelude::*;
    use leptos_router::NavigateOptions;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};

    use crate::live::Live;

    fn set(object: &js_sys::Object, key: &str, value: JsValue) {
        let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), &value);
    }

    /// Posts `{type, count, label}` to the host page at `origin`.
    pub(super) fn tell(origin: &str, kind: &str, unread: Option<(i64, String)>) {
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let message = js_sys::Object::new();
        set(&message, "type", JsValue::from_str(kind));
        if let Some((count, label)) = unread {
            set(&message, "count", JsValue::from_f64(count as f64));
            set(&message, "label", JsValue::from_str(&label));
        }
        let _ = parent.post_message(&message, origin);
    }

    fn field(data: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// Takes the host page's messages (its origin's, from the parent window) and says the
    /// page is ready for them; Esc asks the host to close the panel.
    pub(super) fn listen(live: Live, origin: String) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let parent = window.parent().ok().flatten();
        let navigate = leptos_router::hooks::use_navigate();
        let host = origin.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let from_parent = match (ev.source(), &parent) {
                    (Some(source), Some(parent)) => js_sys::Object::is(&source, parent.as_ref()),
                    _ => false,
                };
                if !from_parent || ev.origin() != host {
                    return;
                }
                let data = ev.data();
                match field(&data, "type").as_string().as_deref() {
                    Some("switchboard:shown") => {
                        let shown = field(&data, "shown").as_bool().unwrap_or(true);
                        live.shown.set(shown);
                        if shown {
                            live.mark_read_if_needed();
                        }
                    }
                    Some("switchboard:subject") => {
                        if let Some(subject) = field(&data, "subject").as_string() {
                            let subject: String = subject.chars().take(200).collect();
                            let query = js_sys::encode_uri_component(&subject);
                            navigate(
                                &format!("/account?new=1&subject={query}"),
                                NavigateOptions::default(),
                            );
                        }
                    }
                    _ => {}
                }
            });
        let _ =
            window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        on_message.forget();
        let host = origin.clone();
        let on_key =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" && !ev.default_prevented() {
                    tell(&host, "switchboard:close", None);
                }
            });
        let _ = window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        on_key.forget();
        tell(&origin, "switchboard:ready", None);
    }
}
