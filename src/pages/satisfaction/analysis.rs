//! Analysis of one survey: CSI per indicator with n and bootstrap intervals, satisfaction
//! rate, NPS and the loyalty zones, importance-performance quadrants, reliability,
//! breakdowns and the trend, the benchmark against competitors and the target, and (for
//! surveys with a path model) PLS path modelling with its bootstrap, run in the worker
//! pool with progress. Result tables export as CSV, charts as PNG.

use super::design::plain;
use super::{actions, st};
use crate::charts::satisfaction as sc;
use crate::components::{chart::Chart, format};
use crate::i18n::fill;
use crate::state::{self, use_app, AppState};
use crate::components::{excel::ExcelButton, table_csv::save_csv};
use clientscope_core::io::export::ExportTable;
use clientscope_core::model::{builtin_attributes, AttributeGroup, Language, Survey};
use clientscope_core::satisfaction::analysis::{self as an, GroupBy, SurveyParams, SurveyReport};
use clientscope_core::satisfaction::csi::{CsiFlag, IntervalMethod, MISSING_RULE_EN, MISSING_RULE_ZH};
use clientscope_core::satisfaction::csi::CsiParams;
use clientscope_core::satisfaction::nps::ZoneParams;
use clientscope_core::satisfaction::pls::{PlsParams, PlsReport, Scheme};
use clientscope_core::satisfaction::scale;
use leptos::prelude::*;
use std::sync::Arc;

/// Runs the survey analysis on the stored data, in the worker (crate::jobs).
pub(crate) async fn compute(app: AppState, survey: &Survey, params: SurveyParams) -> Result<SurveyReport, crate::jobs::JobError> {
    let responses = app.data.responses.with_untracked(|rs| an::responses_of(survey, rs).into_iter().cloned().collect::<Vec<_>>());
    crate::jobs::survey(app, survey.clone(), responses, params).await
}

/// A titled chart with a PNG export button.
#[component]
pub(crate) fn SatChart(
    #[prop(into)] title: Signal<String>,
    testid: &'static str,
    #[prop(default = 300)] height: u32,
    /// The figures drawn, the chart's text alternative (`components::chart::figures`).
    #[prop(optional, into)] figures: MaybeProp<String>,
    draw: impl Fn(&plotters::prelude::DrawingArea<crate::components::chart::ChartCanvas, plotters::coord::Shift>, u32) + 'static,
) -> impl IntoView {
    let app = use_app();
    let save = move |_| {
        if let Err(e) = crate::components::chart::export_png(testid, &format!("clientscope-{testid}.png")) {
            app.fail(format!("{}{e}", app.t_untracked().error_prefix));
        }
    };
    view! {
        <div class="chart-card">
            <div class="chart-head">
                <h3>{move || title.get()}</h3>
                <button class="ghost small no-print" data-testid=format!("{testid}-png") on:click=save>{move || st().export_png}</button>
            </div>
            <Chart label=title figures=figures testid=testid height=height draw=draw />
        </div>
    }
}

fn num(v: Option<f64>, d: usize) -> String {
    v.map(|v| format::number(v, d)).unwrap_or_else(|| "—".into())
}

/// The missing-answer rule in the UI language.
pub(crate) fn missing_rule(lang: Language) -> &'static str {
    if lang == Language::ZhCn { MISSING_RULE_ZH } else { MISSING_RULE_EN }
}

/// The interval method, stated.
pub(crate) fn interval_stated(m: &IntervalMethod) -> String {
    match m {
        IntervalMethod::None => st().ci_none.to_string(),
        IntervalMethod::Bootstrap { resamples, seed, confidence } => {
            fill(st().ci_bootstrap, &[("b", resamples), ("seed", seed), ("level", &plain(confidence * 100.0))])
        }
    }
}

/// The flags of a CSI, stated with node labels.
pub(crate) fn flags_stated(r: &SurveyReport) -> Vec<String> {
    let label = |id: &str| r.csi.node(id).map(|n| n.label.clone()).unwrap_or_else(|| id.to_string());
    r.csi
        .flags
        .iter()
        .map(|f| match f {
            CsiFlag::Renormalised { node, missing_children } => fill(
                st().flag_renormalised,
                &[("node", &label(node)), ("children", &missing_children.iter().map(|c| label(c)).collect::<Vec<_>>().join("、"))],
            ),
            CsiFlag::WeightsNotNormalised { node, sum } => fill(st().flag_not_normalised, &[("node", &label(node)), ("sum", &plain(*sum))]),
            CsiFlag::NoAnswers { node } => fill(st().flag_no_answers, &[("node", &label(node))]),
        })
        .collect()
}

