//! The wizard's long steps, each with the busy overlay and progress. Opening the file and
//! running the import over every row (decode → rows → importer, all in the core) run in
//! the worker (`jobs::import_open`, `jobs::import_check`), which the page hands the
//! browser's `File` and which keeps the bytes: the page's thread only shows the sample,
//! the progress and the outcome. Writing the result (snapshot, one IndexedDB transaction,
//! then the signals) runs here.

use super::{Body, Source, Step, Wizard};
use crate::i18n::fill;
use crate::i18n::import::texts;
use crate::jobs::{self, JobError};
use crate::state::{self, yield_now, AppState, Busy, LinesEdit, Toast, Undo};
use crate::store::SnapshotReason;
use crate::worker::protocol::{CheckJob, FileRef, Opened};
use clientscope_core::io::import::{ImportOutcome, UnknownChoice};
use clientscope_core::model::Dataset;
use leptos::prelude::*;
use std::sync::Arc;

/// The chosen file of `src`, if it is still held.
fn file_of(src: &Source) -> Option<web_sys::File> {
    crate::files::held(src.token)
}

fn show(app: AppState, label: String, done: usize, total: usize) {
    app.busy.set(Some(Busy { label, progress: (total > 0).then_some((done.min(total), total)) }));
}

/// A job's error as the wizard shows it (nothing for a cancel: the user asked for it).
fn shown(app: AppState, e: JobError) -> Option<String> {
    (e != JobError::Cancelled).then(|| e.shown(app))
}

impl Source {
    /// The file as the worker knows it.
    fn file_ref(&self) -> FileRef {
        FileRef { token: self.token, name: self.name.clone() }
    }
}

/// Opens the file in the worker (text in `encoding`, or detected; a workbook's `sheet`, or
/// its first) with the busy overlay; a failure is shown in the wizard (a cancel is not).
async fn open(app: AppState, w: Wizard, file: &web_sys::File, fref: FileRef, encoding: Option<String>, sheet: Option<String>) -> Option<Opened> {
    let t = texts(app.lang.get_untracked());
    app.begin(&fill(t.reading_file, &[("file", &fref.name)]));
    let opened = jobs::import_open(app, file, fref, encoding, sheet).await;
    app.end();
    match opened {
        Ok(o) => {
            w.error.set(None);
            Some(o)
        }
        Err(e) => {
            w.error.set(shown(app, e));
            None
        }
    }
}

/// Opens the chosen file in the worker and shows its first rows.
pub(super) async fn load_file(app: AppState, w: Wizard, file: web_sys::File) {
    let name = file.name();
    w.reset();
    let token = crate::files::hold(file.clone());
    let Some(o) = open(app, w, &file, FileRef { token, name: name.clone() }, None, None).await else { return };
    w.sheet.set(o.sample.sheet.clone());
    w.source.set(Some(Arc::new(Source { name, size: o.size as usize, body: o.body, token })));
    w.sample.set(Some(Arc::new(o.sample)));
}

/// Reads the text again in the encoding the user chose (`None`: detect).
pub(super) async fn reencode(app: AppState, w: Wizard, label: Option<String>) {
    let Some(src) = w.source.get_untracked() else { return };
    let Some(file) = file_of(&src) else { return };
    let Some(o) = open(app, w, &file, src.file_ref(), label, None).await else { return };
    w.source.set(Some(Arc::new(Source { name: src.name.clone(), size: o.size as usize, body: o.body, token: src.token })));
    w.sample.set(Some(Arc::new(o.sample)));
}

/// Shows the first rows of another sheet.
pub(super) async fn choose_sheet(app: AppState, w: Wizard, sheet: String) {
    let Some(src) = w.source.get_untracked() else { return };
    if !matches!(src.body, Body::Workbook { .. }) {
        return;
    }
    let Some(file) = file_of(&src) else { return };
    let Some(o) = open(app, w, &file, src.file_ref(), None, Some(sheet.clone())).await else { return };
    w.sheet.set(Some(sheet));
    w.sample.set(Some(Arc::new(o.sample)));
}

/// Runs the whole import in the worker (nothing is written): every row is read and
/// checked with progress; the outcome goes to the review step.
pub(super) async fn check(app: AppState, w: Wizard) {
    let Some(src) = w.source.get_untracked() else { return };
    let Some(file) = file_of(&src) else { return };
    let t = texts(app.lang.get_untracked());
    let survey_id = w.survey.get_untracked();
    let survey = survey_id.as_deref().and_then(|id| app.data.surveys.with_untracked(|s| s.iter().find(|s| s.id == id).cloned()));
    let now = chrono::Utc::now();
    let encoding = match &src.body {
        Body::Text { forced, .. } => forced.clone(),
        Body::Workbook { .. } => None,
    };
    let job = CheckJob {
        file: src.file_ref(),
        encoding,
        sheet: w.sheet.get_untracked(),
        kind: w.kind.get_untracked(),
        mapping: w.mapping.get_untracked(),
        survey,
        merge: w.merge.get_untracked(),
        now,
        id_prefix: format!("i{}-", now.timestamp_millis()),
    };
    w.outcome.set(None);
    w.error.set(None);
    app.begin(t.checking);
    let progress = move |done: usize, total: usize| {
        let (rows, rejected) = jobs::checked_rows();
        show(app, fill(t.checking_rows, &[("rows", &rows), ("rejected", &rejected)]), done, total);
    };
    let result: Result<ImportOutcome, JobError> = jobs::import_check(app, &file, job, progress).await;
    app.end();
    match result {
        Ok(outcome) => {
            w.page.set(0);
            w.outcome.set(Some(Arc::new(outcome)));
            w.step.set(Step::Review);
        }
        Err(e) => w.error.set(shown(app, e)),
    }
}

