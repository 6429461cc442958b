//! First-run screen: demo data, a backup, or an empty start.

use crate::state::{self, use_app};
use leptos::prelude::*;

/// The welcome screen.
#[component]
pub fn Welcome() -> impl IntoView {
    let app = use_app();
    let demo = move |_| state::run(app, state::load_demo(app));
    let import = move |_| {
        app.update_ui(|u| u.started = true);
        app.go(&crate::route::Route::Data);
    };
    let empty = move |_| {
        app.update_ui(|u| u.started = true);
        app.go(&crate::route::Route::Customers);
    };
    view! {
        <section class="welcome" data-testid="welcome">
            <img src="icon.svg" alt="" width="72" height="72" />
            <h1>{move || app.t().welcome_title}</h1>
            <p class="muted">{move || app.t().app_tagline}</p>
            <p>{move || app.t().welcome_text}</p>
            <div class="choices">
                <button class="choice primary" data-testid="welcome-demo" on:click=demo>
                    <strong>{move || app.t().welcome_demo}</strong>
                    <span>{move || app.t().welcome_demo_hint}</span>
                </button>
                <button class="choice" data-testid="welcome-import" on:click=import>
                    <strong>{move || app.t().welcome_import}</strong>
                    <span>{move || app.t().welcome_import_hint}</span>
                </button>
                <button class="choice" data-testid="welcome-empty" on:click=empty>
                    <strong>{move || app.t().welcome_empty}</strong>
                    <span>{move || app.t().welcome_empty_hint}</span>
                </button>
            </div>
            <p class="welcome-import-file">
                <a href=crate::route::Route::Import.href() data-testid="welcome-import-file" on:click=move |_| app.update_ui(|u| u.started = true)>
                    {move || crate::i18n::import::texts(app.lang.get()).welcome_import_file}
                </a>
            </p>
        </section>
    }
}
