//! The customer page's value card: the same analysis in the worker, shown for one
//! customer against the previous period.

use super::*;

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
pub(super) type PairResult = (ValueParams, Arc<ValueReport>, Arc<ValueReport>, Arc<Vec<Customer>>, Arc<OrderTable>);

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
    let error = RwSignal::new(None::<clientscope_core::error::Bilingual>);
    if cached.is_none() {
        let params = params.clone();
        leptos::task::spawn_local(async move {
            state::yield_now().await;
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
                    error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::texts(l).value_invalid, &e)));
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
            {move || error.get().map(|e| view! { <p class="error-box">{e.get(app.lang.get()).to_string()}</p> })}
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
                        <div class="table-wrap" tabindex="0">
                            <table class="table" data-testid="customer-value-table">
                                <thead><tr>
                                    <th><span class="sr-only">{t.col_measure}</span></th>
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
