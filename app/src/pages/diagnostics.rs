//! Quick diagnostics beside the ticket (staff only): a DNS lookup or a Whois query of the
//! member's domain, the answer shown here and, if the operator chooses, kept as a hidden note.

use leptos::prelude::*;

use crate::i18n::{Lang, locale, t, tr};
use crate::live::Live;
use crate::protocol::{Diagnosis, DiagnosisKind, DiagnosisRequest, DnsRecord};

/// Whether a service's address reads as a domain name (not a mail address or a web address).
fn domain_like(address: &str) -> bool {
    address.contains('.')
        && address
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// The hidden note a diagnosis is kept as: what was asked, of whom, then the answer.
fn as_note(d: &Diagnosis, lang: Lang) -> String {
    let what = d.question();
    let head = t!(
        lang,
        "diagnosis-note",
        what = what,
        server = d.server.clone()
    );
    format!("{head}\n{}", d.output.trim_end())
}

#[component]
pub(crate) fn Diagnostics(live: Live) -> impl IntoView {
    let lang = locale();
    // The member's first service with a domain, once their profile is read.
    let hint = Memo::new(move |_| {
        live.profile.with(|p| {
            p.profile.as_ref().and_then(|p| {
                p.services
                    .iter()
                    .filter_map(|s| s.service.address.clone())
                    .find(|a| domain_like(a))
            })
        })
    });
    let domain = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(hint) = hint.get()
            && domain.get_untracked().is_empty()
        {
            domain.set(hint);
        }
    });
    let record = RwSignal::new(DnsRecord::A);
    let kept = RwSignal::new(false);
    let ticket = move || live.open.with_untracked(|o| o.as_ref().map(|o| o.id));
    let run = move |kind: DiagnosisKind| {
        if let Some(id) = ticket() {
            kept.set(false);
            live.diagnose(
                id,
                DiagnosisRequest {
                    kind,
                    domain: domain.get_untracked(),
                    record: (kind == DiagnosisKind::Dns).then(|| record.get_untracked()),
                },
            );
        }
    };
    let running = move || live.diagnosis.with(|d| d.running());
    let keep = move |_| {
        let found = live.diagnosis.with_untracked(|d| d.diagnosis.clone());
        if let (Some(id), Some(found)) = (ticket(), found) {
            live.send_message(
                id,
                as_note(&found, lang.get_untracked()),
                true,
                false,
                Vec::new(),
            );
            kept.set(true);
        }
    };
    let result = move || {
        let state = live.diagnosis.get();
        if let Some(error) = state.error {
            return Some(view! { <p class="alert" role="alert">{error}</p> }.into_any());
        }
        let found = state.diagnosis?;
        let about = format!(
            "{} · {} · {} ms",
            found.question(),
            found.server,
            found.took_ms
        );
        Some(
            view! {
                <p class="small muted" data-testid="diagnosis-about">{about}</p>
                <pre
                    class="diagnosis"
                    class:failed=found.failed
                    tabindex="0"
                    aria-label=tr("diagnosis-output")
                    data-testid="diagnosis"
                >
                    {found.output.clone()}
                </pre>
                <div class="row-actions">
                    <button type="button" on:click=keep disabled=move || kept.get()>
                        {tr("diagnosis-keep")}
                    </button>
                    <span class="muted small" role="status">
                        {move || kept.get().then(|| t!(lang.get(), "diagnosis-kept"))}
                    </span>
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <section class="diagnostics" aria-labelledby="diagnostics-title">
            <h3 class="section" id="diagnostics-title">{tr("diagnostics")}</h3>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                run(DiagnosisKind::Dns);
            }>
                <label for="diagnostics-domain">{tr("diagnostics-domain")}</label>
                <input
                    id="diagnostics-domain"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="shop.example"
                    prop:value=move || domain.get()
                    on:input=move |ev| domain.set(event_target_value(&ev))
                />
                <div class="row-actions">
                    <label class="inline">
                        {tr("diagnostics-record")}
                        <select on:change=move |ev| {
                            if let Some(r) = DnsRecord::parse(&event_target_value(&ev)) {
                                record.set(r);
                            }
                        }>
                            {DnsRecord::OFFERED
                                .into_iter()
                                .map(|r| view! { <option value=r.as_str()>{r.as_str()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="submit" disabled=running>{tr("diagnostics-dns")}</button>
                    <button type="button" disabled=running on:click=move |_| run(DiagnosisKind::Whois)>
                        {tr("diagnostics-whois")}
                    </button>
                </div>
            </form>
            <p class="muted small" role="status">
                {move || running().then(|| t!(lang.get(), "diagnostics-running"))}
            </p>
            {result}
        </section>
    }
}
