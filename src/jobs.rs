//! The job runner: the one way pages start a heavy analysis. A page hands it the checked
//! parameters and gets progress and the report back; the work runs in the Web Worker
//! (`crate::worker`, a second wasm binary), so the page's thread stays free to paint and
//! answer clicks. No page runs an analysis loop itself.
//!
//! One job runs at a time; starting another cancels the one before. [`cancel`] terminates
//! the workers (a job only reads, so nothing is left behind) and the next job starts
//! fresh ones.
//!
//! Work that splits (PLS bootstrap resamples, k-means curves by k) runs on a small pool of
//! workers, one per core (`navigator.hardwareConcurrency`, at most [`MAX_POOL`]); each
//! share is computed by the core exactly as in a single run and merged by the core, so
//! the result does not depend on the pool's size. Worker 0 of the pool is also the one
//! that holds the records for the value analysis. The worker reads the records from IndexedDB itself; the page tells it which
//! state of the records it holds by a generation number that changes whenever the
//! customer or order-line signals hold other values (compared by `Arc` identity through
//! `Weak` references, which keep the old allocation's address from being reused).

use crate::state::AppState;
use leptos::prelude::*;
use crate::worker::protocol::{self, technical, BackupPreview, BackupSource, CheckJob, DatasetRows, FileRef, Job, Opened, OutcomeRows, ReportRows, Reply, Request};
use clientscope_core::backup::ImportMode;
use clientscope_core::model::Dataset;
use clientscope_core::orders::OrderTableBuilder;
use clientscope_core::io::import::ImportOutcome;
use clientscope_core::error::{Bilingual, Localized};
use clientscope_core::model::Language;
use clientscope_core::model::{Customer, Survey, SurveyResponse};
use clientscope_core::satisfaction::analysis::{SurveyParams, SurveyReport};
use clientscope_core::orders::OrderTable;
use clientscope_core::satisfaction::pls::{self, PlsModel, PlsParams, PlsReport};
use clientscope_core::satisfaction::ItemTable;
use clientscope_core::segment::kmeans::{self, CurveReport, KMeansData, KMeansReport, ValidKMeansParams};
use clientscope_core::value::{ValueParams, ValueReport};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's start-up script, written by trunk beside `index.html` (relative: the app
/// works from any sub-path).
const WORKER_URL: &str = "./clientscope-worker_loader.js";

/// Why a job gave no report. The worker sends its errors back in both languages, so a
/// page keeps the error itself (not a text) and shows [`JobError::message`] in the
/// language of the moment: a switch of language shows it again in the other one.
#[derive(Debug, Clone, PartialEq)]
pub enum JobError {
    /// The user cancelled it (or another job replaced it).
    Cancelled,
    /// The analysis refused its input (the core's typed error, in both languages).
    Invalid(Bilingual),
    /// The worker could not start or failed (in both languages, with the technical
    /// detail).
    Worker(Bilingual),
}

impl JobError {
    /// The message in `lang`.
    pub fn message(&self, lang: Language) -> String {
        match self {
            JobError::Cancelled => crate::i18n::texts(lang).job_cancelled.to_string(),
            JobError::Invalid(b) | JobError::Worker(b) => b.get(lang).to_string(),
        }
    }

    /// The message in the page's language now (untracked).
    pub fn shown(&self, app: AppState) -> String {
        self.message(app.lang.get_untracked())
    }

    fn worker(detail: impl std::fmt::Display) -> Self {
        JobError::Worker(technical(&detail.to_string()))
    }

    fn unexpected(reply: impl std::fmt::Debug) -> Self {
        // The variant's name only: a report's data have no place in a message.
        let name = format!("{reply:?}").split(|c: char| !c.is_alphanumeric()).find(|s| !s.is_empty() && *s != "Some").unwrap_or("None").to_string();
        JobError::worker(format!("unexpected reply {name}"))
    }
}

impl Localized for JobError {
    fn message(&self, lang: Language) -> String {
        JobError::message(self, lang)
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Cancelled => write!(f, "cancelled"),
            JobError::Invalid(b) | JobError::Worker(b) => write!(f, "{b}"),
        }
    }
}

