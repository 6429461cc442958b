//! The model checks: frequency/recency matrices of the BG/NBD fit and the calibration /
//! holdout comparison.

use super::*;

/// Frequency/recency matrices of the fit and the calibration / holdout check.
#[component]
pub(super) fn ModelChecks(rep: StoredValue<Arc<ValueReport>>, as_of_name: Signal<String>) -> impl IntoView {
    let app = use_app();
    let fr = StoredValue::new(rep.with_value(|r| r.frequency_recency(16)));
    let as_of = rep.with_value(|r| r.params.as_of);
    let split = RwSignal::new(CalibrationParams::default_split(as_of));
    let result: RwSignal<Option<Arc<CalibrationReport>>> = RwSignal::new(None);
    // Kept in both languages: shown in the language of the moment.
    let error = RwSignal::new(None::<clientscope_core::error::Bilingual>);
    let run = move |_| {
        let t = app.t_untracked();
        let (unit, fit_params) = rep.with_value(|r| (r.params.unit, r.params.bgnbd));
        let params = CalibrationParams { split: split.get_untracked(), end: as_of, unit, max_x: 7 };
        let (valid, fit_valid) = match (params.check(), fit_params.check()) {
            (Ok(v), Ok(f)) => (v, f),
            (Err(e), _) | (_, Err(e)) => {
                error.set(Some(crate::i18n::why_both(|l| crate::i18n::texts(l).value_invalid, &e)));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            app.begin(t.value_holdout_running);
            state::yield_now().await;
            state::rest_ready(app).await;
            let customers = app.data.customers.get_untracked();
            let orders = app.data.orders.get_untracked();
            let ids: Vec<&str> = customers.iter().map(|c| c.id.as_str()).collect();
            let out = calibration_holdout(&ids, &orders, &valid, &fit_valid);
            app.end();
            match out {
                Ok(r) => {
                    error.try_set(None);
                    result.try_set(Some(Arc::new(r)));
                }
                Err(e) => {
                    error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::texts(l).value_invalid, &e)));
                }
            }
        });
    };
    view! {
        <div class="card" data-testid="value-checks">
            <h2>{move || app.t().value_checks_title}</h2>
            {move || match fr.get_value() {
                None => view! { <p class="muted">{rep.with_value(|r| r.bgnbd.as_ref().err().map(|e| fit_error(app.lang.get(), e)).unwrap_or_default())}</p> }.into_any(),
                Some(m) => {
                    let m = StoredValue::new(m);
                    view! {
                        <p class="muted" data-testid="fr-note">{move || m.with_value(|m| fill(app.t().value_fr_note, &[("t", &format::number(m.t, 1)), ("h", &format::number(m.horizon, 1))]))}</p>
                        <div class="value-grid">
                            <ChartCard title=Signal::derive(move || app.t().chart_fr_expected.to_string()) testid="chart-fr-expected" as_of=as_of_name>
                                <Chart label=Signal::derive(move || app.t().chart_fr_expected.to_string()) testid="chart-fr-expected" height=320
                                    draw=move |area, px| {
                                        let t = app.t();
                                        m.with_value(|m| { let _ = vcharts::draw_fr_matrix(area, &m.expected, &m.x, &m.t_x, None, crate::charts::palette::PRIMARY, t.chart_recency_units, t.chart_frequency_x, px); });
                                    } />
                            </ChartCard>
                            <ChartCard title=Signal::derive(move || app.t().chart_fr_alive.to_string()) testid="chart-fr-alive" as_of=as_of_name>
                                <Chart label=Signal::derive(move || app.t().chart_fr_alive.to_string()) testid="chart-fr-alive" height=320
                                    draw=move |area, px| {
                                        let t = app.t();
                                        m.with_value(|m| { let _ = vcharts::draw_fr_matrix(area, &m.p_alive, &m.x, &m.t_x, Some(1.0), plotters::style::RGBColor(0x2e, 0x8b, 0x57), t.chart_recency_units, t.chart_frequency_x, px); });
                                    } />
                            </ChartCard>
                        </div>
                    }.into_any()
                }
            }}
            <h3>{move || app.t().value_holdout_title}</h3>
            <p class="muted">{move || app.t().value_holdout_hint}</p>
            <div class="actions">
                <label class="field inline">
                    <span>{move || app.t().value_holdout_split}</span>
                    <input type="date" data-testid="holdout-split"
                        prop:value=move || split.get().to_string()
                        on:change=move |ev| {
                            if let Ok(d) = Date::parse_from_str(event_target_value(&ev).trim(), "%Y-%m-%d") { split.set(d); }
                        } />
                </label>
                <button data-testid="holdout-run" on:click=run>{move || app.t().value_holdout_run}</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="holdout-error">{e.get(app.lang.get()).to_string()}</p> })}
            {move || result.get().map(|r| {
                let t = app.t();
                let r = StoredValue::new(r);
                let summary = r.with_value(|r| {
                    let diff = r.relative_error().map(pct).unwrap_or_else(|| "—".into());
                    fill(t.value_holdout_summary, &[
                        ("customers", &format::number(r.customers as f64, 0)),
                        ("units", &format::number(r.holdout_units, 1)),
                        ("actual", &format::number(r.actual_total, 0)),
                        ("predicted", &format::number(r.predicted_total, 1)),
                        ("diff", &diff),
                    ])
                });
                let fit = r.with_value(|r| match &r.fit {
                    Ok(f) => fill(t.value_holdout_fit, &[
                        ("r", &format::number(f.params.r, 4)), ("alpha", &format::number(f.params.alpha, 4)),
                        ("a", &format::number(f.params.a, 4)), ("b", &format::number(f.params.b, 4)),
                        ("ll", &format::number(f.log_likelihood, 2)),
                    ]),
                    Err(e) => fit_error(app.lang.get(), e),
                });
                view! {
                    <div data-testid="holdout-result">
                        <p data-testid="holdout-summary">{summary}</p>
                        <p class="muted">{fit}</p>
                        <div class="value-grid">
                            <ChartCard title=Signal::derive(move || app.t().chart_holdout.to_string()) testid="chart-holdout" as_of=as_of_name>
                                <Chart label=Signal::derive(move || app.t().chart_holdout.to_string()) testid="chart-holdout" height=300
                                    draw=move |area, px| {
                                        let t = app.t();
                                        r.with_value(|r| { let _ = vcharts::draw_holdout(area, &r.bins, (t.chart_holdout_x, t.chart_holdout_y, t.chart_holdout_actual, t.chart_holdout_predicted), px); });
                                    } />
                            </ChartCard>
                            // The table and its export button share the grid's second cell
                            // (as two cells, the button took half the card and pushed the
                            // table below the chart).
                            <div class="holdout-table">
                            <div class="actions"><TableCsvButton testid="holdout-table" name=Signal::derive(move || format!("clientscope-holdout-table-{}", as_of_name.get())) /></div>
                            <table class="table" tabindex="0" data-testid="holdout-table">
                                <thead><tr><th>"x"</th><th class="num">{t.value_col_count}</th><th class="num">{t.chart_holdout_actual}</th><th class="num">{t.chart_holdout_predicted}</th></tr></thead>
                                <tbody>
                                    {r.with_value(|r| {
                                        let last = r.bins.len().saturating_sub(1);
                                        r.bins.iter().enumerate().map(|(i, b)| view! {
                                            <tr>
                                                <td>{if i == last { format!("{}+", b.x) } else { b.x.to_string() }}</td>
                                                <td class="num">{format::number(b.customers as f64, 0)}</td>
                                                <td class="num">{format::number(b.actual, 3)}</td>
                                                <td class="num">{format::number(b.predicted, 3)}</td>
                                            </tr>
                                        }).collect_view()
                                    })}
                                </tbody>
                            </table>
                            </div>
                        </div>
                    </div>
                }
            })}
        </div>
    }
}
