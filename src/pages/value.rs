//! The value page (SPEC §3): ABC / Pareto, RFM, the BG/NBD and Gamma-Gamma fits with CLV,
//! the value matrix, key-account grades, lifecycle stages and the warning, win-back and
//! review lists, with a per-customer table exported as CSV.
//!
//! The parameters are a draft edited in place and remembered in `settings.pages["value"]`;
//! nothing is computed until the user presses Compute, which runs the core's
//! [`analyse`] once behind the busy overlay. Every result states the parameters it was
//! computed with, and says so when the draft has changed since.

use crate::charts::value as vcharts;
use crate::components::{chart::{self, Chart}, format, table_csv::TableCsvButton};
use crate::files;
use crate::i18n::{fill, Label, Texts};
use crate::route::Route;
use crate::state::{self, use_app};
use clientscope_core::io::export::{to_csv, CsvEncoding};
use clientscope_core::model::{Customer, Date, Language};
use clientscope_core::orders::OrderTable;
use clientscope_core::value::abc::{AbcParams, AbcVariant};
use clientscope_core::value::grade::Grade;
use clientscope_core::value::lifecycle::{ListEntry, ReviewReason, Stage, StageReason};
use clientscope_core::value::change;
use clientscope_core::value::calibration::{calibration_holdout, CalibrationParams, CalibrationReport};
use clientscope_core::value::matrix::{RelationshipType, ValueQuadrant};
use clientscope_core::value::report::PotentialSource;
use clientscope_core::value::rfm::{RfmScoring, RfmSegment};
use clientscope_core::value::{FitError, Metric, TimeUnit, ValueParams, ValueReport};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Key of the remembered parameters in `settings.pages`.
const SETTINGS_KEY: &str = "value";
/// Rows shown of each list.
const LIST_ROWS: usize = 50;
/// Rows per page of the per-customer table.
const PAGE_ROWS: usize = 50;

/// The last result with the records it was computed on.
type LastResult = (Arc<ValueReport>, Arc<Vec<Customer>>, Arc<OrderTable>);

thread_local! {
    /// The last result, so that going to a customer and back does not lose it. It is shown
    /// again only while the customers and orders are the very same (`Arc::ptr_eq`): any
    /// edit or import replaces them, and a stale result is never shown.
    static LAST: std::cell::RefCell<Option<LastResult>> = const { std::cell::RefCell::new(None) };
}

/// What is remembered: the parameters, and the as-of date only when the user chose one
/// (otherwise the page opens on today).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Saved {
    /// The as-of date the user chose (`None`: today).
    #[serde(default)]
    as_of: Option<Date>,
    /// Every other parameter.
    params: ValueParams,
}

/// An edit of the draft parameters.
type Edit = Arc<dyn Fn(&mut ValueParams) + Send + Sync>;

/// The value page.
#[component]
pub fn ValuePage() -> impl IntoView {
    let app = use_app();
    let today = chrono::Local::now().date_naive();
    let saved: Option<Saved> = app
        .settings
        .with_untracked(|s| s.pages.get(SETTINGS_KEY).cloned())
        .and_then(|v| serde_json::from_value(v).ok());
    let pinned = RwSignal::new(saved.as_ref().and_then(|s| s.as_of));
    let draft = RwSignal::new(match saved {
        Some(s) => ValueParams { as_of: s.as_of.unwrap_or(today), ..s.params },
        None => ValueParams::new(today),
    });
    let remember = move || {
        let value = serde_json::to_value(Saved { as_of: pinned.get_untracked(), params: draft.get_untracked() });
        if let Ok(v) = value {
            app.update_settings(|s| {
                s.pages.insert(SETTINGS_KEY.to_string(), v);
            });
        }
    };
    let edit = move |f: &dyn Fn(&mut ValueParams)| {
        draft.update(|p| f(p));
        remember();
    };

    let last = LAST.with(|l| l.borrow().clone()).filter(|(_, c, o)| {
        app.data.customers.with_untracked(|now| Arc::ptr_eq(now, c)) && app.data.orders.with_untracked(|now| Arc::ptr_eq(now, o))
    });
    let report: RwSignal<Option<Arc<ValueReport>>> = RwSignal::new(last.as_ref().map(|l| l.0.clone()));
    let used: RwSignal<Arc<Vec<Customer>>> = RwSignal::new(last.map(|l| l.1).unwrap_or_default());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let page = RwSignal::new(0_usize);
    let stale = move || draft.with(|d| report.with(|r| r.as_ref().is_some_and(|r| &r.params != d)));

    let compute = move |_| {
        let t = app.t_untracked();
        // Checked here to say what is wrong at once; the worker checks again.
        if let Err(e) = draft.get_untracked().check() {
            error.set(Some(fill(t.value_invalid, &[("why", &e)])));
            return;
        }
        remember();
        leptos::task::spawn_local(async move {
            app.begin(t.value_computing);
            state::yield_now().await;
            let params = draft.get_untracked();
            let result = crate::jobs::value(app, &params, move |done, total| app.progress(done, total)).await;
            app.end();
            match result {
                Ok((r, (customers, orders))) => {
                    let r = Arc::new(r);
                    LAST.with(|l| *l.borrow_mut() = Some((r.clone(), customers.clone(), orders.clone())));
                    used.try_set(customers);
                    page.try_set(0);
                    error.try_set(None);
                    report.try_set(Some(r));
                }
                Err(crate::jobs::JobError::Cancelled) => app.say(t.job_cancelled),
                Err(e) => {
                    error.try_set(Some(fill(t.value_invalid, &[("why", &e)])));
                }
            }
        });
    };

    let export_csv = move |_| {
        let t = app.t_untracked();
        let lang = app.lang.get_untracked();
        let Some(r) = report.get_untracked() else { return };
        let cs = used.get_untracked();
        let headers: Vec<String> = csv_headers(t).into_iter().map(String::from).collect();
        let rows = r.abc.order.iter().map(|&i| csv_row(t, lang, &r.customers[i], cs.get(i)));
        let result = to_csv(&headers, rows, CsvEncoding::Utf8Bom)
            .map_err(|e| e.to_string())
            .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
            .and_then(|text| files::download(&format!("clientscope-value-{}.csv", r.params.as_of), &text, "text/csv;charset=utf-8"));
        if let Err(e) = result {
            app.fail(format!("{}{e}", t.error_prefix));
        }
    };

    let as_of_name = move || report.with(|r| r.as_ref().map(|r| r.params.as_of.to_string()).unwrap_or_default());

    view! {
        <section class="page value-page" data-testid="page-value">
            <div class="page-head">
                <h1>{move || app.t().value_title}</h1>
            </div>
            <div class="card">
                <h2>{move || app.t().value_params}</h2>
                <ParamsForm draft=draft pinned=pinned edit=Callback::new(move |f: Edit| edit(&*f)) today=today />
                <div class="actions value-actions">
                    <button class="primary" data-testid="value-compute" on:click=compute>{move || app.t().value_compute}</button>
                    <Show when=stale>
                        <span class="warn" data-testid="value-stale">{move || app.t().value_stale}</span>
                    </Show>
                </div>
                {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="value-error">{e}</p> })}
            </div>
            {move || match report.get() {
                None => view! { <p class="empty" data-testid="value-empty">{app.t().value_press_compute}</p> }.into_any(),
                Some(r) => view! { <Results r=r used=used page=page export_csv=Callback::new(export_csv) as_of_name=Signal::derive(as_of_name) /> }.into_any(),
            }}
        </section>
    }
}

