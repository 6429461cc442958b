//! The audit trail as CSV: every event of every complaint exported with the core's
//! `write_audit`, and a file read back with `read_audit`. Unreadable rows and events the
//! workflow refuses are listed by file row; the complaints that replay cleanly are saved
//! (replacing stored ones with the same id).

use super::shared::Page;
use crate::i18n::fill;
use crate::state;
use clientscope_core::service::complaints::{read_audit, write_audit, AuditIssue, RejectedEvent};
use leptos::prelude::*;

/// What the last import found.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    issues: Vec<AuditIssue>,
    rejected: Vec<RejectedEvent>,
}

/// The audit tab.
#[component]
pub fn Audit(page: Page) -> impl IntoView {
    let app = page.app;
    let outcome = RwSignal::new(None::<Outcome>);
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        let text = app.data.complaints.with_untracked(|cs| write_audit(cs));
        let text = format!("\u{feff}{text}");
        if let Err(e) = crate::files::download("complaints-audit.csv", &text, "text/csv;charset=utf-8") {
            app.fail(fill(page.tu().file_failed, &[("why", &e)]));
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        outcome.set(None);
        error.set(None);
        leptos::task::spawn_local(async move {
            let t = page.tu();
            let lang = app.lang.get_untracked();
            let text = match crate::files::read_text(&file).await {
                Ok(text) => text,
                Err(e) => return error.set(Some(fill(t.file_failed, &[("why", &e)]))),
            };
            let read = match read_audit(&text) {
                Ok(r) => r,
                Err(e) => return error.set(Some(e.message(lang))),
            };
            let refused: std::collections::HashSet<&str> = read.rejected.iter().map(|r| r.complaint_id.as_str()).collect();
            let clean: Vec<_> = read.complaints.iter().filter(|c| !refused.contains(c.id.as_str())).cloned().collect();
            let n = clean.len();
            let result = Outcome { issues: read.issues.clone(), rejected: read.rejected.clone() };
            match state::save_complaints(app, clean).await {
                Ok(()) => {
                    app.say(fill(t.audit_imported, &[("n", &n)]));
                    outcome.set(Some(result));
                }
                Err(e) => app.fail_store(&e),
            }
        });
    };
    view! {
        <div class="card">
            <h3>{move || page.t().audit_export}</h3>
            <p class="muted small">{move || page.t().audit_export_hint}</p>
            <button class="primary" data-testid="audit-export" on:click=export>{move || page.t().audit_export}</button>
        </div>
        <div class="card">
            <h3>{move || page.t().audit_import}</h3>
            <p class="muted small">{move || page.t().audit_import_hint}</p>
            <label class="button file-button">
                {move || page.t().audit_import}
                <input type="file" accept=".csv,text/csv" data-testid="audit-import-file" on:change=on_file />
            </label>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert" data-testid="audit-error">{m}</p> })}
            {move || outcome.get().map(|o| {
                let t = page.t();
                let lang = app.lang.get();
                view! {
                    {(!o.issues.is_empty()).then(|| view! {
                        <h4>{t.audit_issues}</h4>
                        <div class="table-wrap">
                            <table class="table" data-testid="audit-issues">
                                <thead><tr><th class="num">{t.col_row}</th><th>{t.col_column}</th><th>{t.col_problem}</th></tr></thead>
                                <tbody>{o.issues.iter().map(|i| view! {
                                    <tr><td class="num">{i.row}</td><td>{i.column.clone()}</td><td class="wrap">{i.what.message(lang)}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        </div>
                    })}
                    {(!o.rejected.is_empty()).then(|| view! {
                        <h4>{t.audit_rejected}</h4>
                        <div class="table-wrap">
                            <table class="table" data-testid="audit-rejected">
                                <thead><tr><th class="num">{t.col_row}</th><th>{t.col_complaint}</th><th>{t.col_reason}</th></tr></thead>
                                <tbody>{o.rejected.iter().map(|r| view! {
                                    <tr><td class="num">{r.row.map(|x| x.to_string()).unwrap_or_default()}</td><td>{r.complaint_id.clone()}</td><td class="wrap">{r.error.message(lang)}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        </div>
                    })}
                }
            })}
        </div>
    }
}
