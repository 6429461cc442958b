//! Settings: language, and what the app is.

use crate::i18n::fill;
use crate::state::use_app;
use clientscope_core::model::Language;
use leptos::prelude::*;

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = use_app();
    view! {
        <section class="page" data-testid="page-settings">
            <h1>{move || app.t().settings_title}</h1>
            <div class="card">
                <h2>{move || app.t().settings_language}</h2>
                <label class="radio">
                    <input type="radio" name="lang" data-testid="lang-zh"
                        prop:checked=move || app.lang.get() == Language::ZhCn
                        on:change=move |_| app.set_language(Language::ZhCn) />
                    "简体中文"
                </label>
                <label class="radio">
                    <input type="radio" name="lang" data-testid="lang-en"
                        prop:checked=move || app.lang.get() == Language::En
                        on:change=move |_| app.set_language(Language::En) />
                    "English"
                </label>
            </div>
            <crate::pages::complaints::ComplaintSettings />
            <div class="card">
                <h2>{move || app.t().settings_about}</h2>
                <p>{move || fill(app.t().settings_version, &[
                    ("version", &crate::APP_VERSION),
                    ("format", &clientscope_core::backup::FORMAT_VERSION),
                ])}</p>
                <p class="muted">{move || app.t().settings_privacy}</p>
            </div>
        </section>
    }
}
