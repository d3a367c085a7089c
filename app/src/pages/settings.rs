//! Each person's own settings of the desk, kept on the server and applied on every device:
//! how their tab and desktop tell them news (staff), and how the desk looks.

use leptos::prelude::*;

use crate::i18n::{locale, t, tr};
use crate::live::{Live, ask_desktop_permission, desktop_permission};
use crate::protocol::{FontFamily, TextSize, Theme, Workspace};

/// The settings button in the top bar and its panel. Esc closes it.
#[component]
pub(crate) fn SettingsMenu(live: Live, staff: bool) -> impl IntoView {
    let open = RwSignal::new(false);
    let lang = locale();
    // The page follows the settings as they change (the server drew the first paint so).
    Effect::new(move |_| {
        let workspace = live.workspace();
        #[cfg(feature = "hydrate")]
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            for (name, value) in display_attributes(&workspace) {
                let _ = root.set_attribute(name, value);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = workspace;
    });
    // The tab's icon carries the count of what waits, as chosen.
    Effect::new(move |_| {
        let count = if live.with_workspace(|w| w.title_count) {
            live.unread_count()
        } else {
            0
        };
        #[cfg(feature = "hydrate")]
        if let Some(link) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("link[rel=icon]").ok().flatten())
        {
            let _ = link.set_attribute("href", &favicon(count));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = count;
    });
    let change = move |edit: &dyn Fn(&mut Workspace)| {
        let mut workspace = live.workspace();
        edit(&mut workspace);
        live.set_workspace(workspace);
    };
    // Refused by the browser: the switch says so rather than pretending.
    let refused = RwSignal::new(false);
    let desktop = move |on: bool| {
        if !on {
            change(&|w: &mut Workspace| w.desktop = false);
            return;
        }
        match desktop_permission() {
            Some(true) => change(&|w: &mut Workspace| w.desktop = true),
            Some(false) => refused.set(true),
            None => ask_desktop_permission(move |granted| {
                refused.set(!granted);
                change(&|w: &mut Workspace| w.desktop = granted);
            }),
        }
    };
    let check =
        move |key: &'static str, get: fn(&Workspace) -> bool, set: fn(&mut Workspace, bool)| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || live.with_workspace(get)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            change(&|w: &mut Workspace| set(w, on));
                        }
                    />
                    {tr(key)}
                </label>
            }
        };
    let choice = move |key: &'static str,
                       values: Vec<(&'static str, &'static str)>,
                       get: fn(&Workspace) -> &'static str,
                       set: fn(&mut Workspace, &str)| {
        view! {
            <label class="field">
                {tr(key)}
                <select on:change=move |ev| {
                    let value = event_target_value(&ev);
                    change(&|w: &mut Workspace| set(w, &value));
                }>
                    {values
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value selected=move || live.with_workspace(get) == value>
                                    {move || t!(lang.get(), label)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <div
            class="notify settings"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="ghost"
                aria-expanded=move || open.get().to_string()
                aria-controls="settings"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {tr("settings")}
            </button>
            <Show when=move || open.get()>
                <section id="settings" class="notify-panel settings-panel" aria-labelledby="settings-title">
                    <div class="notify-head">
                        <h2 id="settings-title">{tr("settings")}</h2>
                        <button type="button" class="link" on:click=move |_| open.set(false)>{tr("close")}</button>
                    </div>
                    <div class="settings-body">
                        <Show when=move || staff>
                            <fieldset>
                                <legend>{tr("settings-news")}</legend>
                                {check("setting-title-count", |w| w.title_count, |w, on| w.title_count = on)}
                                {check("setting-sound", |w| w.sound, |w, on| w.sound = on)}
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || live.with_workspace(|w| w.desktop)
                                        on:change=move |ev| desktop(event_target_checked(&ev))
                                    />
                                    {tr("setting-desktop")}
                                </label>
                                <Show when=move || refused.get()>
                                    <p class="muted small" role="status">{tr("setting-desktop-refused")}</p>
                                </Show>
                            </fieldset>
                        </Show>
                        <fieldset>
                            <legend>{tr("settings-display")}</legend>
                            {choice(
                                "setting-theme",
                                vec![("system", "theme-system"), ("light", "theme-light"), ("dark", "theme-dark")],
                                |w| match w.theme { None => "system", Some(Theme::Light) => "light", Some(Theme::Dark) => "dark" },
                                |w, v| w.theme = match v { "light" => Some(Theme::Light), "dark" => Some(Theme::Dark), _ => None },
                            )}
                            {choice(
                                "setting-font",
                                vec![("system", "font-system"), ("serif", "font-serif"), ("mono", "font-mono")],
                                |w| font_name(w.font),
                                |w, v| w.font = match v { "serif" => FontFamily::Serif, "mono" => FontFamily::Mono, _ => FontFamily::System },
                            )}
                            {choice(
                                "setting-text-size",
                                vec![("small", "size-small"), ("normal", "size-normal"), ("large", "size-large")],
                                |w| size_name(w.text_size),
                                |w, v| w.text_size = match v { "small" => TextSize::Small, "large" => TextSize::Large, _ => TextSize::Normal },
                            )}
                            {check("setting-compact", |w| w.compact, |w, on| w.compact = on)}
                        </fieldset>
                    </div>
                </section>
            </Show>
        </div>
    }
}

/// The attribute values the page's root carries for `workspace` (the stylesheet reads them),
/// so that the page is drawn as the person chose from its first paint.
pub fn display_attributes(workspace: &Workspace) -> [(&'static str, &'static str); 4] {
    [
        (
            "data-theme",
            match workspace.theme {
                None => "system",
                Some(Theme::Light) => "light",
                Some(Theme::Dark) => "dark",
            },
        ),
        ("data-font", font_name(workspace.font)),
        ("data-size", size_name(workspace.text_size)),
        (
            "data-density",
            if workspace.compact {
                "compact"
            } else {
                "comfortable"
            },
        ),
    ]
}

fn font_name(font: FontFamily) -> &'static str {
    match font {
        FontFamily::System => "system",
        FontFamily::Serif => "serif",
        FontFamily::Mono => "mono",
    }
}

fn size_name(size: TextSize) -> &'static str {
    match size {
        TextSize::Small => "small",
        TextSize::Normal => "normal",
        TextSize::Large => "large",
    }
}