/// The editable parameters.
#[component]
fn ParamsForm(
    draft: RwSignal<ValueParams>,
    pinned: RwSignal<Option<Date>>,
    edit: Callback<Edit>,
    today: Date,
) -> impl IntoView {
    let app = use_app();
    let set = move |f: Edit| edit.run(f);
    let bad = RwSignal::new(None::<String>);
    let num = move |label: fn(&Texts) -> &'static str,
                    testid: &'static str,
                    get: fn(&ValueParams) -> f64,
                    put: fn(&mut ValueParams, f64)| {
        view! {
            <label class="field">
                <span>{move || label(app.t())}</span>
                <input type="number" step="any" data-testid=testid
                    prop:value=move || draft.with(|p| plain(get(p)))
                    on:change=move |ev| {
                        match event_target_value(&ev).trim().parse::<f64>() {
                            Ok(v) if v.is_finite() => { bad.set(None); set(Arc::new(move |p| put(p, v))) }
                            _ => bad.set(Some(fill(app.t_untracked().value_not_a_number, &[("field", &label(app.t_untracked()))]))),
                        }
                    } />
            </label>
        }
    };
    view! {
        <div class="form-grid value-form">
            <label class="field">
                <span>{move || app.t().value_as_of}</span>
                <input type="date" data-testid="value-as-of"
                    prop:value=move || draft.with(|p| p.as_of.to_string())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let d = Date::parse_from_str(v.trim(), "%Y-%m-%d").ok();
                        pinned.set(d.filter(|d| *d != today));
                        let d = d.unwrap_or(today);
                        set(Arc::new(move |p| p.as_of = d));
                    } />
            </label>
            <label class="field">
                <span>{move || app.t().value_period_start}</span>
                <input type="date" data-testid="value-period-start"
                    prop:value=move || draft.with(|p| p.period_start.map(|d| d.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let d = Date::parse_from_str(event_target_value(&ev).trim(), "%Y-%m-%d").ok();
                        set(Arc::new(move |p| p.period_start = d));
                    } />
                <small class="muted">{move || app.t().value_period_hint}</small>
            </label>
            <label class="field">
                <span>{move || app.t().value_metric}</span>
                <select data-testid="value-metric"
                    prop:value=move || draft.with(|p| match p.metric { Metric::Revenue => "revenue", Metric::Profit => "profit" }.to_string())
                    on:change=move |ev| {
                        let m = if event_target_value(&ev) == "profit" { Metric::Profit } else { Metric::Revenue };
                        set(Arc::new(move |p| p.metric = m));
                    }>
                    <option value="revenue">{move || app.t().value_metric_revenue}</option>
                    <option value="profit">{move || app.t().value_metric_profit}</option>
                </select>
            </label>
            <label class="field">
                <span>{move || app.t().value_abc_rule}</span>
                <select data-testid="value-abc-variant"
                    prop:value=move || draft.with(|p| match p.abc.variant { AbcVariant::CumulativeShare { .. } => "cumulative", AbcVariant::CountBased { .. } => "count" }.to_string())
                    on:change=move |ev| {
                        let a = if event_target_value(&ev) == "count" { AbcParams::count_based() } else { AbcParams::default() };
                        set(Arc::new(move |p| p.abc = a));
                    }>
                    <option value="cumulative">{move || app.t().value_abc_cumulative}</option>
                    <option value="count">{move || app.t().value_abc_count}</option>
                </select>
            </label>
            {num(|t| t.value_abc_a, "value-abc-a", |p| abc_pair(p).0 * 100.0, |p, v| set_abc(p, Some(v / 100.0), None))}
            {num(|t| t.value_abc_b, "value-abc-b", |p| abc_pair(p).1 * 100.0, |p, v| set_abc(p, None, Some(v / 100.0)))}
            <label class="field">
                <span>{move || app.t().value_unit}</span>
                <select data-testid="value-unit"
                    prop:value=move || draft.with(|p| p.unit.as_str().to_string())
                    on:change=move |ev| {
                        let u = if event_target_value(&ev) == "day" { TimeUnit::Day } else { TimeUnit::Week };
                        set(Arc::new(move |p| p.unit = u));
                    }>
                    <option value="week">{move || app.t().value_unit_week}</option>
                    <option value="day">{move || app.t().value_unit_day}</option>
                </select>
            </label>
            {num(|t| t.value_discount, "value-discount", |p| p.clv.discount * 100.0, |p, v| p.clv.discount = v / 100.0)}
            {num(|t| t.value_horizon, "value-horizon", |p| f64::from(p.clv.horizon_periods), |p, v| p.clv.horizon_periods = v.round().max(0.0) as u32)}
            {num(|t| t.value_split_current, "value-split-current", |p| p.matrix.current_split * 100.0, |p, v| p.matrix.current_split = v / 100.0)}
            {num(|t| t.value_split_potential, "value-split-potential", |p| p.matrix.potential_split * 100.0, |p, v| p.matrix.potential_split = v / 100.0)}
            {num(|t| t.value_grade_special_from, "value-grade-special", |p| p.grade.special, |p, v| p.grade.special = v)}
            {num(|t| t.value_grade_a_from, "value-grade-a", |p| p.grade.a, |p, v| p.grade.a = v)}
            {num(|t| t.value_grade_b_from, "value-grade-b", |p| p.grade.b, |p, v| p.grade.b = v)}
            {num(|t| t.value_new_within, "value-new-within", |p| f64::from(p.lifecycle.new_within_days), |p, v| p.lifecycle.new_within_days = v.round().max(0.0) as u32)}
            {num(|t| t.value_lost_after, "value-lost-after", |p| f64::from(p.lifecycle.lost_after_days), |p, v| p.lifecycle.lost_after_days = v.round().max(0.0) as u32)}
            {num(|t| t.value_relationship_high_from, "value-relationship-high", |p| f64::from(p.relationship.high_from), |p, v| p.relationship.high_from = v.round().clamp(0.0, 9.0) as u8)}
        </div>
        <RfmEditor draft=draft set=Callback::new(set) bad=bad />
        {move || bad.get().map(|e| view! { <p class="field-error" data-testid="value-field-error">{e}</p> })}
    }
}

