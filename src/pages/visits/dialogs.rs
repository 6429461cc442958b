//! The dialogs of the visits page: log an outcome with its next step (`log_outcome`), move
//! a visit (`reschedule`), and plan a visit with the five elements (`plan_visit`), the last
//! one also opened from a customer's page. Each builds the records with the core and hands
//! them to `state::save_interactions`.

use super::shared::{duration_of, interaction, new_interaction_id, today, when_of, Source};
use crate::components::char_count::CharCount;
use crate::i18n::fill;
use crate::i18n::visits::{texts, VisitTexts};
use crate::state::{self, use_app, AppState};
use clientscope_core::model::{Contact, Date, Id, Interaction};
use clientscope_core::service::visits::{log_outcome, plan_visit, reschedule, OutcomeInput, PlanSource, When};
use clientscope_core::validate::MAX_TEXT;
use leptos::prelude::*;

/// A text field bound to a signal.
fn text_field(label: &'static str, value: RwSignal<String>, testid: &'static str, kind: &'static str, placeholder: &'static str) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input type=kind data-testid=testid placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The frame of a dialog: title, body, Save and Close.
fn frame(title: String, testid: &'static str, body: AnyView, t: &'static VisitTexts, on_save: impl Fn() + 'static, on_close: Callback<()>) -> impl IntoView {
    view! {
        <div class="modal-backdrop">
            <div class="modal visit-modal" role="dialog" aria-modal="true" data-testid=testid>
                <h2>{title}</h2>
                {body}
                <div class="actions sticky-actions">
                    <button class="ghost" data-testid="visit-dialog-close" on:click=move |_| on_close.run(())>{t.close}</button>
                    <button class="primary" data-testid="visit-dialog-save" on:click=move |_| on_save()>{t.save}</button>
                </div>
            </div>
        </div>
    }
}

fn customer_name(app: AppState, id: &str) -> String {
    app.data.customers.with_untracked(|cs| cs.iter().find(|c| c.id == id).map(|c| c.name.clone())).unwrap_or_else(|| id.to_string())
}

/// Log the outcome of a visit and its next step (one tap from the plan).
#[component]
pub fn LogDialog(id: Id, on_close: Callback<()>) -> impl IntoView {
    let app = use_app();
    let t = texts(app.lang.get_untracked());
    let Some(visit) = interaction(app, &id) else { return ().into_any() };
    let name = customer_name(app, &visit.customer_id);
    let outcome = RwSignal::new(visit.outcome.clone());
    let next_action = RwSignal::new(visit.next_action.clone());
    let next_date = RwSignal::new(visit.next_due.map(|d| d.to_string()).unwrap_or_default());
    let next_time = RwSignal::new(String::new());
    let nm = name.clone();
    let purpose = visit.purpose.clone();
    let save = move || {
        let lang = app.lang.get_untracked();
        let next = if next_date.get_untracked().trim().is_empty() {
            None
        } else {
            match when_of(app, &next_date.get_untracked(), &next_time.get_untracked()) {
                Ok(w) => Some(w),
                Err(e) => return app.fail(e.message(t)),
            }
        };
        let input = OutcomeInput { outcome: outcome.get_untracked(), next_action: next_action.get_untracked(), next, next_id: new_interaction_id(app) };
        let logged = match log_outcome(&visit, &input, lang, chrono::Utc::now()) {
            Ok(l) => l,
            Err(e) => return app.fail(e.message(lang)),
        };
        let next_day = logged.next.as_ref().map(|n| n.date);
        let mut records = vec![logged.done];
        records.extend(logged.next);
        let name = nm.clone();
        leptos::task::spawn_local(async move {
            match state::save_interactions(app, records).await {
                Ok(()) => {
                    on_close.run(());
                    match next_day {
                        Some(d) => app.say(fill(t.logged_next_toast, &[("date", &d), ("name", &name)])),
                        None => app.say(fill(t.logged_toast, &[("name", &name)])),
                    }
                }
                Err(e) => app.fail_store(&e),
            }
        });
    };
    let body = view! {
        <p class="muted">{purpose}</p>
        <label class="field">
            <span>{t.outcome}</span>
            <textarea rows="2" data-testid="log-outcome" placeholder=t.outcome_placeholder maxlength=MAX_TEXT
                prop:value=move || outcome.get() on:input=move |ev| outcome.set(event_target_value(&ev))></textarea>
            <CharCount count=Signal::derive(move || outcome.with(|o| o.chars().count())) max=MAX_TEXT />
        </label>
        {text_field(t.next_action, next_action, "log-next-action", "text", t.next_action_placeholder)}
        <div class="visit-when">
            {text_field(t.next_date, next_date, "log-next-date", "date", "")}
            {text_field(t.next_time, next_time, "log-next-time", "time", "")}
        </div>
        <p class="muted small">{t.next_hint}</p>
    }
    .into_any();
    frame(fill(t.log_title, &[("name", &name)]), "visit-log-dialog", body, t, save, on_close).into_any()
}

