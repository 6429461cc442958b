//! The analysis as of a chosen instant (events after it are ignored): counts by category
//! (Pareto), severity, validity, state, owner and month, on-time confirmation and
//! resolution rates, resolution-time statistics, repeats, complaints per 100 customers.
//! Every figure comes from the core's `analyse`; every table has its CSV button, every
//! chart (the Pareto of categories, the monthly trend) its PNG button. The count by segment
//! follows a segmentation dimension the user picks (customer kind by default).

use super::shared::{self, Page};
use crate::charts::complaints as charts;
use crate::clock;
use crate::components::chart::{Chart, ChartCard};
use crate::components::format;
use crate::components::table_csv::TableCsvButton;
use crate::i18n::complaints::CompTexts;
use crate::i18n::{fill, Label};
use clientscope_core::model::{Id, Language, Severity};
use clientscope_core::segment::attributes::{catalogue, Dimension, DimensionInfo, SegmentContext};
use clientscope_core::service::complaints::ComplaintState;
use leptos::prelude::*;
use std::collections::HashMap;

fn percent(r: Option<f64>) -> String {
    r.map(|r| format!("{}%", format::number(r * 100.0, 1))).unwrap_or_else(|| "—".into())
}

fn hours(t: &CompTexts, h: Option<f64>) -> String {
    h.map(|h| fill(t.hours_value, &[("h", &shared::hours(h))])).unwrap_or_else(|| "—".into())
}

/// The label of a group key of the report (severity, validity and state names are the
/// core's file names).
fn group_label(t: &CompTexts, lang: Language, key: &str) -> String {
    match key {
        "" => t.none_value.to_string(),
        "general" => Severity::General.label(lang).to_string(),
        "major" => Severity::Major.label(lang).to_string(),
        "valid" => t.validity_valid.to_string(),
        "invalid" => t.validity_invalid.to_string(),
        _ => ComplaintState::ALL.iter().find(|s| s.name() == key).map(|s| s.label(lang).to_string()).unwrap_or_else(|| key.to_string()),
    }
}

/// A two-column table of counts with its CSV button.
fn count_table(title: &'static str, testid: &'static str, group: &'static str, count: &'static str, rows: Vec<(String, usize)>) -> impl IntoView {
    view! {
        <div class="card">
            <div class="chart-head"><h3>{title}</h3><TableCsvButton testid=testid name=Signal::derive(move || testid.to_string()) /></div>
            <div class="table-wrap">
                <table class="table" data-testid=testid>
                    <thead><tr><th>{group}</th><th class="num">{count}</th></tr></thead>
                    <tbody>{rows.into_iter().map(|(k, n)| view! { <tr><td>{k}</td><td class="num">{n}</td></tr> }).collect_view()}</tbody>
                </table>
            </div>
        </div>
    }
}

/// The name of a dimension in the language.
fn dimension_name(d: &DimensionInfo, lang: Language) -> String {
    if lang == Language::ZhCn { d.zh.clone() } else { d.en.clone() }
}

/// Each customer's segment on dimension `d`, as its printable label (a customer with no
/// value gets the empty name, shown as "none"; several values are joined).
fn segment_labels(page: Page, d: &DimensionInfo, lang: Language) -> HashMap<Id, String> {
    page.app.data.customers.with(|cs| {
        let ctx = SegmentContext::new(cs);
        cs.iter()
            .map(|c| {
                let code = d.dimension.key(c, &ctx);
                let label = code
                    .split(';')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        d.values
                            .iter()
                            .find(|v| v.code == p)
                            .map(|v| if lang == Language::ZhCn { v.zh.clone() } else { v.en.clone() })
                            .unwrap_or_else(|| d.dimension.value_label(p, &[], lang))
                    })
                    .collect::<Vec<_>>()
                    .join("、");
                (c.id.clone(), label)
            })
            .collect()
    })
}

