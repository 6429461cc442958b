//! The import wizard (being built).

use crate::pages::placeholder::Placeholder;
use crate::route::Route;
use leptos::prelude::*;

/// The import wizard.
#[component]
pub fn ImportPage() -> impl IntoView {
    view! { <Placeholder route=Route::Data /> }
}