struct Pending {
    progress: Rc<dyn Fn(usize, usize)>,
    resolve: js_sys::Function,
    reject: js_sys::Function,
}

struct Running {
    worker: web_sys::Worker,
    /// The worker said [`Reply::Ready`]; until then a request (the message and what it
    /// transfers) waits in `queued`.
    ready: bool,
    queued: Option<(JsValue, js_sys::Array)>,
    /// The generation whose customer ids this worker has been sent.
    sent: Option<u64>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// The most workers a pool run starts (each holds its own wasm instance and data).
pub const MAX_POOL: usize = 4;

thread_local! {
    /// The workers by slot; slot 0 runs the jobs on the records.
    static WORKERS: RefCell<Vec<Option<Running>>> = const { RefCell::new(Vec::new()) };
    /// The request each slot waits on.
    static PENDING: RefCell<Vec<Option<Pending>>> = const { RefCell::new(Vec::new()) };
    /// The final reply each slot received, decoded, until its call takes it.
    static REPLIES: RefCell<Vec<Option<Reply>>> = const { RefCell::new(Vec::new()) };
    /// The rows of the final reply each slot is receiving: a value report's per-customer
    /// rows ([`Reply::CustomerPart`]) by report, an import's records and rows
    /// ([`Reply::OutcomePart`]).
    static PARTS: RefCell<Vec<Parts>> = const { RefCell::new(Vec::new()) };
    /// The value the worker sent beside its last reply, taken by the call that wanted it.
    static BESIDE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The records of the last backup applied by the worker, taken by [`backup_apply`].
    static APPLIED: RefCell<Option<Result<(Dataset, OrderTable), String>>> = const { RefCell::new(None) };
    /// The rows read and rejected so far by the running import check ([`Reply::Checking`]).
    static CHECKED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    static SEEN: RefCell<(Weak<Vec<Customer>>, Weak<OrderTable>)> = RefCell::new((Weak::new(), Weak::new()));
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// The generation of the records the page holds now.
fn generation(customers: &Arc<Vec<Customer>>, orders: &Arc<OrderTable>) -> u64 {
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if !(s.0.ptr_eq(&Arc::downgrade(customers)) && s.1.ptr_eq(&Arc::downgrade(orders))) {
            *s = (Arc::downgrade(customers), Arc::downgrade(orders));
            GENERATION.with(|g| g.set(g.get() + 1));
        }
    });
    GENERATION.with(Cell::get)
}

fn settle(slot: usize, result: Result<JsValue, JsValue>) {
    if let Some(p) = PENDING.with(|p| p.borrow_mut().get_mut(slot).and_then(Option::take)) {
        let _ = match result {
            Ok(v) => p.resolve.call1(&JsValue::NULL, &v),
            Err(e) => p.reject.call1(&JsValue::NULL, &e),
        };
    }
}

/// The rows received ahead of a final reply.
#[derive(Default)]
struct Parts {
    report: [ReportRows; 2],
    outcome: OutcomeRows,
    /// A backup's records but the order lines ([`Reply::DatasetPart`]).
    dataset: DatasetRows,
    /// Its order lines, built chunk by chunk as they come ([`Reply::LinesPart`]), or why
    /// they could not be.
    lines: Option<Result<OrderTableBuilder, String>>,
}

fn with_parts<R>(slot: usize, f: impl FnOnce(&mut Parts) -> R) -> R {
    PARTS.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() <= slot {
            p.resize_with(slot + 1, Default::default);
        }
        f(&mut p[slot])
    })
}

fn with_slot<R>(slot: usize, f: impl FnOnce(&mut Option<Running>) -> R) -> R {
    WORKERS.with(|w| {
        let mut w = w.borrow_mut();
        if w.len() <= slot {
            w.resize_with(slot + 1, || None);
        }
        f(&mut w[slot])
    })
}

