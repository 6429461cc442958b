//! The value page's parameter form and the RFM segment-grid editor.

use super::*;

/// The editable parameters.
#[component]
pub(super) fn ParamsForm(
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
pub(super) fn abc_pair(p: &ValueParams) -> (f64, f64) {
    match p.abc.variant {
        AbcVariant::CumulativeShare { a, b } | AbcVariant::CountBased { a, b } => (a, b),
    }
}

/// Replaces one or both ABC thresholds, keeping the rule.
pub(super) fn set_abc(p: &mut ValueParams, a: Option<f64>, b: Option<f64>) {
    p.abc.variant = match p.abc.variant {
        AbcVariant::CumulativeShare { a: a0, b: b0 } => AbcVariant::CumulativeShare { a: a.unwrap_or(a0), b: b.unwrap_or(b0) },
        AbcVariant::CountBased { a: a0, b: b0 } => AbcVariant::CountBased { a: a.unwrap_or(a0), b: b.unwrap_or(b0) },
    };
}

/// The RFM scoring rule and the editable R × FM segment grid.
#[component]
pub(super) fn RfmEditor(draft: RwSignal<ValueParams>, set: Callback<Edit>, bad: RwSignal<Option<String>>) -> impl IntoView {
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
            <div class="table-wrap" tabindex="0">
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
