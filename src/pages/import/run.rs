//! The wizard's long steps, each with the busy overlay and progress, yielding to the
//! browser between chunks so that a million rows never freeze the page: reading the file,
//! running the import (decode → rows → importer, all in the core), and writing the result
//! (snapshot, one IndexedDB transaction, then the signals).

use super::{Body, Source, Step, Wizard};
use crate::i18n::fill;
use crate::i18n::import::texts;
use crate::state::{self, yield_now, AppState, Busy, LinesEdit, Toast, Undo};
use crate::store::SnapshotReason;
use clientscope_core::io::decode::{self, BinaryKind};
use clientscope_core::io::import::{ImportContext, ImportOutcome, Importer, UnknownChoice};
use clientscope_core::io::table::{self, CsvRows, FileFormat, Table, TableError, Workbook};
use clientscope_core::model::Dataset;
use leptos::prelude::*;
use std::sync::Arc;

/// The most rows read between two yields to the browser.
const CHUNK: usize = 20_000;
/// Milliseconds of reading after which the check yields to the browser even before
/// [`CHUNK`] rows (a workbook's rows cost several times a CSV line's): each slice of work
/// stays a short task, so the page keeps answering.
const SLICE_MS: f64 = 25.0;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Whether a slice that started at `started` and has read `rows` rows should yield now
/// (the clock is read every 256 rows).
fn slice_done(started: f64, rows: usize) -> bool {
    rows >= CHUNK || (rows.is_multiple_of(256) && now_ms() - started >= SLICE_MS)
}
/// Rows shown in the raw preview and used as samples in the mapping.
pub(super) const SAMPLE_ROWS: usize = 10;

fn show(app: AppState, label: String, done: usize, total: usize) {
    app.busy.set(Some(Busy { label, progress: (total > 0).then_some((done.min(total), total)) }));
}

/// Reads the chosen file into memory once and shows its first rows.
pub(super) async fn load_file(app: AppState, w: Wizard, file: web_sys::File) {
    let t = texts(app.lang.get_untracked());
    let name = file.name();
    w.reset();
    app.begin(&fill(t.reading_file, &[("file", &name)]));
    yield_now().await;
    let result = async {
        let bytes = crate::files::read_bytes(&file).await.map_err(|e| fill(t.read_failed, &[("detail", &e)]))?;
        yield_now().await;
        open_source(app, name.clone(), bytes, None)
    }
    .await;
    app.end();
    match result {
        Ok((source, sample)) => {
            w.sheet.set(sample.sheet.clone());
            w.source.set(Some(Arc::new(source)));
            w.sample.set(Some(Arc::new(sample)));
        }
        Err(msg) => w.error.set(Some(msg)),
    }
}

/// Builds a source from bytes: a workbook when the signature or the name says so, else
/// text decoded with `encoding` (or detected).
fn open_source(app: AppState, name: String, bytes: Vec<u8>, encoding: Option<&str>) -> Result<(Source, Table), String> {
    let lang = app.lang.get_untracked();
    let size = bytes.len();
    let format = FileFormat::from_name(&name);
    let signature = decode::binary_kind(&bytes);
    let workbook = matches!(signature, Some(BinaryKind::Zip | BinaryKind::Ole)) || format.is_some_and(FileFormat::is_workbook);
    if workbook {
        let sample = table::head_workbook(&bytes, None, SAMPLE_ROWS).map_err(|e| e.message(lang))?;
        let body = Body::Workbook { bytes: Arc::new(bytes), sheets: sample.sheets.clone() };
        return Ok((Source { name, size, body }, sample));
    }
    if size == 0 {
        return Err(TableError::Empty.message(lang));
    }
    let raw = std::str::from_utf8(&bytes).is_err().then(|| Arc::new(bytes.clone()));
    let decoded = decode::decode(bytes, encoding).map_err(|e| TableError::Decode(e).message(lang))?;
    let format = format.unwrap_or(FileFormat::Csv);
    let mut sample = table::head_text(&decoded.text, Some(format), SAMPLE_ROWS).map_err(|e| e.message(lang))?;
    sample.encoding = Some(decoded.encoding.clone());
    let body = Body::Text {
        text: Arc::new(decoded.text),
        raw,
        format,
        encoding: decoded.encoding,
        forced: encoding.map(str::to_string),
        malformed: decoded.malformed,
    };
    Ok((Source { name, size, body }, sample))
}

/// Reads the text again in the encoding the user chose (`None`: detect).
pub(super) async fn reencode(app: AppState, w: Wizard, label: Option<String>) {
    let Some(src) = w.source.get_untracked() else { return };
    let Body::Text { text, raw, .. } = &src.body else { return };
    let t = texts(app.lang.get_untracked());
    app.begin(&fill(t.reading_file, &[("file", &src.name)]));
    yield_now().await;
    let bytes = match raw {
        Some(raw) => raw.to_vec(),
        None => text.as_bytes().to_vec(),
    };
    let result = open_source(app, src.name.clone(), bytes, label.as_deref());
    app.end();
    match result {
        Ok((source, sample)) => {
            w.error.set(None);
            w.source.set(Some(Arc::new(source)));
            w.sample.set(Some(Arc::new(sample)));
        }
        Err(msg) => w.error.set(Some(msg)),
    }
}

