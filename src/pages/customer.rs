//! One customer's page: profile, key-account profile, segmentation attributes, contacts
//! with their buying-centre roles, order lines, interactions and complaints, and the place
//! where the value analyses will show. Edit and delete (confirmed, undoable) from here.

use crate::components::{confirm::Confirm, format};
use crate::i18n::complaints::texts as comp_texts;
use crate::i18n::{fill, key_account_label, Label};
use crate::route::Route;
use crate::state::{self, use_app};
use clientscope_core::model::{builtin_attributes, Customer, InteractionStatus, Language};
use leptos::prelude::*;

/// How many order lines are listed (the newest first).
const ORDERS_SHOWN: usize = 200;

/// The customer page.
#[component]
pub fn CustomerPage(id: String) -> impl IntoView {
    let app = use_app();
    let d = app.data;
    let id = StoredValue::new(id);
    let customer = Memo::new(move |_| d.customers.with(|cs| cs.iter().find(|c| c.id == id.get_value()).cloned()));
    move || match customer.get() {
        None => view! {
            <section class="page"><p class="empty" data-testid="customer-missing">{app.t().customer_not_found}</p>
            <a href=Route::Customers.href()>{app.t().back}</a></section>
        }
        .into_any(),
        Some(c) => view! { <CustomerView c=c /> }.into_any(),
    }
}

