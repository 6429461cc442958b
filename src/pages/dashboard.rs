//! The dashboards of the Overview (SPEC §8): the company view for a period and one scope
//! (all, one account manager, one region) against the previous period, and the
//! account-manager scorecard. The figures are the core's (`clientscope_core::dashboard`),
//! computed in the worker with the value analysis; this page binds the choices, which
//! live in the address (`#/overview?from=…&to=…&owner=…` or `&region=…`) so a filtered
//! dashboard can be bookmarked, reloaded and printed. Every tile opens the list behind
//! it (`AppState::pick`). Nothing is computed at start: the page computes when asked, or
//! when the address names a period (someone opened a bookmarked dashboard).

use crate::components::format;
use crate::i18n::dashboard::{metric_label, texts, DashTexts};
use crate::i18n::{fill, Label};
use crate::route::Route;
use crate::state::{self, use_app, AppState, Pick};
use crate::worker::protocol::DashboardJob;
use clientscope_core::dashboard::{
    ClassTile, DashboardFilter, DashboardParams, DashboardReport, ListKind, ListRef, ScoreMetric, ScoreWeights, ScorecardReport, Tile,
};
use clientscope_core::model::{Date, Region};
use clientscope_core::satisfaction::analysis::is_blank;
use chrono::Datelike;
use leptos::prelude::*;
use std::sync::Arc;

/// Key of the remembered weights in `settings.pages`.
const SETTINGS_KEY: &str = "dashboard";

/// The choices of the page (the address holds period and scope; the weights are
/// remembered in the settings).
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    from: Date,
    to: Date,
    filter: DashboardFilter,
}

/// The last report with what it was computed for, kept while the app runs (going to a
/// list and back shows it again at once).
type Last = (Choice, Arc<Vec<clientscope_core::model::Customer>>, Arc<clientscope_core::orders::OrderTable>, Arc<DashboardReport>);

thread_local! {
    static LAST: std::cell::RefCell<Option<Last>> = const { std::cell::RefCell::new(None) };
}

/// The query part of the address (`a=1&b=2` after the `?` of the hash), decoded.
fn query() -> Vec<(String, String)> {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let Some((_, q)) = hash.split_once('?') else { return Vec::new() };
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), js_sys::decode_uri_component(&v.replace('+', " ")).ok().and_then(|s| s.as_string()).unwrap_or_default()))
        .collect()
}

/// Writes the choice into the address without a navigation.
fn write_query(c: &Choice) {
    let enc = |s: &str| js_sys::encode_uri_component(s).as_string().unwrap_or_default();
    let mut q = format!("from={}&to={}", c.from, c.to);
    match &c.filter {
        DashboardFilter::All => {}
        DashboardFilter::Owner(o) => q.push_str(&format!("&owner={}", enc(o))),
        DashboardFilter::Region(r) => q.push_str(&format!("&region={}", region_code(*r))),
    }
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{}?{q}", Route::Overview.href())));
    }
}

