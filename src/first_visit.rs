//! The first-visit welcome: a small separate wasm (`src/bin/clientscope-welcome.rs`) that a
//! browser with no Clientscope data loads instead of the whole app.
//!
//! Why a separate module: the whole app is one wasm of every page, chart and importer
//! (about 2.2 MB gzip); a first visit over 4G would wait for all of it before it could
//! choose how to start. The boot script (`scripts/post-build.mjs` writes it) starts this
//! welcome when nothing says the app was used in this browser, and the whole app
//! otherwise. Any choice made here is written as an *intent* (`store::prefs::Intent`) and
//! hands over to the whole app (`window.clientscopeEnter`), which carries it out; a change
//! of the address's hash (a link, a bookmark) hands over too. Meanwhile the service
//! worker, registered once this screen is up, fetches the whole app into its cache.
//!
//! It shows the same welcome as the app (`pages::welcome`), with the same texts and
//! `data-testid`s, so people and tests see one screen either way.

use crate::i18n;
use crate::store::prefs::{self, Intent};
use clientscope_core::model::Language;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Defined by the boot script: unmounts this screen and starts the whole app.
    #[wasm_bindgen(js_namespace = window, js_name = clientscopeEnter)]
    fn enter();
}

/// Mounts the welcome on `<body>`.
pub fn start() {
    crate::crash::install();
    leptos::mount::mount_to_body(Welcome);
}

fn choose(intent: Intent) {
    prefs::set_intent(intent);
    enter();
}

#[component]
fn Welcome() -> impl IntoView {
    let lang = RwSignal::new(prefs::load_language());
    let t = move || i18n::texts(lang.get());
    Effect::new(move |_| {
        let code = match lang.get() {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        };
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", code);
        }
        document().set_title(&format!("{} · Clientscope", t().app_name));
    });
    let toggle_lang = move |_| {
        let next = match lang.get_untracked() {
            Language::ZhCn => Language::En,
            Language::En => Language::ZhCn,
        };
        lang.set(next);
        prefs::save_language(next);
    };
    // A link or a typed address: the whole app takes over and shows that view.
    let handle = window_event_listener(leptos::ev::hashchange, move |_| enter());
    on_cleanup(move || handle.remove());
    view! {
        <div class="shell">
            <header class="topbar">
                <span class="brand">
                    <img src="icon.svg" alt="" width="28" height="28" />
                    <span>{move || t().app_name}</span>
                </span>
                <button class="lang" data-testid="lang-switch" on:click=toggle_lang>{move || t().lang_switch}</button>
            </header>
            <main class="main" id="main">
                <section class="welcome" data-testid="welcome">
                    <img src="icon.svg" alt="" width="72" height="72" />
                    <h1>{move || t().welcome_title}</h1>
                    <p class="muted">{move || t().app_tagline}</p>
                    <p>{move || t().welcome_text}</p>
                    <div class="choices">
                        <button class="choice primary" data-testid="welcome-demo" on:click=move |_| choose(Intent::Demo)>
                            <strong>{move || t().welcome_demo}</strong>
                            <span>{move || t().welcome_demo_hint}</span>
                        </button>
                        <button class="choice" data-testid="welcome-import" on:click=move |_| choose(Intent::Restore)>
                            <strong>{move || t().welcome_import}</strong>
                            <span>{move || t().welcome_import_hint}</span>
                        </button>
                        <button class="choice" data-testid="welcome-empty" on:click=move |_| choose(Intent::Empty)>
                            <strong>{move || t().welcome_empty}</strong>
                            <span>{move || t().welcome_empty_hint}</span>
                        </button>
                    </div>
                    <p class="welcome-import-file">
                        <a href=crate::route::Route::Import.href() data-testid="welcome-import-file"
                            on:click=move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                choose(Intent::ImportFile);
                            }>
                            {move || i18n::import::texts(lang.get()).welcome_import_file}
                        </a>
                    </p>
                </section>
            </main>
        </div>
    }
}