fn spawn(slot: usize) -> Result<(), JobError> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|e| JobError::worker(format!("{e:?}")))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        // The reply, or the reply and a value sent beside it (a `Blob`).
        let data = e.data();
        let data = if js_sys::Array::is_array(&data) {
            let parts: js_sys::Array = data.unchecked_into();
            BESIDE.with(|b| *b.borrow_mut() = Some(parts.get(1)));
            parts.get(0)
        } else {
            data
        };
        let bytes = js_sys::Uint8Array::new(&data).to_vec();
        match protocol::decode::<Reply>(&bytes) {
            Ok(Reply::Ready) => with_slot(slot, |r| {
                if let Some(r) = r.as_mut() {
                    r.ready = true;
                    if let Some((message, transfer)) = r.queued.take() {
                        if let Err(e) = r.worker.post_message_with_transfer(&message, &transfer) {
                            settle(slot, Err(JsValue::from_str(&format!("{e:?}"))));
                        }
                    }
                }
            }),
            Ok(Reply::Progress { done, total }) => {
                let progress = PENDING.with(|p| p.borrow().get(slot).and_then(|p| p.as_ref().map(|p| p.progress.clone())));
                if let Some(f) = progress {
                    f(done as usize, total as usize);
                }
            }
            Ok(Reply::Checking { done, total, rows, rejected }) => {
                CHECKED.with(|c| c.set((rows as usize, rejected as usize)));
                let progress = PENDING.with(|p| p.borrow().get(slot).and_then(|p| p.as_ref().map(|p| p.progress.clone())));
                if let Some(f) = progress {
                    f(done as usize, total as usize);
                }
            }
            // Each slice is decoded in the task of its own message (see `PART_ROWS`).
            Ok(Reply::CustomerPart { report, rows }) => with_parts(slot, |p| {
                if let Some(part) = p.report.get_mut(usize::from(report)) {
                    part.extend(rows);
                }
            }),
            Ok(Reply::OutcomePart(rows)) => with_parts(slot, |p| p.outcome.extend(rows)),
            Ok(Reply::OutcomeAhead(lens)) => with_parts(slot, |p| p.outcome.reserve(&lens)),
            Ok(Reply::DatasetPart(rows)) => with_parts(slot, |p| p.dataset.extend(rows)),
            Ok(Reply::DatasetAhead(lens)) => with_parts(slot, |p| p.dataset.reserve(&lens)),
            Ok(Reply::LinesStart { dicts, lines }) => with_parts(slot, |p| {
                p.lines = Some(protocol::unpack_dicts(&dicts).map(|d| OrderTableBuilder::new(d, lines as usize)).ok_or_else(|| "damaged dictionaries".to_string()));
            }),
            Ok(Reply::LinesPart(chunk)) => with_parts(slot, |p| {
                if let Some(Ok(b)) = &mut p.lines {
                    if let Err(e) = b.push(&chunk.into()) {
                        p.lines = Some(Err(e.to_string()));
                    }
                }
            }),
            // The final reply is decoded once, here, given the rows sent before it, and
            // handed to the waiting call.
            Ok(mut reply) => {
                let Parts { report: [first, second], outcome, dataset, lines } = with_parts(slot, std::mem::take);
                match &mut reply {
                    Reply::Value(Ok(r)) => first.put(r),
                    Reply::ValuePair(Ok(pair)) => {
                        first.put(&mut pair.0);
                        second.put(&mut pair.1);
                    }
                    Reply::ImportChecked(Ok(o)) => outcome.put(o),
                    Reply::BackupApplied(Ok(_)) => {
                        let mut d = Dataset::default();
                        dataset.put(&mut d);
                        let lines = lines.unwrap_or_else(|| Ok(OrderTableBuilder::new(Default::default(), 0))).map(OrderTableBuilder::finish);
                        APPLIED.with(|a| *a.borrow_mut() = Some(lines.map(|l| (d, l))));
                    }
                    _ => {}
                }
                REPLIES.with(|r| {
                    let mut r = r.borrow_mut();
                    if r.len() <= slot {
                        r.resize_with(slot + 1, || None);
                    }
                    r[slot] = Some(reply);
                });
                settle(slot, Ok(JsValue::UNDEFINED))
            }
            Err(e) => settle(slot, Err(JsValue::from_str(&e))),
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        // A worker that failed (a panic aborts its wasm) is dropped; the next job starts a
        // new one.
        if let Some(r) = with_slot(slot, Option::take) {
            r.worker.terminate();
        }
        settle(slot, Err(JsValue::from_str(&format!("worker: {}", e.message()))));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    with_slot(slot, |r| *r = Some(Running { worker, ready: false, queued: None, sent: None, _on_message: on_message, _on_error: on_error }));
    Ok(())
}

