//! The lists: overdue, due today, due within 4 business hours, waiting for the customer,
//! all; each complaint with its state and clock.

use clientscope_core::dashboard::ListKind;
use super::shared::{self, Filter, Page};
use crate::i18n::complaints::CompTexts;
use crate::state::AppState;
use crate::i18n::{fill, Label};
use clientscope_core::service::complaints::{due_counts, ComplaintClock, ComplaintState};
use leptos::prelude::*;

/// How many complaints a list shows at most.
const SHOWN: usize = 100;

/// The clock of a complaint in words: elapsed, paused, left (or late), the deadline of the
/// running clock. Every number comes from the core's `ComplaintClock`.
pub fn clock_text(page: Page, t: &'static CompTexts, k: &ComplaintClock) -> String {
    clock_words(page.app, t, k)
}

/// [`clock_text`] outside the complaints page (a customer's page).
pub fn clock_words(app: AppState, t: &'static CompTexts, k: &ComplaintClock) -> String {
    let mut parts = vec![fill(t.clock_elapsed, &[("h", &shared::hours(k.elapsed_hours))])];
    if k.paused_hours > 0.0 {
        parts.push(fill(t.clock_paused, &[("h", &shared::hours(k.paused_hours))]));
    }
    match k.left_hours {
        Some(left) if left < 0.0 => parts.push(fill(t.clock_late, &[("h", &shared::hours(-left))])),
        Some(left) => parts.push(fill(t.clock_left, &[("h", &shared::hours(left))])),
        None => parts.push(t.clock_stopped.to_string()),
    }
    let deadline = if k.state == ComplaintState::Registered { k.confirm_deadline } else { k.resolve_deadline };
    if let (Some(_), Some(d)) = (k.left_hours, deadline) {
        parts.push(fill(t.clock_deadline, &[("at", &shared::when(app, d))]));
    }
    parts.join(" · ")
}

/// The CSS class of a state chip.
pub fn state_class(k: &ComplaintClock) -> String {
    let late = if k.confirm_overdue || k.resolve_overdue { " chip-late" } else { "" };
    format!("chip chip-state chip-{}{late}", k.state.name())
}

/// The lists tab.
#[component]
pub fn Lists(page: Page) -> impl IntoView {
    let app = page.app;
    let filter = Memo::new(move |_| page.ui.with(|u| u.filter));
    let counts = Memo::new(move |_| page.report.with(due_counts));
    let shown = Memo::new(move |_| {
        let f = filter.get();
        // A dashboard tile's list (pages::dashboard): only its complaints, whatever the chip.
        let pick = app.pick.get().filter(|p| p.kind == ListKind::Complaints);
        page.report.with(|r| {
            let mut v: Vec<ComplaintClock> = r
                .per_complaint
                .iter()
                .filter(|k| match f {
                    _ if pick.is_some() => pick.as_ref().is_some_and(|p| p.ids.contains(&k.id)),
                    Filter::Overdue => k.confirm_overdue || k.resolve_overdue,
                    Filter::DueToday => k.due_today,
                    Filter::DueSoon => k.due_soon,
                    Filter::Waiting => k.waiting,
                    Filter::All => true,
                })
                .cloned()
                .collect();
            v.sort_by(|a, b| b.received_at.cmp(&a.received_at).then_with(|| b.id.cmp(&a.id)));
            v
        })
    });
    let chip = move |which: Filter, testid: &'static str, label: fn(&CompTexts) -> &'static str, n: fn(&clientscope_core::service::complaints::DueCounts) -> Option<usize>| {
        view! {
            <button class=move || if filter.get() == which { "filter-chip active" } else { "filter-chip" } data-testid=testid
                aria-pressed=move || (filter.get() == which).to_string()
                on:click=move |_| page.edit(move |u| u.filter = which)>
                {move || label(page.t())}
                {move || {
                    let n = n(&counts.get()).unwrap_or_else(|| page.report.with(|r| r.complaints));
                    view! { <span class="filter-count">{n}</span> }
                }}
            </button>
        }
    };
    view! {
        <crate::components::pick::PickChip kind=ListKind::Complaints />
        <div class="cmp-filters" role="group">
            {chip(Filter::Overdue, "cmp-filter-overdue", |t| t.filter_overdue, |c| Some(c.overdue))}
            {chip(Filter::DueToday, "cmp-filter-due-today", |t| t.filter_due_today, |c| Some(c.due_today))}
            {chip(Filter::DueSoon, "cmp-filter-due-soon", |t| t.filter_due_soon, |c| Some(c.due_soon))}
            {chip(Filter::Waiting, "cmp-filter-waiting", |t| t.filter_waiting, |c| Some(c.waiting))}
            {chip(Filter::All, "cmp-filter-all", |t| t.filter_all, |_| None)}
        </div>
        {move || {
            let t = page.t();
            let years = page.report.with(|r| r.unscheduled_years.clone());
            (!years.is_empty()).then(|| {
                let years = years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ");
                view! { <p class="stated small">{fill(t.unscheduled, &[("years", &years)])}</p> }
            })
        }}
        {move || {
            let n = page.report.with(|r| r.rejected.len());
            (n > 0).then(|| view! { <p class="muted small">{fill(page.t().list_rejected, &[("n", &n)])}</p> })
        }}
        <div class="card">
            {move || {
                let t = page.t();
                let lang = app.lang.get();
                let items = shown.get();
                if items.is_empty() {
                    return view! { <p class="empty" data-testid="cmp-empty">{t.list_empty}</p> }.into_any();
                }
                let total = items.len();
                view! {
                    <ul class="cmp-list" data-testid="cmp-list">
                        {items.into_iter().take(SHOWN).map(|k| {
                            let id = k.id.clone();
                            let clock = clock_text(page, t, &k);
                            view! {
                                <li class="cmp-item" data-testid="complaint-item" data-id=k.id.clone() data-state=k.state.name()>
                                    <div class="cmp-title">
                                        <button class="linkish" data-testid="complaint-open" on:click=move |_| page.open.set(Some(id.clone()))>{page.name(&k.customer_id)}</button>
                                        <span class=state_class(&k)>{k.state.label(lang)}</span>
                                        <span class=if k.severity == clientscope_core::model::Severity::Major { "chip chip-major" } else { "chip chip-soft" }>{k.severity.label(lang)}</span>
                                    </div>
                                    <div class="muted small">{k.id.clone()} " · " {k.category.clone()} " · " {shared::when(app, k.received_at)}</div>
                                    <div class="cmp-clock small" data-testid="complaint-clock">{clock}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(total > SHOWN).then(|| view! { <p class="muted small">{fill(t.list_more, &[("shown", &SHOWN), ("n", &total)])}</p> })}
                }.into_any()
            }}
        </div>
    }
}
