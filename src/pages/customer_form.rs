//! Create and edit a customer. The draft is checked by the core's validator on save; each
//! problem shows beside its field, and nothing is written until the draft is valid.

use crate::i18n::{key_account_label, Label};
use crate::route::Route;
use crate::components::char_count::CharCount;
use crate::state::{self, use_app};
use clientscope_core::model::{
    builtin_attributes, CitySize, CreditRating, Customer, CustomerKind, CustomerStatus, EconomicZone, Language,
    Region, RelationshipScores,
};
use clientscope_core::validate;
use leptos::prelude::*;
use std::collections::BTreeMap;

fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 65536.0) as u32;
    format!("C{now:x}{salt:04x}")
}

fn blank(id: String) -> Customer {
    Customer::new(id, "", chrono::Utc::now())
}

/// Parses an optional enum from its `Debug` name, as the selects below write it.
fn pick<T: Copy + std::fmt::Debug>(all: &[T], v: &str) -> Option<T> {
    all.iter().copied().find(|x| format!("{x:?}") == v)
}

/// The customer form; `id` None creates a new customer.
#[component]
pub fn CustomerForm(id: Option<String>) -> impl IntoView {
    let app = use_app();
    let existing = id.as_ref().and_then(|id| app.data.customers.with_untracked(|cs| cs.iter().find(|c| &c.id == id).cloned()));
    let is_new = existing.is_none();
    // The `updated_at` of the customer as read: saving checks that no other tab changed
    // it since (None for a new customer).
    let read_at = RwSignal::new(existing.as_ref().map(|c| c.updated_at));
    // A save refused because another tab changed or deleted the customer.
    let conflict = RwSignal::new(None::<state::Conflict>);
    // The refusal is shown where the eye is: scrolled into view above the sticky buttons.
    let conflict_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if conflict.get().is_some() {
            if let Some(el) = conflict_ref.get_untracked() {
                el.scroll_into_view_with_bool(true);
            }
        }
    });
    let draft = RwSignal::new(existing.unwrap_or_else(|| blank(new_id())));
    let since_text = RwSignal::new(draft.with_untracked(|c| c.since.map(|d| d.to_string()).unwrap_or_default()));
    let tags_text = RwSignal::new(draft.with_untracked(|c| c.tags.join(", ")));
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let saving = RwSignal::new(false);

    // Writes the draft, expecting the stored customer to be as read at `expect`.
    let store = move |c: Customer, expect| {
        saving.set(true);
        conflict.set(None);
        let id = c.id.clone();
        leptos::task::spawn_local(async move {
            match state::save_customer(app, c, expect).await {
                Ok(()) => {
                    app.say(app.t_untracked().form_saved);
                    app.go(&Route::Customer(id));
                }
                Err(e) => match state::Conflict::of(&e) {
                    // Said in the form, with the choice of what to do.
                    Some(k) => conflict.set(Some(k)),
                    None => app.fail_store(&e),
                },
            }
            saving.set(false);
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let lang = app.lang.get_untracked();
        let t = app.t_untracked();
        let mut c = draft.get_untracked();
        let mut errs = BTreeMap::new();
        let since = since_text.get_untracked();
        c.since = if since.trim().is_empty() {
            None
        } else {
            match chrono::NaiveDate::parse_from_str(since.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errs.insert("since".to_string(), t.form_bad_date.to_string());
                    None
                }
            }
        };
        c.tags = tags_text
            .get_untracked()
            .split([',', '，', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        c.name = c.name.trim().to_string();
        c.code = c.code.trim().to_string();
        c.updated_at = chrono::Utc::now();
        for p in validate::customer(&c) {
            // Beside its field, without the record's id (a new customer has only an internal one).
            errs.entry(p.field.clone()).or_insert_with(|| p.field_message(lang));
        }
        if !errs.is_empty() {
            errors.set(errs);
            app.fail(t.form_has_errors);
            return;
        }
        errors.set(BTreeMap::new());
        store(c, read_at.get_untracked());
    };
    // Takes the other tab's version into the form.
    let load_theirs = move |_| {
        let id = draft.with_untracked(|c| c.id.clone());
        leptos::task::spawn_local(async move {
            match state::read_customer(&id).await {
                Ok(Some(c)) => {
                    read_at.set(Some(c.updated_at));
                    since_text.set(c.since.map(|d| d.to_string()).unwrap_or_default());
                    tags_text.set(c.tags.join(", "));
                    draft.set(c);
                    conflict.set(None);
                    app.toast.set(None);
                }
                Ok(None) => conflict.set(Some(state::Conflict::Deleted)),
                Err(e) => app.fail_store(&e),
            }
        });
    };
    // Saves the form over the other tab's version (which is still checked: a third change
    // in the meantime is reported again).
    let overwrite = move |_| {
        if let Some(state::Conflict::Changed(at)) = conflict.get_untracked() {
            let mut c = draft.get_untracked();
            c.updated_at = chrono::Utc::now();
            store(c, Some(at));
        }
    };

    let err = move |field: &'static str| {
        move || errors.with(|e| e.get(field).cloned()).map(|m| view! { <span class="field-error" role="alert" data-testid=format!("error-{field}")>{m}</span> })
    };
    macro_rules! text_input {
        ($label:ident, $field:ident, $testid:expr, $max:expr) => {
            view! {
                <label class="field" class:invalid=move || errors.with(|e| e.contains_key(stringify!($field)))>
                    <span>{move || app.t().$label}</span>
                    <input type="text" data-testid=$testid maxlength=$max prop:value=move || draft.with(|c| c.$field.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|c| c.$field = v) } />
                    {err(stringify!($field))}
                </label>
            }
        };
    }
    macro_rules! enum_select {
        ($label:ident, $field:ident, $all:expr, $testid:expr) => {
            view! {
                <label class="field" class:invalid=move || errors.with(|e| e.contains_key(stringify!($field)))>
                    <span>{move || app.t().$label}</span>
                    <select data-testid=$testid
                        prop:value=move || draft.with(|c| c.$field.map(|x| format!("{x:?}")).unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); draft.update(|c| c.$field = pick(&$all, &v)) }>
                        <option value="">{move || app.t().choose}</option>
                        {move || { let l = app.lang.get(); $all.into_iter().map(|x| view! { <option value=format!("{x:?}")>{x.label(l)}</option> }).collect_view() }}
                    </select>
                    {err(stringify!($field))}
                </label>
            }
        };
    }
    let kinds = [CustomerKind::EndCustomer, CustomerKind::Dealer, CustomerKind::Distributor];
    let statuses = [CustomerStatus::Active, CustomerStatus::Terminated];

    view! {
        <section class="page" data-testid="page-customer-form">
            <h1>{move || if is_new { app.t().form_new_title } else { app.t().form_edit_title }}</h1>
            <form class="form" on:submit=save novalidate>
                <div class="card form-grid">
                    {text_input!(field_name, name, "field-name", validate::MAX_NAME)}
                    {text_input!(field_code, code, "field-code", validate::MAX_SHORT)}
                    <label class="field">
                        <span>{move || app.t().field_kind}</span>
                        <select data-testid="field-kind" prop:value=move || draft.with(|c| format!("{:?}", c.kind))
                            on:change=move |ev| { let v = event_target_value(&ev); if let Some(k) = pick(&kinds, &v) { draft.update(|c| c.kind = k) } }>
                            {move || { let l = app.lang.get(); kinds.into_iter().map(|x| view! { <option value=format!("{x:?}")>{x.label(l)}</option> }).collect_view() }}
                        </select>
                    </label>
                    {text_input!(field_industry, industry, "field-industry", validate::MAX_SHORT)}
                    {enum_select!(field_region, region, Region::ALL, "field-region")}
                    {text_input!(field_province, province, "field-province", validate::MAX_SHORT)}
                    {text_input!(field_city, city, "field-city", validate::MAX_SHORT)}
                    {enum_select!(field_city_size, city_size, CitySize::ALL, "field-city-size")}
                    {enum_select!(field_economic_zone, economic_zone, EconomicZone::ALL, "field-economic-zone")}
                    {text_input!(field_size, size, "field-size", validate::MAX_SHORT)}
                    {text_input!(field_owner, owner, "field-owner", validate::MAX_SHORT)}
                    {enum_select!(field_credit, credit_rating, CreditRating::ALL, "field-credit")}
                    <label class="field">
                        <span>{move || app.t().field_status}</span>
                        <select data-testid="field-status" prop:value=move || draft.with(|c| format!("{:?}", c.status))
                            on:change=move |ev| { let v = event_target_value(&ev); if let Some(k) = pick(&statuses, &v) { draft.update(|c| c.status = k) } }>
                            {move || { let l = app.lang.get(); statuses.into_iter().map(|x| view! { <option value=format!("{x:?}")>{x.label(l)}</option> }).collect_view() }}
                        </select>
                    </label>
                    {text_input!(field_termination_reason, termination_reason, "field-termination-reason", validate::MAX_TEXT)}
                    <label class="field" class:invalid=move || errors.with(|e| e.contains_key("since"))>
                        <span>{move || app.t().field_since}</span>
                        <input type="date" data-testid="field-since" prop:value=move || since_text.get()
                            on:input=move |ev| since_text.set(event_target_value(&ev)) />
                        {err("since")}
                    </label>
                    <label class="field">
                        <span>{move || app.t().field_tags}</span>
                        <input type="text" data-testid="field-tags" maxlength=validate::MAX_TEXT prop:value=move || tags_text.get()
                            on:input=move |ev| tags_text.set(event_target_value(&ev)) />
                    </label>
                    <label class="field wide">
                        <span>{move || app.t().field_notes}</span>
                        <textarea data-testid="field-notes" maxlength=validate::MAX_TEXT prop:value=move || draft.with(|c| c.notes.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); draft.update(|c| c.notes = v) }></textarea>
                        <CharCount count=Signal::derive(move || draft.with(|c| c.notes.chars().count())) max=validate::MAX_TEXT />
                    </label>
                    <div class="wide">{move || errors.with(|e| e.iter().filter(|(k, _)| !KNOWN_FIELDS.contains(&k.as_str())).map(|(_, m)| view! { <p class="field-error">{m.clone()}</p> }).collect_view())}</div>
                </div>
                <div class="card">
                    <h2>{move || app.t().section_key_account}</h2>
                    <div class="form-grid">
                        {clientscope_core::model::KeyAccountProfile::default().fields().into_iter().map(|(key, _)| view! {
                            <label class="field">
                                <span>{move || key_account_label(key, app.lang.get())}</span>
                                <input type="text" maxlength=validate::MAX_TEXT prop:value=move || draft.with(|c| c.key_account.fields().iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string()).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|c| if let Some(f) = c.key_account.field_mut(key) { *f = v }) } />
                            </label>
                        }).collect_view()}
                    </div>
                </div>
                <div class="card">
                    <h2>{move || app.t().section_attributes}</h2>
                    <div class="form-grid">
                        {builtin_attributes().into_iter().filter(|d| !d.multi).map(|def| {
                            let key = def.key.clone();
                            let key2 = def.key.clone();
                            let def2 = def.clone();
                            let label = move || if app.lang.get() == Language::ZhCn { def2.zh.clone() } else { def2.en.clone() };
                            let value = move || draft.with(|c| c.attributes.get(&key).cloned().unwrap_or_default());
                            let set = move |v: String| draft.update(|c| { if v.is_empty() { c.attributes.remove(&key2); } else { c.attributes.insert(key2.clone(), v); } });
                            if def.values.is_empty() {
                                view! { <label class="field"><span>{label}</span>
                                    <input type="text" maxlength=validate::MAX_SHORT prop:value=value on:input=move |ev| set(event_target_value(&ev)) /></label> }.into_any()
                            } else {
                                let values = def.values.clone();
                                view! { <label class="field"><span>{label}</span>
                                    <select prop:value=value on:change=move |ev| set(event_target_value(&ev))>
                                        <option value="">{move || app.t().choose}</option>
                                        {move || { let zh = app.lang.get() == Language::ZhCn; values.iter().map(|v| view! { <option value=v.code.clone()>{if zh { v.zh.clone() } else { v.en.clone() }}</option> }).collect_view() }}
                                    </select></label> }.into_any()
                            }
                        }).collect_view()}
                        <RelationshipInputs draft=draft />
                    </div>
                </div>
                <div node_ref=conflict_ref>{move || conflict.get().map(|k| {
                    let t = app.t();
                    match k {
                        state::Conflict::Changed(at) => view! {
                            <div class="card conflict" role="alert" data-testid="save-conflict">
                                <p>{crate::i18n::fill(t.changed_in_other_tab, &[("at", &crate::components::format::timestamp(&at, app.lang.get()))])}</p>
                                <div class="actions">
                                    <button type="button" data-testid="conflict-reload" on:click=load_theirs>{t.conflict_reload}</button>
                                    <button type="button" class="danger" data-testid="conflict-overwrite" on:click=overwrite>{t.conflict_overwrite}</button>
                                </div>
                            </div>
                        }.into_any(),
                        state::Conflict::Deleted => view! {
                            <div class="card conflict" role="alert" data-testid="save-deleted">
                                <p>{t.deleted_in_other_tab}</p>
                                <div class="actions">
                                    <a class="button" href=Route::Customers.href()>{t.back}</a>
                                </div>
                            </div>
                        }.into_any(),
                    }
                })}</div>
                <div class="actions sticky-actions">
                    <a class="button ghost" href=move || if is_new { Route::Customers.href() } else { Route::Customer(draft.with_untracked(|c| c.id.clone())).href() }>{move || app.t().cancel}</a>
                    <button type="submit" class="primary" data-testid="customer-save" disabled=move || saving.get()>{move || app.t().save}</button>
                </div>
            </form>
        </section>
    }
}