/// The desk's icon, with `count` on a red badge when there is one.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn favicon(count: i64) -> String {
    const ICON: &str = include_str!("../../../style/favicon.svg");
    if count <= 0 {
        return "/favicon.svg".to_owned();
    }
    let text = if count > 99 {
        "99+".to_owned()
    } else {
        count.to_string()
    };
    let badge = format!(
        "<circle cx='23' cy='9' r='9' fill='#d92d20'/><text x='23' y='13' font-size='{}' \
         font-family='Arial,sans-serif' font-weight='700' text-anchor='middle' fill='#fff'>{text}</text></svg>",
        if text.len() > 2 { 8 } else { 11 }
    );
    let svg = ICON.trim_end().trim_end_matches("</svg>").to_owned() + &badge;
    format!(
        "data:image/svg+xml,{}",
        crate::protocol::percent_encode(&svg)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_carries_the_count_and_nothing_when_there_is_none() {
        assert_eq!(favicon(0), "/favicon.svg");
        let three = favicon(3);
        assert!(three.starts_with("data:image/svg+xml,"), "{three}");
        assert!(three.contains("%3E3%3C%2Ftext%3E"), "{three}");
        assert!(
            favicon(250).contains("99%2B"),
            "a large count stays legible"
        );
    }

    #[test]
    fn the_page_root_says_how_it_is_drawn() {
        let mut workspace = Workspace::default();
        assert_eq!(
            display_attributes(&workspace).map(|(_, v)| v),
            ["system", "system", "normal", "comfortable"]
        );
        workspace.theme = Some(Theme::Dark);
        workspace.compact = true;
        workspace.text_size = TextSize::Large;
        assert_eq!(
            display_attributes(&workspace).map(|(_, v)| v),
            ["dark", "system", "large", "compact"]
        );
    }
}