/// Move a visit to another day or time.
#[component]
pub fn RescheduleDialog(id: Id, on_close: Callback<()>) -> impl IntoView {
    let app = use_app();
    let t = texts(app.lang.get_untracked());
    let Some(visit) = interaction(app, &id) else { return ().into_any() };
    let name = customer_name(app, &visit.customer_id);
    let offset = app.settings.with_untracked(|s| s.calendar.offset());
    let date = RwSignal::new(visit.date.to_string());
    let time = RwSignal::new(visit.start.map(|s| super::shared::hm(&s.with_timezone(&offset))).unwrap_or_default());
    let duration = RwSignal::new(visit.duration_min.map(|d| d.to_string()).unwrap_or_default());
    let nm = name.clone();
    let purpose = visit.purpose.clone();
    let save = move || {
        let when = match when_of(app, &date.get_untracked(), &time.get_untracked()) {
            Ok(w) => w,
            Err(e) => return app.fail(e.message(t)),
        };
        let Ok(minutes) = duration_of(&duration.get_untracked()) else { return app.fail(t.bad_duration) };
        let moved = reschedule(&visit, when, minutes, chrono::Utc::now());
        let name = nm.clone();
        let day = moved.date;
        leptos::task::spawn_local(async move {
            match state::save_interactions(app, vec![moved]).await {
                Ok(()) => {
                    on_close.run(());
                    app.say(fill(t.rescheduled_toast, &[("date", &day), ("name", &name)]));
                }
                Err(e) => app.fail_store(&e),
            }
        });
    };
    let body = view! {
        <p class="muted">{purpose}</p>
        <div class="visit-when">
            {text_field(t.when, date, "move-date", "date", "")}
            {text_field(t.time, time, "move-time", "time", "")}
        </div>
        {text_field(t.duration, duration, "move-duration", "number", "")}
    }
    .into_any();
    frame(format!("{} · {name}", t.reschedule), "visit-move-dialog", body, t, save, on_close).into_any()
}

/// The draft of a visit from `source`, with the five elements filled by the core.
fn draft(app: AppState, customer_id: &str, source: &Source, when: When, duration: Option<u32>) -> Option<Interaction> {
    let customer = app.data.customers.with_untracked(|cs| cs.iter().find(|c| c.id == customer_id).cloned())?;
    let contacts: Vec<Contact> = app.data.contacts.with_untracked(|v| v.iter().filter(|c| c.customer_id == customer_id).cloned().collect());
    let from = match source {
        Source::NextStep(id) => interaction(app, id),
        _ => None,
    };
    let complaint = match source {
        Source::Complaint(id) => app.data.complaints.with_untracked(|v| v.iter().find(|k| &k.id == id).cloned()),
        _ => None,
    };
    // A next step or complaint that has gone meanwhile leaves a routine visit.
    let ps = match (source, from.as_ref(), complaint.as_ref()) {
        (Source::NextStep(_), Some(i), _) => PlanSource::NextStep(i),
        (Source::Complaint(_), _, Some(k)) => PlanSource::Complaint(k),
        (Source::NotContacted, _, _) => PlanSource::NotContacted,
        (Source::DeclineWarning, _, _) => PlanSource::DeclineWarning,
        (Source::WinBack, _, _) => PlanSource::WinBack,
        _ => PlanSource::Customer,
    };
    Some(plan_visit(ps, &customer, &contacts, when, duration, new_interaction_id(app), app.lang.get_untracked(), chrono::Utc::now()))
}

