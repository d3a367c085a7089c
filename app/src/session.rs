//! Who the page is for, as the server hands it to the browser: the signed-in person and the
//! page's language, rendered into the document as JSON and read back when it hydrates, so both
//! render the same page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    i18n::{Lang, PageLang},
    protocol::{Me, TokenList},
};

/// The signed-in person of the page being rendered (`None` on the login page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser(pub Option<Me>);

/// What a page shows that the server looked up for it alone (most pages: nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageData {
    /// The tokens page: the tokens the person may see, and one just made.
    #[serde(default)]
    pub tokens: Option<TokenList>,
    /// The Incoming messages page: what waits for the asker to sort.
    #[serde(default)]
    pub incoming: Option<crate::protocol::IncomingPage>,
    /// The page of a mail as it came, when the asker may read it.
    #[serde(default)]
    pub mail: Option<crate::protocol::MailView>,
    /// The page is shown in a host site's widget (a widget session's).
    #[serde(default)]
    pub widget: Option<WidgetFrame>,
    /// The statistics page: the range asked for and its figures.
    #[serde(default)]
    pub stats: Option<crate::protocol::StatsPage>,
    /// The sign-in and sign-up pages: members may sign themselves up.
    #[serde(default)]
    pub sign_up_open: bool,
}

/// A page inside a host site's widget: the host page it talks to, and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetFrame {
    /// The host page's origin: the only one its messages are sent to and taken from.
    pub origin: String,
}

/// The element id of the JSON that hands [`CurrentUser`] from the server's render to the
/// browser, so both render the same page.
pub(crate) const USER_SCRIPT_ID: &str = "sb-user";
/// The element id of the JSON that hands [`PageData`] to the browser the same way.
pub(crate) const PAGE_SCRIPT_ID: &str = "sb-page";
/// The element id of the JSON that hands the page's language to the browser the same way.
pub(crate) const LANG_SCRIPT_ID: &str = "sb-lang";

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
pub(crate) fn page_lang() -> Lang {
    boot(LANG_SCRIPT_ID, || {
        use_context::<PageLang>().unwrap_or_default().0
    })
}

/// The signed-in person, as the server rendered the page for them.
pub(crate) fn current_user() -> CurrentUser {
    boot(USER_SCRIPT_ID, || {
        use_context::<CurrentUser>().unwrap_or_default()
    })
}

/// What the server looked up for this page alone.
pub(crate) fn page_data() -> PageData {
    boot(PAGE_SCRIPT_ID, || {
        use_context::<PageData>().unwrap_or_default()
    })
}
