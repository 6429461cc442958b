//! The complaints page (SPEC §6, issue 11 §2): four tabs over the stored complaints.
//!
//! - [`list`]: overdue / due today / due within 4 business hours / waiting / all, each
//!   complaint with its state and clock, and a complaint's [`detail`]: the audit trail and
//!   buttons for exactly the events its state allows;
//! - [`register`]: a complaint in a few taps at 375 px, created with its `received` event;
//! - [`analysis`]: the analysis as of a chosen instant, tables with CSV export;
//! - [`audit`]: the audit-trail CSV, exported and imported, with refused rows shown;
//! - [`drafts`]: while the survey draft rule of the settings is on, the complaint drafts
//!   of survey answers, each registered as a complaint or dismissed (never a complaint
//!   without someone's tap).
//!
//! A link opens a complaint (`#/complaints?open=T000150`, the customer page's entries) or
//! the register form with a customer chosen (`#/complaints?register=C000012`); while a
//! detail is open the address names it, so a reload keeps it open.
//!
//! Pages hold no arithmetic: states, clocks, deadlines and figures come from
//! `clientscope_core::service::complaints` (`analyse`, `clock`, `allowed`, `append`) on the
//! working calendar and SLA policy of the settings; "now" is `crate::clock::now`. Writes go
//! through `crate::state::save_complaints`.

mod analysis;
mod audit;
mod detail;
mod drafts;
mod list;
mod register;
pub mod settings;
pub mod shared;

use crate::i18n::fill;
use crate::state::use_app;
use leptos::prelude::*;
pub use settings::ComplaintSettings;
pub use list::{clock_words, state_class};
pub use shared::{open_href, register_href, report_now, Filter, Page, Tab};

/// The complaints page.
#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let app = use_app();
    let page = Page::new(app);
    // The query part of the address: read now (before the tabs render) and again on every
    // change of the address (the route signal is set on each `hashchange`).
    let apply = move || {
        let hash = window().location().hash().unwrap_or_default();
        if let Some(id) = shared::hash_param(&hash, "open") {
            if page.ui.with_untracked(|u| u.tab) != Tab::List {
                page.edit(|u| u.tab = Tab::List);
            }
            page.open.set(Some(id));
        } else if let Some(customer) = shared::hash_param(&hash, "register") {
            page.prefill.set(Some(customer));
            page.open.set(None);
            page.edit(|u| u.tab = Tab::Register);
        }
    };
    apply();
    Effect::new(move |first: Option<()>| {
        app.route.track();
        if first.is_some() {
            apply();
        }
    });
    // The address follows the open detail, so a reload or a copied link shows the same
    // complaint. It is replaced, not pushed (no new history entry); the `hashchange` it
    // fires finds the address already saying what is shown.
    Effect::new(move |_| {
        let open = page.open.get();
        let hash = window().location().hash().unwrap_or_default();
        let want = match &open {
            Some(id) => shared::open_href(id),
            None if shared::hash_param(&hash, "open").is_some() => crate::route::Route::Complaints.href(),
            None => return,
        };
        if hash != want {
            let _ = window().location().replace(&want);
        }
    });
    let tab = Memo::new(move |_| page.ui.with(|u| u.tab));
    let drafts_on = Memo::new(move |_| app.settings.with(|s| s.complaints.draft_rule.enabled));
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
                {move || drafts_on.get().then(|| view! {
                    <button role="tab" data-testid="cmp-tab-drafts"
                        class=move || if tab.get() == Tab::Drafts { "seg-tab active" } else { "seg-tab" }
                        aria-selected=move || (tab.get() == Tab::Drafts).to_string()
                        on:click=move |_| { page.open.set(None); page.edit(|u| u.tab = Tab::Drafts) }>
                        {move || fill(page.t().tab_drafts_count, &[("n", &page.drafts.with(|d| d.len()))])}
                    </button>
                })}
            </div>
            {move || match (tab.get(), page.open.get()) {
                (Tab::List, Some(id)) => view! { <detail::Detail page=page id=id /> }.into_any(),
                (Tab::List, None) => view! { <list::Lists page=page /> }.into_any(),
                (Tab::Register, _) => view! { <register::Register page=page /> }.into_any(),
                (Tab::Analysis, _) => view! { <analysis::Analysis page=page /> }.into_any(),
                (Tab::Audit, _) => view! { <audit::Audit page=page /> }.into_any(),
                (Tab::Drafts, _) if drafts_on.get() => view! { <drafts::Drafts page=page /> }.into_any(),
                // The rule was switched off since the tab was chosen: the list instead.
                (Tab::Drafts, _) => view! { <list::Lists page=page /> }.into_any(),
            }}
        </section>
    }
}
