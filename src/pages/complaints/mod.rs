//! The complaints page (SPEC §6, issue 11 §2): four tabs over the stored complaints.
//!
//! - [`list`]: overdue / due today / due within 4 business hours / waiting / all, each
//!   complaint with its state and clock, and a complaint's [`detail`]: the audit trail and
//!   buttons for exactly the events its state allows;
//! - [`register`]: a complaint in a few taps at 375 px, created with its `received` event;
//! - [`analysis`]: the analysis as of a chosen instant, tables with CSV export;
//! - [`audit`]: the audit-trail CSV, exported and imported, with refused rows shown.
//!
//! Pages hold no arithmetic: states, clocks, deadlines and figures come from
//! `clientscope_core::service::complaints` (`analyse`, `clock`, `allowed`, `append`) on the
//! working calendar and SLA policy of the settings; "now" is `crate::clock::now`. Writes go
//! through `crate::state::save_complaints`.

mod analysis;
mod audit;
mod detail;
mod list;
mod register;
pub mod settings;
pub mod shared;

use crate::i18n::fill;
use crate::state::use_app;
use leptos::prelude::*;
pub use settings::ComplaintSettings;
pub use shared::{report_now, Filter, Page, Tab};

/// The complaints page.
#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let app = use_app();
    let page = Page::new(app);
    let tab = Memo::new(move |_| page.ui.with(|u| u.tab));
    let tab_button = move |which: Tab, testid: &'static str, label: fn(&crate::i18n::complaints::CompTexts) -> &'static str| {
        view! {
            <button role="tab" data-testid=testid
                class=move || if tab.get() == which { "seg-tab active" } else { "seg-tab" }
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| { page.open.set(None); page.edit(move |u| u.tab = which) }>
                {move || label(page.t())}
            </button>
        }
    };
    view! {
        <section class="page complaints-page" data-testid="page-complaints">
            <div class="page-head">
                <h1>{move || page.t().title}</h1>
            </div>
            {move || crate::clock::injected().map(|now| view! {
                <p class="stated small" data-testid="now-injected">{fill(page.t().now_injected, &[("now", &shared::when(app, now))])}</p>
            })}
            <div class="seg-tabs" role="tablist">
                {tab_button(Tab::List, "cmp-tab-list", |t| t.tab_list)}
                {tab_button(Tab::Register, "cmp-tab-register", |t| t.tab_register)}
                {tab_button(Tab::Analysis, "cmp-tab-analysis", |t| t.tab_analysis)}
                {tab_button(Tab::Audit, "cmp-tab-audit", |t| t.tab_audit)}
            </div>
            {move || match (tab.get(), page.open.get()) {
                (Tab::List, Some(id)) => view! { <detail::Detail page=page id=id /> }.into_any(),
                (Tab::List, None) => view! { <list::Lists page=page /> }.into_any(),
                (Tab::Register, _) => view! { <register::Register page=page /> }.into_any(),
                (Tab::Analysis, _) => view! { <analysis::Analysis page=page /> }.into_any(),
                (Tab::Audit, _) => view! { <audit::Audit page=page /> }.into_any(),
            }}
        </section>
    }
}