/// Stops the running job, if any: every analysis worker is terminated and the job ends
/// with [`JobError::Cancelled`]. A file being written ([`xlsx`]) goes on.
pub fn cancel() {
    let slots = WORKERS.with(|w| {
        let mut w = w.borrow_mut();
        (0..w.len().min(EXPORT_SLOT)).map(|i| w[i].take()).collect::<Vec<_>>()
    });
    for r in slots.into_iter().flatten() {
        r.worker.terminate();
    }
    let pending = PENDING.with(|p| p.borrow().len()).min(EXPORT_SLOT);
    for slot in 0..pending {
        settle(slot, Err(JsValue::from_str("\u{0}cancelled")));
    }
}

/// Whether an analysis runs (a file being written does not count).
fn busy() -> bool {
    PENDING.with(|p| p.borrow().iter().take(EXPORT_SLOT).any(Option::is_some))
}

/// Sends one request to a slot's worker and waits for its final reply.
async fn call(slot: usize, req: &Request, progress: Rc<dyn Fn(usize, usize)>) -> Result<Reply, JobError> {
    call_with(slot, req, progress, None).await
}

/// [`call`], with a value sent beside the request (a `File`: structured-cloned, which
/// copies no bytes).
async fn call_with(slot: usize, req: &Request, progress: Rc<dyn Fn(usize, usize)>, beside: Option<&JsValue>) -> Result<Reply, JobError> {
    let bytes = protocol::encode(req).map_err(JobError::worker)?;
    let mut handles: Option<(js_sys::Function, js_sys::Function)> = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| handles = Some((resolve, reject)));
    let (resolve, reject) = handles.ok_or_else(|| JobError::worker("promise"))?;
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() <= slot {
            p.resize_with(slot + 1, || None);
        }
        p[slot] = Some(Pending { progress, resolve, reject });
    });
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let message: JsValue = match beside {
        Some(v) => js_sys::Array::of2(&array, v).into(),
        None => array.into(),
    };
    let posted = with_slot(slot, |r| match r.as_mut() {
        Some(r) if r.ready => r.worker.post_message_with_transfer(&message, &transfer).map_err(|e| JobError::worker(format!("{e:?}"))),
        Some(r) => {
            r.queued = Some((message, transfer));
            Ok(())
        }
        None => Err(JobError::Cancelled),
    });
    if let Err(e) = posted {
        PENDING.with(|p| p.borrow_mut().get_mut(slot).and_then(Option::take));
        return Err(e);
    }
    let settled = wasm_bindgen_futures::JsFuture::from(promise).await;
    // Rows of a reply that did not arrive (cancelled, failed) are dropped here; a final
    // reply has already taken its own.
    with_parts(slot, |p| *p = Default::default());
    match settled {
        Ok(_) => REPLIES.with(|r| r.borrow_mut().get_mut(slot).and_then(Option::take)).ok_or_else(|| JobError::worker("no reply")),
        Err(e) => {
            let text = e.as_string().unwrap_or_else(|| format!("{e:?}"));
            Err(if text == "\u{0}cancelled" { JobError::Cancelled } else { JobError::worker(text) })
        }
    }
}

/// Runs a job in the worker on the page's current records, reporting progress; the busy
/// overlay offers to cancel it meanwhile.
async fn run(app: AppState, job: Job, progress: impl Fn(usize, usize) + 'static) -> Result<(Reply, Records), JobError> {
    run_with(app, job, progress, None, true).await
}

