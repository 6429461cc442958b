//! The satisfaction page (being built).

use crate::pages::placeholder::Placeholder;
use crate::route::Route;
use leptos::prelude::*;

/// The satisfaction page.
#[component]
pub fn SatisfactionPage(path: String) -> impl IntoView {
    let _ = path;
    view! { <Placeholder route=Route::Satisfaction /> }
}
