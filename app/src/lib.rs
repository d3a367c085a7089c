//! Switchboard's user interface (Leptos, rendered on the server and hydrated in the browser)
//! and [`protocol`], the wire types shared by server, UI and tools.

#![recursion_limit = "256"]
mod admin;
pub mod canned;
mod files;
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

use crate::protocol::Me;

/// The signed-in person of the page being rendered (`None` on the login page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser(pub Option<Me>);

/// The element id of the JSON that hands [`CurrentUser`] from the server's render to the
/// browser, so both render the same page.
const USER_SCRIPT_ID: &str = "sb-user";

/// The HTML document around [`App`] (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    // `<` is escaped so that no value can close the script element early.
    let boot = serde_json::to_string(&user)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href="/pkg/switchboard.css" />
                <script id=USER_SCRIPT_ID type="application/json" inner_html=boot></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Reads the signed-in person: from the request's context on the server, from the document
/// in the browser.
fn current_user() -> CurrentUser {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(USER_SCRIPT_ID))
            .and_then(|el| el.text_content())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use_context::<CurrentUser>().unwrap_or_default()
    }
}

/// The application: its pages and their routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(current_user());
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