/// The indicator bars (every node below the root) of a report.
pub(crate) fn node_bars(r: &SurveyReport) -> Vec<sc::HBar> {
    r.csi
        .nodes
        .iter()
        .filter(|n| n.depth > 0)
        .filter_map(|n| {
            n.score.map(|s| sc::HBar {
                label: format!("{}{}", if n.depth > 1 { "· " } else { "" }, n.label),
                value: s,
                interval: n.ci_low.zip(n.ci_high),
                strong: !n.is_leaf,
            })
        })
        .collect()
}

/// Benchmark bars: own CSI, competitors; the own bar highlighted.
pub(crate) fn benchmark_bars(r: &SurveyReport) -> Vec<(String, f64, bool)> {
    r.benchmark
        .iter()
        .filter_map(|b| b.csi.map(|v| (b.competitor.clone().unwrap_or_else(|| st().own_company.to_string()), v, b.competitor.is_none())))
        .collect()
}

fn group_options(lang: Language) -> Vec<(String, String)> {
    let t = st();
    let mut out = vec![("period".to_string(), t.by_period.to_string()), ("kind".into(), t.by_kind.into()), ("owner".into(), t.by_owner.into())];
    for d in builtin_attributes().into_iter().filter(|d| matches!(d.group, AttributeGroup::Demographic | AttributeGroup::Psychographic | AttributeGroup::Behavioural) && !d.values.is_empty()) {
        out.push((format!("seg:{}", d.key), format!("{}{}", t.by_segment, if lang == Language::ZhCn { d.zh } else { d.en })));
    }
    out
}

fn group_by(key: &str) -> GroupBy {
    match key {
        "kind" => GroupBy::CustomerKind,
        "owner" => GroupBy::Owner,
        k if k.starts_with("seg:") => GroupBy::Segment(k.trim_start_matches("seg:").to_string()),
        _ => GroupBy::Period,
    }
}

/// The analysis view.
#[component]
pub fn Analysis(id: String) -> impl IntoView {
    let app = use_app();
    let survey = super::survey_signal(id.clone());
    let sid = StoredValue::new(id.clone());
    let resamples = RwSignal::new(1000_usize);
    let zones = RwSignal::new(ZoneParams::default());
    let report: RwSignal<Option<Arc<SurveyReport>>> = RwSignal::new(None);
    // Kept in both languages: shown in the language of the moment.
    let error = RwSignal::new(None::<clientscope_core::error::Bilingual>);
    let computed_n = RwSignal::new(0_usize);
    let n_now = Memo::new(move |_| survey.with(|s| s.as_ref().map_or(0, |s| app.data.responses.with(|v| an::responses_of(s, v).len()))));

    let run = move || {
        let Some(s) = survey.get_untracked() else { return };
        let params = SurveyParams { csi: CsiParams { resamples: resamples.get_untracked(), ..CsiParams::default() }, zones: zones.get_untracked() };
        leptos::task::spawn_local(async move {
            app.begin(st_u(app).computing);
            state::yield_now().await;
            let r = compute(app, &s, params).await;
            app.end();
            match r {
                Ok(r) => {
                    error.try_set(None);
                    computed_n.try_set(r.respondents);
                    report.try_set(Some(Arc::new(r)));
                }
                Err(e) => {
                    report.try_set(None);
                    error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::satisfaction::texts(l).analysis_failed, &e)));
                }
            }
        });
    };
    // Compute once on opening.
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() {
            run();
        }
    });

    view! {
        <div class="sat-analysis" data-testid="sat-analysis">
            <div class="card no-print">
                <div class="form-grid">
                    <label class="field">
                        <span>{move || st().resamples}</span>
                        <input type="number" min="0" step="100" data-testid="sat-resamples" prop:value=move || resamples.get().to_string()
                            on:change=move |ev| { match event_target_value(&ev).trim().parse::<usize>() {
                                Ok(v) => { error.set(None); resamples.set(v) }
                                Err(_) => error.set(Some(clientscope_core::error::Bilingual::from_fn(|l| {
                                    let t = crate::i18n::satisfaction::texts(l);
                                    fill(t.not_a_number, &[("field", &t.resamples)])
                                }))),
                            } } />
                    </label>
                    <label class="field">
                        <span>{move || st().zone_indifference}</span>
                        <input type="number" step="any" data-testid="sat-zone-low" prop:value=move || plain(zones.get().indifference_from)
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() { zones.update(|z| z.indifference_from = v) } } />
                    </label>
                    <label class="field">
                        <span>{move || st().zone_affection}</span>
                        <input type="number" step="any" data-testid="sat-zone-high" prop:value=move || plain(zones.get().affection_from)
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() { zones.update(|z| z.affection_from = v) } } />
                    </label>
                </div>
                <div class="actions">
                    <button class="primary" data-testid="sat-compute" on:click=move |_| run()>{move || st().compute}</button>
                    <Show when=move || { report.with(|r| r.is_some()) && n_now.get() != computed_n.get() }>
                        <span class="warn" data-testid="sat-stale">{move || st().stale}</span>
                    </Show>
                </div>
                {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="sat-analysis-error">{e.get(app.lang.get()).to_string()}</p> })}
            </div>
            {move || report.get().map(|r| view! { <Results r=r survey=survey id=sid.get_value() /> })}
        </div>
    }
}

