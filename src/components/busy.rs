//! Progress overlay for long operations (loading, importing, writing).

use crate::state::use_app;
use leptos::prelude::*;

/// Shown while `AppState::busy` is set.
#[component]
pub fn BusyOverlay() -> impl IntoView {
    let app = use_app();
    move || {
        app.busy.get().map(|b| {
            let pct = b.progress.map(|(d, t)| if t == 0 { 100.0 } else { d as f64 * 100.0 / t as f64 });
            view! {
                <div class="busy" role="status" aria-live="polite" data-testid="busy">
                    <div class="busy-box">
                        <div>{b.label.clone()}</div>
                        <div class="bar">
                            <div class="bar-fill" class:indeterminate=pct.is_none()
                                style:width=format!("{:.1}%", pct.unwrap_or(30.0))></div>
                        </div>
                        {move || app.cancel_offered.get().then(|| view! {
                            <button class="ghost small" data-testid="busy-cancel" on:click=move |_| crate::jobs::cancel()>
                                {move || app.t().cancel}
                            </button>
                        })}
                    </div>
                </div>
            }
        })
    }
}
