//! The segment builder: 1-3 dimensions, the cross-tab of segments × measures (sortable),
//! drill-down into a segment's customers, CSV export, bar and bubble charts, and the saved
//! segment definitions.

use super::shared::{dim_options, opt_pct, pct, segment_name, today, ChartCard, DimChoice, Inputs, Page};
use crate::charts::segments as charts;
use crate::components::{chart::Chart, confirm::Confirm, excel::ExcelButton, format, table_csv::save_csv};
use crate::i18n::fill;
use crate::route::Route;
use clientscope_core::io::export::ExportTable;
use clientscope_core::model::Date;
use clientscope_core::segment::attributes::{partition, Bands, Dimension, NumericSource, PartitionParams, SegmentDefinition};
use clientscope_core::segment::crosstab::{crosstab, CrosstabColumn, CrosstabInput, CrosstabParams, CrosstabReport, NamedSegment};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows per page of the drill-down list.
const PAGE_ROWS: usize = 50;

/// A computed cross-tab with what it was computed from.
struct Built {
    inputs: Arc<Inputs>,
    dims: Vec<Dimension>,
    /// Segment name → (partition key, members).
    segments: Vec<(String, Vec<String>, Vec<usize>)>,
    report: CrosstabReport,
}

/// Parses typed band edges ("1000, 5000").
fn parse_edges(s: &str) -> Result<Vec<f64>, String> {
    s.split([',', '，', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()).map(|p| p.parse::<f64>().map_err(|_| p.to_string())).collect()
}

/// The segment builder tab.
#[component]
pub fn Builder(page: Page) -> impl IntoView {
    let app = page.app;
    let built: RwSignal<Option<Arc<Built>>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let sort = RwSignal::new((CrosstabColumn::Revenue, true));
    let drill: RwSignal<Option<String>> = RwSignal::new(None);
    let drill_page = RwSignal::new(0usize);
    let save_name = RwSignal::new(String::new());
    let options = Memo::new(move |_| app.settings.with(|s| dim_options(&s.custom_attributes, app.lang.get())));

    let compute = move |_| {
        let t = page.tu();
        let lang = app.lang.get_untracked();
        let ui = page.ui.get_untracked();
        let (from, to) = ui.period(today());
        let params = match (CrosstabParams { from, to }).check() {
            Ok(p) => p,
            Err(_) => {
                error.set(Some(fill(t.bad_period, &[("from", &from), ("to", &to)])));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            let inputs = page.ensure_inputs().await;
            let ctx = inputs.ctx();
            let opts = options.get_untracked();
            let mut dims = Vec::new();
            let mut choices = ui.dims.clone();
            for (i, choice) in choices.iter_mut().enumerate() {
                let Some(opt) = opts.iter().find(|o| o.id == choice.id) else { continue };
                let mut dim = opt.dim.clone();
                if let Dimension::Numeric { source, bands } = &mut dim {
                    if choice.edges.trim().is_empty() {
                        // Suggest quartiles of the values present, and show them for editing.
                        let values: Vec<f64> = ctx.customers.iter().filter_map(|c| ctx.number(source, c)).collect();
                        *bands = Bands::suggested(&values, 4);
                        choice.edges = bands.edges.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ");
                    }
                    match parse_edges(&choice.edges) {
                        Ok(edges) => *bands = Bands { edges },
                        Err(bad) => {
                            error.try_set(Some(fill(t.bad_edges, &[("n", &(i + 1)), ("value", &bad)])));
                            return;
                        }
                    }
                    if bands.check().is_err() {
                        error.try_set(Some(fill(t.bad_edges_order, &[("n", &(i + 1))])));
                        return;
                    }
                }
                dims.push(dim);
            }
            page.edit(|u| u.dims = choices);
            let p = match (PartitionParams { dimensions: dims.clone() }).check() {
                Ok(p) => p,
                Err(e) => {
                    error.try_set(Some(e.message(lang)));
                    return;
                }
            };
            let part = partition(&ctx, &p);
            let custom = app.settings.with_untracked(|s| s.custom_attributes.clone());
            let segments: Vec<(String, Vec<String>, Vec<usize>)> =
                part.segments.iter().map(|s| (segment_name(&dims, &s.key, &custom, lang), s.key.clone(), s.members.clone())).collect();
            let named: Vec<NamedSegment> = segments.iter().map(|(n, _, m)| NamedSegment { name: n.clone(), members: m.clone() }).collect();
            let csi = inputs.measures.get("csi").filter(|m| !m.is_empty()).map(|m| &**m);
            let input = CrosstabInput { customers: &inputs.customers, orders: &inputs.orders, complaints: &inputs.complaints, csi };
            match crosstab(&input, &named, &params, lang) {
                Ok(report) => {
                    drop(ctx);
                    error.try_set(None);
                    drill.try_set(None);
                    built.try_set(Some(Arc::new(Built { inputs: inputs.clone(), dims, segments, report })));
                }
                Err(e) => {
                    error.try_set(Some(e.message(lang)));
                }
            }
        });
    };

    let sorted = Memo::new(move |_| {
        built.with(|b| {
            b.as_ref().map(|b| {
                let mut r = b.report.clone();
                let (col, desc) = sort.get();
                r.sort(col, desc);
                Arc::new(r)
            })
        })
    });

    // The cross-tab as exported (CSV and Excel): file stem, header, rows.
    let crosstab_table = move || {
        let t = page.tu();
        let r = sorted.get_untracked()?;
        let headers: Vec<String> = [t.col_segment, t.col_customers, t.col_customer_share, t.col_revenue, t.col_revenue_share, t.col_profit, t.col_growth, t.col_csi, t.col_complaints]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let o = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        let rows: Vec<Vec<String>> = r.rows.iter().chain(std::iter::once(&r.total)).map(|row| {
            vec![
                row.name.clone(),
                row.customers.to_string(),
                format!("{}", row.customer_share),
                format!("{}", row.revenue),
                o(row.revenue_share),
                format!("{}", row.gross_profit),
                o(row.growth),
                o(row.mean_csi),
                row.open_complaints.to_string(),
            ]
        }).collect();
        Some((format!("clientscope-segments-{}-{}", r.params.from, r.params.to), headers, rows))
    };
    let export_csv = move |_| {
        if let Some((stem, headers, rows)) = crosstab_table() {
            save_csv(app, &format!("{stem}.csv"), &headers, rows);
        }
    };
    let crosstab_xlsx = Callback::new(move |()| {
        crosstab_table().map(|(stem, headers, rows)| (stem.clone(), ExportTable::from_shown(stem, headers, rows))).ok_or_else(|| app.t_untracked().export_nothing.to_string())
    });

    let save_segment = move |_| {
        let t = page.tu();
        let name = save_name.get_untracked().trim().to_string();
        let Some(seg) = drill.get_untracked() else { return };
        let Some(b) = built.get_untracked() else { return };
        let Some((_, key, _)) = b.segments.iter().find(|s| s.0 == seg) else { return };
        if name.is_empty() {
            app.fail(t.name_needed);
            return;
        }
        if app.settings.with_untracked(|s| s.segments.definitions.iter().any(|d| d.name == name)) {
            app.fail(fill(t.name_taken, &[("name", &name)]));
            return;
        }
        let part = clientscope_core::segment::attributes::Segment { key: key.clone(), members: Vec::new() };
        let def = part.to_definition(&name, &b.dims);
        save_definition(page, def);
        save_name.set(String::new());
    };

    let header = move |col: CrosstabColumn, label: fn(&crate::i18n::segments::SegTexts) -> &'static str, num: bool| {
        view! {
            <th class=if num { "num" } else { "" }>
                <button class="ghost small sort" data-testid=format!("sort-{col:?}")
                    on:click=move |_| sort.update(|s| *s = if s.0 == col { (col, !s.1) } else { (col, col != CrosstabColumn::Name) })>
                    {move || label(page.t())}
                    {move || sort.with(|s| if s.0 == col { if s.1 { " ▼" } else { " ▲" } } else { "" })}
                </button>
            </th>
        }
    };

    view! {
        <div class="card">
            <h2>{move || page.t().builder_title}</h2>
            <p class="muted">{move || page.t().builder_hint}</p>
            <div class="form-grid seg-form">
                <label class="field">
                    <span>{move || page.t().period_from}</span>
                    <input type="date" data-testid="seg-from"
                        prop:value=move || page.ui.with(|u| u.period(today()).0.to_string())
                        on:change=move |ev| {
                            let d = Date::parse_from_str(event_target_value(&ev).trim(), "%Y-%m-%d").ok();
                            page.edit(|u| u.from = d);
                        } />
                </label>
                <label class="field">
                    <span>{move || page.t().period_to}</span>
                    <input type="date" data-testid="seg-to"
                        prop:value=move || page.ui.with(|u| u.period(today()).1.to_string())
                        on:change=move |ev| {
                            let d = Date::parse_from_str(event_target_value(&ev).trim(), "%Y-%m-%d").ok();
                            page.edit(|u| u.to = d);
                        } />
                </label>
                {(0..3).map(|i| view! { <DimPicker page=page index=i options=options /> }).collect_view()}
            </div>
            <div class="actions seg-actions">
                <button class="primary" data-testid="seg-compute" on:click=compute>{move || page.t().compute}</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="seg-error">{e}</p> })}
        </div>
        {move || sorted.get().map(|r| {
            let b = built.get_untracked();
            let value_error = b.as_ref().and_then(|b| b.inputs.value_error.clone());
            let has_csi = b.as_ref().is_some_and(|b| b.inputs.has_csi());
            let rows = r.rows.clone();
            let total = r.total.clone();
            let r2 = r.clone();
            let r3 = r.clone();
            view! {
                <div class="card seg-results" data-testid="seg-results">
                    <p class="stated" data-testid="seg-stated">{fill(page.t().crosstab_stated, &[
                        ("from", &r.params.from), ("to", &r.params.to),
                        ("pfrom", &r.params.previous_from), ("pto", &r.params.previous_to),
                    ])}</p>
                    {value_error.map(|e| view! { <p class="warn">{move || fill(page.t().value_missing, &[("why", &e.get(page.app.lang.get()))])}</p> })}
                    {(!has_csi).then(|| view! { <p class="muted">{page.t().no_csi}</p> })}
                    <div class="actions">
                        <button data-testid="seg-export-csv" on:click=export_csv>{move || page.t().export_csv}</button>
                        <ExcelButton testid="seg-export" plain=true table=crosstab_xlsx />
                    </div>
                    <div class="table-wrap" tabindex="0">
                        <table class="table" data-testid="crosstab">
                            <thead><tr>
                                {header(CrosstabColumn::Name, |t| t.col_segment, false)}
                                {header(CrosstabColumn::Customers, |t| t.col_customers, true)}
                                <th class="num">{move || page.t().col_customer_share}</th>
                                {header(CrosstabColumn::Revenue, |t| t.col_revenue, true)}
                                <th class="num">{move || page.t().col_revenue_share}</th>
                                {header(CrosstabColumn::GrossProfit, |t| t.col_profit, true)}
                                {header(CrosstabColumn::Growth, |t| t.col_growth, true)}
                                {header(CrosstabColumn::MeanCsi, |t| t.col_csi, true)}
                                {header(CrosstabColumn::OpenComplaints, |t| t.col_complaints, true)}
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| {
                                    let name = row.name.clone();
                                    let name2 = row.name.clone();
                                    view! {
                                        <tr data-testid="crosstab-row" class:selected=move || drill.with(|d| d.as_deref() == Some(name2.as_str()))>
                                            <td><a href="" data-testid="crosstab-drill" on:click=move |ev| {
                                                ev.prevent_default();
                                                drill_page.set(0);
                                                drill.set(Some(name.clone()));
                                            }>{row.name.clone()}</a></td>
                                            <td class="num">{format::number(row.customers as f64, 0)}</td>
                                            <td class="num">{pct(row.customer_share)}</td>
                                            <td class="num">{format::money(row.revenue)}</td>
                                            <td class="num">{opt_pct(row.revenue_share)}</td>
                                            <td class="num">{format::money(row.gross_profit)}</td>
                                            <td class="num">{opt_pct(row.growth)}</td>
                                            <td class="num">{row.mean_csi.map(|v| format::number(v, 1)).unwrap_or_else(|| "—".into())}</td>
                                            <td class="num">{row.open_complaints}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr class="total" data-testid="crosstab-total">
                                    <th>{total.name.clone()}</th>
                                    <th class="num">{format::number(total.customers as f64, 0)}</th>
                                    <th class="num">{pct(total.customer_share)}</th>
                                    <th class="num">{format::money(total.revenue)}</th>
                                    <th class="num">{opt_pct(total.revenue_share)}</th>
                                    <th class="num">{format::money(total.gross_profit)}</th>
                                    <th class="num">{opt_pct(total.growth)}</th>
                                    <th class="num">{total.mean_csi.map(|v| format::number(v, 1)).unwrap_or_else(|| "—".into())}</th>
                                    <th class="num">{total.open_complaints}</th>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                    <p class="muted">{move || page.t().drill_hint}</p>
                    <Drill page=page built=built drill=drill drill_page=drill_page save_name=save_name save=Callback::new(save_segment) />
                    <div class="value-grid">
                        <ChartCard title=Signal::derive(move || page.t().chart_revenue.to_string()) testid="chart-seg-bars">
                            <Chart label=Signal::derive(move || page.t().chart_revenue.to_string()) testid="chart-seg-bars" height=320
                                draw=move |area, px| { let _ = charts::draw_segment_bars(area, &r2.rows, page.t().axis_revenue, page.app.lang.get(), px); } />
                        </ChartCard>
                        <ChartCard title=Signal::derive(move || page.t().chart_bubbles.to_string()) testid="chart-seg-bubbles">
                            <Chart label=Signal::derive(move || page.t().chart_bubbles.to_string()) testid="chart-seg-bubbles" height=320
                                draw=move |area, px| { let _ = charts::draw_segment_bubbles(area, &r3.rows, page.t().axis_customer_share, page.t().axis_growth, px); } />
                        </ChartCard>
                    </div>
                    <p class="muted">{move || page.t().bubble_hint}</p>
                </div>
            }
        })}
        <SavedSegments page=page />
    }
}

