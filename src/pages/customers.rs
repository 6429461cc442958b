//! The customer list: search, filters, sort by any column, and a virtualised table that
//! renders only the rows in view, so 100,000 customers scroll smoothly.
//!
//! Filtering and sorting are the core's (`query::filter_sort`); this page keeps the query
//! in the shared state (it survives navigation) and renders the resulting indices.

use crate::components::format;
use crate::i18n::{fill, Label};
use crate::route::Route;
use crate::state::use_app;
use clientscope_core::dashboard::ListKind;
use clientscope_core::io::export::{to_csv, CsvEncoding, ExportTable};
use crate::components::excel::ExcelButton;
use clientscope_core::model::{CustomerKind, CustomerStatus, Region};
use clientscope_core::query::{self, SortKey};
use leptos::prelude::*;
use std::sync::Arc;

/// Row height in pixels (must match `.vrow` in the stylesheet).
const ROW_H: f64 = 40.0;
/// Extra rows rendered above and below the viewport.
const OVERSCAN: usize = 8;

/// The customer list page.
#[component]
pub fn CustomerList() -> impl IntoView {
    let app = use_app();
    let d = app.data;
    let q = app.customer_query;
    let stats = Memo::new(move |_| d.customers.with(|c| d.orders.with(|o| query::customer_stats(c, o.as_ref()))));
    // A saved segment (segments page) as a filter: its members, found by the segment core.
    let segment: RwSignal<Option<(String, Arc<std::collections::HashSet<u32>>)>> = RwSignal::new(None);
    let rows = Memo::new(move |_| {
        let mut r = d.customers.with(|c| stats.with(|s| q.with(|q| query::filter_sort(c, s, q))));
        segment.with(|seg| {
            if let Some((_, members)) = seg {
                r.retain(|i| members.contains(i));
            }
        });
        // A dashboard tile's list (pages::dashboard): only its customers.
        app.pick.with(|p| {
            if let Some(p) = p.as_ref().filter(|p| p.kind == ListKind::Customers) {
                d.customers.with(|c| r.retain(|&i| c.get(i as usize).is_some_and(|c| p.ids.contains(&c.id))));
            }
        });
        r
    });
    let saved_segments = Memo::new(move |_| app.settings.with(|s| s.segments.definitions.iter().map(|d| d.name.clone()).collect::<Vec<_>>()));
    let pick_segment = move |name: String| {
        if name.is_empty() {
            segment.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            match crate::pages::segments::shared::saved_segment_members(app, &name).await {
                Ok(members) => {
                    segment.try_set(Some((name, members)));
                }
                Err(e) => app.fail(format!("{}{e}", app.t_untracked().error_prefix)),
            }
        });
    };
    let industries = Memo::new(move |_| d.customers.with(|c| query::distinct_industries(c)));
    let owners = Memo::new(move |_| d.customers.with(|c| query::distinct_owners(c)));

    let scroll_top = RwSignal::new(0.0_f64);
    let viewport_h = RwSignal::new(600.0_f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            viewport_h.set(el.client_height().max(200) as f64);
        }
    });
    // A new result starts at the top.
    Effect::new(move |_| {
        rows.track();
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });

    // Export of the list as shown (filters and sort applied), as Excel-safe CSV.
    let export_encoding = RwSignal::new(CsvEncoding::Utf8Bom);
    // The list as exported (CSV and Excel): header and rows, as shown.
    let list_table = move || {
        let t = app.t_untracked();
        let lang = app.lang.get_untracked();
        let headers: Vec<String> = [t.col_code, t.col_name, t.col_kind, t.col_industry, t.col_region, t.col_city, t.col_owner, t.col_status, t.col_revenue, t.col_last_order]
            .into_iter()
            .map(String::from)
            .collect();
        let lines: Vec<Vec<String>> = d.customers.with_untracked(|cs| {
            stats.with_untracked(|st| {
                rows.with_untracked(|r| {
                    r.iter()
                        .map(|&i| {
                            let (c, s) = (&cs[i as usize], &st[i as usize]);
                            vec![
                                c.code.clone(),
                                c.name.clone(),
                                c.kind.label(lang).to_string(),
                                c.industry.clone(),
                                c.region.map(|r| r.label(lang)).unwrap_or("").to_string(),
                                c.city.clone(),
                                c.owner.clone(),
                                c.status.label(lang).to_string(),
                                format!("{:.2}", s.revenue),
                                s.last_order.map(|d| d.to_string()).unwrap_or_default(),
                            ]
                        })
                        .collect()
                })
            })
        });
        (headers, lines)
    };
    let list_name = move || format!("clientscope-customers-{}", chrono::Local::now().format("%Y%m%d-%H%M"));
    let export_csv = move |_| {
        let lang = app.lang.get_untracked();
        let enc = export_encoding.get_untracked();
        let (headers, lines) = list_table();
        let bytes = to_csv(&headers, lines, enc);
        let name = format!("{}.csv", list_name());
        let mime = if enc == CsvEncoding::Gbk { "text/csv;charset=gbk" } else { "text/csv;charset=utf-8" };
        match bytes.map_err(|e| e.message(lang)).and_then(|b| crate::files::download_bytes(&name, &b, mime)) {
            Ok(()) => app.say(fill(crate::i18n::import::texts(lang).exported, &[("file", &name)])),
            Err(e) => app.fail(e),
        }
    };
    let list_xlsx = Callback::new(move |()| {
        let (headers, lines) = list_table();
        Ok((list_name(), ExportTable::from_shown(app.t_untracked().nav_customers, headers, lines)))
    });

    let sort_header = move |key: SortKey, label: &'static str, class: &'static str| {
        let arrow = move || {
            q.with(|q| if q.sort == key { if q.descending { " ▼" } else { " ▲" } } else { "" })
        };
        // The header cell carries the table role and the sort state; the button inside it
        // sorts (a button may not itself be a column header).
        view! {
            <div class=format!("th {class}") role="columnheader"
                aria-sort=move || q.with(|q| if q.sort != key { "none" } else if q.descending { "descending" } else { "ascending" })>
                <button on:click=move |_| q.update(|q| {
                    if q.sort == key { q.descending = !q.descending } else { q.sort = key; q.descending = matches!(key, SortKey::Revenue | SortKey::LastOrder | SortKey::UpdatedAt) }
                })>{label}{arrow}</button>
            </div>
        }
    };

    let visible = move || {
        let total = rows.with(|r| r.len());
        let first = ((scroll_top.get() / ROW_H) as usize).saturating_sub(OVERSCAN);
        let count = (viewport_h.get() / ROW_H) as usize + 2 * OVERSCAN;
        let last = (first + count).min(total);
        let lang = app.lang.get();
        // The totals come from the order lines, read after the customers: "…" until then,
        // not 0.
        let later = app.rest_loading.get();
        d.customers.with(|cs| {
            stats.with(|st| {
                rows.with(|r| {
                    (first..last)
                        .map(|pos| {
                            let i = r[pos] as usize;
                            let c = &cs[i];
                            let s = &st[i];
                            let href = Route::Customer(c.id.clone()).href();
                            view! {
                                // A row may not be a link: the name is the link, stretched over
                                // the whole row (`.row-link::after`), so a click anywhere opens it.
                                <div class="vrow" role="row" data-testid="customer-row"
                                    style:transform=format!("translateY({}px)", pos as f64 * ROW_H)>
                                    <span class="td c-code" role="cell">{c.code.clone()}</span>
                                    <span class="td c-name" role="cell"><a class="row-link" href=href>{c.name.clone()}</a></span>
                                    <span class="td c-kind" role="cell">{c.kind.label(lang)}</span>
                                    <span class="td c-industry" role="cell">{c.industry.clone()}</span>
                                    <span class="td c-region" role="cell">{c.region.map(|r| r.label(lang)).unwrap_or("")}</span>
                                    <span class="td c-city" role="cell">{c.city.clone()}</span>
                                    <span class="td c-owner" role="cell">{c.owner.clone()}</span>
                                    <span class="td c-status" role="cell" class:terminated=c.status == CustomerStatus::Terminated>{c.status.label(lang)}</span>
                                    <span class="td c-revenue num" role="cell">{if later { "…".to_string() } else { format::number(s.revenue, 0) }}</span>
                                    <span class="td c-last" role="cell">{if later { "…".to_string() } else { s.last_order.map(|d| d.to_string()).unwrap_or_default() }}</span>
                                </div>
                            }
                        })
                        .collect_view()
                })
            })
        })
    };

    view! {
        <section class="page list-page" data-testid="page-customers">
            <div class="page-head">
                <h1>{move || app.t().customers_title}</h1>
                <div class="actions customers-export">
                    <select data-testid="customers-export-encoding" aria-label=move || crate::i18n::import::texts(app.lang.get()).export_encoding
                        on:change=move |ev| export_encoding.set(if event_target_value(&ev) == "gbk" { CsvEncoding::Gbk } else { CsvEncoding::Utf8Bom })>
                        <option value="utf8">{move || crate::i18n::import::texts(app.lang.get()).enc_utf8}</option>
                        <option value="gbk">{move || crate::i18n::import::texts(app.lang.get()).enc_gbk}</option>
                    </select>
                    <button data-testid="customers-export-csv" on:click=export_csv>{move || crate::i18n::import::texts(app.lang.get()).export_csv}</button>
                    <ExcelButton testid="customers-export" plain=true table=list_xlsx />
                    <a class="button primary" href=Route::CustomerNew.href() data-testid="customer-new">{move || app.t().customers_new}</a>
                </div>
            </div>
            <div class="filters">
                <input type="search" class="search" data-testid="customer-search"
                    placeholder=move || app.t().customers_search aria-label=move || app.t().customers_search
                    prop:value=move || q.with(|q| q.text.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); q.update(|q| q.text = v) } />
                <select data-testid="filter-region" aria-label=move || app.t().col_region on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.update(|q| q.region = Region::ALL.into_iter().find(|r| format!("{r:?}") == v));
                } prop:value=move || q.with(|q| q.region.map(|r| format!("{r:?}")).unwrap_or_default())>
                    <option value="">{move || app.t().filter_all_regions}</option>
                    {move || { let lang = app.lang.get(); Region::ALL.into_iter().map(|r| view! { <option value=format!("{r:?}")>{r.label(lang)}</option> }).collect_view() }}
                </select>
                <select data-testid="filter-industry" aria-label=move || app.t().col_industry on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.update(|q| q.industry = (!v.is_empty()).then_some(v));
                } prop:value=move || q.with(|q| q.industry.clone().unwrap_or_default())>
                    <option value="">{move || app.t().filter_all_industries}</option>
                    {move || industries.get().into_iter().map(|i| view! { <option value=i.clone()>{i.clone()}</option> }).collect_view()}
                </select>
                <select data-testid="filter-owner" aria-label=move || app.t().col_owner on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.update(|q| q.owner = (!v.is_empty()).then_some(v));
                } prop:value=move || q.with(|q| q.owner.clone().unwrap_or_default())>
                    <option value="">{move || app.t().filter_all_owners}</option>
                    {move || owners.get().into_iter().map(|i| view! { <option value=i.clone()>{i.clone()}</option> }).collect_view()}
                </select>
                <select data-testid="filter-status" aria-label=move || app.t().col_status on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.update(|q| q.status = match v.as_str() { "active" => Some(CustomerStatus::Active), "terminated" => Some(CustomerStatus::Terminated), _ => None });
                } prop:value=move || q.with(|q| match q.status { Some(CustomerStatus::Active) => "active", Some(CustomerStatus::Terminated) => "terminated", None => "" }.to_string())>
                    <option value="">{move || app.t().filter_all_statuses}</option>
                    <option value="active">{move || CustomerStatus::Active.label(app.lang.get())}</option>
                    <option value="terminated">{move || CustomerStatus::Terminated.label(app.lang.get())}</option>
                </select>
                <select data-testid="filter-kind" aria-label=move || app.t().col_kind on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.update(|q| q.kind = [CustomerKind::EndCustomer, CustomerKind::Dealer, CustomerKind::Distributor].into_iter().find(|k| format!("{k:?}") == v));
                } prop:value=move || q.with(|q| q.kind.map(|k| format!("{k:?}")).unwrap_or_default())>
                    <option value="">{move || app.t().filter_all_kinds}</option>
                    {move || { let lang = app.lang.get(); [CustomerKind::EndCustomer, CustomerKind::Dealer, CustomerKind::Distributor].into_iter().map(|k| view! { <option value=format!("{k:?}")>{k.label(lang)}</option> }).collect_view() }}
                </select>
                <Show when=move || saved_segments.with(|s| !s.is_empty())>
                    <select data-testid="filter-segment" aria-label=move || app.t().filter_segment on:change=move |ev| pick_segment(event_target_value(&ev))
                        prop:value=move || segment.with(|s| s.as_ref().map(|(n, _)| n.clone()).unwrap_or_default())>
                        <option value="">{move || app.t().filter_all_segments}</option>
                        {move || saved_segments.get().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                </Show>
                <button class="ghost" on:click=move |_| { segment.set(None); q.update(|q| { let sort = q.sort; let desc = q.descending; *q = Default::default(); q.sort = sort; q.descending = desc; }) }>
                    {move || app.t().filter_clear}
                </button>
            </div>
            <crate::components::pick::PickChip kind=ListKind::Customers />
            <p class="muted" data-testid="customer-count">
                {move || fill(app.t().customers_count, &[("shown", &format::number(rows.with(|r| r.len()) as f64, 0)), ("total", &format::number(d.customers.with(|c| c.len()) as f64, 0))])}
            </p>
            <div class="vtable" role="table" aria-rowcount=move || rows.with(|r| r.len()).to_string()>
                <div class="vhead" role="row">
                    {move || {
                        let t = app.t();
                        vec![
                            sort_header(SortKey::Code, t.col_code, "c-code").into_any(),
                            sort_header(SortKey::Name, t.col_name, "c-name").into_any(),
                            sort_header(SortKey::Kind, t.col_kind, "c-kind").into_any(),
                            sort_header(SortKey::Industry, t.col_industry, "c-industry").into_any(),
                            sort_header(SortKey::Region, t.col_region, "c-region").into_any(),
                            sort_header(SortKey::City, t.col_city, "c-city").into_any(),
                            sort_header(SortKey::Owner, t.col_owner, "c-owner").into_any(),
                            sort_header(SortKey::Status, t.col_status, "c-status").into_any(),
                            sort_header(SortKey::Revenue, t.col_revenue, "c-revenue num").into_any(),
                            sort_header(SortKey::LastOrder, t.col_last_order, "c-last").into_any(),
                        ]
                    }}
                </div>
                <div class="vscroll" node_ref=scroller data-testid="customer-scroller"
                    on:scroll=move |ev| {
                        let el: web_sys::Element = event_target(&ev);
                        scroll_top.set(el.scroll_top() as f64);
                        viewport_h.set(el.client_height() as f64);
                    }>
                    <div class="vspace" style:height=move || format!("{}px", rows.with(|r| r.len()) as f64 * ROW_H)>
                        {visible}
                    </div>
                    <Show when=move || rows.with(|r| r.is_empty())>
                        <p class="empty">{move || app.t().customers_empty}</p>
                    </Show>
                </div>
            </div>
        </section>
    }
}
