//! The satisfaction pages (SPEC §5, issue 5). `#/satisfaction` lists the surveys;
//! `#/satisfaction/<survey id>/<view>` opens one survey in one of the workflow's views:
//!
//! - [`design`]: the indicator tree with weights (direct, AHP, entropy, CV side by side),
//!   scale, competitors, loyalty items, path model and the questionnaire preview;
//! - [`entry`]: phone-width field entry, one question per screen, every answer stored at
//!   once (`<id>/entry/<response id>` resumes a respondent);
//! - [`analysis`]: CSI, NPS, loyalty zones, IPA, reliability, breakdowns, trend,
//!   benchmark and the PLS path model with a chunked bootstrap;
//! - [`report`]: the printable report with the improvement actions.
//!
//! Writes go through [`actions`]; everything computed comes from
//! `clientscope_core::satisfaction`.

pub mod actions;
pub mod analysis;
pub mod design;
pub mod entry;
pub mod list;
pub mod report;

use crate::i18n::satisfaction::{texts, SatTexts};
use crate::route::Route;
use crate::state::use_app;
use clientscope_core::model::Survey;
use leptos::prelude::*;

/// The satisfaction texts of the current language (tracked).
pub(crate) fn st() -> &'static SatTexts {
    texts(use_app().lang.get())
}

/// The link of a survey view.
pub(crate) fn href(id: &str, view: &str) -> String {
    Route::SatisfactionAt(format!("{id}/{view}")).href()
}

/// The stored survey with `id` (tracked).
pub(crate) fn survey_signal(id: String) -> Signal<Option<Survey>> {
    let app = use_app();
    Signal::derive(move || app.data.surveys.with(|v| v.iter().find(|s| s.id == id).cloned()))
}

/// The satisfaction page: the survey list or one survey's view, from the route's rest.
#[component]
pub fn SatisfactionPage(path: String) -> impl IntoView {
    let parts: Vec<String> = path.split('/').filter(|p| !p.is_empty()).map(String::from).collect();
    match parts.first() {
        None => view! { <list::SurveyList /> }.into_any(),
        Some(id) => {
            let view_name = parts.get(1).cloned().unwrap_or_else(|| "design".into());
            let rest = parts.get(2).cloned();
            view! { <SurveyShell id=id.clone() view_name=view_name rest=rest /> }.into_any()
        }
    }
}

/// One survey: its name, the workflow tabs and the chosen view.
#[component]
fn SurveyShell(id: String, view_name: String, rest: Option<String>) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id.clone());
    // The view is rebuilt only when the survey appears or disappears, not on every edit
    // (an edit must not reset the view's own state).
    let exists = Memo::new(move |_| survey.with(|s| s.is_some()));
    let tabs = [("design", 0), ("entry", 1), ("analysis", 2), ("report", 3)];
    let current = view_name.clone();
    let tab_label = move |k: usize| {
        let s = st();
        [s.tab_design, s.tab_entry, s.tab_analysis, s.tab_report][k]
    };
    let body = {
        let id = id.clone();
        move || {
            if !app.loaded.get() {
                return view! { <p class="muted">{app.t().loading}</p> }.into_any();
            }
            if !exists.get() {
                return view! { <p class="error-box" data-testid="sat-not-found">{crate::i18n::fill(st().not_found, &[("id", &id)])}</p> }.into_any();
            }
            match view_name.as_str() {
                "entry" => view! { <entry::Entry id=id.clone() response=rest.clone() /> }.into_any(),
                "analysis" => view! { <analysis::Analysis id=id.clone() /> }.into_any(),
                "report" => view! { <report::Report id=id.clone() /> }.into_any(),
                _ => view! { <design::Design id=id.clone() /> }.into_any(),
            }
        }
    };
    view! {
        <section class="page sat-page" data-testid="page-satisfaction">
            <div class="page-head sat-head no-print">
                <a class="crumb" href=Route::Satisfaction.href() data-testid="sat-back">{move || st().all_surveys}</a>
                <h1 data-testid="sat-survey-name">{move || survey.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())}</h1>
            </div>
            <nav class="sat-tabs no-print" data-testid="sat-tabs">
                {tabs.into_iter().map(|(v, k)| {
                    let active = current == v;
                    view! {
                        <a href=href(&id, v) class:active=active data-testid=format!("sat-tab-{v}")>{move || tab_label(k)}</a>
                    }
                }).collect_view()}
            </nav>
            {body}
        </section>
    }
}
