//! The toast: a short message, with "undo" where the action can be undone.

use crate::state::{self, use_app};
use leptos::prelude::*;
use std::time::Duration;

/// Shown while `AppState::toast` is set; disappears after a while unless it offers undo.
#[component]
pub fn ToastBar() -> impl IntoView {
    let app = use_app();
    Effect::new(move |_| {
        if let Some(t) = app.toast.get() {
            let wait = if t.undo.is_some() || t.error { 15 } else { 5 };
            let shown = t.clone();
            set_timeout(
                move || {
                    if app.toast.get_untracked().as_ref() == Some(&shown) {
                        app.toast.set(None);
                    }
                },
                Duration::from_secs(wait),
            );
        }
    });
    move || {
        app.toast.get().map(|t| {
            let undo = t.undo.clone();
            view! {
                <div class="toast" class:error=t.error role="status" aria-live="polite" data-testid="toast">
                    <span>{t.text.clone()}</span>
                    {undo.map(|u| view! {
                        <button data-testid="undo" on:click=move |_| {
                            app.toast.set(None);
                            state::run(app, state::undo(app, u.clone()));
                        }>{move || app.t().undo}</button>
                    })}
                    <button class="ghost" aria-label=move || app.t().dismiss on:click=move |_| app.toast.set(None)>"×"</button>
                </div>
            }
        })
    }
}