/// The analysis tab.
#[component]
pub fn Analysis(page: Page) -> impl IntoView {
    let app = page.app;
    let as_of = RwSignal::new(shared::input_value(app, clock::now()));
    let dims = Memo::new(move |_| app.settings.with(|s| catalogue(&s.custom_attributes)));
    let dim = RwSignal::new(dims.with_untracked(|d| d.iter().position(|i| i.dimension == Dimension::Kind).unwrap_or(0)));
    let segments = Memo::new(move |_| {
        let lang = app.lang.get();
        dims.with(|d| d.get(dim.get()).map(|d| segment_labels(page, d, lang)))
    });
    let report = Memo::new(move |_| shared::parse_input(app, &as_of.get()).map(|at| segments.with(|s| shared::report_by(app, at, s.as_ref()))));
    let suffix = Signal::derive(move || as_of.get().replace(':', ""));
    view! {
        <div class="card cmp-asof">
            <label class="field"><span>{move || page.t().as_of}</span>
                <input type="datetime-local" data-testid="cmp-as-of" prop:value=move || as_of.get() on:change=move |ev| as_of.set(event_target_value(&ev)) />
            </label>
            <p class="muted small">{move || page.t().as_of_hint}</p>
        </div>
        // The charts stay out of the report's view below so they are drawn once per change of
        // the report, not rebuilt with the tables.
        <div class="grid2 cmp-charts">
            <ChartCard title=Signal::derive(move || page.t().pareto_title.to_string()) testid="chart-cmp-pareto" suffix=suffix
                button=Signal::derive(move || page.t().export_png.to_string())>
                <Chart label=Signal::derive(move || page.t().pareto_title.to_string()) testid="chart-cmp-pareto" height=300
                    draw=move |area, px| {
                        let t = page.t();
                        report.with(|r| if let Some(r) = r { let _ = charts::draw_complaint_pareto(area, &r.pareto, (t.col_count, t.col_cumulative), t.none_value, px); });
                    } />
            </ChartCard>
            <ChartCard title=Signal::derive(move || page.t().trend_title.to_string()) testid="chart-cmp-trend" suffix=suffix
                button=Signal::derive(move || page.t().export_png.to_string())>
                <Chart label=Signal::derive(move || page.t().trend_title.to_string()) testid="chart-cmp-trend" height=300
                    draw=move |area, px| {
                        let t = page.t();
                        report.with(|r| if let Some(r) = r { let _ = charts::draw_complaint_trend(area, &r.trend, (t.col_received, t.col_resolved, t.col_resolved_on_time), px); });
                    } />
            </ChartCard>
        </div>
        {move || {
            let t = page.t();
            let lang = app.lang.get();
            let Some(r) = report.get() else { return view! { <p class="field-error" role="alert">{t.bad_time}</p> }.into_any() };
            let stat = |label: &'static str, value: String, detail: String, testid: &'static str| view! {
                <div class="card stat" data-testid=testid>
                    <div class="stat-value">{value}</div>
                    <div class="stat-label">{label}</div>
                    <div class="muted small">{detail}</div>
                </div>
            };
            let ratio = |num: usize, done: usize, late: usize| fill(t.rate_detail, &[("num", &num), ("done", &done), ("late", &late)]);
            let groups = |m: &std::collections::BTreeMap<String, usize>| m.iter().map(|(k, n)| (group_label(t, lang, k), *n)).collect::<Vec<_>>();
            let pareto = r.pareto.clone();
            view! {
                <div class="stats cmp-stats">
                    {stat(t.stat_complaints, r.complaints.to_string(), String::new(), "stat-complaints")}
                    {stat(t.stat_confirm_rate, percent(r.confirm_on_time_rate), ratio(r.confirmed_on_time, r.confirmed, r.unconfirmed_overdue), "stat-confirm-rate")}
                    {stat(t.stat_resolve_rate, percent(r.resolve_on_time_rate), ratio(r.resolved_on_time, r.resolved, r.open_overdue), "stat-resolve-rate")}
                    {stat(t.stat_mean, hours(t, r.resolve_hours.mean), format!("n = {}", r.resolve_hours.n), "stat-mean")}
                    {stat(t.stat_median, hours(t, r.resolve_hours.median), String::new(), "stat-median")}
                    {stat(t.stat_p90, hours(t, r.resolve_hours.p90), String::new(), "stat-p90")}
                    {stat(t.stat_repeat, r.repeat.to_string(), String::new(), "stat-repeat")}
                    {stat(t.stat_per100, r.per_100_customers.map(|v| format::number(v, 2)).unwrap_or_else(|| "—".into()), String::new(), "stat-per100")}
                    {stat(t.stat_satisfaction, r.follow_up_satisfaction.map(|v| format::number(v, 2)).unwrap_or_else(|| "—".into()), String::new(), "stat-satisfaction")}
                </div>
                <div class="card">
                    <div class="chart-head"><h3>{t.by_category}</h3><TableCsvButton testid="cmp-by-category" name=Signal::derive(|| "complaints-by-category".to_string()) /></div>
                    <div class="table-wrap">
                        <table class="table" data-testid="cmp-by-category">
                            <thead><tr><th>{t.field_category}</th><th class="num">{t.col_count}</th><th class="num">{t.col_share}</th><th class="num">{t.col_cumulative}</th></tr></thead>
                            <tbody>{pareto.into_iter().map(|p| view! {
                                <tr><td>{if p.category.is_empty() { t.none_value.to_string() } else { p.category }}</td><td class="num">{p.count}</td>
                                    <td class="num">{percent(Some(p.share))}</td><td class="num">{percent(Some(p.cumulative))}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                </div>
                <div class="grid2">
                    {count_table(t.by_severity, "cmp-by-severity", t.field_severity, t.col_count, groups(&r.by_severity))}
                    {count_table(t.by_validity, "cmp-by-validity", t.col_group, t.col_count, groups(&r.by_validity))}
                    {count_table(t.by_state, "cmp-by-state", t.field_state, t.col_count, groups(&r.by_state))}
                    {count_table(t.by_owner, "cmp-by-owner", t.field_owner, t.col_count, groups(&r.by_owner))}
                </div>
                <div class="card">
                    <div class="chart-head">
                        <h3>{t.by_segment}</h3>
                        <label class="field inline"><span>{t.segment_by}</span>
                            <select data-testid="cmp-segment-by" on:change=move |ev| { if let Ok(i) = event_target_value(&ev).parse::<usize>() { dim.set(i) } }>
                                {dims.get().iter().enumerate().map(|(i, d)| view! { <option value=i.to_string() selected=dim.get_untracked() == i>{dimension_name(d, lang)}</option> }).collect_view()}
                            </select>
                        </label>
                        <TableCsvButton testid="cmp-by-segment" name=Signal::derive(|| "complaints-by-segment".to_string()) />
                    </div>
                    <div class="table-wrap">
                        <table class="table" data-testid="cmp-by-segment">
                            <thead><tr><th>{move || dims.with(|d| d.get(dim.get()).map(|d| dimension_name(d, app.lang.get())).unwrap_or_default())}</th><th class="num">{t.col_count}</th></tr></thead>
                            <tbody>{r.by_segment.iter().map(|(k, n)| view! {
                                <tr><td>{if k.is_empty() { t.none_value.to_string() } else { k.clone() }}</td><td class="num">{*n}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                </div>
                <div class="card">
                    <div class="chart-head"><h3>{t.by_month}</h3><TableCsvButton testid="cmp-by-month" name=Signal::derive(|| "complaints-by-month".to_string()) /></div>
                    <div class="table-wrap">
                        <table class="table" data-testid="cmp-by-month">
                            <thead><tr><th>{t.col_month}</th><th class="num">{t.col_received}</th><th class="num">{t.col_resolved}</th><th class="num">{t.col_resolved_on_time}</th></tr></thead>
                            <tbody>{r.trend.iter().map(|m| view! {
                                <tr><td>{m.month.clone()}</td><td class="num">{m.received}</td><td class="num">{m.resolved}</td><td class="num">{m.resolved_on_time}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                </div>
            }.into_any()
        }}
    }
}
