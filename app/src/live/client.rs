//! The browser's WebSocket, its reconnection and heartbeat.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::{Link, Live};
use crate::protocol::{Command, CommandId, Event, close_code};

/// How often the client checks the connection and pings.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often the open ticket's presence is refreshed (the server forgets a screen after
/// 15 s of silence).
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
/// Staff without input for this long are away.
const IDLE_AFTER_MS: f64 = 5.0 * 60_000.0;
/// Silence longer than this means the connection is dead, even if the browser has not noticed.
const SILENCE_LIMIT_MS: f64 = 45_000.0;

#[derive(Default)]
pub struct Socket {
    ws: Option<WebSocket>,
    attempts: u32,
    next_command: u64,
    last_heard: f64,
    last_input: f64,
    heartbeat: Option<leptos::leptos_dom::helpers::IntervalHandle>,
    presence: Option<leptos::leptos_dom::helpers::IntervalHandle>,
    clock: Option<leptos::leptos_dom::helpers::IntervalHandle>,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Socket {
    pub fn next_command_id(&mut self) -> CommandId {
        self.next_command += 1;
        CommandId(self.next_command)
    }
}

fn url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/ws", location.host().ok()?))
}

pub fn send(live: Live, command: &Command) {
    let Ok(text) = serde_json::to_string(command) else {
        return;
    };
    live.socket.with_value(|s| {
        let s = s.borrow();
        if let Some(ws) =
            s.ws.as_ref()
                .filter(|ws| ws.ready_state() == WebSocket::OPEN)
        {
            let _ = ws.send_with_str(&text);
        }
    });
}

pub fn connect(live: Live) {
    let Some(url) = url() else {
        return;
    };
    let Ok(ws) = WebSocket::new(&url) else {
        schedule_reconnect(live);
        return;
    };
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let Ok(ev) = ev.dyn_into::<MessageEvent>() else {
            return;
        };
        live.socket
            .with_value(|s| s.borrow_mut().last_heard = js_sys::Date::now());
        let Some(text) = ev.data().as_string() else {
            return;
        };
        match serde_json::from_str::<Event>(&text) {
            Ok(event) => live.apply(event),
            Err(err) => leptos::logging::warn!("unreadable event: {err}"),
        }
    });
    let socket_for_close = ws.clone();
    let on_close = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let code = ev
            .dyn_into::<CloseEvent>()
            .map(|c| c.code())
            .unwrap_or(1006);
        // Only the current socket's end matters; an old one closing late is ignored.
        let current = live.socket.with_value(|s| {
            s.borrow()
                .ws
                .as_ref()
                .is_some_and(|ws| ws == &socket_for_close)
        });
        if !current {
            return;
        }
        live.socket.with_value(|s| s.borrow_mut().ws = None);
        if code == close_code::SESSION_ENDED {
            live.link.set(Link::SignedOut);
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/login");
            }
            return;
        }
        live.link.set(Link::Reconnecting);
        schedule_reconnect(live);
    });
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    live.socket.with_value(|s| {
        let mut s = s.borrow_mut();
        s.ws = Some(ws);
        s.last_heard = js_sys::Date::now();
        s.handlers = vec![on_message, on_close];
        if s.heartbeat.is_none() {
            s.heartbeat = set_interval_with_handle(move || heartbeat(live), HEARTBEAT).ok();
        }
        if s.clock.is_none() {
            s.clock = set_interval_with_handle(
                move || live.clock.set(super::now()),
                Duration::from_millis(super::TICK_MS),
            )
            .ok();
        }
        if s.presence.is_none() {
            s.presence = set_interval_with_handle(
                move || {
                    live.say_presence(false);
                    let idle = live.socket.with_value(|s| {
                        js_sys::Date::now() - s.borrow().last_input > IDLE_AFTER_MS
                    });
                    if idle {
                        live.idle(true);
                    }
                },
                PRESENCE_EVERY,
            )
            .ok();
            s.last_input = js_sys::Date::now();
            // Any input marks the page in use (and brings staff who went away by
            // themselves back).
            let on_input = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                live.socket
                    .with_value(|s| s.borrow_mut().last_input = js_sys::Date::now());
                live.idle(false);
            });
            if let Some(window) = web_sys::window() {
                for kind in ["keydown", "pointerdown", "pointermove", "focus"] {
                    let _ = window
                        .add_event_listener_with_callback(kind, on_input.as_ref().unchecked_ref());
                }
            }
            on_input.forget();
        }
    });
}

fn heartbeat(live: Live) {
    let silent_too_long = live.socket.with_value(|s| {
        let s = s.borrow();
        s.ws.is_some() && js_sys::Date::now() - s.last_heard > SILENCE_LIMIT_MS
    });
    if silent_too_long {
        // Closing fires `onclose`, which reconnects.
        live.socket.with_value(|s| {
            if let Some(ws) = s.borrow().ws.as_ref() {
                let _ = ws.close();
            }
        });
        return;
    }
    send(
        live,
        &Command::Ping {
            nonce: js_sys::Date::now() as u64,
        },
    );
}

fn schedule_reconnect(live: Live) {
    let attempts = live.socket.with_value(|s| {
        let mut s = s.borrow_mut();
        s.attempts += 1;
        s.attempts
    });
    // 0.25 s, 0.5 s, 1 s … up to 10 s, with jitter so a restarted server is not stampeded.
    let base = (250.0 * 2f64.powi(attempts.min(6) as i32 - 1)).min(10_000.0);
    let delay = base * (0.5 + js_sys::Math::random());
    set_timeout(move || connect(live), Duration::from_millis(delay as u64));
}

impl Live {
    /// Called when the server said hello: the connection is healthy again.
    pub(super) fn reset_backoff(self) {
        self.socket.with_value(|s| s.borrow_mut().attempts = 0);
    }
}
