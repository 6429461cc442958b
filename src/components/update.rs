//! "A new version is ready" banner, shown when the service worker has installed a newer
//! build. The running version keeps working until the user chooses to reload.

use crate::state::use_app;
use leptos::prelude::*;

/// The banner.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let app = use_app();
    move || {
        app.update_ready.get().then(|| {
            view! {
                <div class="update" role="status" data-testid="update-banner">
                    <span>{move || app.t().update_available}</span>
                    <button on:click=move |_| crate::pwa::activate_update()>{move || app.t().update_reload}</button>
                    <button class="ghost" on:click=move |_| app.update_ready.set(false)>{move || app.t().dismiss}</button>
                </div>
            }
        })
    }
}
