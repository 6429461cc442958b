//! The drafts tab (issue 11 §2): while the survey draft rule of the settings is on, the
//! complaint drafts of the stored survey answers, newest first, each with its customer (or
//! "anonymous"), survey, date and reasons. "Register as complaint" turns one into a
//! complaint (the core's `ComplaintDraft::to_complaint`, next `T` number, first category of
//! the settings, general severity, received now by the customer's owner); "Dismiss" drops
//! it. Either way its response id joins `settings.complaints.handled_drafts`, so the draft
//! is not offered again, also after a reload or in a restored backup.

use super::shared::Page;
use crate::clock;
use crate::i18n::fill;
use crate::state;
use clientscope_core::model::Severity;
use clientscope_core::service::complaints::ComplaintDraft;
use leptos::prelude::*;
use std::collections::HashMap;

/// At most this many drafts are listed at once (handled ones make room for the next).
const SHOWN: usize = 50;

/// Remembers a response's draft as handled.
fn mark_handled(page: Page, response_id: String) {
    page.app.update_settings(|s| {
        if !s.complaints.handled_drafts.contains(&response_id) {
            s.complaints.handled_drafts.push(response_id);
        }
    });
}

/// Registers a draft as a complaint, then marks it handled.
fn register(page: Page, d: ComplaintDraft) {
    let app = page.app;
    let lang = app.lang.get_untracked();
    let Some(customer_id) = d.customer_id.clone() else { return };
    let by = app.data.customers.with_untracked(|cs| cs.iter().find(|c| c.id == customer_id).map(|c| c.owner.clone()).unwrap_or_default());
    let (category, offset) = app.settings.with_untracked(|s| (s.complaints.categories.first().cloned().unwrap_or_default(), s.calendar.offset()));
    let at = clock::now().with_timezone(&offset);
    let id = app.data.complaints.with_untracked(|v| clientscope_core::service::visits::next_id("T", v.iter().map(|c| c.id.as_str())));
    let survey = app.data.surveys.with_untracked(|ss| ss.iter().find(|s| s.id == d.survey_id).cloned());
    let Some(c) = d.to_complaint(id.clone(), at, &by, &category, Severity::General, survey.as_ref(), lang) else { return };
    leptos::task::spawn_local(async move {
        match state::save_complaints(app, vec![c]).await {
            Ok(()) => {
                mark_handled(page, d.response_id.clone());
                app.say(fill(page.tu().drafts_registered, &[("id", &id)]));
            }
            Err(e) => app.fail_store(&e),
        }
    });
}

/// The drafts tab.
#[component]
pub fn Drafts(page: Page) -> impl IntoView {
    let app = page.app;
    let surveys = Memo::new(move |_| app.data.surveys.with(|ss| ss.iter().map(|s| (s.id.clone(), s.clone())).collect::<HashMap<_, _>>()));
    view! {
        <div class="card" data-testid="cmp-drafts">
            <p class="muted small">{move || {
                let level = app.settings.with(|s| s.complaints.draft_rule.level);
                fill(page.t().drafts_intro, &[("level", &level)])
            }}</p>
            {move || {
                let t = page.t();
                let items = page.drafts.get();
                if items.is_empty() {
                    return view! { <p class="empty" data-testid="drafts-empty">{t.drafts_empty}</p> }.into_any();
                }
                let total = items.len();
                let lang = app.lang.get();
                view! {
                    <ul class="cmp-list" data-testid="drafts-list">
                        {items.into_iter().take(SHOWN).map(|d| {
                            let customer = d.customer_id.as_deref().map(|id| page.name(id)).unwrap_or_else(|| t.drafts_anonymous.to_string());
                            let survey = surveys.with(|m| m.get(&d.survey_id).cloned());
                            let description = d.description(survey.as_ref(), lang);
                            let survey = survey.map(|s| s.name).unwrap_or_else(|| d.survey_id.clone());
                            let named = d.customer_id.is_some();
                            let dismiss_id = d.response_id.clone();
                            let response_id = d.response_id.clone();
                            let customer_id = d.customer_id.clone().unwrap_or_default();
                            view! {
                                <li class="cmp-item" data-testid="draft-item" data-response=response_id data-customer=customer_id>
                                    <div class="cmp-title">
                                        <strong data-testid="draft-customer">{customer}</strong>
                                        <span class="muted small">{d.date.to_string()}</span>
                                    </div>
                                    <div class="muted small">{fill(t.drafts_survey, &[("name", &survey)])}</div>
                                    <div class="small" data-testid="draft-reasons">{description}</div>
                                    {(!named).then(|| view! { <p class="muted small">{t.drafts_anonymous_hint}</p> })}
                                    <div class="actions">
                                        <button class="primary small" data-testid="draft-register" disabled=!named
                                            on:click=move |_| register(page, d.clone())>{t.drafts_register}</button>
                                        <button class="small" data-testid="draft-dismiss"
                                            on:click=move |_| { mark_handled(page, dismiss_id.clone()); app.say(page.tu().drafts_dismissed) }>{t.drafts_dismiss}</button>
                                    </div>
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
