//! Files in the conversation: what a message carries (pictures as previews that open in a
//! lightbox, documents as cards that download) and what the reply box is about to send (each
//! file uploading on its own request, with its progress, until sent or cancelled).

// Uploading happens in the browser; the server renders only the empty list.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use leptos::{ev::KeyboardEvent, prelude::*};

use crate::i18n::t;
use crate::{
    i18n::{Lang, bytes, locale, tr},
    protocol::{FileLimits, UploadedFile},
};

/// Where a file being attached stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadState {
    /// On its way: bytes sent so far.
    Uploading(u64),
    /// Stored; it goes with the next message.
    Ready(UploadedFile),
    /// Refused or broken off; the reason, in words.
    Failed(String),
}

/// A file attached in the reply box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub key: u64,
    pub name: String,
    pub size: u64,
    pub state: UploadState,
}

/// The files attached in one reply box. `Copy`: a handle.
#[derive(Clone, Copy)]
pub struct Uploads {
    pub list: RwSignal<Vec<Upload>>,
    next: StoredValue<u64>,
    /// The page's language, for the reasons an upload fails.
    lang: RwSignal<Lang>,
}

impl Default for Uploads {
    /// The files of a reply box on this page (made while the page is built).
    fn default() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
            lang: locale(),
        }
    }
}

impl Uploads {
    /// Some file is still uploading.
    pub fn busy(self) -> bool {
        self.list.with(|l| {
            l.iter()
                .any(|u| matches!(u.state, UploadState::Uploading(_)))
        })
    }

    /// The files ready to go with a message.
    pub fn ready(self) -> Vec<UploadedFile> {
        self.list.with_untracked(|l| {
            l.iter()
                .filter_map(|u| match &u.state {
                    UploadState::Ready(file) => Some(file.clone()),
                    _ => None,
                })
                .collect()
        })
    }

    /// The message carrying the ready files left: the box starts empty again.
    pub fn sent(self) {
        self.list.set(Vec::new());
    }