/// [`run`], with a value sent beside the request (see [`call_with`]); `offer_cancel`:
/// whether the busy overlay offers to cancel (not for a step of a write the user has
/// confirmed).
async fn run_with(app: AppState, job: Job, progress: impl Fn(usize, usize) + 'static, beside: Option<&JsValue>, offer_cancel: bool) -> Result<(Reply, Records), JobError> {
    crate::state::rest_ready(app).await;
    if busy() {
        cancel();
    }
    spawn_if_needed(0)?;
    let customers = app.data.customers.get_untracked();
    let orders = app.data.orders.get_untracked();
    let generation = generation(&customers, &orders);
    let progress: Rc<dyn Fn(usize, usize)> = Rc::new(progress);
    let sent = with_slot(0, |r| r.as_ref().and_then(|r| r.sent));
    let ids = || Some(customers.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
    let mut req = Request { db: crate::store::db::DB_NAME.to_string(), generation, ids: if sent == Some(generation) { None } else { ids() }, job };
    app.cancel_offered.set(offer_cancel);
    let mut reply = call_with(0, &req, progress.clone(), beside).await;
    if matches!(reply, Ok(Reply::NeedIds)) {
        req.ids = ids();
        reply = call_with(0, &req, progress, beside).await;
    }
    app.cancel_offered.set(false);
    if reply.is_ok() {
        with_slot(0, |r| {
            if let Some(r) = r.as_mut() {
                r.sent = Some(generation);
            }
        });
    }
    match reply? {
        Reply::Failed(e) => Err(JobError::Worker(e)),
        other => Ok((other, (customers, orders))),
    }
}

/// The records a report was computed on (its `customers[i]` is `records.0[i]`).
pub type Records = (Arc<Vec<Customer>>, Arc<OrderTable>);

fn spawn_if_needed(slot: usize) -> Result<(), JobError> {
    if with_slot(slot, |r| r.is_none()) {
        spawn(slot)?;
    }
    Ok(())
}

/// Workers a pool run may use: one per logical core, at most [`MAX_POOL`].
pub fn pool_size() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).clamp(1, MAX_POOL)
}

/// Runs jobs that carry their data on the pool (each worker takes the next job when it is
/// free), reporting the steps done over all jobs against `total`; the replies come back
/// in the order of `jobs`. The busy overlay offers to cancel meanwhile.
async fn run_pool(app: AppState, jobs: Vec<Job>, total: usize, progress: impl Fn(usize, usize) + 'static) -> Result<Vec<Reply>, JobError> {
    if busy() {
        cancel();
    }
    let count = jobs.len();
    let lanes_n = pool_size().min(count).max(1);
    for slot in 0..lanes_n {
        spawn_if_needed(slot)?;
    }
    let queue = Rc::new(RefCell::new(jobs.into_iter().enumerate().collect::<std::collections::VecDeque<_>>()));
    let results: Rc<RefCell<Vec<Option<Reply>>>> = Rc::new(RefCell::new(vec![None; count]));
    let shares = Rc::new(RefCell::new(vec![0usize; count]));
    let progress: Rc<dyn Fn(usize, usize)> = Rc::new(progress);
    progress(0, total);
    let lanes = (0..lanes_n).map(|slot| {
        let (queue, results, shares, progress) = (queue.clone(), results.clone(), shares.clone(), progress.clone());
        async move {
            loop {
                let Some((i, job)) = queue.borrow_mut().pop_front() else { return Ok::<(), JobError>(()) };
                let (shares, progress) = (shares.clone(), progress.clone());
                let report: Rc<dyn Fn(usize, usize)> = Rc::new(move |done, _| {
                    let sum = {
                        let mut s = shares.borrow_mut();
                        s[i] = done;
                        s.iter().sum::<usize>()
                    };
                    progress(sum.min(total), total);
                });
                let req = Request { db: String::new(), generation: 0, ids: None, job };
                match call(slot, &req, report).await? {
                    Reply::Failed(e) => return Err(JobError::Worker(e)),
                    reply => results.borrow_mut()[i] = Some(reply),
                }
            }
        }
    });
    app.cancel_offered.set(true);
    let outcome = futures::future::try_join_all(lanes).await;
    app.cancel_offered.set(false);
    if let Err(e) = outcome {
        // The other workers' shares are of no use now: stop them.
        cancel();
        return Err(e);
    }
    let replies = results.borrow_mut().drain(..).collect::<Option<Vec<_>>>();
    replies.ok_or_else(|| JobError::worker("a share of the job gave no reply"))
}

