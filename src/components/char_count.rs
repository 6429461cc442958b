//! The "123/20000" counter under a long text field: how many characters it holds and how
//! many the core accepts (the field's `maxlength` is the same limit).

use crate::i18n::fill;
use crate::state::use_app;
use leptos::prelude::*;

/// Characters counted as the core counts them (Unicode scalar values), shown as
/// "{n}/{max}"; it turns to the warning colour in the last tenth.
#[component]
pub fn CharCount(#[prop(into)] count: Signal<usize>, max: usize) -> impl IntoView {
    let app = use_app();
    view! {
        <span class="char-count" class:near=move || { count.get() * 10 >= max * 9 } data-testid="char-count">
            {move || fill(app.t().char_count, &[("n", &count.get()), ("max", &max)])}
        </span>
    }
}