    /// Takes file `key` out: an upload under way is stopped, a stored one removed.
    pub fn remove(self, key: u64) {
        let removed = self.list.try_update(|l| {
            let at = l.iter().position(|u| u.key == key)?;
            Some(l.remove(at))
        });
        #[cfg(feature = "hydrate")]
        if let Some(Some(upload)) = removed {
            browser::stop(key);
            if let UploadState::Ready(file) = upload.state {
                browser::forget(&file.id);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = removed;
    }

    /// Starts uploading `file` (refused at once when over the limit).
    #[cfg(feature = "hydrate")]
    pub fn add(self, file: web_sys::File, limits: &FileLimits) {
        let key = self.next.try_update_value(|n| {
            *n += 1;
            *n
        });
        let Some(key) = key else { return };
        let name = match file.name() {
            // A screenshot pasted from the clipboard.
            n if n.is_empty() || n == "image.png" => t!(self.lang.get_untracked(), "pasted-image"),
            n => n,
        };
        let size = file.size() as u64;
        let too_large = limits.max_file_bytes > 0 && size > limits.max_file_bytes;
        self.list.update(|l| {
            l.push(Upload {
                key,
                name: name.clone(),
                size,
                state: if too_large {
                    UploadState::Failed({
                        let lang = self.lang.get_untracked();
                        t!(
                            lang,
                            "larger-than-limit",
                            size = bytes(lang, limits.max_file_bytes)
                        )
                    })
                } else {
                    UploadState::Uploading(0)
                },
            })
        });
        if !too_large {
            browser::start(self, key, &name, &file);
        }
    }

    fn set(self, key: u64, state: UploadState) {
        self.list.update(|l| {
            if let Some(u) = l.iter_mut().find(|u| u.key == key) {
                u.state = state;
            }
        });
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The requests carrying files: one `XMLHttpRequest` each, for its upload progress.

    use std::{cell::RefCell, collections::HashMap};

    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{ProgressEvent, XmlHttpRequest};

    use super::{UploadState, Uploads};
    use crate::{
        i18n::t,
        protocol::{ErrorBody, UploadedFile},
    };
    use leptos::prelude::GetUntracked;

    /// A request under way and its handlers (dropped once it ends).
    struct Request {
        xhr: XmlHttpRequest,
        _handlers: Vec<Closure<dyn FnMut(ProgressEvent)>>,
    }

    thread_local! {
        static REQUESTS: RefCell<HashMap<u64, Request>> = RefCell::new(HashMap::new());
    }

    pub fn start(uploads: Uploads, key: u64, name: &str, file: &web_sys::File) {
        let lang = uploads.lang.get_untracked();
        let failed = move |key: &str| UploadState::Failed(t!(lang, key));
        let Ok(xhr) = XmlHttpRequest::new() else {
            uploads.set(key, failed("upload-unsupported"));
            return;
        };
        let url = format!(
            "/api/uploads?name={}",
            String::from(js_sys::encode_uri_component(name))
        );
        if xhr.open("POST", &url).is_err() {
            uploads.set(key, failed("upload-cannot-start"));
            return;
        }
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            uploads.set(key, UploadState::Uploading(ev.loaded() as u64));
        });
        let done = {
            let xhr = xhr.clone();
            Closure::<dyn FnMut(ProgressEvent)>::new(move |_: ProgressEvent| {
                let text = xhr.response_text().ok().flatten().unwrap_or_default();
                let state = match xhr.status().unwrap_or(0) {
                    201 => serde_json::from_str::<UploadedFile>(&text)
                        .map_or_else(|_| failed("upload-unreadable-answer"), UploadState::Ready),
                    0 => failed("upload-broke-off"),
                    status => UploadState::Failed(
                        serde_json::from_str::<ErrorBody>(&text)
                            .map(|e| e.message)
                            .unwrap_or_else(|_| t!(lang, "upload-refused", status = status)),
                    ),
                };
                uploads.set(key, state);
                finished(key);
            })
        };
        let broke = Closure::<dyn FnMut(ProgressEvent)>::new(move |_: ProgressEvent| {
            uploads.set(key, failed("upload-broke-off"));
            finished(key);
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        xhr.set_onload(Some(done.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(broke.as_ref().unchecked_ref()));
        if xhr.send_with_opt_blob(Some(file)).is_err() {
            uploads.set(key, failed("upload-cannot-read"));
            return;
        }
        REQUESTS.with(|r| {
            r.borrow_mut().insert(
                key,
                Request {
                    xhr,
                    _handlers: vec![progress, done, broke],
                },
            )
        });
    }

    /// Lets go of a finished request, after the handler running now has returned.
    fn finished(key: u64) {
        leptos::prelude::set_timeout(
            move || {
                REQUESTS.with(|r| r.borrow_mut().remove(&key));
            },
            std::time::Duration::ZERO,
        );
    }

    /// Stops the upload of `key` if it is under way.
    pub fn stop(key: u64) {
        let request = REQUESTS.with(|r| r.borrow_mut().remove(&key));
        if let Some(request) = request {
            request.xhr.set_onload(None);
            request.xhr.set_onerror(None);
            let _ = request.xhr.abort();
        }
    }

    /// Removes a stored upload that will not be sent.
    pub fn forget(id: &str) {
        if let Ok(xhr) = XmlHttpRequest::new()
            && xhr.open("DELETE", &format!("/api/uploads/{id}")).is_ok()
        {
            let _ = xhr.send();
        }
    }
}

/// The files of a `FileList` (a file input's choice, a drop, a paste).
#[cfg(feature = "hydrate")]
pub fn add_all(uploads: Uploads, files: Option<web_sys::FileList>, limits: &FileLimits) -> bool {
    let Some(files) = files else { return false };
    let mut any = false;
    for i in 0..files.length() {
        if let Some(file) = files.get(i) {
            uploads.add(file, limits);
            any = true;
        }
    }
    any
}

/// The reply box's files: a line each with its progress, state and a button taking it out.
/// Rows are keyed by file, so progress updates never replace a row (nor move the focus).
#[component]
pub fn UploadList(uploads: Uploads) -> impl IntoView {
    let lang = locale();
    view! {
        <Show when=move || uploads.list.with(|l| !l.is_empty())>
            <ul class="uploads" aria-label=tr("files-to-send")>
                <For
                    each=move || uploads.list.with(|l| l.iter().map(|u| (u.key, u.name.clone(), u.size)).collect::<Vec<_>>())
                    key=|(key, _, _)| *key
                    children=move |(key, name, size)| {
                        let state = Memo::new(move |_| {
                            uploads.list.with(|l| {
                                l.iter().find(|u| u.key == key).map(|u| u.state.clone())
                            })
                        });
                        let uploading = move || matches!(state.get(), Some(UploadState::Uploading(_)));
                        let shown = {
                            let name = name.clone();
                            move || match state.get() {
                                Some(UploadState::Uploading(sent)) => view! {
                                    <progress
                                        max=size.max(1)
                                        value=sent.min(size)
                                        aria-label=t!(lang.get(), "uploading-name", name = name.clone())
                                    ></progress>
                                }
                                .into_any(),
                                Some(UploadState::Ready(_)) => {
                                    view! { <span class="upload-ready">{tr("upload-ready")}</span> }.into_any()
                                }
                                Some(UploadState::Failed(why)) => view! {
                                    <span class="upload-failed" role="alert">
                                        {t!(lang.get(), "not-uploaded", why = why)}
                                    </span>
                                }
                                .into_any(),
                                None => ().into_any(),
                            }
                        };
                        let remove = {
                            let name = name.clone();
                            move || {
                                let key = if uploading() { "cancel-uploading" } else { "remove-file" };
                                t!(lang.get(), key, name = name.clone())
                            }
                        };
                        view! {
                            <li
                                class="upload"
                                class:failed=move || matches!(state.get(), Some(UploadState::Failed(_)))
                            >
                                <span class="file-name">{name}</span>
                                <span class="file-meta">{move || bytes(lang.get(), size)}</span>
                                {shown}
                                <button
                                    type="button"
                                    class="link remove"
                                    aria-label=remove
                                    title=tr("take-file-out")
                                    on:click=move |_| uploads.remove(key)
                                >
                                    "×"
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
    }
}

/// The reply box's "Attach" control: a file input (labelled "Attach files") behind a label
/// styled as a button, so it is reached by Tab and opened with Enter or Space.
#[component]
pub fn AttachButton(uploads: Uploads, limits: Signal<FileLimits>) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                add_all(uploads, input.files(), &limits.get_untracked());
                // The same file can be chosen again.
                input.set_value("");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, uploads, limits);
    };
    view! {
        <input
            id="attach-files"
            class="visually-hidden"
            type="file"
            multiple
            aria-label=tr("attach-files")
            on:change=on_change
        />
        <label for="attach-files" class="attach button" title=tr("attach-hint")>
            {tr("attach")}
        </label>
    }
}

/// Files a message carries: pictures as previews (opening in the lightbox), everything else
/// as a card with its name, size and type that downloads it.
#[component]
pub fn Attachments(
    files: Vec<UploadedFile>,
    lightbox: RwSignal<Option<UploadedFile>>,
) -> impl IntoView {
    let lang = locale();
    let items = files
        .into_iter()
        .map(|f| {
            let href = format!("/api/files/{}", f.id);
            if let Some(picture) = f.picture {
                let (width, height) = fit(picture.width, picture.height, 240);
                let name = f.name.clone();
                let label = move || t!(lang.get(), "open-full-size", name = name.clone());
                let src = format!("/api/files/{}/preview", f.id);
                let alt = f.name.clone();
                view! {
                    <li>
                        <a
                            class="file-image"
                            href=href
                            aria-label=label
                            on:click=move |ev| {
                                ev.prevent_default();
                                lightbox.set(Some(f.clone()));
                            }
                        >
                            <img src=src alt=alt width=width height=height loading="lazy"/>
                        </a>
                    </li>
                }
                .into_any()
            } else {
                let name = f.name.clone();
                let label = move || t!(lang.get(), "download-name", name = name.clone());
                let (size, content_type) = (f.size, f.content_type.clone());
                view! {
                    <li>
                        <a class="file-card" href=href download=f.name.clone() aria-label=label>
                            <span class="file-name">{f.name.clone()}</span>
                            <span class="file-meta">{move || format!("{} · {content_type}", bytes(lang.get(), size))}</span>
                        </a>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! { <ul class="attachments" aria-label=tr("attachments")>{items}</ul> }
}

/// A picture full size over the page; Esc, the close button or a click beside it closes it.
#[component]
pub fn Lightbox(lightbox: RwSignal<Option<UploadedFile>>) -> impl IntoView {
    let lang = locale();
    let close_ref: NodeRef<leptos::html::Button> = NodeRef::new();
    // The close button takes the focus, so that Esc and Tab work at once.
    Effect::new(move |_| {
        if lightbox.with(Option::is_some)
            && let Some(button) = close_ref.get()
        {
            let _ = button.focus();
        }
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            lightbox.set(None);
        }
    };
    move || {
        lightbox.get().map(|f| {
            let href = format!("/api/files/{}", f.id);
            let label = format!("{} ({})", f.name, bytes(lang.get(), f.size));
            view! {
                <div
                    class="lightbox"
                    role="dialog"
                    aria-modal="true"
                    aria-label=f.name.clone()
                    on:keydown=on_key
                    on:click=move |_| lightbox.set(None)
                >
                    <figure on:click=|ev| ev.stop_propagation()>
                        <img src=href.clone() alt=f.name.clone()/>
                        <figcaption>
                            <span>{label}</span>
                            <a href=href download=f.name.clone()>{tr("download")}</a>
                            <button
                                type="button"
                                node_ref=close_ref
                                aria-label=tr("close-picture")
                                on:click=move |_| lightbox.set(None)
                            >
                                {tr("close")}
                            </button>
                        </figcaption>
                    </figure>
                </div>
            }
        })
    }
}

/// `width` × `height` scaled to fit in a square of `edge` (never enlarged).
fn fit(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let longest = width.max(height).max(1);
    if longest <= edge {
        return (width.max(1), height.max(1));
    }
    let scale =
        |side: u32| ((u64::from(side) * u64::from(edge)) / u64::from(longest)).max(1) as u32;
    (scale(width), scale(height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_keep_their_shape_when_fitted() {
        assert_eq!(fit(1200, 600, 240), (240, 120));
        assert_eq!(fit(600, 1200, 240), (120, 240));
        assert_eq!(fit(100, 50, 240), (100, 50));
        assert_eq!(fit(10_000, 1, 240), (240, 1));
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(bytes(Lang::En, 900), "900 B");
        assert_eq!(bytes(Lang::En, 25 * 1024 * 1024), "25.0 MB");
    }
}