fn region_code(r: Region) -> String {
    serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The period presets, from today.
fn preset(key: &str, today: Date) -> Option<(Date, Date)> {
    let month_start = today.with_day(1)?;
    Some(match key {
        "month" => (month_start, today),
        "last_month" => {
            let end = month_start.pred_opt()?;
            (end.with_day(1)?, end)
        }
        "d30" => (today - chrono::Duration::days(29), today),
        "quarter" => (Date::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?, today),
        "year" => (Date::from_ymd_opt(today.year(), 1, 1)?, today),
        _ => return None,
    })
}

/// The choice the address names, else this month for everyone; `true` when the address
/// named a period.
fn initial(today: Date) -> (Choice, bool) {
    let q = query();
    let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let from = get("from").and_then(|s| s.parse().ok());
    let to = get("to").and_then(|s| s.parse().ok());
    let filter = if let Some(o) = get("owner").filter(|o| !o.trim().is_empty()) {
        DashboardFilter::Owner(o)
    } else if let Some(r) = get("region").and_then(|r| Region::ALL.into_iter().find(|x| region_code(*x) == r)) {
        DashboardFilter::Region(r)
    } else {
        DashboardFilter::All
    };
    let (dfrom, dto) = preset("month", today).unwrap_or((today, today));
    match (from, to) {
        (Some(from), Some(to)) => (Choice { from, to, filter }, true),
        _ => (Choice { from: dfrom, to: dto, filter }, false),
    }
}

/// The remembered weights (defaults: CSI highest).
fn remembered_weights(app: AppState) -> ScoreWeights {
    app.settings.with_untracked(|s| s.pages.get(SETTINGS_KEY).and_then(|v| v.get("weights").cloned())).and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
}

/// The remembered visit target: visits per active customer per month (the core's default, 1).
fn remembered_visit_rate(app: AppState) -> f64 {
    app.settings
        .with_untracked(|s| s.pages.get(SETTINGS_KEY).and_then(|v| v.get("visit_rate")).and_then(|v| v.as_f64()))
        .unwrap_or_else(|| DashboardParams::new(Date::MIN, Date::MIN, crate::clock::now()).visits_per_customer_month)
}

/// Remembers the scorecard's weights and visit target in the settings.
fn remember(app: AppState, weights: &ScoreWeights, visit_rate: f64) {
    let v = serde_json::json!({ "weights": weights, "visit_rate": visit_rate });
    app.update_settings(|s| {
        s.pages.insert(SETTINGS_KEY.to_string(), v);
    });
}

/// The dashboard's parameters for a choice.
fn params(c: &Choice, weights: ScoreWeights, visit_rate: f64) -> DashboardParams {
    let mut p = DashboardParams::new(c.from, c.to, crate::clock::now());
    p.filter = c.filter.clone();
    p.weights = weights;
    p.visits_per_customer_month = visit_rate;
    p
}

/// The survey whose CSI the page shows: the one with the most answered responses.
fn survey_and_responses(app: AppState) -> (Option<clientscope_core::model::Survey>, Vec<clientscope_core::model::SurveyResponse>) {
    let responses = app.data.responses.get_untracked();
    let best = app.data.surveys.with_untracked(|surveys| {
        surveys
            .iter()
            .max_by_key(|s| responses.iter().filter(|r| r.survey_id == s.id && !is_blank(r)).count())
            .cloned()
    });
    match best {
        Some(s) => {
            let mine = responses.iter().filter(|r| r.survey_id == s.id).cloned().collect();
            (Some(s), mine)
        }
        None => (None, Vec::new()),
    }
}

/// Opens the list behind a tile.
fn open(app: AppState, label: String, list: &ListRef) {
    app.pick.set(Some(Pick::new(label, list)));
    let route = match list.kind {
        ListKind::Customers => Route::Customers,
        ListKind::Complaints => Route::Complaints,
        ListKind::Interactions => Route::Visits,
        ListKind::Responses => Route::Satisfaction,
    };
    app.go(&route);
}

/// "Before 12" or "No previous figure".
fn previous_text(t: &DashTexts, v: Option<String>) -> String {
    match v {
        Some(v) => fill(t.previous, &[("v", &v)]),
        None => t.no_previous.to_string(),
    }
}

/// Which way a figure is better: more (revenue, CSI, visits done), less (overdue
/// complaints, decline warnings) or neither (how customers spread over classes).
#[derive(Clone, Copy, PartialEq)]
enum Better {
    Up,
    Down,
    Neither,
}

/// The colour class of a change: good, bad or neutral.
fn tone(d: f64, better: Better) -> &'static str {
    match better {
        Better::Neither => "neutral",
        _ if d == 0.0 => "neutral",
        Better::Up if d > 0.0 => "good",
        Better::Down if d < 0.0 => "good",
        _ => "bad",
    }
}

