//! The segment evaluation matrix 细分市场评价 over the saved segments: weights (normalised
//! by the core), 1-5 scores entered or suggested from data, weighted total, rank, targets,
//! and a bar chart of the totals.

use super::shared::{today, ChartCard, Page};
use crate::charts::segments as charts;
use crate::components::{chart::Chart, format};
use crate::i18n::fill;
use clientscope_core::segment::crosstab::{crosstab, CrosstabInput, CrosstabParams, NamedSegment};
use clientscope_core::segment::evaluation::{evaluate, suggest_scores, Criterion, EvaluationReport};
use leptos::prelude::*;

/// The evaluation tab.
#[component]
pub fn Evaluate(page: Page) -> impl IntoView {
    let app = page.app;
    let evaluation = move || app.settings.with(|s| s.segments.evaluation.clone());
    let report = Memo::new(move |_| evaluation().check().map(|v| evaluate(&v)).map_err(|e| e.message(app.lang.get())));
    let lang = move || app.lang.get();

    let suggest = move |_| {
        let t = page.tu();
        let lang = app.lang.get_untracked();
        let (from, to) = page.ui.get_untracked().period(today());
        let Ok(params) = (CrosstabParams { from, to }).check() else {
            app.fail(fill(t.bad_period, &[("from", &from), ("to", &to)]));
            return;
        };
        leptos::task::spawn_local(async move {
            let inputs = page.ensure_inputs().await;
            let ctx = inputs.ctx();
            let defs = app.settings.with_untracked(|s| s.segments.definitions.clone());
            let valid: Vec<_> = defs.iter().filter_map(|d| d.check().ok()).collect();
            let named = NamedSegment::from_definitions(&valid, &ctx);
            let csi = inputs.measures.get("csi").filter(|m| !m.is_empty()).map(|m| &**m);
            let input = CrosstabInput { customers: &inputs.customers, orders: &inputs.orders, complaints: &inputs.complaints, csi };
            match crosstab(&input, &named, &params, lang) {
                Ok(ct) => {
                    let s = suggest_scores(&ct);
                    let n = s.len();
                    page.edit_saved(|st| st.evaluation.apply_suggestions(&s, false));
                    app.say(fill(t.suggested, &[("n", &n)]));
                }
                Err(e) => app.fail(e.message(lang)),
            }
        });
    };

    view! {
        <div class="card">
            <h2>{move || page.t().evaluate_title}</h2>
            <p class="muted">{move || page.t().evaluate_hint}</p>
            <h3>{move || page.t().weights}</h3>
            <div class="seg-weights" data-testid="eval-weights">
                {Criterion::ALL.iter().map(|&c| {
                    let bad = RwSignal::new(false);
                    view! {
                        <label class="field" class:invalid=move || bad.get()>
                            <span>{move || c.label(lang())}</span>
                            <input type="number" min="0" step="any" data-testid=format!("eval-weight-{}", serde_code(c))
                                prop:value=move || app.settings.with(|s| s.segments.evaluation.weights.get(&c).copied().unwrap_or(0.0).to_string())
                                on:change=move |ev| {
                                    match event_target_value(&ev).trim().parse::<f64>() {
                                        Ok(v) if v.is_finite() && v >= 0.0 => { bad.set(false); page.edit_saved(|s| { s.evaluation.weights.insert(c, v); }); }
                                        _ => { bad.set(true); app.fail(fill(page.tu().bad_weight, &[("criterion", &c.label(app.lang.get_untracked()))])); }
                                    }
                                } />
                            <small class="muted">{move || report.with(|r| r.as_ref().ok().and_then(|r| r.weights.get(&c).copied()).map(|w| format!("{}%", format::number(w * 100.0, 1))).unwrap_or_default())}</small>
                        </label>
                    }
                }).collect_view()}
            </div>
            <div class="actions seg-actions">
                <button data-testid="eval-suggest" on:click=suggest>{move || page.t().suggest_scores}</button>
            </div>
            <p class="muted">{move || page.t().suggest_hint}</p>
            {move || report.get().err().map(|e| view! { <p class="error-box" role="alert" data-testid="eval-error">{e}</p> })}
            {move || {
                let e = evaluation();
                if e.rows.is_empty() {
                    return view! { <p class="empty" data-testid="eval-empty">{page.t().eval_no_segments}</p> }.into_any();
                }
                let rep: Option<EvaluationReport> = report.get().ok();
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="table seg-matrix" data-testid="eval-matrix">
                            <thead><tr>
                                <th>{page.t().col_segment}</th>
                                {Criterion::ALL.iter().map(|c| view! { <th class="num">{c.label(lang())}</th> }).collect_view()}
                                <th class="num">{page.t().col_total}</th>
                                <th class="num">{page.t().col_rank}</th>
                                <th>{page.t().col_target}</th>
                            </tr></thead>
                            <tbody>
                                {e.rows.iter().enumerate().map(|(ri, row)| {
                                    let ev = rep.as_ref().and_then(|r| r.rows.get(ri).cloned());
                                    let seg = row.segment.clone();
                                    let seg_t = row.segment.clone();
                                    let target = row.target;
                                    view! {
                                        <tr data-testid="eval-row">
                                            <td data-testid="eval-row-name">{row.segment.clone()}</td>
                                            {Criterion::ALL.iter().map(|&c| {
                                                let cur = row.scores.get(&c).copied();
                                                let seg = seg.clone();
                                                view! {
                                                    <td class="num">
                                                        <select class="score" data-testid=format!("eval-score-{}", serde_code(c))
                                                            aria-label=fill(page.t().score_of, &[("segment", &seg), ("criterion", &c.label(lang()))])
                                                            on:change=move |ev| {
                                                                let v = event_target_value(&ev).parse::<u8>().ok();
                                                                let seg = seg.clone();
                                                                page.edit_saved(move |s| if let Some(r) = s.evaluation.rows.iter_mut().find(|r| r.segment == seg) {
                                                                    match v { Some(v) => { r.scores.insert(c, v); } None => { r.scores.remove(&c); } }
                                                                });
                                                            }>
                                                            <option value="" selected=cur.is_none()>"–"</option>
                                                            {(1u8..=5).map(|s| view! { <option value=s.to_string() selected=cur == Some(s)>{s}</option> }).collect_view()}
                                                        </select>
                                                    </td>
                                                }
                                            }).collect_view()}
                                            <td class="num" data-testid="eval-total">{ev.as_ref().and_then(|e| e.total).map(|v| format::number(v, 2)).unwrap_or_else(|| "—".into())}</td>
                                            <td class="num" data-testid="eval-rank">{ev.as_ref().and_then(|e| e.rank).map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            <td>
                                                <label class="radio">
                                                    <input type="checkbox" data-testid="eval-target" prop:checked=target
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            let seg = seg_t.clone();
                                                            page.edit_saved(move |s| if let Some(r) = s.evaluation.rows.iter_mut().find(|r| r.segment == seg) { r.target = on; });
                                                        } />
                                                    {page.t().target}
                                                </label>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="muted">{page.t().total_rule}</p>
                }.into_any()
            }}
        </div>
        // The chart only once a segment has a total: empty axes would say nothing, so until
        // then the card says what to do.
        {move || report.get().ok().filter(|r| !r.rows.is_empty()).map(|r| if r.rows.iter().any(|x| x.total.is_some()) {
            view! {
                <div class="card">
                    <ChartCard title=Signal::derive(move || page.t().chart_evaluation.to_string()) testid="chart-evaluation">
                        <Chart label=Signal::derive(move || page.t().chart_evaluation.to_string()) testid="chart-evaluation" height=300
                            draw=move |area, px| { let _ = charts::draw_evaluation(area, &r, page.t().axis_total, px); } />
                    </ChartCard>
                </div>
            }.into_any()
        } else {
            view! { <div class="card"><p class="empty" data-testid="eval-chart-empty">{page.t().eval_chart_empty}</p></div> }.into_any()
        })}
    }
}

/// The serde code of a criterion (for test ids).
fn serde_code(c: Criterion) -> String {
    serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
