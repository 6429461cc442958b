//! The visits page 客户拜访 (SPEC §7, issue 11 §3), built for a phone at 375 px first.
//!
//! - [`day`]: the day plan in time order with the daily target and its progress (editable
//!   target), and one tap to log an outcome, move or cancel a visit;
//! - [`dialogs`]: log an outcome with its next step, reschedule, and plan a visit with the
//!   five elements ([`PlanDialog`] is also opened from a customer's page, the value page's
//!   decline-warning and win-back lists and a resolved complaint);
//! - [`follow_up`]: next steps and planned visits falling due, and the customers not
//!   contacted in N days per owner;
//! - [`referrals`]: referral counts and the revenue of referred customers per referrer.
//!
//! One owner filter and the chosen day apply to the whole page; the filter and the
//! parameters (target, N) are remembered in `settings.pages["visits"]`, the day is kept in
//! the address (`#/visits?day=2026-03-02`) so that a reload or a shared link shows it. Exports: the visit
//! log as CSV (`io::visits`) and the planned visits as an iCalendar file (`io::ical`).
//! Pages hold no arithmetic: every figure and list comes from `service::visits`.

mod day;
mod dialogs;
mod follow_up;
mod referrals;
pub mod shared;

pub use dialogs::PlanDialog;
pub use shared::Source;

use crate::files;
use crate::i18n::fill;
use crate::state::{use_app, AppState};
use clientscope_core::io::export::CsvEncoding;
use clientscope_core::io::ical::{write_ics, IcsParams, IcsZone};
use clientscope_core::io::visits::{visits_csv, visits_table};
use crate::components::excel::ExcelButton;
use clientscope_core::model::Interaction;
use shared::{today, Dialog, Page};
use leptos::prelude::*;