/// The arrow and difference of a figure against the previous period, and its tone.
fn delta(now: f64, before: Option<f64>, decimals: usize, better: Better) -> (String, &'static str) {
    match before {
        Some(b) if (now - b).abs() > 1e-9 => {
            let d = now - b;
            (format!("{}{}", if d > 0.0 { "▲ +" } else { "▼ " }, format::number(d, decimals)), tone(d, better))
        }
        Some(_) => ("＝".to_string(), "neutral"),
        None => (String::new(), "neutral"),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{}%", format::number(x * 100.0, 1))).unwrap_or_else(|| "—".into())
}

/// One clickable count: its label, the count, the previous count and the change.
fn count_tile(app: AppState, testid: String, label: String, tile: &Tile, better: Better) -> impl IntoView {
    let t = texts(app.lang.get_untracked());
    let (d, dir) = delta(tile.count as f64, tile.previous.map(|p| p as f64), 0, better);
    let list = tile.list.clone();
    let pick_label = label.clone();
    view! {
        <button class="dash-tile" data-testid=testid data-count=tile.count.to_string() on:click=move |_| open(app, pick_label.clone(), &list)>
            <span class="dash-tile-label">{label}</span>
            <span class="dash-tile-value">{format::number(tile.count as f64, 0)}</span>
            <span class="dash-tile-prev muted small">{previous_text(t, tile.previous.map(|p| format::number(p as f64, 0)))}</span>
            <span class=format!("dash-delta {dir}")>{d}</span>
        </button>
    }
}

/// The rows of a class tile as count tiles.
fn class_tiles<K: Copy + 'static>(app: AppState, prefix: &'static str, tile: &ClassTile<K>, label: impl Fn(K) -> String, code: impl Fn(K) -> String) -> impl IntoView {
    let t = texts(app.lang.get_untracked());
    let mut out: Vec<AnyView> = tile
        .rows
        .iter()
        .map(|r| count_tile(app, format!("tile-{prefix}-{}", code(r.class)), label(r.class), &Tile { count: r.count, previous: r.previous, list: r.list.clone() }, Better::Neither).into_any())
        .collect();
    if !tile.unclassified.ids.is_empty() {
        let u = Tile { count: tile.unclassified.ids.len(), previous: tile.previous_unclassified, list: tile.unclassified.clone() };
        out.push(count_tile(app, format!("tile-{prefix}-unclassified"), t.unclassified.to_string(), &u, Better::Neither).into_any());
    }
    out
}