#[component]
fn CustomerView(c: Customer) -> impl IntoView {
    let app = use_app();
    let d = app.data;
    let cid = c.id.clone();
    let id = StoredValue::new(c.id.clone());
    let name = c.name.clone();
    let contacts = Memo::new(move |_| d.contacts.with(|v| v.iter().filter(|x| x.customer_id == id.get_value()).cloned().collect::<Vec<_>>()));
    let lines = Memo::new(move |_| d.orders.with(|t| clientscope_core::query::customer_orders(t, &id.get_value())));
    let orders = Memo::new(move |_| lines.with(|l| l.lines.clone()));
    let order_total = Memo::new(move |_| lines.with(|l| l.total));
    let interactions = Memo::new(move |_| {
        d.interactions.with(|v| {
            let mut o: Vec<_> = v.iter().filter(|x| x.customer_id == id.get_value()).cloned().collect();
            o.sort_by(|a, b| b.date.cmp(&a.date));
            o
        })
    });
    // The customer's complaints as the complaints page sees them now (state and clock from
    // the core's analysis), newest first.
    let report = crate::pages::complaints::report_now(app);
    let complaints = Memo::new(move |_| {
        report.with(|r| {
            let mut o: Vec<_> = r.per_complaint.iter().filter(|k| k.customer_id == id.get_value()).cloned().collect();
            o.sort_by(|a, b| b.received_at.cmp(&a.received_at).then_with(|| b.id.cmp(&a.id)));
            o
        })
    });

    let confirm_open = RwSignal::new(false);
    let planning = RwSignal::new(false);
    let nm = name.clone();
    let confirm_text = Signal::derive(move || {
        let r = state::records_of(app, &id.get_value());
        fill(
            app.t().delete_confirm_text,
            &[
                ("name", &nm),
                ("contacts", &r.contacts.len()),
                ("orders", &r.orders.len()),
                ("interactions", &r.interactions.len()),
                ("complaints", &r.complaints.len()),
                ("responses", &r.responses.len()),
            ],
        )
    });
    let on_delete = Callback::new(move |_| {
        let cid = id.get_value();
        leptos::task::spawn_local(async move {
            match state::delete_customer(app, &cid).await {
                Ok(()) => app.go(&Route::Customers),
                Err(e) => app.fail_store(&e),
            }
        });
    });

    let lang = move || app.lang.get();
    let c2 = c.clone();
    let profile = move || {
        let t = app.t();
        let l = lang();
        let c = &c2;
        vec![
            kv(t.field_code, c.code.clone()),
            kv(t.field_kind, c.kind.label(l).into()),
            kv(t.field_industry, c.industry.clone()),
            kv(t.field_region, c.region.map(|r| r.label(l).to_string()).unwrap_or_default()),
            kv(t.field_province, c.province.clone()),
            kv(t.field_city, c.city.clone()),
            kv(t.field_city_size, c.city_size.map(|r| r.label(l).to_string()).unwrap_or_default()),
            kv(t.field_economic_zone, c.economic_zone.map(|r| r.label(l).to_string()).unwrap_or_default()),
            kv(t.field_size, c.size.clone()),
            kv(t.field_owner, c.owner.clone()),
            kv(t.field_credit, c.credit_rating.map(|r| r.as_str().to_string()).unwrap_or_default()),
            kv(t.field_status, c.status.label(l).into()),
            kv(t.field_termination_reason, c.termination_reason.clone()),
            kv(t.field_since, c.since.map(|d| d.to_string()).unwrap_or_default()),
            kv(t.field_tags, c.tags.join(", ")),
            kv(t.field_notes, c.notes.clone()),
            kv(t.field_created, format::timestamp(&c.created_at, l)),
            kv(t.field_updated, format::timestamp(&c.updated_at, l)),
        ]
    };
    let ka = c.key_account.clone();
    let key_account = move || {
        let l = lang();
        ka.fields().into_iter().map(|(k, v)| kv(key_account_label(k, l), v.to_string())).collect_view()
    };
    let attrs = c.attributes.clone();
    let attributes = move || {
        let l = lang();
        builtin_attributes()
            .into_iter()
            .filter_map(|def| {
                let code = attrs.get(&def.key)?;
                let value = code
                    .split(';')
                    .map(|code| {
                        def.values
                            .iter()
                            .find(|v| v.code == code)
                            .map(|v| if l == Language::ZhCn { v.zh.clone() } else { v.en.clone() })
                            .unwrap_or_else(|| code.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join("、");
                Some(kv(if l == Language::ZhCn { &def.zh } else { &def.en }, value))
            })
            .collect_view()
    };

    view! {
        <section class="page" data-testid="page-customer">
            <div class="page-head">
                <div>
                    <a class="crumb" href=Route::Customers.href()>{move || app.t().nav_customers}</a>
                    <h1 data-testid="customer-name">{name.clone()}</h1>
                </div>
                <div class="actions">
                    <button class="primary" data-testid="customer-plan-visit" on:click=move |_| planning.set(true)>{move || crate::i18n::visits::texts(app.lang.get()).plan_visit}</button>
                    <a class="button" href=Route::CustomerEdit(cid.clone()).href() data-testid="customer-edit">{move || app.t().edit}</a>
                    <button class="danger" data-testid="customer-delete" on:click=move |_| confirm_open.set(true)>{move || app.t().delete}</button>
                </div>
            </div>
            <div class="grid2">
                <div class="card"><h2>{move || app.t().section_profile}</h2>{profile}</div>
                <div class="card">
                    <crate::pages::value::CustomerValueCard id=cid.clone() />
                    <h2>{move || app.t().section_attributes}</h2>
                    {attributes}
                </div>
            </div>
            <div class="card"><h2>{move || app.t().section_key_account}</h2><div class="kv-grid">{key_account}</div></div>
            <div class="card">
                <h2>{move || app.t().section_contacts}</h2>
                {move || if contacts.with(|c| c.is_empty()) {
                    view! { <p class="empty">{app.t().no_contacts}</p> }.into_any()
                } else {
                    let t = app.t();
                    let l = lang();
                    view! {
                        <table class="table" tabindex="0" data-testid="contacts-table">
                            <thead><tr><th>{t.col_name}</th><th>{t.field_title}</th><th>{t.field_roles}</th><th>{t.field_phone}</th><th>{t.field_email}</th></tr></thead>
                            <tbody>
                                {contacts.get().into_iter().map(|x| view! {
                                    <tr>
                                        <td>{x.name}</td><td>{x.title}</td>
                                        <td>{x.roles.iter().map(|r| view! { <span class="chip">{r.label(l)}</span> }).collect_view()}</td>
                                        <td>{x.phone}</td><td>{x.email}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </div>
            <div class="card">
                <h2>{move || app.t().section_orders}</h2>
                {move || if orders.with(|o| o.is_empty()) {
                    view! { <p class="empty">{app.t().no_orders}</p> }.into_any()
                } else {
                    let t = app.t();
                    let n = orders.with(|o| o.len());
                    view! {
                        <p class="muted" data-testid="orders-summary">
                            {fill(t.orders_summary, &[("n", &format::number(n as f64, 0)), ("sum", &format::money(order_total.get()))])}
                            {(n > ORDERS_SHOWN).then(|| format!(" · {}", fill(t.shown_latest, &[("n", &ORDERS_SHOWN)])))}
                        </p>
                        <div class="table-wrap" tabindex="0">
                        <table class="table">
                            <thead><tr><th>{t.field_date}</th><th>{t.field_order_no}</th><th>{t.field_product}</th><th>{t.field_category}</th><th class="num">{t.field_quantity}</th><th class="num">{t.field_amount}</th><th class="num">{t.field_profit}</th><th>{t.field_channel}</th></tr></thead>
                            <tbody>
                                {orders.with(|o| o.iter().take(ORDERS_SHOWN).cloned().collect::<Vec<_>>()).into_iter().map(|x| view! {
                                    <tr>
                                        <td>{x.date.to_string()}</td><td>{x.order_no}</td><td>{x.product}</td><td>{x.category}</td>
                                        <td class="num">{x.quantity.map(|q| format::number(q, 0)).unwrap_or_default()}</td>
                                        <td class="num">{format::money(x.amount)}</td>
                                        <td class="num">{x.profit.map(format::money).unwrap_or_default()}</td>
                                        <td>{x.channel}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                }}
            </div>
            <div class="grid2">
                <div class="card">
                    <h2>{move || app.t().section_interactions}</h2>
                    {move || if interactions.with(|o| o.is_empty()) {
                        view! { <p class="empty">{app.t().no_interactions}</p> }.into_any()
                    } else {
                        let l = lang();
                        view! { <ul class="timeline">{interactions.get().into_iter().take(50).map(|x| view! {
                            <li data-testid="customer-interaction"><span class="date">{x.date.to_string()}</span> <span class="chip">{x.kind.label(l)}</span>
                                {(x.status != InteractionStatus::Done).then(|| view! { <span class=format!("chip chip-{}", x.status.name())>{crate::i18n::visits::status_label(x.status, l)}</span> })}
                                " " {x.purpose} <span class="muted">{x.outcome}</span></li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                </div>
                <div class="card" data-testid="customer-complaints">
                    <div class="chart-head">
                        <h2>{move || app.t().section_complaints}</h2>
                        <a class="button small" data-testid="customer-register-complaint" href=crate::pages::complaints::register_href(&id.get_value())>
                            {move || comp_texts(app.lang.get()).customer_register}</a>
                    </div>
                    {move || if complaints.with(|o| o.is_empty()) {
                        view! { <p class="empty">{app.t().no_complaints}</p> }.into_any()
                    } else {
                        let l = lang();
                        let ct = comp_texts(l);
                        view! { <ul class="cmp-list">{complaints.get().into_iter().map(|k| {
                            let clock = crate::pages::complaints::clock_words(app, ct, &k);
                            view! {
                            <li class="cmp-item" data-testid="customer-complaint" data-id=k.id.clone()>
                                <div class="cmp-title">
                                    <a data-testid="customer-complaint-open" href=crate::pages::complaints::open_href(&k.id)
                                        aria-label=fill(ct.customer_open, &[("id", &k.id)])>{k.id.clone()}</a>
                                    " " {k.category.clone()}
                                    " " <span class=crate::pages::complaints::state_class(&k)>{k.state.label(l)}</span>
                                </div>
                                <div class="muted small">{crate::pages::complaints::shared::when(app, k.received_at)}</div>
                                <div class="cmp-clock small">{clock}</div>
                            </li>
                            }
                        }).collect_view()}</ul> }.into_any()
                    }}
                </div>
            </div>
            {move || planning.get().then(|| view! {
                <crate::pages::visits::PlanDialog customer_id=Some(id.get_value()) source=crate::pages::visits::Source::Customer
                    on_close=Callback::new(move |_| planning.set(false)) />
            })}
            <Confirm open=confirm_open
                title=Signal::derive(move || app.t().delete_confirm_title.to_string())
                text=confirm_text
                confirm_label=Signal::derive(move || app.t().delete.to_string())
                on_confirm=on_delete />
        </section>
    }
}

/// A label–value line; an empty value shows as a dash.
fn kv(label: &str, value: String) -> impl IntoView {
    let label = label.to_string();
    let value = if value.is_empty() { "—".to_string() } else { value };
    view! { <div class="kv"><span class="k">{label}</span><span class="v">{value}</span></div> }
}