/// Writes the checked import: a snapshot of the current data, then every record in one
/// IndexedDB transaction, then the signals; a toast offers undo (restore the snapshot).
pub(super) async fn commit(app: AppState, w: Wizard) {
    let Some(outcome) = w.outcome.try_update(|o| o.take()).flatten() else { return };
    let lang = app.lang.get_untracked();
    let t = texts(lang);
    let mut outcome = Arc::try_unwrap(outcome).unwrap_or_else(|shared| (*shared).clone());
    app.begin(t.snapshotting);
    yield_now().await;
    // The rows of unknown customers accepted 20,000 at a time (moving a million lines is
    // ~200 MB of copying).
    if let Some(mut resolving) = outcome.start_resolving(w.choice.get_untracked()) {
        while !resolving.step(&mut outcome, 20_000) {
            yield_now().await;
        }
    }
    let plan = outcome.plan();
    state::rest_ready(app).await;
    let had_data = app.data.total_untracked() > 0;
    let updated = std::mem::take(&mut outcome.updated);
    let mut d: Dataset = std::mem::take(&mut outcome.added);
    let new_customers = d.customers.len();
    d.customers.extend(updated);
    let orders = std::mem::take(&mut d.orders);
    let result = async {
        state::take_snapshot(app, SnapshotReason::FileImport).await?;
        let key = if had_data { state::db()?.snapshots().await?.first().map(|s| s.key.clone()) } else { None };
        let progress = move |done: usize, total: usize| show(app, fill(t.writing_rows, &[("done", &done), ("total", &total)]), done, total);
        let lines = LinesEdit::upsert(app, &orders, |done, total| show(app, t.preparing_lines.to_string(), done, total)).await;
        state::db()?.upsert_all(&d, LinesEdit::write(&lines), &progress).await?;
        Ok::<_, crate::store::StoreError>((key, lines))
    }
    .await;
    match result {
        Ok((key, lines)) => {
            state::drop_in_steps(orders);
            apply(app, d, new_customers);
            LinesEdit::apply(lines, app);
            // Only when needed: a change of the UI state re-renders the routed page.
            if !app.ui.with_untracked(|u| u.started) {
                app.update_ui(|u| u.started = true);
            }
            app.end();
            w.done.set(Some((plan, key.is_some())));
            w.reset_after_commit();
            app.toast.set(Some(Toast {
                text: fill(t.imported, &[("add", &plan.add), ("update", &plan.update), ("skip", &plan.skip), ("reject", &plan.reject)]),
                error: false,
                undo: Some(Undo::RestoreSnapshot { key }),
            }));
        }
        Err(e) => {
            app.end();
            // Nothing was written: give the records back so the user can retry.
            outcome.updated = d.customers.split_off(new_customers);
            d.orders = orders;
            outcome.added = d;
            w.outcome.set(Some(Arc::new(outcome)));
            app.fail_store(&e);
        }
    }
}

/// Puts the written records (but the order lines, set as a table) into the signals: new records appended, updated customers
/// (the last ones of `d.customers`, from `new_customers` on) replaced by id.
fn apply(app: AppState, d: Dataset, new_customers: usize) {
    let Dataset { mut customers, contacts, orders: _, interactions, complaints, surveys, responses } = d;
    let updated = customers.split_off(new_customers);
    if !customers.is_empty() || !updated.is_empty() {
        app.data.customers.update(|v| {
            let v = Arc::make_mut(v);
            if !updated.is_empty() {
                let index: std::collections::HashMap<String, usize> = v.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
                for c in updated {
                    match index.get(&c.id) {
                        Some(&i) => v[i] = c,
                        None => v.push(c),
                    }
                }
            }
            v.extend(customers);
        });
    }
    fn extend<T: Clone + Send + Sync + 'static>(s: RwSignal<Arc<Vec<T>>>, items: Vec<T>) {
        if !items.is_empty() {
            s.update(|v| Arc::make_mut(v).extend(items));
        }
    }
    extend(app.data.contacts, contacts);
    extend(app.data.interactions, interactions);
    extend(app.data.complaints, complaints);
    extend(app.data.surveys, surveys);
    extend(app.data.responses, responses);
}

/// Whether a saved choice about unknown customers is needed before confirming.
pub(super) fn needs_choice(o: &ImportOutcome) -> bool {
    !o.pending.is_empty()
}

/// The unknown-customer choice to show in the plan (`None` when nothing is pending).
pub(super) fn effective_choice(o: &ImportOutcome, choice: UnknownChoice) -> Option<UnknownChoice> {
    needs_choice(o).then_some(choice)
}