/// Plan a visit with the five elements (when, purpose, who, method, reason), filled from
/// where the need came from and every one editable. Without a customer, one is picked
/// first by name, code or city.
#[component]
pub fn PlanDialog(
    /// The customer, or `None` to pick one.
    customer_id: Option<Id>,
    /// Where the visit comes from.
    source: Source,
    /// The proposed day (today when `None`).
    #[prop(optional)]
    date: Option<Date>,
    /// Closes the dialog.
    on_close: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    let t = texts(app.lang.get_untracked());
    let chosen = RwSignal::new(customer_id);
    let query = RwSignal::new(String::new());
    let source = StoredValue::new(source);
    let date = RwSignal::new(date.unwrap_or_else(|| today(app)).to_string());
    let time = RwSignal::new("10:00".to_string());
    let duration = RwSignal::new("60".to_string());
    let [purpose, who, method, reason, location, owner] = std::array::from_fn(|_| RwSignal::new(String::new()));
    // Fill the five elements from the core's draft whenever a customer is chosen.
    Effect::new(move |_| {
        let Some(cid) = chosen.get() else { return };
        let Ok(day) = date.get_untracked().parse::<Date>() else { return };
        if let Some(d) = source.with_value(|s| draft(app, &cid, s, When::Day(day), Some(60))) {
            purpose.set(d.purpose);
            who.set(d.who);
            method.set(d.method);
            reason.set(d.reason);
            location.set(d.location);
            owner.set(d.owner);
        }
    });
    let save = move || {
        let Some(cid) = chosen.get_untracked() else { return app.fail(t.pick_none) };
        let when = match when_of(app, &date.get_untracked(), &time.get_untracked()) {
            Ok(w) => w,
            Err(e) => return app.fail(e.message(t)),
        };
        let Ok(minutes) = duration_of(&duration.get_untracked()) else { return app.fail(t.bad_duration) };
        let Some(mut v) = source.with_value(|s| draft(app, &cid, s, when, minutes)) else { return };
        v.purpose = purpose.get_untracked().trim().to_string();
        v.who = who.get_untracked().trim().to_string();
        v.method = method.get_untracked().trim().to_string();
        v.reason = reason.get_untracked().trim().to_string();
        v.location = location.get_untracked().trim().to_string();
        v.owner = owner.get_untracked().trim().to_string();
        let name = customer_name(app, &cid);
        let day = v.date;
        leptos::task::spawn_local(async move {
            match state::save_interactions(app, vec![v]).await {
                Ok(()) => {
                    on_close.run(());
                    app.say(fill(t.planned_toast, &[("name", &name), ("date", &day)]));
                }
                Err(e) => app.fail_store(&e),
            }
        });
    };
    let title = move || match chosen.get() {
        Some(cid) => fill(t.plan_dialog_title, &[("name", &customer_name(app, &cid))]),
        None => t.plan_visit.to_string(),
    };
    let matches = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        app.data.customers.with(|cs| {
            cs.iter().filter(|c| clientscope_core::query::matches_text(c, &q)).take(8).map(|c| (c.id.clone(), c.name.clone(), c.city.clone())).collect::<Vec<_>>()
        })
    });
    let picker = move || {
        chosen.get().is_none().then(|| {
            view! {
                <label class="field">
                    <span>{t.pick_customer}</span>
                    <input type="search" data-testid="plan-customer-search" placeholder=t.pick_customer_placeholder
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                </label>
                <ul class="pick-list">
                    {move || {
                        let m = matches.get();
                        if m.is_empty() && !query.get().trim().is_empty() {
                            return view! { <li class="muted">{t.pick_none}</li> }.into_any();
                        }
                        m.into_iter().map(|(id, name, city)| view! {
                            <li><button class="ghost pick" data-testid="plan-customer-option" on:click=move |_| chosen.set(Some(id.clone()))>
                                {name} <span class="muted">{city}</span></button></li>
                        }).collect_view().into_any()
                    }}
                </ul>
            }
        })
    };
    let form = move || {
        chosen.get().is_some().then(|| {
            view! {
                <div class="visit-when">
                    {text_field(t.when, date, "plan-date", "date", "")}
                    {text_field(t.time, time, "plan-time", "time", "")}
                </div>
                {text_field(t.duration, duration, "plan-duration", "number", "")}
                {text_field(t.purpose, purpose, "plan-purpose", "text", "")}
                {text_field(t.who, who, "plan-who", "text", "")}
                {text_field(t.method, method, "plan-method", "text", "")}
                {text_field(t.reason, reason, "plan-reason", "text", "")}
                {text_field(t.location, location, "plan-location", "text", "")}
                {text_field(t.owner, owner, "plan-owner", "text", "")}
            }
        })
    };
    view! {
        <div class="modal-backdrop">
            <div class="modal visit-modal" role="dialog" aria-modal="true" data-testid="visit-plan-dialog">
                <h2>{title}</h2>
                {picker}
                {form}
                <div class="actions sticky-actions">
                    <button class="ghost" data-testid="visit-dialog-close" on:click=move |_| on_close.run(())>{t.close}</button>
                    <button class="primary" data-testid="visit-dialog-save" disabled=move || chosen.get().is_none() on:click=move |_| save()>{t.save}</button>
                </div>
            </div>
        </div>
    }
    .into_any()
}
