//! One complaint: its fields, its clock, the audit trail (who, when, event, note) and
//! buttons for exactly the events its state allows (`state::allowed` of the core). Each
//! event goes through the core's `append`, which refuses an illegal one with a message
//! naming the state; the explanation of `invalid`, the handling of `valid` and the result
//! and satisfaction of `followed_up` are asked for in a small form.

use super::list::{clock_text, state_class};
use super::shared::{self, Page};
use crate::clock;
use crate::components::char_count::CharCount;
use crate::i18n::{fill, Label};
use crate::state;
use clientscope_core::model::{Complaint, ComplaintAction, ComplaintEvent, EventKind, Handling, Id};
use clientscope_core::service::complaints::{allowed, append, clock as complaint_clock};
use clientscope_core::validate::MAX_TEXT;
use leptos::prelude::*;

/// The data of an event as shown in the trail (explanation, handling, result…).
fn event_data(page: Page, a: &ComplaintAction) -> String {
    let t = page.t();
    match a {
        ComplaintAction::Valid { handling, members } => {
            let h = if *handling == Handling::SpecialTeam { t.handling_team } else { t.handling_local };
            if members.is_empty() { h.to_string() } else { format!("{h} · {}", fill(t.members_label, &[("m", &members.join("、"))])) }
        }
        ComplaintAction::Invalid { explanation } => explanation.clone(),
        ComplaintAction::FollowedUp { result, satisfaction } => {
            let s = satisfaction.map(|v| fill(t.satisfaction_label, &[("v", &v)])).unwrap_or_default();
            [result.as_str(), s.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ")
        }
        _ => String::new(),
    }
}

/// The test id of an event button (`event-followed_up`).
fn button_id(k: EventKind) -> String {
    format!("event-{}", k.name())
}

/// A complaint's detail.
#[component]
pub fn Detail(page: Page, id: Id) -> impl IntoView {
    let app = page.app;
    let id = StoredValue::new(id);
    let complaint = Memo::new(move |_| app.data.complaints.with(|v| v.iter().find(|c| c.id == id.get_value()).cloned()));
    let clock_now = Memo::new(move |_| {
        page.report.track();
        complaint.with(|c| {
            c.as_ref().map(|c| app.settings.with(|s| complaint_clock(c, &s.calendar, &s.complaints.policy, clock::now())))
        })
    });
    let pending = RwSignal::new(None::<EventKind>);
    // The follow-up visit 回访 being planned; its dialog sits outside the card, which is
    // redrawn as the clock ticks.
    let plan_visit = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let explanation = RwSignal::new(String::new());
    let handling = RwSignal::new(Handling::Local);
    let members = RwSignal::new(String::new());
    let result = RwSignal::new(String::new());
    let satisfaction = RwSignal::new(String::new());
    // Who records: the last name entered on this page, else the complaint's owner.
    let by = RwSignal::new(page.ui.with_untracked(|u| u.by.clone()));
    if by.with_untracked(|b| b.trim().is_empty()) {
        by.set(complaint.with_untracked(|c| c.as_ref().map(|c| c.owner.clone()).unwrap_or_default()));
    }
    let error = RwSignal::new(None::<String>);
    let start = move |k: EventKind| {
        for s in [note, explanation, members, result, satisfaction] {
            s.set(String::new());
        }
        handling.set(Handling::Local);
        error.set(None);
        pending.set(Some(k));
    };
    let submit = move || {
        let Some(kind) = pending.get_untracked() else { return };
        let Some(mut c): Option<Complaint> = complaint.get_untracked() else { return };
        let lang = app.lang.get_untracked();
        let action = match kind {
            EventKind::Received => ComplaintAction::Received,
            EventKind::Confirmed => ComplaintAction::Confirmed,
            EventKind::Valid => ComplaintAction::Valid {
                handling: handling.get_untracked(),
                members: if handling.get_untracked() == Handling::SpecialTeam {
                    members.get_untracked().split([',', '，', '、', ';', '；']).map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect()
                } else {
                    vec![]
                },
            },
            EventKind::Invalid => ComplaintAction::Invalid { explanation: explanation.get_untracked().trim().to_string() },
            EventKind::Waiting => ComplaintAction::Waiting,
            EventKind::Resumed => ComplaintAction::Resumed,
            EventKind::Resolved => ComplaintAction::Resolved,
            EventKind::Reopened => ComplaintAction::Reopened,
            EventKind::FollowedUp => ComplaintAction::FollowedUp {
                result: result.get_untracked().trim().to_string(),
                satisfaction: satisfaction.get_untracked().parse().ok(),
            },
            EventKind::Closed => ComplaintAction::Closed,
            EventKind::Note => ComplaintAction::Note,
        };
        let who = by.get_untracked().trim().to_string();
        let at = app.settings.with_untracked(|s| s.calendar.localize(clock::now()));
        let event = ComplaintEvent { action, at, by: who.clone(), note: note.get_untracked().trim().to_string() };
        match append(&c.events, event) {
            Err(e) => error.set(Some(e.message(lang))),
            Ok(events) => {
                c.events = events;
                c.updated_at = chrono::Utc::now();
                page.edit(|u| u.by = who);
                leptos::task::spawn_local(async move {
                    match state::save_complaints(app, vec![c]).await {
                        Ok(()) => {
                            pending.set(None);
                            error.set(None);
                            let t = page.tu();
                            let st = clock_now.get_untracked().and_then(|r| r.ok().flatten()).map(|k| k.state.label(lang)).unwrap_or_default();
                            app.say(fill(t.event_done, &[("event", &kind.label(lang)), ("state", &st)]));
                        }
                        Err(e) => app.fail_store(&e),
                    }
                });
            }
        }
    };
    let field = move |label: &'static str, value: RwSignal<String>, testid: &'static str, area: bool| {
        if area {
            view! {
                <label class="field wide"><span>{label}</span>
                    <textarea rows="2" data-testid=testid maxlength=MAX_TEXT prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                    <CharCount count=Signal::derive(move || value.with(|v| v.chars().count())) max=MAX_TEXT />
                </label>
            }.into_any()
        } else {
            view! {
                <label class="field"><span>{label}</span>
                    <input type="text" data-testid=testid prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                </label>
            }.into_any()
        }
    };
    let form = move || {
        let kind = pending.get()?;
        let t = page.t();
        let lang = app.lang.get();
        let extra = match kind {
            EventKind::Invalid => Some(field(t.event_explanation, explanation, "event-explanation", true)),
            EventKind::Valid => Some(view! {
                <fieldset class="field wide cmp-handling">
                    <legend>{t.event_handling}</legend>
                    <label class="radio"><input type="radio" name="handling" data-testid="handling-local"
                        prop:checked=move || handling.get() == Handling::Local on:change=move |_| handling.set(Handling::Local) />{t.handling_local}</label>
                    <label class="radio"><input type="radio" name="handling" data-testid="handling-team"
                        prop:checked=move || handling.get() == Handling::SpecialTeam on:change=move |_| handling.set(Handling::SpecialTeam) />{t.handling_team}</label>
                </fieldset>
                {move || (handling.get() == Handling::SpecialTeam).then(|| field(page.t().event_members, members, "event-members", false))}
            }.into_any()),
            EventKind::FollowedUp => Some(view! {
                {field(t.event_result, result, "event-result", true)}
                <label class="field"><span>{t.event_satisfaction}</span>
                    <select data-testid="event-satisfaction" prop:value=move || satisfaction.get() on:change=move |ev| satisfaction.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {(1..=5).map(|v| view! { <option value=v.to_string()>{v}</option> }).collect_view()}
                    </select>
                </label>
            }.into_any()),
            _ => None,
        };
        Some(view! {
            <div class="cmp-event-form" data-testid="event-form">
                <h3>{kind.label(lang)}</h3>
                <div class="form-grid">
                    {extra}
                    {field(t.event_note, note, "event-note-text", true)}
                    {field(t.field_by, by, "event-by", false)}
                </div>
                {move || error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="event-error">{m}</p> })}
                <div class="actions">
                    <button class="ghost" data-testid="event-cancel" on:click=move |_| { pending.set(None); error.set(None); }>{t.event_cancel}</button>
                    <button class="primary" data-testid="event-submit" on:click=move |_| submit()>{fill(t.event_submit, &[("event", &kind.label(lang))])}</button>
                </div>
            </div>
        })
    };
    view! {
        <div class="cmp-detail" data-testid="complaint-detail">
            <button class="ghost small" data-testid="complaint-back" on:click=move |_| page.open.set(None)>{move || page.t().back_to_list}</button>
            {move || {
                let t = page.t();
                let lang = app.lang.get();
                let Some(c) = complaint.get() else { return view! { <p class="empty">{t.list_empty}</p> }.into_any() };
                let clock = clock_now.get();
                let (state_view, clock_view, actions) = match clock {
                    Some(Ok(Some(k))) => (
                        view! { <span class=state_class(&k) data-testid="complaint-state" data-state=k.state.name()>{k.state.label(lang)}</span> }.into_any(),
                        view! { <p class="cmp-clock" data-testid="detail-clock">{clock_text(page, t, &k)}</p> }.into_any(),
                        allowed(Some(k.state)),
                    ),
                    Some(Err(r)) => (
                        view! { <span class="chip chip-late">"!"</span> }.into_any(),
                        view! { <p class="field-error" role="alert">{r.error.message(lang)}</p> }.into_any(),
                        vec![],
                    ),
                    _ => (view! { <span></span> }.into_any(), view! { <p></p> }.into_any(), vec![]),
                };
                let trail = c.events.iter().map(|e| {
                    let data = event_data(page, &e.action);
                    let note = [data.as_str(), e.note.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" · ");
                    view! {
                        <tr data-testid="trail-row" data-event=e.action.kind().name()>
                            <td class="nowrap">{shared::when(app, e.at)}</td>
                            <td>{e.by.clone()}</td>
                            <td>{e.action.kind().label(lang)}</td>
                            <td class="wrap">{note}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="card">
                        <div class="cmp-title">
                            <h2>{page.name(&c.customer_id)}</h2>
                            {state_view}
                            <span class="chip chip-soft">{c.severity.label(lang)}</span>
                        </div>
                        <div class="cmp-fields">
                            <div class="kv"><span class="k">{t.field_id}</span><span class="v" data-testid="complaint-id">{c.id.clone()}</span></div>
                            <div class="kv"><span class="k">{t.field_category}</span><span class="v">{c.category.clone()}</span></div>
                            <div class="kv"><span class="k">{t.field_channel}</span><span class="v">{shared::channel_label(t, &c.channel)}</span></div>
                            <div class="kv"><span class="k">{t.field_owner}</span><span class="v">{c.owner.clone()}</span></div>
                            <div class="kv"><span class="k">{t.field_description}</span><span class="v">{c.description.clone()}</span></div>
                        </div>
                        <h3>{t.detail_clock}</h3>
                        {clock_view}
                    </div>
                    <div class="card">
                        <h3>{t.detail_actions}</h3>
                        {if actions.is_empty() {
                            view! { <p class="muted">{t.detail_no_actions}</p> }.into_any()
                        } else {
                            view! {
                                <div class="actions cmp-actions">
                                    {actions.into_iter().map(|k| view! {
                                        <button class=if k == EventKind::Note { "ghost" } else { "" } data-testid=button_id(k)
                                            class:active=move || pending.get() == Some(k)
                                            on:click=move |_| start(k)>{k.label(lang)}</button>
                                    }).collect_view()}
                                    // A resolved complaint is followed up by a visit 回访, planned here.
                                    {clock_now.with_untracked(|r| matches!(r, Some(Ok(Some(k))) if k.state == clientscope_core::service::complaints::ComplaintState::Resolved)).then(|| view! {
                                        <button data-testid="complaint-plan-visit" on:click=move |_| plan_visit.set(true)>
                                            {crate::i18n::visits::texts(lang).plan_follow_up}</button>
                                    })}
                                </div>
                            }.into_any()
                        }}
                        {form}
                    </div>
                    <div class="card">
                        <h3>{t.detail_trail}</h3>
                        <div class="table-wrap">
                            <table class="table" data-testid="complaint-trail">
                                <thead><tr><th>{t.col_when}</th><th>{t.col_who}</th><th>{t.col_event}</th><th>{t.col_note}</th></tr></thead>
                                <tbody>{trail}</tbody>
                            </table>
                        </div>
                    </div>
                }.into_any()
            }}
            {move || plan_visit.get().then(|| complaint.get_untracked().map(|c| view! {
                <crate::pages::visits::PlanDialog customer_id=Some(c.customer_id) source=crate::pages::visits::Source::Complaint(c.id)
                    on_close=Callback::new(move |_| plan_visit.set(false)) />
            }))}
        </div>
    }
}
