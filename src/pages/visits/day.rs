//! The day view 日计划: the daily target with its progress (editable target) and the day's
//! interactions in time order, each planned one with one tap to log its outcome, to move it
//! or to call it off. Every figure comes from `service::visits::day_plan`.

use super::shared::{customer_names, hm, Dialog, Page};
use crate::i18n::fill;
use crate::i18n::visits::{class_label, status_label};
use crate::i18n::Label;
use crate::route::Route;
use crate::state;
use clientscope_core::model::InteractionStatus;
use clientscope_core::service::visits::{cancel, day_plan, DayPlan};
use leptos::prelude::*;

/// The target card and the plan of the chosen day.
#[component]
pub fn DayView(page: Page) -> impl IntoView {
    let app = page.app;
    let plan = Memo::new(move |_| {
        let p = page.params_or_default();
        let date = page.date.get();
        page.ui.with(|u| app.data.interactions.with(|v| day_plan(v, date, u.owner(), &p)))
    });
    view! {
        <TargetCard page=page plan=plan />
        <div class="card" data-testid="visit-plan">
            <h2>{move || page.t().plan_title} " · " {move || page.date.get().to_string()}</h2>
            {move || {
                let names = customer_names(app);
                let lang = app.lang.get();
                let t = page.t();
                let p = plan.get();
                if p.items.is_empty() {
                    return view! { <p class="empty" data-testid="visit-plan-empty">{t.plan_empty}</p> }.into_any();
                }
                let items = app.data.interactions.with(|v| p.items.iter().filter_map(|it| v.get(it.index).cloned().map(|i| (it.clone(), i))).collect::<Vec<_>>());
                view! {
                    <ol class="visit-list">
                        {items.into_iter().map(|(it, i)| {
                            let id = i.id.clone();
                            let name = names.get(&i.customer_id).cloned().unwrap_or_else(|| i.customer_id.clone());
                            let time = match (it.start, it.end) {
                                (Some(s), Some(e)) => format!("{}–{}", hm(&s), hm(&e)),
                                (Some(s), None) => hm(&s),
                                _ => t.all_day.to_string(),
                            };
                            let status = i.status;
                            let open = status == InteractionStatus::Planned;
                            let (id_log, id_move, id_cancel) = (id.clone(), id.clone(), id.clone());
                            let name_cancel = name.clone();
                            let details: Vec<String> = [i.who.clone(), i.method.clone(), i.location.clone()].into_iter().filter(|s| !s.is_empty()).collect();
                            view! {
                                <li class=format!("visit-item visit-{}", status.name()) data-testid="visit-item" data-id=id.clone() data-status=status.name()>
                                    <div class="visit-time">{time}</div>
                                    <div class="visit-body">
                                        <div class="visit-title">
                                            <a href=Route::Customer(i.customer_id.clone()).href() data-testid="visit-customer">{name}</a>
                                            <span class="chip">{i.kind.label(lang)}</span>
                                            {it.class.map(|c| view! { <span class="chip chip-soft">{class_label(c, lang)}</span> })}
                                            {(!open).then(|| view! { <span class=format!("chip chip-{}", status.name())>{status_label(status, lang)}</span> })}
                                        </div>
                                        <div class="visit-purpose" data-testid="visit-purpose">{i.purpose.clone()}</div>
                                        {(!details.is_empty()).then(|| view! { <div class="muted small">{details.join(" · ")}</div> })}
                                        {(!i.reason.is_empty()).then(|| view! { <div class="muted small">{i.reason.clone()}</div> })}
                                        {(!i.outcome.is_empty()).then(|| view! { <div class="visit-outcome">{fill(t.outcome_line, &[("text", &i.outcome)])}</div> })}
                                        {(!i.next_action.is_empty()).then(|| view! {
                                            <div class="visit-outcome">{fill(t.next_line, &[("text", &i.next_action)])} {i.next_due.map(|d| format!(" · {d}"))}</div>
                                        })}
                                        {open.then(|| view! {
                                            <div class="actions visit-actions">
                                                <button class="primary" data-testid="visit-log" on:click=move |_| page.dialog.set(Some(Dialog::Log(id_log.clone())))>{t.log}</button>
                                                <button data-testid="visit-reschedule" on:click=move |_| page.dialog.set(Some(Dialog::Reschedule(id_move.clone())))>{t.reschedule}</button>
                                                <button class="ghost" data-testid="visit-cancel" on:click=move |_| {
                                                    let Some(v) = super::shared::interaction(app, &id_cancel) else { return };
                                                    let name = name_cancel.clone();
                                                    let c = cancel(&v, chrono::Utc::now());
                                                    leptos::task::spawn_local(async move {
                                                        match state::save_interactions(app, vec![c]).await {
                                                            Ok(()) => app.say(fill(page.tu().cancelled_toast, &[("name", &name)])),
                                                            Err(e) => app.fail_store(&e),
                                                        }
                                                    });
                                                }>{t.cancel_visit}</button>
                                            </div>
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </div>
    }
}

/// The daily target: new visits and follow-ups, done against target with the planned ones,
/// and the editable target.
#[component]
fn TargetCard(page: Page, plan: Memo<DayPlan>) -> impl IntoView {
    let app = page.app;
    let editing = RwSignal::new(false);
    let row = move |label: &'static str, done: u32, target: u32, planned: u32, testid: &'static str| {
        view! {
            <div class="target-row" data-testid=testid>
                <div class="target-head"><strong>{label}</strong>
                    <span class="muted">{fill(page.t().target_progress, &[("done", &done), ("target", &target), ("planned", &planned)])}</span></div>
                <progress max=target.max(1) value=done></progress>
            </div>
        }
    };
    let target_input = move |testid: &'static str, label: fn(&crate::i18n::visits::VisitTexts) -> &'static str, get: fn(&super::shared::PageUi) -> u32, set: fn(&mut super::shared::PageUi, u32)| {
        view! {
            <label class="field">
                <span>{move || label(page.t())}</span>
                <input type="number" min="0" max="1000" step="1" inputmode="numeric" data-testid=testid
                    prop:value=move || page.ui.with(|u| get(u).to_string())
                    on:change=move |ev| {
                        let Ok(n) = event_target_value(&ev).trim().parse::<u32>() else {
                            app.fail(page.tu().bad_number);
                            return;
                        };
                        page.edit(|u| set(u, n));
                        if let Err(e) = page.params() {
                            app.fail(fill(page.tu().target_bad, &[("why", &e)]));
                        }
                    } />
            </label>
        }
    };
    view! {
        <div class="card target-card" data-testid="visit-target">
            <div class="chart-head">
                <h2>{move || page.t().target_title}</h2>
                <button class="ghost" data-testid="visit-target-edit" on:click=move |_| editing.update(|e| *e = !*e)>{move || page.t().target_edit}</button>
            </div>
            {move || {
                let p = plan.get().progress;
                let t = page.t();
                view! {
                    {row(t.target_new, p.done_new, p.target_new, p.planned_new, "target-new")}
                    {row(t.target_follow_up, p.done_follow_up, p.target_follow_up, p.planned_follow_up, "target-follow-up")}
                    {if p.met() {
                        view! { <p class="ok" data-testid="target-met">{t.target_met}</p> }.into_any()
                    } else if !p.plan_meets_target() {
                        view! { <p class="muted" data-testid="target-short">{t.target_plan_short}</p> }.into_any()
                    } else {
                        ().into_any()
                    }}
                }
            }}
            {move || editing.get().then(|| view! {
                <div class="form-grid visit-target-form">
                    {target_input("visit-target-new", |t| t.target_new, |u| u.params.target_new, |u, n| u.params.target_new = n)}
                    {target_input("visit-target-follow-up", |t| t.target_follow_up, |u| u.params.target_follow_up, |u, n| u.params.target_follow_up = n)}
                </div>
            })}
        </div>
    }
}
