//! The chip a list shows while it holds only the records of a dashboard tile
//! (`AppState::pick`, set by `pages::dashboard`), with the button that shows all again.

use crate::i18n::dashboard::texts;
use crate::i18n::fill;
use crate::state::use_app;
use clientscope_core::dashboard::ListKind;
use leptos::prelude::*;

/// The chip, shown while the pick is of `kind`.
#[component]
pub fn PickChip(kind: ListKind) -> impl IntoView {
    let app = use_app();
    move || {
        let t = texts(app.lang.get());
        app.pick.get().filter(|p| p.kind == kind).map(|p| {
            view! {
                <div class="stated pick-chip" data-testid="pick-chip" role="status">
                    <span>{fill(t.pick_label, &[("what", &p.label)])}" · "{fill(t.pick_count, &[("n", &p.ids.len())])}</span>
                    <button class="ghost" data-testid="pick-clear" on:click=move |_| app.pick.set(None)>{t.pick_clear}</button>
                </div>
            }
        })
    }
}