/// The visits page.
#[component]
pub fn VisitsPage() -> impl IntoView {
    let app = use_app();
    let page = Page::new(app);
    page.keep_day_in_address();
    let owners = Memo::new(move |_| app.data.customers.with(|cs| clientscope_core::query::distinct_owners(cs)));
    let close = Callback::new(move |_| page.dialog.set(None));
    view! {
        <section class="page visits-page" data-testid="page-visits">
            <div class="page-head">
                <h1>{move || page.t().title}</h1>
                <div class="actions">
                    <button class="primary" data-testid="visit-plan-new" on:click=move |_| page.dialog.set(Some(Dialog::Plan(None, Source::Customer)))>{move || page.t().plan_visit}</button>
                </div>
            </div>
            <div class="filters visit-filters">
                <label class="field">
                    <span>{move || page.t().day}</span>
                    <div class="visit-day">
                        <input type="date" data-testid="visit-date"
                            prop:value=move || page.date.get().to_string()
                            on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { page.date.set(d) } />
                        <button class="ghost" data-testid="visit-today" on:click=move |_| page.date.set(today(app))>{move || page.t().today}</button>
                    </div>
                </label>
                <label class="field">
                    <span>{move || page.t().owner}</span>
                    <select data-testid="visit-owner" on:change=move |ev| { let v = event_target_value(&ev); page.edit(|u| u.owner = v) }>
                        <option value="" selected=move || page.ui.with(|u| u.owner.is_empty())>{move || page.t().everyone}</option>
                        {move || owners.get().into_iter().map(|o| {
                            let sel = o.clone();
                            view! { <option value=o.clone() selected=move || page.ui.with(|u| u.owner == sel)>{o.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <PickList page=page />
            <day::DayView page=page />
            <div class="grid2 visit-lists">
                <follow_up::DueList page=page />
                <follow_up::NotContactedList page=page />
            </div>
            <referrals::Referrals page=page />
            <div class="card" data-testid="visit-export">
                <h2>{move || page.t().export_title}</h2>
                <p class="muted small">{move || page.t().export_hint}</p>
                <div class="actions">
                    <button data-testid="visit-export-csv" on:click=move |_| export_csv(page)>{move || page.t().export_csv}</button>
                    <ExcelButton testid="visit-export" plain=true
                        table=Callback::new(move |()| Ok((file_stem(app), visits_table(&owner_interactions(page), app.settings.with_untracked(|s| s.calendar.offset()))))) />
                    <button data-testid="visit-export-ics" on:click=move |_| export_ics(page)>{move || page.t().export_ics}</button>
                </div>
            </div>
            {move || page.dialog.get().map(|d| match d {
                Dialog::Log(id) => view! { <dialogs::LogDialog id=id on_close=close /> }.into_any(),
                Dialog::Reschedule(id) => view! { <dialogs::RescheduleDialog id=id on_close=close /> }.into_any(),
                Dialog::Plan(cid, source) => view! { <PlanDialog customer_id=cid source=source date=page.date.get_untracked() on_close=close /> }.into_any(),
            })}
        </section>
    }
}

/// The visits and next steps of a dashboard tile (pages::dashboard), while it is open.
#[component]
fn PickList(page: Page) -> impl IntoView {
    let app = page.app;
    move || {
        let pick = app.pick.get().filter(|p| p.kind == clientscope_core::dashboard::ListKind::Interactions)?;
        let lang = app.lang.get();
        let t = crate::i18n::dashboard::texts(lang);
        let mut items: Vec<Interaction> = app.data.interactions.with(|v| v.iter().filter(|i| pick.ids.contains(&i.id)).cloned().collect());
        items.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        let names: std::collections::HashMap<String, String> =
            app.data.customers.with(|cs| cs.iter().filter(|c| items.iter().any(|i| i.customer_id == c.id)).map(|c| (c.id.clone(), c.name.clone())).collect());
        Some(view! {
            <div class="card" data-testid="pick-list">
                <h2>{crate::i18n::fill(t.pick_list_title, &[("what", &pick.label)])}</h2>
                <crate::components::pick::PickChip kind=clientscope_core::dashboard::ListKind::Interactions />
                <div class="table-wrap" tabindex="0">
                    <table class="table">
                        <tbody>
                            {items.into_iter().map(|i| view! {
                                <tr data-testid="pick-row">
                                    <td>{i.next_due.filter(|_| i.status != clientscope_core::model::InteractionStatus::Planned).unwrap_or(i.date).to_string()}</td>
                                    <td>{names.get(&i.customer_id).cloned().unwrap_or_default()}</td>
                                    <td class="wrap">{if i.status == clientscope_core::model::InteractionStatus::Planned || i.next_action.trim().is_empty() { i.purpose.clone() } else { i.next_action.clone() }}</td>
                                    <td>{crate::i18n::visits::status_label(i.status, lang)}</td>
                                    <td>{i.owner.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        })
    }
}

/// The interactions of the chosen owner (all when none is chosen), untracked.
fn owner_interactions(page: Page) -> Vec<Interaction> {
    let owner = page.ui.with_untracked(|u| u.owner.clone());
    page.app.data.interactions.with_untracked(|v| v.iter().filter(|i| owner.is_empty() || i.owner == owner).cloned().collect())
}

/// A file name without extension, with today's date (`visits-2026-03-02`).
fn file_stem(app: AppState) -> String {
    format!("visits-{}", today(app))
}

/// A file name with today's date (`visits-2026-03-02.csv`).
fn file_name(app: AppState, ext: &str) -> String {
    format!("{}.{ext}", file_stem(app))
}

/// Downloads the visit log of the chosen owner as CSV (UTF-8 with BOM, times in the
/// calendar's offset).
fn export_csv(page: Page) {
    let app = page.app;
    let offset = app.settings.with_untracked(|s| s.calendar.offset());
    let name = file_name(app, "csv");
    let result = visits_csv(&owner_interactions(page), offset, CsvEncoding::Utf8Bom)
        .map_err(|e| e.message(app.lang.get_untracked()))
        .and_then(|bytes| files::download_bytes(&name, &bytes, "text/csv;charset=utf-8"));
    match result {
        Ok(()) => app.say(fill(page.tu().exported, &[("name", &name)])),
        Err(e) => app.fail(e),
    }
}

/// Downloads the planned visits of the chosen owner as an iCalendar file in the calendar's
/// zone, customers by name.
fn export_ics(page: Page) {
    let app = page.app;
    let cal = app.settings.with_untracked(|s| s.calendar.clone());
    let zone = if cal.zone_name() == IcsZone::default().tzid {
        IcsZone::default()
    } else {
        IcsZone { tzid: cal.zone_name().to_string(), offset: cal.offset(), tzname: cal.zone_name().to_string() }
    };
    let owner = page.ui.with_untracked(|u| u.owner.clone());
    let params = IcsParams {
        zone,
        owner: (!owner.is_empty()).then_some(owner),
        lang: app.lang.get_untracked(),
        default_duration_min: page.ui.with_untracked(|u| u.params.default_duration_min),
        ..IcsParams::new(chrono::Utc::now())
    };
    let names = app.data.customers.with_untracked(|cs| cs.iter().map(|c| (c.id.clone(), c.name.clone())).collect::<std::collections::HashMap<_, _>>());
    let text = app.data.interactions.with_untracked(|v| write_ics(v, &|id| names.get(id).cloned(), &params));
    let name = file_name(app, "ics");
    match files::download(&name, &text, "text/calendar;charset=utf-8") {
        Ok(()) => app.say(fill(page.tu().exported, &[("name", &name)])),
        Err(e) => app.fail(e),
    }
}
