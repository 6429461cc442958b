//! Header with the product navigation and the language switch. On a phone the links fold
//! into a menu button.

use crate::route::Route;
use crate::state::use_app;
use clientscope_core::model::Language;
use leptos::prelude::*;

/// The navigation bar.
#[component]
pub fn Nav() -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    // The complaints' badge: overdue and due-today counts as of now, from the core.
    let report = crate::pages::complaints::report_now(app);
    let due = Memo::new(move |_| report.with(clientscope_core::service::complaints::due_counts));
    let badge = move || {
        let c = due.get();
        let title = crate::i18n::fill(
            crate::i18n::complaints::texts(app.lang.get()).badge_title,
            &[("overdue", &c.overdue), ("today", &c.due_today), ("soon", &c.due_soon), ("waiting", &c.waiting)],
        );
        view! {
            <span class="nav-badges" title=title.clone() aria-label=title>
                {(c.overdue > 0).then(|| view! { <span class="nav-badge late" data-testid="nav-complaints-overdue">{c.overdue}</span> })}
                {(c.due_today > 0).then(|| view! { <span class="nav-badge due" data-testid="nav-complaints-due">{c.due_today}</span> })}
            </span>
        }
    };
    let entries = move || {
        let t = app.t();
        vec![
            (Route::Overview, t.nav_overview, "nav-overview"),
            (Route::Customers, t.nav_customers, "nav-customers"),
            (Route::Value, t.nav_value, "nav-value"),
            (Route::Segments, t.nav_segments, "nav-segments"),
            (Route::Satisfaction, t.nav_satisfaction, "nav-satisfaction"),
            (Route::Complaints, t.nav_complaints, "nav-complaints"),
            (Route::Visits, t.nav_visits, "nav-visits"),
            (Route::Data, t.nav_data, "nav-data"),
            (Route::Settings, t.nav_settings, "nav-settings"),
        ]
    };
    let toggle_lang = move |_| {
        let next = match app.lang.get_untracked() {
            Language::ZhCn => Language::En,
            Language::En => Language::ZhCn,
        };
        app.set_language(next);
    };
    view! {
        <header class="topbar">
            <a class="brand" href="#/overview">
                <img src="icon.svg" alt="" width="28" height="28" />
                <span>{move || app.t().app_name}</span>
            </a>
            <button class="menu-button" aria-label=move || app.t().nav_menu
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"☰"</button>
            <nav class="nav" class:open=move || open.get() aria-label=move || app.t().nav_menu>
                {move || {
                    let current = app.route.get().section();
                    entries()
                        .into_iter()
                        .map(|(route, label, testid)| {
                            let active = route == current;
                            view! {
                                <a href=route.href() class:active=active data-testid=testid
                                    aria-current=if active { "page" } else { "false" }
                                    on:click=move |_| open.set(false)>{label}
                                    {(route == Route::Complaints).then(badge)}</a>
                            }
                        })
                        .collect_view()
                }}
            </nav>
            // The switch names the other language in that language (WCAG 3.1.2).
            <button class="lang" data-testid="lang-switch" on:click=toggle_lang
                lang=move || match app.lang.get() { Language::ZhCn => "en", Language::En => "zh-CN" }>{move || app.t().lang_switch}</button>
        </header>
    }
}
