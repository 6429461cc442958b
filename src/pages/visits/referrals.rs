//! Referrals 推荐: per referrer (a customer, a contact or a name written on the customer),
//! the customers brought and the revenue of those customers, from `service::visits::referrals`.

use super::shared::Page;
use crate::components::format;
use crate::i18n::fill;
use crate::route::Route;
use clientscope_core::service::visits::{referrals, Referrer};
use leptos::prelude::*;

/// How many referrers are listed.
const LISTED: usize = 20;

/// The referral table.
#[component]
pub fn Referrals(page: Page) -> impl IntoView {
    let app = page.app;
    let d = app.data;
    let report = Memo::new(move |_| d.customers.with(|cs| d.contacts.with(|ct| d.orders.with(|o| referrals(cs, ct, &**o, None, None)))));
    view! {
        <div class="card" data-testid="visit-referrals">
            <h2>{move || page.t().referrals_title}</h2>
            <p class="muted small">{move || page.t().referrals_hint}</p>
            {move || {
                let t = page.t();
                let loading = app.rest_loading.get();
                let r = report.get();
                if r.rows.is_empty() {
                    return view! { <p class="empty">{t.referrals_empty}</p> }.into_any();
                }
                let revenue = move |v: f64| if loading { "…".to_string() } else { format::money(v) };
                view! {
                    <p data-testid="referrals-summary">{fill(if r.referred_customers == 1 { t.referrals_summary_one } else { t.referrals_summary }, &[("n", &r.referred_customers), ("sum", &revenue(r.referred_revenue))])}</p>
                    <div class="table-wrap" tabindex="0">
                        <table class="table" data-testid="referrals-table">
                            <thead><tr><th>{t.col_referrer}</th><th>{t.col_referrer_kind}</th><th class="num">{t.col_referred}</th><th class="num">{t.col_revenue}</th></tr></thead>
                            <tbody>
                                {r.rows.into_iter().take(LISTED).map(|row| {
                                    let (kind, link) = match &row.referrer {
                                        Referrer::Customer(id) => (t.referrer_customer, Some(Route::Customer(id.clone()).href())),
                                        Referrer::Contact(_) => (t.referrer_contact, None),
                                        Referrer::Name(_) => (t.referrer_name, None),
                                    };
                                    let name = row.name.clone();
                                    view! {
                                        <tr data-testid="referrer-row">
                                            <td>{match link { Some(href) => view! { <a href=href>{name}</a> }.into_any(), None => name.into_any() }}</td>
                                            <td>{kind}</td>
                                            <td class="num">{row.count}</td>
                                            <td class="num">{revenue(row.revenue)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}
