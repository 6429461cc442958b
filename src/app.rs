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
            // `data-loading` while the records after the customers are still being read
            // (the start-up benchmark waits for it to go).
            <main class="main" id="main" data-loading=move || app.rest_loading.get().then_some("rest")>
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
        // The customer list, the overview and the settings show as soon as the customers
        // are read; the other pages wait for the rest (`AppState::rest_loading`), so none of
        // them shows an empty state, or edits records, before those are in.
        match app.route.get() {
            Route::Overview => view! { <pages::overview::Overview /> }.into_any(),
            Route::Customers => view! { <pages::customers::CustomerList /> }.into_any(),
            Route::Settings => view! { <pages::settings::SettingsPage /> }.into_any(),
            Route::CustomerNew => after_rest(app, || view! { <pages::customer_form::CustomerForm id=None /> }),
            Route::Customer(id) => after_rest(app, move || view! { <pages::customer::CustomerPage id=id.clone() /> }),
            Route::CustomerEdit(id) => after_rest(app, move || view! { <pages::customer_form::CustomerForm id=Some(id.clone()) /> }),
            Route::Value => after_rest(app, || view! { <pages::value::ValuePage /> }),
            Route::Segments => after_rest(app, || view! { <pages::segments::SegmentsPage /> }),
            Route::Satisfaction => after_rest(app, || view! { <pages::satisfaction::SatisfactionPage path=String::new() /> }),
            Route::SatisfactionAt(path) => after_rest(app, move || view! { <pages::satisfaction::SatisfactionPage path=path.clone() /> }),
            Route::Import => after_rest(app, || view! { <pages::import::ImportPage /> }),
            Route::Complaints => after_rest(app, || view! { <pages::complaints::ComplaintsPage /> }),
            Route::Visits => after_rest(app, || view! { <pages::visits::VisitsPage /> }),
            Route::Data => after_rest(app, || view! { <pages::data::DataPage /> }),
            Route::NotFound(_) => view! { <p class="empty">{move || app.t().not_found}</p> }.into_any(),
        }
    }
}

/// `page` once the rest of the records is read after start-up (`AppState::rest_loading`),
/// "loading" until then. The customer list, the overview and the settings show as soon as
/// the customers are read; every other page waits, so none shows an empty state, or edits
/// records, before they are in.
fn after_rest<V: IntoView + 'static>(app: AppState, page: impl Fn() -> V + Send + Sync + 'static) -> AnyView {
    view! {
        <Show when=move || !app.rest_loading.get() fallback=move || view! { <div class="page-loading" data-testid="page-loading-rest">{move || app.t().loading}</div> }>
            {page()}
        </Show>
    }
    .into_any()
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
