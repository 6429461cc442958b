//! The value page (SPEC §3): ABC / Pareto, RFM, the BG/NBD and Gamma-Gamma fits with CLV,
//! the value matrix, key-account grades, lifecycle stages and the warning, win-back and
//! review lists, with a per-customer table exported as CSV.
//!
//! The parameters are a draft edited in place and remembered in `settings.pages["value"]`;
//! nothing is computed until the user presses Compute, which runs the core's
//! [`analyse`] once behind the busy overlay. Every result states the parameters it was
//! computed with, and says so when the draft has changed since.


use crate::charts::value as vcharts;
use crate::components::{chart::{self, Chart}, excel::ExcelButton, format, table_csv::{save_csv, TableCsvButton}};
use crate::i18n::{fill, Label, Texts};
use crate::route::Route;
use crate::state::{self, use_app};
use clientscope_core::io::export::ExportTable;
use clientscope_core::model::{Customer, Date, Language};
use clientscope_core::orders::OrderTable;
use clientscope_core::value::abc::{AbcParams, AbcVariant};
use clientscope_core::value::grade::Grade;
use clientscope_core::value::lifecycle::{ListEntry, ReviewReason, Stage, StageReason};
use clientscope_core::value::change;
use clientscope_core::value::calibration::{calibration_holdout, CalibrationParams, CalibrationReport};
use clientscope_core::value::matrix::{RelationshipType, ValueQuadrant};
use clientscope_core::value::report::PotentialSource;
use clientscope_core::value::rfm::{RfmScoring, RfmSegment};
use clientscope_core::value::{FitError, Metric, TimeUnit, ValueParams, ValueReport};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use wasm_bindgen::JsCast;

mod checks;
mod customer_card;
mod form;
mod labels;
mod relationship;
mod results;

use checks::*;
use form::*;
use labels::*;
use relationship::*;
use results::*;
pub use customer_card::{remembered_params, CustomerValueCard};
pub(crate) use labels::{grade_label, stage_label};

/// Key of the remembered parameters in `settings.pages`.
const SETTINGS_KEY: &str = "value";
/// Rows shown of each list.
const LIST_ROWS: usize = 50;
/// Rows per page of the per-customer table.
const PAGE_ROWS: usize = 50;

/// The last result with the records it was computed on.
type LastResult = (Arc<ValueReport>, Arc<Vec<Customer>>, Arc<OrderTable>);

thread_local! {
    /// The last result, so that going to a customer and back does not lose it. It is shown
    /// again only while the customers and orders are the very same (`Arc::ptr_eq`): any
    /// edit or import replaces them, and a stale result is never shown.
    static LAST: std::cell::RefCell<Option<LastResult>> = const { std::cell::RefCell::new(None) };
}

/// What is remembered: the parameters, and the as-of date only when the user chose one
/// (otherwise the page opens on today).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Saved {
    /// The as-of date the user chose (`None`: today).
    #[serde(default)]
    as_of: Option<Date>,
    /// Every other parameter.
    params: ValueParams,
}

/// An edit of the draft parameters.
type Edit = Arc<dyn Fn(&mut ValueParams) + Send + Sync>;

