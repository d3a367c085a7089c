//! The page's root: the HTML document around the application, and the application's routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    admin,
    i18n::PageLang,
    pages,
    session::{
        CurrentUser, LANG_SCRIPT_ID, PAGE_SCRIPT_ID, PageData, USER_SCRIPT_ID, current_user,
        page_lang,
    },
};

/// The HTML document around [`App`] (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    let PageLang(lang) = use_context::<PageLang>().unwrap_or_default();
    // `<` is escaped so that no value can close the script element early.
    let boot = serde_json::to_string(&user)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    let page = use_context::<PageData>().unwrap_or_default();
    let boot_page = serde_json::to_string(&page)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c");
    let boot_lang = serde_json::to_string(&lang).unwrap_or_else(|_| "\"en\"".into());
    // The person's display settings are on the root from the first paint.
    let workspace = user
        .0
        .as_ref()
        .map(|me| me.workspace.clone())
        .unwrap_or_default();
    let [theme, font, size, density] = pages::display_attributes(&workspace).map(|(_, v)| v);
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-theme=theme data-font=font data-size=size data-density=density>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link rel="stylesheet" href=format!("/{}/switchboard.css", options.site_pkg_dir) />
                <script id=USER_SCRIPT_ID type="application/json" inner_html=boot></script>
                <script id=LANG_SCRIPT_ID type="application/json" inner_html=boot_lang></script>
                <script id=PAGE_SCRIPT_ID type="application/json" inner_html=boot_page></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
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
                <Route path=path!("/signup") view=pages::SignUpPage />
                <Route path=path!("/account") view=pages::AccountPage />
                <Route path=path!("/board") view=pages::BoardPage />
                <Route path=path!("/admin") view=admin::AdminPage />
                <Route path=path!("/password") view=pages::PasswordPage />
                <Route path=path!("/tokens") view=pages::TokensPage />
                <Route path=path!("/incoming") view=pages::IncomingPage />
                <Route path=path!("/calls") view=pages::CallsPage />
                <Route path=path!("/wall") view=pages::WallPage />
                <Route path=path!("/stats") view=pages::StatisticsPage />
                <Route path=path!("/mail/:id") view=pages::MailPage />
            </Routes>
        </Router>
    }
}
