//! Pages whose capability is not built yet: they say what will come there and how many
//! related records are already stored. No numbers are invented.

use crate::route::Route;
use crate::state::use_app;
use crate::i18n::fill;
use leptos::prelude::*;

/// Placeholder for a capability still to come.
#[component]
pub fn Placeholder(route: Route) -> impl IntoView {
    let app = use_app();
    let d = app.data;
    let r = route.clone();
    let title = move || {
        let t = app.t();
        match &r {
            Route::Value => t.nav_value,
            Route::Segments => t.nav_segments,
            Route::Satisfaction => t.nav_satisfaction,
            Route::Complaints => t.nav_complaints,
            _ => t.nav_visits,
        }
    };
    let r2 = route.clone();
    let text = move || {
        let t = app.t();
        match &r2 {
            Route::Value => t.placeholder_value,
            Route::Segments => t.placeholder_segments,
            Route::Satisfaction => t.placeholder_satisfaction,
            Route::Complaints => t.placeholder_complaints,
            _ => t.placeholder_visits,
        }
    };
    let r3 = route.clone();
    let related = move || match &r3 {
        Route::Value => d.orders.with(|v| v.len()),
        Route::Segments => d.customers.with(|v| v.len()),
        Route::Satisfaction => d.responses.with(|v| v.len()) + d.surveys.with(|v| v.len()),
        Route::Complaints => d.complaints.with(|v| v.len()),
        _ => d.interactions.with(|v| v.len()),
    };
    let testid = match route {
        Route::Value => "page-value",
        Route::Segments => "page-segments",
        Route::Satisfaction => "page-satisfaction",
        Route::Complaints => "page-complaints",
        _ => "page-visits",
    };
    view! {
        <section class="page" data-testid=testid>
            <h1>{title}</h1>
            <div class="card">
                <h2>{move || app.t().placeholder_title}</h2>
                <p>{text}</p>
                <p class="muted">{move || fill(app.t().placeholder_records_now, &[("n", &related())])}</p>
            </div>
        </section>
    }
}