/// One dimension selector (with band edges for numbers).
#[component]
fn DimPicker(page: Page, index: usize, options: Memo<Vec<super::shared::DimOption>>) -> impl IntoView {
    let current = move || page.ui.with(|u| u.dims.get(index).cloned().unwrap_or_default());
    let is_numeric = move || {
        let id = current().id;
        options.with(|o| o.iter().any(|o| o.id == id && matches!(o.dim, Dimension::Numeric { .. })))
    };
    let set = move |f: &dyn Fn(&mut DimChoice)| {
        page.edit(|u| {
            while u.dims.len() <= index {
                u.dims.push(DimChoice::default());
            }
            f(&mut u.dims[index]);
        })
    };
    view! {
        <div class="field seg-dim">
            <label class="field">
                <span>{move || fill(page.t().dimension_n, &[("n", &(index + 1))])}</span>
                <select data-testid=format!("seg-dim-{index}")
                    prop:value=move || current().id
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        set(&|c| { c.id = id.clone(); c.edges.clear(); });
                    }>
                    <option value="">{move || page.t().dimension_none}</option>
                    {move || {
                        let opts = options.get();
                        let sel = current().id;
                        let mut groups: Vec<&'static str> = Vec::new();
                        for o in &opts { if !groups.contains(&o.group) { groups.push(o.group); } }
                        groups.into_iter().map(|g| {
                            let items: Vec<_> = opts.iter().filter(|o| o.group == g).cloned().collect();
                            let sel = sel.clone();
                            view! {
                                <optgroup label=g>
                                    {items.into_iter().map(|o| { let s = o.id == sel; view! { <option value=o.id.clone() selected=s>{o.label.clone()}</option> } }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()
                    }}
                </select>
            </label>
            <Show when=is_numeric>
                <label class="field">
                    <span>{move || page.t().band_edges}</span>
                    <input type="text" data-testid=format!("seg-edges-{index}") placeholder=move || page.t().band_edges_placeholder
                        prop:value=move || current().edges
                        on:change=move |ev| { let v = event_target_value(&ev); set(&|c| c.edges = v.clone()); } />
                </label>
            </Show>
        </div>
    }
}

/// The customers of the selected segment, paged, with links and the "save as" form.
#[component]
fn Drill(
    page: Page,
    built: RwSignal<Option<Arc<Built>>>,
    drill: RwSignal<Option<String>>,
    drill_page: RwSignal<usize>,
    save_name: RwSignal<String>,
    save: Callback<leptos::ev::MouseEvent>,
) -> impl IntoView {
    move || {
        let name = drill.get()?;
        let b = built.get()?;
        let (_, _, members) = b.segments.iter().find(|s| s.0 == name)?.clone();
        let revenue = b.inputs.measures.get("revenue").cloned().unwrap_or_default();
        let revenue: &std::collections::HashMap<String, f64> = &revenue;
        let n = members.len();
        let pages = n.div_ceil(PAGE_ROWS).max(1);
        let p = drill_page.get().min(pages - 1);
        let shown: Vec<_> = members.iter().skip(p * PAGE_ROWS).take(PAGE_ROWS).filter_map(|&i| b.inputs.customers.get(i).cloned()).collect();
        Some(view! {
            <div class="seg-drill" data-testid="seg-drill">
                <h3>{fill(page.t().drill_title, &[("name", &name), ("n", &format::number(n as f64, 0))])}</h3>
                <div class="actions">
                    <input type="text" data-testid="seg-save-name" placeholder=move || page.t().segment_name_placeholder
                        prop:value=move || save_name.get() on:input=move |ev| save_name.set(event_target_value(&ev)) />
                    <button class="primary" data-testid="seg-save" on:click=move |ev| save.run(ev)>{move || page.t().save_segment}</button>
                </div>
                <div class="table-wrap" tabindex="0">
                    <table class="table" data-testid="seg-drill-table">
                        <thead><tr><th>{page.t().col_customer}</th><th>{page.t().col_id}</th><th class="num">{page.t().col_revenue}</th></tr></thead>
                        <tbody>
                            {shown.into_iter().map(|c| {
                                let rev = revenue.get(&c.id).copied().unwrap_or(0.0);
                                view! {
                                    <tr>
                                        <td><a data-testid="seg-drill-customer" href=Route::Customer(c.id.clone()).href()>{c.name.clone()}</a></td>
                                        <td data-testid="seg-drill-code">{c.code.clone()}</td>
                                        <td class="num">{format::money(rev)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="actions pager">
                    <button class="ghost small" data-testid="seg-drill-prev" disabled={p == 0} on:click=move |_| drill_page.update(|x| *x = x.saturating_sub(1))>{page.t().prev}</button>
                    <span>{format!("{} / {}", p + 1, pages)}</span>
                    <button class="ghost small" data-testid="seg-drill-next" disabled={p + 1 >= pages} on:click=move |_| drill_page.update(|x| *x += 1)>{page.t().next}</button>
                </div>
            </div>
        })
    }
}

/// Saves a definition (name checked unique by the caller) and adds its row to the matrix.
pub fn save_definition(page: Page, def: SegmentDefinition) {
    let t = page.tu();
    if let Err(e) = def.check() {
        page.app.fail(e.to_string());
        return;
    }
    let name = def.name.clone();
    page.edit_saved(|s| {
        s.definitions.push(def);
        let names: Vec<String> = s.definitions.iter().map(|d| d.name.clone()).collect();
        s.evaluation.sync_rows(&names);
    });
    page.app.say(fill(t.segment_saved, &[("name", &name)]));
}

/// The saved segment definitions with their current size, and deletion (confirmed).
#[component]
fn SavedSegments(page: Page) -> impl IntoView {
    let app = page.app;
    let confirm_open = RwSignal::new(false);
    let to_delete: RwSignal<Option<String>> = RwSignal::new(None);
    let defs = move || app.settings.with(|s| s.segments.definitions.clone());
    let size = move |d: &SegmentDefinition| -> String {
        page.inputs.with(|i| match (i, d.check()) {
            (Some(i), Ok(v)) => format::number(v.filter(&i.ctx()).len() as f64, 0),
            _ => "—".into(),
        })
    };
    view! {
        <div class="card" data-testid="saved-segments">
            <h2>{move || page.t().saved_title}</h2>
            <p class="muted">{move || page.t().saved_hint}</p>
            {move || {
                let defs = defs();
                if defs.is_empty() {
                    return view! { <p class="empty" data-testid="saved-empty">{page.t().saved_none}</p> }.into_any();
                }
                view! {
                    <table class="table" tabindex="0">
                        <thead><tr><th>{page.t().col_segment}</th><th>{page.t().col_conditions}</th><th class="num">{page.t().col_customers}</th><th><span class="sr-only">{page.app.t().col_actions}</span></th></tr></thead>
                        <tbody>
                            {defs.into_iter().map(|d| {
                                let name = d.name.clone();
                                view! {
                                    <tr data-testid="saved-segment">
                                        <td data-testid="saved-segment-name">{d.name.clone()}</td>
                                        <td>{describe(&d, page)}</td>
                                        <td class="num">{size(&d)}</td>
                                        <td><button class="danger small" data-testid="saved-segment-delete" on:click=move |_| {
                                            to_delete.set(Some(name.clone()));
                                            confirm_open.set(true);
                                        }>{page.t().delete}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Confirm open=confirm_open
                title=Signal::derive(move || page.t().delete_segment_title.to_string())
                text=Signal::derive(move || fill(page.t().delete_segment_text, &[("name", &to_delete.get().unwrap_or_default())]))
                confirm_label=Signal::derive(move || page.t().delete.to_string())
                on_confirm=Callback::new(move |_| {
                    let Some(name) = to_delete.get_untracked() else { return };
                    page.edit_saved(|s| {
                        s.definitions.retain(|d| d.name != name);
                        let names: Vec<String> = s.definitions.iter().map(|d| d.name.clone()).collect();
                        s.evaluation.sync_rows(&names);
                    });
                }) />
        </div>
    }
}

/// A short description of a definition's conditions.
fn describe(d: &SegmentDefinition, page: Page) -> String {
    use clientscope_core::segment::attributes::Condition;
    let lang = page.app.lang.get_untracked();
    let t = page.tu();
    let custom = page.app.settings.with_untracked(|s| s.custom_attributes.clone());
    let opts = dim_options(&custom, lang);
    let dim_name = |dim: &Dimension| {
        let id = super::shared::dim_id(dim);
        opts.iter().find(|o| o.id == id).map(|o| o.label.clone()).unwrap_or(id)
    };
    d.conditions
        .iter()
        .map(|c| match c {
            Condition::In { dimension, values } => {
                let vals: Vec<String> = values.iter().map(|v| super::shared::value_label(dimension, v, &custom, lang)).collect();
                format!("{} = {}", dim_name(dimension), vals.join(" / "))
            }
            Condition::Range { source, min, max } => {
                let key = match source {
                    NumericSource::Measure(k) | NumericSource::Attribute(k) => k.clone(),
                };
                format!("{} ∈ [{}, {})", super::shared::measure_label(&key, lang), min.map(|v| v.to_string()).unwrap_or("-∞".into()), max.map(|v| v.to_string()).unwrap_or("∞".into()))
            }
            Condition::NearestCentroid { sources, cluster, centroids, .. } => {
                let cols: Vec<String> = sources
                    .iter()
                    .map(|s| match s {
                        NumericSource::Measure(k) | NumericSource::Attribute(k) => super::shared::measure_label(k, lang),
                    })
                    .collect();
                fill(t.cluster_condition, &[("n", &(cluster + 1)), ("k", &centroids.len()), ("cols", &cols.join("、"))])
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
