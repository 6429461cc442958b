//! A modal confirmation dialog for destructive actions.

use crate::state::use_app;
use leptos::prelude::*;

/// Asks before doing something destructive. `open` shows it; confirming calls `on_confirm`.
#[component]
pub fn Confirm(
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
    /// Title.
    #[prop(into)]
    title: Signal<String>,
    /// Explanation of what will happen.
    #[prop(into)]
    text: Signal<String>,
    /// Label of the confirming button.
    #[prop(into)]
    confirm_label: Signal<String>,
    /// What confirming does.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    move || {
        open.get().then(|| {
            view! {
                <div class="modal-backdrop" on:click=move |_| open.set(false)>
                    <div class="modal" role="alertdialog" aria-modal="true" data-testid="confirm-dialog"
                        on:click=|ev| ev.stop_propagation()>
                        <h2>{move || title.get()}</h2>
                        <p>{move || text.get()}</p>
                        <div class="actions">
                            <button class="ghost" data-testid="confirm-cancel" on:click=move |_| open.set(false)>
                                {move || app.t().cancel}
                            </button>
                            <button class="danger" data-testid="confirm-ok" on:click=move |_| {
                                open.set(false);
                                on_confirm.run(());
                            }>{move || confirm_label.get()}</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
