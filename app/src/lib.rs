//! Switchboard's user interface (Leptos, rendered on the server and hydrated in the browser)
//! and [`protocol`], the wire types shared by server, UI and tools.

#![recursion_limit = "512"]
mod admin;
pub mod canned;
mod files;
pub mod i18n;
pub mod live;
mod pages;
pub mod protocol;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};
use serde::{Deserialize, Serialize};

use crate::{
    i18n::{Lang, PageLang},
    protocol::Me,
};

/// The signed-in person of the page being rendered (`None` on the login page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser(pub Option<Me>);

/// The element id of the JSON that hands [`CurrentUser`] from the server's render to the
/// browser, so both render the same page.
const USER_SCRIPT_ID: &str = "sb-user";
/// The element id of the JSON that hands the page's language to the browser the same way.
const LANG_SCRIPT_ID: &str = "sb-lang";

/// The HTML document around [`App`] (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    let PageLang(lang) = use_context::<PageLang>().unwrap_or_default();
    // `<` is escaped so that no value can close the script element early.
    let boot = serde_json::to_string(&user)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    let boot_lang = serde_json::to_string(&lang).unwrap_or_else(|_| "\"en\"".into());
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href="/pkg/switchboard.css" />
                <script id=USER_SCRIPT_ID type="application/json" inner_html=boot></script>
                <script id=LANG_SCRIPT_ID type="application/json" inner_html=boot_lang></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Reads what the server handed the page under the script element `id`: in the browser from
/// the document, on the server from the request's context (`from_context`).
fn boot<T: serde::de::DeserializeOwned + Default>(id: &str, from_context: impl FnOnce() -> T) -> T {
    #[cfg(feature = "hydrate")]
    {
        let _ = from_context;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|el| el.text_content())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        from_context()
    }
}

/// The page's language, as the server rendered it.
fn page_lang() -> Lang {
    boot(LANG_SCRIPT_ID, || {
        use_context::<PageLang>().unwrap_or_default().0
    })
}

/// The signed-in person, as the server rendered the page for them.
fn current_user() -> CurrentUser {
    boot(USER_SCRIPT_ID, || {
        use_context::<CurrentUser>().unwrap_or_default()
    })
}

/// The application: its pages and their routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(current_user());
    let lang = RwSignal::new(page_lang());
    provide_context(lang);
    // The document says which language it is in, as the switch changes it.
    Effect::new(move |_| {
        let lang = lang.get();
        #[cfg(feature = "hydrate")]
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = lang;
    });
    // Effects run only in the browser, after hydration: tests wait for this mark before
    // interacting, since clicks on a page not yet hydrated would be lost.
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="Switchboard" />
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view=pages::LoginPage />
                <Route path=path!("/account") view=pages::AccountPage />
                <Route path=path!("/board") view=pages::BoardPage />
                <Route path=path!("/admin") view=admin::AdminPage />
            </Routes>
        </Router>
    }
}