/// Splits `0..n` into `parts` contiguous ranges of near-equal length.
fn ranges(n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.clamp(1, n.max(1));
    (0..parts).map(|i| (n * i / parts)..(n * (i + 1) / parts)).collect()
}

/// A PLS path model with its bootstrap (SPEC §5), the fit and the resamples shared over
/// the pool; the same seed gives the same report whatever the pool's size.
pub async fn pls(app: AppState, model: PlsModel, table: ItemTable, params: PlsParams, progress: impl Fn(usize, usize) + 'static) -> Result<PlsReport, JobError> {
    let valid = params.check().map_err(|e| JobError::Invalid(e.bilingual()))?;
    let mut jobs = vec![Job::PlsFit { model: model.clone(), table: table.clone(), params }];
    let parts = if params.resamples > 0 { ranges(params.resamples, pool_size()) } else { Vec::new() };
    for r in &parts {
        jobs.push(Job::PlsBootstrap { model: model.clone(), table: table.clone(), params, from: r.start as u32, to: r.end as u32 });
    }
    let mut replies = run_pool(app, jobs, params.resamples, progress).await?.into_iter();
    let mut report = match replies.next() {
        Some(Reply::Pls(r)) => r.map_err(JobError::Invalid)?,
        other => return Err(JobError::unexpected(other)),
    };
    if params.resamples > 0 {
        let mut draws = Vec::new();
        for reply in replies {
            match reply {
                Reply::PlsBootstrap(p) => draws.push(p.map_err(JobError::Invalid)?),
                other => return Err(JobError::unexpected(other)),
            }
        }
        pls::finish_parts(draws, &valid, &mut report).map_err(|e| JobError::Invalid(e.bilingual()))?;
    }
    Ok(report)
}

/// The analysis of one survey (SPEC §5) on its responses, in a worker of the pool.
pub async fn survey(app: AppState, survey: Survey, responses: Vec<SurveyResponse>, params: SurveyParams) -> Result<SurveyReport, JobError> {
    let job = Job::Survey { survey: Box::new(survey), responses, params };
    match run_pool(app, vec![job], 0, |_, _| {}).await?.pop() {
        Some(Reply::Survey(r)) => r.map(|b| *b).map_err(JobError::Invalid),
        other => Err(JobError::unexpected(other)),
    }
}

/// The k-means elbow and silhouette curves over `ks` (SPEC §4) with every k's report,
/// the k shared over the pool; the result is the same whatever the pool's size.
pub async fn kmeans_curves(
    app: AppState,
    data: KMeansData,
    params: ValidKMeansParams,
    ks: std::ops::RangeInclusive<usize>,
    progress: impl Fn(usize, usize) + 'static,
) -> Result<(CurveReport, Vec<KMeansReport>), JobError> {
    let n = pool_size().min(ks.clone().count()).max(1);
    let jobs: Vec<Job> = (0..n).map(|i| Job::KMeansCurve { data: data.clone(), params: *params.params(), ks: kmeans::deal_ks(ks.clone(), i, n) }).collect();
    let total = ks.count() * params.params().restarts;
    let mut parts = Vec::new();
    for reply in run_pool(app, jobs, total, progress).await? {
        match reply {
            Reply::KMeansCurve(p) => parts.push(p.map_err(JobError::Invalid)?),
            other => return Err(JobError::unexpected(other)),
        }
    }
    Ok(kmeans::merge_curves(&params, parts))
}

