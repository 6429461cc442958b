//! Follow-up lists: next steps and planned visits falling due (overdue, today, soon) and the
//! monthly touch 每月一卡 (customers not contacted in N days, per owner). An open next step
//! or a customer of the list is planned as a visit in one tap. The lists come from
//! `service::visits::{due, not_contacted}`.

use super::shared::{customer_names, Dialog, Page, Source};
use crate::i18n::fill;
use crate::i18n::visits::{count, due_label};
use crate::route::Route;
use clientscope_core::service::visits::{due, not_contacted, Due, DueKind};
use leptos::prelude::*;

/// How many customers of one owner are listed.
const LISTED: usize = 30;

/// Next steps and planned visits falling due, as of the chosen day.
#[component]
pub fn DueList(page: Page) -> impl IntoView {
    let app = page.app;
    let items = Memo::new(move |_| {
        let p = page.params_or_default();
        let date = page.date.get();
        page.ui.with(|u| app.data.interactions.with(|v| due(v, date, u.owner(), &p)))
    });
    view! {
        <div class="card" data-testid="visit-due">
            <h2>{move || page.t().due_title}</h2>
            {move || {
                let t = page.t();
                let lang = app.lang.get();
                let all = items.get();
                if all.is_empty() {
                    return view! { <p class="empty">{t.due_empty}</p> }.into_any();
                }
                let names = customer_names(app);
                [Due::Overdue, Due::Today, Due::Soon].into_iter().map(|when| {
                    let group: Vec<_> = all.iter().filter(|d| d.when == when).cloned().collect();
                    (!group.is_empty()).then(|| view! {
                        <h3 class=format!("due-head due-{when:?}").to_lowercase()>{due_label(when, lang)} " · " {group.len()}</h3>
                        <ul class="due-list" data-testid=format!("due-{when:?}").to_lowercase()>
                            {group.into_iter().map(|d| {
                                let name = names.get(&d.customer_id).cloned().unwrap_or_else(|| d.customer_id.clone());
                                let days = match d.when {
                                    Due::Overdue => fill(t.due_days_overdue, &[("days", &count(d.days.abs(), t.days_one, t.days_many))]),
                                    Due::Today => t.due_today.to_string(),
                                    Due::Soon => fill(t.due_days_left, &[("days", &count(d.days, t.days_one, t.days_many))]),
                                };
                                let kind = match d.kind { DueKind::NextStep => t.due_kind_next, DueKind::Planned => t.due_kind_planned };
                                let (cid, iid) = (d.customer_id.clone(), d.id.clone());
                                let is_next = d.kind == DueKind::NextStep;
                                view! {
                                    <li class="due-item" data-testid="due-item">
                                        <div>
                                            <a href=Route::Customer(d.customer_id.clone()).href()>{name}</a>
                                            " " <span class="chip chip-soft">{kind}</span>
                                            <div class="small">{d.what.clone()}</div>
                                            <div class="muted small">{d.due.to_string()} " · " {days} {(!d.owner.is_empty()).then(|| format!(" · {}", d.owner))}</div>
                                        </div>
                                        {is_next.then(|| view! {
                                            <button class="small" data-testid="due-plan" on:click=move |_| page.dialog.set(Some(Dialog::Plan(Some(cid.clone()), Source::NextStep(iid.clone()))))>{t.plan_it}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }).collect_view().into_any()
            }}
        </div>
    }
}

/// Customers not contacted in N days, per owner.
#[component]
pub fn NotContactedList(page: Page) -> impl IntoView {
    let app = page.app;
    let report = Memo::new(move |_| {
        let p = page.params_or_default();
        let date = page.date.get();
        page.ui.with(|u| app.data.customers.with(|cs| app.data.interactions.with(|v| not_contacted(cs, v, date, u.owner(), &p))))
    });
    let set_days = move |text: &str| match text.trim().parse::<u32>() {
        Ok(n) => {
            page.edit(|u| u.params.not_contacted_days = n);
            if let Err(e) = page.params() {
                app.fail(fill(page.tu().target_bad, &[("why", &e)]));
            }
        }
        Err(_) => app.fail(page.tu().bad_number),
    };
    view! {
        <div class="card" data-testid="visit-not-contacted">
            <div class="chart-head">
                <h2>{move || page.t().not_contacted_title}</h2>
                <label class="field inline-field">
                    <span>{move || page.t().not_contacted_days}</span>
                    <input type="number" min="1" max="3650" step="1" inputmode="numeric" data-testid="not-contacted-days"
                        prop:value=move || page.ui.with(|u| u.params.not_contacted_days.to_string())
                        on:change=move |ev| set_days(&event_target_value(&ev)) />
                </label>
            </div>
            {move || {
                let t = page.t();
                let r = report.get();
                view! {
                    <p class="muted" data-testid="not-contacted-total">{fill(t.not_contacted_total, &[
                        ("customers", &count(r.total as i64, t.customers_one, t.customers_many)),
                        ("days", &count(r.days as i64, t.days_one, t.days_many)),
                    ])}</p>
                    {r.owners.into_iter().filter(|o| !o.customers.is_empty()).map(|o| {
                        let owner = if o.owner.is_empty() { t.no_owner.to_string() } else { o.owner.clone() };
                        let more = o.customers.len().saturating_sub(LISTED);
                        view! {
                            <details class="owner-group" data-testid="not-contacted-owner">
                                <summary>{fill(t.not_contacted_summary, &[
                                    ("owner", &owner),
                                    ("n", &o.customers.len()),
                                    ("active", &count(o.active_customers as i64, t.active_one, t.active_many)),
                                ])}</summary>
                                <ul class="due-list">
                                    {o.customers.into_iter().take(LISTED).map(|c| {
                                        let since = match (c.last_contact, c.days_since) {
                                            (Some(d), Some(n)) => fill(t.last_contact, &[("date", &d), ("days", &count(n, t.days_one, t.days_many))]),
                                            _ => t.never.to_string(),
                                        };
                                        let cid = c.customer_id.clone();
                                        view! {
                                            <li class="due-item">
                                                <div><a href=Route::Customer(c.customer_id.clone()).href()>{c.name}</a>
                                                    <div class="muted small">{since}</div></div>
                                                <button class="small" data-testid="not-contacted-plan" on:click=move |_| page.dialog.set(Some(Dialog::Plan(Some(cid.clone()), Source::NotContacted)))>{t.plan_it}</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {(more > 0).then(|| view! { <p class="muted small">{fill(t.more, &[("n", &more)])}</p> })}
                            </details>
                        }
                    }).collect_view()}
                }
            }}
        </div>
    }
}