/// The two ABC thresholds of either rule.
fn abc_pair(p: &ValueParams) -> (f64, f64) {
    match p.abc.variant {
        AbcVariant::CumulativeShare { a, b } | AbcVariant::CountBased { a, b } => (a, b),
    }
}

/// Replaces one or both ABC thresholds, keeping the rule.
fn set_abc(p: &mut ValueParams, a: Option<f64>, b: Option<f64>) {
    p.abc.variant = match p.abc.variant {
        AbcVariant::CumulativeShare { a: a0, b: b0 } => AbcVariant::CumulativeShare { a: a.unwrap_or(a0), b: b.unwrap_or(b0) },
        AbcVariant::CountBased { a: a0, b: b0 } => AbcVariant::CountBased { a: a.unwrap_or(a0), b: b.unwrap_or(b0) },
    };
}

/// A number for an input: up to 4 decimals, trailing zeros dropped.
fn plain(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A share (0-1) as a percentage with one decimal.
fn pct(v: f64) -> String {
    format!("{}%", format::number(v * 100.0, 1))
}

/// An optional number, or a dash.
fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|v| format::number(v, decimals)).unwrap_or_else(|| "—".into())
}

/// The parameters in one sentence, stated on every result.
fn stated(t: &Texts, p: &ValueParams) -> String {
    let period = match p.period_start {
        Some(s) => format!("{s} – {}", p.as_of),
        None => t.value_all_history.to_string(),
    };
    let abc = match p.abc.variant {
        AbcVariant::CumulativeShare { a, b } => fill(t.value_abc_cumulative_rule, &[("a", &plain(a * 100.0)), ("b", &plain(b * 100.0))]),
        AbcVariant::CountBased { a, b } => fill(t.value_abc_count_rule, &[("a", &plain(a * 100.0)), ("b", &plain(b * 100.0))]),
    };
    fill(
        t.value_stated,
        &[
            ("as_of", &p.as_of),
            ("period", &period),
            ("metric", &metric_label(t, p.metric)),
            ("abc", &abc),
            ("unit", &unit_label(t, p.unit)),
            ("discount", &plain(p.clv.discount * 100.0)),
            ("days", &p.clv.period_days),
            ("horizon", &p.clv.horizon_periods),
        ],
    )
}

fn metric_label(t: &Texts, m: Metric) -> &'static str {
    match m {
        Metric::Revenue => t.value_metric_revenue,
        Metric::Profit => t.value_metric_profit,
    }
}

fn unit_label(t: &Texts, u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::Day => t.value_unit_day,
        TimeUnit::Week => t.value_unit_week,
    }
}

fn segment_label(t: &'static Texts, s: RfmSegment) -> &'static str {
    match s {
        RfmSegment::Champions => t.rfm_champions,
        RfmSegment::Loyal => t.rfm_loyal,
        RfmSegment::PotentialLoyalist => t.rfm_potential_loyalist,
        RfmSegment::New => t.rfm_new,
        RfmSegment::Promising => t.rfm_promising,
        RfmSegment::NeedAttention => t.rfm_need_attention,
        RfmSegment::AboutToSleep => t.rfm_about_to_sleep,
        RfmSegment::AtRisk => t.rfm_at_risk,
        RfmSegment::CantLose => t.rfm_cant_lose,
        RfmSegment::Hibernating => t.rfm_hibernating,
        RfmSegment::Lost => t.rfm_lost,
    }
}

fn quadrant_label(t: &Texts, q: ValueQuadrant) -> &'static str {
    match q {
        ValueQuadrant::Gold => t.quadrant_gold,
        ValueQuadrant::Star => t.quadrant_star,
        ValueQuadrant::Problem => t.quadrant_problem,
        ValueQuadrant::Dog => t.quadrant_dog,
    }
}

fn quadrant_advice(t: &Texts, q: ValueQuadrant) -> &'static str {
    match q {
        ValueQuadrant::Gold => t.quadrant_gold_advice,
        ValueQuadrant::Star => t.quadrant_star_advice,
        ValueQuadrant::Problem => t.quadrant_problem_advice,
        ValueQuadrant::Dog => t.quadrant_dog_advice,
    }
}

fn grade_label(t: &Texts, g: Grade) -> &'static str {
    match g {
        Grade::Special => t.grade_special,
        Grade::A => "A",
        Grade::B => "B",
        Grade::C => "C",
    }
}

