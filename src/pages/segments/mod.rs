//! The segments page (SPEC §4, STP): four tabs over one set of inputs.
//!
//! - [`builder`]: segments from 1-3 dimensions, the cross-tab, drill-down, CSV, charts,
//!   saved segment definitions;
//! - [`clusters`]: k-means curves for k = 2..10 computed step by step with progress, the
//!   scatter and the cluster profiles, a cluster saved as a segment;
//! - [`evaluate`]: the evaluation matrix of the saved segments, weights, scores (entered or
//!   suggested from data), totals, ranks, targets;
//! - [`positioning`]: positioning statement and 4P notes per target, the perceptual map.
//!
//! The inputs every tab reads (the customers with the period totals, the value analysis
//! with default parameters and each customer's CSI) are built once on demand behind the
//! busy overlay ([`Inputs`]) and rebuilt only when the records or the period change. What
//! the user keeps (saved segments, matrix, targets, positioning, map) lives in
//! `settings.segments` and so in the backup; the page's own choices (tab, dimensions,
//! period, clustering parameters) in `settings.pages["segments"]`. Pages hold no arithmetic:
//! every figure comes from `clientscope_core::segment`.

mod builder;
mod clusters;
mod evaluate;
mod positioning;
pub mod shared;

use crate::i18n::segments::texts;
use crate::state::use_app;
use leptos::prelude::*;
pub use shared::{Inputs, PageUi, Tab};

/// The segments page.
#[component]
pub fn SegmentsPage() -> impl IntoView {
    let app = use_app();
    let page = shared::Page::new(app);
    // A memo, so that editing other choices does not rebuild the tab (and lose its results).
    let tab = Memo::new(move |_| page.ui.with(|u| u.tab));
    let tab_button = move |tab: Tab, testid: &'static str, label: fn(&crate::i18n::segments::SegTexts) -> &'static str| {
        view! {
            <button role="tab" data-testid=testid
                class=move || if page.ui.with(|u| u.tab == tab) { "seg-tab active" } else { "seg-tab" }
                aria-selected=move || page.ui.with(|u| u.tab == tab).to_string()
                on:click=move |_| page.edit(move |u| u.tab = tab)>
                {move || label(texts(app.lang.get()))}
            </button>
        }
    };
    view! {
        <section class="page segments-page" data-testid="page-segments">
            <div class="page-head">
                <h1>{move || texts(app.lang.get()).title}</h1>
            </div>
            <div class="seg-tabs" role="tablist">
                {tab_button(Tab::Segments, "seg-tab-segments", |t| t.tab_segments)}
                {tab_button(Tab::Clusters, "seg-tab-clusters", |t| t.tab_clusters)}
                {tab_button(Tab::Evaluate, "seg-tab-evaluate", |t| t.tab_evaluate)}
                {tab_button(Tab::Positioning, "seg-tab-positioning", |t| t.tab_positioning)}
            </div>
            {move || match tab.get() {
                Tab::Segments => view! { <builder::Builder page=page /> }.into_any(),
                Tab::Clusters => view! { <clusters::Clusters page=page /> }.into_any(),
                Tab::Evaluate => view! { <evaluate::Evaluate page=page /> }.into_any(),
                Tab::Positioning => view! { <positioning::Positioning page=page /> }.into_any(),
            }}
        </section>
    }
}
