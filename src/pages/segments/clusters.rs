//! k-means: choose measures, raw or standardized, seed and restarts; the elbow and
//! silhouette curves for k = 2..10 computed in the worker pool (the page stays
//! responsive, shows progress and can cancel); choose k; scatter and profiles; a cluster named and
//! saved as a segment.

use super::builder::save_definition;
use super::shared::{measure_label, pct, ChartCard, Page, MEASURES};
use crate::charts::segments as charts;
use crate::components::{chart::Chart, format};
use crate::i18n::fill;
use clientscope_core::segment::attributes::{Condition, NumericSource, SegmentDefinition};
use clientscope_core::segment::kmeans::{profiles, ClusterProfile, CurveReport, KMeansData, KMeansParams, KMeansReport, Scaling};
use leptos::prelude::*;
use std::sync::Arc;

/// A finished run: the curves, the chosen k's report and profiles.
struct Done {
    data: KMeansData,
    /// The report of each k of the curve, in the curve's order.
    reports: Vec<KMeansReport>,
    curve: CurveReport,
    sources: Vec<NumericSource>,
    revenue: Vec<f64>,
}

/// The clusters tab.
#[component]
pub fn Clusters(page: Page) -> impl IntoView {
    let app = page.app;
    let done: RwSignal<Option<Arc<Done>>> = RwSignal::new(None);
    let k = RwSignal::new(0usize);
    // Kept in both languages: shown in the language of the moment.
    let error: RwSignal<Option<clientscope_core::error::Bilingual>> = RwSignal::new(None);
    let axes = RwSignal::new((0usize, 1usize));

    let run = move |_| {
        let t = page.tu();
        let ui = page.ui.get_untracked();
        let lang = app.lang.get_untracked();
        if ui.columns.is_empty() {
            error.set(Some(clientscope_core::error::Bilingual::from_fn(|l| crate::i18n::segments::texts(l).choose_columns.to_string())));
            return;
        }
        let params = match (KMeansParams { seed: ui.seed, restarts: ui.restarts, scaling: ui.scaling, ..KMeansParams::default() }).check() {
            Ok(p) => p,
            Err(e) => {
                error.set(Some(crate::i18n::why_both(|l| crate::i18n::segments::texts(l).bad_kmeans, &e)));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            let inputs = page.ensure_inputs().await;
            let ctx = inputs.ctx();
            let cols: Vec<(String, NumericSource)> = ui.columns.iter().map(|c| (measure_label(c, lang), NumericSource::Measure(c.clone()))).collect();
            let data = match KMeansData::from_customers(&ctx, &cols) {
                Ok(d) => d,
                Err(e) => {
                    error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::segments::texts(l).bad_kmeans, &e)));
                    return;
                }
            };
            let revenue: Vec<f64> = inputs.customers.iter().map(|c| ctx.number(&NumericSource::Measure("revenue".into()), c).unwrap_or(0.0)).collect();
            drop(ctx);
            app.begin(t.clustering);
            // The curves run in the worker pool, the k shared out (crate::jobs).
            let result = crate::jobs::kmeans_curves(app, data.clone(), params, 2..=10, move |done, total| app.progress(done, total)).await;
            app.end();
            let (curve, reports) = match result {
                Ok(r) => r,
                Err(crate::jobs::JobError::Cancelled) => {
                    app.say(app.t_untracked().job_cancelled);
                    return;
                }
                Err(e) => {
                    error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::segments::texts(l).bad_kmeans, &e)));
                    return;
                }
            };
            let best = curve.best_silhouette_k.or_else(|| curve.points.first().map(|p| p.k)).unwrap_or(0);
            error.try_set(None);
            k.try_set(best);
            axes.try_set((0, if cols.len() > 1 { 1 } else { 0 }));
            done.try_set(Some(Arc::new(Done { data, reports, curve, sources: cols.into_iter().map(|c| c.1).collect(), revenue })));
        });
    };

    let chosen = Memo::new(move |_| {
        let d = done.get()?;
        let k = k.get();
        let rep = d.curve.points.iter().position(|p| p.k == k).and_then(|i| d.reports.get(i)).cloned()?;
        let prof = profiles(&d.data, &rep, Some(&d.revenue));
        Some((Arc::new(rep), Arc::new(prof)))
    });

    view! {
        <div class="card">
            <h2>{move || page.t().clusters_title}</h2>
            <p class="muted">{move || page.t().clusters_hint}</p>
            <fieldset class="seg-columns" data-testid="cluster-columns">
                <legend>{move || page.t().cluster_columns}</legend>
                {MEASURES.iter().map(|(key, _, _)| {
                    let key = key.to_string();
                    let key2 = key.clone();
                    let key3 = key.clone();
                    view! {
                        <label class="radio">
                            <input type="checkbox" data-testid=format!("cluster-col-{key}")
                                prop:checked=move || page.ui.with(|u| u.columns.contains(&key2))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let key = key3.clone();
                                    page.edit(move |u| { u.columns.retain(|c| c != &key); if on { u.columns.push(key); } });
                                } />
                            {move || measure_label(&key, app.lang.get())}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="form-grid seg-form">
                <label class="field">
                    <span>{move || page.t().scaling}</span>
                    <select data-testid="cluster-scaling"
                        prop:value=move || page.ui.with(|u| if u.scaling == Scaling::Raw { "raw" } else { "standardize" }.to_string())
                        on:change=move |ev| { let raw = event_target_value(&ev) == "raw"; page.edit(|u| u.scaling = if raw { Scaling::Raw } else { Scaling::Standardize }); }>
                        <option value="standardize">{move || page.t().scaling_standardize}</option>
                        <option value="raw">{move || page.t().scaling_raw}</option>
                    </select>
                </label>
                <NumField page=page label=|t| t.seed testid="cluster-seed" get=|u| u.seed as f64 put=|u, v| u.seed = v as u64 />
                <NumField page=page label=|t| t.restarts testid="cluster-restarts" get=|u| u.restarts as f64 put=|u, v| u.restarts = (v as usize).max(1) />
            </div>
            <p class="muted">{move || page.t().missing_rule}</p>
            <div class="actions seg-actions">
                <button class="primary" data-testid="cluster-run" on:click=run>{move || page.t().run_kmeans}</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="cluster-error">{e.get(app.lang.get()).to_string()}</p> })}
        </div>
        {move || done.get().map(|d| {
            let curve = d.curve.clone();
            let curve2 = d.curve.clone();
            let columns: Vec<String> = d.data.columns().to_vec();
            let columns2 = columns.clone();
            let d2 = d.clone();
            let points = d.curve.points.clone();
            let (elbow_points, silhouette_points) = (points.clone(), points.clone());
            let curve3 = d.curve.clone();
            view! {
                <div class="card" data-testid="cluster-results">
                    <p class="stated" data-testid="cluster-stated">{move || stated(page, &curve)}</p>
                    <div class="value-grid">
                        <ChartCard title=Signal::derive(move || page.t().chart_elbow.to_string()) testid="chart-elbow">
                            <Chart label=Signal::derive(move || page.t().chart_elbow.to_string()) testid="chart-elbow" height=260
                                figures=Signal::derive(move || crate::components::chart::figures(
                                    elbow_points.iter().map(|p| (format!("k={}", p.k), format::number(p.inertia, 1))), page.app.lang.get()))
                                draw=move |area, px| { let _ = charts::draw_elbow(area, &curve2, k.get(), page.t().axis_inertia, page.app.lang.get(), px); } />
                        </ChartCard>
                        <ChartCard title=Signal::derive(move || page.t().chart_silhouette.to_string()) testid="chart-silhouette">
                            <Chart label=Signal::derive(move || page.t().chart_silhouette.to_string()) testid="chart-silhouette" height=260
                                figures=Signal::derive(move || crate::components::chart::figures(
                                    silhouette_points.iter().filter_map(|p| p.silhouette.map(|v| (format!("k={}", p.k), format::number(v, 3)))), page.app.lang.get()))
                                draw=move |area, px| { let _ = charts::draw_silhouette(area, &curve3, k.get(), page.t().axis_silhouette, page.app.lang.get(), px); } />
                        </ChartCard>
                    </div>
                    <div class="form-grid seg-form">
                        <label class="field">
                            <span>{move || page.t().choose_k}</span>
                            <select data-testid="cluster-k" prop:value=move || k.get().to_string()
                                on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { k.set(v) } }>
                                {points.iter().map(|p| {
                                    let v = p.k;
                                    let s = p.silhouette.map(|s| format::number(s, 3)).unwrap_or_else(|| "—".into());
                                    view! { <option value=v.to_string() selected=move || k.get() == v>{format!("k = {v} (s = {s})")}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field">
                            <span>{move || page.t().scatter_x}</span>
                            <select data-testid="cluster-x" prop:value=move || axes.get().0.to_string()
                                on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { axes.update(|a| a.0 = v) } }>
                                {columns.iter().enumerate().map(|(i, c)| view! { <option value=i.to_string() selected=move || axes.get().0 == i>{c.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field">
                            <span>{move || page.t().scatter_y}</span>
                            <select data-testid="cluster-y" prop:value=move || axes.get().1.to_string()
                                on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { axes.update(|a| a.1 = v) } }>
                                {columns2.iter().enumerate().map(|(i, c)| view! { <option value=i.to_string() selected=move || axes.get().1 == i>{c.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                    {move || chosen.get().map(|(rep, prof)| {
                        let d3 = d2.clone();
                        let rep2 = rep.clone();
                        view! {
                            <p class="muted" data-testid="cluster-fit">{fill(page.t().fit_stated, &[
                                ("k", &rep.params.k), ("inertia", &format::number(rep.inertia, 2)),
                                ("sil", &rep.silhouette.map(|s| format::number(s, 3)).unwrap_or_else(|| "—".into())),
                                ("rows", &rep.silhouette_rows),
                            ])}</p>
                            <ChartCard title=Signal::derive(move || page.t().chart_scatter.to_string()) testid="chart-cluster-scatter">
                                <Chart label=Signal::derive(move || page.t().chart_scatter.to_string()) testid="chart-cluster-scatter" height=360
                                    draw=move |area, px| {
                                        let (x, y) = axes.get();
                                        let _ = charts::draw_cluster_scatter(area, &d3.data, &rep2, x, y, page.t().centroid, page.app.lang.get(), px);
                                    } />
                            </ChartCard>
                            <p class="muted">{page.t().scatter_hint}</p>
                            <Profiles page=page rep=rep prof=prof done=d2.clone() />
                        }
                    })}
                </div>
            }
        })}
    }
}

/// What the curves were computed on.
fn stated(page: Page, c: &CurveReport) -> String {
    let t = page.t();
    let scaling = if c.params.scaling == Scaling::Raw { t.scaling_raw } else { t.scaling_standardize };
    let mut s = fill(t.curve_stated, &[
        ("scaling", &scaling),
        ("seed", &c.params.seed),
        ("restarts", &c.params.restarts),
        ("used", &format::number(c.used_rows as f64, 0)),
        ("excluded", &format::number(c.excluded_rows as f64, 0)),
        ("best", &c.best_silhouette_k.map(|k| k.to_string()).unwrap_or_else(|| "—".into())),
    ]);
    if !c.skipped.is_empty() {
        s.push(' ');
        s.push_str(&fill(t.curve_skipped, &[("ks", &c.skipped.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "))]));
    }
    s
}

/// The profile table, with a name per cluster and "save as segment".
#[component]
fn Profiles(page: Page, rep: Arc<KMeansReport>, prof: Arc<Vec<ClusterProfile>>, done: Arc<Done>) -> impl IntoView {
    let names: RwSignal<Vec<String>> = RwSignal::new(vec![String::new(); prof.len()]);
    let columns = rep.columns.clone();
    let rows = (*prof).clone();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="table" data-testid="cluster-profiles">
                <thead><tr>
                    <th>{page.t().col_cluster}</th>
                    <th class="num">{page.t().col_size}</th>
                    <th class="num">{page.t().col_customer_share}</th>
                    {columns.iter().map(|c| view! { <th class="num">{format!("{} ({})", c, page.t().mean)}</th> }).collect_view()}
                    <th class="num">{page.t().col_revenue}</th>
                    <th>{page.t().cluster_name}</th>
                    <th><span class="sr-only">{page.app.t().col_actions}</span></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|p| {
                        let i = p.cluster;
                        let rep = rep.clone();
                        let done = done.clone();
                        view! {
                            <tr data-testid="cluster-profile">
                                <td><span class=charts::cluster_class(i)></span>{fill(page.t().cluster_n, &[("n", &(i + 1))])}</td>
                                <td class="num">{format::number(p.size as f64, 0)}</td>
                                <td class="num">{pct(p.share)}</td>
                                {p.means.iter().map(|m| view! { <td class="num">{format::number(*m, 2)}</td> }).collect_view()}
                                <td class="num">{p.revenue.map(format::money).unwrap_or_default()}</td>
                                <td><input type="text" data-testid="cluster-name" placeholder=page.t().segment_name_placeholder
                                    prop:value=move || names.with(|n| n.get(i).cloned().unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); names.update(|n| if let Some(s) = n.get_mut(i) { *s = v; }); } /></td>
                                <td><button class="small" data-testid="cluster-save" on:click=move |_| {
                                    let t = page.tu();
                                    let name = names.with_untracked(|n| n.get(i).cloned().unwrap_or_default()).trim().to_string();
                                    if name.is_empty() { page.app.fail(t.name_needed); return; }
                                    if page.app.settings.with_untracked(|s| s.segments.definitions.iter().any(|d| d.name == name)) {
                                        page.app.fail(fill(t.name_taken, &[("name", &name)]));
                                        return;
                                    }
                                    let def = SegmentDefinition { name, note: String::new(), conditions: vec![Condition::from_cluster(&rep, done.sources.clone(), i)] };
                                    save_definition(page, def);
                                }>{page.t().save_segment}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A number field of the page settings.
#[component]
fn NumField(
    page: Page,
    label: fn(&crate::i18n::segments::SegTexts) -> &'static str,
    testid: &'static str,
    get: fn(&super::shared::PageUi) -> f64,
    put: fn(&mut super::shared::PageUi, f64),
) -> impl IntoView {
    let bad = RwSignal::new(None::<String>);
    view! {
        <label class="field">
            <span>{move || label(page.t())}</span>
            <input type="number" min="0" step="1" data-testid=testid
                prop:value=move || page.ui.with(|u| get(u).to_string())
                on:change=move |ev| {
                    match event_target_value(&ev).trim().parse::<u64>() {
                        Ok(v) => { bad.set(None); page.edit(|u| put(u, v as f64)); }
                        Err(_) => bad.set(Some(super::shared::bad_number(page.tu(), label(page.tu())))),
                    }
                } />
            {move || bad.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </label>
    }
}
