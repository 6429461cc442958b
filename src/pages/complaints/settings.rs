//! The complaint part of the Settings page: the SLA policy in business hours per severity,
//! the category list offered when registering, the survey → complaint draft rule (on/off
//! and its level, checked by the core's `DraftRule::checked`), and the working calendar every clock runs on
//! (shown as its JSON form, exported and imported as a file, checked by the core before it
//! replaces the current one).

use crate::i18n::complaints::texts;
use crate::i18n::fill;
use crate::state::use_app;
use clientscope_core::service::calendar::WorkCalendar;
use clientscope_core::service::complaints::{DraftRule, SlaPolicyParams, SlaTargetParams};
use leptos::prelude::*;

/// The complaint settings cards.
#[component]
pub fn ComplaintSettings() -> impl IntoView {
    let app = use_app();
    let t = move || texts(app.lang.get());
    let p = app.settings.with_untracked(|s| s.complaints.policy.params());
    let hours = |v: f64| RwSignal::new(v.to_string());
    let (gc, gr, mc, mr) = (hours(p.general.confirm_hours), hours(p.general.resolve_hours), hours(p.major.confirm_hours), hours(p.major.resolve_hours));
    let categories = RwSignal::new(app.settings.with_untracked(|s| s.complaints.categories.join("\n")));
    let policy_error = RwSignal::new(None::<String>);
    let save_policy = move |_| {
        let lang = app.lang.get_untracked();
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<f64>().unwrap_or(f64::NAN);
        let params = SlaPolicyParams {
            general: SlaTargetParams { confirm_hours: num(gc), resolve_hours: num(gr) },
            major: SlaTargetParams { confirm_hours: num(mc), resolve_hours: num(mr) },
        };
        match params.check() {
            Err(e) => policy_error.set(Some(e.message(lang))),
            Ok(policy) => {
                let cats: Vec<String> = categories.get_untracked().lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
                app.update_settings(|s| {
                    s.complaints.policy = policy;
                    s.complaints.categories = cats;
                });
                policy_error.set(None);
                app.say(texts(lang).settings_saved);
            }
        }
    };
    let rule = app.settings.with_untracked(|s| s.complaints.draft_rule);
    let rule_on = RwSignal::new(rule.enabled);
    let rule_level = RwSignal::new(rule.level.to_string());
    let rule_error = RwSignal::new(None::<String>);
    // The switch and the level are saved together; a wrong level keeps the stored rule
    // (switch included) and says why.
    let save_rule = move || {
        let lang = app.lang.get_untracked();
        let level = rule_level.get_untracked().trim().parse::<f64>().unwrap_or(f64::NAN);
        match DraftRule::checked(rule_on.get_untracked(), level) {
            None => {
                let stored = app.settings.with_untracked(|s| s.complaints.draft_rule.level);
                rule_error.set(Some(fill(texts(lang).drafts_bad_level, &[("level", &stored)])));
            }
            Some(r) => {
                app.update_settings(|s| s.complaints.draft_rule = r);
                rule_error.set(None);
                app.say(texts(lang).settings_saved);
            }
        }
    };
    let calendar_text = RwSignal::new(app.settings.with_untracked(|s| s.calendar.to_json()));
    let calendar_error = RwSignal::new(None::<String>);
    let apply_calendar = move |_| {
        let lang = app.lang.get_untracked();
        match WorkCalendar::from_json(&calendar_text.get_untracked()) {
            Err(e) => calendar_error.set(Some(e.message(lang))),
            Ok(cal) => {
                calendar_text.set(cal.to_json());
                app.update_settings(|s| s.calendar = cal);
                calendar_error.set(None);
                app.say(texts(lang).calendar_saved);
            }
        }
    };
    let export_calendar = move |_| {
        let text = app.settings.with_untracked(|s| s.calendar.to_json());
        if let Err(e) = crate::files::download("calendar.json", &text, "application/json") {
            app.fail(e);
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match crate::files::read_text(&file).await {
                Ok(text) => {
                    calendar_text.set(text);
                    calendar_error.set(None);
                }
                Err(e) => calendar_error.set(Some(fill(texts(app.lang.get_untracked()).file_failed, &[("why", &e)]))),
            }
        });
    };
    let num_field = move |label: fn(&crate::i18n::complaints::CompTexts) -> &'static str, value: RwSignal<String>, testid: &'static str| view! {
        <label class="field"><span>{move || label(t())}</span>
            <input type="number" min="0" step="0.5" inputmode="decimal" data-testid=testid
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    };
    view! {
        <div class="card" data-testid="settings-complaints">
            <h2>{move || t().settings_title}</h2>
            <h3>{move || t().settings_general}</h3>
            <div class="form-grid cmp-sla">
                {num_field(|t| t.settings_confirm, gc, "sla-general-confirm")}
                {num_field(|t| t.settings_resolve, gr, "sla-general-resolve")}
            </div>
            <h3>{move || t().settings_major}</h3>
            <div class="form-grid cmp-sla">
                {num_field(|t| t.settings_confirm, mc, "sla-major-confirm")}
                {num_field(|t| t.settings_resolve, mr, "sla-major-resolve")}
            </div>
            <label class="field"><span>{move || t().settings_categories}</span>
                <textarea rows="6" data-testid="complaint-categories" prop:value=move || categories.get()
                    on:input=move |ev| categories.set(event_target_value(&ev))></textarea>
            </label>
            {move || policy_error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="sla-error">{m}</p> })}
            <div class="actions"><button class="primary" data-testid="sla-save" on:click=save_policy>{move || t().settings_save}</button></div>
        </div>
        <div class="card" data-testid="settings-drafts">
            <h2>{move || t().drafts_rule}</h2>
            <p class="muted small">{move || t().drafts_rule_hint}</p>
            <label class="radio">
                <input type="checkbox" data-testid="drafts-rule-on" prop:checked=move || rule_on.get()
                    on:change=move |ev| rule_on.set(event_target_checked(&ev)) />
                <span>{move || t().drafts_rule}</span>
            </label>
            <label class="field"><span>{move || t().drafts_level}</span>
                <input type="number" min="0" step="0.5" inputmode="decimal" data-testid="drafts-rule-level"
                    prop:value=move || rule_level.get() on:input=move |ev| rule_level.set(event_target_value(&ev)) />
            </label>
            {move || rule_error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="drafts-rule-error">{m}</p> })}
            <div class="actions"><button class="primary" data-testid="drafts-rule-save" on:click=move |_| save_rule()>{move || t().settings_save}</button></div>
        </div>
        <div class="card" data-testid="settings-calendar">
            <h2>{move || t().calendar_title}</h2>
            <p class="muted">{move || app.settings.with(|s| {
                let years = s.calendar.covered_years().iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ");
                fill(t().calendar_summary, &[("zone", &s.calendar.zone_name()), ("years", &years)])
            })}</p>
            <label class="field"><span>{move || t().calendar_json}</span>
                <textarea rows="8" class="mono" data-testid="calendar-json" prop:value=move || calendar_text.get()
                    on:input=move |ev| calendar_text.set(event_target_value(&ev))></textarea>
            </label>
            {move || calendar_error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="calendar-error">{m}</p> })}
            <div class="actions">
                <button class="primary" data-testid="calendar-apply" on:click=apply_calendar>{move || t().calendar_apply}</button>
                <button data-testid="calendar-export" on:click=export_calendar>{move || t().calendar_export}</button>
                <label class="button file-button">{move || t().calendar_import}
                    <input type="file" accept=".json,application/json" data-testid="calendar-import" on:change=on_file />
                </label>
            </div>
        </div>
    }
}
