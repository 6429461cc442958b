//! The value page's results: ABC / Pareto, RFM, the fits, the value matrix, grades,
//! lifecycle and the lists, and the per-customer table.

use super::*;
use crate::pages::visits;

/// A chart card of this page: PNG named after the as-of date.
#[component]
pub(super) fn ChartCard(
    #[prop(into)] title: Signal<String>,
    testid: &'static str,
    #[prop(into)] as_of: Signal<String>,
    children: Children,
) -> impl IntoView {
    let app = use_app();
    view! {
        <chart::ChartCard title=title testid=testid suffix=as_of button=Signal::derive(move || app.t().value_export_png.to_string())>
            {children()}
        </chart::ChartCard>
    }
}

/// Everything computed.
#[component]
pub(super) fn Results(
    r: Arc<ValueReport>,
    used: RwSignal<Arc<Vec<Customer>>>,
    page: RwSignal<usize>,
    export_csv: Callback<()>,
    export_xlsx: Callback<(), Result<(String, ExportTable), String>>,
    as_of_name: Signal<String>,
) -> impl IntoView {
    let app = use_app();
    let rep = StoredValue::new(r.clone());
    let matrix_coord = StoredValue::new(None::<vcharts::MatrixCoord>);
    let name_of = move |i: usize| used.with(|cs| cs.get(i).map(|c| c.name.clone()).unwrap_or_default());
    let link = move |i: usize, id: &str| {
        let name = name_of(i);
        let label = if name.is_empty() { id.to_string() } else { name };
        view! { <a href=Route::Customer(id.to_string()).href() data-testid="value-customer-link">{label}</a> }
    };

    // The visit being planned from a row of the warning or win-back list: one dialog for
    // the page, outside the tables (their scrolling boxes would clip or stack it).
    let planning = RwSignal::new(None::<(String, visits::Source)>);
    let list = move |entries: Vec<ListEntry>, testid: &'static str, source: visits::Source| {
        let t = app.t();
        let vt = crate::i18n::visits::texts(app.lang.get());
        let total = entries.len();
        view! {
            <p class="muted">{fill(t.value_list_count, &[("n", &format::number(total as f64, 0)), ("shown", &total.min(LIST_ROWS))])}</p>
            <TableCsvButton testid=testid name=Signal::derive(move || format!("clientscope-{testid}-{}", as_of_name.get())) />
            <div class="table-wrap" tabindex="0">
                <table class="table" data-testid=testid>
                    <thead><tr><th class="no-csv"><span class="sr-only">{t.col_actions}</span></th><th>{t.vcol_customer}</th><th>{t.vcol_stage_reason}</th><th class="num">{t.vcol_value}</th><th class="num">{t.vcol_p_alive}</th></tr></thead>
                    <tbody>
                        {entries.into_iter().take(LIST_ROWS).map(|e| {
                            let plan = (e.id.clone(), source.clone());
                            view! {
                                // The button first: on a phone the table scrolls sideways.
                                <tr data-testid=format!("{testid}-row") data-id=e.id.clone()>
                                    <td class="no-csv"><button class="small" data-testid="list-plan-visit"
                                        on:click=move |_| planning.set(Some(plan.clone()))>{vt.plan_from_list}</button></td>
                                    <td>{link(e.index, &e.id)}</td>
                                    <td>{stage_reason(t, &e.reason)}</td>
                                    <td class="num">{format::money(e.value)}</td>
                                    <td class="num">{opt(e.p_alive, 3)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };

    let n = r.customers.len();
    // The results are shown part by part, each part built (and laid out) in a task of its
    // own: the whole page in one task took ~100 ms at 100k customers, over the 50 ms a
    // page may hold its thread. The first part comes with the page.
    let stage = crate::state::stages(6);
    let pages = n.div_ceil(PAGE_ROWS).max(1);

    view! {
        <div class="value-results" data-testid="value-results">
            <p class="stated" data-testid="value-stated">{move || rep.with_value(|r| stated(app.t(), &r.params))}</p>
            {move || rep.with_value(|r| {
                (r.future_lines + r.unknown_customer_lines + r.invalid_lines > 0).then(|| {
                    view! { <p class="muted" data-testid="value-ignored">{fill(app.t().value_ignored, &[("future", &r.future_lines), ("unknown", &r.unknown_customer_lines), ("invalid", &r.invalid_lines)])}</p> }
                })
            })}

            // ABC
            <div class="card">
                <h2>{move || app.t().value_abc_title}</h2>
                <div class="value-grid">
                    <div>
                        <TableCsvButton testid="abc-table" name=Signal::derive(move || format!("clientscope-abc-table-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="abc-table">
                            <thead><tr>
                                <th>{move || app.t().vcol_abc}</th>
                                <th class="num">{move || app.t().value_col_count}</th>
                                <th class="num">{move || app.t().value_col_customer_share}</th>
                                <th class="num">{move || metric_label(app.t(), rep.with_value(|r| r.params.metric))}</th>
                                <th class="num">{move || app.t().value_col_metric_share}</th>
                            </tr></thead>
                            <tbody>
                                {move || rep.with_value(|r| r.abc.classes.iter().map(|c| view! {
                                    <tr data-testid=format!("abc-row-{}", c.class.as_str())>
                                        <td><strong>{c.class.as_str()}</strong></td>
                                        <td class="num" data-testid="abc-count">{format::number(c.count as f64, 0)}</td>
                                        <td class="num" data-testid="abc-customer-share">{pct(c.customer_share)}</td>
                                        <td class="num">{format::money(c.metric)}</td>
                                        <td class="num" data-testid="abc-metric-share">{pct(c.metric_share)}</td>
                                    </tr>
                                }).collect_view())}
                            </tbody>
                        </table>
                        <p class="muted">{move || rep.with_value(|r| fill(app.t().value_positive_total, &[("total", &format::money(r.abc.positive_total))]))}</p>
                    </div>
                    <ChartCard title=Signal::derive(move || app.t().chart_pareto.to_string()) testid="chart-pareto" as_of=as_of_name>
                        <Chart label=Signal::derive(move || app.t().chart_pareto.to_string()) testid="chart-pareto" height=300
                            draw=move |area, px| {
                                let t = app.t();
                                rep.with_value(|r| { let _ = vcharts::draw_pareto(area, r, metric_label(t, r.params.metric), t.chart_customers_ranked, app.lang.get(), px); });
                            } />
                    </ChartCard>
                </div>
            </div>

            // RFM
            <div class="card">
                <h2>{move || app.t().value_rfm_title}</h2>
                <div class="value-grid">
                    <ChartCard title=Signal::derive(move || app.t().chart_rfm_segments.to_string()) testid="chart-rfm-segments" as_of=as_of_name>
                        <Chart label=Signal::derive(move || app.t().chart_rfm_segments.to_string()) testid="chart-rfm-segments" height=320
                            draw=move |area, px| {
                                let t = app.t();
                                rep.with_value(|r| { let _ = vcharts::draw_rfm_segments(area, &r.rfm.segment_counts, &|s| segment_label(t, s), t.value_col_count, px); });
                            } />
                    </ChartCard>
                    <ChartCard title=Signal::derive(move || app.t().chart_rf_heat.to_string()) testid="chart-rf-heat" as_of=as_of_name>
                        <Chart label=Signal::derive(move || app.t().chart_rf_heat.to_string()) testid="chart-rf-heat" height=320
                            figures=Signal::derive(move || rep.with_value(|r| crate::components::chart::figures(
                                (0..5).flat_map(|ri| (0..5).map(move |fi| (ri, fi))).map(|(ri, fi)| (format!("R{} F{}", ri + 1, fi + 1), r.rfm.heat[ri][fi].to_string())),
                                app.lang.get())))
                            draw=move |area, px| {
                                let t = app.t();
                                rep.with_value(|r| { let _ = vcharts::draw_rf_heat(area, &r.rfm.heat, t.chart_r_score, t.chart_f_score, px); });
                            } />
                    </ChartCard>
                </div>
                <RfmBins rep=rep />
                <TableCsvButton testid="rfm-segment-table" name=Signal::derive(move || format!("clientscope-rfm-segment-table-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="rfm-segment-table">
                    <thead><tr><th>{move || app.t().vcol_segment}</th><th class="num">{move || app.t().value_col_count}</th></tr></thead>
                    <tbody>
                        {move || { let t = app.t(); rep.with_value(|r| r.rfm.segment_counts.iter().map(|&(s, c)| view! {
                            <tr><td>{segment_label(t, s)}</td><td class="num">{format::number(c as f64, 0)}</td></tr>
                        }).collect_view()) }}
                    </tbody>
                </table>
            </div>

            <Show when=move || { stage.get() >= 2 }>
            // Lifetime value
            <div class="card">
                <h2>{move || app.t().value_clv_title}</h2>
                <p class="muted">{move || rep.with_value(|r| fill(app.t().value_clv_basis, &[
                    ("margin", &plain(r.margin)),
                    ("potential", &match r.potential { PotentialSource::Clv => app.t().value_potential_clv, PotentialSource::Growth => app.t().value_potential_growth }),
                ]))}</p>
                <div class="value-grid">
                    <div data-testid="fit-bgnbd">
                        <h3>"BG/NBD"</h3>
                        {move || { let t = app.t(); rep.with_value(|r| match &r.bgnbd {
                            Err(e) => view! { <p class="warn" data-testid="fit-bgnbd-error">{fit_error(app.lang.get(), e)}</p> }.into_any(),
                            Ok(f) => {
                                let se = f.std_errors;
                                let rows = [
                                    ("r", f.params.r, se.map(|s| s.r)),
                                    ("α", f.params.alpha, se.map(|s| s.alpha)),
                                    ("a", f.params.a, se.map(|s| s.a)),
                                    ("b", f.params.b, se.map(|s| s.b)),
                                ];
                                view! {
                                    <table class="table" tabindex="0">
                                        <thead><tr><th>{t.fit_parameter}</th><th class="num">{t.fit_estimate}</th><th class="num">{t.fit_se}</th></tr></thead>
                                        <tbody>{rows.into_iter().map(|(n, v, s)| view! { <tr><td>{n}</td><td class="num">{format::number(v, 4)}</td><td class="num">{opt(s, 4)}</td></tr> }).collect_view()}</tbody>
                                    </table>
                                    <p class="muted" data-testid="fit-bgnbd-summary">{fill(t.fit_summary_bgnbd, &[
                                        ("ll", &format::number(f.log_likelihood, 2)),
                                        ("customers", &f.customers), ("repeat", &f.repeat_buyers), ("groups", &f.groups),
                                        ("iterations", &f.iterations), ("norm", &format!("{:.1e}", f.gradient_norm)),
                                    ])}</p>
                                }.into_any()
                            }
                        }) }}
                    </div>
                    <div data-testid="fit-gg">
                        <h3>"Gamma-Gamma"</h3>
                        {move || { let t = app.t(); rep.with_value(|r| match &r.gamma_gamma {
                            Err(e) => view! { <p class="warn" data-testid="fit-gg-error">{fit_error(app.lang.get(), e)}</p> }.into_any(),
                            Ok(f) => {
                                let se = f.std_errors;
                                let rows = [
                                    ("p", f.params.p, se.map(|s| s.p)),
                                    ("q", f.params.q, se.map(|s| s.q)),
                                    ("γ", f.params.gamma, se.map(|s| s.gamma)),
                                ];
                                view! {
                                    <table class="table" tabindex="0">
                                        <thead><tr><th>{t.fit_parameter}</th><th class="num">{t.fit_estimate}</th><th class="num">{t.fit_se}</th></tr></thead>
                                        <tbody>{rows.into_iter().map(|(n, v, s)| view! { <tr><td>{n}</td><td class="num">{format::number(v, 4)}</td><td class="num">{opt(s, 4)}</td></tr> }).collect_view()}</tbody>
                                    </table>
                                    <p class="muted" data-testid="fit-gg-summary">{fill(t.fit_summary_gg, &[
                                        ("ll", &format::number(f.log_likelihood, 2)),
                                        ("customers", &f.customers), ("excluded", &f.excluded),
                                        ("iterations", &f.iterations), ("norm", &format!("{:.1e}", f.gradient_norm)),
                                    ])}</p>
                                }.into_any()
                            }
                        }) }}
                    </div>
                </div>
            </div>

            <ModelChecks rep=rep as_of_name=as_of_name />

            </Show>
            <Show when=move || { stage.get() >= 3 }>
            // Value matrix
            <div class="card">
                <h2>{move || app.t().value_matrix_title}</h2>
                <div class="value-grid">
                    <div>
                        <TableCsvButton testid="matrix-table" name=Signal::derive(move || format!("clientscope-matrix-table-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="matrix-table">
                            <thead><tr><th>{move || app.t().vcol_quadrant}</th><th class="num">{move || app.t().value_col_count}</th><th>{move || app.t().value_col_advice}</th></tr></thead>
                            <tbody>
                                {move || { let t = app.t(); rep.with_value(|r| ValueQuadrant::ALL.iter().zip(r.matrix.counts).map(|(&q, c)| view! {
                                    <tr data-testid=format!("matrix-row-{}", q.code())>
                                        <td><span class="dot" style:background=dot_colour(q)></span>{quadrant_label(t, q)}</td>
                                        <td class="num">{format::number(c as f64, 0)}</td>
                                        <td class="wrap">{quadrant_advice(t, q)}</td>
                                    </tr>
                                }).collect_view()) }}
                            </tbody>
                        </table>
                        <p class="muted">{move || rep.with_value(|r| fill(app.t().value_matrix_thresholds, &[
                            ("current", &opt(r.matrix.current_threshold, 0)),
                            ("potential", &opt(r.matrix.potential_threshold, 0)),
                        ]))}</p>
                    </div>
                    <ChartCard title=Signal::derive(move || app.t().chart_value_matrix.to_string()) testid="chart-value-matrix" as_of=as_of_name>
                        <div class="clickable" title=move || app.t().chart_click_dot on:click=move |ev: leptos::ev::MouseEvent| {
                            let Some(canvas) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else { return };
                            // CSS pixels of the click → canvas pixels (the canvas is drawn at the device pixel ratio).
                            let scale = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
                            let at = ((f64::from(ev.offset_x()) * scale) as i32, (f64::from(ev.offset_y()) * scale) as i32);
                            let hit = matrix_coord.with_value(|c| c.as_ref().and_then(|c| rep.with_value(|r| {
                                vcharts::value_matrix_hit(r, c, at, (8.0 * scale) as i32).map(|i| r.customers[i].id.clone())
                            })));
                            if let Some(id) = hit { app.go(&Route::Customer(id)); }
                        }>
                            <Chart label=Signal::derive(move || app.t().chart_value_matrix.to_string()) testid="chart-value-matrix" height=340
                                draw=move |area, px| {
                                    let t = app.t();
                                    rep.with_value(|r| {
                                        let y = match r.potential { PotentialSource::Clv => t.value_potential_clv, PotentialSource::Growth => t.value_potential_growth };
                                        let coord = vcharts::draw_value_matrix(area, r, metric_label(t, r.params.metric), y, app.lang.get(), px).ok().flatten();
                                        matrix_coord.set_value(coord);
                                    });
                                } />
                        </div>
                    </ChartCard>
                </div>
            </div>

            <RelationshipCard rep=rep used=used as_of_name=as_of_name />

            </Show>
            <Show when=move || { stage.get() >= 4 }>
            // Grades and stages
            <div class="card">
                <div class="value-grid">
                    <div>
                        <h2>{move || app.t().value_grades_title}</h2>
                        <TableCsvButton testid="grade-table" name=Signal::derive(move || format!("clientscope-grade-table-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="grade-table">
                            <thead><tr><th>{move || app.t().vcol_grade}</th><th class="num">{move || app.t().value_col_count}</th></tr></thead>
                            <tbody>
                                {move || { let t = app.t(); rep.with_value(|r| Grade::ALL.iter().zip(r.grade_counts).map(|(&g, c)| view! {
                                    <tr data-testid=format!("grade-row-{}", g.code())><td>{grade_label(t, g)}</td><td class="num">{format::number(c as f64, 0)}</td></tr>
                                }).collect_view()) }}
                            </tbody>
                        </table>
                        <p class="muted">{move || rep.with_value(|r| fill(app.t().value_grade_rule, &[
                            ("special", &format::number(r.params.grade.special, 0)),
                            ("a", &format::number(r.params.grade.a, 0)),
                            ("b", &format::number(r.params.grade.b, 0)),
                        ]))}</p>
                    </div>
                    <div>
                        <h2>{move || app.t().value_stages_title}</h2>
                        <TableCsvButton testid="stage-table" name=Signal::derive(move || format!("clientscope-stage-table-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="stage-table">
                            <thead><tr><th>{move || app.t().vcol_stage}</th><th class="num">{move || app.t().value_col_count}</th></tr></thead>
                            <tbody>
                                {move || { let t = app.t(); rep.with_value(|r| Stage::ALL.iter().zip(r.stage_counts).map(|(&s, c)| view! {
                                    <tr data-testid=format!("stage-row-{}", s.code())><td>{stage_label(t, s)}</td><td class="num">{format::number(c as f64, 0)}</td></tr>
                                }).collect_view()) }}
                            </tbody>
                        </table>
                        <p class="muted">{move || rep.with_value(|r| fill(app.t().value_stage_rule, &[
                            ("new", &r.params.lifecycle.new_within_days),
                            ("lost", &r.params.lifecycle.lost_after_days),
                            ("overdue", &plain(r.params.lifecycle.overdue_factor)),
                            ("growth", &plain(r.params.lifecycle.growth * 100.0)),
                            ("decline", &plain(r.params.lifecycle.decline * 100.0)),
                            ("window", &r.params.lifecycle.trend_window_days),
                        ]))}</p>
                    </div>
                </div>
            </div>

            </Show>
            <Show when=move || { stage.get() >= 5 }>
            // Lists
            <div class="card">
                <h2>{move || app.t().value_warning_title}</h2>
                {move || list(rep.with_value(|r| r.warning.clone()), "list-warning", visits::Source::DeclineWarning)}
            </div>
            <div class="card">
                <h2>{move || app.t().value_win_back_title}</h2>
                {move || list(rep.with_value(|r| r.win_back.clone()), "list-win-back", visits::Source::WinBack)}
            </div>
            <div class="card">
                <h2>{move || app.t().value_review_title}</h2>
                {move || {
                    let t = app.t();
                    let lang = app.lang.get();
                    rep.with_value(|r| {
                        let total = r.review.len();
                        view! {
                            <p class="muted">{fill(t.value_list_count, &[("n", &format::number(total as f64, 0)), ("shown", &total.min(LIST_ROWS))])}</p>
                            <div class="table-wrap" tabindex="0">
                                <TableCsvButton testid="list-review" name=Signal::derive(move || format!("clientscope-list-review-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="list-review">
                                    <thead><tr><th>{t.vcol_customer}</th><th>{t.vcol_review}</th></tr></thead>
                                    <tbody>
                                        {r.review.iter().take(LIST_ROWS).map(|e| view! {
                                            <tr>
                                                <td>{link(e.index, &e.id)}</td>
                                                <td class="wrap">{e.reasons.iter().map(|x| review_reason(t, lang, x)).collect::<Vec<_>>().join("；")}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                    })
                }}
            </div>

            </Show>
            <Show when=move || { stage.get() >= 6 }>
            // Per customer
            <div class="card">
                <div class="page-head">
                    <h2>{move || app.t().value_customers_title}</h2>
                    <div class="actions">
                        <button data-testid="value-export-csv" on:click=move |_| export_csv.run(())>{move || app.t().value_export_csv}</button>
                        <ExcelButton testid="value-export" plain=true table=export_xlsx />
                    </div>
                </div>
                <div class="table-wrap" tabindex="0">
                    <table class="table" data-testid="value-customer-table">
                        <thead><tr>
                            <th class="num">"#"</th>
                            <th>{move || app.t().vcol_customer}</th>
                            <th class="num">{move || rep.with_value(|r| metric_label(app.t(), r.params.metric))}</th>
                            <th>{move || app.t().vcol_abc}</th>
                            <th>{move || app.t().vcol_rfm}</th>
                            <th>{move || app.t().vcol_segment}</th>
                            <th class="num">{move || app.t().vcol_p_alive}</th>
                            <th class="num">{move || app.t().vcol_expected}</th>
                            <th class="num">{move || app.t().vcol_clv}</th>
                            <th>{move || app.t().vcol_quadrant}</th>
                            <th>{move || app.t().vcol_grade}</th>
                            <th>{move || app.t().vcol_stage}</th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let t = app.t();
                                let first = page.get() * PAGE_ROWS;
                                rep.with_value(|r| r.abc.order.iter().enumerate().skip(first).take(PAGE_ROWS).map(|(rank, &i)| {
                                    let c = &r.customers[i];
                                    view! {
                                        <tr data-testid="value-customer-row">
                                            <td class="num">{rank + 1}</td>
                                            <td>{link(i, &c.id)}</td>
                                            <td class="num">{format::money(c.metric)}</td>
                                            <td>{c.abc.as_str()}</td>
                                            <td>{c.rfm.as_ref().map(|x| x.code.clone()).unwrap_or_default()}</td>
                                            <td>{c.rfm.as_ref().map(|x| segment_label(t, x.segment)).unwrap_or("")}</td>
                                            <td class="num">{opt(c.p_alive, 3)}</td>
                                            <td class="num">{opt(c.expected_purchases, 2)}</td>
                                            <td class="num">{opt(c.clv, 0)}</td>
                                            <td>{quadrant_label(t, c.value_quadrant)}</td>
                                            <td>{grade_label(t, c.grade)}</td>
                                            <td>{stage_label(t, c.stage)}</td>
                                        </tr>
                                    }
                                }).collect_view())
                            }}
                        </tbody>
                    </table>
                </div>
                <div class="actions pager">
                    <button data-testid="value-page-prev" disabled=move || { page.get() == 0 } on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{move || app.t().value_prev}</button>
                    <span data-testid="value-page">{move || fill(app.t().value_page_of, &[("page", &(page.get() + 1)), ("pages", &pages)])}</span>
                    <button data-testid="value-page-next" disabled=move || { page.get() + 1 >= pages } on:click=move |_| page.update(|p| *p = (*p + 1).min(pages - 1))>{move || app.t().value_next}</button>
                </div>
            </div>
            </Show>
            {move || planning.get().map(|(cid, source)| view! {
                <visits::PlanDialog customer_id=Some(cid) source=source on_close=Callback::new(move |_| planning.set(None)) />
            })}
        </div>
    }
}

/// The value range of each RFM score, as computed.
#[component]
pub(super) fn RfmBins(rep: StoredValue<Arc<ValueReport>>) -> impl IntoView {
    let app = use_app();
    let range = |b: Option<(f64, f64)>, decimals: usize| match b {
        Some((lo, hi)) if lo == hi => format::number(lo, decimals),
        Some((lo, hi)) => format!("{} – {}", format::number(lo, decimals), format::number(hi, decimals)),
        None => "—".into(),
    };
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="table" data-testid="rfm-bins">
                <caption>{move || app.t().value_rfm_bins}</caption>
                // Each column says its unit: R in days since the last purchase, F in orders, M in yuan.
                <thead><tr><th>{move || app.t().value_rfm_score}</th><th>{move || app.t().value_rfm_r_unit}</th><th>{move || app.t().value_rfm_f_unit}</th><th>{move || app.t().value_rfm_m_unit}</th></tr></thead>
                <tbody>
                    {move || rep.with_value(|r| (0..5).rev().map(|k| view! {
                        <tr>
                            <td>{k + 1}</td>
                            <td class="num">{range(r.rfm.r_bins[k], 0)}</td>
                            <td class="num">{range(r.rfm.f_bins[k], 0)}</td>
                            <td class="num">{range(r.rfm.m_bins[k], 0)}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </div>
    }
}