/// Shows the first rows of another sheet.
pub(super) fn choose_sheet(app: AppState, w: Wizard, sheet: String) {
    let Some(src) = w.source.get_untracked() else { return };
    let Body::Workbook { bytes, .. } = &src.body else { return };
    match table::head_workbook(bytes, Some(&sheet), SAMPLE_ROWS) {
        Ok(sample) => {
            w.error.set(None);
            w.sheet.set(Some(sheet));
            w.sample.set(Some(Arc::new(sample)));
        }
        Err(e) => w.error.set(Some(e.message(app.lang.get_untracked()))),
    }
}

/// Runs the whole import (nothing is written): every row is read and checked in chunks
/// with progress; the outcome goes to the review step.
pub(super) async fn check(app: AppState, w: Wizard) {
    let Some(src) = w.source.get_untracked() else { return };
    let lang = app.lang.get_untracked();
    let t = texts(lang);
    let kind = w.kind.get_untracked();
    let mapping = w.mapping.get_untracked();
    let sheet = w.sheet.get_untracked();
    let survey_id = w.survey.get_untracked();
    let customers = app.data.customers.get_untracked();
    let surveys = app.data.surveys.get_untracked();
    let survey = survey_id.as_deref().and_then(|id| surveys.iter().find(|s| s.id == id));
    let now = chrono::Utc::now();
    let ctx = ImportContext {
        customers: &customers,
        survey,
        now,
        id_prefix: format!("i{}-", now.timestamp_millis()),
        merge: w.merge.get_untracked(),
    };
    w.outcome.set(None);
    w.error.set(None);
    app.begin(t.checking);
    yield_now().await;
    let progress = |imp: &Importer<'_>, done: usize, total: usize| {
        let p = imp.progress();
        show(app, fill(t.checking_rows, &[("rows", &p.rows), ("rejected", &p.rejected)]), done, total);
    };
    let result: Result<ImportOutcome, String> = async {
        match &src.body {
            Body::Text { text, format, .. } => {
                let text = text.clone();
                let delimiter = (*format == FileFormat::Tsv).then_some(b'\t');
                let mut reader = CsvRows::new(&text, delimiter).map_err(|e| e.message(lang))?;
                let mut imp = Importer::new(kind, reader.headers(), &mapping, ctx).map_err(|e| e.message(lang, kind))?;
                loop {
                    let mut ended = false;
                    let started = now_ms();
                    for n in 0_usize.. {
                        match reader.next_row() {
                            Some(r) => imp.push(&r),
                            None => {
                                ended = true;
                                break;
                            }
                        }
                        if slice_done(started, n + 1) {
                            break;
                        }
                    }
                    progress(&imp, reader.position(), text.len());
                    if ended {
                        break;
                    }
                    yield_now().await;
                }
                Ok(imp.finish())
            }
            Body::Workbook { bytes, .. } => {
                let bytes = bytes.clone();
                let mut wb = Workbook::open(&bytes).map_err(|e| e.message(lang))?;
                let mut rows = wb.rows(sheet.as_deref()).map_err(|e| e.message(lang))?;
                let total = rows.declared_rows().unwrap_or(0);
                let mut imp = Importer::new(kind, rows.headers(), &mapping, ctx).map_err(|e| e.message(lang, kind))?;
                loop {
                    let mut ended = false;
                    let started = now_ms();
                    for n in 0_usize.. {
                        match rows.next_row().map_err(|e| e.message(lang))? {
                            Some(r) => imp.push(&r),
                            None => {
                                ended = true;
                                break;
                            }
                        }
                        if slice_done(started, n + 1) {
                            break;
                        }
                    }
                    progress(&imp, rows.row(), total);
                    if ended {
                        break;
                    }
                    yield_now().await;
                }
                Ok(imp.finish())
            }
        }
    }
    .await;
    app.end();
    match result {
        Ok(outcome) => {
            w.page.set(0);
            w.outcome.set(Some(Arc::new(outcome)));
            w.step.set(Step::Review);
        }
        Err(msg) => w.error.set(Some(msg)),
    }
}

/// Writes the checked import: a snapshot of the current data, then every record in one
/// IndexedDB transaction, then the signals; a toast offers undo (restore the snapshot).
pub(super) async fn commit(app: AppState, w: Wizard) {
    let Some(outcome) = w.outcome.try_update(|o| o.take()).flatten() else { return };
    let lang = app.lang.get_untracked();
    let t = texts(lang);
    let mut outcome = Arc::try_unwrap(outcome).unwrap_or_else(|shared| (*shared).clone());
    if !outcome.pending.is_empty() {
        outcome.resolve_unknown(w.choice.get_untracked());
    }
    let plan = outcome.plan();
    app.begin(t.snapshotting);
    yield_now().await;
    state::lines_ready(app).await;
    let had_data = app.data.total_untracked() > 0;
    let result = async {
        state::take_snapshot(app, SnapshotReason::FileImport).await?;
        let key = if had_data { state::db()?.snapshots().await?.first().map(|s| s.key.clone()) } else { None };
        let updated = std::mem::take(&mut outcome.updated);
        let mut d: Dataset = std::mem::take(&mut outcome.added);
        let new_customers = d.customers.len();
        d.customers.extend(updated);
        let progress = move |done: usize, total: usize| show(app, fill(t.writing_rows, &[("done", &done), ("total", &total)]), done, total);
        let lines = LinesEdit::new(app, &std::mem::take(&mut d.orders), |t, rows| Ok::<_, crate::store::StoreError>(t.upsert(rows)))?;
        state::db()?.upsert_all(&d, LinesEdit::write(&lines), &progress).await?;
        Ok::<_, crate::store::StoreError>((key, d, new_customers, lines))
    }
    .await;
    match result {
        Ok((key, d, new_customers, lines)) => {
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
            // Nothing was written: give the outcome back so the user can retry.
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
