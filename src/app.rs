//! The application shell: header and navigation, the routed page, the welcome screen on
//! first use, and the overlays (progress, toast, new-version banner).

use crate::components::{busy::BusyOverlay, nav::Nav, toast::ToastBar, update::UpdateBanner};
use crate::pages;
use crate::route::Route;
use crate::state::{self, use_app, AppState};
use leptos::prelude::*;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let app = AppState::new();
    provide_context(app);

    // Routing: the hash is the source of truth; remember the last view for the next start.
    let read_hash = move || {
        let hash = window().location().hash().unwrap_or_default();
        if hash.is_empty() {
            let last = app.ui.get_untracked().last_route;
            if !last.is_empty() {
                let _ = window().location().replace(&last);
            }
            Route::parse(&last)
        } else {
            Route::parse(&hash)
        }
    };
    app.route.set(read_hash());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let r = read_hash();
        app.update_ui(|u| u.last_route = r.href());
        app.route.set(r);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    on_cleanup(move || handle.remove());

    // The document language follows the UI language (screen readers, fonts).
    Effect::new(move |_| {
        let lang = match app.lang.get() {
            clientscope_core::model::Language::ZhCn => "zh-CN",
            clientscope_core::model::Language::En => "en",
        };
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang);
        }
        document().set_title(&format!("{} · Clientscope", app.t().app_name));
    });

    // Leaving while an import, restore or demo write runs would cut it off (nothing of it
    // would be kept): the browser asks first.
    let leave = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if crate::store::db::large_write_running() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || leave.remove());

    leptos::task::spawn_local(state::init(app));
    crate::pwa::register(app);

    view! {
        <div class="shell">
            <Nav />
            <main class="main" id="main">
                <EvictedNotice />
                <Body />
            </main>
            <BusyOverlay />
            <ToastBar />
            <UpdateBanner />
        </div>
    }
}

/// The routed page, or the welcome screen while no data and no choice was made.
#[component]
fn Body() -> impl IntoView {
    let app = use_app();
    move || {
        if let Some(msg) = app.fatal.get() {
            // Reloading is the way on from every fatal state (an empty href reloads this
            // address).
            return view! {
                <div class="fatal" role="alert" data-testid="fatal">
                    <p>{msg}</p>
                    <a class="button primary" href="" data-testid="fatal-reload">{move || app.t().crash_reload}</a>
                </div>
            }.into_any();
        }
        if !app.loaded.get() {
            return view! { <div class="page-loading">{move || app.t().loading}</div> }.into_any();
        }
        if !app.ui.with(|u| u.started) && app.data.customers.with(|c| c.is_empty()) {
            return view! { <pages::welcome::Welcome /> }.into_any();
        }
        match app.route.get() {
            Route::Overview => view! { <pages::overview::Overview /> }.into_any(),
            Route::Customers => view! { <pages::customers::CustomerList /> }.into_any(),
            Route::CustomerNew => view! { <pages::customer_form::CustomerForm id=None /> }.into_any(),
            Route::Customer(id) => view! { <pages::customer::CustomerPage id=id /> }.into_any(),
            Route::CustomerEdit(id) => view! { <pages::customer_form::CustomerForm id=Some(id) /> }.into_any(),
            Route::Value => view! { <pages::value::ValuePage /> }.into_any(),
            Route::Segments => view! { <pages::segments::SegmentsPage /> }.into_any(),
            Route::Satisfaction => view! { <pages::satisfaction::SatisfactionPage path=String::new() /> }.into_any(),
            Route::SatisfactionAt(path) => view! { <pages::satisfaction::SatisfactionPage path=path /> }.into_any(),
            Route::Import => view! { <pages::import::ImportPage /> }.into_any(),
            Route::Complaints => view! { <pages::complaints::ComplaintsPage /> }.into_any(),
            Route::Visits => view! { <pages::visits::VisitsPage /> }.into_any(),
            Route::Data => view! { <pages::data::DataPage /> }.into_any(),
            Route::Settings => view! { <pages::settings::SettingsPage /> }.into_any(),
            Route::NotFound(_) => view! { <p class="empty">{move || app.t().not_found}</p> }.into_any(),
        }
    }
}

/// Says that the browser cleared the storage (the database was found empty while this
/// browser remembered records), with the last backup's date, the restore and the
/// persistent-storage state.
#[component]
fn EvictedNotice() -> impl IntoView {
    let app = use_app();
    let persisted = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if app.evicted.with(|e| e.is_some()) {
            leptos::task::spawn_local(async move { persisted.set(crate::store::quota::persisted().await) });
        }
    });
    move || {
        app.evicted.get().map(|e| {
            let t = app.t();
            let lang = app.lang.get();
            let backup = match e.last_backup {
                Some(at) => crate::i18n::fill(t.evicted_last_backup, &[("when", &crate::components::format::timestamp(&at, lang))]),
                None => t.evicted_never.to_string(),
            };
            let restore = move |_| {
                app.evicted.set(None);
                app.update_ui(|u| u.started = true);
                app.go(&Route::Data);
            };
            view! {
                <div class="card evicted" role="alert" data-testid="evicted">
                    <h2>{t.evicted_title}</h2>
                    <p>{crate::i18n::fill(t.evicted_text, &[("records", &crate::components::format::number(e.records as f64, 0))])}</p>
                    <p data-testid="evicted-backup">{backup}</p>
                    <p class="muted" data-testid="evicted-persist">{move || match persisted.get() {
                        Some(true) => app.t().data_persisted,
                        Some(false) => app.t().data_not_persisted,
                        None => app.t().data_persist_unknown,
                    }}</p>
                    <div class="actions">
                        <button type="button" class="primary" data-testid="evicted-restore" on:click=restore>{t.evicted_restore}</button>
                        <button type="button" data-testid="evicted-dismiss" on:click=move |_| app.evicted.set(None)>{t.evicted_dismiss}</button>
                    </div>
                </div>
            }
        })
    }
}