fn st_u(app: AppState) -> &'static crate::i18n::satisfaction::SatTexts {
    crate::i18n::satisfaction::texts(app.lang.get_untracked())
}

/// Everything computed.
#[component]
fn Results(r: Arc<SurveyReport>, survey: Signal<Option<Survey>>, id: String) -> impl IntoView {
    let app = use_app();
    let rep = StoredValue::new(r.clone());
    let sid = StoredValue::new(id);
    let group_key = RwSignal::new("period".to_string());
    let groups = Memo::new(move |_| {
        let s = survey.get()?;
        let by = group_by(&group_key.get());
        let lang = app.lang.get();
        app.data.responses.with(|rs| app.data.customers.with(|cs| an::breakdown(&s, rs, cs, &by, lang).ok()))
    });
    let trend = Memo::new(move |_| {
        let s = survey.get()?;
        let lang = app.lang.get();
        app.data.responses.with(|rs| app.data.customers.with(|cs| an::breakdown(&s, rs, cs, &GroupBy::Period, lang).ok()))
    });
    let target = Signal::derive(move || survey.with(|s| s.as_ref().and_then(|s| s.design.target)));

    // The indicator table as exported (CSV and Excel): file stem, header, rows.
    let nodes_table = move || {
        let t = st_u(app);
        let headers: Vec<String> = [t.indicator, t.col_depth, t.col_weight, t.col_global_weight, "n", t.col_na, t.col_score, t.col_ci_low, t.col_ci_high, t.col_rate]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let o = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        let rows: Vec<Vec<String>> = rep.with_value(|r| {
            r.csi
                .nodes
                .iter()
                .map(|n| {
                    vec![
                        n.label.clone(),
                        n.depth.to_string(),
                        format!("{:.4}", n.normalised_weight),
                        format!("{:.4}", n.global_weight),
                        n.n.to_string(),
                        n.not_applicable.to_string(),
                        o(n.score),
                        o(n.ci_low),
                        o(n.ci_high),
                        o(n.satisfaction_rate),
                    ]
                })
                .collect()
        });
        (format!("clientscope-csi-{}", sid.get_value()), headers, rows)
    };
    let export_nodes = move |_| {
        let (stem, headers, rows) = nodes_table();
        save_csv(app, &format!("{stem}.csv"), &headers, rows);
    };
    let groups_table = move || {
        let t = st_u(app);
        let headers: Vec<String> = [t.group, "n", "CSI", t.col_rate, "NPS"].iter().map(|s| s.to_string()).collect();
        let o = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        let rows: Vec<Vec<String>> = groups
            .get_untracked()
            .unwrap_or_default()
            .iter()
            .map(|g| vec![g.label.clone(), g.n.to_string(), o(g.csi), o(g.satisfaction_rate), o(g.nps)])
            .collect();
        (format!("clientscope-breakdown-{}", sid.get_value()), headers, rows)
    };
    let export_groups = move |_| {
        let (stem, headers, rows) = groups_table();
        save_csv(app, &format!("{stem}.csv"), &headers, rows);
    };

    view! {
        <div class="sat-results" data-testid="sat-results">
            // Headline figures
            <div class="stats">
                <div class="stat" data-testid="sat-csi">
                    <div class="stat-value">{move || rep.with_value(|r| format::number(r.csi.csi, 1))}</div>
                    <div class="stat-label">{move || st().csi}</div>
                    <small class="muted">{move || rep.with_value(|r| r.csi.node(&r.csi.nodes[0].id).and_then(|n| n.ci_low.zip(n.ci_high)).map(|(a, b)| fill(st().ci_range, &[("low", &format::number(a, 1)), ("high", &format::number(b, 1))])).unwrap_or_default())}</small>
                </div>
                <div class="stat" data-testid="sat-rate">
                    <div class="stat-value">{move || rep.with_value(|r| format!("{}%", format::number(r.csi.satisfaction_rate, 1)))}</div>
                    <div class="stat-label">{move || st().satisfaction_rate}</div>
                </div>
                <div class="stat" data-testid="sat-nps">
                    <div class="stat-value">{move || rep.with_value(|r| num(r.nps.as_ref().map(|n| n.nps), 1))}</div>
                    <div class="stat-label">"NPS"</div>
                </div>
                <div class="stat" data-testid="sat-n">
                    <div class="stat-value">{move || rep.with_value(|r| format::number(r.respondents as f64, 0))}</div>
                    <div class="stat-label">{move || st().respondents}</div>
                </div>
            </div>
            <p class="stated" data-testid="sat-stated">{move || missing_rule(app.lang.get())}" "{move || rep.with_value(|r| interval_stated(&r.csi.interval))}" "{move || survey.with(|s| s.as_ref().map(|s| scale::describe(s.scale, app.lang.get())).unwrap_or_default())}{move || st().sentence_end}{move || st().rate_rule}</p>
            {move || rep.with_value(|r| flags_stated(r)).into_iter().map(|f| view! { <p class="warn" data-testid="sat-flag">{f}</p> }).collect_view()}
            {move || rep.with_value(|r| (!r.issues.is_empty()).then(|| {
                let list = r.issues.iter().take(5).map(|i| fill(st().issue, &[("row", &(i.row + 1)), ("leaf", &i.leaf), ("why", &i.reason)])).collect::<Vec<_>>().join("; ");
                view! { <p class="warn" data-testid="sat-issues">{fill(st().issues, &[("n", &r.issues.len()), ("list", &list)])}</p> }
            }))}

            // Indicators
            <div class="card">
                <div class="chart-head">
                    <h2>{move || st().indicators_title}</h2>
                    <button class="ghost small no-print" data-testid="sat-csv-nodes" on:click=export_nodes>{move || st().export_csv}</button>
                    <ExcelButton testid="sat-nodes" table=Callback::new(move |()| { let (stem, headers, rows) = nodes_table(); Ok((stem.clone(), ExportTable::from_shown(stem, headers, rows))) }) />
                </div>
                <div class="value-grid">
                    <div class="table-wrap" tabindex="0">
                        <table class="table" data-testid="sat-node-table">
                            <thead><tr>
                                <th>{move || st().indicator}</th><th class="num">{move || st().col_global_weight}</th><th class="num">"n"</th>
                                <th class="num">{move || st().col_score}</th><th class="num">{move || st().col_ci}</th><th class="num">{move || st().col_rate}</th>
                            </tr></thead>
                            <tbody>
                                {move || rep.with_value(|r| r.csi.nodes.iter().map(|n| view! {
                                    <tr class:sat-group-row=!n.is_leaf data-testid="sat-node-row">
                                        <td style:padding-left=format!("{}rem", 0.4 + n.depth as f64)>{n.label.clone()}</td>
                                        <td class="num">{format::number(n.global_weight, 3)}</td>
                                        <td class="num">{if n.not_applicable > 0 { fill(st().n_plus_na, &[("n", &n.n), ("na", &n.not_applicable)]) } else { n.n.to_string() }}</td>
                                        <td class="num">{num(n.score, 1)}</td>
                                        <td class="num">{n.ci_low.zip(n.ci_high).map(|(a, b)| format!("{}–{}", format::number(a, 1), format::number(b, 1))).unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{n.satisfaction_rate.map(|v| format!("{}%", format::number(v, 1))).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view())}
                            </tbody>
                        </table>
                    </div>
                    <SatChart title=Signal::derive(move || st().chart_scores.to_string()) testid="chart-sat-scores"
                        height=rep.with_value(|r| (r.csi.nodes.len() as u32 * 26 + 60).max(220))
                        draw=move |area, px| { let t = st(); rep.with_value(|r| { let _ = sc::draw_hbars(area, &node_bars(r), (0.0, 100.0), 1, t.col_score, px); }); } />
                </div>
                <h3>{move || st().reliability_title}</h3>
                <table class="table" tabindex="0" data-testid="sat-alpha-table">
                    <thead><tr><th>{move || st().indicator}</th><th class="num">"k"</th><th class="num">"n"</th><th class="num">{move || st().alpha_raw}</th><th class="num">{move || st().alpha_std}</th></tr></thead>
                    <tbody>
                        {move || rep.with_value(|r| r.alphas.iter().map(|a| match &a.alpha {
                            Ok(x) => view! { <tr><td>{a.label.clone()}</td><td class="num">{x.k}</td><td class="num">{x.n}</td><td class="num">{format::number(x.raw, 3)}</td><td class="num">{format::number(x.standardized, 3)}</td></tr> }.into_any(),
                            Err(e) => view! { <tr><td>{a.label.clone()}</td><td colspan="4" class="muted">{e.clone()}</td></tr> }.into_any(),
                        }).collect_view())}
                    </tbody>
                </table>
                <p class="muted">{move || st().alpha_note}</p>
            </div>

            // Loyalty
            <div class="card">
                <h2>{move || st().loyalty_title}</h2>
                {move || rep.with_value(|r| r.nps.as_ref().map(|n| view! {
                    <p data-testid="sat-nps-text">{fill(st().nps_text, &[
                        ("nps", &format::number(n.nps, 1)), ("p", &n.promoters), ("pp", &format::number(n.promoter_pct, 1)),
                        ("m", &n.passives), ("mp", &format::number(n.passive_pct, 1)), ("d", &n.detractors), ("dp", &format::number(n.detractor_pct, 1)), ("n", &n.n),
                    ])}</p>
                }))}
                {move || rep.with_value(|r| r.repurchase.map(|x| view! {
                    <p data-testid="sat-repurchase">{fill(st().repurchase_text, &[("n", &x.n), ("score", &format::number(x.mean_score, 1)), ("top", &format::number(x.top_two_pct, 1))])}</p>
                }))}
                {move || rep.with_value(|r| r.zones.is_some()).then(|| view! {
                    <SatChart title=Signal::derive(move || st().chart_zones.to_string()) testid="chart-sat-zones" height=320
                        draw=move |area, px| {
                            let lang = app.lang.get();
                            let t = st();
                            rep.with_value(|r| if let Some(z) = &r.zones {
                                let _ = sc::draw_zones(area, z, &|x| x.label(lang).to_string(), t.respondent_score, t.q_recommend_short, px);
                            });
                        } />
                    <p class="muted">{move || fill(st().zones_note, &[("low", &plain(rep.with_value(|r| r.zones.as_ref().map(|z| z.params.indifference_from).unwrap_or(0.0)))), ("high", &plain(rep.with_value(|r| r.zones.as_ref().map(|z| z.params.affection_from).unwrap_or(0.0))))])}</p>
                })}
            </div>

            // IPA
            <div class="card">
                <h2>{move || st().ipa_title}</h2>
                <p class="muted">{move || st().ipa_weight_note}</p>
                {move || rep.with_value(|r| r.ipa.is_some()).then(|| view! {
                    <SatChart title=Signal::derive(move || st().chart_ipa.to_string()) testid="chart-sat-ipa" height=360
                        draw=move |area, px| {
                            let lang = app.lang.get();
                            let t = st();
                            rep.with_value(|r| if let Some(i) = &r.ipa { let _ = sc::draw_ipa(area, i, &|q| q.label(lang).to_string(), t.performance, t.importance_weight, px); });
                        } />
                    <table class="table" tabindex="0" data-testid="sat-ipa-table">
                        <thead><tr><th>{move || st().indicator}</th><th class="num">{move || st().importance_weight}</th><th class="num">{move || st().performance}</th><th>{move || st().quadrant}</th></tr></thead>
                        <tbody>{move || { let lang = app.lang.get(); rep.with_value(|r| r.ipa.as_ref().map(|i| i.items.iter().map(|p| view! {
                            <tr><td>{p.item.label.clone()}</td><td class="num">{format::number(p.item.importance, 3)}</td><td class="num">{format::number(p.item.performance, 1)}</td><td>{p.quadrant.label(lang)}</td></tr>
                        }).collect_view())) }}</tbody>
                    </table>
                })}
            </div>

            // Breakdowns and trend
            <div class="card">
                <div class="chart-head">
                    <h2>{move || st().breakdown_title}</h2>
                    <button class="ghost small no-print" data-testid="sat-csv-groups" on:click=export_groups>{move || st().export_csv}</button>
                    <ExcelButton testid="sat-groups" table=Callback::new(move |()| { let (stem, headers, rows) = groups_table(); Ok((stem.clone(), ExportTable::from_shown(stem, headers, rows))) }) />
                </div>
                <label class="field no-print">
                    <span>{move || st().break_by}</span>
                    <select data-testid="sat-group-by" on:change=move |ev| group_key.set(event_target_value(&ev))>
                        {move || group_options(app.lang.get()).into_iter().map(|(k, l)| { let s = k == group_key.get_untracked(); view! { <option value=k selected=s>{l}</option> } }).collect_view()}
                    </select>
                </label>
                <div class="value-grid">
                    <div class="table-wrap" tabindex="0">
                        <table class="table" data-testid="sat-group-table">
                            <thead><tr><th>{move || st().group}</th><th class="num">"n"</th><th class="num">"CSI"</th><th class="num">{move || st().col_rate}</th><th class="num">"NPS"</th></tr></thead>
                            <tbody>{move || groups.get().unwrap_or_default().into_iter().map(|g| view! {
                                <tr data-testid="sat-group-row"><td>{g.label}</td><td class="num">{g.n}</td><td class="num">{num(g.csi, 1)}</td><td class="num">{num(g.satisfaction_rate, 1)}</td><td class="num">{num(g.nps, 1)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                    <SatChart title=Signal::derive(move || st().chart_groups.to_string()) testid="chart-sat-groups"
                        draw=move |area, px| {
                            let bars: Vec<(String, f64, bool)> = groups.get().unwrap_or_default().into_iter().filter_map(|g| g.csi.map(|c| (format!("{} (n={})", g.label, g.n), c, false))).collect();
                            let _ = sc::draw_bars(area, &bars, None, "CSI", px);
                        } />
                </div>
                <SatChart title=Signal::derive(move || st().chart_trend.to_string()) testid="chart-sat-trend"
                    figures=Signal::derive(move || {
                        let t = st();
                        crate::components::chart::figures(trend.get().unwrap_or_default().into_iter().filter(|g| g.key.is_some())
                            .map(|g| (g.label, format!("CSI {}, {} {}", num(g.csi, 1), t.satisfaction_rate, num(g.satisfaction_rate, 1)))), app.lang.get())
                    })
                    draw=move |area, px| {
                        let t = st();
                        let pts: Vec<(String, Option<f64>, Option<f64>)> = trend.get().unwrap_or_default().into_iter().filter(|g| g.key.is_some()).map(|g| (g.label, g.csi, g.satisfaction_rate)).collect();
                        let _ = sc::draw_trend(area, &pts, "CSI", t.satisfaction_rate, px);
                    } />
            </div>

            // Benchmark
            <div class="card">
                <h2>{move || st().benchmark_title}</h2>
                <label class="field no-print">
                    <span>{move || st().target}</span>
                    <input type="number" step="any" min="0" max="100" data-testid="sat-target" prop:value=move || target.get().map(plain).unwrap_or_default()
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().parse::<f64>().ok().filter(|v| (0.0..=100.0).contains(v));
                            let Some(mut s) = survey.get_untracked() else { return };
                            s.design.target = v;
                            state::run(app, actions::save_survey(app, s));
                        } />
                </label>
                <div class="value-grid">
                    <table class="table" tabindex="0" data-testid="sat-benchmark-table">
                        <thead><tr><th><span class="sr-only">{move || app.t().col_company}</span></th><th class="num">"CSI"</th><th class="num">"n"</th><th class="num">{move || st().own_same}</th></tr></thead>
                        <tbody>{move || rep.with_value(|r| r.benchmark.iter().map(|b| view! {
                            <tr><td>{b.competitor.clone().unwrap_or_else(|| st().own_company.to_string())}</td><td class="num">{num(b.csi, 1)}</td><td class="num">{b.n}</td><td class="num">{num(b.own_same_respondents, 1)}</td></tr>
                        }).collect_view())}</tbody>
                    </table>
                    <SatChart title=Signal::derive(move || st().chart_benchmark.to_string()) testid="chart-sat-benchmark"
                        draw=move |area, px| {
                            let t = st();
                            let tg = target.get();
                            rep.with_value(|r| { let _ = sc::draw_bars(area, &benchmark_bars(r), tg.map(|v| (v, t.target_short)), "CSI", px); });
                        } />
                </div>
            </div>

            <PlsPanel survey=survey />
        </div>
    }
}

/// PLS path modelling of a survey with a path model, bootstrap in chunks with progress.
#[component]
fn PlsPanel(survey: Signal<Option<Survey>>) -> impl IntoView {
    let app = use_app();
    let model = Memo::new(move |_| survey.with(|s| s.as_ref().and_then(an::pls_model)));
    let scheme = RwSignal::new(Scheme::Path);
    let scaled = RwSignal::new(true);
    let resamples = RwSignal::new(500_usize);
    let result: RwSignal<Option<Arc<PlsReport>>> = RwSignal::new(None);
    let error = RwSignal::new(None::<clientscope_core::error::Bilingual>);
    let label_of = move |id: &str| survey.with(|s| s.as_ref().and_then(|s| s.root.find(id)).map(|n| n.label.clone())).unwrap_or_else(|| id.to_string());

    let run = move |_| {
        let (Some(s), Some(m)) = (survey.get_untracked(), model.get_untracked()) else { return };
        let t = st_u(app);
        let params = PlsParams {
            scheme: scheme.get_untracked(),
            scaled: scaled.get_untracked(),
            resamples: resamples.get_untracked(),
            index_scale: Some(s.scale.range()),
            ..PlsParams::default()
        };
        leptos::task::spawn_local(async move {
            app.begin(t.pls_running);
            state::yield_now().await;
            // The fit and the bootstrap run in the worker pool (crate::jobs); the page only
            // builds the answer table and shows progress.
            let table = app.data.responses.with_untracked(|rs| an::pls_table(&s, rs));
            let out: Result<PlsReport, clientscope_core::error::Bilingual> = match table {
                Err(e) => Err(clientscope_core::error::Localized::bilingual(&e)),
                Ok(table) => crate::jobs::pls(app, m, table, params, move |done, total| {
                    app.busy.set(Some(state::Busy { label: fill(t.pls_bootstrap, &[("done", &done), ("total", &total)]), progress: Some((done, total)) }));
                })
                .await
                .map_err(|e| clientscope_core::error::Localized::bilingual(&e)),
            };
            app.end();
            match out {
                Ok(r) => { error.try_set(None); result.try_set(Some(Arc::new(r))); }
                Err(e) => { result.try_set(None); error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::satisfaction::texts(l).pls_failed, &e))); }
            }
        });
    };
    let derived = Memo::new(move |_| {
        let r = result.get()?;
        let s = survey.get()?;
        let sat = s.design.satisfaction_node.clone()?;
        an::ipa_derived(&s, &r, &sat).ok().flatten()
    });

    view! {
        <div class="card" data-testid="sat-pls">
            <h2>{move || st().pls_title}</h2>
            {move || match model.get() {
                None => view! { <p class="muted" data-testid="sat-pls-none">{st().pls_none}</p> }.into_any(),
                Some(_) => view! {
                    <div class="form-grid no-print">
                        <label class="field">
                            <span>{move || st().pls_scheme}</span>
                            <select data-testid="sat-pls-scheme" on:change=move |ev| scheme.set(match event_target_value(&ev).as_str() { "centroid" => Scheme::Centroid, "factorial" => Scheme::Factorial, _ => Scheme::Path })>
                                <option value="path" selected=move || scheme.get() == Scheme::Path>{move || st().scheme_path}</option>
                                <option value="centroid" selected=move || scheme.get() == Scheme::Centroid>{move || st().scheme_centroid}</option>
                                <option value="factorial" selected=move || scheme.get() == Scheme::Factorial>{move || st().scheme_factorial}</option>
                            </select>
                        </label>
                        <label class="field radio">
                            <input type="checkbox" data-testid="sat-pls-scaled" prop:checked=move || scaled.get() on:change=move |ev| scaled.set(event_target_checked(&ev)) />
                            <span>{move || st().pls_scaled}</span>
                        </label>
                        <label class="field">
                            <span>{move || st().pls_resamples}</span>
                            <input type="number" min="0" step="100" data-testid="sat-pls-resamples" prop:value=move || resamples.get().to_string()
                                on:change=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<usize>() { resamples.set(v) } } />
                        </label>
                    </div>
                    <div class="actions no-print"><button class="primary" data-testid="sat-pls-run" on:click=run>{move || st().pls_run}</button></div>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="error-box" data-testid="sat-pls-error">{e.get(app.lang.get()).to_string()}</p> })}
            {move || result.get().map(|r| {
                let rr = StoredValue::new(r.clone());
                let t = st();
                let boot = r.bootstrap.map(|b| fill(t.pls_boot_stated, &[("b", &b.resamples), ("failed", &b.failed), ("seed", &b.seed), ("level", &plain(b.confidence * 100.0))])).unwrap_or_default();
                view! {
                    <p class="stated" data-testid="sat-pls-stated">{fill(t.pls_stated, &[("n", &r.n), ("dropped", &r.dropped), ("iter", &r.iterations), ("gof", &format::number(r.gof, 4))])}" "{boot}
                        {(!r.converged).then(|| view! { <span class="warn">" "{t.pls_not_converged}</span> })}</p>
                    <div class="value-grid">
                        <table class="table" tabindex="0" data-testid="sat-pls-paths">
                            <thead><tr><th>{t.pls_path}</th><th class="num">{t.pls_coef}</th><th class="num">"SE"</th><th class="num">{t.col_ci}</th><th class="num">"t"</th></tr></thead>
                            <tbody>{r.paths.iter().map(|p| view! {
                                <tr><td>{label_of(&p.from)}" → "{label_of(&p.to)}</td><td class="num">{format::number(p.coefficient, 4)}</td>
                                    <td class="num">{num(p.bootstrap.map(|b| b.se), 4)}</td>
                                    <td class="num">{p.bootstrap.map(|b| format!("{}–{}", format::number(b.ci_low, 3), format::number(b.ci_high, 3))).unwrap_or_else(|| "—".into())}</td>
                                    <td class="num">{num(p.bootstrap.map(|b| b.t), 2)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                        <SatChart title=Signal::derive(move || st().chart_paths.to_string()) testid="chart-sat-paths"
                            height=(r.paths.len() as u32 * 28 + 60).max(200)
                            draw=move |area, px| {
                                let bars: Vec<sc::HBar> = rr.with_value(|r| r.paths.iter().map(|p| sc::HBar {
                                    label: format!("{}→{}", label_of(&p.from), label_of(&p.to)), value: p.coefficient,
                                    interval: p.bootstrap.map(|b| (b.ci_low, b.ci_high)), strong: true,
                                }).collect());
                                let _ = sc::draw_hbars(area, &bars, (0.0, 0.5), 3, st().pls_coef, px);
                            } />
                    </div>
                    <table class="table" tabindex="0" data-testid="sat-pls-latent">
                        <thead><tr><th>{t.pls_latent}</th><th class="num">"R²"</th><th class="num">"AVE"</th><th class="num">"CR"</th><th class="num">{t.alpha_raw}</th><th class="num">{t.alpha_std}</th><th class="num">{t.pls_index}</th></tr></thead>
                        <tbody>{r.latent.iter().map(|l| view! {
                            <tr><td>{label_of(&l.name)}</td><td class="num">{num(l.r2, 3)}</td><td class="num">{format::number(l.ave, 3)}</td><td class="num">{format::number(l.composite_reliability, 3)}</td>
                                <td class="num">{num(l.alpha.as_ref().map(|a| a.raw), 3)}</td><td class="num">{num(l.alpha.as_ref().map(|a| a.standardized), 3)}</td><td class="num">{num(l.index, 1)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    <details>
                        <summary>{t.pls_outer}</summary>
                        <table class="table" tabindex="0" data-testid="sat-pls-outer">
                            <thead><tr><th>{t.pls_latent}</th><th>{t.indicator}</th><th class="num">{t.pls_weight}</th><th class="num">{t.pls_loading}</th></tr></thead>
                            <tbody>{r.outer.iter().map(|o| view! {
                                <tr><td>{label_of(&o.latent)}</td><td>{label_of(&o.item)}</td><td class="num">{format::number(o.weight, 4)}</td><td class="num">{format::number(o.loading, 4)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </details>
                }
            })}
            {move || derived.get().map(|d| {
                let d = StoredValue::new(d);
                view! {
                    <SatChart title=Signal::derive(move || st().chart_ipa_derived.to_string()) testid="chart-sat-ipa-derived" height=340
                        draw=move |area, px| {
                            let lang = app.lang.get();
                            let t = st();
                            d.with_value(|i| { let _ = sc::draw_ipa(area, i, &|q| q.label(lang).to_string(), t.performance_index, t.importance_derived, px); });
                        } />
                }
            })}
        </div>
    }
}