/// The value analysis (SPEC §3) of the current records.
pub async fn value(app: AppState, params: &ValueParams, progress: impl Fn(usize, usize) + 'static) -> Result<(ValueReport, Records), JobError> {
    match run(app, Job::Value(params.clone()), progress).await? {
        (Reply::Value(r), records) => r.map(|r| (r, records)).map_err(JobError::Invalid),
        other => Err(JobError::unexpected(other)),
    }
}

/// The value analysis now and for the period before (the customer page's card).
pub async fn value_pair(app: AppState, params: &ValueParams) -> Result<(ValueReport, ValueReport, Records), JobError> {
    match run(app, Job::ValuePair(params.clone()), |_, _| {}).await? {
        (Reply::ValuePair(r), records) => r.map(|b| (b.0, b.1, records)).map_err(JobError::Invalid),
        other => Err(JobError::unexpected(other)),
    }
}

/// The dashboards (SPEC §8) on the current records; progress is the value analysis's.
pub async fn dashboard(app: AppState, job: protocol::DashboardJob, progress: impl Fn(usize, usize) + 'static) -> Result<clientscope_core::dashboard::DashboardReport, JobError> {
    let json = serde_json::to_string(&job).map_err(|e| JobError::worker(format!("encode: {e}")))?;
    match run(app, Job::Dashboard(json), progress).await? {
        (Reply::Dashboard(r), _) => r.map_err(JobError::Invalid).and_then(|s| serde_json::from_str(&s).map_err(|e| JobError::worker(format!("decode: {e}")))),
        other => Err(JobError::unexpected(other)),
    }
}

/// The worker slot that writes files: apart from the analysis slots, so an export neither
/// waits for nor cancels a running analysis (a [`cancel`] stops it too).
const EXPORT_SLOT: usize = MAX_POOL;

/// Whether a file is being written now.
fn exporting() -> bool {
    PENDING.with(|p| p.borrow().get(EXPORT_SLOT).is_some_and(Option::is_some))
}

/// A table written as an `.xlsx` workbook, in the worker (the writer is linked there only).
/// `created` is the workbook's creation time in the user's local time.
pub async fn xlsx(table: clientscope_core::io::export::ExportTable, created: chrono::NaiveDateTime) -> Result<Vec<u8>, JobError> {
    if exporting() {
        return Err(JobError::Worker(clientscope_core::error::Bilingual::new("上一个文件还在生成，请稍候。", "The previous file is still being written; please wait.")));
    }
    spawn_if_needed(EXPORT_SLOT)?;
    let req = Request { db: String::new(), generation: 0, ids: None, job: Job::Xlsx { table, created } };
    match call(EXPORT_SLOT, &req, Rc::new(|_, _| {})).await? {
        Reply::Xlsx(r) => r.map(serde_bytes::ByteBuf::into_vec).map_err(JobError::Invalid),
        Reply::Failed(e) => Err(JobError::Worker(e)),
        other => Err(JobError::unexpected(other)),
    }
}

/// Opens a file chosen for import in the worker (decoding text in `encoding`, or
/// detecting it) and reads its first rows (of `sheet` for a workbook); the page's thread
/// neither copies nor decodes its bytes.
pub async fn import_open(app: AppState, file: &web_sys::File, fref: FileRef, encoding: Option<String>, sheet: Option<String>) -> Result<Opened, JobError> {
    match run_with(app, Job::ImportOpen { file: fref, encoding, sheet }, |_, _| {}, Some(file.as_ref()), true).await? {
        (Reply::ImportOpened(r), _) => r.map_err(JobError::Invalid).and_then(|b| protocol::decode(&b).map_err(JobError::worker)),
        other => Err(JobError::unexpected(other)),
    }
}

/// Runs an import over every row of the file in the worker, against the stored customers
/// (nothing is written); `progress` gets the bytes or rows done of all, and
/// [`checked_rows`] the rows read and rejected so far.
pub async fn import_check(app: AppState, file: &web_sys::File, job: CheckJob, progress: impl Fn(usize, usize) + 'static) -> Result<ImportOutcome, JobError> {
    CHECKED.with(|c| c.set((0, 0)));
    match run_with(app, Job::ImportCheck(Box::new(job)), progress, Some(file.as_ref()), true).await? {
        (Reply::ImportChecked(r), _) => r.map(|b| *b).map_err(JobError::Invalid),
        other => Err(JobError::unexpected(other)),
    }
}