/// Fields shown with their own error message; other problems are listed under the form.
const KNOWN_FIELDS: [&str; 15] = [
    "name", "code", "industry", "region", "province", "city", "city_size", "economic_zone", "size", "owner",
    "credit_rating", "termination_reason", "since", "status", "kind",
];

#[component]
fn RelationshipInputs(draft: RwSignal<Customer>) -> impl IntoView {
    let app = use_app();
    let scores = [1u8, 2, 3, 4, 5];
    let get = move |which: u8| {
        draft.with(|c| {
            c.relationship
                .map(|r| if which == 0 { r.common_interest } else { r.relationship_value }.to_string())
                .unwrap_or_default()
        })
    };
    let set = move |which: u8, v: String| {
        draft.update(|c| {
            let n: Option<u8> = v.parse().ok();
            let mut r = c.relationship.unwrap_or(RelationshipScores { common_interest: 3, relationship_value: 3 });
            match n {
                None => {
                    c.relationship = None;
                    return;
                }
                Some(n) if which == 0 => r.common_interest = n,
                Some(n) => r.relationship_value = n,
            }
            c.relationship = Some(r);
        })
    };
    let labels = move || (app.t().field_common_interest, app.t().field_relationship_value);
    view! {
        <label class="field"><span>{move || labels().0}</span>
            <select prop:value=move || get(0) on:change=move |ev| set(0, event_target_value(&ev))>
                <option value="">{move || app.t().choose}</option>
                {scores.map(|s| view! { <option value=s.to_string()>{s}</option> }).collect_view()}
            </select></label>
        <label class="field"><span>{move || labels().1}</span>
            <select prop:value=move || get(1) on:change=move |ev| set(1, event_target_value(&ev))>
                <option value="">{move || app.t().choose}</option>
                {scores.map(|s| view! { <option value=s.to_string()>{s}</option> }).collect_view()}
            </select></label>
    }
}
