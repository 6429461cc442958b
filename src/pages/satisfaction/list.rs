//! The list of surveys: create one from a template, open its views, delete it (with its
//! responses, after confirmation).

use super::{actions, href, st};
use crate::components::{confirm::Confirm, format};
use crate::i18n::fill;
use crate::route::Route;
use crate::state::{self, use_app};
use clientscope_core::satisfaction::scale;
use clientscope_core::satisfaction::templates::{from_template, Template};
use leptos::prelude::*;

fn template_label(t: Template) -> &'static str {
    let s = st();
    match t {
        Template::NaturalGas => s.template_gas,
        Template::Acsi => s.template_acsi,
        Template::Ccsi => s.template_ccsi,
        Template::Blank => s.template_blank,
    }
}

/// The survey list.
#[component]
pub fn SurveyList() -> impl IntoView {
    let app = use_app();
    let name = RwSignal::new(String::new());
    let template = RwSignal::new(Template::NaturalGas);
    let error = RwSignal::new(None::<String>);
    let to_delete = RwSignal::new(None::<(String, String)>);
    let confirm_open = RwSignal::new(false);

    let create = move |_| {
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            error.set(Some(st().name_required.to_string()));
            return;
        }
        error.set(None);
        let id = actions::new_id("S", |c| app.data.surveys.with_untracked(|v| v.iter().any(|s| s.id == c)));
        let s = from_template(template.get_untracked(), &id, &n, app.lang.get_untracked(), chrono::Utc::now());
        state::run(app, async move {
            actions::save_survey(app, s).await?;
            app.go(&Route::SatisfactionAt(format!("{id}/design")));
            Ok(())
        });
    };
    let do_delete = move |_| {
        if let Some((id, name)) = to_delete.get_untracked() {
            state::run(app, async move {
                actions::delete_survey(app, &id).await?;
                app.say(fill(st_untracked(app).deleted, &[("name", &name)]));
                Ok(())
            });
        }
    };

    view! {
        <section class="page sat-page" data-testid="page-satisfaction">
            <div class="page-head"><h1>{move || st().title}</h1></div>
            <p class="muted">{move || st().workflow}</p>
            <div class="card">
                <h2>{move || st().new_survey}</h2>
                <div class="form-grid">
                    <label class="field">
                        <span>{move || st().survey_name}</span>
                        <input type="text" data-testid="sat-new-name" prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span>{move || st().template}</span>
                        <select data-testid="sat-new-template" on:change=move |ev| {
                            if let Some(t) = Template::from_key(&event_target_value(&ev)) { template.set(t) }
                        }>
                            {Template::ALL.into_iter().map(|t| view! {
                                <option value=t.key() selected=move || template.get() == t>{move || template_label(t)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <div class="actions">
                    <button class="primary" data-testid="sat-create" on:click=create>{move || st().create}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="field-error" data-testid="sat-create-error">{e}</p> })}
            </div>
            <div class="card">
                <h2>{move || st().surveys}</h2>
                {move || {
                    let surveys = app.data.surveys.get();
                    if surveys.is_empty() {
                        return view! { <p class="empty" data-testid="sat-empty">{st().no_surveys}</p> }.into_any();
                    }
                    let s = st();
                    let lang = app.lang.get();
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="table cards" data-testid="sat-survey-table">
                                <thead><tr>
                                    <th>{s.survey_name}</th><th>{s.scale}</th><th class="num">{s.questions}</th>
                                    <th class="num">{s.responses}</th><th>{s.updated}</th><th><span class="sr-only">{app.t().col_actions}</span></th>
                                </tr></thead>
                                <tbody>
                                    {surveys.iter().map(|sv| {
                                        // The respondents the analysis counts (blank drafts left out).
                                        let n = app.data.responses.with(|v| clientscope_core::satisfaction::analysis::responses_of(sv, v).len());
                                        let (id, nm) = (sv.id.clone(), sv.name.clone());
                                        view! {
                                            <tr data-testid="sat-survey-row">
                                                <td><a href=href(&sv.id, "design") data-testid="sat-open">{sv.name.clone()}</a></td>
                                                <td data-label=s.scale>{scale::describe(sv.scale, lang)}</td>
                                                <td class="num" data-label=s.questions>{sv.root.leaves().len()}</td>
                                                <td class="num" data-label=s.responses data-testid="sat-row-responses">{format::number(n as f64, 0)}</td>
                                                <td data-label=s.updated>{format::timestamp(&sv.updated_at, lang)}</td>
                                                <td class="sat-row-actions">
                                                    <a href=href(&sv.id, "entry") data-testid="sat-open-entry">{s.tab_entry}</a>
                                                    <a href=href(&sv.id, "analysis") data-testid="sat-open-analysis">{s.tab_analysis}</a>
                                                    <a href=href(&sv.id, "report") data-testid="sat-open-report">{s.tab_report}</a>
                                                    <button class="ghost small" data-testid="sat-delete" on:click=move |_| {
                                                        to_delete.set(Some((id.clone(), nm.clone())));
                                                        confirm_open.set(true);
                                                    }>{app.t().delete}</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </div>
            <Confirm open=confirm_open
                title=Signal::derive(move || st().delete_title.to_string())
                text=Signal::derive(move || {
                    let (id, name) = to_delete.get().unwrap_or_default();
                    let n = app.data.responses.with(|v| v.iter().filter(|r| r.survey_id == id).count());
                    fill(st().delete_text, &[("name", &name), ("n", &n)])
                })
                confirm_label=Signal::derive(move || app.t().delete.to_string())
                on_confirm=Callback::new(do_delete) />
        </section>
    }
}

/// The satisfaction texts, untracked (for actions).
pub(crate) fn st_untracked(app: state::AppState) -> &'static crate::i18n::satisfaction::SatTexts {
    crate::i18n::satisfaction::texts(app.lang.get_untracked())
}
