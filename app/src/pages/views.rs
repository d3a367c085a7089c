//! Staff's board head: the views (mine, unassigned, all open, waiting on the member,
//! archived, and the person's saved ones), the sort, and the filters folded into one bar
//! whose active parts show as chips.

use crate::i18n::t;
use crate::{
    i18n::{locale, tr},
    live::Live,
    protocol::{
        BoardSort, BoardState, Department, DepartmentId, OptionId, OptionKind, Queue, QueueId,
        SavedView, TicketFilter, TicketOption, UserId,
    },
};
use leptos::prelude::*;

/// The built-in views: what each shows, and its name in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Mine,
    Unassigned,
    AllOpen,
    WaitingOnMember,
    Archived,
}

impl View {
    const ALL: [View; 5] = [
        View::Mine,
        View::Unassigned,
        View::AllOpen,
        View::WaitingOnMember,
        View::Archived,
    ];

    fn key(self) -> &'static str {
        match self {
            View::Mine => "view-mine",
            View::Unassigned => "view-unassigned",
            View::AllOpen => "view-all-open",
            View::WaitingOnMember => "view-waiting-on-member",
            View::Archived => "view-archived",
        }
    }

    /// `filter` shown through this view: its state and holder set, its parameters kept.
    fn apply(self, filter: &TicketFilter, me: UserId) -> TicketFilter {
        let (state, assignee, unassigned) = match self {
            View::Mine => (BoardState::Queue, Some(me), false),
            View::Unassigned => (BoardState::Queue, None, true),
            View::AllOpen => (BoardState::Queue, None, false),
            View::WaitingOnMember => (BoardState::WaitingOnMember, None, false),
            View::Archived => (BoardState::Archived, None, false),
        };
        TicketFilter {
            state,
            assignee,
            unassigned,
            ..filter.clone()
        }
    }

    /// Whether `filter` is this view (whatever its parameters).
    fn shows(self, filter: &TicketFilter, me: UserId) -> bool {
        self.apply(filter, me) == *filter
    }
}

/// The views, the sort and the filters above staff's list.
#[component]
pub(crate) fn BoardHead(
    live: Live,
    me_id: UserId,
    departments: Vec<Department>,
    options: Vec<TicketOption>,
    queues: Vec<Queue>,
) -> impl IntoView {
    let lang = locale();
    let views = View::ALL.map(|view| {
        let pressed = move || live.filter.with(|f| view.shows(f, me_id));
        view! {
            <button
                type="button"
                class="view"
                aria-pressed=move || if pressed() { "true" } else { "false" }
                on:click=move |_| live.set_filter(view.apply(&live.filter.get_untracked(), me_id))
            >
                {move || t!(lang.get(), view.key())}
            </button>
        }
    });
    let saved = move || {
        live.workspace()
            .saved_views
            .into_iter()
            .enumerate()
            .map(|(i, saved)| view! { <SavedViewButton live index=i saved /> })
            .collect_view()
    };
    let sorts = BoardSort::ALL.map(|sort| {
        view! {
            <option value=sort.as_str() selected=move || live.with_workspace(|w| w.sort) == sort>
                {move || t!(lang.get(), &format!("sort-{}", sort.as_str()))}
            </option>
        }
    });
    let sla = move || live.breaches(live.tick(), |_| true);
    view! {
        <div class="board-head">
            <div class="views" role="group" aria-label=tr("views")>
                {views}
                {saved}
            </div>
            <div class="board-tools">
                <label class="sort">
                    <span>{tr("sort-by")}</span>
                    <select on:change=move |ev| {
                        if let Some(sort) = BoardSort::parse(&event_target_value(&ev)) {
                            let mut workspace = live.workspace();
                            workspace.sort = sort;
                            live.set_workspace(workspace);
                        }
                    }>{sorts}</select>
                </label>
                {move || {
                    let n = sla();
                    (n > 0)
                        .then(|| {
                            view! {
                                <span class="breaches" role="status" data-testid="breaches">
                                    {t!(lang.get(), "past-target", count = n)}
                                </span>
                            }
                        })
                }}
            </div>
            <BoardFilters live departments options queues />
        </div>
    }
}

