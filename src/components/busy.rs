//! Progress overlay for long operations (loading, importing, writing).

use crate::state::use_app;
use leptos::prelude::*;

/// Shown while `AppState::busy` is set. The overlay is built once per operation and only
/// its label and bar follow the progress, so the Cancel button stays the same element
/// (rebuilding it on every progress report made it impossible to click during a run that
/// reports often).
#[component]
pub fn BusyOverlay() -> impl IntoView {
    let app = use_app();
    let active = Memo::new(move |_| app.busy.with(Option::is_some));
    let label = move || app.busy.with(|b| b.as_ref().map(|b| b.label.clone()).unwrap_or_default());
    let pct = move || app.busy.with(|b| b.as_ref().and_then(|b| b.progress).map(|(d, t)| if t == 0 { 100.0 } else { d as f64 * 100.0 / t as f64 }));
    move || {
        active.get().then(|| {
            view! {
                <div class="busy" role="status" aria-live="polite" data-testid="busy">
                    <div class="busy-box">
                        <div>{label}</div>
                        <div class="bar">
                            <div class="bar-fill" class:indeterminate=move || pct().is_none()
                                style:width=move || format!("{:.1}%", pct().unwrap_or(30.0))></div>
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