fn code<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The dashboards card of the Overview.
#[component]
pub fn Dashboards() -> impl IntoView {
    let app = use_app();
    // Back on the Overview, the lists show everything again.
    app.pick.set(None);
    let today = crate::pages::visits::shared::today(app);
    let (first, named) = initial(today);
    let choice = RwSignal::new(first.clone());
    let weights = RwSignal::new(remembered_weights(app));
    let visit_rate = RwSignal::new(remembered_visit_rate(app));
    let rate_error: RwSignal<Option<String>> = RwSignal::new(None);
    // Kept in both languages: shown in the language of the moment.
    let error: RwSignal<Option<clientscope_core::error::Bilingual>> = RwSignal::new(None);
    let cached = LAST.with(|l| l.borrow().as_ref().filter(|(c, ..)| *c == first).map(|(.., r)| r.clone()));
    let report: RwSignal<Option<Arc<DashboardReport>>> = RwSignal::new(cached.clone());
    let owners = Memo::new(move |_| app.data.customers.with(|c| clientscope_core::query::distinct_owners(c)));
    let preset_key = RwSignal::new(
        ["month", "last_month", "d30", "quarter", "year"]
            .into_iter()
            .find(|k| preset(k, today) == Some((first.from, first.to)))
            .unwrap_or("custom")
            .to_string(),
    );
    // The report shown is stale when the records or the choice differ from its own.
    let stale = Memo::new(move |_| {
        let c = choice.get();
        let customers = app.data.customers.get();
        let orders = app.data.orders.get();
        report.with(|r| r.is_some()) && !LAST.with(|l| l.borrow().as_ref().is_some_and(|(lc, lcu, lo, _)| *lc == c && Arc::ptr_eq(lcu, &customers) && Arc::ptr_eq(lo, &orders)))
    });

    let compute = move || {
        let t = texts(app.lang.get_untracked());
        let c = choice.get_untracked();
        let p = params(&c, weights.get_untracked(), visit_rate.get_untracked());
        if let Err(e) = p.check() {
            error.set(Some(clientscope_core::error::Localized::bilingual(&e)));
            return;
        }
        error.set(None);
        write_query(&c);
        leptos::task::spawn_local(async move {
            app.begin(t.computing);
            state::yield_now().await;
            let (survey, responses) = survey_and_responses(app);
            let visits = crate::pages::visits::shared::Page::new(app).params_or_default().params().clone();
            let job = app.settings.with_untracked(|s| DashboardJob {
                value: crate::pages::value::remembered_params(app),
                params: p,
                interactions: app.data.interactions.get_untracked().to_vec(),
                complaints: app.data.complaints.get_untracked().to_vec(),
                survey,
                responses,
                calendar: s.calendar.clone(),
                policy: s.complaints.policy.clone(),
                visits,
            });
            let result = crate::jobs::dashboard(app, job, move |done, total| app.progress(done, total)).await;
            app.end();
            match result {
                Ok(r) => {
                    let r = Arc::new(r);
                    LAST.with(|l| *l.borrow_mut() = Some((c, app.data.customers.get_untracked(), app.data.orders.get_untracked(), r.clone())));
                    report.try_set(Some(r));
                }
                Err(crate::jobs::JobError::Cancelled) => app.say(app.t_untracked().job_cancelled),
                Err(e) => {
                    error.try_set(Some(clientscope_core::error::Localized::bilingual(&e)));
                }
            }
        });
    };
    // A bookmarked dashboard (period in the address) computes once the lines are in.
    if named && cached.is_none() {
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || app.rest_loading.get() || !app.loaded.get() {
                return done.unwrap_or(false);
            }
            compute();
            true
        });
    }

    let set_preset = move |key: String| {
        preset_key.set(key.clone());
        if let Some((from, to)) = preset(&key, today) {
            choice.update(|c| {
                c.from = from;
                c.to = to;
            });
            write_query(&choice.get_untracked());
        }
    };
    let set_date = move |which: bool, v: String| match v.trim().parse::<Date>() {
        Ok(d) => {
            preset_key.set("custom".into());
            choice.update(|c| if which { c.from = d } else { c.to = d });
            error.set(None);
            write_query(&choice.get_untracked());
        }
        Err(_) => error.set(Some(clientscope_core::error::Bilingual::from_fn(|l| texts(l).bad_date.to_string()))),
    };
    let set_scope = move |v: String| {
        let filter = if let Some(o) = v.strip_prefix("owner:") {
            DashboardFilter::Owner(o.to_string())
        } else if let Some(r) = v.strip_prefix("region:").and_then(|r| Region::ALL.into_iter().find(|x| region_code(*x) == r)) {
            DashboardFilter::Region(r)
        } else {
            DashboardFilter::All
        };
        choice.update(|c| c.filter = filter);
        write_query(&choice.get_untracked());
    };
    let scope_value = move || match choice.with(|c| c.filter.clone()) {
        DashboardFilter::All => String::new(),
        DashboardFilter::Owner(o) => format!("owner:{o}"),
        DashboardFilter::Region(r) => format!("region:{}", region_code(r)),
    };
    // The scorecard with the weights of the fields (the metrics do not change with them).
    let valid_weights = Memo::new(move |_| {
        let c = choice.get();
        params(&c, weights.get(), visit_rate.get_untracked()).check().map_err(|e| e.message(app.lang.get()))
    });
    let scorecard = Memo::new(move |_| {
        let r = report.get()?;
        Some(match valid_weights.get() {
            Ok(v) => r.scorecard.reweighted(&v),
            Err(_) => r.scorecard.clone(),
        })
    });
    let set_weight = move |m: ScoreMetric, v: f64| {
        weights.update(|w| match m {
            ScoreMetric::Revenue => w.revenue = v,
            ScoreMetric::Growth => w.growth = v,
            ScoreMetric::Csi => w.csi = v,
            ScoreMetric::ComplaintsOnTime => w.complaints_on_time = v,
            ScoreMetric::Retention => w.retention = v,
            ScoreMetric::Visits => w.visits = v,
        });
        remember(app, &weights.get_untracked(), visit_rate.get_untracked());
    };
    // A new visit target changes the attainment the core computes: checked, remembered and
    // computed again (a refused value stays in the field with its message).
    let set_visit_rate = move |v: f64| {
        let c = choice.get_untracked();
        if let Err(e) = params(&c, weights.get_untracked(), v).check() {
            rate_error.set(Some(e.message(app.lang.get_untracked())));
            return;
        }
        rate_error.set(None);
        visit_rate.set(v);
        remember(app, &weights.get_untracked(), v);
        compute();
    };

    view! {
        <div class="card dash" data-testid="dashboards">
            <div class="chart-head">
                <h2>{move || texts(app.lang.get()).title}</h2>
                <button class="no-print" data-testid="dash-print" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{move || texts(app.lang.get()).print}</button>
            </div>
            <p class="muted small no-print">{move || texts(app.lang.get()).hint}</p>
            <div class="dash-filters no-print" data-testid="dash-filters">
                <label class="field"><span>{move || texts(app.lang.get()).period}</span>
                    <select data-testid="dash-period" on:change=move |ev| set_preset(event_target_value(&ev))>
                        {move || {
                            let t = texts(app.lang.get());
                            let cur = preset_key.get();
                            [("month", t.p_month), ("last_month", t.p_last_month), ("d30", t.p_30), ("quarter", t.p_quarter), ("year", t.p_year), ("custom", t.p_custom)]
                                .into_iter()
                                .map(|(k, l)| view! { <option value=k selected=cur == k>{l}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="field"><span>{move || texts(app.lang.get()).from}</span>
                    <input type="date" data-testid="dash-from" prop:value=move || choice.with(|c| c.from.to_string()) on:change=move |ev| set_date(true, event_target_value(&ev)) />
                </label>
                <label class="field"><span>{move || texts(app.lang.get()).to}</span>
                    <input type="date" data-testid="dash-to" prop:value=move || choice.with(|c| c.to.to_string()) on:change=move |ev| set_date(false, event_target_value(&ev)) />
                </label>
                <label class="field"><span>{move || texts(app.lang.get()).scope}</span>
                    <select data-testid="dash-scope" prop:value=scope_value on:change=move |ev| set_scope(event_target_value(&ev))>
                        {move || {
                            let t = texts(app.lang.get());
                            let lang = app.lang.get();
                            let cur = scope_value();
                            let mut v = vec![view! { <option value="" selected=cur.is_empty()>{t.scope_all}</option> }.into_any()];
                            for r in Region::ALL {
                                let val = format!("region:{}", region_code(r));
                                let sel = cur == val;
                                v.push(view! { <option value=val selected=sel>{fill(t.scope_region, &[("name", &r.label(lang))])}</option> }.into_any());
                            }
                            for o in owners.get() {
                                let val = format!("owner:{o}");
                                let sel = cur == val;
                                v.push(view! { <option value=val selected=sel>{fill(t.scope_owner, &[("name", &o)])}</option> }.into_any());
                            }
                            v
                        }}
                    </select>
                </label>
                <div class="actions">
                    <button class="primary" data-testid="dash-run" on:click=move |_| compute()>
                        {move || { let t = texts(app.lang.get()); if report.with(|r| r.is_some()) { t.recompute } else { t.compute } }}
                    </button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="dash-error">{e.get(app.lang.get()).to_string()}</p> })}
            {move || (stale.get()).then(|| view! { <p class="stated small no-print" data-testid="dash-stale">{texts(app.lang.get()).stale}</p> })}
            // Rebuilt when the language changes (the tiles read their texts once).
            {move || match { app.lang.track(); report.get() } {
                None => view! { <p class="empty" data-testid="dash-not-computed">{texts(app.lang.get()).not_computed}</p> }.into_any(),
                Some(r) => view! { <Figures report=r /> }.into_any(),
            }}
        </div>
        {move || { app.lang.track(); scorecard.get() }.map(|s| view! {
            <Scorecard report=s weights=weights set_weight=set_weight error=Signal::derive(move || valid_weights.get().err())
                visit_rate=visit_rate set_visit_rate=set_visit_rate rate_error=rate_error.into() />
        })}
    }
}