/// A view the person saved: shows it, and can be removed.
#[component]
fn SavedViewButton(live: Live, index: usize, saved: SavedView) -> impl IntoView {
    let lang = locale();
    let filter = saved.filter.clone();
    let pressed = move || live.filter.with(|f| *f == filter);
    let name = saved.name.clone();
    let shown = saved.filter;
    view! {
        <span class="saved-view">
            <button
                type="button"
                class="view"
                aria-pressed=move || if pressed() { "true" } else { "false" }
                on:click=move |_| live.set_filter(shown.clone())
            >
                {saved.name.clone()}
            </button>
            <button
                type="button"
                class="link remove"
                aria-label=move || t!(lang.get(), "remove-view", name = name.clone())
                on:click=move |_| {
                    let mut workspace = live.workspace();
                    if index < workspace.saved_views.len() {
                        workspace.saved_views.remove(index);
                        live.set_workspace(workspace);
                    }
                }
            >
                "×"
            </button>
        </span>
    }
}

/// What removing a chip does to the filter.
type Clear = Box<dyn Fn(&mut TicketFilter)>;

/// The filters: folded into one button, their active parts as chips that remove them.
#[component]
fn BoardFilters(
    live: Live,
    departments: Vec<Department>,
    options: Vec<TicketOption>,
    queues: Vec<Queue>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let naming = RwSignal::new(None::<String>);
    let lang = locale();
    let change = move |edit: &dyn Fn(&mut TicketFilter)| {
        let mut filter = live.filter.get_untracked();
        edit(&mut filter);
        live.set_filter(filter);
    };
    let parse = |ev: &leptos::ev::Event| event_target_value(ev).parse::<i64>().ok();
    let option_select = {
        let options = options.clone();
        move |kind: OptionKind| {
            let choices: Vec<TicketOption> =
                options.iter().filter(|o| o.kind == kind).cloned().collect();
            let current = move || live.filter.with(|f| option_of(f, kind));
            view! {
                <select
                    aria-label=move || t!(lang.get(), &format!("filter-by-{}", kind.key()))
                    on:change=move |ev| {
                        let id = parse(&ev).map(OptionId);
                        change(&|f: &mut TicketFilter| set_option(f, kind, id));
                    }
                >
                    <option value="" selected=move || current().is_none()>
                        {move || t!(lang.get(), &format!("any-{}", kind.key()))}
                    </option>
                    {choices
                        .into_iter()
                        .map(|o| {
                            let id = o.id;
                            view! { <option value=o.id.0 selected=move || current() == Some(id)>{o.label}</option> }
                        })
                        .collect_view()}
                </select>
            }
        }
    };
    let states = BoardState::ALL.map(|state| {
        view! {
            <option value=state.as_str() selected=move || live.filter.with(|f| f.state == state)>
                {move || t!(lang.get(), state_key(state))}
            </option>
        }
    });
    let several_departments = departments.len() > 1;
    let queue_choices = queues.clone();
    let chips = {
        let (departments, options, queues) = (departments.clone(), options.clone(), queues);
        move || {
            let filter = live.filter.get();
            let lang = lang.get();
            let mut chips: Vec<(String, Clear)> = Vec::new();
            if let Some(d) = filter.department {
                let name = departments
                    .iter()
                    .find(|x| x.id == d)
                    .map(|x| x.name.clone());
                chips.push((
                    t!(lang, "chip-department", name = name.unwrap_or_default()),
                    Box::new(|f| f.department = None),
                ));
            }
            if let Some(q) = filter.queue {
                let name = queues.iter().find(|x| x.id == q).map(|x| x.name.clone());
                chips.push((
                    t!(lang, "chip-queue", name = name.unwrap_or_default()),
                    Box::new(|f| f.queue = None),
                ));
            }
            for kind in OptionKind::ALL {
                if let Some(id) = option_of(&filter, kind) {
                    let label = options.iter().find(|o| o.id == id).map(|o| o.label.clone());
                    chips.push((
                        format!(
                            "{}: {}",
                            t!(lang, &format!("chip-{}", kind.key())),
                            label.unwrap_or_default()
                        ),
                        Box::new(move |f| set_option(f, kind, None)),
                    ));
                }
            }
            if let Some(member) = filter.member {
                let name = live.tickets.with_untracked(|list| {
                    list.iter()
                        .find(|t| t.member.id == member)
                        .map(|t| t.member.name.clone())
                });
                chips.push((
                    t!(
                        lang,
                        "member-chip",
                        name = name.unwrap_or_else(|| t!(lang, "member-number", id = member.0))
                    ),
                    Box::new(|f| f.member = None),
                ));
            }
            chips
                .into_iter()
                .map(|(text, clear)| {
                    let label = t!(lang, "remove-filter", name = text.clone());
                    view! {
                        <span class="chip">
                            {text}
                            <button
                                type="button"
                                class="link"
                                aria-label=label
                                on:click=move |_| change(&|f: &mut TicketFilter| clear(f))
                            >
                                "×"
                            </button>
                        </span>
                    }
                })
                .collect_view()
        }
    };
    let active = move || {
        live.filter.with(|f| {
            usize::from(f.department.is_some())
                + usize::from(f.queue.is_some())
                + usize::from(f.member.is_some())
                + OptionKind::ALL
                    .iter()
                    .filter(|k| option_of(f, **k).is_some())
                    .count()
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(name) = naming.get_untracked().map(|n| n.trim().to_owned()) else {
            return;
        };
        if name.is_empty() {
            return;
        }
        let mut workspace = live.workspace();
        workspace.saved_views.push(SavedView {
            name,
            filter: live.filter.get_untracked(),
        });
        live.set_workspace(workspace);
        naming.set(None);
    };
    view! {
        <div class="filter-bar">
            <button
                type="button"
                class="filters-toggle"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="board-filters"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {tr("filters")}
                {move || {
                    let n = active();
                    (n > 0).then(|| view! { <span class="count">{n}</span> })
                }}
            </button>
            {chips}
            <button
                type="button"
                class="link save-view"
                on:click=move |_| naming.set(Some(String::new()))
            >
                {tr("save-view")}
            </button>
        </div>
        <Show when=move || naming.get().is_some()>
            <form class="name-view" on:submit=save>
                <input
                    type="text"
                    aria-label=tr("view-name")
                    maxlength=crate::protocol::MAX_VIEW_NAME_CHARS
                    autofocus
                    prop:value=move || naming.get().unwrap_or_default()
                    on:input=move |ev| naming.set(Some(event_target_value(&ev)))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            naming.set(None);
                        }
                    }
                />
                <button type="submit">{tr("save")}</button>
                <button type="button" class="link" on:click=move |_| naming.set(None)>{tr("cancel")}</button>
            </form>
        </Show>
        <div
            id="board-filters"
            class="board-filters"
            role="group"
            aria-label=tr("board-filters")
            hidden=move || !open.get()
        >
            <select
                aria-label=tr("show-tickets")
                on:change=move |ev| {
                    if let Some(state) = BoardState::parse(&event_target_value(&ev)) {
                        change(&|f: &mut TicketFilter| f.state = state);
                    }
                }
            >
                {states}
            </select>
            <Show when=move || several_departments>
                <select
                    aria-label=tr("filter-by-department")
                    on:change=move |ev| {
                        let id = parse(&ev).map(DepartmentId);
                        change(&|f: &mut TicketFilter| f.department = id);
                    }
                >
                    <option value="" selected=move || live.filter.with(|f| f.department.is_none())>
                        {tr("every-department")}
                    </option>
                    {departments
                        .iter()
                        .map(|d| {
                            let id = d.id;
                            view! {
                                <option value=d.id.0 selected=move || live.filter.with(|f| f.department == Some(id))>
                                    {d.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Show>
            <select
                aria-label=tr("filter-by-queue")
                on:change=move |ev| {
                    let id = parse(&ev).map(QueueId);
                    change(&|f: &mut TicketFilter| f.queue = id);
                }
            >
                <option value="" selected=move || live.filter.with(|f| f.queue.is_none())>{tr("every-queue")}</option>
                {queue_choices
                    .iter()
                    .map(|q| {
                        let id = q.id;
                        view! {
                            <option value=q.id.0 selected=move || live.filter.with(|f| f.queue == Some(id))>
                                {q.name.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {option_select(OptionKind::Status)}
            {option_select(OptionKind::Criticality)}
            {option_select(OptionKind::Category)}
            {option_select(OptionKind::Service)}
        </div>
    }
}

fn state_key(state: BoardState) -> &'static str {
    match state {
        BoardState::Queue => "state-queue",
        BoardState::AwaitingMember => "state-awaiting",
        BoardState::WaitingOnMember => "state-waiting-on-member",
        BoardState::Archived => "state-archived",
        BoardState::All => "state-all",
    }
}

/// The option of `kind` the filter asks for.
fn option_of(filter: &TicketFilter, kind: OptionKind) -> Option<OptionId> {
    match kind {
        OptionKind::Status => filter.status,
        OptionKind::Criticality => filter.criticality,
        OptionKind::Category => filter.category,
        OptionKind::Service => filter.service,
    }
}

fn set_option(filter: &mut TicketFilter, kind: OptionKind, id: Option<OptionId>) {
    match kind {
        OptionKind::Status => filter.status = id,
        OptionKind::Criticality => filter.criticality = id,
        OptionKind::Category => filter.category = id,
        OptionKind::Service => filter.service = id,
    }
}
