//! The host platform's sites that embed the widget, on the administration page: each with its
//! key and origins, a secret shown once when made, and the snippet its pages carry.

use leptos::prelude::*;

use crate::{
    i18n::tr,
    live::Live,
    protocol::{AdminAction, SiteSecret, WidgetSite},
};

/// The snippet a site's pages carry, for the desk at `desk`.
fn snippet(desk: &str, key: &str) -> String {
    format!("<script src=\"{desk}/widget.js\" data-site=\"{key}\" data-token=\"…\" async></script>")
}

/// This desk's address, as the browser sees it (empty on the server).
fn desk_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
pub(super) fn SitesSection(
    live: Live,
    sites: Signal<Vec<WidgetSite>>,
    revealed: Signal<Option<SiteSecret>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let origins = RwSignal::new(String::new());
    view! {
        <section class="admin-section" aria-labelledby="sites-title">
            <h2 id="sites-title">{tr("admin-sites")}</h2>
            <p class="muted small">{tr("admin-sites-lead")}</p>
            <ul class="admin-list">
                <For each=move || sites.get() key=|s| s.clone() let:site>
                    <SiteRow live site revealed />
                </For>
            </ul>
            <form
                class="admin-add"
                aria-label=tr("admin-new-site")
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::CreateSite {
                        name: name.get_untracked(),
                        origins: origins.get_untracked(),
                    });
                    name.set(String::new());
                    origins.set(String::new());
                }
            >
                <input aria-label=tr("admin-site-name") placeholder=tr("admin-site-name") required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <textarea aria-label=tr("admin-site-origins") placeholder="https://my.example.com" rows="2" required prop:value=move || origins.get() on:input=move |ev| origins.set(event_target_value(&ev))></textarea>
                <button type="submit" class="primary">{tr("admin-add-site")}</button>
            </form>
        </section>
    }
}

#[component]
fn SiteRow(live: Live, site: WidgetSite, revealed: Signal<Option<SiteSecret>>) -> impl IntoView {
    let id = site.id;
    let name = RwSignal::new(site.name.clone());
    let origins = RwSignal::new(site.origins.join("\n"));
    let code = snippet(&desk_origin(), &site.key);
    let secret = move || revealed.get().filter(|r| r.site_id == id).map(|r| r.secret);
    let label = site.name.clone();
    view! {
        <li class="site" aria-label=label.clone()>
            <form
                class="admin-edit"
                aria-label=label.clone()
                on:submit=move |ev| {
                    ev.prevent_default();
                    live.administer(AdminAction::UpdateSite {
                        id,
                        name: name.get_untracked(),
                        origins: origins.get_untracked(),
                    });
                }
            >
                <input aria-label=tr("admin-site-name") prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <textarea aria-label=tr("admin-site-origins") rows="2" prop:value=move || origins.get() on:input=move |ev| origins.set(event_target_value(&ev))></textarea>
                <button type="submit">{tr("save")}</button>
                <button type="button" on:click=move |_| live.administer(AdminAction::RotateSiteSecret { id })>
                    {tr("admin-site-new-secret")}
                </button>
                <super::DeleteButton on_confirm=move || live.administer(AdminAction::DeleteSite { id }) />
            </form>
            <p class="small">
                {tr("admin-site-key")} " " <code>{site.key.clone()}</code>
            </p>
            <textarea class="snippet small" readonly rows="2" aria-label=tr("admin-site-snippet") prop:value=code></textarea>
            {move || secret().map(|secret| view! {
                <div class="notice" role="status">
                    <p>{tr("admin-site-secret-once")}</p>
                    <input class="secret" readonly aria-label=tr("admin-site-secret") prop:value=secret />
                </div>
            })}
        </li>
    }
}
