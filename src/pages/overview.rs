//! Overview: what is stored, revenue per month, and the dashboards (`pages::dashboard`).

use crate::charts;
use crate::components::{chart::Chart, format};
use crate::route::Route;
use crate::state::{self, use_app};
use clientscope_core::satisfaction::analysis::is_blank;
use clientscope_core::summary;
use leptos::prelude::*;

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let app = use_app();
    let d = app.data;
    let today = chrono::Local::now().date_naive();
    let months = Memo::new(move |_| d.orders.with(|o| summary::monthly_revenue(o.as_ref(), today, 36)));
    let revenue_12m = Memo::new(move |_| d.orders.with(|o| summary::revenue_in_last_days(o.as_ref(), today, 365)));
    let active = Memo::new(move |_| d.customers.with(|c| summary::active_customers(c)));
    let card = move |label: &'static str, value: String, testid: &'static str| {
        view! { <div class="card stat" data-testid=testid><div class="stat-value">{value}</div><div class="stat-label">{label}</div></div> }
    };
    view! {
        <section class="page" data-testid="page-overview">
            <h1>{move || app.t().overview_title}</h1>
            // Nothing stored (a first empty start, or after "delete all"): say how to begin.
            <Show when=move || d.customers.with(|c| c.is_empty()) && d.orders.with(|o| o.is_empty()) && !app.rest_loading.get()>
                <div class="card overview-empty" data-testid="overview-empty">
                    <p>{move || app.t().overview_empty}</p>
                    <div class="actions">
                        <button class="primary" data-testid="overview-load-demo" on:click=move |_| state::run(app, state::load_demo(app))>{move || app.t().welcome_demo}</button>
                        <a class="button" href=Route::Import.href() data-testid="overview-import">{move || crate::i18n::import::texts(app.lang.get()).welcome_import_file}</a>
                        <a class="button" href=Route::Data.href() data-testid="overview-restore">{move || app.t().welcome_import}</a>
                    </div>
                </div>
            </Show>
            <div class="stats">
                {move || {
                    let t = app.t();
                    // The order lines and the other records load after the customers: until
                    // they are in, their figures say so instead of showing 0.
                    let later = |v: String| if app.rest_loading.get() { "…".to_string() } else { v };
                    vec![
                        card(t.count_customers, format::number(d.customers.with(|v| v.len()) as f64, 0), "count-customers"),
                        card(t.active_customers, format::number(active.get() as f64, 0), "count-active"),
                        card(t.count_orders, later(format::number(d.orders.with(|v| v.len()) as f64, 0)), "count-orders"),
                        card(t.revenue_12m, later(format::money(revenue_12m.get())), "revenue-12m"),
                        card(t.count_contacts, later(format::number(d.contacts.with(|v| v.len()) as f64, 0)), "count-contacts"),
                        card(t.count_interactions, later(format::number(d.interactions.with(|v| v.len()) as f64, 0)), "count-interactions"),
                        card(t.count_complaints, later(format::number(d.complaints.with(|v| v.len()) as f64, 0)), "count-complaints"),
                        // Survey responses as the analyses count them (blank drafts left out).
                        card(t.count_responses, later(format::number(d.responses.with(|v| v.iter().filter(|r| !is_blank(r)).count()) as f64, 0)), "count-responses"),
                    ]
                }}
            </div>
            <div class="card">
                <h2>{move || app.t().overview_revenue_chart}</h2>
                {move || if app.rest_loading.get() {
                    view! { <p class="empty" data-testid="overview-lines-loading">{app.t().loading}</p> }.into_any()
                } else if d.orders.with(|o| o.is_empty()) {
                    view! { <p class="empty">{app.t().overview_no_orders}</p> }.into_any()
                } else {
                    view! {
                        <Chart label=Signal::derive(move || app.t().overview_revenue_chart.to_string())
                            testid="chart-monthly-revenue"
                            figures=Signal::derive(move || months.with(|m| crate::components::chart::figures(
                                m.iter().map(|m| (format!("{}-{:02}", m.year, m.month), format::number(m.revenue, 0))), app.lang.get())))
                            draw=move |area, px| {
                                let label = app.t().field_amount;
                                let _ = months.with(|m| charts::draw_monthly_revenue(area, m, label, app.lang.get(), px));
                            } />
                        {move || months.with(|m| m.last().is_some_and(|m| m.partial)).then(|| view! {
                            <p class="muted chart-note" data-testid="overview-partial-note">{app.t().overview_partial_month}</p>
                        })}
                    }.into_any()
                }}
            </div>
            <crate::pages::dashboard::Dashboards />
        </section>
    }
}
