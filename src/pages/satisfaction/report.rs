//! The printable report: the SPEC §5 workflow steps filled in from the survey and its
//! analysis (indicators and weights, respondents and sample, questionnaire, field survey,
//! results, charts) and the improvement actions the user writes (stored with the survey).
//! `style/satisfaction.css` holds the print stylesheet.

use super::analysis::{benchmark_bars, compute, flags_stated, interval_stated, missing_rule, node_bars, SatChart};
use super::design::plain;
use super::{actions, st, survey_signal};
use crate::charts::satisfaction as sc;
use crate::components::format;
use crate::i18n::fill;
use crate::state::{self, use_app};
use clientscope_core::satisfaction::analysis::{responses_of, SurveyParams, SurveyReport};
use clientscope_core::satisfaction::scale;
use leptos::prelude::*;
use std::sync::Arc;

/// The report view.
#[component]
pub fn Report(id: String) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id.clone());
    let report: RwSignal<Option<Result<Arc<SurveyReport>, crate::jobs::JobError>>> = RwSignal::new(None);
    let actions_text = RwSignal::new(survey.with_untracked(|s| s.as_ref().map(|s| s.design.actions.clone()).unwrap_or_default()));
    let saved = RwSignal::new(false);
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() {
            let Some(s) = survey.get_untracked() else { return };
            leptos::task::spawn_local(async move {
                app.begin(crate::i18n::satisfaction::texts(app.lang.get_untracked()).computing);
                state::yield_now().await;
                let r = compute(app, &s, SurveyParams::default()).await.map(Arc::new);
                app.end();
                report.try_set(Some(r));
            });
        }
    });
    let sample = move || {
        let s = survey.get()?;
        app.data.responses.with(|rs| {
            let mine = responses_of(&s, rs);
            let linked = mine.iter().filter(|r| r.customer_id.is_some()).count();
            let mut periods: Vec<String> = mine.iter().map(|r| r.period.clone()).filter(|p| !p.is_empty()).collect();
            periods.sort();
            periods.dedup();
            let first = mine.iter().map(|r| r.date).min();
            let last = mine.iter().map(|r| r.date).max();
            Some((mine.len(), linked, periods.join("、"), first.zip(last).map(|(a, b)| format!("{a} – {b}")).unwrap_or_default()))
        })
    };
    let save_actions = move |_| {
        let Some(mut s) = survey.get_untracked() else { return };
        s.design.actions = actions_text.get_untracked();
        saved.set(false);
        state::run(app, async move {
            actions::save_survey(app, s).await?;
            saved.try_set(true);
            Ok(())
        });
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };

    view! {
        <article class="sat-report" data-testid="sat-report">
            <div class="actions no-print">
                <button class="primary" data-testid="sat-print" on:click=print>{move || st().print}</button>
            </div>
            <h1 class="print-only">{move || survey.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())}</h1>
            <p class="muted">{move || st().workflow}</p>

            <section class="card">
                <h2>{move || st().r_step1}</h2>
                <table class="table" tabindex="0" data-testid="sat-report-tree">
                    <thead><tr><th>{move || st().indicator}</th><th class="num">{move || st().col_weight}</th><th class="num">{move || st().col_global_weight}</th></tr></thead>
                    <tbody>
                        {move || report.get().and_then(|r| r.ok()).map(|r| r.csi.nodes.iter().map(|n| view! {
                            <tr class:sat-group-row=!n.is_leaf><td style:padding-left=format!("{}rem", 0.4 + n.depth as f64)>{n.label.clone()}</td>
                                <td class="num">{format::number(n.normalised_weight, 3)}</td><td class="num">{format::number(n.global_weight, 3)}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </section>

            <section class="card">
                <h2>{move || st().r_step2}</h2>
                {move || sample().map(|(n, linked, periods, dates)| view! {
                    <p data-testid="sat-report-sample">{fill(st().r_sample, &[("n", &n), ("linked", &linked), ("anon", &(n - linked)), ("periods", &periods), ("dates", &dates)])}</p>
                })}
                <p>{move || survey.with(|s| s.as_ref().map(|s| fill(st().r_questionnaire, &[("k", &s.root.leaves().len()), ("scale", &scale::describe(s.scale, app.lang.get()))]))).unwrap_or_default()}</p>
            </section>

            {move || match report.get() {
                None => view! { <p class="muted">{app.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error-box" data-testid="sat-report-error">{fill(st().analysis_failed, &[("why", &e.message(app.lang.get()))])}</p> }.into_any(),
                Some(Ok(r)) => {
                    let rr = StoredValue::new(r.clone());
                    let t = st();
                    view! {
                        <section class="card">
                            <h2>{t.r_step3}</h2>
                            <p data-testid="sat-report-results">{fill(t.r_results, &[
                                ("csi", &format::number(r.csi.csi, 1)),
                                ("rate", &format::number(r.csi.satisfaction_rate, 1)),
                                ("nps", &r.nps.as_ref().map(|n| format::number(n.nps, 1)).unwrap_or_else(|| "—".into())),
                                ("n", &r.respondents),
                            ])}</p>
                            <p class="stated">{missing_rule(app.lang.get())}" "{interval_stated(&r.csi.interval)}</p>
                            {flags_stated(&r).into_iter().map(|f| view! { <p class="warn">{f}</p> }).collect_view()}
                            {r.target.map(|tg| view! { <p>{fill(t.r_target, &[("target", &plain(tg)), ("gap", &format::number(r.csi.csi - tg, 1))])}</p> })}
                            <div class="sat-report-charts">
                                <SatChart title=Signal::derive(move || st().chart_scores.to_string()) testid="chart-report-scores"
                                    height=rr.with_value(|r| (r.csi.nodes.len() as u32 * 26 + 60).max(220))
                                    draw=move |area, px| { rr.with_value(|r| { let _ = sc::draw_hbars(area, &node_bars(r), (0.0, 100.0), 1, st().col_score, px); }); } />
                                {r.ipa.is_some().then(|| view! {
                                    <SatChart title=Signal::derive(move || st().chart_ipa.to_string()) testid="chart-report-ipa" height=320
                                        draw=move |area, px| { let lang = app.lang.get(); let t = st(); rr.with_value(|r| if let Some(i) = &r.ipa { let _ = sc::draw_ipa(area, i, &|q| q.label(lang).to_string(), t.performance, t.importance_weight, px); }); } />
                                })}
                                <SatChart title=Signal::derive(move || st().chart_benchmark.to_string()) testid="chart-report-benchmark"
                                    draw=move |area, px| { let t = st(); rr.with_value(|r| { let _ = sc::draw_bars(area, &benchmark_bars(r), r.target.map(|v| (v, t.target_short)), "CSI", px); }); } />
                            </div>
                            <h3>{t.r_priorities}</h3>
                            <ul data-testid="sat-report-priorities">
                                {r.ipa.as_ref().map(|i| i.items.iter().filter(|p| p.quadrant == clientscope_core::satisfaction::ipa::Quadrant::ConcentrateHere).map(|p| view! {
                                    <li>{p.item.label.clone()}" ("{format::number(p.item.performance, 1)}")"</li>
                                }).collect_view())}
                            </ul>
                        </section>
                    }.into_any()
                }
            }}

            <section class="card">
                <h2>{move || st().r_step4}</h2>
                <textarea class="sat-actions-text no-print" rows="6" data-testid="sat-actions" aria-label=move || st().r_step4 prop:value=move || actions_text.get()
                    on:input=move |ev| { actions_text.set(event_target_value(&ev)); saved.set(false); }></textarea>
                <div class="print-only sat-actions-print">{move || actions_text.get()}</div>
                <div class="actions no-print">
                    <button data-testid="sat-actions-save" on:click=save_actions>{move || app.t().save}</button>
                    <Show when=move || saved.get()><span class="ok" data-testid="sat-actions-saved">{move || st().saved}</span></Show>
                </div>
            </section>
        </article>
    }
}