/// The company view's tiles.
#[component]
fn Figures(report: Arc<DashboardReport>) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = texts(lang);
    let mt = app.t_untracked();
    let o = &report.overview;
    let p = o.periods;
    let periods = fill(
        t.periods,
        &[("from", &p.from), ("to", &p.to), ("days", &p.days), ("pfrom", &p.previous_from), ("pto", &p.previous_to), ("as_of", &o.value_as_of)],
    );
    let (rev_d, rev_dir) = match o.revenue.growth {
        Some(g) => (format!("{}{}%", if g >= 0.0 { "▲ +" } else { "▼ " }, format::number(g * 100.0, 1)), tone(g, Better::Up)),
        None => (String::new(), "neutral"),
    };
    let revenue_list = o.revenue.list.clone();
    let conc_list = o.concentration.list.clone();
    let rev_label = t.revenue_title.to_string();
    let conc_label = t.concentration_title.to_string();
    let csi = o.csi.clone();
    let csi_view = match (&csi.current, &csi.problem) {
        (_, Some(problem)) => view! { <p class="muted small" data-testid="tile-csi-problem">{fill(t.csi_problem, &[("why", &problem.message(lang))])}</p> }.into_any(),
        (None, None) => view! { <p class="muted small" data-testid="tile-csi-none">{t.csi_none}</p> }.into_any(),
        (Some(now), None) => {
            let (d, dir) = delta(now.csi, csi.previous.as_ref().map(|p| p.csi), 1, Better::Up);
            let interval = match (now.ci_low, now.ci_high) {
                (Some(l), Some(h)) => fill(t.csi_interval, &[("low", &format::number(l, 1)), ("high", &format::number(h, 1)), ("n", &now.respondents)]),
                _ => String::new(),
            };
            let survey = csi.survey_id.clone();
            view! {
                <button class="dash-tile" data-testid="tile-csi" on:click=move |_| {
                    if let Some(id) = &survey { app.go(&Route::SatisfactionAt(format!("{id}/analysis"))) }
                }>
                    <span class="dash-tile-label">{t.csi_title}</span>
                    <span class="dash-tile-value">{format::number(now.csi, 1)}</span>
                    <span class="dash-tile-prev muted small">{previous_text(t, csi.previous.as_ref().map(|p| format::number(p.csi, 1)))}</span>
                    <span class=format!("dash-delta {dir}")>{d}</span>
                    <span class="muted small">{interval}</span>
                </button>
            }
            .into_any()
        }
    };
    let trend = csi
        .trend
        .iter()
        .map(|pt| view! { <li><span class="muted">{pt.label.clone()}</span>" "<b>{pt.csi.map(|v| format::number(v, 1)).unwrap_or_else(|| "—".into())}</b></li> })
        .collect_view();
    let c = &o.complaints;
    let v = &o.visits;
    view! {
        <p class="muted small" data-testid="dash-periods">{periods}</p>
        <h3>{t.customers_title}</h3>
        <div class="dash-group"><span class="dash-group-title">{t.abc_title}</span>
            <div class="dash-tiles">{class_tiles(app, "abc", &o.abc, |k| format!("{k:?}"), |k| format!("{k:?}"))}</div>
        </div>
        <div class="dash-group"><span class="dash-group-title">{t.stage_title}</span>
            <div class="dash-tiles">{class_tiles(app, "stage", &o.stage, |k| crate::pages::value::stage_label(mt, k).to_string(), code)}</div>
        </div>
        <div class="dash-group"><span class="dash-group-title">{t.grade_title}</span>
            <div class="dash-tiles">{class_tiles(app, "grade", &o.grade, |k| crate::pages::value::grade_label(mt, k).to_string(), code)}</div>
        </div>
        <div class="dash-tiles">
            <button class="dash-tile" data-testid="tile-revenue" data-count=o.revenue.buyers.to_string() on:click=move |_| open(app, rev_label.clone(), &revenue_list)>
                <span class="dash-tile-label">{t.revenue_title}</span>
                <span class="dash-tile-value" title=format::money(o.revenue.revenue)>{crate::i18n::compact(o.revenue.revenue, lang)}</span>
                <span class="dash-tile-prev muted small">{previous_text(t, Some(crate::i18n::compact(o.revenue.previous, lang)))}</span>
                <span class=format!("dash-delta {rev_dir}")>{rev_d}</span>
                <span class="muted small">{fill(t.buyers, &[("n", &o.revenue.buyers)])}</span>
            </button>
            <button class="dash-tile" data-testid="tile-concentration" data-count=o.concentration.top_n.to_string() on:click=move |_| open(app, conc_label.clone(), &conc_list)>
                <span class="dash-tile-label">{t.concentration_title}</span>
                <span class="dash-tile-value">{pct(o.concentration.share)}</span>
                <span class="dash-tile-prev muted small">{previous_text(t, o.concentration.previous_share.map(|s| pct(Some(s))))}</span>
                <span class="muted small">{fill(t.concentration_detail, &[("n", &o.concentration.top_n), ("total", &o.concentration.buyers)])}</span>
            </button>
            {count_tile(app, "tile-warning".into(), t.warning_title.into(), &o.warning, Better::Down)}
            {csi_view}
        </div>
        {(!csi.trend.is_empty()).then(|| view! { <div class="dash-trend small" data-testid="dash-csi-trend"><span class="muted">{t.csi_trend}</span><ul>{trend}</ul></div> })}
        <h3>{t.complaints_title}</h3>
        <div class="dash-tiles">
            {count_tile(app, "tile-complaints-overdue".into(), t.c_overdue.into(), &c.overdue, Better::Down)}
            {count_tile(app, "tile-complaints-due-today".into(), t.c_due_today.into(), &c.due_today, Better::Neither)}
            {count_tile(app, "tile-complaints-due-soon".into(), t.c_due_soon.into(), &c.due_soon, Better::Neither)}
            {count_tile(app, "tile-complaints-waiting".into(), t.c_waiting.into(), &c.waiting, Better::Neither)}
            {count_tile(app, "tile-complaints-later".into(), t.c_later.into(), &c.later, Better::Neither)}
        </div>
        <p class="muted small" data-testid="dash-on-time">{fill(t.c_on_time, &[("v", &pct(c.on_time_rate))])}</p>
        <h3>{t.visits_title}</h3>
        <div class="dash-tiles">
            {count_tile(app, "tile-visits-overdue".into(), t.v_overdue.into(), &v.overdue, Better::Down)}
            {count_tile(app, "tile-visits-today".into(), t.v_today.into(), &v.due_today, Better::Neither)}
            {count_tile(app, "tile-visits-soon".into(), t.v_soon.into(), &v.due_soon, Better::Neither)}
            {count_tile(app, "tile-visits-done".into(), t.v_done.into(), &v.done, Better::Up)}
        </div>
    }
}