fn stage_label(t: &Texts, s: Stage) -> &'static str {
    match s {
        Stage::Exploration => t.stage_exploration,
        Stage::Development => t.stage_development,
        Stage::Stable => t.stage_stable,
        Stage::Decline => t.stage_decline,
        Stage::Lost => t.stage_lost,
    }
}

fn stage_reason(t: &Texts, r: &StageReason) -> String {
    match *r {
        StageReason::Terminated => t.reason_terminated.into(),
        StageReason::NeverPurchased => t.reason_never_purchased.into(),
        StageReason::NoPurchaseFor { days } => fill(t.reason_no_purchase_for, &[("days", &days)]),
        StageReason::FirstPurchaseRecent { days } => fill(t.reason_first_purchase, &[("days", &days)]),
        StageReason::Overdue { days, usual_interval } => {
            fill(t.reason_overdue, &[("days", &days), ("usual", &format::number(usual_interval, 0))])
        }
        StageReason::Falling { change } => fill(t.reason_falling, &[("pct", &format::number(-change * 100.0, 0))]),
        StageReason::Growing { change: Some(change) } => fill(t.reason_growing, &[("pct", &format::number(change * 100.0, 0))]),
        StageReason::Growing { change: None } => t.reason_growing_from_zero.into(),
        StageReason::Steady => t.reason_steady.into(),
    }
}

fn review_reason(t: &Texts, lang: Language, r: &ReviewReason) -> String {
    match r {
        ReviewReason::Unprofitable { profit } => fill(t.review_unprofitable, &[("profit", &format::money(*profit))]),
        ReviewReason::CreditRisk { rating } => fill(t.review_credit, &[("rating", &rating.label(lang))]),
        ReviewReason::OrdersToZero { previous } => fill(t.review_orders_to_zero, &[("previous", &format::money(*previous))]),
        ReviewReason::Bankruptcy => t.review_bankruptcy.into(),
        ReviewReason::MovedOut => t.review_moved_out.into(),
        ReviewReason::LegalProhibition => t.review_legal.into(),
    }
}

fn fit_error(t: &Texts, e: &FitError) -> String {
    match e {
        FitError::TooFewRepeatBuyers { model, found, needed } => {
            fill(t.fit_too_few, &[("model", model), ("found", found), ("needed", needed)])
        }
        FitError::InvalidRow { row, why } => fill(t.fit_invalid_row, &[("row", &(row + 1)), ("why", why)]),
        FitError::NoConvergence { model, iterations, gradient_norm } => fill(
            t.fit_no_convergence,
            &[("model", model), ("iterations", iterations), ("norm", &format!("{gradient_norm:.2e}"))],
        ),
        FitError::Diverged { model, parameter, value } => {
            fill(t.fit_diverged, &[("model", model), ("parameter", parameter), ("value", &format!("{value:.3e}"))])
        }
        FitError::Unusable(why) => fill(t.fit_unusable, &[("why", why)]),
    }
}

/// Column headers of the CSV export (and of the table, where shown).
fn csv_headers(t: &Texts) -> Vec<&'static str> {
    vec![
        t.vcol_id,
        t.vcol_name,
        t.vcol_revenue,
        t.vcol_profit,
        t.vcol_metric,
        t.vcol_abc,
        t.vcol_share_before,
        t.vcol_recency,
        t.vcol_frequency,
        t.vcol_monetary,
        t.vcol_rfm,
        t.vcol_segment,
        t.vcol_x,
        t.vcol_t_x,
        t.vcol_t,
        t.vcol_repeat_mean,
        t.vcol_p_alive,
        t.vcol_expected,
        t.vcol_expected_spend,
        t.vcol_clv,
        t.vcol_quadrant,
        t.vcol_grade,
        t.vcol_stage,
        t.vcol_stage_reason,
        t.vcol_review,
    ]
}

/// One customer's CSV row (plain numbers, so Excel reads them as numbers).
fn csv_row(t: &Texts, lang: Language, c: &clientscope_core::value::CustomerValue, customer: Option<&Customer>) -> Vec<String> {
    let o = |v: Option<f64>| v.map(|v| format!("{v:.6}")).unwrap_or_default();
    let rfm = c.rfm.as_ref();
    vec![
        c.id.clone(),
        customer.map(|c| c.name.clone()).unwrap_or_default(),
        format!("{:.2}", c.revenue),
        format!("{:.2}", c.profit),
        format!("{:.2}", c.metric),
        c.abc.as_str().to_string(),
        format!("{:.6}", c.abc_share_before),
        rfm.map(|r| r.recency_days.to_string()).unwrap_or_default(),
        rfm.map(|r| r.frequency.to_string()).unwrap_or_default(),
        rfm.map(|r| format!("{:.2}", r.monetary)).unwrap_or_default(),
        rfm.map(|r| r.code.clone()).unwrap_or_default(),
        rfm.map(|r| segment_label(crate::i18n::texts(lang), r.segment).to_string()).unwrap_or_default(),
        c.x.to_string(),
        format!("{:.4}", c.t_x),
        format!("{:.4}", c.t),
        format!("{:.2}", c.repeat_mean),
        o(c.p_alive),
        o(c.expected_purchases),
        o(c.expected_spend),
        o(c.clv),
        quadrant_label(t, c.value_quadrant).to_string(),
        grade_label(t, c.grade).to_string(),
        stage_label(t, c.stage).to_string(),
        stage_reason(t, &c.stage_reason),
        c.review.iter().map(|r| review_reason(t, lang, r)).collect::<Vec<_>>().join("; "),
    ]
}

