//! Register a complaint in a few taps at 375 px: customer (searchable), channel, category
//! (the list of the settings), description, severity, received at (default now). The
//! complaint is created with its `received` event and opened in the list tab. The customer
//! comes pre-chosen when the address names one (`#/complaints?register=<id>`).

use super::shared::{self, Page, Tab};
use crate::clock;
use crate::components::char_count::CharCount;
use crate::i18n::{fill, Label};
use crate::state;
use clientscope_core::model::{Complaint, ComplaintAction, ComplaintEvent, Severity};
use clientscope_core::service::complaints::append;
use clientscope_core::validate::MAX_TEXT;
use leptos::prelude::*;

/// The register tab.
#[component]
pub fn Register(page: Page) -> impl IntoView {
    let app = page.app;
    let query = RwSignal::new(String::new());
    // A customer named by the address (`?register=<id>`, the customer page's button),
    // when it is one of ours.
    let prefill = page.prefill.get_untracked().filter(|id| app.data.customers.with_untracked(|cs| cs.iter().any(|c| &c.id == id)));
    let chosen = RwSignal::new(prefill);
    let channel = RwSignal::new("电话".to_string());
    let categories = Memo::new(move |_| app.settings.with(|s| s.complaints.categories.clone()));
    let category = RwSignal::new(categories.get_untracked().first().cloned().unwrap_or_default());
    let description = RwSignal::new(String::new());
    let severity = RwSignal::new(Severity::General);
    let received = RwSignal::new(shared::input_value(app, clock::now()));
    let error = RwSignal::new(None::<String>);
    let matches = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        app.data.customers.with(|cs| {
            cs.iter().filter(|c| clientscope_core::query::matches_text(c, &q)).take(8).map(|c| (c.id.clone(), c.name.clone(), c.city.clone())).collect::<Vec<_>>()
        })
    });
    let submit = move |_| {
        let t = page.tu();
        let Some(customer_id) = chosen.get_untracked() else { return error.set(Some(t.need_customer.into())) };
        let cat = category.get_untracked().trim().to_string();
        if cat.is_empty() {
            return error.set(Some(t.need_category.into()));
        }
        let desc = description.get_untracked().trim().to_string();
        if desc.is_empty() {
            return error.set(Some(t.need_description.into()));
        }
        let Some(at) = shared::parse_input(app, &received.get_untracked()) else { return error.set(Some(t.bad_time.into())) };
        let owner = app.data.customers.with_untracked(|cs| cs.iter().find(|c| c.id == customer_id).map(|c| c.owner.clone()).unwrap_or_default());
        let by = page.ui.with_untracked(|u| u.by.clone());
        let by = if by.trim().is_empty() { owner.clone() } else { by };
        let id = app.data.complaints.with_untracked(|v| clientscope_core::service::visits::next_id("T", v.iter().map(|c| c.id.as_str())));
        let events = match append(&[], ComplaintEvent::new(ComplaintAction::Received, at, by)) {
            Ok(e) => e,
            Err(e) => return error.set(Some(e.message(app.lang.get_untracked()))),
        };
        let now = chrono::Utc::now();
        let c = Complaint {
            id: id.clone(),
            customer_id,
            channel: channel.get_untracked(),
            category: cat,
            description: desc,
            severity: severity.get_untracked(),
            owner,
            events,
            created_at: now,
            updated_at: now,
        };
        error.set(None);
        leptos::task::spawn_local(async move {
            match state::save_complaints(app, vec![c]).await {
                Ok(()) => {
                    app.say(fill(page.tu().register_done, &[("id", &id)]));
                    page.edit(|u| u.tab = Tab::List);
                    page.open.set(Some(id));
                }
                Err(e) => app.fail_store(&e),
            }
        });
    };
    view! {
        <div class="card cmp-register" data-testid="cmp-register">
            {move || {
                let t = page.t();
                match chosen.get() {
                    Some(id) => view! {
                        <div class="field">
                            <span>{t.field_customer}</span>
                            <div class="cmp-chosen">
                                <strong data-testid="register-customer">{page.name(&id)}</strong>
                                <button class="ghost small" data-testid="register-customer-change" on:click=move |_| chosen.set(None)>{t.field_change}</button>
                            </div>
                        </div>
                    }.into_any(),
                    None => view! {
                        <label class="field">
                            <span>{t.field_customer}</span>
                            <input type="search" data-testid="register-customer-search" placeholder=t.field_customer_search
                                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                        </label>
                        <ul class="pick-list">
                            {move || {
                                let m = matches.get();
                                if m.is_empty() && !query.get().trim().is_empty() {
                                    return view! { <li class="muted">{page.t().field_customer_none}</li> }.into_any();
                                }
                                m.into_iter().map(|(id, name, city)| view! {
                                    <li><button class="ghost pick" data-testid="register-customer-option" on:click=move |_| chosen.set(Some(id.clone()))>
                                        {name} <span class="muted">{city}</span></button></li>
                                }).collect_view().into_any()
                            }}
                        </ul>
                    }.into_any(),
                }
            }}
            <div class="cmp-form">
                <label class="field"><span>{move || page.t().field_channel}</span>
                    <select data-testid="register-channel" prop:value=move || channel.get() on:change=move |ev| channel.set(event_target_value(&ev))>
                        {move || shared::channels(page.t()).into_iter().map(|(v, l)| view! { <option value=v selected=move || channel.get() == v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{move || page.t().field_category}</span>
                    <select data-testid="register-category" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                        {move || categories.get().into_iter().map(|c| {
                            let v = c.clone();
                            view! { <option value=c.clone() selected=move || category.get() == v>{c.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="field">
                    <span>{move || page.t().field_severity}</span>
                    <div class="cmp-severity" role="group">
                        {[Severity::General, Severity::Major].into_iter().map(|s| view! {
                            <button class=move || if severity.get() == s { "seg-choice active" } else { "seg-choice" } data-testid=format!("register-severity-{}", s.name())
                                aria-pressed=move || (severity.get() == s).to_string() on:click=move |_| severity.set(s)>{move || s.label(app.lang.get())}</button>
                        }).collect_view()}
                    </div>
                </div>
                <label class="field"><span>{move || page.t().field_received}</span>
                    <input type="datetime-local" data-testid="register-received" prop:value=move || received.get() on:input=move |ev| received.set(event_target_value(&ev)) />
                </label>
                <label class="field wide"><span>{move || page.t().field_description}</span>
                    <textarea rows="3" data-testid="register-description" maxlength=MAX_TEXT prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                    <CharCount count=Signal::derive(move || description.with(|d| d.chars().count())) max=MAX_TEXT />
                </label>
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="register-error">{m}</p> })}
            <div class="actions">
                <button class="primary" data-testid="register-submit" on:click=submit>{move || page.t().register_submit}</button>
            </div>
        </div>
    }
}