/// The account-manager scorecard with its weight fields.
#[component]
#[allow(clippy::too_many_arguments)]
fn Scorecard(
    report: ScorecardReport,
    weights: RwSignal<ScoreWeights>,
    set_weight: impl Fn(ScoreMetric, f64) + Copy + Send + Sync + 'static,
    error: Signal<Option<String>>,
    visit_rate: RwSignal<f64>,
    set_visit_rate: impl Fn(f64) + Copy + Send + Sync + 'static,
    rate_error: Signal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = texts(lang);
    let rows = report.rows.clone();
    view! {
        <div class="card dash-scorecard" data-testid="dash-scorecard">
            <h2>{t.scorecard_title}</h2>
            <p class="muted small">{t.scorecard_hint}</p>
            <div class="dash-weights no-print" data-testid="dash-weights">
                <span class="dash-group-title">{t.weights}</span>
                {ScoreMetric::ALL.into_iter().map(|m| view! {
                    <label class="field"><span>{metric_label(m, lang)}</span>
                        <input type="number" min="0" step="any" data-testid=format!("weight-{}", m.name())
                            prop:value=move || weights.with(|w| w.get(m).to_string())
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() { set_weight(m, v) } } />
                    </label>
                }).collect_view()}
            </div>
            {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="weight-error">{fill(t.bad_weight, &[("why", &e)])}</p> })}
            <div class="dash-weights no-print">
                <label class="field"><span>{t.visit_rate}</span>
                    <input type="number" min="0" step="any" inputmode="decimal" data-testid="dash-visit-rate"
                        prop:value=move || visit_rate.get().to_string()
                        on:change=move |ev| { set_visit_rate(event_target_value(&ev).trim().parse::<f64>().unwrap_or(f64::NAN)) } />
                </label>
            </div>
            <p class="muted small">{t.visit_rate_hint}</p>
            {move || rate_error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="visit-rate-error">{e}</p> })}
            {if rows.is_empty() {
                view! { <p class="empty">{t.scorecard_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table dash-score-table">
                            <thead><tr>
                                <th class="num">{t.col_rank}</th>
                                <th>{t.col_owner}</th>
                                <th class="num">{t.col_score}</th>
                                <th class="num">{t.col_customers}</th>
                                {ScoreMetric::ALL.into_iter().map(|m| view! { <th class="num">{metric_label(m, lang)}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let owner = if r.owner.is_empty() { t.no_owner.to_string() } else { r.owner.clone() };
                                    let list = r.customers.clone();
                                    let label = owner.clone();
                                    view! {
                                        <tr data-testid="score-row" data-owner=r.owner.clone()>
                                            <td class="num" data-testid="score-rank">{r.rank}</td>
                                            <td><button class="linkish" data-testid="score-owner" on:click=move |_| open(app, label.clone(), &list)>{owner}</button></td>
                                            <td class="num" data-testid="score-score">{r.score.map(|s| format::number(s * 100.0, 1)).unwrap_or_else(|| "—".into())}</td>
                                            <td class="num">{r.customers.ids.len()}</td>
                                            <td class="num">{format::money(r.revenue)}</td>
                                            <td class="num">{pct(r.growth)}</td>
                                            <td class="num">{r.csi.map(|v| format::number(v, 1)).unwrap_or_else(|| "—".into())}</td>
                                            <td class="num">{pct(r.complaints_on_time)}</td>
                                            <td class="num">{pct(r.retention)}</td>
                                            <td class="num" data-testid="score-visits" data-visits=r.visits.ids.len().to_string() data-target=r.visit_target.to_string()>
                                                {fill(t.visits_cell, &[("done", &r.visits.ids.len()), ("target", &format::number(r.visit_target, 1)), ("pct", &pct(r.visit_attainment))])}
                                            </td>
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