/// A chart card of this page: PNG named after the as-of date.
#[component]
fn ChartCard(
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
fn Results(
    r: Arc<ValueReport>,
    used: RwSignal<Arc<Vec<Customer>>>,
    page: RwSignal<usize>,
    export_csv: Callback<()>,
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

    let list = move |entries: Vec<ListEntry>, testid: &'static str| {
        let t = app.t();
        let total = entries.len();
        view! {
            <p class="muted">{fill(t.value_list_count, &[("n", &format::number(total as f64, 0)), ("shown", &total.min(LIST_ROWS))])}</p>
            <TableCsvButton testid=testid name=Signal::derive(move || format!("clientscope-{testid}-{}", as_of_name.get())) />
            <div class="table-wrap">
                <table class="table" data-testid=testid>
                    <thead><tr><th>{t.vcol_customer}</th><th>{t.vcol_stage_reason}</th><th class="num">{t.vcol_value}</th><th class="num">{t.vcol_p_alive}</th></tr></thead>
                    <tbody>
                        {entries.into_iter().take(LIST_ROWS).map(|e| view! {
                            <tr>
                                <td>{link(e.index, &e.id)}</td>
                                <td>{stage_reason(t, &e.reason)}</td>
                                <td class="num">{format::money(e.value)}</td>
                                <td class="num">{opt(e.p_alive, 3)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };

    let n = r.customers.len();
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
<table class="table" data-testid="abc-table">
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
                                rep.with_value(|r| { let _ = vcharts::draw_pareto(area, r, metric_label(t, r.params.metric), t.chart_customers_ranked, px); });
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
                            draw=move |area, px| {
                                let t = app.t();
                                rep.with_value(|r| { let _ = vcharts::draw_rf_heat(area, &r.rfm.heat, t.chart_r_score, t.chart_f_score, px); });
                            } />
                    </ChartCard>
                </div>
                <RfmBins rep=rep />
                <TableCsvButton testid="rfm-segment-table" name=Signal::derive(move || format!("clientscope-rfm-segment-table-{}", as_of_name.get())) />
<table class="table" data-testid="rfm-segment-table">
                    <thead><tr><th>{move || app.t().vcol_segment}</th><th class="num">{move || app.t().value_col_count}</th></tr></thead>
                    <tbody>
                        {move || { let t = app.t(); rep.with_value(|r| r.rfm.segment_counts.iter().map(|&(s, c)| view! {
                            <tr><td>{segment_label(t, s)}</td><td class="num">{format::number(c as f64, 0)}</td></tr>
                        }).collect_view()) }}
                    </tbody>
                </table>
            </div>

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
                            Err(e) => view! { <p class="warn" data-testid="fit-bgnbd-error">{fit_error(t, e)}</p> }.into_any(),
                            Ok(f) => {
                                let se = f.std_errors;
                                let rows = [
                                    ("r", f.params.r, se.map(|s| s.r)),
                                    ("α", f.params.alpha, se.map(|s| s.alpha)),
                                    ("a", f.params.a, se.map(|s| s.a)),
                                    ("b", f.params.b, se.map(|s| s.b)),
                                ];
                                view! {
                                    <table class="table">
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
                            Err(e) => view! { <p class="warn" data-testid="fit-gg-error">{fit_error(t, e)}</p> }.into_any(),
                            Ok(f) => {
                                let se = f.std_errors;
                                let rows = [
                                    ("p", f.params.p, se.map(|s| s.p)),
                                    ("q", f.params.q, se.map(|s| s.q)),
                                    ("γ", f.params.gamma, se.map(|s| s.gamma)),
                                ];
                                view! {
                                    <table class="table">
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

            // Value matrix
            <div class="card">
                <h2>{move || app.t().value_matrix_title}</h2>
                <div class="value-grid">
                    <div>
                        <TableCsvButton testid="matrix-table" name=Signal::derive(move || format!("clientscope-matrix-table-{}", as_of_name.get())) />
<table class="table" data-testid="matrix-table">
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
                                        let coord = vcharts::draw_value_matrix(area, r, metric_label(t, r.params.metric), y, px).ok().flatten();
                                        matrix_coord.set_value(coord);
                                    });
                                } />
                        </div>
                    </ChartCard>
                </div>
            </div>

            <RelationshipCard rep=rep used=used as_of_name=as_of_name />

            // Grades and stages
            <div class="card">
                <div class="value-grid">
                    <div>
                        <h2>{move || app.t().value_grades_title}</h2>
                        <TableCsvButton testid="grade-table" name=Signal::derive(move || format!("clientscope-grade-table-{}", as_of_name.get())) />
<table class="table" data-testid="grade-table">
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
<table class="table" data-testid="stage-table">
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

            // Lists
            <div class="card">
                <h2>{move || app.t().value_warning_title}</h2>
                {move || list(rep.with_value(|r| r.warning.clone()), "list-warning")}
            </div>
            <div class="card">
                <h2>{move || app.t().value_win_back_title}</h2>
                {move || list(rep.with_value(|r| r.win_back.clone()), "list-win-back")}
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
                            <div class="table-wrap">
                                <TableCsvButton testid="list-review" name=Signal::derive(move || format!("clientscope-list-review-{}", as_of_name.get())) />
<table class="table" data-testid="list-review">
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

            // Per customer
            <div class="card">
                <div class="page-head">
                    <h2>{move || app.t().value_customers_title}</h2>
                    <button data-testid="value-export-csv" on:click=move |_| export_csv.run(())>{move || app.t().value_export_csv}</button>
                </div>
                <div class="table-wrap">
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
        </div>
    }
}

/// CSS colour of a quadrant (matches the scatter).
fn dot_colour(q: ValueQuadrant) -> String {
    let c = vcharts::quadrant_colour(q);
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// The RFM scoring rule and the editable R × FM segment grid.
#[component]
fn RfmEditor(draft: RwSignal<ValueParams>, set: Callback<Edit>, bad: RwSignal<Option<String>>) -> impl IntoView {
    let app = use_app();
    let fixed = move || draft.with(|p| matches!(p.rfm.scoring, RfmScoring::Fixed { .. }));
    let cuts_input = move |label: fn(&Texts) -> &'static str, testid: &'static str, which: usize| {
        view! {
            <label class="field">
                <span>{move || label(app.t())}</span>
                <input type="text" inputmode="decimal" data-testid=testid
                    prop:value=move || draft.with(|p| match p.rfm.scoring {
                        RfmScoring::Fixed { r, f, m } => [r, f, m][which].iter().map(|v| plain(*v)).collect::<Vec<_>>().join(", "),
                        RfmScoring::Quintiles => String::new(),
                    })
                    on:change=move |ev| {
                        let parsed: Vec<f64> = event_target_value(&ev)
                            .split([',', '，', ' ', ';', '；'])
                            .filter(|p| !p.trim().is_empty())
                            .filter_map(|p| p.trim().parse::<f64>().ok())
                            .collect();
                        let ok = parsed.len() == 4 && parsed.iter().all(|v| v.is_finite()) && parsed.windows(2).all(|w| w[0] < w[1]);
                        if !ok {
                            bad.set(Some(fill(app.t_untracked().value_rfm_cuts_bad, &[("field", &label(app.t_untracked()))])));
                            return;
                        }
                        bad.set(None);
                        let cuts = [parsed[0], parsed[1], parsed[2], parsed[3]];
                        set.run(Arc::new(move |p| {
                            if let RfmScoring::Fixed { r, f, m } = &mut p.rfm.scoring {
                                *[r, f, m][which] = cuts;
                            }
                        }));
                    } />
            </label>
        }
    };
    view! {
        <details class="rfm-editor" data-testid="rfm-editor">
            <summary>{move || app.t().value_rfm_scoring}" · "{move || app.t().value_rfm_grid}</summary>
            <div class="form-grid value-form">
                <label class="field">
                    <span>{move || app.t().value_rfm_scoring}</span>
                    <select data-testid="rfm-scoring"
                        prop:value=move || if fixed() { "fixed" } else { "quintiles" }
                        on:change=move |ev| {
                            let s = if event_target_value(&ev) == "fixed" { RfmScoring::suggested_fixed() } else { RfmScoring::Quintiles };
                            set.run(Arc::new(move |p| p.rfm.scoring = s));
                        }>
                        <option value="quintiles">{move || app.t().value_rfm_quintiles}</option>
                        <option value="fixed">{move || app.t().value_rfm_fixed}</option>
                    </select>
                </label>
                <Show when=fixed>
                    {cuts_input(|t| t.value_rfm_r_cuts, "rfm-r-cuts", 0)}
                    {cuts_input(|t| t.value_rfm_f_cuts, "rfm-f-cuts", 1)}
                    {cuts_input(|t| t.value_rfm_m_cuts, "rfm-m-cuts", 2)}
                </Show>
            </div>
            <p class="muted">{move || app.t().value_rfm_grid_hint}</p>
            <div class="table-wrap">
                <table class="table rfm-grid" data-testid="rfm-grid">
                    <thead><tr><th>"R \\ FM"</th>{(1..=5).map(|fm| view! { <th>{fm}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {(1..=5_usize).rev().map(|r| view! {
                            <tr>
                                <th>{r}</th>
                                {(1..=5_usize).map(|fm| view! {
                                    <td>
                                        <select data-testid=format!("rfm-cell-{r}{fm}")
                                            prop:value=move || draft.with(|p| p.rfm.grid.cells[r - 1][fm - 1].code().to_string())
                                            on:change=move |ev| {
                                                let code = event_target_value(&ev);
                                                if let Some(seg) = RfmSegment::ALL.iter().copied().find(|s| s.code() == code) {
                                                    set.run(Arc::new(move |p| p.rfm.grid.cells[r - 1][fm - 1] = seg));
                                                }
                                            }>
                                            {move || { let t = app.t(); RfmSegment::ALL.iter().map(|&s| view! { <option value=s.code()>{segment_label(t, s)}</option> }).collect_view() }}
                                        </select>
                                    </td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <button class="ghost small" data-testid="rfm-grid-reset"
                on:click=move |_| set.run(Arc::new(|p| p.rfm.grid = Default::default()))>{move || app.t().value_rfm_reset_grid}</button>
        </details>
    }
}

/// The value range of each RFM score, as computed.
#[component]
fn RfmBins(rep: StoredValue<Arc<ValueReport>>) -> impl IntoView {
    let app = use_app();
    let range = |b: Option<(f64, f64)>, decimals: usize| match b {
        Some((lo, hi)) if lo == hi => format::number(lo, decimals),
        Some((lo, hi)) => format!("{} – {}", format::number(lo, decimals), format::number(hi, decimals)),
        None => "—".into(),
    };
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="rfm-bins">
                <caption>{move || app.t().value_rfm_bins}</caption>
                <thead><tr><th>{move || app.t().value_rfm_score}</th><th>"R"</th><th>"F"</th><th>"M"</th></tr></thead>
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

/// Frequency/recency matrices of the fit and the calibration / holdout check.
#[component]
fn ModelChecks(rep: StoredValue<Arc<ValueReport>>, as_of_name: Signal<String>) -> impl IntoView {
    let app = use_app();
    let fr = StoredValue::new(rep.with_value(|r| r.frequency_recency(16)));
    let as_of = rep.with_value(|r| r.params.as_of);
    let split = RwSignal::new(as_of - chrono::Days::new(182));
    let result: RwSignal<Option<Arc<CalibrationReport>>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    let run = move |_| {
        let t = app.t_untracked();
        let (unit, fit_params) = rep.with_value(|r| (r.params.unit, r.params.bgnbd));
        let params = CalibrationParams { split: split.get_untracked(), end: as_of, unit, max_x: 7 };
        let (valid, fit_valid) = match (params.check(), fit_params.check()) {
            (Ok(v), Ok(f)) => (v, f),
            (Err(e), _) | (_, Err(e)) => {
                error.set(Some(fill(t.value_invalid, &[("why", &e)])));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            app.begin(t.value_holdout_running);
            state::yield_now().await;
            state::lines_ready(app).await;
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
                    error.try_set(Some(fill(t.value_invalid, &[("why", &e)])));
                }
            }
        });
    };
    view! {
        <div class="card" data-testid="value-checks">
            <h2>{move || app.t().value_checks_title}</h2>
            {move || match fr.get_value() {
                None => view! { <p class="muted">{rep.with_value(|r| r.bgnbd.as_ref().err().map(|e| fit_error(app.t(), e)).unwrap_or_default())}</p> }.into_any(),
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
            {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="holdout-error">{e}</p> })}
            {move || result.get().map(|r| {
                let t = app.t();
                let r = StoredValue::new(r);
                let summary = r.with_value(|r| {
                    let diff = if r.actual_total > 0.0 { pct(r.predicted_total / r.actual_total - 1.0) } else { "—".into() };
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
                    Err(e) => fit_error(t, e),
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
                            <TableCsvButton testid="holdout-table" name=Signal::derive(move || format!("clientscope-holdout-table-{}", as_of_name.get())) />
<table class="table" data-testid="holdout-table">
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
                }
            })}
        </div>
    }
}

fn relationship_label(t: &Texts, k: RelationshipType) -> &'static str {
    match k {
        RelationshipType::StrategicPartner => t.rel_partner,
        RelationshipType::OrdinaryFriend => t.rel_friend,
        RelationshipType::Competitor => t.rel_competitor,
        RelationshipType::Transactional => t.rel_transactional,
    }
}

/// The relationship-type matrix: counts and revenue per type, the bubble chart, and the
/// customers of the clicked cell.
#[component]
fn RelationshipCard(rep: StoredValue<Arc<ValueReport>>, used: RwSignal<Arc<Vec<Customer>>>, as_of_name: Signal<String>) -> impl IntoView {
    let app = use_app();
    let coord = StoredValue::new(None::<vcharts::RelationshipCoord>);
    let picked = RwSignal::new(None::<usize>);
    view! {
        <div class="card" data-testid="value-relationship">
            <h2>{move || app.t().value_relationship_title}</h2>
            <div class="value-grid">
                <div>
                    <TableCsvButton testid="relationship-table" name=Signal::derive(move || format!("clientscope-relationship-table-{}", as_of_name.get())) />
<table class="table" data-testid="relationship-table">
                        <thead><tr>
                            <th>{move || app.t().value_relationship_title}</th>
                            <th class="num">{move || app.t().value_col_count}</th>
                            <th class="num">{move || app.t().value_col_revenue}</th>
                        </tr></thead>
                        <tbody>
                            {move || { let t = app.t(); rep.with_value(|r| RelationshipType::ALL.iter().enumerate().map(|(k, &kind)| {
                                let c = vcharts::relationship_colour(kind);
                                view! {
                                    <tr>
                                        <td><span class="dot" style:background=format!("rgb({},{},{})", c.0, c.1, c.2)></span>{relationship_label(t, kind)}</td>
                                        <td class="num">{format::number(r.relationship_matrix.counts[k] as f64, 0)}</td>
                                        <td class="num">{format::money(r.relationship_matrix.revenue[k])}</td>
                                    </tr>
                                }
                            }).collect_view()) }}
                        </tbody>
                    </table>
                    <p class="muted">{move || rep.with_value(|r| fill(app.t().value_relationship_unscored, &[("n", &format::number(r.relationship_matrix.unscored as f64, 0))]))}</p>
                </div>
                <ChartCard title=Signal::derive(move || app.t().chart_relationship.to_string()) testid="chart-relationship" as_of=as_of_name>
                    <div class="clickable" on:click=move |ev: leptos::ev::MouseEvent| {
                        let Some(canvas) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else { return };
                        let scale = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
                        let at = ((f64::from(ev.offset_x()) * scale) as i32, (f64::from(ev.offset_y()) * scale) as i32);
                        let hit = coord.with_value(|c| c.as_ref().and_then(|c| rep.with_value(|r| vcharts::relationship_hit(&r.relationship_matrix, c, at, (30.0 * scale) as i32))));
                        picked.set(hit);
                    }>
                        <Chart label=Signal::derive(move || app.t().chart_relationship.to_string()) testid="chart-relationship" height=320
                            draw=move |area, px| {
                                let t = app.t();
                                rep.with_value(|r| coord.set_value(vcharts::draw_relationship(area, &r.relationship_matrix, [t.rel_partner, t.rel_friend, t.rel_competitor, t.rel_transactional], t.chart_common_interest, t.chart_relationship_value, px).ok().flatten()));
                            } />
                    </div>
                </ChartCard>
            </div>
            {move || picked.get().and_then(|k| rep.with_value(|r| r.relationship_matrix.cells.get(k).cloned())).map(|cell| {
                let t = app.t();
                view! {
                    <div data-testid="relationship-cell">
                        <h3>{fill(t.value_relationship_cell, &[("ci", &cell.common_interest), ("rv", &cell.relationship_value), ("kind", &relationship_label(t, cell.kind)), ("n", &cell.customers.len())])}</h3>
                        <ul class="link-list">
                            {cell.customers.iter().take(LIST_ROWS).map(|&i| {
                                let (id, name) = used.with(|cs| cs.get(i).map(|c| (c.id.clone(), c.name.clone())).unwrap_or_default());
                                let href = Route::Customer(id.clone()).href();
                                view! { <li><a href=href>{if name.is_empty() { id } else { name }}</a></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })}
        </div>
    }
}

/// The value parameters the value page remembers (as-of date today unless the user pinned
/// one).
pub fn remembered_params(app: crate::state::AppState) -> ValueParams {
    let today = chrono::Local::now().date_naive();
    let saved: Option<Saved> = app
        .settings
        .with_untracked(|s| s.pages.get(SETTINGS_KEY).cloned())
        .and_then(|v| serde_json::from_value(v).ok());
    match saved {
        Some(s) => ValueParams { as_of: s.as_of.unwrap_or(today), ..s.params },
        None => ValueParams::new(today),
    }
}

/// Two analyses (now and one period earlier) with the records they were computed on.
type PairResult = (ValueParams, Arc<ValueReport>, Arc<ValueReport>, Arc<Vec<Customer>>, Arc<OrderTable>);

thread_local! {
    /// The last pair of analyses for the customer pages, reused while the parameters and
    /// the records are the same (opening one customer after another costs nothing).
    static PAIR: std::cell::RefCell<Option<PairResult>> = const { std::cell::RefCell::new(None) };
}

/// One customer's value now and in the previous period (SPEC §3), with the parameters of
/// the value page. Runs the analyses in the background on first use.
#[component]
pub fn CustomerValueCard(id: String) -> impl IntoView {
    let app = use_app();
    let params = remembered_params(app);
    let customers = app.data.customers.get_untracked();
    let orders = app.data.orders.get_untracked();
    let cached = PAIR.with(|p| {
        p.borrow().as_ref().filter(|(pp, _, _, c, o)| *pp == params && Arc::ptr_eq(c, &customers) && Arc::ptr_eq(o, &orders)).map(|(_, now, prev, _, _)| (now.clone(), prev.clone()))
    });
    let pair: RwSignal<Option<(Arc<ValueReport>, Arc<ValueReport>)>> = RwSignal::new(cached.clone());
    let error = RwSignal::new(None::<String>);
    if cached.is_none() {
        let params = params.clone();
        leptos::task::spawn_local(async move {
            state::yield_now().await;
            let t = app.t_untracked();
            let result = crate::jobs::value_pair(app, &params).await;
            match result {
                Ok((now, prev, (customers, orders))) => {
                    let (now, prev) = (Arc::new(now), Arc::new(prev));
                    PAIR.with(|p| *p.borrow_mut() = Some((params, now.clone(), prev.clone(), customers, orders)));
                    pair.try_set(Some((now, prev)));
                }
                // Replaced by a job the user started; the card is computed again when
                // the customer page is opened again.
                Err(crate::jobs::JobError::Cancelled) => {}
                Err(e) => {
                    error.try_set(Some(fill(t.value_invalid, &[("why", &e)])));
                }
            }
        });
    }
    let id = StoredValue::new(id);
    view! {
        <div data-testid="customer-value">
            <div class="page-head">
                <h2>{move || app.t().cust_value_title}</h2>
                <a class="button ghost small" href=Route::Value.href()>{move || app.t().cust_value_open}</a>
            </div>
            {move || error.get().map(|e| view! { <p class="error-box">{e}</p> })}
            {move || match pair.get() {
                None => view! { <p class="muted" data-testid="customer-value-computing">{app.t().cust_value_computing}</p> }.into_any(),
                Some((now, prev)) => {
                    let t = app.t();
                    let i = id.with_value(|id| now.customers.iter().position(|c| &c.id == id));
                    let Some(i) = i else { return view! { <p class="muted">"—"</p> }.into_any() };
                    let cur = &now.customers[i];
                    let before = id.with_value(|id| prev.customers.iter().find(|c| &c.id == id));
                    let ch = change::compare(cur, before);
                    let known = before.is_some();
                    let shift = |p: Option<String>, c: String, changed: bool| (p.unwrap_or_else(|| t.cust_value_new.to_string()), c, if changed { t.cust_value_changed.to_string() } else { String::new() });
                    let num = |d: change::Delta, decimals: usize, is_pct: bool| {
                        let f = |v: Option<f64>| match v { Some(v) if is_pct => pct(v), Some(v) => format::number(v, decimals), None => "—".into() };
                        let delta = match d.change() {
                            Some(c) if is_pct => format!("{}{}", if c >= 0.0 { "+" } else { "" }, pct(c)),
                            Some(c) => format!("{}{}", if c >= 0.0 { "+" } else { "" }, format::number(c, decimals)),
                            None => String::new(),
                        };
                        (if known { f(d.previous) } else { t.cust_value_new.to_string() }, f(d.current), delta)
                    };
                    let rows: Vec<(&'static str, (String, String, String))> = vec![
                        (metric_label(t, now.params.metric), num(ch.metric, 0, false)),
                        (t.vcol_abc, shift(ch.abc.previous.map(|c| c.as_str().to_string()), ch.abc.current.as_str().to_string(), ch.abc.changed())),
                        (t.vcol_rfm, shift(ch.rfm_code.previous.clone().map(|c| c.unwrap_or_else(|| "—".into())), ch.rfm_code.current.clone().unwrap_or_else(|| "—".into()), ch.rfm_code.changed())),
                        (t.vcol_segment, shift(before.map(|b| b.rfm.as_ref().map(|r| segment_label(t, r.segment).to_string()).unwrap_or_else(|| "—".into())), cur.rfm.as_ref().map(|r| segment_label(t, r.segment).to_string()).unwrap_or_else(|| "—".into()), false)),
                        (t.vcol_grade, shift(ch.grade.previous.map(|g| grade_label(t, g).to_string()), grade_label(t, ch.grade.current).to_string(), ch.grade.changed())),
                        (t.vcol_stage, shift(ch.stage.previous.map(|s| stage_label(t, s).to_string()), stage_label(t, ch.stage.current).to_string(), ch.stage.changed())),
                        (t.vcol_quadrant, shift(ch.quadrant.previous.map(|q| quadrant_label(t, q).to_string()), quadrant_label(t, ch.quadrant.current).to_string(), ch.quadrant.changed())),
                        (t.vcol_p_alive, num(ch.p_alive, 3, true)),
                        (t.vcol_clv, num(ch.clv, 0, false)),
                    ];
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="customer-value-table">
                                <thead><tr>
                                    <th></th>
                                    <th>{fill(t.cust_value_prev, &[("date", &prev.params.as_of)])}</th>
                                    <th>{fill(t.cust_value_now, &[("date", &now.params.as_of)])}</th>
                                    <th>{t.cust_value_change}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|(label, (p, c, d))| view! {
                                        <tr><th>{label}</th><td>{p}</td><td><strong>{c}</strong></td><td class="muted">{d}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="muted small">{stage_reason(t, &cur.stage_reason)}</p>
                        <p class="muted small">{fill(t.cust_value_basis, &[("stated", &stated(t, &now.params))])}</p>
                    }.into_any()
                }
            }}
        </div>
    }
}