/// The rows read and rejected so far by the running [`import_check`].
pub fn checked_rows() -> (usize, usize) {
    CHECKED.with(Cell::get)
}

/// A snapshot of everything stored, exported and written by the worker (the page's thread
/// neither builds nor holds the backup text); `Ok(false)` when nothing is stored. Not
/// offered for cancelling: it is the first step of a change the user confirmed.
pub async fn snapshot(app: AppState, reason: crate::store::SnapshotReason) -> Result<bool, crate::store::StoreError> {
    use crate::store::StoreError;
    let settings = serde_json::to_string(&app.settings.get_untracked()).map_err(|e| StoreError::Idb(format!("settings: {e}")))?;
    let job = Job::Snapshot { reason, settings, now: chrono::Utc::now() };
    match run_with(app, job, |_, _| {}, None, false).await {
        Ok((Reply::Snapshot(r), _)) => r,
        Ok(other) => Err(StoreError::Idb(JobError::unexpected(other).shown(app))),
        Err(e) => Err(StoreError::Idb(e.shown(app))),
    }
}

/// Reads and checks a backup file in the worker (parse, validate) and plans its import
/// against what is stored, in both modes; the worker keeps it for [`backup_apply`].
pub async fn backup_open(app: AppState, file: &web_sys::File, fref: FileRef) -> Result<BackupPreview, JobError> {
    match run_with(app, Job::BackupOpen { file: fref }, |_, _| {}, Some(file.as_ref()), true).await? {
        (Reply::BackupOpened(r), _) => r.map_err(JobError::Invalid).and_then(|s| serde_json::from_str(&s).map_err(|e| JobError::worker(format!("decode: {e}")))),
        other => Err(JobError::unexpected(other)),
    }
}

/// The backup of [`backup_open`] applied in the worker to what is stored in `mode`: the
/// records to store in place of everything (the order lines as a table) and the
/// backup's settings. Nothing is written.
pub async fn backup_apply(app: AppState, file: Option<&web_sys::File>, source: BackupSource, mode: ImportMode) -> Result<(Dataset, OrderTable, clientscope_core::model::Settings), JobError> {
    APPLIED.with(|a| a.borrow_mut().take());
    match run_with(app, Job::BackupApply { source, mode }, |_, _| {}, file.map(AsRef::as_ref), false).await? {
        (Reply::BackupApplied(r), _) => {
            let settings = r.map_err(JobError::Invalid)?;
            let settings = serde_json::from_str(&settings).map_err(|e| JobError::worker(format!("decode: {e}")))?;
            let (d, lines) = APPLIED.with(|a| a.borrow_mut().take()).ok_or_else(|| JobError::worker("no records"))?.map_err(JobError::worker)?;
            Ok((d, lines, settings))
        }
        other => Err(JobError::unexpected(other)),
    }
}

/// A backup of everything stored, written by the worker: the file as a `Blob` to offer
/// for download, and its size in bytes.
pub async fn backup_export(app: AppState, now: clientscope_core::model::Timestamp) -> Result<(web_sys::Blob, u64), JobError> {
    let mut settings = app.settings.get_untracked();
    settings.last_backup_at = Some(now);
    let settings = serde_json::to_string(&settings).map_err(|e| JobError::worker(format!("encode: {e}")))?;
    BESIDE.with(|b| b.borrow_mut().take());
    match run_with(app, Job::BackupExport { settings, now }, |_, _| {}, None, true).await? {
        (Reply::BackupExported(r), _) => {
            let size = r.map_err(JobError::Invalid)?;
            let blob = BESIDE.with(|b| b.borrow_mut().take()).and_then(|v| v.dyn_into::<web_sys::Blob>().ok()).ok_or_else(|| JobError::worker("no file"))?;
            Ok((blob, size))
        }
        other => Err(JobError::unexpected(other)),
    }
}
