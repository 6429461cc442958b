//! The segments page (being built).

use crate::pages::placeholder::Placeholder;
use crate::route::Route;
use leptos::prelude::*;

/// The segments page.
#[component]
pub fn SegmentsPage() -> impl IntoView {
    
    view! { <Placeholder route=Route::Segments /> }
}
