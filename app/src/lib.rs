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
mod root;
mod session;
pub mod stats;

pub use root::{App, shell};
pub use session::{CurrentUser, PageData, WidgetFrame};