/// The value page.
#[component]
pub fn ValuePage() -> impl IntoView {
    let app = use_app();
    let today = chrono::Local::now().date_naive();
    let saved: Option<Saved> = app
        .settings
        .with_untracked(|s| s.pages.get(SETTINGS_KEY).cloned())
        .and_then(|v| serde_json::from_value(v).ok());
    let pinned = RwSignal::new(saved.as_ref().and_then(|s| s.as_of));
    let draft = RwSignal::new(match saved {
        Some(s) => ValueParams { as_of: s.as_of.unwrap_or(today), ..s.params },
        None => ValueParams::new(today),
    });
    let remember = move || {
        let value = serde_json::to_value(Saved { as_of: pinned.get_untracked(), params: draft.get_untracked() });
        if let Ok(v) = value {
            app.update_settings(|s| {
                s.pages.insert(SETTINGS_KEY.to_string(), v);
            });
        }
    };
    let edit = move |f: &dyn Fn(&mut ValueParams)| {
        draft.update(|p| f(p));
        remember();
    };

    let last = LAST.with(|l| l.borrow().clone()).filter(|(_, c, o)| {
        app.data.customers.with_untracked(|now| Arc::ptr_eq(now, c)) && app.data.orders.with_untracked(|now| Arc::ptr_eq(now, o))
    });
    let report: RwSignal<Option<Arc<ValueReport>>> = RwSignal::new(last.as_ref().map(|l| l.0.clone()));
    let used: RwSignal<Arc<Vec<Customer>>> = RwSignal::new(last.map(|l| l.1).unwrap_or_default());
    // Kept in both languages: shown in the language of the moment.
    let error: RwSignal<Option<clientscope_core::error::Bilingual>> = RwSignal::new(None);
    let page = RwSignal::new(0_usize);
    let stale = move || draft.with(|d| report.with(|r| r.as_ref().is_some_and(|r| &r.params != d)));

    let compute = move |_| {
        let t = app.t_untracked();
        // Checked here to say what is wrong at once; the worker checks again.
        if let Err(e) = draft.get_untracked().check() {
            error.set(Some(crate::i18n::why_both(|l| crate::i18n::texts(l).value_invalid, &e)));
            return;
        }
        remember();
        leptos::task::spawn_local(async move {
            app.begin(t.value_computing);
            state::yield_now().await;
            let params = draft.get_untracked();
            let result = crate::jobs::value(app, &params, move |done, total| app.progress(done, total)).await;
            // The results are built in a task after the one that decoded the reply.
            state::yield_now().await;
            app.end();
            match result {
                Ok((r, (customers, orders))) => {
                    let r = Arc::new(r);
                    LAST.with(|l| *l.borrow_mut() = Some((r.clone(), customers.clone(), orders.clone())));
                    used.try_set(customers);
                    page.try_set(0);
                    error.try_set(None);
                    report.try_set(Some(r));
                }
                Err(crate::jobs::JobError::Cancelled) => app.say(t.job_cancelled),
                Err(e) => {
                    error.try_set(Some(crate::i18n::why_both(|l| crate::i18n::texts(l).value_invalid, &e)));
                }
            }
        });
    };

    // The per-customer table as exported (CSV and Excel): file stem, header, rows.
    let value_table = move || {
        let t = app.t_untracked();
        let lang = app.lang.get_untracked();
        let r = report.get_untracked()?;
        let cs = used.get_untracked();
        let headers: Vec<String> = csv_headers(t).into_iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = r.abc.order.iter().map(|&i| csv_row(t, lang, &r.customers[i], cs.get(i))).collect();
        Some((format!("clientscope-value-{}", r.params.as_of), headers, rows))
    };
    let export_csv = move |_| {
        if let Some((stem, headers, rows)) = value_table() {
            save_csv(app, &format!("{stem}.csv"), &headers, rows);
        }
    };
    let export_xlsx = Callback::new(move |()| {
        value_table().map(|(stem, headers, rows)| (stem.clone(), ExportTable::from_shown(stem, headers, rows))).ok_or_else(|| app.t_untracked().export_nothing.to_string())
    });

    let as_of_name = move || report.with(|r| r.as_ref().map(|r| r.params.as_of.to_string()).unwrap_or_default());

    view! {
        <section class="page value-page" data-testid="page-value">
            <div class="page-head">
                <h1>{move || app.t().value_title}</h1>
            </div>
            <div class="card">
                <h2>{move || app.t().value_params}</h2>
                <ParamsForm draft=draft pinned=pinned edit=Callback::new(move |f: Edit| edit(&*f)) today=today />
                <div class="actions value-actions">
                    <button class="primary" data-testid="value-compute" on:click=compute>{move || app.t().value_compute}</button>
                    <Show when=stale>
                        <span class="warn" data-testid="value-stale">{move || app.t().value_stale}</span>
                    </Show>
                </div>
                {move || error.get().map(|e| view! { <p class="error-box" role="alert" data-testid="value-error">{e.get(app.lang.get()).to_string()}</p> })}
            </div>
            {move || match report.get() {
                None => view! { <p class="empty" data-testid="value-empty">{app.t().value_press_compute}</p> }.into_any(),
                Some(r) => view! { <Results r=r used=used page=page export_csv=Callback::new(export_csv) export_xlsx=export_xlsx as_of_name=Signal::derive(as_of_name) /> }.into_any(),
            }}
        </section>
    }
}
